"""Same numbers whatever the engine or batching: ONNX Runtime vs torch, int8 and bf16 vs
float32, windows vs plain encoding, batch sizes and orders, and predict.py's streaming windows.

Tolerances (probabilities after temperature scaling):

* ONNX Runtime float32 vs torch: 1e-4 absolute, identical labels;
* ONNX Runtime int8 vs float32 torch: the same argmax for at least 90% of 32 sentences
  per head (and every probability within 0.02);
* torch bf16 (autocast) vs float32 torch: the same argmax for at least 90% of 32
  sentences per head (and every probability within 0.02);
* one engine under different batchings, orders and window settings: 1e-5 absolute
  (padding only changes the order of float sums).
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

import predict
from geostance import Predictor
from geostance.model.artifacts import softmax
from geostance.model.encoding import encode, predict_logits, torch_runner
from geostance.model.onnx import export_key, onnx_available, onnx_session

FIXTURE_CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
FLOAT32_TOL = 1e-4
INT8_AGREEMENT = 0.9
INT8_PROB_TOL = 0.02
SAME_ENGINE_TOL = 1e-5

# Well over the tiny model's 64 tokens: scored as several overlapping windows.
LONG = ("The foreign minister said that the alliance, the neighbours and the partners in the "
        "south would all have to weigh the consequences of the agreement signed in Baku on "
        "Tuesday, while Moscow warned of countermeasures, new tariffs, closed borders and "
        "the end of the old security guarantees that had kept the region quiet for decades.")

ITEMS = [
    "NATO.",
    {"text": "Moscow warns Baku of serious consequences.", "title": "Armenia and NATO",
     "context_prev": "The minister spoke on Tuesday."},
    {"text": LONG, "title": "Long"},
    "Finland joined NATO in 2023 after decades of neutrality and a long debate in parliament.",
    {"text": "Trade keeps growing.", "context_prev": "Exports rose by a third last year."},
    {"text": "Why?", "title": "A question"},
]


def _columns(items):
    texts = [i if isinstance(i, str) else i["text"] for i in items]
    titles = [i.get("title", "") if isinstance(i, dict) else "" for i in items]
    prevs = [i.get("context_prev", "") if isinstance(i, dict) else "" for i in items]
    return texts, titles, prevs


def _corpus_items(n: int = 32) -> list[dict]:
    """Real fixture sentences with their neighbours as context."""
    rows = [json.loads(x) for x in
            (FIXTURE_CORPUS / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    items = []
    for prev, row in zip([None, *rows[:-1]], rows, strict=True):
        items.append({"text": row["text"], "title": "", "context_prev": prev["text"]
                      if prev and prev.get("article_id") == row.get("article_id") else ""})
    step = max(1, len(items) // n)
    return items[::step][:n]


@pytest.fixture(scope="module")
def model_dir(tiny_run, tmp_path_factory) -> Path:
    """A private copy of the trained model, so its ONNX cache starts empty."""
    d = tmp_path_factory.mktemp("onnx") / "model"
    shutil.copytree(tiny_run / "model", d, ignore=shutil.ignore_patterns("onnx"))
    return d


@pytest.fixture(scope="module")
def torch_pred(model_dir) -> Predictor:
    return Predictor.load(model_dir, backend="torch")


needs_onnx = pytest.mark.skipif(not onnx_available(), reason="onnxruntime/onnx/onnxscript "
                                "not installed (pip install geostance[onnx])")


# ------------------------------------------------------------------ ONNX Runtime


@needs_onnx
def test_export_runs_once_and_is_cached(model_dir, caplog):
    shutil.rmtree(model_dir / "onnx", ignore_errors=True)
    cache = model_dir / "onnx" / export_key(model_dir)
    with caplog.at_level(logging.WARNING, logger="geostance.model.onnx"):
        Predictor.load(model_dir, backend="onnx")
    exports = [r for r in caplog.records if "exporting the model to ONNX" in r.getMessage()]
    assert len(exports) == 1
    fp32 = cache / "model.onnx"
    assert fp32.is_file()
    import onnx

    ops = [n.op_type for n in onnx.load(str(fp32), load_external_data=False).graph.node]
    # Every self-attention block fused: the softmax exists only inside Attention nodes.
    assert ops.count("Attention") >= 1 and "Softmax" not in ops
    # Residual adds and layer norms left apart (the fused CPU kernel is the slower one).
    assert "SkipLayerNormalization" not in ops and ops.count("LayerNormalization") >= 2
    stamp = fp32.stat().st_mtime_ns
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="geostance.model.onnx"):
        Predictor.load(model_dir, backend="onnx")
        Predictor.load(model_dir, backend="onnx", quantize="int8")
    assert not [r for r in caplog.records if "exporting" in r.getMessage()]
    assert fp32.stat().st_mtime_ns == stamp  # reused, not re-exported
    int8 = cache / "model.int8.onnx"
    assert int8.is_file()
    int8_stamp = int8.stat().st_mtime_ns
    Predictor.load(model_dir, backend="onnx", quantize="int8")
    assert int8.stat().st_mtime_ns == int8_stamp and fp32.stat().st_mtime_ns == stamp
    # Weights beside each graph (mapped into memory at load), no temporary files left.
    assert sorted(p.name for p in cache.iterdir()) == [
        "model.int8.onnx", "model.int8.onnx.data", "model.onnx", "model.onnx.data"]
    assert fp32.stat().st_size < (cache / "model.onnx.data").stat().st_size


@needs_onnx
def test_sessions_keep_the_layer_norms_unfused(model_dir, tmp_path, monkeypatch):
    # ONNX Runtime fuses Add + LayerNormalization back into SkipLayerNormalization when
    # it loads a model, unless the session turns that optimizer off.
    import onnx
    import onnxruntime as ort

    Predictor.load(model_dir, backend="onnx", quantize="int8")  # both exports cached
    plain = ort.SessionOptions

    def writing_options():
        opts = plain()
        opts.optimized_model_filepath = str(tmp_path / "optimized.onnx")
        return opts

    monkeypatch.setattr(ort, "SessionOptions", writing_options)
    for quantize in (None, "int8"):
        onnx_session(model_dir, lambda: None, quantize)
        ops = [n.op_type for n in onnx.load(str(tmp_path / "optimized.onnx"),
                                            load_external_data=False).graph.node]
        assert "SkipLayerNormalization" not in ops and "LayerNormalization" in ops, quantize


@needs_onnx
def test_a_new_export_removes_the_outdated_ones_beside_it(model_dir, tmp_path, caplog,
                                                          monkeypatch):
    Predictor.load(model_dir, backend="onnx")
    current = model_dir / "onnx" / export_key(model_dir)
    stale = model_dir / "onnx" / "0123456789abcdef"  # e.g. the export of an older version
    stale.mkdir()
    (stale / "model.onnx").write_bytes(b"old graph")
    shutil.rmtree(current)  # a fresh export is what prunes
    with caplog.at_level(logging.WARNING, logger="geostance.model.onnx"):
        Predictor.load(model_dir, backend="onnx")
    assert not stale.exists() and (current / "model.onnx").is_file()
    assert [r for r in caplog.records if "removed an outdated ONNX export" in r.getMessage()]
    # The shared cache (used when the model folder is read-only) holds other models'
    # exports: nothing is pruned there.
    import geostance.model.onnx as gonnx

    other = tmp_path / "home" / "onnx" / "fedcba9876543210"
    other.mkdir(parents=True)
    def home_cache(model: Path, key: str) -> Path:
        (other.parent / key).mkdir(exist_ok=True)
        return other.parent / key

    monkeypatch.setattr(gonnx, "_cache_dir", home_cache)
    shutil.rmtree(current)
    Predictor.load(model_dir, backend="onnx")
    assert other.is_dir() and (other.parent / export_key(model_dir) / "model.onnx").is_file()


@needs_onnx
def test_export_without_its_weights_file_is_made_again(model_dir, caplog):
    Predictor.load(model_dir, backend="onnx")
    cache = model_dir / "onnx" / export_key(model_dir)
    (cache / "model.onnx.data").unlink()  # e.g. a copy that left the large file behind
    with caplog.at_level(logging.WARNING, logger="geostance.model.onnx"):
        pred = Predictor.load(model_dir, backend="onnx")
    assert [r for r in caplog.records if "exporting the model to ONNX" in r.getMessage()]
    assert (cache / "model.onnx.data").is_file()
    texts, titles, prevs = _columns(ITEMS)
    assert pred.score(texts, titles, prevs)[1].shape[0] == len(ITEMS)


@needs_onnx
def test_a_damaged_cached_export_is_made_again(model_dir, torch_pred, caplog):
    Predictor.load(model_dir, backend="onnx")
    data = model_dir / "onnx" / export_key(model_dir) / "model.onnx.data"
    data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])  # a copy cut short
    with caplog.at_level(logging.WARNING, logger="geostance.model.onnx"):
        pred = Predictor.load(model_dir, backend="onnx")
    assert [r for r in caplog.records if "cannot be loaded" in r.getMessage()]
    texts, titles, prevs = _columns(ITEMS)
    assert np.allclose(pred.score(texts, titles, prevs)[1],
                       torch_pred.score(texts, titles, prevs)[1], atol=1e-5)


@needs_onnx
def test_a_read_only_folder_serves_its_own_export(model_dir, tmp_path, monkeypatch, caplog):
    # A shared model folder prepared once (its export cached) and then mounted read-only:
    # its export is served as is, not made again in $GEOSTANCE_HOME; only the int8 copy
    # it lacks is made there, from the folder's float32 export.
    import geostance.model.onnx as gonnx

    Predictor.load(model_dir, backend="onnx")
    cache = model_dir / "onnx" / export_key(model_dir)
    for f in ("model.int8.onnx", "model.int8.onnx.data"):
        (cache / f).unlink(missing_ok=True)
    home = tmp_path / "home"
    monkeypatch.setenv("GEOSTANCE_HOME", str(home))
    writable = gonnx._writable
    monkeypatch.setattr(gonnx, "_writable", lambda d: model_dir not in [d, *d.parents]
                        and writable(d))
    with caplog.at_level(logging.WARNING, logger="geostance.model.onnx"):
        Predictor.load(model_dir, backend="onnx")
        int8 = Predictor.load(model_dir, backend="onnx", quantize="int8")
    assert not [r for r in caplog.records if "exporting" in r.getMessage()]
    assert sorted(p.name for p in (home / "onnx" / cache.name).iterdir()) == [
        "model.int8.onnx", "model.int8.onnx.data"]
    assert not (cache / "model.int8.onnx").exists()
    texts, titles, prevs = _columns(ITEMS)
    assert int8.score(texts, titles, prevs)[1].shape == (len(ITEMS), 3)


@needs_onnx
def test_no_writable_export_cache_is_one_clear_error(tiny_run, tmp_path, monkeypatch):
    # A read-only model folder without an export, and a GEOSTANCE_HOME that cannot be
    # made: the error says so and what to do, not that a file may be damaged.
    import geostance.model.onnx as gonnx
    from geostance.predict.predictor import ModelLoadError

    d = tmp_path / "model"
    shutil.copytree(tiny_run / "model", d, ignore=shutil.ignore_patterns("onnx"))
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("GEOSTANCE_HOME", str(tmp_path / "a-file" / "home"))
    monkeypatch.setattr(gonnx, "_writable", lambda _d: False)
    with pytest.raises(ModelLoadError) as e:
        Predictor.load(d, backend="onnx")
    assert "GEOSTANCE_HOME" in str(e.value) and "damaged" not in str(e.value)


@needs_onnx
def test_a_read_only_geostance_home_that_exists_is_one_clear_error(tiny_run, tmp_path,
                                                                  monkeypatch):
    # GEOSTANCE_HOME exists (a read-only home's ~/.cache/geostance) but cannot be written:
    # the export failed inside it, reported as "is a file damaged or cut short?".
    import geostance.model.onnx as gonnx
    from geostance.predict.predictor import ModelLoadError

    d = tmp_path / "model"
    shutil.copytree(tiny_run / "model", d, ignore=shutil.ignore_patterns("onnx"))
    home = tmp_path / "home"
    (home / "onnx").mkdir(parents=True)
    monkeypatch.setenv("GEOSTANCE_HOME", str(home))
    monkeypatch.setattr(gonnx, "_writable", lambda _d: False)  # root writes anywhere
    exported = []
    monkeypatch.setattr(gonnx, "_export", lambda model, path: exported.append(path))
    with pytest.raises(ModelLoadError) as e:
        Predictor.load(d, backend="onnx")
    assert "GEOSTANCE_HOME" in str(e.value) and "read-only" in str(e.value)
    assert "damaged" not in str(e.value) and not exported


@needs_onnx
def test_a_bfloat16_copy_is_served_in_float32(model_dir, torch_pred, tmp_path):
    # A folder saved after from_pretrained(dtype=torch.bfloat16): its export is float32,
    # which ONNX Runtime runs (a bfloat16 graph failed to load: no bfloat16 Add kernel).
    import torch

    from geostance.model.modeling import GeoStanceModel

    GeoStanceModel.from_pretrained(model_dir, dtype=torch.bfloat16).save_pretrained(
        tmp_path / "bf16")
    pred = Predictor.load(tmp_path / "bf16", backend="onnx")
    texts, titles, prevs = _columns(ITEMS)
    got, want = pred.score(texts, titles, prevs), torch_pred.score(texts, titles, prevs)
    for head in (0, 1):  # bfloat16 weights: about 3 significant digits
        assert np.allclose(got[head], want[head], atol=INT8_PROB_TOL)


def test_export_leaves_the_callers_model_in_its_dtype(model_dir, tmp_path):
    # The export converts a bfloat16 model to float32 on a copy: it converted the caller's
    # model in place (the benchmark passes a live Predictor's model).
    import torch

    from geostance.model.modeling import GeoStanceModel
    from geostance.model.onnx import _export

    model = GeoStanceModel.from_pretrained(model_dir, dtype=torch.bfloat16).train()
    _export(model, tmp_path / "model.onnx")
    assert (tmp_path / "model.onnx").is_file()
    assert {p.dtype for p in model.parameters()} == {torch.bfloat16}
    model = GeoStanceModel.from_pretrained(model_dir).train()  # float32: no copy made
    _export(model, tmp_path / "model32.onnx")
    assert model.training  # its mode back as it was


@needs_onnx
def test_onnx_float32_matches_torch(model_dir, torch_pred):
    onnx_pred = Predictor.load(model_dir, backend="onnx")
    assert onnx_pred.backend == "onnx"
    texts, titles, prevs = _columns(ITEMS)
    kt, st, wt = torch_pred.score(texts, titles, prevs)
    ko, so, wo = onnx_pred.score(texts, titles, prevs)
    assert wt.tolist() == wo.tolist() and wt[2] > 1 and set(wt[[0, 1, 3, 4, 5]]) == {1}
    assert np.abs(kt - ko).max() <= FLOAT32_TOL
    assert np.abs(st - so).max() <= FLOAT32_TOL
    labels = [(r["kind"], r["stance"]) for r in torch_pred.predict_sentences(ITEMS)]
    assert [(r["kind"], r["stance"]) for r in onnx_pred.predict_sentences(ITEMS)] == labels


@needs_onnx
def test_onnx_int8_keeps_the_decisions(model_dir, torch_pred):
    items = _corpus_items() + ITEMS[:3]
    assert len(items) >= 30
    int8 = Predictor.load(model_dir, backend="onnx", quantize="int8")
    assert int8.model_info["quantized"] == "int8"
    assert int8.cache_key() != Predictor.load(model_dir, backend="onnx").cache_key()
    texts, titles, prevs = _columns(items)
    kt, st, _ = torch_pred.score(texts, titles, prevs)
    kq, sq, _ = int8.score(texts, titles, prevs)
    for ref, got in ((kt, kq), (st, sq)):
        agree = float((ref.argmax(1) == got.argmax(1)).mean())
        assert agree >= INT8_AGREEMENT, agree
        assert np.abs(ref - got).max() <= INT8_PROB_TOL


def test_bf16_keeps_the_decisions(model_dir, torch_pred):
    items = _corpus_items() + ITEMS[:3]
    bf16 = Predictor.load(model_dir, backend="auto", quantize="bf16")
    assert bf16.backend == "torch" and bf16.model_info["quantized"] == "bf16"
    assert bf16.cache_key() != torch_pred.cache_key()
    texts, titles, prevs = _columns(items)
    kt, st, _ = torch_pred.score(texts, titles, prevs)
    kb, sb, _ = bf16.score(texts, titles, prevs)
    for ref, got in ((kt, kb), (st, sb)):
        assert float((ref.argmax(1) == got.argmax(1)).mean()) >= INT8_AGREEMENT
        assert np.abs(ref - got).max() <= INT8_PROB_TOL
        assert np.abs(ref - got).max() > 0  # bfloat16 did run: float32 gives 0 here


def test_bf16_is_refused_on_the_onnx_backend(model_dir):
    with pytest.raises(ValueError, match="bf16 runs on the torch backend"):
        Predictor.load(model_dir, backend="onnx", quantize="bf16")


# ------------------------------------------------------------------ batching


def test_windows_and_plain_encoding_agree_on_short_sentences(torch_pred):
    short = [i for i in ITEMS if (i if isinstance(i, str) else i["text"]) != LONG]
    texts, titles, prevs = _columns(short)
    kind_p, stance_p, windows = torch_pred.score(texts, titles, prevs)
    assert set(windows.tolist()) == {1}
    model = torch_pred.model
    feats = encode(torch_pred.tokenizer, texts, titles, prevs, model.config)
    k, s = predict_logits(torch_runner(model), feats, len(torch_pred.kinds),
                          len(torch_pred.stances), torch_pred.tokenizer.pad_token_id)
    assert np.abs(softmax(k, model.config.kind_temperature) - kind_p).max() <= SAME_ENGINE_TOL
    assert np.abs(softmax(s, model.config.stance_temperature) - stance_p).max() \
        <= SAME_ENGINE_TOL


@pytest.mark.parametrize("max_tokens, batch_size", [(16, 1), (64, 2), (200, 3), (100_000, 256)])
def test_batch_size_and_order_do_not_change_outputs(torch_pred, model_dir, max_tokens,
                                                    batch_size):
    texts, titles, prevs = _columns(ITEMS)
    ref = torch_pred.score(texts, titles, prevs)
    p = Predictor(torch_pred.model, torch_pred.tokenizer, model_dir=model_dir,
                  max_tokens=max_tokens, batch_size=batch_size)
    order = [4, 2, 0, 5, 1, 3]
    got = p.score([texts[i] for i in order], [titles[i] for i in order],
                  [prevs[i] for i in order])
    for r, g in zip(ref, got, strict=True):
        assert np.abs(r[order] - g).max() <= SAME_ENGINE_TOL
    # One sentence at a time, the long one included.
    for i in range(len(texts)):
        alone = p.score([texts[i]], [titles[i]], [prevs[i]])
        assert np.abs(alone[0][0] - ref[0][i]).max() <= SAME_ENGINE_TOL
        assert np.abs(alone[1][0] - ref[1][i]).max() <= SAME_ENGINE_TOL
        assert alone[2][0] == ref[2][i]


def _close(a, b, path: str = "") -> list[str]:
    """Differences between two records: floats within SAME_ENGINE_TOL, the rest equal."""
    if isinstance(a, float) or isinstance(b, float):
        return [] if abs(a - b) <= SAME_ENGINE_TOL else [f"{path}: {a} != {b}"]
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return [f"{path}: keys {list(a)} != {list(b)}"]
        return [d for k in a for d in _close(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} != {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in _close(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def _mixed_inputs(tmp_path: Path) -> Path:
    """Articles of mixed lengths, an empty file and a table with a bad row."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a_short.txt").write_text("NATO grows.\n", encoding="utf-8")
    (inputs / "b_long.txt").write_text(
        "Armenia edges towards NATO\n\n" + " ".join(
            f"Sentence {i} says that Moscow and the alliance disagree about the region."
            for i in range(12)) + "\n\n" + LONG + "\n\nWhy now?\n", encoding="utf-8")
    (inputs / "c_empty.txt").write_bytes(b"")
    (inputs / "d_table.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": "t1", "text": "Moscow warns. Baku answers.", "title": "Tensions"},
        {"id": "t2", "text": ""},
        {"id": "t3", "text": LONG + " Then it ended."},
    ]) + "\n", encoding="utf-8")
    (inputs / "e_medium.md").write_text("# Trade\n\nExports rose. Imports fell sharply in May.\n",
                                         encoding="utf-8")
    return inputs


