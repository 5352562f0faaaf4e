"""Reading ``predict.py`` inputs: files, directories, JSONL/CSV tables and stdin.

Every input article becomes one :class:`Item` in input order; an input that
cannot be read (empty, binary, undecodable, too large, unreadable, a bad row)
becomes an :class:`Item` with ``error`` set instead of being dropped, so the
caller can write an error record for it.

Bytes are decoded as UTF-8 (with or without BOM), UTF-16/32 with BOM, or a
legacy 8-bit code page guessed by charset-normalizer; the codec used is kept
in ``Item.encoding``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["Item", "DecodeError", "decode_bytes", "iter_items", "expand_paths", "missing_inputs",
           "jsonl_line_item", "open_table", "stem_id", "KEPT_COLUMNS", "TEXT_SUFFIXES",
           "TABLE_SUFFIXES"]

TEXT_SUFFIXES = (".txt", ".md")
TABLE_SUFFIXES = (".jsonl", ".csv")
# Optional table columns copied to the output record (``text`` is scored, not kept).
KEPT_COLUMNS = ("id", "title", "lang", "date", "outlet", "context_prev")

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
# Bytes looked at to decide a table's encoding before streaming it.
_SNIFF_BYTES = 1 << 20


class DecodeError(ValueError):
    """Bytes that are not text (binary or of no known encoding); the message says which."""


@dataclass
class Item:
    """One article (or, with ``unit="sentence"``, one sentence) to score.

    ``input`` names where it came from: a path, ``path:row N`` (1-based data
    row of a table) or ``path:line N`` (a line of a text file read as
    sentences). ``meta`` holds the kept table columns (id, title, lang, date,
    outlet, context_prev) that were present.
    """

    article_id: str
    input: str
    text: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    encoding: str | None = None
    error: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Identity used by ``--resume``."""
        return (self.article_id, self.input)


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


def expand_paths(inputs: Iterable[str], exclude: Iterable[Path] = ()) -> list[str]:
    """Inputs with directories replaced by their text and table files (recursive, sorted).

    Hidden files and ``exclude`` (the output and its partial files) are skipped
    inside directories; explicitly named files are always kept.
    """
    skip = {p.resolve() for p in exclude}
    out: list[str] = []
    for name in inputs:
        p = Path(name)
        if name != "-" and p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if (f.is_file() and f.suffix.lower() in TEXT_SUFFIXES + TABLE_SUFFIXES
                        and not any(part.startswith(".") for part in rel)
                        and f.resolve() not in skip):
                    out.append(str(f))
        else:
            out.append(name)
    return out


def missing_inputs(inputs: Iterable[str]) -> list[str]:
    """Input paths that do not exist (``-`` is stdin and always exists)."""
    return [p for p in inputs if p != "-" and not Path(p).exists()]


def stem_id(path: str) -> str:
    return "stdin" if path == "-" else Path(path).stem


def _read_limited(fh: BinaryIO, max_bytes: int) -> bytes:
    # Read at most max_bytes + 1 so an oversized input is detected without loading it all.
    return fh.read(max_bytes + 1)


def _too_large(n: int, max_chars: int) -> str:
    return f"too large: {n} characters > max_chars {max_chars}"


def _text_items(path: str, unit: str, max_chars: int, stdin: BinaryIO | None) -> Iterator[Item]:
    """One article for a text file (or stdin); one item per non-empty line with unit=sentence."""
    aid = stem_id(path)
    # UTF-8 needs at most 4 bytes per character, UTF-32 exactly 4 (plus the BOM).
    max_bytes = 4 * max_chars + 4
    try:
        if path == "-":
            data = _read_limited(stdin or sys.stdin.buffer, max_bytes)
        else:
            with open(path, "rb") as fh:
                data = _read_limited(fh, max_bytes)
    except OSError as e:
        yield Item(aid, path, error=f"unreadable: {e.strerror or e}")
        return
    if len(data) > max_bytes:
        yield Item(aid, path, error=f"too large: more than {max_bytes} bytes "
                   f"(max_chars {max_chars})")
        return
    try:
        text, enc = decode_bytes(data)
    except DecodeError as e:
        yield Item(aid, path, error=str(e))
        return
    if unit == "sentence":
        n = 0
        for i, line in enumerate(text.splitlines(), 1):
            if line.strip():
                n += 1
                yield _checked(Item(f"{aid}:{i}", f"{path}:line {i}", line.strip(),
                                    encoding=enc), max_chars)
        if n == 0:
            yield Item(aid, path, encoding=enc, error="empty input (no text)")
        return
    yield _checked(Item(aid, path, text, encoding=enc), max_chars)


def _checked(item: Item, max_chars: int) -> Item:
    """Set ``error`` for an item without text or with too much of it."""
    if item.error is None:
        if not item.text.strip():
            item.error = "empty input (no text)"
        elif len(item.text) > max_chars:
            item.error = _too_large(len(item.text), max_chars)
    return item


def _row_item(path: str, n: int, row: Any, text_column: str, encoding: str,
              max_chars: int) -> Item:
    where = f"{path}:row {n}"
    if not isinstance(row, dict):
        return Item(f"{stem_id(path)}:{n}", where, encoding=encoding,
                    error="bad row: not an object")
    rid = row.get("id")
    aid = str(rid) if rid not in (None, "") else f"{stem_id(path)}:{n}"
    meta = {k: row[k] for k in KEPT_COLUMNS if row.get(k) not in (None, "")}
    text = row.get(text_column)
    if text_column not in row:
        return Item(aid, where, meta=meta, encoding=encoding,
                    error=f"bad row: no {text_column!r} column")
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return _checked(Item(aid, where, text, meta=meta, encoding=encoding), max_chars)


