"""Per-article summary of the stances among an article's claims."""

from __future__ import annotations

import collections
from collections.abc import Sequence
from typing import Any

__all__ = ["TOP_CLAIMS", "summarize"]

TOP_CLAIMS = 3  # claims listed per stance in an article summary


def summarize(sentences: list[dict[str, Any]], stances: Sequence[str]) -> dict[str, Any]:
    """Per-article summary of the stances among claims.

    ``balance_index`` = (pro_nato - moscow_warning) / claims with a stance, in
    [-1, 1]: +1 every claim serves closer Western ties, -1 every claim carries
    Moscow's warnings, 0 balanced or neutral. It is null when the label set
    lacks those two stances or the article has no claims. ``dominant_stance`` is the
    stance of most claims; a tie goes to the stance with the larger summed probability
    over all claims (not to the first label).
    """
    claims = [s for s in sentences if s["kind"] == "claim" and s["stance"]]
    counts = collections.Counter(s["stance"] for s in claims)
    n = len(claims)
    shares = {k: (counts[k] / n if n else 0.0) for k in stances}
    balance = None
    if n and "pro_nato" in stances and "moscow_warning" in stances:
        balance = (counts["pro_nato"] - counts["moscow_warning"]) / n
    top = {}
    for st in stances:
        ranked = sorted((s for s in claims if s["stance"] == st),
                        key=lambda s: -s["stance_probs"][st])
        top[st] = [{"index": s.get("index"), "text": s["text"],
                    "confidence": s["stance_probs"][st]} for s in ranked[:TOP_CLAIMS]]
    by_source: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for s in sentences:
        if s.get("source") and s["stance"]:
            by_source[s["source"]][s["stance"]] += 1
    return {
        "sentences": len(sentences),
        "claims": n,
        "kind_counts": dict(collections.Counter(s["kind"] for s in sentences)),
        "stance_counts": {k: counts[k] for k in stances},
        "stance_shares": {k: round(v, 4) for k, v in shares.items()},
        "dominant_stance": max(stances, key=lambda k: (
            counts[k], sum(s["stance_probs"][k] for s in claims))) if n else None,
        "balance_index": None if balance is None else round(balance, 4),
        "top_claims": top,
        "sources": [{"source": src, "sentences": sum(c.values()), "stances": dict(c)}
                    for src, c in sorted(by_source.items(), key=lambda kv: -sum(kv[1].values()))],
    }
