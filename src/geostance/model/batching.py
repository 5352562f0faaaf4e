"""Batches by token budget: sentences sorted by length, padded little, bounded in size.

A forward pass costs about (sentences x padded length) token positions. Sorting by
length and cutting a batch when ``sentences x longest`` would pass ``max_tokens``
keeps every batch near the same cost: many short sentences, few long ones. Used by
prediction and, through :class:`TokenBudgetSampler`, by training.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

__all__ = ["token_budget_batches", "TokenBudgetSampler"]


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


class TokenBudgetSampler:
    """A batch sampler for training: token-budget batches in a seeded random order.

    The batches are formed once from length-sorted examples (so each is padded
    little) and their order is shuffled every epoch with ``seed + epoch``; it
    plays the role of ``group_by_length`` with batches of equal cost instead of
    equal size.
    """

    def __init__(self, lengths: Sequence[int], max_tokens: int, max_batch: int, seed: int):
        self.batches = token_budget_batches(lengths, max_tokens, max_batch)
        self.seed = seed
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        """Called by the training loop before each epoch."""
        self.epoch = epoch

    def __iter__(self) -> Iterator[list[int]]:
        rng = np.random.default_rng(self.seed + self.epoch)
        for k in rng.permutation(len(self.batches)):
            yield self.batches[int(k)]

    def __len__(self) -> int:
        return len(self.batches)
