"""``compare``: the headline numbers of several run directories side by side."""

from __future__ import annotations

from pathlib import Path

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


def compare_runs(run_dirs: list[Path], markdown: bool = True) -> str:
    """A table of the headline numbers of several runs (from their metrics.json)."""
    import json

    import yaml

    from ..fileio import render_table

    rows = []
    for run in run_dirs:
        m = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
        cfg = yaml.safe_load((run / "config.yaml").read_text(encoding="utf-8"))
        data, model, train = cfg.get("data", {}), cfg["model"], cfg["train"]
        setting = (f"corpora={'+'.join(data.get('corpora', ['written']))} "
                   f"real_weight={data.get('real_weight', 1.0):g} "
                   f"context={model['context']} speaker={model.get('speaker', False)} "
                   f"freeze_layers={model.get('freeze_layers', 0)} "
                   f"lr={train['learning_rate']:g} epochs={train['epochs']:g}")
        row = [run.name, setting]
        for _, path in COMPARE_COLUMNS:
            node = m
            for part in path.split("."):
                node = node.get(part, {}) if isinstance(node, dict) else {}
            row.append(f"{node:.3f}" if isinstance(node, float) else "-")
        rows.append(row)
    return render_table(["run", "setting", *(c for c, _ in COMPARE_COLUMNS)], rows, markdown)
