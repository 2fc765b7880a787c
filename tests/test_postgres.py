"""Every command against a real PostgreSQL server gives what it gives on SQLite.

The same bundled examples are run into a SQLite file and into a PostgreSQL database by
`parallax run`; then each reading command, the export and the HTTP API must print the
same thing from both."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from parallax.examples import ARTICLES_DIR
from parallax.store import Store
from parallax.web import create_app
from tests.outputs import json_values, parallax_output
from tests.stores import new_store


@pytest.fixture(scope="module")
def stores(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("engines")
    found = {}
    for engine in ("sqlite", "postgresql"):
        db = new_store(request, engine, work)
        parallax_output("run", str(ARTICLES_DIR), "--workers", "1", db=db, cwd=work)
        found[engine] = db
    return {"work": work, **found}


def both(stores: dict, *args: str) -> tuple[str, str]:
    return tuple(  # type: ignore[return-value]
        parallax_output(*args, db=stores[engine], cwd=stores["work"])
        for engine in ("sqlite", "postgresql")
    )


def test_the_store_is_postgresql(stores: dict) -> None:
    with Store(stores["postgresql"]) as store:
        assert store.dialect == "postgresql"
        assert store.count() == 20


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--format", "jsonl"),
        ("export", "--format", "jsonl", "--stories"),
        ("stories", "--json"),
        ("entities", "--limit", "1000", "--json"),
        ("entities", "--type", "person", "--json"),
        ("entity", "mikhail ZHURAVSKY", "--json"),
        ("quotes", "--json"),
        ("articles", "--json"),
    ],
)
def test_reading_commands_agree(stores: dict, args: tuple[str, ...]) -> None:
    on_sqlite, on_postgres = both(stores, *args)
    assert on_sqlite.strip(), args
    assert json_values(on_postgres) == json_values(on_sqlite)


def test_story_and_compare_agree(stores: dict) -> None:
    stories = json.loads(both(stores, "stories", "--json")[0])
    largest = max(stories, key=lambda s: len(s["articles"]))
    for args in (("story", largest["id"], "--json"), ("compare", largest["id"], "--json")):
        on_sqlite, on_postgres = both(stores, *args)
        assert json.loads(on_postgres) == json.loads(on_sqlite)


def test_full_text_search(stores: dict) -> None:
    with Store(stores["postgresql"]) as store:
        hits = store.search("earthquake Erzincan")
        assert hits and all("earthquake" in h.article.text.lower() for h in hits)
        marked = {hits[0].snippet[start:end].lower() for start, end in hits[0].marks}
        assert marked == {"earthquake", "erzincan"}
        assert store.count_matches("earthquake Erzincan") == len(hits)
        assert store.search("zzzqqq", spellings=["struck eastern"])  # another spelling matches
        assert store.search('"struck eastern"')  # a phrase
        assert store.search("zzzqqq nothing") == []
        assert store.search("(((") == []  # odd syntax is no error
    with Store(stores["sqlite"]) as store:
        expected = {h.article.id for h in store.search("earthquake Erzincan")}
    assert {h.article.id for h in hits} == expected


def test_the_api_serves_from_postgresql(stores: dict) -> None:
    answers = []
    for engine in ("sqlite", "postgresql"):
        with TestClient(create_app(stores[engine], hosts=["testserver"])) as client:
            answers.append(
                [
                    client.get(path).json()
                    for path in ("/api/stories", "/api/entities?limit=20", "/api/quotes")
                ]
            )
            assert client.get("/").status_code == 200
    assert answers[0] == answers[1]


def test_the_store_is_named_by_the_environment(stores: dict) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "parallax", "stories", "--json"],
        env={**os.environ, "PARALLAX_DB": stores["postgresql"]},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=stores["work"],
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(both(stores, "stories", "--json")[0])


def test_an_unreachable_server_is_one_clear_line(tmp_path: Path) -> None:
    nowhere = "postgresql://someone:secret@127.0.0.1:9/nowhere"
    result = subprocess.run(
        [sys.executable, "-m", "parallax", "stories", "--db", nowhere],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "cannot open database postgresql://someone:***@127.0.0.1:9/nowhere" in result.stderr
    assert "secret" not in result.stderr
