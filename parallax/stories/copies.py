"""Copies: syndicated wire copy, aggregator re-posts and lightly edited versions.

MinHash signatures over word 5-gram shingles estimate the Jaccard similarity of
two bodies; locality-sensitive hashing (bands of the signature) finds candidate
pairs without comparing every article with every other one.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from parallax.stories.params import CopyParams

# Fixed facts, not parameters: a store keeps every article's signature (words in 5-grams,
# 128 permutations from the seeded hash functions below), and signatures made with other
# values would not compare with those. Changing one means signing every stored article
# again. What is tuned (bands, the copy similarity) is ``CopyParams``.
SHINGLE = 5
PERMUTATIONS = 128
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20261125)
_A = _rng.integers(1, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[int]:
    """Hashes of the text's word n-grams (lower-cased), the unit copies share."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        words_grams = [" ".join(words)] if words else []
    else:
        words_grams = [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
    return {
        int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little") >> 3
        for gram in words_grams
    }


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text (all-max for an empty one)."""
    hashes = np.fromiter(shingles(text), dtype=np.uint64)
    if not len(hashes):
        return np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    # (a*x + b) mod p for every permutation at once; values stay below 2**61.
    products = (np.outer(_A, hashes) + _B[:, None]) % _PRIME
    return products.min(axis=1)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return float(np.mean(a == b))


def find_copies(
    texts: Mapping[str, str],
    order: Sequence[str] | None = None,
    params: CopyParams | None = None,
) -> dict[str, str]:
    """``{copy id: original id}`` for every article that copies an earlier one.

    ``order`` lists the ids from the earliest (publication date, then arrival); the
    original of a chain of copies is its earliest member, so the chain is kept and
    every copy points at the same first report.
    """
    ids = list(order) if order is not None else list(texts)
    signatures = {article_id: signature(texts[article_id]) for article_id in ids}
    return copies_among(ids, signatures, params)


def copies_among(
    ids: Sequence[str],
    signatures: Mapping[str, np.ndarray],
    params: CopyParams | None = None,
) -> dict[str, str]:
    """``find_copies`` over signatures computed beforehand (a store keeps them)."""
    params = params or CopyParams()
    rows = PERMUTATIONS // params.bands
    buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)
    original: dict[str, str] = {}
    for article_id in ids:
        sig = signatures[article_id]
        candidates: list[str] = []
        for band in range(params.bands):
            key = (band, sig[band * rows : (band + 1) * rows].tobytes())
            candidates.extend(buckets[key])
            buckets[key].append(article_id)
        best = _best_match(sig, dict.fromkeys(candidates), signatures, params.copy_jaccard)
        if best is not None:
            original[article_id] = original.get(best, best)
    return original


def _best_match(
    sig: np.ndarray,
    candidates: Iterable[str],
    signatures: Mapping[str, np.ndarray],
    least: float,
) -> str | None:
    """The candidate whose signature is most similar to ``sig``, at least ``least``."""
    scored = [(similarity(sig, signatures[c]), c) for c in candidates]
    scored = [(score, c) for score, c in scored if score >= least]
    # The most similar earlier article; among equals the earliest (stable order).
    return max(scored, key=lambda pair: pair[0])[1] if scored else None
