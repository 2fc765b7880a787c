"""The pipeline: read → clean (on an engine: a local process pool or Dask) → store, in
batches; then analyse → resolve → store the entities; then copies and stories."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import Literal

from parallax import __version__
from parallax.clean import clean_document
from parallax.clean.recurring import RecurrenceParams, furniture_of, sightings
from parallax.compare import Comparison, compare_story
from parallax.compare.chart import coverage_svg
from parallax.compare.render import (
    WEB_ARTICLE_HREF,
    WEB_CLAIMS,
    WEB_ENTITY_HREF,
    html_sections,
)
from parallax.engine import Engine, LocalEngine, default_workers
from parallax.errors import ParallaxError, UnreadableDocument
from parallax.ingest import DEFAULT_MAX_BYTES, read_paths
from parallax.model import (
    Article,
    ArticleAnalysis,
    IngestReport,
    RawDocument,
    ReadFailure,
    Story,
)
from parallax.nlp import DEFAULT_MODEL, analyze_articles, apply_resolution
from parallax.nlp.spacy_model import model_for, no_model_reason
from parallax.resolve import KnowledgeBase, load_knowledge_base, resolve_entities
from parallax.store import Store
from parallax.store.store import ENTITIES_VERSION
from parallax.stories import copies_among, signature
from parallax.stories.describe import describe_story, story_input
from parallax.stories.params import GroupingParams
from parallax.stories.stored import largest_story as largest_story  # re-exported
from parallax.stories.stored import merge_stories as merge_stories  # re-exported
from parallax.stories.stored import place_articles, stored_story
from parallax.stories.stored import split_story as split_story  # re-exported

ProgressCallback = Callable[[str], None]
# Raised whenever what ``compare`` finds or how its page looks changes: every stored
# comparison is then made again by the next ``refresh_comparisons`` or reading.
COMPARISON_FORMAT = 6
# The parts of a stored comparison (``stored_comparison_part``).
ComparisonPart = Literal["comparison", "documents", "page"]
AnalyzeProgress = Callable[[int, int], None]
BATCH_SIZE = 64
RECURRENCE = RecurrenceParams()
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
    # Articles too long to analyse whole, analysed up to the limits (AnalysisLimits).
    truncated: list[str] = field(default_factory=list)
    # Articles not analysed for want of a model for their language: {language: count}.
    no_model: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return len(self.failures)


@dataclass
class StoriesReport:
    """What one grouping run did; ``stories`` and ``copies`` count the whole store
    afterwards, so a re-run that finds nothing new reports the same figures."""

    grouped: int = 0
    new_stories: int = 0
    signed: int = 0  # copy signatures computed (each article's once, then stored)
    stories: int = 0
    copies: int = 0
    seconds: float = 0.0


def fingerprint(raw: RawDocument) -> str:
    """Identity of a document as read: re-reading the same input is recognised before cleaning."""
    parts = [raw.content, raw.url or "", raw.title or "", raw.outlet or "", raw.published or ""]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()


def clean_or_fail(
    raw: RawDocument, furniture: frozenset[str] = frozenset()
) -> Article | ReadFailure:
    """Clean one document; any failure becomes a ReadFailure so a batch never stops."""
    try:
        return clean_document(raw, furniture)
    except UnreadableDocument as exc:
        return ReadFailure(raw.source, str(exc))
    except Exception as exc:  # one odd document must not end a run of thousands
        return ReadFailure(raw.source, f"cleaning failed ({type(exc).__name__}: {exc})")


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    documents: Iterable[RawDocument | ReadFailure] = (),
    workers: int | None = None,
    engine: Engine | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: ProgressCallback | None = None,
    on_failure: Callable[[ReadFailure], None] | None = None,
    recurrence: RecurrenceParams | None = None,
) -> IngestReport:
    """Read, clean and store every document under ``paths``, then ``documents`` given in
    memory; returns what happened.

    Documents already stored (same fingerprint) are skipped before cleaning, so
    re-running a folder costs little and adds nothing. Each batch is written in
    one transaction: a run killed midway leaves whole articles only, and the
    next run completes it. Documents are read here and cleaned by ``engine``
    (default: a local pool of ``workers`` processes, stopped at the end); this
    process alone writes to the store. Paragraphs that recur on pages published
    months apart (``recurrence``; the sightings are kept in the store) are page
    furniture, not body: a batch's articles holding one are cleaned again without it.
    """
    report = IngestReport()
    everything = chain(read_paths(paths, max_bytes), documents)
    with ExitStack() as stack:
        if engine is None:
            engine = stack.enter_context(LocalEngine(workers))
        for batch in _batches(everything, BATCH_SIZE):
            _ingest_batch(
                batch, store, engine, report, on_progress, on_failure, recurrence or RECURRENCE
            )
    return report


def _ingest_batch(
    batch: list[RawDocument | ReadFailure],
    store: Store,
    engine: Engine,
    report: IngestReport,
    on_progress: ProgressCallback | None,
    on_failure: Callable[[ReadFailure], None] | None,
    recurrence: RecurrenceParams,
) -> None:
    failures = [item for item in batch if isinstance(item, ReadFailure)]
    documents = [item for item in batch if isinstance(item, RawDocument)]
    prints = [fingerprint(document) for document in documents]
    known = store.known_fingerprints(prints)
    todo = [(fp, doc) for fp, doc in zip(prints, documents, strict=True) if fp not in known]
    report.duplicates += len(documents) - len(todo)
    cleaned = list(engine.map(clean_or_fail, [doc for _, doc in todo], chunksize=4))
    sightings = _without_furniture(cleaned, [doc for _, doc in todo], store, recurrence)
    articles: list[tuple[str, Article]] = []
    for (fp, _), result in zip(todo, cleaned, strict=True):
        if isinstance(result, ReadFailure):
            failures.append(result)
        else:
            articles.append((fp, result))
    added, duplicates = store.write_batch(articles, failures, sightings)
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


def _without_furniture(
    cleaned: list[Article | ReadFailure],
    documents: list[RawDocument],
    store: Store,
    recurrence: RecurrenceParams,
) -> dict[str, set[int]]:
    """Clean again, in place and in this process (they are few), the articles of
    ``cleaned`` whose body holds their site's page furniture (known from the store's
    sightings and the batch's own); returns the sightings that changed."""
    seen = sightings((r for r in cleaned if isinstance(r, Article)), recurrence)
    stored = store.paragraph_sightings(seen)
    merged = {key: stored.get(key, set()) | periods for key, periods in seen.items()}
    for i, result in enumerate(cleaned):
        if isinstance(result, Article) and (furniture := furniture_of(result, merged, recurrence)):
            cleaned[i] = clean_or_fail(documents[i], furniture)
    return {key: periods for key, periods in merged.items() if periods != stored.get(key)}


