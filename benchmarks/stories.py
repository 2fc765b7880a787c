"""Same-event grouping ("stories") benchmark on ECB+: Parallax against two simple baselines.

Run from the repository root::

    .venv/bin/python benchmarks/stories.py                       # 2-fold CV + in-sample, ~10 s
    .venv/bin/python benchmarks/stories.py --tune-on 1-20 --eval-on 21-35
    .venv/bin/python benchmarks/stories.py --fixed tfidf-avglink=0.8,minhash-cc=0.1
    .venv/bin/python benchmarks/stories.py --scale                # speed/memory, parallax only
    .venv/bin/python benchmarks/stories.py --real-news            # a week of real news, 2 min
    .venv/bin/python benchmarks/stories.py --pipeline             # ECB+ via parallax run, 3 min
    .venv/bin/python benchmarks/stories.py --orders 8             # 8 shuffled arrival orders
    .venv/bin/python benchmarks/stories.py --collections          # every development set
    .venv/bin/python benchmarks/stories.py --collections gva --limit-events 150   # quick
    .venv/bin/python benchmarks/stories.py --record-gates         # tests/test_stories_gate.py

Topics never tuned on (e.g. ECB+ 36-45, which ../shared lacks), at thresholds fixed
beforehand (``FROZEN_THRESHOLDS``), from raw text and through ``parallax run``::

    .venv/bin/python benchmarks/stories.py --data PATH --topics 36-45 --held-out
    .venv/bin/python benchmarks/stories.py --data PATH --topics 36-45 --held-out --pipeline

``PATH`` holds the corpus as distributed (``PATH/ECB+/36/36_1ecb.xml``), its topic folders
(``PATH/36/...``) or the files themselves.

Data: ECB+ (Cybulska & Vossen, LREC 2014), kept outside the repository (``--data``). Each
topic holds news about two different real events of the same kind (e.g. two celebrities
checking into rehab, years apart): the original ECB documents (``*ecb.xml``) about one and
the ECB+ additions (``*ecbplus.xml``) about the other. The gold story of a document is
``(topic, "ecb" | "ecbplus")``; all documents of the evaluated topics are clustered
together, so a system can also go wrong by merging across topics.

Text
----
Each document is rebuilt from its ``<token>`` elements: tokens joined by single spaces, with
no space before closing punctuation and clitics (``. , ; : ! ? ) 's n't`` ...) and none after
an opening bracket; sentences are separated by newlines. Sentence 0 of every ``*ecbplus.xml``
file is the URL the text was found at (the corpus README says so); it would give the
sub-topic away (and the outlet), so it is dropped. Sentence 0 of ``*ecb.xml`` files is the
first sentence of the text (often the headline) and is kept.

Scores
------
* B-cubed (Bagga & Baldwin 1998): per document, precision = share of its predicted cluster
  that shares its gold story, recall = share of its gold story that shares its predicted
  cluster; both averaged over documents, F1 = harmonic mean of the two averages.
* ARI: ``sklearn.metrics.adjusted_rand_score``.
* clusters: number of predicted vs gold clusters.

Thresholds
----------
Every system has one threshold, chosen by grid search (maximising B-cubed F1) on *tuning*
topics and then applied unchanged to *evaluation* topics. By default that is two-fold
cross-validation over topic numbers (odd -> even and even -> odd) plus, for reference only,
the in-sample score (tuned and evaluated on all topics). ``--fixed`` skips tuning.
``seconds`` is the wall time of one run of the system on the evaluation documents with the
chosen threshold (preparation such as vectorising included; the grid search is not).

Development collections (issue 24)
----------------------------------
``--collections [ecbplus gva gva-reposted gva-dense news l3s]`` (default: every one whose
data is present)
prints one table: for each collection, Parallax through the real pipeline (a JSON Lines
feed in date order read into a fresh store: ``Corpus.run``, analysed; ``ingest`` then
``group``, not analysed), TF-IDF average linkage at 0.83 and MinHash components at 1/128
(``FROZEN_THRESHOLDS``, on title + text), and every article alone; B-cubed P/R/F1, the
number of stories, the three largest and each row's wall time. Collections: ECB+ (every
topic in ``--data``, or ``--topics``; text only, as ``--pipeline`` reads it); GVA
(``--gva-data``, ``../shared/eval/gva-incidents``: 5,671 local reports of 3,368 US
shootings with url, title, text and date; ``--limit-events N`` keeps the first N events
in date order); GVA re-posted (each report also re-posted the next day by another outlet,
with its own address: 11,342 articles; not analysed unless ``--analyse-reposts``); GVA
dense (``dense_sample``: 241 events drawn at random among those with two or more reports,
652 reports, as small and dense as the issue's hidden gun-violence collection); the
week of real news (the 181 article-extraction pages, gold
``benchmarks/data/article_extraction_events.json``) and L3S-GN1 (621 Google News pages of
early 2008, gold ``benchmarks/data/l3s_gn1_events.json``), each page's HTML a feed record,
the baselines on the text trafilatura extracts.

``--record-gates`` measures the small fixed subsets of ``GATES`` and writes
``benchmarks/data/story_gates.json``, which tests/test_stories_gate.py checks against.

Scale mode
----------
``--scale`` times ``group_texts(texts, ids, analyse=False)`` on synthetic
corpora of 1k/10k/100k documents, one fresh subprocess per size so that ``ru_maxrss`` is
that size's peak. See ``build_scale_corpus`` for how the corpora are made.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.pairwise import cosine_distances

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO_ROOT.parent / "shared/eval"
DEFAULT_DATA = SHARED_EVAL / "ecbplus"

_FILE_RE = re.compile(r"^(\d+)_(\d+)(ecb|ecbplus)\.xml$")

# ------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Document:
    doc_id: str  # file stem, e.g. "1_3ecbplus"
    topic: int
    kind: str  # "ecb" or "ecbplus"
    number: int
    text: str

    @property
    def gold(self) -> str:
        return f"{self.topic}/{self.kind}"


_NO_SPACE_BEFORE = frozenset(".,;:!?)]}%'")
_NO_SPACE_AFTER = frozenset("([{$`")
_SPLIT_FIGURE = re.compile(r"(?<=\d)([.:]) (?=\d)|(?<!\d{4})(?<=\d)(,) (?=\d{3}\b)")
_SPLIT_SLASH = re.compile(r"(?<=\d) / (?=\d)")


def detokenize(tokens: Sequence[str]) -> str:
    """Join corpus tokens back into readable text (approximately; spacing is not stored)."""
    out: list[str] = []
    for tok in tokens:
        if not tok:
            continue
        glue = (
            not out
            or tok[0] in _NO_SPACE_BEFORE
            or tok.lower() == "n't"
            or out[-1][-1] in _NO_SPACE_AFTER
        )
        out.append(tok if glue else " " + tok)
    # The tokeniser split figures, times and dates ("5.9", "8:41", "11/28/05") at their
    # punctuation; rejoin them so they read as one figure again.
    text = _SPLIT_FIGURE.sub(lambda m: m[1] or m[2], "".join(out))
    return _SPLIT_SLASH.sub("/", text)


def read_document(path: Path) -> Document:
    match = _FILE_RE.match(path.name)
    if match is None:
        raise ValueError(f"unexpected ECB+ file name: {path.name}")
    topic, number, kind = int(match[1]), int(match[2]), match[3]
    sentences: dict[int, list[str]] = defaultdict(list)
    # Tokens are in document order in the files, but sorting by t_id guards against a
    # hand-edited file without costing anything measurable.
    tokens = ET.parse(path).getroot().iter("token")
    for tok in sorted(tokens, key=lambda t: int(t.get("t_id", "0"))):
        sentences[int(tok.get("sentence", "0"))].append(tok.text or "")
    if kind == "ecbplus":
        sentences.pop(0, None)  # the source URL, see module docstring
    text = "\n".join(detokenize(sentences[s]) for s in sorted(sentences))
    return Document(path.stem, topic, kind, number, text)


def load_ecbplus(data: Path, topics: set[int] | None) -> list[Document]:
    """The ECB+ documents under ``data``: the corpus as distributed (``data/ECB+/<topic>/``),
    its topic folders themselves (``data/<topic>/``) or one folder of files."""
    files = [
        path
        for pattern in ("ECB+/*/*.xml", "*/*.xml", "*.xml")
        for path in sorted(data.glob(pattern))
        if _FILE_RE.match(path.name)
    ]
    if not files:
        raise SystemExit(
            f"no ECB+ documents (files named like 36_1ecb.xml) found in {data}, "
            "its topic folders or its ECB+ folder"
        )
    docs = [read_document(p) for p in dict.fromkeys(files)]
    if topics is not None:
        docs = [d for d in docs if d.topic in topics]
    # Interleave the two sub-topics (by file number) rather than listing one event after the
    # other, so that an order-sensitive (incremental) system does not get an easy ordering.
    docs.sort(key=lambda d: (d.topic, d.number, d.kind))
    return docs


def parse_topic_spec(spec: str, available: Sequence[int]) -> set[int]:
    """``1-10,12``, ``odd``, ``even`` or ``all``, intersected with the topics present."""
    chosen: set[int] = set()
    for part in spec.split(","):
        part = part.strip().lower()
        if not part:
            continue
        if part == "all":
            chosen.update(available)
        elif part in ("odd", "even"):
            chosen.update(t for t in available if t % 2 == (part == "odd"))
        elif "-" in part:
            lo, hi = (int(x) for x in part.split("-", 1))
            chosen.update(range(lo, hi + 1))
        else:
            chosen.add(int(part))
    return chosen & set(available)


# ----------------------------------------------------------------------------- scorer


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    ari: float
    n_pred: int
    n_gold: int


def score(pred: Sequence[Any], gold: Sequence[Any]) -> Score:
    if len(pred) != len(gold):
        raise ValueError(f"{len(pred)} predicted labels for {len(gold)} documents")
    n = len(gold)
    cell: dict[tuple[Any, Any], int] = defaultdict(int)
    size_p: dict[Any, int] = defaultdict(int)
    size_g: dict[Any, int] = defaultdict(int)
    for p, g in zip(pred, gold, strict=True):
        cell[p, g] += 1
        size_p[p] += 1
        size_g[g] += 1
    # Every document in cell (p, g) has the same per-document precision c/|p| and recall
    # c/|g|, so summing c * (c/|p|) over cells is the sum over documents.
    precision = sum(c * c / size_p[p] for (p, _), c in cell.items()) / n
    recall = sum(c * c / size_g[g] for (_, g), c in cell.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    ari = float(adjusted_rand_score(list(gold), [str(p) for p in pred]))
    return Score(precision, recall, f1, ari, len(size_p), len(size_g))


# ---------------------------------------------------------------------------- systems

Texts = Sequence[str]
Ids = Sequence[str]


@dataclass
class System:
    """A grouping method: ``prepare`` does the threshold-independent work once per document
    set (so the grid search does not repeat it), ``cluster`` cuts at one threshold."""

    name: str
    prepare: Callable[[Texts, Ids], Any]
    cluster: Callable[[Any, float | None], list[Any]]
    grid: list[float]
    default: float | None = None  # used when tuning is impossible (e.g. no tune topics)


def _frange(lo: float, hi: float, step: float) -> list[float]:
    n = round((hi - lo) / step)
    return [round(lo + i * step, 4) for i in range(n + 1)]


# tfidf-avglink ---------------------------------------------------------------------


def tfidf_prepare(texts: Texts, ids: Ids) -> np.ndarray:
    # Fitted on the documents being grouped (unsupervised, as a deployment would do).
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    return cosine_distances(matrix)


def tfidf_cluster(dist: np.ndarray, threshold: float | None) -> list[Any]:
    if dist.shape[0] < 2:
        return [0] * dist.shape[0]
    # Same result as AgglomerativeClustering(metric="cosine") on the TF-IDF rows, but the
    # distance matrix is computed once per document set instead of once per threshold and
    # the sparse matrix never has to be densified.
    model = AgglomerativeClustering(
        metric="precomputed",
        linkage="average",
        distance_threshold=threshold,
        n_clusters=None,
    )
    return model.fit_predict(dist).tolist()


# minhash-cc ------------------------------------------------------------------------

MINHASH_PERMUTATIONS = 128
SHINGLE_WORDS = 5
_MERSENNE = np.uint64((1 << 61) - 1)
_WORD_RE = re.compile(r"\w+")


def _shingle_hashes(text: str) -> np.ndarray:
    words = _WORD_RE.findall(text.lower())
    if len(words) >= SHINGLE_WORDS:
        grams = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - 4)}
    else:
        grams = {" ".join(words)} if words else set()
    # Python's hash() is salted per process; a keyed blake2b gives the same signatures in
    # every run.
    return np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4, key=b"pllx").digest())
            for g in grams
        ),
        dtype=np.uint64,
        count=len(grams),
    )


def minhash_signatures(texts: Texts, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    # a, b < 2**31 and x < 2**32 keep a*x + b below 2**64, so uint64 arithmetic is exact
    # before the reduction modulo the Mersenne prime.
    a = rng.integers(1, 1 << 31, size=(MINHASH_PERMUTATIONS, 1), dtype=np.uint64)
    b = rng.integers(0, 1 << 31, size=(MINHASH_PERMUTATIONS, 1), dtype=np.uint64)
    sigs = np.full((len(texts), MINHASH_PERMUTATIONS), np.iinfo(np.uint64).max, np.uint64)
    for i, text in enumerate(texts):
        hashes = _shingle_hashes(text)
        if hashes.size:
            sigs[i] = ((a * hashes[None, :] + b) % _MERSENNE).min(axis=1)
    return sigs


def minhash_prepare(texts: Texts, ids: Ids) -> np.ndarray:
    sigs = minhash_signatures(texts)
    empty = (sigs == np.iinfo(np.uint64).max).all(axis=1)
    # All pairs are compared exactly (an LSH banding index would only drop candidate pairs
    # near the threshold; at a few hundred documents brute force is cheaper to reason about).
    sim = np.zeros((len(texts), len(texts)), dtype=np.float32)
    for k in range(MINHASH_PERMUTATIONS):
        col = sigs[:, k]
        sim += col[:, None] == col[None, :]
    sim /= MINHASH_PERMUTATIONS
    sim[empty, :] = 0.0  # two empty texts would otherwise look identical
    sim[:, empty] = 0.0
    return sim


def minhash_cluster(sim: np.ndarray, threshold: float | None) -> list[Any]:
    assert threshold is not None
    adjacency = csr_matrix(sim >= threshold)
    _, labels = connected_components(adjacency, directed=False)
    return labels.tolist()


# bare texts: what the ECB+ benchmarks group -------------------------------------


def group_texts(
    texts: Sequence[str],
    ids: Sequence[str] | None = None,
    *,
    analyse: bool = True,
    params: Any = None,
    threshold: float | None = None,
) -> list[str]:
    """Group bare texts: a story id per text.

    With ``analyse`` the texts go through Parallax's analysis and cross-article
    resolution so names are canonical entities; without it capitalised word
    sequences stand in for names.
    """
    from parallax.stories import group_inputs

    items = text_inputs(texts, ids, analyse=analyse)
    return group_inputs(items, params=params, threshold=threshold)


def text_inputs(
    texts: Sequence[str], ids: Sequence[str] | None = None, *, analyse: bool = True
) -> list[Any]:
    """What ``group_texts`` groups: a ``StoryInput`` per bare text, its names the canonical
    entities of the analysis (``analyse``) or capitalised word sequences, its years those
    of its lead. Built once, they can be grouped in several orders or at several
    thresholds without analysing again."""
    from parallax.stories import StoryInput, lead_years, surface_names

    ids = list(ids) if ids is not None else [str(n) for n in range(len(texts))]
    names = (
        _resolved_names(tuple(texts), tuple(ids)) if analyse else [surface_names(t) for t in texts]
    )
    return [
        StoryInput(id=i, text=text, names=n, years=lead_years(text))
        for i, text, n in zip(ids, texts, names, strict=True)
    ]


@lru_cache(maxsize=2)
def _resolved_names(texts: tuple[str, ...], ids: tuple[str, ...]) -> list[tuple[str, ...]]:
    # Cached: tuning a threshold groups the same texts many times; the analysis is the cost.
    from dataclasses import replace

    from parallax.nlp import analyze_texts
    from parallax.resolve import load_knowledge_base, resolve_entities

    knowledge = load_knowledge_base()
    analyses = [
        replace(analysis, article_id=article_id)
        for article_id, analysis in zip(ids, analyze_texts(texts, knowledge=knowledge), strict=True)
    ]
    resolution = resolve_entities(analyses, {}, knowledge)
    return [
        tuple(
            sorted(
                {
                    resolution.links[(analysis.article_id, index)]
                    for index in range(len(analysis.mentions))
                    if (analysis.article_id, index) in resolution.links
                }
            )
        )
        for analysis in analyses
    ]


# parallax --------------------------------------------------------------------------


def parallax_systems() -> list[System]:
    """``parallax`` calls ``group_texts`` as a user would (with the spaCy analysis and entity
    resolution, the default); ``parallax-surface`` passes ``analyse=False`` (capitalised word
    runs stand in for names), which is much faster and shows what the analysis adds."""

    def prepare(texts: Texts, ids: Ids) -> tuple[Texts, Ids]:
        return texts, ids  # group_texts does (and caches, if it wants) its own work

    def make(**extra: Any) -> Callable[[tuple[Texts, Ids], float | None], list[Any]]:
        def cluster(state: tuple[Texts, Ids], threshold: float | None) -> list[Any]:
            texts, ids = state
            params = dict(extra) if threshold is None else {**extra, "threshold": threshold}
            return list(group_texts(texts, ids, **params))

        return cluster

    grid = _frange(0.05, 0.60, 0.025)
    return [
        System("parallax", prepare, make(), grid, default=None),
        System("parallax-surface", prepare, make(analyse=False), grid, default=None),
    ]


def baseline_systems() -> list[System]:
    return [
        System("tfidf-avglink", tfidf_prepare, tfidf_cluster, _frange(0.30, 0.99, 0.01), 0.8),
        # The estimate only takes the values k/128, so the grid steps through those (rounded
        # down so that ``>=`` keeps exactly k matching permutations).
        System(
            "minhash-cc",
            minhash_prepare,
            minhash_cluster,
            [int(k / MINHASH_PERMUTATIONS * 1e4) / 1e4 for k in range(1, 65)],
            0.05,
        ),
    ]


# ``--held-out``: every system's threshold fixed before unseen topics are scored. Parallax
# runs at its library defaults, as a user gets it; each baseline at the threshold that
# scores best on all the ECB+ topics shipped in ../shared (1-35, ``--tune-on all``,
# 2026-12-04: TF-IDF average linkage 0.874 at 0.83, MinHash components 0.556 at 1/128).
FROZEN_THRESHOLDS: dict[str, float | None] = {
    "parallax": None,
    "parallax-surface": None,
    "tfidf-avglink": 0.83,
    "minhash-cc": 0.0078,
}


def all_systems() -> list[System]:
    return baseline_systems() + parallax_systems()


# ------------------------------------------------------------------------ evaluation


@dataclass
class Row:
    fold: str
    system: str
    threshold: float | None
    score: Score
    seconds: float
    tune_seconds: float = 0.0
    tuned_on: list[int] = field(default_factory=list)
    evaluated_on: list[int] = field(default_factory=list)


def tune(system: System, docs: Sequence[Document]) -> tuple[float | None, float]:
    t0 = time.perf_counter()
    state = system.prepare([d.text for d in docs], [d.doc_id for d in docs])
    gold = [d.gold for d in docs]
    f1s = [score(system.cluster(state, t), gold).f1 for t in system.grid]
    best = max(f1s)
    ties = [t for t, f in zip(system.grid, f1s, strict=True) if f >= best - 1e-12]
    # The middle of a plateau of equally good thresholds is the choice least likely to sit
    # one grid step away from a drop on unseen topics.
    return ties[len(ties) // 2], time.perf_counter() - t0


def evaluate(system: System, docs: Sequence[Document], threshold: float | None) -> Row:
    t0 = time.perf_counter()
    state = system.prepare([d.text for d in docs], [d.doc_id for d in docs])
    labels = system.cluster(state, threshold)
    seconds = time.perf_counter() - t0
    return Row("", system.name, threshold, score(labels, [d.gold for d in docs]), seconds)


def run_fold(
    name: str,
    systems: Sequence[System],
    docs: Sequence[Document],
    tune_topics: set[int] | None,
    eval_topics: set[int],
    fixed: dict[str, float | None],
) -> list[Row]:
    eval_docs = [d for d in docs if d.topic in eval_topics]
    tune_docs = [d for d in docs if tune_topics and d.topic in tune_topics]
    rows = []
    for system in systems:
        tune_seconds = 0.0
        if system.name in fixed:
            threshold = fixed[system.name]
        elif tune_docs:
            threshold, tune_seconds = tune(system, tune_docs)
        else:
            threshold = system.default
        try:
            row = evaluate(system, eval_docs, threshold)
        except Exception as exc:  # a failing system must not hide the others' numbers
            print(f"{system.name} failed on fold {name}: {type(exc).__name__}: {exc}")
            continue
        row.fold = name
        row.tune_seconds = tune_seconds
        row.tuned_on = sorted(tune_topics) if tune_topics and system.name not in fixed else []
        row.evaluated_on = sorted(eval_topics)
        rows.append(row)
    return rows


def mean_rows(name: str, rows: Sequence[Row]) -> list[Row]:
    by_system: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_system[row.system].append(row)
    out = []
    for system, rs in by_system.items():
        sc = Score(
            statistics.fmean(r.score.precision for r in rs),
            statistics.fmean(r.score.recall for r in rs),
            statistics.fmean(r.score.f1 for r in rs),
            statistics.fmean(r.score.ari for r in rs),
            sum(r.score.n_pred for r in rs),
            sum(r.score.n_gold for r in rs),
        )
        out.append(Row(name, system, None, sc, sum(r.seconds for r in rs)))
    return out


def format_table(rows: Sequence[Row], thresholds: dict[str, str]) -> str:
    head = ("fold", "system", "thr", "B3 P", "B3 R", "B3 F1", "ARI", "clusters", "seconds")
    lines = [head]
    for r in rows:
        thr = thresholds.get(r.fold + r.system) or (
            "default" if r.threshold is None else f"{r.threshold:g}"
        )
        if r.fold and not r.tuned_on and r.fold != "CV mean":
            thr += "*"
        s = r.score
        lines.append(
            (
                r.fold,
                r.system,
                thr,
                f"{s.precision:.3f}",
                f"{s.recall:.3f}",
                f"{s.f1:.3f}",
                f"{s.ari:.3f}",
                f"{s.n_pred}/{s.n_gold}",
                f"{r.seconds:.2f}",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    text = []
    for k, line in enumerate(lines):
        pairs = enumerate(zip(line, widths, strict=True))
        cells = [c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in pairs]
        text.append("  ".join(cells).rstrip())
        if k == 0:
            text.append("  ".join("-" * w for w in widths))
    return "\n".join(text)


def parse_fixed(spec: str) -> dict[str, float | None]:
    fixed: dict[str, float | None] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, _, value = part.partition("=")
        fixed[name.strip()] = None if value.strip() == "default" else float(value)
    return fixed


def parse_grid(specs: Sequence[str]) -> dict[str, list[float]]:
    grids = {}
    for spec in specs:
        name, _, values = spec.partition("=")
        if ":" in values:
            lo, hi, step = (float(x) for x in values.split(":"))
            grids[name] = _frange(lo, hi, step)
        else:
            grids[name] = [float(x) for x in values.split(",")]
    return grids


# ------------------------------------------------------------------ real-news check

REAL_NEWS_EVENTS = REPO_ROOT / "benchmarks/data/article_extraction_events.json"
REAL_NEWS_HTML = SHARED_EVAL / "article-extraction/html"
L3S_EVENTS = REPO_ROOT / "benchmarks/data/l3s_gn1_events.json"
L3S_HTML = SHARED_EVAL / "l3s-gn1/original"


def _through_pipeline(
    paths: Sequence[Path], db: Path
) -> tuple[list[str], dict[str, Any], list[Any]]:
    """``parallax run`` over ``paths`` into a fresh store at ``db``: the article ids in
    arrival order, the articles by id, and each article's ``StoryInput`` (in that order)."""
    import parallax
    from parallax.pipeline import story_input
    from parallax.store import open_store

    with parallax.open(str(db)) as corpus:
        corpus.run([str(path) for path in paths])
    with open_store(str(db)) as store:
        order = store.article_order()
        articles = {article.id: article for article in store.articles()}
        analyses = {analysis.article_id: analysis for analysis in store.analyses()}
    return order, articles, [story_input(articles[a], analyses.get(a)) for a in order]


