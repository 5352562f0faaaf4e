"""Shared file helpers: atomic JSONL writes, plain and gzipped, and the strict reader."""

from __future__ import annotations

import gzip

import pytest

from geostance.fileio import JsonlError, iter_jsonl, read_jsonl, write_jsonl_atomic

ROWS = [{"id": "a", "text": "Новости: «NATO»"}, {"id": "b", "n": 2}]


@pytest.mark.parametrize("name", ["rows.jsonl", "rows.jsonl.gz"])
def test_jsonl_round_trip(tmp_path, name):
    path = write_jsonl_atomic(tmp_path / name, ROWS)
    assert read_jsonl(path) == ROWS
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_gzipped_jsonl_is_byte_identical_across_writes(tmp_path):
    first = write_jsonl_atomic(tmp_path / "a.jsonl.gz", ROWS).read_bytes()
    second = write_jsonl_atomic(tmp_path / "b.jsonl.gz", ROWS).read_bytes()
    assert first == second  # no timestamp and no file name in the gzip header
    assert gzip.decompress(first).decode("utf-8").count("\n") == len(ROWS)


def test_failed_write_keeps_the_previous_file(tmp_path):
    path = write_jsonl_atomic(tmp_path / "rows.jsonl.gz", ROWS)
    before = path.read_bytes()
    with pytest.raises(TypeError):
        write_jsonl_atomic(path, [{"id": object()}])
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["rows.jsonl.gz"]


def test_bad_gzipped_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"id": "a"}\n{"id": \n'))
    with pytest.raises(JsonlError, match=r"bad\.jsonl\.gz:2: malformed JSON"):
        list(iter_jsonl(path))
