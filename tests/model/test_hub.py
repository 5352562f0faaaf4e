"""The saved model in the Hugging Face ecosystem: Auto classes and the pipeline through
remote code, the model card, hub ids from the offline cache, and the entry points'
``--version`` and ``--out -`` behaviour.

The remote-code tests run on a copy of the model folder, loaded in a subprocess where
geostance cannot be imported: the folder's ``modeling.py`` and ``pipeline.py`` must be
self-contained.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geostance import __version__

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "demo_article_en.txt"

SENTENCES = [
    "Moscow warns Baku of serious consequences.",
    {"text": "Finland joined NATO in 2023.", "title": "Nordic security",
     "context_prev": "The debate lasted decades."},
    "READ MORE: the full interview",
    {"text": "Armenia edges towards the alliance, the minister said on Tuesday.",
     "title": "Armenia and NATO"},
    "Why does it matter?",
    {"text": "Trade with both sides keeps growing.", "context_prev": "Exports rose."},
]

# Runs where geostance is not importable: the path holds only the copied model folder.
HUB_SCRIPT = r"""
import json, sys
try:
    import geostance  # noqa: F401
    sys.exit("geostance is importable: the test would not show self-containment")
except ImportError:
    pass
from transformers import AutoConfig, AutoModel, AutoTokenizer, pipeline

model_dir, sentences = sys.argv[1], json.loads(sys.argv[2])
cfg = AutoConfig.from_pretrained(model_dir, trust_remote_code=True)
model = AutoModel.from_pretrained(model_dir, trust_remote_code=True)
tok = AutoTokenizer.from_pretrained(model_dir, trust_remote_code=True)
pipe = pipeline("geostance", model=model_dir, trust_remote_code=True)
one_by_one = pipe(sentences)
batched = pipe(sentences, batch_size=4)  # padded batches: pool_mask padded with 0
empty = pipe([], batch_size=4)
# A saved copy is whole: it loads in the pipeline again and scores the same.
import os, tempfile, torch
saved = tempfile.mkdtemp()
pipe.save_pretrained(saved)
resaved = pipeline("geostance", model=saved, trust_remote_code=True)(sentences)
# Loaded in bfloat16 the standard way: encoder and heads in one dtype.
bf16 = pipeline("geostance", model=model_dir, trust_remote_code=True, dtype=torch.bfloat16)
refused = []
for bad in ([{"sentence": "x"}], [""], [{"text": None}], [{"text": "x", "title": 5}], [None],
            ["fine", "also fine", {"text": "x", "speaker": 1}], {"text": " "},
            ["\u200b\u2060"], {"text": "\u200f \ufeff"}):
    try:
        pipe(bad)
        refused.append("scored")
    except (TypeError, ValueError) as e:
        refused.append(str(e))
try:
    pipe(["x"], top_k=2)
    refused.append("scored")
except TypeError as e:
    refused.append(str(e))
