"""Is a name a person, an organisation or a place? A learned decision over a few signals.

``find_mentions`` first corrects spaCy's boundaries and types with rules
(``parallax.nlp.entities``); this module then weighs, for every name, the model's label,
the rules' verdict and what the sentence and the document say of it:

- the name itself: how many words, an acronym, a word that names institutions
  ("Council", "United") or natural features ("Fault"), a plural word ("Terminals",
  "Colts"), a town's or city's name and how large it is
  (``parallax.lexicon.places``), a town inside a longer name;
- the document: how the model labelled the other mentions of that name, and whether it is
  the surname of a person named in full;
- the sentence: what the name does there (the subject of a verb, of "say", the object of
  "in", "at" or "to", the modifier of a noun, a possessor), and the noun it modifies or
  stands beside (a person's noun, an institution's, a place's).

A multinomial logistic regression over those signals, fitted on the named participants
ECB+ types (``benchmarks/train_entity_types.py``, topic folds held out), gives each type a
probability; the name takes the likeliest. A country's name is not weighed: a country is a
place in Parallax by definition. The weights ship as
``parallax/nlp/data/entity_types.json``.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from parallax.lexicon.countries import country_from_name
from parallax.lexicon.places import place_population
from parallax.lexicon.roles import is_person_noun, is_title, word_set
from parallax.model import EntityType

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

TYPE_MODEL = Path(__file__).parent / "data" / "entity_types.json"
TYPES: tuple[EntityType, ...] = ("person", "organisation", "place")
MODEL_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP")
# The type each label stands for before any rule (as ``parallax.nlp.entities`` reads it).
LABEL_TYPES: dict[str, EntityType] = {
    "PERSON": "person", "PER": "person", "ORG": "organisation", "NORP": "organisation",
    "GPE": "place", "LOC": "place", "FAC": "place",
}  # fmt: skip
LOCATIVE = word_set("in at near from to into across outside inside around via toward towards")
SPEECH_VERBS = word_set("say tell announce add state report confirm claim")

SIGNALS: tuple[str, ...] = (
    *(f"model {label}" for label in MODEL_LABELS),
    *(f"rules {kind}" for kind in TYPES),
    *(f"rules made it a {kind}" for kind in TYPES),
    "one word",
    "three words or more",
    "acronym",
    "institution word",
    "natural feature word",
    "a plural word",
    "known place",
    "a known place inside",
    "after the",
    "sentence start",
    "document PERSON share",
    "document ORG share",
    "document place share",
    "surname of a full name",
    "subject",
    "subject of say",
    "object",
    "after a locative preposition",
    "after another preposition",
    "modifies a noun",
    "possessor",
    "apposition or conjunct",
    "beside a person noun",
    "beside an institution noun",
    "beside a place noun",
    "title before",
    "person noun before",
)


@dataclass(frozen=True)
class NameWords:
    """The word lists the signals read: words that make a name an institution's
    ("Council"), that end or begin a natural feature's ("Fault", "Mount"), nouns that
    stand for an institution ("agency") and for a place ("city", "port")."""

    institution_words: frozenset[str]
    feature_words: frozenset[str]
    institution_nouns: frozenset[str]
    place_nouns: frozenset[str]


@dataclass(frozen=True)
class Named:
    """One name as the rules left it: its tokens in the doc, spaCy's label, the rules' type."""

    start: int
    end: int
    label: str
    type: EntityType


def name_signals(
    doc: Doc,
    names: Sequence[Named],
    words: NameWords,
) -> np.ndarray:
    """The signals of each name, in ``SIGNALS`` order; ``words`` are the rules' word
    lists (``parallax.nlp.entities.NAME_WORDS``)."""
    labels_of: dict[str, Counter[str]] = {}
    for ent in doc.ents:
        labels_of.setdefault(ent.text, Counter())[ent.label_] += 1
    # Last words of the names the rules take for people named in full.
    full_surnames = {
        doc[name.end - 1].text
        for name in names
        if name.type == "person" and name.end - name.start > 1
    }
    rows = []
    for name in names:
        span = doc[name.start : name.end]
        rows.append(_signals(span, name, labels_of, full_surnames, words))
    return np.array(rows, dtype=float).reshape(len(names), len(SIGNALS))


def _signals(
    span: Span,
    name: Named,
    labels_of: dict[str, Counter[str]],
    full_surnames: set[str],
    words: NameWords,
) -> list[float]:
    doc = span.doc
    root = span.root
    last = span[-1]
    before = doc[span.start - 1] if span.start > 0 else None
    labels = labels_of.get(span.text) or labels_of.get(last.text) or Counter({name.label: 1})
    total = sum(labels.values())
    # What the name hangs from: through "of"/"in" up to the noun or verb it completes.
    head = root.head
    preposition = head.lower_ if root.dep_ == "pobj" else ""
    neighbour = head if root.dep_ in ("compound", "amod", "appos", "nmod", "poss", "conj") else None
    if root.dep_ == "pobj" and head.head is not head:
        neighbour = head.head
    neighbour_word = neighbour.lemma_.lower() if neighbour is not None else ""
    return [
        *(float(name.label == label) for label in MODEL_LABELS),
        *(float(name.type == kind) for kind in TYPES),
        # The rules overruled the model for a reason of their own ("the Danube ports",
        # "the North Anatolian Fault", "expert Rasmus Holt").
        *(float(name.type == kind != LABEL_TYPES.get(name.label)) for kind in TYPES),
        float(len(span) == 1),
        float(len(span) >= 3),
        float(len(span) == 1 and span.text.isupper() and len(span.text) > 1),
        float(any(token.text in words.institution_words for token in span)),
        float(
            len(span) > 1
            and (last.text in words.feature_words or span[0].text in words.feature_words)
        ),
        float(any(token.tag_ in ("NNPS", "NNS") for token in span)),
        # A town of 10,000 gives 0.57, a city of ten million 1.
        math.log10(1 + place_population(span.text)) / 7,
        # A club or firm named after its town ("Steppe Falcons Zaporizhzhia"), or a person
        # after one ("Paris Hilton"): the whole name is no place, a word of it is.
        float(
            len(span) > 1
            and not place_population(span.text)
            and any(place_population(token.text) for token in span)
        ),
        float(before is not None and before.lower_ == "the"),
        float(span[0].is_sent_start),
        labels["PERSON"] / total,
        labels["ORG"] / total,
        (labels["GPE"] + labels["LOC"] + labels["FAC"]) / total,
        float(len(span) == 1 and span.text in full_surnames),
        float(root.dep_ in ("nsubj", "nsubjpass")),
        float(root.dep_ == "nsubj" and head.lemma_ in SPEECH_VERBS),
        float(root.dep_ in ("dobj", "attr")),
        float(preposition in LOCATIVE),
        float(bool(preposition) and preposition not in LOCATIVE),
        float(root.dep_ in ("compound", "amod", "nmod") and head.pos_ in ("NOUN", "PROPN")),
        float(root.dep_ == "poss" or (span.end < len(doc) and doc[span.end].tag_ == "POS")),
        float(root.dep_ in ("appos", "conj")),
        float(bool(neighbour_word) and is_person_noun(neighbour_word)),
        float(neighbour_word in words.institution_nouns),
        float(neighbour_word in words.place_nouns),
        float(before is not None and is_title(before.text)),
        float(before is not None and before.pos_ == "NOUN" and is_person_noun(before.lower_)),
    ]


@dataclass(frozen=True)
class TypeModel:
    """Multinomial logistic regression over ``SIGNALS``: one row of weights per type."""

    weights: np.ndarray  # (len(TYPES), len(SIGNALS)), on the raw signals
    intercepts: np.ndarray  # (len(TYPES),)

    @classmethod
    def load(cls, path: Path = TYPE_MODEL) -> TypeModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["signals"]) != SIGNALS or tuple(data["types"]) != TYPES:
            raise ValueError(f"{path} weighs other signals or types than {SIGNALS}")
        return cls(np.asarray(data["weights"], dtype=float), np.asarray(data["intercepts"]))

    def probabilities(self, signals: np.ndarray) -> np.ndarray:
        """Each row's probability of each type, in ``TYPES`` order."""
        logits = signals @ self.weights.T + self.intercepts
        logits -= logits.max(axis=1, keepdims=True)
        odds = np.exp(logits)
        return odds / odds.sum(axis=1, keepdims=True)

    def types(self, signals: np.ndarray) -> list[EntityType]:
        """The likeliest type of each row."""
        if not len(signals):
            return []
        return [TYPES[i] for i in self.probabilities(signals).argmax(axis=1)]

    def type_of(self, mentions: np.ndarray) -> EntityType:
        """The type of one name from the signals of all its mentions in a document: the
        likeliest by their mean probability."""
        return TYPES[int(self.probabilities(mentions).mean(axis=0).argmax())]


