"""Store locations for the tests on both engines: SQLite files, and databases on a real
PostgreSQL server (Debian's ``postgresql`` binaries, a fresh cluster in a temporary
folder, listening on loopback only, stopped at the end of the session)."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from parallax.store.connection import is_postgres

ENGINES = ["sqlite", "postgresql"]
_databases = itertools.count()


class NoPostgres(Exception):
    """No server could be started here; the message says why."""


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise NoPostgres("PostgreSQL is not installed (Debian: apt-get install postgresql)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres_server(folder: Path) -> Iterator[str]:
    """Start a throwaway cluster under ``folder``; yields the URL of its ``postgres``
    database (user ``parallax``, no password, loopback only)."""
    bindir = _bindir()
    data = folder / "data"
    folder.mkdir(parents=True, exist_ok=True)
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as "postgres"
        try:
            user = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise NoPostgres("running as root and there is no 'postgres' user") from exc
        os.chown(folder, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*args: str) -> None:
        done = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise NoPostgres(f"{Path(args[0]).name} failed: {done.stderr.strip()[-500:]}")

    run(str(bindir / "initdb"), "-D", str(data), "-U", "parallax", "-A", "trust",
        "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
        str(folder / "server.log"), "-w", "-t", "60", "start")  # fmt: skip
    try:
        yield f"postgresql://parallax@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "stop"], capture_output=True, timeout=60)  # fmt: skip


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """A new database on the server, empty or a copy of ``template``; returns its URL."""
    import psycopg

    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy}')  # type: ignore[arg-type]
    return server_url.rsplit("/", 1)[0] + "/" + name


def new_store(request: pytest.FixtureRequest, engine: str, folder: Path) -> str:
    """A fresh, empty store location: a SQLite file in ``folder``, or a new database on
    the session's PostgreSQL server."""
    if engine == "sqlite":
        return str(folder / f"store{next(_databases)}.db")
    return create_database(request.getfixturevalue("postgres"), f"t{next(_databases)}")


def copy_store(request: pytest.FixtureRequest, db: str, folder: Path) -> str:
    """A copy of the store at ``db`` (nothing may be connected to it meanwhile)."""
    if is_postgres(db):
        template = db.rsplit("/", 1)[1]
        return create_database(
            request.getfixturevalue("postgres"), f"t{next(_databases)}", template
        )
    copy = folder / f"copy{next(_databases)}.db"
    shutil.copy(db, copy)
    return str(copy)