print(json.dumps({
    "refused": refused,
    "saved_files": sorted(os.listdir(saved)), "resaved": resaved,
    "bf16_dtypes": sorted({str(p.dtype) for p in bf16.model.parameters()}),
    "bf16": bf16(sentences),
    "config_class": type(cfg).__name__, "model_class": type(model).__name__,
    "pipeline_class": type(pipe).__name__, "tokenizer_pad": tok.pad_token_id,
    "config": cfg.to_dict(), "out": one_by_one, "batched": batched, "empty": empty,
    "modules": sorted(m for m in sys.modules if m.startswith("geostance")),
}))
"""


@pytest.fixture(scope="module")
def hub_copy(tiny_run, tmp_path_factory) -> Path:
    """The trained model folder copied to a neutral place (no run folder, no export)."""
    d = tmp_path_factory.mktemp("hub") / "geostance-tiny"
    shutil.copytree(tiny_run / "model", d, ignore=shutil.ignore_patterns("onnx"))
    return d


@pytest.fixture(scope="module")
def remote(hub_copy, tmp_path_factory) -> dict:
    """What transformers alone makes of the folder (a subprocess without geostance)."""
    cwd = tmp_path_factory.mktemp("nogeostance")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_HOME=str(cwd / "hf"),
               PYTHONNOUSERSITE="1", TOKENIZERS_PARALLELISM="false")
    # -I: isolated mode, so neither the cwd nor PYTHONPATH nor the repo is on sys.path; the
    # venv's editable install of geostance is hidden by a site hook below.
    hide = cwd / "hide_geostance.py"
    hide.write_text(
        "import sys\n"
        "class _Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'geostance' or name.startswith('geostance.'):\n"
        "            raise ImportError('hidden by the test')\n"
        "sys.meta_path.insert(0, _Hide())\n", encoding="utf-8")
    code = f"exec(open({str(hide)!r}).read())\n" + HUB_SCRIPT
    p = subprocess.run([sys.executable, "-I", "-c", code, str(hub_copy), json.dumps(SENTENCES)],
                       capture_output=True, text=True, cwd=cwd, env=env, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def test_auto_classes_load_the_folder_without_geostance(remote):
    assert remote["modules"] == []
    assert remote["config_class"] == "GeoStanceConfig"
    assert remote["model_class"] == "GeoStanceModel"
    assert remote["pipeline_class"] == "GeoStancePipeline"
    assert remote["tokenizer_pad"] == 1


def test_config_label_maps_and_auto_map(remote, hub_copy):
    cfg = remote["config"]
    kinds, stances = cfg["kind_labels"], cfg["stance_labels"]
    assert kinds == ["claim", "heading", "boilerplate", "other"]
    assert stances == ["pro_nato", "moscow_warning", "neutral_balancing"]
    for head, labels in (("kind", kinds), ("stance", stances)):
        id2label = {int(k): v for k, v in cfg[f"{head}_id2label"].items()}
        assert id2label == dict(enumerate(labels))
        assert cfg[f"{head}_label2id"] == {v: i for i, v in enumerate(labels)}
    # Hugging Face's own single map describes the primary (stance) head.
    assert {int(k): v for k, v in cfg["id2label"].items()} == dict(enumerate(stances))
    assert cfg["auto_map"] == {"AutoConfig": "modeling.GeoStanceConfig",
                               "AutoModel": "modeling.GeoStanceModel"}
    assert cfg["custom_pipelines"]["geostance"]["impl"] == "pipeline.GeoStancePipeline"
    for f in ("modeling.py", "pipeline.py", "config.json", "model.safetensors",
              "tokenizer.json"):
        assert (hub_copy / f).is_file(), f


def test_a_saved_copy_is_whole_and_bfloat16_loads(remote, hub_copy):
    whole = {"modeling.py", "pipeline.py", "context.py", "config.json", "model.safetensors"}
    if (hub_copy / "stance_transitions.json").is_file():  # fitted where real documents are
        whole.add("stance_transitions.json")
    assert whole <= set(remote["saved_files"])
    for a, b in zip(remote["resaved"], remote["out"], strict=True):
        assert (a["kind"], a["stance"]) == (b["kind"], b["stance"])
        assert a["stance_probs"] == pytest.approx(b["stance_probs"], abs=1e-6)
    assert remote["bf16_dtypes"] == ["torch.bfloat16"]
    for a, b in zip(remote["bf16"], remote["out"], strict=True):
        # bfloat16 keeps about 3 significant digits: a loose bound, labels may flip
        # only where two classes are nearly tied (not on these sentences).
        assert a["stance_probs"] == pytest.approx(b["stance_probs"], abs=0.05)


def test_the_pipeline_refuses_inputs_it_cannot_score(remote):
    # An item of a list is named by its index.
    assert remote["refused"] == [
        "item 0: an input has no 'text' (its keys: sentence; read: text, title, "
        "context_prev, speaker)",
        "item 0: an input's 'text' is empty",
        "item 0: an input has no 'text' (its keys: text; read: text, title, context_prev, "
        "speaker)",
        "item 0: an input's 'title' must be a string, not int",
        "item 0: a geostance pipeline input is a string or a dict with 'text', not NoneType",
        "item 2: an input's 'speaker' must be a string, not int",
        "an input's 'text' is empty",
        # Nothing visible (zero-width characters, direction marks, a byte order mark) is
        # empty, as geostance.Predictor and predict.py read it; str.strip() kept them.
        "item 0: an input's 'text' is empty",
        "an input's 'text' is empty",
        "the geostance pipeline takes no option top_k"]


def test_the_pipeline_answers_no_inputs_with_no_outputs(remote):
    assert remote["empty"] == []


def test_config_label2id_mirrors_id2label(remote):
    cfg = remote["config"]
    assert cfg["label2id"] == {v: int(k) for k, v in cfg["id2label"].items()}


def test_pipeline_matches_the_predictor(remote, hub_copy):
    from geostance import Predictor

    want = Predictor.load(hub_copy, backend="torch").predict_sentences(SENTENCES)
    for got in (remote["out"], remote["batched"]):
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert set(g) >= {"kind", "kind_score", "stance", "stance_score", "kind_probs",
                              "stance_probs"}
            assert (g["kind"], g["stance"]) == (w["kind"], w["stance"])
            assert g["kind_score"] == pytest.approx(max(g["kind_probs"].values()))
            assert abs(sum(g["stance_probs"].values()) - 1) < 1e-5
            for head in ("kind_probs", "stance_probs"):
                assert g[head].keys() == w[head].keys()
                for lab, p in g[head].items():
                    # The predictor rounds to 6 decimals; 1e-5 leaves room for that.
                    assert p == pytest.approx(w[head][lab], abs=1e-5), (head, lab)


# ------------------------------------------------------------------ model card


def test_model_card_header_holds_the_run_metrics(tiny_run):
    from huggingface_hub import ModelCard

    card = ModelCard.load(tiny_run / "model" / "README.md")
    metrics = json.loads((tiny_run / "metrics.json").read_text(encoding="utf-8"))
    data = card.data
    assert data.library_name == "transformers" and data.license == "mit"
    assert data.base_model == "intfloat/multilingual-e5-small"
    assert "en" in data.language and "sv" in data.language
    assert data.model_name == f"geostance-{tiny_run.resolve().name}"
    # (metrics.json key, dataset name, split) for the sets the card reports.
    sets = {"realnews_dev": ("realnews_dev", "dev"), "realtest": ("geostance-real", "test"),
            "realdev": ("geostance-real", "dev"), "test": ("geostance-written", "test")}
    want = {(name, split, head): round(metrics[key][head]["macro_f1"], 4)
            for key, (name, split) in sets.items() if key in metrics
            for head in ("stance", "kind")}
    got = {(r.dataset_name, r.dataset_split, r.task_name.split()[0]): r.metric_value
           for r in data.eval_results}
    assert got == want
    assert ("geostance-written", "test", "stance") in got
    assert all(r.metric_type == "f1" and r.task_type == "text-classification"
               for r in data.eval_results)
    temps = (metrics["dev"]["kind"]["calibration"]["temperature"],
             metrics["dev"]["stance"]["calibration"]["temperature"])
    assert f"kind {temps[0]:.3f}, stance {temps[1]:.3f}" in card.text
    # What it was trained on, from its own settings (the tiny run: written corpus only).
    assert data.datasets == ["geostance-written"]
    assert "**Training data.** The written corpus (articles written for the project); see" \
        in card.text and "real corpus" not in card.text


def test_the_card_names_every_training_source():
    from geostance.config import build_config, load_yaml
    from geostance.train.card import training_data

    text = training_data(build_config(load_yaml(ROOT / "configs" / "default.yaml")))
    assert text.startswith("The real corpus (")
    assert "less the documents of the plans kremlin_ru_west, state_department_more" in text
    assert "the written corpus" in text
    assert "the contrast set `data/contrast/sentences.jsonl` (short items invented" in text


# ------------------------------------------------------------------ hub ids


def _fake_hub_cache(root: Path, repo: str, model_dir: Path) -> str:
    """The hub cache layout ``models--org--name/{blobs,refs/main,snapshots/<hash>}``."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    store = root / ("models--" + repo.replace("/", "--"))
    snap = store / "snapshots" / commit
    snap.mkdir(parents=True)
    (store / "blobs").mkdir()
    for f in model_dir.iterdir():
        if f.is_file():
            # As huggingface_hub stores them: the snapshot links to content-named blobs.
            blob = store / "blobs" / f"blob-{f.name}"
            shutil.copyfile(f, blob)
            (snap / f.name).symlink_to(os.path.relpath(blob, snap))
    (store / "refs").mkdir()
    (store / "refs" / "main").write_text(commit)
    return commit


