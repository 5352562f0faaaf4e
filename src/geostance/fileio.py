"""Shared file helpers: hashes, atomic writes, JSONL reading and writing, tables.

Every JSONL file of the project is read through :func:`iter_jsonl` and every
output is written through :func:`write_text_atomic` or :func:`write_jsonl_atomic`
(temporary file beside the target, then rename), so a reader never sees half a
file and an interrupted write leaves the previous version intact.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["REPO_ROOT", "find_relative", "sha256_file", "check_writable", "output_problem",
           "write_text_atomic", "write_bytes_atomic", "write_files_atomic", "json_text",
           "jsonl_text", "write_jsonl_atomic",
           "write_json_atomic", "iter_jsonl", "read_jsonl", "JsonlError", "JsonlDecodeError",
           "JsonlRowError", "jsonl_row", "split_lines", "decode_line", "emit_report",
           "render_table", "surrogate_at", "DuplicateKeyError", "unique_keys",
           "line_of_byte", "undecodable_line", "decode_error_line", "HIDDEN_NAME_EXTRA",
           "name_problem", "same_file",
           "argument_problem", "json_missing", "json_infinity"]


def surrogate_at(s: str) -> int | None:
    """Index of the first lone surrogate in ``s`` (None when it is valid Unicode text).

    JSON's ``"\\ud800"`` escape and a byte read with ``surrogateescape`` give one: such a
    string can be neither written as UTF-8 nor tokenised."""
    try:
        s.encode("utf-8")
        return None
    except UnicodeEncodeError as e:
        return e.start


def argument_problem(value: str) -> str | None:
    """Why a command-line value cannot be used as text, None if it can: argv bytes that
    are not UTF-8 ($'x\\xff' in a shell) arrive as lone surrogates U+DC80 to U+DCFF, which
    no file name or UTF-8 writer takes; the message names the byte and its place."""
    at = surrogate_at(value)
    if at is None:
        return None
    code = ord(value[at])
    what = (f"byte 0x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF
            else f"lone surrogate U+{code:04X}")
    return f"not valid UTF-8 text ({what} at character {at + 1})"


class JsonlError(ValueError):
    """A JSONL line that is not valid JSON: ``path:line: message``."""


class JsonlDecodeError(UnicodeDecodeError):
    """A JSONL line that is not UTF-8: a UnicodeDecodeError whose ``start``/``end`` count
    from the start of line ``line`` (1-based), which it names."""

    def __init__(self, e: UnicodeDecodeError, line: int):
        super().__init__(e.encoding, e.object, e.start, e.end, e.reason)
        self.line = line

    def __reduce__(self) -> tuple:
        # pickle rebuilds an exception as cls(*args): these args are UnicodeDecodeError's
        # five, not this __init__'s two (Ray ships a worker's exception by pickling it).
        decode = UnicodeDecodeError(self.encoding, self.object, self.start, self.end,
                                    self.reason)
        return type(self), (decode, self.line), vars(self)

    def located(self, path: str | Path) -> str:
        """``path:LINE: not UTF-8 text (byte N of the line)``, as an error names it."""
        return f"{path}:{self.line}: not UTF-8 text (byte {self.start} of the line)"


class JsonlRowError(ValueError):
    """A JSONL line that is no JSON or names a key twice; the message says what and where
    in the line ("Expecting value at column 1", "key 'text' twice"), for both readers."""


class DuplicateKeyError(ValueError):
    """A JSON object that names one key twice (raised by :func:`unique_keys`)."""


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for ``json.loads``: the object as a dict, or
    :class:`DuplicateKeyError` naming a key given twice. json keeps the last value of
    such a key without a word, so a row's second "text" or "stance" silently won."""
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKeyError(f"key {key!r} twice")
            seen.add(key)
    return out