def _copies(inputs: Sequence[Any]) -> dict[str, str]:
    """The copies among the inputs, by the MinHash test ``group_stories`` applies."""
    from parallax.stories import find_copies

    return find_copies({item.id: item.text for item in inputs}, [item.id for item in inputs])


def _grouped(inputs: Sequence[Any], threshold: float, copies: dict[str, str]) -> dict[str, str]:
    """Each input's story, as ``group_stories`` places a batch: one by one, then settled,
    each of ``copies`` (``_copies``) ending in its original's story."""
    from parallax.stories import group_inputs

    labels = group_inputs(inputs, copies, threshold=threshold)
    return {item.id: label for item, label in zip(inputs, labels, strict=True)}


def real_news(thresholds: Sequence[float], ecb_data: Path) -> list[dict[str, Any]]:
    """Group a week of real news from unrelated sites: the 181 article-extraction pages,
    through the whole pipeline (cleaning, dates, analysis, resolution) into a temporary
    store, then placed by ``StoryGrouper`` at each threshold as ``group_stories`` does.

    Gold: ``benchmarks/data/article_extraction_events.json``, written for this benchmark
    (17 events reported two to four times, 136 articles alone; how it was judged is in its
    ``about``). Unlike ECB+, almost every article has near neighbours that are other events
    (Apple deals, impeachment hearing days, US-China trade pieces), so this measures
    over-merging. The baselines run on the same clean texts at the thresholds tuned on all
    ECB+ topics; "singletons" (every article alone) is the floor a grouping must beat."""
    import tempfile

    events = json.loads(REAL_NEWS_EVENTS.read_text("utf-8"))["events"]
    with tempfile.TemporaryDirectory() as tmp:
        html = SHARED_EVAL / "article-extraction/html"
        order, articles, inputs = _through_pipeline([html], Path(tmp) / "news.db")
    page = {a: Path(articles[a].source).name.split(".")[0] for a in order}
    scored = [a for a in order if page[a] in events]
    gold = [events[page[a]] for a in scored]
    rows = []

    def add_row(system: str, threshold: float | None, labels: Sequence[Any]) -> None:
        result = score(labels, gold)
        rows.append({"system": system, "threshold": threshold, **asdict(result)})

    add_row("singletons", None, scored)
    copies = _copies(inputs)
    for threshold in thresholds:
        story_of = _grouped(inputs, threshold, copies)
        add_row("parallax", threshold, [story_of[a] for a in scored])
    ecb_docs = load_ecbplus(ecb_data, None)
    texts, ids = [articles[a].text for a in scored], scored
    for system in baseline_systems():  # parallax ran above, on the store
        threshold, _ = tune(system, ecb_docs)
        add_row(system.name, threshold, system.cluster(system.prepare(texts, ids), threshold))
    print(f"real news: {len(scored)} articles, {len(set(gold))} gold events")
    print(f"{'system':16} {'threshold':>9} {'P':>6} {'R':>6} {'F1':>6} {'ARI':>6} {'stories':>7}")
    for row in rows:
        t = "" if row["threshold"] is None else f"{row['threshold']:.3f}"
        print(
            f"{row['system']:16} {t:>9} {row['precision']:6.3f} {row['recall']:6.3f} "
            f"{row['f1']:6.3f} {row['ari']:6.3f} {row['n_pred']:7d}"
        )
    return rows