def test_predictor_loads_a_hub_id_from_the_offline_cache(tiny_run, tmp_path, monkeypatch):
    import huggingface_hub.constants as hf_constants

    from geostance import Predictor
    from geostance.predict.predictor import ModelLoadError

    hf_home = tmp_path / "hf"
    cache = hf_home / "hub"
    commit = _fake_hub_cache(cache, "geostance-org/tiny", tiny_run / "model")
    monkeypatch.setenv("HF_HOME", str(hf_home))
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    # huggingface_hub reads these at import; the module is already imported here.
    monkeypatch.setattr(hf_constants, "HF_HUB_CACHE", str(cache))
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", True)
    p = Predictor.load("geostance-org/tiny", backend="torch")
    assert p.model_dir.name == commit and p.model_dir.parent.name == "snapshots"
    local = Predictor.load(tiny_run, backend="torch")
    # Same weights, config and tokenizer: same fingerprint and the same outputs.
    assert p.cache_key() == local.cache_key()
    assert p.predict_sentences(SENTENCES[:3]) == local.predict_sentences(SENTENCES[:3])
    with pytest.raises(ModelLoadError) as e:
        Predictor.load("geostance-org/missing", backend="torch")
    assert "hub could not provide it" in str(e.value) and "\n" not in str(e.value)
    # The record names the hub id, not the snapshot's commit.
    assert p.model_info["name"] == "geostance-org/tiny"
    # A folder's subfolder asked from the wrong place is not a hub id.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runs").mkdir()
    with pytest.raises(ModelLoadError, match=r"^runs/latest: no such model folder$"):
        Predictor.load("runs/latest", backend="torch")


