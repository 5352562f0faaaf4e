"""``train(cfg)``: fine-tune the encoder with two heads and evaluate the result.

One run writes ``runs/<timestamp>-<name>/``::

    config.yaml        the resolved configuration
    train_log.jsonl    per-step losses and per-epoch dev metrics
    checkpoints/       Trainer checkpoints (for --train.resume; deleted when the run
                       finishes unless train.keep_checkpoints)
    model/             the self-contained model (weights, config, tokenizer, card)
    metrics.json       every number of the run (see README "metrics.json")
    COMPLETED          written last; only then does runs/latest move here

The loop is Hugging Face ``Trainer``, so the same code runs under ``torchrun``
or ``accelerate launch`` on several processes or machines; evaluation and
saving happen on the main process only.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch
import yaml
from transformers import EarlyStoppingCallback, Trainer, TrainerCallback, TrainingArguments
from transformers import set_seed as hf_set_seed

from .. import __version__
from ..config import STANCE_CHAIN, STANCE_STAY, Config, ConfigError, TrainConfig
from ..data import EVAL_SPLITS, Labels, Sentence, load_realnews, load_splits, to_datasets
from ..data.corpus import sentence_files
from ..evaluation.calibration import calibration, fit_temperature
from ..evaluation.coherence import article_mode_stance, train_transitions
from ..evaluation.metrics import head_report, per_group_macro_f1, prediction_arrays
from ..evaluation.realnews import speakers_of
from ..fileio import sha256_file, write_json_atomic, write_text_atomic
from ..hardware import x86_bf16
from ..model.artifacts import softmax, write_stance_transitions
from ..model.encoders import EncoderError, resolve_base
from ..model.encoding import Collator, encode, predict_logits, torch_runner
from ..model.modeling import GeoStanceModel, save_for_hub
from .baseline import TfidfBaseline
from .card import write_model_card
from .distill import read_targets, soft_target_rows
from .ema import WeightAverage
from .frozen_cache import CachedCollator, build_frozen_cache
from .rundir import (
    COMPLETED,
    check_output_dir,
    check_resumable,
    last_complete_checkpoint,
    prepare_run_dir,
    update_latest,
)

log = logging.getLogger("geostance")


@dataclass
class TrainResult:
    """Where the run went and its headline numbers."""

    run_dir: Path
    model_dir: Path
    metrics: dict


def data_files(cfg: Config) -> list[Path]:
    """The files the model was trained, selected and evaluated on (for their sha256):
    own files, the contrast set and, unless own files replace every split, both corpora
    (the real one is evaluated even when not trained on); absent files are skipped."""
    d = cfg.data
    own = [Path(f) for f in (d.train_files + d.dev_files + d.test_files + d.add_train_files
                             + d.contrast_files) if f]
    if d.train_files and d.dev_files and d.test_files:
        return own
    corpus, real = Path(d.corpus_dir), Path(d.real_dir)
    return [corpus / "articles.jsonl", *sentence_files(corpus), real / "documents.jsonl",
            *sentence_files(real), *own]


# --------------------------------------------------------------------------- pieces

def class_weights(labels: list[int], n: int, mode: str) -> list[float]:
    """Loss weight per class: 1, ``total / (n * count)`` (balanced), or its square root."""
    counts = np.bincount([x for x in labels if x >= 0], minlength=n).astype(float)
    if mode == "none":
        return [1.0] * n
    w = counts.sum() / (n * np.maximum(counts, 1.0))
    if mode == "sqrt":
        w = np.sqrt(w)
    return (w / w[counts > 0].mean()).tolist() if (counts > 0).any() else [1.0] * n


def head_class_weights(kind_labels: list[int], stance_labels: list[int], labels: Labels,
                       train: TrainConfig) -> tuple[list[float], list[float]]:
    """Loss weights per class of the kind head and of the stance head (-1 = no label):
    ``train.class_weighting`` for both, unless ``train.stance_class_weighting`` names the
    stance head's own."""
    stance_mode = (train.class_weighting if train.stance_class_weighting == "same"
                   else train.stance_class_weighting)
    return (class_weights(kind_labels, len(labels.kinds), train.class_weighting),
            class_weights(stance_labels, len(labels.stances), stance_mode))


