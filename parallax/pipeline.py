"""The pipeline: read → clean (on an engine: a local process pool or Dask) → store, in
batches; then analyse → resolve → store the entities; then copies and stories."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, combinations, islice
from pathlib import Path

from parallax.clean import clean_document
from parallax.compare import Comparison, compare_story
from parallax.engine import Engine, LocalEngine
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
from parallax.nlp import DEFAULT_MODEL, MODELS, analyze_articles, apply_resolution
from parallax.resolve import load_knowledge_base, resolve_entities
from parallax.store import Store
from parallax.stories import StoryGrouper, StoryInput, copies_among, lead_years, signature

ProgressCallback = Callable[[str], None]
AnalyzeProgress = Callable[[int, int], None]
BATCH_SIZE = 64
# Articles handed to the parser per call: spaCy starts its worker processes once per call.
ANALYZE_CHUNK = 1024
STORY_ENTITIES = 5
# Two reports of one event name the same few actors; one shared name (a country, a
# capital) is common between unrelated reports too.
SHARED_ENTITIES = 2


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
    documents: Iterable[RawDocument | ReadFailure] = (),
    workers: int | None = None,
    engine: Engine | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: ProgressCallback | None = None,
    on_failure: Callable[[ReadFailure], None] | None = None,
) -> IngestReport:
    """Read, clean and store every document under ``paths``, then ``documents`` given in
    memory; returns what happened.

    Documents already stored (same fingerprint) are skipped before cleaning, so
    re-running a folder costs little and adds nothing. Each batch is written in
    one transaction: a run killed midway leaves whole articles only, and the
    next run completes it. Documents are read here and cleaned by ``engine``
    (default: a local pool of ``workers`` processes, stopped at the end); this
    process alone writes to the store.
    """
    report = IngestReport()
    everything = chain(read_paths(paths, max_bytes), documents)
    with ExitStack() as stack:
        if engine is None:
            engine = stack.enter_context(LocalEngine(workers))
        for batch in _batches(everything, BATCH_SIZE):
            _ingest_batch(batch, store, engine, report, on_progress, on_failure)
    return report


def _ingest_batch(
    batch: list[RawDocument | ReadFailure],
    store: Store,
    engine: Engine,
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
    cleaned = engine.map(clean_or_fail, [doc for _, doc in todo], chunksize=4)
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
    engine: Engine | None = None,
) -> AnalyzeReport:
    """Analyse the stored articles ``model`` has not analysed yet, then resolve the entities
    of every stored analysis across articles.

    Each batch of analyses is written in one transaction. Resolution always runs over
    the whole store (a new article can merge two spellings seen before) and is
    deterministic, so a re-run with nothing new leaves the same entities and ids.
    ``on_progress(done, total)`` follows the articles analysed. Without an ``engine`` this
    process analyses, or with ``n_process`` > 1 a local pool of that many processes
    (stopped at the end, and ending with this process however it ends); on an engine its
    workers analyse ``batch_size`` articles per task, each worker loading the model once.
    """
    started = time.monotonic()
    kb = load_knowledge_base(kb_paths)  # first: a bad --kb file fails before minutes of parsing
    todo = store.unanalysed(MODELS.get(model, model))
    report = AnalyzeReport(skipped=store.count() - len(todo))
    articles = (article for article_id in todo if (article := store.article(article_id)))
    results: Iterator[ArticleAnalysis | AnalysisFailure]
    with ExitStack() as stack:
        if engine is None and n_process > 1:
            # Not spaCy's own n_process: its forked children outlive a killed parent and
            # hold the store open, and only parse, leaving the rest of the analysis and
            # the shipping of parsed documents to this process (docs/benchmarks.md).
            engine = stack.enter_context(LocalEngine(n_process))
        if engine is None:
            results = chain.from_iterable(
                _analyze_or_fail(chunk, model, batch_size, 1)
                for chunk in _batches(articles, ANALYZE_CHUNK)
            )
        else:
            parse = partial(_analyze_on_worker, model=model, batch_size=batch_size)
            results = chain.from_iterable(engine.map(parse, _batches(articles, batch_size)))
        for batch in _batches(results, batch_size):
            analyses = [item for item in batch if isinstance(item, ArticleAnalysis)]
            store.write_analyses(analyses)
            report.analysed += len(analyses)
            report.truncated += [item.article_id for item in analyses if item.truncated]
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


def _analyze_on_worker(
    articles: list[Article], model: str, batch_size: int
) -> list[ArticleAnalysis | AnalysisFailure]:
    """``_analyze_or_fail`` as one engine task, whose result travels back whole."""
    return list(_analyze_or_fail(articles, model, batch_size, n_process=1))


def _batches(items: Iterator, size: int) -> Iterator[list]:  # type: ignore[type-arg]
    while True:
        batch = list(islice(items, size))
        if not batch:
            return
        yield batch


def group_stories(store: Store, *, threshold: float | None = None) -> StoriesReport:
    """Find the copies among all stored articles and place the articles without a story
    into stories; then describe every story again and store it all in one transaction.

    Stored assignments are not re-decided: they are replayed into the grouper (earliest
    first) to rebuild its state, and only new articles are placed, a copy always into its
    original's story. The exception is an article placed before it was analysed: once
    its analysis is there it is placed again, unless a user pinned it. With nothing new
    a re-run writes the same stories and ids. Copy signatures are computed once per
    article and stored. ``threshold`` overrides the grouper's tuned threshold.
    """
    started = time.monotonic()
    order = store.article_order()
    articles = {article.id: article for article in store.articles()}
    analyses = {analysis.article_id: analysis for analysis in store.analyses()}
    signatures = store.signatures()
    fresh = {a: signature(articles[a].text) for a in order if a not in signatures}
    store.write_signatures(fresh)
    copies = copies_among(order, signatures | fresh)
    stored = {
        a: link.story_id
        for a, link in store.story_links().items()
        if link.story_id and (link.pinned or link.analysed or a not in analyses)
    }
    grouper = StoryGrouper() if threshold is None else StoryGrouper(threshold=threshold)
    for article_id in order:
        if article_id in stored:
            grouper.add(
                story_input(articles[article_id], analyses.get(article_id)),
                story_id=stored[article_id],
            )
    # The grouper names the stories it starts by a counter ("s00042"); stored ids are
    # hashes of another length, so the two never collide.
    story_ids = {story_id: story_id for story_id in stored.values()}
    report = StoriesReport(signed=len(fresh))
    new = [article_id for article_id in order if article_id not in stored]
    for article_id in new:
        grouper.add(story_input(articles[article_id], analyses.get(article_id)))
    grouper.settle(copies)
    # Settling moves the batch's copies to their originals; one placed before its window
    # (the batch's latest SETTLE_WINDOW articles) is written there all the same.
    story_of = dict(grouper.story_of)
    for article_id in new:
        if article_id in copies:
            story_of[article_id] = story_of[copies[article_id]]
    for article_id in new:
        key = story_of[article_id]
        if key not in story_ids:
            # Named after its earliest article, so the id does not depend on the counter.
            story_ids[key] = _story_id(article_id)
            report.new_stories += 1
        report.grouped += 1
    members: dict[str, list[Article]] = {}
    for article_id in order:
        story_id = story_ids[story_of[article_id]]
        members.setdefault(story_id, []).append(articles[article_id])
    stories = [describe_story(sid, found, analyses) for sid, found in members.items()]
    store.write_stories(stories, copies=copies, analysed=analyses.keys())
    report.stories, report.copies = len(stories), len(copies)
    report.seconds = time.monotonic() - started
    return report


def merge_stories(store: Store, into: str, other: str) -> Story:
    """Move every article of story ``other`` into story ``into``, as a user's decision that
    later ``group_stories`` runs keep; returns the merged story."""
    first, second = _stored_story(store, into), _stored_story(store, other)
    if first.id == second.id:
        raise ParallaxError(f"{into!r} and {other!r} are the same story {first.id}")
    merged = _describe_stored(store, first.id, {*first.articles, *second.articles})
    store.write_stories([merged], pinned=second.articles)
    return merged


def split_story(store: Store, story_id: str, article_ids: Sequence[str]) -> tuple[Story, Story]:
    """Move ``article_ids`` (ids or unique prefixes) out of a story into a new one, as a
    user's decision that later ``group_stories`` runs keep; returns (rest, new story)."""
    story = _stored_story(store, story_id)
    moved: set[str] = set()
    for wanted in article_ids:
        article = store.article(wanted)
        if article is None or article.id not in story.articles:
            raise ParallaxError(
                f"no article {wanted!r} in story {story.id}: 'parallax story {story.id}' "
                "lists its articles"
            )
        moved.add(article.id)
    if not moved or moved == set(story.articles):
        raise ParallaxError(
            f"a split must leave at least one article in story {story.id}: name some, not all"
        )
    new_id = _story_id(*sorted(moved), salt="split")
    while store.story(new_id) is not None:  # the same articles split off before, then merged
        new_id = _story_id(new_id, salt="split")
    rest = _describe_stored(store, story.id, set(story.articles) - moved)
    new = _describe_stored(store, new_id, moved)
    store.write_stories([rest, new], pinned=moved)
    return rest, new


