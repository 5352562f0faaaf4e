"""Finished runs read back for measurements after training (``reports/*.py``, ensembles):
a run's evaluation sets from the current checkout, labelled rows scored as sentence mode
scores them, and the command line the report scripts over runs share.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..cli import positive_int
from ..data import Sentence
from .realnews import speakers_of

if TYPE_CHECKING:
    from ..config import Config

__all__ = ["report_over_runs", "run_config", "run_sets", "score_rows"]

# DataConfig fields that hold a path, or a list of paths.
_PATHS = ("corpus_dir", "real_dir", "realnews_dev", "seed_article", "labels_spec",
          "soft_targets")
_PATH_LISTS = ("train_files", "add_train_files", "contrast_files", "dev_files", "test_files")


def run_config(run: Path) -> Config:
    """A finished run's ``config.yaml``, its relative data paths found from here.

    Training ran in some folder and wrote paths relative to it (``data/corpus``,
    ``../shared/...``); read back from elsewhere (a notebook in ``notebooks/``, a
    report script), each relative path that does not exist from the working directory is
    looked up under the run's grandparent (``runs/NAME`` sits two levels below where
    ``train.py`` ran), then under the repository root, and left as it is when found
    nowhere, so the error that follows names it.
    """
    from dataclasses import replace

    from ..config import build_config, load_yaml
    from ..fileio import REPO_ROOT, find_relative

    cfg = build_config(load_yaml(Path(run) / "config.yaml"))
    bases = (Path(run).resolve().parent.parent, REPO_ROOT)
    d = cfg.data
    fixed = {k: find_relative(getattr(d, k), bases) for k in _PATHS}
    fixed.update({k: [find_relative(p, bases) for p in getattr(d, k)] for k in _PATH_LISTS})
    return replace(cfg, data=replace(d, **fixed))


def run_sets(run: Path) -> tuple[Config, dict[str, list[Sentence]]]:
    """``run``'s configuration (:func:`run_config`) and its splits, read from the current
    checkout (those :func:`geostance.data.load_splits` gives: train, dev, test, realdev and
    realtest where the configuration has them), with ``realnews_dev`` when its file is
    there."""
    from ..data import load_realnews, load_splits

    cfg = run_config(run)
    sets = dict(load_splits(cfg.data))
    realnews = load_realnews(cfg.data.realnews_dev)
    if realnews is not None:
        sets["realnews_dev"] = realnews
    return cfg, sets


def score_rows(predictor, rows: list[Sentence]) -> tuple[np.ndarray, np.ndarray]:
    """Calibrated kind and stance probabilities of labelled rows as sentence mode scores
    them: the title, the previous sentence and, for a model that reads it, the speaker the
    sources rules find in each whole document (never the gold one)."""
    kind_p, stance_p, _ = predictor.score([r.text for r in rows], [r.title for r in rows],
                                          [r.context_prev for r in rows], None,
                                          speakers_of(rows))
    return kind_p, stance_p


def report_over_runs(doc: str, tag: str, measure: Callable[[Path], Any],
                     report: Callable[[list[Path], list[Any], int], str],
                     argv: list[str] | None = None) -> int:
    """The command line of a report script over finished runs: ``RUN... [--out FILE]
    [--resamples N]``; ``measure`` each run (progress on stderr, ``[tag] run``), then print
    ``report(runs, results, resamples)`` and write it to ``--out`` atomically."""
    from ..fileio import emit_report, output_problem

    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("runs", nargs="+", type=Path, help="finished run folders")
    # A str, not a Path: Path() drops the "/" that output_problem refuses ("reports/x/")
    ap.add_argument("--out", help="write the Markdown report here (a new file, or "
                    "--overwrite)")
    ap.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    ap.add_argument("--resamples", type=positive_int, default=1000,
                    help="bootstrap resamples (at least 1)")
    args = ap.parse_args(argv)
    problem = output_problem(args.out, overwrite=args.overwrite)
    if problem:
        ap.error(f"--out: {problem}")
    for run in args.runs:  # before the first run's minutes of scoring
        if not run.is_dir():
            ap.error(f"{run}: no such run folder")
    from ..config import ConfigError
    from ..data import DataError
    from ..predict.predictor import ModelLoadError

    results = []
    for run in args.runs:
        print(f"[{tag}] {run}", file=sys.stderr, flush=True)
        try:
            results.append(measure(run.resolve()))
        except (ModelLoadError, ConfigError, DataError) as e:  # not a finished run: one line
            print(f"error: {run}: {e}", file=sys.stderr)
            return 2
    return 0 if emit_report(report(args.runs, results, args.resamples), args.out) else 2
