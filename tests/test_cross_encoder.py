"""The cross-encoder's numpy forward pass: the tokens and probabilities torch gives for the
shipped weights (tests/data/cross_encoder_reference.json, written by
``benchmarks/train_cross_encoder.py --reference``), its cuts, and errors on broken files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from parallax.text import cross_encoder
from parallax.text.cross_encoder import (
    CrossEncoderUnavailable,
    load_cross_encoder,
    truncate_longest_first,
)

REFERENCE = Path(__file__).resolve().parent / "data" / "cross_encoder_reference.json"


@pytest.fixture(scope="module")
def encoder() -> cross_encoder.CrossEncoder:
    return load_cross_encoder()


@pytest.fixture(scope="module")
def reference() -> list[dict]:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def test_token_ids_and_types_match_the_model_tokenizer(encoder, reference) -> None:
    for case in reference:
        ids, second_starts = encoder.pair_ids(case["first"], case["second"])
        assert ids == case["input_ids"], case["first"][:40]
        types = [0] * second_starts + [1] * (len(ids) - second_starts)
        assert types == case["token_type_ids"], case["first"][:40]


def test_probabilities_match_torch(encoder, reference) -> None:
    pairs = [(case["first"], case["second"]) for case in reference]
    expected = np.array([case["probability"] for case in reference])
    assert np.abs(encoder.probabilities(pairs) - expected).max() < 1e-4
    # The references span the verdict, so a pass that ignored its input would fail.
    assert expected.min() < 0.5 < expected.max()


def test_batch_size_does_not_change_a_probability(encoder, reference) -> None:
    pairs = [(case["first"], case["second"]) for case in reference]
    one_by_one = encoder.probabilities(pairs, batch_size=1)
    assert np.allclose(encoder.probabilities(pairs, batch_size=4), one_by_one, atol=1e-6)
    with pytest.raises(ValueError, match="batch_size"):
        encoder.probabilities(pairs, batch_size=0)


def test_a_long_pair_is_cut_to_fit(encoder) -> None:
    long = "ships wait outside the port " * 60
    ids, second_starts = encoder.pair_ids(long, long)
    assert len(ids) == encoder.max_tokens
    # Cut evenly: the two halves differ by at most one token.
    assert abs(second_starts - 1 - (len(ids) - second_starts)) <= 1
    assert encoder.probabilities([(long, "Ships waited.")]).shape == (1,)


def test_longest_first_cut() -> None:
    assert truncate_longest_first(list("abcdef"), list("xy"), 5) == (list("abc"), list("xy"))
    # A tie is cut on the second side, as BERT's tokenizer does.
    assert truncate_longest_first(list("abc"), list("xyz"), 5) == (list("abc"), list("xy"))
    assert truncate_longest_first(list("ab"), [], 5) == (list("ab"), [])


def test_missing_or_broken_files_give_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CrossEncoderUnavailable, match=r"train_cross_encoder\.py --write"):
        load_cross_encoder(tmp_path)
    for name in (cross_encoder.SHAPE_FILE, cross_encoder.VOCABULARY_FILE):
        shutil.copy(cross_encoder.model_directory() / name, tmp_path / name)
    (tmp_path / cross_encoder.WEIGHTS_FILE).write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{")
    with pytest.raises(CrossEncoderUnavailable, match="cannot be read"):
        load_cross_encoder(tmp_path)
