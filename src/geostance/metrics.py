"""Metrics: per-head classification reports, calibration, temperature scaling."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

ECE_BINS = 15


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``logits / temperature``."""
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def head_report(gold: Sequence[int], pred: Sequence[int], labels: Sequence[str]) -> dict:
    """Accuracy, macro-F1, per-class P/R/F1/support and the confusion matrix.

    Macro-F1 averages over the classes present in gold or predictions, so a
    small evaluation set that lacks a class is not punished for it.
    """
    gold, pred = np.asarray(gold), np.asarray(pred)
    if len(gold) == 0:
        return {"n": 0}
    present = sorted(set(gold.tolist()) | set(pred.tolist()))
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=list(range(len(labels))),
                                                 zero_division=0)
    return {
        "n": int(len(gold)),
        "accuracy": float(accuracy_score(gold, pred)),
        "macro_f1": float(f1_score(gold, pred, labels=present, average="macro", zero_division=0)),
        "per_class": {lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                            "support": int(s[i])} for i, lab in enumerate(labels)},
        "confusion": {"labels": list(labels),
                      "matrix": confusion_matrix(gold, pred,
                                                 labels=list(range(len(labels)))).tolist()},
    }


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


def per_group_macro_f1(groups: Sequence[str], gold: Sequence[int], pred: Sequence[int]) -> dict:
    """Macro-F1 and size per group value (e.g. per language)."""
    groups, gold, pred = np.asarray(groups), np.asarray(gold), np.asarray(pred)
    out = {}
    for g in sorted(set(groups.tolist())):
        m = groups == g
        present = sorted(set(gold[m].tolist()) | set(pred[m].tolist()))
        out[g] = {"n": int(m.sum()),
                  "macro_f1": float(f1_score(gold[m], pred[m], labels=present, average="macro",
                                             zero_division=0)),
                  "accuracy": float(accuracy_score(gold[m], pred[m]))}
    return out
