"""Classification reports: per-head accuracy, macro-F1, per-class scores, per group."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)


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


def prediction_arrays(kind_gold: Sequence[int], kind_pred: Sequence[int],
                      stance_gold: Sequence[int], stance_pred: Sequence[int],
                      stance_rows: Sequence) -> dict[str, list]:
    """The per-sentence record a run stores in ``eval_predictions.json`` for one set: gold
    and predicted label ids of both heads, and for each stance row (the sentences with a
    gold stance, ``stance_rows``, objects with ``lang`` and ``id``) its language and id, by
    which the sweeps pair runs of corpora that differ."""
    return {"kind_gold": list(kind_gold), "kind_pred": list(kind_pred),
            "stance_gold": list(stance_gold), "stance_pred": list(stance_pred),
            "stance_lang": [s.lang for s in stance_rows],
            "stance_id": [s.id for s in stance_rows]}