def open_table(path: str) -> tuple[BinaryIO, str]:
    fh = open(path, "rb")  # noqa: SIM115 - returned to the caller, closed there
    try:
        head = fh.read(_SNIFF_BYTES)
        if not head:
            raise DecodeError("empty input")
        enc = detect_encoding(head, partial=len(head) == _SNIFF_BYTES)
        fh.seek(0)
        return fh, enc
    except BaseException:
        fh.close()
        raise


def jsonl_line_item(path: str, n: int, line: str, text_column: str, encoding: str,
                    max_chars: int) -> Item:
    """The item of data row ``n`` (1-based, blank lines not counted) of a JSONL table.

    Shared by :func:`iter_items` and the Ray engine, which reads byte ranges of
    a table on its workers and must number and check rows exactly the same way.
    """
    if len(line) > 2 * max_chars + 10_000:
        # Too large whatever the JSON escapes: skip parsing it.
        return Item(f"{stem_id(path)}:{n}", f"{path}:row {n}", encoding=encoding,
                    error=_too_large(len(line), max_chars))
    try:
        row = json.loads(line)
    except json.JSONDecodeError as e:
        return Item(f"{stem_id(path)}:{n}", f"{path}:row {n}", encoding=encoding,
                    error=f"bad row: invalid JSON ({e.msg})")
    return _row_item(path, n, row, text_column, encoding, max_chars)


def _table_or_error(path: str) -> tuple[BinaryIO, str] | Item:
    """:func:`open_table`, or the error item that says why the table cannot be read."""
    try:
        return open_table(path)
    except OSError as e:
        return Item(stem_id(path), path, error=f"unreadable: {e.strerror or e}")
    except DecodeError as e:
        return Item(stem_id(path), path, error=str(e))


def _jsonl_items(path: str, text_column: str, max_chars: int) -> Iterator[Item]:
    """One item per non-blank JSONL line, streamed so big files stay out of memory."""
    opened = _table_or_error(path)
    if isinstance(opened, Item):
        yield opened
        return
    fh, enc = opened
    with fh:
        if enc.startswith(("utf-16", "utf-32")):
            # Lines cannot be split on b"\n" in these; such files are rare and decoded whole.
            lines: Iterable[bytes | str] = io.TextIOWrapper(fh, encoding=enc, newline="")
        else:
            lines = fh
        n = 0
        try:
            for raw in lines:
                try:
                    line = raw.decode(enc) if isinstance(raw, bytes) else raw
                except UnicodeDecodeError as e:
                    n += 1
                    yield Item(f"{stem_id(path)}:{n}", f"{path}:row {n}", encoding=enc,
                               error=f"undecodable row as {enc}: {e.reason}")
                    continue
                if not line.strip():
                    continue
                n += 1
                yield jsonl_line_item(path, n, line, text_column, enc, max_chars)
        except (OSError, UnicodeDecodeError) as e:
            yield Item(stem_id(path), f"{path}:row {n + 1}", encoding=enc,
                       error=f"unreadable after row {n}: {e}")
        if n == 0:
            yield Item(stem_id(path), path, encoding=enc, error="empty input (no rows)")


def _csv_items(path: str, text_column: str, max_chars: int) -> Iterator[Item]:
    """One item per CSV data row (header row required)."""
    opened = _table_or_error(path)
    if isinstance(opened, Item):
        yield opened
        return
    fh, enc = opened
    # Fields may hold whole articles; the limit is enforced per row below instead.
    csv.field_size_limit(max(csv.field_size_limit(), 4 * max_chars + 10_000))
    enc_read = "utf-8-sig" if enc == "utf-8" else enc
    n = 0
    with io.TextIOWrapper(fh, encoding=enc_read, newline="") as text:
        try:
            reader = csv.DictReader(text)
            if reader.fieldnames is None:
                yield Item(stem_id(path), path, encoding=enc, error="empty input (no rows)")
                return
            if text_column not in reader.fieldnames:
                yield Item(stem_id(path), path, encoding=enc,
                           error=f"bad table: no {text_column!r} column "
                           f"(columns: {', '.join(reader.fieldnames)})")
                return
            for row in reader:
                n += 1
                yield _row_item(path, n, row, text_column, enc, max_chars)
        except (OSError, UnicodeDecodeError, csv.Error) as e:
            yield Item(stem_id(path), f"{path}:row {n + 1}", encoding=enc,
                       error=f"unreadable after row {n}: {e}")
            return
    if n == 0:
        yield Item(stem_id(path), path, encoding=enc, error="empty input (no rows)")


def iter_items(paths: Iterable[str], unit: str = "article", max_chars: int = 200_000,
               text_column: str = "text", stdin: BinaryIO | None = None) -> Iterator[Item]:
    """All input items in order; ``paths`` as returned by :func:`expand_paths`.

    ``.jsonl`` and ``.csv`` files give one item per row; any other file (and
    ``-`` for stdin) is one article, or one item per non-empty line with
    ``unit="sentence"``.
    """
    for path in paths:
        suffix = Path(path).suffix.lower() if path != "-" else ""
        if suffix == ".jsonl":
            yield from _jsonl_items(path, text_column, max_chars)
        elif suffix == ".csv":
            yield from _csv_items(path, text_column, max_chars)
        else:
            yield from _text_items(path, unit, max_chars, stdin)
