"""One small connection interface over SQLite and PostgreSQL.

The store writes its SQL once, in the dialect both engines share (``?`` parameters,
``ON CONFLICT`` upserts, ``casefold()``); this module opens the right engine for a
``--db`` value, turns ``?`` into PostgreSQL's ``%s``, gives rows that read by position
and by name on both, and keeps the schema version where each engine can hold it.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, Protocol

from parallax.errors import StoreError

POSTGRES_PREFIXES = ("postgresql://", "postgres://")


class Row(Protocol):
    def __getitem__(self, key: int | str) -> Any: ...


class Connection(Protocol):
    """What the store needs from a database: statements, transactions, a version."""

    dialect: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...
    def script(self, sql: str) -> None: ...
    def begin(self) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def close(self) -> None: ...
    def get_version(self) -> int: ...
    def set_version(self, version: int) -> None: ...
    def lock_schema(self) -> None: ...


class Cursor(Protocol):
    def fetchone(self) -> Row | None: ...
    def fetchall(self) -> list[Row]: ...
    def __iter__(self) -> Iterator[Row]: ...


def is_postgres(db: str | Path) -> bool:
    return str(db).startswith(POSTGRES_PREFIXES)


# Any "scheme://" that is not PostgreSQL's is a URL the user meant for another engine, not
# a file name to create.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_STORE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def connect(db: str | Path, *, create: bool = True) -> Connection:
    """Open ``db``: a PostgreSQL URL, or else the path of a SQLite file. With
    ``create=False`` a SQLite file that does not exist is an error, not a new store."""
    if is_postgres(db):
        return _PostgresConnection(str(db))
    if _URL.match(str(db)):
        raise StoreError(
            f"{describe(db)}: unsupported store; use the path of a SQLite file or a "
            "postgresql://USER@HOST/DATABASE URL"
        )
    path = Path(db)
    if not create and not path.exists():
        raise StoreError(missing_store(path))
    return _SQLiteConnection(path)


def peek_sqlite(path: Path, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
    """The first row ``sql`` reads from the SQLite file at ``path``, opened read-only so
    that nothing is created or changed; None when there is no such row, no such file, or
    the file is not a SQLite database with that table."""
    if not path.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            return db.execute(sql, params).fetchone()
    except sqlite3.Error:
        return None


def missing_store(path: Path) -> str:
    """The message for a store that is not there, naming the closest one beside it."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        nearby = sorted(
            p.name for p in folder.iterdir() if p.suffix in _STORE_SUFFIXES and p.is_file()
        )
    except OSError:
        nearby = []
    closest = difflib.get_close_matches(path.name, nearby, n=1, cutoff=0.0)
    guess = f" (did you mean {folder / closest[0]}?)" if closest else ""
    return (
        f"no store at {path}{guess}; 'parallax ingest' or 'parallax run' creates one, "
        "'parallax demo' makes one from the bundled examples"
    )


def describe(db: str | Path) -> str:
    """``db`` as safe to print: a PostgreSQL URL without its password."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", str(db))


class _SQLiteConnection:
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        try:
            # One Store is used by one caller at a time, but a web request may open it on
            # one worker thread and read it on another.
            self._db = sqlite3.connect(
                path, timeout=30, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from exc
        self._db.row_factory = sqlite3.Row
        # Names are matched case-insensitively beyond ASCII ("SØREN" is "Søren").
        self._db.create_function("casefold", 1, _casefold, deterministic=True)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(f"{path} is not a Parallax database ({exc})") from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self._db.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._db.executemany(sql, rows)

    def script(self, sql: str) -> None:
        for statement in _sqlite_statements(sql):
            self._db.execute(statement)

    def begin(self) -> None:
        # IMMEDIATE takes the write lock now: two writers wait instead of deadlocking.
        self._db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self._db.execute("COMMIT")

    def rollback(self) -> None:
        self._db.execute("ROLLBACK")

    def close(self) -> None:
        self._db.close()

    def get_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def set_version(self, version: int) -> None:
        self._db.execute(f"PRAGMA user_version = {int(version)}")

    def lock_schema(self) -> None:
        pass  # BEGIN IMMEDIATE already holds the only write lock


class _PostgresRow(tuple):  # type: ignore[type-arg]
    """A row read by position or by column name, like ``sqlite3.Row``."""

    names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


def _postgres_rows(cursor: Any) -> Any:
    names = {column.name: i for i, column in enumerate(cursor.description or ())}
    row_type = type("Row", (_PostgresRow,), {"names": names})
    return lambda values: row_type(values)


class _PostgresConnection:
    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise StoreError(
                "a PostgreSQL store needs psycopg: pip install 'parallax-news[postgresql]'"
            ) from exc
        self._errors = psycopg.Error
        try:
            # Autocommit, with explicit BEGIN/COMMIT: the same transaction boundaries as
            # the SQLite store, and a read never holds a transaction open.
            self._db = psycopg.connect(
                url, autocommit=True, row_factory=_postgres_rows, connect_timeout=10
            )
        except psycopg.Error as exc:
            raise StoreError(f"cannot open database {describe(url)}: {_first_line(exc)}") from exc
        self.url = url

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        try:
            if not params:
                return self._db.execute(sql)  # type: ignore[arg-type]
            return self._db.execute(_placeholders(sql), params)  # type: ignore[arg-type]
        except self._errors as exc:
            raise _store_error(exc) from exc

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            try:
                with self._db.cursor() as cursor:
                    cursor.executemany(_placeholders(sql), rows)  # type: ignore[arg-type]
            except self._errors as exc:
                raise _store_error(exc) from exc

    def script(self, sql: str) -> None:
        self._db.execute(sql)  # type: ignore[arg-type]

    def begin(self) -> None:
        self._db.execute("BEGIN")

    def commit(self) -> None:
        self._db.execute("COMMIT")

    def rollback(self) -> None:
        self._db.execute("ROLLBACK")

    def close(self) -> None:
        self._db.close()

    def get_version(self) -> int:
        exists = self._db.execute("SELECT to_regclass('parallax_schema')").fetchone()
        if not exists or exists[0] is None:
            return 0
        row = self._db.execute("SELECT max(version) FROM parallax_schema").fetchone()
        return int(row[0] or 0) if row else 0

    def set_version(self, version: int) -> None:
        self._db.execute("CREATE TABLE IF NOT EXISTS parallax_schema (version INTEGER NOT NULL)")
        self._db.execute("DELETE FROM parallax_schema")
        self._db.execute("INSERT INTO parallax_schema(version) VALUES (%s)", (version,))

    def lock_schema(self) -> None:
        # Two processes opening a new database at once: one migrates, the other waits.
        self._db.execute("SELECT pg_advisory_xact_lock(7243180)")


def _placeholders(sql: str) -> str:
    # For a statement with parameters only. The store's SQL has no "?" or "%" inside
    # its string literals, so this is safe.
    return sql.replace("%", "%%").replace("?", "%s")


def _store_error(exc: Exception) -> StoreError:
    return StoreError(f"PostgreSQL: {_first_line(exc)}")


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _sqlite_statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    current = ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements


def _casefold(value: str | None) -> str | None:
    return value.casefold() if value is not None else None
