"""Bootstrap confidence intervals of macro-F1, over sentences, for one run or a seed average.

Resampling sentences (with replacement) and recomputing macro-F1 shows how much a
score depends on which sentences happen to be in a small evaluation set: on 252
sentences three sentences move stance macro-F1 by about 0.01. For several seeds of
one configuration the same resample is applied to every seed and their scores are
averaged, so the interval is that of the seed-averaged score.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["macro_f1", "f1_matrix", "bootstrap_ci", "paired_difference_ci"]


def macro_f1(gold: np.ndarray, pred: np.ndarray, n_classes: int) -> float:
    """Macro-F1 over the classes present in gold or predictions (as ``head_report``)."""
    gold, pred = np.asarray(gold), np.asarray(pred)
    f1s = []
    for c in range(n_classes):
        g, p = gold == c, pred == c
        if not g.any() and not p.any():
            continue
        tp = np.sum(g & p)
        denom = g.sum() + p.sum()
        f1s.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(f1s)) if f1s else 0.0


def f1_matrix(gold: np.ndarray, preds: np.ndarray, idx: np.ndarray, n_classes: int
              ) -> np.ndarray:
    """Macro-F1 of each run (rows of ``preds``) on each resample (rows of ``idx``)."""
    g = gold[idx]  # resamples x n
    out = np.zeros((len(idx), len(preds)))
    for r, pred in enumerate(preds):
        p = pred[idx]
        f1s = np.zeros((len(idx), n_classes))
        present = np.zeros((len(idx), n_classes), dtype=bool)
        for c in range(n_classes):
            gc, pc = g == c, p == c
            tp = (gc & pc).sum(1)
            denom = gc.sum(1) + pc.sum(1)
            present[:, c] = denom > 0
            f1s[:, c] = np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)
        out[:, r] = (f1s * present).sum(1) / np.maximum(present.sum(1), 1)
    return out


def bootstrap_ci(gold: Sequence[int], preds: Sequence[Sequence[int]], n_classes: int,
                 resamples: int = 1000, seed: int = 0, level: float = 0.95
                 ) -> tuple[float, float, float]:
    """(mean over runs of macro-F1, low, high) with a percentile bootstrap interval."""
    gold_a = np.asarray(gold)
    preds_a = np.asarray(preds)
    point = float(np.mean([macro_f1(gold_a, p, n_classes) for p in preds_a]))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(gold_a), size=(resamples, len(gold_a)))
    means = f1_matrix(gold_a, preds_a, idx, n_classes).mean(1)
    a = (1 - level) / 2
    return point, float(np.quantile(means, a)), float(np.quantile(means, 1 - a))


def paired_difference_ci(gold: Sequence[int], preds_a: Sequence[Sequence[int]],
                         preds_b: Sequence[Sequence[int]], n_classes: int,
                         resamples: int = 1000, seed: int = 0, level: float = 0.95
                         ) -> tuple[float, float, float]:
    """Seed-averaged macro-F1 of A minus B, with a paired bootstrap interval.

    Both are scored on the same resamples of the same sentences, so sentence
    difficulty cancels out; an interval that excludes 0 is a difference the
    evaluation set can see.
    """
    gold_a = np.asarray(gold)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(gold_a), size=(resamples, len(gold_a)))
    fa = f1_matrix(gold_a, np.asarray(preds_a), idx, n_classes).mean(1)
    fb = f1_matrix(gold_a, np.asarray(preds_b), idx, n_classes).mean(1)
    point = (np.mean([macro_f1(gold_a, p, n_classes) for p in np.asarray(preds_a)])
             - np.mean([macro_f1(gold_a, p, n_classes) for p in np.asarray(preds_b)]))
    d = fa - fb
    a = (1 - level) / 2
    return float(point), float(np.quantile(d, a)), float(np.quantile(d, 1 - a))
