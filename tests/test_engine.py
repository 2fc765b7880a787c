"""The engines: results in input order, bounded submission, and `parallax run --engine dask`
on real Dask clusters storing exactly what the local engine stores."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parallax import engine as engines
from parallax import pipeline
from parallax.cli import app
from parallax.engine import DaskEngine, LocalEngine, make_engine
from parallax.errors import ParallaxError
from parallax.examples import ARTICLES_DIR
from parallax.store import Store

distributed = pytest.importorskip("distributed")


def parallax(*args: str) -> None:
    """The command in this process (the spaCy model loads once for the whole module)."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


def exports(db: Path) -> tuple[str, str]:
    """Everything a run stored that a user can see: the articles with their entities,
    quotes and stories, and the stories."""
    parallax("export", "--format", "jsonl", "--db", str(db), "--out", f"{db}.articles")
    parallax("export", "--format", "jsonl", "--stories", "--db", str(db), "--out", f"{db}.stories")
    return Path(f"{db}.articles").read_text(), Path(f"{db}.stories").read_text()


@pytest.fixture(scope="module")
def cluster() -> Iterator[distributed.LocalCluster]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as started:
        yield started


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    db = tmp_path_factory.mktemp("local") / "local.db"
    parallax("run", str(ARTICLES_DIR), "--db", str(db), "--engine", "local", "--workers", "1")
    return exports(db)


def test_engines_return_results_in_input_order(cluster: distributed.LocalCluster) -> None:
    expected = [str(n) for n in range(50)]
    with LocalEngine(1) as local:
        assert list(local.map(str, range(50))) == expected
    with LocalEngine(2) as pool:
        assert list(pool.map(str, range(50), chunksize=3)) == expected
    with DaskEngine(cluster.scheduler_address) as dask:
        assert dask.workers == 2
        assert list(dask.map(str, range(50), chunksize=3)) == expected
        assert list(dask.map(str, [])) == []


def test_submission_is_bounded() -> None:
    """The input is read as results are taken: a corpus is never all in flight at once."""
    read: list[int] = []

    def source() -> Iterator[int]:
        for n in range(100):
            read.append(n)
            yield n

    results = engines._in_order(lambda chunk: chunk, lambda chunk: chunk, source(), 2, 3)
    assert next(results) == 0
    # Three chunks of two were in flight; taking the first result submitted one more.
    assert len(read) == 2 * 4
    assert list(results) == list(range(1, 100))


def test_run_on_a_local_dask_cluster_stores_what_the_local_engine_stores(
    tmp_path: Path, local_run: tuple[str, str]
) -> None:
    db = tmp_path / "dask.db"
    parallax("run", str(ARTICLES_DIR), "--db", str(db), "--engine", "dask", "--workers", "2")
    assert exports(db) == local_run
    assert local_run[0].count("\n") == 20 and '"entities"' in local_run[0]


def test_run_on_an_existing_scheduler(
    tmp_path: Path, cluster: distributed.LocalCluster, local_run: tuple[str, str]
) -> None:
    db = tmp_path / "dask.db"
    address = cluster.scheduler_address
    args = ("run", str(ARTICLES_DIR), "--db", str(db), "--engine", "dask", "--scheduler", address)
    parallax(*args)
    assert exports(db) == local_run


def test_an_unreachable_scheduler_is_one_error_line(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    env = os.environ | {"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    done = subprocess.run(
        [sys.executable, "-m", "parallax", "run", str(ARTICLES_DIR), "--db", str(tmp_path / "x.db"),
         "--engine", "dask", "--scheduler", address],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert done.stderr.startswith(f"error: cannot reach the Dask scheduler at {address}")


def test_an_article_the_analysis_fails_on_is_a_failure_on_an_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(tmp_path / "store.db") as store:
        pipeline.ingest([ARTICLES_DIR / "worldpulse24-erzincan-quake.txt"], store, workers=1)
        pipeline.ingest([ARTICLES_DIR / "newsloom-tallinn-summit.txt"], store, workers=1)
        (bad,) = [a for a in store.articles() if "Tallinn" in (a.title or "")]
        real = pipeline.analyze_articles

        def fails_on_bad(articles, **kwargs):  # type: ignore[no-untyped-def]
            if any(article.id == bad.id for article in articles):
                raise ValueError("parser crashed")
            return real(articles, **kwargs)

        monkeypatch.setattr(pipeline, "analyze_articles", fails_on_bad)
        with LocalEngine(1) as engine:  # in-process, so the patch reaches the "worker"
            report = pipeline.analyze(store, engine=engine)
    assert report.analysed == 1
    assert [(f.article_id, f.reason) for f in report.failures] == [
        (bad.id, "analysis failed (ValueError: parser crashed)")
    ]


def test_engine_names_and_a_missing_dask(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ParallaxError, match="unknown engine 'spark'"):
        make_engine("spark")
    with pytest.raises(ParallaxError, match="--scheduler needs --engine dask"):
        make_engine("local", "tcp://127.0.0.1:8786")
    monkeypatch.setitem(sys.modules, "distributed", None)  # what an install without it sees
    with pytest.raises(ParallaxError, match=r"pip install 'parallax-news\[dask\]'"):
        make_engine("dask")