def analyze(
    store: Store,
    *,
    model: str = DEFAULT_MODEL,
    n_process: int | None = 1,
    batch_size: int = 32,
    kb_paths: Sequence[str | Path] = (),
    on_progress: AnalyzeProgress | None = None,
    engine: Engine | None = None,
) -> AnalyzeReport:
    """Analyse the stored articles ``model`` has not analysed yet, then resolve the entities
    of every stored analysis across articles.

    Each batch of analyses is written in one transaction. Resolution always runs over
    the whole store (a new article can merge two spellings seen before) and is
    deterministic, so a re-run with nothing new leaves the same entities and ids.
    ``on_progress(done, total)`` follows the articles analysed. Without an ``engine`` this
    process analyses, or with ``n_process`` > 1 a local pool of that many processes
    (stopped at the end, and ending with this process however it ends; None: as many as
    ``analysis_processes`` finds worth it); on an engine its workers analyse ``batch_size``
    articles per task, each worker loading the model once.
    """
    started = time.monotonic()
    kb = load_knowledge_base(kb_paths)  # first: a bad --kb file fails before minutes of parsing
    report = AnalyzeReport()
    todo = _analysis_todo(store, model, report)
    total = sum(map(len, todo.values()))
    n_process = analysis_processes(n_process, total)
    with ExitStack() as stack:
        if engine is None and n_process > 1:
            # Not spaCy's own n_process: its forked children outlive a killed parent and
            # hold the store open, and only parse, leaving the rest of the analysis and
            # the shipping of parsed documents to this process (docs/benchmarks.md).
            engine = stack.enter_context(LocalEngine(n_process))
        for package, ids in todo.items():
            _analyze_with(store, ids, package, kb, batch_size, engine, report, total, on_progress)

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


