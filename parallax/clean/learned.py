"""Which paragraphs of scraped plain text are the article: a classifier learned from pages.

A naive scraper keeps every visible block of a page (menus, teasers, footers, notices)
as a paragraph. Without markup what is left to tell them from the article is the shape of
the text: length, sentences, punctuation, the share of function words and of capitalised
words, where the paragraph stands, and what stands around it (the article is one run of
long sentence-shaped paragraphs; menus are runs of short lines). What the rules of
``clean.text`` made of the paragraph is one more signal. Each paragraph gets the
probability that it is article text from two small networks read in turn: the first over
these signals, the second over the same signals and the first one's verdicts on the
paragraphs around it (``SEQUENCE_FEATURE_NAMES``), so that a short lead or a closing line
standing in a run of article paragraphs is read as part of that run. One signal is read
from the words themselves (``WordScores``): a linear score over the words and word pairs
that pages of many sites use in their furniture ("subscribe", "contact us") or in
their articles. Both networks and the word score are fitted on
news pages dumped to text (``benchmarks/train_plaintext.py``; the figures are in
docs/benchmarks.md).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

import numpy as np

from parallax.clean.blocks import Paragraph
from parallax.model import Block
from parallax.text.network import one_layer_probabilities
from parallax.text.words import WORD, stop_words

__all__ = [
    "FEATURE_NAMES",
    "LEARNED_REASON",
    "NETWORK_ARRAYS",
    "SEQUENCE_FEATURE_NAMES",
    "BodyModel",
    "Network",
    "WordScores",
    "load_body_model",
    "network_of",
    "paragraph_features",
    "relabel",
    "sequence_features",
    "token_count",
    "word_grams",
]

LEARNED_REASON = "page text around the article (learned paragraph classifier)"

# Function words of the languages most news is written in: their share tells running text
# from lists of names and links in any of them.
_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)]?(?:\s+|$)|[。！？]")
_SENTENCE_CLOSE = re.compile(r"[.!?…。！？][\"”’»)\]」』]*\s*$")
_TERMINAL = re.compile(r"[.!?…:;。！？][\"”’»)」』]?\s*$")
# Scripts written without spaces: there a token is about two characters, not a word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_SEPARATORS = re.compile(r"[|»›•·/>]|\s[-–—]\s")
_LINKISH = re.compile(r"https?://|www\.|\S@\S|@\w|#\w")
_DATE_OR_TIME = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b",
    re.I,
)
# Readers' comments: the line that introduces each ("Jane on May 3, 2019 at 4:47 pm said:",
# "v2787 says:", "Rating: 25 Votes", "3 hours ago", "Reply"), which the comments under an
# article repeat while the article itself has none.
_COMMENT_MARKER = re.compile(
    r"\b(?:says|said|wrote|writes|commented)\s*:\s*$|^\d+\s+(?:comments?|replies|responses)\b|"
    r"^(?:reply|report(?: abuse)?|like|permalink|flag|quote)\b.{0,20}$|"
    r"\b\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b|"
    r"\brating:\s*-?\d+\b|\b\d+\s+votes?\b|\b(?:up|down)votes?\b",
    re.I,
)
# A teaser's headline glued to its summary by a scraper that dropped the break between them
# ("Customers Leave Without Paying $690 Bill At Troy SteakhouseA party of six left ...").
_GLUED = re.compile(r"[a-z][.!?’\")]?[A-Z][a-z]")
_LONG_WORDS = 25
"""A paragraph of this many words that ends a sentence is running text: the article is
the run of paragraphs between the first and the last such one, give or take."""
_SHORT_WORDS = 8
"""Menu items, links and labels: shorter lines that do not end a sentence."""
_EDGE = 30
"""Paragraphs counted from either end up to this many: page furniture sits at the edges, and
a count past them would only tell the model how long pages of the training set were."""
Z_LIMIT = 4.0
"""Standardised features are clipped here, so that a page unlike any fitted on (5,000
paragraphs, a line of 2,000 characters) gets the verdict of the nearest page that was."""


_LETTERS = re.compile(r"[^\W\d_]+")
WORD_SCORE_LIMIT = 8.0
"""Word scores are clipped here (a logit): a paragraph of nothing but furniture words is
furniture whether its score is 8 or 20."""


def word_grams(text: str) -> set[str]:
    """The lower-cased words of a text (runs of letters) and its pairs of adjacent words."""
    words = [word.lower() for word in _LETTERS.findall(text)]
    return {*words, *(f"{a} {b}" for a, b in pairwise(words))}


@dataclass(frozen=True)
class WordScores:
    """A linear score, as a logit, that a paragraph is article text, from the words and word
    pairs it uses (``word_grams``). Only words used on many sites of the pages fitted on have
    a weight, so a site's own menu words do not teach it; the sum of the weights found is
    divided by one more than the square root of their number, so that a long paragraph is
    not certain from its length alone."""

    weights: Mapping[str, float]
    bias: float

    def score(self, text: str) -> float:
        found = [self.weights[gram] for gram in word_grams(text) if gram in self.weights]
        value = self.bias + sum(found) * self.gram_share(len(found))
        return max(-WORD_SCORE_LIMIT, min(WORD_SCORE_LIMIT, value))

    @staticmethod
    def gram_share(found: int) -> float:
        """What each of ``found`` weighted grams counts for in a paragraph's score (the
        fit weighs its features the same way)."""
        return 1 / (math.sqrt(found) + 1)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([self.score(text) for text in texts], dtype=float)


@dataclass(frozen=True)
class _Shape:
    words: int
    ends: bool
    short: bool
    long: bool


def _rule_group(label: list[Block] | None) -> str:
    if not label:
        return "none"
    kind = label[0].kind
    if kind == "boilerplate":
        return "boilerplate"
    if kind in ("caption", "photo_credit"):
        return "caption"
    return "metadata"


def token_count(text: str) -> int:
    """Whitespace-separated tokens, plus one word for every two characters of Chinese,
    Japanese, Korean or Thai (scripts written without spaces)."""
    return len(text.split()) + len(_UNSPACED.findall(text)) // 2


def _own_features(text: str, tokens: int, ends: bool, stops: frozenset[str]) -> list[float]:
    words = WORD.findall(text)
    n_tokens = max(tokens, 1)
    n_chars = max(len(text), 1)
    sentences = max(len(_SENTENCE_END.findall(text)), 1)
    lowered = [word.lower() for word in words]
    n_words = max(len(words), 1)
    return [
        math.log1p(n_tokens),
        math.log1p(len(text)),
        float(ends),
        float(bool(_SENTENCE_CLOSE.search(text))),
        math.log1p(sentences),
        n_tokens / sentences / 20,
        sum(word in stops for word in lowered) / n_words,
        sum(word[:1].isupper() for word in words) / n_words,
        sum(word.isupper() and len(word) > 1 for word in words) / n_words,
        sum(ch.isdigit() for ch in text) / n_chars,
        sum(not ch.isalnum() and not ch.isspace() for ch in text) / n_chars,
        text.count(",") / n_tokens,
        min(len(_SEPARATORS.findall(text)), 5) / 5,
        float(bool(_LINKISH.search(text))),
        float(bool(_DATE_OR_TIME.search(text))),
        float(text.rstrip().endswith(":")),
        float(text.lstrip()[:1] in "•·▪●-*»›>→▸►|"),
        float(bool(text) and text[:1].islower()),
        min(len(_GLUED.findall(text)), 3) / 3,
        float(bool(_COMMENT_MARKER.search(text))),
        sum(len(word) for word in words) / n_words / 10,
    ]


_OWN = (
    "log tokens", "log chars", "ends terminal", "ends sentence", "log sentences",
    "words per sentence", "stop word share", "capitalised share", "all-caps share",
    "digit share", "punctuation share", "commas per token", "separators", "link-like",
    "date or time", "ends colon", "bullet start", "lower-case start", "glued words",
    "comment marker", "mean word length",
)  # fmt: skip
_CONTEXT = (
    "relative position", "log index", "log index from end",
    "share of document words", "inside main run", "log distance outside main run",
    "log short run", "repeated in document", "rule none", "rule boilerplate", "rule metadata",
    "rule caption", "long words within 3", "long paragraphs within 3",
    "document share ending sentences", "document share short lines",
    "log comment markers before", "comment markers within 3",
)  # fmt: skip
_NEIGHBOURS = (-2, -1, 1, 2)
_NEIGHBOUR_FEATURES = ("log tokens", "ends sentence", "stop word share", "capitalised share")
FEATURE_NAMES: tuple[str, ...] = (
    _OWN
    + _CONTEXT
    + tuple(f"{name} at {offset:+d}" for offset in _NEIGHBOURS for name in _NEIGHBOUR_FEATURES)
    + ("word score",)
)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    return frozenset().union(*(stop_words(language) for language in _LANGUAGES))


def paragraph_features(
    paragraphs: Sequence[Paragraph],
    rule_labels: Sequence[list[Block] | None],
    words: WordScores,
) -> np.ndarray:
    """One row of ``FEATURE_NAMES`` per paragraph; ``rule_labels`` are clean.text's verdicts
    (None where no rule spoke), ``words`` the model's word score."""
    count = len(paragraphs)
    if not count:
        return np.zeros((0, len(FEATURE_NAMES)))
    stops = _stop_words()
    shapes = []
    for p in paragraphs:
        tokens = token_count(p.text)
        ends = bool(_TERMINAL.search(p.text))
        shapes.append(_Shape(tokens, ends, tokens < _SHORT_WORDS and not ends,
                             tokens >= _LONG_WORDS and ends))  # fmt: skip
    own = np.array(
        [
            _own_features(p.text, s.words, s.ends, stops)
            for p, s in zip(paragraphs, shapes, strict=True)
        ]
    )
    long_indices = [i for i, shape in enumerate(shapes) if shape.long]
    first_long = long_indices[0] if long_indices else count
    last_long = long_indices[-1] if long_indices else -1
    total_words = max(sum(shape.words for shape in shapes), 1)
    short_runs = _run_lengths([shape.short for shape in shapes])
    # A paragraph is repeated where an earlier one reads the same: a menu's second copy is
    # furniture, and so is an article's second copy, whose first copy is the article.
    seen: set[str] = set()
    repeated = []
    for paragraph in paragraphs:
        repeated.append(paragraph.text in seen)
        seen.add(paragraph.text)
    ending_share = sum(shape.ends for shape in shapes) / count
    short_share = sum(shape.short for shape in shapes) / count
    markers = [bool(_COMMENT_MARKER.search(p.text)) for p in paragraphs]
    markers_before = np.concatenate([[0], np.cumsum(markers)[:-1]])
    context = []
    for i in range(count):
        outside = first_long - i if i < first_long else (i - last_long if i > last_long else 0)
        window = range(max(0, i - 3), min(count, i + 4))
        group = _rule_group(rule_labels[i])
        context.append(
            [
                i / max(count - 1, 1),
                math.log1p(min(i, _EDGE)),
                math.log1p(min(count - 1 - i, _EDGE)),
                shapes[i].words / total_words,
                float(outside == 0),
                math.log1p(max(outside, 0)),
                math.log1p(short_runs[i]),
                float(repeated[i]),
                float(group == "none"),
                float(group == "boilerplate"),
                float(group == "metadata"),
                float(group == "caption"),
                math.log1p(sum(shapes[j].words for j in window if shapes[j].long)),
                sum(shapes[j].long for j in window if j != i) / 6,
                ending_share,
                short_share,
                math.log1p(markers_before[i]),
                sum(markers[j] for j in window if j != i) / 6,
            ]
        )
    columns = [_OWN.index(name) for name in _NEIGHBOUR_FEATURES]
    padded = np.vstack([np.zeros((2, own.shape[1])), own, np.zeros((2, own.shape[1]))])
    neighbours = [padded[2 + offset : 2 + offset + count][:, columns] for offset in _NEIGHBOURS]
    word_scores = words.scores([p.text for p in paragraphs])[:, None]
    return np.hstack([own, np.array(context), *neighbours, word_scores])