# ------------------------------------------------------------- ECB+ through the pipeline


def ecbplus_through_pipeline(
    data: Path, thresholds: Sequence[float], topics: str = "all", *, folds: bool = True
) -> list[dict[str, Any]]:
    """ECB+ as a user would group it: every document of ``topics`` written as a ``.txt``
    file and read by ``parallax run`` (cleaning takes the first line as the title and a
    dateline as the publication date; the analysis and resolution as in production), then
    each fold of topics (odd, even), or with ``folds=False`` all of them, grouped at each
    threshold from the store, as ``group_stories`` does. File names keep the order of the
    main benchmark, so the difference from it is what the pipeline makes of the texts."""
    import tempfile

    docs = load_ecbplus(data, None)
    chosen = parse_topic_spec(topics, sorted({d.topic for d in docs}))
    docs = [d for d in docs if d.topic in chosen]
    with tempfile.TemporaryDirectory() as tmp:
        texts = Path(tmp) / "texts"
        for position, doc in enumerate(docs):
            path = texts / f"{doc.topic:02d}" / f"{position:04d}-{doc.doc_id}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(doc.text + "\n", encoding="utf-8")
        order, articles, inputs = _through_pipeline([texts], Path(tmp) / "ecbplus.db")
    by_id = {doc.doc_id: doc for doc in docs}
    doc_of = {a: by_id[Path(articles[a].source).stem.split("-", 1)[1]] for a in order}
    rows = []
    for fold in ("odd", "even") if folds else ("all",):
        members = [
            item for item in inputs if fold == "all" or doc_of[item.id].topic % 2 == (fold == "odd")
        ]
        gold = [doc_of[item.id].gold for item in members]
        copies = _copies(members)
        for threshold in thresholds:
            story_of = _grouped(members, threshold, copies)
            result = score([story_of[item.id] for item in members], gold)
            rows.append({"fold": fold, "threshold": threshold, **asdict(result)})
    print(f"ECB+ through parallax run: {len(order)} of {len(docs)} documents stored")
    print(f"{'fold':5} {'threshold':>9} {'P':>6} {'R':>6} {'F1':>6} {'ARI':>6} {'stories':>7}")
    for row in rows:
        print(
            f"{row['fold']:5} {row['threshold']:9.3f} {row['precision']:6.3f} "
            f"{row['recall']:6.3f} {row['f1']:6.3f} {row['ari']:6.3f} {row['n_pred']:7d}"
        )
    for threshold in thresholds if folds else ():
        f1 = [row["f1"] for row in rows if row["threshold"] == threshold]
        print(f"mean of the folds at {threshold:.3f}: B3 F1 {statistics.mean(f1):.3f}")
    return rows


