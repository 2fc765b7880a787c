"""The comparison measured: claim alignment on ECB+, the seeds' and examples' claim
groups and conflicts for a reader, the time to compare a story of 2, 10 and 50
articles, and the names a reader of a year of political news sees.

Run from the repository root::

    .venv/bin/python benchmarks/compare.py                      # all three parts
    .venv/bin/python benchmarks/compare.py --parts alignment
    .venv/bin/python benchmarks/compare.py --parts timing --sizes 2 10 50 100
    .venv/bin/python benchmarks/compare.py --parts names

**alignment**: ECB+ topics 1-35 (``../shared/eval/ecbplus``). Each sub-topic (the
``*ecb.xml`` reports of one event, the ``*ecbplus.xml`` of another) is one story and each
document its own outlet; its claims are the sentences the annotators tied to event
instances (``benchmarks/claim_pairs.py``). Two claims of different documents are one
claim in the gold when they hold a mention of one event instance. The comparison's
alignment (``compare.align.align_claims``) groups them; every cross-document pair in a
group is a predicted link, scored against the gold links (precision, recall, F1). The
shipped test of the same claim was fitted on MSRP only, so no ECB+ topic was seen by it.
Beside it, in the same run and with the same grouping: TF-IDF cosine (fitted on the
story's sentences) at the threshold four topic folds prefer, applied to the fifth (topic
folds: topic mod 5).

**listing**: the seeds and the bundled examples run through ``parallax run`` into a
temporary store; each story's claim groups shared by two or more outlets and its
conflicts are printed for a reader to judge.

**names**: PolNeAR's political news (``../shared/eval/polnear``, train and dev texts with
their outlet, date and title from ``metadata.tsv``), fed as one JSON Lines feed through
``run``. Each day with three or more articles from two or more outlets has its first six
compared as one story. Printed: the name conflicts and the people shown twice (a lone
name beside a full name it fits), beside a plain baseline: every pair of person
participants of one surname whose first given names differ. ``--record-gates`` also
writes the counts of the first ``NAME_GATE_DAYS`` days to ``name_gate.json``.

**timing**: the articles are ECB+ documents (``../shared/eval/ecbplus``, see benchmarks/stories.py
for how they are read), taken topic by topic so that a story holds reports of the same
kind of event, each document credited to its own outlet. They are analysed and resolved
first (not timed); the table times ``compare_story`` alone and with the HTML page
(``to_html``), best of three runs, and counts what the comparison found.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from itertools import combinations
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

sys.path.insert(0, str(Path(__file__).resolve().parent))

import claim_pairs
from stories import DEFAULT_DATA, load_ecbplus

import parallax
from parallax.clean import clean_document
from parallax.compare import Comparison, compare_story
from parallax.compare.align import ClaimScorer, align_claims
from parallax.compare.claims import Claim
from parallax.compare.params import DEFAULT_PARAMS
from parallax.compare.render import to_html
from parallax.model import RawDocument, Story
from parallax.nlp import analyze_articles, apply_resolution
from parallax.pipeline import compare_articles
from parallax.resolve import load_knowledge_base, resolve_entities
from parallax.text.same_claim import load_claim_model

REPEAT = 3
PARTS = ("alignment", "listing", "timing", "names")
TOPIC_FOLDS = 5
SHARED = Path(__file__).resolve().parents[2] / "shared"
EXAMPLES = Path(__file__).resolve().parents[1] / "parallax" / "examples" / "articles"
GATE = Path(__file__).resolve().parent / "data" / "alignment_gate.json"
# The gate scores ECB+ topics 1-8 (16 stories, 6 s): enough links to move with the model.
GATE_TOPICS = 8
NAME_GATE = GATE.with_name("name_gate.json")
NAME_GATE_DAYS = 40  # of 171: about 230 articles, a minute to read


# --------------------------------------------------------------------------- alignment


@dataclass(frozen=True)
class GoldStory:
    """One ECB+ sub-topic: its linked sentences as claims, and the gold links."""

    name: str
    topic: int
    claims: list[Claim]
    links: frozenset[tuple[int, int]]


def gold_stories(directory: Path) -> list[GoldStory]:
    stories = []
    for topic in claim_pairs.TOPICS:
        for kind in ("ecb", "ecbplus"):
            paths = sorted((directory / str(topic)).glob(f"*{kind}.xml"))
            sentences = [s for path in paths for s in claim_pairs.read_document(path)]
            claims = [Claim("", s.doc, 0, len(s.text), s.text) for s in sentences]
            links = frozenset(
                (i, j)
                for i, j in combinations(range(len(sentences)), 2)
                if sentences[i].doc != sentences[j].doc
                and sentences[i].instances & sentences[j].instances
            )
            if len({c.outlet for c in claims}) > 1:
                stories.append(GoldStory(f"{topic}{kind}", topic, claims, links))
    return stories


def predicted_links(story: GoldStory, score: ClaimScorer, threshold: float) -> set[tuple[int, int]]:
    params = replace(DEFAULT_PARAMS, same_claim=threshold)
    position = {id(claim): n for n, claim in enumerate(story.claims)}
    found = set()
    for group in align_claims(story.claims, score, params):
        members = sorted(position[id(claim)] for claim in group)
        found |= {
            (i, j)
            for i, j in combinations(members, 2)
            if story.claims[i].outlet != story.claims[j].outlet
        }
    return found


def tfidf_scorer(texts: Sequence[str], pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """Cosine of TF-IDF vectors fitted on the story's own sentences."""
    vectors = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    return np.array([float(vectors[i].multiply(vectors[j]).sum()) for i, j in pairs])


