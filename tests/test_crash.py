"""Real `parallax` processes killed with SIGKILL mid-run, then run again."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.killing import clean_run, kill_and_rerun, kill_times, write_corpus


def _export(db: Path) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "parallax", "export", "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    records = [json.loads(line) for line in out.stdout.splitlines()]
    return sorted(
        ({k: v for k, v in r.items() if k != "source"} for r in records), key=lambda r: r["id"]
    )


def test_kill_9_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", 400)
    killed_db = tmp_path / "killed.db"
    command = [sys.executable, "-m", "parallax", "ingest", str(corpus), "--workers", "1"]
    process = subprocess.Popen(
        [*command, "--db", str(killed_db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        if killed_db.exists():
            try:
                with sqlite3.connect(killed_db, timeout=1) as db:
                    stored = db.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.Error:
                stored = 0
            if stored > 0:
                break
        time.sleep(0.05)
    assert process.poll() is None, "ingest finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with sqlite3.connect(killed_db) as db:
        partial = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        orphans = db.execute(
            "SELECT count(*) FROM blocks WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        no_blocks = db.execute(
            "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM blocks)"
        ).fetchone()[0]
    assert 0 < partial < 400
    assert orphans == 0 and no_blocks == 0

    subprocess.run([*command, "--db", str(killed_db)], check=True, capture_output=True, timeout=600)
    clean_db = tmp_path / "clean.db"
    subprocess.run([*command, "--db", str(clean_db)], check=True, capture_output=True, timeout=600)
    assert _export(killed_db) == _export(clean_db)
    assert len(_export(clean_db)) >= 400


def test_kill_9_anywhere_in_run_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    """`parallax run` (ingest, analyse, resolve, group) killed at moments spread over a
    whole run, each time into a new store that is then run again to the end."""
    corpus = write_corpus(tmp_path / "corpus", 60)
    duration, expected = clean_run(corpus, str(tmp_path / "clean.db"))
    assert len(expected["articles"]) >= 60
    assert expected["stories"] and expected["entities"]
    results = [
        kill_and_rerun(corpus, str(tmp_path / f"killed{n}.db"), after, expected)
        for n, after in enumerate(kill_times(duration, 3, seed=int(time.time())))
    ]
    for result in results:
        assert result.problems == [], result
        assert result.equal, result
    assert sum(not r.finished_first for r in results) >= 2  # the kills came mid-run
