"""A saved model folder read without torch or transformers: its settings and its tokenizer.

Prediction with ONNX Runtime needs neither torch nor transformers once the export
is cached, and importing them costs seconds per process (transformers' modelling
code alone about 3 s here), which a user pays for every ``predict.py`` call. This
module reads what scoring needs with ``json`` and the ``tokenizers`` library:

* :class:`ModelSpec` - labels, calibrated temperatures, context mode, text prefix
  and input length, from ``config.json``;
* :class:`FastTokenizer` - the part of a transformers fast tokenizer that
  :mod:`~geostance.model.encoding` calls, on ``tokenizer.json`` directly (the same
  pre-tokeniser, model, post-processor and truncation, so the same ids);
* :func:`softmax` - calibrated probabilities from logits, in numpy;
* :func:`read_stance_transitions` / :func:`write_stance_transitions` - article mode's
  matrix of stance moves, fitted by the trainer (``stance_transitions.json``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..fileio import write_json_atomic
from .context import CONTEXT_MODES

__all__ = ["ModelSpec", "FastTokenizer", "TRANSITIONS_FILE", "check_transitions", "load_tokenizer",
           "read_special_tokens", "read_stance_transitions", "softmax",
           "write_stance_transitions"]

# Article mode's fitted stance moves, next to the weights (absent in older model folders).
TRANSITIONS_FILE = "stance_transitions.json"

# Special tokens when tokenizer_config.json does not name them (XLM-R / e5 defaults).
DEFAULT_SPECIAL = {"bos_token": "<s>", "cls_token": "<s>", "eos_token": "</s>",
                   "sep_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>"}


@dataclass(frozen=True)
class ModelSpec:
    """What scoring needs from a saved ``config.json`` (the fields of GeoStanceConfig)."""

    kind_labels: tuple[str, ...]
    stance_labels: tuple[str, ...]
    kind_temperature: float
    stance_temperature: float
    context: str
    text_prefix: str
    max_seq_length: int
    speaker: bool = False
    context_chars: int = 300

    @classmethod
    def from_dir(cls, model_dir: Path) -> ModelSpec:
        """Read ``model_dir/config.json``; ValueError naming the file and field if bad."""
        path = model_dir / "config.json"
        try:
            cfg = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ValueError(f"{path}: not readable JSON ({e})") from None
        if not isinstance(cfg, dict):
            raise ValueError(f"{path}: expected a JSON object")
        # A hand-edited file must not be read as something else: a string of labels
        # letter by letter, "false" as a true flag, an unknown context as title_prev.
        for field_ in ("kind_labels", "stance_labels"):
            labels = cfg.get(field_)
            if field_ in cfg and not (
                    isinstance(labels, list) and all(isinstance(x, str) and x for x in labels)
                    and len(set(labels)) == len(labels)):
                raise ValueError(f"{path}: {field_}: must be a list of distinct non-empty "
                                 f"strings, got {labels!r}"[:300])
        if not isinstance(cfg.get("speaker", False), bool):
            raise ValueError(f"{path}: speaker: must be true or false, got "
                             f"{cfg['speaker']!r}"[:300])
        # null was read as the prefix "None", 1.9 as a length of 1, -5 as a context size.
        if not isinstance(cfg.get("text_prefix", ""), str):
            raise ValueError(f"{path}: text_prefix: must be a string, got "
                             f"{cfg['text_prefix']!r}"[:300])
        for field_ in ("max_seq_length", "context_chars"):  # tokens; characters
            value = cfg.get(field_, 1)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{path}: bad value: {field_}: must be a whole number >= 1, "
                                 f"got {value!r}"[:300])
        for field_ in ("kind_temperature", "stance_temperature"):
            # true was read as 1.0; NaN or Infinity would make every probability NaN or flat.
            value = cfg.get(field_, 1.0)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                    not (math.isfinite(value) and value > 0):
                raise ValueError(f"{path}: {field_}: must be a finite number > 0, got "
                                 f"{value!r}"[:300])
        if cfg.get("context", "title_prev") not in CONTEXT_MODES:
            raise ValueError(f"{path}: context: {cfg['context']!r} not in "
                             f"{', '.join(CONTEXT_MODES)}"[:300])
        try:
            spec = cls(kind_labels=tuple(cfg["kind_labels"]),
                       stance_labels=tuple(cfg["stance_labels"]),
                       kind_temperature=float(cfg.get("kind_temperature", 1.0)),
                       stance_temperature=float(cfg.get("stance_temperature", 1.0)),
                       context=str(cfg.get("context", "title_prev")),
                       text_prefix=str(cfg.get("text_prefix", "passage: ")),
                       max_seq_length=int(cfg.get("max_seq_length", 128)),
                       speaker=bool(cfg.get("speaker", False)),
                       context_chars=int(cfg.get("context_chars", 300)))
        except KeyError as e:
            raise ValueError(f"{path}: field {e.args[0]} missing") from None
        except (TypeError, ValueError) as e:
            raise ValueError(f"{path}: bad value ({e})") from None
        if len(spec.kind_labels) < 2 or len(spec.stance_labels) < 2:
            raise ValueError(f"{path}: kind_labels and stance_labels need two labels each")
        return spec


class FastTokenizer:
    """A ``tokenizers.Tokenizer`` called like a transformers fast tokenizer.

    Supports what encoding needs: ``tok(texts)``, ``tok(texts, pairs,
    truncation=..., max_length=...)``, ``add_special_tokens=False``, and the
    ``*_token_id`` attributes. ``truncation=True`` means longest-first, as in
    transformers; "only_second" cuts only the second segment.
    """

    def __init__(self, tokenizer: Any, special: dict[str, str]):
        self._tok = tokenizer
        self._tok.no_padding()
        self._truncation: tuple[int, str] | None | str = "unset"  # set on the first call

        def token_id(name: str) -> int | None:
            token = special.get(name)
            return self._tok.token_to_id(token) if isinstance(token, str) else None

        self.pad_token_id = token_id("pad_token")
        self.cls_token_id = token_id("cls_token")
        self.sep_token_id = token_id("sep_token")
        self.bos_token_id = token_id("bos_token")
        self.eos_token_id = token_id("eos_token")
        self.unk_token_id = token_id("unk_token")
        if self.pad_token_id is None:
            raise ValueError("the tokenizer has no padding token")

    def _set_truncation(self, setting: tuple[int, str] | None) -> None:
        if setting == self._truncation:
            return
        if setting is None:
            self._tok.no_truncation()
        else:
            self._tok.enable_truncation(setting[0], strategy=setting[1])
        self._truncation = setting

    def num_special_tokens_to_add(self, pair: bool = False) -> int:
        """Special tokens the post-processor adds to one sequence or a pair."""
        return self._tok.post_processor.num_special_tokens_to_add(pair)

    def __call__(self, texts: Sequence[str], pairs: Sequence[str | None] | None = None, *,
                 truncation: bool | str = False, max_length: int | None = None,
                 add_special_tokens: bool = True) -> dict[str, list[list[int]]]:
        """``input_ids`` and ``attention_mask`` lists, unpadded."""
        if truncation not in (False, True, "longest_first", "only_second"):
            raise ValueError(f"truncation {truncation!r} not supported")
        strategy = "only_second" if truncation == "only_second" else "longest_first"
        self._set_truncation((max_length, strategy) if truncation and max_length else None)
        batch: list[Any] = list(texts) if pairs is None else [
            (t, p) if p is not None else t for t, p in zip(texts, pairs, strict=True)]
        encs = self._tok.encode_batch(batch, add_special_tokens=add_special_tokens)
        return {"input_ids": [e.ids for e in encs],
                "attention_mask": [e.attention_mask for e in encs]}


    def pieces(self, texts: Sequence[str]) -> list[Any]:
        """Each text's tokens without special tokens or truncation, as ``tokenizers``
        Encodings (their ``ids`` are ``self(texts, add_special_tokens=False)``'s), for
        :meth:`encode_pairs` to pair without tokenising the texts again."""
        self._set_truncation(None)
        return self._tok.encode_batch(list(texts), add_special_tokens=False)

    def encode_pairs(self, firsts: Sequence[Any], seconds: Sequence[str], *,
                     truncation: str, max_length: int) -> dict[str, list[list[int]]]:
        """``self(texts, seconds, truncation=..., max_length=...)`` for the texts whose
        :meth:`pieces` are ``firsts``: only ``seconds`` are tokenised; each pair is then
        truncated and given its special tokens as the tokenizer's own pair encoding does
        (``Tokenizer.post_process``), so the ids are the same."""
        if truncation not in ("longest_first", "only_second"):
            raise ValueError(f"truncation {truncation!r} not supported")
        # The second segments whole: the pair's truncation below is what cuts them.
        self._set_truncation(None)
        encs = self._tok.encode_batch(list(seconds), add_special_tokens=False)
        self._set_truncation((max_length, truncation))
        post = self._tok.post_process
        pairs = [post(a, b, True) for a, b in zip(firsts, encs, strict=True)]
        return {"input_ids": [e.ids for e in pairs],
                "attention_mask": [e.attention_mask for e in pairs]}


def read_special_tokens(model_dir: Path) -> dict[str, str]:
    """The special tokens of a saved model folder: its ``tokenizer_config.json``'s where
    it names them, else the defaults. ValueError (or OSError) for a damaged file."""
    special = dict(DEFAULT_SPECIAL)
    cfg_path = model_dir / "tokenizer_config.json"
    if cfg_path.is_file():
        cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
        if not isinstance(cfg, dict):
            raise ValueError(f"{cfg_path}: expected a JSON object")
        for name in DEFAULT_SPECIAL:
            value = cfg.get(name)
            # Older transformers store a token as {"content": "<s>", ...}.
            if isinstance(value, dict):
                value = value.get("content")
            if isinstance(value, str):
                special[name] = value
    return special


def load_tokenizer(model_dir: Path, special: dict[str, str] | None = None) -> FastTokenizer:
    """The tokenizer of a saved model folder (``tokenizer.json`` + special tokens;
    ``special``: as :func:`read_special_tokens` gives them, read here when None)."""
    from tokenizers import Tokenizer

    if special is None:
        special = read_special_tokens(model_dir)
    return FastTokenizer(Tokenizer.from_file(str(model_dir / "tokenizer.json")), special)


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``logits / temperature``."""
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def check_transitions(matrix, k: int, atol: float = 1e-6) -> np.ndarray:
    """``matrix`` as a (k, k) float64 array of one-step stance moves (row: from, column:
    to); ValueError unless every entry is positive and every row sums to 1 within
    ``atol``."""
    m = np.asarray(matrix, dtype=np.float64)
    if m.shape != (k, k):
        raise ValueError(f"transitions must be ({k}, {k}), got shape {m.shape}")
    if not (m > 0).all() or not np.allclose(m.sum(axis=1), 1.0, atol=atol):
        raise ValueError("transitions must be positive with rows summing to 1, got "
                         f"{m.round(4).tolist()}")
    return m


def write_stance_transitions(model_dir: Path, matrix: np.ndarray, stances: Sequence[str],
                             pairs: int, fitted_on: str) -> Path:
    """Write the (K, K) matrix of one-step stance moves (row: from) with its label order,
    the number of neighbour pairs it was counted from and what they were; atomically."""
    path = Path(model_dir) / TRANSITIONS_FILE
    write_json_atomic(path, {"stances": list(stances), "pairs": int(pairs),
                             "fitted_on": fitted_on,
                             "transitions": np.round(np.asarray(matrix), 6).tolist()})
    return path


def read_stance_transitions(model_dir: Path, stances: Sequence[str]) -> np.ndarray | None:
    """The matrix :func:`write_stance_transitions` saved, rows and columns in ``stances``
    order; None when the folder has none. ValueError naming the file and field if bad."""
    path = Path(model_dir) / TRANSITIONS_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: not readable JSON ({e})") from None
    if not isinstance(data, dict) or "transitions" not in data or "stances" not in data:
        raise ValueError(f"{path}: expected an object with fields stances and transitions")
    if sorted(data["stances"]) != sorted(stances):
        raise ValueError(f"{path}: field stances {data['stances']} differs from the model's "
                         f"{list(stances)}")
    try:
        m = np.asarray(data["transitions"], dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{path}: field transitions is not a matrix of numbers ({e})") from None
    k = len(stances)
    try:  # the file holds 6 decimals, so rows sum to 1 only within rounding
        m = check_transitions(m, k, atol=1e-4)
    except ValueError as e:
        raise ValueError(f"{path}: field transitions must be {k} x {k}, positive, rows "
                         f"summing to 1 ({e})") from None
    order = [list(data["stances"]).index(s) for s in stances]
    m = m[np.ix_(order, order)]
    return m / m.sum(axis=1, keepdims=True)
