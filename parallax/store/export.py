"""Write stored articles or stories as JSON Lines, CSV or Parquet: the export contract
(docs/schema.md).

Also the JSON records of entities, quotes and stories that the CLI prints with ``--json``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from parallax.errors import ParallaxError
from parallax.model import Article, ArticleAnalysis, Entity, Story
from parallax.store.store import StoredQuote, StoryLink

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
    return _write(records, fmt, out, _parquet_schema)


def export_stories(stories: Iterable[Story], fmt: str, out: str | Path | None = None) -> int:
    """Write every story as one record (``story_record``); returns how many were written."""
    return _write((story_record(story) for story in stories), fmt, out, _story_parquet_schema)


def _write(
    records: Iterable[dict[str, Any]],
    fmt: str,
    out: str | Path | None,
    parquet_schema: Callable[[], Any],
) -> int:
    if fmt not in FORMATS:
        raise ParallaxError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if out is None:
            raise ParallaxError("Parquet is binary: give a file with --out")
        return _write_parquet(records, Path(out), parquet_schema())
    handle = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout  # noqa: SIM115
    try:
        return _write_jsonl(records, handle) if fmt == "jsonl" else _write_csv(records, handle)
    finally:
        if out:
            handle.close()


def article_record(
    article: Article, analysis: ArticleAnalysis | None, link: StoryLink | None = None
) -> dict[str, Any]:
    """The article object of the export contract, with its entity mentions and quotes,
    its story and the article it copies."""
    record = article.to_dict()
    record["entities"] = [asdict(m) for m in analysis.mentions] if analysis else []
    record["quotes"] = [asdict(q) for q in analysis.quotes] if analysis else []
    record["story_id"] = link.story_id if link else None
    record["duplicate_of"] = link.duplicate_of if link else None
    return record


def story_record(
    story: Story,
    *,
    members: Sequence[Article] | None = None,
    links: Mapping[str, StoryLink] | None = None,
) -> dict[str, Any]:
    """The story object of the export contract; with ``members`` (its articles) also
    ``members``: each article's id, title, outlet, date, copy link and whether a user
    placed it (``pinned``)."""
    record = asdict(story)
    if members is not None:
        found = links or {}
        record["members"] = [
            {
                "id": a.id,
                "title": a.title,
                "outlet": a.outlet,
                "published": a.published,
                "duplicate_of": found[a.id].duplicate_of if a.id in found else None,
                "pinned": found[a.id].pinned if a.id in found else False,
            }
            for a in members
        ]
    return record


def entity_record(
    entity: Entity,
    *,
    appears_in: Sequence[Article] | None = None,
    quotes: Sequence[StoredQuote] | None = None,
) -> dict[str, Any]:
    """An entity with its variants; with ``appears_in`` and ``quotes`` its whole profile."""
    record = asdict(entity)
    if appears_in is not None:
        record["appears_in"] = [
            {"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published}
            for a in appears_in
        ]
    if quotes is not None:
        record["quotes"] = [quote_record(quote) for quote in quotes]
    return record


def quote_record(stored: StoredQuote) -> dict[str, Any]:
    """A quote with its article's id, outlet, date and title and its speaker's canonical name."""
    return {
        **asdict(stored.quote),
        "speaker_canonical": stored.speaker_canonical,
        "article_id": stored.article_id,
        "outlet": stored.outlet,
        "published": stored.published,
        "title": stored.title,
    }


def _write_jsonl(records: Iterable[dict], handle) -> int:  # type: ignore[no-untyped-def]
    count = 0
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_csv(records: Iterable[dict], handle) -> int:  # type: ignore[no-untyped-def]
    writer = None
    count = 0
    for record in records:
        flat = {
            key: json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value
            for key, value in record.items()
        }
        if writer is None:
            writer = csv.DictWriter(handle, fieldnames=list(flat))
            writer.writeheader()
        writer.writerow(flat)
        count += 1
    return count


def _write_parquet(records: Iterable[dict], path: Path, schema: Any) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(records)
    table = pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
    pq.write_table(table, path)
    return len(rows)


def _parquet_schema():  # type: ignore[no-untyped-def]
    import pyarrow as pa

    strings = pa.list_(pa.string())
    text, number = pa.string(), pa.int64()
    return pa.schema(
        [
            ("id", pa.string()),
            ("source", pa.string()),
            ("url", pa.string()),
            ("format", pa.string()),
            ("title", pa.string()),
            ("outlet", pa.string()),
            ("republished_by", strings),
            ("wire_credits", strings),
            ("byline", strings),
            ("published", pa.string()),
            ("event_dates", strings),
            ("language", pa.string()),
            ("text", pa.string()),
            ("captions", strings),
            ("photo_credits", strings),
            (
                "photo_credit_parts",
                pa.list_(
                    pa.struct(
                        [
                            ("text", pa.string()),
                            ("photographer", pa.string()),
                            ("agency", pa.string()),
                        ]
                    )
                ),
            ),
            (
                "removed",
                pa.list_(
                    pa.struct(
                        [
                            ("text", pa.string()),
                            ("reason", pa.string()),
                            ("kind", pa.string()),
                        ]
                    )
                ),
            ),
            (
                "entities",
                pa.list_(
                    pa.struct(
                        [
                            ("text", text),
                            ("type", text),
                            ("start", number),
                            ("end", number),
                            ("field", text),
                            ("kind", text),
                            ("role", text),
                            ("affiliation", text),
                            ("country", text),
                            ("refers_to", number),
                            ("entity_id", text),
                            ("canonical", text),
                        ]
                    )
                ),
            ),
            (
                "quotes",
                pa.list_(
                    pa.struct(
                        [
                            ("text", text),
                            ("start", number),
                            ("end", number),
                            ("kind", text),
                            ("field", text),
                            ("cue", text),
                            ("cue_start", number),
                            ("cue_end", number),
                            ("speaker", text),
                            ("speaker_start", number),
                            ("speaker_end", number),
                            ("speaker_mention", number),
                            ("speaker_entity_id", text),
                            ("speaker_role", text),
                        ]
                    )
                ),
            ),
            ("story_id", text),
            ("duplicate_of", text),
        ]
    )


def _story_parquet_schema():  # type: ignore[no-untyped-def]
    import pyarrow as pa

    strings = pa.list_(pa.string())
    return pa.schema(
        [
            ("id", pa.string()),
            ("title", pa.string()),
            ("articles", strings),
            ("outlets", strings),
            ("start", pa.string()),
            ("end", pa.string()),
            ("entities", strings),
            ("confidence", pa.float64()),
        ]
    )
