"""The store: a SQLite file (WAL journal) or a PostgreSQL database, one transaction per batch."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from parallax.errors import StoreError
from parallax.ingest.names import storable
from parallax.model import (
    Article,
    ArticleAnalysis,
    Block,
    Entity,
    Mention,
    PhotoCredit,
    Quote,
    QuoteThresholds,
    ReadFailure,
    Story,
    Variant,
)
from parallax.store.connection import Row, connect, describe, is_postgres, peek_sqlite
from parallax.store.schema import SCHEMA_VERSION, migration

_LIST_COLUMNS = ("republished_by", "wire_credits", "byline", "event_dates", "captions")
_COLUMNS = (
    "id",
    "source",
    "url",
    "format",
    "title",
    "outlet",
    *_LIST_COLUMNS,
    "published",
    "published_at",
    "language",
    "text",
    "photo_credits",
    "ingested_at",
)

_MENTION_COLUMNS = (
    "field", "start", "end", "text", "type", "kind", "role", "affiliation", "country",
    "refers_to", "entity_id",
)  # fmt: skip
_QUOTE_COLUMNS = (
    "field", "start", "end", "text", "kind", "cue", "cue_start", "cue_end", "speaker",
    "speaker_start", "speaker_end", "speaker_mention", "speaker_role", "speaker_entity_id",
    "confidence",
)  # fmt: skip


@dataclass(frozen=True)
class SearchHit:
    """An article the search found: the matching words in context (``snippet``), where
    they are in it (``marks``: start and end offsets) and how well it matched."""

    article: Article
    snippet: str
    marks: tuple[tuple[int, int], ...]
    score: float


@dataclass(frozen=True)
class ArticleRow:
    """An article as a list shows it (no text): with its language and story."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    language: str | None
    story_id: str | None


@dataclass(frozen=True)
class StoredDocument:
    """A document already read: its fingerprint and the article it became."""

    fingerprint: str
    source: str
    article_id: str


@dataclass(frozen=True)
class StoredQuote:
    """A quote with the article it was found in and its speaker's canonical name."""

    article_id: str
    outlet: str | None
    published: str | None
    title: str | None
    quote: Quote
    speaker_canonical: str | None = None


@dataclass(frozen=True)
class StoryLink:
    """Where one article sits among stories: its story, whether a user put it there
    (``parallax story merge`` / ``split``), and the earlier article it is a copy of."""

    story_id: str | None = None
    pinned: bool = False
    duplicate_of: str | None = None
    analysed: bool = True  # placed with the article's analysis at hand


def _with_storable_source(article: Article) -> Article:
    """The article with a source neither SQLite nor PostgreSQL refuses: a name read from the
    file system may carry undecodable bytes as lone surrogates, which no UTF-8 database
    holds, and one bad name must not lose its batch's transaction (issue 23). They are
    stored as ``\\xNN`` escapes, as the readers name them (``parallax.ingest.names``)."""
    source = storable(article.source)
    return article if source == article.source else replace(article, source=source)


# The store fact naming the current set of entities: it changes whenever they are replaced.
ENTITIES_VERSION = "entities_version"


