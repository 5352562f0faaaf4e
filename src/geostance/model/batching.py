"""Batches by token budget: sentences sorted by length, padded little, bounded in size.

A forward pass costs about (sentences x padded length) token positions. Sorting by
length and cutting a batch when ``sentences x longest`` would pass ``max_tokens``
keeps every batch near the same cost: many short sentences, few long ones. Used by
prediction. Training keeps batches of a fixed number of sentences (so every step
averages the same number of examples) and gets the padding saving from the
Trainer's ``group_by_length`` sampling instead.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["token_budget_batches"]


def token_budget_batches(lengths: Sequence[int], max_tokens: int,
                         max_batch: int) -> list[list[int]]:
    """Indices grouped into batches, longest first, each within the token budget.

    A batch holds at most ``max_batch`` sentences and at most ``max_tokens`` padded
    token positions; a sentence longer than the budget gets a batch of its own.
    The order is deterministic (a stable sort on length).
    """
    order = np.argsort(-np.asarray(lengths, dtype=np.int64), kind="stable").tolist()
    batches: list[list[int]] = []
    cur: list[int] = []
    longest = 0
    for i in order:
        n = int(lengths[i])
        width = max(longest, n)
        if cur and (len(cur) + 1 > max_batch or (len(cur) + 1) * width > max_tokens):
            batches.append(cur)
            cur, longest = [], 0
            width = n
        cur.append(i)
        longest = width
    if cur:
        batches.append(cur)
    return batches
