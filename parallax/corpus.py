"""The library API: a corpus of articles in one store, and everything done to it.

``parallax.open(db)`` gives a ``Corpus``; the CLI, the web server and a notebook all go
through it. Readers return plain dataclasses with the fields of the export contract
(docs/schema.md), in ``Records`` lists that turn into pandas DataFrames.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Generic, TypeVar

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TaskID,
    TextColumn,
)

from parallax import pipeline
from parallax.clean.recurring import RecurrenceParams
from parallax.compare import Comparison
from parallax.contract import record_dict
from parallax.engine import Engine, make_engine
from parallax.errors import ParallaxError, UnreadableDocument
from parallax.ingest import DEFAULT_MAX_BYTES, document_from_mapping, printable, sniff_format
from parallax.model import (
    Article,
    ArticleAnalysis,
    Entity,
    IngestReport,
    QuoteThresholds,
    RawDocument,
    ReadFailure,
    Story,
    entity_type,
)
from parallax.nlp import DEFAULT_MODEL, DEFAULT_QUOTE_THRESHOLDS
from parallax.records import ArticleRecord, QuoteRecord, SearchResult
from parallax.resolve import KnowledgeBase, normalise
from parallax.store import DEFAULT_DB, ArticleRow, SearchHit, Store
from parallax.store.connection import describe, is_postgres
from parallax.store.export import (
    entity_record,
    export_articles,
    export_stories,
    full_article,
    quote,
    story_record,
)
from parallax.stories.params import GroupingParams
from parallax.stories.stored import largest_story, merge_stories, split_story

T = TypeVar("T")


class Records(list[T], Generic[T]):
    """A list of records that also turns into dicts or a pandas DataFrame."""

    def to_dicts(self) -> list[dict[str, Any]]:
        """Each record as the JSON-ready object of the export contract."""
        return [record_dict(record) for record in self]

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``, one row per record and one column per field (lists and
        nested objects stay Python objects). Needs pandas: ``pip install
        'parallax-news[pandas]'``."""
        try:
            import pandas
        except ImportError as exc:
            raise ParallaxError(
                "to_pandas needs pandas: pip install 'parallax-news[pandas]'"
            ) from exc
        rows = self.to_dicts()
        columns = [f.name for f in fields(self[0])] if self else None  # type: ignore[arg-type]
        return pandas.DataFrame(rows, columns=columns)


@dataclass
class RunReport:
    """What ``Corpus.run`` did, stage by stage."""

    ingest: IngestReport
    analysis: pipeline.AnalyzeReport
    stories: pipeline.StoriesReport = field(default_factory=pipeline.StoriesReport)


Item = str | Path | dict[str, Any] | RawDocument | ReadFailure


