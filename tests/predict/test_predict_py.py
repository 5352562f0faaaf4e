"""predict.py end to end with the tiny model: schema, bad inputs, formats, resume, encodings."""

from __future__ import annotations

import builtins
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import predict  # the repo-root entry point
from geostance.config import PredictConfig

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"

DEMO = ROOT / "data" / "demo" / "demo_article_en.txt"
SEED = SHARED / "seed" / "azerbaijan_nato_sv.txt"
RECORD_KEYS = ["article_id", "input", "lang", "title", "date", "outlet", "context_prev", "model",
               "summary", "sentences", "error", "encoding"]
SENTENCE_KEYS = ["index", "start", "end", "text", "kind", "kind_probs", "stance", "stance_probs",
                 "source", "stance_confidence", "windows"]


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _predict(model: Path, *args: str) -> int:
    return predict.main([*args, "--model", str(model), "--no-progress"])


def _check_scored(rec: dict, original: str, model_dir: Path) -> None:
    """Every field present; offsets slice back into the decoded input."""
    assert list(rec) == RECORD_KEYS
    assert rec["error"] is None
    assert rec["model"]["name"] == model_dir.name or rec["model"]["name"]
    assert len(rec["model"]["weights_sha256"]) == 64
    assert rec["sentences"], "no sentences"
    assert rec["summary"]["sentences"] == len(rec["sentences"])
    for i, s in enumerate(rec["sentences"]):
        assert list(s) == SENTENCE_KEYS
        assert s["index"] == i
        assert original[s["start"]:s["end"]] == s["text"]
        assert s["kind"] in s["kind_probs"]
        assert abs(sum(s["kind_probs"].values()) - 1) < 1e-3
        assert abs(sum(s["stance_probs"].values()) - 1) < 1e-3
        assert s["stance"] == "" if s["kind"] == "boilerplate" else s["stance"] in s["stance_probs"]
        assert isinstance(s["source"], str)


def test_demo_article_end_to_end(tiny_run, tmp_path, capsys):
    out = tmp_path / "pred.jsonl"
    assert _predict(tiny_run, str(DEMO), "--out", str(out)) == 0
    assert "scored 1 of 1 articles" in capsys.readouterr().out
    (rec,) = _read(out)
    text = DEMO.read_text(encoding="utf-8")
    _check_scored(rec, text, tiny_run)
    assert rec["input"] == str(DEMO) and rec["article_id"] == "demo_article_en"
    assert rec["lang"] == "en" and rec["encoding"] == "utf-8"
    assert rec["title"] == text.splitlines()[0]
    texts = [s["text"] for s in rec["sentences"]]
    assert texts[0] == rec["title"]
    assert any(t.startswith("READ MORE") for t in texts)
    assert len(texts) >= 12
    assert not list(tmp_path.glob(".*")), "temporary files left behind"


@pytest.mark.skipif(not SEED.is_file(), reason="shared seed article absent")
def test_seed_article(tiny_run, tmp_path):
    out = tmp_path / "seed.jsonl"
    assert _predict(tiny_run, str(SEED), "--out", str(out)) == 0
    (rec,) = _read(out)
    _check_scored(rec, SEED.read_bytes().decode("utf-8-sig"), tiny_run)
    assert rec["lang"] == "sv"


