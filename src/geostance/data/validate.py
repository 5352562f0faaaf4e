"""Validation of labelled data: labels, texts, ids and leakage.

Leakage is checked three ways: the same sentence (four or more words, case and
space folded) in two splits; a document in two splits; and, with
:func:`check_against`, any sentence of the training data that also occurs in an
evaluation set kept outside the repository (``realnews_dev``) or in the other
corpus's evaluation splits; with :func:`check_in_text`, any that occurs in the seed
article (a plain text evaluated after training).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from ..text.segment import has_visible_text
from .schema import Labels, Problems, Sentence

__all__ = ["LEAKAGE_MIN_WORDS", "leak_key", "check_text", "validate", "check_against",
           "check_in_text", "check_relabelled"]

# Short generic lines ("Analyse", "Foto: TT") recur in unrelated documents; only
# sentences of four or more words count as leakage.
LEAKAGE_MIN_WORDS = 4


def leak_key(text: str) -> str:
    """The comparison key of a sentence for leakage checks ("" when too short): Unicode
    NFC (a decomposed "ä" is the same letter), spaces and case folded."""
    key = " ".join(unicodedata.normalize("NFC", text).split()).casefold()
    return key if len(key.split()) >= LEAKAGE_MIN_WORDS else ""


def check_text(s: Sentence, problems: Problems) -> None:
    """Add "text: empty text" for a sentence with nothing visible to score, unless its text
    was already refused as read (null, a list, a lone surrogate: kept as ""), which is one
    problem, not two."""
    if not has_visible_text(s.text) and not problems.has(f"{s.where}: text"):
        problems.add(s.where, "text", "empty text")


def validate(splits: dict[str, list[Sentence]], labels: Labels, problems: Problems) -> None:
    """Check labels, texts, ids, and leakage across splits; add one problem each."""
    ids: dict[str, str] = {}
    text_split: dict[str, tuple[str, str]] = {}
    article_split: dict[str, tuple[str, str]] = {}
    for split, rows in splits.items():
        for s in rows:
            check_text(s, problems)
            if s.kind and s.kind not in labels.kinds:
                problems.add(s.where, "kind", f"unknown label {s.kind!r}; allowed: "
                             + ", ".join(labels.kinds))
            elif not s.kind and not problems.has(s.where):  # not already told (missing ...)
                problems.add(s.where, "kind", "empty; every sentence needs a kind; allowed: "
                             + ", ".join(labels.kinds))
            if s.stance and s.stance not in labels.stances:
                problems.add(s.where, "stance", f"unknown label {s.stance!r}; allowed: "
                             + ", ".join(labels.stances) + " or empty")
            if s.kind == "boilerplate" and s.stance:
                problems.add(s.where, "stance", "boilerplate takes no stance (must be empty)")
            if s.id:
                if s.id in ids:
                    problems.add(s.where, "id", f"duplicate id {s.id!r} (first at {ids[s.id]})")
                else:
                    ids[s.id] = s.where
            key = leak_key(s.text)
            if key and key in text_split and text_split[key][0] != split:
                other_split, other_where = text_split[key]
                problems.add(s.where, "text", f"leakage: the same sentence is in {split} and "
                             f"{other_split} ({other_where})")
            else:
                text_split.setdefault(key, (split, s.where))
            if s.article_id:
                if s.article_id in article_split and article_split[s.article_id][0] != split:
                    other_split, other_where = article_split[s.article_id]
                    problems.add(s.where, "article_id", f"article {s.article_id!r} is in {split} "
                                 f"and {other_split} ({other_where})")
                else:
                    article_split.setdefault(s.article_id, (split, s.where))




def check_against(rows: Iterable[Sentence], reference: Iterable[Sentence], name: str,
                  problems: Problems) -> None:
    """A problem for every sentence of ``rows`` that also occurs in ``reference``.

    ``name`` says what the reference is ("realnews_dev", "the written corpus's test
    split"); used to keep evaluation text out of training data.
    """
    ref = {}
    for s in reference:
        k = leak_key(s.text)
        if k:
            ref.setdefault(k, s.where)
    for s in rows:
        k = leak_key(s.text)
        if k and k in ref:
            problems.add(s.where, "text", f"leakage: the same sentence is in {name} "
                         f"({ref[k]})")


def check_in_text(rows: Iterable[Sentence], text: str, name: str, problems: Problems) -> None:
    """A problem for every sentence of ``rows`` (four or more words) found, whole words,
    in ``text``, compared as :func:`leak_key` compares (NFC, spaces and case folded).

    For an evaluation text that is not split into labelled sentences (the seed article):
    however a tool split it, its sentences are parts of it."""
    folded = f" {' '.join(unicodedata.normalize('NFC', text).split()).casefold()} "
    for s in rows:
        k = leak_key(s.text)
        if k and f" {k} " in folded:
            problems.add(s.where, "text", f"leakage: the sentence is in {name}")


def check_relabelled(added: Iterable[Sentence], rows: Iterable[Sentence],
                     problems: Problems) -> None:
    """A problem for every sentence of ``added`` (four or more words) that ``rows`` or an
    earlier sentence of ``added`` already hold with another kind or stance: one text
    trained towards two answers (an annotated sentence the corpus labels otherwise, or
    the same sentence annotated twice)."""
    seen: dict[str, Sentence] = {}
    for s in rows:
        seen.setdefault(leak_key(s.text), s)
    for s in added:
        k = leak_key(s.text)
        if not k or not s.kind:  # too short, or a row already reported
            continue
        other = seen.setdefault(k, s)
        if other is not s and (other.kind, other.stance) != (s.kind, s.stance):
            problems.add(s.where, "text", f"the same sentence is in the training data with "
                         f"other labels ({other.where}: {other.kind}/{other.stance or '-'}; "
                         f"here {s.kind}/{s.stance or '-'}); keep one")
