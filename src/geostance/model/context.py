"""The context segment: what a model trained with context sees beside its sentence.

Pure Python importing only the standard library, because it is copied into every saved
model folder with ``modeling.py`` and ``pipeline.py`` (the pipeline imports it from there)
as well as used by :mod:`.encoding`: one definition for training, prediction and
``pipeline("geostance")``. For the same reason it holds :func:`has_visible_text`, the one
test of "empty text" that the pipeline shares with the rest of the package
(``geostance.text.segment`` exports it).
"""

from __future__ import annotations

import unicodedata

__all__ = ["CONTEXT_CHARS", "CONTEXT_MODES", "context_text", "has_visible_text"]

# What a model may read beside its sentence (model.context in train.py's config).
CONTEXT_MODES = ("none", "prev", "title_prev")

# Characters of context kept per part before tokenising: the sentence matters
# most, so the context is cut early rather than letting truncation eat the
# sentence (about 4 characters per token).
CONTEXT_CHARS = {"title": 200, "prev": 300, "speaker": 80}


def has_visible_text(text: str) -> bool:
    """Whether ``text`` holds a character a reader sees: not only whitespace, control
    characters and invisible format characters (Unicode category Cf: zero-width spaces and
    joiners, direction marks and embeddings, soft hyphens, byte order marks)."""
    # Stops at the first visible character: one or two steps for any real text.
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc")
               for ch in text)


def context_text(mode: str, title: str, prev: str, speaker: str | None = None,
                 prev_chars: int | None = None) -> str | None:
    """The second segment for ``mode`` (none / prev / title_prev), or None.

    ``speaker`` is None for a model that was not trained with the speaker; for one
    that was, it is the sentence's speaker ("" when the outlet itself speaks),
    which leads the segment ("Sergej Lavrov | <previous sentence>"; "-" for none).
    ``prev_chars``: characters of the previous sentence kept (the model's
    ``context_chars``; None = ``CONTEXT_CHARS["prev"]``).
    """
    keep = CONTEXT_CHARS["prev"] if prev_chars is None else prev_chars
    if mode == "none":
        ctx = None
    elif mode == "prev":
        ctx = (prev or "")[:keep]
    else:
        title = (title or "")[: CONTEXT_CHARS["title"]]
        prev = (prev or "")[:keep]
        parts = [title] if title else []
        if prev and prev != title:
            parts.append(prev)
        ctx = " | ".join(parts)
    if speaker is None:
        return ctx
    who = (speaker or "-")[: CONTEXT_CHARS["speaker"]]
    return f"{who} | {ctx}" if ctx else who
