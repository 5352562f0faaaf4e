"""The geostance model: one encoder, two heads (kind, stance), one forward pass.

Saved with ``save_pretrained`` as a self-contained directory that
``GeoStanceModel.from_pretrained`` (and :class:`geostance.Predictor`) loads
without the base encoder: the encoder's config is stored inside ours.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from transformers import AutoConfig, AutoModel, PretrainedConfig, PreTrainedModel
from transformers.utils import ModelOutput

# Characters of context kept per part before tokenising: the sentence matters
# most, so the context is cut early rather than letting truncation eat the
# sentence (about 4 characters per token).
CONTEXT_CHARS = {"title": 200, "prev": 300}


class GeoStanceConfig(PretrainedConfig):
    """Label maps, pooling, context mode and the encoder's own config."""

    model_type = "geostance"

    def __init__(self, encoder: dict | None = None, kind_labels: Sequence[str] = (),
                 stance_labels: Sequence[str] = (), pooling: str = "mean",
                 context: str = "title_prev", max_seq_length: int = 128, dropout: float = 0.1,
                 text_prefix: str = "passage: ", kind_temperature: float = 1.0,
                 stance_temperature: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self.encoder = dict(encoder or {})
        self.kind_labels = list(kind_labels)
        self.stance_labels = list(stance_labels)
        self.pooling = pooling
        self.context = context
        self.max_seq_length = max_seq_length
        self.dropout = dropout
        self.text_prefix = text_prefix
        self.kind_temperature = kind_temperature
        self.stance_temperature = stance_temperature


@dataclass
class GeoStanceOutput(ModelOutput):
    """Loss (when labels are given) and raw logits of both heads."""

    loss: torch.Tensor | None = None
    kind_logits: torch.Tensor | None = None
    stance_logits: torch.Tensor | None = None


class GeoStanceModel(PreTrainedModel):
    """Encoder + pooled sentence vector + kind head + stance head."""

    config_class = GeoStanceConfig
    base_model_prefix = "geostance"
    _no_split_modules: list[str] = []

    def __init__(self, config: GeoStanceConfig, encoder: nn.Module | None = None):
        super().__init__(config)
        if encoder is None:
            enc_cfg = AutoConfig.for_model(**config.encoder)
            encoder = AutoModel.from_config(enc_cfg, add_pooling_layer=False) \
                if enc_cfg.model_type == "bert" else AutoModel.from_config(enc_cfg)
        self.encoder = encoder
        hidden = self.encoder.config.hidden_size
        self.dropout = nn.Dropout(config.dropout)
        self.kind_head = nn.Linear(hidden, len(config.kind_labels))
        self.stance_head = nn.Linear(hidden, len(config.stance_labels))
        # Class weights of the two losses; set by training, not saved.
        self.register_buffer("kind_weight", torch.ones(len(config.kind_labels)), persistent=False)
        self.register_buffer("stance_weight", torch.ones(len(config.stance_labels)),
                             persistent=False)
        self.stance_loss_weight = 1.0
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        if module in (getattr(self, "kind_head", None), getattr(self, "stance_head", None)):
            nn.init.normal_(module.weight, std=0.02)
            nn.init.zeros_(module.bias)

    @classmethod
    def from_base(cls, base_dir: str, kind_labels: Sequence[str], stance_labels: Sequence[str],
                  **kwargs) -> GeoStanceModel:
        """A new model on a pretrained encoder (a directory or hub id)."""
        encoder = AutoModel.from_pretrained(base_dir)
        if hasattr(encoder, "pooler"):
            encoder.pooler = None  # unused: we pool ourselves
        enc_dict = encoder.config.to_dict()
        config = GeoStanceConfig(encoder=enc_dict, kind_labels=kind_labels,
                                 stance_labels=stance_labels, **kwargs)
        return cls(config, encoder=encoder)

    def set_loss_weights(self, kind_weight: Sequence[float], stance_weight: Sequence[float],
                         stance_loss_weight: float = 1.0) -> None:
        """Class weights for the two cross-entropy losses."""
        self.kind_weight.copy_(torch.tensor(kind_weight, dtype=torch.float32))
        self.stance_weight.copy_(torch.tensor(stance_weight, dtype=torch.float32))
        self.stance_loss_weight = stance_loss_weight

    def freeze_embeddings(self) -> int:
        """Freeze the word-embedding matrix; returns the number of frozen parameters."""
        emb = self.encoder.get_input_embeddings()
        emb.weight.requires_grad_(False)
        return emb.weight.numel()

    def pool(self, hidden: torch.Tensor, pool_mask: torch.Tensor) -> torch.Tensor:
        """Sentence vector: masked mean of token states, or the first token."""
        if self.config.pooling == "cls":
            return hidden[:, 0]
        m = pool_mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                pool_mask: torch.Tensor | None = None, kind_labels: torch.Tensor | None = None,
                stance_labels: torch.Tensor | None = None,
                sample_weight: torch.Tensor | None = None, **_: object) -> GeoStanceOutput:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        pooled = self.dropout(self.pool(hidden, attention_mask if pool_mask is None else pool_mask))
        kind_logits = self.kind_head(pooled)
        stance_logits = self.stance_head(pooled)
        loss = None
        if kind_labels is not None:
            loss = _weighted_ce(kind_logits, kind_labels, self.kind_weight, sample_weight)
            if stance_labels is not None and bool((stance_labels != -100).any()):
                # Masked where the sentence has no stance (boilerplate): -100.
                loss = loss + self.stance_loss_weight * _weighted_ce(
                    stance_logits, stance_labels, self.stance_weight, sample_weight)
        return GeoStanceOutput(loss=loss, kind_logits=kind_logits, stance_logits=stance_logits)


