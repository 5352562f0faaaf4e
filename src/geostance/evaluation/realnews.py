"""Scores on labelled real sentences scored in sentence mode (``realnews_dev``, the real
corpus's dev and test splits): kind and stance reports, stance per language.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..data import Labels, Sentence
from .coherence import article_mode_stance
from .metrics import head_report, per_group_macro_f1, prediction_arrays

__all__ = ["evaluate_realnews", "sentence_items", "speakers_of"]


def speakers_of(rows: list[Sentence]) -> list[str]:
    """The speaker :mod:`geostance.text.sources` finds for each row within its document
    (rows of a document in reading order), or the one a row carries from the prediction
    that exported it (``Sentence.speaker``: an annotation export holds a few sentences of
    each article, in order of uncertainty, where the rules saw the whole article); gold
    sources are never read."""
    from ..text.sources import sources_by_document

    found = sources_by_document([s.text for s in rows], [s.article_id or s.id for s in rows],
                                [s.lang for s in rows], [s.title for s in rows])
    return [s.speaker if s.speaker is not None else f for s, f in zip(rows, found, strict=True)]


def sentence_items(predictor, rows: list[Sentence]) -> list[dict[str, str]]:
    """The inputs ``predictor.predict_sentences`` takes for labelled rows: text, title,
    previous sentence and, for a model that reads it, the speaker the sources rules find
    in each whole document (never the gold one)."""
    items = [{"text": s.text, "title": s.title, "context_prev": s.context_prev} for s in rows]
    if getattr(predictor, "uses_speaker", False):
        for item, who in zip(items, speakers_of(rows), strict=True):
            item["speaker"] = who
    return items


def evaluate_realnews(predictor, rows: list[Sentence], labels: Labels,
                      stance_stay: float = 0.0) -> dict[str, Any]:
    """Kind and stance reports (stance also per language) on labelled real sentences.

    ``stance_stay`` > 0 adds ``stance_article``: the stance report after article mode's
    coherence chain over each text's rows (a sample of its sentences: the gaps between
    their positions count as steps; :mod:`geostance.evaluation.coherence`), with the
    predictor's fitted stance moves where it has them.
    """
    preds = predictor.predict_sentences(sentence_items(predictor, rows))
    rows_k = [(s, p) for s, p in zip(rows, preds, strict=True) if s.kind in labels.kinds]
    k_gold = [labels.kinds.index(s.kind) for s, _ in rows_k]
    k_pred = [labels.kinds.index(p["kind"]) for _, p in rows_k]
    rows_s = [(s, p) for s, p in zip(rows, preds, strict=True) if s.stance in labels.stances]
    s_gold = [labels.stances.index(s.stance) for s, _ in rows_s]
    # The stance head's own answer, also where the kind head said boilerplate.
    s_pred = [int(np.argmax([p["stance_probs"][k] for k in labels.stances])) for _, p in rows_s]
    article = {}
    if stance_stay:
        kind_p = np.array([[p["kind_probs"][k] for k in labels.kinds] for p in preds])
        stance_p = np.array([[p["stance_probs"][k] for k in labels.stances] for p in preds])
        article = {"stance_article": article_mode_stance(
            rows, kind_p, stance_p, labels, stance_stay,
            getattr(predictor, "stance_transitions", None))}
    return {
        **article,
        "n": len(rows),
        "kind": head_report(k_gold, k_pred, labels.kinds),
        "stance": {**head_report(s_gold, s_pred, labels.stances),
                   "per_language": per_group_macro_f1([s.lang for s, _ in rows_s], s_gold,
                                                      s_pred)},
        # Per-sentence labels for bootstrap intervals; the caller stores them apart.
        "arrays": prediction_arrays(k_gold, k_pred, s_gold, s_pred, [s for s, _ in rows_s]),
    }
