"""Fit the learned story scorer (``parallax/stories/signals.py``) and evaluate it
leave-one-collection-out on four labelled collections in ../shared (issue 24).

Run from the repository root::

    .venv/bin/python benchmarks/train_stories.py             # LOCO table, then ship weights
    .venv/bin/python benchmarks/train_stories.py --no-save   # the table only
    .venv/bin/python benchmarks/train_stories.py --curves    # held-out F1 by threshold
    .venv/bin/python benchmarks/train_stories.py --fit-only  # ship weights, no LOCO table

Collections: ECB+ 1-35 (two events of one kind per topic, about 12 reports each), GVA
(5,671 local reports of 3,368 US shootings, with dates), a week of real news from
unrelated sites (181 pages, 153 events, most told once, with topical neighbours) and
L3S-GN1 (621 Google News pages of early 2008, 568 events, most told once, most undated).

Labelled pairs: the articles of a collection arrive one at a time (GVA and the news in
publication order, ECB+ in the order ``load_ecbplus`` interleaves its two events per
topic). Each arriving article is read against the gold stories built so far: its own
gold story (a positive, when it has earlier members) and its other candidate stories, as
the grouper's inverted index chooses them (negatives). Weights are a logistic regression
over the standardised signals, folded back into weights on the raw signals so that the
runtime scorer is one dot product. Each collection weighs the same, and within one,
positives and negatives weigh half each (``pair_weights``).

Leave-one-collection-out: the weights are fitted on the other collections and the
decision threshold is the one whose largest regret (the most any of them loses against its
own best threshold) is least for ``StoryGrouper`` on them (each also cut to at most three
reports per event, ``small_events``); both are scored on the held-out collection,
beside the same fitted and tuned on the held-out collection itself (what leaving it out
costs), TF-IDF average linkage at 0.83 and singletons. The
shipped weights are then fitted on all four (threshold tuned the same way) and written
to ``parallax/stories/data/story_weights.json``; the rule's threshold is printed, and
``GroupingParams.threshold`` records the one shipped and why (session 39: 0.75, where
the rule chose 0.8). Every threshold, held out or shipped, is chosen among those
at which the bundled examples group each of their events as one story
(``examples_collection``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
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
    REAL_NEWS_EVENTS,
    SHARED_EVAL,
    Report,
    _through_pipeline,
    feed_source,
    load_ecbplus,
    load_gva,
    page_reports,
    parse_topic_spec,
    score,
    tfidf_cluster,
    tfidf_prepare,
    write_feed,
)

from parallax.stories.grouping import group_inputs
from parallax.stories.params import GroupingParams
from parallax.stories.signals import (
    SIGNALS,
    Article,
    CandidateIndex,
    Frequencies,
    StoryScorer,
    StoryState,
    add_article,
    candidate_signals,
    read_article,
)
from parallax.stories.texts import StoryInput, lead_years, surface_names

GVA_DATA = SHARED_EVAL / "gva-incidents"
NEWS_HTML = SHARED_EVAL / "article-extraction/html"
L3S_HTML = SHARED_EVAL / "l3s-gn1/original"
L3S_EVENTS = Path(__file__).resolve().parent / "data/l3s_gn1_events.json"
EXAMPLES_GOLD = Path(__file__).resolve().parents[1] / "tests/data/examples_gold.json"
WEIGHTS = Path(__file__).resolve().parents[1] / "parallax/stories/data/story_weights.json"
TFIDF_THRESHOLD = 0.83  # fixed beforehand on ECB+ 1-35 (issue 24)
# Up to 0.95 since L3S joined (session 21): the two collections of news from unrelated
# sites peak at 0.8-0.95, and a grid capped at 0.7 could not serve them.
THRESHOLDS = [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]
# Where the held-out F1 is also read (``--curves``): past the tuning grid, to see whether
# the threshold, not the weights, is what a collection left out loses.
CURVE_THRESHOLDS = [0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95]
# Share of training articles whose date is hidden (``labelled_pairs``); ECB+ has a date for
# about four in ten, GVA for all.
UNDATE = 0.5
MAX_STORY = 40  # issue 24: no story of the GVA stream may hold more reports
PARAMS = GroupingParams()
SMALL_EVENT = 3  # reports per event in ``small_events``


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
        return [read_article(item, frequencies, PARAMS) for item in self.items]


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
    """GVA reports in publication order (``load_gva``), the first ``limit`` of them.

    The texts are crawler output with the page's furniture ("Get email notifications on
    ... daily!", sign-up forms) in them; with ``clean`` they are read as ``parallax run``
    reads them: the JSON Lines feed ingested into a temporary store, so that cleaning and
    page furniture (paragraphs a site repeats months apart) are those of the pipeline. A
    report cleaning refuses (the crawler kept only a sign-up form, say) keeps its
    headline alone."""
    reports = load_gva(data)[:limit]
    bodies = _ingested_texts(reports) if clean else {r.doc_id: r.text for r in reports}
    items = []
    for report in reports:
        title, body = report.title or "", bodies.get(report.doc_id, "")
        items.append(
            StoryInput(
                id=report.doc_id,
                text=body,
                title=title,
                names=surface_names(f"{title}\n{body}"),
                years=lead_years(body, title),
                published=report.published,
            )
        )
    return Collection(
        "GVA",
        items,
        [r.gold for r in reports],
        [f"{r.title}\n{bodies.get(r.doc_id, '')}" for r in reports],
    )


def _ingested_texts(reports: Sequence[Report]) -> dict[str, str]:
    """Each report's article text when its feed is ingested into a fresh store."""
    import parallax

    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        write_feed(reports, feed)
        with parallax.Corpus(Path(tmp) / "gva.db") as corpus:
            corpus.ingest([str(feed)], workers=1)
            article_of = {doc.source: doc.article_id for doc in corpus.store.documents()}
            texts = {a.id: a.text for a in corpus.store.articles()}
    return {
        report.doc_id: texts.get(article_of.get(feed_source(report, feed, n), ""), "")
        for n, report in enumerate(reports, start=1)
    }