# Fewer articles than this are analysed in one process when the caller leaves the number
# of processes to Parallax: each pool worker imports Parallax and loads the model first
# (about 3 s), which a second core does not win back on a few dozen articles
# (benchmarks/analysis_speed.py, docs/benchmarks.md "Analysis speed").
POOL_MIN_ARTICLES = 40


def analysis_processes(requested: int | None, articles: int) -> int:
    """How many processes analyse ``articles``: ``requested`` when given, else one per
    core (at most 4) from ``POOL_MIN_ARTICLES`` articles on, one below."""
    if requested is not None:
        return requested
    return default_workers() if articles >= POOL_MIN_ARTICLES else 1


def _analysis_todo(store: Store, model: str, report: AnalyzeReport) -> dict[str, list[str]]:
    """The articles to analyse, by the model package their language needs (``model`` for
    English); an article whose language has no installed model is marked as such
    (once), and an earlier analysis of it, made as if it were English, is dropped."""
    todo: dict[str, list[str]] = {}
    unmodelled: list[ArticleAnalysis] = []
    model_of: dict[str | None, str | None] = {}  # whether a model is installed, asked once
    for article_id, language, done in store.analysis_targets():
        if language not in model_of:
            model_of[language] = model_for(language, model)
        wanted = model_of[language]
        if wanted is None:
            key = language or "unknown"
            report.no_model[key] = report.no_model.get(key, 0) + 1
            if done != "":
                unmodelled.append(
                    ArticleAnalysis(article_id, not_analysed=no_model_reason(language))
                )
        elif done == wanted:
            report.skipped += 1
        else:
            todo.setdefault(wanted, []).append(article_id)
    store.write_analyses(unmodelled)
    return todo


def _analyze_with(
    store: Store,
    ids: list[str],
    package: str,
    knowledge: KnowledgeBase,
    batch_size: int,
    engine: Engine | None,
    report: AnalyzeReport,
    total: int,
    on_progress: AnalyzeProgress | None,
) -> None:
    """Analyse the articles ``ids`` with the model ``package`` and store the analyses;
    ``total``: the articles of the whole run, for ``on_progress``."""
    articles = (article for article_id in ids if (article := store.article(article_id)))
    results: Iterator[ArticleAnalysis | AnalysisFailure]
    if engine is None:
        results = chain.from_iterable(
            _analyze_or_fail(chunk, knowledge, package, batch_size, 1)
            for chunk in _batches(articles, ANALYZE_CHUNK)
        )
    else:
        parse = partial(
            _analyze_on_worker, knowledge=knowledge, model=package, batch_size=batch_size
        )
        results = chain.from_iterable(engine.map(parse, _batches(articles, batch_size)))
    for batch in _batches(results, batch_size):
        analyses = [item for item in batch if isinstance(item, ArticleAnalysis)]
        store.write_analyses(analyses)
        report.analysed += len(analyses)
        report.truncated += [item.article_id for item in analyses if item.truncated]
        report.failures += [item for item in batch if isinstance(item, AnalysisFailure)]
        if on_progress:
            on_progress(report.analysed + report.failed, total)


