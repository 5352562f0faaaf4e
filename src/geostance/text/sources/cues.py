"""Sentence-level cues: headings, quote marks, first-person speech."""

from __future__ import annotations

import re

from .lexicon import FIRST_PERSON


def is_heading(s: str) -> bool:
    """A line without final punctuation (title, crosshead, label, dateline).

    A quoted crosshead ('”Ingen står ensam”') is one too: the punctuation
    must come before the closing quote mark ('”Vi är redo.”').
    """
    t = s.rstrip().rstrip("»”“\"'’")
    return not re.search(r"[.!?…:]$", t)


def quote_balance(s: str) -> int:
    """+1 when a quote opens and stays open, -1 when the sentence ends a quote begun earlier.

    Both can hold at once ('ready.“ „Next'), which balances to 0. Marks are
    told apart by position (see :func:`quote_spans`), so Swedish ”…” quotes,
    where one mark both opens and closes, count like «…» and „…“.
    """
    spans = quote_spans(s)
    return int(any(b == len(s) for _, b in spans)) - int(any(a == 0 for a, _ in spans))


def looks_like_speech(s: str) -> bool:
    """First/second-person prose continues a dash quote; reporting prose does not."""
    return bool(re.search(r"\b(?:vi|jag|oss|vår|våra|mig|me|minä|meidän|we|I|our)\b", s,
                          re.IGNORECASE))


def first_person(s: str) -> bool:
    """Whether a sentence speaks in the first person (a quoted voice, not the outlet)."""
    # Case-sensitive "I" avoids the Swedish preposition "i"; the rest are lower-cased.
    return bool(FIRST_PERSON.search(s[:1].lower() + s[1:] if s[:2] != "I " else s))


_QUOTE_MARKS = "«»„“”\""
_OPENERS = "«„"
# Quoted text of at most this many words without sentence punctuation is a
# title or a name ("«Грузинская мечта»", „Gazeta Wyborcza“), not speech.
_TITLE_WORDS = 3
# Stands for masked speech; not punctuation, so a masked quote does not end a sentence.
MASK = "▯"


def quote_spans(s: str) -> list[tuple[int, int]]:
    """Spans of quoted text in a sentence, quote marks excluded.

    A mark that opens is followed by a non-space, one that closes follows a
    non-space; «„ always open. A closing mark before any opening one means the
    sentence started inside a quote (the span starts at 0), and an opening
    mark never closed runs to the end of the sentence.
    """
    spans: list[tuple[int, int]] = []
    start = -1  # start of the outermost open quote, -1 outside
    depth = 0
    for i, c in enumerate(s):
        if c not in _QUOTE_MARKS:
            continue
        prev = s[i - 1] if i else " "
        nxt = s[i + 1] if i + 1 < len(s) else " "
        can_open = not nxt.isspace() and nxt not in ".,;:!?"
        can_close = not prev.isspace()
        if c in _OPENERS or (depth == 0 and can_open and c != "»") or \
                (depth and can_open and not can_close and c != "»"):
            if depth == 0:
                start = i + 1
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
        elif can_close and not spans:
            spans.append((0, i))  # the quote began in an earlier sentence
    if depth:
        spans.append((start, len(s)))
    return spans


def mask_quotes(s: str, keep_titles: bool = True) -> str:
    """``s`` with quoted speech replaced by :data:`MASK`: nothing in a quote is a speaker.

    Punctuation that ends the quoted text stays ('"▯," he said'), and so do,
    with ``keep_titles``, short quoted titles and names ("по данным «Казахстан
    темир жолы»"), which can be a source but never the antecedent of a pronoun.
    """
    out, last = [], 0
    for a, b in quote_spans(s):
        inner = s[a:b]
        words = inner.split()
        if keep_titles and len(words) <= _TITLE_WORDS and not re.search(r"[.,!?…]", inner) \
                and 0 < a and b < len(s):
            continue
        tail = re.search(r"[,.!?…:;]*\s*$", inner)
        out.append(s[last:a] + MASK + (tail.group(0).strip() if tail else ""))
        last = b
    out.append(s[last:])
    return "".join(out)


def opens_quote(s: str) -> bool:
    """Whether a sentence starts with a quote mark that opens a quote (also Swedish ”)."""
    s = s.strip()
    return bool(s) and s[0] in _QUOTE_MARKS and any(a == 1 for a, _ in quote_spans(s))


def has_quote_mark(s: str) -> bool:
    """Whether a sentence has any double quotation mark."""
    return any(c in _QUOTE_MARKS for c in s)