def _run_lengths(flags: Sequence[bool]) -> list[int]:
    """For each position, the length of the run of true flags it stands in (0 if false)."""
    lengths = [0] * len(flags)
    start = 0
    for i in range(len(flags) + 1):
        if i == len(flags) or not flags[i]:
            for j in range(start, i):
                lengths[j] = i - start
            start = i + 1
    return lengths


_REACH = 5
"""First-pass verdicts read one by one on each side of a paragraph: a lead or a closing line
stands within a few paragraphs of the article's others, past a caption or an app link."""
_WIDE_REACH = 15
"""The mean verdict over this many paragraphs on each side: how much article stands there."""
SEQUENCE_FEATURE_NAMES: tuple[str, ...] = (
    "probability",
    *(f"probability at {offset:+d}" for offset in range(-_REACH, 0)),
    *(f"probability at {offset:+d}" for offset in range(1, _REACH + 1)),
    f"mean probability {_REACH} before", f"mean probability {_REACH} after",
    f"mean probability {_WIDE_REACH} before", f"mean probability {_WIDE_REACH} after",
    "log likely paragraphs before", "log likely paragraphs after",
    "likely paragraphs on both sides", "probability logit",
)  # fmt: skip


def sequence_features(probabilities: np.ndarray) -> np.ndarray:
    """One row of ``SEQUENCE_FEATURE_NAMES`` per paragraph of one document, from the first
    pass's probabilities in document order (a paragraph counts as likely at 0.5 or more).

    Likely paragraphs are counted up to ``_EDGE`` on each side, as positions are: uncapped,
    a 300,000-character article of 1,381 paragraphs lay so far past the pages fitted on
    that the second pass dropped 94 % of it (docs/benchmarks.md)."""
    count = len(probabilities)
    if not count:
        return np.zeros((0, len(SEQUENCE_FEATURE_NAMES)))
    padded = np.concatenate([np.zeros(_REACH), probabilities, np.zeros(_REACH)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * _REACH + 1)
    neighbours = np.delete(windows, _REACH, axis=1)
    sums = np.concatenate([[0.0], np.cumsum(probabilities)])
    likely = np.concatenate([[0], np.cumsum(probabilities >= 0.5)])
    at = np.arange(count)

    def mean_before(reach: int) -> np.ndarray:
        return (sums[at] - sums[np.maximum(0, at - reach)]) / reach

    def mean_after(reach: int) -> np.ndarray:
        return (sums[np.minimum(count, at + reach + 1)] - sums[at + 1]) / reach

    before = likely[at]
    after = likely[count] - likely[at + 1]
    columns = [
        probabilities[:, None],
        neighbours,
        np.column_stack([
            mean_before(_REACH), mean_after(_REACH),
            mean_before(_WIDE_REACH), mean_after(_WIDE_REACH),
            np.log1p(np.minimum(before, _EDGE)), np.log1p(np.minimum(after, _EDGE)),
            (before > 0) & (after > 0),
            np.log(probabilities + 1e-3) - np.log(1 - probabilities + 1e-3),
        ]),
    ]  # fmt: skip
    return np.hstack(columns).astype(float)


@dataclass(frozen=True)
class Network:
    """A logistic output over one ReLU layer, on standardised features."""

    mean: np.ndarray
    scale: np.ndarray
    hidden: np.ndarray
    hidden_bias: np.ndarray
    output: np.ndarray
    output_bias: float

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        if not len(features):
            return np.zeros(0)
        return one_layer_probabilities(
            features, self.mean, self.scale, self.hidden, self.hidden_bias, self.output,
            self.output_bias, clip=Z_LIMIT,
        )  # fmt: skip


@dataclass(frozen=True)
class BodyModel:
    """The two passes over one document's paragraphs and the threshold their verdict meets."""

    feature_names: tuple[str, ...]
    words: WordScores
    """The word score, one of the first pass's signals (``paragraph_features``)."""
    paragraphs: Network
    """The first pass: each paragraph on its own signals (``FEATURE_NAMES``)."""
    sequence: Network
    """The second pass: the same signals and the first pass's verdicts around the paragraph
    (``SEQUENCE_FEATURE_NAMES``), fitted on first-pass verdicts for pages it did not see."""
    threshold: float
    """Paragraphs below this probability are not article text; chosen on one development
    collection, reported on the other (docs/benchmarks.md)."""

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """The probability that each paragraph of one document is article text;
        ``features`` are its rows of ``paragraph_features``, in document order."""
        first = self.paragraphs.probabilities(features)
        if not len(first):
            return first
        return self.sequence.probabilities(np.hstack([features, sequence_features(first)]))


def relabel(
    paragraphs: Sequence[Paragraph],
    rule_labels: Sequence[list[Block] | None],
    model: BodyModel,
) -> list[list[Block] | None]:
    """The rules' verdicts, and boilerplate where no rule spoke and the model scores the
    paragraph below its threshold.

    When the model would leave no paragraph, the rules' verdicts stand. The model only
    removes: letting it also restore paragraphs a boilerplate rule removed
    gains 0.001 to 0.004 F1 on the development pages and brings back promotions and
    footers the rules know (docs/benchmarks.md, "Cleaning scraped plain text").
    """
    probabilities = model.probabilities(paragraph_features(paragraphs, rule_labels, model.words))
    relabelled = [
        label
        if label is not None or probability >= model.threshold
        else [Block(paragraph.text, "boilerplate", LEARNED_REASON, paragraph.start, paragraph.end)]
        for paragraph, label, probability in zip(
            paragraphs, rule_labels, probabilities, strict=True
        )
    ]
    if all(label is not None for label in relabelled):
        # The model was fitted on pages with an article in them; a text it finds none in
        # is one it does not know (a headline and half a sentence), so the rules decide.
        return list(rule_labels)
    return relabelled


@lru_cache(maxsize=1)
def load_body_model() -> BodyModel:
    """The model shipped in the package (``parallax/clean/data/body_model.json``)."""
    path = resources.files("parallax.clean") / "data" / "body_model.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    names = tuple(data["feature_names"])
    if names != FEATURE_NAMES or tuple(data.get("sequence_feature_names", ())) != (
        SEQUENCE_FEATURE_NAMES
    ):
        raise RuntimeError(
            "parallax/clean/data/body_model.json was fitted on other features; "
            "refit it with benchmarks/train_plaintext.py"
        )
    words = data["word_scores"]
    return BodyModel(
        feature_names=names,
        words=WordScores(dict(words["weights"]), float(words["bias"])),
        paragraphs=network_of(data["paragraphs"]),
        sequence=network_of(data["sequence"]),
        threshold=float(data["threshold"]),
    )


NETWORK_ARRAYS = ("mean", "scale", "hidden", "hidden_bias", "output")


def network_of(data: dict[str, Any]) -> Network:
    """A network from its stored arrays (``NETWORK_ARRAYS`` and ``output_bias``)."""
    mean, scale, hidden, hidden_bias, output = (np.array(data[name]) for name in NETWORK_ARRAYS)
    return Network(mean, scale, hidden, hidden_bias, output, float(data["output_bias"]))