def _analyze_or_fail(
    articles: list[Article],
    knowledge: KnowledgeBase,
    model: str,
    batch_size: int,
    n_process: int,
) -> Iterator[ArticleAnalysis | AnalysisFailure]:
    """Analyses of ``articles`` in order; an article the analysis fails on becomes an
    AnalysisFailure and the rest go on, as one odd document must not end a long run."""
    remaining = articles
    while remaining:
        done = 0
        try:
            for analysis in analyze_articles(
                remaining,
                knowledge=knowledge,
                model=model,
                batch_size=batch_size,
                n_process=n_process,
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
                    yield from analyze_articles([article], knowledge=knowledge, model=model)
                except Exception as exc:
                    reason = f"analysis failed ({type(exc).__name__}: {exc})"
                    yield AnalysisFailure(article.id, article.source, reason)
            remaining = remaining[done + batch_size :]


def _analyze_on_worker(
    articles: list[Article], knowledge: KnowledgeBase, model: str, batch_size: int
) -> list[ArticleAnalysis | AnalysisFailure]:
    """``_analyze_or_fail`` as one engine task, whose result travels back whole (the
    knowledge base, 170 KB pickled, travels with each task)."""
    return list(_analyze_or_fail(articles, knowledge, model, batch_size, n_process=1))


def _batches(items: Iterator, size: int) -> Iterator[list]:  # type: ignore[type-arg]
    while True:
        batch = list(islice(items, size))
        if not batch:
            return
        yield batch


def group_stories(
    store: Store, *, threshold: float | None = None, params: GroupingParams | None = None
) -> StoriesReport:
    """Find the copies among all stored articles and place the articles without a story
    into stories; then describe every story again and store it all in one transaction.

    Stored assignments are not re-decided: they are replayed into the grouper (earliest
    first) to rebuild its state, and only new articles are placed, a copy always into its
    original's story. The exception is an article placed before it was analysed: once
    its analysis is there it is placed again, unless a user pinned it. With nothing new
    a re-run writes the same stories and ids. Copy signatures are computed once per
    article and stored. ``params`` are grouping's parameters (the tuned defaults unless
    given); ``threshold`` overrides theirs.
    """
    started = time.monotonic()
    params = params or GroupingParams()
    if threshold is not None:
        params = replace(params, threshold=threshold)
    order = store.article_order()
    articles = {article.id: article for article in store.articles()}
    analyses = {analysis.article_id: analysis for analysis in store.analyses()}
    signatures = store.signatures()
    fresh = {a: signature(articles[a].text) for a in order if a not in signatures}
    store.write_signatures(fresh)
    copies = copies_among(order, signatures | fresh, params.copies)
    stored = {
        a: link.story_id
        for a, link in store.story_links().items()
        if link.story_id and (link.pinned or link.analysed or a not in analyses)
    }
    placement = place_articles(
        order,
        stored,
        copies,
        lambda a: story_input(articles[a], analyses.get(a), params.lead_chars),
        params,
    )
    members: dict[str, list[Article]] = {}
    for article_id in order:
        members.setdefault(placement.story_of[article_id], []).append(articles[article_id])
    stories = [
        describe_story(sid, found, analyses, params.describe) for sid, found in members.items()
    ]
    store.write_stories(stories, copies=copies, analysed=analyses.keys())
    report = StoriesReport(
        grouped=placement.grouped,
        new_stories=placement.new_stories,
        signed=len(fresh),
        stories=len(stories),
        copies=len(copies),
    )
    report.seconds = time.monotonic() - started
    return report


def comparison_state(story: Story, stamps: Mapping[str, str], entities_version: str | None) -> str:
    """A digest of what a story's comparison is computed from: the story as described,
    which model analysed each of its articles and when (``Store.analysis_stamps``), and
    the version of the entities the analyses resolve to; and this Parallax's version and
    ``COMPARISON_FORMAT``, so that another comparison or page is made after an upgrade.
    The articles themselves never change: an article's id is the hash of its text."""
    parts = [
        f"{__version__}/{COMPARISON_FORMAT}",
        repr(story),
        entities_version or "",
        *(stamps.get(a, "") for a in story.articles),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def refresh_comparisons(store: Store, on_progress: Callable[[int, int], None] | None = None) -> int:
    """Compute and store the comparison of every story whose articles, analyses or
    entities changed since its comparison was stored (a story's page then reads it as
    stored); returns how many were computed. ``on_progress(done, total)`` follows them."""
    kept = store.comparison_states()
    stamps = store.analysis_stamps()
    version = store.fact(ENTITIES_VERSION)
    stale = [
        (story, state)
        for story in store.stories()
        if kept.get(story.id) != (state := comparison_state(story, stamps, version))
    ]
    failed: list[str] = []
    for done, (story, state) in enumerate(stale, 1):
        try:
            _store_comparison(store, story, state)
        except Exception as error:  # one story's fault must not cost the others theirs
            failed.append(f"{story.id} ({type(error).__name__}: {error})")
        if on_progress is not None:
            on_progress(done, len(stale))
    if failed:
        raise ParallaxError(
            f"the comparison of {len(failed)} of {len(stale)} stories failed, the others are "
            f"stored: {'; '.join(failed[:3])}: please report it"
        )
    return len(stale)


def stored_comparison_part(store: Store, story: Story | str, part: ComparisonPart) -> str:
    """One part of a stored story's comparison (``story``: the story, or its id or a
    unique prefix): ``comparison`` (the ``compare --json`` object as JSON), ``documents``
    (the JSON of the texts it points into) or ``page`` (the body of its web page,
    ``compare.render.html_sections``); as stored when the story and its analyses are as
    they were then, else computed now and stored."""
    if isinstance(story, str):
        story = stored_story(store, story)
    state = _state_now(store, story)
    kept = store.comparison(story.id, part)
    if kept is not None and kept[0] == state:
        return kept[1]
    return _store_comparison(store, story, state)[part]


def stored_comparison_bytes(store: Store, story: Story, part: ComparisonPart) -> bytes:
    """``stored_comparison_part`` as UTF-8 bytes, read as stored without decoding."""
    state = _state_now(store, story)
    kept = store.comparison_bytes(story.id, part)
    if kept is not None and kept[0] == state:
        return kept[1]
    return _store_comparison(store, story, state)[part].encode()


def stored_comparison(store: Store, story_id: str) -> Comparison:
    """``compare``, read as stored when it is up to date (``stored_comparison_part``)."""
    story = stored_story(store, story_id)
    return Comparison.from_json(
        stored_comparison_part(store, story, "comparison"),
        stored_comparison_part(store, story, "documents"),
    )


def _state_now(store: Store, story: Story) -> str:
    """``comparison_state`` of a stored story as the store holds it now."""
    return comparison_state(
        story, store.analysis_stamps(story.articles), store.fact(ENTITIES_VERSION)
    )


def _store_comparison(store: Store, story: Story, state: str) -> dict[ComparisonPart, str]:
    found = compare(store, story.id)
    figure = coverage_svg(found.articles, found.outlets, article_href=WEB_ARTICLE_HREF)
    parts: dict[ComparisonPart, str] = {
        "comparison": found.to_json(),
        "documents": json.dumps(found.documents, ensure_ascii=False),
        "page": html_sections(
            found,
            article_href=WEB_ARTICLE_HREF,
            entity_href=WEB_ENTITY_HREF,
            figure=figure,
            claims=WEB_CLAIMS,
        ),
    }
    store.write_comparison(story.id, state, **parts)
    return parts


def compare(store: Store, story_id: str) -> Comparison:
    """The comparison of a stored story (id or unique prefix), carrying the texts its
    sources point into for the renderers that quote them."""
    return compare_articles(store, stored_story(store, story_id))


def compare_articles(store: Store, story: Story) -> Comparison:
    """The comparison of ``story``'s stored articles, whether or not the story is stored
    (a benchmark compares a day's articles as one)."""
    articles = [a for a in map(store.article, story.articles) if a is not None]
    analyses = {a.id: analysis for a in articles if (analysis := store.analysis(a.id))}
    entity_ids = {m.entity_id for an in analyses.values() for m in an.mentions if m.entity_id}
    entity_ids |= {
        q.speaker_entity_id for an in analyses.values() for q in an.quotes if q.speaker_entity_id
    }
    return compare_story(story, articles, analyses, store.entities(ids=entity_ids))