def pages_collection(name: str, html: Path, events_file: Path) -> Collection:
    """HTML pages read through ``parallax run`` into a temporary store, analysed, as
    ``benchmarks/stories.py`` reads them: one JSON Lines feed of each page's HTML and the
    address it was crawled from (``page_reports``), with the gold of ``events_file``
    (``{"events": {page file stem: event}}``). A page the cleaner refuses is not scored."""
    reports = page_reports(html, events_file)
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        write_feed(reports, feed)
        order, articles, items = _through_pipeline([feed], Path(tmp) / f"{name}.db")
    event_of = {
        feed_source(report, feed, number): report.gold
        for number, report in enumerate(reports, start=1)
    }
    keep = [at for at, article in enumerate(order) if articles[article].source in event_of]
    return Collection(
        name,
        [items[at] for at in keep],
        [event_of[articles[order[at]].source] for at in keep],
        [articles[order[at]].text for at in keep],
    )


def news_collection(html: Path = NEWS_HTML) -> Collection:
    """A week of real news from unrelated sites (the 181 article-extraction pages): 17
    events told two to four times among 136 articles alone, every one with topical
    neighbours of other events (Apple products, the impeachment hearings, Hong Kong).
    Gold: ``benchmarks/data/article_extraction_events.json``. Where ECB+ teaches that
    reports of one event read alike and GVA that one kind of event is not one event, this
    teaches that one topic is not one event."""
    return pages_collection("news", html, REAL_NEWS_EVENTS)


def l3s_collection(html: Path = L3S_HTML) -> Collection:
    """The 621 L3S-GN1 pages (Google News, early 2008, 408 sites; three in four carry no
    date the pipeline finds): a second collection of news from unrelated sites, of another
    period and another mix (sport, markets, world news), so that "one topic is not one
    event" is taught by two collections and checked on the one left out. Gold:
    ``benchmarks/data/l3s_gn1_events.json`` (judged for this benchmark, ids only)."""
    return pages_collection("L3S", html, L3S_EVENTS)


