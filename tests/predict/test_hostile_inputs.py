"""A hostile week of inputs for predict.py: nothing lost, nothing silent.

Each test feeds one kind of bad input, path or interruption to ``predict.py`` and checks
the exit code (2 bad arguments, 1 some inputs failed, 130 interrupted, 0 ok), the
one-line message, and that no input and no earlier output changed. ``predict.py`` runs
as a subprocess where the process itself is under test (exit codes of refusals,
tracebacks, signals, terminals, file names as raw bytes); elsewhere its ``main`` runs
in-process, which skips the interpreter start (seconds per call on this model).
"""

from __future__ import annotations

import csv
import json
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest

import predict  # the repo-root entry point
from geostance.config import PredictConfig
from geostance.predict.predictor import Predictor

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "corpus" / "articles.jsonl"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------- helpers (copied, not imported)

def _env() -> dict[str, str]:
    # Built per call: the session fixtures set GEOSTANCE_HOME and the offline flags.
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}


def _cli(model: Path, *args: str | bytes, cwd: Path, timeout: float = 300
         ) -> subprocess.CompletedProcess:
    """predict.py as a user runs it; stdout/stderr decoded leniently (names may be bytes)."""
    cmd = [sys.executable, str(ROOT / "predict.py"), *args, "--model", str(model),
           "--no-progress"]
    return subprocess.run(cmd, capture_output=True, cwd=cwd, env=_env(), timeout=timeout,
                          encoding="utf-8", errors="backslashreplace")


def _predict(model: Path, *args: str) -> int:
    return predict.main([*args, "--model", str(model), "--no-progress"])


def _read(path: Path) -> list[dict]:
    # Strict UTF-8: a record that is not valid UTF-8 is a bug of its own. Split on "\n"
    # only, as JSONL says: str.splitlines() also splits on U+2028 or U+0085 inside strings.
    text = path.read_bytes().decode("utf-8")
    return [json.loads(line) for line in text.split("\n") if line]


def _snapshot(d: Path) -> dict[str, bytes]:
    """Every regular file under ``d`` (hidden ones too, links not followed) and its bytes."""
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            p = Path(root) / f
            if p.is_file() and not p.is_symlink():
                out[os.fsdecode(p.relative_to(d))] = p.read_bytes()
    return out