# ------------------------------------------------------------------ orders of arrival


def arrival_orders(data: Path, orders: int, topics: str = "all") -> list[dict[str, Any]]:
    """Parallax at its defaults on each fold of topics (odd, even), the documents read in
    file order (seed 0: each topic's ``ecb`` reports, then its ``ecbplus`` ones) and in
    ``orders`` shuffled orders (seeds 1 to ``orders``). Grouping is incremental, so where a
    report lands depends on what arrived before it; a news stream interleaves events,
    while the file order hands over one event at a time. Names are found once per fold."""
    from parallax.stories import group_inputs

    docs = load_ecbplus(data, None)
    chosen = parse_topic_spec(topics, sorted({d.topic for d in docs}))
    rows = []
    for system, analyse in (("parallax", True), ("parallax-surface", False)):
        for fold in ("odd", "even"):
            members = [d for d in docs if d.topic in chosen and d.topic % 2 == (fold == "odd")]
            inputs = text_inputs(
                [d.text for d in members], [d.doc_id for d in members], analyse=analyse
            )
            gold = {d.doc_id: d.gold for d in members}
            for seed in range(orders + 1):
                order = list(inputs)
                if seed:
                    random.Random(seed).shuffle(order)
                result = score(group_inputs(order), [gold[item.id] for item in order])
                rows.append({"system": system, "fold": fold, "seed": seed, **asdict(result)})
    print(f"{'system':16} {'order':>8} {'odd F1':>7} {'even F1':>7} {'mean':>6}")
    for system in ("parallax", "parallax-surface"):
        means = []
        for seed in range(orders + 1):
            f1 = {r["fold"]: r["f1"] for r in rows if r["system"] == system and r["seed"] == seed}
            means.append(statistics.mean(f1.values()))
            label = "file" if seed == 0 else f"seed {seed}"
            print(f"{system:16} {label:>8} {f1['odd']:7.3f} {f1['even']:7.3f} {means[-1]:6.3f}")
        if orders:
            shuffled = means[1:]
            print(
                f"{system:16} shuffled: mean {statistics.mean(shuffled):.3f}, "
                f"min {min(shuffled):.3f}, max {max(shuffled):.3f} (file order {means[0]:.3f})"
            )
    return rows