class JsonlLogger(TrainerCallback):
    """Appends every Trainer log entry (losses, dev metrics) to ``train_log.jsonl``."""

    def __init__(self, path: Path):
        self.path = path

    def on_log(self, args, state, control, logs=None, **kwargs):
        if state.is_world_process_zero and logs:
            with self.path.open("a", encoding="utf-8") as f:
                entry = {"step": state.global_step, "epoch": state.epoch, **logs}
                f.write(json.dumps(entry) + "\n")


def trim_log(path: Path, step: int) -> None:
    """Drop the entries of ``train_log.jsonl`` logged after ``step``, and any unreadable
    line (a killed run may leave its last one torn)."""
    if not path.is_file():
        return
    kept = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("step", 0) <= step:
            kept.append(line + "\n")
    write_text_atomic(path, "".join(kept))


def parameter_groups(model: torch.nn.Module, lr: float, head_lr: float, weight_decay: float,
                     layer_decay: float = 1.0) -> list[dict]:
    """AdamW parameter groups: heads at ``head_lr``; encoder weights with weight decay,
    biases and LayerNorm weights without; with ``layer_decay`` < 1 the encoder layer
    ``i`` of ``L`` gets ``lr * layer_decay ** (L - 1 - i)`` and the embeddings
    ``lr * layer_decay ** L`` (lower layers move less). Frozen parameters are left out.
    """
    n_layers = getattr(getattr(model, "config", None), "encoder", {}).get(
        "num_hidden_layers", 0) if hasattr(model, "config") else 0
    groups: dict[tuple[float, float], list] = {}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        if name.startswith(("kind_head", "stance_head")):
            key = (head_lr, 0.0)
        else:
            m = re.search(r"\.layer\.(\d+)\.", name)
            depth = int(m.group(1)) if m else (-1 if "embeddings" in name else n_layers - 1)
            scale = layer_decay ** (n_layers - 1 - depth) if layer_decay != 1.0 else 1.0
            key = (lr * scale, 0.0 if p.ndim < 2 else weight_decay)
        groups.setdefault(key, []).append(p)
    return [{"params": ps, "lr": k[0], "weight_decay": k[1]}
            for k, ps in sorted(groups.items(), key=lambda kv: (-kv[0][0], kv[0][1]))]


class GeoTrainer(Trainer):
    """Trainer with a separate learning rate for the freshly initialised heads,
    optional layer-wise learning-rate decay, and optionally evaluating a weight
    average (:class:`~geostance.train.ema.WeightAverage`) instead of the raw weights."""

    def __init__(self, *args, head_learning_rate: float, layer_lr_decay: float = 1.0,
                 ema: WeightAverage | None = None, **kwargs):
        self.head_learning_rate = head_learning_rate
        self.layer_lr_decay = layer_lr_decay
        self.ema = ema
        super().__init__(*args, **kwargs)
        if ema is not None:
            self.add_callback(ema)

    def evaluate(self, *args, **kwargs):
        if self.ema is None:
            return super().evaluate(*args, **kwargs)
        with self.ema.applied():  # early stopping and the best checkpoint see the average
            return super().evaluate(*args, **kwargs)

    def create_optimizer(self, *args, **kwargs):
        if self.optimizer is None:
            groups = parameter_groups(self.model, self.args.learning_rate,
                                      self.head_learning_rate, self.args.weight_decay,
                                      self.layer_lr_decay)
            self.optimizer = torch.optim.AdamW(groups, lr=self.args.learning_rate)
        return self.optimizer


def _tokenized(ds, tokenizer, config):
    def fn(batch):
        feats = encode(tokenizer, batch["text"], batch["title"], batch["context_prev"], config,
                       batch.get("speaker"))
        feats["length"] = [len(x) for x in feats["input_ids"]]
        feats["kind_labels"] = batch["kind_label"]
        feats["stance_labels"] = batch["stance_label"]
        feats["sample_weight"] = batch["weight"]
        if "soft_stance" in batch:  # train.distill_weight: the teachers' distribution
            feats["soft_stance"] = batch["soft_stance"]
        return feats

    return ds.map(fn, batched=True, remove_columns=ds.column_names, desc="tokenising")


