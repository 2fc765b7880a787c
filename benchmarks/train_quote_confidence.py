"""Learn the quote confidence of ``parallax.nlp.quotes`` on PolNeAR train; report it on dev.

    .venv/bin/python benchmarks/train_quote_confidence.py   # writes quote_confidence.json

The extractor runs on every PolNeAR train article; each quote it finds is labelled right
(*accepted*) when its speaker meets the source of a gold quote (or the gold quote has
none, or its source is "who" and the speaker is the name just before it, which the
extractor gives instead of the pronoun) that either issue 27's IoU scorer
(``benchmarks/quotes.py``) pairs it with, or that holds its every word: PolNeAR takes a
quotation that runs on over several sentences or paragraphs as one quote; the extractor
joins the parts split around their cue or carried into the next paragraph, but a part it
does not join (an unattributed sentence that carries on the quote before it) fails the
IoU test though somebody said it. The confidence is that a reader accepts the quote as
said by its speaker. A model labelled by the content match alone is fitted beside it for
comparison. A logistic regression (scikit-learn, here only; the extractor applies the
weights with plain Python) is fitted on the quote signals of
``parallax.nlp.quotes.SIGNALS``. The default threshold is the lowest confidence (in
steps of 0.01) at which 90 % of the train quotes kept are accepted. A quotation in marks
credited to a speaker has a threshold of its own (``parallax.model.QuoteThresholds``),
chosen first: the lowest at which 90 % of such quotations kept are accepted; the
threshold of every other quote is then the lowest at which 90 % of all the quotes kept
are. PolNeAR dev, never used for fitting or choosing, gives the figures printed at every
threshold. The other direction (fitted and chosen on dev, scored on train) is printed
too, as a check that the weights do not depend on the split. Only weights and figures
are written: no text of the corpus. Deterministic; about 7 minutes on two cores, most of
it parsing."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quotes import (  # noqa: E402
    DEFAULT_DATA,
    IouScore,
    Quotes,
    Span,
    add_iou,
    gold_quotes,
    iou_matches,
    load_split,
    predicted_quotes,
    quote_predictions,
    speaker_right,
    token_sets,
)

from parallax.model import QuoteThresholds, as_thresholds, is_credited_quotation  # noqa: E402
from parallax.nlp import find_quotes, load_pipeline  # noqa: E402
from parallax.nlp.quotes import (  # noqa: E402
    CONFIDENCE_MODEL,
    SIGNALS,
    ConfidenceModel,
    quote_signals,
)

THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
UNFITTED = ConfidenceModel(tuple(0.0 for _ in SIGNALS), 0.0)
TARGET_PRECISION = 0.90
# L2 strength of the fit (scikit-learn's default); twelve signals on thousands of quotes
# need no tuning of it.
C = 1.0


@dataclass
class ArticleQuotes:
    """One article's gold quotes and the extractor's, with their signals and labels."""

    text: str
    gold: Quotes
    predicted: Quotes
    signals: list[tuple[float, ...]]
    matched: list[bool]  # paired with a gold quote by the IoU scorer
    credited: list[bool]  # and credited to the gold quote's source, if it has one
    # credited, or lying wholly inside a gold quote whose source its speaker meets: PolNeAR
    # takes a quotation running on over sentences or paragraphs as one quote, and a part the
    # extractor does not join to the rest fails the IoU test though somebody said every word.
    accepted: list[bool]
    credited_quotation: list[bool]  # a quotation in marks with a speaker


@dataclass
class Split:
    name: str
    articles: list[ArticleQuotes]

    def signals(self) -> np.ndarray:
        return np.array([s for a in self.articles for s in a.signals])

    def labels(self, content_only: bool = False) -> np.ndarray:
        return np.array(
            [m for a in self.articles for m in (a.matched if content_only else a.accepted)]
        )

    def accepted_precision(
        self,
        confidences: list[list[float]],
        threshold: float | QuoteThresholds,
        credited_only: bool = False,
    ) -> float:
        """The share of the quotes kept at ``threshold`` (one, or one per kind of quote)
        that a reader accepts; of the quotations credited to a speaker alone with
        ``credited_only``."""
        kept = [
            right
            for article, found in zip(self.articles, confidences, strict=True)
            for right, c, credited in zip(
                article.accepted, found, article.credited_quotation, strict=True
            )
            if c >= as_thresholds(threshold).for_kind(credited) and (credited or not credited_only)
        ]
        return sum(kept) / len(kept) if kept else 1.0

    def confidences(self, model: ConfidenceModel) -> list[list[float]]:
        return [[model.confidence(s) for s in a.signals] for a in self.articles]

    def score(
        self, confidences: list[list[float]] | None, threshold: float | QuoteThresholds
    ) -> dict[str, float]:
        """IoU scores of the quotes whose confidence reaches ``threshold`` (one, or one per
        kind of quote; all of them without confidences)."""
        score = IouScore()
        for n, article in enumerate(self.articles):
            kept = (
                article.predicted
                if confidences is None
                else [
                    q
                    for q, c, credited in zip(
                        article.predicted, confidences[n], article.credited_quotation, strict=True
                    )
                    if c >= as_thresholds(threshold).for_kind(credited)
                ]
            )
            add_iou(score, article.text, article.gold, kept)
        return {**score.metrics(), "quotes": score.predicted, "gold": score.gold}


def read_split(data: Path, name: str, processes: int) -> Split:
    articles = load_split(data, name, None)
    nlp = load_pipeline()
    docs = nlp.pipe((a.text for a in articles), batch_size=16, n_process=processes)
    found = []
    for article, doc in zip(articles, docs, strict=True):
        predicted, signals, credited_quotation = [], [], []
        # The signals are what is learned from; the bundled weights need not fit them yet.
        for quote in find_quotes(doc, model=UNFITTED):
            # The scorer's view of the quote: none when its content is punctuation only.
            for pair in predicted_quotes(article.text, quote_predictions(article.text, quote)):
                predicted.append(pair)
                signals.append(quote_signals(doc, quote))
                credited_quotation.append(is_credited_quotation(quote))
        gold = gold_quotes(article)
        matched, credited = [False] * len(predicted), [False] * len(predicted)
        for i, j in iou_matches(article.text, gold, predicted):
            matched[i] = True
            credited[i] = gold[j][1] is None or _speaker_accepted(
                article.text, gold[j][1], predicted[i][1]
            )
        accepted = [
            credited[i] or _inside_a_gold_quote(article.text, gold, predicted[i])
            for i in range(len(predicted))
        ]
        found.append(
            ArticleQuotes(
                article.text,
                gold,
                predicted,
                signals,
                matched,
                credited,
                accepted,
                credited_quotation,
            )
        )
    print(f"{name}: {len(found)} articles parsed", file=sys.stderr)
    return Split(name, found)


def _speaker_accepted(text: str, gold_source: Span, predicted_source: Span | None) -> bool:
    """Whether a reader accepts the predicted speaker: it meets the gold source, or the
    gold source is a relative pronoun ("who said …", as PolNeAR marks it) and the
    predicted speaker is the name or description just before it, which the extractor
    gives instead (issue 27: never a relative pronoun)."""
    if speaker_right(gold_source, predicted_source):
        return True
    if predicted_source is None:
        return False
    pronoun = text[gold_source[0] : gold_source[1]].lower()
    between = text[predicted_source[1] : gold_source[0]]
    return pronoun in ("who", "whom") and between.strip(" ,") == ""


def _inside_a_gold_quote(text: str, gold: Quotes, quote: tuple[Span, Span | None]) -> bool:
    (content,) = token_sets(text, [quote[0]])
    return any(
        content <= within and (source is None or _speaker_accepted(text, source, quote[1]))
        for within, (_, source) in zip(token_sets(text, [g for g, _ in gold]), gold, strict=True)
    )


def fit(split: Split, content_only: bool = False) -> ConfidenceModel:
    regression = LogisticRegression(C=C, max_iter=1000)
    regression.fit(split.signals(), split.labels(content_only))
    return ConfidenceModel(
        tuple(round(float(w), 6) for w in regression.coef_[0]),
        round(float(regression.intercept_[0]), 6),
    )


def choose_threshold(split: Split, model: ConfidenceModel) -> float | None:
    """The lowest confidence, in steps of 0.01, at which the quotes ``split`` keeps are
    accepted (credited by the IoU scorer, or wholly inside a gold quote of their speaker)
    at the target precision."""
    confidences = split.confidences(model)
    for step in range(100):
        threshold = step / 100
        if split.accepted_precision(confidences, threshold) >= TARGET_PRECISION:
            return threshold
    return None


def choose_thresholds(split: Split, model: ConfidenceModel) -> QuoteThresholds | None:
    """A threshold for the quotations credited to a speaker, the lowest at which those
    kept are accepted at the target precision; then one for every other quote, the lowest
    at which all the quotes kept are."""
    confidences = split.confidences(model)
    steps = [step / 100 for step in range(100)]
    credited = next(
        (
            t
            for t in steps
            if split.accepted_precision(confidences, t, credited_only=True) >= TARGET_PRECISION
        ),
        None,
    )
    if credited is None:
        return None
    return next(
        (
            QuoteThresholds(t, credited)
            for t in steps
            if split.accepted_precision(confidences, QuoteThresholds(t, credited))
            >= TARGET_PRECISION
        ),
        None,
    )


def table(
    split: Split, model: ConfidenceModel | None, thresholds: Iterable[float | QuoteThresholds]
) -> list[str]:
    """A header and one row per threshold (``reported/credited`` for one per kind of
    quote); every quote without a model."""
    confidences = split.confidences(model) if model is not None else None
    lines = [
        f"{'min conf.':>9} {'P':>6} {'R':>6} {'F1':>6} {'speaker':>8} {'direct R':>9} "
        f"{'quotes':>7} {'accepted':>9}"
    ]
    for threshold in thresholds:
        m = split.score(confidences, threshold)
        accepted = split.accepted_precision(
            confidences or [[1.0] * len(a.predicted) for a in split.articles], threshold
        )
        lines.append(
            f"{threshold_label(threshold):>9} {m['p']:>6.3f} {m['r']:>6.3f} {m['f1']:>6.3f} "
            f"{m['speaker']:>8.3f} {m['direct_r']:>9.3f} {m['quotes']:>7} {accepted:>9.3f}"
        )
    return lines


def threshold_label(threshold: float | QuoteThresholds) -> str:
    """ "0.71", or "0.75/0.00" for the reported and credited-quotation thresholds."""
    if isinstance(threshold, QuoteThresholds):
        return f"{threshold.reported:.2f}/{threshold.credited_quotation:.2f}"
    return f"{threshold:.2f}"


def rounded(figures: dict[str, float]) -> dict[str, float]:
    return {key: round(value, 4) for key, value in figures.items()}


def direction(fitted: Split, scored: Split) -> tuple[ConfidenceModel, QuoteThresholds | None]:
    """Fit and choose the thresholds on ``fitted``, one for all and one per kind of quote;
    print both splits' figures."""
    model = fit(fitted)
    threshold = choose_threshold(fitted, model)
    thresholds = choose_thresholds(fitted, model)
    print(f"\nfitted on PolNeAR {fitted.name}; weights:")
    for name, weight in zip(SIGNALS, model.weights, strict=True):
        print(f"  {name:<16} {weight:+.3f}")
    print(f"  {'bias':<16} {model.bias:+.3f}")
    print(f"\nPolNeAR {scored.name} (not used for fitting), IoU scorer:")
    print("\n".join(table(scored, model, THRESHOLDS)))
    for what, chosen in (("one threshold", threshold), ("reported/credited", thresholds)):
        if chosen is None:
            print(f"no {what} reaches precision {TARGET_PRECISION} on {fitted.name}")
            return model, None
        print(
            f"\n{what} chosen on {fitted.name} (each lowest with P >= {TARGET_PRECISION}): "
            f"{threshold_label(chosen)}"
        )
        for split in (fitted, scored):
            print(f"  {split.name:<6}" + table(split, model, [chosen])[1])
    return model, thresholds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR folder")
    parser.add_argument("--out", type=Path, default=CONFIDENCE_MODEL, help="weights to write")
    parser.add_argument("--processes", type=int, default=2, help="spaCy n_process")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    train = read_split(args.data, "train", args.processes)
    dev = read_split(args.data, "dev", args.processes)

    print("baseline, every quote the extractor finds (no confidence):")
    for split in (train, dev):
        print(f"  {split.name:<6}" + table(split, None, [0.0])[1])
    print(
        f"train quotes matched by a gold quote {train.labels(content_only=True).mean():.3f}, "
        f"and credited to its source {train.labels().mean():.3f}"
    )

    model, threshold = direction(train, dev)
    direction(dev, train)
    content_model = fit(train, content_only=True)
    content_threshold = choose_threshold(train, content_model)
    if content_threshold is not None:
        print(
            f"\nlabelled by the content match alone (speaker not asked), fitted on train: "
            f"threshold {content_threshold:.2f}"
        )
        for split in (train, dev):
            row = table(split, content_model, [content_threshold])[1]
            print(f"  {split.name:<6}" + row)
    if args.no_write:
        return 0
    if threshold is None:
        sys.exit("error: no thresholds reach the target on train; nothing written")
    on_dev = dev.confidences(model)
    payload = {
        "about": "Weights of the quote confidence of parallax.nlp.quotes (a logistic "
        "regression over its SIGNALS), fitted on PolNeAR train; a quote is labelled right "
        "when its speaker meets the source (if any) of a gold quote that issue 27's IoU "
        "scorer pairs it with or that holds its every word",
        "made_by": "benchmarks/train_quote_confidence.py",
        "date": date.today().isoformat(),
        "trained_on": "PolNeAR v1.0.0 train (every article)",
        "weights": dict(zip(SIGNALS, model.weights, strict=True)),
        "bias": model.bias,
        "default_min_confidence": threshold.reported,
        "credited_quotation_min_confidence": threshold.credited_quotation,
        "chosen_by": f"credited_quotation: the lowest threshold (steps of 0.01) at which "
        f"{TARGET_PRECISION} of the PolNeAR train quotations in marks credited to a speaker "
        "kept are labelled right; default (every other quote): the lowest at which "
        f"{TARGET_PRECISION} of all the train quotes kept are",
        "figures": {
            "train_at_default": rounded(train.score(train.confidences(model), threshold)),
            "dev_at_default": rounded(dev.score(on_dev, threshold)),
            "dev_at_one_threshold": rounded(dev.score(on_dev, threshold.reported)),
            "dev_without_confidence": rounded(dev.score(None, 0.0)),
            "dev_by_threshold": {f"{t:.2f}": rounded(dev.score(on_dev, t)) for t in THRESHOLDS},
        },
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
