"""The embedded SQLite store: one file, WAL journal, one transaction per batch."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from parallax.errors import StoreError
from parallax.model import Article, Block, PhotoCredit, ReadFailure
from parallax.store.schema import MIGRATIONS, SCHEMA_VERSION

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
    "language",
    "text",
    "photo_credits",
    "ingested_at",
)


@dataclass(frozen=True)
class SearchHit:
    article: Article
    snippet: str
    score: float


@dataclass(frozen=True)
class StoredDocument:
    """A document already read: its fingerprint and the article it became."""

    fingerprint: str
    source: str
    article_id: str


class Store:
    """Articles and everything cleaning decided about them, in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        self._db.row_factory = sqlite3.Row
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(f"{self.path} is not a Parallax database ({exc})") from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this Parallax "
                f"({SCHEMA_VERSION}): upgrade parallax-news"
            )
        for number in range(version, SCHEMA_VERSION):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(MIGRATIONS[number]):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number + 1}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

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

    def write_batch(
        self,
        articles: list[tuple[str, Article]],
        failures: list[ReadFailure] = (),  # type: ignore[assignment]
    ) -> tuple[list[str], list[str]]:
        """Store (fingerprint, article) pairs and failures atomically.

        Returns the ids newly added and the ids that were already stored
        (the same article from another file or format).
        """
        now = _now()
        added: list[str] = []
        duplicates: list[str] = []
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for fingerprint, article in articles:
                exists = self._db.execute(
                    "SELECT 1 FROM articles WHERE id = ?", (article.id,)
                ).fetchone()
                if exists:
                    duplicates.append(article.id)
                else:
                    self._insert_article(article, now)
                    added.append(article.id)
                self._db.execute(
                    "INSERT OR IGNORE INTO documents(fingerprint, source, article_id, ingested_at) "
                    "VALUES (?, ?, ?, ?)",
                    (fingerprint, article.source, article.id, now),
                )
            for failure in failures:
                self._db.execute(
                    "INSERT INTO failures(source, reason, last_seen) VALUES (?, ?, ?) "
                    "ON CONFLICT(source, reason) DO UPDATE SET last_seen = excluded.last_seen",
                    (failure.source, failure.reason, now),
                )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
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

    # -- reading -----------------------------------------------------------------------

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def article(self, article_id: str) -> Article | None:
        row = self._db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            matches = self._db.execute(
                "SELECT * FROM articles WHERE id LIKE ? LIMIT 2", (article_id + "%",)
            ).fetchall()
            row = matches[0] if len(matches) == 1 else None
        return self._article(row) if row else None

    def articles(
        self, *, outlet: str | None = None, limit: int | None = None, offset: int = 0
    ) -> Iterator[Article]:
        sql = "SELECT * FROM articles"
        params: list[object] = []
        if outlet:
            sql += " WHERE outlet = ?"
            params.append(outlet)
        sql += " ORDER BY published IS NULL, published, ingested_at, id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        for row in self._db.execute(sql, params).fetchall():
            yield self._article(row)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search (FTS5 syntax; a plain phrase of words works as expected)."""
        sql = (
            "SELECT a.*, snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snippet, "
            "bm25(articles_fts) AS score FROM articles_fts JOIN articles a "
            "ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ? ORDER BY score LIMIT ?"
        )
        try:
            rows = self._db.execute(sql, (query, limit)).fetchall()
        except sqlite3.OperationalError:
            # Not valid FTS5 syntax: search the words as plain terms instead.
            quoted = " ".join('"' + word.replace('"', '""') + '"' for word in query.split())
            rows = self._db.execute(sql, (quoted, limit)).fetchall() if quoted else []
        return [SearchHit(self._article(row), row["snippet"], -row["score"]) for row in rows]

    def failures(self) -> list[ReadFailure]:
        rows = self._db.execute("SELECT source, reason FROM failures ORDER BY last_seen, source")
        return [ReadFailure(row[0], row[1]) for row in rows]

    def documents(self) -> list[StoredDocument]:
        rows = self._db.execute(
            "SELECT fingerprint, source, article_id FROM documents ORDER BY rowid"
        )
        return [StoredDocument(*row) for row in rows]

    def _article(self, row: sqlite3.Row) -> Article:
        blocks = [
            Block(b["text"], b["kind"], b["reason"], b["start_char"], b["end_char"])
            for b in self._db.execute(
                "SELECT * FROM blocks WHERE article_id = ? ORDER BY position", (row["id"],)
            )
        ]
        lists = {name: json.loads(row[name]) for name in _LIST_COLUMNS}
        return Article(
            id=row["id"],
            source=row["source"],
            url=row["url"],
            title=row["title"],
            outlet=row["outlet"],
            published=row["published"],
            language=row["language"],
            text=row["text"],
            photo_credits=[PhotoCredit(**c) for c in json.loads(row["photo_credits"])],
            blocks=blocks,
            format=row["format"],
            **lists,
        )


def _statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    current = ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
