"""Weight averaging ("model soup"): one model from several finished runs, free at prediction.

    python -m geostance.train.soup RUN_DIR RUN_DIR... --out DIR [--name NAME]

The runs must share their configuration apart from the seed (same base encoder,
labels and frozen layers): they start from the same pretrained weights and move
little, so the average of their weights is itself a good model (Wortsman et al.
2022, "Model soups"), at the cost of one model when predicting. The heads start
from different random draws per seed, but on nearly shared features a linear
head's solutions are close; whether the average helps is measured, not assumed:
the soup is calibrated on dev and evaluated exactly like a trained run into
``OUT/<timestamp>-<name>/`` (``metrics.json``, ``eval_predictions.json``,
``model/``), so the sweep report compares it with the single runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from ..config import ConfigError, build_config, load_yaml

__all__ = ["average_weights", "evaluate_weights", "make_soup", "main"]


def average_weights(model_dirs: list[Path]) -> dict:
    """The element-wise mean of the models' float tensors (others taken from the first)."""
    from safetensors.torch import load_file

    states = [load_file(str(d / "model.safetensors")) for d in model_dirs]
    first = states[0]
    for d, s in zip(model_dirs[1:], states[1:], strict=True):
        if s.keys() != first.keys() or any(s[k].shape != first[k].shape for k in first):
            raise ValueError(f"{d}: weights differ in names or shapes from {model_dirs[0]}; "
                             "only runs of one configuration can be averaged")
    out = {}
    for k, v in first.items():
        out[k] = (sum(s[k].double() for s in states) / len(states)).to(v.dtype) \
            if v.is_floating_point() else v
    return out


def make_soup(run_dirs: list[Path], out: Path, name: str) -> Path:
    """Average the runs' weights, calibrate and evaluate; returns the soup's run directory."""
    if len(run_dirs) < 2:
        raise ValueError("a soup needs at least two runs")
    return evaluate_weights(run_dirs, out, name,
                            lambda: average_weights([d / "model" for d in run_dirs]))


def evaluate_weights(run_dirs: list[Path], out: Path, name: str,
                     weights: Callable[[], dict] | None = None) -> Path:
    """Calibrate and evaluate ``weights`` (default: the first run's own) with the first
    run's configuration on today's splits, exactly as train.py ends a run, into a new run
    directory ``OUT/<timestamp>-<name>/``; the model is evaluated in float32.

    With one run and no ``weights`` this re-evaluates a finished run, e.g. one whose
    stored figures came from bfloat16 inference (reports/sweep.md, twentieth sweep)."""
    import yaml
    from transformers import PreTrainedTokenizerFast

    from ..data import Labels, load_splits
    from ..fileio import write_json_atomic
    from ..model.modeling import GeoStanceModel
    from .rundir import COMPLETED
    from .trainer import evaluate_and_save

    for d in run_dirs:
        if not (d / COMPLETED).exists():
            raise ValueError(f"{d}: not a finished run (no {COMPLETED})")
    t0 = time.time()
    values = load_yaml(run_dirs[0] / "config.yaml")
    values["train"].update(output_dir=str(out), name=name)
    cfg = build_config(values)
    labels = Labels.from_config(cfg.data)
    splits = load_splits(cfg.data)
    model_dir = run_dirs[0] / "model"
    model = GeoStanceModel.from_pretrained(model_dir)
    if weights is not None:
        model.load_state_dict(weights())
    tokenizer = PreTrainedTokenizerFast.from_pretrained(model_dir)
    run_dir = out / f"{datetime.now().strftime('%Y%m%d-%H%M%S')}-{name}"
    run_dir.mkdir(parents=True)
    # As train.py writes it: the sweep report and --baseline-runs read a run's settings here.
    (run_dir / "config.yaml").write_text(yaml.safe_dump(cfg.to_dict(), sort_keys=False),
                                         encoding="utf-8")
    key = "soup_of" if weights is not None else "evaluated_from"
    metrics = evaluate_and_save(cfg, model.eval(), tokenizer, splits, labels, run_dir, {
        key: [str(d) for d in run_dirs], "train_seconds": 0.0})
    metrics["total_seconds"] = time.time() - t0
    write_json_atomic(run_dir / "metrics.json", metrics)
    write_json_atomic(run_dir / "model" / "metrics.json", metrics)
    (run_dir / COMPLETED).write_text(datetime.now(timezone.utc).isoformat() + "\n")
    return run_dir


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring); exit 2 on bad arguments."""
    ap = argparse.ArgumentParser(prog="python -m geostance.train.soup",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("runs", nargs="+", type=Path, help="finished run directories")
    ap.add_argument("--out", type=Path, required=True, help="parent of the soup's run dir")
    ap.add_argument("--name", default="soup", help="run name")
    args = ap.parse_args(argv)
    try:
        run_dir = make_soup(args.runs, args.out, args.name)
    except (ValueError, ConfigError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"soup of {len(args.runs)} runs -> {run_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
