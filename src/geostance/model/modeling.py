"""The geostance model: one encoder, two heads (kind, stance), one forward pass.

Saved with ``save_pretrained`` as a self-contained directory that
``GeoStanceModel.from_pretrained`` (and :class:`geostance.Predictor`) loads
without the base encoder: the encoder's config is stored inside ours. The saved
folder also carries this file and ``pipeline.py`` (see :func:`save_for_hub`), so
``AutoConfig``/``AutoModel``/``pipeline("geostance")`` load it with
``trust_remote_code=True`` where geostance is not installed; this module therefore
imports only torch and transformers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, PretrainedConfig, PreTrainedModel
from transformers.utils import ModelOutput


class GeoStanceConfig(PretrainedConfig):
    """Label maps, pooling, context mode and the encoder's own config."""

    model_type = "geostance"

    def __init__(self, encoder: dict | None = None, kind_labels: Sequence[str] = (),
                 stance_labels: Sequence[str] = (), pooling: str = "mean",
                 context: str = "title_prev", max_seq_length: int = 128, dropout: float = 0.1,
                 context_chars: int = 300,
                 speaker: bool = False,
                 text_prefix: str = "passage: ", kind_temperature: float = 1.0,
                 stance_temperature: float = 1.0, **kwargs):
        # The stance head is the primary one: Hugging Face's single id2label/label2id
        # describe it; both heads' maps are stored explicitly too.
        kwargs.pop("id2label", None)
        kwargs.pop("label2id", None)
        kwargs.pop("num_labels", None)
        super().__init__(id2label={i: s for i, s in enumerate(stance_labels)},
                         label2id={s: i for i, s in enumerate(stance_labels)}, **kwargs)
        self.encoder = dict(encoder or {})
        self.kind_labels = list(kind_labels)
        self.stance_labels = list(stance_labels)
        self.kind_id2label = {i: k for i, k in enumerate(self.kind_labels)}
        self.kind_label2id = {k: i for i, k in enumerate(self.kind_labels)}
        self.stance_id2label = {i: k for i, k in enumerate(self.stance_labels)}
        self.stance_label2id = {k: i for i, k in enumerate(self.stance_labels)}
        self.pooling = pooling
        self.context = context
        # Characters of the previous sentence in the context segment (context.py).
        self.context_chars = context_chars
        self.speaker = speaker
        self.max_seq_length = max_seq_length
        self.dropout = dropout
        self.text_prefix = text_prefix
        self.kind_temperature = kind_temperature
        self.stance_temperature = stance_temperature


