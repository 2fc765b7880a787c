"""Figures of one counted thing across a story's outlets: how often are two that differ
one measure told two ways? Issue 26 asks the comparison to set "3,400 workers" beside
"3,800 workers" when both count the strikers. This reads every pair of figures of one
gold story, from two different reports, that count the same noun ("workers", "ships")
outside the event measures the comparison already weighs (the dead, the injured...) and
cannot both be true, and prints a sample of one pair per story for a reader to judge;
``--shared-context K`` keeps only pairs whose six words either side of the figure share
K content words besides the counted noun. Not shipped: read, the pairs are mostly
different things counted in one unit (points of two players, counts of two charges).

    .venv/bin/python benchmarks/experiments/figure_pairs.py --collection ecbplus
    .venv/bin/python benchmarks/experiments/figure_pairs.py --collection gva --shared-context 2
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stories import DEFAULT_DATA, GVA_DATA, load_ecbplus, load_gva

from parallax.text.figures import LATER_DEATHS, MEASURES, Figure, figures_agree, find_figures
from parallax.text.sentences import sentence_spans
from parallax.text.words import WORD, stem, stop_words

EVENT_MEASURES = set(MEASURES.values()) | {LATER_DEATHS}
CONTEXT_WORDS = 6


def reports(collection: str) -> list[tuple[str, str, str]]:
    """(gold story, report id, text) of a development collection."""
    if collection == "ecbplus":
        return [(d.gold, d.doc_id, d.text) for d in load_ecbplus(DEFAULT_DATA, None)]
    return [(r.gold, r.doc_id, r.text) for r in load_gva(GVA_DATA)]


def counted_figures(text: str) -> Iterator[tuple[str, Figure]]:
    """Each figure counting a noun, with its sentence."""
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        for figure in find_figures(sentence):
            if figure.measure not in EVENT_MEASURES and figure.unit.isalpha():
                yield sentence, figure


def context(sentence: str, figure: Figure) -> set[str]:
    """Content stems within ``CONTEXT_WORDS`` words either side of the figure."""
    ignored = stop_words()
    words = (
        WORD.findall(sentence[: figure.start])[-CONTEXT_WORDS:]
        + WORD.findall(sentence[figure.end :])[:CONTEXT_WORDS]
    )
    return {
        stem(w.lower())
        for w in words
        if w.lower() not in ignored and not w[0].isdigit() and len(w) > 2
    }


def differing_pairs(collection: str, shared_context: int) -> dict[str, list[tuple]]:
    """Per gold story, the pairs of figures of two reports counting one noun that cannot
    both be true and share ``shared_context`` context words besides that noun."""
    stories: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for gold, report, text in reports(collection):
        stories[gold].append((report, text))
    found: dict[str, list[tuple]] = defaultdict(list)
    for gold, members in stories.items():
        figures = [(r, s, f) for r, text in members for s, f in counted_figures(text)]
        for (r1, s1, f1), (r2, s2, f2) in combinations(figures, 2):
            if r1 == r2 or f1.key != f2.key or figures_agree(f1, f2):
                continue
            if len((context(s1, f1) & context(s2, f2)) - {f1.key}) >= shared_context:
                found[gold].append((f1.key, s1, f1.written, s2, f2.written))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--collection", choices=("ecbplus", "gva"), default="ecbplus")
    parser.add_argument("--shared-context", type=int, default=0)
    parser.add_argument("--sample", type=int, default=25, help="stories to print a pair of")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    found = differing_pairs(args.collection, args.shared_context)
    print(
        f"{args.collection}: {sum(map(len, found.values()))} differing pairs in {len(found)} "
        f"stories (shared context words >= {args.shared_context})"
    )
    chooser = random.Random(args.seed)
    for gold in chooser.sample(sorted(found), min(args.sample, len(found))):
        key, s1, w1, s2, w2 = chooser.choice(found[gold])
        print(f"\n[{key}] {w1!r} / {w2!r}\n  A: {s1[:220]}\n  B: {s2[:220]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
