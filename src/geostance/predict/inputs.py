"""Reading ``predict.py`` inputs: files, directories, JSONL/CSV tables and stdin.

Every input article becomes one :class:`Item` in input order; an input that
cannot be read (empty, binary, undecodable, too large, unreadable, a broken or
looping link, a bad row, a text field that is not a string) becomes an
:class:`Item` with ``error`` set instead of being dropped, so the caller can write
an error record for it. Inside directories every file is either read or listed as
skipped with its reason (:class:`Listing`): hidden files, types that are not
articles or tables (``x.pdf``, files without an extension), FIFOs and other
non-regular files, and files left out by ``--include``/``--exclude``; hidden folders
and links to folders are listed as skipped, not entered.

Bytes are decoded by :mod:`geostance.predict.decode`; the codec used is kept in
``Item.encoding``. ``.md``/``.markdown`` and ``.html``/``.htm`` files are articles in
those formats (``Item.format``): their markup is removed before splitting.
"""

from __future__ import annotations

import csv
import errno
import fnmatch
import io
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ..fileio import (
    JsonlRowError,
    decode_line,
    json_infinity,
    json_missing,
    jsonl_row,
    split_lines,
    surrogate_at,
)
from ..text.segment import has_visible_text
from .decode import DecodeError, decode_bytes, detect_encoding

__all__ = ["Item", "Listing", "undecodable_row", "iter_items", "expand_paths",
           "missing_inputs", "jsonl_line_item", "open_table", "stem_id",
           "display_path",
           "KEPT_COLUMNS", "TEXT_SUFFIXES", "TABLE_SUFFIXES"]

# Article files by suffix and their format (see geostance.text.markup).
ARTICLE_FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                   ".html": "html", ".htm": "html"}
TEXT_SUFFIXES = tuple(ARTICLE_FORMATS)
TABLE_SUFFIXES = (".jsonl", ".csv")
# Files named on the command line that are no plain text and no table predict.py reads:
# scored as one article they would give nonsense (a JSON array as one "sentence"), so
# each gets an error record saying what to convert them to.
UNREADABLE_SUFFIXES = {
    ".json": "a JSON document: write one object per line as .jsonl",
    ".tsv": "tab-separated: save it as .csv or .jsonl",
    ".parquet": "Parquet is an output format only: convert the table to .jsonl or .csv",
    ".xlsx": "a spreadsheet: save it as .csv", ".xls": "a spreadsheet: save it as .csv",
    ".ods": "a spreadsheet: save it as .csv",
    ".docx": "a word-processor file: save it as .txt", ".doc": "a word-processor file: save "
    "it as .txt", ".odt": "a word-processor file: save it as .txt",
    ".rtf": "a word-processor file: save it as .txt", ".pdf": "a PDF: extract its text to .txt",
    ".zip": "an archive: unpack it", ".gz": "compressed: unpack it",
}
# Bytes looked at to decide a table's encoding before streaming it.
SNIFF_BYTES = 1 << 20
# Optional table columns copied to the output record (``text`` is scored, not kept).
KEPT_COLUMNS = ("id", "title", "lang", "date", "outlet", "context_prev")

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
    format: str = "text"  # text | markdown | html

    @property
    def key(self) -> tuple[str, str]:
        """Identity used by ``--resume``."""
        return (self.article_id, self.input)


