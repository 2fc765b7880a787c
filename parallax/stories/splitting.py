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
cut is clean (``SplitParams.max_cut``; grouping allows a less clean one when the two sides are dated
to different years) and both sides are substantial, so one article with an odd lead, or
the gradual drift of a long-running story, does not split it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from parallax.stories.params import SplitParams


def best_cut(
    bags: Sequence[Counter[str]], params: SplitParams | None = None
) -> tuple[list[bool], float] | None:
    """The members' best cut into two substantial sides: the side each falls on, and the
    cut against chance (1.0: no cleaner than among the same terms shuffled at random).
    None when there is no such cut."""
    params = params or SplitParams()
    n = len(bags)
    if n < params.min_members:
        return None
    vectors = _vectors(bags)
    linked = np.abs(vectors).sum(axis=1) > 0
    if linked.sum() < params.min_members:
        return None
    # Members sharing nothing distinctive with the others take no part in the cut; they
    # stay on the larger side.
    vectors = vectors[linked]
    cut, cut_side = _best_cut(vectors)
    if cut_side is None or not substantial(int(min(cut_side.sum(), (~cut_side).sum())), n, params):
        return None
    # A handful of members always cuts somewhat cleanly: weigh the cut against those of
    # the same members with each term's weights shuffled among them (no real groups).
    rng = np.random.default_rng(0)
    chance = []
    for _ in range(params.chance_draws):
        shuffled = np.column_stack([rng.permutation(column) for column in vectors.T])
        chance.append(_best_cut(_unit_rows(shuffled))[0])
    side = np.full(n, cut_side.sum() > (~cut_side).sum())
    side[linked] = cut_side
    return [bool(s) for s in side], cut / float(np.median(chance))


def substantial(side: int, members: int, params: SplitParams | None = None) -> bool:
    """Whether ``side`` articles of a story of ``members`` are enough to be an event."""
    params = params or SplitParams()
    return side >= min(params.min_share * members, params.min_side)


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
