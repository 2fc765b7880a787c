"""The confidence of each quote (issue 27), on sentences written for these tests; the
precision it buys on PolNeAR dev is gated in tests/test_quotes_gate.py."""

from __future__ import annotations

import json

import pytest

from parallax.nlp import find_quotes, load_pipeline
from parallax.nlp.quotes import CONFIDENCE_MODEL, SIGNALS, confidence_model


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def confidence_of(nlp, text: str, content_starts: str) -> float:
    """The confidence of the quote whose content begins with ``content_starts``."""
    quotes = find_quotes(nlp(text))
    [quote] = [q for q in quotes if q.text.startswith(content_starts)]
    assert quote.confidence is not None
    return quote.confidence


def test_weights_name_the_module_signals() -> None:
    data = json.loads(CONFIDENCE_MODEL.read_text(encoding="utf-8"))
    assert tuple(data["weights"]) == SIGNALS
    assert len(confidence_model().weights) == len(SIGNALS)
    assert 0 < data["default_min_confidence"] < 1


def test_every_confidence_is_a_probability(nlp) -> None:
    text = (
        "“The ferry will run twice a day from June,” said Port Director Anneke Vos. "
        "The council said that the new pier would cost less than planned. "
        "According to the harbour office, repairs start next week. "
        "Critics would argue that the timetable is too ambitious. "
        "“Nobody has asked the fishermen what they need for the winter months.”"
    )
    quotes = find_quotes(nlp(text))
    assert len(quotes) >= 3
    for quote in quotes:
        assert quote.confidence is not None
        assert 0.0 <= quote.confidence <= 1.0


def test_a_plain_report_outranks_a_hypothetical_one(nlp) -> None:
    plain = confidence_of(
        nlp,
        "Mayor Ilse Brandauer said that the harbour would reopen before the storms.",
        "that the harbour",
    )
    hypothetical = confidence_of(
        nlp,
        "Some would argue that the harbour could reopen before the storms.",
        "that the harbour",
    )
    assert plain > hypothetical


def test_a_credited_quotation_outranks_one_without_a_speaker(nlp) -> None:
    credited = confidence_of(
        nlp,
        "“We will rebuild the old bridge in stone and open it by spring,” Mayor Ilse "
        "Brandauer said.",
        "We will rebuild",
    )
    alone = confidence_of(
        nlp,
        "The old bridge stood for a century. “We will rebuild the old bridge in stone and "
        "open it by spring.”",
        "We will rebuild",
    )
    assert credited > alone


def test_a_statement_outranks_a_noun_object(nlp) -> None:
    statement = confidence_of(
        nlp, "Port Director Anneke Vos said the harbour will reopen in May.", "the harbour"
    )
    noun = confidence_of(nlp, "The council announced the plan.", "the plan")
    assert statement > noun


def test_credited_quotations_have_a_threshold_of_their_own() -> None:
    from parallax.model import Quote, QuoteThresholds, as_thresholds

    thresholds = QuoteThresholds(reported=0.7, credited_quotation=0.2)
    credited = Quote("We will.", 0, 8, "direct", speaker="Vos", confidence=0.3)
    alone = Quote("We will.", 0, 8, "direct", confidence=0.3)
    reported = Quote("that it will", 0, 12, "indirect", speaker="Vos", confidence=0.3)
    assert thresholds.keeps(credited)
    assert not thresholds.keeps(alone) and not thresholds.keeps(reported)
    assert not as_thresholds(0.7).keeps(credited)  # one threshold is one for all
    assert as_thresholds(thresholds) is thresholds
    assert QuoteThresholds.uniform(0.3).keeps(reported)
    # A quote analysed before confidences were measured has none and is kept.
    assert thresholds.keeps(Quote("that it will", 0, 12, "indirect"))
