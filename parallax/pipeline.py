"""The pipeline: read → clean → store, in batches, over a local process pool;
then analyse → resolve → store the entities."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from parallax.clean import clean_document
from parallax.errors import ParallaxError, UnreadableDocument
from parallax.ingest import DEFAULT_MAX_BYTES, read_paths
from parallax.model import Article, ArticleAnalysis, IngestReport, RawDocument, ReadFailure
from parallax.nlp import DEFAULT_MODEL, MODELS, analyze_articles, apply_resolution
from parallax.resolve import load_knowledge_base, resolve_entities
from parallax.store import Store

ProgressCallback = Callable[[str], None]
AnalyzeProgress = Callable[[int, int], None]
BATCH_SIZE = 64
# Articles handed to the parser per call: spaCy starts its worker processes once per call.
ANALYZE_CHUNK = 1024


@dataclass(frozen=True)
class AnalysisFailure:
    """An article the language analysis failed on; the next run tries it again."""

    article_id: str
    source: str
    reason: str


@dataclass
class AnalyzeReport:
    """What one analysis run did; ``entities``, ``mentions`` and ``quotes`` count the whole
    store afterwards, so a re-run that finds nothing new reports the same figures."""

    analysed: int = 0
    skipped: int = 0
    entities: int = 0
    mentions: int = 0
    quotes: int = 0
    seconds: float = 0.0
    failures: list[AnalysisFailure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)


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


def analyze(
    store: Store,
    *,
    model: str = DEFAULT_MODEL,
    n_process: int = 1,
    batch_size: int = 32,
    kb_paths: Sequence[str | Path] = (),
    on_progress: AnalyzeProgress | None = None,
) -> AnalyzeReport:
    """Analyse the stored articles ``model`` has not analysed yet, then resolve the entities
    of every stored analysis across articles.

    Each batch of analyses is written in one transaction. Resolution always runs over
    the whole store (a new article can merge two spellings seen before) and is
    deterministic, so a re-run with nothing new leaves the same entities and ids.
    ``on_progress(done, total)`` follows the articles analysed.
    """
    started = time.monotonic()
    kb = load_knowledge_base(kb_paths)  # first: a bad --kb file fails before minutes of parsing
    todo = store.unanalysed(MODELS.get(model, model))
    report = AnalyzeReport(skipped=store.count() - len(todo))
    for chunk in _batches(iter(todo), ANALYZE_CHUNK):
        articles = [article for article_id in chunk if (article := store.article(article_id))]
        results = _analyze_or_fail(articles, model, batch_size, n_process)
        for batch in _batches(results, batch_size):
            analyses = [item for item in batch if isinstance(item, ArticleAnalysis)]
            store.write_analyses(analyses)
            report.analysed += len(analyses)
            report.failures += [item for item in batch if isinstance(item, AnalysisFailure)]
            if on_progress:
                on_progress(report.analysed + report.failed, len(todo))

    analyses = store.analyses()
    resolution = resolve_entities(analyses, store.outlets(), kb)
    store.replace_entities(
        resolution.entities, [apply_resolution(analysis, resolution) for analysis in analyses]
    )
    counts = store.counts()
    report.entities, report.mentions, report.quotes = (
        counts["entities"],
        counts["mentions"],
        counts["quotes"],
    )
    report.seconds = time.monotonic() - started
    return report


def _analyze_or_fail(
    articles: list[Article], model: str, batch_size: int, n_process: int
) -> Iterator[ArticleAnalysis | AnalysisFailure]:
    """Analyses of ``articles`` in order; an article the analysis fails on becomes an
    AnalysisFailure and the rest go on, as one odd document must not end a long run."""
    remaining = articles
    while remaining:
        done = 0
        try:
            for analysis in analyze_articles(
                remaining, model=model, batch_size=batch_size, n_process=n_process
            ):
                done += 1
                yield analysis
            return
        except ParallaxError:
            raise  # the model is missing: nothing else can succeed either
        except Exception:
            # The parser's batch failed as a whole: retry its articles one by one.
            for article in remaining[done : done + batch_size]:
                try:
                    yield from analyze_articles([article], model=model)
                except Exception as exc:
                    reason = f"analysis failed ({type(exc).__name__}: {exc})"
                    yield AnalysisFailure(article.id, article.source, reason)
            remaining = remaining[done + batch_size :]


def _batches(items: Iterator, size: int) -> Iterator[list]:  # type: ignore[type-arg]
    while True:
        batch = list(islice(items, size))
        if not batch:
            return
        yield batch