def story_input(article: Article, analysis: ArticleAnalysis | None) -> StoryInput:
    """What grouping reads about an article: its text, title, canonical entity ids (none
    before analysis), its publication year and the years its headline and lead state, and
    its language."""
    names = {m.entity_id for m in analysis.mentions if m.entity_id} if analysis else set()
    years = set(lead_years(article.text, article.title))
    if article.published:
        years.add(int(article.published[:4]))
    return StoryInput(
        id=article.id,
        text=article.text,
        title=article.title,
        names=tuple(sorted(names)),
        years=tuple(sorted(years)),
        published=article.published,
        language=article.language,
    )


def describe_story(
    story_id: str, members: Sequence[Article], analyses: Mapping[str, ArticleAnalysis]
) -> Story:
    """A story of ``members`` (earliest first).

    Its title is the earliest article's that has one (the first report names the event
    before follow-ups narrow it); ``start``/``end`` span every publication and event date;
    ``entities`` are the canonical names in the most member articles (at most five);
    ``confidence`` is the share of member pairs naming at least two entities in common
    (1.0 for a single article), a check a reader can redo from the export.
    """
    names = [
        {m.entity_id: m.canonical for m in analyses[a.id].mentions if m.entity_id}
        if a.id in analyses
        else {}
        for a in members
    ]
    counts = Counter(name for found in names for name in set(found.values()) if name)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:STORY_ENTITIES]
    pairs = list(combinations([set(found) for found in names], 2))
    shared = sum(len(a & b) >= SHARED_ENTITIES for a, b in pairs)
    dates = sorted(date for article in members for date in _dates(article))
    return Story(
        id=story_id,
        title=next((a.title for a in members if a.title), ""),
        articles=tuple(a.id for a in members),
        outlets=tuple(sorted({a.outlet for a in members if a.outlet})),
        start=dates[0] if dates else None,
        end=dates[-1] if dates else None,
        entities=tuple(name for name, _ in top),
        confidence=shared / len(pairs) if pairs else 1.0,
    )