def _predict_records(inputs: Path, model: Path, out: Path, *opts: str) -> list[dict]:
    rc = predict.main([str(inputs), "--model", str(model), "--out", str(out),
                       "--no-progress", *opts])
    assert rc == 1  # the empty file and the empty row fail, the rest is scored
    return [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]


def test_predict_py_output_does_not_depend_on_windowing(tiny_run, tmp_path, capsys):
    """The mixed inputs scored in tiny windows and batches vs all at once: same records,
    same order."""
    inputs = _mixed_inputs(tmp_path)
    runs = {
        # 512 is the smallest budget predict.py accepts; with 2 rows a batch it is moot.
        "small": ["--max-tokens", "512", "--batch-size", "2", "--window", "3",
                  "--chunk-size", "1"],
        "large": ["--max-tokens", "100000", "--batch-size", "1000", "--window", "100000",
                  "--chunk-size", "1000"],
    }
    recs = {}
    for name, opts in runs.items():
        recs[name] = _predict_records(inputs, tiny_run, tmp_path / f"{name}.jsonl",
                                      "--backend", "torch", *opts)
    capsys.readouterr()
    small, large = recs["small"], recs["large"]
    assert [(r["input"], r["error"] is None) for r in small] == \
        [(r["input"], r["error"] is None) for r in large]
    assert sum(r["error"] is not None for r in small) == 2
    assert any(s["windows"] > 1 for r in small for s in r["sentences"])
    diffs = _close(small, large)
    assert not diffs, "\n".join(diffs[:20])


