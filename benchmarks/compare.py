"""Time to compare a story of 2, 10 and 50 articles.

Run from the repository root::

    .venv/bin/python benchmarks/compare.py            # sizes 2 10 50
    .venv/bin/python benchmarks/compare.py --sizes 2 10 50 100

The articles are ECB+ documents (``../shared/eval/ecbplus``, see benchmarks/stories.py
for how they are read), taken topic by topic so that a story holds reports of the same
kind of event, each document credited to its own outlet. They are analysed and resolved
first (not timed); the table times ``compare_story`` alone and with the HTML page
(``to_html``), best of three runs, and counts what the comparison found.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stories import DEFAULT_DATA, load_ecbplus

from parallax.clean import clean_document
from parallax.compare import Comparison, compare_story
from parallax.compare.render import to_html
from parallax.model import RawDocument, Story
from parallax.nlp import analyze_articles, apply_resolution
from parallax.resolve import load_knowledge_base, resolve_entities

REPEAT = 3


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
    args = parser.parse_args(argv)
    if not (args.data / "ECB+").is_dir():
        print(f"ECB+ not found at {args.data}: nothing to time")
        return 1
    # Documents too short to be an article (a few ECB+ files) are left out, as ingest would.
    documents = [d for d in load_ecbplus(args.data, None) if len(d.text.split()) >= 20]
    print(
        f"{'articles':>8} {'words':>7} {'compare s':>10} {'+ html s':>9} "
        f"{'participants':>12} {'facts':>6} {'shared':>6} {'conflicts':>9} {'quotes':>6}"
    )
    for size in args.sizes:
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