def _metrics_fn(eval_pred) -> dict[str, float]:
    (kind_logits, stance_logits), (kind, stance) = eval_pred.predictions, eval_pred.label_ids
    out = {"kind_macro_f1": head_report(kind, kind_logits.argmax(1), [""] * kind_logits.shape[1])
           ["macro_f1"]}
    m = stance >= 0
    out["stance_macro_f1"] = head_report(stance[m], stance_logits[m].argmax(1),
                                         [""] * stance_logits.shape[1])["macro_f1"]
    return out


def evaluate_split(rows: list[Sentence], kind_logits: np.ndarray, stance_logits: np.ndarray,
                   labels: Labels, temps: tuple[float, float] = (1.0, 1.0)) -> dict:
    """Both heads' reports on one split (+ stance per language) from logits."""
    kind_gold = np.array([labels.kinds.index(s.kind) for s in rows])
    st_mask = np.array([bool(s.stance) for s in rows])
    st_gold = np.array([labels.stances.index(s.stance) for s in rows if s.stance])
    st_pred = softmax(stance_logits[st_mask], temps[1]).argmax(1)
    return {
        "kind": head_report(kind_gold, softmax(kind_logits, temps[0]).argmax(1), labels.kinds),
        "stance": {**head_report(st_gold, st_pred, labels.stances),
                   "per_language": per_group_macro_f1(
                       [s.lang or "?" for s, m in zip(rows, st_mask, strict=True) if m],
                       st_gold, st_pred)},
    }


def _arrays(rows: list[Sentence], kind_logits: np.ndarray, stance_logits: np.ndarray,
            labels: Labels) -> dict[str, list]:
    """Gold and predicted label ids of one split (stance where gold has one)."""
    k_gold, s_gold, mask = _gold(rows, labels)
    return prediction_arrays(k_gold.tolist(), kind_logits.argmax(1).tolist(),
                             s_gold[mask].tolist(), stance_logits[mask].argmax(1).tolist(),
                             [s for s, m in zip(rows, mask, strict=True) if m])


def _gold(rows: list[Sentence], labels: Labels) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kind = np.array([labels.kinds.index(s.kind) for s in rows])
    mask = np.array([bool(s.stance) for s in rows])
    stance = np.array([labels.stances.index(s.stance) if s.stance else -1 for s in rows])
    return kind, stance, mask


def run_baseline(splits: dict[str, list[Sentence]], labels: Labels, seed: int) -> dict:
    """TF-IDF + logistic regression, fitted on train, scored on dev and test."""
    train = splits["train"]
    kind, stance, _ = _gold(train, labels)
    base = TfidfBaseline(seed).fit([s.text for s in train], kind, stance)
    out = {}
    for split in ("dev", "test"):
        rows = splits[split]
        k_gold, s_gold, mask = _gold(rows, labels)
        k_pred, s_pred = base.predict([s.text for s in rows])
        out[split] = {"kind": head_report(k_gold, k_pred, labels.kinds),
                      "stance": head_report(s_gold[mask], s_pred[mask], labels.stances)}
    return out


# --------------------------------------------------------------------------- train

