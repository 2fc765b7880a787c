"""Where the comparison's link threshold should sit: `same_claim`'s network (what the
comparison reads by default) swept over thresholds on ECB+ 1-35 claim alignment, the
threshold chosen on four topic folds (the lowest whose pooled precision reaches a target)
and scored on the fifth; beside it MSRP fold 0 (which the shipped model never saw) at
the same thresholds. Not shipped: an experiment behind a CompareParams value.

    .venv/bin/python benchmarks/experiments/alignment_threshold.py
"""

from __future__ import annotations

import sys
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import same_claim as bench
from compare import DEFAULT_DATA, TOPIC_FOLDS, gold_stories, prf
from train_same_claim import fold_of

from parallax.compare.align import align_claims
from parallax.compare.params import DEFAULT_PARAMS
from parallax.text.same_claim import load_claim_model

THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
TARGETS = (0.85, 0.9)


def main() -> int:
    network = load_claim_model(with_cross_encoder=False)
    stories = gold_stories(DEFAULT_DATA / "ECB+")
    cache: dict[tuple[str, tuple[int, int]], float] = {}

    def links(story, threshold):
        def score(texts, pairs):
            missing = [p for p in pairs if (story.name, p) not in cache]
            if missing:
                for pair, value in zip(missing, network.score_pairs(texts, missing), strict=True):
                    cache[(story.name, pair)] = float(value)
            return np.array([cache[(story.name, p)] for p in pairs])

        position = {id(c): n for n, c in enumerate(story.claims)}
        params = replace(DEFAULT_PARAMS, same_claim=threshold)
        found = set()
        for group in align_claims(story.claims, score, params):
            members = sorted(position[id(c)] for c in group)
            found |= {
                (story.name, i, j)
                for i, j in combinations(members, 2)
                if story.claims[i].outlet != story.claims[j].outlet
            }
        return found

    predicted = {t: {s.name: links(s, t) for s in stories} for t in THRESHOLDS}
    gold = {s.name: {(s.name, i, j) for i, j in s.links} for s in stories}

    def pooled(subset, t):
        p = set().union(*(predicted[t][s.name] for s in subset))
        g = set().union(*(gold[s.name] for s in subset))
        return prf(p, g)

    print("ECB+ 1-35 alignment, every topic, by threshold (network alone)")
    print(f"{'threshold':>9} {'P':>6} {'R':>6} {'F1':>6}")
    for t in THRESHOLDS:
        print(f"{t:>9.2f} " + " ".join(f"{v:6.3f}" for v in pooled(stories, t)))
    for target in TARGETS:
        held_p, held_g, chosen = set(), set(), []
        for fold in range(TOPIC_FOLDS):
            train = [s for s in stories if s.topic % TOPIC_FOLDS != fold]
            held = [s for s in stories if s.topic % TOPIC_FOLDS == fold]
            t = min((t for t in THRESHOLDS if pooled(train, t)[0] >= target), default=0.5)
            chosen.append(t)
            for s in held:
                held_p |= predicted[t][s.name]
                held_g |= gold[s.name]
        p, r, f = prf(held_p, held_g)
        print(f"target P {target}: thresholds {chosen}; held-out P {p:.3f} R {r:.3f} F1 {f:.3f}")

    pairs = bench.load_msrp()
    folds = fold_of(len(pairs))
    test = [p for p, fold in zip(pairs, folds, strict=True) if fold == 0]
    texts = [t for p in test for t in (p.a, p.b)]
    scores = network.score_pairs(texts, [(2 * k, 2 * k + 1) for k in range(len(test))])
    labels = np.array([p.same for p in test], dtype=bool)
    print(f"\nMSRP fold 0 ({len(test)} pairs, {labels.mean():.3f} the same), network alone")
    print(f"{'threshold':>9} {'P':>6} {'R':>6} {'acc':>6}")
    for t in THRESHOLDS:
        said = scores >= t
        precision = (said & labels).sum() / max(1, said.sum())
        recall = (said & labels).sum() / labels.sum()
        print(f"{t:>9.2f} {precision:6.3f} {recall:6.3f} {(said == labels).mean():6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
