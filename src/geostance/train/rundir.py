"""Run directories: ``runs/<timestamp>-<name>/``, resuming, and the ``latest`` link."""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import datetime
from pathlib import Path

import yaml

from ..config import Config, ConfigError
from ..fileio import check_writable

__all__ = ["COMPLETED", "world", "check_output_dir", "check_resumable", "find_resumable",
           "last_complete_checkpoint", "prepare_run_dir", "update_latest"]

log = logging.getLogger("geostance")

COMPLETED = "COMPLETED"


def world() -> tuple[int, int]:
    return int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))


def last_complete_checkpoint(run_dir: Path, warn: bool = True) -> Path | None:
    """The highest-step checkpoint of a run that was written to the end, or None.

    The Trainer writes a checkpoint's ``trainer_state.json`` last (after the weights,
    optimizer and RNG states), so a run killed while saving leaves a folder without a
    readable one; resuming from it would fail, so it is stepped over (logged unless
    ``warn`` is false).
    """
    found = []
    for ckpt in (run_dir / "checkpoints").glob("checkpoint-*"):
        m = re.fullmatch(r"checkpoint-(\d+)", ckpt.name)
        if m and ckpt.is_dir():
            found.append((int(m.group(1)), ckpt))
    for _, ckpt in sorted(found, reverse=True):
        try:
            json.loads((ckpt / "trainer_state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            if warn:
                log.warning("checkpoint %s was not written to the end; skipped", ckpt)
            continue
        return ckpt
    return None


def check_output_dir(out: Path) -> None:
    """ConfigError unless ``out`` is (or can be made) a folder this process can write in."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"train.output_dir: {out} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        check_writable(out)
    except OSError as e:
        raise ConfigError(f"train.output_dir: cannot write in {out} ({e.strerror or e})"
                          ) from None
    latest = out / "latest"
    if latest.exists() and not latest.is_symlink():
        # The run ends by pointing the link "latest" at itself; a real file or folder of
        # that name would make it fail after all the training.
        what = "folder" if latest.is_dir() else "file"
        raise ConfigError(f"train.output_dir: {latest} is a {what}, not the link to the "
                          "newest run that training writes; move it away")


# Settings a resumed run may change: where and how fast it runs, not what it trains.
RESUME_FREE = {("train", "resume"), ("train", "threads"), ("train", "device"),
               ("train", "report_to"), ("train", "output_dir"), ("train", "baseline"),
               ("train", "keep_checkpoints")}


def _differing_setting(saved: dict, now: dict) -> tuple[str, object, object] | None:
    for section, values in now.items():
        for key, value in values.items():
            if (section, key) in RESUME_FREE:
                continue
            old = (saved.get(section) or {}).get(key, value)
            if old != value:
                return f"{section}.{key}", old, value
    return None


def _as_option(value: object) -> str:
    """A setting as it is typed after ``--key`` in a shell: lists comma-joined, quoted
    where needed (an empty value is '')."""
    import shlex

    if isinstance(value, list):
        value = ",".join(map(str, value))
    return shlex.quote(str(value))


def _saved_name(run: Path) -> str | None:
    """``train.name`` in a run's config.yaml, or None where it cannot be read: the folder
    name alone is ambiguous ("…-2-x" is the second run of "x" or the first of "2-x")."""
    try:
        saved = yaml.safe_load((run / "config.yaml").read_text(encoding="utf-8"))
        return str(saved["train"]["name"])
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError):
        return None


def find_resumable(output_dir: Path, name: str) -> Path | None:
    """Newest run of ``name`` that has a complete checkpoint but never completed."""
    # Run folders are <date>-<time>[-n]-<name> (prepare_run_dir): the name matched whole,
    # not as a suffix ("x" is not "ablation-x") nor as a glob ("exp[1]").
    pattern = re.compile(rf"(\d{{8}}-\d{{6}})(?:-(\d+))?-{re.escape(name)}")

    def started(run: Path) -> tuple[str, int]:
        # By time, then by the number of a second run in the same second: as text,
        # "-10-x" would sort before "-9-x" (and a first run's "-x" after "-2-x").
        m = pattern.fullmatch(run.name)
        return (m.group(1), int(m.group(2) or 1)) if m else ("", 0)

    runs = sorted((p for p in output_dir.iterdir() if pattern.fullmatch(p.name) and p.is_dir()
                   and _saved_name(p) in (None, name)), key=started) \
        if output_dir.is_dir() else []
    for run in reversed(runs):
        # Quietly: the trainer names a skipped checkpoint once, when it resumes.
        if not (run / COMPLETED).exists() and last_complete_checkpoint(run, warn=False):
            return run
    return None


def check_resumable(cfg: Config) -> Path | None:
    """The run ``--train.resume`` would continue (None: a new run starts), after checking
    that ``cfg`` asks for the settings it was started with (ConfigError naming the first
    that differs; those of :data:`RESUME_FREE` may change). Cheap: call it before loading
    anything."""
    if not cfg.train.resume:
        return None
    resume_dir = find_resumable(Path(cfg.train.output_dir), cfg.train.name)
    if resume_dir is None:
        return None
    try:
        saved = yaml.safe_load((resume_dir / "config.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        saved = None
    if not isinstance(saved, dict):
        # Without its settings nothing says the run would continue as it started.
        raise ConfigError(f"train.resume: {resume_dir / 'config.yaml'} is missing or unreadable, "
                          "so the run's settings cannot be checked; start a new run without "
                          "--train.resume")
    # A key the saved config lacks (a setting added since) counts as unchanged.
    diff = _differing_setting(saved, cfg.to_dict())
    if diff:
        key, old, new = diff
        raise ConfigError(f"train.resume: {resume_dir} was started with {key} = {old!r}, this "
                          f"run asks for {new!r} (if you did not set it, its default changed "
                          f"since: pass --{key} {_as_option(old)}); resume with the run's "
                          "settings, or start a new run without --train.resume")
    return resume_dir


def prepare_run_dir(cfg: Config) -> tuple[Path, bool]:
    """(run directory, resuming?) — identical on every process of a distributed run."""
    out = Path(cfg.train.output_dir)
    resume_dir = check_resumable(cfg)
    if cfg.train.resume and resume_dir is None:
        log.warning("--train.resume: no unfinished run named %r in %s; starting a new run",
                    cfg.train.name, out)
    if resume_dir is not None:
        return resume_dir, True
    # torchrun starts all ranks at once; the timestamp comes from the launcher
    # run id where there is one so that every rank names the same directory.
    stamp = os.environ.get("GEOSTANCE_RUN_STAMP") or datetime.now().strftime("%Y%m%d-%H%M%S")
    run = out / f"{stamp}-{cfg.train.name}"
    n = 1
    while run.exists() and world()[1] == 1:
        n += 1
        run = out / f"{stamp}-{n}-{cfg.train.name}"
    return run, False


def update_latest(run_dir: Path) -> None:
    """Point ``<output_dir>/latest`` at ``run_dir`` atomically (symlink + rename)."""
    link = run_dir.parent / "latest"
    tmp = run_dir.parent / f".latest-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(run_dir.name)
    os.replace(tmp, link)