def _one_error_line(stderr: str) -> str:
    """The single line a refusal prints; fails on a traceback or anything more."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def _is_number(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


def _articles_table(d: Path, n: int = 4, name: str = "arts.jsonl") -> Path:
    """The first ``n`` fixture-corpus articles as an input table."""
    rows = [json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines()][:n]
    table = d / name
    table.write_text("".join(json.dumps({"id": r["article_id"], "text": r["text"]}) + "\n"
                             for r in rows), encoding="utf-8")
    return table


@pytest.fixture(scope="module")
def predictor(tiny_run):
    """The tiny model, loaded once; loading it also caches the ONNX export, so that
    subprocesses do not print the one-time export warning."""
    from geostance import Predictor

    return Predictor.load(tiny_run)


# ---------------------------------------------------------------- 1. --out is an input

@pytest.mark.parametrize("kind", ["jsonl", "csv", "symlink", "hardlink"])
def test_out_equal_to_an_input_is_refused_before_scoring(tiny_run, tmp_path, kind):
    d = tmp_path / "in"
    d.mkdir()
    if kind == "csv":
        src = d / "t.csv"
        src.write_text("id,text\n1,NATO grows.\n", encoding="utf-8")
        out = src
    else:
        src = d / "t.jsonl"
        src.write_text('{"id": "1", "text": "NATO grows."}\n', encoding="utf-8")
        out = src
        if kind == "symlink":  # another name for the input: refused after resolving links
            out = d / "alias.jsonl"
            out.symlink_to(src.name)
        elif kind == "hardlink":
            out = d / "alias.jsonl"
            os.link(src, out)
    before = _snapshot(d)
    p = _cli(tiny_run, str(src), "--out", str(out), cwd=tmp_path)
    assert p.returncode == 2, p.stderr
    line = _one_error_line(p.stderr)
    assert line.startswith("error: out:") and "is also an input" in line
    assert "scored" not in p.stdout
    assert _snapshot(d) == before  # input untouched, no partial file beside it


def test_out_linked_to_a_text_input_is_refused(tiny_run, tmp_path):
    # A .txt input can only be named as --out through a link with an output extension.
    src = tmp_path / "a.txt"
    src.write_text("NATO grows.\n", encoding="utf-8")
    (tmp_path / "pred.jsonl").symlink_to(src)
    before = _snapshot(tmp_path)
    p = _cli(tiny_run, str(src), "--out", str(tmp_path / "pred.jsonl"), cwd=tmp_path)
    assert p.returncode == 2
    assert "is also an input" in _one_error_line(p.stderr)
    assert _snapshot(tmp_path) == before


# ---------------------------------------------------------------- 2. --resume fingerprint

def test_resume_refuses_output_of_another_model_config(tiny_run, tmp_path, capsys):
    from geostance.predict.run import run

    model = tiny_run / "model"
    # Same weights and tokenizer, other calibration: only config.json tells them apart.
    other = tmp_path / "other_model"
    shutil.copytree(model, other, ignore=shutil.ignore_patterns("onnx"))
    conf = json.loads((other / "config.json").read_text(encoding="utf-8"))
    conf["stance_temperature"] *= 5
    (other / "config.json").write_text(json.dumps(conf, indent=2), encoding="utf-8")
    same = tmp_path / "same_model"  # a plain copy: another path, the same fingerprint
    shutil.copytree(model, same, ignore=shutil.ignore_patterns("onnx"))

    table = _articles_table(tmp_path, 3)
    out = tmp_path / "p.jsonl"
    # torch: the copies then need no ONNX export of their own.
    args = [str(table), "--out", str(out), "--backend", "torch"]
    assert _predict(model, *args) == 0
    recs = _read(out)
    fingerprints = {r["model"]["fingerprint"] for r in recs}
    assert len(fingerprints) == 1 and re.fullmatch(r"[0-9a-f]{16}", fingerprints.pop())
    before = out.read_bytes()
    capsys.readouterr()

    assert _predict(other, *args, "--resume") == 2
    err = capsys.readouterr().err
    line = _one_error_line(err)
    assert line.startswith("error: resume:") and str(out) in line
    assert "another model or other settings" in line and "--overwrite" in line
    assert out.read_bytes() == before

    # The unit and the quantisation are part of the fingerprint too.
    for extra in (["--unit", "sentence"], ["--quantize", "int8"]):
        assert _predict(model, *args, "--resume", *extra) == 2
        assert "another model or other settings" in capsys.readouterr().err
        assert out.read_bytes() == before

    # A partial file of the original model is refused as well, and kept.
    partial_out = tmp_path / "q.jsonl"

    def kill(n_written: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(PredictConfig(inputs=[str(table)], model=str(model), out=str(partial_out),
                          backend="torch", chunk_size=1, progress=False), on_chunk=kill)
    (partial,) = tmp_path.glob(".q.jsonl.partial-*.jsonl")
    partial_bytes = partial.read_bytes()
    assert _predict(other, str(table), "--out", str(partial_out), "--backend", "torch",
                    "--resume") == 2
    assert "another model or other settings" in capsys.readouterr().err
    assert partial.read_bytes() == partial_bytes and not partial_out.exists()

    # Control: the identical copy resumes, keeping every record unchanged.
    assert _predict(same, *args, "--resume") == 0
    assert "3 kept from a previous run" in capsys.readouterr().out
    assert out.read_bytes() == before
    # --overwrite replaces the output wholesale: never a mix of two fingerprints.
    assert _predict(other, *args, "--overwrite") == 0
    new = _read(out)
    assert len({r["model"]["fingerprint"] for r in new}) == 1
    assert new[0]["model"]["fingerprint"] != recs[0]["model"]["fingerprint"]


def test_fingerprint_follows_the_code_that_shapes_outputs(tmp_path):
    # A change to the splitting or speaker rules changes outputs without a new version
    # number: --resume must not keep records of the older code.
    from geostance.predict import predictor as P

    pkg = Path(P.__file__).resolve().parents[1]
    copy = tmp_path / "geostance"
    shutil.copytree(pkg, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert re.fullmatch(r"[0-9a-f]{16}", P.code_digest(copy))
    assert P.code_digest(copy) == P.code_digest()  # the same files
    before = P.code_digest(copy)
    P.code_digest.cache_clear()
    rule = copy / "text" / "sources" / "lexicon.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# a changed rule\n", encoding="utf-8")
    changed = P.code_digest(copy)
    assert changed != before
    P.code_digest.cache_clear()
    (copy / "report" / "html.py").write_text("# not code that shapes a record\n")
    assert P.code_digest(copy) == changed
    P.code_digest.cache_clear()
    rule.write_bytes(rule.read_bytes().replace(b"\n", b"\r\n"))  # a CRLF checkout
    assert P.code_digest(copy) == changed
    P.code_digest.cache_clear()


def test_resume_continues_an_interrupted_html_run(tiny_run, tmp_path, capsys):
    from geostance.predict.run import run

    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps({"id": str(i), "text": f"NATO grows {i}."}) + "\n"
                           for i in range(3)), encoding="utf-8")
    out = tmp_path / "r.html"
    assert _predict(tiny_run, str(src), "--out", str(out)) == 0

    def kill(n_written: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(PredictConfig(inputs=[str(src)], model=str(tiny_run), out=str(out), chunk_size=1,
                          overwrite=True, progress=False), on_chunk=kill)
    capsys.readouterr()
    # The report and the --overwrite run's partial file: --resume finishes the partial file.
    assert _predict(tiny_run, str(src), "--out", str(out), "--resume") == 0
    assert "kept from a previous run" in capsys.readouterr().out
    assert not list(tmp_path.glob(".r.html.partial-*"))


def test_resume_refuses_to_replace_an_html_report(tiny_run, tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text("NATO grows. Moscow warns.\n", encoding="utf-8")
    out = tmp_path / "r.html"
    assert _predict(tiny_run, str(src), "--out", str(out)) == 0
    before = out.read_bytes()
    capsys.readouterr()
    assert _predict(tiny_run, str(src), "--out", str(out), "--unit", "sentence",
                    "--resume") == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "HTML report" in line and "--overwrite" in line
    assert out.read_bytes() == before


# ---------------------------------------------------------------- 3. partial file kept

def test_existing_output_is_kept_without_overwrite_or_resume(tiny_run, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("NATO grows. Moscow warns.\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    out.write_text('{"earlier": "results"}\n', encoding="utf-8")
    p = _cli(tiny_run, str(src), "--out", str(out), cwd=tmp_path)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert f"out: {out} exists" in p.stderr and "--overwrite" in p.stderr
    assert out.read_text(encoding="utf-8") == '{"earlier": "results"}\n'



def test_partial_file_is_kept_until_resume_or_overwrite(tiny_run, tmp_path, capsys):
    from geostance.predict.run import run

    table = _articles_table(tmp_path, 4)
    out = tmp_path / "p.jsonl"
    clean = tmp_path / "clean.jsonl"
    assert _predict(tiny_run, str(table), "--out", str(clean)) == 0
    shutil.copy(clean, out)  # an earlier, complete output

    def kill(n_written: int) -> None:
        raise KeyboardInterrupt  # the process dies after its first window

    with pytest.raises(KeyboardInterrupt):
        run(PredictConfig(inputs=[str(table)], model=str(tiny_run), out=str(out),
                          chunk_size=1, overwrite=True, progress=False), on_chunk=kill)
    (partial,) = tmp_path.glob(".p.jsonl.partial-*.jsonl")
    before = _snapshot(tmp_path)
    assert len(_read(partial)) == 1
    capsys.readouterr()

    assert _predict(tiny_run, str(table), "--out", str(out)) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert line.startswith("error:") and partial.name in line
    assert "--resume" in line and "--overwrite" in line
    assert _snapshot(tmp_path) == before  # partial file and earlier output kept

    assert _predict(tiny_run, str(table), "--out", str(out), "--overwrite") == 0
    assert out.read_bytes() == clean.read_bytes()
    assert not list(tmp_path.glob(".p.jsonl.*"))


def test_overwrite_discards_earlier_partial_files_at_once(tiny_run, tmp_path, capsys):
    # An --overwrite run that is itself interrupted must not leave the discarded records
    # for a later --resume to merge.
    from geostance.predict.run import run

    table = _articles_table(tmp_path, 4)
    out = tmp_path / "p.jsonl"

    def kill(n_written: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(PredictConfig(inputs=[str(table)], model=str(tiny_run), out=str(out),
                          chunk_size=1, progress=False), on_chunk=kill)
    (first,) = tmp_path.glob(".p.jsonl.partial-*.jsonl")
    first.rename(tmp_path / ".p.jsonl.partial-999999999.jsonl")  # another process's
    with pytest.raises(KeyboardInterrupt):
        run(PredictConfig(inputs=[str(table)], model=str(tiny_run), out=str(out),
                          chunk_size=1, overwrite=True, progress=False), on_chunk=kill)
    (left,) = tmp_path.glob(".p.jsonl.partial-*.jsonl")
    assert left.name != ".p.jsonl.partial-999999999.jsonl"


def test_later_partial_files_win_whatever_their_process_id(tmp_path):
    import os

    from geostance.predict.run import partial_files

    out = tmp_path / "p.jsonl"
    old, new = tmp_path / ".p.jsonl.partial-900.jsonl", tmp_path / ".p.jsonl.partial-100.jsonl"
    old.write_text("", encoding="utf-8")
    new.write_text("", encoding="utf-8")
    os.utime(old, (1_000, 1_000))
    os.utime(new, (2_000, 2_000))
    assert partial_files(out) == [old, new]


# ---------------------------------------------------------------- 4. folders

@contextmanager
def _fifo_unblocker(fifo: Path):
    """Should predict.py open the FIFO, open and close its other end so the read ends
    (the test then fails on the record) instead of hanging forever."""
    stop = threading.Event()

    def poke() -> None:
        while not stop.wait(0.1):
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: nobody is reading, as it should be
                continue
            os.close(fd)

    t = threading.Thread(target=poke, daemon=True)
    t.start()
    try:
        yield
    finally:
        stop.set()
        t.join()


def test_folder_files_are_read_or_listed_as_skipped(tiny_run, tmp_path, capsys, caplog):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / ".hidden_dir").mkdir()
    (tmp_path / "elsewhere").mkdir()
    text = "NATO grows. Moscow warns.\n"
    for name in ("a.txt", "x.text", "noext", "x.pdf", ".hidden.txt", "sub/b.md",
                 ".hidden_dir/h.txt", "../elsewhere/e.txt"):
        (d / name).write_text(text, encoding="utf-8")
    (d / "dangling.txt").symlink_to("nowhere.txt")
    (d / "loop.txt").symlink_to("loop.txt")
    (d / "sub" / "up").symlink_to("..")  # a folder link looping back: not entered
    (d / "linked").symlink_to(tmp_path / "elsewhere")
    os.mkfifo(d / "pipe.txt")
    out = tmp_path / "p.jsonl"
    with _fifo_unblocker(d / "pipe.txt"):
        rc = _predict(tiny_run, str(d), "--out", str(out))
    assert rc == 1
    recs = {Path(r["input"]).name: r for r in _read(out)}
    assert set(recs) == {"a.txt", "x.text", "b.md", "dangling.txt", "loop.txt"}
    assert recs["a.txt"]["error"] is None and recs["x.text"]["error"] is None
    assert recs["b.md"]["error"] is None
    assert recs["dangling.txt"]["error"].startswith("unreadable: broken symbolic link")
    assert recs["loop.txt"]["error"] == "unreadable: symbolic link loop"
    summary = capsys.readouterr().out
    assert "scored 3 of 5 articles, 2 failed" in summary
    for count in ("1 hidden file", "1 hidden folder", "2 link to a folder (not followed)",
                  "1 not a regular file (FIFO, socket or device)",
                  "1 not an article or table type (.pdf)",
                  "1 not an article or table type (no extension)"):
        assert count in summary, count
    skipped = {m.split(": ", 1)[0].removeprefix("skipped ")
               for m in caplog.messages if m.startswith("skipped ")}
    assert {Path(p).name for p in skipped} == {"noext", "x.pdf", ".hidden.txt", "pipe.txt",
                                               ".hidden_dir", "up", "linked"}


def test_include_and_exclude_globs(tiny_run, tmp_path, capsys, caplog):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    for name in ("a.txt", "sub/b.md", "sub/c.md", "sub/keep.md"):
        (d / name).write_text("NATO grows. Moscow warns.\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    assert _predict(tiny_run, str(d), "--out", str(out), "--include", "*.md",
                    "--exclude", "sub/c.md", "--exclude", "b.*") == 0
    assert [Path(r["input"]).name for r in _read(out)] == ["keep.md"]
    summary = capsys.readouterr().out
    assert "1 not matched by --include" in summary and "2 matched by --exclude" in summary
    assert any(m.endswith("a.txt: not matched by --include") for m in caplog.messages)


# ---------------------------------------------------------------- 5. CSV formula escaping

def test_csv_cells_that_look_like_formulas_are_escaped(tiny_run, tmp_path):
    from geostance.predict.records import read_output

    table = tmp_path / "t.jsonl"
    row = {"id": "=1+1", "title": "\tTabbed title", "outlet": "@SUM(A1)", "date": "-2024",
           "context_prev": "\rcarriage", "lang": "en",
           "text": '=HYPERLINK("http://x.invalid") NATO grows.\n+Moscow warns.\n-Sweden joins.'}
    table.write_text(json.dumps(row) + "\n", encoding="utf-8")
    escaped, raw = tmp_path / "e.csv", tmp_path / "r.csv"
    assert _predict(tiny_run, str(table), "--out", str(escaped)) == 0
    assert _predict(tiny_run, str(table), "--out", str(raw), "--no-csv-escape") == 0

    def rows(p: Path) -> list[dict]:
        with p.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    esc, plain = rows(escaped), rows(raw)
    assert [r["text"] for r in plain] == ['=HYPERLINK("http://x.invalid") NATO grows.',
                                          "+Moscow warns.", "-Sweden joins."]
    assert [r["text"] for r in esc] == ["'" + r["text"] for r in plain]
    for key, given in (("article_id", "id"), ("title", "title"), ("outlet", "outlet"),
                       ("date", "date"), ("context_prev", "context_prev")):
        assert plain[0][key] == row[given] and esc[0][key] == "'" + row[given], key
    for r in esc:  # numbers such as a negative balance index are no formulas
        assert not any(v.startswith(FORMULA_STARTS) for v in r.values()
                       if v and not _is_number(v)), r
    # Reading the escaped file back (as --resume does) removes the apostrophes again.
    labels = (["claim", "heading", "boilerplate", "other"],
              ["pro_nato", "moscow_warning", "neutral_balancing"])
    back = read_output(escaped, "csv", *labels)
    assert back == read_output(raw, "csv", *labels)
    assert back[0]["article_id"] == "=1+1" and back[0]["sentences"][1]["text"] == "+Moscow warns."


# ---------------------------------------------------------------- 7. names not in UTF-8

@pytest.mark.skipif(sys.platform != "linux", reason="needs file names as raw bytes (Linux)")
def test_file_name_not_valid_utf8(tiny_run, tmp_path, predictor):
    d = os.fsencode(tmp_path)
    try:
        with open(d + b"/caf\xe9.txt", "wb") as fh:
            fh.write(b"NATO grows. Moscow warns.\n")
    except OSError:
        pytest.skip("the file system refuses names that are not UTF-8")
    os.mkdir(d + b"/dir")
    with open(d + b"/dir/t\xe9.jsonl", "wb") as fh:
        fh.write(b'{"id": "r1", "text": "NATO grows."}\n\xff\xfe\n')
    with open(d + b"/dir/t\xe9.csv", "wb") as fh:
        fh.write(b"id,title\n1,x\n")  # no text column: a table-level error
    out = tmp_path / "p.jsonl"
    before = _snapshot(tmp_path)
    p = _cli(tiny_run, d + b"/caf\xe9.txt", d + b"/dir", "--out", str(out), cwd=tmp_path)
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr and "internal error" not in p.stderr
    recs = _read(out)  # strict UTF-8
    shown = [(r["article_id"], r["input"].removeprefix(str(tmp_path) + "/"), r["error"])
             for r in recs]
    assert shown[0] == ("caf\\xe9", "caf\\xe9.txt", None)
    assert shown[1][:2] == ("t\\xe9", "dir/t\\xe9.csv") and shown[1][2].startswith("bad table")
    assert shown[2] == ("r1", "dir/t\\xe9.jsonl:row 1", None)
    assert shown[3][:2] == ("t\\xe9:2", "dir/t\\xe9.jsonl:row 2")
    assert shown[3][2].startswith("bad row: invalid JSON")
    assert recs[0]["sentences"]
    assert _snapshot(tmp_path) == {**before, "p.jsonl": out.read_bytes()}


# ---------------------------------------------------------------- 8. --out paths and formats

@pytest.mark.parametrize("args, message", [
    (["--out", "existing"], "'existing' is an existing folder; write existing/"),
    (["--out", "folder.jsonl"], "folder.jsonl is a directory; use --out folder.jsonl/"),
    (["--out", "x.xml"], "unknown extension '.xml'"),
    (["--out", "x.jsonl", "--format", "csv"], "--format csv but --out x.jsonl is jsonl"),
    (["--out", "missing/deeper/"], "output folder does not exist"),
    (["--out", "-", "--format", "csv"], "cannot go to stdout"),
    # Its hidden partial file (".NAME.partial-PID.jsonl") could not be made: exit 70,
    # "internal error: OSError: [Errno 36] File name too long".
    (["--out", "a" * 240 + ".jsonl"], "file name too long (246 bytes; at most 232 here"),
])
def test_bad_out_is_refused_before_scoring(tiny_run, tmp_path, args, message):
    (tmp_path / "existing").mkdir()
    (tmp_path / "folder.jsonl").mkdir()
    src = tmp_path / "a.txt"
    src.write_text("NATO grows.\n", encoding="utf-8")
    before = _snapshot(tmp_path)
    p = _cli(tiny_run, str(src), *args, cwd=tmp_path)
    assert p.returncode == 2
    line = _one_error_line(p.stderr)
    assert line.startswith("error:") and message in line, line
    assert _snapshot(tmp_path) == before and sorted(os.listdir(tmp_path)) == [
        "a.txt", "existing", "folder.jsonl"]


def test_out_folder_with_slash_and_format_by_extension(tiny_run, tmp_path, monkeypatch):
    src = tmp_path / "a.txt"
    src.write_text("NATO grows. Moscow warns.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # relative --out paths, as typed at a prompt
    assert _predict(tiny_run, str(src), "--out", "new/") == 0  # a new folder
    assert len(_read(tmp_path / "new" / "predictions.jsonl")) == 1
    (tmp_path / "old").mkdir()
    assert _predict(tiny_run, str(src), "--out", "old/", "--format", "csv") == 0
    assert (tmp_path / "old" / "predictions.csv").read_text(
        encoding="utf-8").startswith("article_id,")
    assert _predict(tiny_run, str(src), "--out", "p.CSV") == 0  # format from the extension
    assert (tmp_path / "p.CSV").read_text(encoding="utf-8").startswith("article_id,")


# ---------------------------------------------------------------- 9. damaged model folders

@pytest.mark.parametrize("damage, culprit", [
    ("truncate_weights", "model.safetensors"),
    ("drop_tokenizer", "tokenizer.json"),
    ("truncate_tokenizer", "tokenizer.json"),
    # Named tokenizer.json before: the damaged special-token file was not the one named.
    ("truncate_tokenizer_config", "tokenizer_config.json"),
])
def test_damaged_model_folder_is_one_line(tiny_run, tmp_path, damage, culprit):
    model = tmp_path / "model"
    shutil.copytree(tiny_run / "model", model, ignore=shutil.ignore_patterns("onnx"))
    target = model / culprit
    if damage == "drop_tokenizer":
        target.unlink()
    else:  # a download cut short
        with target.open("r+b") as fh:
            fh.truncate(target.stat().st_size // 3)
    src = tmp_path / "a.txt"
    src.write_text("NATO grows.\n", encoding="utf-8")
    p = _cli(model, str(src), "--out", str(tmp_path / "p.jsonl"), cwd=tmp_path)
    assert p.returncode == 2, p.stderr
    line = _one_error_line(p.stderr)
    assert line.startswith("error: model:") and culprit in line, line
    assert not (tmp_path / "p.jsonl").exists()


def test_a_load_failure_names_its_file_by_the_step_not_by_the_message(tmp_path, monkeypatch):
    # The culprit was model.safetensors whenever the error's text held "safetensor" (a
    # folder so named, a message quoting the weights' path), else config.json.
    import torch
    from safetensors.torch import save_file

    from geostance.model.modeling import GeoStanceModel
    from geostance.predict.predictor import ModelLoadError, _load_torch

    model = tmp_path / "safetensors-models" / "model"
    model.mkdir(parents=True)
    save_file({"w": torch.zeros(4)}, str(model / "model.safetensors"))

    def disagrees(cls, path, *args, **kwargs):
        raise ValueError(f"{path}/model.safetensors: size mismatch for heads (config.json "
                         "says 5 kinds)")

    monkeypatch.setattr(GeoStanceModel, "from_pretrained", classmethod(disagrees))
    with pytest.raises(ModelLoadError) as e:
        _load_torch(model)
    assert str(e.value).startswith(f"{model / 'config.json'}: cannot be loaded")
    data = (model / "model.safetensors").read_bytes()
    (model / "model.safetensors").write_bytes(data[:len(data) - 4])  # a download cut short
    with pytest.raises(ModelLoadError) as e:
        _load_torch(model)
    assert str(e.value).startswith(f"{model / 'model.safetensors'}: cannot be loaded")


# ---------------------------------------------------------------- 10. Ctrl-C

def test_ctrl_c_keeps_partial_and_resume_completes(tiny_run, tmp_path, predictor, capsys):
    # Enough articles that the run is still scoring when the first window is on disk.
    table = tmp_path / "many.jsonl"
    body = ("NATO grows by {i} members. Moscow warns of a response, Peskov said. Sweden "
            "joined the alliance in 2024. Finland shares a long border with Russia.")
    table.write_text("".join(json.dumps({"id": f"a{i}", "text": body.format(i=i)}) + "\n"
                             for i in range(600)), encoding="utf-8")
    out = tmp_path / "p.jsonl"
    args = [str(table), "--out", str(out), "--chunk-size", "2", "--threads", "1"]
    cmd = [sys.executable, str(ROOT / "predict.py"), *args, "--model", str(tiny_run),
           "--no-progress"]
    # A job started in the background by a shell without job control (a CI runner, a
    # nohup'ed `make test`) inherits SIGINT ignored, and Python then never raises
    # KeyboardInterrupt: the child gets the default disposition back, as in a terminal.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
                            env=_env(),
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    partial = tmp_path / f".p.jsonl.partial-{proc.pid}.jsonl"
    deadline = time.monotonic() + 240
    try:
        while not (partial.exists() and partial.read_bytes().count(b"\n") >= 2):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no record written"
            time.sleep(0.005)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    stderr = stderr.decode("utf-8")
    assert proc.returncode == 130, stderr
    line = _one_error_line(stderr)
    assert line.startswith("interrupted:") and str(partial) in line and "--resume" in line
    assert not out.exists() and b"scored" not in stdout
    kept = _read(partial)
    assert 2 <= len(kept) < 600

    clean = tmp_path / "clean.jsonl"
    assert _predict(tiny_run, *args[:1], "--out", str(clean), *args[3:]) == 0
    capsys.readouterr()
    assert _predict(tiny_run, *args, "--resume") == 0
    assert f"{len(kept)} kept from a previous run" in capsys.readouterr().out
    assert out.read_bytes() == clean.read_bytes()
    assert not partial.exists()


# ---------------------------------------------------------------- 11. the Python API

def test_api_rejects_bad_items_with_their_index(predictor):
    with pytest.raises(TypeError, match=r"item 1: expected a string or a dict"):
        predictor.predict_articles(["NATO grows.", None])
    with pytest.raises(TypeError, match=r"item 0: expected a string or a dict"):
        predictor.predict_sentences([None])
    # A dict without 'text' (a typo such as "txt") was "'text' must be a string, got
    # NoneType"; it now says the key is missing and which keys the item has.
    with pytest.raises(TypeError, match=r"item 0: no 'text' key \(the item's keys: none\)"):
        predictor.predict_sentences([{}])
    with pytest.raises(TypeError, match=r"item 1: no 'text' key \(the item's keys: 'txt', "
                                        r"'title'\)"):
        predictor.predict_sentences(["ok", {"txt": "NATO grows.", "title": "t"}])
    with pytest.raises(TypeError, match=r"item 0: 'text' must be a string, got NoneType"):
        predictor.predict_sentences([{"text": None}])
    with pytest.raises(TypeError, match=r"item 0: 'text' must be a string, got int"):
        predictor.predict_sentences([{"text": 5}])
    with pytest.raises(TypeError, match=r"item 0: 'title' must be a string"):
        predictor.predict_articles([{"text": "NATO grows.", "title": ["x"]}])
    with pytest.raises(ValueError, match=r"item 2: 'text' is empty"):
        predictor.predict_sentences(["a", "b", "  "])
    with pytest.raises(TypeError, match=r"expected a list of items, got a str"):
        predictor.predict_articles("a string")
    with pytest.raises(TypeError, match=r"expected a list of items, got a dict"):
        predictor.predict_sentences({"text": "NATO grows."})
    with pytest.raises(TypeError, match=r"item 0: 'speaker' must be a string, got int"):
        predictor.predict_sentences([{"text": "NATO grows.", "speaker": 5}])
    with pytest.raises(ValueError, match=r"item 1: 'text' holds a lone surrogate "
                                         r"\(U\+DC80 at character 4\)"):
        predictor.predict_sentences(["ok", "abc \udc80 def"])
    with pytest.raises(ValueError, match=r"item 0: 'context_prev' holds a lone surrogate"):
        predictor.predict_sentences([{"text": "NATO grows.", "context_prev": "a\udc80"}])
    with pytest.raises(ValueError, match=r"item 0: 'text' holds a lone surrogate"):
        predictor.predict_articles(["Title\nNATO \ud800 grows."])


def test_api_rejects_a_call_without_a_list(predictor):
    # Not iterable at all: the same message as for a single string, not Python's own
    # "'NoneType' object is not iterable".
    with pytest.raises(TypeError, match=r"expected a list of items, got a NoneType"):
        predictor.predict_sentences(None)
    with pytest.raises(TypeError, match=r"expected a list of items, got a int"):
        predictor.predict_articles(5)


def test_a_device_that_cannot_run_is_a_named_error(tiny_run, tmp_path, capsys):
    import torch

    with pytest.raises(ValueError, match=r"device: 'gpu' not in auto, cpu, cuda"):
        Predictor.load(tiny_run, device="gpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match=r"device cuda: no CUDA device is usable here"):
            Predictor.load(tiny_run, device="cuda", backend="torch", quantize="int8")
        doc = tmp_path / "a.txt"
        doc.write_text("NATO grows.", encoding="utf-8")
        assert _predict(tiny_run, str(doc), "--out", str(tmp_path / "o.jsonl"),
                        "--device", "cuda") == 2
        assert "no CUDA device is usable here" in capsys.readouterr().err


def test_api_keeps_input_fields_the_output_also_writes(predictor):
    rec = predictor.predict_sentences([{"text": "NATO grows.", "kind": "heading",
                                        "stance": "gold", "id": "s1"}])[0]
    assert rec["input_kind"] == "heading" and rec["input_stance"] == "gold"
    assert rec["id"] == "s1" and rec["kind"] in predictor.kinds and "input_text" not in rec


def test_api_articles_keep_input_fields_the_output_also_writes(predictor):
    # Before: an article's own "summary", "sentences", "model" or "error" was overwritten
    # silently, where predict_sentences keeps such fields as input_<key>.
    rec = predictor.predict_articles([{"text": "NATO grows. Moscow warns.", "id": "a1",
                                       "summary": "an editor's", "error": "none",
                                       "sentences": 2, "outlet": "X"}])[0]
    assert (rec["input_summary"], rec["input_error"], rec["input_sentences"]) == (
        "an editor's", "none", 2)
    assert rec["error"] is None and isinstance(rec["summary"], dict)
    assert len(rec["sentences"]) == 2 and (rec["id"], rec["outlet"]) == ("a1", "X")


def test_load_names_a_bad_threads_or_max_tokens(tiny_run):
    # Before: threads=-1 was reported as "workers must be a positive integer".
    for name, bad in (("threads", -1), ("threads", 1.5), ("max_tokens", -5)):
        with pytest.raises(ValueError, match=rf"^{name} must be 0 \(the default\)"):
            Predictor.load(tiny_run, **{name: bad})


def test_api_bounds_batch_size_and_size(tiny_run, predictor):
    import itertools

    from geostance import Predictor

    with pytest.raises(ValueError, match="batch_size"):
        Predictor.load(tiny_run, batch_size=0)
    with pytest.raises(ValueError, match="max_chars 200000"):
        predictor.predict_sentences(["x" * 200_001])
    small = Predictor(predictor.model, predictor.tokenizer, model_dir=predictor.model_dir,
                      runner=predictor.run, backend=predictor.backend, max_items=3,
                      max_chars=50, config=predictor.config)
    # An endless iterable stops at max_items instead of filling memory.
    with pytest.raises(ValueError, match="more than max_items 3"):
        small.predict_articles(itertools.repeat("NATO grows."))
    with pytest.raises(ValueError, match=r"item 0: text has 51 characters, more than "
                                         r"max_chars 50"):
        small.predict_articles(["x" * 51])
    assert len(small.predict_sentences(["NATO grows."] * 3)) == 3


# ---------------------------------------------------------------- 12. long input

def test_long_line_and_long_row_are_scored_in_windows(tiny_run, tmp_path):
    words = "nato moscow warns sweden joins alliance expansion kremlin security border".split()
    line = " ".join(words[i % len(words)] + str(i % 7) for i in range(40_000))[:199_999] + "x"
    assert len(line) == 200_000 and "." not in line
    src = tmp_path / "long.txt"
    src.write_text(line, encoding="utf-8")
    table = tmp_path / "rows.jsonl"
    table.write_text(json.dumps({"id": "r", "text": line[:167_999] + "y"}) + "\n", encoding="utf-8")
    out, out2 = tmp_path / "a.jsonl", tmp_path / "s.jsonl"
    assert _predict(tiny_run, str(src), "--out", str(out)) == 0
    assert _predict(tiny_run, str(table), "--unit", "sentence", "--out", str(out2)) == 0
    for path, n in ((out, 200_000), (out2, 168_000)):
        (rec,) = _read(path)
        (sent,) = rec["sentences"]
        assert rec["error"] is None and len(sent["text"]) == n  # not truncated
        assert sent["windows"] > 100  # 64-token windows over the whole sentence


# ---------------------------------------------------------------- 13. text not a string

def test_non_string_text_is_an_error_record(tiny_run, tmp_path, capsys):
    table = tmp_path / "t.jsonl"
    rows = [{"id": "num", "text": 5}, {"id": "bool", "text": True},
            {"id": "list", "text": ["NATO grows."]}, {"id": "obj", "text": {"a": "b"}},
            {"id": "float", "text": 1.5}, {"id": "ok", "text": "NATO grows."},
            {"id": "title", "text": "NATO grows.", "title": ["x"]}, {"id": "none"}]
    table.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "p.jsonl"
    assert _predict(tiny_run, str(table), "--out", str(out)) == 1
    recs = _read(out)
    assert [r["article_id"] for r in recs] == [r["id"] for r in rows]
    assert [r["input"] for r in recs] == [f"{table}:row {n}" for n in range(1, 9)]
    errors = [r["error"] for r in recs]
    assert errors == [
        "bad row: field 'text' must be a string, got int",
        "bad row: field 'text' must be a string, got bool",
        "bad row: field 'text' must be a string, got list",
        "bad row: field 'text' must be a string, got dict",
        "bad row: field 'text' must be a string, got float",
        None,
        "bad row: field 'title' must be a string or a finite number, got list",
        "bad row: no 'text' column",
    ]
    assert all(r["sentences"] == [] for r in recs if r["error"])
    assert "scored 1 of 8 articles, 7 failed" in capsys.readouterr().out


# ---------------------------------------------------------------- 14. link loop as an argument

def test_symlink_loop_argument_gets_error_record(tiny_run, tmp_path, capsys):
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "a.jsonl").symlink_to("b.jsonl")
    (tmp_path / "b.jsonl").symlink_to("a.jsonl")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    good = tmp_path / "good.txt"
    good.write_text("NATO grows. Moscow warns.\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    names = ["loop.txt", "a.jsonl", "gone.txt", "good.txt"]
    assert _predict(tiny_run, *(str(tmp_path / n) for n in names), "--out", str(out)) == 1
    recs = _read(out)
    assert [Path(r["input"]).name for r in recs] == names
    assert recs[0]["error"] == "unreadable: symbolic link loop"
    assert recs[1]["error"].startswith("unreadable:")
    assert recs[2]["error"].startswith("unreadable: broken symbolic link")
    assert recs[3]["error"] is None and recs[3]["sentences"]
    assert "scored 1 of 4 articles, 3 failed" in capsys.readouterr().out


def test_symlink_loop_as_out_is_refused(tiny_run, tmp_path):
    (tmp_path / "p.jsonl").symlink_to("p.jsonl")
    src = tmp_path / "a.txt"
    src.write_text("NATO grows.\n", encoding="utf-8")
    p = _cli(tiny_run, str(src), "--out", str(tmp_path / "p.jsonl"), cwd=tmp_path)
    assert p.returncode == 2
    assert "symbolic link loop" in _one_error_line(p.stderr)


# ---------------------------------------------------------------- 15. rows, ids, noise

def test_bad_jsonl_rows_keep_ids_and_full_messages(tiny_run, tmp_path, capsys, caplog):
    table = tmp_path / "t.jsonl"
    big = "NATO grows. " * 2000  # > 2 * max_chars + 10,000: too large to even parse
    lines = [json.dumps({"id": "big-1", "text": big}),
             json.dumps({"text": big, "id": "big-2"}),
             json.dumps({"id": 77, "text": big}),
             '{"id": "broken", "text": "unterminated',
             '{"id": "ctl", "text": "a\tb"}',
             json.dumps({"id": "dup", "text": "NATO grows."}),
             json.dumps({"id": "dup", "text": "Moscow warns."})]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    assert _predict(tiny_run, str(table), "--out", str(out), "--max-chars", "100") == 1
    recs = _read(out)
    assert [r["article_id"] for r in recs] == ["big-1", "big-2", "77", "t:4", "t:5", "dup",
                                               "dup"]
    assert all(r["error"].startswith("too large:") for r in recs[:3])
    # The whole message, naming the real problem (not the line's newline) and its column.
    assert recs[3]["error"] == ("bad row: invalid JSON (Unterminated string starting at "
                                "column 26)")
    assert recs[4]["error"] == "bad row: invalid JSON (Invalid control character at column 25)"
    assert recs[5]["error"] is None and recs[6]["error"] is None
    assert "1 duplicate ids" in capsys.readouterr().out
    assert any("duplicate id 'dup'" in m and "row 7" in m for m in caplog.messages)


def test_duplicate_ids_are_counted_in_the_summary(tiny_run, tmp_path):
    table = tmp_path / "t.jsonl"
    table.write_text("".join(json.dumps({"id": "same", "text": f"NATO grows {i}."}) + "\n"
                             for i in range(3)), encoding="utf-8")
    p = _cli(tiny_run, str(table), "--out", str(tmp_path / "p.jsonl"), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "2 duplicate ids" in p.stdout
    assert p.stderr.count("duplicate id 'same'") == 2 and "Traceback" not in p.stderr


def test_count_duplicates_logs_the_first_few(caplog):
    # The Ray engine counts the ids its shards wrote with this, in input order.
    from geostance.predict.stream import MAX_DUPLICATE_WARNINGS, count_duplicates

    pairs = [("a", "t.jsonl:row 1"), ("b", "t.jsonl:row 2")]
    pairs += [("a", f"t.jsonl:row {i}") for i in range(3, 3 + MAX_DUPLICATE_WARNINGS + 2)]
    with caplog.at_level("WARNING"):
        assert count_duplicates(pairs) == MAX_DUPLICATE_WARNINGS + 2
    warned = [m for m in caplog.messages if "duplicate id 'a'" in m]
    assert len(warned) == MAX_DUPLICATE_WARNINGS and warned[0].startswith("t.jsonl:row 3")


def _on_terminal(model: Path, *args: str, cwd: Path) -> tuple[int, str]:
    """predict.py with stderr on a pseudo-terminal (progress bars show only on one)."""
    import fcntl
    import pty
    import termios

    master, slave = pty.openpty()
    # A 0x0 terminal would hide the bars (no columns to draw in).
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    cmd = [sys.executable, str(ROOT / "predict.py"), *args, "--model", str(model)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=slave, cwd=cwd, env=_env())
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            if not select.select([master], [], [], 1)[0]:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the process closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
        if proc.poll() is None and time.monotonic() >= deadline:
            proc.kill()
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform != "linux", reason="pseudo-terminals as on Linux")
def test_no_progress_and_int8_are_quiet_on_a_terminal(tiny_run, tmp_path, predictor):
    src = tmp_path / "a.txt"
    src.write_text("NATO grows. Moscow warns.\n", encoding="utf-8")
    out = str(tmp_path / "p.jsonl")
    # Control: on a terminal the bars are there, so their absence below means something.
    # (torch backend: the ONNX one, served from its cache, loads no torch weights at all.)
    rc, shown = _on_terminal(tiny_run, str(src), "--out", out, "--backend", "torch",
                             cwd=tmp_path)
    assert rc == 0 and "Loading weights" in shown and "predict:" in shown
    rc, shown = _on_terminal(tiny_run, str(src), "--out", out, "--overwrite", "--no-progress",
                             "--backend", "torch", "--quantize", "int8", cwd=tmp_path)
    assert rc == 0, shown
    assert "Loading weights" not in shown and "predict:" not in shown
    assert "deprecat" not in shown.lower() and "Warning" not in shown


@pytest.mark.parametrize("backend", ["torch", "auto"])
def test_int8_load_warns_nothing(tiny_run, backend, predictor):
    from geostance import Predictor

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        p = Predictor.load(tiny_run, quantize="int8", backend=backend)
        p.predict_sentences(["NATO grows."])
    assert not [w for w in caught if "deprecat" in str(w.message).lower()
                or issubclass(w.category, (DeprecationWarning, FutureWarning))], \
        [str(w.message) for w in caught]


# ------------------------------------------------------ 12. found by an audit (2026-12-05)

def test_an_output_folder_nobody_can_write_in_is_refused_before_the_model_loads(
        tiny_run, tmp_path, capsys):
    if not Path("/proc/self").is_dir():
        pytest.skip("needs /proc (no file can be created there, even by root)")
    src = tmp_path / "a.txt"
    src.write_text("NATO grows.\n", encoding="utf-8")
    assert _predict(tiny_run, str(src), "--out", "/proc/x.jsonl") == 2
    err = capsys.readouterr().err
    assert _one_error_line(err).startswith("error: out: cannot write in /proc (")


def test_only_empty_folders_is_an_error_not_a_success(tiny_run, tmp_path, capsys):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "scan.pdf").write_bytes(b"%PDF")
    out = tmp_path / "p.jsonl"
    assert _predict(tiny_run, str(tmp_path / "inbox"), "--out", str(out)) == 2
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.startswith(f"error: no input to score: {tmp_path / 'inbox'} holds no txt/")
    assert line.endswith("(1 files skipped)")
    assert not out.exists() and not list(tmp_path.glob(".p.jsonl.*"))


def test_format_empty_means_from_the_extension(tiny_run, tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text("NATO grows. Moscow warns.\n", encoding="utf-8")
    out = tmp_path / "p.csv"
    assert _predict(tiny_run, str(src), "--out", str(out), "--format", "") == 0
    assert out.read_text(encoding="utf-8").startswith("article_id,")


def test_sentence_mode_summary_counts_sentences_and_resume_counts_new_work(
        tiny_run, tmp_path, capsys):
    src = tmp_path / "s.txt"
    src.write_text("NATO grows.\nMoscow warns.\n\nSweden joined.\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    assert _predict(tiny_run, str(src), "--out", str(out), "--unit", "sentence") == 0
    assert capsys.readouterr().out.startswith(
        "scored 3 of 3 sentences; 3 sentences scored by this run in ")
    assert _predict(tiny_run, str(src), "--out", str(out), "--unit", "sentence",
                    "--resume") == 0
    line = capsys.readouterr().out
    assert "3 kept from a previous run; 0 sentences scored by this run in " in line


def test_an_interrupt_before_the_first_record_leaves_no_partial_file(
        tiny_run, tmp_path, monkeypatch):
    import geostance.predict.run as run_module
    from geostance.cli import predict_config

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
        yield  # a generator, as score_stream is

    monkeypatch.setattr(run_module, "score_stream", interrupted)
    src = tmp_path / "a.txt"
    src.write_text("NATO grows.\n", encoding="utf-8")
    cfg = predict_config([str(src), "--out", str(tmp_path / "p.jsonl"), "--model",
                          str(tiny_run), "--no-progress"])
    with pytest.raises(KeyboardInterrupt):
        run_module.run(cfg)
    assert sorted(os.listdir(tmp_path)) == ["a.txt"]
    assert run_module.interrupted_message(cfg) == (
        "interrupted before writing a record; nothing to resume")


def test_the_interrupt_message_counts_this_runs_partial_file(tmp_path):
    from geostance.cli import predict_config
    from geostance.predict.run import interrupted_message, journal_path

    out = tmp_path / "p.jsonl"
    cfg = predict_config(["a.txt", "--out", str(out)])
    earlier = tmp_path / ".p.jsonl.partial-1.jsonl"  # an earlier run's: 2 records
    earlier.write_text("{}\n{}\n", encoding="utf-8")
    assert interrupted_message(cfg).startswith(
        f"interrupted before writing a record; the partial file of an earlier run is kept "
        f"({earlier})")
    # this run kept those 2 and scored 1 more: its own file holds 3, the message says 3
    journal_path(out).write_text("{}\n{}\n{}\n", encoding="utf-8")
    assert interrupted_message(cfg).startswith(f"interrupted: 3 records kept in "
                                               f"{journal_path(out)}; ")
    # Ray writes shards and cannot resume: the message says what is left and what to do.
    shards = tmp_path / "shards"
    ray_cfg = predict_config(["a.txt", "--out", str(shards), "--engine", "ray"])
    assert interrupted_message(ray_cfg) == "interrupted before any shard was written"
    shards.mkdir()
    (shards / "part-00000.jsonl").write_text("{}\n", encoding="utf-8")
    assert interrupted_message(ray_cfg) == (
        f"interrupted: {shards} holds 1 shard(s) written so far (not resumable); remove the "
        "folder, or name a new --out, to run again")


def test_stance_stay_with_the_fitted_chain_is_explained(tiny_run, tmp_path, predictor,
                                                        monkeypatch, caplog):
    import numpy as np

    import geostance.predict.run as run_module

    monkeypatch.setattr(predictor, "stance_transitions", np.full((3, 3), 1 / 3))
    monkeypatch.setattr(run_module, "load_predictor", lambda cfg: predictor)
    src = tmp_path / "a.txt"
    src.write_text("NATO grows.\n", encoding="utf-8")
    for stay, warned in (("0.5", True), ("0.8", False), ("0", False)):
        caplog.clear()
        assert _predict(tiny_run, str(src), "--out", str(tmp_path / f"p{stay}.jsonl"),
                        "--stance-stay", stay) == 0
        assert any("only switches the chain on" in m for m in caplog.messages) == warned


def test_resume_with_fewer_inputs_keeps_the_output(tiny_run, tmp_path, capsys):
    # The rewritten output would hold only the inputs named this time: refused, and the
    # earlier records stay.
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("NATO grows.", encoding="utf-8")
    b.write_text("Moscow warns.", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    assert _predict(tiny_run, str(a), str(b), "--out", str(out)) == 0
    before = out.read_bytes()
    capsys.readouterr()
    assert _predict(tiny_run, str(a), "--out", str(out), "--resume") == 2
    assert f"holds 1 record(s) of inputs this run does not name (first: {b})" in \
        capsys.readouterr().err
    assert out.read_bytes() == before
    assert _predict(tiny_run, str(a), str(b), "--out", str(out), "--resume") == 0


def test_named_json_tsv_and_parquet_files_get_an_error_record(tiny_run, tmp_path):
    # Read as one plain-text article they gave a JSON array or a TSV header as a "sentence".
    files = {".json": '[{"id": 1, "text": "NATO grows."}]\n', ".tsv": "id\ttext\n1\tNATO grows.\n",
             ".parquet": "PAR1"}
    paths = []
    for suffix, content in files.items():
        f = tmp_path / f"t{suffix}"
        f.write_text(content, encoding="utf-8")
        paths.append(str(f))
    ok = tmp_path / "a.txt"
    ok.write_text("NATO grows. Moscow warns.\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    assert _predict(tiny_run, *paths, str(ok), "--out", str(out)) == 1
    recs = _read(out)
    assert [r["error"] is None for r in recs] == [False, False, False, True]
    assert recs[0]["error"].startswith("not an article or table type (.json)")
    assert ".jsonl" in recs[0]["error"] and ".csv" in recs[1]["error"]
    assert "output format only" in recs[2]["error"]
    assert all(r["sentences"] == [] for r in recs[:3])


@pytest.mark.parametrize("unit", ["article", "sentence"])
def test_resume_rescores_records_whose_input_changed(tiny_run, tmp_path, caplog, unit):
    # Rows without ids are keyed by their row number: a row inserted at the top moves
    # every text under another row's record, which must not be kept.
    table = tmp_path / "t.jsonl"
    texts = ["NATO grows in the north.", "Moscow warns Oslo.", "Sweden joins the drill."]
    table.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    out = tmp_path / "p.jsonl"
    assert _predict(tiny_run, str(table), "--out", str(out), "--unit", unit) == 0
    texts.insert(0, "Putin threatens Finland.")
    table.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    with caplog.at_level("WARNING"):
        assert _predict(tiny_run, str(table), "--out", str(out), "--unit", unit,
                        "--resume") == 0
    recs = _read(out)
    assert [r["sentences"][0]["text"] for r in recs] == texts
    assert sum("input changed since its record was written" in m for m in caplog.messages) == 3


# ------------------------------------------------------ 16. found by an audit (2026-12-06)

@pytest.mark.parametrize("name,content", [
    ("notes.jsonl", "my notes on the run\nnot JSON at all\n"),
    # A labelled training file: JSON objects, but no predict.py records among them.
    ("train.jsonl", '{"id": "s1", "text": "NATO grows.", "kind": "claim", '
                    '"stance": "pro_nato"}\n'),
    ("torn.jsonl", "one line someone wrote, without a newline"),
    ("table.csv", "id,text\n1,NATO grows.\n"),
])
def test_resume_refuses_an_output_that_is_not_predictions(tiny_run, tmp_path, capsys, name,
                                                           content):
    # --resume read the file, skipped what was not a record and then replaced it whole:
    # a mistyped --out lost the file with exit 0 and not a word.
    src = tmp_path / "a.txt"
    src.write_text("NATO grows. Moscow warns.\n", encoding="utf-8")
    out = tmp_path / name
    out.write_text(content, encoding="utf-8")
    assert _predict(tiny_run, str(src), "--out", str(out), "--resume") == 2
    line = _one_error_line(capsys.readouterr().err)
    assert line.startswith(f"error: resume: {out}") and "not predict.py output" in line
    assert "--overwrite" in line
    assert out.read_text(encoding="utf-8") == content
    assert not list(tmp_path.glob(f".{name}.partial-*"))


def test_resume_refuses_an_output_with_a_line_that_is_not_a_record(tiny_run, tmp_path, capsys):
    # A record file with a line of something else in it: that line would be lost.
    src = tmp_path / "a.txt"
    src.write_text("NATO grows. Moscow warns.\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    assert _predict(tiny_run, str(src), "--out", str(out)) == 0
    mixed = out.read_text(encoding="utf-8") + "a note kept beside the records\n"
    out.write_text(mixed, encoding="utf-8")
    capsys.readouterr()
    assert _predict(tiny_run, str(src), "--out", str(out), "--resume") == 2
    line = _one_error_line(capsys.readouterr().err)
    assert f"{out}:2" in line and "not predict.py output" in line
    assert out.read_text(encoding="utf-8") == mixed
    # Control: the records alone resume (a torn last line, a killed writer's, is dropped).
    out.write_text(mixed.splitlines(keepends=True)[0] + '{"article_id": "a", "inp',
                   encoding="utf-8")
    assert _predict(tiny_run, str(src), "--out", str(out), "--resume") == 0
    assert "1 kept from a previous run" in capsys.readouterr().out


def test_nan_in_a_jsonl_row_is_a_missing_value(tiny_run, tmp_path):
    # json.dumps writes a pandas NaN as NaN: the record said date "nan", id "nan", and a
    # NaN text was "must be a string, got float" where a null one is an empty input.
    table = tmp_path / "t.jsonl"
    nan = float("nan")
    table.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "a", "text": "NATO grows.", "date": nan, "outlet": nan, "title": nan},
        {"id": nan, "text": "Moscow warns."},
        {"id": "c", "text": nan},
        {"id": "d", "text": "NATO grows.", "date": float("inf")}]), encoding="utf-8")
    out = tmp_path / "p.jsonl"
    assert _predict(tiny_run, str(table), "--out", str(out)) == 1
    a, b, c, d = _read(out)
    assert a["error"] is None and a["date"] is None and a["outlet"] is None
    assert a["title"] == ""
    assert b["article_id"] == "t:2" and b["error"] is None
    assert c["error"] == "empty input (no text)"
    assert d["error"] == ("bad row: field 'date' must be a string or a finite number, "
                          "got Infinity")
