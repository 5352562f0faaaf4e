"""Accuracy of the assigned sources against gold ``source`` fields, and the CLI.

``python -m geostance.text.sources eval [--corpus-dir DIR] [--markdown]``
prints exact/lenient accuracy and has-source precision/recall per language.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from ...fileio import read_jsonl, render_table
from .attribution import assign_sources


def _fold(s: str) -> str:
    return " ".join(s.casefold().split())


def evaluate(corpus_dir: str | Path) -> dict[str, dict[str, float]]:
    """Per-language exact/lenient accuracy and has-source precision/recall on a corpus."""
    corpus = Path(corpus_dir)
    langs = {a["article_id"]: a.get("lang") for a in read_jsonl(corpus / "articles.jsonl")}
    by_article: dict[str, list[dict]] = defaultdict(list)
    for row in read_jsonl(corpus / "sentences.jsonl"):
        by_article[row["article_id"]].append(row)
    stats: dict[str, list[int]] = defaultdict(lambda: [0] * 6)  # n, exact, lenient, tp, pp, gp
    for aid, rows in by_article.items():
        rows.sort(key=lambda r: r["index"])
        pred = assign_sources([r["text"] for r in rows], langs.get(aid))
        for row, p in zip(rows, pred, strict=True):
            g, p = _fold(row.get("source") or ""), _fold(p)
            lenient = g == p or bool(g and p and (g in p or p in g))
            for key in (langs.get(aid) or "?", "ALL"):
                st = stats[key]
                st[0] += 1
                st[1] += g == p
                st[2] += lenient
                st[3] += bool(g) and bool(p)
                st[4] += bool(p)
                st[5] += bool(g)
    table = {}
    for key in sorted(stats, key=lambda k: (k == "ALL", -stats[k][0], k)):
        n, ex, le, tp, pp, gp = stats[key]
        table[key] = {"sentences": n, "exact": ex / n, "lenient": le / n,
                      "has_src_P": tp / pp if pp else 0.0, "has_src_R": tp / gp if gp else 0.0}
    return table


def format_table(table: dict[str, dict[str, float]], markdown: bool = False) -> str:
    """Render :func:`evaluate` output as plain text or a Markdown table."""
    cols = ["sentences", "exact", "lenient", "has_src_P", "has_src_R"]
    rows = [[k] + [f"{v[c]:.3f}" if isinstance(v[c], float) else str(v[c]) for c in cols]
            for k, v in table.items()]
    return render_table(["lang", *cols], rows, markdown)


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python -m geostance.text.sources eval [--corpus-dir DIR] [--markdown]``."""
    ap = argparse.ArgumentParser(prog="python -m geostance.text.sources",
                                 description="Rule-based speaker attribution.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    ev = sub.add_parser("eval", help="accuracy of assigned sources against the corpus")
    ev.add_argument("--corpus-dir", default="data/corpus")
    ev.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args(argv)
    print(format_table(evaluate(args.corpus_dir), markdown=args.markdown))
    return 0
