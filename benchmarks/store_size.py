"""Store size per 1,000 articles on SQLite and on PostgreSQL.

Run from the repository root (PostgreSQL from Debian's ``postgresql`` package; the
benchmark starts its own throwaway server on loopback)::

    .venv/bin/python benchmarks/store_size.py                # 1,000 articles
    .venv/bin/python benchmarks/store_size.py --articles 2000

The corpus is ``build_scale_corpus`` of benchmarks/stories.py (real news texts from the
shared evaluation sets: ECB+, the article-extraction gold bodies, PolNeAR), one text file
per article. Each engine gets the whole pipeline (`parallax.pipeline` ingest, analyse,
group) into a fresh store. Sizes:

* SQLite: the database file after a WAL checkpoint (everything in one file), and after
  VACUUM;
* PostgreSQL: ``pg_database_size`` of the database, less that of the same database
  with the schema and no rows (what the engine itself costs).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from stories import DEFAULT_DATA, build_scale_corpus  # noqa: E402

from parallax import pipeline  # noqa: E402
from parallax.store import Store  # noqa: E402
from tests.stores import create_database, postgres_server  # noqa: E402

MB = 1024 * 1024


def write_texts(folder: Path, count: int) -> None:
    folder.mkdir()
    texts, _ = build_scale_corpus(count, DEFAULT_DATA)
    for n, text in enumerate(texts):
        (folder / f"a{n:05d}.txt").write_text(text, encoding="utf-8")


def fill(db: str, corpus: Path) -> tuple[int, float]:
    started = time.monotonic()
    with Store(db) as store:
        pipeline.ingest([corpus], store, workers=2)
        pipeline.analyze(store)
        pipeline.group_stories(store)
        return store.count(), time.monotonic() - started


def postgres_size(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0]) if row else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        write_texts(work / "corpus", args.articles)

        sqlite_db = work / "store.db"
        count, seconds = fill(str(sqlite_db), work / "corpus")
        with sqlite3.connect(sqlite_db) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = sqlite_db.stat().st_size
        with sqlite3.connect(sqlite_db) as connection:
            connection.execute("VACUUM")
        vacuumed = sqlite_db.stat().st_size
        rows.append(
            ("SQLite", count, seconds, size, f"{vacuumed / count * 1000 / MB:.1f} (VACUUM)")
        )

        server_folder = Path(tempfile.mkdtemp(prefix="parallax-postgres-"))
        with postgres_server(server_folder) as server:
            empty = create_database(server, "empty")
            Store(empty).close()
            db = create_database(server, "news")
            count, seconds = fill(db, work / "corpus")
            size = postgres_size(db) - postgres_size(empty)
            rows.append(("PostgreSQL", count, seconds, size, "less the empty schema"))

    print("| engine | articles | pipeline s | store MB | MB per 1k articles | note |")
    print("| --- | --- | --- | --- | --- | --- |")
    for engine, count, seconds, size, note in rows:
        print(
            f"| {engine} | {count} | {seconds:.0f} | {size / MB:.1f} | "
            f"{size / count * 1000 / MB:.1f} | {note} |"
        )


if __name__ == "__main__":
    main()
