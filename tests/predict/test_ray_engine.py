"""``predict.py --engine ray``: same records as the local engine, on a local 2-CPU Ray instance."""

from __future__ import annotations

import builtins
import json
import os
import threading
from pathlib import Path

import pytest

import predict

ROOT = Path(__file__).resolve().parents[2]

CORPUS = ROOT / "data" / "corpus" / "articles.jsonl"
TOL = 1e-5


def _inputs(d: Path) -> list[str]:
    """Three dozen varied articles: text files, a JSONL table (with bad rows), an empty file."""
    d.mkdir()
    rows = [json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines()]
    # Every 5th article, so languages, outlets and lengths vary.
    picked = rows[::5][:36]
    for i, r in enumerate(picked[:24]):
        (d / f"art_{i:02d}.txt").write_text(r["text"], encoding="utf-8")
    table = [{"id": r["article_id"], "text": r["text"], "date": r.get("date"),
              "outlet": r.get("outlet")} for r in picked[24:]]
    table.insert(3, {"id": "no-text", "text": ""})
    table.append({**table[0], "text": "A second article under the first row's id."})
    lines = [json.dumps(r, ensure_ascii=False) for r in table]
    lines.insert(6, "{not json")
    lines.insert(2, "")  # a blank line is not a row: row numbers must still match
    (d / "table.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "zz_empty.txt").write_bytes(b"")
    return [str(d)]


def _same(a, b, path: str = "") -> None:
    """Equal records, floats (probabilities, shares) within TOL."""
    if isinstance(a, float) or isinstance(b, float):
        assert a is not None and b is not None and abs(a - b) <= TOL, (path, a, b)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), (path, list(a), list(b))
        for k in a:
            _same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), (path, a, b)
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{path}[{i}]")
    else:
        assert a == b, (path, a, b)


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def local_reference(tiny_run, tmp_path_factory):
    """The inputs and the local engine's JSONL records for them."""
    d = tmp_path_factory.mktemp("ray_inputs")
    inputs = _inputs(d / "in")
    out = d / "local.jsonl"
    rc = predict.main([*inputs, "--model", str(tiny_run), "--out", str(out), "--chunk-size", "4",
                       "--no-progress"])
    assert rc == 1  # the empty file and the bad rows fail
    return inputs, _read_jsonl(out)


@pytest.mark.slow  # ~50 s: Ray start-up plus two actors importing torch and loading the model
def test_ray_engine_matches_local(tiny_run, local_reference, tmp_path, capsys):
    pytest.importorskip("ray")
    from geostance.predict.ray_engine import read_shards

    inputs, expected = local_reference
    out = tmp_path / "ray_out"
    capsys.readouterr()
    # No --ray-address: predict.py starts (and stops) its own local 2-CPU instance.
    rc = predict.main([*inputs, "--model", str(tiny_run), "--out", str(out), "--chunk-size", "4",
                       "--engine", "ray", "--num-workers", "2", "--no-progress"])
    assert rc == 1
    n_failed = sum(r["error"] is not None for r in expected)
    summary = capsys.readouterr().out
    assert f"scored {len(expected) - n_failed} of {len(expected)} articles" in summary
    assert "1 duplicate ids" in summary  # counted over the shards, as the local engine does
    shards = sorted(out.glob("part-*.jsonl"))
    assert len(shards) > 1, "expected several shards"
    assert not list(out.glob(".*")), "temporary shard files left behind"
    got = read_shards(out)
    assert len(got) >= 36
    assert [(r["article_id"], r["input"]) for r in got] == [
        (r["article_id"], r["input"]) for r in expected]
    for g, e in zip(got, expected, strict=True):
        _same(g, e, e["input"])
    errors = {r["input"].rsplit("/", 1)[-1]: r["error"] for r in got if r["error"]}
    assert errors["zz_empty.txt"].startswith("empty input")
    assert any(e.startswith("bad row: invalid JSON") for e in errors.values())


