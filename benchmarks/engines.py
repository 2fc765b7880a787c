"""Whole-pipeline throughput: the local engine against Dask with 1, 2 and 4 workers.

Run from the repository root (Dask installed: ``pip install -e '.[dask]'``)::

    .venv/bin/python benchmarks/engines.py                      # 10k articles, every config
    .venv/bin/python benchmarks/engines.py --articles 1000      # a quicker look
    .venv/bin/python benchmarks/engines.py --configs local:2,dask:2

Each configuration runs the pipeline ``parallax run`` runs (``pipeline.ingest`` →
``pipeline.analyze`` → ``pipeline.group_stories``) into a fresh SQLite file, in a fresh
subprocess, so that its peak RSS is its own. ``local:N`` is the default engine: a pool of N
processes cleans, and spaCy's own N processes (``--processes N``) parse. ``dask:N`` starts
a local Dask cluster of N single-threaded worker processes that clean and parse; the main
process reads the files and writes the store either way. ``peak RSS`` is the main process
only (locally it holds the spaCy model; on Dask the workers do).

The corpus is ``build_scale_corpus`` of ``benchmarks/stories.py`` (ECB+, the
article-extraction gold bodies and PolNeAR texts of ``../shared/eval``: about 1.9k real
news texts, then perturbed copies of them), written as JSON Lines files of 1,000 articles
with a title (the first line), an outlet (one of eight, by position) and a date, so that
the pipeline reads, cleans, analyses and groups them as it would a real feed dump.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/eval/ecbplus"
DEFAULT_CONFIGS = "local:1,local:2,dask:1,dask:2,dask:4"
FILE_ARTICLES = 1000
OUTLETS = 8


def write_corpus(n: int, data: Path, folder: Path) -> None:
    # Imported here: the measured subprocesses need not carry scikit-learn and SciPy.
    from stories import build_scale_corpus

    texts, _ = build_scale_corpus(n, data)
    for start in range(0, n, FILE_ARTICLES):
        lines = []
        for i, text in enumerate(texts[start : start + FILE_ARTICLES], start):
            record = {
                "url": f"https://news.invalid/{i}",
                "title": text.strip().splitlines()[0][:120],
                "text": text,
                "outlet": f"Outlet {i % OUTLETS}",
                "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            }
            lines.append(json.dumps(record, ensure_ascii=False))
        (folder / f"articles-{start:06d}.jsonl").write_text("\n".join(lines) + "\n")


def run_config(engine: str, workers: int, corpus: Path, db: Path) -> dict[str, Any]:
    """Runs in a fresh subprocess: the whole pipeline once; returns its figures."""
    from parallax import pipeline
    from parallax.engine import make_engine
    from parallax.store import Store

    started = time.perf_counter()
    with Store(db) as store, make_engine(engine, None, workers) as runner:
        ingested = pipeline.ingest([corpus], store, engine=runner)
        ingest_s = time.perf_counter() - started
        on_workers = runner if engine == "dask" else None
        analysed = pipeline.analyze(store, n_process=workers, engine=on_workers)
        analyse_s = time.perf_counter() - started - ingest_s
        pipeline.group_stories(store)
        articles = store.count()
    seconds = time.perf_counter() - started
    return {
        "engine": engine,
        "workers": workers,
        "articles": articles,
        "failed": ingested.failed + analysed.failed,
        "seconds": seconds,
        "ingest_s": ingest_s,
        "analyse_s": analyse_s,
        "group_s": seconds - ingest_s - analyse_s,
        # ru_maxrss is in kilobytes on Linux.
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def row(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"| {result['engine']} | {result['workers']} | | | | | | | {result['error']} |"
    return (
        f"| {result['engine']} | {result['workers']} | {result['articles']} "
        f"| {result['seconds']:.0f} | {result['articles'] / result['seconds']:.1f} "
        f"| {result['ingest_s']:.0f} / {result['analyse_s']:.0f} / {result['group_s']:.0f} "
        f"| {result['rss_mb']:.0f} | {result['failed']} | |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--configs", default=DEFAULT_CONFIGS, help="engine:workers,...")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="ECB+ folder")
    parser.add_argument("--timeout", type=float, default=4 * 3600, help="seconds per config")
    parser.add_argument(
        "--run", nargs=3, metavar=("ENGINE", "WORKERS", "CORPUS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.run:
        engine, workers, corpus = args.run
        with tempfile.TemporaryDirectory() as tmp:
            result = run_config(engine, int(workers), Path(corpus), Path(tmp) / "bench.db")
        print(json.dumps(result))
        return

    configs = [(name, int(n)) for name, n in (c.split(":") for c in args.configs.split(","))]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        write_corpus(args.articles, args.data, corpus)
        megabytes = sum(f.stat().st_size for f in corpus.iterdir()) / 2**20
        print(f"{args.articles} articles, {megabytes:.0f} MB of JSON Lines\n")
        print(
            "| engine | workers | articles | seconds | articles/s | ingest / analyse / group s "
            "| peak RSS MB (main) | failed | note |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |", flush=True)
        for engine, workers in configs:
            command = [sys.executable, __file__, "--run", engine, str(workers), str(corpus)]
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
                result = (
                    json.loads(done.stdout.splitlines()[-1])
                    if done.returncode == 0
                    else {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
                )
            except subprocess.TimeoutExpired:
                result = {"error": f"over {args.timeout:.0f} s"}
            print(row({"engine": engine, "workers": workers} | result), flush=True)


if __name__ == "__main__":
    main()
