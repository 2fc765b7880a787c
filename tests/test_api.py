"""The library API: docs/api.md executed as written, the worked example in examples/,
and the CLI giving exactly what the API gives."""

from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import pytest

import parallax
from parallax.examples import ARTICLES_DIR
from tests.outputs import json_values, parallax_output

ROOT = Path(__file__).resolve().parents[1]


def test_the_api_page_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = doctest.testfile(
        str(ROOT / "docs" / "api.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 30
    assert result.failed == 0


def test_only_the_documented_names_are_public() -> None:
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for name in parallax.__all__:
        assert f"`{name}" in page, f"{name} is public but not in docs/api.md"
        assert getattr(parallax, name) is not None
    with pytest.raises(AttributeError):
        parallax.pipeline_internals  # noqa: B018


def test_the_worked_example_draws_its_heat_map(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    pytest.importorskip("pandas")
    png = tmp_path / "heat.png"
    script = ROOT / "examples" / "contested_story.py"
    result = subprocess.run(
        [sys.executable, str(script), "--out", str(png), "--db", str(tmp_path / "example.db")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "most contested:" in result.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000  # a drawn heat map, not an empty canvas


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The examples run once by the CLI and once by the API, into two stores."""
    work = tmp_path_factory.mktemp("cli-api")
    cli_db, api_db = str(work / "cli.db"), str(work / "api.db")
    subprocess.run(
        [sys.executable, "-m", "parallax", "run", str(ARTICLES_DIR), "--db", cli_db],
        check=True,
        capture_output=True,
        timeout=600,
    )
    with parallax.open(api_db) as corpus:
        corpus.run([ARTICLES_DIR])
    return {"work": work, "cli": cli_db, "api": api_db}


def test_cli_and_api_build_the_same_store(both: dict) -> None:
    with parallax.open(both["api"]) as corpus:
        api = corpus.articles().to_dicts()
    assert json_values(parallax_output("export", db=both["cli"])) == api


def test_cli_prints_what_the_api_returns(both: dict) -> None:
    db = both["cli"]
    with parallax.open(db) as corpus:
        story = corpus.largest_story()
        assert story is not None
        pairs = [
            (("stories", "--json"), corpus.stories().to_dicts()),
            (("entities", "--limit", "1000", "--json"), corpus.entities(limit=1000).to_dicts()),
            (("quotes", "--limit", "1000", "--json"), corpus.quotes(limit=1000).to_dicts()),
            (("search", "earthquake", "--json"), corpus.search("earthquake").to_dicts()),
            (("compare", story.id, "--json"), [corpus.compare(story.id).to_dict()]),
        ]
    for args, expected in pairs:
        printed = json_values(parallax_output(*args, db=db))
        if len(printed) == 1 and isinstance(printed[0], list):
            printed = printed[0]
        assert printed == expected, args


def test_analyze_one_article_matches_the_pipeline(both: dict) -> None:
    source = ARTICLES_DIR / "reuters-constanta-talks.txt"
    article = parallax.analyze(source.read_text(encoding="utf-8"))
    with parallax.open(both["api"]) as corpus:
        stored = corpus.article(article.id)
    assert stored is not None
    assert article.text == stored.text and article.title == stored.title
    assert [m["text"] for m in article.entities] == [m["text"] for m in stored.entities]
    assert [q["text"] for q in article.quotes] == [q["text"] for q in stored.quotes]


def test_a_script_without_a_main_guard_runs(tmp_path: Path) -> None:
    """By default the API cleans in the calling process: a pool of processes would
    re-import a script read from standard input (or without a main guard) and hang."""
    script = (
        "import parallax\n"
        "from parallax.examples import ARTICLES_DIR\n"
        f"with parallax.open({str(tmp_path / 'x.db')!r}) as corpus:\n"
        "    print(corpus.ingest([ARTICLES_DIR]).ingested)\n"
    )
    result = subprocess.run(
        [sys.executable, "-"], input=script, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "20"
