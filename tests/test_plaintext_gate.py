"""Evaluation gate for cleaning scraped plain text (issue 28): on the naive dumps of
L3S-GN1 and the article-extraction pages, the token F1 and the decisive-snippet F1 of the
packaged paragraph model and of one fitted on the other set only, and the recall on gold
bodies given as text must not fall more than the recorded tolerance below
benchmarks/data/plaintext_gates.json. After a change that moves them on purpose, record
them again with the command the file names and say why in docs/benchmarks.md. Real pages,
so this runs only beside ../shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.benchmarking import benchmark_module

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
RECORDED = json.loads((REPO / "benchmarks" / "data" / "plaintext_gates.json").read_text("utf-8"))

pytestmark = pytest.mark.skipif(
    not (SHARED / "eval" / "l3s-gn1" / "original").is_dir()
    or not (SHARED / "eval" / "article-extraction" / "html").is_dir(),
    reason="L3S-GN1 and the article-extraction pages are not in ../shared/eval",
)


@pytest.fixture(scope="module")
def measured() -> dict[str, dict[str, float]]:
    with benchmark_module("plaintext.py", "plaintext_gate_benchmark") as bench:
        assert RECORDED["command"] == bench.GATE_COMMAND
        return bench.gate_figures(SHARED)


@pytest.mark.parametrize("collection", ["l3s-gn1", "article-extraction"])
@pytest.mark.parametrize(
    "figure",
    ["token_f1", "held_out_token_f1", "decisive_f1", "held_out_decisive_f1", "whole_recall"],
)
def test_cleaning_holds_on_the_development_dumps(
    measured: dict[str, dict[str, float]], collection: str, figure: str
) -> None:
    recorded = RECORDED["figures"][collection][figure]
    floor = recorded - RECORDED["tolerance"]
    now = measured[collection][figure]
    assert now >= floor, (
        f"{collection} {figure} {now:.4f} is below {recorded:.4f} - {RECORDED['tolerance']} "
        f"recorded by `{RECORDED['command']}` (now: {measured[collection]})"
    )
