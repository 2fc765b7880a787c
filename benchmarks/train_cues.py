"""Learn Parallax's cue table from the PolNeAR training split.

For every verb or noun in the training articles the table counts how often a
word used that way (lemma, what it governs, what kind of subject it has) was
the cue of an annotated attribution. ``parallax.nlp.quotes`` reads the rates.
Only counts are written: no text of the corpus goes into the table.

    .venv/bin/python benchmarks/train_cues.py            # writes parallax/nlp/data/cue_frames.tsv

Deterministic: the same split and spaCy model give the same table.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quotes import DEFAULT_DATA, Article, load_split

from parallax.nlp import load_pipeline
from parallax.nlp.quotes import CUE_TABLE, MIN_EVIDENCE, cue_frame

CANDIDATE_POS = ("VERB", "AUX", "NOUN")


def cue_roots(doc, spans: Iterable[tuple[int, int]]) -> set[int]:  # type: ignore[no-untyped-def]
    """Token index of the syntactic head of each gold cue span."""
    roots = set()
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            roots.add(span.root.i)
    return roots


def count_frames(articles: Sequence[Article], docs: Iterable) -> tuple[Counter, Counter]:  # type: ignore[type-arg]
    cues: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for article, doc in zip(articles, docs, strict=True):
        gold = cue_roots(doc, ((a.cue[0][0], a.cue[-1][1]) for a in article.attributions if a.cue))
        for token in doc:
            if token.pos_ not in CANDIDATE_POS:
                continue
            for key in cue_frame(token).table_keys():
                seen[key] += 1
                cues[key] += token.i in gold
    return cues, seen


def write_table(cues: Counter, seen: Counter, out: Path) -> int:  # type: ignore[type-arg]
    lemmas_with_cues = {key.split("|")[0] for key, n in cues.items() if n}
    rows = sorted(
        key for key in seen if seen[key] >= MIN_EVIDENCE and key.split("|")[0] in lemmas_with_cues
    )
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["key", "cue", "seen"])
        for key in rows:
            writer.writerow([key, cues[key], seen[key]])
    return len(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR folder")
    parser.add_argument("--out", type=Path, default=CUE_TABLE, help="table to write")
    parser.add_argument("--processes", type=int, default=2, help="spaCy n_process")
    args = parser.parse_args(argv)
    articles = load_split(args.data, "train", None)
    nlp = load_pipeline()
    docs = nlp.pipe((a.text for a in articles), batch_size=16, n_process=args.processes)
    cues, seen = count_frames(articles, docs)
    rows = write_table(cues, seen, args.out)
    print(f"{len(articles)} training articles -> {rows} rows in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
