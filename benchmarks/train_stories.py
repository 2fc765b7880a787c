"""Fit the learned story scorer (``parallax/stories/signals.py``) and evaluate it
leave-one-collection-out on the two development collections in ../shared (issue 24).

Run from the repository root::

    .venv/bin/python benchmarks/train_stories.py             # LOCO table, then ship weights
    .venv/bin/python benchmarks/train_stories.py --no-save   # the table only

Labelled pairs: the articles of a collection arrive one at a time (GVA in publication
order, ECB+ in the order ``load_ecbplus`` interleaves its two events per topic). Each
arriving article is read against the gold stories built so far: its own gold story (a
positive, when it has earlier members) and the ``--candidates`` most similar other stories
by body cosine, from the same inverted index the grouper uses (negatives). Weights are a
logistic regression over the standardised signals, folded back into weights on the raw
signals so that the runtime scorer is one dot product.

Leave-one-collection-out: the weights are fitted on one collection, the decision threshold
is the one that maximises B-cubed F1 of ``LearnedGrouper`` on that same collection, and
both are scored on the other: pairwise AUC, and B-cubed of ``LearnedGrouper`` beside
TF-IDF average linkage at 0.83 and singletons, in the same run. The shipped weights are
then fitted on both collections (threshold: best mean F1 over the two), and written to
``parallax/stories/data/story_weights.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stories import (
    DEFAULT_DATA,
    SHARED_EVAL,
    load_ecbplus,
    parse_topic_spec,
    score,
    tfidf_cluster,
    tfidf_prepare,
)

from parallax.clean import clean_document
from parallax.errors import UnreadableDocument
from parallax.model import RawDocument
from parallax.stories.grouping import StoryInput, lead_years, surface_names
from parallax.stories.signals import (
    CANDIDATES,
    SIGNALS,
    Article,
    CandidateIndex,
    Frequencies,
    LearnedGrouper,
    StoryScorer,
    StoryState,
    add_article,
    candidate_signals,
    read_article,
)

GVA_DATA = SHARED_EVAL / "gva-incidents"
WEIGHTS = Path(__file__).resolve().parents[1] / "parallax/stories/data/story_weights.json"
TFIDF_THRESHOLD = 0.83  # fixed beforehand on ECB+ 1-35 (issue 24)
THRESHOLDS = [round(0.1 + 0.1 * i, 1) for i in range(9)]  # 0.1 .. 0.9
FIXED_THRESHOLD = 0.5
# Share of training articles whose date is hidden (``labelled_pairs``); ECB+ has a date for
# about four in ten, GVA for all.
UNDATE = 0.5
MAX_STORY = 40  # issue 24: no story of the GVA stream may hold more reports


@dataclass
class Collection:
    name: str
    items: list[StoryInput]  # in arrival order
    gold: list[str]
    texts: list[str]  # what the TF-IDF baseline reads

    @cached_property
    def articles(self) -> list[Article]:
        """The items read in arrival order: fixed at arrival, so the same for every grouping."""
        frequencies = Frequencies()
        return [read_article(item, frequencies) for item in self.items]


def ecbplus_collection(data: Path, topics: str = "all") -> Collection:
    docs = load_ecbplus(data, None)
    chosen = parse_topic_spec(topics, sorted({d.topic for d in docs}))
    docs = [d for d in docs if d.topic in chosen]
    items = [
        StoryInput(id=d.doc_id, text=d.text, names=surface_names(d.text), years=lead_years(d.text))
        for d in docs
    ]
    return Collection("ECB+", items, [d.gold for d in docs], [d.text for d in docs])


def gva_collection(data: Path, limit: int | None = None, clean: bool = True) -> Collection:
    """GVA reports in publication order (``docs.tsv``'s dct), the first ``limit`` of them.

    The texts are crawler output with the page's furniture ("Get email notifications on
    ... daily!", sign-up forms) at the top; with ``clean`` they go through Parallax's
    cleaning first, as ``parallax run`` would take them: furniture a site puts on every
    page otherwise makes all of that site's shootings one story."""
    with (data / "docs.tsv").open(newline="", encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle, delimiter="\t"), key=lambda r: (r["dct"], r["doc_id"]))
    rows = rows[:limit]
    items, gold, texts = [], [], []
    for row in rows:
        raw = (data / "docs" / f"{row['event_id']}__{row['doc_id']}.txt").read_text("utf-8")
        title, _, body = raw.partition("\n")
        title, body = title.strip(), body.strip()
        if clean:
            body = _cleaned(body, title, row["dct"])
        items.append(
            StoryInput(
                id=row["doc_id"],
                text=body,
                title=title,
                names=surface_names(f"{title}\n{body}"),
                years=lead_years(body, title),
                published=row["dct"],
            )
        )
        gold.append(row["event_id"])
        texts.append(f"{title}\n{body}")
    return Collection("GVA", items, gold, texts)


