"""Which story do the outlets disagree on most, and who does each outlet talk about?

A worked example of the library API (docs/api.md), written like a notebook: run it as

    .venv/bin/python examples/contested_story.py [--db PATH] [--out PNG]

It loads the bundled example articles into a fresh store, compares every story across
its outlets, takes the one with the most conflicts, and draws a heat map of outlets ×
participants (how often each outlet names each person, organisation or country),
saved as a PNG. Needs the extras ``pandas`` and ``plot`` (matplotlib).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # draw to a file; no display needed

import matplotlib.pyplot as plt
import pandas as pd

import parallax
from parallax.examples import ARTICLES_DIR


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="store to use (default: a fresh one in a temporary folder)")
    parser.add_argument("--out", default="contested-story.png", help="the PNG to write")
    args = parser.parse_args()
    db = args.db or str(Path(tempfile.mkdtemp()) / "example.db")

    with parallax.open(db) as corpus:
        # 1. Ingest, analyse and group the bundled articles.
        report = corpus.run([ARTICLES_DIR])
        print(f"{report.ingest.ingested} articles, {report.stories.stories} stories")

        # 2. The stories as a DataFrame: one row per story.
        stories = corpus.stories().to_pandas()
        print(stories[["id", "title", "outlets"]].to_string(index=False))

        # 3. Compare every story told by more than one outlet; keep the most contested.
        comparisons = [
            corpus.compare(story_id)
            for story_id, outlets in zip(stories["id"], stories["outlets"], strict=True)
            if len(outlets) > 1
        ]
        contested = max(comparisons, key=lambda c: len(c.conflicts))
        print(f"\nmost contested: {contested.title!r} ({len(contested.conflicts)} conflicts)")
        for conflict in contested.conflicts:
            print(f"  [{conflict.kind}] {conflict.description}")

    # 4. Outlets × participants: how often each outlet names each participant.
    counts = pd.DataFrame(
        {
            participant.canonical: {
                outlet: view.mentions for outlet, view in participant.by_outlet.items()
            }
            for participant in contested.participants
        }
    ).fillna(0)
    counts = counts[counts.sum().sort_values(ascending=False).index[:15]]  # the most named

    # 5. The heat map.
    figure, axes = plt.subplots(figsize=(1.0 + 0.6 * counts.shape[1], 1.5 + 0.5 * len(counts)))
    image = axes.imshow(counts.to_numpy(), cmap="YlOrRd", aspect="auto")
    axes.set_xticks(range(counts.shape[1]), counts.columns, rotation=45, ha="right")
    axes.set_yticks(range(len(counts)), counts.index)
    for (row, column), value in pd.DataFrame(counts.to_numpy()).stack().items():
        axes.text(column, row, int(value), ha="center", va="center", fontsize=8)
    axes.set_title(f"Who each outlet names: {contested.title[:60]}", fontsize=10)
    figure.colorbar(image, ax=axes, label="mentions")
    figure.tight_layout()
    figure.savefig(args.out, dpi=120)
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
