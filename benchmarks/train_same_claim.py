"""Rebuild ``parallax/text/data/same_claim.*`` and print its cross-validated table.

Fitting (scikit-learn, here only; the runtime applies the numbers with numpy): inverse
document frequencies of the training texts' stems, then a network of one hidden ReLU layer
(scikit-learn's ``MLPClassifier``) on the standardised pair features of
``parallax.text.same_claim`` (fine-grained overlap, IDF cosine, and the USE cosine).

Every figure printed is 10-fold cross-validation on MSRP train with the folds of
``benchmarks/same_claim.py``: IDF and network fitted on nine folds, the tenth judged. The
shipped model is fitted on MSRP train less fold 0 (408 pairs), which the gate in
``tests/test_same_claim.py`` scores; its figure is in ``benchmarks/data/same_claim_gate.json``.

``--ecbplus`` adds the ECB+ rows (``benchmarks/claim_pairs.py``): MSRP CV with ECB+ pairs
added to every training fold; ECB+ scored by topic-held-out CV (train on MSRP and the other
topics); MSRP-fitted scored on ECB+; ECB+-fitted scored on MSRP.

``.venv/bin/python benchmarks/train_same_claim.py [--no-write] [--ecbplus] [--no-use]``
(about 3.5 minutes; 5 with ``--ecbplus``, on two cores).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.neural_network import MLPClassifier

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import same_claim as bench  # noqa: E402
from claim_pairs import ECBPLUS, ClaimPair, load_ecbplus  # noqa: E402

from parallax.text.same_claim import (  # noqa: E402
    CARD_FILE,
    MODEL_FILE,
    ClaimModel,
    describe,
    embed,
    load_claim_model,
)

DATA = ROOT / "parallax" / "text" / "data"
GATE = ROOT / "benchmarks" / "data" / "same_claim_gate.json"
HIDDEN = 32
ALPHA = 1.0
HELD_OUT_FOLD = 0
MIN_DF = 2  # a stem of one training text is stored as unseen: no vocabulary of one-offs


@dataclass(frozen=True)
class Labelled:
    """Pairs as indices into one list of texts (each featurised once), with their USE
    vectors when the encoder is used."""

    texts: list[str]
    pairs: list[tuple[int, int]]
    gold: np.ndarray
    vectors: np.ndarray | None = None

    def subset(self, rows: np.ndarray) -> Labelled:
        return replace(self, pairs=[self.pairs[i] for i in rows], gold=self.gold[rows])


def labelled(pairs: Sequence[bench.Pair | ClaimPair], embedding: bool) -> Labelled:
    index: dict[str, int] = {}
    indexed = [
        (index.setdefault(p.a, len(index)), index.setdefault(p.b, len(index))) for p in pairs
    ]
    texts = list(index)
    return Labelled(
        texts, indexed, np.array([p.same for p in pairs]), embed(texts) if embedding else None
    )


def join(first: Labelled, second: Labelled) -> Labelled:
    offset = len(first.texts)
    vectors = None
    if first.vectors is not None and second.vectors is not None:
        vectors = np.vstack([first.vectors, second.vectors])
    return Labelled(
        first.texts + second.texts,
        first.pairs + [(i + offset, j + offset) for i, j in second.pairs],
        np.concatenate([first.gold, second.gold]),
        vectors,
    )


def inverse_document_frequencies(texts: Sequence[str]) -> tuple[dict[str, float], float]:
    df = Counter(t for text in texts for t in describe(text).stem_ngrams[0])
    total = len(texts)
    idf = {t: float(np.log((1 + total) / (1 + n))) for t, n in df.items() if n >= MIN_DF}
    return idf, float(np.log((1 + total) / 2))


def fit(data: Labelled, seed: int = 0) -> ClaimModel:
    used = sorted({i for p in data.pairs for i in p})
    idf, unseen = inverse_document_frequencies([data.texts[i] for i in used])
    partial = ClaimModel(
        idf=idf,
        unseen_idf=unseen,
        embedding=data.vectors is not None,
        mean=np.zeros(0),
        scale=np.ones(0),
        hidden=np.zeros(0),
        hidden_bias=np.zeros(0),
        output=np.zeros(0),
        output_bias=0.0,
    )
    x = partial.features(data.texts, data.pairs, data.vectors)
    mean, scale = x.mean(axis=0), np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    network = MLPClassifier((HIDDEN,), alpha=ALPHA, max_iter=2000, random_state=seed)
    network.fit((x - mean) / scale, data.gold)
    return replace(
        partial,
        mean=mean,
        scale=scale,
        hidden=network.coefs_[0],
        hidden_bias=network.intercepts_[0],
        output=network.coefs_[1][:, 0],
        output_bias=float(network.intercepts_[1][0]),
    )


def score(model: ClaimModel, data: Labelled) -> np.ndarray:
    return model.probabilities(model.features(data.texts, data.pairs, data.vectors))


def fold_of(count: int, folds: int = bench.FOLDS) -> np.ndarray:
    """The fold of each MSRP pair, exactly as ``benchmarks/same_claim.py`` draws them."""
    order = np.random.default_rng(20261204).permutation(count)
    folds_of = np.empty(count, dtype=int)
    folds_of[order] = np.arange(count) % folds
    return folds_of


def cross_validate(
    data: Labelled, folds_of: np.ndarray, extra: Labelled | None = None
) -> np.ndarray:
    """Each pair's probability from the model fitted without its fold (plus ``extra``)."""
    scores = np.zeros(len(data.pairs))
    for fold in np.unique(folds_of):
        train = data.subset(np.flatnonzero(folds_of != fold))
        test = np.flatnonzero(folds_of == fold)
        scores[test] = score(fit(join(train, extra) if extra else train), data.subset(test))
    return scores