def prf(predicted: set, gold: set) -> tuple[float, float, float]:
    hits = len(predicted & gold)
    precision = hits / max(1, len(predicted))
    recall = hits / max(1, len(gold))
    return precision, recall, 2 * precision * recall / max(1e-9, precision + recall)


def _pooled(stories: Sequence[GoldStory], score: ClaimScorer, threshold: float) -> tuple:
    predicted: set = set()
    gold: set = set()
    for story in stories:
        predicted |= {(story.name, i, j) for i, j in predicted_links(story, score, threshold)}
        gold |= {(story.name, i, j) for i, j in story.links}
    return prf(predicted, gold)


def alignment(directory: Path) -> None:
    stories = gold_stories(directory / "ECB+")
    model = load_claim_model()
    print(
        f"ECB+ 1-35: {len(stories)} stories (sub-topics), "
        f"{sum(len(s.claims) for s in stories)} claims, {sum(len(s.links) for s in stories)} "
        f"gold cross-document links; topic folds: topic mod {TOPIC_FOLDS}\n"
    )
    # As the comparison runs it: the cross-encoder reads a story's least sure pairs only.
    shipped = partial(model.score_pairs, cross_encoder_pairs=DEFAULT_PARAMS.cross_encoder_pairs)
    network = replace(model, cross_encoder=None)
    names = (
        "parallax same_claim",
        "tfidf, best F1",
        "tfidf, same precision",
        "same_claim's network alone",
    )
    rows: dict[str, list[set]] = {name: [set(), set()] for name in names}
    cuts: dict[str, list[float]] = {name: [] for name in names[1:3]}
    candidates = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7)
    for fold in range(TOPIC_FOLDS):
        held = [s for s in stories if s.topic % TOPIC_FOLDS == fold]
        train = [s for s in stories if s.topic % TOPIC_FOLDS != fold]
        # TF-IDF's thresholds, chosen on the training topics: the best F1, and the lowest
        # reaching same_claim's precision there (the two at one operating point).
        tfidf_on_train = {t: _pooled(train, tfidf_scorer, t) for t in candidates}
        precision = _pooled(train, shipped, DEFAULT_PARAMS.same_claim)[0]
        best = max(candidates, key=lambda t: tfidf_on_train[t][2])
        level = min((t for t in candidates if tfidf_on_train[t][0] >= precision), default=0.7)
        cuts["tfidf, best F1"].append(best)
        cuts["tfidf, same precision"].append(level)
        for name, score, threshold in (
            ("parallax same_claim", shipped, DEFAULT_PARAMS.same_claim),
            ("same_claim's network alone", network.score_pairs, DEFAULT_PARAMS.same_claim),
            ("tfidf, best F1", tfidf_scorer, best),
            ("tfidf, same precision", tfidf_scorer, level),
        ):
            for story in held:
                rows[name][0] |= {
                    (story.name, i, j) for i, j in predicted_links(story, score, threshold)
                }
                rows[name][1] |= {(story.name, i, j) for i, j in story.links}
    print(f"{'system':<52} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name, (predicted, gold) in rows.items():
        label = f"{name} (thresholds {sorted(set(cuts[name]))})" if name in cuts else name
        precision, recall, f1 = prf(predicted, gold)
        print(f"{label:<52} {precision:>9.3f} {recall:>7.3f} {f1:>6.3f}")
    print()


def gate_figures(directory: Path) -> dict[str, object]:
    """The shipped test's alignment on ECB+ topics 1-``GATE_TOPICS`` at the comparison's
    threshold, for tests/test_compare_gate.py."""
    stories = [s for s in gold_stories(directory / "ECB+") if s.topic <= GATE_TOPICS]
    shipped = partial(
        load_claim_model().score_pairs, cross_encoder_pairs=DEFAULT_PARAMS.cross_encoder_pairs
    )
    precision, recall, f1 = _pooled(stories, shipped, DEFAULT_PARAMS.same_claim)
    return {
        "about": "claim alignment on ECB+ (benchmarks/compare.py --parts alignment) over "
        f"topics 1-{GATE_TOPICS}; tests/test_compare_gate.py fails when precision or "
        "recall falls more than 0.01 below these",
        "command": ".venv/bin/python benchmarks/compare.py --record-gates",
        "date": str(date.today()),
        "topics": GATE_TOPICS,
        "stories": len(stories),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


# --------------------------------------------------------------------------- listing


def listing(paths: Sequence[Path]) -> None:
    with tempfile.TemporaryDirectory() as tmp, parallax.open(Path(tmp) / "listing.db") as corpus:
        corpus.run([str(path) for path in paths])
        for story in corpus.stories():
            if len(set(story.outlets)) < 2:
                continue
            comparison = corpus.compare(story.id)
            print(f"== {comparison.title} ({', '.join(comparison.outlets)})")
            for conflict in comparison.conflicts:
                print(f"  conflict [{conflict.kind}] {conflict.description}")
            for fact in comparison.facts:
                if fact.status != "shared":
                    continue
                print(f"  shared by {fact.coverage}{' (differs)' if fact.disputed else ''}:")
                for source in fact.sources:
                    print(f"    {source.outlet}: {source.text}")
            unique = sum(fact.status == "unique" for fact in comparison.facts)
            print(f"  ({unique} claims only in one outlet)\n")


# --------------------------------------------------------------------------- names


@dataclass
class NameCheck:
    """What a reader of one day's political news sees of its people."""

    days: int = 0
    articles: int = 0
    people: int = 0  # person participants
    shown_twice: list[tuple[str, str, list[str]]] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (day, description)
    naive: int = 0  # same surname, another first given name, in another participant


def polnear_days(polnear: Path, per_day: int = 6) -> dict[str, list[dict[str, str]]]:
    """PolNeAR's train and dev articles by day, the days with three or more from two or
    more outlets, each day's first ``per_day`` (by file name): their ``metadata.tsv`` rows,
    with the text's path under ``path``."""
    texts = {
        p.stem: p for split in ("train", "dev") for p in (polnear / split / "text").glob("*.txt")
    }
    by_day: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (polnear / "metadata.tsv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            if row["filename"] in texts:
                by_day[row["publication_date"]].append({**row, "path": str(texts[row["filename"]])})
    chosen = {}
    for day in sorted(by_day):
        rows = sorted(by_day[day], key=lambda row: row["filename"])[:per_day]
        if len(rows) >= 3 and len({row["publisher"] for row in rows}) >= 2:
            chosen[day] = rows
    return chosen


def polnear_feed(days: dict[str, list[dict[str, str]]], out: Path) -> int:
    """The chosen articles as one JSON Lines feed with each one's outlet, date and title,
    as a crawl would give them; how many."""
    written = 0
    with out.open("w", encoding="utf-8") as feed:
        for rows in days.values():
            for row in rows:
                record = {
                    "url": f"polnear:{row['filename']}",
                    "outlet": row["publisher"],
                    "published": row["publication_date"],
                    "title": row["title"],
                    "text": Path(row["path"]).read_text(encoding="utf-8", errors="replace"),
                }
                feed.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
    return written


def measure_names(polnear: Path, per_day: int = 6, days: int | None = None) -> NameCheck:
    """Each day of PolNeAR with three or more articles from two or more outlets (the first
    ``days`` of them, all without), its first ``per_day`` read through ``run`` and
    compared as one story: participants shown twice and name conflicts, beside a plain
    baseline (every pair of person participants of one surname whose first given names
    differ, which a comparison without name rules would show as a conflict)."""
    from parallax.lexicon.names import given_names, name_tokens, surname

    chosen = polnear_days(polnear, per_day)
    chosen = dict(list(chosen.items())[:days]) if days else chosen
    check = NameCheck()
    with tempfile.TemporaryDirectory() as tmp, parallax.open(Path(tmp) / "names.db") as corpus:
        feed = Path(tmp) / "polnear.jsonl"
        check.articles = polnear_feed(chosen, feed)
        corpus.run([str(feed)])
        id_of = {a.source: a.id for a in corpus.articles(limit=None)}
        for day, rows in chosen.items():
            # An article the store refused (empty, unreadable) is not in the story.
            sources = [f"polnear:{row['filename']}" for row in rows]
            ids = [id_of[source] for source in sources if source in id_of]
            story = Story(id=f"s{day}", title=day, articles=tuple(ids))
            comparison = compare_articles(corpus.store, story)
            check.days += 1
            people = [p for p in comparison.participants if p.type == "person"]
            check.people += len(people)
            for p in people:
                words = name_tokens(p.canonical)
                fits = [
                    q.canonical
                    for q in people
                    if q is not p
                    and len(name_tokens(q.canonical)) > 1
                    and len(words) == 1
                    and words[0] in (name_tokens(q.canonical)[0], name_tokens(q.canonical)[-1])
                ]
                if fits:
                    check.shown_twice.append((day, p.canonical, fits))
            full = [p.canonical for p in people if len(name_tokens(p.canonical)) > 1]
            check.naive += sum(
                surname(a) == surname(b) and given_names(a)[:1] != given_names(b)[:1]
                for i, a in enumerate(full)
                for b in full[i + 1 :]
            )
            check.conflicts += [
                (day, c.description) for c in comparison.conflicts if c.kind == "name"
            ]
    return check


def names(polnear: Path, per_day: int = 6, examples: int = 25) -> NameCheck:
    """``measure_names`` on every day, printed."""
    check = measure_names(polnear, per_day)
    print(
        f"PolNeAR political news: {check.days} days compared as stories ({check.articles} "
        f"articles, up to {per_day} a day, two outlets or more), {check.people} person "
        "participants"
    )
    print(f"{'':<34}{'Parallax':>10}{'baseline':>10}")
    print(f"{'name conflicts':<34}{len(check.conflicts):>10}{check.naive:>10}")
    print(f"{'people shown twice':<34}{len(check.shown_twice):>10}")
    print("baseline: person participants of one surname whose first given names differ")
    for day, description in check.conflicts[:examples]:
        print(f"  {day} conflict: {description}")
    for day, short, fits in check.shown_twice[:examples]:
        print(f"  {day} shown twice: {short!r} beside {', '.join(fits)}")
    return check


def name_gate_figures(polnear: Path) -> dict[str, object]:
    """What ``NAME_GATE`` records: ``measure_names`` on the first ``NAME_GATE_DAYS``."""
    check = measure_names(polnear, days=NAME_GATE_DAYS)
    return {
        "about": "name conflicts and people shown twice on the first days of PolNeAR's "
        "political news, each day compared as one story (benchmarks/compare.py --parts "
        "names); tests/test_names_gate.py fails when either count rises",
        "command": ".venv/bin/python benchmarks/compare.py --record-gates",
        "date": date.today().isoformat(),
        "days": check.days,
        "articles": check.articles,
        "name_conflicts": len(check.conflicts),
        "shown_twice": len(check.shown_twice),
        "baseline": check.naive,
    }


# --------------------------------------------------------------------------- timing


def _compare_and_render(
    compare: Callable[[], Comparison], documents: dict[str, dict[str, str]]
) -> str:
    return to_html(compare(), documents)


def _best(run: Callable[[], object], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 10, 50])
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument(
        "--record-gates",
        action="store_true",
        help=f"write {GATE.name} and {NAME_GATE.name}, and stop",
    )
    args = parser.parse_args(argv)
    if not (args.data / "ECB+").is_dir():
        print(f"ECB+ not found at {args.data}: nothing to measure")
        return 1
    if args.record_gates:
        GATE.write_text(json.dumps(gate_figures(args.data), indent=2) + "\n")
        print(GATE.read_text())
        if (SHARED / "eval" / "polnear").is_dir():
            figures = name_gate_figures(SHARED / "eval" / "polnear")
            NAME_GATE.write_text(json.dumps(figures, indent=2) + "\n")
            print(NAME_GATE.read_text())
        return 0
    print(
        f"machine: {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}; date: {date.today()}\n"
    )
    if "alignment" in args.parts:
        alignment(args.data)
    if "listing" in args.parts:
        listing([SHARED / "seeds", EXAMPLES])
    if "timing" in args.parts:
        timing(args.data, args.sizes)
    if "names" in args.parts:
        if (SHARED / "eval" / "polnear").is_dir():
            names(SHARED / "eval" / "polnear")
        else:
            print("PolNeAR not found in ../shared/eval: no name check")
    return 0


def timing(data: Path, sizes: Sequence[int]) -> None:
    # Documents too short to be an article (a few ECB+ files) are left out, as ingest would.
    documents = [d for d in load_ecbplus(data, None) if len(d.text.split()) >= 20]
    print(
        f"{'articles':>8} {'words':>7} {'compare s':>10} {'+ html s':>9} "
        f"{'participants':>12} {'facts':>6} {'shared':>6} {'conflicts':>9} {'quotes':>6}"
    )
    for size in sizes:
        chosen = documents[:size]
        articles = [
            replace(
                clean_document(
                    RawDocument(
                        source=f"{d.doc_id}.txt", format="text", content=d.text, is_html=False
                    )
                ),
                outlet=f"outlet-{d.doc_id}",
            )
            for d in chosen
        ]
        analyses = list(analyze_articles(articles, knowledge=load_knowledge_base()))
        resolution = resolve_entities(
            analyses, {a.id: a.outlet for a in articles}, load_knowledge_base()
        )
        by_id = {a.article_id: apply_resolution(a, resolution) for a in analyses}
        story = Story(id=f"bench-{size}", title="", articles=tuple(a.id for a in articles))
        documents_of = {a.id: {"text": a.text} for a in articles}

        compare = partial(compare_story, story, articles, by_id, resolution.entities)
        seconds = _best(compare)
        with_html = _best(partial(_compare_and_render, compare, documents_of))
        result = compare()
        words = sum(len(a.text.split()) for a in articles)
        shared = sum(f.status == "shared" for f in result.facts)
        print(
            f"{size:>8} {words:>7} {seconds:>10.3f} {with_html:>9.3f} "
            f"{len(result.participants):>12} {len(result.facts):>6} {shared:>6} "
            f"{len(result.conflicts):>9} {len(result.quotes):>6}"
        )


if __name__ == "__main__":
    sys.exit(main())
