"""Kill a real `parallax run` with SIGKILL, run it again, and compare the store with a
clean run's: the harness shared by tests/test_crash.py and benchmarks/crash.py."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from parallax.examples import ARTICLES_DIR
from parallax.store import Store
from tests.outputs import parallax_output

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
PLACES = ["Valmora", "Kestrel Bay", "Ostrava Nova", "Lindqvist", "Port Amsel", "Tarn Hollow"]
PEOPLE = ["Ada Brennick", "Tomas Ferrell", "Ilse Varga", "Noor Haddad", "Piet Olsen"]


def write_corpus(folder: Path, count: int) -> Path:
    """``count`` short invented reports (people, places, quotes, figures) beside a copy
    of the bundled examples, so every stage of a run has work to do."""
    folder.mkdir(parents=True)
    for n in range(count):
        place, person = PLACES[n % len(PLACES)], PEOPLE[(n // 2) % len(PEOPLE)]
        words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(40)]
        paragraphs = [
            f"{place.upper()} — Talks on the {words[0]} dispute in {place} went on late on "
            f"Tuesday, report {n} from the coast desk says.",
            f'"We will not sign before the {words[1]} vote," {person}, the council leader, '
            f"told reporters in {place}.",
            " ".join(words[:20]).capitalize() + f". The count stood at {n * 13 + 7}.",
        ]
        (folder / f"r{n:04d}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    for example in ARTICLES_DIR.iterdir():
        (folder / example.name).write_bytes(example.read_bytes())
    return folder


def run_command(corpus: Path, db: str) -> list[str]:
    return [sys.executable, "-m", "parallax", "run", str(corpus), "--db", db, "--workers", "1"]


def snapshot(db: str) -> dict[str, object]:
    """Everything a user can read from the store."""

    def read(*args: str) -> str:
        return parallax_output(*args, db=db)

    articles = sorted(
        (json.loads(line) for line in read("export", "--format", "jsonl").splitlines()),
        key=lambda record: record["id"],
    )
    stories = sorted(
        (json.loads(line) for line in read("export", "--stories").splitlines()),
        key=lambda story: story["id"],
    )
    return {
        "articles": articles,
        "stories": stories,
        "entities": json.loads(read("entities", "--limit", "100000", "--json")),
        "failures": sorted(_failures(db)),
    }


def _failures(db: str) -> list[tuple[str, str]]:
    with Store(db) as store:
        return [(failure.source, failure.reason) for failure in store.failures()]


def integrity_problems(db: str) -> list[str]:
    """What is wrong inside a SQLite store right after a kill (nothing, if it is safe)."""
    with sqlite3.connect(db) as connection:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        problems = [p for p in problems if p != "ok"]
        problems += [
            f"foreign key: {row}" for row in connection.execute("PRAGMA foreign_key_check")
        ]
        orphans = connection.execute(
            "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM blocks)"
        ).fetchone()[0]
    connection.close()
    if orphans:
        problems.append(f"{orphans} articles without their blocks")
    return problems


@dataclass
class KillResult:
    killed_after: float  # seconds after the start
    finished_first: bool  # the run ended before the kill came
    problems: list[str]  # inside the store right after the kill
    equal: bool  # after the re-run, the store equals a clean run's


def kill_and_rerun(corpus: Path, db: str, after: float, expected: dict[str, object]) -> KillResult:
    process = subprocess.Popen(
        run_command(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(after)
    finished_first = process.poll() is not None
    if not finished_first:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    problems = integrity_problems(db) if Path(db).exists() else []
    subprocess.run(run_command(corpus, db), check=True, capture_output=True, timeout=900)
    return KillResult(after, finished_first, problems, snapshot(db) == expected)


def clean_run(corpus: Path, db: str) -> tuple[float, dict[str, object]]:
    started = time.monotonic()
    subprocess.run(run_command(corpus, db), check=True, capture_output=True, timeout=900)
    return time.monotonic() - started, snapshot(db)


def kill_times(duration: float, count: int, seed: int) -> list[float]:
    """``count`` moments spread over a run of ``duration`` seconds, each at a random
    point of its own slice, so that every stage gets killed somewhere."""
    rng = random.Random(seed)
    start = 0.5  # before the interpreter has even imported Parallax there is nothing to test
    width = (duration - start) / count
    return [start + width * (i + rng.random()) for i in range(count)]
