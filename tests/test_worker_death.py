"""Worker processes end with their parent: a real `parallax analyze --processes 2` killed
with SIGKILL mid-analysis leaves no process of its own behind (they held hundreds of MB
and the store each, for good)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parallax import pipeline
from parallax.engine import LocalEngine
from parallax.store import Store
from tests.killing import write_corpus

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="finds processes through /proc (Linux)"
)


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process, None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # "pid (command) state ppid ...": the command may hold spaces and parentheses.
    state, ppid = text.rpartition(")")[2].split()[:2]
    return state, int(ppid)


def descendants(root: int) -> set[int]:
    """Every live process below ``root``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            children.setdefault(stat[1], []).append(int(entry.name))
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")  # a zombie has ended


def _analysed(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as connection:
            return int(connection.execute("SELECT count(*) FROM analyses").fetchone()[0])
    except sqlite3.Error:
        return 0


def _wait_until_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while (left := {pid for pid in pids if alive(pid)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_analysis_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    with Store(db) as store:
        report = pipeline.ingest([write_corpus(tmp_path / "corpus", 1200)], store, workers=1)
    assert report.ingested >= 1200
    stderr = tmp_path / "stderr.txt"
    with stderr.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "parallax", "analyze", "--db", str(db), "--processes", "2"],
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    try:
        # Busy: the workers have loaded the model and the first analyses are stored.
        deadline = time.monotonic() + 240
        while process.poll() is None and time.monotonic() < deadline:
            if _analysed(db) > 0 and len(descendants(process.pid)) >= 2:
                break
            time.sleep(0.1)
        said = stderr.read_text()[-2000:]
        assert process.poll() is None, f"the analysis ended before it could be killed: {said}"
        assert _analysed(db) > 0, f"no analysis stored within 240 s: {said}"
        workers = descendants(process.pid)
        assert len(workers) >= 2, "the two analysis processes were not found"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    left = _wait_until_gone(workers, 10)
    for pid in left:  # do not leave them running past the test either
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} of {len(workers)} processes outlived their killed parent"


def _sleep(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_a_pool_worker_whose_parent_dies_exits(tmp_path: Path) -> None:
    """The cleaning pool (`ingest --workers N`) is the same local pool: a parent killed while
    its workers are busy leaves none of them behind."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import sys, time\n"
        "from parallax.engine import LocalEngine\n"
        "from tests.test_worker_death import _sleep\n"
        "if __name__ == '__main__':\n"
        "    with LocalEngine(2) as engine:\n"
        "        for pid in engine.map(_sleep, [0.0, 0.0] + [60.0] * 4):\n"
        "            print(pid, flush=True)\n"
    )
    root = Path(__file__).resolve().parent.parent
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
    }
    process = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env, cwd=root
    )
    try:
        assert process.stdout is not None
        pids = {int(process.stdout.readline()), int(process.stdout.readline())}
        assert all(alive(pid) for pid in pids) and pids <= descendants(process.pid)
        workers = descendants(process.pid)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    left = _wait_until_gone(workers, 10)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} of {len(workers)} processes outlived their killed parent"


def test_the_pool_still_works_and_stops() -> None:
    with LocalEngine(2) as engine:
        pids = set(engine.map(_sleep, [0.0] * 8))
    assert pids and os.getpid() not in pids
    assert not {pid for pid in pids if alive(pid)}


def test_analysis_on_the_pool_stores_what_one_process_stores(tmp_path: Path) -> None:
    """`analyze --processes 2` runs on the local pool: the same analyses as one process."""
    from parallax.examples import ARTICLES_DIR

    analyses = []
    for processes in (1, 2):
        with Store(tmp_path / f"p{processes}.db") as store:
            pipeline.ingest([ARTICLES_DIR], store, workers=1)
            report = pipeline.analyze(store, n_process=processes, batch_size=4)
            assert report.analysed == store.count() and not report.failures
            analyses.append(store.analyses())
    assert analyses[0] == analyses[1] and analyses[0]
