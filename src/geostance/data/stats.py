"""Corpus statistics: near-duplicates and the split x label summary table."""

from __future__ import annotations

import collections
import re
from collections.abc import Iterable

from ..fileio import render_table
from .schema import Sentence

__all__ = ["word_4grams", "near_duplicate_share", "summary_table", "stance_gap_note"]


def word_4grams(text: str) -> set[tuple[str, ...]]:
    """Lower-cased word 4-grams of a sentence."""
    w = re.findall(r"\w+", text.casefold())
    return set(zip(w, w[1:], w[2:], w[3:], strict=False))


def near_duplicate_share(texts: list[str]) -> tuple[int, int]:
    """(sentences sharing > half their 4-grams with another sentence, sentences with 4-grams).

    Sentences under four words have no 4-grams and are left out of both counts.
    """
    grams = [word_4grams(t) for t in texts]
    index: dict[tuple[str, ...], list[int]] = collections.defaultdict(list)
    for i, g in enumerate(grams):
        for gram in g:
            index[gram].append(i)
    near = 0
    counted = 0
    for i, g in enumerate(grams):
        if not g:
            continue
        counted += 1
        shared: collections.Counter[int] = collections.Counter()
        for gram in g:
            for j in index[gram]:
                if j != i:
                    shared[j] += 1
        if shared and max(shared.values()) > len(g) / 2:
            near += 1
    return near, counted


def summary_table(splits: dict[str, list[Sentence]]) -> str:
    """Plain-text table: sentences per split x kind and stance, and per language."""
    kinds = sorted({s.kind for r in splits.values() for s in r})
    stances = sorted({s.stance or "-" for r in splits.values() for s in r})
    head = ["split", "sentences", "articles", *kinds, *stances]
    lines = [head]
    for split, rows in splits.items():
        kc = collections.Counter(s.kind for s in rows)
        sc = collections.Counter(s.stance or "-" for s in rows)
        arts = len({s.article_id for s in rows if s.article_id})
        lines.append([split, str(len(rows)), str(arts), *(str(kc[k]) for k in kinds),
                      *(str(sc[k]) for k in stances)])
    return render_table(lines[0], lines[1:])


def stance_gap_note(rows: Iterable[Sentence]) -> str | None:
    """A note when sentences other than boilerplate have no stance, else None.

    Such sentences are allowed (a partial annotation): training masks their stance, so
    they teach the kind head only. The codebook gives every sentence but boilerplate a
    stance (data/CODEBOOK.md, K8), so the note says how many there are and where the
    first one is.
    """
    gaps = [s for s in rows if s.kind and s.kind != "boilerplate" and not s.stance]
    if not gaps:
        return None
    first = f" (first: {gaps[0].where})" if gaps[0].where else ""
    n = len(gaps)
    one = n == 1
    return (f"note: {n} sentence{'' if one else 's'} other than boilerplate "
            f"{'has' if one else 'have'} no stance{first}; in training "
            f"{'it teaches' if one else 'they teach'} the kind head only (the codebook gives "
            "every sentence but boilerplate a stance)")
