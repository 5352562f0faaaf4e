"""Scores by speaker status: does a model lean on who speaks (a shortcut) or on what is said?

Each real dev sentence falls in one group by the speaker the sources rules find in its
document (as a model trained with ``model.speaker`` sees it): ``none`` (the outlet
itself), ``seen`` (that speaker also speaks in some training sentence, of either
corpus) or ``unseen``. A model that learned "this speaker is pro-NATO" gains on
``seen`` and not on ``unseen``; one that reads the text gains on both.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .metrics import per_group_macro_f1
from .realnews import speakers_of

__all__ = ["GROUPS", "speaker_groups", "scores_by_speaker"]

GROUPS = ("none", "seen", "unseen")


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def speaker_groups(real_dir: Path, written_dir: Path | None = None,
                   stances: Sequence[str] = ("pro_nato", "moscow_warning", "neutral_balancing")
                   ) -> list[str]:
    """The group of every real dev sentence with a stance, in the order of a run's
    ``eval_predictions.json`` (``realdev.stance_*``)."""
    from ..data import Problems
    from ..data.corpus import read_corpus

    problems = Problems()
    real = read_corpus(Path(real_dir), problems)
    written = read_corpus(Path(written_dir), problems) if written_dir else {}
    problems.raise_if_any()
    seen = {_key(s) for rows in (real.get("train", []), written.get("train", []))
            for s in speakers_of(rows) if s}
    dev = real.get("dev", [])
    out = []
    for row, who in zip(dev, speakers_of(dev), strict=True):
        if row.stance in stances:
            out.append("none" if not who else "seen" if _key(who) in seen else "unseen")
    return out


def scores_by_speaker(groups: Sequence[str], gold: Sequence[int],
                      preds: Sequence[Sequence[int]]) -> dict[str, dict[str, float]]:
    """Stance macro-F1 per group: mean and standard deviation over runs, and the size."""
    if any(len(p) != len(groups) for p in preds) or len(gold) != len(groups):
        raise ValueError("predictions do not line up with the real dev sentences")
    per_run = [per_group_macro_f1(groups, gold, p) for p in preds]
    out = {}
    for g in GROUPS:
        vals = [r[g]["macro_f1"] for r in per_run if g in r]
        if vals:
            out[g] = {"n": per_run[0][g]["n"], "mean": float(np.mean(vals)),
                      "sd": float(np.std(vals, ddof=1)) if len(vals) > 1 else 0.0}
    return out
