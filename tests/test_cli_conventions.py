"""The `parallax` command behaves as a command-line tool is expected to: it never loses a
user's store, a mistyped store is an error, help and --version work, --json is one JSON
document, and entities are found by any part of their names. A real process each time,
against real SQLite files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.test_cli import parallax

ARTICLE = """Ferry strike ends in Port Velmar

Ferry crews in Port Velmar went back to work on Tuesday after a two-day strike, said
union organiser Tomasz Wielgosz.
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store made by ``parallax demo`` from the bundled examples."""
    work = tmp_path_factory.mktemp("demo")
    made = parallax("demo", "--db", str(work / "parallax-demo.db"), "--workers", "1", cwd=work)
    assert made.returncode == 0, made.stderr
    return work / "parallax-demo.db"


def _articles_in(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])


def _users_store(tmp_path: Path) -> Path:
    (tmp_path / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "mywork.db"
    made = parallax("ingest", str(tmp_path / "ferry.txt"), "--db", str(db), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    return db


# -- data is never lost --------------------------------------------------------------------


def test_demo_keeps_a_store_it_did_not_make(tmp_path: Path) -> None:
    db = _users_store(tmp_path)
    refused = parallax("demo", "--db", str(db), cwd=tmp_path)
    assert refused.returncode != 0
    assert "the demo did not make it" in refused.stderr
    assert _articles_in(db) == 1


def test_demo_keeps_any_other_file_and_a_page_it_would_overwrite(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("my notes, not a database", encoding="utf-8")
    assert parallax("demo", "--db", str(notes), cwd=tmp_path).returncode != 0
    assert notes.read_text(encoding="utf-8") == "my notes, not a database"

    page = tmp_path / "report.html"
    page.write_text("<p>my report</p>", encoding="utf-8")
    refused = parallax("demo", "--db", str(tmp_path / "report.db"), cwd=tmp_path)
    assert refused.returncode != 0 and "overwrite" in refused.stderr
    assert page.read_text(encoding="utf-8") == "<p>my report</p>"
    assert not (tmp_path / "report.db").exists()


def test_demo_replaces_its_own_store(demo: Path, tmp_path: Path) -> None:
    db = tmp_path / "again.db"
    for _ in range(2):
        made = parallax("demo", "--db", str(db), "--workers", "1", cwd=tmp_path)
        assert made.returncode == 0, made.stderr
    assert _articles_in(db) == _articles_in(demo)


@pytest.mark.parametrize(
    "command",
    [
        ("articles",),
        ("stories",),
        ("entities",),
        ("search", "strike"),
        ("quotes",),
        ("entity", "Okafor"),
        ("show", "abc"),
        ("export", "--format", "jsonl"),
        ("analyze",),
        ("group",),
        ("serve", "--port", "0"),
    ],
)
def test_a_mistyped_store_is_an_error_not_a_new_store(
    command: tuple[str, ...], tmp_path: Path
) -> None:
    _users_store(tmp_path)
    result = parallax(*command, "--db", str(tmp_path / "mywrok.db"), cwd=tmp_path)
    assert result.returncode != 0
    assert f"no store at {tmp_path / 'mywrok.db'}" in result.stderr
    assert f"did you mean {tmp_path / 'mywork.db'}?" in result.stderr
    assert not (tmp_path / "mywrok.db").exists()


def test_an_unsupported_store_url_names_the_supported_ones(tmp_path: Path) -> None:
    result = parallax("articles", "--db", "mysql://me@localhost/news", cwd=tmp_path)
    assert result.returncode != 0
    assert "unsupported store" in result.stderr and "postgresql://" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())


# -- the conventions of command-line tools -------------------------------------------------


def test_version_and_short_help(tmp_path: Path) -> None:
    from parallax import __version__

    version = parallax("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.strip() == f"parallax {__version__}"
    for args in (("-h",), ("ingest", "-h"), ("story", "-h"), ("story", "split", "-h")):
        shown = parallax(*args, cwd=tmp_path)
        assert shown.returncode == 0, (args, shown.stderr)
        assert "Usage: parallax" in shown.stdout


def test_help_shows_words_not_python_types(tmp_path: Path) -> None:
    for args in (("ingest",), ("articles",), ("story", "split"), ("compare",), ("serve",)):
        shown = parallax(*args, "--help", cwd=tmp_path).stdout
        for python_type in ("<bool>", "<str>", "<int>", "list[", "{"):
            assert python_type not in shown, (args, python_type)
    ingest = parallax("ingest", "--help", cwd=tmp_path).stdout
    assert "Usage: parallax ingest [OPTIONS] PATH..." in ingest
    assert "--db STORE" in ingest
    articles = parallax("articles", "--help", cwd=tmp_path).stdout
    assert any(line.split()[:1] == ["--json"] and "Print" in line for line in articles.splitlines())
    # Each command is listed with its first sentence whole, not cut with "...".
    listing = parallax("--help", cwd=tmp_path).stdout
    assert "..." not in listing.split("Commands:")[1]
    assert "analysed yet, then resolve the entities" in " ".join(listing.split())


@pytest.mark.parametrize(
    "command",
    [
        ("articles",),
        ("search", "earthquake"),
        ("entities",),
        ("quotes",),
        ("stories",),
    ],
)
def test_json_is_one_document_and_jsonl_a_stream(command: tuple[str, ...], demo: Path) -> None:
    printed = parallax(*command, "--json", "--db", str(demo), cwd=demo.parent)
    assert printed.returncode == 0, printed.stderr
    document = json.loads(printed.stdout)
    assert isinstance(document, list) and document, command
    streamed = parallax(*command, "--jsonl", "--db", str(demo), cwd=demo.parent)
    lines = streamed.stdout.splitlines()
    assert [json.loads(line) for line in lines] == document


def test_entities_by_part_of_a_name_accents_and_case_ignored(demo: Path) -> None:
    def entity(name: str) -> dict:
        shown = parallax("entity", name, "--json", "--db", str(demo), cwd=demo.parent)
        assert shown.returncode == 0, (name, shown.stderr)
        return json.loads(shown.stdout)

    assert entity("erkan SÖNMEZ")["canonical"] == "Erkan Sonmez"
    assert entity("Vladescu")["canonical"] == "Ionut Vladescu"
    assert entity("IONUȚ vlădescu")["canonical"] == "Ionut Vladescu"
    assert entity("Tammsaar")["canonical"] == "Kaarel Tammsaar"
    two = parallax("entity", "Sonmez", "--db", str(demo), cwd=demo.parent)
    assert two.returncode != 0
    assert "Erkan Sonmez" in two.stderr and "Orhan Sönmez" in two.stderr
    quotes = parallax("quotes", "--speaker", "Sonmez", "--json", "--db", str(demo), cwd=demo.parent)
    found = json.loads(quotes.stdout)
    assert found and {q["speaker_canonical"] for q in found} <= {"Erkan Sonmez", "Orhan Sönmez"}


def test_a_part_naming_several_entities_lists_them(demo: Path) -> None:
    with sqlite3.connect(demo) as connection:
        names = [row[0] for row in connection.execute("SELECT canonical FROM entities")]
    words: dict[str, set[str]] = {}
    for name in names:
        for word in name.split():
            words.setdefault(word, set()).add(name)
    shared = sorted((word for word, owners in words.items() if len(owners) > 1), key=len)[-1]
    shown = parallax("entity", shared, "--db", str(demo), cwd=demo.parent)
    assert shown.returncode != 0
    assert "could be" in shown.stderr
    for name in words[shared]:
        assert name in shown.stderr


@pytest.mark.parametrize(
    ("spelling", "stored"),
    [
        ("people", "person"),
        ("Person", "person"),
        ("organization", "organisation"),
        ("locations", "place"),
    ],
)
def test_entity_types_by_their_usual_spellings(spelling: str, stored: str, demo: Path) -> None:
    shown = parallax("entities", "--type", spelling, "--json", "--db", str(demo), cwd=demo.parent)
    assert shown.returncode == 0, shown.stderr
    found = json.loads(shown.stdout)
    assert found and {e["type"] for e in found} == {stored}


def test_an_unknown_entity_type_lists_the_valid_ones(demo: Path) -> None:
    shown = parallax("entities", "--type", "animals", "--db", str(demo), cwd=demo.parent)
    assert shown.returncode != 0
    assert "person, organisation, place" in shown.stderr


def test_seed_entity_found_by_surname(tmp_path: Path) -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not present on this machine")
    db = str(tmp_path / "seeds.db")
    made = parallax("run", str(seeds), "--db", db, "--workers", "1", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    shown = parallax("entity", "Mirziyoyev", "--json", "--db", db, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["kb_id"] == "kb:shavkat-mirziyoyev"