class Store:
    """Articles and everything found in them: in one SQLite file, or in a PostgreSQL
    database when ``db`` is a ``postgresql://`` URL. The schema and the results are the
    same on both."""

    def __init__(self, db: str | Path, *, create: bool = True) -> None:
        self.path: str | Path = db if is_postgres(db) else Path(db)
        self._db = connect(db, create=create)
        try:
            self._migrate()
        except StoreError:
            self._db.close()
            raise
        except Exception as exc:  # sqlite3.DatabaseError: not a database file
            self._db.close()
            raise StoreError(f"{self.name} is not a Parallax database ({exc})") from exc

    @property
    def name(self) -> str:
        """The store as safe to print (a PostgreSQL URL without its password)."""
        return describe(self.path)

    @property
    def dialect(self) -> str:
        return self._db.dialect

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._db.get_version()

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.name} has schema version {version}, newer than this Parallax "
                f"({SCHEMA_VERSION}): upgrade parallax-news"
            )
        for number in range(version, SCHEMA_VERSION):
            with self._transaction():
                self._db.lock_schema()
                if self.schema_version > number:
                    continue  # another process opening the store applied it meanwhile
                self._db.script(migration(number, self.dialect))
                self._db.set_version(number + 1)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """All of the block's writes, or none of them."""
        self._db.begin()
        try:
            yield
        except BaseException:
            self._db.rollback()
            raise
        self._db.commit()

    # -- writing -----------------------------------------------------------------------

    def known_fingerprints(self, fingerprints: Iterable[str]) -> set[str]:
        wanted = list(fingerprints)
        known: set[str] = set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT fingerprint FROM documents WHERE fingerprint IN ({marks})", chunk
            )
            known.update(row[0] for row in rows)
        return known

    def paragraph_sightings(self, keys: Iterable[str]) -> dict[str, set[int]]:
        """The periods each of the paragraphs ``keys`` was seen in (``clean.recurring``)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, set[int]] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, periods FROM paragraph_sightings WHERE key IN ({marks})", chunk
            )
            found.update((key, {int(p) for p in periods.split()}) for key, periods in rows)
        return found

    def write_batch(
        self,
        articles: list[tuple[str, Article]],
        failures: list[ReadFailure] = (),  # type: ignore[assignment]
        sightings: Mapping[str, set[int]] | None = None,
    ) -> tuple[list[str], list[str]]:
        """Store (fingerprint, article) pairs, failures and paragraph ``sightings``
        (key: every period it is known in) atomically.

        Returns the ids newly added and the ids that were already stored
        (the same article from another file or format).
        """
        now = _now()
        added: list[str] = []
        duplicates: list[str] = []
        with self._transaction():
            for fingerprint, original in articles:
                article = _with_storable_source(original)
                exists = self._db.execute(
                    "SELECT 1 FROM articles WHERE id = ?", (article.id,)
                ).fetchone()
                if exists:
                    duplicates.append(article.id)
                else:
                    self._insert_article(article, now)
                    added.append(article.id)
                self._db.execute(
                    "INSERT INTO documents(fingerprint, source, article_id, ingested_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (fingerprint, article.source, article.id, now),
                )
            for failure in failures:
                self._db.execute(
                    "INSERT INTO failures(source, reason, last_seen) VALUES (?, ?, ?) "
                    "ON CONFLICT(source, reason) DO UPDATE SET last_seen = excluded.last_seen",
                    (storable(failure.source), storable(failure.reason), now),
                )
            self._db.executemany(
                "INSERT INTO paragraph_sightings(key, periods) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET periods = excluded.periods",
                [
                    (key, " ".join(map(str, sorted(periods))))
                    for key, periods in (sightings or {}).items()
                ],
            )
        return added, duplicates

    def _insert_article(self, article: Article, now: str) -> None:
        row = article.to_dict()
        values = [
            json.dumps(row[name], ensure_ascii=False) if name in _LIST_COLUMNS else row.get(name)
            for name in _COLUMNS[:-2]
        ]
        values.append(json.dumps(row["photo_credit_parts"], ensure_ascii=False))
        values.append(now)
        marks = ",".join("?" * len(_COLUMNS))
        self._db.execute(f"INSERT INTO articles({','.join(_COLUMNS)}) VALUES ({marks})", values)
        self._db.executemany(
            "INSERT INTO blocks(article_id, position, kind, reason, text, start_char, end_char) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (article.id, i, b.kind, b.reason, b.text, b.start, b.end)
                for i, b in enumerate(article.blocks)
            ],
        )

    def write_analyses(self, analyses: Iterable[ArticleAnalysis]) -> None:
        """Store a batch of analyses in one transaction, replacing earlier ones of those articles.

        Entity ids are kept as the analyses carry them; ``replace_entities`` sets them.
        """
        now = _now()
        with self._transaction():
            for analysis in analyses:
                # Mentions and quotes go with the analysis row (ON DELETE CASCADE).
                self._db.execute(
                    "DELETE FROM analyses WHERE article_id = ?", (analysis.article_id,)
                )
                self._db.execute(
                    "INSERT INTO analyses(article_id, model, analysed_at, not_analysed) "
                    "VALUES (?, ?, ?, ?)",
                    (analysis.article_id, analysis.model, now, analysis.not_analysed),
                )
                self._insert_rows(
                    "mentions", _MENTION_COLUMNS, analysis.article_id, analysis.mentions
                )
                self._insert_rows("quotes", _QUOTE_COLUMNS, analysis.article_id, analysis.quotes)

    def _insert_rows(
        self,
        table: str,
        columns: tuple[str, ...],
        article_id: str,
        items: Iterable[Mention | Quote],
    ) -> None:
        names = ",".join(f'"{name}"' for name in ("article_id", "idx", *columns))
        marks = ",".join("?" * (len(columns) + 2))
        rows = []
        for index, item in enumerate(items):
            values = asdict(item)
            rows.append((article_id, index, *(values[name] for name in columns)))
        self._db.executemany(f"INSERT INTO {table}({names}) VALUES ({marks})", rows)

    def replace_entities(
        self, entities: Iterable[Entity], analyses: Iterable[ArticleAnalysis]
    ) -> None:
        """Replace every entity, and set the entity ids of the mentions and quote speakers
        of ``analyses`` (already resolved), in one transaction. The store's
        ``ENTITIES_VERSION`` fact changes with them (stored comparisons name entities)."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO store_facts (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (ENTITIES_VERSION, uuid.uuid4().hex),
            )
            self._db.execute("DELETE FROM entity_variants")
            self._db.execute("DELETE FROM entities")
            for entity in entities:
                self._db.execute(
                    "INSERT INTO entities(id, canonical, type, role, country, kb_id, description, "
                    "articles, warnings, folded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, casefold(?))",
                    (
                        entity.id,
                        entity.canonical,
                        entity.type,
                        entity.role,
                        entity.country,
                        entity.kb_id,
                        entity.description,
                        entity.articles,
                        json.dumps(list(entity.warnings), ensure_ascii=False),
                        entity.canonical,
                    ),
                )
                self._db.executemany(
                    "INSERT INTO entity_variants(entity_id, text, count, outlets, folded) "
                    "VALUES (?, ?, ?, ?, casefold(?))",
                    [
                        (
                            entity.id,
                            v.text,
                            v.count,
                            json.dumps(list(v.outlets), ensure_ascii=False),
                            v.text,
                        )
                        for v in entity.variants
                    ],
                )
            for analysis in analyses:
                self._db.executemany(
                    "UPDATE mentions SET entity_id = ? WHERE article_id = ? AND idx = ?",
                    [
                        (mention.entity_id, analysis.article_id, index)
                        for index, mention in enumerate(analysis.mentions)
                    ],
                )
                self._db.executemany(
                    "UPDATE quotes SET speaker_entity_id = ? WHERE article_id = ? AND idx = ?",
                    [
                        (quote.speaker_entity_id, analysis.article_id, index)
                        for index, quote in enumerate(analysis.quotes)
                    ],
                )

    def write_stories(
        self,
        stories: Iterable[Story],
        *,
        pinned: Collection[str] = (),
        copies: Mapping[str, str] | None = None,
        analysed: Collection[str] | None = None,
    ) -> None:
        """Store stories and their members in one transaction: each member moves to its
        story, the ``pinned`` ones as a user's decision (a pin is never lifted), stories
        left without articles go, and ``copies`` (``{copy: original}``), when given,
        replaces every stored copy link. ``analysed``, when given, names the members that
        were placed with their analysis at hand (the others are placed again once they
        have one)."""
        now = _now()
        with self._transaction():
            if copies is not None:
                self._db.execute("DELETE FROM copies")
                self._db.executemany(
                    "INSERT INTO copies(article_id, duplicate_of) VALUES (?, ?)",
                    sorted(copies.items()),
                )
            for story in stories:
                self._db.execute(
                    'INSERT INTO stories(id, title, start, "end", outlets, entities, confidence, '
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                    'title = excluded.title, start = excluded.start, "end" = excluded."end", '
                    "outlets = excluded.outlets, entities = excluded.entities, "
                    "confidence = excluded.confidence",
                    (
                        story.id,
                        story.title,
                        story.start,
                        story.end,
                        json.dumps(list(story.outlets), ensure_ascii=False),
                        json.dumps(list(story.entities), ensure_ascii=False),
                        story.confidence,
                        now,
                    ),
                )
                self._db.executemany(
                    "INSERT INTO article_stories(article_id, story_id, pinned, analysed) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET "
                    "story_id = excluded.story_id, "
                    "pinned = CASE WHEN article_stories.pinned = 1 OR excluded.pinned = 1 "
                    "THEN 1 ELSE 0 END, "
                    "analysed = CASE WHEN ? THEN excluded.analysed ELSE article_stories.analysed "
                    "END",
                    [
                        (
                            a,
                            story.id,
                            int(a in pinned),
                            int(analysed is None or a in analysed),
                            analysed is not None,
                        )
                        for a in story.articles
                    ],
                )
            self._db.execute(
                "DELETE FROM stories WHERE id NOT IN (SELECT story_id FROM article_stories)"
            )

    def write_comparison(
        self, story_id: str, state: str, comparison: str, documents: str, page: str
    ) -> None:
        """Keep a story's comparison (JSON), the texts it points into (JSON) and its page's
        body (HTML), computed for ``state``; comparisons of stories that are gone go."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO comparisons(story_id, state, comparison, documents, page) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(story_id) DO UPDATE SET "
                "state = excluded.state, comparison = excluded.comparison, "
                "documents = excluded.documents, page = excluded.page",
                (story_id, state, comparison, documents, page),
            )
            self._db.execute(
                "DELETE FROM comparisons WHERE story_id NOT IN (SELECT id FROM stories)"
            )

    # -- reading -----------------------------------------------------------------------

    def comparison_states(self) -> dict[str, str]:
        """The state each stored comparison was computed for, by story id."""
        return {
            row[0]: row[1] for row in self._db.execute("SELECT story_id, state FROM comparisons")
        }

    def comparison(self, story_id: str, part: str = "comparison") -> tuple[str, str] | None:
        """A story's stored comparison: the state it was computed for, and one ``part`` of
        it: ``comparison`` (JSON), ``documents`` (the JSON of the texts it points into) or
        ``page`` (its page's body); None when none is stored."""
        row = self._db.execute(
            f"SELECT state, {_comparison_part(part)} FROM comparisons WHERE story_id = ?",
            (story_id,),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def comparison_bytes(self, story_id: str, part: str) -> tuple[str, bytes] | None:
        """``comparison``, the part as UTF-8 bytes read without decoding them (a page of a
        megabyte is sent as it is stored)."""
        column = _comparison_part(part)
        encoded = (
            f"convert_to({column}, 'UTF8')"
            if self.dialect == "postgresql"
            else (f"CAST({column} AS BLOB)")
        )
        row = self._db.execute(
            f"SELECT state, {encoded} FROM comparisons WHERE story_id = ?", (story_id,)
        ).fetchone()
        return (row[0], bytes(row[1])) if row else None

    def analysis_stamps(self, ids: Collection[str] | None = None) -> dict[str, str]:
        """Which model analysed each article (of ``ids`` only, when given) and when, by
        article id: what changes when an article is analysed again."""
        sql = "SELECT article_id, model, analysed_at FROM analyses"
        params: list[str] = []
        if ids is not None:
            params = list(ids)
            sql += f" WHERE article_id IN ({','.join('?' * len(params)) or 'NULL'})"
        return {row[0]: f"{row[1]}@{row[2]}" for row in self._db.execute(sql, params)}

    @staticmethod
    def fact_of(db: str | Path, key: str) -> str | None:
        """A fact of the store at ``db`` read without creating or migrating anything: None
        when ``db`` is no store, an older one, or not a Parallax database at all."""
        if is_postgres(db):
            try:
                with Store(db, create=False) as store:
                    return store.fact(key)
            except StoreError:
                return None
        row = peek_sqlite(Path(db), "SELECT value FROM store_facts WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    def fact(self, key: str) -> str | None:
        """A fact about the store itself (``made_by``), None when not recorded."""
        row = self._db.execute("SELECT value FROM store_facts WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def record_fact(self, key: str, value: str) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT INTO store_facts (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def article(self, article_id: str) -> Article | None:
        row = self._db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            matches = self._db.execute(
                "SELECT * FROM articles WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
                (_prefix_pattern(article_id),),
            ).fetchall()
            row = matches[0] if len(matches) == 1 else None
        return self._article(row) if row else None

    def articles(
        self,
        *,
        outlet: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        since: str | None = None,
        until: str | None = None,
        story_id: str | None = None,
        entity_id: str | None = None,
        language: str | None = None,
    ) -> Iterator[Article]:
        """Articles, earliest first; each filter narrows: outlet, publication dates
        (``since``/``until``, ISO dates, inclusive), story and entity named, language."""
        where, params = _article_filters(outlet, since, until, story_id, entity_id, language)
        sql = f"SELECT * FROM articles{where} ORDER BY {_ARTICLE_ORDER}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        if limit is None:  # every article: streamed, each with its own blocks
            for row in self._db.execute(sql, params).fetchall():
                yield self._article(row)
            return
        rows = self._db.execute(sql, params).fetchall()
        blocks = self._blocks([row["id"] for row in rows])
        for row in rows:
            yield self._article(row, blocks.get(row["id"], []))

    def article_rows(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        story_id: str | None = None,
        entity_id: str | None = None,
        language: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[ArticleRow]:
        """What a list shows of the articles ``articles`` gives (no text), in its order."""
        where, params = _article_filters(outlet, since, until, story_id, entity_id, language)
        sql = (
            "SELECT a.id, a.title, a.outlet, a.published, a.language, s.story_id "
            f"FROM articles a LEFT JOIN article_stories s ON s.article_id = a.id{where} "
            f"ORDER BY {_ARTICLE_ORDER}"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [ArticleRow(*row) for row in self._db.execute(sql, params)]

    def count_articles(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        story_id: str | None = None,
        entity_id: str | None = None,
        language: str | None = None,
    ) -> int:
        """How many articles ``articles`` gives with these filters and no limit."""
        where, params = _article_filters(outlet, since, until, story_id, entity_id, language)
        return int(self._db.execute(f"SELECT count(*) FROM articles{where}", params).fetchone()[0])

    def facets(self) -> dict[str, list[tuple[str, int]]]:
        """The values the article filters take, each with how many articles have it, most
        first: ``outlet`` and ``language``."""
        return {
            column: [
                (row[0], int(row[1]))
                for row in self._db.execute(
                    f"SELECT {column}, count(*) AS n FROM articles WHERE {column} IS NOT NULL "
                    f"GROUP BY {column} ORDER BY n DESC, {column}"
                )
            ]
            for column in ("outlet", "language")
        }

    def article_order(self) -> list[str]:
        """Every article id, earliest first: by publication date, on one day by the time
        when known, then in the order they were stored (undated articles last)."""
        rows = self._db.execute(
            "SELECT id FROM articles ORDER BY published IS NULL, published, "
            "published_at IS NULL, published_at, rowid"
        )
        return [row[0] for row in rows]

    def signatures(self) -> dict[str, np.ndarray]:
        """The stored copy signature of every article that has one."""
        return {
            row[0]: np.frombuffer(row[1], dtype=np.uint64)
            for row in self._db.execute("SELECT article_id, minhash FROM signatures")
        }

    def write_signatures(self, signatures: Mapping[str, np.ndarray]) -> None:
        with self._transaction():
            self._db.executemany(
                "INSERT INTO signatures(article_id, minhash) VALUES (?, ?) "
                "ON CONFLICT(article_id) DO UPDATE SET minhash = excluded.minhash",
                [(a, s.astype(np.uint64).tobytes()) for a, s in signatures.items()],
            )

    def analysis_state(self) -> tuple[object, ...]:
        """Changes whenever analyses, entities or story placements do: a cache key."""
        row = self._db.execute(
            "SELECT (SELECT max(analysed_at) FROM analyses), (SELECT count(*) FROM analyses), "
            "(SELECT count(*) FROM entities), (SELECT count(*) FROM article_stories)"
        ).fetchone()
        return tuple(row)

    def story_links(self, ids: Collection[str] | None = None) -> dict[str, StoryLink]:
        """The story and copy links of every article that has one (of ``ids`` only, when
        given), by article id."""
        links: dict[str, StoryLink] = {}
        sql = (
            "SELECT a.id, s.story_id, s.pinned, c.duplicate_of, s.analysed FROM articles a "
            "LEFT JOIN article_stories s ON s.article_id = a.id "
            "LEFT JOIN copies c ON c.article_id = a.id "
            "WHERE (s.story_id IS NOT NULL OR c.duplicate_of IS NOT NULL)"
        )
        params: list[str] = []
        if ids is not None:
            params = list(ids)
            sql += f" AND a.id IN ({','.join('?' * len(params)) or 'NULL'})"
        for row in self._db.execute(sql, params):
            links[row[0]] = StoryLink(row[1], bool(row[2]), row[3], row[4] != 0)
        return links

    def stories(self, *, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Stories, the most recent first (by the last date they cover)."""
        sql = 'SELECT * FROM stories ORDER BY "end" IS NULL, "end" DESC, start DESC, id'
        params: list[object] = []
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [self._story(row) for row in self._db.execute(sql, params).fetchall()]

    def story(self, story_id: str) -> Story | None:
        """One story by id (a unique prefix is enough)."""
        rows = self._db.execute(
            "SELECT * FROM stories WHERE id = ? OR id LIKE ? ESCAPE '\\' ORDER BY id != ? LIMIT 2",
            (story_id, _prefix_pattern(story_id), story_id),
        ).fetchall()
        exact = rows and rows[0]["id"] == story_id
        return self._story(rows[0]) if exact or len(rows) == 1 else None

    def _story(self, row: Row) -> Story:
        members = self._db.execute(
            "SELECT s.article_id FROM article_stories s JOIN articles a ON a.id = s.article_id "
            "WHERE s.story_id = ? ORDER BY a.published IS NULL, a.published, a.rowid",
            (row["id"],),
        )
        return Story(
            id=row["id"],
            title=row["title"],
            articles=tuple(member[0] for member in members),
            outlets=tuple(json.loads(row["outlets"])),
            start=row["start"],
            end=row["end"],
            entities=tuple(json.loads(row["entities"])),
            confidence=row["confidence"],
        )

    def search(
        self, query: str, limit: int = 20, *, offset: int = 0, spellings: Sequence[str] = ()
    ) -> list[SearchHit]:
        """Full-text search over titles and texts, best first. On SQLite the query is
        FTS5 syntax (a plain phrase of words works as expected); on PostgreSQL, web
        search syntax (words, "quoted phrases", or, -excluded). An article matching any
        of ``spellings`` (phrases: the other names of an entity the query names) matches
        too. Each hit's snippet comes with where the matching words are in it."""
        if self.dialect == "postgresql":
            rows = self._db.execute(
                _POSTGRES_SEARCH, (_postgres_query(query, spellings), limit, offset)
            ).fetchall()
        else:
            rows = self._sqlite_search(query, spellings, limit, offset)
        blocks = self._blocks([row["id"] for row in rows])
        return [
            SearchHit(
                self._article(row, blocks.get(row["id"], [])),
                *_marked(row["snippet"]),
                row["score"],
            )
            for row in rows
        ]

    def count_matches(self, query: str, *, spellings: Sequence[str] = ()) -> int:
        """How many articles ``search`` finds with no limit."""
        if self.dialect == "postgresql":
            row = self._db.execute(_POSTGRES_COUNT, (_postgres_query(query, spellings),))
            return int(row.fetchone()[0])
        for written in _sqlite_queries(query, spellings):
            try:
                return int(self._db.execute(_SQLITE_COUNT, (written,)).fetchone()[0])
            except sqlite3.OperationalError:
                continue
        return 0

    def _sqlite_search(
        self, query: str, spellings: Sequence[str], limit: int, offset: int
    ) -> list[Row]:
        # Ranked on the index alone first; the snippets and the articles are read for the
        # page's hits only (reading them for every match costs more than the ranking).
        for written in _sqlite_queries(query, spellings):
            try:
                ranked = self._db.execute(_SQLITE_RANKED, (written, limit, offset)).fetchall()
            except sqlite3.OperationalError:
                continue
            scores = {row[0]: row[1] for row in ranked}
            rows = self._db.execute(
                _SQLITE_SNIPPETS.format(rowids=",".join("?" * len(scores))), (written, *scores)
            ).fetchall()
            found = {row["rowid"]: _ScoredRow(row, scores[row["rowid"]]) for row in rows}
            return [found[rowid] for rowid in scores if rowid in found]
        return []

    def failures(self) -> list[ReadFailure]:
        rows = self._db.execute("SELECT source, reason FROM failures ORDER BY last_seen, source")
        return [ReadFailure(row[0], row[1]) for row in rows]

    def documents(self) -> list[StoredDocument]:
        rows = self._db.execute(
            "SELECT fingerprint, source, article_id FROM documents ORDER BY rowid"
        )
        return [StoredDocument(*row) for row in rows]

    def outlets(self) -> dict[str, str | None]:
        """Every stored article's outlet, by article id."""
        return {row[0]: row[1] for row in self._db.execute("SELECT id, outlet FROM articles")}

    def unanalysed(self, model: str) -> list[str]:
        """Ids of stored articles with no analysis by ``model`` (a spaCy package name)."""
        rows = self._db.execute(
            "SELECT a.id FROM articles a LEFT JOIN analyses n ON n.article_id = a.id "
            "WHERE n.model IS NULL OR n.model != ? ORDER BY a.rowid",
            (model,),
        )
        return [row[0] for row in rows]

    def analysis_targets(self) -> list[tuple[str, str | None, str | None]]:
        """Every stored article, in the order stored: its id, language and the model of
        its analysis (``""`` when it was not analysed for want of a model; ``None`` when
        it has no analysis)."""
        rows = self._db.execute(
            "SELECT a.id, a.language, n.model FROM articles a "
            "LEFT JOIN analyses n ON n.article_id = a.id ORDER BY a.rowid"
        )
        return [(row[0], row[1], row[2]) for row in rows]

    def analyses(self) -> list[ArticleAnalysis]:
        """Every stored analysis, by article id, with the entities its mentions resolve to."""
        return self._analyses("")

    def analysis(self, article_id: str) -> ArticleAnalysis | None:
        """The mentions and quotes of one article, if it has been analysed."""
        found = self._analyses("WHERE article_id = ?", (article_id,))
        return found[0] if found else None

    def analyses_of(self, ids: Collection[str]) -> dict[str, ArticleAnalysis]:
        """The analyses of the articles ``ids`` that have one, by article id."""
        listed = list(ids)
        found: dict[str, ArticleAnalysis] = {}
        for start in range(0, len(listed), _MAX_PARAMETERS):
            chunk = listed[start : start + _MAX_PARAMETERS]
            where = f"WHERE article_id IN ({','.join('?' * len(chunk))})"
            found |= {
                analysis.article_id: analysis for analysis in self._analyses(where, tuple(chunk))
            }
        return found

    def _analyses(self, where: str, params: tuple[object, ...] = ()) -> list[ArticleAnalysis]:
        mentions: dict[str, list[Mention]] = {}
        for row in self._db.execute(
            "SELECT m.*, e.canonical FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id "
            f"{where} ORDER BY m.article_id, m.idx",
            params,
        ):
            mentions.setdefault(row["article_id"], []).append(
                Mention(**{name: row[name] for name in (*_MENTION_COLUMNS, "canonical")})
            )
        quotes: dict[str, list[Quote]] = {}
        for row in self._db.execute(
            f"SELECT * FROM quotes {where} ORDER BY article_id, idx", params
        ):
            quotes.setdefault(row["article_id"], []).append(
                Quote(**{name: row[name] for name in _QUOTE_COLUMNS})
            )
        return [
            ArticleAnalysis(
                row["article_id"],
                tuple(mentions.get(row["article_id"], ())),
                tuple(quotes.get(row["article_id"], ())),
                row["model"],
                not_analysed=row["not_analysed"],
            )
            for row in self._db.execute(
                f"SELECT article_id, model, not_analysed FROM analyses {where} ORDER BY article_id",
                params,
            )
        ]

    def counts(self) -> dict[str, int]:
        """How many analysed articles, mentions, quotes, entities, stories and copies the
        store holds."""
        return {
            table: int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("analyses", "mentions", "quotes", "entities", "stories", "copies")
        }

    def entities(
        self,
        *,
        type: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        ids: Collection[str] | None = None,
    ) -> list[Entity]:
        """Entities (of ``ids`` only, when given), those named in the most articles first."""
        if ids is not None and not ids:
            return []  # PostgreSQL refuses an empty IN ()
        conditions, params = [], []
        if type:
            conditions.append("type = ?")
            params.append(type)
        if ids is not None:
            conditions.append(f"id IN ({','.join('?' * len(ids))})")
            params += list(ids)
        sql = "SELECT * FROM entities"
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        sql += " ORDER BY articles DESC, canonical, id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        rows = self._db.execute(sql, params).fetchall()
        variants = self._variants([row["id"] for row in rows])
        return [self._entity(row, variants.get(row["id"], ())) for row in rows]

    def count_entities(self, *, type: str | None = None) -> int:
        """How many entities (of ``type`` only, when given)."""
        sql, params = "SELECT count(*) FROM entities", []
        if type:
            sql, params = sql + " WHERE type = ?", [type]
        return int(self._db.execute(sql, params).fetchone()[0])

    def entity_stories(self, entity_id: str, *, limit: int | None = None) -> list[Story]:
        """The stories of the articles that mention an entity, the most recent first."""
        sql = (
            f"SELECT * FROM stories WHERE id IN ({_ENTITY_STORY_IDS}) "
            'ORDER BY "end" IS NULL, "end" DESC, start DESC, id'
        )
        params: list[object] = [entity_id]
        if limit is not None:
            sql, params = sql + " LIMIT ?", [entity_id, limit]
        return [self._story(row) for row in self._db.execute(sql, params).fetchall()]

    def count_entity_stories(self, entity_id: str) -> int:
        """How many stories ``entity_stories`` gives with no limit."""
        sql = f"SELECT count(DISTINCT story_id) FROM ({_ENTITY_STORY_IDS}) AS found"
        return int(self._db.execute(sql, (entity_id,)).fetchone()[0])

    def entity(self, name_or_id: str) -> Entity | None:
        """One entity by id, else by canonical name, else by any spelling of its name
        (case-insensitive); among several, the one named in the most articles."""
        for sql in (
            "SELECT * FROM entities WHERE id = ?",
            "SELECT * FROM entities WHERE folded = casefold(?)",
            "SELECT * FROM entities WHERE id IN "
            "(SELECT entity_id FROM entity_variants WHERE folded = casefold(?))",
        ):
            row = self._db.execute(
                sql + " ORDER BY articles DESC, id LIMIT 1", (name_or_id,)
            ).fetchone()
            if row is not None:
                return self._entity(row)
        return None

    def entity_names(self) -> list[tuple[str, str]]:
        """Every (entity id, name) pair: canonical names and every spelling."""
        rows = self._db.execute(
            "SELECT id, canonical FROM entities UNION SELECT entity_id, text FROM entity_variants"
        )
        return [(row[0], row[1]) for row in rows]

    def quotes(
        self,
        *,
        speaker: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        story_id: str | None = None,
        speaker_ids: Collection[str] | None = None,
        min_confidence: float | QuoteThresholds | None = None,
        outlet: str | None = None,
    ) -> list[StoredQuote]:
        """Quotes in publication order; ``speaker`` is an entity id, or a name matched
        case-insensitively against entities' canonical names and spellings and the
        speaker's own words ("a union spokesperson"); ``speaker_ids`` keeps the quotes of
        these entities; ``story_id`` keeps one story's; ``outlet`` one outlet's;
        ``min_confidence`` those whose confidence reaches it, one threshold or one per
        kind of quote (a quote stored before confidences were measured has none and is
        kept)."""
        where, params = _quote_filters(speaker, story_id, speaker_ids, min_confidence, outlet)
        sql = (
            "SELECT q.*, a.outlet, a.published, a.title, e.canonical AS speaker_canonical "
            "FROM quotes q JOIN articles a ON a.id = q.article_id "
            f"LEFT JOIN entities e ON e.id = q.speaker_entity_id{where} "
            "ORDER BY a.published IS NULL, a.published, a.ingested_at, a.id, q.idx"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [
            StoredQuote(
                article_id=row["article_id"],
                outlet=row["outlet"],
                published=row["published"],
                title=row["title"],
                quote=Quote(**{name: row[name] for name in _QUOTE_COLUMNS}),
                speaker_canonical=row["speaker_canonical"],
            )
            for row in self._db.execute(sql, params).fetchall()
        ]

    def count_quotes(
        self,
        *,
        speaker: str | None = None,
        story_id: str | None = None,
        speaker_ids: Collection[str] | None = None,
        min_confidence: float | QuoteThresholds | None = None,
        outlet: str | None = None,
    ) -> int:
        """How many quotes ``quotes`` gives with these filters and no limit."""
        where, params = _quote_filters(speaker, story_id, speaker_ids, min_confidence, outlet)
        # Only the tables a filter reads: counting every quote is then a walk of an index.
        joins = " JOIN articles a ON a.id = q.article_id" if outlet else ""
        joins += " LEFT JOIN entities e ON e.id = q.speaker_entity_id" if speaker else ""
        row = self._db.execute(f"SELECT count(*) FROM quotes q{joins}{where}", params).fetchone()
        return int(row[0])

    def _variants(self, ids: Sequence[str]) -> dict[str, tuple[Variant, ...]]:
        """The spellings of the entities ``ids``, by entity id, the most used first."""
        found: dict[str, list[Variant]] = {}
        for start in range(0, len(ids), _MAX_PARAMETERS):  # none at all for no ids
            chunk = ids[start : start + _MAX_PARAMETERS]
            for v in self._db.execute(
                f"SELECT * FROM entity_variants WHERE entity_id IN ({','.join('?' * len(chunk))}) "
                "ORDER BY entity_id, count DESC, text",
                list(chunk),
            ):
                found.setdefault(v["entity_id"], []).append(
                    Variant(v["text"], v["count"], tuple(json.loads(v["outlets"])))
                )
        return {entity_id: tuple(spellings) for entity_id, spellings in found.items()}

    def _entity(self, row: Row, variants: tuple[Variant, ...] | None = None) -> Entity:
        if variants is None:
            variants = self._variants([row["id"]]).get(row["id"], ())
        return Entity(
            id=row["id"],
            canonical=row["canonical"],
            type=row["type"],
            variants=variants,
            articles=row["articles"],
            role=row["role"],
            country=row["country"],
            kb_id=row["kb_id"],
            description=row["description"],
            warnings=tuple(json.loads(row["warnings"])),
        )

    def _blocks(self, ids: Sequence[str]) -> dict[str, list[Block]]:
        """The classified paragraphs of the articles ``ids``, by article id, in order."""
        found: dict[str, list[Block]] = {}
        if not ids:
            return found
        for article_id, *block in self._db.execute(
            "SELECT article_id, text, kind, reason, start_char, end_char FROM blocks "
            f"WHERE article_id IN ({','.join('?' * len(ids))}) ORDER BY article_id, position",
            list(ids),
        ):
            found.setdefault(article_id, []).append(Block(*block))
        return found

    def _article(self, row: Row, blocks: list[Block] | None = None) -> Article:
        if blocks is None:
            blocks = self._blocks([row["id"]]).get(row["id"], [])
        lists = {name: _json_list(row[name]) for name in _LIST_COLUMNS}
        return Article(
            id=row["id"],
            source=row["source"],
            url=row["url"],
            title=row["title"],
            outlet=row["outlet"],
            published=row["published"],
            published_at=row["published_at"],
            language=row["language"],
            text=row["text"],
            photo_credits=[PhotoCredit(**c) for c in json.loads(row["photo_credits"])],
            blocks=blocks,
            format=row["format"],
            **lists,
        )


# Where a snippet's matching words start and end: private-use characters, which the
# search takes out of queries and ``_marked`` out of snippets.
_MARK_START, _MARK_END = "\ue000", "\ue001"
_NOT_SEARCHED = str.maketrans({"\x00": " ", _MARK_START: " ", _MARK_END: " "})
_SQLITE_RANKED = (
    "SELECT rowid, -bm25(articles_fts) FROM articles_fts WHERE articles_fts MATCH ? "
    "ORDER BY bm25(articles_fts) LIMIT ? OFFSET ?"
)
_SQLITE_SNIPPETS = (
    "SELECT a.rowid AS rowid, a.*, "
    "snippet(articles_fts, 1, char(57344), char(57345), ' … ', 12) AS snippet "
    "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
    "WHERE articles_fts MATCH ? AND articles_fts.rowid IN ({rowids})"
)
_SQLITE_COUNT = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
_POSTGRES_SEARCH = (
    "SELECT a.*, ts_headline('simple', a.text, q, 'StartSel=\ue000, StopSel=\ue001, "
    "MaxWords=14, MinWords=6, MaxFragments=1') AS snippet, ts_rank(a.search, q) AS score "
    "FROM articles a, websearch_to_tsquery('simple', ?) q WHERE a.search @@ q "
    "ORDER BY score DESC, a.id LIMIT ? OFFSET ?"
)
_POSTGRES_COUNT = (
    "SELECT count(*) FROM articles a, websearch_to_tsquery('simple', ?) q WHERE a.search @@ q"
)


class _ScoredRow:
    """A row of the snippet query with the score the ranking query gave its article."""

    def __init__(self, row: Row, score: float) -> None:
        self.row, self.score = row, score

    def __getitem__(self, key: int | str) -> Any:
        return self.score if key == "score" else self.row[key]


def _phrases(spellings: Sequence[str]) -> list[str]:
    """Each spelling as a quoted phrase of its words (quotes and marks taken out)."""
    words = (" ".join(s.translate(_NOT_SEARCHED).replace('"', " ").split()) for s in spellings)
    return [f'"{phrase}"' for phrase in words if phrase]


def _sqlite_queries(query: str, spellings: Sequence[str]) -> list[str]:
    """The FTS5 queries to try in turn: as written, then (when that is not valid FTS5
    syntax) its words as plain terms; in either, a spelling matches too."""
    query = query.translate(_NOT_SEARCHED)  # SQLite reads a NUL as the end of the text
    quoted = " ".join('"' + word.replace('"', '""') + '"' for word in query.split())
    alternatives = _phrases(spellings)
    return [
        " OR ".join([f"({written})", *alternatives]) if alternatives else written
        for written in (query, quoted)
        if written.strip()
    ]


def _postgres_query(query: str, spellings: Sequence[str]) -> str:
    """The web search query, or a spelling of the entity it names."""
    return " or ".join([query.translate(_NOT_SEARCHED), *_phrases(spellings)])


def _comparison_part(part: str) -> str:
    if part not in ("comparison", "documents", "page"):
        raise ValueError(f"a stored comparison has no part {part!r}")
    return part


def _json_list(value: str) -> list[Any]:
    """A list column's value: most are empty, and reading "[]" as JSON costs more."""
    return [] if value == "[]" else json.loads(value)  # type: ignore[no-any-return]


def _marked(snippet: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A snippet without its marks, and the (start, end) of each marked stretch in it."""
    plain: list[str] = []
    marks: list[tuple[int, int]] = []
    length, opened = 0, None
    for part in re.split(f"([{_MARK_START}{_MARK_END}])", snippet):
        if part == _MARK_START:
            opened = length
        elif part == _MARK_END:
            if opened is not None and length > opened:
                marks.append((opened, length))
            opened = None
        else:
            plain.append(part)
            length += len(part)
    return "".join(plain), tuple(marks)


# The most values one statement binds: SQLite's limit is 32,766, PostgreSQL's 65,535.
_MAX_PARAMETERS = 30_000
# The stories of the articles naming an entity (its id the one parameter).
_ENTITY_STORY_IDS = (
    "SELECT s.story_id FROM article_stories s JOIN mentions m ON m.article_id = s.article_id "
    "WHERE m.entity_id = ?"
)
# Articles earliest first; undated ones last, in the order stored.
_ARTICLE_ORDER = "published IS NULL, published, ingested_at, id"


def _article_filters(
    outlet: str | None,
    since: str | None,
    until: str | None,
    story_id: str | None,
    entity_id: str | None,
    language: str | None,
) -> tuple[str, list[object]]:
    """The WHERE clause (with its leading space, or empty) and parameters narrowing
    ``articles`` to those given."""
    conditions, params = [], []
    for condition, value in (
        ("outlet = ?", outlet),
        ("published >= ?", since),
        ("published <= ?", until),
        ("id IN (SELECT article_id FROM article_stories WHERE story_id = ?)", story_id),
        ("id IN (SELECT article_id FROM mentions WHERE entity_id = ?)", entity_id),
        ("language = ?", language),
    ):
        if value:
            conditions.append(condition)
            params.append(value)
    return (" WHERE " + " AND ".join(conditions) if conditions else ""), params


def _quote_filters(
    speaker: str | None,
    story_id: str | None,
    speaker_ids: Collection[str] | None,
    min_confidence: float | QuoteThresholds | None,
    outlet: str | None,
) -> tuple[str, list[object]]:
    """The WHERE clause (with its leading space, or empty) and parameters narrowing
    ``quotes`` to those given (see there)."""
    conditions: list[str] = []
    params: list[object] = []
    if speaker:
        conditions.append(
            "(q.speaker_entity_id = ? OR e.folded = casefold(?) "
            "OR casefold(q.speaker) = casefold(?) OR q.speaker_entity_id IN "
            "(SELECT entity_id FROM entity_variants WHERE folded = casefold(?)))"
        )
        params += [speaker] * 4
    if speaker_ids is not None:
        conditions.append(f"q.speaker_entity_id IN ({','.join('?' * len(speaker_ids)) or 'NULL'})")
        params += list(speaker_ids)
    if story_id:
        conditions.append(
            "q.article_id IN (SELECT article_id FROM article_stories WHERE story_id = ?)"
        )
        params.append(story_id)
    if outlet:
        conditions.append("a.outlet = ?")
        params.append(outlet)
    if isinstance(min_confidence, QuoteThresholds):
        # ``QuoteThresholds.keeps`` in SQL: a quotation in marks with a speaker has its own.
        conditions.append(
            "(q.confidence IS NULL OR q.confidence >= CASE WHEN q.kind = 'direct' "
            "AND q.speaker IS NOT NULL THEN ? ELSE ? END)"
        )
        params += [min_confidence.credited_quotation, min_confidence.reported]
    elif min_confidence is not None:
        conditions.append("(q.confidence IS NULL OR q.confidence >= ?)")
        params.append(min_confidence)
    return (" WHERE " + " AND ".join(conditions) if conditions else ""), params


def _prefix_pattern(prefix: str) -> str:
    """A LIKE pattern matching ids that start with ``prefix`` taken literally."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