def _source_file(name_or_path: str, filename: str):
    """``filename`` beside the model it was loaded from: a local folder, or a hub id's
    cached snapshot (no download); None when there is none."""
    from pathlib import Path

    if not name_or_path:
        return None
    if Path(name_or_path).is_dir():
        return Path(name_or_path) / filename
    try:
        from huggingface_hub import try_to_load_from_cache

        found = try_to_load_from_cache(name_or_path, filename)
    except Exception:  # noqa: BLE001 - not a hub id, no cache: nothing to copy
        return None
    return Path(found) if isinstance(found, str) else None


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
            # The encoder's saved dtype (float32 when it was trained) is left out, so it is
            # built in the dtype from_pretrained(dtype=...) asks for, like the heads.
            enc_cfg = AutoConfig.for_model(**{k: v for k, v in config.encoder.items()
                                              if k not in ("dtype", "torch_dtype")})
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
        # Share of the stance loss taken from soft targets (train.distill_weight); not saved.
        self.distill_weight = 0.0
        self.label_smoothing = 0.0  # set by training, not saved
        # Encoder layers whose output training feeds in precomputed (``frozen_states``);
        # set by training with train.cache_frozen, not saved.
        self.cached_layers = 0
        self.post_init()

    def save_pretrained(self, save_directory, *args, **kwargs):
        """``PreTrainedModel.save_pretrained``, plus the files that make the folder whole.

        transformers copies this module (``auto_map``) only for a model loaded through
        remote code (or in the process that trained it), and never ``pipeline.py`` and
        ``context.py`` (which ``config.custom_pipelines`` names), nor the fitted stance
        moves of article mode (``stance_transitions.json``); without them a saved copy
        would not load in ``pipeline("geostance")`` and would score articles with
        another chain. They are copied from the folder the model was loaded from, else
        (the pipeline modules) from beside this module. So is its tokenizer, where the
        folder has none yet (``tokenizer.save_pretrained`` writes its own): without it
        neither the pipeline nor ``geostance.Predictor`` can load the copy.
        """
        import shutil
        from pathlib import Path

        super().save_pretrained(save_directory, *args, **kwargs)
        out = Path(save_directory)
        for name in ("modeling.py", "pipeline.py", "context.py", "stance_transitions.json",
                     "tokenizer.json", "tokenizer_config.json"):
            if name.startswith("tokenizer") and (out / name).exists():
                continue
            src = _source_file(str(self.name_or_path or ""), name)
            if src is None and name.endswith(".py"):
                src = Path(__file__).with_name(name)  # geostance's own copy, when installed
            if src is not None and src.is_file() and (out / name).resolve() != src.resolve():
                shutil.copyfile(src, out / name)

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

    def _parts(self, n: int) -> tuple[nn.Module, nn.ModuleList]:
        emb = getattr(self.encoder, "embeddings", None)
        layers = getattr(getattr(self.encoder, "encoder", None), "layer", None)
        if emb is None or layers is None:
            raise ValueError("model.freeze_layers: the encoder has no embeddings/encoder.layer "
                             "modules (BERT-like encoders only)")
        if n > len(layers):
            raise ValueError(f"model.freeze_layers: {n} > {len(layers)} encoder layers")
        return emb, layers

    def freeze_layers(self, n: int) -> int:
        """Freeze all embeddings and the ``n`` lowest encoder layers; returns the number of
        frozen parameters. Gradients then stop at layer ``n``, which also shortens the
        backward pass."""
        frozen = 0
        emb, layers = self._parts(n)
        for module in [emb, *layers[:n]]:
            for p in module.parameters():
                if p.requires_grad:
                    p.requires_grad_(False)
                    frozen += p.numel()
        return frozen

    def _mask(self, hidden: torch.Tensor, attention_mask: torch.Tensor):
        # The same 4-D mask the encoder's own forward builds (eager or sdpa attention).
        from transformers.masking_utils import create_bidirectional_mask

        return create_bidirectional_mask(config=self.encoder.config, inputs_embeds=hidden,
                                         attention_mask=attention_mask)

    @torch.no_grad()
    def lower_states(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                     n: int) -> torch.Tensor:
        """Hidden states after the embeddings and the ``n`` lowest encoder layers, run
        without dropout and without gradients: what ``forward(frozen_states=...)``
        continues from when ``cached_layers == n``. Shape (batch, tokens, hidden)."""
        emb, layers = self._parts(n)
        was = [m.training for m in (emb, *layers[:n])]
        for m in (emb, *layers[:n]):
            m.eval()
        try:
            hidden = self._run_layers(layers[:n], emb(input_ids=input_ids), attention_mask)
        finally:
            for m, w in zip((emb, *layers[:n]), was, strict=True):
                m.train(w)
        return hidden

    def _run_layers(self, layers: Sequence[nn.Module], hidden: torch.Tensor,
                    attention_mask: torch.Tensor) -> torch.Tensor:
        """``hidden`` through ``layers`` in order (the cache pass and the layers above it)."""
        mask = self._mask(hidden, attention_mask)
        for layer in layers:
            hidden = layer(hidden, mask)
        return hidden

    def pool(self, hidden: torch.Tensor, pool_mask: torch.Tensor) -> torch.Tensor:
        """Sentence vector: masked mean of token states, or the first token."""
        if self.config.pooling == "cls":
            return hidden[:, 0]
        m = pool_mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                pool_mask: torch.Tensor | None = None, kind_labels: torch.Tensor | None = None,
                stance_labels: torch.Tensor | None = None,
                sample_weight: torch.Tensor | None = None,
                frozen_states: torch.Tensor | None = None,
                soft_stance: torch.Tensor | None = None, **_: object) -> GeoStanceOutput:
        if frozen_states is not None:
            # Training with train.cache_frozen: the lower layers' output was computed once
            # (lower_states); only the layers above run, here and in the backward pass.
            if not self.cached_layers:
                raise ValueError("frozen_states given but cached_layers is 0")
            _, layers = self._parts(self.cached_layers)
            hidden = self._run_layers(layers[self.cached_layers:], frozen_states,
                                      attention_mask)
        else:
            hidden = self.encoder(input_ids=input_ids,
                                  attention_mask=attention_mask).last_hidden_state
        pooled = self.dropout(self.pool(hidden, attention_mask if pool_mask is None else pool_mask))
        kind_logits = self.kind_head(pooled)
        stance_logits = self.stance_head(pooled)
        loss = None
        if kind_labels is not None:
            smooth = self.label_smoothing
            loss = weighted_cross_entropy(kind_logits, kind_labels, self.kind_weight,
                                          sample_weight, smooth)
            if stance_labels is not None and bool((stance_labels != -100).any()):
                # Masked where the sentence has no stance (boilerplate): -100.
                stance_loss = weighted_cross_entropy(
                    stance_logits, stance_labels, self.stance_weight, sample_weight, smooth)
                if soft_stance is not None and self.distill_weight:
                    a = self.distill_weight
                    stance_loss = (1.0 - a) * stance_loss + a * weighted_cross_entropy(
                        stance_logits, stance_labels, self.stance_weight, sample_weight,
                        targets=soft_stance)
                loss = loss + self.stance_loss_weight * stance_loss
        return GeoStanceOutput(loss=loss, kind_logits=kind_logits, stance_logits=stance_logits)


