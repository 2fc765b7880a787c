"""Whether two claims of one story are one claim: ``same_claim`` on their words, weighed
with what the story tells about them.

``parallax.same_claim`` judges two sentences alone and, trained on MSRP's paraphrases,
asks nearly as much as a paraphrase. Within one story more is known: the entities both
name (canonical ids, so "Kazakh President Tokayev" and "Kazakhstan" share a country),
how rare their shared words are in the story, whether they count the same thing. A
logistic regression over these signals (``LINK_FEATURES``), fitted on ECB+ 1-35
(``benchmarks/train_claim_links.py``: two linked sentences of different reports of one
event are one claim when they mention one event instance), gives the probability two
claims are one; its figures are in ``compare/data/claim_links.json`` and
docs/benchmarks.md.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from parallax.compare.claims import Claim
from parallax.text.figures import figures_agree, stem
from parallax.text.words import stop_words

LINKER_FILE = "claim_links.json"
LINK_FEATURES = (
    "same claim",  # the logit of parallax.same_claim on the two texts
    "word cosine",  # cosine of their content words weighted by rarity in the story
    "anchor share",  # shared entities over the fewer either names
    "anchor weight",  # the rarity in the story of the entities they share
    "anchors both",  # both name an entity
    "figure shared",  # both count one thing
    "figure conflict",  # they give figures for one thing that cannot both be true
    "length ratio",  # the shorter's words over the longer's
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(frozen=True)
class ClaimLinker:
    """The fitted regression: one weight per ``LINK_FEATURES`` entry, and a bias."""

    weights: tuple[float, ...]
    bias: float

    def probability(self, features: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(features @ np.array(self.weights) + self.bias)))


@cache
def load_claim_linker() -> ClaimLinker:
    """The shipped linker (read once)."""
    card = json.loads(resources.files("parallax.compare").joinpath("data", LINKER_FILE).read_text())
    weights = card["weights"]
    return ClaimLinker(tuple(float(weights[name]) for name in LINK_FEATURES), card["bias"])


def link_features(
    claims: Sequence[Claim], pairs: Sequence[tuple[int, int]], same: np.ndarray
) -> np.ndarray:
    """The ``LINK_FEATURES`` of each pair (i, j) of ``claims``, ``same`` being
    ``same_claim`` of their texts; rarity is counted over ``claims`` (the story)."""
    ignored = stop_words()
    words = [
        Counter(
            stem(w.lower())
            for w in _WORD.findall(c.text)
            if w.lower() not in ignored and len(w) > 2
        )
        for c in claims
    ]
    anchors = [claim.anchors for claim in claims]
    total = len(claims)
    word_df = Counter(w for found in words for w in found)
    anchor_df = Counter(a for found in anchors for a in found)

    def idf(df: int) -> float:
        return math.log((1 + total) / df)

    vectors = [_unit({w: (1 + math.log(n)) * idf(word_df[w]) for w, n in c.items()}) for c in words]
    rows = np.zeros((len(pairs), len(LINK_FEATURES)))
    for row, ((i, j), probability) in enumerate(zip(pairs, same, strict=True)):
        shared = anchors[i] & anchors[j]
        fewer = min(len(anchors[i]), len(anchors[j]))
        units_i = {f.key: f for f in claims[i].figures}
        common = [(units_i[f.key], f) for f in claims[j].figures if f.key in units_i]
        rows[row] = (
            _logit(float(probability)),
            sum(w * vectors[j].get(f, 0.0) for f, w in vectors[i].items()),
            len(shared) / fewer if fewer else 0.0,
            sum(idf(anchor_df[a]) for a in shared) / math.log(1 + total),
            float(fewer > 0),
            float(bool(common)),
            float(any(not figures_agree(a, b) for a, b in common)),
            _length_ratio(words[i], words[j]),
        )
    return rows


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {f: w / norm for f, w in weights.items()}


def _logit(probability: float) -> float:
    clipped = min(max(probability, 1e-4), 1 - 1e-4)
    return math.log(clipped / (1 - clipped))


def _length_ratio(a: Counter[str], b: Counter[str]) -> float:
    sizes = sorted((sum(a.values()), sum(b.values())))
    return sizes[0] / sizes[1] if sizes[1] else 0.0
