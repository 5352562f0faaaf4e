"""From sentences to model inputs and back to logits: context, windows, padding, batches.

* :func:`encode` tokenises sentences with their context segment (training, and
  prediction of sentences that fit);
* :func:`encode_windows` also cuts a sentence longer than ``max_seq_length`` into
  overlapping windows, so no text is silently dropped; the caller averages the
  windows' logits per sentence;
* :class:`Collator` pads a list of features to the longest;
* :func:`predict_logits` runs a model (or any backend) over features in
  token-budget batches and returns logits in input order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .batching import token_budget_batches
from .context import CONTEXT_CHARS, context_text

__all__ = ["CONTEXT_CHARS", "WINDOW_OVERLAP", "context_text", "encode", "encode_windows",
           "uses_speaker",
           "Collator", "pad_batch", "predict_logits", "torch_runner"]

# Share of a window repeated in the next one, so no sentence part is seen only at a
# window's edge.
WINDOW_OVERLAP = 0.25
FEATURES = ("input_ids", "attention_mask", "pool_mask")


def _eos(tokenizer) -> int:
    return tokenizer.sep_token_id if tokenizer.sep_token_id is not None \
        else tokenizer.eos_token_id


def _pool_masks(ids_list: list[list[int]], eos: int) -> list[list[int]]:
    # The sentence's own tokens run up to its first </s>: mean pooling describes the
    # sentence while attention still sees the context.
    out = []
    for ids in ids_list:
        end = ids.index(eos) + 1 if eos in ids else len(ids)
        out.append([1] * end + [0] * (len(ids) - end))
    return out


def uses_speaker(config: Any) -> bool:
    """Whether a model (config or ModelSpec) was trained with the speaker in its input."""
    return bool(getattr(config, "speaker", False))


def encode(tokenizer, texts: Sequence[str], titles: Sequence[str], prevs: Sequence[str],
           config: Any, speakers: Sequence[str] | None = None,
           own: Sequence[list[int]] | None = None,
           pieces: Sequence[Any] | None = None) -> dict[str, list[list[int]]]:
    """Tokenise sentences (with their context segment) into unpadded features.

    ``speakers`` (one per sentence, "" for none) are used by a model trained with
    the speaker (``config.speaker``) and ignored otherwise. Inputs longer than
    ``config.max_seq_length`` are truncated (context first); use
    :func:`encode_windows` where that must not happen. ``own``: each sentence's
    tokens (prefix included, no special tokens) when the caller has them already;
    ``pieces``: the same as a :class:`~geostance.model.artifacts.FastTokenizer`'s
    ``pieces()``, so that only the context segments are tokenised (same ids).
    """
    first = [config.text_prefix + t for t in texts]
    n = config.max_seq_length
    who: Sequence[str | None] = (list(speakers) if speakers is not None else [""] * len(texts)) \
        if uses_speaker(config) else [None] * len(texts)
    if config.context == "none" and not uses_speaker(config):
        enc = tokenizer(first, truncation=True, max_length=n)
        ids, mask = enc["input_ids"], enc["attention_mask"]
    else:
        keep = getattr(config, "context_chars", None)
        second = [context_text(config.context, ti, p, w, keep)
                  for ti, p, w in zip(titles, prevs, who, strict=True)]
        # Context first: a sentence that fits with at least one context token keeps all its
        # tokens and only the context is cut ("only_second"); a longer one is cut with its
        # context ("longest_first"; prediction scores those by windows instead).
        room = n - tokenizer.num_special_tokens_to_add(pair=True)
        if own is None:
            own = tokenizer(first, add_special_tokens=False)["input_ids"]
        ids, mask = [[]] * len(first), [[]] * len(first)
        for strategy, rows in (("only_second", [i for i, o in enumerate(own) if len(o) < room]),
                               ("longest_first", [i for i, o in enumerate(own)
                                                  if len(o) >= room])):
            if not rows:
                continue
            if pieces is not None:
                enc = tokenizer.encode_pairs([pieces[i] for i in rows],
                                             [second[i] for i in rows], truncation=strategy,
                                             max_length=n)
            else:
                enc = tokenizer([first[i] for i in rows], [second[i] for i in rows],
                                truncation=strategy, max_length=n)
            for r, i in enumerate(rows):
                ids[i], mask[i] = enc["input_ids"][r], enc["attention_mask"][r]
    return {"input_ids": ids, "attention_mask": mask,
            "pool_mask": _pool_masks(ids, _eos(tokenizer))}


def encode_windows(tokenizer, texts: Sequence[str], titles: Sequence[str],
                   prevs: Sequence[str], config: Any, speakers: Sequence[str] | None = None
                   ) -> tuple[dict[str, list[list[int]]], list[int]]:
    """Features for every sentence, long ones as several windows; and each row's owner.

    A sentence whose own tokens (prefix included) fit in ``max_seq_length`` is encoded
    as by :func:`encode`. A longer one is cut into windows of its tokens, each
    ``max_seq_length - 2`` long and overlapping by :data:`WINDOW_OVERLAP`, encoded
    without context. ``owner[i]`` is the sentence index of feature row ``i``.
    """
    first = [config.text_prefix + t for t in texts]
    # A FastTokenizer keeps each sentence's Encoding, so the pairs below tokenise only the
    # context (the sentences were tokenised twice: 0.13 s of the benchmark's 1,500).
    pieces = tokenizer.pieces(first) if hasattr(tokenizer, "pieces") else None
    own = [p.ids for p in pieces] if pieces is not None else \
        tokenizer(first, add_special_tokens=False)["input_ids"]
    limit = config.max_seq_length - 2  # <s> and </s>
    fits = [i for i, ids in enumerate(own) if len(ids) <= limit]
    feats: dict[str, list[list[int]]] = {k: [] for k in FEATURES}
    owner: list[int] = []
    if fits:
        short = encode(tokenizer, [texts[i] for i in fits], [titles[i] for i in fits],
                       [prevs[i] for i in fits], config,
                       [speakers[i] for i in fits] if speakers is not None else None,
                       [own[i] for i in fits],
                       [pieces[i] for i in fits] if pieces is not None else None)
        for k in FEATURES:
            feats[k].extend(short[k])
        owner.extend(fits)
    bos = tokenizer.cls_token_id if tokenizer.cls_token_id is not None \
        else tokenizer.bos_token_id
    eos = _eos(tokenizer)
    step = max(1, int(limit * (1 - WINDOW_OVERLAP)))
    for i, ids in enumerate(own):
        if len(ids) <= limit:
            continue
        starts = list(range(0, len(ids) - limit, step)) + [len(ids) - limit]
        for s in starts:
            row = [bos, *ids[s:s + limit], eos]
            feats["input_ids"].append(row)
            feats["attention_mask"].append([1] * len(row))
            feats["pool_mask"].append([1] * len(row))
            owner.append(i)
    return feats, owner


def pad_batch(features: dict[str, list[list[int]]], idx: Sequence[int],
              pad_id: int) -> dict[str, np.ndarray]:
    """Rows ``idx`` of unpadded features, padded to the longest, as int64 arrays."""
    n = max(len(features["input_ids"][i]) for i in idx)
    out = {}
    for key, fill in (("input_ids", pad_id), ("attention_mask", 0), ("pool_mask", 0)):
        arr = np.full((len(idx), n), fill, dtype=np.int64)
        for r, i in enumerate(idx):
            row = features[key][i]
            arr[r, :len(row)] = row
        out[key] = arr
    return out


class Collator:
    """Pads a list of features to the longest in the batch (dynamic padding)."""

    def __init__(self, pad_token_id: int):
        self.pad = pad_token_id

    def __call__(self, features: list[dict]) -> dict[str, Any]:
        import torch

        feats = {k: [f[k] for f in features] for k in FEATURES}
        batch = {k: torch.from_numpy(v) for k, v in
                 pad_batch(feats, range(len(features)), self.pad).items()}
        for key in ("kind_labels", "stance_labels"):
            if key in features[0]:
                batch[key] = torch.tensor([f[key] for f in features], dtype=torch.long)
        for key in ("sample_weight", "soft_stance"):
            if key in features[0]:
                batch[key] = torch.tensor([f[key] for f in features], dtype=torch.float32)
        return batch


Backend = Callable[[dict[str, np.ndarray]], tuple[np.ndarray, np.ndarray]]


def predict_logits(run: Backend, features: dict[str, list[list[int]]], n_kind: int,
                   n_stance: int, pad_id: int, max_tokens: int = 2048, max_batch: int = 256,
                   progress: Any = None, workers: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Kind and stance logits for tokenised features, in input order.

    ``run`` maps a padded batch to the two logits arrays (a torch model or an ONNX
    Runtime session behind the same call). Batches are formed by
    :func:`~geostance.model.batching.token_budget_batches`; ``progress`` (a tqdm bar
    or None) advances by the rows of each batch. ``workers`` > 1 runs that many
    batches at once on threads (``run`` must then be safe to call concurrently, as an
    ONNX Runtime session is); an input smaller than one budget per worker is cut into
    one batch per worker, so a single short article uses every worker too.
    """
    n = len(features["input_ids"])
    kind = np.zeros((n, n_kind), dtype=np.float32)
    stance = np.zeros((n, n_stance), dtype=np.float32)
    lengths = [len(x) for x in features["input_ids"]]
    if workers > 1 and lengths:
        max_tokens = max(1, min(max_tokens, -(-sum(lengths) // workers)))
    batches = token_budget_batches(lengths, max_tokens, max_batch)

    def score(idx: list[int]) -> tuple[list[int], tuple[np.ndarray, np.ndarray]]:
        return idx, run(pad_batch(features, idx, pad_id))

    for idx, (k, s) in _map_bounded(score, batches, workers):
        kind[idx] = k
        stance[idx] = s
        if progress is not None:
            progress.update(len(idx))
    return kind, stance


def _map_bounded(fn: Callable[[Any], Any], items: Sequence[Any], workers: int):
    """``fn`` over ``items`` on ``workers`` threads, results in order; at most two
    batches per worker are in flight, so padded batches never pile up in memory."""
    if workers <= 1:
        yield from map(fn, items)
        return
    import collections
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(workers, thread_name_prefix="geostance-score")
    pending: collections.deque = collections.deque()
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # An error or an interrupt: drop the batches not started, wait for the running.
        pool.shutdown(wait=True, cancel_futures=True)


def torch_runner(model, device: Any = "cpu", autocast: Any = None) -> Backend:
    """A :data:`Backend` for a torch GeoStanceModel (inference mode, on ``device``).

    ``autocast``: a torch dtype (``torch.bfloat16``) to run the matrix products in
    under ``torch.autocast``; layer norms and softmax stay float32.
    """
    import contextlib

    import torch

    model.eval()
    device_type = torch.device(device).type

    @torch.inference_mode()
    def run(batch: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        t = {k: torch.from_numpy(v).to(device) for k, v in batch.items()}
        with (torch.autocast(device_type, dtype=autocast) if autocast is not None
              else contextlib.nullcontext()):
            out = model(**t)
        return out.kind_logits.float().cpu().numpy(), out.stance_logits.float().cpu().numpy()

    return run
