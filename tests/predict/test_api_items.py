"""Predictor.predict_sentences / predict_articles items checked before any scoring
(no model needed: the check is the item's own)."""

from __future__ import annotations

import pytest

from geostance.predict.predictor import _as_record


@pytest.mark.parametrize("text", ["  ", "\u200e", "\u200b\u2060 \u200f", "\ufeff\n"])
def test_an_item_without_visible_text_is_empty(text):
    # Only direction marks or zero-width characters were scored, as the CLI's inputs no
    # longer are (85b3c74): a claim with a stance for a sentence nobody can read.
    with pytest.raises(ValueError, match=r"item 3: 'text' is empty"):
        _as_record({"text": text}, 3, 1000)


def test_an_item_with_visible_text_is_kept():
    assert _as_record("\u200eNATO grows.", 0, 1000)["text"] == "\u200eNATO grows."
