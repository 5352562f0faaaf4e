"""Article-mode stance on labelled documents: the coherence chain over each document's
sentences (:mod:`geostance.predict.coherence`), scored like sentence mode.

The real corpus's dev and test splits hold whole documents in reading order, so the
probabilities sentence mode computes for them (the previous sentence as context, the
speaker found in the whole document) are those article mode computes; the chain then runs
over each document. ``realnews_dev`` holds sentences drawn from 28 texts, in reading order,
each id ending in its position (``-s012``); the chain runs over each text's sample with the
gap between positions as the number of steps (the sentences between unseen), which for a
whole document is one step each.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import numpy as np

from ..data import Labels, Sentence
from ..predict.coherence import smooth_stance, stance_evidence
from .metrics import head_report

__all__ = ["article_mode_stance", "chain_documents", "sentence_gaps"]

_POSITION = re.compile(r"-s(\d+)$")


def sentence_gaps(ids: list[str]) -> np.ndarray:
    """Sentence distances between consecutive rows of one document, from the positions
    their ids end in (``doc-s007``); all 1 (adjacent) unless every id has a position and
    they rise strictly."""
    found = [_POSITION.search(i) for i in ids]
    ones = np.ones(max(len(ids) - 1, 0), dtype=np.int64)
    if not all(found):
        return ones
    gaps = np.diff([int(m.group(1)) for m in found if m])
    return gaps if (gaps >= 1).all() else ones


def chain_documents(rows: list[Sentence], kind_p: np.ndarray, stance_p: np.ndarray,
                    kinds: list[str], stay: float) -> np.ndarray:
    """Stance probabilities of every row after the chain over each document (rows grouped by
    ``article_id``, in order; gaps between rows from their ids, :func:`sentence_gaps`);
    ``stay`` 0 returns a copy of ``stance_p``."""
    q = np.asarray(stance_p, dtype=np.float32).copy()
    if stay:
        evidence = stance_evidence(kind_p, kinds)
        docs: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(rows):
            docs[s.article_id or s.id].append(i)
        for idx in docs.values():
            q[idx] = smooth_stance(q[idx], stay, evidence[idx],
                                   gaps=sentence_gaps([rows[i].id for i in idx]))
    return q


def article_mode_stance(rows: list[Sentence], kind_p: np.ndarray, stance_p: np.ndarray,
                        labels: Labels, stay: float) -> dict[str, Any]:
    """Stance report of the chain's labels (``stay`` as ``predict.py --stance-stay``; 0 =
    each sentence alone) on the rows with a gold stance; ``kind_p``/``stance_p`` are the
    calibrated probabilities of every row, rows of a document in reading order."""
    q = chain_documents(rows, kind_p, stance_p, labels.kinds, stay)
    mask = [i for i, s in enumerate(rows) if s.stance]
    gold = [labels.stances.index(rows[i].stance) for i in mask]
    return {**head_report(gold, q[mask].argmax(axis=1).tolist(), labels.stances),
            "stance_stay": stay}
