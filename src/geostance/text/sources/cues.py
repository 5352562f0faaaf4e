"""Sentence-level cues: headings, quote marks, first-person speech."""

from __future__ import annotations

import re

from .lexicon import FIRST_PERSON


def is_heading(s: str) -> bool:
    """A line without final punctuation (title, crosshead, label, dateline)."""
    t = s.rstrip()
    return not re.search(r"[.!?…»”“\"':]$", t)


def quote_balance(s: str) -> int:
    """Open minus closed quote marks (straight quotes alternate open/close)."""
    opens = sum(s.count(c) for c in "«„")
    closes = sum(s.count(c) for c in "»")
    straight = s.count('"')
    curly_close = s.count("”")
    curly_open = s.count("“")
    # German „…“ uses “ as the closer; English “…” uses it as the opener.
    if "„" in s or opens:
        closes += curly_open + curly_close
    else:
        opens += curly_open
        closes += curly_close
    return opens - closes + (straight % 2)


def looks_like_speech(s: str) -> bool:
    """First/second-person prose continues a dash quote; reporting prose does not."""
    return bool(re.search(r"\b(?:vi|jag|oss|vår|våra|mig|me|minä|meidän|we|I|our)\b", s,
                          re.IGNORECASE))


def first_person(s: str) -> bool:
    """Whether a sentence speaks in the first person (a quoted voice, not the outlet)."""
    # Case-sensitive "I" avoids the Swedish preposition "i"; the rest are lower-cased.
    return bool(FIRST_PERSON.search(s[:1].lower() + s[1:] if s[:2] != "I " else s))
