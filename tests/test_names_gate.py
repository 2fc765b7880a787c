"""Gate on the names a comparison shows on political news (only beside ../shared): on the
first days of PolNeAR, each day's articles compared as one story, no more name conflicts
and no more people shown twice than benchmarks/data/name_gate.json records (written by
``.venv/bin/python benchmarks/compare.py --record-gates``; issues 25 and 26)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.benchmarking import benchmark_module

SHARED = Path(__file__).resolve().parents[2] / "shared"
GATE = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "name_gate.json"


def test_political_news_shows_no_more_false_name_conflicts() -> None:
    polnear = SHARED / "eval" / "polnear"
    if not (polnear / "metadata.tsv").is_file():
        pytest.skip("PolNeAR is not in ../shared/eval")
    recorded = json.loads(GATE.read_text())
    with benchmark_module("compare.py", "compare_names_benchmark") as bench:
        found = bench.name_gate_figures(polnear)
    assert (found["days"], found["articles"]) == (recorded["days"], recorded["articles"])
    assert found["name_conflicts"] <= recorded["name_conflicts"], found
    assert found["shown_twice"] <= recorded["shown_twice"], found
