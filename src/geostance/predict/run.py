"""The local engine of ``predict.py``: read inputs, score in chunks, write, resume."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from ..config import ConfigError, PredictConfig
from .inputs import Item
from .predictor import Predictor
from .records import (
    SENTENCE_KEYS,
    convert_journal,
    item_meta,
    model_record,
    read_output,
    record,
)
from .summary import summarize

logger = logging.getLogger(__name__)

__all__ = ["PredictResult", "score_items", "check_paths", "run", "partial_files"]


@dataclass
class PredictResult:
    """What :func:`run` did; ``exit_code`` is predict.py's."""

    out: Path
    articles: int = 0
    scored: int = 0
    failed: int = 0
    resumed: int = 0
    sentences: int = 0
    seconds: float = 0.0
    stopped: bool = False  # --strict stopped at the first failure

    @property
    def exit_code(self) -> int:
        """0 when every article was scored, 1 when some failed."""
        return 1 if self.failed else 0

    def summary_line(self) -> str:
        """One line for the terminal."""
        rate = self.sentences / self.seconds if self.seconds > 0 else 0.0
        parts = [f"scored {self.scored} of {self.articles} articles"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.resumed:
            parts.append(f"{self.resumed} kept from a previous run")
        line = ", ".join(parts)
        line += f"; {self.sentences} sentences in {self.seconds:.1f} s ({rate:.1f}/s) -> {self.out}"
        if self.stopped:
            line += " (stopped at the first failure: --strict)"
        return line


def _score_articles(predictor: Predictor, items: list[Item]) -> list[dict[str, Any]]:
    model = model_record(predictor)
    inputs = []
    for it in items:
        d: dict[str, Any] = {"text": it.text}
        for k in ("title", "lang"):
            if item_meta(it, k):
                d[k] = item_meta(it, k)
        inputs.append(d)
    out = []
    for it, res in zip(items, predictor.predict_articles(inputs), strict=True):
        sents = [{k: s[k] for k in SENTENCE_KEYS} for s in res["sentences"]]
        out.append(record(it, model, res["lang"], res["title"], res["summary"], sents))
    return out


def _score_sentences(predictor: Predictor, items: list[Item]) -> list[dict[str, Any]]:
    from ..text.language import detect_language
    from ..text.sources import assign_sources

    model = model_record(predictor)
    scored = predictor.predict_sentences(
        [{"text": it.text, "title": item_meta(it, "title") or "",
          "context_prev": item_meta(it, "context_prev") or ""} for it in items])
    out = []
    for it, s in zip(items, scored, strict=True):
        lang = item_meta(it, "lang") or detect_language(it.text)
        conf = max(s["stance_probs"].values()) if s["stance_probs"] else 0.0
        sent = {"index": 0, "start": 0, "end": len(it.text), "text": it.text,
                "kind": s["kind"], "kind_probs": s["kind_probs"], "stance": s["stance"],
                "stance_probs": s["stance_probs"], "source": assign_sources([it.text], lang)[0],
                "stance_confidence": round(float(conf), 6)}
        out.append(record(it, model, lang, item_meta(it, "title") or "",
                           summarize([sent], predictor.stances), [sent]))
    return out


def score_items(predictor: Predictor, items: list[Item], unit: str = "article"
                ) -> list[dict[str, Any]]:
    """Output records for readable items, scored together; a failure is isolated per item.

    When scoring the whole chunk raises, each item is retried alone so that
    one bad article gets a ``scoring failed`` error record and the others
    are still scored.
    """
    fn = _score_sentences if unit == "sentence" else _score_articles
    if not items:
        return []
    try:
        return fn(predictor, items)
    except Exception as e:  # noqa: BLE001 - turned into error records, never dropped
        if len(items) == 1:
            return [record(items[0], model_record(predictor),
                            error=f"scoring failed: {type(e).__name__}: {e}")]
        return [r for it in items for r in score_items(predictor, [it], unit)]


def partial_files(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.partial-*.jsonl"))


# ------------------------------------------------------------------ the run

def check_paths(cfg: PredictConfig) -> Path:
    """Fail early (ConfigError) on a missing input or output folder; return ``--out``."""
    from .inputs import missing_inputs

    out = Path(cfg.out)
    missing = missing_inputs(cfg.inputs)
    if missing:
        raise ConfigError(f"input not found: {missing[0]}")
    if not out.parent.is_dir():
        raise ConfigError(f"output folder does not exist: {out.parent}")
    return out


def run(cfg: PredictConfig, stdin=None,
        on_chunk: Callable[[int], None] | None = None) -> PredictResult:
    """Score every input article of ``cfg`` and write the output file.

    Raises :class:`~geostance.config.ConfigError` (exit code 2) for a missing
    input path or model directory, before anything is written. ``on_chunk``
    is called with the number of records written so far after each flushed
    chunk (tests use it to simulate a kill).
    """
    from tqdm.auto import tqdm

    from .inputs import expand_paths, iter_items

    out = check_paths(cfg)
    try:
        predictor = Predictor.load(cfg.model, quantize=None if cfg.quantize in ("", "none")
                                   else cfg.quantize, batch_size=cfg.batch_size)
    except (FileNotFoundError, OSError) as e:
        raise ConfigError(f"model: {cfg.model}: {e}") from None
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    model = model_record(predictor)
    kinds, stances = predictor.kinds, predictor.stances

    # Records that --resume may keep: scored by these very weights, error-free.
    old_partials = partial_files(out)
    kept: dict[tuple[str, str], dict[str, Any]] = {}
    if cfg.resume:
        # An HTML report cannot be read back; only partial journals are reused then.
        sources = ([(out, cfg.format)] if out.is_file() and cfg.format != "html" else []) + [
            (p, "jsonl") for p in old_partials]
        for path, fmt in sources:
            try:
                recs = read_output(path, fmt, kinds, stances)
            except Exception as e:  # noqa: BLE001 - an unreadable old output is rescored
                logger.warning("--resume: cannot read %s (%s); rescoring", path, e)
                continue
            for rec in recs:
                if rec.get("error") is None and rec.get("model") == model:
                    kept[(rec["article_id"], rec["input"])] = rec
    else:
        for p in old_partials:  # leftovers of a killed run that is not being resumed
            p.unlink(missing_ok=True)
        old_partials = []

    journal = out.parent / f".{out.name}.partial-{os.getpid()}.jsonl"
    result = PredictResult(out=out)
    start = time.perf_counter()
    bar = tqdm(unit="article", desc="predict", disable=not cfg.progress, dynamic_ncols=True)
    paths = expand_paths(cfg.inputs, exclude=[out, journal, *old_partials])
    slots: list[Item | dict[str, Any]] = []  # in input order: pending items or finished records
    pending = 0

    def flush(fh) -> None:
        nonlocal slots, pending
        todo = [s for s in slots if isinstance(s, Item)]
        scored = iter(score_items(predictor, todo, cfg.unit))
        for s in slots:
            rec = next(scored) if isinstance(s, Item) else s
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            result.articles += 1
            if rec["error"] is None:
                result.scored += 1
                result.sentences += len(rec["sentences"])
            else:
                result.failed += 1
        fh.flush()  # a kill after this point loses nothing already written
        bar.update(len(slots))
        elapsed = time.perf_counter() - start
        bar.set_postfix(sent_per_s=f"{result.sentences / max(elapsed, 1e-9):.1f}")
        slots, pending = [], 0
        if on_chunk is not None:
            on_chunk(result.articles)

    try:
        with journal.open("w", encoding="utf-8") as fh:
            for item in iter_items(paths, cfg.unit, cfg.max_chars, cfg.text_column, stdin):
                if item.error is not None:
                    slots.append(record(item, model))
                    if cfg.strict:
                        result.stopped = True
                        break
                elif item.key in kept:
                    slots.append(kept[item.key])
                    result.resumed += 1
                else:
                    slots.append(item)
                    pending += 1
                    if pending >= cfg.chunk_size:
                        flush(fh)
                        if cfg.strict and result.failed:
                            result.stopped = True
                            break
            if slots:
                flush(fh)
                result.stopped = result.stopped or bool(cfg.strict and result.failed)
        bar.close()
        if cfg.format == "jsonl":
            os.replace(journal, out)
        else:
            tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
            try:
                convert_journal(journal, tmp, cfg.format, kinds, stances)
                os.replace(tmp, out)
            finally:
                tmp.unlink(missing_ok=True)
            journal.unlink()
        for p in old_partials:  # their records are now in the output
            p.unlink(missing_ok=True)
    finally:
        bar.close()
    result.seconds = time.perf_counter() - start
    return result