# ------------------------------------------------- development collections (issue 24)

GVA_DATA = SHARED_EVAL / "gva-incidents"
_ARCHIVE_RE = re.compile(r"^https?://web\.archive\.org/web/[^/]+/(.+)$")
# The outlets that re-post every report once in the "re-posted" GVA variant (invented
# names on reserved .example hosts, so they never match a real outlet).
REPOST_OUTLETS = (
    ("Metro News Wire", "metronewswire.example"),
    ("Regional Reposts", "regionalreposts.example"),
    ("Crime Watch Daily", "crimewatchdaily.example"),
    ("Newsfeed Central", "newsfeedcentral.example"),
)


@dataclass(frozen=True)
class Report:
    """One article of a development collection as a feed record, with its gold event."""

    doc_id: str
    gold: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None
    html: str | None = None  # a crawled page: the feed carries it, the baselines read ``text``

    def record(self) -> dict[str, str]:
        """The JSON Lines record a user's feed would hold (docs/schema.md), known keys only."""
        keys = {
            "url": self.url,
            "title": self.title,
            "html": self.html,
            "text": None if self.html else self.text,
            "published": self.published,
            "outlet": self.outlet,
        }
        return {key: value for key, value in keys.items() if value}


def ecbplus_reports(data: Path, topics: set[int] | None) -> list[Report]:
    """ECB+ documents as the ``--pipeline`` mode reads them: the text alone (cleaning takes
    its first line as the title and a dateline as the date); no address, no outlet."""
    return [Report(d.doc_id, d.gold, d.text) for d in load_ecbplus(data, topics)]


def original_url(uri: str) -> str:
    """The address an archive copy (``web.archive.org/web/STAMP/URL``) was taken from."""
    match = _ARCHIVE_RE.match(uri)
    return match[1] if match else uri


def read_gva_text(path: Path) -> tuple[str, str]:
    """A GVA file's title (its first line) and body (after the blank line)."""
    title, _, body = path.read_text("utf-8").partition("\n")
    return title.strip(), body.strip()


