"""Fuzz every reader and the cleaner at length: atheris per format, then the hypothesis
properties of tests/test_hostile_input.py with many more examples, plus the 1 GB cases.

    .venv/bin/python benchmarks/fuzz.py                       # 2,000 atheris runs per format
    .venv/bin/python benchmarks/fuzz.py --runs 20000 --examples 5000 --skip-1gb

Prints a markdown table: target, cases tried, failures, seconds. An atheris
failure leaves its crashing input (``crash-*``) in ``--artifacts`` (a temp folder
by default), to replay with ``tests/fuzz/fuzz_readers.py CRASH_FILE``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "tests" / "fuzz" / "fuzz_readers.py"
sys.path.insert(0, str(ROOT / "tests"))

from fuzz.bombs import long_line, zeros_gzip  # noqa: E402
from fuzz.seeds import seeds  # noqa: E402

PROPERTIES = [
    "test_arbitrary_bytes_in_any_format_never_escape_a_reader",
    "test_damaged_files_of_every_format_never_escape_a_reader",
    "test_the_cleaner_fails_only_with_a_reason",
    "test_any_json_value_in_a_jsonl_line_is_read_or_refused",
]


def atheris_row(target: str, runs: int, artifacts: Path) -> tuple[str, int, int, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            str(HARNESS),
            f"-runs={runs}",
            "-timeout=60",
            f"-artifact_prefix={artifacts}/{target.strip('.') or 'mixed'}-",
        ],
        env={**os.environ, "PARALLAX_FUZZ_TARGET": target},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    finished = re.search(r"Done (\d+) runs", done.stderr)
    tried = int(finished.group(1)) if finished else _last_run(done.stderr)
    return f"atheris {target or 'mixed'}", tried, int(done.returncode != 0), seconds


def _last_run(log: str) -> int:
    counts = re.findall(r"^#(\d+)", log, re.M)
    return int(counts[-1]) if counts else 0


def hypothesis_row(test: str, examples: int) -> tuple[str, int, int, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--hypothesis-show-statistics",
            f"tests/test_hostile_input.py::{test}",
        ],
        env={**os.environ, "PARALLAX_HYPOTHESIS_EXAMPLES": str(examples)},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - started
    tried = sum(int(n) for n in re.findall(r"(\d+) passing,", done.stdout))
    failing = sum(int(n) for n in re.findall(r"(\d+) failing,", done.stdout))
    return (
        f"hypothesis {test.removeprefix('test_')}",
        tried,
        failing or int(done.returncode != 0),
        seconds,
    )


def one_gigabyte_rows(folder: Path) -> list[tuple[str, int, int, float]]:
    """The full-size cases the test suite runs smaller: a 1 GB line, a 10 GB bomb."""
    from parallax.ingest import read_paths
    from parallax.model import ReadFailure

    good = b'{"text": "A short line of news that follows the long one."}\n'
    cases = {
        "1 GB line (.jsonl)": lambda path: long_line(
            path, 1_000_000_000, prefix=b'{"text": "', suffix=b'"}\n' + good
        ),
        "1 GB line (.txt)": lambda path: long_line(path, 1_000_000_000),
        "1 GB line (.warc header)": lambda path: long_line(
            path, 1_000_000_000, prefix=seeds()[".warc"] + b"WARC/1.0\r\nX-Junk: "
        ),
        "10 GB of zeros (.txt.gz)": lambda path: zeros_gzip(path, 10),
        "10 GB of zeros (.jsonl.gz)": lambda path: zeros_gzip(path, 10, prefix=good),
    }
    suffixes = [".jsonl", ".txt", ".warc", ".txt.gz", ".jsonl.gz"]
    rows = []
    for (name, make), suffix in zip(cases.items(), suffixes, strict=True):
        path = folder / f"case{suffix}"
        make(path)
        started = time.perf_counter()
        items = list(read_paths([path]))
        refused = [item for item in items if isinstance(item, ReadFailure)]
        rows.append((name, 1, int(len(refused) != 1), time.perf_counter() - started))
        print(f"  {name}: {[item.reason for item in refused]}", file=sys.stderr)
        path.unlink()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=2000, help="atheris runs per format")
    parser.add_argument("--examples", type=int, default=1000, help="hypothesis examples per test")
    parser.add_argument("--artifacts", type=Path, help="folder for crashing inputs")
    parser.add_argument("--skip-1gb", action="store_true", help="leave out the 1 GB cases")
    args = parser.parse_args()
    artifacts = args.artifacts or Path(tempfile.mkdtemp(prefix="parallax-fuzz-artifacts-"))
    artifacts.mkdir(parents=True, exist_ok=True)
    print("| target | cases tried | failures | seconds |")
    print("| --- | ---: | ---: | ---: |")
    rows = []
    for target in [*sorted(seeds()), ""]:
        rows.append(atheris_row(target, args.runs, artifacts))
        _print(rows[-1])
    for test in PROPERTIES:
        rows.append(hypothesis_row(test, args.examples))
        _print(rows[-1])
    if not args.skip_1gb:
        with tempfile.TemporaryDirectory() as folder:
            for row in one_gigabyte_rows(Path(folder)):
                rows.append(row)
                _print(row)
    total = sum(row[1] for row in rows), sum(row[2] for row in rows)
    print(f"| **total** | {total[0]:,} | {total[1]} | {sum(row[3] for row in rows):.0f} |")
    print(f"\ncrashing inputs, if any: {artifacts}", file=sys.stderr)


def _print(row: tuple[str, int, int, float]) -> None:
    print(f"| {row[0]} | {row[1]:,} | {row[2]} | {row[3]:.1f} |", flush=True)


if __name__ == "__main__":
    main()