def train(cfg: Config) -> TrainResult:
    """Train one model as configured; evaluate; save; move ``runs/latest`` (main process)."""
    t0 = time.time()
    if cfg.train.threads:
        torch.set_num_threads(cfg.train.threads)
    hf_set_seed(cfg.train.seed)
    # Before minutes of loading, not after: the output folder, and what resume would continue.
    check_output_dir(Path(cfg.train.output_dir))
    check_resumable(cfg)
    _use_cpu(cfg.train.device)  # cuda asked for on a machine without one
    _check_trackers(cfg.train.report_to)
    labels = Labels.from_config(cfg.data)
    splits = load_splits(cfg.data)  # validates everything before any model is built
    dsd = to_datasets(splits, labels, real_weight=cfg.data.real_weight,
                      language_balance=cfg.data.language_balance,
                      contrast_weight=cfg.data.contrast_weight)
    if cfg.data.soft_targets:
        path = Path(cfg.data.soft_targets)
        dsd["train"] = dsd["train"].add_column("soft_stance", soft_target_rows(
            splits["train"], read_targets(path, labels.stances), path, len(labels.stances)))
    base_dir = resolve_base(cfg.model.base)

    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(base_dir)
        model = GeoStanceModel.from_base(
            base_dir, labels.kinds, labels.stances, pooling=cfg.model.pooling,
            context=cfg.model.context, max_seq_length=cfg.model.max_length,
            dropout=cfg.model.dropout, text_prefix=cfg.model.text_prefix,
            speaker=cfg.model.speaker, context_chars=cfg.model.context_chars)
    except (OSError, ValueError) as e:
        # A hub id not in the hub cache (offline), or a folder that is not a checkpoint.
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise EncoderError(f"model.base {cfg.model.base!r} cannot be loaded ({first}); a local "
                           "folder must hold a checkpoint, a hub id must be in the hub cache "
                           "when offline") from None
    model.set_loss_weights(*head_class_weights(dsd["train"]["kind_label"],
                                               dsd["train"]["stance_label"], labels, cfg.train),
                           cfg.train.stance_loss_weight)
    model.label_smoothing = cfg.train.label_smoothing
    model.distill_weight = cfg.train.distill_weight
    frozen = model.freeze_embeddings() if cfg.model.freeze_embeddings else 0
    if cfg.model.freeze_layers:
        try:
            frozen += model.freeze_layers(cfg.model.freeze_layers)
        except ValueError as e:
            raise ConfigError(str(e)) from None

    if cfg.model.speaker:
        # The speaker the sources rules find in each document, as at prediction time
        # (never the gold source, which a user's articles do not have).
        for split in ("train", "dev"):
            who = speakers_of(splits[split])
            if split == "train":
                who = drop_speakers(who, cfg.train.speaker_dropout, cfg.train.seed)
            dsd[split] = dsd[split].add_column("speaker", who)
    train_ds = _tokenized(dsd["train"], tokenizer, model.config)
    # Dev rows in length order: the in-training evaluation pads each batch to its longest
    # row, and its metrics do not depend on the row order (the default's dev passes over
    # 1,931 rows: 25-28 s in corpus order, 21-24 s in length order; reports/makerun.md).
    # (argsort and select rather than Dataset.sort, whose pyarrow sort options warn on
    # every run since pyarrow 25; both orders are stable, so the rows are the same.)
    dev_ds = _tokenized(dsd["dev"], tokenizer, model.config)
    dev_ds = dev_ds.select(np.argsort(np.asarray(dev_ds["length"]), kind="stable"))
    collator = Collator(tokenizer.pad_token_id)
    cache_seconds = 0.0
    if cfg.train.cache_frozen:
        t_cache = time.time()
        (train_ds, dev_ds), states = build_frozen_cache(
            model, [train_ds, dev_ds], cfg.model.freeze_layers, tokenizer.pad_token_id)
        collator = CachedCollator(tokenizer.pad_token_id, states)
        cache_seconds = time.time() - t_cache

    run_dir, resuming = prepare_run_dir(cfg)
    use_cpu = _use_cpu(cfg.train.device)
    use_bf16 = resolve_bf16(cfg.train.bf16, use_cpu)
    args = TrainingArguments(
        output_dir=str(run_dir / "checkpoints"),
        per_device_train_batch_size=cfg.train.batch_size,
        per_device_eval_batch_size=max(32, cfg.train.batch_size),
        gradient_accumulation_steps=cfg.train.grad_accum,
        learning_rate=cfg.train.learning_rate,
        weight_decay=cfg.train.weight_decay,
        warmup_steps=cfg.train.warmup_ratio,
        lr_scheduler_type="linear",
        num_train_epochs=cfg.train.epochs,
        max_steps=cfg.train.max_steps,
        eval_strategy=cfg.train.eval_every,
        save_strategy=cfg.train.eval_every,
        eval_steps=cfg.train.eval_steps,
        save_steps=cfg.train.eval_steps,
        logging_steps=10,
        load_best_model_at_end=True,
        metric_for_best_model="stance_macro_f1",
        greater_is_better=True,
        save_total_limit=2,
        seed=cfg.train.seed,
        data_seed=cfg.train.seed,
        label_names=["kind_labels", "stance_labels"],
        remove_unused_columns=False,
        train_sampling_strategy="group_by_length",
        length_column_name="length",
        report_to=_trackers(cfg.train.report_to),
        use_cpu=use_cpu,
        bf16=use_bf16,
        dataloader_num_workers=0,
        disable_tqdm=False,
    )
    # The args above initialised torch.distributed under torchrun: share rank
    # 0's run directory so every process writes to the same place.
    if args.world_size > 1 and not resuming:
        obj = [str(run_dir)]
        torch.distributed.broadcast_object_list(obj, src=0)
        run_dir = Path(obj[0])
        args.output_dir = str(run_dir / "checkpoints")
    main_process = args.process_index == 0
    if main_process:
        run_dir.mkdir(parents=True, exist_ok=True)
        # Atomic: a resumed run rewrites it, and --train.resume compares against it.
        write_text_atomic(run_dir / "config.yaml", yaml.safe_dump(cfg.to_dict(), sort_keys=False))
    callbacks = [JsonlLogger(run_dir / "train_log.jsonl")]
    if cfg.train.early_stopping_patience:
        callbacks.append(EarlyStoppingCallback(cfg.train.early_stopping_patience))
    ema = WeightAverage(model, cfg.train.ema_decay) if cfg.train.ema_decay else None
    trainer = GeoTrainer(
        model=model, args=args, train_dataset=train_ds, eval_dataset=dev_ds,
        data_collator=collator, compute_metrics=_metrics_fn,
        callbacks=callbacks, head_learning_rate=cfg.train.head_learning_rate,
        layer_lr_decay=cfg.train.layer_lr_decay, ema=ema)
    t_train = time.time()
    # The newest checkpoint written to the end: a kill while saving leaves a partial one.
    ckpt = last_complete_checkpoint(run_dir) if resuming else None
    if ckpt is not None and main_process:
        # The steps after the checkpoint are trained again: their old entries would
        # stand twice in the log.
        trim_log(run_dir / "train_log.jsonl", int(ckpt.name.split("-")[-1]))
    out = trainer.train(resume_from_checkpoint=str(ckpt) if ckpt else None)
    train_seconds = time.time() - t_train
    if not main_process:
        return TrainResult(run_dir, run_dir / "model", {})

    # With train.ema_decay: the best checkpoint's average. Evaluated and saved as users run
    # it, in float32: in bfloat16 mixed precision the Trainer's accelerator leaves the
    # model's forward wrapped in autocast, and metrics.json would describe bfloat16
    # inference (up to 0.005 apart on realnews_dev) instead of predict.py's float32.
    model = plain_model(trainer.accelerator, trainer.model)
    metrics = evaluate_and_save(cfg, model, tokenizer, splits, labels, run_dir, {
        "train_seconds": train_seconds,
        "cache_seconds": cache_seconds,  # train.cache_frozen: the frozen layers' one pass
        "total_seconds_before_eval": time.time() - t0,
        "global_steps": out.global_step,
        "best_checkpoint": trainer.state.best_model_checkpoint,
        "frozen_parameters": frozen,
        "trainable_parameters": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "world_size": args.world_size,
        "seconds_per_step": train_seconds / max(out.global_step, 1),
        "bf16": use_bf16,  # what train.bf16 (auto/true/false) resolved to here
        # steps averaged into the saved weights (those up to the best checkpoint)
        "ema_updates": ema.updates if ema is not None else 0,
    })
    metrics["total_seconds"] = time.time() - t0
    write_json_atomic(run_dir / "metrics.json", metrics)
    write_json_atomic(run_dir / "model" / "metrics.json", metrics)
    write_text_atomic(run_dir / COMPLETED, datetime.now(timezone.utc).isoformat() + "\n")
    update_latest(run_dir)
    if not cfg.train.keep_checkpoints:
        # After COMPLETED: a run stopped here is finished, and only an unfinished run's
        # checkpoints are ever read (--train.resume); model/ holds the weights it reports.
        shutil.rmtree(run_dir / "checkpoints", ignore_errors=True)
    return TrainResult(run_dir, run_dir / "model", metrics)


