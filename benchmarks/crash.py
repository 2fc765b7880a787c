"""Kill-and-rerun: `parallax run` killed with SIGKILL at many moments, then run again.

Run from the repository root::

    .venv/bin/python benchmarks/crash.py                 # 25 kills over a 60-report corpus
    .venv/bin/python benchmarks/crash.py --kills 50 --reports 200 --seed 7

A clean run into a fresh SQLite store gives the expected store (every exported article
with its analysis, story and copy link, every story, every entity, every failure). Then,
for each kill, a fresh store gets `parallax run` killed at a moment spread over the
clean run's duration (each kill at a random point of its own slice, so ingest, analysis,
resolution and grouping all get hit), the store is checked right away (SQLite integrity
and foreign keys, no article without its paragraphs), and the same run is started again
to the end; its store must equal the clean one. Prints one row per kill and a total.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.killing import clean_run, kill_and_rerun, kill_times, write_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=25)
    parser.add_argument(
        "--reports", type=int, default=60, help="invented reports besides the examples"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        corpus = write_corpus(work / "corpus", args.reports)
        duration, expected = clean_run(corpus, str(work / "clean.db"))
        print(
            f"clean run: {duration:.1f} s, {len(expected['articles'])} articles, "
            f"{len(expected['stories'])} stories, {len(expected['entities'])} entities\n"
        )
        print("| kill | at s | mid-run | problems after kill | re-run equals clean |")
        print("| --- | --- | --- | --- | --- |")
        started = time.monotonic()
        results = []
        for n, after in enumerate(kill_times(duration, args.kills, args.seed)):
            result = kill_and_rerun(corpus, str(work / f"killed{n}.db"), after, expected)
            results.append(result)
            print(
                f"| {n + 1} | {after:.1f} | {'yes' if not result.finished_first else 'no'} | "
                f"{'; '.join(result.problems) or 'none'} | {'yes' if result.equal else 'NO'} |",
                flush=True,
            )
        mid = sum(not r.finished_first for r in results)
        bad = sum(bool(r.problems) or not r.equal for r in results)
        print(
            f"\n{len(results)} kills ({mid} mid-run), {bad} failures, "
            f"{time.monotonic() - started:.0f} s"
        )


if __name__ == "__main__":
    main()
