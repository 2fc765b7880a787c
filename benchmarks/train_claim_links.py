"""Fit the comparison's claim linker (``parallax/compare/data/claim_links.json``) on ECB+
and print its alignment scores, held out by topic, beside ``same_claim`` alone and TF-IDF.

Data: ECB+ topics 1-35 (``../shared/eval/ecbplus``). Each sub-topic (the ``*ecb.xml``
reports of one event, the ``*ecbplus.xml`` reports of another) is one story and each
document its own outlet. A document is the sentences its annotators tied to event
instances (``benchmarks/claim_pairs.py``), one paragraph each; it goes through Parallax
as a text file does (``clean_document``, ``analyze_articles``, ``resolve_entities`` over
all documents, ``apply_resolution``), and ``compare.claims.split_claims`` makes its
claims, with their entities. Two claims of different documents are one claim in the gold
when their sentences mention one event instance (``CROSS_DOC_COREF``).

The linker is a logistic regression over ``compare.links.LINK_FEATURES`` of the candidate
pairs (``compare.align.candidate_pairs``). Scores are alignment precision, recall and F1
over gold cross-document links, each fold of topics (topic mod 5) aligned by a linker
fitted on the other four; ``same_claim`` alone was fitted on MSRP only, so it saw no
ECB+ topic; TF-IDF cosine takes the threshold the other four folds prefer. The shipped
linker is then fitted on all 35 topics.

``.venv/bin/python benchmarks/train_claim_links.py`` (``--no-write`` to only measure).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import combinations
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import claim_pairs  # noqa: E402

from parallax.clean import clean_document  # noqa: E402
from parallax.compare.align import (  # noqa: E402
    ClaimScorer,
    align_claims,
    candidate_pairs,
)
from parallax.compare.claims import Claim, split_claims  # noqa: E402
from parallax.compare.links import LINK_FEATURES, LINKER_FILE, ClaimLinker  # noqa: E402
from parallax.compare.links import link_features as features_of  # noqa: E402
from parallax.compare.params import DEFAULT_PARAMS  # noqa: E402
from parallax.errors import UnreadableDocument  # noqa: E402
from parallax.model import RawDocument  # noqa: E402
from parallax.nlp import analyze_articles, apply_resolution  # noqa: E402
from parallax.resolve import load_knowledge_base, resolve_entities  # noqa: E402
from parallax.text.same_claim import ClaimModel, load_claim_model  # noqa: E402

OUT = ROOT / "parallax" / "compare" / "data" / LINKER_FILE
TOPIC_FOLDS = 5
TFIDF_THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
C = 1.0


@dataclass(frozen=True)
class GoldStory:
    """One ECB+ sub-topic: its claims (analysed) and the gold links between them."""

    name: str
    topic: int
    claims: list[Claim]
    links: frozenset[tuple[int, int]]


def analysed_stories(directory: Path = claim_pairs.ECBPLUS) -> list[GoldStory]:
    """Every sub-topic of ECB+ 1-35 with at least two documents, analysed."""
    documents = []  # (topic, kind, doc name, sentences)
    for topic in claim_pairs.TOPICS:
        for kind in ("ecb", "ecbplus"):
            for path in sorted((directory / str(topic)).glob(f"*_*{kind}.xml")):
                sentences = claim_pairs.read_document(path)
                if sentences:
                    documents.append((topic, kind, path.name, sentences))
    articles, kept = [], []
    for document in documents:
        raw = RawDocument(
            source=f"{document[2]}.txt",
            format="text",
            content="\n\n".join(s.text for s in document[3]),
            is_html=False,
            outlet=document[2],
            title=f"Report {document[2]}",
        )
        try:
            articles.append(clean_document(raw))
        except UnreadableDocument:
            continue  # a document of one short sentence is no article, as ingest would say
        kept.append(document)
    knowledge = load_knowledge_base()
    analyses = list(analyze_articles(articles, knowledge=knowledge))
    resolution = resolve_entities(analyses, {a.id: a.outlet for a in articles}, knowledge)
    by_id = {a.article_id: apply_resolution(a, resolution) for a in analyses}
    stories: dict[tuple[int, str], tuple[list[Claim], list[frozenset[str]]]] = {}
    for (topic, kind, name, sentences), article in zip(kept, articles, strict=True):
        claims, instances = stories.setdefault((topic, kind), ([], []))
        for claim in split_claims(article, name, by_id.get(article.id), 1):
            found = [s.instances for s in sentences if claim.text in s.text]
            if found:
                claims.append(claim)
                instances.append(found[0])
    result = []
    for (topic, kind), (claims, instances) in stories.items():
        links = frozenset(
            (i, j)
            for i, j in combinations(range(len(claims)), 2)
            if claims[i].outlet != claims[j].outlet and instances[i] & instances[j]
        )
        if len({c.outlet for c in claims}) > 1:
            result.append(GoldStory(f"{topic}{kind}", topic, claims, links))
    return result


@dataclass
class PairTable:
    """The candidate pairs of every story, their features and gold labels."""

    story: np.ndarray  # index into the stories
    pairs: list[tuple[int, int]]
    features: np.ndarray
    gold: np.ndarray


def pair_table(stories: Sequence[GoldStory], model: ClaimModel) -> PairTable:
    story_of, pairs, rows, gold = [], [], [], []
    for index, story in enumerate(stories):
        found = candidate_pairs(story.claims, DEFAULT_PARAMS.candidate_keys)
        if not found:
            continue
        same = model.score_pairs([c.text for c in story.claims], found)
        rows.append(features_of(story.claims, found, same))
        story_of += [index] * len(found)
        pairs += found
        gold += [pair in story.links for pair in found]
    return PairTable(np.array(story_of), pairs, np.vstack(rows), np.array(gold))


def fit_linker(table: PairTable, rows: np.ndarray) -> ClaimLinker:
    regression = LogisticRegression(C=C, max_iter=2000).fit(table.features[rows], table.gold[rows])
    return ClaimLinker(
        tuple(float(w) for w in regression.coef_[0]), float(regression.intercept_[0])
    )


def tfidf_scorer(texts: Sequence[str], pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """Cosine of TF-IDF vectors fitted on the story's own claims."""
    vectors = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    return np.array([float(vectors[i].multiply(vectors[j]).sum()) for i, j in pairs])


