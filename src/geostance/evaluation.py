"""Evaluation on real text: the real-news dev set and the seed article.

Neither is ever trained on. ``realnews_dev`` is scored in sentence mode (each
row with its ``title`` and ``context_prev``); the seed article in article mode
(our own splitting, context and source rules), against the gold table in
``LABELS.md``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from .data import Labels, Sentence
from .metrics import head_report, per_group_macro_f1


def evaluate_realnews(predictor, rows: list[Sentence], labels: Labels) -> dict[str, Any]:
    """Kind and stance reports (stance also per language) on labelled real sentences."""
    preds = predictor.predict_sentences(
        [{"text": s.text, "title": s.title, "context_prev": s.context_prev} for s in rows])
    rows_k = [(s, p) for s, p in zip(rows, preds, strict=True) if s.kind in labels.kinds]
    k_gold = [labels.kinds.index(s.kind) for s, _ in rows_k]
    k_pred = [labels.kinds.index(p["kind"]) for _, p in rows_k]
    rows_s = [(s, p) for s, p in zip(rows, preds, strict=True) if s.stance in labels.stances]
    s_gold = [labels.stances.index(s.stance) for s, _ in rows_s]
    # The stance head's own answer, also where the kind head said boilerplate.
    s_pred = [int(np.argmax([p["stance_probs"][k] for k in labels.stances])) for _, p in rows_s]
    return {
        "n": len(rows),
        "kind": head_report(k_gold, k_pred, labels.kinds),
        "stance": {**head_report(s_gold, s_pred, labels.stances),
                   "per_language": per_group_macro_f1([s.lang for s, _ in rows_s], s_gold,
                                                      s_pred)},
    }


_ROW = re.compile(r"^\|\s*(\d+)\s*\|(.*)\|(.*)\|(.*)\|(.*)\|\s*$")


def parse_seed_gold(labels_md: Path) -> list[dict[str, str]]:
    """Gold rows of the worked example in LABELS.md: start of text, kind, stance, source."""
    rows = []
    in_example = False
    for line in labels_md.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            in_example = line.lower().startswith("## worked example")
        m = _ROW.match(line) if in_example else None
        if m:
            start = m.group(2).split("…")[0].strip()
            rows.append({"n": m.group(1), "start": start, "kind": m.group(3).strip(),
                         "stance": m.group(4).strip(), "source": m.group(5).strip()})
    return rows


def _norm(text: str) -> str:
    return " ".join(text.replace("\u201d", '"').replace("\u201c", '"').split())


def evaluate_seed(predictor, seed_path: Path, labels_md: Path) -> dict[str, Any] | None:
    """Article-mode accuracy on the seed article, or None when the files are absent.

    Each gold row is matched, in order, to the first later predicted sentence
    that starts with the row's text; a row with no such sentence (a splitting
    error) counts as wrong for every field.
    """
    if not seed_path.is_file() or not labels_md.is_file():
        return None
    gold = parse_seed_gold(labels_md)
    if not gold:
        return None
    art = predictor.predict_articles([{"id": seed_path.stem,
                                       "text": seed_path.read_text(encoding="utf-8")}])[0]
    sents = art["sentences"]
    pos, kind_ok, stance_ok, source_ok, missing = 0, 0, 0, 0, []
    details = []
    for g in gold:
        j = next((i for i in range(pos, len(sents))
                  if _norm(sents[i]["text"]).startswith(_norm(g["start"]))), None)
        if j is None:
            missing.append(g["n"])
            details.append({**g, "predicted": None})
            continue
        pos = j + 1
        s = sents[j]
        kind_ok += s["kind"] == g["kind"]
        stance_ok += s["stance"] == g["stance"]
        source_ok += _norm(s["source"]).casefold() == _norm(g["source"]).casefold()
        details.append({**g, "predicted": {k: s[k] for k in ("text", "kind", "stance", "source")}})
    n = len(gold)
    return {"n": n, "kind_accuracy": kind_ok / n, "stance_accuracy": stance_ok / n,
            "source_accuracy": source_ok / n, "unmatched_gold_rows": missing,
            "predicted_sentences": len(sents), "rows": details}


COMPARE_COLUMNS = [
    ("realnews stance F1", "realnews_dev.stance.macro_f1"),
    ("realnews kind F1", "realnews_dev.kind.macro_f1"),
    ("dev stance F1", "dev.stance.macro_f1"),
    ("dev kind F1", "dev.kind.macro_f1"),
    ("test stance F1", "test.stance.macro_f1"),
    ("seed stance acc", "seed_article.stance_accuracy"),
    ("s/step", "seconds_per_step"),
    ("train s", "train_seconds"),
]


def compare_runs(run_dirs: list[Path], markdown: bool = True) -> str:
    """A table of the headline numbers of several runs (from their metrics.json)."""
    import json

    import yaml

    from .fileio import render_table

    rows = []
    for run in run_dirs:
        m = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
        cfg = yaml.safe_load((run / "config.yaml").read_text(encoding="utf-8"))
        setting = (f"context={cfg['model']['context']} pooling={cfg['model']['pooling']} "
                   f"frozen_emb={cfg['model']['freeze_embeddings']} "
                   f"lr={cfg['train']['learning_rate']:g} epochs={cfg['train']['epochs']:g}")
        row = [run.name, setting]
        for _, path in COMPARE_COLUMNS:
            node = m
            for part in path.split("."):
                node = node.get(part, {}) if isinstance(node, dict) else {}
            row.append(f"{node:.3f}" if isinstance(node, float) else "-")
        rows.append(row)
    return render_table(["run", "setting", *(c for c, _ in COMPARE_COLUMNS)], rows, markdown)


def main(argv: list[str] | None = None) -> int:
    """``python -m geostance.evaluation compare RUN_DIR...``: the runs side by side."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m geostance.evaluation")
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compare", help="headline metrics of several run directories")
    c.add_argument("runs", nargs="+", type=Path)
    c.add_argument("--plain", action="store_true", help="aligned text instead of Markdown")
    args = parser.parse_args(argv)
    print(compare_runs(args.runs, markdown=not args.plain))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
