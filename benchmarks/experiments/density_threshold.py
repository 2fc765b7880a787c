"""A grouping threshold that follows the collection's density: measured, not shipped.

Issue 24, session 40 (docs/benchmarks.md, "Small dense collections"). Where every event is
told several times (ECB+, GVA's events reported twice or more) a threshold near 0.3 groups
best; where most events are told once (the news week, L3S-GN1), 0.9 to 0.95. The share of
arrivals that join a story at 0.75 orders the collections so in-sample. This script checks
whether it carries to a collection left out:

1. the development collections as ``benchmarks/train_stories.py`` reads them, and three
   samples of 241 GVA events told twice or more (``stories.dense_sample``, seeds 0-2);
2. for each family left out (the samples go with GVA), weights fitted on the others, the
   held-out B3 F1 at eleven thresholds and the share of joins at 0.75;
3. a threshold linear in that share (clipped to 0.2-0.95), fitted for the least largest
   loss against each collection's best on the other families, applied to the held-out one.

    .venv/bin/python benchmarks/experiments/density_threshold.py    # about 20 minutes

It prints the held-out curves, then a row per held-out collection: its share, the
threshold the mapping gives it, B3 F1 there, at 0.75 and at its best.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import train_stories as ts
from stories import dense_events, score

GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
REFERENCE = 0.75
LOWEST, HIGHEST = 0.2, 0.95


def dense_subset(collection: ts.Collection, seed: int) -> ts.Collection:
    """``stories.dense_sample`` on a cached collection: the reports of its ``dense_events``."""
    kept = dense_events(collection.gold, seed=seed)
    at = [i for i, gold in enumerate(collection.gold) if gold in kept]
    return ts.Collection(
        f"GVA dense {seed}",
        [collection.items[i] for i in at],
        [collection.gold[i] for i in at],
        [collection.texts[i] for i in at],
    )


def held_out_curves() -> dict[str, tuple[float, dict[float, float]]]:
    """Per collection: its share of joins at ``REFERENCE`` and B3 F1 at each of ``GRID``,
    with weights fitted on the other families."""
    collections = [
        ts.ecbplus_collection(ts.DEFAULT_DATA),
        ts.gva_collection(ts.GVA_DATA),
        ts.news_collection(),
        ts.l3s_collection(),
    ]
    pairs = {c.name: ts.labelled_pairs(c, undate=ts.UNDATE) for c in collections}
    found = {}
    for held in collections:
        scorer = ts.fit_collections([c for c in collections if c is not held], pairs)
        family = [held]
        if held.name == "GVA":
            family += [dense_subset(held, seed) for seed in (0, 1, 2)]
        for collection in family:
            curve = {}
            for threshold in GRID:
                labels = ts.group(collection, scorer, threshold)
                curve[threshold] = score(labels, collection.gold).f1
                if threshold == REFERENCE:
                    joins = 1 - len(set(labels)) / len(labels)
            found[collection.name] = (joins, curve)
            line = " ".join(f"{t}:{f1:.3f}" for t, f1 in curve.items())
            print(f"{collection.name:12} joins {joins:.3f}  {line}", flush=True)
    return found


def threshold_for(joins: float, intercept: float, slope: float) -> float:
    return min(HIGHEST, max(LOWEST, intercept + slope * joins))


def f1_near(curve: dict[float, float], threshold: float) -> float:
    """B3 F1 at the highest measured threshold not above ``threshold``."""
    return curve[max((t for t in curve if t <= threshold + 1e-9), default=min(curve))]


def fit_mapping(found: dict, names: list[str]) -> tuple[float, float]:
    """The line whose thresholds lose least, at worst, against each collection's best."""
    candidates = [(a, b) for a in np.arange(0.6, 1.61, 0.05) for b in np.arange(-4.0, 0.01, 0.1)]

    def worst(line: tuple[float, float]) -> tuple[float, float]:
        losses = [
            max(found[n][1].values()) - f1_near(found[n][1], threshold_for(found[n][0], *line))
            for n in names
        ]
        return round(max(losses), 4), abs(line[1])

    return min(candidates, key=worst)


def main() -> None:
    found = held_out_curves()
    families = {name: "GVA" if name.startswith("GVA") else name for name in found}
    print(f"\n{'held out':12} {'joins':>6} {'thr':>5} {'F1':>6} {'at 0.75':>8} {'best':>6}")
    for family in dict.fromkeys(families.values()):
        train = [n for n, f in families.items() if f != family]
        line = fit_mapping(found, train)
        for name in (n for n, f in families.items() if f == family):
            joins, curve = found[name]
            threshold = threshold_for(joins, *line)
            print(
                f"{name:12} {joins:6.3f} {threshold:5.2f} {f1_near(curve, threshold):6.3f} "
                f"{curve[REFERENCE]:8.3f} {max(curve.values()):6.3f}"
            )


if __name__ == "__main__":
    main()
