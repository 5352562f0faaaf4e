"""The local engine of ``predict.py``: read inputs, score them in windows, write, resume.

Inputs stream through :func:`~geostance.predict.stream.score_stream` in windows of a
few thousand sentences (length-sorted, token-budget batches across articles),
records come back in input order and are appended to a hidden partial file beside
``--out``, flushed window by window; at the end the partial file is renamed (or
converted) to ``--out``. Nothing already written is lost: an interrupted run leaves
its partial file(s), which a later run continues with ``--resume`` or discards with
``--overwrite`` (a run with neither refuses to start). ``--out`` may not be an input
or an existing directory; ``--out -`` streams JSONL to stdout.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import STANCE_STAY, ConfigError, PredictConfig
from ..fileio import check_writable, decode_error_line, name_problem, same_file
from .records import convert_journal, model_record, read_output, record
from .stream import score_stream

logger = logging.getLogger(__name__)

__all__ = ["PredictResult", "partial_files", "check_paths", "load_predictor", "run",
           "interrupted_message", "run_fingerprint"]


@dataclass
class PredictResult:
    """What :func:`run` did; ``exit_code`` is predict.py's."""

    out: Path | None  # None: stdout
    articles: int = 0
    scored: int = 0
    failed: int = 0
    resumed: int = 0
    sentences: int = 0
    seconds: float = 0.0
    stopped: bool = False  # --strict stopped at the first failure
    skipped: dict[str, int] | None = None  # files inside folders not read, by reason
    duplicate_ids: int = 0
    unit: str = "article"  # what one input item is: an article, or a sentence (--unit)
    # The loaded predictor, kept alive with the result: a caller that ends the process right
    # after (predict.py) then skips freeing it, ~0.4 s for the tokenizer's vocabulary alone.
    predictor: Any = field(default=None, repr=False, compare=False)

    @property
    def exit_code(self) -> int:
        """0 when every article was scored, 1 when some failed."""
        return 1 if self.failed else 0

    def summary_line(self) -> str:
        """One line for the terminal; the rate counts the sentences this run scored (not
        those kept by --resume)."""
        rate = self.sentences / self.seconds if self.seconds > 0 else 0.0
        parts = [f"scored {self.scored} of {self.articles} {self.unit}s"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.resumed:
            parts.append(f"{self.resumed} kept from a previous run")
        if self.skipped:
            parts.append("skipped in folders: " + ", ".join(
                f"{n} {why}" for why, n in sorted(self.skipped.items())))
        if self.duplicate_ids:
            parts.append(f"{self.duplicate_ids} duplicate ids")
        line = ", ".join(parts)
        line += (f"; {self.sentences} sentences scored by this run in {self.seconds:.1f} s "
                 f"({rate:.1f}/s) -> "
                 f"{self.out if self.out is not None else 'stdout'}")
        if self.stopped:
            line += " (stopped at the first failure: --strict)"
        return line


def partial_files(out: Path) -> list[Path]:
    """Partial files of earlier, interrupted runs: ``.<name>.partial-<pid>.jsonl``, oldest
    first (by modification time, not by process id), so a later run's records win."""
    def age(p: Path) -> tuple[float, str]:
        try:
            return p.stat().st_mtime, p.name
        except OSError:  # removed meanwhile
            return 0.0, p.name

    return sorted(out.parent.glob(f".{out.name}.partial-*.jsonl"), key=age)


def journal_path(out: Path) -> Path:
    """This process's partial file for ``out``."""
    return out.parent / f".{out.name}.partial-{os.getpid()}.jsonl"


def _resolved(p: Path) -> Path | None:
    # A looping link cannot be resolved (RuntimeError before Python 3.13, OSError after);
    # as an input it gets an error record, so it must not stop the run here.
    try:
        return p.resolve()
    except (OSError, RuntimeError):
        return None


def check_paths(cfg: PredictConfig) -> Path | None:
    """Fail early (ConfigError) on a bad ``--out``; return it (None for stdout).

    ``--out`` may not be one of the inputs (after resolving links), an existing
    directory, inside a missing folder, or in a folder this process cannot write in
    (checked by creating and removing a file there, so it fails before the model loads).
    """
    if cfg.out == "-":
        return None
    out = Path(cfg.out)
    if out.is_dir():
        raise ConfigError(f"out: {out} is a directory; use --out {out}/ to write "
                          f"{out / ('predictions.' + cfg.format)}")
    folder = out.parent
    if not folder.is_dir():
        if cfg.out.endswith(f"/predictions.{cfg.format}") and folder.parent.is_dir():
            folder.mkdir()  # --out DIR/ names a new folder in an existing one
        else:
            raise ConfigError(f"output folder does not exist: {folder}")
    try:
        check_writable(folder)
    except OSError as e:
        raise ConfigError(f"out: cannot write in {folder} ({e.strerror or e})") from None
    too_long = name_problem(out)  # its partial file, ".NAME.partial-PID.jsonl", is made first
    if too_long:
        raise ConfigError(f"out: {too_long}")
    resolved = _resolved(out)
    if resolved is None:
        raise ConfigError(f"out: {out} is a symbolic link loop")
    for inp in cfg.inputs:
        if inp == "-":
            continue
        p = Path(inp)
        if same_file(p, out) or _resolved(p) == resolved:
            raise ConfigError(f"out: {out} is also an input; scoring would overwrite it")
    return out


def load_predictor(cfg: PredictConfig):
    """The predictor of ``cfg.model`` (ConfigError, exit 2, when it cannot be loaded)."""
    from .predictor import ModelLoadError, ModelNotFoundError, Predictor, SettingError

    if not cfg.progress or not sys.stderr.isatty():
        if "transformers" in sys.modules:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        else:
            # Read when transformers is imported (only if the torch path needs it); importing
            # it here just to switch its bar off would cost ~1 s of every cold start.
            os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    if cfg.threads and "torch" in sys.modules:
        import torch

        torch.set_num_threads(cfg.threads)
    try:
        return Predictor.load(cfg.model, quantize=cfg.quantize, backend=cfg.backend,
                              device=cfg.device, batch_size=cfg.batch_size,
                              max_tokens=cfg.max_tokens, threads=cfg.threads,
                              max_chars=cfg.max_chars, stance_stay=cfg.stance_stay,
                              stance_chain=cfg.stance_chain)
    except SettingError as e:
        # A setting that does not fit this model or machine ("stance_stay must be ... for
        # 3 stances"): the message names the setting, and the model is not at fault.
        raise ConfigError(str(e)) from None
    except (ModelLoadError, ValueError) as e:
        hint = ""
        if isinstance(e, ModelNotFoundError):
            # Most often a first run before any training: say where a model comes from.
            hint = (f" (looked for from {Path.cwd()}; python train.py or make run trains one "
                    f"into runs/latest, or name a run, model or ensemble folder with --model)")
        raise ConfigError(f"model: {e}{hint}") from None


def run_fingerprint(predictor, unit: str) -> str:
    """The predictor's fingerprint with the unit: what ``--resume`` compares."""
    return hashlib.sha256(f"{predictor.cache_key()}|{unit}".encode()).hexdigest()[:16]


def _resumable(cfg: PredictConfig, out: Path, partials: list[Path], model: dict[str, Any],
               kinds: list[str], stances: list[str]) -> dict[tuple[str, str], dict[str, Any]]:
    """Records of the output and the partial files that ``--resume`` may keep."""
    sources = [(p, "jsonl") for p in partials]
    if out.is_file() and cfg.format != "html":  # an HTML report cannot be read back
        sources.insert(0, (out, cfg.format))
    kept: dict[tuple[str, str], dict[str, Any]] = {}
    for path, fmt in sources:
        if not path.is_file():
            continue
        # The output is replaced by what is read from it: one that is not (only)
        # predict.py's records (a mistyped --out, a note added to it) would be lost.
        strict = path == out and not cfg.overwrite
        try:
            recs = read_output(path, fmt, kinds, stances, strict=strict)
        except Exception as e:  # noqa: BLE001 - an unreadable partial file is rescored
            if strict:
                why = (f"{path}:{decode_error_line(path, e)}: not UTF-8"
                       if isinstance(e, UnicodeDecodeError) else e)
                raise ConfigError(f"resume: {out} is not predict.py output ({why}); "
                                  "--overwrite replaces it") from None
            logger.warning("--resume: cannot read %s (%s); rescoring", path, e)
            continue
        other = {(r.get("model") or {}).get("fingerprint") for r in recs} - {model["fingerprint"]}
        if other:
            raise ConfigError(f"resume: {path} was written with another model or other "
                              f"settings, or another version of geostance's splitting and "
                              f"speaker code (fingerprint {sorted(map(str, other))[0]}, this "
                              f"run {model['fingerprint']}); --overwrite replaces it")
        for rec in recs:
            if rec.get("error") is None:
                kept[(rec["article_id"], rec["input"])] = rec
    return kept


def _check_same_inputs(kept: dict[tuple[str, str], dict[str, Any]], paths: list[str],
                       out: Path | None) -> None:
    """--resume finishes the same inputs: records of inputs this run does not name would
    be dropped from the rewritten output, so that is refused before anything is written."""
    from .inputs import display_path

    named = {display_path(p) for p in paths}
    orphans = [inp for _, inp in kept if inp not in named and inp.rsplit(":", 1)[0] not in named]
    if orphans:
        raise ConfigError(f"resume: {out} holds {len(orphans)} record(s) of inputs this run "
                          f"does not name (first: {min(orphans)}); --resume finishes the same "
                          "inputs: name them again, or --overwrite replaces the file")


def interrupted_message(cfg: PredictConfig) -> str:
    """The one line printed when a run is interrupted: the records this run's partial file
    holds (those kept from an earlier run's partial file included, which stays until the
    run is finished)."""
    if cfg.out == "-":
        return "interrupted"
    out = Path(cfg.out)
    if cfg.engine == "ray":
        from .ray_engine import SHARD_PREFIX

        shards = sorted(out.glob(f"{SHARD_PREFIX}*")) if out.is_dir() else []
        if not shards:
            return "interrupted before any shard was written"
        # No resume with Ray: say what is there and what the next run needs.
        return (f"interrupted: {out} holds {len(shards)} shard(s) written so far (not "
                "resumable); remove the folder, or name a new --out, to run again")
    own = journal_path(out)
    if own.is_file():
        with own.open("rb") as fh:
            n = sum(1 for _ in fh)
        return (f"interrupted: {n} records kept in {own}; run the same command with --resume "
                "to finish, or --overwrite to start again")
    earlier = partial_files(out)
    if earlier:
        return (f"interrupted before writing a record; the partial file of an earlier run is "
                f"kept ({earlier[-1]}): --resume continues it, --overwrite discards it")
    return "interrupted before writing a record; nothing to resume"


def run(cfg: PredictConfig, stdin=None,
        on_chunk: Callable[[int], None] | None = None) -> PredictResult:
    """Score every input of ``cfg`` and write the output.

    Raises :class:`~geostance.config.ConfigError` (exit code 2) before anything is
    written for a bad ``--out``, an existing output or a partial file nobody asked about
    (without ``--overwrite`` or ``--resume``), or a missing model.
    ``on_chunk`` is called with the number of records written after each window
    (tests use it to simulate a kill).
    """
    from .inputs import expand_paths

    out = check_paths(cfg)
    old_partials = partial_files(out) if out is not None else []
    if old_partials and not (cfg.resume or cfg.overwrite):
        raise ConfigError(f"a partial output of an interrupted run exists ({old_partials[-1]}): "
                          "--resume continues it, --overwrite discards it")
    if out is not None and out.exists() and out.stat().st_size > 0 \
            and not (cfg.resume or cfg.overwrite):
        # Results of an earlier run are never replaced silently.
        raise ConfigError(f"out: {out} exists: --overwrite replaces it, --resume keeps its "
                          "records and scores the rest")
    if cfg.resume and out is not None and cfg.format == "html" and out.is_file() \
            and out.stat().st_size > 0 and not old_partials:
        # Its records cannot be read back: --resume would score everything and replace it.
        raise ConfigError(f"resume: {out} is an HTML report, which cannot be read back; "
                          "--overwrite replaces it (--resume continues only the partial file "
                          "of an interrupted run)")
    journal = journal_path(out) if out else None
    listing = expand_paths(cfg.inputs, exclude=[p for p in (out, journal, *old_partials) if p],
                           include=cfg.include, exclude_globs=cfg.exclude)
    for line in listing.skipped_lines():
        logger.warning("%s", line)
    empty = listing.nothing_to_read(cfg.inputs)
    if empty:  # only folders, holding nothing: a mistake to report, not a success
        raise ConfigError(empty)
    predictor = load_predictor(cfg)
    if cfg.overwrite and not cfg.resume:
        # Discarded as asked, once the run can start (the inputs and the model are found):
        # left until the end, an interrupted --overwrite run would leave them for a later
        # --resume to merge.
        for p in old_partials:
            p.unlink(missing_ok=True)
        old_partials = []
    if cfg.unit == "article" and cfg.stance_stay not in (0.0, STANCE_STAY) \
            and getattr(predictor, "stance_transitions", None) is not None:
        logger.warning("--stance-stay %s only switches the chain on: the fitted chain "
                       "(--stance-chain fitted, the default) moves as the model's "
                       "stance_transitions.json says; --stance-chain uniform uses the value",
                       cfg.stance_stay)
    model = model_record(predictor)
    model["fingerprint"] = run_fingerprint(predictor, cfg.unit)
    kinds, stances = predictor.kinds, predictor.stances
    kept = _resumable(cfg, out, old_partials, model, kinds, stances) \
        if cfg.resume and out is not None else {}
    _check_same_inputs(kept, listing.paths, out)

    result = PredictResult(out=out, unit=cfg.unit, predictor=predictor)
    result.skipped = listing.skipped_counts()
    start = time.perf_counter()
    show = cfg.progress and sys.stderr.isatty()
    bar = _progress_bar(cfg.unit) if show else _NoBar()
    stream = score_stream(predictor, listing.paths, cfg, model, kept, stdin)
    try:
        fh = sys.stdout if journal is None else journal.open("w", encoding="utf-8")
        try:
            for window in stream:
                for rec, resumed in window:
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    result.articles += 1
                    result.resumed += resumed
                    if rec["error"] is None:
                        result.scored += 1
                        if not resumed:
                            result.sentences += len(rec["sentences"])
                    else:
                        result.failed += 1
                fh.flush()  # an interruption after this point loses nothing written
                bar.update(len(window))
                elapsed = time.perf_counter() - start
                bar.set_postfix(sent_per_s=f"{result.sentences / max(elapsed, 1e-9):.1f}")
                if on_chunk is not None:
                    on_chunk(result.articles)
                if cfg.strict and result.failed:
                    result.stopped = True
                    break
        except KeyboardInterrupt:
            if journal is not None and journal.is_file() and journal.stat().st_size == 0:
                fh.close()
                journal.unlink()  # nothing in it; left, it would block a plain rerun
            raise
        finally:
            if journal is not None:
                fh.close()
        result.duplicate_ids = stream.duplicates
        if out is not None:
            _finish(cfg, out, journal, kinds, stances)
            for p in old_partials:  # their records are now in the output
                p.unlink(missing_ok=True)
    finally:
        bar.close()
    result.seconds = time.perf_counter() - start
    return result


class _NoBar:
    """The progress bar of a run that shows none (``--no-progress``, or stderr not a
    terminal): tqdm is not even imported, ~45 ms of every such process's start-up."""

    def update(self, n: int) -> None:
        """Nothing to advance."""

    def set_postfix(self, **values: Any) -> None:
        """Nothing to show."""

    def close(self) -> None:
        """Nothing to close."""


def _progress_bar(unit: str) -> Any:
    """The tqdm bar of a run shown on a terminal."""
    from tqdm.auto import tqdm

    return tqdm(unit=unit, desc="predict", dynamic_ncols=True)


def _finish(cfg: PredictConfig, out: Path, journal: Path, kinds: list[str],
            stances: list[str]) -> None:
    """Move the finished partial file into place as ``--out`` (converting if needed)."""
    if cfg.format == "jsonl":
        os.replace(journal, out)
        return
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    try:
        convert_journal(journal, tmp, cfg.format, kinds, stances, cfg.csv_escape)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    journal.unlink()


def error_record(item, model: dict[str, Any]) -> dict[str, Any]:
    """The record of an input that could not be scored (``item.error`` says why)."""
    return record(item, model)
