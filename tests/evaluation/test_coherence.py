"""Article-mode stance on labelled documents: the chain per document, scored on gold rows."""

from __future__ import annotations

import numpy as np

from geostance.data import Labels, Sentence
from geostance.evaluation.coherence import article_mode_stance
from geostance.predict.coherence import smooth_stance

LABELS = Labels(kinds=["claim", "heading", "boilerplate", "other"],
                stances=["pro_nato", "moscow_warning", "neutral_balancing"])


def _rows() -> list[Sentence]:
    spec = [("a", "moscow_warning"), ("a", "moscow_warning"), ("a", "moscow_warning"),
            ("b", "pro_nato"), ("b", ""), ("b", "pro_nato")]
    return [Sentence(id=f"{d}{i}", text=f"s{i}", kind="claim" if st else "boilerplate",
                     stance=st, lang="en", article_id=d) for i, (d, st) in enumerate(spec)]


def test_the_chain_runs_within_each_document_only():
    rows = _rows()
    # Document a: the middle sentence alone leans neutral; b's first sentence is sure.
    stance_p = np.array([[0.05, 0.9, 0.05], [0.2, 0.35, 0.45], [0.05, 0.9, 0.05],
                         [0.9, 0.05, 0.05], [0.1, 0.1, 0.8], [0.4, 0.2, 0.4]], np.float32)
    kind_p = np.tile([0.9, 0.03, 0.03, 0.04], (6, 1))
    kind_p[4] = [0.0, 0.0, 1.0, 0.0]  # boilerplate: no evidence
    alone = article_mode_stance(rows, kind_p, stance_p, LABELS, 0.0)
    chain = article_mode_stance(rows, kind_p, stance_p, LABELS, 0.8)
    assert alone["n"] == chain["n"] == 5 and chain["stance_stay"] == 0.8
    assert alone["accuracy"] < chain["accuracy"] == 1.0
    # Per document, not across: document b alone gives the same posteriors.
    want = smooth_stance(stance_p[3:], 0.8, np.array([True, False, True]))
    assert want[2].argmax() == 0
