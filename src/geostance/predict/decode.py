"""Decoding input bytes: UTF-8 (with or without BOM), UTF-16/32 with a BOM, or a legacy
8-bit code page guessed by charset-normalizer; binary data is refused.
"""

from __future__ import annotations

import codecs
import unicodedata

__all__ = ["DecodeError", "LEGACY_ENCODINGS", "detect_encoding", "decode_bytes"]

# Single-byte code pages worth guessing for European news; multi-byte Asian
# codecs are left out because charset-normalizer "finds" them in any binary junk.
LEGACY_ENCODINGS = [
    "cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r", "koi8_u",
    "iso8859_5", "cp1257", "iso8859_13", "cp1253", "cp1254", "iso8859_9", "cp1256", "cp1255",
]
_BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of control / unassigned characters above which decoded text is junk.
_MAX_CONTROL_SHARE = 0.01


class DecodeError(ValueError):
    """Bytes that are not text (binary or of no known encoding); the message says which."""


def _codec_name(name: str) -> str:
    # Canonical, human-readable codec names ("latin_1" -> "iso8859-1").
    try:
        return codecs.lookup(name).name
    except LookupError:  # pragma: no cover - charset-normalizer only returns known codecs
        return name


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ch not in "\n\r\t\f"
              and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"))
    return bad / len(text)


def _check_text(text: str, encoding: str) -> str:
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise DecodeError(f"undecodable: decoding as {encoding} gives control characters")
    return text


def detect_encoding(data: bytes, partial: bool = False) -> str:
    """Codec for ``data``: a BOM's, UTF-8, or a legacy 8-bit code page.

    ``partial`` says ``data`` is only the start of a file, so a multi-byte
    UTF-8 sequence cut at the end does not count against UTF-8. Raises
    :class:`DecodeError` for binary data or bytes no candidate decodes cleanly.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    if b"\x00" in data[:8192]:
        # NUL bytes never occur in 8-bit or UTF-8 text; UTF-16 without a BOM is not supported.
        raise DecodeError("binary file (NUL bytes; UTF-16/32 text needs a byte-order mark)")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=not partial)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_isolation=LEGACY_ENCODINGS))
    if not matches:
        raise DecodeError("undecodable: neither UTF-8 nor a known 8-bit encoding")
    # Least chaos, then most coherent; ties (short texts often fit cp1250 and cp1252
    # equally) go to the more common code page, the order of LEGACY_ENCODINGS.
    rank = {_codec_name(e): i for i, e in enumerate(LEGACY_ENCODINGS)}
    best = min(matches, key=lambda m: (round(m.chaos, 3), -round(m.coherence, 3),
                                       rank.get(_codec_name(m.encoding), len(rank))))
    text = str(best)
    # charset-normalizer reports one of several codecs that decode identically; name the
    # most common of them (German text is "cp1252", not "cp1250").
    for enc in LEGACY_ENCODINGS:
        try:
            if data.decode(enc) == text:
                return _codec_name(enc)
        except UnicodeDecodeError:
            continue
    return _codec_name(best.encoding)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a whole file's bytes; returns ``(text, encoding)`` or raises DecodeError."""
    if not data:
        raise DecodeError("empty input")
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        raise DecodeError(f"undecodable as {encoding}: {e.reason} at byte {e.start}") from None
    return _check_text(text, encoding), encoding