def sample(data: Labelled, count: int, seed: int = 0) -> Labelled:
    """A fixed random ``count`` of ``data``'s pairs, so ECB+ does not swamp MSRP."""
    rows = np.random.default_rng(seed).permutation(len(data.pairs))[:count]
    return data.subset(np.sort(rows))


def row(system: str, scores: np.ndarray, gold: np.ndarray) -> str:
    accuracy, f1 = bench._accuracy_f1(scores >= 0.5, gold)
    return f"{system:<44} {accuracy:>8.3f} {f1:>6.3f}"


def ecbplus_rows(
    msrp: Labelled, folds_of: np.ndarray, ecb: Labelled, topics: np.ndarray
) -> list[str]:
    """MSRP CV with ECB+ added; ECB+ by topic-held-out CV; each corpus fitted on the other."""
    lines = [
        row(
            "MSRP CV, ECB+ sample added to training",
            cross_validate(msrp, folds_of, sample(ecb, len(msrp.pairs))),
            msrp.gold,
        )
    ]
    topic_fold = {t: k % 5 for k, t in enumerate(sorted(set(topics.tolist())))}
    held_out = np.array([topic_fold[t] for t in topics])
    scores = np.zeros(len(ecb.pairs))
    only_msrp = fit(msrp)
    for fold in range(5):
        train = sample(ecb.subset(np.flatnonzero(held_out != fold)), len(msrp.pairs))
        test = np.flatnonzero(held_out == fold)
        scores[test] = score(fit(join(msrp, train)), ecb.subset(test))
    lines.append(row("ECB+ topic-held-out CV (MSRP + other topics)", scores, ecb.gold))
    lines.append(row("ECB+ scored by MSRP-fitted", score(only_msrp, ecb), ecb.gold))
    lines.append(row("ECB+ always same", np.ones(len(ecb.pairs)), ecb.gold))
    lines.append(row("MSRP scored by ECB+-fitted", score(fit(ecb), msrp), msrp.gold))
    return lines