def plain_model(accelerator, model: torch.nn.Module) -> torch.nn.Module:
    """``model`` without the accelerator's wrappers, its mixed-precision (autocast) forward
    included: what a saved and reloaded model computes."""
    return accelerator.unwrap_model(model, keep_fp32_wrapper=False)


def _trackers(report_to: str) -> str | list[str]:
    names = [t.strip() for t in report_to.split(",")]
    return "none" if names == ["none"] else names


def _check_trackers(report_to: str) -> None:
    """ConfigError for a tracker name transformers does not know, or one not installed:
    found before loading anything, not when the Trainer starts minutes later."""
    names = _trackers(report_to)
    if names == "none":
        return
    from transformers.integrations.integration_utils import (
        INTEGRATION_TO_CALLBACK,
        get_available_reporting_integrations,
    )

    for name in names:
        if name == "all":
            continue
        if name not in INTEGRATION_TO_CALLBACK:
            raise ConfigError(f"train.report_to: unknown tracker {name!r}; known: "
                              f"{', '.join(sorted(INTEGRATION_TO_CALLBACK))}, or none")
        if name not in get_available_reporting_integrations():
            raise ConfigError(f"train.report_to: {name} is not installed in this "
                              "environment (install its package, or leave it out)")


def resolve_bf16(setting: str, use_cpu: bool) -> bool:
    """Whether ``train.bf16`` (auto/true/false) trains in bfloat16 mixed precision here.

    ``auto`` turns it on only where it was measured faster with the same scores: a CPU
    with AMX (1.65x per run on the 2-core Intel machine) or AVX512-BF16 (1.53x per step
    on the 2-core AMD EPYC without AMX; README "Choosing the defaults"), or a CUDA GPU
    that supports bfloat16. CPUs without either run bfloat16 emulated, many times
    slower, so they stay float32.
    """
    if setting != "auto":
        return setting == "true"
    if not use_cpu:
        return bool(torch.cuda.is_bf16_supported())
    amx = getattr(torch.cpu, "_is_amx_tile_supported", None)  # private; absent = no
    return bool(amx and amx()) or x86_bf16()


