"""Article-mode stance on labelled documents: the chain per document, scored on gold rows."""

from __future__ import annotations

import numpy as np
import pytest

from geostance.data import Labels, Sentence
from geostance.evaluation.coherence import (
    article_mode_stance,
    chain_documents,
    fit_transitions,
    sentence_gaps,
)
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


def test_gaps_come_from_the_positions_in_the_ids():
    assert sentence_gaps(["d-s000", "d-s001", "d-s004"]).tolist() == [1, 3]
    # Without positions, or out of order, the rows are taken as adjacent.
    assert sentence_gaps(["a", "b", "c"]).tolist() == [1, 1]
    assert sentence_gaps(["d-s004", "d-s001"]).tolist() == [1]
    assert sentence_gaps(["d-s004"]).tolist() == []


def test_a_sampled_article_is_chained_with_its_gaps():
    rows = [Sentence(id=f"t-s{i:03d}", text="x", kind="claim", stance="pro_nato", lang="en",
                     article_id="t") for i in (0, 1, 7)]
    stance_p = np.array([[0.9, 0.05, 0.05], [0.3, 0.3, 0.4], [0.2, 0.2, 0.6]], np.float32)
    kind_p = np.tile([0.9, 0.03, 0.03, 0.04], (3, 1))
    got = chain_documents(rows, kind_p, stance_p, LABELS.kinds, 0.8)
    want = smooth_stance(stance_p, 0.8, np.ones(3, bool), gaps=np.array([1, 6]))
    np.testing.assert_allclose(got, want, atol=1e-7)
    assert not np.allclose(got, smooth_stance(stance_p, 0.8, np.ones(3, bool)))


def test_transitions_are_counted_between_neighbours_of_one_document():
    def row(doc, i, stance, translated=False):
        return Sentence(id=f"{doc}-s{i:03d}", text="x", kind="claim", stance=stance,
                        lang="en", article_id=doc, translated=translated)

    rows = [row("a", 0, "pro_nato"), row("a", 1, "pro_nato"), row("a", 2, "neutral_balancing"),
            row("a", 5, "moscow_warning"),  # 3 sentences on: not a neighbour of s002
            row("b", 0, "moscow_warning"),  # another document: no move from a's last
            row("b", 1, ""),  # no stance: neither pair counts
            row("b", 2, "moscow_warning"), row("b", 3, "moscow_warning", translated=True)]
    m = fit_transitions(rows, LABELS.stances, add=1.0)
    # Counted: pro->pro and pro->neutral, each +1 over the add-one prior of every cell.
    np.testing.assert_allclose(m[0], [2 / 5, 1 / 5, 2 / 5])
    np.testing.assert_allclose(m[1:], np.full((2, 3), 1 / 3))
    np.testing.assert_allclose(m.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="add must be > 0"):
        fit_transitions(rows, LABELS.stances, add=0)
    # The chain over documents takes the matrix instead of stay.
    stance_p = np.array([[0.9, 0.05, 0.05], [0.3, 0.3, 0.4], [0.2, 0.2, 0.6]], np.float32)
    kind_p = np.tile([0.9, 0.03, 0.03, 0.04], (3, 1))
    got = chain_documents(rows[:3], kind_p, stance_p, LABELS.kinds, 0.8, m)
    np.testing.assert_allclose(got, smooth_stance(stance_p, 0.8, np.ones(3, bool),
                                                  transitions=m), atol=1e-7)