def _cleaned(body: str, title: str, published: str) -> str:
    """The article text cleaning keeps; none when it finds no article (the crawler kept
    only a sign-up form, say), and then the headline is all the report says."""
    raw = RawDocument("gva", "text", body, is_html=False, title=title, published=published)
    try:
        return clean_document(raw).text
    except UnreadableDocument:
        return ""


def labelled_pairs(
    collection: Collection, top: int = CANDIDATES, undate: float = 0.0, seed: int = 24
) -> tuple[np.ndarray, np.ndarray]:
    """Signals and labels of each arriving article against its gold story so far (1) and
    the ``top`` most similar other gold stories (0), simulating arrival in order.

    ``undate`` is the share of articles whose date is taken away (at random, ``seed``): in
    a collection where every article is dated, the weights would otherwise never learn
    what an undated one is worth, and would read it as one dated weeks apart."""
    rng = random.Random(seed)
    index = CandidateIndex()
    stories: dict[str, StoryState] = {}
    rows: list[np.ndarray] = []
    labels: list[int] = []
    for article, gold in zip(collection.articles, collection.gold, strict=True):
        if article.day is not None and rng.random() < undate:
            article = replace(article, day=None)
        found = [story_id for story_id, _ in index.candidates(article, stories, top)]
        if gold in stories and gold not in found:
            found.append(gold)
        if found:
            rows.extend(candidate_signals(article, [stories[story_id] for story_id in found]))
            labels.extend(int(story_id == gold) for story_id in found)
        add_article(stories.setdefault(gold, StoryState()), article)
        index.add(gold, article)
    return np.array(rows), np.array(labels)


def fit(
    x: np.ndarray, y: np.ndarray, threshold: float = 0.5, weight: np.ndarray | None = None
) -> StoryScorer:
    """Logistic regression on standardised signals, returned as weights on the raw ones."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0  # a signal constant in training gets weight 0 either way
    model = LogisticRegression(C=1.0, max_iter=2000)
    model.fit((x - mean) / std, y, sample_weight=weight)
    weights = model.coef_[0] / std
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / std))
    return StoryScorer(SIGNALS, weights, intercept, threshold)


def group(collection: Collection, scorer: StoryScorer, threshold: float) -> list[str]:
    grouper = LearnedGrouper(scorer, threshold)
    return [grouper.add_read(article) for article in collection.articles]


def tune_threshold(collections: Sequence[Collection], scorer: StoryScorer) -> float:
    """The threshold with the best mean B-cubed F1 of ``LearnedGrouper`` over ``collections``
    (the training ones only)."""

    def mean_f1(threshold: float) -> float:
        return float(np.mean([score(group(c, scorer, threshold), c.gold).f1 for c in collections]))

    return max(THRESHOLDS, key=mean_f1)


@dataclass
class Row:
    train: str
    test: str
    auc: float
    threshold: float
    precision: float
    recall: float
    f1: float
    stories: int
    largest: int
    sizes: list[int]  # the five largest stories
    tfidf_f1: float
    singletons_f1: float


def train(
    collections: Sequence[Collection], pairs: dict[str, tuple[np.ndarray, np.ndarray]]
) -> StoryScorer:
    """Weights fitted on the pairs of ``collections``, threshold tuned on them alone."""
    x = np.vstack([pairs[c.name][0] for c in collections])
    y = np.concatenate([pairs[c.name][1] for c in collections])
    # Each collection weighs the same, not each pair: GVA gives nine times ECB+'s pairs,
    # and weights for news at large should not be weights for US shootings.
    weight = np.concatenate(
        [np.full(len(pairs[c.name][1]), 1 / len(pairs[c.name][1])) for c in collections]
    )
    scorer = fit(x, y, weight=weight * len(y) / len(collections))
    return replace(scorer, threshold=tune_threshold(collections, scorer))


def assess(
    scorer: StoryScorer,
    train_name: str,
    test: Collection,
    pairs: tuple[np.ndarray, np.ndarray],
    baselines: tuple[float, float],
) -> Row:
    """``scorer`` on ``test``: AUC over its labelled pairs (fitted without date dropout),
    B-cubed of ``LearnedGrouper`` at the scorer's threshold, beside the baselines."""
    auc = float(roc_auc_score(pairs[1], scorer.probabilities(pairs[0])))
    labels = group(test, scorer, scorer.threshold)
    result = score(labels, test.gold)
    return Row(
        train_name,
        test.name,
        auc,
        scorer.threshold,
        result.precision,
        result.recall,
        result.f1,
        result.n_pred,
        max(Counter(labels).values()),
        sorted(Counter(labels).values(), reverse=True)[:5],
        *baselines,
    )


