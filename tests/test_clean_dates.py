"""Publication dates from the datelines of plain-text articles, numeric ones included."""

from __future__ import annotations

from datetime import date

import pytest

from parallax.clean import clean_document
from parallax.model import RawDocument
from parallax.text.dates import dateline_date, event_dates

HEADLINE = "Crane collapse shuts Velmora pier"
BODY = (
    "The harbour authority of Velmora closed the northern pier on Tuesday after a cargo "
    "crane collapsed onto the quay, injuring two dock workers and halting the unloading of "
    "three ships. Officials said an inspection of the remaining cranes would take a week.\n\n"
    "The port handles about a fifth of the region's grain exports, and traders warned that "
    "shipments could be delayed into next month."
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Posted: 08/02/2013 11:10 am EDT", date(2013, 8, 2)),  # 12-hour clock: month first
        ("11/30/09 05:40 PM ET", date(2009, 11, 30)),  # two-digit year
        ("Last updated 13:26 04/09/2013", date(2013, 9, 4)),  # 24-hour clock: day first
        ("14/09/2013", date(2013, 9, 14)),  # a day over 12 decides the order
        ("Published: 2012.08.08 09:01 AM", date(2012, 8, 8)),  # year first
        ("16.05.2021", date(2021, 5, 16)),
        ("Story Created: Aug 7, 2012 at 9:56 AM AKDT", date(2012, 8, 7)),
        ("First Posted: 10/25/11 06:44 PM ET Updated: 12/25/11 05:12 AM ET", date(2011, 10, 25)),
    ],
)
def test_a_dateline_states_its_date_in_the_order_its_clock_implies(
    line: str, expected: date
) -> None:
    assert dateline_date(line) == expected


@pytest.mark.parametrize("line", ["3/4 of the voters", "a 2/3 majority", "won 13/45", "31/02/2013"])
def test_fractions_scores_and_impossible_dates_are_not_dates(line: str) -> None:
    assert dateline_date(line) is None


def _clean(content: str):  # type: ignore[no-untyped-def]
    return clean_document(RawDocument("velmora.txt", "text", content, is_html=False))


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("UPDATED 05/03/2013 at 11:00 AM EDT", "2013-05-03"),
        ("First Posted 23:37:00 05/05/2010", "2010-05-05"),
        ("8/2/13 at 1:30 PM", "2013-08-02"),
        ("16 September 2013 Last updated at 12:42 GMT", "2013-09-16"),
        ("Friday, Sep 10, 2010 | Updated 8:52 PM EDT", "2010-09-10"),
        ("on September 14, 2013 11:41am | Updated on September 14, 2013 11:41am", "2013-09-14"),
    ],
)
@pytest.mark.parametrize("dateline_first", [False, True])
def test_a_dateline_becomes_the_publication_date_not_the_title_or_text(
    line: str, published: str, dateline_first: bool
) -> None:
    parts = [line, HEADLINE] if dateline_first else [HEADLINE, line]
    article = _clean("\n\n".join([*parts, BODY]))
    assert article.published == published
    assert article.title == HEADLINE
    assert line not in article.text and article.text.startswith("The harbour authority")
    assert [block.text for block in article.blocks if block.kind == "dateline"] == [line]


@pytest.mark.parametrize(
    "sentence",
    [
        "The pier first opened on 05/02/1998 under the old harbour board.",
        "On March 5, 2019 the crane fell.",
    ],
)
def test_a_sentence_that_mentions_a_date_stays_in_the_text(sentence: str) -> None:
    article = _clean(f"{HEADLINE}\n\n{sentence}\n\n{BODY}")
    assert sentence in article.text
    assert article.published is None


def test_an_archive_photo_does_not_date_the_event() -> None:
    body = "The harbour reopened on Tuesday after the storm. Inspectors had visited on April 24."
    captions = [
        "Cranes stand idle, May 9, 2031.",
        "The old quay during a strike, Thursday, Nov. 17, 2030. (archive)",
    ]
    found = event_dates(body, captions, None)
    # The caption's day of the report dates it and gives the body's "April 24" its year;
    # the archive photo's date, months older, is not one of the event's.
    assert "2031-05-09" in found
    assert "2031-04-24" in found
    assert "2030-11-17" not in found
    assert event_dates("Nothing dated here.", [], None) == []
