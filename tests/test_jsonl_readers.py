"""The project's two JSONL readers agree on the same bytes.

``geostance.fileio.iter_jsonl`` (train.py's data readers, data check, report, harvest)
and predict.py's table reader (``geostance.predict.inputs.iter_items``) share one line
splitter and one row decoder; each keeps only its error policy (fileio raises or calls
``on_error``; predict writes an error record for the row). Every case below is read by
both and must give the same rows, in the same places, and flag the same lines.

Predict numbers data rows (blank lines not counted, ``path:row N``); fileio numbers file
lines. Each case lists its expected outcome per file line, so both are checked against
the same lines.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from geostance.fileio import iter_jsonl, jsonl_row, split_lines
from geostance.predict.inputs import iter_items

ROW = b'{"id": "%s", "text": "%s"}'
# A UTF-8 letter keeps the file UTF-8 to predict's encoding detection when one row is
# damaged (a file with only a stray byte would be read as a legacy code page).
UE = "ü".encode()

# (name, bytes, expected [(file line, text or None for an error row)])
CASES = [
    ("lf", ROW % (b"a", b"x") + b"\n" + ROW % (b"b", b"y") + b"\n", [(1, "x"), (2, "y")]),
    ("crlf", ROW % (b"a", b"x") + b"\r\n" + ROW % (b"b", b"y") + b"\r\n",
     [(1, "x"), (2, "y")]),
    ("lone cr", ROW % (b"a", b"x") + b"\r" + ROW % (b"b", b"y") + b"\r", [(1, "x"), (2, "y")]),
    ("u2028 in a string", ROW % (b"a", "x\u2028y\u2029z\x85w".encode()) + b"\n"
     + ROW % (b"b", b"y") + b"\n", [(1, "x\u2028y\u2029z\x85w"), (2, "y")]),
    ("form feed in a string is JSON's problem, not a line end",
     ROW % (b"a", b"x\x0cy") + b"\n" + ROW % (b"b", b"y") + b"\n", [(1, None), (2, "y")]),
    ("bom", codecs.BOM_UTF8 + ROW % (b"a", UE) + b"\n" + ROW % (b"b", b"y") + b"\n",
     [(1, "ü"), (2, "y")]),
    # Only the file's first BOM is dropped: one inside (two files joined) is in a row.
    ("bom opening a later line (files joined with cat)",
     ROW % (b"a", UE) + b"\n" + codecs.BOM_UTF8 + ROW % (b"b", b"y") + b"\n",
     [(1, "ü"), (2, None)]),
    ("bom opening the file and a later line",
     codecs.BOM_UTF8 + ROW % (b"a", UE) + b"\n" + codecs.BOM_UTF8 + ROW % (b"b", b"y") + b"\n",
     [(1, "ü"), (2, None)]),
    ("duplicate key", b'{"id": "a", "text": "x", "text": "y"}\n' + ROW % (b"b", b"y") + b"\n",
     [(1, None), (2, "y")]),
    ("not an object", b'["x"]\n' + ROW % (b"b", b"y") + b"\n", [(1, None), (2, "y")]),
    ("malformed", b'{"id": "a", "text": "x\n' + ROW % (b"b", b"y") + b"\n", [(1, None), (2, "y")]),
    ("empty and blank lines", b"\n" + ROW % (b"a", b"x") + b"\n \t\n\r\n" + ROW % (b"b", b"y")
     + b"\n", [(2, "x"), (5, "y")]),
    ("last line without newline", ROW % (b"a", b"x") + b"\n" + ROW % (b"b", b"y"),
     [(1, "x"), (2, "y")]),
    # The readers read both as numbers; what a field may hold is each caller's policy
    # (predict.py takes a NaN field for a missing one and refuses Infinity in a field it
    # keeps, such as "date": here "score" is no field it keeps).
    ("nan and infinity are read as numbers", b'{"id": "a", "text": "x", "lang": NaN}\n'
     + b'{"id": "b", "text": "y", "score": -Infinity}\n', [(1, "x"), (2, "y")]),
]


def _fileio(path: Path) -> list[tuple[int, str | None]]:
    """fileio's outcome per line: a row's text, or None for a line it refuses (a non-object
    is refused by every caller of iter_jsonl, e.g. data.formats.read_jsonl_objects)."""
    out: list[tuple[int, str | None]] = []
    for n, obj in iter_jsonl(path, on_error=lambda n, msg: out.append((n, None)),
                             no_duplicate_keys=True):
        out.append((n, obj["text"] if isinstance(obj, dict) else None))
    return out


def _predict(path: Path, lines: list[int]) -> list[tuple[int, str | None]]:
    """predict's outcome (both engines), its row N mapped to the file line that holds
    data row N."""
    from geostance.config import PredictConfig
    from geostance.predict.ray_engine import build_refs, ref_items

    items = list(iter_items([str(path)], max_chars=1000))
    assert [i.input for i in items] == [f"{path}:row {k}" for k in range(1, len(items) + 1)]
    # The Ray engine reads byte ranges of the table on its workers (one row each here):
    # the same items.
    cfg = PredictConfig(inputs=[str(path)], engine="ray", chunk_size=1, max_chars=1000)
    assert [i for r in build_refs(cfg.inputs, cfg)
            for i in ref_items(r, cfg.unit, cfg.max_chars, cfg.text_column)] == items
    assert len(items) == len(lines)
    return [(line, None if i.error else i.text) for line, i in zip(lines, items, strict=True)]


@pytest.mark.parametrize(("data", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_both_readers_give_the_same_rows_on_the_same_lines(tmp_path, data, want):
    path = tmp_path / "t.jsonl"
    path.write_bytes(data)
    assert _fileio(path) == want
    assert _predict(path, [line for line, _ in want]) == want


def test_both_readers_name_the_same_undecodable_line(tmp_path):
    # Line 3 holds a byte that is no UTF-8; line 2 is blank, so it is predict's row 2.
    path = tmp_path / "t.jsonl"
    path.write_bytes(ROW % (b"a", UE) + b"\n\n" + ROW % (b"b", b"\xff") + b"\n"
                     + ROW % (b"c", b"z") + b"\n")
    items = list(iter_items([str(path)], max_chars=1000))
    assert [(i.input.rsplit(":", 1)[1], i.error is None) for i in items] == [
        ("row 1", True), ("row 2", False), ("row 3", True)]
    assert "at byte 21 of the row" in items[1].error
    # fileio's policy is to stop at it, naming the same line and byte.
    with pytest.raises(UnicodeDecodeError) as e:
        list(iter_jsonl(path))
    assert (e.value.line, e.value.start) == (3, 21)


@pytest.mark.parametrize("gz", [False, True])
def test_fileio_names_the_line_of_a_bad_byte_also_in_a_gzipped_file(tmp_path, gz):
    import gzip

    data = b'{"a": 1}\r\n{"b": "\xc3"}\n'
    path = tmp_path / ("t.jsonl.gz" if gz else "t.jsonl")
    path.write_bytes(gzip.compress(data) if gz else data)
    with pytest.raises(UnicodeDecodeError) as e:
        list(iter_jsonl(path))
    assert e.value.line == 2


def test_split_lines_keeps_every_byte_and_splits_at_every_line_end():
    import io

    data = b'{"a": 1}\r\n{"b": 2}\r{"c": 3}\n\r\r{"d": "\xe2\x80\xa8\x0c\x85"}'
    assert list(split_lines(io.BytesIO(data))) == [
        b'{"a": 1}\r\n', b'{"b": 2}\r', b'{"c": 3}\n', b"\r", b"\r",
        b'{"d": "\xe2\x80\xa8\x0c\x85"}']
    assert list(split_lines(io.BytesIO(b"x\n"))) == [b"x\n"]
    assert list(split_lines(io.BytesIO(b""))) == []


@pytest.mark.parametrize(("line", "detail"), [
    ('{"a": 1, "a": 2}\n', "key 'a' twice"),
    ('{"a": "x\n', "Unterminated string starting at column 7"),
    ('{"a": "x\u0001"}\r\n', "Invalid control character at column 9"),
    ("", "Expecting value at column 1"),
])
def test_jsonl_row_says_what_is_wrong_in_one_wording(line, detail):
    with pytest.raises(ValueError) as e:
        jsonl_row(line)
    assert str(e.value) == detail


@pytest.mark.parametrize("block", [1, 2, 3, 7])
def test_split_lines_is_the_same_whatever_the_block_size(monkeypatch, block):
    # A line, or the \r\n at its end, cut between two blocks read is one line all the same.
    import io
    import random

    import geostance.fileio as fileio

    monkeypatch.setattr(fileio, "SPLIT_BLOCK_BYTES", block)
    rng = random.Random(block)
    for _ in range(500):
        data = bytes(rng.choice(b"ab\r\n\r\n") for _ in range(rng.randint(0, 40)))
        # bytes.splitlines splits at \n, \r\n and \r only, as a JSONL line ends
        assert list(split_lines(io.BytesIO(data))) == data.splitlines(keepends=True)
