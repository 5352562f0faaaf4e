"""Decoding input bytes: UTF-8 (with or without BOM), UTF-16/32 with a BOM, or a legacy
8-bit code page guessed by charset-normalizer; binary data is refused.

UTF-8 text with a few damaged bytes (a truncated copy, one stray byte) stays UTF-8: read
as a legacy code page, every other non-ASCII letter of it would come out wrong
("müsse" as "mУМsse"), enough to change a label. Bytes are taken as damaged UTF-8 when
they hold at least as many valid multi-byte UTF-8 characters as invalid bytes; legacy
8-bit text almost never forms a valid multi-byte sequence, so it still goes to the
code-page guess. A whole file replaces each invalid byte with U+FFFD and says so in its
encoding ("utf-8, 1 invalid byte replaced"); a table's rows are decoded one by one and a
damaged row becomes an error record of its own.
"""

from __future__ import annotations

import codecs
import unicodedata

__all__ = ["DecodeError", "LEGACY_ENCODINGS", "detect_encoding", "decode_bytes",
           "mostly_utf8"]

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


def _is_escape(ch: str) -> bool:
    # surrogateescape maps each undecodable byte to one of U+DC80..U+DCFF
    return "\udc80" <= ch <= "\udcff"


def _plausible(ch: str) -> bool:
    """A valid non-ASCII character that 8-bit text rarely forms by accident: two-byte
    characters only from Latin-1 to Cyrillic (cp1252's "ß“" is valid UTF-8 for an NKo
    letter), and any character of three or four bytes (which needs a lead byte and two
    or three continuation bytes in a row)."""
    return 0xA0 <= ord(ch) <= 0x52F or ord(ch) >= 0x800 and not _is_escape(ch)


def mostly_utf8(data: bytes, partial: bool = False) -> bool:
    """True when ``data`` is UTF-8 with some invalid bytes: at least as many plausible
    valid non-ASCII characters as invalid bytes, and at least one (``partial``: the start
    of a file, read up to its last newline so a character cut at the end does not count)."""
    if partial and b"\n" in data:
        data = data[:data.rindex(b"\n") + 1]
    text = data.decode("utf-8", errors="surrogateescape")
    bad = sum(1 for ch in text if _is_escape(ch))
    good = sum(1 for ch in text if _plausible(ch))
    return good >= 1 and good >= bad


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
        if mostly_utf8(data, partial):
            return "utf-8"
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
        if encoding not in ("utf-8", "utf-8-sig") or not mostly_utf8(data):
            raise DecodeError(f"undecodable as {encoding}: {e.reason} at byte {e.start}"
                              ) from None
        # Damaged UTF-8 (see the module's note): each invalid byte becomes U+FFFD.
        escaped = data.decode(encoding, errors="surrogateescape")
        n = sum(1 for ch in escaped if _is_escape(ch))
        text = "".join("\ufffd" if _is_escape(ch) else ch for ch in escaped)
        encoding = f"utf-8, {n} invalid byte{'s' if n != 1 else ''} replaced"
    return _check_text(text, encoding), encoding
