"""Training pieces on hand-checkable examples: class weights, optimizer parameter groups,
the weighted and smoothed cross-entropy."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import geostance.train.trainer as trainer_module
from geostance.config import Config, ConfigError, ModelConfig, TrainConfig
from geostance.data import Labels
from geostance.model.modeling import GeoStanceModel
from geostance.model.modeling import weighted_cross_entropy as wce
from geostance.train.trainer import (
    class_weights,
    drop_speakers,
    head_class_weights,
    parameter_groups,
    resolve_bf16,
)

KINDS = ["claim", "heading", "boilerplate", "other"]
STANCES = ["pro_nato", "moscow_warning", "neutral_balancing"]


# ------------------------------------------------------------------ class weights


def test_balanced_class_weights_are_inverse_to_frequency():
    labels = [0] * 60 + [1] * 30 + [2] * 10 + [-1] * 7  # -1: no stance, not counted
    w = np.array(class_weights(labels, 3, "balanced"))
    counts = np.array([60, 30, 10])
    assert np.allclose(w * counts, (w * counts)[0])  # weight x frequency is constant
    assert w.mean() == pytest.approx(1.0)  # normalised to mean 1 over present classes
    sqrt = np.array(class_weights(labels, 3, "sqrt"))
    assert np.allclose(sqrt ** 2 * counts, (sqrt ** 2 * counts)[0])
    assert sqrt.mean() == pytest.approx(1.0)
    assert w[2] / w[0] == pytest.approx(6.0) and sqrt[2] / sqrt[0] == pytest.approx(6 ** 0.5)
    assert class_weights(labels, 3, "none") == [1.0, 1.0, 1.0]


def test_class_weights_with_an_absent_class():
    w = class_weights([0, 0, 0, 1], 3, "balanced")
    # Present classes average to 1; the absent class gets a finite (unused) weight.
    assert (w[0] + w[1]) / 2 == pytest.approx(1.0)
    assert w[1] / w[0] == pytest.approx(3.0)
    assert all(math.isfinite(x) for x in w)
    assert class_weights([-1, -1], 2, "balanced") == [1.0, 1.0]


def test_stance_head_can_have_its_own_class_weighting():
    labels = Labels(KINDS, STANCES)
    kinds = [0] * 90 + [1] * 8 + [2] * 2
    stances = [0] * 60 + [1] * 30 + [2] * 10
    kind_w, stance_w = head_class_weights(kinds, stances, labels, TrainConfig())
    # "same" (the default): both heads follow class_weighting (sqrt).
    assert kind_w == class_weights(kinds, 4, "sqrt")
    assert stance_w == class_weights(stances, 3, "sqrt") and stance_w[2] > stance_w[0]
    kind_w, stance_w = head_class_weights(
        kinds, stances, labels, TrainConfig(stance_class_weighting="none"))
    assert kind_w == class_weights(kinds, 4, "sqrt") and stance_w == [1.0, 1.0, 1.0]
    with pytest.raises(ConfigError, match="stance_class_weighting"):
        TrainConfig(stance_class_weighting="inverse")


# ------------------------------------------------------------------ speaker dropout


def test_speaker_dropout_blanks_a_fixed_share_of_speakers():
    who = [f"speaker {i}" for i in range(2000)]
    assert drop_speakers(who, 0.0, 13) == who
    dropped = drop_speakers(who, 0.3, 13)
    blank = {i for i, w in enumerate(dropped) if w == ""}
    assert 0.27 < len(blank) / len(who) < 0.33
    assert all(dropped[i] == who[i] for i in range(len(who)) if i not in blank)
    assert drop_speakers(who, 0.3, 13) == dropped  # the same draw for the same seed
    assert drop_speakers(who, 0.3, 14) != dropped
    with pytest.raises(ConfigError, match="speaker_dropout"):
        TrainConfig(speaker_dropout=1.0)
    with pytest.raises(ConfigError, match="speaker_dropout: needs model.speaker"):
        Config(model=ModelConfig(speaker=False), train=TrainConfig(speaker_dropout=0.3))


# ------------------------------------------------------------------ parameter groups


@pytest.fixture(scope="module")
def model(tiny_encoder) -> GeoStanceModel:
    return GeoStanceModel.from_base(str(tiny_encoder), KINDS, STANCES)


def _lr_of(groups: list[dict]) -> dict[int, tuple[float, float]]:
    return {id(p): (g["lr"], g["weight_decay"]) for g in groups for p in g["params"]}


def test_parameter_groups_heads_layer_decay_and_no_decay(model):
    lr, head_lr, wd, decay = 1e-3, 1e-2, 0.01, 0.5
    groups = parameter_groups(model, lr, head_lr, wd, layer_decay=decay)
    got = _lr_of(groups)
    names = dict(model.named_parameters())
    assert set(got) == {id(p) for p in names.values()}  # nothing frozen: every parameter
    assert sum(len(g["params"]) for g in groups) == len(names)  # each exactly once
    n_layers = model.config.encoder["num_hidden_layers"]
    assert n_layers == 2
    for name, p in names.items():
        got_lr, got_wd = got[id(p)]
        if name.startswith(("kind_head", "stance_head")):
            assert got_lr == head_lr, name
            continue
        if ".layer.1." in name:
            want = lr  # the top layer keeps the base rate
        elif ".layer.0." in name:
            want = lr * decay
        else:
            assert "embeddings" in name, name
            want = lr * decay ** 2  # below the lowest layer
        assert got_lr == pytest.approx(want), name
        # Matrices decay; biases and LayerNorm weights do not.
        assert got_wd == (0.0 if p.ndim < 2 else wd), name
    # Highest learning rate first.
    assert [g["lr"] for g in groups] == sorted((g["lr"] for g in groups), reverse=True)


def test_parameter_groups_without_layer_decay_and_with_frozen_layers(tiny_encoder):
    m = GeoStanceModel.from_base(str(tiny_encoder), KINDS, STANCES)
    frozen = m.freeze_layers(1)
    assert frozen > 0
    groups = parameter_groups(m, 2e-4, 5e-3, 0.01)
    got = _lr_of(groups)
    names = dict(m.named_parameters())
    trainable = {id(p) for p in names.values() if p.requires_grad}
    assert set(got) == trainable  # frozen parameters are left out
    assert not any(id(p) in got for n, p in names.items()
                   if "embeddings" in n or ".layer.0." in n)
    assert sum(p.numel() for n, p in names.items() if not p.requires_grad) == frozen
    for name, p in names.items():
        if id(p) in got:
            assert got[id(p)][0] == (5e-3 if "_head" in name else 2e-4), name
    assert {g["lr"] for g in groups} == {5e-3, 2e-4}


# ------------------------------------------------------------------ loss


def test_weighted_smoothed_cross_entropy_by_hand():
    logits = torch.tensor([[2.0, 0.0, -1.0], [0.5, 1.5, 0.0], [0.0, 0.0, 3.0]])
    labels = torch.tensor([0, 2, -100])  # the third row has no label
    class_w = torch.tensor([1.0, 2.0, 0.5])
    sample_w = torch.tensor([1.0, 3.0, 10.0])
    eps = 0.1
    got = wce(logits, labels, class_w, sample_w, eps)

    logp = torch.log_softmax(logits, 1).numpy()
    k = logits.shape[1]
    total = weight = 0.0
    for i, (y, s) in enumerate(zip(labels.tolist(), sample_w.tolist(), strict=True)):
        if y == -100:
            continue
        # Smoothed target: 1 - eps + eps/k on the gold class, eps/k elsewhere.
        target = np.full(k, eps / k)
        target[y] += 1 - eps
        per = -(target * logp[i]).sum()
        w = class_w[y].item() * s
        total += w * per
        weight += w
    assert got.item() == pytest.approx(total / weight, rel=1e-6)


def testweighted_cross_entropy_reduces_to_torch_cross_entropy():
    torch.manual_seed(0)
    logits = torch.randn(5, 3)
    labels = torch.tensor([0, 1, 2, -100, 1])
    class_w = torch.tensor([0.5, 1.0, 2.0])
    want = torch.nn.functional.cross_entropy(logits, labels, weight=class_w, ignore_index=-100)
    assert wce(logits, labels, class_w, None).item() == pytest.approx(want.item())
    ones = torch.ones(5)
    assert wce(logits, labels, class_w, ones).item() == pytest.approx(want.item())
    # Doubling every sample weight changes nothing (a weighted mean).
    assert wce(logits, labels, class_w, 2 * ones).item() == pytest.approx(want.item())


def test_model_loss_adds_the_weighted_stance_loss(model):
    model.eval()  # no dropout: the logits are reproducible
    model.set_loss_weights([1.0, 2.0, 1.0, 1.0], [1.0, 1.0, 3.0], stance_loss_weight=0.5)
    model.label_smoothing = 0.1
    try:
        ids = torch.tensor([[0, 100, 200, 2], [0, 300, 2, 1]])
        att = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
        kind, stance = torch.tensor([1, 2]), torch.tensor([2, -100])
        sw = torch.tensor([1.0, 0.5])
        with torch.no_grad():
            out = model(input_ids=ids, attention_mask=att, kind_labels=kind,
                        stance_labels=stance, sample_weight=sw)
            want = (wce(out.kind_logits, kind, model.kind_weight, sw, 0.1)
                    + 0.5 * wce(out.stance_logits, stance, model.stance_weight, sw, 0.1))
            assert out.loss.item() == pytest.approx(want.item(), rel=1e-6)
            # All stances masked (boilerplate only): the kind loss alone.
            out2 = model(input_ids=ids, attention_mask=att, kind_labels=kind,
                         stance_labels=torch.tensor([-100, -100]), sample_weight=sw)
            assert out2.loss.item() == pytest.approx(
                wce(out2.kind_logits, kind, model.kind_weight, sw, 0.1).item(),
                rel=1e-6)
    finally:
        model.set_loss_weights([1.0] * 4, [1.0] * 3)
        model.label_smoothing = 0.0


@pytest.mark.parametrize("amx, flags, want", [
    (True, False, True), (False, True, True), (False, False, False), (None, False, False),
    (None, True, True)])
def test_bf16_auto_follows_the_cpus_bf16_instructions(monkeypatch, amx, flags, want):
    if amx is None:  # a torch without the (private) probe counts as no AMX
        monkeypatch.delattr(torch.cpu, "_is_amx_tile_supported", raising=False)
    else:
        monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: amx, raising=False)
    # x86 AVX512-BF16 / AMX flags in /proc/cpuinfo (tests/test_hardware.py reads real text)
    monkeypatch.setattr(trainer_module, "x86_bf16", lambda: flags)
    assert resolve_bf16("auto", use_cpu=True) is want
    # An explicit setting wins over the hardware either way.
    assert resolve_bf16("true", use_cpu=True) is True
    assert resolve_bf16("false", use_cpu=True) is False


def test_bf16_auto_on_cuda_asks_torch(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)
    assert resolve_bf16("auto", use_cpu=False) is True
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: False)
    assert resolve_bf16("auto", use_cpu=False) is False


# ------------------------------------------------------------------ evaluation precision


def test_plain_model_drops_the_mixed_precision_forward():
    """After bfloat16 mixed-precision training the model is evaluated in float32, as
    predict.py runs it (the accelerator wraps forward in autocast otherwise)."""
    from accelerate import Accelerator
    from accelerate.state import AcceleratorState

    from geostance.train.trainer import plain_model

    torch.manual_seed(0)
    layer = torch.nn.Linear(64, 64)
    x = torch.randn(8, 64)
    want = layer(x)
    # The accelerator's state is process-wide: a training run earlier in this process
    # fixed its precision, so start from a clean one and leave a clean one behind.
    AcceleratorState._reset_state(True)
    try:
        acc = Accelerator(cpu=True, mixed_precision="bf16")
        wrapped = acc.prepare_model(layer)
        assert not torch.equal(wrapped(x), want)  # bfloat16 products under autocast
        plain = plain_model(acc, wrapped)
        assert torch.equal(plain(x), want)
    finally:
        AcceleratorState._reset_state(True)


def test_data_files_name_every_corpus_file_the_default_reads(repo_root, monkeypatch):
    from geostance.config import build_config, load_yaml
    from geostance.train.trainer import data_files

    monkeypatch.chdir(repo_root)
    files = {str(p) for p in data_files(build_config(load_yaml("configs/default.yaml")))}
    parts = {f"data/real/sentences/{p.name}" for p in (repo_root / "data/real/sentences").glob(
        "*.jsonl")}
    assert len(parts) >= 10 and parts <= files
    assert {"data/corpus/articles.jsonl", "data/corpus/sentences.jsonl",
            "data/real/documents.jsonl", "data/contrast/sentences.jsonl"} <= files
    # Own files for every split replace the corpora.
    own = build_config({"data": {"train_files": ["a.jsonl"], "dev_files": ["b.jsonl"],
                                 "test_files": ["c.jsonl"], "contrast_files": []}})
    assert [str(p) for p in data_files(own)] == ["a.jsonl", "b.jsonl", "c.jsonl"]


def test_resume_steps_over_a_checkpoint_killed_while_saving(tmp_path, caplog):
    from geostance.train.rundir import find_resumable, last_complete_checkpoint

    run = tmp_path / "20261205-000000-x"
    for step, state in ((5, '{"global_step": 5}'), (10, None), (15, '{"global_st')):
        ckpt = run / "checkpoints" / f"checkpoint-{step}"
        ckpt.mkdir(parents=True)
        (ckpt / "model.safetensors").write_bytes(b"")
        if state is not None:  # 10: killed before its state; 15: killed while writing it
            (ckpt / "trainer_state.json").write_text(state)
    with caplog.at_level("WARNING", logger="geostance"):
        assert find_resumable(tmp_path, "x") == run  # quietly
        assert not caplog.records
        assert last_complete_checkpoint(run) == run / "checkpoints" / "checkpoint-5"
    assert sorted(r.getMessage().split("/")[-1] for r in caplog.records) == [
        "checkpoint-10 was not written to the end; skipped",
        "checkpoint-15 was not written to the end; skipped"]
    (run / "checkpoints" / "checkpoint-5" / "trainer_state.json").unlink()
    assert last_complete_checkpoint(run) is None and find_resumable(tmp_path, "x") is None


def test_trim_log_drops_the_entries_after_the_checkpoint(tmp_path):
    from geostance.train.trainer import trim_log

    log = tmp_path / "train_log.jsonl"
    log.write_text('{"step": 5, "loss": 1.0}\n{"step": 10, "loss": 0.9}\n'
                   '{"step": 15, "loss": 0.8}\n{"step": 1', encoding="utf-8")
    trim_log(log, 10)
    assert log.read_text(encoding="utf-8") == ('{"step": 5, "loss": 1.0}\n'
                                               '{"step": 10, "loss": 0.9}\n')
    trim_log(tmp_path / "missing.jsonl", 3)  # nothing to trim
