"""The learned entity typer (``parallax.nlp.entity_types``, issue 25): its gate on the
bundled examples, which it was never fitted on, and what it decides in sentences written
for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from parallax.lexicon.places import place_population
from parallax.nlp.entities import NAME_WORDS, classified_names, find_mentions
from parallax.nlp.entity_types import (
    SIGNALS,
    TYPE_MODEL,
    TYPES,
    TypeModel,
    load_type_model,
    name_signals,
)
from parallax.nlp.spacy_model import load_pipeline
from tests.benchmarking import benchmark_module

GATES = json.loads(
    (Path(__file__).resolve().parents[1] / "benchmarks/data/entity_type_gates.json").read_text()
)


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def types_of(nlp, text: str, model: TypeModel | None) -> dict[str, str]:
    return {m.text: m.type for m in find_mentions(nlp(text), "text", model)}


def test_gate_on_the_bundled_examples():
    """Accuracy on every mention of the examples' hand-typed names must not fall more than
    the tolerance below the recorded figures (record again with the command in the file)."""
    with benchmark_module("train_entity_types.py", "entity_types_gate") as bench:
        measured = bench.examples_accuracy()
    for figure in ("macro", "all"):
        floor = GATES["figures"][figure] - GATES["tolerance"]
        assert measured[figure] >= floor, (figure, measured[figure], GATES["figures"][figure])
    # And the reason the typer ships: it beats the rules it replaced there.
    assert measured["organisation"] > 0.7


def test_a_city_the_model_calls_an_organisation_is_a_place(nlp):
    text = (
        "Supporters of the club will travel to Copenhagen for the first home match. "
        "Hotels in Copenhagen are already full."
    )
    assert types_of(nlp, text, None)["Copenhagen"] == "organisation"  # the rules alone
    assert types_of(nlp, text, load_type_model())["Copenhagen"] == "place"


def test_a_name_has_one_type_in_a_document(nlp):
    """The typer weighs every mention of a name in the document together: "from
    Microsoft" alone leans to a place, "Microsoft said" settles it."""
    doc = nlp("A security update from Microsoft is due. Microsoft said the flaw was fixed.")
    model = load_type_model()
    names = classified_names(doc)
    alone = model.types(name_signals(doc, names, NAME_WORDS))
    assert alone == ["place", "organisation"]  # each mention by itself
    found = find_mentions(doc, "text", model)
    assert [m.type for m in found if m.text == "Microsoft"] == ["organisation"] * 2


def test_a_country_is_a_place_whatever_the_weights(nlp):
    """A country's name is not weighed: weights that would make everything a person leave
    it a place."""
    biased = TypeModel(np.zeros((len(TYPES), len(SIGNALS))), np.array([50.0, 0.0, 0.0]))
    found = types_of(nlp, "Ministers from Estonia and Latvia met in Riga on Friday.", biased)
    assert found["Estonia"] == found["Latvia"] == "place"
    assert found["Riga"] == "person"  # the weights did decide the rest


def test_weights_for_other_signals_are_refused(tmp_path):
    path = tmp_path / "types.json"
    data = json.loads(TYPE_MODEL.read_text())
    data["signals"] = data["signals"][:-1]
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="other signals"):
        TypeModel.load(path)


def test_known_places_and_their_size():
    assert place_population("Copenhagen") > 1_000_000
    assert 10_000 < place_population("Piraeus") < 1_000_000
    assert place_population("Alaska") == 1_000_000  # a US state
    assert place_population("Brightwater Mining") == 0
