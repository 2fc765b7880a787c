"""The serving benchmark runs end to end on a small store of the bundled examples: it
builds the store, starts the server as `parallax serve` does, drives every endpoint and
prints its table (the figures themselves live in docs/benchmarks.md, not in a test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.benchmarking import benchmark_module


@pytest.fixture(scope="module")
def bench():
    with benchmark_module("web.py", "web_benchmark") as module:
        yield module


def test_the_benchmark_measures_every_endpoint_of_a_small_store(
    bench, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "small.db"
    argv = ["--corpus", "examples", "--articles", "40", "--db", str(db)]
    argv += ["--seconds", "0.3", "--concurrency", "2", "--check-p95", "60000"]
    assert bench.main(argv) == 0
    printed = capsys.readouterr().out
    table = [line for line in printed.splitlines() if line.startswith("| /")]
    names = {line.split("|")[1].strip() for line in table}
    assert {"/", "/stories/{id} ~300", "/api/stories/{id}/compare ~300", "/articles"} <= names
    assert {"/entities", "/quotes", "/api/articles?limit=50", "/articles/{id}"} <= names
    assert all(line.split("|")[-2].strip() == "0" for line in table)  # no errors
    assert "p95 within 60000 ms on every endpoint measured" in printed


def test_endpoints_are_chosen_by_whole_name_or_part(bench) -> None:
    rows = [("/", "/"), ("/api/search?q=x", "a"), ("/search?q=x", "b")]
    assert bench.select(rows, ["/"]) == [("/", "/")]
    assert [name for name, _ in bench.select(rows, ["search"])] == [rows[1][0], rows[2][0]]
    with pytest.raises(SystemExit, match="no endpoint chosen"):
        bench.select(rows, ["nothing"])
