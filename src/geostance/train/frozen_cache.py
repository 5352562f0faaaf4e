"""Frozen layers computed once (``train.cache_frozen``).

With ``model.freeze_layers = n`` the embeddings and the ``n`` lowest encoder layers
never change, yet every training step (and every evaluation during training) runs
them again. :func:`build_frozen_cache` runs them once over the training and dev
sentences, without dropout, in length-sorted token-budget batches, and keeps each
sentence's hidden states unpadded; :class:`CachedCollator` pads the states of a batch
beside its token ids, and the model's forward (``frozen_states=``) runs only the
layers above. The sampler, batches and labels stay those of the plain run; what
changes is that the frozen layers no longer apply dropout during training (they
already did not at evaluation and prediction), so this is a different recipe, not a
faster copy of the same one.

Memory: 4 bytes x hidden size x tokens, 1.5 KiB per token for the default
encoder (384 hidden; 1.1 GiB for the default's training and dev data), held for the
whole run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from tqdm.auto import tqdm

from ..model.batching import token_budget_batches
from ..model.encoding import Collator, pad_batch
from ..model.modeling import GeoStanceModel

__all__ = ["CACHE_INDEX", "CachedCollator", "build_frozen_cache"]

# Column that points each dataset row at its cached states.
CACHE_INDEX = "cache_index"
# Padded token positions per batch while caching: no gradients are kept, so a batch can
# be larger than a training batch (32 x 128 = 4,096 positions).
CACHE_TOKENS = 8192


def build_frozen_cache(model: GeoStanceModel, datasets: Sequence[Any], n_layers: int,
                       pad_id: int, max_tokens: int = CACHE_TOKENS
                       ) -> tuple[list[Any], list[torch.Tensor]]:
    """Each dataset with a ``cache_index`` column, and the states those indices point at.

    ``datasets`` are tokenised ``datasets.Dataset`` objects (``input_ids``,
    ``attention_mask``, ``pool_mask``); their rows are numbered one after the other,
    so one list of states serves them all. Sets ``model.cached_layers``.
    """
    feats: dict[str, list[list[int]]] = {"input_ids": [], "attention_mask": [], "pool_mask": []}
    for ds in datasets:
        for key in feats:
            feats[key].extend(ds[key])
    lengths = [len(x) for x in feats["input_ids"]]
    states: list[torch.Tensor] = [torch.empty(0)] * len(lengths)
    device = next(model.parameters()).device
    with tqdm(total=len(lengths), desc=f"caching {n_layers} frozen layers",
              unit="sentence") as bar:
        for idx in token_budget_batches(lengths, max_tokens, max_batch=512):
            batch = pad_batch(feats, idx, pad_id)
            hidden = model.lower_states(torch.from_numpy(batch["input_ids"]).to(device),
                                        torch.from_numpy(batch["attention_mask"]).to(device),
                                        n_layers)
            for r, i in enumerate(idx):
                # clone: a slice would keep the whole padded batch alive
                states[i] = hidden[r, :lengths[i]].clone()
            bar.update(len(idx))
    model.cached_layers = n_layers
    out, start = [], 0
    for ds in datasets:
        out.append(ds.add_column(CACHE_INDEX, list(range(start, start + len(ds)))))
        start += len(ds)
    return out, states


class CachedCollator(Collator):
    """:class:`~geostance.model.encoding.Collator` plus each row's cached states,
    zero-padded to the batch's longest row (padded positions are masked in attention
    and pooling, so their values never reach a real token)."""

    def __init__(self, pad_token_id: int, states: Sequence[torch.Tensor]):
        super().__init__(pad_token_id)
        self.states = states

    def __call__(self, features: list[dict]) -> dict[str, Any]:
        batch = super().__call__(features)
        width = batch["input_ids"].shape[1]
        rows = [self.states[f[CACHE_INDEX]] for f in features]
        out = rows[0].new_zeros((len(rows), width, rows[0].shape[-1]))
        for r, s in enumerate(rows):
            out[r, :len(s)] = s
        batch["frozen_states"] = out
        return batch
