"""Run directories: ``runs/<timestamp>-<name>/``, resuming, and the ``latest`` link."""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path

from ..config import Config

__all__ = ["COMPLETED", "world", "find_resumable", "prepare_run_dir", "update_latest"]

log = logging.getLogger("geostance")

COMPLETED = "COMPLETED"


def world() -> tuple[int, int]:
    return int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))


def find_resumable(output_dir: Path, name: str) -> Path | None:
    """Newest run of ``name`` that has checkpoints but never completed."""
    runs = sorted(p for p in output_dir.glob(f"*-{name}") if p.is_dir())
    for run in reversed(runs):
        if not (run / COMPLETED).exists() and any((run / "checkpoints").glob("checkpoint-*")):
            return run
    return None


def prepare_run_dir(cfg: Config) -> tuple[Path, bool]:
    """(run directory, resuming?) — identical on every process of a distributed run."""
    out = Path(cfg.train.output_dir)
    resume_dir = find_resumable(out, cfg.train.name) if cfg.train.resume else None
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


