"""The two real aggregator articles in ../shared/seeds (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.clean import clean_document
from parallax.ingest import read_paths
from parallax.model import Article


@pytest.fixture
def seeds(seeds_dir: Path) -> dict[str, Article]:
    articles = [clean_document(doc) for doc in read_paths([seeds_dir])]
    return {article.outlet or "": article for article in articles}


JUNK = [
    "watson app for your smartphone",
    "Get our news app",
    "Leave a Reply",
    "Welcome to California18",
    "Audio Sources - Full Text Articles",
    "Read the original article",
    "Bild:",
    "via Getty Images",
    "(With material from the dpa)",
]


def test_outlets_and_republishers(seeds: dict[str, Article]) -> None:
    assert set(seeds) == {"watson", "Business Insider"}
    assert seeds["watson"].republished_by == ["California18"]
    assert seeds["Business Insider"].republished_by
    assert seeds["watson"].wire_credits == ["dpa"]


def test_bodies_hold_no_junk_and_no_captions(seeds: dict[str, Article]) -> None:
    for article in seeds.values():
        for junk in JUNK:
            assert junk not in article.text, (article.outlet, junk)
        for caption in article.captions:
            assert caption not in article.text
    assert "8,000 soldiers" in seeds["watson"].text
    assert "April 24" in seeds["Business Insider"].text


def test_captions_and_photo_credits_split_out(seeds: dict[str, Article]) -> None:
    watson = seeds["watson"]
    assert len(watson.captions) == 7
    assert any("(centre) next to Putin" in caption for caption in watson.captions)
    assert all("Bild" not in caption for caption in watson.captions)
    photographers = {credit.photographer for credit in watson.photo_credits}
    assert {"Gavriil Grigorov", "Vladimir Smirnov", "Vladimir Tretyakov"} <= photographers
    insider = seeds["Business Insider"]
    assert insider.captions[0].startswith("Russian President Vladimir Putin (L)")
    (credit,) = insider.photo_credits
    assert credit.photographer == "Sefa Karacan"
    assert credit.agency == "Anadolu Agency via Getty Images"


def test_every_removed_paragraph_has_a_reason(seeds: dict[str, Article]) -> None:
    reasons = {block.reason for article in seeds.values() for block in article.removed}
    assert {
        "promotion",
        "comment form",
        "site footer",
        "republishing note",
        "photo caption",
    } <= reasons
    assert all(block.reason for article in seeds.values() for block in article.removed)


def test_event_date_of_the_parade(seeds: dict[str, Article]) -> None:
    for article in seeds.values():
        assert "2023-05-09" in article.event_dates
    assert "2023-04-24" in seeds["Business Insider"].event_dates
    assert all(article.language == "en" for article in seeds.values())