def write_model(model: ClaimModel, card: dict[str, object]) -> None:
    stems = sorted(model.idf)
    np.savez_compressed(
        DATA / MODEL_FILE,
        stems=np.array(stems),
        idf=np.array([model.idf[t] for t in stems], dtype=np.float32),
        unseen_idf=np.array(model.unseen_idf),
        mean=model.mean,
        scale=model.scale,
        hidden=model.hidden,
        hidden_bias=model.hidden_bias,
        output=model.output,
        output_bias=np.array(model.output_bias),
    )
    (DATA / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-write", action="store_true", help="measure only")
    parser.add_argument("--ecbplus", action="store_true", help="also the ECB+ rows")
    parser.add_argument(
        "--no-use", action="store_true", help="ship the model without the USE cosine"
    )
    args = parser.parse_args(argv)
    if not bench.MSRP.is_file():
        print(f"MSRP not found at {bench.MSRP}; nothing to train on")
        return 1
    started = time.perf_counter()
    pairs = bench.load_msrp()
    msrp = labelled(pairs, embedding=True)
    assert msrp.vectors is not None
    folds_of = fold_of(len(pairs))
    print(
        f"machine: {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}; date: {date.today()}"
    )
    print(f"MSRP train: {len(pairs)} pairs, {msrp.gold.mean():.3f} the same; 10-fold CV\n")
    cosines = np.array([msrp.vectors[i] @ msrp.vectors[j] for i, j in msrp.pairs])
    table = bench.format_table(bench.cross_validate(pairs, bench.FOLDS, cosines), msrp.gold)
    plain = replace(msrp, vectors=None)
    cv = {
        "without USE": cross_validate(plain, folds_of),
        "with USE": cross_validate(msrp, folds_of),
    }
    figures = {name: bench._accuracy_f1(s >= 0.5, msrp.gold) for name, s in cv.items()}
    lines = [table, *(row(f"same_claim ({name}, MLP)", s, msrp.gold) for name, s in cv.items())]
    print("\n".join(lines))
    if args.ecbplus and ECBPLUS.is_dir():
        claim_pairs = load_ecbplus()
        ecb = labelled(claim_pairs, embedding=True)
        topics = np.array([p.topic for p in claim_pairs])
        print(f"\nECB+ topics 1-35: {len(ecb.pairs)} pairs, {ecb.gold.mean():.3f} the same")
        print("\n".join(ecbplus_rows(msrp, folds_of, ecb, topics)))
    shipped = plain if args.no_use else msrp
    model = fit(shipped.subset(np.flatnonzero(folds_of != HELD_OUT_FOLD)))
    print(f"run time: {time.perf_counter() - started:.1f} s")
    if args.no_write:
        return 0
    card = {
        "date": str(date.today()),
        "training": f"MSRP train less fold {HELD_OUT_FOLD} of benchmarks/same_claim.py's ten",
        "embedding": model.embedding,
        "features": list(model.feature_names),
        "network": f"{HIDDEN} ReLU units, L2 alpha {ALPHA}",
        "cv": {
            name: {"accuracy": round(a, 3), "f1": round(f, 3)} for name, (a, f) in figures.items()
        },
    }
    write_model(model, card)
    record_gate(pairs)
    return 0


def record_gate(pairs: Sequence[bench.Pair]) -> None:
    """The shipped test, as ``parallax.same_claim`` runs it (the network and the
    cross-encoder), on the fold neither was fitted on: the figure tests/test_same_claim.py
    holds."""
    load_claim_model.cache_clear()
    held_out = np.flatnonzero(fold_of(len(pairs)) == HELD_OUT_FOLD)
    texts = [text for k in held_out for text in (pairs[k].a, pairs[k].b)]
    both = [(2 * n, 2 * n + 1) for n in range(len(held_out))]
    scores = load_claim_model().score_pairs(texts, both)
    gold = np.array([pairs[k].same for k in held_out])
    accuracy, f1 = bench._accuracy_f1(scores >= 0.5, gold)
    print(f"shipped test on its held-out fold ({len(held_out)} pairs): {accuracy:.3f} / {f1:.3f}")
    GATE.parent.mkdir(exist_ok=True)
    figures = {"fold": HELD_OUT_FOLD, "pairs": len(held_out), "accuracy": round(accuracy, 4)}
    GATE.write_text(json.dumps({**figures, "f1": round(f1, 4)}, indent=2) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
