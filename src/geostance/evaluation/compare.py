"""``compare``: the headline numbers of several run directories side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

COMPARE_COLUMNS = [
    ("realnews stance F1", "realnews_dev.stance.macro_f1"),
    ("realnews kind F1", "realnews_dev.kind.macro_f1"),
    ("realdev stance F1", "realdev.stance.macro_f1"),
    ("realtest stance F1", "realtest.stance.macro_f1"),
    ("realtest kind F1", "realtest.kind.macro_f1"),
    ("written test stance F1", "test.stance.macro_f1"),
    ("written test kind F1", "test.kind.macro_f1"),
    ("seed stance acc", "seed_article.stance_accuracy"),
    ("realtest source exact", "realtest.source.exact"),
    ("s/step", "seconds_per_step"),
    ("train s", "train_seconds"),
]


def _run_record(run: Path) -> tuple[dict, Any]:
    """A run's metrics.json and configuration; ValueError naming the run and file."""
    import json

    from ..config import ConfigError, build_config, load_yaml

    if not run.is_dir():
        raise ValueError(f"{run}: not a run folder")
    path = run / "metrics.json"
    if not path.is_file():
        raise ValueError(f"{path}: missing (an unfinished or failed run?)")
    try:
        metrics = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: not valid JSON ({e})") from None
    if not isinstance(metrics, dict):
        raise ValueError(f"{path}: not a JSON object")
    try:
        cfg = build_config(load_yaml(run / "config.yaml"))
    except ConfigError as e:
        raise ValueError(str(e)) from None
    return metrics, cfg


def compare_runs(run_dirs: list[Path], markdown: bool = True) -> str:
    """A table of the headline numbers of several runs (from their metrics.json and
    config.yaml); ValueError naming the run and file for a folder that is not a finished
    run."""
    from ..fileio import render_table

    rows = []
    for run in run_dirs:
        m, cfg = _run_record(run)
        data, model, train = cfg.data, cfg.model, cfg.train
        setting = (f"corpora={'+'.join(data.corpora)} real_weight={data.real_weight:g} "
                   f"context={model.context} speaker={model.speaker} "
                   f"freeze_layers={model.freeze_layers} "
                   f"lr={train.learning_rate:g} epochs={train.epochs:g}")
        weights = (m.get("model") or {}).get("weights_sha256") if isinstance(
            m.get("model"), dict) else None
        # A link (runs/latest) is named by the run it points at: "latest" moves on.
        row = [run.resolve().name, setting, str(weights)[:12] if weights else "-"]
        for _, path in COMPARE_COLUMNS:
            node = m
            for part in path.split("."):
                node = node.get(part, {}) if isinstance(node, dict) else {}
            row.append(f"{node:.3f}" if isinstance(node, float) else "-")
        rows.append(row)
    return render_table(["run", "setting", "weights", *(c for c, _ in COMPARE_COLUMNS)], rows,
                        markdown)
