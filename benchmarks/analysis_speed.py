"""How fast ``parallax run`` analyses, beside bare spaCy on the same texts (issue 27).

Run from the repository root::

    .venv/bin/python benchmarks/analysis_speed.py                 # 300 articles
    .venv/bin/python benchmarks/analysis_speed.py --articles 100 --repeats 1

The texts are the first ``--articles`` PolNeAR train articles (../shared/eval/polnear,
political news of about 800 words), written one per file into a temporary folder. Each
row is one fresh subprocess, timed from start to exit, the faster of ``--repeats`` runs:

* ``bare nlp.pipe, N processes``: load the default model and parse every text with
  ``nlp.pipe(texts, n_process=N)``, nothing else: the floor any analysis pays;
* ``parallax run`` (defaults, or ``--processes N``): the whole job a user starts, into a
  fresh SQLite file: read, clean, analyse (parse, mentions, quotes, roles), resolve,
  group, compare.

The issue's goal: ``parallax run`` with its defaults at >= 0.9 of the speed of bare
``nlp.pipe`` with as many processes as the machine has cores (``ratio``: bare seconds
over Parallax seconds).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared/eval/polnear/train/text"
PARALLAX = Path(sys.executable).with_name("parallax")
# The bare parse as its own program, so that it pays what ``parallax run`` pays: starting
# Python, loading the model, spawning its processes.
BARE = """
import sys
from pathlib import Path
import spacy
from parallax.nlp.spacy_model import MODELS, DEFAULT_MODEL
nlp = spacy.load(MODELS[DEFAULT_MODEL])
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
for _ in nlp.pipe(texts, batch_size=64, n_process=int(sys.argv[2])):
    pass
"""


def bare_label(processes: int) -> str:
    return f"bare nlp.pipe, {processes} process{'es' if processes > 1 else ''}"


def write_texts(source: Path, folder: Path, articles: int) -> int:
    """The first ``articles`` texts of ``source`` as files in ``folder``; their word count."""
    words = 0
    for path in sorted(source.glob("*.txt"))[:articles]:
        text = path.read_text(encoding="utf-8")
        words += len(text.split())
        (folder / path.name).write_text(text, encoding="utf-8")
    return words


def timed(command: Sequence[str], repeats: int, before: Callable[[], None] | None = None) -> float:
    """The fastest wall-clock seconds of ``command`` over ``repeats`` runs (``before`` runs
    untimed before each)."""
    best = float("inf")
    for _ in range(repeats):
        if before is not None:
            before()
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a folder of .txt")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument(
        "--processes", default="1,2", help="process counts for the bare parse and --processes"
    )
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no texts at {args.data}: pass --data with a folder of .txt files")
        return 2
    counts = [int(n) for n in args.processes.split(",")]
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder, db = Path(tmp) / "texts", Path(tmp) / "speed.db"
        folder.mkdir()
        words = write_texts(args.data, folder, args.articles)
        print(f"{args.articles} articles, {words:,} words, {cores} cores\n")

        def fresh_store() -> None:
            for path in Path(tmp).glob("speed.db*"):
                path.unlink()

        rows: list[tuple[str, float]] = []
        for n in counts:
            bare = [sys.executable, "-c", BARE, str(folder), str(n)]
            rows.append((bare_label(n), timed(bare, args.repeats)))
        run = [str(PARALLAX), "run", str(folder), "--db", str(db)]
        rows.append(("parallax run (defaults)", timed(run, args.repeats, fresh_store)))
        for n in counts:
            command = [*run, "--processes", str(n)]
            rows.append(
                (f"parallax run --processes {n}", timed(command, args.repeats, fresh_store))
            )

    # The floor: bare spaCy with as many processes as the machine has cores (or the most
    # measured).
    floor = dict(rows)[bare_label(min(max(counts), cores))]
    print("| system | seconds | words/s | ratio to bare with the cores |")
    print("| --- | ---: | ---: | ---: |")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.1f} | {words / seconds:,.0f} | {floor / seconds:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
