"""The forward pass of the small networks Parallax ships (numpy only at run time): one
ReLU layer over standardised features, then a logistic output."""

from __future__ import annotations

import numpy as np

__all__ = ["one_layer_probabilities"]


def one_layer_probabilities(
    features: np.ndarray,
    mean: np.ndarray,
    scale: np.ndarray,
    hidden: np.ndarray,
    hidden_bias: np.ndarray,
    output: np.ndarray,
    output_bias: float,
    clip: float | None = None,
) -> np.ndarray:
    """The probability of each row of an unstandardised feature matrix.

    ``clip`` bounds the standardised features, so a row unlike any fitted on gets the
    verdict of the nearest that was, not an extrapolation."""
    z = (features - mean) / scale
    if clip is not None:
        z = np.clip(z, -clip, clip)
    activations = np.maximum(z @ hidden + hidden_bias, 0.0)
    return 1.0 / (1.0 + np.exp(-(activations @ output + output_bias)))
