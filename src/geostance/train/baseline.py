"""The reference baseline: TF-IDF character n-grams + logistic regression, per head."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline


def _pipeline(seed: int) -> Pipeline:
    # Character n-grams inside word boundaries work across the corpus's
    # scripts and inflections without a tokenizer per language.
    return make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                        max_features=200_000),
        LogisticRegression(max_iter=2000, C=4.0, class_weight="balanced", random_state=seed),
    )


class TfidfBaseline:
    """Two independent classifiers (kind, stance) on the sentence text alone."""

    def __init__(self, seed: int = 13):
        self.kind = _pipeline(seed)
        self.stance = _pipeline(seed)

    def fit(self, texts: Sequence[str], kind: Sequence[int],
            stance: Sequence[int]) -> TfidfBaseline:
        """Fit both heads; stance only on sentences that carry one (label >= 0)."""
        texts = list(texts)
        stance = np.asarray(stance)
        self.kind.fit(texts, kind)
        keep = np.flatnonzero(stance >= 0)
        self.stance.fit([texts[i] for i in keep], stance[keep])
        return self

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Predicted kind and stance label ids."""
        texts = list(texts)
        return self.kind.predict(texts), self.stance.predict(texts)
