"""Claim groups: the claims of all outlets of a story that state one thing.

Two claims of different outlets are linked when the learned test of the same claim
(``parallax.same_claim``) scores them at ``CompareParams.same_claim`` or more; linked
claims form a group, strongest links first. A group holds one claim per outlet, except
that one outlet's long sentence may cover two claims of another (each linked to it).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence

import numpy as np

from parallax.compare.claims import Claim
from parallax.compare.params import CompareParams
from parallax.text.words import WORD, stem, stop_words

# Scores pairs (i, j) of texts: ``ClaimModel.score_pairs`` or any stand-in with its shape.
ClaimScorer = Callable[[Sequence[str], Sequence[tuple[int, int]]], np.ndarray]


def align_claims(
    claims: Sequence[Claim],
    score: ClaimScorer,
    params: CompareParams,
    linked: Collection[tuple[int, int]] = (),
) -> list[list[Claim]]:
    """Groups of claims stating one thing, in order of their first claim. Pairs in
    ``linked`` (indexes, earlier first) are one claim whatever the test says, and are
    joined first."""
    if len({claim.outlet for claim in claims}) < 2:
        # Only claims of different outlets are linked: one outlet's are each alone (most
        # stories of a run are one article; reading their words would find no pair).
        return [[claim] for claim in claims]
    pairs = candidate_pairs(claims, params.candidate_keys)
    scores = score([claim.text for claim in claims], pairs) if pairs else np.zeros(0)
    links = {
        pair: float(value)
        for pair, value in zip(pairs, scores, strict=True)
        if value >= params.same_claim
    }
    links |= {pair: 2.0 for pair in linked}  # above any probability: joined first
    group_of = list(range(len(claims)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(claims))}
    for (i, j), _ in sorted(links.items(), key=lambda item: -item[1]):
        a, b = group_of[i], group_of[j]
        if a == b or not _may_join(members[a], members[b], claims, links):
            continue
        for k in members[b]:
            group_of[k] = a
        members[a] = sorted(members[a] + members.pop(b))
    groups = sorted(members.values(), key=lambda group: group[0])
    return [[claims[k] for k in group] for group in groups]


def candidate_pairs(claims: Sequence[Claim], keys: int) -> list[tuple[int, int]]:
    """Pairs of claims of different outlets sharing one of their ``keys`` rarest
    features (content words, figures, entities), each pair once as (earlier, later)."""
    features = [_features(claim) for claim in claims]
    df = Counter(f for found in features for f in found)
    total = len(claims)
    index: dict[str, list[int]] = defaultdict(list)
    pairs: set[tuple[int, int]] = set()
    for position, found in enumerate(features):
        # A feature of one claim only can match nothing: the keys are the rarest of the rest.
        rarest = sorted(
            (f for f in found if df[f] > 1), key=lambda f: (math.log(total / df[f]), f)
        )[::-1][:keys]
        for feature in rarest:
            for other in index[feature]:
                if claims[other].outlet != claims[position].outlet:
                    pairs.add((other, position))
        for feature in found:
            index[feature].append(position)
    return sorted(pairs)


def _features(claim: Claim) -> set[str]:
    ignored = stop_words()
    words = {
        stem(word.lower())
        for word in WORD.findall(claim.text)
        if len(word) > 2 and word.lower() not in ignored
    }
    figures = {f"#{figure.value:g}" for figure in claim.figures}
    return words | figures | {f"@{anchor}" for anchor in claim.anchors}


def _may_join(
    group_a: Sequence[int],
    group_b: Sequence[int],
    claims: Sequence[Claim],
    links: dict[tuple[int, int], float],
) -> bool:
    """Two groups join when no outlet is in both, or when for each outlet in both one
    claim of another outlet is linked to all of that outlet's claims (one long sentence
    covering two of another outlet's)."""
    shared = {claims[k].outlet for k in group_a} & {claims[k].outlet for k in group_b}
    union = [*group_a, *group_b]
    for outlet in shared:
        own = [k for k in union if claims[k].outlet == outlet]
        if not any(
            all((min(c, k), max(c, k)) in links for k in own)
            for c in union
            if claims[c].outlet != outlet
        ):
            return False
    return True