def _dates(article: Article) -> list[str]:
    return [date[:10] for date in (article.published, *article.event_dates) if date]


def _story_id(*parts: str, salt: str = "story") -> str:
    digest = hashlib.sha256("\x1f".join((salt, *parts)).encode("utf-8")).hexdigest()
    return "s" + digest[:11]


def compare(store: Store, story_id: str) -> Comparison:
    """The comparison of a stored story (id or unique prefix), carrying the texts its
    sources point into for the renderers that quote them."""
    story = _stored_story(store, story_id)
    articles = [a for a in map(store.article, story.articles) if a is not None]
    analyses = {a.id: analysis for a in articles if (analysis := store.analysis(a.id))}
    entity_ids = {m.entity_id for an in analyses.values() for m in an.mentions if m.entity_id}
    entity_ids |= {
        q.speaker_entity_id for an in analyses.values() for q in an.quotes if q.speaker_entity_id
    }
    return compare_story(story, articles, analyses, store.entities(ids=entity_ids))


def largest_story(store: Store) -> Story | None:
    """The story with the most articles (the most recent of equals); None without stories."""
    stories = store.stories()
    return max(stories, key=lambda s: len(s.articles)) if stories else None


def _stored_story(store: Store, story_id: str) -> Story:
    story = store.story(story_id)
    if story is None:
        raise ParallaxError(
            f"no story {story_id!r} in {store.name}: 'parallax stories' lists them "
            "(after 'parallax run' or 'parallax group')"
        )
    return story


def _describe_stored(store: Store, story_id: str, article_ids: set[str]) -> Story:
    members = [store.article(a) for a in store.article_order() if a in article_ids]
    found = [article for article in members if article is not None]
    analyses = {a.id: analysis for a in found if (analysis := store.analysis(a.id))}
    return describe_story(story_id, found, analyses)
