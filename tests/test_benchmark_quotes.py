"""The quote benchmark's own parts (benchmarks/quotes.py), on sentences written for
these tests: each predicted quote keeps its cue, and the IoU scorer counts precision per
cue and keeps quotations credited to a speaker at their own threshold."""

from __future__ import annotations

import pytest

from parallax.model import QuoteThresholds
from parallax.nlp import load_pipeline
from tests.benchmarking import benchmark_module

TEXT = (
    "“The ferry will run twice a day from June,” said Port Director Anneke Vos. "
    "According to the harbour office, repairs start next week."
)


@pytest.fixture(scope="module")
def bench():
    with benchmark_module("quotes.py", "quotes_parts_benchmark") as module:
        yield module


@pytest.fixture(scope="module")
def doc():
    return load_pipeline()(TEXT)


def test_each_predicted_quote_keeps_its_cue(bench, doc) -> None:
    found = bench.parallax_extractor(0.0)(doc)
    quotes = bench.predicted_quotes(TEXT, found)
    cues = bench.predicted_cues(doc, TEXT, found)
    assert len(cues) == len(quotes) == 2
    assert cues == ["say", "accord to"]


def test_precision_is_counted_per_cue(bench, doc) -> None:
    found = bench.parallax_extractor(0.0)(doc)
    quotes = bench.predicted_quotes(TEXT, found)
    score = bench.IouScore()
    # Gold holds the quotation only: the "according to" quote is matched by nothing.
    bench.add_iou(score, TEXT, [quotes[0]], quotes, bench.predicted_cues(doc, TEXT, found))
    assert score.cue_predicted == {"say": 1, "accord to": 1}
    assert score.cue_matched == {"say": 1, "accord to": 0}
    table = bench.format_cue_table(
        [bench.Run(bench.System("parallax", "parallax", None), iou=score)]
    )
    assert "say" in table and "1.000" in table and "0.000" in table


def test_credited_quotations_have_their_own_threshold_in_the_benchmark(bench, doc) -> None:
    def kept(min_confidence) -> int:
        return len(bench.predicted_quotes(TEXT, bench.parallax_extractor(min_confidence)(doc)))

    assert kept(0.0) == 2
    assert kept(1.0) == 0
    # Everything held back but the quotation credited to its speaker.
    assert kept(QuoteThresholds(reported=1.0, credited_quotation=0.0)) == 1
