"""Telling two events of one kind apart inside a story.

Articles join stories one at a time, by their fit to the story as a whole. Two events
of the same kind (two jewel heists in one city, two deaths of figures of one scandal)
share most of their vocabulary and names, so once one report of the second event has
joined, the rest follow. Inside such a story, though, the words every member shares
say nothing, and what is left falls into two groups: the headline words, figures and
names of one event, and those of the other.

``best_cut`` looks for that: it weighs each member's headline words and names by how
few of the story's members carry them, links members that share them, and cuts the
links in two where they are weakest (the normalised cut, by the Fiedler vector of the
link graph), and says how clean the cut is against chance. A story splits only when the
cut is clean (``MAX_CUT``; grouping allows a less clean one when the two sides are dated
to different years) and both sides are substantial, so one article with an odd lead, or
the gradual drift of a long-running story, does not split it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

# Chosen on the ECB+ topics in ../shared (benchmarks/stories.py, docs/benchmarks.md
# "Stories"): below this cut a story is two events. On their raw texts no story of a single
# event cuts below 0.53 and two-fold CV scores the same from 0.5 to 0.52; read through
# ``parallax run`` two stories of two events cut at 0.503 and 0.514 (0.5: 0.915, 0.52:
# 0.925). Above 0.52 one-event stories start to split on raw text.
MAX_CUT = 0.52
CHANCE_DRAWS = 10
# Each side must hold at least this share of the story, or at least MIN_SIDE articles: a
# few odd articles are not an event, but eight of them in a story of eighty can be one.
MIN_SHARE = 0.3
MIN_SIDE = 8
# Fewer members than this do not show two groups reliably.
MIN_MEMBERS = 6
# Larger stories are not checked: the cut costs cubic time in the members, and a story
# that large has been confirmed by many arrivals.
MAX_MEMBERS = 1_000
# The headline and the opening words name the event; further in, background takes over.
LEAD_CHARS = 150


def best_cut(bags: Sequence[Counter[str]]) -> tuple[list[bool], float] | None:
    """The members' best cut into two substantial sides: the side each falls on, and the
    cut against chance (1.0: no cleaner than among the same terms shuffled at random).
    None when there is no such cut."""
    n = len(bags)
    if n < MIN_MEMBERS:
        return None
    vectors = _vectors(bags)
    linked = np.abs(vectors).sum(axis=1) > 0
    if linked.sum() < MIN_MEMBERS:
        return None
    # Members sharing nothing distinctive with the others take no part in the cut; they
    # stay on the larger side.
    vectors = vectors[linked]
    cut, cut_side = _best_cut(vectors)
    if cut_side is None or not substantial(int(min(cut_side.sum(), (~cut_side).sum())), n):
        return None
    # A handful of members always cuts somewhat cleanly: weigh the cut against those of
    # the same members with each term's weights shuffled among them (no real groups).
    rng = np.random.default_rng(0)
    chance = []
    for _ in range(CHANCE_DRAWS):
        shuffled = np.column_stack([rng.permutation(column) for column in vectors.T])
        chance.append(_best_cut(_unit_rows(shuffled))[0])
    side = np.full(n, cut_side.sum() > (~cut_side).sum())
    side[linked] = cut_side
    return [bool(s) for s in side], cut / float(np.median(chance))


def substantial(side: int, members: int) -> bool:
    """Whether ``side`` articles of a story of ``members`` are enough to be an event."""
    return side >= min(MIN_SHARE * members, MIN_SIDE)


def _best_cut(vectors: np.ndarray) -> tuple[float, np.ndarray | None]:
    """The normalised cut of the members' link graph by the sign of its Fiedler vector."""
    links = np.clip(vectors @ vectors.T, 0, None)
    np.fill_diagonal(links, 0)
    degree = links.sum(axis=1)
    if (degree <= 0).any():
        return 2.0, None
    scale = 1 / np.sqrt(degree)
    laplacian = np.eye(len(links)) - scale[:, None] * links * scale[None, :]
    _, eigenvectors = np.linalg.eigh(laplacian)
    side = scale * eigenvectors[:, 1] > 0
    if side.all() or not side.any():
        return 2.0, None
    across = links[side][:, ~side].sum()
    return float(across / links[side].sum() + across / links[~side].sum()), side


def _vectors(bags: Sequence[Counter[str]]) -> np.ndarray:
    """The members' bags weighted by rarity within the story, as unit rows; the terms all
    of them carry, or only one, weigh nothing."""
    n = len(bags)
    df = Counter(term for bag in bags for term in bag)
    columns = {term: i for i, term in enumerate(t for t, k in df.items() if 2 <= k < n)}
    vectors = np.zeros((n, len(columns)))
    for row, bag in enumerate(bags):
        for term, count in bag.items():
            if term in columns:
                vectors[row, columns[term]] = (1 + math.log(1 + count)) * math.log(n / df[term])
    return _unit_rows(vectors)


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)
