"""Per-sentence loss weights that loosen the tie between a sentence's language and its stance.

The real corpus's stance mix differs by language (its Swedish is parliament and
government text, mostly pro-NATO or neutral; its native Russian is Kremlin text,
mostly neutral), so a model can learn "Russian, therefore neutral" instead of
reading the sentence. :func:`language_balance_factors` scales each stance-bearing
sentence by ``(P(stance) / P(stance | language)) ** alpha``, so each language's
weighted stance mix moves toward the corpus-wide one, while each language keeps its
total weight.
"""

from __future__ import annotations

import collections
from collections.abc import Sequence

from .schema import Sentence

__all__ = ["LANGUAGE_BALANCE_CLIP", "language_balance_factors"]

# Bound on one (language, stance) factor before each language is renormalised: a
# stance a language has only once or twice (Finnish moscow_warning: 1 sentence) must
# not dominate that language's loss.
LANGUAGE_BALANCE_CLIP = 4.0


def language_balance_factors(sentences: Sequence[Sentence], weights: Sequence[float],
                             alpha: float, clip: float = LANGUAGE_BALANCE_CLIP) -> list[float]:
    """Multipliers for ``weights`` (one per sentence) that decorrelate stance from language.

    Counts are weighted by ``weights``; sentences without a stance get 1. ``alpha`` 0
    gives all ones, 1 makes the weighted stance mix of every language equal to the
    overall mix (up to ``clip``). Each language's factors are then rescaled so that its
    summed weight over stance-bearing sentences is unchanged.
    """
    if len(sentences) != len(weights):
        raise ValueError(f"{len(sentences)} sentences but {len(weights)} weights")
    if alpha == 0:
        return [1.0] * len(sentences)
    by_lang: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    overall: collections.Counter = collections.Counter()
    for s, w in zip(sentences, weights, strict=True):
        if s.stance:
            by_lang[s.lang][s.stance] += w
            overall[s.stance] += w
    total = sum(overall.values())
    factor: dict[tuple[str, str], float] = {}
    for lang, counts in by_lang.items():
        n_lang = sum(counts.values())
        raw = {c: min(clip, max(1.0 / clip,
                                ((overall[c] / total) / (n / n_lang)) ** alpha))
               for c, n in counts.items()}
        # Keep the language's total weight: only its stance mix changes.
        scale = n_lang / sum(counts[c] * raw[c] for c in counts)
        factor.update({(lang, c): raw[c] * scale for c in counts})
    return [factor[(s.lang, s.stance)] if s.stance else 1.0 for s in sentences]