def json_missing(value: Any) -> bool:
    """Whether a value read from JSON means "no value": null, or NaN, which Python's
    ``json.dumps`` writes for a missing number (pandas' empty cell) and ``json.loads``
    reads back as a float."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def json_infinity(value: Any) -> str | None:
    """"Infinity" or "-Infinity" for a value ``json.loads`` read from those words (a float
    no field of the project's takes: no text, no count), as an error names it; None for
    any other value."""
    if isinstance(value, float) and math.isinf(value):
        return "-Infinity" if value < 0 else "Infinity"
    return None


# sha256 per (path, device, inode, size, mtime, ctime): a model's weights (~470 MB) are
# fingerprinted by several parts of one process; hash them once.
_SHA_MEMO: dict[tuple, str] = {}
# Files at least this large (bytes) keep their hash in a hidden file beside them,
# ``.<name>.sha256``, valid while device, inode, size, modification and change times (ns)
# are unchanged, as git's index trusts them (a change time cannot be set back): hashing
# 470 MB of weights took 0.3-0.5 s of every predict.py start on a 2-core CPU.
SHA_SIDECAR_MIN_BYTES = 64 << 20


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks (memoised while the file is unchanged:
    in the process, and for large files across processes in ``.<name>.sha256``)."""
    p = Path(path)
    st = p.stat()
    stamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    key = (str(p.resolve()), *stamp)
    if key in _SHA_MEMO:
        return _SHA_MEMO[key]
    sidecar = p.with_name(f".{p.name}.sha256")
    big = st.st_size >= SHA_SIDECAR_MIN_BYTES
    if big:
        try:
            digest, *saved = sidecar.read_text(encoding="ascii").split()
            if [int(v) for v in saved] == list(stamp) and len(digest) == 64:
                _SHA_MEMO[key] = digest
                return digest
        except (OSError, ValueError):
            pass  # absent, unreadable or stale: hash the file
    h = hashlib.sha256()
    with p.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    _SHA_MEMO[key] = h.hexdigest()
    if big and p.stat().st_ctime_ns == st.st_ctime_ns:  # unchanged while it was read
        try:
            write_text_atomic(sidecar, " ".join([_SHA_MEMO[key], *map(str, stamp)]) + "\n")
        except OSError:
            pass  # a read-only model folder: hash again next time
    return _SHA_MEMO[key]


# The checkout this package runs from (src/geostance/fileio.py -> the root): where
# relative paths such as data/corpus and ../shared/... are meant from.
REPO_ROOT = Path(__file__).resolve().parents[2]


def find_relative(path: str, bases: Iterable[Path]) -> str:
    """``path`` as given when it is empty, absolute or exists from here; else under the
    first of ``bases`` where it exists; else as given (so the error that follows names
    it)."""
    p = Path(path)
    if not path or p.is_absolute() or p.exists():
        return path
    for base in bases:
        if (base / p).exists():
            return str(base / p)
    return path


def check_writable(folder: str | Path) -> None:
    """Raise OSError unless this process can create (and remove) a file in ``folder``: a
    probe file, because permission bits say nothing for root or for read-only mounts."""
    import tempfile

    with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-"):
        pass


# Bytes that the hidden files written beside an output add to its name: "." in front, and
# behind it ".partial-<pid>.jsonl" (predict.py; a Linux pid has at most 7 digits), longer
# than write_bytes_atomic's ".tmp-<pid>".
HIDDEN_NAME_EXTRA = len(".") + len(".partial-4194304.jsonl")


def name_problem(path: str | Path, extra: int = HIDDEN_NAME_EXTRA) -> str | None:
    """Why a file cannot be written at ``path`` through a hidden file beside it: its name
    plus ``extra`` bytes is longer than the folder's file system allows. None if it fits."""
    p = Path(path)
    try:
        limit = os.pathconf(p.parent, "PC_NAME_MAX")
    except (OSError, ValueError):  # a folder not made yet, or no such setting here
        limit = 255
    size = len(os.fsencode(p.name))
    if size + extra <= limit:
        return None
    return (f"{p}: file name too long ({size} bytes; at most {limit - extra} here, as the "
            f"hidden file written beside it first adds {extra})")


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` name one existing file (two spellings, a link to it); False
    when either is missing or cannot be looked at (its own read then says why)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # ValueError: a name holding a NUL byte
        return False


def output_problem(*paths: str | Path | None, overwrite: bool = False,
                   inputs: Iterable[str | Path] = (), make_folder: bool = True) -> str | None:
    """Check before any work that files may be written at ``paths`` (None and "" are
    skipped: no such output asked for); the first problem as one line for ``error: ...``,
    None when all may be written. For the report commands' ``--out`` / ``--report`` /
    ``--json``.

    A path is refused when it is a folder, is one of ``inputs`` (writing would destroy
    it), exists and ``overwrite`` is false, or lies in a folder that cannot be written in
    (probed: permission bits say nothing for root or read-only mounts). A missing folder
    is made when ``make_folder`` (a report under ``runs/sweep/``), else refused, as
    ``predict.py --out`` does.
    """
    for path in paths:
        if not path:
            continue
        out = Path(path)
        if out.is_dir():
            return f"{out} is a folder; give a file name"
        if str(path).endswith(("/", os.sep)):  # Path() drops the slash: "x/" wrote a file x
            return f"{path} names a folder; give a file name"
        for inp in inputs:
            if same_file(inp, out):
                return f"{out} is also an input; writing it would destroy that input"
        if out.exists() and not overwrite:
            return f"{out} exists; --overwrite replaces it"
        too_long = name_problem(out)
        if too_long:
            return too_long
        if not out.parent.is_dir() and not make_folder:
            return f"output folder does not exist: {out.parent}"
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            check_writable(out.parent)
        except OSError as e:
            return f"cannot write in {out.parent} ({e.strerror or e})"
    return None


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to a temporary file beside ``path``, then rename it into place."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    return write_files_atomic([(path, data)])[0]


def write_files_atomic(files: Sequence[tuple[str | Path, bytes]]) -> list[Path]:
    """Write each ``(path, data)`` to a temporary file beside its path, then rename them
    all into place, for outputs that belong together (an export and its config).

    Nothing is renamed until every file is written, so a failure while writing (a full
    disk, a folder gone) leaves every path as it was; only the renames, one system call
    each, come after.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            path = Path(path)
            tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            staged.append((tmp, path))  # before writing: a half-written one is removed too
            tmp.write_bytes(data)
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        # Cleanup only: its own failure (the folder read-only or gone) must not replace
        # the write's error, which says what went wrong.
        for tmp, _ in staged:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
    return [path for _, path in staged]


def jsonl_text(rows: Iterable[Any]) -> str:
    """Rows as JSONL text: one JSON value per line, UTF-8 characters not escaped."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def write_jsonl_atomic(path: str | Path, rows: Iterable[Any]) -> Path:
    """Write one JSON object per line (UTF-8, not ASCII-escaped), atomically.

    A path ending in ``.gz`` is gzip-compressed with no timestamp or name in the
    header, so the same rows give the same bytes on every run.
    """
    text = jsonl_text(rows)
    if str(path).endswith(".gz"):
        return write_bytes_atomic(path, gzip.compress(text.encode("utf-8"), compresslevel=9,
                                                      mtime=0))
    return write_text_atomic(path, text)


def json_text(obj: object) -> str:
    """``obj`` as indented JSON text (UTF-8 characters not escaped), ending in a newline."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def write_json_atomic(path: str | Path, obj: object) -> Path:
    """Write indented JSON (:func:`json_text`) atomically."""
    return write_text_atomic(path, json_text(obj))


# Bytes read at a time by split_lines: large enough that splitting is one C call per
# many lines, small enough to stream a table larger than memory.
SPLIT_BLOCK_BYTES = 1 << 20


def split_lines(fh: BinaryIO) -> Iterator[bytes]:
    """The lines of a binary stream, each with its line end, split at ``\n``, ``\r\n``
    and a lone ``\r``, and nowhere else (not at U+2028, U+0085 or a form feed, which a
    JSON string may hold); together they are every byte of the stream, in order.

    The one line splitter of both JSONL readers (:func:`iter_jsonl` and predict.py's
    tables). Iterating a binary file splits at ``\n`` only, which read a JSONL table with
    lone carriage returns as one row. Streams: reads ``SPLIT_BLOCK_BYTES`` at a time.
    """
    # read1: what a pipe holds now, up to a block, so a slow writer's rows are not held
    # back until a whole block has come.
    read = getattr(fh, "read1", fh.read)
    parts: list[bytes] = []  # the start of a line not ended yet (a long one spans blocks)
    while block := read(SPLIT_BLOCK_BYTES):
        if b"\n" not in block and b"\r" not in block and not (parts and parts[-1][-1:] == b"\r"):
            parts.append(block)  # joined once when its end comes: no quadratic copying
            continue
        # bytes.splitlines splits at exactly these three line ends (str.splitlines also
        # at U+2028 and others). The last piece may go on in the next block, and so may a
        # final \r (the \r of a \r\n cut between blocks): it waits for that block.
        lines = (b"".join(parts) + block if parts else block).splitlines(keepends=True)
        last = lines.pop()
        parts = [] if last.endswith(b"\n") else [last]
        yield from lines
        if not parts:
            yield last
    if parts:
        yield b"".join(parts)


def decode_line(raw: bytes, encoding: str = "utf-8", first: bool = False) -> str:
    """One line of a JSONL file as text, for both JSONL readers; UnicodeDecodeError
    (offsets from the line's start) if it is not text in ``encoding``.

    A byte order mark is dropped only when it opens the ``first`` line (Windows tools,
    Notepad, PowerShell's Out-File, Excel's "UTF-8" save, open a file with one, which json
    refuses): one inside a file (two files joined) is in a row, whose JSON it breaks.
    ``utf-8-sig`` (predict.py's name for UTF-8 with a BOM) reads the other lines as UTF-8.
    """
    text = raw.decode("utf-8" if encoding == "utf-8-sig" else encoding)
    return text[1:] if first and text.startswith("\ufeff") else text


def jsonl_row(line: str, no_duplicate_keys: bool = True) -> Any:
    """The JSON value of one JSONL line (its line end may be there), or
    :class:`JsonlRowError` saying what is wrong: the row decoder of both JSONL readers.

    With ``no_duplicate_keys`` an object naming a key twice is refused (json keeps the
    last value without a word); NaN and Infinity are read as floats, as json does. Any
    value is returned: whether a non-object is an error is the caller's rule.
    """
    try:
        # Without the line end: else a string left open is reported as "Invalid control
        # character" at the newline instead of "Unterminated string" where it starts.
        return json.loads(line.rstrip("\r\n"),
                          object_pairs_hook=unique_keys if no_duplicate_keys else None)
    except json.JSONDecodeError as e:
        # Some of json's messages end in "at" ("Unterminated string starting at"): not twice.
        raise JsonlRowError(f"{e.msg.removesuffix(' at')} at column {e.colno}") from None
    except DuplicateKeyError as e:
        raise JsonlRowError(str(e)) from None


def iter_jsonl(path: str | Path, on_error: Callable[[int, str], None] | None = None,
               tolerate_torn_tail: bool = False,
               no_duplicate_keys: bool = False) -> Iterator[tuple[int, Any]]:
    """``(line number, object)`` for each non-blank line of a UTF-8 JSONL file.

    Lines are split by :func:`split_lines` and parsed by :func:`jsonl_row`, as predict.py
    reads its tables. A line that is not JSON calls ``on_error(line, message)`` and is
    skipped, or raises :class:`JsonlError` naming file and line when no handler is given.
    ``tolerate_torn_tail`` skips a broken *last* line silently (the line a killed writer
    was writing). A line that is not UTF-8 raises :class:`JsonlDecodeError` (a
    ``UnicodeDecodeError`` naming the line). A path ending in ``.gz`` is read through
    gzip. A byte order mark opening the file is skipped. With
    ``no_duplicate_keys`` an object naming a key twice is such a bad line (for files
    people write; about 1.5x the parsing time, so not for the project's own).
    """
    path = Path(path)
    opened = gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")
    with opened as fh:
        lines = list(split_lines(fh)) if tolerate_torn_tail else split_lines(fh)
        last = len(lines) if tolerate_torn_tail else -1
        for n, raw in enumerate(lines, 1):
            try:
                line = decode_line(raw, first=n == 1)
            except UnicodeDecodeError as e:
                raise JsonlDecodeError(e, n) from None
            if not line.strip():
                continue
            try:
                obj = jsonl_row(line, no_duplicate_keys)
            except JsonlRowError as e:
                if tolerate_torn_tail and n == last:
                    return
                msg = f"malformed JSON ({e})"
                if on_error is None:
                    raise JsonlError(f"{path}:{n}: {msg}") from None
                on_error(n, msg)
                continue
            yield n, obj


def line_of_byte(data: bytes, offset: int) -> int:
    """The 1-based line of ``data`` that holds byte ``offset`` (a UnicodeDecodeError's
    ``start`` when ``data`` is the whole file)."""
    return data.count(b"\n", 0, offset) + 1


def decode_error_line(path: str | Path, e: UnicodeDecodeError) -> int | None:
    """The line of ``path`` that ``e`` was raised for: the one :func:`iter_jsonl` names
    (:class:`JsonlDecodeError`), else the first line that is not UTF-8, found by reading
    the file again (:func:`undecodable_line`; a text reader's error names no line)."""
    return e.line if isinstance(e, JsonlDecodeError) else undecodable_line(path)


def undecodable_line(path: str | Path) -> int | None:
    """The number of the first line of ``path`` (through gzip for ``.gz``) that is not
    UTF-8, None if every line is. The file is read again as bytes: a text reader's
    UnicodeDecodeError counts its offset from its own buffer, not the file."""
    data = Path(path).read_bytes()
    if Path(path).suffix == ".gz":
        data = gzip.decompress(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        return line_of_byte(data, e.start)
    return None


def read_jsonl(path: str | Path) -> list[Any]:
    """All objects of a JSONL file (strict: a bad line raises :class:`JsonlError`)."""
    return [obj for _, obj in iter_jsonl(path)]


def emit_report(markdown: str, out: str | Path | None) -> bool:
    """Print a Markdown report and, when ``out`` is given, also write it there atomically.

    Printed first, so a failed write loses nothing: that prints one ``error:`` line to
    stderr and returns False (True otherwise). Callers check ``out`` with
    :func:`output_problem` before their work."""
    print(markdown, flush=True)
    if out:
        path = Path(out)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(path, markdown)
        except OSError as e:
            print(f"error: cannot write {path} ({e.strerror or e}); the report is printed "
                  "above", file=sys.stderr)
            return False
    return True


def render_table(head: Sequence[str], rows: Sequence[Sequence[object]],
                 markdown: bool = False) -> str:
    """A Markdown table, or right-aligned plain columns for a terminal."""
    cells = [[str(c) for c in r] for r in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in cells])
    widths = [max(len(x) for x in col) for col in zip(head, *cells, strict=True)]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True))
                     for r in [list(head), *cells])
