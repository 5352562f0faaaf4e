"""Tables and figures of a training run, for ``notebooks/01_evaluate.ipynb`` and reports.

Everything reads a run directory (``runs/latest`` works): its ``metrics.json``
(built by ``train.trainer.evaluate_and_save``); the error analysis that rescans
data with the model is :mod:`.errors`.

Figures are plain :class:`matplotlib.figure.Figure` objects created without
pyplot, so nothing needs a display or a GUI backend (the same as Agg outside a
notebook); in a notebook with ``%matplotlib inline`` a returned figure shows
once. Tables are :class:`Table` objects: lists of row dicts that render as
HTML in a notebook and as aligned text with ``str()``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from ..fileio import REPO_ROOT
from .html import stance_colour

HEADS = ("kind", "stance")


class Table(list):
    """Rows (dicts with the same keys) that show as an HTML table in a notebook."""

    def __init__(self, rows: Sequence[dict[str, Any]] = (), title: str = ""):
        super().__init__(rows)
        self.title = title

    @property
    def columns(self) -> list[str]:
        """Column names in first-seen order."""
        cols: list[str] = []
        for row in self:
            cols += [k for k in row if k not in cols]
        return cols

    @staticmethod
    def _fmt(v: Any) -> str:
        if isinstance(v, float):
            return "" if math.isnan(v) else f"{v:.3f}"
        return "" if v is None else str(v)

    def _repr_html_(self) -> str:
        cols = self.columns
        head = "".join(f"<th>{escape(c)}</th>" for c in cols)
        body = "".join("<tr>" + "".join(f"<td>{escape(self._fmt(r.get(c)))}</td>" for c in cols)
                       + "</tr>" for r in self)
        cap = f"<caption>{escape(self.title)}</caption>" if self.title else ""
        return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # IPython's plain-text fallback
        printer.text(str(self))

    def __str__(self) -> str:
        cols = self.columns
        cells = [[self._fmt(r.get(c)) for c in cols] for r in self]
        widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
        lines = [self.title] if self.title else []
        lines.append("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)))
        lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True))
                  for row in cells]
        return "\n".join(lines)


def find_path(path: str | Path) -> Path:
    """A repository-relative path as seen from here, the notebooks/ folder or the repo root.

    Notebooks run with notebooks/ as working directory while paths such as
    ``runs/latest`` are relative to the repository root; this finds either.
    """
    p = Path(path)
    if p.is_absolute():
        return p
    for base in (Path.cwd(), Path.cwd().parent, REPO_ROOT):
        if (base / p).exists():
            return (base / p).resolve()
    return p


def demo_article_paths() -> list[Path]:
    """The seed article (``../shared/seed``) when present, and the project's demo article."""
    seed = find_path("../shared/seed/azerbaijan_nato_sv.txt")
    demo = find_path("data/demo/demo_article_en.txt")
    return [seed, demo] if seed.is_file() else [demo]


def load_metrics(run_dir: str | Path) -> dict[str, Any]:
    """``metrics.json`` of a run directory (or of its ``model/`` directory)."""
    run_dir = Path(run_dir)
    for p in (run_dir / "metrics.json", run_dir / "model" / "metrics.json"):
        if p.is_file():
            return json.loads(p.read_text(encoding="utf-8"))
    raise FileNotFoundError(f"{run_dir}: no metrics.json (not a completed run?)")


def _metrics(m: str | Path | dict[str, Any]) -> dict[str, Any]:
    return m if isinstance(m, dict) else load_metrics(m)


def _head(metrics: dict[str, Any], split: str, head: str, baseline: bool = False) -> dict:
    src = (metrics.get("baseline") or {}) if baseline else metrics
    return ((src.get(split) or {}).get(head)) or {}


# --------------------------------------------------------------------------- tables


