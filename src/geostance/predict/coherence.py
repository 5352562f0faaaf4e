"""Stance coherence within an article: each sentence's stance probabilities combined with
its neighbours' by a sticky hidden Markov chain (forward-backward).

Real articles keep a side for several sentences at a time: a quoted warning runs over a
paragraph, a government statement over a section. A sentence that only says "the threats
will grow sharply" carries its stance through the sentences around it. The chain treats
each sentence's calibrated stance probabilities as its evidence and the stance as a hidden
state that stays the same from one sentence to the next with probability ``stay`` (else
moves to each other stance alike). ``stay = 1/K`` (K stances) makes every move equally
likely: the sentences are independent and the probabilities come back unchanged.

Sentences that carry no stance (boilerplate: bylines, cookie notices) give no evidence; the
chain passes through them.

Instead of ``stay``, the chain can take a full (K, K) matrix of one-step moves, such as the
one :func:`geostance.evaluation.coherence.fit_transitions` counts in labelled documents
(real texts rarely move from one side straight to the other; each passes through neutral
sentences).
"""

from __future__ import annotations

import numpy as np

from ..model.artifacts import check_transitions

__all__ = ["smooth_stance", "stance_evidence", "temper", "transition"]


def stance_evidence(kind_p: np.ndarray, kinds: list[str]) -> np.ndarray:
    """(n,) booleans: True where the kind head's label is not boilerplate (which carries
    no stance, so gives the chain no evidence)."""
    return np.asarray(kinds)[np.asarray(kind_p).argmax(axis=1)] != "boilerplate"


def temper(p: np.ndarray, temperature: float) -> np.ndarray:
    """Rows of ``p`` raised to 1/T and renormalised (the argmax is unchanged)."""
    q = np.power(np.clip(np.asarray(p, dtype=np.float64), 1e-300, None), 1.0 / temperature)
    return q / q.sum(axis=1, keepdims=True)


def transition(stay: float, k: int, gap: int = 1) -> np.ndarray:
    """(k, k) chance of each stance ``gap`` sentences on, from each stance now.

    The one-step matrix keeps the stance with probability ``stay`` and moves to each other
    stance alike; over ``gap`` steps it is that matrix to the power ``gap``: the stance is
    kept with probability 1/k + (1 - 1/k) * lam**gap, lam = (k * stay - 1) / (k - 1).
    A gap of g treats the g - 1 sentences between as unseen (no evidence), which is how a
    sample of an article's sentences is chained exactly.
    """
    if gap < 1:
        raise ValueError(f"gap must be >= 1 sentence, got {gap!r}")
    lam = (k * stay - 1.0) / (k - 1)
    keep = 1.0 / k + (1.0 - 1.0 / k) * lam ** gap
    trans = np.full((k, k), (1.0 - keep) / (k - 1))
    np.fill_diagonal(trans, keep)
    return trans


def smooth_stance(stance_p: np.ndarray, stay: float, evidence: np.ndarray | None = None,
                  temperature: float = 1.0, gaps: np.ndarray | None = None,
                  transitions: np.ndarray | None = None) -> np.ndarray:
    """Posterior stance probabilities of one article's sentences, in reading order.

    ``stance_p``: (n, K) calibrated probabilities, one row per sentence. ``stay``: the
    chance that a sentence keeps the stance of the one before, in [1/K, 1); 1/K returns
    ``stance_p`` as it is. ``evidence``: (n,) booleans, False for sentences whose
    probabilities are not evidence (boilerplate); those rows get the chain's belief from
    their neighbours. ``temperature`` > 0 tempers the posteriors (p^(1/T), renormalised;
    the argmax is unchanged): the chain counts neighbours as independent evidence, though
    the model already read the previous sentence, so its posteriors are overconfident and
    T > 1 calibrates them. ``gaps``: (n - 1,) sentence distances between consecutive rows
    (1 = adjacent, the default) when the rows are a sample of an article's sentences.
    ``transitions``: a (K, K) matrix of one-step moves (positive, rows summing to 1;
    :func:`geostance.model.artifacts.check_transitions`) used instead of the sticky one
    ``stay`` makes; ``stay`` then only has to be valid.
    Returns an (n, K) float32 array whose rows sum to 1.
    """
    p = np.asarray(stance_p, dtype=np.float64)
    if p.ndim != 2:
        raise ValueError(f"stance_p must be (sentences, stances), got shape {p.shape}")
    n, k = p.shape
    if k < 2 or not 1.0 / k - 1e-9 <= stay < 1.0:
        raise ValueError(f"stay must be in [1/{k}, 1), got {stay!r}")
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature!r}")
    if n == 0 or (transitions is None and abs(stay - 1.0 / k) < 1e-9):
        return p.astype(np.float32)
    emis = np.clip(p, 1e-12, None)
    if evidence is not None:
        ev = np.asarray(evidence, dtype=bool)
        if ev.shape != (n,):
            raise ValueError(f"evidence must have shape ({n},), got {ev.shape}")
        emis[~ev] = 1.0
    # trans[i] leads from row i to row i + 1: one matrix for a whole article (article
    # mode), one per distinct gap for a sample of one.
    one = None if transitions is None else check_transitions(transitions, k)

    def moves(gap: int) -> np.ndarray:
        return transition(stay, k, gap) if one is None else np.linalg.matrix_power(one, gap)

    if gaps is None:
        trans = [moves(1)] * (n - 1)
    else:
        steps = np.asarray(gaps, dtype=np.int64)
        if steps.shape != (n - 1,) or (steps < 1).any():
            raise ValueError(f"gaps must be {n - 1} integers >= 1, got {gaps!r}")
        mats = {g: moves(g) for g in set(steps.tolist())}
        trans = [mats[g] for g in steps.tolist()]
    # Scaled forward and backward passes (each step normalised, so long articles do not
    # underflow); the posterior of a sentence is alpha * beta, renormalised.
    alpha = np.empty((n, k))
    a = emis[0] / k
    alpha[0] = a / a.sum()
    for i in range(1, n):
        a = (alpha[i - 1] @ trans[i - 1]) * emis[i]
        alpha[i] = a / a.sum()
    beta = np.ones(k)
    post = np.empty((n, k))
    post[-1] = alpha[-1]
    for i in range(n - 2, -1, -1):
        beta = trans[i] @ (emis[i + 1] * beta)
        beta /= beta.sum()
        b = alpha[i] * beta
        post[i] = b / b.sum()
    if temperature != 1.0:
        post = temper(post, temperature)
    return post.astype(np.float32)