def display_path(path: str) -> str:
    """A path as text: bytes of a name that is not valid UTF-8 shown as ``\\xNN``."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass
class Listing:
    """The files to read, in order, and the files inside directories that are not read."""

    paths: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)

    def skipped_counts(self) -> dict[str, int]:
        """Skipped files per reason."""
        out: dict[str, int] = {}
        for _, why in self.skipped:
            out[why] = out.get(why, 0) + 1
        return out

    def nothing_to_read(self, inputs: Iterable[str]) -> str | None:
        """Why there is nothing to score (only folders, with no file to read), or None."""
        if self.paths:
            return None
        kinds = "/".join(s.lstrip(".") for s in (*TEXT_SUFFIXES, *TABLE_SUFFIXES))
        skipped = f" ({len(self.skipped)} files skipped)" if self.skipped else ""
        return (f"no input to score: {', '.join(map(display_path, inputs))} holds no "
                f"{kinds} file{skipped}")

    def skipped_lines(self, limit: int = 20) -> list[str]:
        """One line per skipped file (at most ``limit``, then a count)."""
        lines = [f"skipped {display_path(p)}: {why}" for p, why in self.skipped[:limit]]
        if len(self.skipped) > limit:
            lines.append(f"... and {len(self.skipped) - limit} more files skipped")
        return lines


def _matches(rel: str, globs: Iterable[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in globs)


def expand_paths(inputs: Iterable[str], exclude: Iterable[Path] = (),
                 include: Iterable[str] = (), exclude_globs: Iterable[str] = ()) -> Listing:
    """Inputs with directories replaced by their article and table files (recursive, sorted).

    Inside directories a file is read when its suffix is an article or table type,
    it is a regular file (or a link to one: a broken or looping link is read, so it
    gets an error record), it is not hidden, it matches ``include`` (when given) and
    not ``exclude_globs``; every other file is listed in :attr:`Listing.skipped` with
    the reason, and so are hidden folders and links to folders, which are not entered.
    ``exclude`` (the output and its partial files) is left out silently.
    Explicitly named files are always read.
    """
    skip = set()
    for p in exclude:
        try:
            skip.add(Path(p).resolve())
        except (OSError, RuntimeError):
            pass
    include, exclude_globs = list(include), list(exclude_globs)
    out = Listing()
    for name in inputs:
        p = Path(name)
        if name == "-" or not p.is_dir():
            out.paths.append(name)
            continue
        for root, dirs, files in os.walk(p, followlinks=False):
            # Folders not entered are listed too, so nothing inside is left out silently.
            entered = []
            for d in sorted(dirs):
                why = _skip_folder_reason(Path(root) / d, d)
                if why:
                    out.skipped.append((str(Path(root) / d), why))
                else:
                    entered.append(d)
            dirs[:] = entered
            for fname in sorted(files):
                f = Path(root) / fname
                rel = f.relative_to(p).as_posix()
                try:
                    if f.resolve() in skip:
                        continue
                except (OSError, RuntimeError):
                    pass  # a looping link: read, so that it gets an error record
                why = _skip_reason(f, fname, rel, include, exclude_globs)
                if why:
                    out.skipped.append((str(f), why))
                else:
                    out.paths.append(str(f))
    return out


def _skip_folder_reason(d: Path, name: str) -> str | None:
    if name.startswith("."):
        return "hidden folder"
    if d.is_symlink():  # not followed: it may loop back or lead out of the input folder
        return "link to a folder (not followed)"
    return None


def _skip_reason(f: Path, fname: str, rel: str, include: list[str],
                 exclude_globs: list[str]) -> str | None:
    if fname.startswith("."):
        return "hidden file"
    suffix = f.suffix.lower()
    if suffix not in TEXT_SUFFIXES + TABLE_SUFFIXES:
        return f"not an article or table type ({suffix or 'no extension'})"
    if include and not _matches(rel, include):
        return "not matched by --include"
    if exclude_globs and _matches(rel, exclude_globs):
        return "matched by --exclude"
    try:
        st = f.stat()
    except OSError:
        return None  # broken or looping link: read, it gets an error record
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (FIFO, socket or device)"
    return None


def missing_inputs(inputs: Iterable[str]) -> list[str]:
    """Input paths that do not exist (``-`` is stdin; a broken or looping link exists and
    gets an error record when read)."""
    return [p for p in inputs if p != "-" and not os.path.lexists(p)]


def stem_id(path: str) -> str:
    # display_path: a file name that is not valid UTF-8 (surrogate escapes) would make
    # the article id unwritable as UTF-8 JSON and end the run with an internal error.
    return "stdin" if path == "-" else Path(display_path(path)).stem


def _read_limited(fh: BinaryIO, max_bytes: int) -> bytes:
    # Read at most max_bytes + 1 so an oversized input is detected without loading it all.
    return fh.read(max_bytes + 1)


def _too_large(n: int, max_chars: int) -> str:
    return f"too large: {n} characters > max_chars {max_chars}"


def _link_problem(path: str) -> str | None:
    """Why a symbolic link cannot be read, or None."""
    if path == "-" or not os.path.islink(path):
        return None
    try:
        # stat, not resolve: /dev/stdin and a shell's <(...) link to "pipe:[...]", which no
        # path resolves, yet they open.
        os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "unreadable: symbolic link loop"
        return "unreadable: broken symbolic link (its target does not exist)"
    return None


def _text_items(path: str, unit: str, max_chars: int, stdin: BinaryIO | None) -> Iterator[Item]:
    """One article for a text file (or stdin); one item per non-empty line with unit=sentence."""
    aid = stem_id(path)
    shown = display_path(path)
    fmt = ARTICLE_FORMATS.get(Path(path).suffix.lower(), "text") if path != "-" else "text"
    link = _link_problem(path)
    if link:
        yield Item(aid, shown, error=link)
        return
    # UTF-8 needs at most 4 bytes per character, UTF-32 exactly 4 (plus the BOM).
    max_bytes = 4 * max_chars + 4
    size = None  # bytes, where the file says (stdin and pipes do not)
    try:
        if path == "-":
            data = _read_limited(stdin or sys.stdin.buffer, max_bytes)
        else:
            with open(path, "rb") as fh:
                data = _read_limited(fh, max_bytes)
                st = os.fstat(fh.fileno())
                size = st.st_size if stat.S_ISREG(st.st_mode) else None
    except OSError as e:
        yield Item(aid, shown, error=f"unreadable: {e.strerror or e}")
        return
    if len(data) > max_bytes:
        # A text file is read whole (also with --unit sentence), so say how big it is
        # and what lets it through; only the first max_bytes + 1 bytes were read.
        got = f"{size} bytes" if size is not None else "more bytes"
        yield Item(aid, shown, error=f"too large: {got}, more than {max_bytes} "
                   f"(4 x max_chars {max_chars} + 4); raise --max-chars or split the file")
        return
    try:
        text, enc = decode_bytes(data)
    except DecodeError as e:
        yield Item(aid, shown, error=str(e))
        return
    if unit == "sentence":
        n = 0
        for line_no, key, line in _lines(text, fmt):
            n += 1
            yield _checked(Item(f"{aid}:{key}", f"{shown}:line {line_no}", line, encoding=enc),
                           max_chars)
        if n == 0:
            yield Item(aid, shown, encoding=enc, error="empty input (no text)")
        return
    yield _checked(Item(aid, shown, text, encoding=enc, format=fmt), max_chars)


# Line breaks as editors and `wc -l` count them: not U+2028, form feeds or the other
# characters str.splitlines() also splits on.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _lines(text: str, fmt: str) -> Iterator[tuple[int, str, str]]:
    """``(line number, id key, line)`` for each non-empty line (``unit=sentence``).

    Markdown and HTML lose their markup first (:func:`geostance.text.markup.read_article`,
    one block per line) and each block keeps the number of the file line it starts on;
    the id key is that number, with ``.2``, ``.3`` ... for further blocks of the same
    line (minified HTML puts a whole page on one).
    """
    if fmt == "text":
        for i, line in enumerate(_LINE_BREAK.split(text), 1):
            if has_visible_text(line):
                yield i, str(i), line.strip()
        return
    import bisect

    from ..text.markup import read_article

    article = read_article(text, fmt)
    ends = [m.end() for m in _LINE_BREAK.finditer(text)]
    seen: dict[int, int] = {}
    pos = 0
    for block in article.text.split("\n"):
        if has_visible_text(block):
            first = pos + len(block) - len(block.lstrip())
            line_no = bisect.bisect_right(ends, article.offsets[first]) + 1
            seen[line_no] = seen.get(line_no, 0) + 1
            key = str(line_no) if seen[line_no] == 1 else f"{line_no}.{seen[line_no]}"
            yield line_no, key, block.strip()
        pos += len(block) + 1


def _checked(item: Item, max_chars: int) -> Item:
    """Set ``error`` for an item without text or with too much of it."""
    if item.error is None:
        if not has_visible_text(item.text):  # direction marks or joiners alone are none
            item.error = "empty input (no text)"
        elif len(item.text) > max_chars:
            item.error = _too_large(len(item.text), max_chars)
    return item


# The "id" of a row too large to parse: a string or a number, first or last key.
_ID_VALUE = r'("(?:[^"\\]|\\.){1,200}"|-?\d{1,30})'
_LEADING_ID = re.compile(r'\s*\{\s*"id"\s*:\s*' + _ID_VALUE)
_TRAILING_ID = re.compile(r',\s*"id"\s*:\s*' + _ID_VALUE + r'\s*\}\s*$')


def _unparsed_id(line: str) -> str | None:
    """The ``id`` of a JSONL row without parsing it (None when it is not first or last)."""
    m = _LEADING_ID.match(line) or _TRAILING_ID.search(line, max(0, len(line) - 300))
    if not m:
        return None
    try:
        value = json.loads(m.group(1))
    except ValueError:
        return None
    return str(value) if value != "" else None


def _kept_problem(value: Any) -> str | None:
    """What a kept column's value is when it cannot be kept ("Infinity", "bool", "list");
    None for a string or a finite number."""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) \
            or json_infinity(value):
        return json_infinity(value) or type(value).__name__
    return None


def _row_item(path: str, n: int, row: Any, text_column: str, encoding: str,
              max_chars: int) -> Item:
    where = f"{display_path(path)}:row {n}"
    if not isinstance(row, dict):
        return Item(f"{stem_id(path)}:{n}", where, encoding=encoding,
                    error="bad row: not an object")
    rid = row.get("id")
    # An id that fails its row (Infinity, true, a list) names no input: the record is
    # matched by file and row, as one without an id (it was article_id "inf", "True").
    aid = (f"{stem_id(path)}:{n}" if json_missing(rid) or rid == "" or _kept_problem(rid)
           else str(rid))
    # NaN is a missing value (what json.dumps writes for pandas' empty cell), as null is.
    meta = {k: row[k] for k in KEPT_COLUMNS if not json_missing(row.get(k)) and row[k] != ""}
    text = row.get(text_column)
    for k, v in ((text_column, text), *meta.items()):
        bad = surrogate_at(v) if isinstance(v, str) else None
        if bad is not None:
            # A lone surrogate (a JSON "\udc80" escape, or a byte the table's encoding
            # cannot decode) can be neither written as UTF-8 nor tokenised.
            return Item(aid if surrogate_at(aid) is None else f"{stem_id(path)}:{n}", where,
                        encoding=encoding,
                        error=f"bad row: field {k!r} is not valid Unicode text (lone surrogate "
                              f"U+{ord(v[bad]):04X} at character {bad + 1}: an undecodable "
                              "byte, or a \\u escape of half a character)")
    if text_column not in row:
        return Item(aid, where, meta=meta, encoding=encoding,
                    error=f"bad row: no {text_column!r} column")
    if json_missing(text):
        text = ""
    if not isinstance(text, str):
        return Item(aid, where, meta=meta, encoding=encoding,
                    error=f"bad row: field {text_column!r} must be a string, got "
                          f"{json_infinity(text) or type(text).__name__}")
    for k in list(meta):
        got = _kept_problem(meta[k])
        if got:
            return Item(aid, where, encoding=encoding,
                        error=f"bad row: field {k!r} must be a string or a finite number, "
                              f"got {got}")
    return _checked(Item(aid, where, text, meta=meta, encoding=encoding), max_chars)


def undecodable_row(path: str, n: int, enc: str, e: UnicodeDecodeError) -> Item:
    """The error item of table row ``n`` that does not decode as ``enc`` (both engines)."""
    return Item(f"{stem_id(path)}:{n}", f"{display_path(path)}:row {n}", encoding=enc,
                error=f"undecodable row as {enc}: {e.reason} at byte {e.start} of the row")


class _Prefixed(io.RawIOBase):
    """``head`` then the rest of ``rest``: a pipe's first bytes, read to detect its
    encoding, put back in front of it (a pipe cannot seek back to its start)."""

    def __init__(self, head: bytes, rest: BinaryIO):
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if len(self._head):
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._rest.close()
        super().close()


def open_table(path: str) -> tuple[BinaryIO, str]:
    """The table at ``path`` opened at its start, and its detected encoding."""
    fh = open(path, "rb")  # noqa: SIM115 - returned to the caller, closed there
    try:
        head = fh.read(SNIFF_BYTES)
        if not head:
            raise DecodeError("empty input")
        enc = detect_encoding(head, partial=len(head) == SNIFF_BYTES)
        if fh.seekable():
            fh.seek(0)
            return fh, enc
        return io.BufferedReader(_Prefixed(head, fh)), enc
    except BaseException:
        fh.close()
        raise


def jsonl_line_item(path: str, n: int, line: str, text_column: str, encoding: str,
                    max_chars: int) -> Item:
    """The item of data row ``n`` (1-based, blank lines not counted) of a JSONL table.

    Shared by :func:`iter_items` and the Ray engine, which reads byte ranges of
    a table on its workers and must number and check rows exactly the same way.
    """
    where = f"{display_path(path)}:row {n}"
    if len(line) > 2 * max_chars + 10_000:
        # Too large whatever the JSON escapes: not parsed, but its id is kept when it is
        # the row's first or last key, so the record can still be matched to the input.
        aid = _unparsed_id(line) or f"{stem_id(path)}:{n}"
        return Item(aid, where, encoding=encoding, error=_too_large(len(line), max_chars))
    try:
        row = jsonl_row(line)  # the row decoder of train.py's readers too
    except JsonlRowError as e:  # a key twice: which of the two values was meant is not known
        return Item(f"{stem_id(path)}:{n}", where, encoding=encoding,
                    error=f"bad row: invalid JSON ({e})")
    return _row_item(path, n, row, text_column, encoding, max_chars)


def _table_or_error(path: str) -> tuple[BinaryIO, str] | Item:
    """:func:`open_table`, or the error item that says why the table cannot be read."""
    try:
        return open_table(path)
    except OSError as e:
        return Item(stem_id(path), display_path(path), error=f"unreadable: {e.strerror or e}")
    except DecodeError as e:
        return Item(stem_id(path), display_path(path), error=str(e))


def _jsonl_items(path: str, text_column: str, max_chars: int) -> Iterator[Item]:
    """One item per non-blank JSONL line, streamed so big files stay out of memory."""
    opened = _table_or_error(path)
    if isinstance(opened, Item):
        yield opened
        return
    fh, enc = opened
    shown = display_path(path)  # not valid UTF-8 in a name must not break the output
    with fh:
        if enc.startswith(("utf-16", "utf-32")):
            # Lines cannot be split on b"\n" in these; such files are rare and decoded whole.
            lines: Iterable[bytes | str] = io.TextIOWrapper(fh, encoding=enc, newline="")
        else:
            lines = split_lines(fh)  # the line splitter of train.py's readers too
        n = 0
        try:
            for k, raw in enumerate(lines):
                try:
                    line = decode_line(raw, enc, first=k == 0) if isinstance(raw, bytes) else raw
                except UnicodeDecodeError as e:
                    n += 1
                    yield undecodable_row(path, n, enc, e)
                    continue
                if not line.strip():
                    continue
                n += 1
                yield jsonl_line_item(path, n, line, text_column, enc, max_chars)
        except (OSError, UnicodeDecodeError) as e:
            yield Item(stem_id(path), f"{shown}:row {n + 1}", encoding=enc,
                       error=f"unreadable after row {n}: {e}")
        if n == 0:
            yield Item(stem_id(path), shown, encoding=enc, error="empty input (no rows)")


class _Lines:
    """The lines of a text stream, noting whether a reader asked for one past the last."""

    def __init__(self, text: Iterable[str]):
        self._lines = iter(text)
        self.ended = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        try:
            return next(self._lines)
        except StopIteration:
            self.ended = True
            raise


def _csv_row_item(path: str, n: int, first: int, last: int, lines: _Lines,
                  header: list[str], cells: list[str], text_column: str, encoding: str,
                  max_chars: int) -> Item:
    """The item of CSV data row ``n`` (file lines ``first`` to ``last``), or its error."""
    if lines.ended:
        # csv reads a quote never closed to the end of the file and returns it as one
        # field: every later row would be scored as part of this one's text.
        return Item(f"{stem_id(path)}:{n}", f"{display_path(path)}:row {n}", encoding=encoding,
                    error=f"bad row: a quote opened in the row from line {first} is never "
                          f"closed (lines {first} to {last} were read as one row)")
    if [cells[0].lstrip("\ufeff"), *cells[1:]] == header:
        # The header again, perhaps after a byte order mark: two exports joined ("cat a.csv
        # b.csv"). Read as data it was scored as an article with id "id" and text "text".
        return Item(f"{stem_id(path)}:{n}", f"{display_path(path)}:row {n}", encoding=encoding,
                    error=f"bad row: the header again (line {first}: two tables joined?)")
    row: dict[str, str | None] = dict(zip(header, cells, strict=False))  # lengths checked below
    if any(cell.strip() for cell in cells[len(header):]):
        # A comma in a text that is not in quotes splits it: the cells past the header's
        # were dropped, and the text cut at the comma. Blank ones (a trailing comma some
        # exporters write on every row) hold nothing to lose.
        rid = row.get("id")
        return Item(rid if rid and surrogate_at(rid) is None else f"{stem_id(path)}:{n}",
                    f"{display_path(path)}:row {n}", encoding=encoding,
                    error=f"bad row: {len(cells)} fields, the header has {len(header)} (a "
                          "comma in a text that is not in quotes?)")
    for column in header[len(cells):]:  # a short row's missing cells, as csv.DictReader
        row.setdefault(column, None)
    return _row_item(path, n, row, text_column, encoding, max_chars)


def _csv_items(path: str, text_column: str, max_chars: int) -> Iterator[Item]:
    """One item per CSV data row (header row required)."""
    opened = _table_or_error(path)
    if isinstance(opened, Item):
        yield opened
        return
    fh, enc = opened
    shown = display_path(path)
    # Fields may hold whole articles; the limit is enforced per row below instead.
    csv.field_size_limit(max(csv.field_size_limit(), 4 * max_chars + 10_000))
    enc_read = "utf-8-sig" if enc == "utf-8" else enc
    n = 0
    # surrogateescape: an undecodable byte becomes a lone surrogate in its cell, and
    # _row_item turns that row (only) into an error record naming the field.
    with io.TextIOWrapper(fh, encoding=enc_read, errors="surrogateescape", newline="") as text:
        try:
            lines = _Lines(text)
            reader = csv.reader(lines)
            header = next(reader, None)
            if header is None:
                yield Item(stem_id(path), shown, encoding=enc, error="empty input (no rows)")
                return
            if text_column not in header:
                yield Item(stem_id(path), shown, encoding=enc,
                           error=f"bad table: no {text_column!r} column "
                           f"(columns: {', '.join(header)})")
                return
            twice = next((c for c in (text_column, *KEPT_COLUMNS) if header.count(c) > 1), None)
            if twice:  # which of the two cells was meant is not known
                yield Item(stem_id(path), shown, encoding=enc,
                           error=f"bad table: column {twice!r} twice in the header")
                return
            last = reader.line_num
            for cells in reader:
                first, last = last + 1, reader.line_num
                if not cells:  # a blank line, as csv.DictReader skips it
                    continue
                n += 1
                yield _csv_row_item(path, n, first, last, lines, header, cells, text_column,
                                    enc, max_chars)
        except (OSError, UnicodeDecodeError, csv.Error) as e:
            yield Item(stem_id(path), f"{shown}:row {n + 1}", encoding=enc,
                       error=f"unreadable after row {n}: {e}")
            return
    if n == 0:
        yield Item(stem_id(path), shown, encoding=enc, error="empty input (no rows)")


def iter_items(paths: Iterable[str], unit: str = "article", max_chars: int = 200_000,
               text_column: str = "text", stdin: BinaryIO | None = None) -> Iterator[Item]:
    """All input items in order; ``paths`` as returned by :func:`expand_paths`.

    ``.jsonl`` and ``.csv`` files give one item per row; a JSON, TSV, Parquet,
    spreadsheet, word-processor, PDF or archive file (``UNREADABLE_SUFFIXES``) one error
    item; any other file (and ``-`` for stdin) is one article, or one item per non-empty
    line with ``unit="sentence"``.
    """
    for path in paths:
        suffix = Path(path).suffix.lower() if path != "-" else ""
        if suffix == ".jsonl":
            yield from _jsonl_items(path, text_column, max_chars)
        elif suffix == ".csv":
            yield from _csv_items(path, text_column, max_chars)
        elif suffix in UNREADABLE_SUFFIXES:
            yield Item(stem_id(path), display_path(path),
                       error=f"not an article or table type ({suffix}): "
                             f"{UNREADABLE_SUFFIXES[suffix]}")
        else:
            yield from _text_items(path, unit, max_chars, stdin)