def baseline_scores(collection: Collection) -> tuple[float, float]:
    """B-cubed F1 of TF-IDF average linkage at 0.83 and of leaving every article alone."""
    ids = [item.id for item in collection.items]
    tfidf = tfidf_cluster(tfidf_prepare(collection.texts, ids), TFIDF_THRESHOLD)
    return score(tfidf, collection.gold).f1, score(ids, collection.gold).f1


def format_table(rows: Sequence[Row]) -> str:
    lines = [
        "| train → test | pair AUC | threshold | B³ P | B³ R | B³ F1 | stories | largest "
        "| TF-IDF 0.83 F1 | singletons F1 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r.train} → {r.test} | {r.auc:.3f} | {r.threshold:.2f} | {r.precision:.3f} "
            f"| {r.recall:.3f} | {r.f1:.3f} | {r.stories} | {r.largest} | {r.tfidf_f1:.3f} "
            f"| {r.singletons_f1:.3f} |"
        )
    return "\n".join(lines)


def save(scorer: StoryScorer, path: Path, trained_on: Sequence[str]) -> None:
    data = {
        "features": list(scorer.features),
        "weights": [round(float(w), 6) for w in scorer.weights],
        "intercept": round(scorer.intercept, 6),
        "threshold": scorer.threshold,
        "trained_on": list(trained_on),
        "made_by": "benchmarks/train_stories.py",
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def loco(collections: Sequence[Collection], baselines: bool = True) -> list[Row]:
    """Both leave-one-collection-out directions: fitted and tuned on one, scored on the
    other."""
    training = {c.name: labelled_pairs(c, undate=UNDATE) for c in collections}
    testing = {c.name: labelled_pairs(c) for c in collections}
    nan = float("nan")
    rows = []
    for test in collections:
        train_on = [c for c in collections if c is not test]
        scorer = train(train_on, training)
        base = baseline_scores(test) if baselines else (nan, nan)
        name = "+".join(c.name for c in train_on)
        rows.append(assess(scorer, name, test, testing[test.name], base))
        # And at 0.5, fixed beforehand: the tuned threshold carries how large the training
        # collection's events are (ECB+ about 12 reports each, GVA under 2) into the other.
        if scorer.threshold != FIXED_THRESHOLD:
            fixed = replace(scorer, threshold=FIXED_THRESHOLD)
            rows.append(assess(fixed, name, test, testing[test.name], base))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ecbplus", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--gva", type=Path, default=GVA_DATA)
    parser.add_argument("--gva-limit", type=int, default=None, help="first N GVA reports")
    parser.add_argument("--no-save", action="store_true", help="do not write the weights")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    collections = [ecbplus_collection(args.ecbplus), gva_collection(args.gva, args.gva_limit)]
    for c in collections:
        print(f"{c.name}: {len(c.items)} articles, {len(set(c.gold))} events")
    rows = loco(collections)
    print("leave one collection out:")
    print(format_table(rows))

    # The shipped weights: fitted on both, threshold by the best mean F1 over both; their
    # rows are in-sample, a reference, not an estimate.
    training = {c.name: labelled_pairs(c, undate=UNDATE) for c in collections}
    scorer = train(collections, training)
    both = "both"
    baselines = {r.test: (r.tfidf_f1, r.singletons_f1) for r in rows}
    shipped = [assess(scorer, both, c, labelled_pairs(c), baselines[c.name]) for c in collections]
    print(f"\nshipped weights (fitted on {both}), in-sample:")
    print(format_table(shipped))
    print("weights:", {n: round(float(w), 3) for n, w in zip(SIGNALS, scorer.weights, strict=True)})
    print(f"intercept: {scorer.intercept:.3f}  threshold: {scorer.threshold}")
    for r in rows + shipped:
        if r.test == "GVA":
            print(f"GVA, fitted on {r.train}: largest stories {r.sizes} (at most {MAX_STORY})")
    if not args.no_save:
        save(scorer, args.out, [c.name for c in collections])
        print(f"wrote {args.out}")
    print(f"{time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
