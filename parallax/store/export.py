"""Write stored articles as JSON Lines, CSV or Parquet: the export contract (docs/schema.md)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from parallax.errors import ParallaxError
from parallax.model import Article

FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet")


def export_articles(articles: Iterable[Article], fmt: str, out: str | Path | None = None) -> int:
    """Write every article as one record; returns how many were written.

    Without ``out`` JSON Lines and CSV go to standard output; Parquet needs a file.
    """
    if fmt not in FORMATS:
        raise ParallaxError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    records = (article.to_dict() for article in articles)
    if fmt == "parquet":
        if out is None:
            raise ParallaxError("Parquet is binary: give a file with --out")
        return _write_parquet(records, Path(out))
    handle = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout  # noqa: SIM115
    try:
        return _write_jsonl(records, handle) if fmt == "jsonl" else _write_csv(records, handle)
    finally:
        if out:
            handle.close()


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


def _write_parquet(records: Iterable[dict], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(records)
    table = (
        pa.Table.from_pylist(rows, schema=_parquet_schema())
        if rows
        else _parquet_schema().empty_table()
    )
    pq.write_table(table, path)
    return len(rows)


def _parquet_schema():  # type: ignore[no-untyped-def]
    import pyarrow as pa

    strings = pa.list_(pa.string())
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
        ]
    )