def metrics_table(run: str | Path | dict[str, Any]) -> Table:
    """Accuracy, macro-F1 and ECE per split and head, transformer next to baseline."""
    m = _metrics(run)
    rows = []
    for split in ("dev", "test", "realdev", "realtest", "realnews_dev"):
        for head in HEADS:
            for model, base in (("transformer", False), ("baseline", True)):
                rep = _head(m, split, head, base)
                if not rep.get("n"):
                    continue
                cal = rep.get("calibration") or {}
                rows.append({"split": split, "head": head, "model": model, "n": rep["n"],
                             "accuracy": rep.get("accuracy"), "macro_f1": rep.get("macro_f1"),
                             "ece_before": cal.get("ece_before"),
                             "ece_after": cal.get("ece_after")})
    return Table(rows, "Headline metrics")


def per_class_table(run: str | Path | dict[str, Any], head: str, split: str = "test") -> Table:
    """Per-class precision/recall/F1/support of one head, with the baseline's F1 where the
    baseline was scored on that split (the written dev and test splits only)."""
    m = _metrics(run)
    rep, base = _head(m, split, head), _head(m, split, head, baseline=True)
    scored = base.get("per_class") or {}
    rows = []
    for label, c in (rep.get("per_class") or {}).items():
        row = {"label": label, "precision": c["precision"], "recall": c["recall"],
               "f1": c["f1"], "support": c["support"]}
        if scored:
            row["baseline_f1"] = (scored.get(label) or {}).get("f1")
        rows.append(row)
    return Table(rows, f"{split} {head}: per class" + ("" if scored else " (no baseline "
                                                       "scored on this split)"))


def per_language_table(run: str | Path | dict[str, Any]) -> Table:
    """Stance macro-F1 and accuracy per language, for every split that reports them."""
    m = _metrics(run)
    rows = []
    for split in ("dev", "test", "realtest", "realnews_dev"):
        for lang, r in (_head(m, split, "stance").get("per_language") or {}).items():
            rows.append({"split": split, "lang": lang, "n": r["n"], "macro_f1": r["macro_f1"],
                         "accuracy": r["accuracy"]})
    return Table(rows, "Stance per language")


# --------------------------------------------------------------------------- figures


def plot_confusion(run: str | Path | dict[str, Any], head: str, split: str = "test",
                   baseline: bool = False, normalize: bool = False) -> Figure:
    """Confusion matrix of one head on one split (rows = gold): counts, or with
    ``normalize`` the share of each gold row (recall on the diagonal)."""
    rep = _head(_metrics(run), split, head, baseline)
    conf = rep.get("confusion") or {"labels": [], "matrix": []}
    labels, counts = conf["labels"], conf["matrix"]
    mat = [[v / max(sum(r), 1) for v in r] for r in counts] if normalize else counts
    fig = Figure(figsize=(1.2 * len(labels) + 2.5, 1.0 * len(labels) + 2))
    ax = fig.add_subplot()
    ax.imshow(mat if mat else [[0]], cmap="Blues", vmin=0)
    top = max((max(r) for r in mat), default=0)
    for i, row in enumerate(mat):
        for j, v in enumerate(row):
            text = f"{v:.2f}\n({counts[i][j]})" if normalize else str(v)
            ax.text(j, i, text, ha="center", va="center", fontsize="small",
                    color="white" if top and v > top / 2 else "black")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    who = "baseline" if baseline else "transformer"
    ax.set_title(f"{split} {head} confusion ({who}{', row share' if normalize else ''})")
    fig.tight_layout()
    return fig


