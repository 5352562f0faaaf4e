"""Offline language identification (ISO 639-1 codes) for news articles.

Uses ``py3langid`` (a maintained fork of langid.py whose naive-Bayes model ships
inside the wheel, so nothing is downloaded at run time). Classification is
restricted to the languages news about NATO and Russia realistically comes in,
which removes the classic confusions of short texts (sv vs. da/no, ru vs. bg/mk
scored against 97 languages). Text written mostly in a script none of those
languages uses (Arabic, Hebrew, Chinese, Devanagari ...) is scored against all 97
instead: restricted, an Arabic article would be called the nearest allowed
language ("sr").
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["LANGUAGES", "detect_language"]

# The corpus languages plus close neighbours; keeping neighbours (da, no, be,
# sr, ...) in the set means a Danish article is called "da", not "sv".
LANGUAGES: tuple[str, ...] = (
    "sv", "en", "ru", "de", "fi", "pl", "bg", "pt", "fr", "uk", "az", "da", "no", "nl", "es",
    "it", "et", "lv", "lt", "cs", "sk", "sl", "hr", "sr", "mk", "be", "ro", "hu", "tr", "ka",
    "hy", "kk", "el", "is",
)

# Enough text to decide; scoring megabytes of text would only cost time.
_MAX_CHARS = 5000
# The scripts of LANGUAGES (Unicode character names start with them).
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "GEORGIAN", "ARMENIAN")
# Letters looked at to decide the script.
_SCRIPT_LETTERS = 400


@lru_cache(maxsize=2)
def _identifier(restricted: bool = True):
    # Build each model once: loading it takes ~0.5 s, classifying takes ~1 ms.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    if restricted:
        ident.set_languages(list(LANGUAGES))
    return ident


def _in_known_scripts(sample: str) -> bool:
    """True when at least half of the first letters are in a script of LANGUAGES."""
    letters = [ch for ch in sample if ch.isalpha()][:_SCRIPT_LETTERS]
    known = sum(1 for ch in letters if unicodedata.name(ch, "").startswith(_SCRIPTS))
    return 2 * known >= len(letters)


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of ``text``'s language ("" for text without letters):
    one of :data:`LANGUAGES`, or of all 97 of py3langid for text in other scripts.

    Only the first few thousand characters are scored, which keeps thousands
    of articles per second feasible.
    """
    sample = (text or "")[:_MAX_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return ""
    lang, _score = _identifier(_in_known_scripts(sample)).classify(sample)
    return str(lang)
