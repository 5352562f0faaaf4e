"""Reading a saved model without torch: the same token ids, settings errors, a torch-free load."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from geostance.model.artifacts import (
    TRANSITIONS_FILE,
    ModelSpec,
    load_tokenizer,
    read_stance_transitions,
    write_stance_transitions,
)

ROOT = Path(__file__).resolve().parents[2]


def _corpus_texts(corpus: Path, n: int = 200) -> list[str]:
    rows = [json.loads(x) for x in (corpus / "sentences.jsonl").read_text(
        encoding="utf-8").splitlines()[:n]]
    return [r["text"] for r in rows]


def test_fast_tokenizer_gives_transformers_ids(tiny_run, fixture_corpus):
    from transformers import PreTrainedTokenizerFast

    model_dir = tiny_run / "model"
    ours, theirs = load_tokenizer(model_dir), PreTrainedTokenizerFast.from_pretrained(model_dir)
    texts = _corpus_texts(fixture_corpus)
    texts.append("NATO " * 300)  # longer than any max_length below: truncation must match
    pairs = [texts[i - 1] if i % 3 else "" for i in range(len(texts))]
    for kw in ({"truncation": True, "max_length": 64}, {}):
        assert ours(texts, **kw)["input_ids"] == theirs(texts, **kw)["input_ids"], kw
    for max_length in (16, 64):
        a = ours(texts, pairs, truncation="longest_first", max_length=max_length)
        b = theirs(texts, pairs, truncation="longest_first", max_length=max_length)
        assert a["input_ids"] == b["input_ids"] and a["attention_mask"] == b["attention_mask"]
    assert ours(texts, add_special_tokens=False)["input_ids"] == \
        theirs(texts, add_special_tokens=False)["input_ids"]
    for name in ("pad", "cls", "sep", "bos", "eos", "unk"):
        assert getattr(ours, f"{name}_token_id") == getattr(theirs, f"{name}_token_id"), name


@pytest.mark.parametrize("edit, message", [
    (lambda c: c.pop("stance_labels"), "field stance_labels missing"),
    (lambda c: c.update(kind_temperature=0), "kind_temperature: must be a finite number > 0"),
    (lambda c: c.update(kind_labels=["only"]), "need two labels"),
    (lambda c: c.update(max_seq_length="long"), "bad value"),
    # A hand-edited file: a string of labels was read letter by letter ("abc" -> a, b, c),
    # "false" as a true speaker flag, an unknown context as no context, NaN as a temperature.
    (lambda c: c.update(stance_labels="abc"), "stance_labels: must be a list of distinct"),
    (lambda c: c.update(kind_labels=["claim", "claim"]), "kind_labels: must be a list of"),
    (lambda c: c.update(stance_labels=["pro_nato", 3]), "stance_labels: must be a list of"),
    (lambda c: c.update(speaker="false"), "speaker: must be true or false"),
    (lambda c: c.update(context="previous"), "context: 'previous' not in"),
    (lambda c: c.update(stance_temperature=float("nan")),
     "stance_temperature: must be a finite number > 0, got nan"),
])
def test_model_spec_names_the_problem(tiny_run, tmp_path, edit, message):
    cfg = json.loads((tiny_run / "model" / "config.json").read_text(encoding="utf-8"))
    edit(cfg)
    (tmp_path / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ValueError, match=message) as e:
        ModelSpec.from_dir(tmp_path)
    assert str(tmp_path / "config.json") in str(e.value)


def test_cached_onnx_model_is_served_without_torch(tiny_run, tmp_path):
    pytest.importorskip("onnxruntime")
    model = tmp_path / "model"
    shutil.copytree(tiny_run / "model", model, ignore=shutil.ignore_patterns("onnx"))
    code = ("import sys; from geostance import Predictor; "
            "p = Predictor.load(sys.argv[1], backend='onnx'); "
            "r = p.predict_sentences(['NATO grows.', 'Moscow warns.']); "
            "print(p.backend, 'torch' in sys.modules, 'transformers' in sys.modules, "
            "[x['stance'] for x in r])")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    first = subprocess.run([sys.executable, "-c", code, str(model)], capture_output=True,
                           text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr[-2000:]
    assert first.stdout.startswith("onnx True")  # the first load exports, with torch
    second = subprocess.run([sys.executable, "-c", code, str(model)], capture_output=True,
                            text=True, env=env, timeout=300)
    assert second.returncode == 0, second.stderr[-2000:]
    assert second.stdout.startswith("onnx False False"), second.stdout
    assert first.stdout.split(" ", 3)[3] == second.stdout.split(" ", 3)[3]  # same labels


STANCES = ["pro_nato", "moscow_warning", "neutral_balancing"]
MOVES = np.array([[0.70, 0.03, 0.27], [0.03, 0.75, 0.22], [0.11, 0.10, 0.79]])


def test_stance_transitions_round_trip_in_the_models_label_order(tmp_path):
    assert read_stance_transitions(tmp_path, STANCES) is None  # older folders have none
    write_stance_transitions(tmp_path, MOVES, STANCES, 120, "test")
    saved = json.loads((tmp_path / TRANSITIONS_FILE).read_text(encoding="utf-8"))
    assert saved["pairs"] == 120 and saved["stances"] == STANCES
    np.testing.assert_allclose(read_stance_transitions(tmp_path, STANCES), MOVES)
    # Asked in another label order: rows and columns follow it.
    order = [2, 0, 1]
    np.testing.assert_allclose(read_stance_transitions(tmp_path, [STANCES[i] for i in order]),
                               MOVES[np.ix_(order, order)])


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "not readable JSON"),
    ('{"stances": ["pro_nato"]}', "fields stances and transitions"),
    ('{"stances": ["a", "b", "c"], "transitions": [[1]]}', "field stances"),
    ('{"stances": ["pro_nato", "moscow_warning", "neutral_balancing"], '
     '"transitions": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}', "field transitions must be 3 x 3"),
    ('{"stances": ["pro_nato", "moscow_warning", "neutral_balancing"], '
     '"transitions": [["x"]]}', "field transitions is not a matrix"),
])
def test_a_damaged_transitions_file_is_named(tmp_path, content, message):
    (tmp_path / TRANSITIONS_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as e:
        read_stance_transitions(tmp_path, STANCES)
    assert TRANSITIONS_FILE in str(e.value)


def test_predict_py_names_a_damaged_transitions_file(tiny_run, tmp_path):
    import predict

    model = tmp_path / "model"
    shutil.copytree(tiny_run / "model", model)
    (model / TRANSITIONS_FILE).write_text('{"stances": [], "transitions": []}', encoding="utf-8")
    src = tmp_path / "a.txt"
    src.write_text("Moskva varnar. Nato svarar.", encoding="utf-8")
    dest = tmp_path / "out.jsonl"
    assert predict.main([str(src), "--model", str(model), "--out", str(dest)]) != 0
    assert not dest.exists()
    # Only article mode's default chain reads it.
    assert predict.main([str(src), "--model", str(model), "--out", str(dest),
                         "--stance-chain", "uniform"]) == 0


def test_context_chars_shortens_the_context_segment_in_every_reader(tiny_run, tmp_path):
    # The model's context_chars reaches training's and prediction's encode (through the
    # saved config.json and ModelSpec) and the pipeline's (the same context_text).
    from dataclasses import replace

    from geostance.model.context import context_text
    from geostance.model.encoding import encode

    prev = "The previous sentence is long enough to be cut somewhere in its middle."
    assert context_text("prev", "", prev, None, 20) == prev[:20]
    assert context_text("title_prev", "T", prev, "X", 20) == f"X | T | {prev[:20]}"
    assert context_text("prev", "", prev) == prev  # 300 characters by default
    cfg = json.loads((tiny_run / "model" / "config.json").read_text(encoding="utf-8"))
    assert cfg["context_chars"] == 300
    d = tmp_path / "m"
    shutil.copytree(tiny_run / "model", d, ignore=shutil.ignore_patterns("onnx"))
    (d / "config.json").write_text(json.dumps({**cfg, "context_chars": 20}), encoding="utf-8")
    spec = ModelSpec.from_dir(d)
    assert spec.context_chars == 20
    tok = load_tokenizer(d)
    full = encode(tok, ["NATO grows."], [""], [prev], replace(spec, context_chars=300))
    cut = encode(tok, ["NATO grows."], [""], [prev], spec)
    assert len(cut["input_ids"][0]) < len(full["input_ids"][0])


@pytest.mark.parametrize("edit, message", [
    # Read as something else before: a null prefix as the text "None", a length or a
    # context size that is no positive whole number cut to one ("1.9" -> 1) or kept
    # negative (a negative count of context characters).
    ({"text_prefix": None}, "text_prefix: must be a string, got None"),
    ({"max_seq_length": 0}, "max_seq_length: must be a whole number >= 1, got 0"),
    ({"max_seq_length": 1.9}, "max_seq_length: must be a whole number >= 1, got 1.9"),
    ({"max_seq_length": True}, "max_seq_length: must be a whole number >= 1, got True"),
    ({"context_chars": -5}, "context_chars: must be a whole number >= 1, got -5"),
])
def test_model_spec_refuses_a_field_it_would_misread(tmp_path, edit, message):
    cfg = {"kind_labels": ["claim", "other"], "stance_labels": ["pro_nato", "neutral"],
           "text_prefix": "passage: ", "max_seq_length": 128, "context_chars": 300, **edit}
    (tmp_path / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ValueError, match=message) as e:
        ModelSpec.from_dir(tmp_path)
    assert str(tmp_path / "config.json") in str(e.value)


def test_model_spec_reads_a_sound_config(tmp_path):
    cfg = {"kind_labels": ["claim", "other"], "stance_labels": ["pro_nato", "neutral"],
           "text_prefix": "", "max_seq_length": 64, "context_chars": 1}
    (tmp_path / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    spec = ModelSpec.from_dir(tmp_path)
    assert (spec.text_prefix, spec.max_seq_length, spec.context_chars) == ("", 64, 1)


@pytest.mark.parametrize("edit, message", [
    # true was read as a temperature of 1.0; Infinity was refused as "must be positive".
    ({"kind_temperature": True}, r"kind_temperature: must be a finite number > 0, got True"),
    ({"stance_temperature": float("inf")},
     r"stance_temperature: must be a finite number > 0, got inf"),
    ({"kind_temperature": 0}, r"kind_temperature: must be a finite number > 0, got 0"),
])
def test_model_spec_names_the_bad_temperature(tmp_path, edit, message):
    cfg = {"kind_labels": ["claim", "other"], "stance_labels": ["pro_nato", "neutral"], **edit}
    (tmp_path / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        ModelSpec.from_dir(tmp_path)