def plot_f1_bars(run: str | Path | dict[str, Any], split: str = "test",
                 heads: Sequence[str] = HEADS) -> Figure:
    """Per-class F1, transformer vs baseline: one panel per head."""
    m = _metrics(run)
    fig = Figure(figsize=(5.5 * len(heads), 3.8))
    for k, head in enumerate(heads):
        ax = fig.add_subplot(1, len(heads), k + 1)
        rep, base = _head(m, split, head), _head(m, split, head, baseline=True)
        labels = list((rep.get("per_class") or {}).keys())
        xs = range(len(labels))
        ax.bar([x - 0.2 for x in xs], [rep["per_class"][c]["f1"] for c in labels], 0.4,
               label="transformer", color="#2563eb")
        ax.bar([x + 0.2 for x in xs],
               [((base.get("per_class") or {}).get(c) or {}).get("f1", 0.0) for c in labels],
               0.4, label="baseline", color="#9ca3af")
        ax.set_xticks(list(xs), labels, rotation=20, ha="right")
        ax.set_ylim(0, 1)
        ax.set_ylabel("F1")
        ax.set_title(f"{split} {head}: per-class F1")
        ax.legend(loc="upper right", fontsize="small")
    fig.tight_layout()
    return fig


def plot_reliability(run: str | Path | dict[str, Any], head: str, split: str = "test") -> Figure:
    """Reliability diagram before and after temperature scaling (metrics.json bins)."""
    cal = _head(_metrics(run), split, head).get("calibration") or {}
    fig = Figure(figsize=(9, 4))
    for k, when in enumerate(("before", "after")):
        ax = fig.add_subplot(1, 2, k + 1)
        bins = [b for b in cal.get(f"reliability_{when}") or [] if b["count"]]
        ax.plot([0, 1], [0, 1], ls="--", color="#6b7280", lw=1, label="perfect")
        ax.bar([(b["lo"] + b["hi"]) / 2 for b in bins], [b["accuracy"] for b in bins],
               width=[(b["hi"] - b["lo"]) * 0.9 for b in bins], color="#2563eb", alpha=0.8,
               label="accuracy")
        ax.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], "o",
                color="#dc2626", ms=4, label="mean confidence")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("confidence")
        ax.set_ylabel("accuracy")
        ece = cal.get(f"ece_{when}")
        temp = f", T={cal['temperature']:.2f}" if when == "after" and "temperature" in cal else ""
        ece_txt = f"ECE {ece:.3f}" if isinstance(ece, float) and not math.isnan(ece) else "ECE n/a"
        ax.set_title(f"{split} {head} {when} scaling ({ece_txt}{temp})")
        ax.legend(loc="upper left", fontsize="small")
    fig.tight_layout()
    return fig


def plot_stance_mix(records: Sequence[dict[str, Any]]) -> Figure:
    """Stance shares among claims per article (prediction records), as stacked bars."""
    recs = [r for r in records if r.get("summary")]
    stances: list[str] = []
    for r in recs:
        stances += [s for s in r["summary"]["stance_shares"] if s not in stances]
    fig = Figure(figsize=(8, 0.6 * len(recs) + 1.6))
    ax = fig.add_subplot()
    names = [str(r.get("article_id") or r.get("title") or "?")[:40] for r in recs]
    left = [0.0] * len(recs)
    for st in stances:
        vals = [float(r["summary"]["stance_shares"].get(st) or 0) for r in recs]
        ax.barh(names, vals, left=left, label=st, color=stance_colour(st, stances, strong=True))
        left = [a + b for a, b in zip(left, vals, strict=True)]
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of claims")
    ax.set_title("Stance mix per article")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small")
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- tables of articles


def sources_table(record: dict[str, Any], width: int = 110) -> Table:
    """Who said what in one article: each attributed sentence with its source and stance."""
    rows = [{"source": s["source"], "kind": s["kind"], "stance": s["stance"] or "-",
             "p": (s.get("stance_probs") or {}).get(s["stance"]) if s["stance"] else None,
             "text": s["text"] if len(s["text"]) <= width else s["text"][: width - 1] + "\u2026"}
            for s in record.get("sentences") or [] if s.get("source")]
    rows.sort(key=lambda r: r["source"])
    return Table(rows, f"Sources in {record.get('article_id')}")
