"""The data card's section on the contrast set (``data/contrast``, invented items).

Also the agreement table that ``python -m geostance.harvest contrast-merge`` writes to
``data/contrast/AGREEMENT.md``, so both count the same way.
"""

from __future__ import annotations

import collections
import math
from pathlib import Path
from typing import Any

from ..fileio import read_jsonl
from .agreement import field_agreement

__all__ = ["contrast_agreement_table", "build_contrast_card"]


def _f(x: float) -> str:
    return "–" if isinstance(x, float) and math.isnan(x) else f"{x:.3f}"


def _pass(compact: list[str]) -> dict[str, str]:
    return dict(zip(("kind", "stance", "source"), compact, strict=True))


def contrast_agreement_table(rows: list[dict[str, Any]]) -> str:
    """Markdown: per language and overall, sentences, stance mix, the two passes'
    agreement (share and Cohen's kappa) on kind and stance, and how many were adjudicated."""
    by: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for r in rows:
        by[r["lang"]].append(r)
    lines = ["| language | sentences | pro_nato / moscow_warning / neutral_balancing | "
             "kind agreement (kappa) | stance agreement (kappa) | adjudicated |",
             "|---|---|---|---|---|---|"]
    for lang, rs in [*sorted(by.items()), ("all", rows)]:
        ag = field_agreement([(_pass(r["annotation"]["a"]), _pass(r["annotation"]["b"]))
                              for r in rs])
        mix = collections.Counter(r["stance"] for r in rs)
        adj = sum(r["annotation"]["settled_by"] == "adjudication" for r in rs)
        lines.append(f"| {lang} | {len(rs)} | {mix['pro_nato']} / {mix['moscow_warning']} / "
                     f"{mix['neutral_balancing']} | {_f(ag['kind'][0])} ({_f(ag['kind'][1])}) | "
                     f"{_f(ag['stance'][0])} ({_f(ag['stance'][1])}) | {adj} |")
    return "\n".join(lines)


def build_contrast_card(contrast_dir: Path) -> str:
    """The Markdown section on the contrast set, from its ``sentences.jsonl``."""
    rows = read_jsonl(contrast_dir / "sentences.jsonl")
    items = {r["article_id"] for r in rows}
    sets = {r["set"] for r in rows}
    hard = sum(bool(r["annotation"]["hard"]) for r in rows)
    # Whether each item's headline carries the stance its variant was written for.
    want = {"M": "moscow_warning", "P": "pro_nato", "N": "neutral_balancing"}
    heads = [r for r in rows if r["id"].endswith("-s00")]
    on_plan = sum(r["stance"] == want[r["variant"]] for r in heads)
    return f"""## The contrast set (`data/contrast/`): invented, for training only

**Every sentence is invented** (`"invented": true`): {len(items)} short news items in
{len(sets)} contrast sets, {len(rows)} sentences, written by language-model sessions so that
one event is told three ways (Moscow's warning, the Western side, the balancing view) with the
same country and nouns (`data/contrast/README.md`, `WRITER_BRIEF.md`). Labels: the writer's
(pass a) and a blind annotator's (pass b, shuffled items under opaque ids,
`ANNOTATOR_BRIEF.md`); every disagreement adjudicated (`ADJUDICATOR_BRIEF.md`). {hard}
sentences were flagged hard by a pass. After adjudication, {on_plan} of {len(heads)} headlines
carry the stance their variant was written for.

{contrast_agreement_table(rows)}

Writers, annotators and adjudicators are sessions of the same kind of model, and each writer
wrote for the label it gave: the agreement shows that a second reader applies the codebook
the same way to these texts, not that human annotators would agree as often.
"""
