"""Agreement between annotation passes: Cohen's kappa and source matching.

Used when the passes are settled (``geostance.harvest``) and when the data card
reports agreement (``geostance.data.realcard``), so both count the same way.
"""

from __future__ import annotations

import collections
import math
import unicodedata
from collections.abc import Sequence
from typing import Any

__all__ = ["cohen_kappa", "share_equal", "norm_source", "same_source", "field_agreement"]


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa of two label sequences (1.0 when both are constant and equal)."""
    n = len(a)
    if n == 0:
        return math.nan
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = collections.Counter(a), collections.Counter(b)
    pe = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def share_equal(a: Sequence[str], b: Sequence[str]) -> float:
    """Percent agreement (as a share) of two label sequences; NaN when empty."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a) if a else math.nan


def norm_source(s: str) -> str:
    """A source folded for comparison: Unicode, case, quote marks and spacing."""
    s = unicodedata.normalize("NFKC", s).casefold()
    return " ".join(s.replace("«", " ").replace("»", " ").replace('"', " ").split())


def same_source(a: str, b: str) -> bool:
    """Two sources agree when equal after folding, or one names the other ("Putin" and
    "Vladimir Putin")."""
    x, y = norm_source(a), norm_source(b)
    if x == y:
        return True
    return bool(x and y and (x in y or y in x))


def field_agreement(pairs: Sequence[tuple[Any, Any]]) -> dict[str, Any]:
    """Agreement of paired labels (objects or dicts with kind, stance, source).

    ``kind`` and ``stance`` (where both gave one) as (share, kappa); ``has_source`` as
    (share, kappa) of "gave a source"; ``same_source`` as the share of
    :func:`same_source` where both named one.
    """
    def get(x: Any, k: str) -> str:
        return x[k] if isinstance(x, dict) else getattr(x, k)

    ka, kb = [get(a, "kind") for a, _ in pairs], [get(b, "kind") for _, b in pairs]
    st = [(get(a, "stance"), get(b, "stance")) for a, b in pairs
          if get(a, "stance") and get(b, "stance")]
    sa, sb = [x for x, _ in st], [y for _, y in st]
    ha = [str(bool(get(a, "source"))) for a, _ in pairs]
    hb = [str(bool(get(b, "source"))) for _, b in pairs]
    named = [(get(a, "source"), get(b, "source")) for a, b in pairs
             if get(a, "source") and get(b, "source")]
    return {"n": len(pairs), "n_stance": len(st), "n_named": len(named),
            "kind": (share_equal(ka, kb), cohen_kappa(ka, kb)),
            "stance": (share_equal(sa, sb), cohen_kappa(sa, sb)),
            "has_source": (share_equal(ha, hb), cohen_kappa(ha, hb)),
            "same_source": (sum(same_source(x, y) for x, y in named) / len(named)
                            if named else math.nan)}
