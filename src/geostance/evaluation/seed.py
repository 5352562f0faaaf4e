"""The seed article in article mode (our splitting, context and sources) against the gold
table of the worked example in LABELS.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

__all__ = ["parse_seed_gold", "evaluate_seed"]

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
