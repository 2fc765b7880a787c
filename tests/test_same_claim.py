"""The learned test of "the same claim": behaviour on sentences written here, and a gate on
the MSRP fold neither the shipped network nor the cross-encoder saw (only beside ../shared)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from parallax.text.same_claim import (
    FINE_FEATURES,
    describe,
    fine_features,
    load_claim_model,
    same_claim,
)
from tests.benchmarking import benchmark_module

SHARED = Path(__file__).resolve().parents[2] / "shared"
GATE = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "same_claim_gate.json"

BUDGET = "The city council approved a budget of 4.2 million euros for the new library on Tuesday."
BUDGET_AGAIN = "On Tuesday the city council approved 4.2 million euros for a new library."
BUDGET_OTHER_FIGURE = (
    "The city council approved a budget of 9.8 million euros for the new library on Tuesday."
)
FLOODS = "Heavy rain flooded dozens of streets in the northern port overnight, police said."
VOTE = "Senator Alvarez voted against the bill after a long debate in the chamber on Monday."
VOTE_OTHER_ACTOR = (
    "Senator Whitlock voted against the bill after a long debate in the chamber on Monday."
)
VOTE_AGAIN = "After a long debate on Monday, Senator Alvarez voted against the bill in the chamber."
# Two sentences only partly like BUDGET, where the network alone is unsure.
PARTLY_BUDGET = (
    "Councillors approved money for the library, a spokesman said on Tuesday.",
    "The city council met on Tuesday to discuss the library budget.",
)


def test_a_paraphrase_is_one_claim() -> None:
    assert same_claim(BUDGET, BUDGET_AGAIN) >= 0.5
    assert same_claim(VOTE, VOTE_AGAIN) >= 0.5


def test_unrelated_sentences_are_not() -> None:
    assert same_claim(BUDGET, FLOODS) < 0.5
    assert same_claim(VOTE, FLOODS) < 0.5


def test_another_actor_scores_lower_than_a_paraphrase() -> None:
    assert same_claim(VOTE, VOTE_OTHER_ACTOR) < same_claim(VOTE, VOTE_AGAIN)
    # Another figure for one budget is the same claim told differently: the comparison
    # aligns the two and shows the figures as a conflict.
    assert same_claim(BUDGET, BUDGET_OTHER_FIGURE) >= 0.5


def test_symmetric_and_in_range() -> None:
    texts = [BUDGET, BUDGET_AGAIN, BUDGET_OTHER_FIGURE, FLOODS, VOTE, VOTE_AGAIN]
    for a in texts:
        for b in texts:
            score = same_claim(a, b)
            assert 0.0 <= score <= 1.0
            assert score == same_claim(b, a)


def test_batch_scores_equal_single_scores() -> None:
    texts = [BUDGET, FLOODS, VOTE, BUDGET_AGAIN, VOTE_AGAIN, BUDGET_OTHER_FIGURE]
    pairs = [(0, 3), (0, 5), (1, 2), (2, 4), (3, 0), (4, 2)]
    batch = load_claim_model().score_pairs(texts, pairs)
    single = [same_claim(texts[i], texts[j]) for i, j in pairs]
    # Batched, the encoder's vectors differ from one-by-one in the eighth digit.
    np.testing.assert_allclose(batch, single, atol=1e-6)
    assert load_claim_model().score_pairs(texts, []).shape == (0,)


def test_the_cross_encoder_is_read_where_it_can_change_the_verdict() -> None:
    model = load_claim_model()
    assert model.cross_encoder is not None
    texts = [BUDGET, BUDGET_AGAIN, FLOODS, VOTE, VOTE_AGAIN, *PARTLY_BUDGET]
    pairs = [(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))]
    network = replace(model, cross_encoder=None).score_pairs(texts, pairs)
    both = model.score_pairs(texts, pairs)
    floor, ceiling = model.cross_encoder_band
    read = (network >= floor) & (network < ceiling)
    assert read.any() and not read.all()
    assert np.array_equal(both[~read], network[~read])
    assert np.all(both[read] != network[read])


def test_the_cross_encoder_reads_the_least_sure_pairs_within_its_budget() -> None:
    model = load_claim_model()
    texts = [BUDGET, BUDGET_AGAIN, FLOODS, VOTE, VOTE_AGAIN, *PARTLY_BUDGET]
    pairs = [(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))]
    network = replace(model, cross_encoder=None).score_pairs(texts, pairs)
    floor, ceiling = model.cross_encoder_band
    in_band = np.flatnonzero((network >= floor) & (network < ceiling))
    assert len(in_band) >= 2
    budgeted = model.score_pairs(texts, pairs, cross_encoder_pairs=1)
    changed = np.flatnonzero(budgeted != network)
    assert len(changed) == 1
    assert changed[0] == in_band[np.argmin(np.abs(network[in_band] - 0.5))]


def test_gate_on_the_held_out_msrp_fold() -> None:
    """The shipped model on the tenth of MSRP train it was not fitted on keeps the figure
    recorded when it was trained (less 0.01)."""
    if not (SHARED / "eval" / "msrp").is_dir():
        pytest.skip("MSRP is not in ../shared/eval")
    recorded = json.loads(GATE.read_text())
    with benchmark_module("train_same_claim.py", "train_same_claim") as train:
        pairs = train.bench.load_msrp()
        held_out = np.flatnonzero(train.fold_of(len(pairs)) == recorded["fold"])
        assert len(held_out) == recorded["pairs"]
        texts = [s for i in held_out for s in (pairs[i].a, pairs[i].b)]
        gold = np.array([pairs[i].same for i in held_out])
        scores = load_claim_model().score_pairs(
            texts, [(2 * k, 2 * k + 1) for k in range(len(gold))]
        )
        accuracy, f1 = train.bench._accuracy_f1(scores >= 0.5, gold)
    assert accuracy >= recorded["accuracy"] - 0.01
    assert f1 >= recorded["f1"] - 0.01


def test_what_one_side_adds_is_weighed() -> None:
    """A sentence that states the claim and goes on to two more is not the same claim."""
    longer = BUDGET[:-1] + ", and voted to close two swimming pools and sell the old fire station."
    assert same_claim(BUDGET, longer) < 0.5 <= same_claim(BUDGET, BUDGET_AGAIN)


def test_left_over_signals() -> None:
    names = list(FINE_FEATURES)
    denied = BUDGET.replace("approved", "did not approve")
    values = dict(zip(names, fine_features(describe(BUDGET), describe(denied)), strict=True))
    assert values["negation one side only"] == 1.0
    same = dict(zip(names, fine_features(describe(BUDGET), describe(BUDGET)), strict=True))
    assert same["negation one side only"] == 0.0
    assert same["content words min"] == same["content words max"] == 1.0
    assert same["content words unmatched max"] == 0.0
    # "approve" and "approved" stem apart: one content word each side lacks.
    assert values["content words unmatched min"] == values["content words unmatched max"] > 0
