"""Stance shares of claims per group of articles (outlet, language, date, month or year),
with bootstrap intervals over articles: how each outlet, or each month, covered the topic,
and how sure those shares are.

An article's claims are not independent draws (one article quotes one minister several
times), so the interval resamples whole articles, not sentences: a group of three long
articles gets the wide interval it deserves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["BY", "MIN_ARTICLES", "MAX_RESAMPLES", "Group", "group_csv_rows", "group_key",
           "group_shares", "groups_table"]

BY: tuple[str, ...] = ("outlet", "lang", "date", "month", "year")
# An ISO date's prefix: the year, the month, the day (predict.py keeps the input's `date`).
_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_DATE_PARTS = {"year": 1, "month": 2, "date": 3}
# Articles drawn per block of resamples: (block x articles) weights stay a few MB.
_BLOCK = 100
# Fewer articles than this get no interval: resampling two or three articles gives a
# handful of distinct draws, an interval that looks precise and means nothing.
MIN_ARTICLES = 5
# More bootstrap draws than this add nothing a 95% interval at two decimals can show; each
# group keeps its draws in memory (3 stances x 8 bytes x 10^6 = 24 MB), so 10^11 ran for
# hours and would have filled it.
MAX_RESAMPLES = 1_000_000


@dataclass
class Group:
    """One group's articles and the stance shares of their claims (None without claims).

    ``low``/``high``: the bootstrap interval of each share, over articles (None for a
    group of fewer than ``min_articles``)."""

    key: str
    articles: int = 0
    claims: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    shares: dict[str, float] | None = None
    low: dict[str, float] | None = None
    high: dict[str, float] | None = None


def _real_date(parts: list[str]) -> bool:
    """Whether an ISO date's parts name a real month and day ("2020-13-45" does not)."""
    import datetime

    y, m, d = (int(p) for p in [*parts, "1", "1"][:3])
    try:
        datetime.date(y, m, d)
    except ValueError:
        return False
    return True


def group_key(record: dict[str, Any], by: str) -> str:
    """The group of one prediction record: its outlet or language as written, or the
    year, month or day of an ISO ``date`` ("2024-05-03"); "(no outlet)", "(no date)" or
    "(date not YYYY-MM-DD)" where it has none to give."""
    if by not in BY:
        raise ValueError(f"by: {by!r} not in {', '.join(BY)}")
    if by in _DATE_PARTS:
        value = str(record.get("date") or "").strip()
        if not value:
            return "(no date)"
        m = _ISO.match(value)
        parts = [p for p in m.groups() if p] if m else []
        if len(parts) < _DATE_PARTS[by] or not _real_date(parts):
            return "(date not YYYY-MM-DD)"
        return "-".join(parts[:_DATE_PARTS[by]])
    value = record.get(by)
    return str(value).strip() if value not in (None, "") else f"(no {by})"


def group_shares(records: Iterable[dict[str, Any]], by: str, resamples: int = 1000,
                 level: float = 0.95, seed: int = 13, min_articles: int = MIN_ARTICLES
                 ) -> tuple[list[str], list[Group], int]:
    """The stance labels, one :class:`Group` per group (in order of their keys) and the
    number of failed records (``error`` set: left out).

    Shares pool each group's claims (``summary.stance_counts``, as predict.py writes
    them); the interval is the percentile bootstrap over the group's articles,
    ``resamples`` times, at ``level``, for groups of at least ``min_articles``.
    """
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, got {resamples}")
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    stances: list[str] = []
    rows: dict[str, list[dict[str, int]]] = {}
    failed = 0
    for rec in records:
        counts = (rec.get("summary") or {}).get("stance_counts")
        if rec.get("error") or counts is None:
            failed += 1
            continue
        for k in counts:
            if k not in stances:
                stances.append(k)
        rows.setdefault(group_key(rec, by), []).append(counts)
    rng = np.random.default_rng(seed)
    groups = []
    for key in sorted(rows):
        c = np.array([[r.get(k, 0) for k in stances] for r in rows[key]], dtype=np.int64)
        g = Group(key, articles=len(c), claims=int(c.sum()),
                  counts=dict(zip(stances, map(int, c.sum(0)), strict=True)))
        if g.claims:
            g.shares = {k: g.counts[k] / g.claims for k in stances}
        draws = _bootstrap(c, resamples, rng) if g.claims and g.articles >= min_articles \
            else None
        if draws is not None and len(draws):  # every draw can miss the articles with claims
            tail = (1 - level) / 2 * 100
            lo, hi = np.percentile(draws, [tail, 100 - tail], axis=0)
            g.low = dict(zip(stances, map(float, lo), strict=True))
            g.high = dict(zip(stances, map(float, hi), strict=True))
        groups.append(g)
    return stances, groups, failed


def _bootstrap(counts: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """(draws, stances) pooled shares of ``counts`` (articles x stances) over articles
    drawn with replacement; draws whose articles hold no claim are left out."""
    n = len(counts)
    out = []
    for start in range(0, resamples, _BLOCK):
        size = min(_BLOCK, resamples - start)
        # How often each article is drawn: a multinomial over the articles.
        weights = rng.multinomial(n, np.full(n, 1 / n), size=size)
        pooled = weights @ counts
        total = pooled.sum(1)
        out.append(pooled[total > 0] / total[total > 0, None])
    return np.concatenate(out)


def groups_table(stances: Sequence[str], groups: Sequence[Group], by: str
                 ) -> tuple[list[str], list[list[str]]]:
    """Header and rows: the group, its articles and claims, and each stance's share of
    the claims with its interval ("0.42 [0.31, 0.55]"; the share alone for a group too
    small for one; "–" without claims)."""
    head = [by, "articles", "claims", *stances]
    out = []
    for g in groups:
        cells = [g.key, str(g.articles), str(g.claims)]
        for k in stances:
            if g.shares is None:
                cells.append("–")
            elif g.low is None or g.high is None:
                cells.append(f"{g.shares[k]:.2f}")
            else:
                cells.append(f"{g.shares[k]:.2f} [{g.low[k]:.2f}, {g.high[k]:.2f}]")
        out.append(cells)
    return head, out


def group_csv_rows(stances: Sequence[str], groups: Sequence[Group], by: str
                   ) -> list[dict[str, Any]]:
    """One flat row per group for a CSV file: counts, shares and interval bounds (empty
    cells for a group without claims)."""
    out = []
    for g in groups:
        row: dict[str, Any] = {by: g.key, "articles": g.articles, "claims": g.claims}
        for k in stances:
            row[f"{k}_claims"] = g.counts.get(k, 0)
            for name, values in (("share", g.shares), ("low", g.low), ("high", g.high)):
                row[f"{k}_{name}"] = "" if values is None else round(values[k], 4)
        out.append(row)
    return out
