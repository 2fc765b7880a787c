"""Write stored articles or stories as JSON Lines, CSV or Parquet: the export contract
(docs/schema.md), whose records ``parallax.records`` declares.

Also the JSON records of entities, quotes and stories that the CLI prints with ``--json``.
Every format has the declared keys: CSV its columns, Parquet its schema
(``parallax.contract``).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from parallax.contract import arrow_row, arrow_schema, csv_row, record_dict, shapes
from parallax.errors import ParallaxError
from parallax.model import Article, ArticleAnalysis, Entity, Story
from parallax.records import (
    ArticleBrief,
    ArticleRecord,
    EntityProfile,
    QuoteRecord,
    StoryDetail,
    StoryMember,
    article_fields,
)
from parallax.store.store import ArticleRow, StoredQuote, StoryLink

FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet")


def export_articles(
    articles: Iterable[Article],
    fmt: str,
    out: str | Path | None = None,
    *,
    analysis_of: Callable[[str], ArticleAnalysis | None] | None = None,
    links: Mapping[str, StoryLink] | None = None,
) -> int:
    """Write every article as one record; returns how many were written.

    ``analysis_of`` gives an article's stored analysis (``Store.analysis``) for its
    ``entities`` and ``quotes``; without one, or for an article not analysed yet,
    both are empty lists. ``links`` (``Store.story_links``) gives its ``story_id`` and
    ``duplicate_of``, else both are null. Without ``out`` JSON Lines and CSV go to
    standard output; Parquet needs a file.
    """
    records = (
        article_record(
            article,
            analysis_of(article.id) if analysis_of else None,
            (links or {}).get(article.id),
        )
        for article in articles
    )
    return _write(records, fmt, out, ArticleRecord)


def export_stories(stories: Iterable[Story], fmt: str, out: str | Path | None = None) -> int:
    """Write every story as one record (``story_record``); returns how many were written."""
    return _write((story_record(story) for story in stories), fmt, out, Story)


def _write(
    records: Iterable[dict[str, Any]], fmt: str, out: str | Path | None, declared: type
) -> int:
    if fmt not in FORMATS:
        raise ParallaxError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if out is None:
            raise ParallaxError("Parquet is binary: give a file with --out")
        return _write_parquet(records, Path(out), declared)
    handle = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout  # noqa: SIM115
    try:
        if fmt == "jsonl":
            return _write_jsonl(records, handle)
        return _write_csv(records, handle, declared)
    finally:
        if out:
            handle.close()


def article_record(
    article: Article, analysis: ArticleAnalysis | None, link: StoryLink | None = None
) -> dict[str, Any]:
    """The article object of the export contract (``full_article``) as a JSON-ready dict."""
    return full_article(article, analysis, link).to_dict()


def full_article(
    article: Article, analysis: ArticleAnalysis | None, link: StoryLink | None = None
) -> ArticleRecord:
    """An article with its entity mentions and quotes, its story and the article it copies."""
    return ArticleRecord(
        **vars(article_fields(article)),
        entities=[record_dict(m) for m in analysis.mentions] if analysis else [],
        quotes=[record_dict(q) for q in analysis.quotes] if analysis else [],
        not_analysed=analysis.not_analysed if analysis else None,
        story_id=link.story_id if link else None,
        duplicate_of=link.duplicate_of if link else None,
    )


def story_record(
    story: Story,
    *,
    members: Sequence[Article | ArticleRow] | None = None,
    links: Mapping[str, StoryLink] | None = None,
) -> dict[str, Any]:
    """The story object of the export contract; with ``members`` (its articles) also
    ``members``: each article's id, title, outlet, date, copy link and whether a user
    placed it (``pinned``)."""
    if members is None:
        return asdict(story)
    found = links or {}
    return asdict(
        StoryDetail(
            **vars(story),
            members=tuple(
                StoryMember(
                    id=a.id,
                    title=a.title,
                    outlet=a.outlet,
                    published=a.published,
                    duplicate_of=found[a.id].duplicate_of if a.id in found else None,
                    pinned=found[a.id].pinned if a.id in found else False,
                )
                for a in members
            ),
        )
    )


def entity_record(
    entity: Entity,
    *,
    appears_in: Sequence[Article | ArticleRow] | None = None,
    quotes: Sequence[StoredQuote] | None = None,
) -> dict[str, Any]:
    """An entity with its variants; with both ``appears_in`` and ``quotes`` its whole
    profile (``EntityProfile``)."""
    if appears_in is None or quotes is None:
        return asdict(entity)
    return asdict(
        EntityProfile(
            **vars(entity),
            appears_in=tuple(
                ArticleBrief(a.id, a.title, a.outlet, a.published) for a in appears_in
            ),
            quotes=tuple(quote(stored) for stored in quotes),
        )
    )


def quote(stored: StoredQuote) -> QuoteRecord:
    """A stored quote as its record: with its article and its speaker's canonical name."""
    return QuoteRecord(
        **vars(stored.quote),
        speaker_canonical=stored.speaker_canonical,
        article_id=stored.article_id,
        outlet=stored.outlet,
        published=stored.published,
        title=stored.title,
    )


def quote_record(stored: StoredQuote) -> dict[str, Any]:
    """A quote with its article's id, outlet, date and title and its speaker's canonical name."""
    return quote(stored).to_dict()


def _write_jsonl(records: Iterable[dict[str, Any]], handle: TextIO) -> int:
    count = 0
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_csv(records: Iterable[dict[str, Any]], handle: TextIO, declared: type) -> int:
    # The header comes from the declaration: an empty export still names its columns.
    writer = csv.DictWriter(handle, fieldnames=list(shapes(declared)))
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(csv_row(declared, record))
        count += 1
    return count


def _write_parquet(records: Iterable[dict[str, Any]], path: Path, declared: type) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [arrow_row(declared, record) for record in records]
    table = pa.Table.from_pylist(rows, schema=arrow_schema(declared))
    pq.write_table(table, path)
    return len(rows)