@needs_onnx
def test_onnx_scores_a_batch_per_thread_with_its_own_budget(model_dir):
    from geostance.predict.predictor import MAX_TOKENS, available_cpus

    default = Predictor.load(model_dir, backend="onnx")
    assert default.workers == available_cpus() and default.max_tokens == MAX_TOKENS["onnx"]
    assert Predictor.load(model_dir, backend="onnx", threads=3).workers == 3
    assert Predictor.load(model_dir, backend="onnx", max_tokens=4096).max_tokens == 4096
    torch_default = Predictor.load(model_dir, backend="torch")
    assert torch_default.workers == 1 and torch_default.max_tokens == MAX_TOKENS["torch"]


@needs_onnx
def test_onnx_output_does_not_depend_on_the_number_of_threads(model_dir):
    items = _corpus_items() + ITEMS
    texts, titles, prevs = _columns(items)
    one = Predictor.load(model_dir, backend="onnx", threads=1)
    ref = one.score(texts, titles, prevs)
    for threads, max_tokens in ((2, 512), (3, 512), (4, 2048)):
        got = Predictor.load(model_dir, backend="onnx", threads=threads,
                             max_tokens=max_tokens).score(texts, titles, prevs)
        assert np.array_equal(ref[2], got[2])
        for r, g in zip(ref[:2], got[:2], strict=True):
            assert np.abs(r - g).max() <= SAME_ENGINE_TOL


