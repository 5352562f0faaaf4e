"""Shared file helpers: atomic JSONL writes, plain and gzipped, and the strict reader."""

from __future__ import annotations

import gzip
import os

import pytest

from geostance.fileio import (
    JsonlError,
    argument_problem,
    iter_jsonl,
    read_jsonl,
    write_jsonl_atomic,
)

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


def test_sha256_of_a_large_file_is_kept_beside_it_while_the_file_is_unchanged(
        tmp_path, monkeypatch):
    import hashlib

    from geostance import fileio

    monkeypatch.setattr(fileio, "SHA_SIDECAR_MIN_BYTES", 10)
    monkeypatch.setattr(fileio, "_SHA_MEMO", {})
    f = tmp_path / "model.safetensors"
    f.write_bytes(b"weights" * 10)
    digest = hashlib.sha256(f.read_bytes()).hexdigest()
    assert fileio.sha256_file(f) == digest
    sidecar = tmp_path / ".model.safetensors.sha256"
    assert sidecar.read_text().split()[0] == digest
    # A new process (empty memo) trusts the sidecar while the file's stamp matches...
    monkeypatch.setattr(fileio, "_SHA_MEMO", {})
    sidecar.write_text(sidecar.read_text().replace(digest, "0" * 64))
    assert fileio.sha256_file(f) == "0" * 64
    # ...and hashes again once the file changes (new size and modification time).
    monkeypatch.setattr(fileio, "_SHA_MEMO", {})
    f.write_bytes(b"new weights" * 10)
    assert fileio.sha256_file(f) == hashlib.sha256(f.read_bytes()).hexdigest()
    # A damaged sidecar is ignored, and small files get none.
    monkeypatch.setattr(fileio, "_SHA_MEMO", {})
    sidecar.write_text("not a hash")
    assert fileio.sha256_file(f) == hashlib.sha256(f.read_bytes()).hexdigest()
    small = tmp_path / "config.json"
    small.write_text("{}")
    fileio.sha256_file(small)
    assert not (tmp_path / ".config.json.sha256").exists()


def test_malformed_line_message_says_at_once(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text('{"a": 1}\n{"id": "unterminated\n', encoding="utf-8")
    with pytest.raises(JsonlError) as e:
        read_jsonl(f)
    assert str(e.value) == (f"{f}:2: malformed JSON (Unterminated string starting at "
                            "column 8)")


def test_output_checks_refuse_what_would_lose_data(tmp_path, capsys):
    from geostance.fileio import emit_report, output_problem

    inp = tmp_path / "in.jsonl"
    inp.write_text("{}\n", encoding="utf-8")
    old = tmp_path / "old.md"
    old.write_text("curated\n", encoding="utf-8")
    assert output_problem(None, "", tmp_path / "new.md") is None
    assert output_problem(tmp_path) == f"{tmp_path} is a folder; give a file name"
    # A folder that does not exist yet, named as one: not a file called "reports".
    assert output_problem(f"{tmp_path}/reports/") == \
        f"{tmp_path}/reports/ names a folder; give a file name"
    assert not (tmp_path / "reports").exists()
    assert "is also an input" in output_problem(inp, overwrite=True, inputs=[inp])
    assert output_problem(old) == f"{old} exists; --overwrite replaces it"
    assert output_problem(old, overwrite=True) is None
    assert output_problem(tmp_path / "no" / "r.md", make_folder=False) == \
        f"output folder does not exist: {tmp_path / 'no'}"
    assert output_problem(tmp_path / "new" / "r.md") is None and (tmp_path / "new").is_dir()
    # A write that fails after the work: the report is on stdout, the error on stderr.
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert not emit_report("| table |", tmp_path / "file" / "r.md")  # a file, not a folder
    out = capsys.readouterr()
    assert "| table |" in out.out and "error: cannot write" in out.err
    assert old.read_text(encoding="utf-8") == "curated\n"


def test_failed_cleanup_does_not_mask_the_write_error(tmp_path, monkeypatch):
    # A read-only folder fails the write and then the temporary file's removal too; the
    # error raised must be the write's (it was the removal's, raised over it).
    import os
    from pathlib import Path

    from geostance import fileio

    def replace(src, dst):
        raise IsADirectoryError(21, "Is a directory", str(dst))

    def unlink(self, missing_ok=False):
        raise OSError(30, "Read-only file system", str(self))

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(Path, "unlink", unlink)
    with pytest.raises(IsADirectoryError):
        fileio.write_text_atomic(tmp_path / "out.md", "x")


@pytest.mark.parametrize("name", ["rows.jsonl", "rows.jsonl.gz"])
def test_a_leading_byte_order_mark_is_skipped(tmp_path, name):
    # Saved by a Windows tool; json.loads refused the first line ("Unexpected UTF-8 BOM").
    data = "\ufeff" + "".join(f'{{"id": "{r["id"]}"}}\r\n' for r in ROWS)
    path = tmp_path / name
    path.write_bytes(gzip.compress(data.encode()) if name.endswith(".gz") else data.encode())
    assert read_jsonl(path) == [{"id": "a"}, {"id": "b"}]


def test_only_the_files_first_byte_order_mark_is_skipped(tmp_path):
    # One inside (two files joined) is still a malformed line.
    data = "\ufeff" + "".join(f'{{"id": "{r["id"]}"}}\n' for r in ROWS)
    path = tmp_path / "rows.jsonl"
    path.write_text(data + data, encoding="utf-8")
    with pytest.raises(JsonlError, match=r"rows\.jsonl:3: malformed JSON"):
        read_jsonl(path)


def test_an_output_name_too_long_for_its_hidden_file_is_refused_first(tmp_path):
    # A 250-byte name fits the file system, its ".NAME.tmp-PID" did not: the write failed
    # after the work (report html: exit 2 then; annotate export: a traceback).
    from geostance.fileio import output_problem

    long = tmp_path / ("a" * 250 + ".html")
    assert output_problem(long).startswith(f"{long}: file name too long (255 bytes; at most ")
    assert output_problem(tmp_path / ("a" * 200 + ".html")) is None
    assert not list(tmp_path.iterdir())


def test_argument_problem_names_the_byte_argv_could_not_decode():
    # os.fsdecode(b"x\xff") is how Python hands a shell's $'x\xff' to argv.
    assert argument_problem("runs") is None
    assert argument_problem(os.fsdecode(b"ab\xff")) == ("not valid UTF-8 text (byte 0xff at "
                                                         "character 3)")
    # A surrogate no byte gives (from a JSON escape, not argv) is named as itself.
    assert argument_problem("a\ud800") == ("not valid UTF-8 text (lone surrogate U+D800 at "
                                            "character 2)")
