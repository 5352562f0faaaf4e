"""Article-mode stance on labelled documents: the coherence chain over each document's
sentences (:mod:`geostance.predict.coherence`), scored like sentence mode.

The real corpus's dev and test splits hold whole documents in reading order, so the
probabilities sentence mode computes for them (the previous sentence as context, the
speaker found in the whole document) are those article mode computes; the chain then runs
over each document. ``realnews_dev`` holds single sentences drawn from their articles and
has no neighbours to chain.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from ..data import Labels, Sentence
from ..predict.coherence import smooth_stance
from .metrics import head_report

__all__ = ["article_mode_stance"]


def article_mode_stance(rows: list[Sentence], kind_p: np.ndarray, stance_p: np.ndarray,
                        labels: Labels, stay: float) -> dict[str, Any]:
    """Stance report of the chain's labels (``stay`` as ``predict.py --stance-stay``; 0 =
    each sentence alone) on the rows with a gold stance; ``kind_p``/``stance_p`` are the
    calibrated probabilities of every row, rows of a document in reading order."""
    q = np.asarray(stance_p, dtype=np.float32).copy()
    if stay:
        evidence = np.asarray(labels.kinds)[np.asarray(kind_p).argmax(axis=1)] != "boilerplate"
        docs: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(rows):
            docs[s.article_id or s.id].append(i)
        for idx in docs.values():
            q[idx] = smooth_stance(q[idx], stay, evidence[idx])
    mask = [i for i, s in enumerate(rows) if s.stance]
    gold = [labels.stances.index(rows[i].stance) for i in mask]
    return {**head_report(gold, q[mask].argmax(axis=1).tolist(), labels.stances),
            "stance_stay": stay}