# ------------------------------------------------------------------ entry points


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}


@pytest.mark.parametrize("script", ["predict.py", "train.py"])
def test_version(script):
    p = subprocess.run([sys.executable, str(ROOT / script), "--version"], capture_output=True,
                       text=True, env=_env(), timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == f"geostance {__version__}"


def test_stdout_to_head_gives_json_and_no_traceback(tiny_run, tmp_path):
    cmd = (f"{sys.executable} {ROOT / 'predict.py'} {DEMO} --model {tiny_run} --out - "
           "--no-progress --backend torch 2> err.txt | head -n 1")
    p = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, env=_env(),
                       cwd=tmp_path, timeout=300)
    assert p.returncode == 0
    rec = json.loads(p.stdout)
    assert rec["article_id"] == "demo_article_en" and rec["sentences"]
    assert "Traceback" not in (tmp_path / "err.txt").read_text()


def test_reader_closing_early_is_no_error(tiny_run, tmp_path):
    """Many windows written to a pipe whose reader leaves after the first line."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(30):
        shutil.copyfile(DEMO, inputs / f"a{i:02d}.txt")
    cmd = [sys.executable, str(ROOT / "predict.py"), str(inputs), "--model", str(tiny_run),
           "--out", "-", "--no-progress", "--backend", "torch", "--chunk-size", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
                            cwd=tmp_path)
    first = proc.stdout.readline()
    proc.stdout.close()  # like `head -n 1`: later writes meet a closed pipe
    err = proc.stderr.read().decode()
    proc.stderr.close()
    rc = proc.wait(timeout=300)
    assert json.loads(first)["article_id"] == "a00"
    assert rc == 0, err
    assert "scored" not in err  # it stopped at the closed pipe, quietly, before the end
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err


def test_save_pretrained_keeps_the_fitted_stance_moves(hub_copy, tmp_path):
    from geostance.model.modeling import GeoStanceModel

    src = tmp_path / "src"
    shutil.copytree(hub_copy, src)
    (src / "stance_transitions.json").write_text('{"moves": "as fitted"}\n', encoding="utf-8")
    GeoStanceModel.from_pretrained(src).save_pretrained(tmp_path / "copy")
    assert (tmp_path / "copy" / "stance_transitions.json").read_text(encoding="utf-8") == \
        '{"moves": "as fitted"}\n'
    assert (tmp_path / "copy" / "pipeline.py").is_file()


def test_a_copy_saved_through_geostance_keeps_its_modeling_module(hub_copy, tmp_path,
                                                                 monkeypatch):
    # A model loaded with geostance's own class (Predictor(...).model, say) in a process
    # that did not train it: transformers copies modeling.py only for classes registered
    # for the Auto classes, yet the saved config.json names it in auto_map.
    from geostance.model.modeling import GeoStanceConfig, GeoStanceModel

    monkeypatch.setattr(GeoStanceModel, "_auto_class", None)
    monkeypatch.setattr(GeoStanceConfig, "_auto_class", None)
    GeoStanceModel.from_pretrained(hub_copy).save_pretrained(tmp_path / "copy")
    assert json.loads((tmp_path / "copy" / "config.json").read_text())["auto_map"]
    assert (tmp_path / "copy" / "modeling.py").read_bytes() == \
        (hub_copy / "modeling.py").read_bytes()


def test_a_model_saved_alone_loads_as_the_original(hub_copy, tmp_path):
    # model.save_pretrained(DIR) without the tokenizer's own save: the copy still loads in
    # the Predictor (and so in the pipeline, which reads the same tokenizer files).
    from geostance import Predictor
    from geostance.model.modeling import GeoStanceModel

    GeoStanceModel.from_pretrained(hub_copy).save_pretrained(tmp_path / "copy")
    for name in ("tokenizer.json", "tokenizer_config.json"):
        assert (tmp_path / "copy" / name).read_bytes() == (hub_copy / name).read_bytes()
    got = Predictor.load(tmp_path / "copy", backend="torch").predict_sentences(["NATO."])
    want = Predictor.load(hub_copy, backend="torch").predict_sentences(["NATO."])
    assert got[0]["stance_probs"] == want[0]["stance_probs"]


def test_save_pretrained_of_a_hub_model_keeps_its_files(hub_copy, tmp_path, monkeypatch):
    import huggingface_hub.constants as hf_constants

    from geostance.model.modeling import GeoStanceModel

    src = tmp_path / "src"
    shutil.copytree(hub_copy, src)
    (src / "stance_transitions.json").write_text('{"moves": "as fitted"}\n', encoding="utf-8")
    cache = tmp_path / "hf" / "hub"
    _fake_hub_cache(cache, "geostance-org/tiny", src)
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(hf_constants, "HF_HUB_CACHE", str(cache))
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", True)
    GeoStanceModel.from_pretrained("geostance-org/tiny").save_pretrained(tmp_path / "copy")
    assert (tmp_path / "copy" / "stance_transitions.json").read_text(encoding="utf-8") == \
        '{"moves": "as fitted"}\n'
    assert (tmp_path / "copy" / "pipeline.py").is_file()