def examples_collection() -> Collection:
    """The bundled examples (``parallax/examples/articles``: five events, each told by
    three to five outlets in their own words and formats, with copies) read through
    ``parallax run``, with the events of ``tests/data/examples_gold.json``. Not fitted on:
    the threshold must keep each of their events one story (``tune_threshold``), what a
    new user running ``parallax demo`` sees first."""
    from parallax.examples import ARTICLES_DIR

    gold = json.loads(EXAMPLES_GOLD.read_text("utf-8"))["articles"]
    event_of = {(g["title"], g["outlet"]): g["event"] for g in gold}
    with tempfile.TemporaryDirectory() as tmp:
        order, articles, items = _through_pipeline([ARTICLES_DIR], Path(tmp) / "examples.db")
    events = [event_of[(articles[a].title, articles[a].outlet)] for a in order]
    return Collection("examples", items, events, [articles[a].text for a in order])


def labelled_pairs(
    collection: Collection, undate: float = 0.0, seed: int = 24
) -> tuple[np.ndarray, np.ndarray]:
    """Signals and labels of each arriving article against its gold story so far (1) and
    its other candidate stories (0), chosen as the grouper chooses them
    (``CandidateIndex``), simulating arrival in order.

    ``undate`` is the share of articles whose date is taken away (at random, ``seed``): in
    a collection where every article is dated, the weights would otherwise never learn
    what an undated one is worth, and would read it as one dated weeks apart."""
    rng = random.Random(seed)
    index = CandidateIndex(PARAMS)
    stories: dict[str, StoryState] = {}
    rows: list[np.ndarray] = []
    labels: list[int] = []
    for article, gold in zip(collection.articles, collection.gold, strict=True):
        if article.day is not None and rng.random() < undate:
            article = replace(article, day=None)
        found = [story_id for story_id, _ in index.candidates(article, stories)]
        if gold in stories and gold not in found:
            found.append(gold)
        if found:
            rows.extend(candidate_signals(article, [stories[story_id] for story_id in found]))
            labels.extend(int(story_id == gold) for story_id in found)
        add_article(stories.setdefault(gold, StoryState()), article)
        index.add(gold, article)
    return np.array(rows), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> StoryScorer:
    """Logistic regression on standardised signals, returned as weights on the raw ones."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0  # a signal constant in training gets weight 0 either way
    model = LogisticRegression(C=1.0, max_iter=2000)
    model.fit((x - mean) / std, y, sample_weight=weight)
    weights = model.coef_[0] / std
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / std))
    return StoryScorer(SIGNALS, weights, intercept)


def group(collection: Collection, scorer: StoryScorer, threshold: float) -> list[str]:
    """``StoryGrouper`` at ``threshold`` with ``scorer``: placed in order, then settled."""
    return group_inputs(collection.items, scorer=scorer, threshold=threshold)


def small_events(collection: Collection, most: int = SMALL_EVENT) -> Collection:
    """The collection with each event's first ``most`` reports only: how a grouping does
    where events are told a few times, not a dozen."""
    seen: Counter[str] = Counter()
    keep = []
    for at, gold in enumerate(collection.gold):
        seen[gold] += 1
        if seen[gold] <= most:
            keep.append(at)
    return Collection(
        f"{collection.name} (<= {most} per event)",
        [collection.items[at] for at in keep],
        [collection.gold[at] for at in keep],
        [collection.texts[at] for at in keep],
    )


def tune_threshold(
    collections: Sequence[Collection], scorer: StoryScorer, keep_one: Collection | None = None
) -> float:
    """The threshold of ``THRESHOLDS`` whose largest regret over ``collections`` (the
    training ones only) is least: what the collection that loses most against its own best
    threshold loses (ties: the best mean B-cubed F1). Each collection is also cut to small
    events (``small_events``): how large a collection's events are is what its best
    threshold carries over, and events of two or three reports are what most news is
    (GVA's are under two).

    Least largest regret, not best mean (session 22): the best mean follows whichever
    collections share a peak and leaves the odd one far from its own, and a collection
    never seen is as likely to be the odd one. Leaving each of the four collections out,
    the largest cost falls from 0.049 to 0.037 (docs/benchmarks.md, "The least largest
    regret").

    Only thresholds at which ``keep_one`` (the bundled examples) scores its best are
    eligible: every example event one story. Above 0.7 the session-23 weights split them
    into nine stories, a cap that was set by hand on the shipped threshold before (session
    25); here it binds every tuned threshold, the held-out ones too."""
    tuning = [
        variant
        for c in collections
        for variant in (c, small_events(c))
        if variant is c or len(variant.items) < len(c.items)
    ]
    f1 = np.array([[score(group(c, scorer, t), c.gold).f1 for t in THRESHOLDS] for c in tuning])
    regret = (f1.max(axis=1, keepdims=True) - f1).max(axis=0)
    mean = f1.mean(axis=0)
    eligible = range(len(THRESHOLDS))
    if keep_one is not None:
        kept = [score(group(keep_one, scorer, t), keep_one.gold).f1 for t in THRESHOLDS]
        eligible = [at for at in eligible if kept[at] >= max(kept) - 1e-9]
    return THRESHOLDS[min(eligible, key=lambda at: (regret[at], -mean[at]))]


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


def pair_weights(y: np.ndarray, balanced: bool = True) -> np.ndarray:
    """Sample weights of one collection's pairs summing to one: positives and negatives
    weigh half each, so the intercept does not learn how often an arrival joins a story in
    that collection (nearly always in ECB+, under half the time in GVA), which the
    threshold would otherwise carry into the other. Unbalanced (``--unbalanced``), each
    pair of the collection weighs the same."""
    if balanced:
        positives = max(int(y.sum()), 1)
        return np.where(y == 1, 0.5 / positives, 0.5 / max(len(y) - positives, 1))
    return np.full(len(y), 1 / len(y))


def train(
    collections: Sequence[Collection],
    pairs: dict[str, tuple[np.ndarray, np.ndarray]],
    balanced: bool = True,
    keep_one: Collection | None = None,
) -> tuple[StoryScorer, float]:
    """Weights fitted on the pairs of ``collections``, and the threshold tuned on them alone
    among those keeping each event of ``keep_one`` one story (``tune_threshold``)."""
    scorer = fit_collections(collections, pairs, balanced)
    return scorer, tune_threshold(collections, scorer, keep_one)


def fit_collections(
    collections: Sequence[Collection],
    pairs: dict[str, tuple[np.ndarray, np.ndarray]],
    balanced: bool = True,
) -> StoryScorer:
    """Weights fitted on the pairs of ``collections``."""
    x = np.vstack([pairs[c.name][0] for c in collections])
    y = np.concatenate([pairs[c.name][1] for c in collections])
    # Each collection weighs the same, not each pair: GVA gives nine times ECB+'s pairs,
    # and weights for news at large should not be weights for US shootings.
    weight = np.concatenate([pair_weights(pairs[c.name][1], balanced) for c in collections])
    return fit(x, y, weight=weight * len(y) / len(collections))


def assess(
    scorer: StoryScorer,
    threshold: float,
    train_name: str,
    test: Collection,
    pairs: tuple[np.ndarray, np.ndarray],
    baselines: tuple[float, float],
) -> Row:
    """``scorer`` on ``test``: AUC over its labelled pairs (fitted without date dropout),
    B-cubed of ``StoryGrouper`` at ``threshold``, beside the baselines."""
    auc = float(roc_auc_score(pairs[1], scorer.probabilities(pairs[0])))
    labels = group(test, scorer, threshold)
    result = score(labels, test.gold)
    return Row(
        train_name,
        test.name,
        auc,
        threshold,
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
        "trained_on": list(trained_on),
        "made_by": "benchmarks/train_stories.py",
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def loco(
    collections: Sequence[Collection],
    baselines: bool = True,
    balanced: bool = True,
    keep_one: Collection | None = None,
) -> list[Row]:
    """Both leave-one-collection-out directions (fitted and tuned on one collection, scored
    on the other), each beside the reference of the test collection fitted and tuned on
    itself: the gap between the two is what leaving the collection out costs. Every
    threshold, the reference's too, keeps each event of ``keep_one`` one story."""
    training = {c.name: labelled_pairs(c, undate=UNDATE) for c in collections}
    testing = {c.name: labelled_pairs(c) for c in collections}
    nan = float("nan")
    rows = []
    for test in collections:
        base = baseline_scores(test) if baselines else (nan, nan)
        for train_on in ([c for c in collections if c is not test], [test]):
            scorer, threshold = train(train_on, training, balanced, keep_one)
            name = " + ".join(c.name for c in train_on)
            rows.append(assess(scorer, threshold, name, test, testing[test.name], base))
    return rows


def held_out_curves(collections: Sequence[Collection]) -> str:
    """B-cubed F1 of each collection grouped with the weights fitted on the others, at each
    of ``CURVE_THRESHOLDS``: if the curves peak at different thresholds while the pair AUC
    is high everywhere, the weights rank well and the threshold is what does not carry
    over from one collection to another."""
    training = {c.name: labelled_pairs(c, undate=UNDATE) for c in collections}
    lines = [
        "| weights fitted on → scored on | "
        + " | ".join(f"{t:.2f}" for t in CURVE_THRESHOLDS)
        + " | best |",
        "| --- |" + " ---: |" * (len(CURVE_THRESHOLDS) + 1),
    ]
    for test in collections:
        others = [c for c in collections if c is not test]
        scorer = fit_collections(others, training)
        f1 = [score(group(test, scorer, t), test.gold).f1 for t in CURVE_THRESHOLDS]
        best = CURVE_THRESHOLDS[int(np.argmax(f1))]
        name = " + ".join(c.name for c in others)
        cells = " | ".join(f"{v:.3f}" for v in f1)
        lines.append(f"| {name} → {test.name} | {cells} | {best:.2f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ecbplus", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--gva", type=Path, default=GVA_DATA)
    parser.add_argument("--gva-limit", type=int, default=None, help="first N GVA reports")
    parser.add_argument("--news", type=Path, default=NEWS_HTML, help="article-extraction pages")
    parser.add_argument("--l3s", type=Path, default=L3S_HTML, help="L3S-GN1 original pages")
    parser.add_argument(
        "--without-l3s", action="store_true", help="the three collections of session 19"
    )
    parser.add_argument("--no-save", action="store_true", help="do not write the weights")
    parser.add_argument(
        "--unbalanced", action="store_true", help="every pair of a collection weighs the same"
    )
    parser.add_argument(
        "--fit-only",
        action="store_true",
        help="skip the leave-one-collection-out table: fit on all, print in-sample, save",
    )
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument(
        "--curves",
        action="store_true",
        help="only the held-out B-cubed F1 of each collection by threshold, then stop",
    )
    args = parser.parse_args(argv)

    start = time.perf_counter()
    collections = [
        ecbplus_collection(args.ecbplus),
        gva_collection(args.gva, args.gva_limit),
        news_collection(args.news),
    ]
    if not args.without_l3s:
        collections.append(l3s_collection(args.l3s))
    for c in collections:
        print(f"{c.name}: {len(c.items)} articles, {len(set(c.gold))} events")
    if args.curves:
        print("held-out B³ F1 by threshold:")
        print(held_out_curves(collections))
        print(f"{time.perf_counter() - start:.0f} s")
        return 0
    examples = examples_collection()
    print(f"{examples.name}: {len(examples.items)} articles, {len(set(examples.gold))} events")
    balanced = not args.unbalanced
    rows = [] if args.fit_only else loco(collections, balanced=balanced, keep_one=examples)
    if rows:
        print("leave one collection out:")
        print(format_table(rows))

    # The shipped weights: fitted on all, threshold by the least largest regret over all;
    # their rows are in-sample, a reference, not an estimate.
    training = {c.name: labelled_pairs(c, undate=UNDATE) for c in collections}
    scorer, threshold = train(collections, training, balanced, examples)
    both = "all"
    baselines = {r.test: (r.tfidf_f1, r.singletons_f1) for r in rows}
    shipped = [
        assess(
            scorer,
            threshold,
            both,
            c,
            labelled_pairs(c),
            baselines.get(c.name) or baseline_scores(c),
        )
        for c in collections
    ]
    print(f"\nshipped weights (fitted on {both}), in-sample:")
    print(format_table(shipped))
    print("weights:", {n: round(float(w), 3) for n, w in zip(SIGNALS, scorer.weights, strict=True)})
    print(f"intercept: {scorer.intercept:.3f}  threshold: {threshold}", end="")
    print(f" (GroupingParams.threshold: {PARAMS.threshold})")
    for test in collections if rows else ():
        out, own = (r for r in rows if r.test == test.name)
        print(f"{test.name}: held out {out.f1:.3f}, fitted on itself {own.f1:.3f}", end="")
        print(f", leaving it out costs {own.f1 - out.f1:.3f}")
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