def load_gva(data: Path = GVA_DATA, limit_events: int | None = None) -> list[Report]:
    """The GVA reports in date order (``dct``; ties in ``docs.tsv`` order), each with its
    original address and its date as ``published``. ``limit_events``: only the reports of
    the first N events to appear in that order."""
    with (data / "docs.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    rows.sort(key=lambda row: row["dct"])
    if limit_events is not None:
        kept = set(list(dict.fromkeys(row["event_id"] for row in rows))[:limit_events])
        rows = [row for row in rows if row["event_id"] in kept]
    reports = []
    for row in rows:
        path = data / "docs" / f"{row['event_id']}__{row['doc_id']}.txt"
        title, body = read_gva_text(path)
        url = original_url(row["uri"])
        reports.append(Report(row["doc_id"], row["event_id"], body, title, url, row["dct"]))
    return reports


def page_urls(html_dir: Path) -> dict[str, str]:
    """The address each crawled page was fetched from, by file stem, where the collection
    records it: article-extraction's ``ground-truth.json`` beside its ``html`` folder,
    L3S-GN1's ``url-mapping.txt`` beside its ``original`` folder."""
    ground_truth = html_dir.parent / "ground-truth.json"
    if ground_truth.is_file():
        pages = json.loads(ground_truth.read_text("utf-8"))
        return {stem: page["url"] for stem, page in pages.items() if page.get("url")}
    mapping = html_dir.parent / "url-mapping.txt"
    if mapping.is_file():
        urls = {}
        for line in mapping.read_text("utf-8").splitlines():
            urn, _, url = line.partition("\t")
            urls[urn.strip("<>").removeprefix("urn:uuid:")] = url.strip()
        return urls
    return {}


def page_reports(html_dir: Path, events_file: Path) -> list[Report]:
    """Crawled pages with a gold event each (``{"events": {file stem: event}}``), in file
    name order, as a feed of their HTML and address (``page_urls``), as a crawl records
    them; the pages carry their own dates where they have any. The baselines read the text
    trafilatura extracts from each page."""
    from parallax.clean.html import extract_html

    urls = page_urls(html_dir)

    events = json.loads(events_file.read_text("utf-8"))["events"]
    reports = []
    for path in sorted(html_dir.iterdir()):
        stem = path.name.split(".")[0]
        if stem not in events:
            continue
        raw = path.read_bytes()
        html = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8", "replace")
        extracted = extract_html(html)
        reports.append(
            Report(stem, events[stem], extracted.text, extracted.title, urls.get(stem), html=html)
        )
    return reports


def repost(report: Report) -> Report:
    """``report`` re-posted the next day by another outlet: same title and text, the
    outlet's name and an address of its own."""
    digest = hashlib.blake2b(report.doc_id.encode(), digest_size=4).digest()
    name, host = REPOST_OUTLETS[int.from_bytes(digest) % len(REPOST_OUTLETS)]
    day = date.fromisoformat(report.published) if report.published else None
    published = (day + timedelta(days=1)).isoformat() if day else None
    url = f"https://{host}/news/{report.doc_id}"
    return Report(
        f"{report.doc_id}#repost", report.gold, report.text, report.title, url, published, name
    )


DENSE_EVENTS = 241
DENSE_SEED = 0


def dense_events(
    golds: Iterable[str], events: int = DENSE_EVENTS, seed: int = DENSE_SEED
) -> set[str]:
    """``events`` of the gold events told at least twice in ``golds``, drawn at random
    (``seed``): a small collection where every event has several reports, as the issue's
    hidden gun-violence collection (510 reports of 241 shootings) has."""
    several = sorted(event for event, count in Counter(golds).items() if count >= 2)
    return set(random.Random(seed).sample(several, min(events, len(several))))


def dense_sample(reports: Sequence[Report]) -> list[Report]:
    """The reports of the ``dense_events`` of ``reports``, in their order."""
    kept = dense_events(report.gold for report in reports)
    return [report for report in reports if report.gold in kept]


def with_reposts(reports: Sequence[Report]) -> list[Report]:
    """Every report and its re-post, in date order (a re-post after its original)."""
    both = [item for report in reports for item in (report, repost(report))]
    return sorted(both, key=lambda report: report.published or "")


def write_feed(reports: Sequence[Report], path: Path) -> None:
    """One JSON Lines record per report, in order: record N (1-based) is ``reports[N-1]``."""
    lines = (json.dumps(report.record(), ensure_ascii=False) for report in reports)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def feed_source(report: Report, feed: Path | str, number: int) -> str:
    """The source a report fed as record ``number`` (1-based, as ``write_feed`` numbers
    them) of ``feed`` is stored under: its ``url``, or without one ``feed#N``, as the
    reader names a record. Benchmarks match stored documents back to their reports by it,
    so it is spelt once here."""
    return report.url or f"{feed}#{number}"


def feed_labels(reports: Sequence[Report], store: Any, feed: Path) -> tuple[list[str], int]:
    """Each report's story in ``store`` (read from ``feed``), and how many reports became
    an article with a story. A report that did not (refused by the cleaner, e.g. for an
    empty text) counts as a story of its own; one that became the same article as another
    shares its story. A stored document's source is ``feed_source``."""
    article_of = {doc.source: doc.article_id for doc in store.documents()}
    story_of = {a: story.id for story in store.stories() for a in story.articles}
    labels, placed = [], 0
    for number, report in enumerate(reports, start=1):
        story = story_of.get(article_of.get(feed_source(report, feed, number), ""))
        placed += story is not None
        labels.append(story or f"alone:{number}")
    return labels, placed


def parallax_labels(reports: Sequence[Report], analyse: bool) -> tuple[list[str], int]:
    """Each report's story when the reports are one JSON Lines feed read into a fresh store
    as a user would: ``run`` (ingest, analyse and resolve, group), or without the analysis
    ``ingest`` then ``group``; one process, cleaning in it (``workers=1``)."""
    import tempfile

    import parallax

    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        write_feed(reports, feed)
        with parallax.Corpus(Path(tmp) / "stories.db") as corpus:
            if analyse:
                corpus.run([str(feed)], workers=1)
            else:
                corpus.ingest([str(feed)], workers=1)
                corpus.group()
            return feed_labels(reports, corpus.store, feed)


@dataclass(frozen=True)
class Collection:
    """A development collection: its reports in feed order; ``analyse``: whether the
    analysed Parallax row runs on it (the re-posted GVA stream is long to analyse)."""

    name: str
    reports: list[Report]
    analyse: bool = True


@dataclass
class CollectionRow:
    collection: str
    system: str
    score: Score
    largest: list[int]
    seconds: float
    documents: int
    placed: int | None = None  # reports given a story by Parallax (others count alone)


COLLECTION_SYSTEMS = ("parallax", "parallax-surface", "tfidf-avglink", "minhash-cc", "singletons")
COLLECTION_LABELS = {
    "parallax": "parallax analysed",
    "parallax-surface": "parallax not analysed",
    "tfidf-avglink": "tfidf-avglink 0.83",
    "minhash-cc": "minhash-cc 1/128",
    "singletons": "singletons",
}


def largest_stories(labels: Sequence[Any], n: int = 3) -> list[int]:
    """The sizes of the ``n`` largest predicted stories, largest first."""
    sizes: dict[Any, int] = defaultdict(int)
    for label in labels:
        sizes[label] += 1
    return sorted(sizes.values(), reverse=True)[:n]


def baseline_labels(system: str, texts: Texts, ids: Ids) -> list[Any]:
    """A baseline at its frozen threshold (``FROZEN_THRESHOLDS``), or every text alone."""
    if system == "singletons":
        return list(ids)
    found = next(s for s in baseline_systems() if s.name == system)
    return found.cluster(found.prepare(texts, ids), FROZEN_THRESHOLDS[system])


def collection_row(collection: Collection, system: str) -> CollectionRow:
    """One system on one collection, timed (writing the feed and the store included)."""
    reports = collection.reports
    t0 = time.perf_counter()
    placed = None
    if system in ("parallax", "parallax-surface"):
        labels, placed = parallax_labels(reports, analyse=system == "parallax")
    else:
        # The baselines read what the feed holds: the title, then the text.
        texts = ["\n".join(filter(None, (r.title, r.text))) for r in reports]
        labels = baseline_labels(system, texts, [r.doc_id for r in reports])
    seconds = time.perf_counter() - t0
    result = score(labels, [r.gold for r in reports])
    name = collection.name
    return CollectionRow(
        name, system, result, largest_stories(labels), seconds, len(reports), placed
    )


COLLECTION_NAMES = ("ecbplus", "gva", "gva-reposted", "gva-dense", "news", "l3s")


def development_collections(
    names: Sequence[str],
    ecb_data: Path,
    gva_data: Path,
    *,
    topics: set[int] | None = None,
    limit_events: int | None = None,
    analyse_reposts: bool = False,
) -> list[Collection]:
    """The named collections whose data is present: ``ecbplus`` (``topics``, by default
    every topic in ``ecb_data``), ``gva`` (the first ``limit_events`` events, by default
    all), ``gva-reposted`` (the same, each report re-posted once; analysed only with
    ``analyse_reposts``), ``gva-dense`` (``dense_sample`` of every GVA report), ``news``
    (the week of real news: the 181 article-extraction pages) and ``l3s`` (the 621 L3S-GN1
    pages of early 2008), these two as crawled HTML."""
    found = []
    if "ecbplus" in names and any(ecb_data.glob("**/*ecb*.xml")):
        found.append(Collection("ecbplus", ecbplus_reports(ecb_data, topics)))
    if {"gva", "gva-reposted", "gva-dense"} & set(names) and (gva_data / "docs.tsv").is_file():
        gva = load_gva(gva_data, limit_events)
        if "gva-dense" in names:
            every = gva if limit_events is None else load_gva(gva_data)
            found.append(Collection("gva-dense", dense_sample(every)))
        if "gva" in names:
            found.append(Collection("gva", gva))
        if "gva-reposted" in names:
            reposted = with_reposts(gva)
            found.append(Collection("gva-reposted", reposted, analyse=analyse_reposts))
    for name, html_dir, events in (
        ("news", REAL_NEWS_HTML, REAL_NEWS_EVENTS),
        ("l3s", L3S_HTML, L3S_EVENTS),
    ):
        if name in names and html_dir.is_dir():
            found.append(Collection(name, page_reports(html_dir, events)))
    return found


def format_collection_table(rows: Sequence[CollectionRow]) -> str:
    head = (
        "collection",
        "system",
        "B3 P",
        "B3 R",
        "B3 F1",
        "stories",
        "gold",
        "largest 3",
        "seconds",
    )
    lines = [head]
    for r in rows:
        s = r.score
        lines.append(
            (
                f"{r.collection} ({r.documents})",
                COLLECTION_LABELS.get(r.system, r.system),
                f"{s.precision:.3f}",
                f"{s.recall:.3f}",
                f"{s.f1:.3f}",
                str(s.n_pred),
                str(s.n_gold),
                ", ".join(map(str, r.largest)),
                f"{r.seconds:.1f}",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    text = []
    for k, line in enumerate(lines):
        cells = [
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        text.append("  ".join(cells).rstrip())
        if k == 0:
            text.append("  ".join("-" * w for w in widths))
    return "\n".join(text)


def run_collections(
    collections: Sequence[Collection],
    systems: Sequence[str],
    on_row: Callable[[CollectionRow], None] | None = None,
) -> list[CollectionRow]:
    """Every system on every collection (the analysed Parallax row only where the
    collection asks for it), in the order given."""
    rows = []
    for collection in collections:
        for system in systems:
            if system == "parallax" and not collection.analyse:
                continue
            rows.append(collection_row(collection, system))
            if on_row:
                on_row(rows[-1])
    return rows


# ------------------------------------------------------------------- evaluation gates

GATES_FILE = REPO_ROOT / "benchmarks/data/story_gates.json"
GATE_TOLERANCE = 0.01  # B3 F1 may fall this far below the recorded figure, no further
GATE_COMMAND = ".venv/bin/python benchmarks/stories.py --record-gates"


@dataclass(frozen=True)
class Gate:
    """A fixed subset of a development collection, small enough for the test suite
    (tests/test_stories_gate.py), and the Parallax row scored on it."""

    name: str
    collection: str  # one of COLLECTION_NAMES
    system: str  # "parallax" (analysed) or "parallax-surface" (not analysed)
    topics: str | None = None  # ECB+ topics
    limit_events: int | None = None  # GVA: the first N events in date order


GATES = (
    Gate("ecbplus-1-4-analysed", "ecbplus", "parallax", topics="1-4"),
    Gate("ecbplus-1-4", "ecbplus", "parallax-surface", topics="1-4"),
    Gate("gva-150", "gva", "parallax-surface", limit_events=150),
    Gate("gva-150-reposted", "gva-reposted", "parallax-surface", limit_events=150),
    # The whole stream, where page furniture the crawler kept made stories of 47 reports.
    Gate("gva-all", "gva", "parallax-surface"),
    Gate("gva-dense", "gva-dense", "parallax-surface"),
    # News from unrelated sites, most of it told once: where a topic must not become a story.
    Gate("news", "news", "parallax-surface"),
    Gate("l3s", "l3s", "parallax-surface"),
)


def gate_collection(gate: Gate, ecb_data: Path, gva_data: Path) -> Collection:
    topics = parse_topic_spec(gate.topics, range(1, 46)) if gate.topics else None
    found = development_collections(
        [gate.collection],
        ecb_data,
        gva_data,
        topics=topics,
        limit_events=gate.limit_events,
        analyse_reposts=True,
    )
    if not found:
        raise FileNotFoundError(f"no data for gate {gate.name} ({ecb_data}, {gva_data})")
    return found[0]


def size_bound(collection: Collection) -> int:
    """The largest story allowed on a subset: twice its largest gold event (the issue asks
    at most 40 on the whole GVA stream, whose largest event has 17 reports)."""
    return 2 * max(largest_stories([r.gold for r in collection.reports], 1))


def measure_gate(gate: Gate, ecb_data: Path, gva_data: Path) -> dict[str, Any]:
    """The gate's figures as recorded in ``GATES_FILE``."""
    collection = gate_collection(gate, ecb_data, gva_data)
    row = collection_row(collection, gate.system)
    return {
        "spec": asdict(gate),
        "documents": row.documents,
        "gold_events": row.score.n_gold,
        "b3_precision": round(row.score.precision, 4),
        "b3_recall": round(row.score.recall, 4),
        "b3_f1": round(row.score.f1, 4),
        "stories": row.score.n_pred,
        "largest": row.largest,
        "size_bound": size_bound(collection),
        "seconds": round(row.seconds, 1),
    }


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def code_version() -> dict[str, Any]:
    """Which code the figures come from: the commit, and where ``parallax`` was imported
    from (the working tree, with or without uncommitted changes, or elsewhere)."""
    import parallax

    package = Path(parallax.__file__).resolve().parent
    found: dict[str, Any] = {"commit": _git("rev-parse", "HEAD")}
    if package == REPO_ROOT / "parallax":
        found["parallax_changed"] = bool(_git("status", "--porcelain", "--", "parallax"))
    else:
        found["parallax_from"] = str(package)
    return found


def record_gates(ecb_data: Path, gva_data: Path) -> dict[str, Any]:
    """Measure every gate and write ``GATES_FILE``."""
    payload = {
        "about": "B3 F1 of Parallax on fixed subsets of the development collections; "
        "tests/test_stories_gate.py fails when a figure falls more than the tolerance "
        "below, or a story outgrows size_bound (xfail where it already does)",
        "command": GATE_COMMAND,
        "date": date.today().isoformat(),
        "code": code_version(),
        "tolerance": GATE_TOLERANCE,
        "gates": {gate.name: measure_gate(gate, ecb_data, gva_data) for gate in GATES},
    }
    GATES_FILE.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return payload


# ------------------------------------------------------------------------ scale mode

SCALE_SEED = 13


def _scale_pool(ecb_data: Path) -> list[tuple[str, str]]:
    pool = [(f"ecbplus:{d.doc_id}", d.text) for d in load_ecbplus(ecb_data, None)]
    gt_path = SHARED_EVAL / "article-extraction/ground-truth.json"
    if gt_path.exists():
        truth = json.loads(gt_path.read_text(encoding="utf-8"))
        pool += [(f"zyte:{k}", v["articleBody"]) for k, v in sorted(truth.items())]
    for split in ("train", "dev"):
        for path in sorted((SHARED_EVAL / "polnear" / split / "text").glob("*.txt")):
            pool.append((f"polnear:{path.stem}", path.read_text(encoding="utf-8")))
    return [(i, t) for i, t in pool if t.strip()]


_SENT_SPLIT_RE = re.compile(r"(?<=[.!?])\s+|\n+")


def perturb(text: str, rng: random.Random) -> str:
    """Shuffle sentence order and drop about 10% of words: a near-duplicate, not a copy."""
    sentences = [s for s in _SENT_SPLIT_RE.split(text) if s.strip()]
    rng.shuffle(sentences)
    kept = []
    for sentence in sentences:
        words = [w for w in sentence.split() if rng.random() >= 0.1]
        if words:
            kept.append(" ".join(words))
    return "\n".join(kept)


def build_scale_corpus(n: int, ecb_data: Path) -> tuple[list[str], list[str]]:
    """``n`` documents from the shared evaluation texts (ECB+ with the URL sentence dropped,
    the 181 article-extraction gold bodies, PolNeAR train+dev texts: about 1.9k originals).

    The originals are shuffled with a fixed seed; if ``n`` is smaller than the pool a prefix
    is taken, otherwise every original appears once unchanged and the rest of the corpus is
    perturbed copies (round k copies every original once more, each with its own seeded
    sentence shuffle and 10% word drop). The result is realistic in text length and
    vocabulary but its story structure is artificial: it is for speed and memory only.
    """
    pool = _scale_pool(ecb_data)
    random.Random(SCALE_SEED).shuffle(pool)
    texts: list[str] = []
    ids: list[str] = []
    k = 0
    while len(texts) < n:
        for j, (doc_id, text) in enumerate(pool):
            if len(texts) >= n:
                break
            if k == 0:
                texts.append(text)
            else:
                texts.append(perturb(text, random.Random(SCALE_SEED * 1_000_003 + k * 7919 + j)))
            ids.append(f"{doc_id}#{k}")
        k += 1
    return texts, ids


def _max_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def scale_worker(n: int, ecb_data: Path) -> dict[str, Any]:
    """Runs in a fresh subprocess; prints one JSON object."""
    texts, ids = build_scale_corpus(n, ecb_data)
    rss_before = _max_rss_mb()
    t0 = time.perf_counter()
    labels = group_texts(texts, ids, analyse=False)
    seconds = time.perf_counter() - t0
    return {
        "docs": n,
        "chars": sum(map(len, texts)),
        "seconds": seconds,
        "docs_per_s": n / seconds if seconds else None,
        "stories": len(set(labels)),
        "peak_rss_mb_before": rss_before,
        "peak_rss_mb": _max_rss_mb(),
    }


def run_scale(sizes: Sequence[int], ecb_data: Path, timeout: float) -> list[dict[str, Any]]:
    results = []
    print(f"{'docs':>7} {'seconds':>9} {'docs/s':>9} {'peak RSS MB':>12} {'(corpus only)':>14}")
    for n in sizes:
        cmd = [sys.executable, __file__, "--data", str(ecb_data), "--scale-worker", str(n)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            res: dict[str, Any] = {"docs": n, "error": f"timed out after {timeout:g} s"}
        else:
            lines = proc.stdout.strip().splitlines()
            if proc.returncode != 0 or not lines:
                tail = proc.stderr.strip().splitlines()[-1:] or ["no output"]
                res = {"docs": n, "error": f"exit {proc.returncode}: {tail[0]}"}
            else:
                res = json.loads(lines[-1])
        results.append(res)
        if "error" in res:
            print(f"{n:>7} {res['error']}")
            if "not available" in res["error"]:
                break
            continue
        print(
            f"{n:>7} {res['seconds']:>9.2f} {res['docs_per_s']:>9.0f} "
            f"{res['peak_rss_mb']:>12.0f} {res['peak_rss_mb_before']:>14.0f}"
        )
    return results


# ------------------------------------------------------------------------------ main


def collections_main(args: argparse.Namespace, started: float) -> int:
    """``--collections``: the table of every development collection, row by row."""
    names = args.collections or COLLECTION_NAMES
    topics = None if args.topics == "all" else parse_topic_spec(args.topics, range(1, 46))
    found = development_collections(
        names,
        args.data,
        args.gva_data,
        topics=topics,
        limit_events=args.limit_events,
        analyse_reposts=args.analyse_reposts,
    )
    if not found:
        print(f"no development collection found ({args.data}, {args.gva_data})")
        return 1
    systems = COLLECTION_SYSTEMS
    if args.systems:
        wanted = {s.strip() for s in args.systems.split(",")}
        systems = tuple(s for s in COLLECTION_SYSTEMS if s in wanted)
    for collection in found:
        gold = len({r.gold for r in collection.reports})
        print(f"{collection.name}: {len(collection.reports)} reports of {gold} events")

    def show(row: CollectionRow) -> None:
        placed = "" if row.placed is None else f", {row.placed} placed"
        print(
            f"  {row.collection} / {COLLECTION_LABELS[row.system]}: B3 F1 {row.score.f1:.3f}, "
            f"{row.seconds:.1f} s{placed}",
            flush=True,
        )

    rows = run_collections(found, systems, on_row=show)
    print()
    print(format_collection_table(rows))
    print(
        "\nparallax: a JSON Lines feed in date order read into a fresh store (analysed: "
        "Corpus.run; not analysed: ingest, then group); a report the cleaner refused counts "
        "as a story of its own. Baselines at FROZEN_THRESHOLDS on title + text. seconds: "
        "the row's wall time, feed and store included."
    )
    for row in rows:
        if row.placed is not None and row.placed < row.documents:
            label = COLLECTION_LABELS[row.system]
            print(f"{row.collection} / {label}: {row.placed} of {row.documents} reports placed")
    print(f"total run time {time.perf_counter() - started:.1f} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"collections": [asdict(row) for row in rows]}
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="ECB+ folder")
    ap.add_argument("--topics", default="all", help="topics to load, e.g. 1-10,12")
    ap.add_argument("--tune-on", help="tuning topics: 1-20, odd, even, ...")
    ap.add_argument("--eval-on", help="evaluation topics (default: the rest of --topics)")
    ap.add_argument("--fixed", default="", help="name=value,... thresholds, no tuning")
    ap.add_argument(
        "--held-out",
        action="store_true",
        help="score --topics (all in --data by default) at thresholds fixed beforehand: "
        "Parallax's defaults, the baselines' tuned on topics 1-35 (FROZEN_THRESHOLDS); "
        "with --pipeline, group those topics together instead of in two folds",
    )
    ap.add_argument("--grid", action="append", default=[], help="name=lo:hi:step or a,b,c")
    ap.add_argument("--systems", help="comma-separated subset of systems to run")
    ap.add_argument("--json", type=Path, help="write all rows as JSON here")
    ap.add_argument("--scale", nargs="*", type=int, metavar="N", help="scale mode sizes")
    ap.add_argument("--scale-timeout", type=float, default=3600, help="seconds per size")
    ap.add_argument("--scale-worker", type=int, help=argparse.SUPPRESS)
    ap.add_argument(
        "--real-news",
        nargs="*",
        type=float,
        metavar="T",
        help="score grouping of the article-extraction pages at these thresholds",
    )
    ap.add_argument(
        "--pipeline",
        nargs="*",
        type=float,
        metavar="T",
        help="score ECB+ read as text files by parallax run, at these thresholds",
    )
    ap.add_argument(
        "--orders",
        type=int,
        metavar="N",
        help="score Parallax at its defaults on each fold read in file order and in N "
        "shuffled orders",
    )
    ap.add_argument(
        "--collections",
        nargs="*",
        choices=COLLECTION_NAMES,
        help="score every development collection found (default: all of "
        f"{', '.join(COLLECTION_NAMES)}) through the pipeline, analysed and not, beside "
        "the baselines at their frozen thresholds and every article alone",
    )
    ap.add_argument("--gva-data", type=Path, default=GVA_DATA, help="GVA incidents folder")
    ap.add_argument(
        "--limit-events", type=int, metavar="N", help="GVA: the first N events in date order"
    )
    ap.add_argument(
        "--analyse-reposts",
        action="store_true",
        help="also run Parallax analysed on the re-posted GVA stream (long)",
    )
    ap.add_argument(
        "--record-gates",
        action="store_true",
        help=f"measure the evaluation gates and write them to {GATES_FILE.relative_to(REPO_ROOT)}",
    )
    args = ap.parse_args(argv)
    started = time.perf_counter()

    if args.record_gates:
        gates = record_gates(args.data, args.gva_data)
        print(json.dumps(gates, indent=2))
        return 0
    if args.collections is not None:
        return collections_main(args, started)
    if args.scale_worker is not None:
        print(json.dumps(scale_worker(args.scale_worker, args.data)))
        return 0
    if args.real_news is not None:
        rows = real_news(args.real_news or [0.15, 0.25, 0.35, 0.45], args.data)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps({"real_news": rows}, indent=2), encoding="utf-8")
        return 0
    if args.pipeline is not None:
        from parallax.stories.grouping import THRESHOLD

        rows = ecbplus_through_pipeline(
            args.data, args.pipeline or [THRESHOLD], args.topics, folds=not args.held_out
        )
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps({"pipeline": rows}, indent=2), encoding="utf-8")
        return 0
    if args.orders is not None:
        rows = arrival_orders(args.data, args.orders, args.topics)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps({"orders": rows}, indent=2), encoding="utf-8")
        return 0
    if args.scale is not None:
        results = run_scale(args.scale or [1_000, 10_000, 100_000], args.data, args.scale_timeout)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps({"scale": results}, indent=2), encoding="utf-8")
        return 0 if all("error" not in r for r in results) else 1

    all_docs = load_ecbplus(args.data, None)
    available = sorted({d.topic for d in all_docs})
    loaded = parse_topic_spec(args.topics, available)
    docs = [d for d in all_docs if d.topic in loaded]
    topics = sorted(loaded)
    n_ecb = sum(d.kind == "ecb" for d in docs)
    print(
        f"ECB+: {len(docs)} documents ({n_ecb} ecb, {len(docs) - n_ecb} ecbplus) in "
        f"{len(topics)} topics; {len({d.gold for d in docs})} gold stories"
    )
    empty = [d.doc_id for d in docs if not d.text.strip()]
    if empty:
        print(f"warning: {len(empty)} empty documents: {', '.join(empty[:5])}")

    systems = all_systems()
    if args.systems:
        wanted = {s.strip() for s in args.systems.split(",")}
        systems = [s for s in systems if s.name in wanted]
    for name, grid in parse_grid(args.grid).items():
        for s in systems:
            if s.name == name:
                s.grid = grid
    fixed = parse_fixed(args.fixed)
    if args.held_out:
        fixed = {**FROZEN_THRESHOLDS, **fixed}

    folds: list[tuple[str, set[int] | None, set[int]]] = []
    if args.tune_on or args.eval_on:
        tune_t = parse_topic_spec(args.tune_on, topics) if args.tune_on else None
        eval_t = parse_topic_spec(args.eval_on, topics) if args.eval_on else set(topics)
        if args.eval_on is None and tune_t:
            eval_t = set(topics) - tune_t
        if tune_t and tune_t & eval_t:
            print(f"note: {len(tune_t & eval_t)} topics are both tuned and evaluated on")
        folds.append(("eval", tune_t, eval_t))
    elif fixed and all(s.name in fixed for s in systems):
        folds.append(("held-out" if args.held_out else "all", None, set(topics)))
    else:
        odd = {t for t in topics if t % 2}
        even = set(topics) - odd
        folds += [("odd>even", odd, even), ("even>odd", even, odd)]
        folds.append(("in-sample", set(topics), set(topics)))

    rows: list[Row] = []
    for name, tune_t, eval_t in folds:
        rows += run_fold(name, systems, docs, tune_t, eval_t, fixed)
    table_rows = list(rows)
    thresholds: dict[str, str] = {}
    cv = [r for r in rows if r.fold in ("odd>even", "even>odd")]
    if cv:
        means = mean_rows("CV mean", cv)
        for m in means:
            thr = [r.threshold for r in cv if r.system == m.system]
            thresholds["CV mean" + m.system] = "/".join(
                "default" if t is None else f"{t:g}" for t in thr
            )
        # The mean goes between the held-out folds and the in-sample reference.
        insert_at = max(i for i, r in enumerate(table_rows) if r.fold in ("odd>even", "even>odd"))
        table_rows[insert_at + 1 : insert_at + 1] = means
        rows += means

    print()
    print(format_table(table_rows, thresholds))
    print(
        "\nthr: chosen on the tuning topics (CV mean: odd>even/even>odd; * = not tuned: "
        "--fixed or the system default); seconds: one run on the evaluation documents;\n"
        "clusters: predicted/gold (summed over folds for the mean)."
    )
    elapsed = time.perf_counter() - started
    print(f"total run time {elapsed:.1f} s")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "documents": len(docs),
            "topics": topics,
            "rows": [
                {
                    "fold": r.fold,
                    "system": r.system,
                    "threshold": r.threshold,
                    "b3_precision": r.score.precision,
                    "b3_recall": r.score.recall,
                    "b3_f1": r.score.f1,
                    "ari": r.score.ari,
                    "clusters_pred": r.score.n_pred,
                    "clusters_gold": r.score.n_gold,
                    "seconds": r.seconds,
                    "tune_seconds": r.tune_seconds,
                    "tuned_on": r.tuned_on,
                    "evaluated_on": r.evaluated_on,
                }
                for r in rows
            ],
            "total_seconds": elapsed,
        }
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
