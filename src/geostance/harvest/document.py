"""A real document as extracted from a snapshot, before selection and segmentation."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Document", "Paragraph", "clean_space", "chunk_sentences", "rewrap", "hard_wrapped"]

_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_NEWLINES = re.compile(r"\s*\n\s*")


def clean_space(text: str) -> str:
    """Collapse runs of whitespace (line breaks included) into one space; strip the ends.

    Source files wrap paragraphs at a fixed width; a paragraph is one line in the
    documents we write, so that the segmenter sees one line per paragraph.
    """
    return _SPACE.sub(" ", _NEWLINES.sub(" ", text)).strip()


@dataclass
class Paragraph:
    """One paragraph: body text, or a line the source marks as procedural."""

    text: str
    role: str = "body"  # body | speaker | procedural | heading


@dataclass
class Document:
    """A real document with its provenance.

    ``paragraphs`` are in document order; selection later keeps a contiguous run of
    them, and the written document text is the title (if any) plus the kept
    paragraphs, one per line.
    """

    doc_id: str
    lang: str
    title: str
    date: str
    genre: str
    speaker: str  # the speaker, or the outlet/institution that issued the text
    paragraphs: list[Paragraph]
    source_repo: str
    commit: str
    path: str
    licence: str
    attribution: str
    url: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        """A JSON-ready dict (paragraphs as plain dicts)."""
        return asdict(self)


def chunk_sentences(text: str, lang: str, per_line: int = 3) -> list[str]:
    """Cut a paragraph into lines of ``per_line`` sentences at sentence boundaries.

    For sources whose scraper flattened a whole page into one line: the sentences
    are unchanged, only the line breaks between groups of them are ours, so that
    passages can be selected around the on-topic ones.
    """
    from ..text.segment import split_sentences

    spans = split_sentences(text, lang)
    lines = []
    for i in range(0, len(spans), per_line):
        group = spans[i:i + per_line]
        lines.append(text[group[0].start:group[-1].end])
    return lines


_ENDS_SENTENCE = re.compile(r"[.!?:…][\"”’»)]*$")


def hard_wrapped(lines: list[str]) -> bool:
    """Whether text lines were broken at a fixed width (most lines stop mid-sentence)."""
    body = [ln.strip() for ln in lines if ln.strip()]
    if len(body) < 4:
        return False
    open_ = sum(not _ENDS_SENTENCE.search(ln) for ln in body)
    return open_ / len(body) >= 0.4


def rewrap(lines: list[str], headings: bool = True) -> list[str]:
    """Paragraphs from lines broken at a fixed width (PDF text, hard-wrapped files).

    A blank line, or a line that ends a sentence and is clearly shorter than the
    wrap width, ends a paragraph; so does a short line without final punctuation
    followed by a capitalised line (a heading, when ``headings``). Words hyphenated
    at a line end are joined, except after a capitalised part ("Nato-", "EU-"),
    where the hyphen is part of the compound.
    """
    width = max((len(ln.rstrip()) for ln in lines), default=80)
    out: list[str] = []
    cur = ""
    for i, raw in enumerate(lines):
        piece = raw.strip()
        if not piece:
            if cur:
                out.append(clean_space(cur))
            cur = ""
            continue
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if cur.endswith("-") and piece[:1].islower():
            word = re.search(r"(\S+)-$", cur)
            keep_hyphen = bool(word and word.group(1)[:1].isupper())
            cur = (cur if keep_hyphen else cur[:-1]) + piece
        else:
            cur = f"{cur} {piece}" if cur else piece
        short = len(raw.rstrip()) < 0.8 * width
        ends = bool(_ENDS_SENTENCE.search(piece))
        heading = (headings and not ends and short and nxt[:1].isupper()
                   and len(piece) < 0.5 * width)
        if (ends and short) or heading or not nxt:
            out.append(clean_space(cur))
            cur = ""
    if cur:
        out.append(clean_space(cur))
    return out