def _weighted_ce(logits: torch.Tensor, labels: torch.Tensor, class_weight: torch.Tensor,
                 sample_weight: torch.Tensor | None) -> torch.Tensor:
    """Class-weighted cross-entropy, each example also scaled by ``sample_weight``.

    Normalised like torch's weighted mean (by the summed weights of the counted
    examples), so all-ones sample weights give exactly ``F.cross_entropy``.
    """
    if sample_weight is None:
        return nn.functional.cross_entropy(logits, labels, weight=class_weight,
                                           ignore_index=-100)
    keep = labels != -100
    safe = labels.clamp(min=0)
    per = nn.functional.cross_entropy(logits, safe, reduction="none")
    w = class_weight[safe] * sample_weight.to(logits.dtype) * keep
    return (per * w).sum() / w.sum().clamp(min=1e-12)


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``logits / temperature``."""
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def context_text(mode: str, title: str, prev: str) -> str | None:
    """The second segment for ``mode`` (none / prev / title_prev), or None."""
    if mode == "none":
        return None
    prev = (prev or "")[: CONTEXT_CHARS["prev"]]
    if mode == "prev":
        return prev
    title = (title or "")[: CONTEXT_CHARS["title"]]
    parts = [title] if title else []
    if prev and prev != title:
        parts.append(prev)
    return " | ".join(parts)


def encode(tokenizer, texts: Sequence[str], titles: Sequence[str], prevs: Sequence[str],
           config: GeoStanceConfig) -> dict[str, list[list[int]]]:
    """Tokenise sentences (with their context segment) into unpadded features.

    ``pool_mask`` marks the sentence's own tokens (up to its first ``</s>``),
    so mean pooling describes the sentence while attention still sees the
    context.
    """
    first = [config.text_prefix + t for t in texts]
    second = [context_text(config.context, ti, p) for ti, p in zip(titles, prevs, strict=True)]
    if config.context == "none":
        enc = tokenizer(first, truncation=True, max_length=config.max_seq_length)
    else:
        enc = tokenizer(first, second, truncation="longest_first", max_length=config.max_seq_length)
    eos = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
    pool = []
    for ids in enc["input_ids"]:
        end = ids.index(eos) + 1 if eos in ids else len(ids)
        pool.append([1] * end + [0] * (len(ids) - end))
    return {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"],
            "pool_mask": pool}


class Collator:
    """Pads a list of features to the longest in the batch (dynamic padding)."""

    def __init__(self, pad_token_id: int):
        self.pad = pad_token_id

    def __call__(self, features: list[dict]) -> dict[str, torch.Tensor]:
        n = max(len(f["input_ids"]) for f in features)
        batch: dict[str, torch.Tensor] = {}
        for key, fill in (("input_ids", self.pad), ("attention_mask", 0), ("pool_mask", 0)):
            batch[key] = torch.tensor([list(f[key]) + [fill] * (n - len(f[key]))
                                       for f in features], dtype=torch.long)
        for key in ("kind_labels", "stance_labels"):
            if key in features[0]:
                batch[key] = torch.tensor([f[key] for f in features], dtype=torch.long)
        if "sample_weight" in features[0]:
            batch["sample_weight"] = torch.tensor([f["sample_weight"] for f in features],
                                                  dtype=torch.float32)
        return batch


def length_sorted_batches(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Indices grouped into batches of similar length (longest first), to pad little."""
    order = np.argsort(-np.asarray(lengths), kind="stable")
    for i in range(0, len(order), batch_size):
        yield order[i : i + batch_size].tolist()


@torch.inference_mode()
def predict_logits(model: GeoStanceModel, features: dict[str, list[list[int]]],
                   batch_size: int = 64, progress=None) -> tuple[np.ndarray, np.ndarray]:
    """Kind and stance logits for tokenised features, in input order.

    Batches are length-sorted and dynamically padded; ``progress`` (a tqdm bar
    or None) is advanced by the number of sentences in each batch.
    """
    model.eval()
    n = len(features["input_ids"])
    kind = np.zeros((n, len(model.config.kind_labels)), dtype=np.float32)
    stance = np.zeros((n, len(model.config.stance_labels)), dtype=np.float32)
    collate = Collator(model.config.encoder.get("pad_token_id") or 0)
    for idx in length_sorted_batches([len(x) for x in features["input_ids"]], batch_size):
        batch = collate([{k: features[k][i] for k in ("input_ids", "attention_mask", "pool_mask")}
                         for i in idx])
        out = model(**batch)
        kind[idx] = out.kind_logits.float().numpy()
        stance[idx] = out.stance_logits.float().numpy()
        if progress is not None:
            progress.update(len(idx))
    return kind, stance