def weighted_cross_entropy(logits: torch.Tensor, labels: torch.Tensor, class_weight: torch.Tensor,
                 sample_weight: torch.Tensor | None, smoothing: float = 0.0,
                 targets: torch.Tensor | None = None) -> torch.Tensor:
    """Class-weighted cross-entropy, each example also scaled by ``sample_weight``.

    Normalised like torch's weighted mean (by the summed weights of the counted
    examples), so all-ones sample weights give exactly ``F.cross_entropy``. With
    ``targets`` (n x classes, rows summing to 1) the cross-entropy is taken against
    those distributions instead of the labels, each example still weighted by its
    label's class weight and masked where the label is -100.
    """
    if targets is not None:
        keep = labels != -100
        per = -(targets.to(torch.float32)
                 * nn.functional.log_softmax(logits.float(), dim=-1)).sum(-1)
        w = class_weight[labels.clamp(min=0)] * keep
        if sample_weight is not None:
            w = w * sample_weight.to(w.dtype)
        return (per * w).sum() / w.sum().clamp(min=1e-12)
    if sample_weight is None and not smoothing:
        return nn.functional.cross_entropy(logits, labels, weight=class_weight,
                                           ignore_index=-100)
    if sample_weight is None:
        sample_weight = torch.ones(len(labels), device=logits.device)
    keep = labels != -100
    safe = labels.clamp(min=0)
    per = nn.functional.cross_entropy(logits, safe, reduction="none",
                                      label_smoothing=smoothing)
    w = class_weight[safe] * sample_weight.to(logits.dtype) * keep
    return (per * w).sum() / w.sum().clamp(min=1e-12)


def save_for_hub(model: GeoStanceModel, tokenizer, model_dir) -> None:
    """Save model and tokenizer so that transformers' Auto classes and pipeline load them.

    Writes ``auto_map`` (AutoConfig, AutoModel), copies this module and the pipeline
    module into the folder, and registers the ``geostance`` pipeline task in
    ``custom_pipelines``.
    """
    import shutil
    from pathlib import Path

    GeoStanceConfig.register_for_auto_class()
    GeoStanceModel.register_for_auto_class("AutoModel")
    model.config.custom_pipelines = {"geostance": {
        "impl": "pipeline.GeoStancePipeline", "pt": ["AutoModel"], "tf": [], "type": "text"}}
    model.save_pretrained(model_dir)
    tokenizer.save_pretrained(model_dir)
    for name in ("pipeline.py", "context.py"):  # the pipeline imports .context
        shutil.copyfile(Path(__file__).with_name(name), Path(model_dir) / name)
