"""A real `parallax ingest` process killed with SIGKILL mid-run, then re-run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

WORDS = [
    "harbour",
    "crane",
    "union",
    "tariff",
    "ferry",
    "river",
    "council",
    "budget",
    "storm",
    "rescue",
    "vote",
    "court",
]


def _corpus(folder: Path, count: int) -> None:
    folder.mkdir()
    for n in range(count):
        words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(60)]
        paragraphs = [
            f"Report number {n} from the coast desk says the {words[0]} talks went on late.",
            " ".join(words[:30]).capitalize() + ".",
            " ".join(words[30:]).capitalize() + f" The count stood at {n * 13} on Tuesday.",
        ]
        (folder / f"a{n:04d}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")


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
    corpus = tmp_path / "corpus"
    _corpus(corpus, 400)
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
    assert len(_export(clean_db)) == 400
