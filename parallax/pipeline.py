"""The pipeline: read → clean → store, in batches, over a local process pool."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from parallax.clean import clean_document
from parallax.errors import UnreadableDocument
from parallax.ingest import DEFAULT_MAX_BYTES, read_paths
from parallax.model import Article, IngestReport, RawDocument, ReadFailure
from parallax.store import Store

ProgressCallback = Callable[[str], None]
BATCH_SIZE = 64


def fingerprint(raw: RawDocument) -> str:
    """Identity of a document as read: re-reading the same input is recognised before cleaning."""
    parts = [raw.content, raw.url or "", raw.title or "", raw.outlet or "", raw.published or ""]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()


def clean_or_fail(raw: RawDocument) -> Article | ReadFailure:
    """Clean one document; any failure becomes a ReadFailure so a batch never stops."""
    try:
        return clean_document(raw)
    except UnreadableDocument as exc:
        return ReadFailure(raw.source, str(exc))
    except Exception as exc:  # one odd document must not end a run of thousands
        return ReadFailure(raw.source, f"cleaning failed ({type(exc).__name__}: {exc})")


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    workers: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: ProgressCallback | None = None,
    on_failure: Callable[[ReadFailure], None] | None = None,
) -> IngestReport:
    """Read, clean and store every document under ``paths``; returns what happened.

    Documents already stored (same fingerprint) are skipped before cleaning, so
    re-running a folder costs little and adds nothing. Each batch is written in
    one transaction: a run killed midway leaves whole articles only, and the
    next run completes it.
    """
    report = IngestReport()
    workers = workers if workers is not None else default_workers()
    documents = read_paths(paths, max_bytes)
    pool = multiprocessing.get_context("spawn").Pool(workers) if workers > 1 else None
    try:
        for batch in _batches(documents, BATCH_SIZE):
            _ingest_batch(batch, store, pool, report, on_progress, on_failure)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return report


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _ingest_batch(
    batch: list[RawDocument | ReadFailure],
    store: Store,
    pool: multiprocessing.pool.Pool | None,
    report: IngestReport,
    on_progress: ProgressCallback | None,
    on_failure: Callable[[ReadFailure], None] | None,
) -> None:
    failures = [item for item in batch if isinstance(item, ReadFailure)]
    documents = [item for item in batch if isinstance(item, RawDocument)]
    prints = [fingerprint(document) for document in documents]
    known = store.known_fingerprints(prints)
    todo = [(fp, doc) for fp, doc in zip(prints, documents, strict=True) if fp not in known]
    report.duplicates += len(documents) - len(todo)
    cleaned = (
        pool.map(clean_or_fail, [doc for _, doc in todo], chunksize=4)
        if pool is not None
        else [clean_or_fail(doc) for _, doc in todo]
    )
    articles: list[tuple[str, Article]] = []
    for (fp, _), result in zip(todo, cleaned, strict=True):
        if isinstance(result, ReadFailure):
            failures.append(result)
        else:
            articles.append((fp, result))
    added, duplicates = store.write_batch(articles, failures)
    report.ingested += len(added)
    report.duplicates += len(duplicates)
    report.article_ids.extend(added)
    report.failures.extend(failures)
    for failure in failures:
        if on_failure:
            on_failure(failure)
    if on_progress:
        for document in documents:
            on_progress(document.source)


def _batches(items: Iterator, size: int) -> Iterator[list]:  # type: ignore[type-arg]
    while True:
        batch = list(islice(items, size))
        if not batch:
            return
        yield batch
