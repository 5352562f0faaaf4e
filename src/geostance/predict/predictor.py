"""The :class:`Predictor`: the Python API behind ``predict.py``.

    from geostance import Predictor
    p = Predictor.load("runs/latest/model")
    p.predict_articles(["Title\\nFirst sentence. Second sentence."])
    p.predict_sentences([{"text": "...", "title": "...", "context_prev": "..."}])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .. import __version__
from ..fileio import sha256_file
from ..model.modeling import GeoStanceModel, encode, predict_logits, softmax
from .summary import summarize

__all__ = ["Predictor"]


def _weights_sha256(model_dir: Path | None) -> str:
    if model_dir is None:
        return ""
    f = Path(model_dir) / "model.safetensors"
    if not f.is_file():
        return ""
    return sha256_file(f)


def _as_record(item: str | dict[str, Any]) -> dict[str, Any]:
    return {"text": item} if isinstance(item, str) else dict(item)


class Predictor:
    """A trained model with its tokenizer, calibrated temperatures and metadata."""

    def __init__(self, model: GeoStanceModel, tokenizer, model_dir: Path | None = None,
                 batch_size: int = 64, quantized: str | None = None):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.model_dir = Path(model_dir) if model_dir else None
        self.quantized = quantized
        self.kinds: list[str] = list(model.config.kind_labels)
        self.stances: list[str] = list(model.config.stance_labels)
        self.model_info = {
            "name": self.model_dir.parent.name if self.model_dir and
            self.model_dir.name == "model" else (self.model_dir.name if self.model_dir else ""),
            "path": str(self.model_dir.resolve()) if self.model_dir else "",
            "weights_sha256": _weights_sha256(self.model_dir),
            "geostance_version": __version__,
            "quantized": quantized,
        }

    @classmethod
    def load(cls, path: str | Path, quantize: str | None = None,
             batch_size: int = 64) -> Predictor:
        """Load a model directory written by training (``runs/latest`` works too).

        ``quantize="int8"`` swaps the Linear layers for dynamically quantised
        int8 ones (faster on CPU; see README "Speed").
        """
        # The saved tokenizer is a plain fast tokenizer; AutoTokenizer would look
        # up config.json's model type (geostance), unknown to transformers, and warn.
        from transformers import PreTrainedTokenizerFast

        path = Path(path)
        if (path / "model").is_dir() and not (path / "config.json").is_file():
            path = path / "model"
        if not (path / "config.json").is_file():
            raise FileNotFoundError(f"{path}: not a geostance model directory (no config.json)")
        model = GeoStanceModel.from_pretrained(path).eval()
        tokenizer = PreTrainedTokenizerFast.from_pretrained(path)
        if quantize == "int8":
            # Per-output-channel weight scales: per-tensor int8 cost 2.6 points
            # of test stance macro-F1, per-channel costs < 0.1 (README "Speed").
            qconfig = {torch.nn.Linear: torch.ao.quantization.per_channel_dynamic_qconfig}
            model = torch.ao.quantization.quantize_dynamic(model, qconfig, dtype=torch.qint8)
        elif quantize not in (None, "", "none"):
            raise ValueError(f"quantize: {quantize!r} not in int8, none")
        return cls(model, tokenizer, model_dir=path, batch_size=batch_size,
                   quantized=quantize or None)

    # ------------------------------------------------------------------ core

    def score(self, texts: Sequence[str], titles: Sequence[str], prevs: Sequence[str],
              progress=None) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated kind and stance probabilities for sentences with their context."""
        if not texts:
            return (np.zeros((0, len(self.kinds)), np.float32),
                    np.zeros((0, len(self.stances)), np.float32))
        feats = encode(self.tokenizer, texts, titles, prevs, self.model.config)
        k, s = predict_logits(self.model, feats, self.batch_size, progress)
        return (softmax(k, self.model.config.kind_temperature),
                softmax(s, self.model.config.stance_temperature))

    def _sentence_records(self, texts, kind_p, stance_p) -> list[dict[str, Any]]:
        out = []
        for i, text in enumerate(texts):
            kind = self.kinds[int(kind_p[i].argmax())]
            stance = self.stances[int(stance_p[i].argmax())]
            out.append({
                "text": text,
                "kind": kind,
                "kind_probs": {k: round(float(p), 6) for k, p in zip(self.kinds, kind_p[i],
                                                                    strict=True)},
                # Boilerplate carries no stance (LABELS.md); its probabilities stay visible.
                "stance": "" if kind == "boilerplate" else stance,
                "stance_probs": {k: round(float(p), 6) for k, p in zip(self.stances, stance_p[i],
                                                                      strict=True)},
            })
        return out

    def predict_sentences(self, items: Iterable[str | dict[str, Any]],
                          progress=None) -> list[dict[str, Any]]:
        """Score each item as one sentence, without splitting.

        Items are strings or dicts with ``text`` and optional ``title`` and
        ``context_prev`` (the context a model trained with context uses) plus
        any other keys, which are kept in the output.
        """
        recs = [_as_record(x) for x in items]
        texts = [str(r.get("text") or "") for r in recs]
        kind_p, stance_p = self.score(texts, [str(r.get("title") or "") for r in recs],
                                      [str(r.get("context_prev") or "") for r in recs], progress)
        return [{**r, **s} for r, s in zip(recs, self._sentence_records(texts, kind_p, stance_p),
                                           strict=True)]

    def predict_articles(self, items: Iterable[str | dict[str, Any]],
                         progress=None) -> list[dict[str, Any]]:
        """Split each article into sentences and label them, with a summary per article.

        Items are strings (first non-empty line = title) or dicts with ``text``
        and optional ``title``, ``lang``, ``id``. Sentences of all articles are
        scored together in length-sorted batches.
        """
        from ..text.language import detect_language
        from ..text.segment import split_sentences
        from ..text.sources import assign_sources

        arts = []
        for item in items:
            rec = _as_record(item)
            text = str(rec.get("text") or "")
            lang = rec.get("lang") or detect_language(text)
            spans = split_sentences(text, lang)
            title = rec.get("title") or next((ln.strip() for ln in text.splitlines()
                                              if ln.strip()), "")
            arts.append((rec, text, lang, title, spans))
        texts, titles, prevs = [], [], []
        for _, _, _, title, spans in arts:
            for j, sp in enumerate(spans):
                texts.append(sp.text)
                titles.append(title)
                prevs.append(spans[j - 1].text if j else "")
        kind_p, stance_p = self.score(texts, titles, prevs, progress)
        scored = self._sentence_records(texts, kind_p, stance_p)
        results, pos = [], 0
        for rec, _text, lang, title, spans in arts:
            sents = scored[pos : pos + len(spans)]
            confs = stance_p[pos : pos + len(spans)].max(axis=1) if spans else np.zeros(0)
            pos += len(spans)
            sources = assign_sources([sp.text for sp in spans], lang)
            for j, (sp, s) in enumerate(zip(spans, sents, strict=True)):
                s.update({"index": j, "start": sp.start, "end": sp.end, "source": sources[j]})
                s["stance_confidence"] = round(float(confs[j]), 6)
            results.append({
                **{k: v for k, v in rec.items() if k != "text"},
                "lang": lang, "title": title, "model": self.model_info,
                "summary": summarize(sents, self.stances), "sentences": sents, "error": None,
            })
        return results
