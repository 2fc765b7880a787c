"""The bundled example corpus against its hand-written gold (tests/data/examples_gold.json)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from parallax.clean import clean_document
from parallax.examples import ARTICLES_DIR
from parallax.ingest import read_paths
from parallax.model import Article, RawDocument

GOLD = json.loads((Path(__file__).parent / "data" / "examples_gold.json").read_text())
FIELDS = ("title", "outlet", "republished_by", "wire_credits", "byline", "published", "captions")


def _key(document: RawDocument) -> tuple[str, int | None]:
    for entry in GOLD["articles"]:
        if entry.get("url") and entry["url"] == document.url:
            return entry["file"], entry["record"]
    return Path(document.source.split("#")[0]).name, None


@pytest.fixture(scope="module")
def cleaned() -> dict[tuple[str, int | None], Article]:
    by_key: dict[tuple[str, int | None], list[Article]] = defaultdict(list)
    for document in read_paths([ARTICLES_DIR]):
        assert isinstance(document, RawDocument), document
        by_key[_key(document)].append(clean_document(document))
    assert all(len(found) == 1 for found in by_key.values())
    return {key: found[0] for key, found in by_key.items()}


@pytest.mark.parametrize("entry", GOLD["articles"], ids=lambda e: f"{e['file']}#{e['record']}")
def test_article_matches_gold(entry: dict, cleaned: dict) -> None:
    article = cleaned[(entry["file"], entry["record"])]
    for field in FIELDS:
        assert getattr(article, field) == entry[field], field
    assert sorted(article.event_dates) == sorted(entry["event_dates"])
    assert [credit.text for credit in article.photo_credits] == entry["photo_credits"]
    for junk in entry["boilerplate_snippets"]:
        assert junk not in article.text
    for sentence in entry["body_snippets"]:
        assert sentence in article.text


def test_corpus_covers_every_format_and_event(cleaned: dict) -> None:
    articles = list(cleaned.values())
    assert {a.format for a in articles} == {"text", "html", "jsonl", "feed", "warc"}
    assert len(articles) >= 15
    assert len({a.outlet for a in articles}) >= 5
    assert len(GOLD["events"]) >= 4