def predicted_links(
    story: GoldStory, score: ClaimScorer, threshold: float, linker: ClaimLinker | None
) -> set[tuple[int, int]]:
    params = replace(DEFAULT_PARAMS, same_claim=threshold)
    position = {id(claim): n for n, claim in enumerate(story.claims)}
    found = set()
    for group in align_claims(story.claims, score, params, linker):
        members = sorted(position[id(claim)] for claim in group)
        found |= {
            (i, j)
            for i, j in combinations(members, 2)
            if story.claims[i].outlet != story.claims[j].outlet
        }
    return found


def prf(predicted: set, gold: set) -> tuple[float, float, float]:
    hits = len(predicted & gold)
    precision = hits / max(1, len(predicted))
    recall = hits / max(1, len(gold))
    return precision, recall, 2 * precision * recall / max(1e-9, precision + recall)


def pooled(
    stories: Sequence[GoldStory],
    score: ClaimScorer,
    threshold: float,
    linker: ClaimLinker | None = None,
) -> tuple[set, set]:
    predicted: set = set()
    gold: set = set()
    for story in stories:
        predicted |= {
            (story.name, i, j) for i, j in predicted_links(story, score, threshold, linker)
        }
        gold |= {(story.name, i, j) for i, j in story.links}
    return predicted, gold


def held_out_rows(stories: Sequence[GoldStory], model: ClaimModel) -> dict[str, tuple]:
    """Alignment of each topic fold by what was fitted or chosen on the other four."""
    table = pair_table(stories, model)
    topics = np.array([stories[i].topic for i in table.story])
    rows: dict[str, list[set]] = {
        name: [set(), set()] for name in ("linker", "same_claim alone", "tfidf")
    }
    cuts = []
    for fold in range(TOPIC_FOLDS):
        held = [s for s in stories if s.topic % TOPIC_FOLDS == fold]
        train = [s for s in stories if s.topic % TOPIC_FOLDS != fold]
        linker = fit_linker(table, np.flatnonzero(topics % TOPIC_FOLDS != fold))
        cut = max(TFIDF_THRESHOLDS, key=lambda t: prf(*pooled(train, tfidf_scorer, t))[2])
        cuts.append(cut)
        for name, score, threshold, used in (
            ("linker", model.score_pairs, DEFAULT_PARAMS.same_claim, linker),
            ("same_claim alone", model.score_pairs, DEFAULT_PARAMS.same_claim, None),
            ("tfidf", tfidf_scorer, cut, None),
        ):
            predicted, gold = pooled(held, score, threshold, used)
            rows[name][0] |= predicted
            rows[name][1] |= gold
    result = {name: prf(predicted, gold) for name, (predicted, gold) in rows.items()}
    result["tfidf thresholds"] = tuple(sorted(set(cuts)))
    return result


def format_rows(rows: dict[str, tuple]) -> str:
    lines = [f"{'system':<40} {'precision':>9} {'recall':>7} {'F1':>6}"]
    for name in ("linker", "same_claim alone", "tfidf"):
        label = name if name != "tfidf" else f"tfidf cosine (thresholds {rows['tfidf thresholds']})"
        precision, recall, f1 = rows[name]
        lines.append(f"{label:<40} {precision:>9.3f} {recall:>7.3f} {f1:>6.3f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-write", action="store_true", help="measure only")
    args = parser.parse_args(argv)
    if not claim_pairs.ECBPLUS.is_dir():
        print(f"ECB+ not found at {claim_pairs.ECBPLUS}; nothing to fit")
        return 1
    started = time.perf_counter()
    print(
        f"machine: {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}; date: {date.today()}"
    )
    stories = analysed_stories()
    model = load_claim_model()
    print(
        f"ECB+ 1-35: {len(stories)} stories, {sum(len(s.claims) for s in stories)} claims, "
        f"{sum(len(s.links) for s in stories)} gold links; topic folds: topic mod {TOPIC_FOLDS}\n"
    )
    rows = held_out_rows(stories, model)
    print(format_rows(rows))
    table = pair_table(stories, model)
    linker = fit_linker(table, np.arange(len(table.gold)))
    print(
        "\nweights: "
        + ", ".join(f"{n} {w:+.2f}" for n, w in zip(LINK_FEATURES, linker.weights, strict=True))
        + f"; bias {linker.bias:+.2f}"
    )
    if not args.no_write:
        card = {
            "date": str(date.today()),
            "training": "ECB+ topics 1-35, candidate pairs of linked sentences",
            "weights": dict(zip(LINK_FEATURES, linker.weights, strict=True)),
            "bias": linker.bias,
            "held out by topic fold": {
                name: dict(
                    zip(
                        ("precision", "recall", "f1"),
                        (round(v, 3) for v in rows[name]),
                        strict=True,
                    )
                )
                for name in ("linker", "same_claim alone", "tfidf")
            },
        }
        OUT.parent.mkdir(exist_ok=True)
        OUT.write_text(json.dumps(card, indent=2) + "\n")
        print(f"wrote {OUT.relative_to(ROOT)}")
    print(f"run time: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
