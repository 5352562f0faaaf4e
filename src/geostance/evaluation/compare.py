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


def _run_record(run: Path) -> tuple[dict, str]:
    """A run's metrics.json and a one-line summary of its settings; ValueError naming the
    run and file."""
    import json

    import yaml

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
    # The raw YAML, not the strict config: a run made by an older version, with a
    # setting since renamed, still has its numbers to show.
    path = run / "config.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: cannot be read ({type(e).__name__})") from None
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: not a mapping")
    data, model, train = ((raw.get(k) if isinstance(raw.get(k), dict) else {})
                          for k in ("data", "model", "train"))
    corpora = data.get("corpora") or ["written"]
    # A hand-written config may hold a string ("written", as the command line takes it)
    # or a list with a number in it: shown as written, not letter by letter or a traceback.
    setting = " ".join(f"{name}={value}" for name, value in (
        ("corpora", "+".join(map(str, corpora)) if isinstance(corpora, list) else corpora),
        ("real_weight", data.get("real_weight", "-")), ("context", model.get("context", "-")),
        ("speaker", model.get("speaker", "-")), ("freeze_layers", model.get("freeze_layers", 0)),
        ("lr", train.get("learning_rate", "-")), ("epochs", train.get("epochs", "-"))))
    # Own data changes what a run learnt more than any setting: name its files.
    for key in ("train_files", "add_train_files"):
        files = data.get(key)
        if isinstance(files, list) and files:
            setting += f" {key}=" + "+".join(Path(str(f)).name for f in files)
    return metrics, setting


def compare_runs(run_dirs: list[Path], markdown: bool = True) -> str:
    """A table of the headline numbers of several runs (from their metrics.json and
    config.yaml); ValueError naming the run and file for a folder that is not a finished
    run."""
    from ..fileio import render_table

    rows = []
    for run in run_dirs:
        m, setting = _run_record(run)
        model = m.get("model")
        weights = model.get("weights_sha256") if isinstance(model, dict) else None
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