class Corpus:
    """Articles from many outlets in one store (a SQLite file or a PostgreSQL database),
    with their analyses, entities, quotes and stories. Use as a context manager, or
    call ``close``."""

    def __init__(self, db: str | Path | None = None, *, create: bool = True) -> None:
        self.store = Store(db or DEFAULT_DB, create=create)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        """Where the store is, safe to print (a PostgreSQL URL without its password)."""
        return self.store.name

    def __repr__(self) -> str:
        return f"<Corpus {self.name}: {len(self)} articles>"

    def __len__(self) -> int:
        return self.store.count()

    # -- building ------------------------------------------------------------------------

    def ingest(
        self,
        paths_or_items: Item | Iterable[Item],
        *,
        progress: bool = False,
        workers: int | None = 1,
        max_bytes: int = DEFAULT_MAX_BYTES,
        on_failure: Callable[[ReadFailure], None] | None = None,
        engine: Engine | None = None,
        recurrence: RecurrenceParams | None = None,
    ) -> IngestReport:
        """Read, clean and store articles: files, folders and globs of any supported
        format, or items given in memory (a dict with ``text`` or ``html`` and optionally
        ``title``, ``url``, ``outlet``, ``published``, ``byline``). Returns what was
        ingested, what was already stored, and each failure with its reason. Cleaning
        runs on ``engine``, by default in this process; ``workers=N`` (or ``None``: one per
        core, up to 4) cleans in a pool of processes instead, which re-imports the calling
        script, so a script doing so needs an ``if __name__ == "__main__":`` guard.
        ``recurrence`` says when a paragraph recurring across pages is page furniture
        (``parallax.clean.recurring``)."""
        paths, documents = _split_items(paths_or_items)
        with _reading_progress(progress) as on_progress:
            return pipeline.ingest(
                paths,
                self.store,
                documents=documents,
                workers=workers,
                engine=engine,
                max_bytes=max_bytes,
                on_progress=on_progress,
                on_failure=on_failure,
                recurrence=recurrence,
            )

    def analyze(
        self,
        *,
        progress: bool = False,
        model: str = DEFAULT_MODEL,
        processes: int | None = 1,
        kb: Sequence[str | Path] = (),
        engine: Engine | None = None,
    ) -> pipeline.AnalyzeReport:
        """Find people, organisations, places and quotes in the articles not analysed yet,
        then resolve entities across every stored article (``kb``: extra knowledge-base
        files). The analysis runs in this process, or with ``processes`` > 1 in a pool of
        that many worker processes (which die with this one), or on ``engine``'s workers
        when one is given; ``processes=None`` takes one per core when there are enough
        articles to repay starting them (``pipeline.analysis_processes``, what the command
        line does). One process is the library's default: a pool of spawned processes
        imports the calling script again, which a script must be written for. The
        comparisons of the stories it changes are computed again."""
        report = self._analyze(progress, model, processes, kb, engine)
        self._refresh_comparisons(progress)
        return report

    def _analyze(
        self,
        progress: bool,
        model: str,
        processes: int | None,
        kb: Sequence[str | Path],
        engine: Engine | None,
    ) -> pipeline.AnalyzeReport:
        with _analysis_progress(progress) as on_progress:
            return pipeline.analyze(
                self.store,
                model=model,
                n_process=processes,
                kb_paths=kb,
                on_progress=on_progress,
                engine=engine,
            )

    def _refresh_comparisons(self, progress: bool) -> int:
        with _analysis_progress(progress, "comparing") as on_progress:
            return pipeline.refresh_comparisons(self.store, on_progress)

    def group(
        self,
        *,
        threshold: float | None = None,
        params: GroupingParams | None = None,
        progress: bool = False,
    ) -> pipeline.StoriesReport:
        """Find copies and place the articles without a story into stories; stored
        stories and a user's merges and splits are kept. ``params``: grouping's
        parameters (the tuned defaults unless given); ``threshold`` overrides theirs. The
        comparison of every story that changed is computed and stored."""
        report = pipeline.group_stories(self.store, threshold=threshold, params=params)
        self._refresh_comparisons(progress)
        return report

    def run(
        self,
        paths_or_items: Item | Iterable[Item],
        *,
        progress: bool = False,
        workers: int | None = 1,
        max_bytes: int = DEFAULT_MAX_BYTES,
        model: str = DEFAULT_MODEL,
        processes: int | None = 1,
        kb: Sequence[str | Path] = (),
        engine: str = "local",
        scheduler: str | None = None,
        on_failure: Callable[[ReadFailure], None] | None = None,
        grouping: GroupingParams | None = None,
    ) -> RunReport:
        """The whole pipeline: ingest, analyse and resolve, group into stories
        (``grouping``: its parameters, the tuned defaults unless given).

        ``engine="dask"`` runs cleaning and analysis on a Dask cluster (the one at
        ``scheduler``, or a local one of ``workers`` processes; docs/dask.md); this
        process reads the inputs and writes the store either way, and the results are
        the same."""
        with make_engine(engine, scheduler, workers) as runner:
            ingested = self.ingest(
                paths_or_items,
                progress=progress,
                workers=workers,
                max_bytes=max_bytes,
                on_failure=on_failure,
                engine=runner,
            )
            # Locally spaCy's own processes parse; on a cluster the workers do.
            analysis = self._analyze(
                progress, model, processes, kb, runner if engine == "dask" else None
            )
        return RunReport(ingested, analysis, self.group(params=grouping, progress=progress))

    def merge(self, into: str, other: str) -> Story:
        """Move every article of story ``other`` into story ``into`` (kept by later runs)."""
        merged = merge_stories(self.store, into, other)
        self._refresh_comparisons(False)
        return merged

    def split(self, story_id: str, article_ids: Sequence[str]) -> tuple[Story, Story]:
        """Move ``article_ids`` out of a story into a new one (kept by later runs)."""
        parts = split_story(self.store, story_id, article_ids)
        self._refresh_comparisons(False)
        return parts

    # -- reading -------------------------------------------------------------------------

    def articles(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        story: str | None = None,
        entity: str | None = None,
        language: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Records[ArticleRecord]:
        """Articles, earliest first; each filter narrows: outlet, publication dates
        (ISO, inclusive), story id, entity (id or any spelling of its name), language
        (ISO 639-1)."""
        filters = self._article_filters(outlet, since, until, story, entity, language)
        if filters is None:
            return Records()
        found = list(self.store.articles(**filters, limit=limit, offset=offset))
        return Records(self._records(found))

    def article_rows(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        story: str | None = None,
        entity: str | None = None,
        language: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[ArticleRow]:
        """What a list shows of the articles ``articles`` gives: no text, no analysis."""
        filters = self._article_filters(outlet, since, until, story, entity, language)
        if filters is None:
            return []
        return self.store.article_rows(**filters, limit=limit, offset=offset)

    def count_articles(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        story: str | None = None,
        entity: str | None = None,
        language: str | None = None,
    ) -> int:
        """How many articles ``articles`` gives with these filters and no limit."""
        filters = self._article_filters(outlet, since, until, story, entity, language)
        return 0 if filters is None else self.store.count_articles(**filters)

    def facets(self) -> dict[str, list[tuple[str, int]]]:
        """Each outlet and language with how many articles have it, the most first."""
        return self.store.facets()

    def article(self, article_id: str) -> ArticleRecord | None:
        """One article by id (a unique prefix is enough)."""
        found = self.store.article(article_id)
        return self._records([found])[0] if found else None

    def stories(self, *, limit: int | None = None, offset: int = 0) -> Records[Story]:
        """Stories, the most recent first."""
        return Records(self.store.stories(limit=limit, offset=offset))

    def story(self, story_id: str) -> Story | None:
        """One story by id (a unique prefix is enough)."""
        return self.store.story(story_id)

    def count_stories(self) -> int:
        """How many stories the store holds."""
        return self.store.counts()["stories"]

    def story_record(self, story_id: str) -> dict[str, Any]:
        """The ``parallax story ID --json`` object: the story, and each member's id, title,
        outlet, date, the article it copies and whether a user placed it (``pinned``)."""
        found = self._require_story(story_id)
        rows = {row.id: row for row in self.store.article_rows(story_id=found.id)}
        members = [rows[a] for a in found.articles if a in rows]
        return story_record(found, members=members, links=self.store.story_links(found.articles))

    def entities(
        self, *, type: str | None = None, limit: int | None = None, offset: int = 0
    ) -> Records[Entity]:
        """Entities (``type``: person, organisation, place, or the usual spellings of
        them: people, organization, location…), most widely named first."""
        wanted = _entity_type(type)
        return Records(self.store.entities(type=wanted, limit=limit, offset=offset))

    def count_entities(self, *, type: str | None = None) -> int:
        """How many entities ``entities`` gives with no limit."""
        return self.store.count_entities(type=_entity_type(type))

    def entity_stories(self, entity_id: str, *, limit: int | None = None) -> Records[Story]:
        """The stories of the articles naming an entity (its id), the most recent first."""
        return Records(self.store.entity_stories(entity_id, limit=limit))

    def count_entity_stories(self, entity_id: str) -> int:
        """How many stories ``entity_stories`` gives with no limit."""
        return self.store.count_entity_stories(entity_id)

    def entity(self, name_or_id: str) -> Entity | None:
        """One entity by id, by any spelling of its name, or by part of one ("Mirziyoyev"
        for Shavkat Mirziyoyev; accents and case ignored). ``AmbiguousEntity`` lists the
        candidates when a part names several."""
        found = self.store.entity(name_or_id)
        if found is not None:
            return found
        candidates = self.entity_candidates(name_or_id)
        if len(candidates) > 1:
            raise AmbiguousEntity(name_or_id, candidates)
        return candidates[0] if candidates else None

    def entity_candidates(self, name: str) -> Records[Entity]:
        """The entities one of whose names holds every word of ``name`` (accents and case
        ignored), most widely named first."""
        wanted = set(normalise(name).split())
        if not wanted:
            return Records()
        ids = {
            entity_id
            for entity_id, text in self.store.entity_names()
            if wanted <= set(normalise(text).split())
        }
        return Records(self.store.entities(ids=ids)) if ids else Records()

    def entity_record(self, name_or_id: str) -> dict[str, Any]:
        """The ``parallax entity NAME --json`` object: the entity with every spelling, the
        articles naming it and its quotes."""
        found = self.entity(name_or_id)
        if found is None:
            raise ParallaxError(
                f"no entity {name_or_id!r} in {self.store.name}: 'parallax entities' lists "
                "them (after 'parallax analyze')"
            )
        return entity_record(
            found,
            appears_in=self.store.article_rows(entity_id=found.id),
            quotes=self.store.quotes(speaker=found.id, min_confidence=DEFAULT_QUOTE_THRESHOLDS),
        )

    def quotes(
        self,
        *,
        speaker: str | None = None,
        story: str | None = None,
        outlet: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        min_confidence: float | QuoteThresholds | None = None,
    ) -> Records[QuoteRecord]:
        """Quotes in publication order; ``speaker`` is an entity id, any spelling of the
        speaker's name or part of one (then the quotes of every entity it names), or the
        speaker's own words; ``story`` a story id; ``outlet`` an outlet's name; only
        quotes whose confidence reaches ``min_confidence``: without one each kind's own
        threshold (``DEFAULT_QUOTE_THRESHOLDS``), else one for all (0 keeps all)."""
        filters = self._quote_filters(speaker, story, outlet, min_confidence)
        found = self.store.quotes(**filters, limit=limit, offset=offset)
        return Records(quote(stored) for stored in found)

    def count_quotes(
        self,
        *,
        speaker: str | None = None,
        story: str | None = None,
        outlet: str | None = None,
        min_confidence: float | QuoteThresholds | None = None,
    ) -> int:
        """How many quotes ``quotes`` gives with these filters and no limit."""
        return self.store.count_quotes(
            **self._quote_filters(speaker, story, outlet, min_confidence)
        )

    def _quote_filters(
        self,
        speaker: str | None,
        story: str | None,
        outlet: str | None,
        min_confidence: float | QuoteThresholds | None,
    ) -> dict[str, Any]:
        speaker_ids = None
        named = self.store.entity(speaker) if speaker else None
        if named is not None:  # an id or a spelling: that entity's quotes, by the index
            speaker, speaker_ids = None, [named.id]
        elif speaker:
            # Part of a name ("Sonmez") stands for every entity it names (Erkan Sonmez,
            # Orhan Sönmez); words that name none are matched against the speakers' own
            # words ("a union spokesperson").
            candidates = self.entity_candidates(speaker)
            if candidates:
                speaker, speaker_ids = None, [entity.id for entity in candidates]
        return {
            "speaker": speaker,
            "speaker_ids": speaker_ids,
            "story_id": self._story_id(story) if story else None,
            "outlet": outlet,
            "min_confidence": (
                DEFAULT_QUOTE_THRESHOLDS if min_confidence is None else min_confidence or None
            ),
        }

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> Records[SearchResult]:
        """Full-text search over titles and texts, best first; a query naming an entity
        also finds its other spellings (``search_hits``)."""
        return Records(
            SearchResult(
                hit.article.id,
                hit.article.title,
                hit.article.outlet,
                hit.article.published,
                hit.snippet,
                hit.score,
                [list(mark) for mark in hit.marks],
            )
            for hit in self.search_hits(query, limit=limit, offset=offset)
        )

    def search_hits(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        spellings: Sequence[str] | None = None,
    ) -> list[SearchHit]:
        """The articles ``search`` finds, whole, with their snippets. When the query is a
        name of an entity ("Zhuravskyi"), its other spellings of as many words or more
        ("Zhuravsky", "Oleh Zhuravskyi") are searched too: a shorter one ("Smith" for
        John Smith) would find other people. ``spellings``: those, when already known
        (``other_spellings``)."""
        if spellings is None:
            spellings = self.other_spellings(query)
        return self.store.search(query, limit, offset=offset, spellings=spellings)

    def count_matches(self, query: str, *, spellings: Sequence[str] | None = None) -> int:
        """How many articles ``search`` finds with no limit."""
        if spellings is None:
            spellings = self.other_spellings(query)
        return self.store.count_matches(query, spellings=spellings)

    def other_spellings(self, query: str) -> list[str]:
        """The other names of the entity ``query`` names (see ``search_hits``), or none."""
        entity = self.store.entity(query.strip()) if query.strip() else None
        if entity is None:
            return []
        words = len(query.split())
        asked = normalise(query)
        names = dict.fromkeys([entity.canonical, *(v.text for v in entity.variants)])
        return [name for name in names if len(name.split()) >= words and normalise(name) != asked]

    def compare(self, story_id: str) -> Comparison:
        """What each outlet reports about one story, side by side, and where they
        disagree (``.to_dict()``, ``.to_markdown()``, ``.to_html()``): as stored by the
        last ``run``, ``group``, ``merge`` or ``split``, computed now if the story or its
        analyses changed since."""
        return pipeline.stored_comparison(self.store, story_id)

    def comparison_json(self, story: Story | str) -> bytes:
        """``compare(story).to_json()`` as UTF-8, read as stored without building the
        objects or decoding it (``story``: a story, or its id or a unique prefix)."""
        return pipeline.stored_comparison_bytes(self.store, self._as_story(story), "comparison")

    def comparison_page(self, story: Story | str) -> bytes:
        """The body of a story's comparison page (``compare.render.html_sections``, linking
        to the web pages' addresses) as UTF-8, read as stored."""
        return pipeline.stored_comparison_bytes(self.store, self._as_story(story), "page")

    def _as_story(self, story: Story | str) -> Story:
        return story if isinstance(story, Story) else self._require_story(story)

    def largest_story(self) -> Story | None:
        """The story with the most articles; None before grouping."""
        return largest_story(self.store)

    def export(
        self,
        path: str | Path | None = None,
        *,
        format: str = "jsonl",
        stories: bool = False,
        min_confidence: float | QuoteThresholds = 0.0,
    ) -> int:
        """Write every article (or every story) in ``format`` (one of
        jsonl, csv, parquet) to ``path`` (standard output without one); returns how many.
        An article's quotes are those whose confidence reaches ``min_confidence``: by
        default all, each with its confidence, as the API's articles carry them."""
        if stories:
            return export_stories(self.store.stories(), format, path)
        return export_articles(
            self.store.articles(),
            format,
            path,
            analysis_of=lambda article_id: _with_quotes_from(
                self.store.analysis(article_id), min_confidence
            ),
            links=self.store.story_links(),
        )

    # -- helpers -------------------------------------------------------------------------

    def _records(self, articles: Sequence[Article]) -> list[ArticleRecord]:
        ids = [a.id for a in articles]
        links, analyses = self.store.story_links(ids), self.store.analyses_of(ids)
        return [
            full_article(article, analyses.get(article.id), links.get(article.id))
            for article in articles
        ]

    def _article_filters(
        self,
        outlet: str | None,
        since: str | None,
        until: str | None,
        story: str | None,
        entity: str | None,
        language: str | None,
    ) -> dict[str, str | None] | None:
        """The store's article filters for these, the story and entity found by prefix or
        name; None when the entity named is not in the store (no article names it)."""
        entity_id = self._entity_id(entity) if entity else None
        if entity and entity_id is None:
            return None
        return {
            "outlet": outlet,
            "since": since,
            "until": until,
            "story_id": self._story_id(story) if story else None,
            "entity_id": entity_id,
            "language": language,
        }

    def _entity_id(self, name_or_id: str) -> str | None:
        found = self.entity(name_or_id)
        return found.id if found else None

    def _require_story(self, story_id: str) -> Story:
        found = self.store.story(story_id)
        if found is None:
            raise ParallaxError(
                f"no story {story_id!r} in {self.store.name}: 'parallax stories' lists them"
            )
        return found

    def _story_id(self, story_id: str) -> str:
        found = self.store.story(story_id)
        return found.id if found else story_id


def open(db: str | Path | None = None, *, create: bool = True) -> Corpus:
    """The corpus in ``db``: a SQLite file (``parallax.db`` when not given; created when
    missing unless ``create=False``) or a ``postgresql://`` URL."""
    return Corpus(db, create=create)


class AmbiguousEntity(ParallaxError):
    """A name that could be one of several entities; ``candidates`` lists them."""

    def __init__(self, name: str, candidates: Sequence[Entity]) -> None:
        self.candidates = list(candidates)
        listed = "; ".join(f"{e.canonical} ({e.type}, {e.id})" for e in candidates[:10])
        more = f" and {len(candidates) - 10} more" if len(candidates) > 10 else ""
        super().__init__(
            f"{name!r} could be {len(candidates)} entities: {listed}{more}; "
            "give more of the name or an id"
        )


DEMO_MAKER = "parallax demo"


def _with_quotes_from(
    analysis: ArticleAnalysis | None, min_confidence: float | QuoteThresholds
) -> ArticleAnalysis | None:
    return analysis.with_quotes_from(min_confidence) if analysis else None


def make_way_for_demo(db: str) -> None:
    """Remove the store at ``db`` when the demo made it, so that the demo starts afresh;
    refuse (ParallaxError) when anything else is there: a user's store, another file, or
    a page beside it that the demo's comparison would overwrite."""
    if is_postgres(db):
        if Store.fact_of(db, "made_by") not in (None, DEMO_MAKER):
            raise ParallaxError(f"{describe(db)} holds a store the demo did not make: kept")
        return
    path, page = Path(db), demo_page(db)
    made_by = Store.fact_of(path, "made_by")
    if path.exists() and made_by != DEMO_MAKER:
        raise ParallaxError(
            f"{path} exists and the demo did not make it: kept as it is; "
            "choose another --db for the demo"
        )
    if page.exists() and made_by != DEMO_MAKER:
        raise ParallaxError(f"{page} exists and the demo would overwrite it: choose another --db")
    for suffix in ("", "-wal", "-shm"):
        Path(db + suffix).unlink(missing_ok=True)


def demo_page(db: str) -> Path:
    """Where the demo writes its side-by-side comparison: beside the store."""
    return Path(db).with_suffix(".html")


def analyze(
    text_or_html: str,
    *,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    model: str = DEFAULT_MODEL,
    knowledge: KnowledgeBase | None = None,
) -> ArticleRecord:
    """One article without a store: cleaned (boilerplate, captions and credits split
    out), described (title, outlet, byline, dates, language) and analysed (people,
    organisations and places resolved against the knowledge base; quotes with their
    speakers). HTML is recognised as such; what the caller knows (``url``, ``title``,
    ``outlet``, ``published``) is used as given. ``knowledge``: the knowledge base
    (default: the bundled one)."""
    from parallax.clean import clean_document
    from parallax.nlp import analyze_articles, apply_resolution
    from parallax.resolve import load_knowledge_base, resolve_entities

    is_html = sniff_format(text_or_html) == "html"
    raw = RawDocument(
        source=url or "analyze()",
        format="html" if is_html else "text",
        content=text_or_html,
        is_html=is_html,
        url=url,
        title=title,
        outlet=outlet,
        published=published,
    )
    article = clean_document(raw)
    knowledge = knowledge or load_knowledge_base()
    (analysis,) = analyze_articles([article], knowledge=knowledge, model=model)
    resolution = resolve_entities([analysis], {article.id: article.outlet}, knowledge)
    return full_article(article, apply_resolution(analysis, resolution))


def _entity_type(name: str | None) -> str | None:
    try:
        return entity_type(name) if name else None
    except ValueError as exc:
        raise ParallaxError(str(exc)) from None


def _split_items(
    items: Item | Iterable[Item],
) -> tuple[list[str | Path], list[RawDocument | ReadFailure]]:
    if isinstance(items, str | Path | dict | RawDocument | ReadFailure):
        items = [items]
    paths: list[str | Path] = []
    documents: list[RawDocument | ReadFailure] = []
    for n, item in enumerate(items):
        if isinstance(item, str | Path):
            paths.append(item)
        elif isinstance(item, RawDocument | ReadFailure):
            documents.append(item)  # a reader's failure is reported like one of ours
        elif isinstance(item, dict):
            # The keys of a JSON Lines record (docs/schema.md); a bad item is reported and
            # skipped like a bad file, and the others go on.
            source = f"item {n}"
            try:
                fmt = "html" if item.get("html") else "text"
                documents.append(document_from_mapping(item, source, fmt))
            except UnreadableDocument as exc:
                documents.append(ReadFailure(source, str(exc)))
        else:
            raise ParallaxError(f"cannot ingest a {type(item).__name__}: give paths or dicts")
    return paths, documents


@contextmanager
def _reading_progress(wanted: bool) -> Iterator[Callable[[str], None] | None]:
    """A progress line on standard error while documents are read, when asked for."""
    if not wanted:
        yield None
        return
    with _progress("reading", TextColumn("{task.fields[current]}")) as (bar, task):

        def advance(source: str) -> None:
            # A source may be a record's url: escaped, as every name printed (cli._shown).
            bar.update(task, advance=1, current=escape(printable(Path(source).name[:40])))

        yield advance


@contextmanager
def _analysis_progress(
    wanted: bool, label: str = "analysing"
) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on standard error while articles are analysed (or stories
    compared: ``label``), when asked for."""
    if not wanted:
        yield None
        return
    with _progress(label) as (bar, task):

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


@contextmanager
def _progress(label: str, *extra: ProgressColumn) -> Iterator[tuple[Progress, TaskID]]:
    with Progress(
        SpinnerColumn(),
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        *extra,
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        yield bar, bar.add_task(label, total=None, current="")