def drop_speakers(speakers: list[str], share: float, seed: int) -> list[str]:
    """``speakers`` with a fixed draw (by ``seed``) of about ``share`` of them blanked
    ("": no speaker, as the sources rules give a sentence without one)."""
    if not share:
        return list(speakers)
    drop = np.random.default_rng(seed).random(len(speakers)) < share
    return ["" if d else who for who, d in zip(speakers, drop, strict=True)]


def _use_cpu(device: str) -> bool:
    if device == "cuda" and not torch.cuda.is_available():
        raise ConfigError("train.device: cuda requested but torch sees no CUDA GPU")
    return device == "cpu" or not torch.cuda.is_available()


def evaluate_and_save(cfg: Config, model: GeoStanceModel, tokenizer, splits, labels: Labels,
                      run_dir: Path, train_info: dict) -> dict:
    """Calibrate on dev, evaluate everything, save the model directory; return metrics."""
    from ..evaluation.realnews import evaluate_realnews
    from ..evaluation.seed import evaluate_seed
    from ..predict.predictor import Predictor
    from ..text.sources import evaluate_sources

    logits = {}
    scored = [k for k in ("dev", "test", *EVAL_SPLITS) if splits.get(k)]
    for split in scored:
        rows = splits[split]
        feats = encode(tokenizer, [s.text for s in rows], [s.title for s in rows],
                       [s.context_prev for s in rows], model.config,
                       speakers_of(rows) if cfg.model.speaker else None)
        logits[split] = predict_logits(torch_runner(model, model.device), feats,
                                       len(labels.kinds), len(labels.stances),
                                       tokenizer.pad_token_id)
    k_gold, s_gold, mask = _gold(splits["dev"], labels)
    t_kind = fit_temperature(logits["dev"][0], k_gold)
    t_stance = fit_temperature(logits["dev"][1][mask], s_gold[mask])
    model.config.kind_temperature = t_kind
    model.config.stance_temperature = t_stance

    transitions, pairs = train_transitions(splits["train"], labels.stances)
    # Article mode's metrics and the seed article follow predict.py's default chain.
    chain = transitions if STANCE_CHAIN == "fitted" else None
    metrics: dict = {"geostance_version": __version__, "run_dir": str(run_dir), **train_info}
    arrays: dict = {}  # per-sentence gold and predicted labels, for bootstrap intervals
    for split in scored:
        metrics[split] = evaluate_split(splits[split], *logits[split], labels, (t_kind, t_stance))
        arrays[split] = _arrays(splits[split], *logits[split], labels)
        k_gold, s_gold, mask = _gold(splits[split], labels)
        metrics[split]["kind"]["calibration"] = calibration(logits[split][0], k_gold, t_kind)
        metrics[split]["stance"]["calibration"] = calibration(logits[split][1][mask],
                                                             s_gold[mask], t_stance)
    for split in EVAL_SPLITS:  # whole documents: article mode's coherence chain applies
        if split in metrics:
            metrics[split]["stance_article"] = article_mode_stance(
                splits[split], softmax(logits[split][0], t_kind),
                softmax(logits[split][1], t_stance), labels, STANCE_STAY, chain)
    if cfg.train.baseline:
        metrics["baseline"] = run_baseline(splits, labels, cfg.train.seed)

    model_dir = run_dir / "model"
    model_dir.mkdir(parents=True, exist_ok=True)
    save_for_hub(model, tokenizer, model_dir)
    write_text_atomic(model_dir / "training_config.yaml",
                      yaml.safe_dump(cfg.to_dict(), sort_keys=False))
    write_json_atomic(model_dir / "data_sha256.json",
                      {str(p): sha256_file(p) for p in data_files(cfg) if p.is_file()})
    if transitions is not None:
        write_stance_transitions(model_dir, transitions, labels.stances, pairs,
                                 "neighbouring gold stances in the train split's documents "
                                 "(written corpus, contrast set and translations left out), "
                                 "add-one counts")

    predictor = Predictor(model, tokenizer, model_dir=model_dir, stance_transitions=chain)
    metrics["model"] = predictor.model_info
    realnews = load_realnews(cfg.data.realnews_dev)
    if realnews is not None and not labels.covers_project():
        # Its gold labels are the project's; a model of another label set cannot be scored
        # on them (and would fail looking them up).
        logging.getLogger("geostance").warning(
            "realnews_dev not evaluated: its labels are not this configuration's label sets")
        realnews = None
    if realnews is not None:
        metrics["realnews_dev"] = evaluate_realnews(predictor, realnews, labels, STANCE_STAY)
        arrays["realnews_dev"] = metrics["realnews_dev"].pop("arrays")
    if splits.get("realtest"):
        metrics["realtest"]["source"] = evaluate_sources(
            [{"text": s.text, "lang": s.lang, "doc_id": s.article_id, "index": i,
              "source": s.source, "title": s.title} for i, s in enumerate(splits["realtest"])])
    write_json_atomic(run_dir / "eval_predictions.json", arrays)
    seed = evaluate_seed(predictor, Path(cfg.data.seed_article), Path(cfg.data.labels_spec)) \
        if labels.covers_project() else None
    if seed is not None:
        metrics["seed_article"] = seed
    write_model_card(model_dir, cfg, metrics)
    return metrics