def _bad_inputs(d: Path) -> dict[str, str]:
    """One file per failure kind -> the error prefix expected for it."""
    d.mkdir()
    (d / "a_good.txt").write_text("Nato i dag.\nArmenien närmar sig Nato, säger ministern.\n",
                                  encoding="utf-8")
    (d / "b_empty.txt").write_bytes(b"")
    (d / "c_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (d / "d_undecodable.txt").write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40)
    (d / "e_large.txt").write_text("Nato expands. " * 100, encoding="utf-8")
    locked = d / "f_unreadable.txt"
    locked.write_text("Secret.", encoding="utf-8")
    locked.chmod(0)
    return {"a_good": "", "b_empty": "empty input", "c_binary": "binary file",
            "d_undecodable": "undecodable", "e_large": "too large", "f_unreadable": "unreadable"}


@pytest.fixture
def deny_locked(monkeypatch):
    """Root reads mode-000 files anyway: make opening them fail as for a normal user."""
    real_open = builtins.open

    def fake_open(file, *a, **kw):
        if str(file).endswith("f_unreadable.txt"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *a, **kw)

    if os.geteuid() == 0:
        monkeypatch.setattr("geostance.predict.inputs.open", fake_open, raising=False)


def test_bad_inputs_get_error_records(tiny_run, tmp_path, capsys, deny_locked):
    expected = _bad_inputs(tmp_path / "in")
    out = tmp_path / "pred.jsonl"
    rc = _predict(tiny_run, str(tmp_path / "in"), "--out", str(out), "--max-chars", "500")
    assert rc == 1
    assert "5 failed" in capsys.readouterr().out
    recs = {Path(r["input"]).stem: r for r in _read(out)}
    assert set(recs) == set(expected)
    for stem, prefix in expected.items():
        rec = recs[stem]
        assert list(rec) == RECORD_KEYS
        if prefix:
            assert rec["error"].startswith(prefix), (stem, rec["error"])
            assert rec["sentences"] == [] and rec["summary"] is None
        else:
            assert rec["error"] is None and rec["sentences"]


def test_strict_stops_at_first_failure(tiny_run, tmp_path, deny_locked):
    _bad_inputs(tmp_path / "in")
    out = tmp_path / "pred.jsonl"
    assert _predict(tiny_run, str(tmp_path / "in"), "--out", str(out), "--strict") == 1
    recs = _read(out)
    assert [r["error"] is None for r in recs] == [True, False]
    assert recs[1]["error"].startswith("empty input")


@pytest.mark.parametrize("args, message", [
    (["--model", "/nonexistent/model"], "model"),
    (["--format", "xml"], "format"),
    (["/nonexistent/input.txt"], "input not found"),
    (["--batch-size", "0"], "batch_size"),
    (["--bogus"], "unrecognized"),
])
def test_bad_arguments_exit_2(tiny_run, tmp_path, capsys, args, message):
    base = [str(DEMO), "--out", str(tmp_path / "p.jsonl"), "--model", str(tiny_run)]
    assert predict.main([*base, *args, "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and message in err and "\n" not in err
    assert not (tmp_path / "p.jsonl").exists()


def test_exit_codes_via_subprocess(tiny_run, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    cmd = [sys.executable, str(ROOT / "predict.py"), "--model", str(tiny_run), "--no-progress"]
    p = subprocess.run([*cmd, str(DEMO), str(bad), "--out", str(tmp_path / "o.jsonl")],
                       capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert p.returncode == 1, p.stderr
    assert "1 failed" in p.stdout
    p = subprocess.run([*cmd, str(tmp_path / "missing.txt")], capture_output=True, text=True,
                       cwd=tmp_path, env=env, timeout=300)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and "input not found" in p.stderr


def test_exit_now_ends_the_process_without_freeing_the_model(tiny_run, tmp_path, capsys,
                                                            monkeypatch):
    """predict.py ends with os._exit once the output is written and the summary printed:
    the predictor (its tokenizer takes ~0.4 s to free) is still alive at that moment."""
    import gc
    import weakref

    import geostance.predict.run as run_module

    loaded: list[weakref.ref] = []
    load = run_module.load_predictor

    def remember(cfg):
        predictor = load(cfg)
        loaded.append(weakref.ref(predictor.tokenizer))
        return predictor

    class Exited(Exception):
        pass

    def fake_exit(code):
        gc.collect()
        raise Exited(code, loaded[0]() is not None)

    monkeypatch.setattr(run_module, "load_predictor", remember)
    monkeypatch.setattr(os, "_exit", fake_exit)
    out = tmp_path / "p.jsonl"
    with pytest.raises(Exited) as info:
        predict.main([str(DEMO), "--model", str(tiny_run), "--no-progress", "--out", str(out)],
                     exit_now=True)
    assert info.value.args == (0, True)  # exit code 0, the tokenizer not freed
    assert "scored 1 of 1 articles" in capsys.readouterr().out
    (rec,) = _read(out)
    assert rec["error"] is None


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_csv_and_parquet(tiny_run, tmp_path, fmt):
    from geostance.predict.records import read_output

    jl, flat = tmp_path / "p.jsonl", tmp_path / f"p.{fmt}"
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    assert _predict(tiny_run, str(DEMO), str(bad), "--out", str(jl)) == 1
    assert _predict(tiny_run, str(DEMO), str(bad), "--out", str(flat), "--format", fmt) == 1
    records = _read(jl)
    if fmt == "csv":
        import csv

        with flat.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(flat).to_pylist()
    assert len(rows) == len(records[0]["sentences"]) + 1  # + the failed article's row
    cols = set(rows[0])
    assert {"article_id", "input", "model_weights_sha256", "kind_prob_claim",
            "stance_prob_pro_nato", "start", "end", "text", "error", "encoding"} <= cols
    assert rows[-1]["error"].startswith("empty input")
    # Flattening loses nothing: the rows give back the JSONL records.
    assert read_output(flat, fmt, ["claim", "heading", "boilerplate", "other"],
                       ["pro_nato", "moscow_warning", "neutral_balancing"]) == records


def test_unit_sentence_keeps_id_title_context(tiny_run, tmp_path):
    table = tmp_path / "sents.jsonl"
    rows = [{"id": "s1", "text": "NATO welcomed the decision.", "title": "Armenia and NATO",
             "context_prev": "Yerevan froze its CSTO membership.", "outlet": "Wire"},
            {"text": "Moscow warned of consequences, Peskov said.", "lang": "en"}]
    table.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    assert _predict(tiny_run, str(table), "--unit", "sentence", "--out", str(out)) == 0
    r1, r2 = _read(out)
    assert (r1["article_id"], r1["input"]) == ("s1", f"{table}:row 1")
    assert r1["title"] == "Armenia and NATO" and r1["outlet"] == "Wire"
    assert r1["context_prev"] == "Yerevan froze its CSTO membership."
    assert r2["article_id"] == "sents:2" and r2["lang"] == "en" and r2["title"] == ""
    for r, row in ((r1, rows[0]), (r2, rows[1])):
        (s,) = r["sentences"]
        assert s["text"] == row["text"] and (s["start"], s["end"]) == (0, len(row["text"]))
    # The context is what the model sees: changing it changes the scores.
    from geostance import Predictor

    p = Predictor.load(tiny_run)
    with_ctx, without = p.predict_sentences([rows[0], {"text": rows[0]["text"]}])
    assert r1["sentences"][0]["stance_probs"] == with_ctx["stance_probs"]
    assert with_ctx["stance_probs"] != without["stance_probs"]


def test_the_python_api_finds_the_speaker_predict_py_finds(tiny_run, tmp_path):
    # Invented sentences without a language: the rules need the detected one (with no
    # language they fall back to another language's rules and find no one here).
    rows = [{"text": "Об этом заявил глава МИД России Сергей Лавров."},
            {"text": "Laut Scholz bleibt die NATO geschlossen."},
            {"text": "NATO grows.", "speaker": "Jens Stoltenberg", "source": "gold"}]
    table = tmp_path / "sents.jsonl"
    table.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[:2]),
                     encoding="utf-8")
    out = tmp_path / "p.jsonl"
    assert _predict(tiny_run, str(table), "--unit", "sentence", "--out", str(out)) == 0
    cli = [r["sentences"][0] for r in _read(out)]
    from geostance import Predictor

    api = Predictor.load(tiny_run).predict_sentences(rows)
    assert [s["source"] for s in cli] == [a["source"] for a in api[:2]] == \
        ["Сергей Лавров", "Scholz"]
    assert [s["stance_probs"] for s in cli] == [a["stance_probs"] for a in api[:2]]
    # A given speaker is the one used; an input's own "source" is kept beside it.
    assert (api[2]["source"], api[2]["input_source"]) == ("Jens Stoltenberg", "gold")


def _many_articles(d: Path) -> Path:
    """A JSONL of the fixture corpus's articles plus a bad row."""
    corpus = ROOT / "tests" / "fixtures" / "corpus" / "articles.jsonl"
    rows = [json.loads(x) for x in corpus.read_text(encoding="utf-8").splitlines()][:7]
    rows.insert(3, {"article_id": "x", "text": ""})
    table = d / "arts.jsonl"
    table.write_text("".join(json.dumps({"id": r.get("article_id"), "text": r["text"],
                                         "date": r.get("date")}) + "\n" for r in rows),
                     encoding="utf-8")
    return table


def test_killed_run_resumes_to_same_output(tiny_run, tmp_path, capsys):
    from geostance.predict.run import run

    table = _many_articles(tmp_path)
    clean = tmp_path / "clean.jsonl"
    args = ["--chunk-size", "2"]
    assert _predict(tiny_run, str(table), "--out", str(clean), *args) == 1
    out = tmp_path / "p.jsonl"

    def kill(n_written: int) -> None:
        raise KeyboardInterrupt  # the process dies after its first chunk

    cfg = PredictConfig(inputs=[str(table)], model=str(tiny_run), out=str(out), chunk_size=2,
                        progress=False)
    with pytest.raises(KeyboardInterrupt):
        run(cfg, on_chunk=kill)
    assert not out.exists()
    (partial,) = tmp_path.glob(".p.jsonl.partial-*.jsonl")
    assert len(_read(partial)) == 2
    capsys.readouterr()
    assert _predict(tiny_run, str(table), "--out", str(out), *args, "--resume") == 1
    assert "2 kept from a previous run" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == clean.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".p.jsonl.*"))
    # Resuming a complete CSV output keeps every scored article and changes nothing.
    csv_out = tmp_path / "p.csv"
    assert _predict(tiny_run, str(table), "--out", str(csv_out), *args) == 1
    before = csv_out.read_bytes()
    assert _predict(tiny_run, str(table), "--out", str(csv_out), *args, "--resume") == 1
    assert "7 kept" in capsys.readouterr().out
    assert csv_out.read_bytes() == before


@pytest.mark.parametrize("encoding, text, expected", [
    ("utf-16", "Armenia and NATO\nNATO welcomed Armenia, the minister said.\n", {"utf-16"}),
    ("cp1251", "Армения и НАТО\nМосква предупредила Ереван о серьёзных последствиях "
               "сближения с НАТО, заявила Мария Захарова.\n", {"cp1251"}),
    ("latin-1", "Azerbajdzjan närmar sig Nato\nAzerbajdzjans närmande till Nato väcker oro i "
                "Moskva och skapar spänningar i södra Kaukasus, säger källor på Åland.\n",
     {"iso8859-1", "cp1252", "iso8859-15"}),
])
def test_encodings_are_decoded_and_recorded(tiny_run, tmp_path, encoding, text, expected):
    f = tmp_path / f"art_{encoding}.txt"
    f.write_bytes(text.encode(encoding))
    out = tmp_path / "p.jsonl"
    assert _predict(tiny_run, str(f), "--out", str(out)) == 0
    (rec,) = _read(out)
    assert rec["encoding"] in expected
    _check_scored(rec, text, tiny_run)
    assert rec["title"] == text.splitlines()[0]


def test_stdin_and_csv_table_input(tiny_run, tmp_path):
    from geostance.predict.run import run

    table = tmp_path / "t.csv"
    table.write_text("id,title,text,outlet\n7,T,\"NATO grows.\nMoscow warns.\",Wire\n",
                     encoding="utf-8")
    out = tmp_path / "p.jsonl"
    cfg = PredictConfig(inputs=["-", str(table)], model=str(tiny_run), out=str(out),
                        progress=False)
    res = run(cfg, stdin=io.BytesIO(b"Headline\nNATO expands to the east."))
    assert (res.articles, res.failed) == (2, 0)
    a, b = _read(out)
    assert (a["article_id"], a["input"], a["title"]) == ("stdin", "-", "Headline")
    assert (b["article_id"], b["input"], b["title"], b["outlet"]) == ("7", f"{table}:row 1",
                                                                      "T", "Wire")
    assert [s["text"] for s in b["sentences"]] == ["NATO grows.", "Moscow warns."]


def test_predictor_export_is_lazy():
    code = "import sys, geostance; assert 'torch' not in sys.modules"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=120)
    assert p.returncode == 0, p.stderr
    from geostance import Predictor
    from geostance.predict.predictor import Predictor as P

    assert Predictor is P


