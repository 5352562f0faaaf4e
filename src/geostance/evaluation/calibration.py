"""Calibration: expected calibration error, reliability bins and temperature scaling."""

from __future__ import annotations

import numpy as np

from ..model.artifacts import softmax

__all__ = ["ECE_BINS", "expected_calibration_error", "reliability_bins", "fit_temperature",
           "calibration"]

ECE_BINS = 15


def expected_calibration_error(probs: np.ndarray, gold: np.ndarray, bins: int = ECE_BINS) -> float:
    """ECE: confidence-vs-accuracy gap averaged over equal-width confidence bins."""
    if len(gold) == 0:
        return float("nan")
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == gold
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            ece += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(ece)


def reliability_bins(probs: np.ndarray, gold: np.ndarray, bins: int = 10) -> list[dict]:
    """Per-bin mean confidence, accuracy and count (for reliability diagrams)."""
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == gold
    edges = np.linspace(0.0, 1.0, bins + 1)
    out = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (conf > lo) & (conf <= hi)
        out.append({"lo": float(lo), "hi": float(hi), "count": int(m.sum()),
                    "confidence": float(conf[m].mean()) if m.any() else None,
                    "accuracy": float(correct[m].mean()) if m.any() else None})
    return out


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """Temperature minimising the negative log-likelihood of ``gold`` (grid + refine).

    A 1-D search over log T in [0.05, 20] is exact enough and has no failure
    modes, unlike LBFGS on a handful of dev sentences.
    """
    if len(gold) == 0:
        return 1.0

    def nll(t: float) -> float:
        p = softmax(logits, t)[np.arange(len(gold)), gold]
        return float(-np.log(np.clip(p, 1e-12, None)).mean())

    grid = np.exp(np.linspace(np.log(0.05), np.log(20.0), 200))
    best = min(grid, key=nll)
    fine = np.exp(np.linspace(np.log(best) - 0.05, np.log(best) + 0.05, 101))
    return float(min(fine, key=nll))


def calibration(logits: np.ndarray, gold: np.ndarray, temperature: float) -> dict:
    """ECE before and after temperature scaling, with reliability bins of both."""
    before, after = softmax(logits), softmax(logits, temperature)
    return {"temperature": temperature,
            "ece_before": expected_calibration_error(before, gold),
            "ece_after": expected_calibration_error(after, gold),
            "reliability_before": reliability_bins(before, gold),
            "reliability_after": reliability_bins(after, gold)}
