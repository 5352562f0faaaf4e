"""The real train.py entry point: files it writes, learning, resume, two processes."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import train
from geostance.fileio import write_jsonl_atomic as write_jsonl

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"

REQUIRED_METRICS = ["test.stance.macro_f1", "test.kind.macro_f1", "dev.stance.macro_f1",
                    "baseline.test.stance.macro_f1", "train_seconds",
                    "test.stance.calibration.ece_before", "test.stance.calibration.ece_after",
                    "test.stance.per_language", "dev.kind.confusion.matrix",
                    "test.kind.per_class.claim.f1"]


def get(d: dict, path: str):
    for part in path.split("."):
        d = d[part]
    return d


def test_train_py_writes_a_complete_run(tiny_run: Path):
    run = tiny_run.resolve()
    assert tiny_run.is_symlink() and (run / "COMPLETED").is_file()
    # A finished run's checkpoints (only --train.resume reads them) are deleted.
    assert not (run / "checkpoints").exists()
    for f in ("config.yaml", "train_log.jsonl", "metrics.json"):
        assert (run / f).is_file(), f
    metrics = json.loads((run / "metrics.json").read_text())
    for key in REQUIRED_METRICS:
        assert get(metrics, key) is not None, key
    if (SHARED / "seed").is_dir():
        assert 0.0 <= metrics["seed_article"]["stance_accuracy"] <= 1.0
        assert metrics["seed_article"]["n"] == 24
    if (SHARED / "realnews_dev").is_dir():
        assert metrics["realnews_dev"]["n"] == 254
        assert 0.0 <= metrics["realnews_dev"]["stance"]["macro_f1"] <= 1.0
        # Its texts' sampled sentences chained as articles, on the same gold rows.
        article = metrics["realnews_dev"]["stance_article"]
        assert article["n"] == metrics["realnews_dev"]["stance"]["n"] == 252
        assert article["stance_stay"] > 0 and 0.0 <= article["macro_f1"] <= 1.0
    model = run / "model"
    for f in ("model.safetensors", "config.json", "tokenizer.json", "training_config.yaml",
              "data_sha256.json", "README.md"):
        assert (model / f).is_file(), f
    config = json.loads((model / "config.json").read_text())
    assert config["kind_labels"] == ["claim", "heading", "boilerplate", "other"]
    assert config["stance_labels"] == ["pro_nato", "moscow_warning", "neutral_balancing"]
    assert config["stance_temperature"] > 0
    hashes = json.loads((model / "data_sha256.json").read_text())
    assert sorted(Path(k).name for k in hashes) == ["articles.jsonl", "sentences.jsonl"]
    log = [json.loads(x) for x in (run / "train_log.jsonl").read_text().splitlines()]
    assert any("eval_stance_macro_f1" in e for e in log)
    assert "test.stance.macro_f1" in (model / "README.md").read_text()
    # Per-sentence predictions for the sweeps' paired intervals, with the sentence ids
    # that pair runs of corpora that differ.
    arrays = json.loads((run / "eval_predictions.json").read_text())
    for split, a in arrays.items():
        n = len(a["stance_gold"])
        assert len(a["stance_pred"]) == len(a["stance_id"]) == n > 0, split
        assert len(set(a["stance_id"])) == n and "" not in a["stance_id"], split


def test_saved_model_loads_without_the_base(tiny_run: Path, tmp_path: Path):
    from geostance import Predictor

    moved = tmp_path / "model"
    shutil.copytree(tiny_run / "model", moved)
    p = Predictor.load(moved)
    out = p.predict_sentences([{"text": "Moscow warns Baku.", "title": "T"}])
    assert set(out[0]["stance_probs"]) == {"pro_nato", "moscow_warning", "neutral_balancing"}
    assert abs(sum(out[0]["kind_probs"].values()) - 1) < 1e-4


def test_a_model_trained_with_the_speaker_reads_it(tmp_path, tiny_train_args, geostance_home):
    from transformers import pipeline

    from geostance import Predictor

    assert train.main(tiny_train_args(tmp_path, "--model.speaker", "true",
                                      "--model.context", "prev")) == 0
    model = tmp_path / "latest" / "model"
    assert json.loads((model / "config.json").read_text())["speaker"] is True
    p = Predictor.load(tmp_path / "latest", backend="torch")
    assert p.uses_speaker
    sent = {"text": "NATO must not grow further.", "context_prev": "The talks ended."}
    said = p.predict_sentences([{**sent, "speaker": "Sergej Lavrov"}])[0]
    # Unrounded: the tiny model is near uniform, but the speaker changes its input.
    with_speaker = p.score([sent["text"]], [""], [sent["context_prev"]],
                           speakers=["Sergej Lavrov"])[1]
    without = p.score([sent["text"]], [""], [sent["context_prev"]], speakers=[""])[1]
    assert not np.array_equal(with_speaker, without)
    # Article mode feeds the speaker the sources rules find; the pipeline reads "speaker".
    art = p.predict_articles(["Talks\nSergej Lavrov said NATO must not grow further."])[0]
    assert art["sentences"][1]["source"] == "Sergej Lavrov"
    pipe = pipeline("geostance", model=str(model), trust_remote_code=True)
    got = pipe([{**sent, "speaker": "Sergej Lavrov"}])[0]
    for lab, prob in got["stance_probs"].items():
        assert prob == pytest.approx(said["stance_probs"][lab], abs=1e-5)


def test_bf16_training_changes_only_the_precision(tmp_path, tiny_run, tiny_train_args,
                                                  geostance_home):
    from safetensors.numpy import load_file

    def weights(run: Path) -> dict[str, np.ndarray]:
        return load_file(run / "model" / "model.safetensors")

    ref = weights(tiny_run)
    # The same float32 run again gives the same weights, so a difference is bf16's.
    assert train.main(tiny_train_args(tmp_path / "f32")) == 0
    again = weights(tmp_path / "f32" / "latest")
    assert all(np.array_equal(ref[k], again[k]) for k in ref)
    assert train.main(tiny_train_args(tmp_path / "bf16", "--train.bf16", "true")) == 0
    mixed = weights(tmp_path / "bf16" / "latest")
    assert set(mixed) == set(ref)
    assert all(v.dtype == ref[k].dtype for k, v in mixed.items())  # saved in float32
    assert not all(np.array_equal(ref[k], mixed[k]) for k in ref)


def synthetic_rows(n: int, seed: int) -> list[dict]:
    """A clearly learnable task: stance by one cue word, kind by shape."""
    rng = random.Random(seed)
    filler = ("the region government week report officials capital border summit talks "
              "minister press country policy council city").split()
    cues = {"pro_nato": "alliance", "moscow_warning": "threat", "neutral_balancing": "trade"}
    rows = []
    for i in range(n):
        stance = rng.choice(list(cues))
        words = rng.sample(filler, 5)
        words.insert(rng.randrange(6), cues[stance])
        kind = rng.choice(["claim", "heading", "other", "boilerplate"])
        text = " ".join(words)
        if kind == "claim":
            text = text.capitalize() + f" number {i}."
        elif kind == "other":
            text = "Why " + text + f" {i}?"
        elif kind == "boilerplate":
            text, stance = f"READ MORE: {text} {i}", ""
        else:
            text = text.upper() + f" {i}"
        rows.append({"id": f"s{seed}-{i}", "text": text, "kind": kind, "stance": stance})
    return rows


def test_loop_really_learns(tmp_path, tiny_encoder, geostance_home):
    files = {s: write_jsonl(tmp_path / f"{s}.jsonl", synthetic_rows(n, k))
             for s, n, k in (("train", 320, 1), ("dev", 80, 2), ("test", 80, 3))}
    rc = train.main(["--model.base", str(tiny_encoder), "--data.train_files", str(files["train"]),
                     "--data.dev_files", str(files["dev"]), "--data.test_files",
                     str(files["test"]), "--data.realnews_dev", "none", "--data.seed_article",
                     "none", "--train.output_dir", str(tmp_path / "runs"), "--train.epochs", "8",
                     "--train.batch_size", "16", "--train.learning_rate", "2e-3",
                     "--train.head_learning_rate", "1e-2", "--model.context", "none",
                     "--model.freeze_embeddings", "false", "--model.freeze_layers", "0",
                     "--train.cache_frozen", "false",  # nothing frozen: nothing to cache
                     "--train.early_stopping_patience",
                     "0", "--train.baseline", "false"])
    assert rc == 0
    m = json.loads((tmp_path / "runs" / "latest" / "metrics.json").read_text())
    # chance is 1/3 for stance and 1/4 for kind
    assert m["dev"]["stance"]["accuracy"] >= 0.9, m["dev"]["stance"]
    assert m["dev"]["kind"]["accuracy"] >= 0.9, m["dev"]["kind"]


def _steps(run: Path) -> int:
    return json.loads((run / "metrics.json").read_text())["global_steps"]


def test_resume_after_kill_ends_with_same_steps(tmp_path, tiny_train_args, geostance_home):
    args = tiny_train_args(tmp_path / "runs",
                           "--train.max_steps", "30", "--train.eval_every", "steps",
                           "--train.eval_steps", "5", "--train.baseline", "false",
                           "--data.realnews_dev", "none", "--data.seed_article", "none")
    # An uninterrupted run, for reference.
    assert train.main([*args, "--train.name", "clean"]) == 0
    clean_steps = _steps(tmp_path / "runs" / "latest")
    latest_before = os.readlink(tmp_path / "runs" / "latest")
    # The same run, killed once its first checkpoint exists.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "train.py", *args, "--train.name", "killed"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        if list((tmp_path / "runs").glob("*-killed/checkpoints/checkpoint-5/trainer_state.json")):
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait()
    (killed,) = list((tmp_path / "runs").glob("*-killed"))
    if (killed / "COMPLETED").exists():
        pytest.skip("the run finished before it could be killed")
    assert os.readlink(tmp_path / "runs" / "latest") == latest_before  # latest untouched
    # A kill while a checkpoint is being saved leaves one without its trainer_state.json
    # (written last): planted here, as a busy machine sometimes makes it happen by itself.
    partial = killed / "checkpoints" / "checkpoint-25"
    partial.mkdir(exist_ok=True)
    (partial / "config.json").write_text("{}")
    assert train.main([*args, "--train.name", "killed", "--train.resume"]) == 0
    assert os.readlink(tmp_path / "runs" / "latest") == killed.name
    assert _steps(killed) == clean_steps == 30
    # The steps trained again after the checkpoint are logged once, not twice.
    logged = [json.loads(x)["step"] for x in
              (killed / "train_log.jsonl").read_text(encoding="utf-8").splitlines()]
    assert logged == sorted(logged)


@pytest.mark.slow
def test_torchrun_two_processes_write_one_model(tmp_path, tiny_train_args, geostance_home):
    torchrun = Path(sys.executable).with_name("torchrun")
    args = tiny_train_args(tmp_path / "runs",
                           "--train.baseline", "false")
    out = subprocess.run([str(torchrun), "--nproc_per_node", "2", "train.py", *args], cwd=ROOT,
                         capture_output=True, text=True, timeout=600,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr[-3000:]
    runs = [p for p in (tmp_path / "runs").iterdir() if p.name != "latest"]
    assert len(runs) == 1
    assert (runs[0] / "model" / "model.safetensors").is_file()
    assert json.loads((runs[0] / "metrics.json").read_text())["world_size"] == 2


def test_real_splits_report_article_mode_stance(tiny_train_args, repo_root, tmp_path):
    """With the real corpus in, realdev and realtest also carry the stance of article mode's
    coherence chain (whole documents), beside the sentence-mode report."""
    import train
    from geostance.config import STANCE_STAY

    out = tmp_path / "runs"
    assert train.main(tiny_train_args(out, "--data.corpora", "written,real",
                                      "--data.real_dir", str(repo_root / "data" / "real"),
                                      "--data.limit_train", "64")) == 0
    metrics = json.loads((out / "latest" / "metrics.json").read_text(encoding="utf-8"))
    for split in ("realdev", "realtest"):
        art, sent = metrics[split]["stance_article"], metrics[split]["stance"]
        assert art["stance_stay"] == STANCE_STAY and art["n"] == sent["n"] > 100
        assert 0.0 <= art["macro_f1"] <= 1.0


def test_the_fitted_stance_moves_are_saved(tiny_train_args, repo_root, tmp_path):
    """Training on real documents saves article mode's matrix of stance moves (counted in
    the train split's documents) next to the weights, and the model card names it."""
    import train
    from geostance.config import build_config, load_yaml
    from geostance.data import load_splits
    from geostance.evaluation.coherence import train_transitions
    from geostance.model.artifacts import TRANSITIONS_FILE, read_stance_transitions

    out = tmp_path / "runs"
    assert train.main(tiny_train_args(out, "--data.corpora", "real",
                                      "--data.real_dir", str(repo_root / "data" / "real"),
                                      "--data.limit_train", "300")) == 0
    run = out / "latest"
    saved = json.loads((run / "model" / TRANSITIONS_FILE).read_text(encoding="utf-8"))
    cfg = build_config(load_yaml(run / "config.yaml"))
    stances = list(cfg.data.stance_labels)
    want, pairs = train_transitions(load_splits(cfg.data)["train"], stances)
    assert want is not None and saved["pairs"] == pairs >= 30 and saved["stances"] == stances
    np.testing.assert_allclose(read_stance_transitions(run / "model", stances), want,
                               atol=1e-5)
    assert TRANSITIONS_FILE in (run / "model" / "README.md").read_text(encoding="utf-8")