@pytest.mark.parametrize("runs_folder", [False, True])
def test_no_trained_model_says_how_to_get_one(tmp_path, monkeypatch, capsys, runs_folder):
    # A first-time user who runs predict.py before training saw only "error: model:
    # runs/latest: no such model folder", with no word of train.py or --model; in a fresh
    # clone, which has no runs/ folder, runs/latest was even taken for a hub id and the
    # error was a failed download ("the hub could not provide it ... ConnectError").
    monkeypatch.chdir(tmp_path)
    if runs_folder:
        (tmp_path / "runs").mkdir()
    assert predict.main([str(DEMO), "--out", str(tmp_path / "p.jsonl"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("error: model: runs/latest: no such model folder")
    assert "python train.py" in err and "--model" in err
    assert not (tmp_path / "p.jsonl").exists()


def test_no_progress_bar_no_tqdm_import(tiny_run, tmp_path):
    """A run that shows no progress bar (--no-progress, or stderr not a terminal) does not
    import tqdm (~45 ms of every process start-up)."""
    code = ("import sys; from geostance.entry import predict_main; "
            "rc = predict_main(sys.argv[1:]); "
            "assert 'tqdm' not in sys.modules, 'tqdm imported'; sys.exit(rc)")
    out = tmp_path / "p.jsonl"
    p = subprocess.run([sys.executable, "-c", code, str(DEMO), "--model", str(tiny_run),
                        "--out", str(out), "--no-progress"], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=300)
    assert p.returncode == 0, p.stderr
    (rec,) = _read(out)
    assert rec["error"] is None