@needs_onnx
def test_predict_py_onnx_output_does_not_depend_on_threads(tiny_run, tmp_path, capsys):
    """predict.py on the mixed inputs with ONNX Runtime: one batch at a time vs three at
    once in small windows, both against torch: same records, same order."""
    inputs = _mixed_inputs(tmp_path)
    one = _predict_records(inputs, tiny_run, tmp_path / "one.jsonl", "--backend", "onnx",
                           "--threads", "1")
    three = _predict_records(inputs, tiny_run, tmp_path / "three.jsonl", "--backend", "onnx",
                             "--threads", "3", "--window", "3", "--chunk-size", "1")
    ref = _predict_records(inputs, tiny_run, tmp_path / "torch.jsonl", "--backend", "torch")
    capsys.readouterr()
    diffs = _close(one, three)
    assert not diffs, "\n".join(diffs[:20])
    assert [r["input"] for r in one] == [r["input"] for r in ref]
    for a, b in zip(one, ref, strict=True):
        assert [s["stance"] for s in a.get("sentences") or []] == \
            [s["stance"] for s in b.get("sentences") or []]


@needs_onnx
def test_ort_variants_refuses_openvino_it_cannot_import_before_any_work(tmp_path):
    # reports/ort_variants.py --openvino without OpenVINO exported and rewrote the graphs
    # first, then died with a ModuleNotFoundError traceback.
    import importlib.util
    import subprocess
    import sys

    if importlib.util.find_spec("openvino") is not None:
        pytest.skip("OpenVINO is installed here")
    root = Path(__file__).resolve().parents[2]
    p = subprocess.run([sys.executable, str(root / "reports" / "ort_variants.py"),
                        str(tmp_path / "no-run"), "--openvino"],
                       capture_output=True, text=True)
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
    assert "--openvino: OpenVINO is not installed (pip install openvino)" in p.stderr
