"""The `parallax` command run as a real process against a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import parallax as parallax_package

ARTICLE = """Harbour workers walk out in Port Velmar

Dock workers at the Port of Velmar stopped work on Monday, March 3, 2025, after talks over pay broke down, the dockers' union said.

"We have waited two years for an offer that matches the cost of living," said union spokesperson Ines Okafor.

The Download our app and never miss a story! Follow us on Instagram and TikTok for more.

Leave a Reply
"""


def parallax(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "parallax", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ingest_is_idempotent_and_exports_contract(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "strike.txt").write_text(ARTICLE, encoding="utf-8")
    (inputs / "copy-of-strike.txt").write_text(ARTICLE, encoding="utf-8")
    (inputs / "empty.txt").write_text("", encoding="utf-8")
    db = str(tmp_path / "store.db")

    first = parallax("ingest", str(inputs), "--db", db, "--workers", "1", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "empty.txt: empty file" in first.stderr
    again = parallax("run", str(inputs), "--db", db, "--workers", "1", cwd=tmp_path)
    assert again.returncode == 0, again.stderr

    exported = parallax("export", "--format", "jsonl", "--db", db, cwd=tmp_path)
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(records) == 1
    (record,) = records
    for key in (
        "id",
        "source",
        "title",
        "outlet",
        "republished_by",
        "wire_credits",
        "byline",
        "published",
        "event_dates",
        "language",
        "text",
        "captions",
        "photo_credits",
        "removed",
        "entities",
        "quotes",
    ):
        assert key in record
    assert "Ines Okafor" in {mention["text"] for mention in record["entities"]}
    assert record["title"] == "Harbour workers walk out in Port Velmar"
    assert "2025-03-03" in record["event_dates"]
    assert "Instagram" not in record["text"] and "Leave a Reply" not in record["text"]
    assert {item["reason"] for item in record["removed"]} >= {"promotion", "comment form"}

    found = parallax("search", "dockers", "--json", "--db", db, cwd=tmp_path)
    assert record["id"] in found.stdout


def test_unknown_article_is_one_clear_error(tmp_path: Path) -> None:
    parallax_package.open(tmp_path / "x.db").close()
    result = parallax("show", "nope", "--db", str(tmp_path / "x.db"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: no article with id 'nope' in {tmp_path / 'x.db'}"
    ]


def _quotes_of(speaker: str, examples_db: Path, tmp_path: Path) -> str:
    """``parallax quotes --speaker SPEAKER`` on the examples, as a wide terminal prints it."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "parallax",
            "quotes",
            "--speaker",
            speaker,
            "--db",
            str(examples_db),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "250"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_quotes_table_shows_the_cue_and_the_speakers_role(
    examples_db: Path, tmp_path: Path
) -> None:
    stdout = _quotes_of("Sonmez", examples_db, tmp_path)
    header = next(line for line in stdout.splitlines() if "published" in line)
    assert "cue" in header
    assert "Erkan Sonmez (Interior Minister)" in stdout and " said " in stdout


def test_quotes_table_shows_a_split_quotation_without_its_cue(
    examples_db: Path, tmp_path: Path
) -> None:
    stdout = _quotes_of("Lytvyn", examples_db, tmp_path)
    assert "bittersweet … The league" in stdout
    assert "says Andriy" not in stdout
