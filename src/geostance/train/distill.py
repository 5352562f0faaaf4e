"""Distillation: several trained runs' stance probabilities as soft targets for one model.

    python -m geostance.train.distill RUN... --config configs/default.yaml \\
        --out data/distill/NAME.jsonl

An ensemble of runs scores better on real text than any one of them (``reports/ensemble.md``)
but costs its members' scoring times added. Here each run (a ``train.py`` run folder, or a
model folder) scores every stance-bearing training sentence of ``--config`` as sentence mode
scores it (its own context, speaker input and calibration; :func:`geostance.evaluation.runs.
score_rows`), and the mean of their stance distributions is written, one line per sentence
id. With ``data.soft_targets`` naming that file and ``train.distill_weight`` > 0, training
takes that share of the stance loss from these targets instead of the gold label
(:meth:`geostance.model.modeling.GeoStanceModel.forward`), and the trained model scores at
one model's cost.

File format (JSONL, one object per line): ``{"id": sentence id, "stance_probs": {label:
probability, ...}}`` with every stance label of the configuration, probabilities summing to
1. Every stance-bearing training sentence needs a line; lines for other ids are ignored.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..data import DataError, Problems, Sentence

__all__ = ["teacher_probabilities", "write_targets", "read_targets", "soft_target_rows", "main"]

# A line's probabilities may sum to 1 within this (rounding to 6 decimals when written).
SUM_TOLERANCE = 1e-3


def teacher_probabilities(runs: Sequence[Path], rows: list[Sentence], stances: list[str],
                          backend: str = "auto", progress: bool = True) -> np.ndarray:
    """Mean calibrated stance probabilities of ``runs`` on ``rows`` (n x stances, in the
    order of ``stances``); every run must have exactly those stance labels."""
    from ..evaluation.runs import score_rows
    from ..predict.ensemble import average_probabilities
    from ..predict.predictor import Predictor

    probs = []
    for run in runs:
        predictor = Predictor.load(run, backend=backend)
        if list(predictor.stances) != list(stances):
            raise ValueError(f"{run}: stance labels {list(predictor.stances)} differ from the "
                             f"configuration's {list(stances)}")
        probs.append(score_rows(predictor, rows)[1])
        if progress:
            print(f"[distill] scored {len(rows)} sentences with {run}", file=sys.stderr,
                  flush=True)
    return average_probabilities(probs)


def write_targets(path: Path, rows: list[Sentence], probs: np.ndarray,
                  stances: list[str]) -> None:
    """One line per row (its id and stance distribution), written atomically."""
    from ..fileio import write_jsonl_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_jsonl_atomic(path, ({"id": r.id, "stance_probs": {
        s: round(float(p), 6) for s, p in zip(stances, ps, strict=True)}}
        for r, ps in zip(rows, probs, strict=True)))


def read_targets(path: Path, stances: list[str]) -> dict[str, list[float]]:
    """Sentence id -> stance probabilities in the order of ``stances``; :class:`DataError`
    naming the file, line and field of every bad line."""
    from ..data.formats import read_jsonl_objects

    problems = Problems()
    out: dict[str, list[float]] = {}
    try:
        rows = list(read_jsonl_objects(path, problems))  # bad lines become named problems
    except OSError as e:
        raise DataError([f"{path}: data.soft_targets: cannot be read ({e.strerror or e})"]
                        ) from None
    for n, obj in rows:
        where = f"{path}:{n}"
        sid, probs = obj.get("id"), obj.get("stance_probs")
        if not isinstance(sid, str) or not sid:
            problems.add(where, "id", "must be a non-empty string")
            continue
        if sid in out:
            problems.add(where, "id", f"{sid!r} appears twice")
            continue
        if not isinstance(probs, dict) or sorted(probs) != sorted(stances):
            problems.add(where, "stance_probs", f"must map exactly the stance labels {stances}")
            continue
        values = [probs[s] for s in stances]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                   and 0.0 <= v <= 1.0 for v in values):
            problems.add(where, "stance_probs", "every probability must be a number in [0, 1]")
            continue
        if abs(sum(values) - 1.0) > SUM_TOLERANCE:
            problems.add(where, "stance_probs", f"sums to {sum(values):.4f}, not 1")
            continue
        total = float(sum(values))  # within SUM_TOLERANCE of 1: renormalised exactly
        out[sid] = [float(v) / total for v in values]
    problems.raise_if_any()
    if not out:
        raise DataError([f"{path}: data.soft_targets: no targets in the file"])
    return out


def soft_target_rows(rows: list[Sentence], targets: dict[str, list[float]], path: Path,
                     n_stances: int) -> list[list[float]]:
    """Each row's soft stance target (zeros for a row without a stance, which the stance
    loss masks); :class:`DataError` when a stance-bearing row has no target."""
    missing = [r for r in rows if r.stance and r.id not in targets]
    if missing:
        shown = ", ".join(f"{r.id} ({r.where})" for r in missing[:5])
        raise DataError([f"{path}: data.soft_targets: no target for {len(missing)} "
                         f"stance-bearing training sentence(s), e.g. {shown}; write the file "
                         "again for this configuration (python -m geostance.train.distill)"])
    return [targets[r.id] if r.stance else [0.0] * n_stances for r in rows]


def main(argv: list[str] | None = None) -> int:
    """``python -m geostance.train.distill``: write the teachers' soft targets; a missing,
    empty or wrong ``--config``, bad data or a teacher that cannot be loaded is one line
    on stderr and exit 2."""
    from ..config import ConfigError
    from ..predict.predictor import ModelLoadError

    try:
        return _distill(argv)
    except (ConfigError, DataError, ModelLoadError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


def _distill(argv: list[str] | None) -> int:
    from ..config import build_config, load_yaml
    from ..data import Labels, load_splits

    ap = argparse.ArgumentParser(prog="python -m geostance.train.distill",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("runs", nargs="+", type=Path, help="teacher runs (or model folders)")
    ap.add_argument("--config", type=Path, default=Path("configs/default.yaml"),
                    help="the training configuration whose train split is scored")
    ap.add_argument("--out", type=Path, required=True, help="JSONL of soft targets to write")
    ap.add_argument("--backend", default="auto", choices=("auto", "torch", "onnx"),
                    help="scoring backend of the teachers (as predict.py's --backend)")
    args = ap.parse_args(argv)
    cfg = build_config(load_yaml(args.config))
    labels = Labels.from_config(cfg.data)
    rows = [r for r in load_splits(cfg.data)["train"] if r.stance]
    probs = teacher_probabilities(args.runs, rows, labels.stances, args.backend)
    write_targets(args.out, rows, probs, labels.stances)
    agree = float(np.mean(probs.argmax(1) == np.array([labels.stances.index(r.stance)
                                                        for r in rows])))
    summary: dict[str, Any] = {"out": str(args.out), "sentences": len(rows),
                               "teachers": len(args.runs),
                               "teacher_argmax_equals_gold": round(agree, 4)}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
