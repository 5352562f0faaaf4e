"""An ensemble folder from finished runs: their models, scored together at prediction.

    python -m geostance.train.ensemble RUN_DIR RUN_DIR... --out DIR

Each run's ``model/`` folder is copied to ``DIR/members/NN`` and ``DIR/ensemble.json``
lists them; ``predict.py --model DIR`` (and ``Predictor.load``) then averages the
members' calibrated probabilities (:mod:`geostance.predict.ensemble`). Unlike a soup
(:mod:`.soup`) the runs may differ in anything but their labels (context, speaker input,
seeds), and prediction costs the sum of the members' times. Which ensembles are worth it
is measured with ``python -m geostance.evaluation ensemble``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["make_ensemble", "main"]

# Cached exports are rebuilt next to each copy on first use; copying them would only
# carry another machine's ONNX files along.
_SKIP = shutil.ignore_patterns("onnx", ".*.tmp-*")


def make_ensemble(run_dirs: list[Path], out: Path, overwrite: bool = False) -> Path:
    """Copy the runs' models into the ensemble folder ``out`` (written whole to a temporary
    folder, then renamed) and return it. ValueError for fewer than two runs, a run without
    a complete model, runs whose labels differ, the same model twice, an ``out`` that is,
    holds or lies in a member, an existing ``out`` without ``overwrite``, and an existing
    folder that is not an ensemble (``overwrite`` replaces only an ensemble)."""
    from ..predict.ensemble import ENSEMBLE_FILE, Ensemble
    from ..predict.predictor import ModelLoadError, Predictor, resolve_model_dir

    if len(run_dirs) < 2:
        raise ValueError("an ensemble needs at least two runs")
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out}: is a file; an ensemble is a folder")
    if out.exists() and not overwrite:
        raise ValueError(f"{out}: exists (give --overwrite to replace it)")
    if out.exists() and any(out.iterdir()) and not (out / ENSEMBLE_FILE).is_file():
        # --overwrite replaces an earlier ensemble, never a run or any other folder.
        raise ValueError(f"{out}: exists and is not an ensemble folder (no {ENSEMBLE_FILE}); "
                         "--overwrite replaces only an ensemble")
    try:
        model_dirs = [resolve_model_dir(d) for d in run_dirs]
    except ModelLoadError as e:
        raise ValueError(str(e)) from None
    target = out.resolve()
    seen: dict[Path, Path] = {}
    for run, d in zip(run_dirs, model_dirs, strict=True):
        real = Path(d).resolve()
        if target == real or target in real.parents or real in target.parents:
            raise ValueError(f"{out}: overlaps the member {run}; write the ensemble elsewhere")
        if real in seen:
            raise ValueError(f"{run}: the same model as {seen[real]}, given twice")
        seen[real] = run
    # Loads every member (torch, no export) from where the user named it, so an error
    # names that folder: labels must agree, files must be whole.
    try:
        Ensemble([Predictor.load(d, backend="torch", device="cpu") for d in model_dirs], out)
    except ModelLoadError as e:
        raise ValueError(str(e)) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp's 0700 would hide the folder from other users
    try:
        names = []
        for i, d in enumerate(model_dirs):
            name = f"members/{i:02d}"
            # copyfile: new files take the umask's mode, not the run's (0600 weights).
            shutil.copytree(d, tmp / name, ignore=_SKIP, copy_function=shutil.copyfile)
            names.append(name)
        spec = {"members": names,
                "made_from": [str(Path(d).resolve()) for d in run_dirs],
                "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "combine": "mean of the members' calibrated kind and stance probabilities"}
        (tmp / ENSEMBLE_FILE).write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring); exit 2 on bad arguments."""
    ap = argparse.ArgumentParser(prog="python -m geostance.train.ensemble",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("runs", nargs="+", type=Path, help="finished run (or model) folders")
    ap.add_argument("--out", type=Path, required=True, help="the ensemble folder to write")
    ap.add_argument("--overwrite", action="store_true", help="replace an existing --out")
    args = ap.parse_args(argv)
    try:
        out = make_ensemble(args.runs, args.out, args.overwrite)
    except (ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"ensemble of {len(args.runs)} models -> {out} (predict.py --model {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
