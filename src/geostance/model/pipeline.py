"""``pipeline("geostance", model=DIR, trust_remote_code=True)``: kind and stance per sentence.

This file is copied into every saved model folder (with ``modeling.py`` and
``context.py``), so that transformers can build the pipeline from the folder alone,
without geostance installed. It therefore imports only torch, transformers and
its sibling ``context.py``.

    from transformers import pipeline
    p = pipeline("geostance", model="runs/latest/model", trust_remote_code=True)
    p(["Moscow warns of countermeasures.", "Finland joined NATO in 2023."])
    # [{"kind": "claim", "kind_score": 0.97, "stance": "moscow_warning", ...}, ...]

Each input is a sentence (string) or a dict with ``text`` and optional ``title``,
``context_prev`` (used when the model was trained with a context segment) and
``speaker`` (used when it was trained with the speaker, as the default is; without it
the model sees no speaker, where ``geostance.Predictor`` would find one with its
sources rules, so pass it for the same numbers). A missing or empty ``text`` (nothing
visible: blank, or only direction marks and zero-width characters) or a field that is not
a string raises ``ValueError`` / ``TypeError``. The
probabilities are calibrated with the temperatures fitted on dev and stored in
``config.json``; a boilerplate sentence gets ``stance`` "" (its stance probabilities
stay visible). The full tool (article splitting, sources, long-sentence windows) is
``geostance.Predictor``.
"""

from __future__ import annotations

from typing import Any

import torch
from transformers import Pipeline

from .context import context_text, has_visible_text

_KEYS = ("text", "title", "context_prev", "speaker")


def _item(inputs: Any) -> dict[str, Any]:
    """One input as a dict, checked: a string, or a dict whose ``text`` is a non-empty
    string and whose ``title``, ``context_prev`` and ``speaker`` are strings when given."""
    if isinstance(inputs, str):
        inputs = {"text": inputs}
    if not isinstance(inputs, dict):
        raise TypeError("a geostance pipeline input is a string or a dict with 'text', "
                        f"not {type(inputs).__name__}")
    text = inputs.get("text")
    if text is None:
        raise ValueError(f"an input has no 'text' (its keys: {', '.join(map(str, inputs))}; "
                         f"read: {', '.join(_KEYS)})")
    for key in _KEYS:
        if inputs.get(key) is not None and not isinstance(inputs[key], str):
            raise TypeError(f"an input's {key!r} must be a string, not "
                            f"{type(inputs[key]).__name__}")
    # Only whitespace, direction marks or zero-width characters is empty, as for
    # geostance.Predictor and predict.py (str.strip() keeps "\u200b").
    if not has_visible_text(text):
        raise ValueError("an input's 'text' is empty")
    return dict(inputs)


class GeoStancePipeline(Pipeline):
    """Kind and stance of each sentence, with calibrated probabilities."""

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any):
        # No inputs, no outputs, as geostance.Predictor answers (transformers' own
        # __call__ looks at inputs[0] and raises IndexError); options are still checked.
        if isinstance(inputs, list) and not inputs:
            self._sanitize_parameters(**{k: v for k, v in kwargs.items()
                                         if k not in ("batch_size", "num_workers")})
            return []
        if isinstance(inputs, list):
            # Every item checked before any is scored, and a refusal names the item.
            for i, one in enumerate(inputs):
                try:
                    _item(one)
                except (TypeError, ValueError) as e:
                    raise type(e)(f"item {i}: {e}") from None
        return super().__call__(inputs, *args, **kwargs)

    def _sanitize_parameters(self, **kwargs: Any):
        # No options of its own: a misspelt or foreign one (top_k=...) is an error, not a
        # silent no-op.
        if kwargs:
            raise TypeError(f"the geostance pipeline takes no option {', '.join(kwargs)}")
        return {}, {}, {}

    def preprocess(self, inputs: Any) -> dict[str, torch.Tensor]:
        item = _item(inputs)
        cfg = self.model.config
        first = cfg.text_prefix + str(item.get("text") or "")
        # A model trained with the speaker reads the item's "speaker" ("" for none).
        speaker = str(item.get("speaker") or "") if getattr(cfg, "speaker", False) else None
        second = context_text(cfg.context, item.get("title") or "",
                              item.get("context_prev") or "", speaker,
                              getattr(cfg, "context_chars", None))
        if second is None:
            enc = self.tokenizer(first, truncation=True, max_length=cfg.max_seq_length,
                                 return_tensors="pt")
        else:
            # A batch of one, as geostance.model.encoding.encode tokenises: for a single pair
            # transformers drops an empty second segment ("a", "" -> <s> a </s>), while a
            # batch keeps it (<s> a </s></s></s>), which is what the model was trained on.
            # Context first, as encode() does: a sentence that fits keeps all its tokens.
            own = len(self.tokenizer(first, add_special_tokens=False)["input_ids"])
            room = cfg.max_seq_length - self.tokenizer.num_special_tokens_to_add(pair=True)
            enc = self.tokenizer([first], [second], max_length=cfg.max_seq_length,
                                 truncation="only_second" if own < room else "longest_first",
                                 return_tensors="pt")
        ids = enc["input_ids"][0].tolist()
        eos = self.tokenizer.sep_token_id if self.tokenizer.sep_token_id is not None \
            else self.tokenizer.eos_token_id
        end = ids.index(eos) + 1 if eos in ids else len(ids)
        pool = torch.zeros_like(enc["input_ids"])
        pool[0, :end] = 1
        return {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"],
                "pool_mask": pool}

    def _forward(self, model_inputs: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        out = self.model(**model_inputs)
        return {"kind_logits": out.kind_logits, "stance_logits": out.stance_logits}

    def postprocess(self, model_outputs: dict[str, torch.Tensor]) -> dict[str, Any]:
        cfg = self.model.config
        kind_p = torch.softmax(model_outputs["kind_logits"][0].float() / cfg.kind_temperature, -1)
        stance_p = torch.softmax(model_outputs["stance_logits"][0].float()
                                 / cfg.stance_temperature, -1)
        k, s = int(kind_p.argmax()), int(stance_p.argmax())
        kind = cfg.kind_labels[k]
        return {
            "kind": kind, "kind_score": float(kind_p[k]),
            "stance": "" if kind == "boilerplate" else cfg.stance_labels[s],
            "stance_score": float(stance_p[s]),
            "kind_probs": {lab: float(p) for lab, p in zip(cfg.kind_labels, kind_p.tolist(),
                                                           strict=True)},
            "stance_probs": {lab: float(p) for lab, p in zip(cfg.stance_labels,
                                                             stance_p.tolist(), strict=True)},
        }