def retype(doc: Doc, names: Sequence[Named], model: TypeModel, words: NameWords) -> list[Named]:
    """``names`` with the model's types. A name is of one type throughout a document: the
    mean of its mentions' probabilities decides ("from Microsoft" alone is half a place;
    "Microsoft said" settles it). A country's name keeps the rules' type: Parallax calls
    a country a place by definition (its entity is ``country:`` and its code), so there
    is nothing to learn there."""
    decided = [not is_country(doc, name) for name in names]
    open_names = [name for name, open_ in zip(names, decided, strict=True) if open_]
    if not open_names:
        return list(names)
    signals = name_signals(doc, open_names, words)
    kind = {
        text: model.type_of(signals[mentions])
        for text, mentions in mentions_by_text(doc, open_names).items()
    }
    return [
        replace(name, type=kind[doc[name.start : name.end].text]) if open_ else name
        for name, open_ in zip(names, decided, strict=True)
    ]


def mentions_by_text(doc: Doc, names: Sequence[Named]) -> dict[str, list[int]]:
    """The positions in ``names`` of each name's mentions, by the words written."""
    found: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        found.setdefault(doc[name.start : name.end].text, []).append(index)
    return found


def is_country(doc: Doc, name: Named) -> bool:
    return country_from_name(doc[name.start : name.end].text) is not None


@cache
def load_type_model() -> TypeModel:
    """The shipped weights (read once)."""
    return TypeModel.load()
