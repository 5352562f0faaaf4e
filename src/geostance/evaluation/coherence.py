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
from itertools import pairwise
from typing import Any

import numpy as np

from ..data import Labels, Sentence
from ..predict.coherence import smooth_stance, stance_evidence
from .metrics import head_report

__all__ = ["MIN_TRANSITION_PAIRS", "article_mode_stance", "chain_documents", "count_transitions",
           "fit_transitions", "sentence_gaps", "train_transitions"]

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


def count_transitions(rows: list[Sentence], stances: list[str]) -> np.ndarray:
    """(K, K) counts of one-step stance moves in labelled documents: for each pair of
    neighbouring rows of one document (same ``article_id``, in order, adjacent by their ids'
    positions where they carry them) that both have a gold stance and neither is
    translated, one count from the first's stance to the second's. Rows of ``stances``
    order."""
    counts = np.zeros((len(stances), len(stances)))
    for a, b in pairwise(rows):
        if (a.article_id or a.id) != (b.article_id or b.id) or a.translated or b.translated:
            continue
        if a.stance in stances and b.stance in stances and sentence_gaps([a.id, b.id])[0] == 1:
            counts[stances.index(a.stance), stances.index(b.stance)] += 1
    return counts


def fit_transitions(rows: list[Sentence], stances: list[str], add: float = 1.0) -> np.ndarray:
    """(K, K) one-step stance moves: :func:`count_transitions` with ``add`` (> 0) added to
    every cell (every move stays possible), rows normalised."""
    return _normalise(count_transitions(rows, stances), add)


def _normalise(counts: np.ndarray, add: float = 1.0) -> np.ndarray:
    """Rows of ``counts`` + ``add`` (> 0: every move stays possible), each summing to 1."""
    if not add > 0:
        raise ValueError(f"add must be > 0 (every move stays possible), got {add!r}")
    counts = counts + add
    return counts / counts.sum(axis=1, keepdims=True)


# Fewer neighbour pairs than this and the counts say little: the sticky chain is kept.
MIN_TRANSITION_PAIRS = 30


def train_transitions(train: list[Sentence],
                      stances: list[str]) -> tuple[np.ndarray | None, int]:
    """Article mode's matrix of stance moves as training fits it: :func:`fit_transitions`
    over the train split's documents of real text (the written corpus and the contrast set,
    invented sentence by sentence, left out), and the number of pairs counted; None for the
    matrix when fewer than :data:`MIN_TRANSITION_PAIRS` (the chain keeps the sticky one)."""
    real = [s for s in train if s.corpus not in ("written", "contrast")]
    counts = count_transitions(real, stances)  # one pass: the threshold and the matrix
    pairs = int(counts.sum())
    return (_normalise(counts) if pairs >= MIN_TRANSITION_PAIRS else None), pairs


def chain_documents(rows: list[Sentence], kind_p: np.ndarray, stance_p: np.ndarray,
                    kinds: list[str], stay: float,
                    transitions: np.ndarray | None = None) -> np.ndarray:
    """Stance probabilities of every row after the chain over each document (rows grouped by
    ``article_id``, in order; gaps between rows from their ids, :func:`sentence_gaps`);
    ``stay`` 0 returns a copy of ``stance_p``; ``transitions`` (K, K), when given, replaces
    the sticky matrix ``stay`` makes (:func:`geostance.predict.coherence.smooth_stance`)."""
    q = np.asarray(stance_p, dtype=np.float32).copy()
    if stay:
        evidence = stance_evidence(kind_p, kinds)
        docs: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(rows):
            docs[s.article_id or s.id].append(i)
        for idx in docs.values():
            q[idx] = smooth_stance(q[idx], stay, evidence[idx],
                                   gaps=sentence_gaps([rows[i].id for i in idx]),
                                   transitions=transitions)
    return q


def article_mode_stance(rows: list[Sentence], kind_p: np.ndarray, stance_p: np.ndarray,
                        labels: Labels, stay: float,
                        transitions: np.ndarray | None = None) -> dict[str, Any]:
    """Stance report of the chain's labels (``stay`` as ``predict.py --stance-stay``; 0 =
    each sentence alone; ``transitions`` as :func:`chain_documents`) on the rows with a gold
    stance; ``kind_p``/``stance_p`` are the calibrated probabilities of every row, rows of a
    document in reading order."""
    q = chain_documents(rows, kind_p, stance_p, labels.kinds, stay, transitions)
    mask = [i for i, s in enumerate(rows) if s.stance]
    gold = [labels.stances.index(rows[i].stance) for i in mask]
    return {**head_report(gold, q[mask].argmax(axis=1).tolist(), labels.stances),
            "stance_stay": stay, "stance_chain": "uniform" if transitions is None else "fitted"}