@pytest.mark.slow  # ~40 s, for the same reasons
def test_ray_parquet_shards(tiny_run, local_reference, tmp_path):
    pytest.importorskip("ray")
    import ray

    from geostance.config import PredictConfig
    from geostance.predict.ray_engine import read_shards, run_ray

    inputs, expected = local_reference
    out = tmp_path / "ray_parquet"
    cfg = PredictConfig(inputs=inputs, model=str(tiny_run), out=str(out), format="parquet",
                        chunk_size=8, engine="ray", num_workers=1, progress=False)
    # An already running Ray is reused (and left running) rather than started again.
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        res = run_ray(cfg)
    finally:
        ray.shutdown()
    assert res.articles == len(expected)
    kinds = list(expected[0]["sentences"][0]["kind_probs"])
    stances = list(expected[0]["sentences"][0]["stance_probs"])
    got = read_shards(out, "parquet", kinds, stances)
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        _same(g, e, e["input"])


def test_ray_out_must_be_empty_dir(tmp_path, capsys):
    pytest.importorskip("ray")
    doc = tmp_path / "a.txt"
    doc.write_text("NATO grows.", encoding="utf-8")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "part-00000.jsonl").write_text("{}\n", encoding="utf-8")
    # Checked before the model is loaded or Ray is started.
    rc = predict.main([str(doc), "--model", str(tmp_path / "no-model"), "--out",
                       str(tmp_path / "old"), "--engine", "ray", "--no-progress"])
    assert rc == 2
    assert "must not exist or be empty" in capsys.readouterr().err


@pytest.mark.parametrize("extra, message", [
    (["--resume"], "resume: not supported"),
    (["--strict"], "strict: not supported"),
    (["--overwrite"], "overwrite: not supported with --engine ray"),
    (["--engine", "spark"], "engine"),
    (["--num-workers", "-1"], "num_workers"),
    (["--out", "shards.csv"], "folder of shards, and 'shards.csv' looks like a file; name a "
     "folder and choose the shards' format with --format (csv)"),
])
def test_ray_bad_options_exit_2(tmp_path, capsys, extra, message):
    doc = tmp_path / "a.txt"
    doc.write_text("NATO grows.", encoding="utf-8")
    engine = [] if "--engine" in extra else ["--engine", "ray"]
    assert predict.main([str(doc), *engine, *extra, "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and message in err and "\n" not in err


def test_missing_ray_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    real_import = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray" or name.startswith("ray."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    doc = tmp_path / "a.txt"
    doc.write_text("NATO grows.", encoding="utf-8")
    rc = predict.main([str(doc), "--model", str(tmp_path / "model"), "--out", str(tmp_path / "o"),
                       "--engine", "ray", "--no-progress"])
    assert rc == 2
    err = capsys.readouterr().err.strip()
    assert err == "error: --engine ray needs Ray, which is not installed: pip install .[ray]"
    assert not (tmp_path / "o").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("name", ["rows.jsonl", "article.txt"])
def test_a_pipe_is_read_by_the_driver_not_the_workers(tmp_path, name):
    # A pipe can be read once: its reference sent a worker to open it again (offsets into
    # a JSONL pipe the driver had read, or a text pipe by name), where it waited forever.
    from geostance.config import PredictConfig
    from geostance.predict.ray_engine import build_refs

    pipe = tmp_path / name
    os.mkfifo(pipe)
    body = ('{"id": "a", "text": "NATO grows."}\n' if name.endswith(".jsonl")
            else "NATO grows.\n")
    writer = threading.Thread(target=lambda: pipe.write_text(body, encoding="utf-8"),
                              daemon=True)
    writer.start()
    try:
        refs = build_refs([str(pipe)], PredictConfig(inputs=[str(pipe)]))
    finally:
        writer.join(timeout=10)
    assert [(r["kind"], r["item"]["text"].strip()) for r in refs] == [("item", "NATO grows.")]
