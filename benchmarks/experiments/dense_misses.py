"""Where gva-dense loses its recall: each report whose event already has a story, followed.

Issue 24, session 41 (docs/benchmarks.md, "Where gva-dense loses its recall"). The first
gva-dense sample (``stories.dense_events``, seed 0) is placed in arrival order by the
shipped ``StoryGrouper`` at the default threshold. Before each report is placed, the story
holding most of its event's earlier reports is looked up among the report's candidates
(``CandidateIndex``), and the report counted as:

- "joinable": that story is scored and reaches the threshold as the best candidate;
- "scored, under the threshold": scored, below the threshold;
- "another story wins": another candidate reaches the threshold first;
- "no key shared" / "not in the pool": the index never offers that story.

It prints the counts, the mean signals of the reports scored under the threshold against
those joinable, and the headlines of a few misses with their story's first headline, to
read (the texts stay in ``../shared``).

    .venv/bin/python benchmarks/experiments/dense_misses.py    # about 5 minutes
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import train_stories as ts
from density_threshold import dense_subset

from parallax.stories.grouping import StoryGrouper
from parallax.stories.signals import SIGNALS, Frequencies, candidate_signals, read_article

SHOWN = 12


def follow(collection: ts.Collection) -> tuple[Counter[str], dict[str, list], list]:
    grouper = StoryGrouper()
    threshold = grouper.params.threshold
    event_of = {item.id: gold for item, gold in zip(collection.items, collection.gold, strict=True)}
    item_of = {item.id: item for item in collection.items}
    counts: Counter[str] = Counter()
    signals: dict[str, list] = {"joinable": [], "scored, under the threshold": []}
    misses = []
    for item, gold in zip(collection.items, collection.gold, strict=True):
        stories = Counter(s for a, s in grouper.story_of.items() if event_of[a] == gold)
        if stories:
            f = grouper.frequencies
            copy = Frequencies(f.documents, f.terms.copy(), f.names.copy())
            article = read_article(item, copy, grouper.params)
            own = stories.most_common(1)[0][0]
            hits: Counter[str] = Counter()
            for key in grouper.index.keys(article):
                hits.update(grouper.index.stories_with(key))
            pool = [s for s, _ in hits.most_common(grouper.params.candidates)]
            found = [s for s, _ in grouper.index.candidates(article, grouper.stories)]
            if own not in hits:
                kind = "no key shared"
            elif own not in pool:
                kind = "not in the pool"
            elif own not in found:
                kind = "pooled, not scored"
            else:
                rows = candidate_signals(article, [grouper.stories[s] for s in found])
                probabilities = grouper.scorer.probabilities(rows)
                best = int(np.argmax(probabilities))
                if found[best] == own and probabilities[best] >= threshold:
                    kind = "joinable"
                elif probabilities.max() >= threshold:
                    kind = "another story wins"
                else:
                    kind = "scored, under the threshold"
                if kind in signals:
                    signals[kind].append(rows[found.index(own)])
            counts[kind] += 1
            if kind != "joinable":
                first = item_of[grouper.stories[own].members[0]]
                misses.append((kind, item.title, first.title))
        grouper.add(item)
    return counts, signals, misses


def main() -> int:
    sample = dense_subset(ts.gva_collection(ts.GVA_DATA), seed=0)
    counts, signals, misses = follow(sample)
    print(f"{sample.name}: {len(sample.items)} reports")
    for kind, n in counts.most_common():
        print(f"  {kind:30s} {n:4d}")
    print("mean signals", ", ".join(SIGNALS))
    for kind, rows in signals.items():
        if rows:
            print(f"  {kind:30s} {np.round(np.mean(rows, axis=0), 3).tolist()}")
    print(f"{SHOWN} misses, drawn at random (seed 1): the report's headline | its story's first")
    for kind, title, first in random.Random(1).sample(misses, min(SHOWN, len(misses))):
        print(f"  [{kind}] {title!r} | {first!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
