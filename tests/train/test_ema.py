"""The weight average (``train.ema_decay``): its arithmetic, swapping, saving and resuming
on a small module; then through the real train.py."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

import train
from geostance.train.ema import EMA_FILE, WeightAverage


def _module() -> torch.nn.Module:
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Linear(2, 2))
    m[0].weight.requires_grad_(False)  # frozen: never averaged
    return m


def _step(m: torch.nn.Module, value: float) -> None:
    with torch.no_grad():
        for p in m.parameters():
            if p.requires_grad:
                p.fill_(value)


def test_update_follows_the_ramped_decay():
    m = _module()
    ema = WeightAverage(m, decay=0.5)
    assert set(ema.shadow) == {"0.bias", "1.weight", "1.bias"}  # not the frozen weight
    start = m[1].weight.detach().clone()
    _step(m, 1.0)
    ema.update()  # n = 1: d = min(0.5, 2 / 11)
    assert torch.allclose(ema.shadow["1.weight"], 2 / 11 * start + 9 / 11)
    expected = ema.shadow["1.weight"].clone()
    for n in range(2, 22):  # the ramp (1 + n) / (10 + n) reaches the decay at n = 8
        ema.update()
        d = 0.5 if n >= 8 else (1 + n) / (10 + n)
        expected = d * expected + (1 - d) * 1.0
        assert torch.allclose(ema.shadow["1.weight"], expected)
    assert torch.allclose(ema.shadow["1.weight"], torch.ones(2, 2), atol=1e-5)
    assert ema.updates == 21


def test_applied_swaps_the_average_in_and_restores_the_raw_weights():
    m = _module()
    ema = WeightAverage(m, decay=0.9)
    _step(m, 3.0)
    ema.update()
    raw = {n: p.detach().clone() for n, p in m.named_parameters()}
    with ema.applied():
        assert torch.equal(m[1].weight, ema.shadow["1.weight"])
        assert not torch.equal(m[1].weight, raw["1.weight"])
        assert torch.equal(m[0].weight, raw["0.weight"])  # frozen: untouched
    assert all(torch.equal(p, raw[n]) for n, p in m.named_parameters())
    with pytest.raises(RuntimeError), ema.applied():  # restored even when evaluation fails
        raise RuntimeError("evaluation failed")
    assert all(torch.equal(p, raw[n]) for n, p in m.named_parameters())


def test_save_load_and_resume(tmp_path: Path):
    m = _module()
    ema = WeightAverage(m, decay=0.9)
    _step(m, 2.0)
    for _ in range(3):
        ema.update()
    ema.save(tmp_path)
    other = WeightAverage(_module(), decay=0.9)
    other.load(tmp_path)
    assert other.updates == 3
    assert all(torch.equal(other.shadow[n], ema.shadow[n]) for n in ema.shadow)

    wrong = WeightAverage(torch.nn.Linear(2, 2), decay=0.9)
    with pytest.raises(ValueError, match="do not match"):
        wrong.load(tmp_path)
    with pytest.raises(FileNotFoundError, match=EMA_FILE):
        other.load(tmp_path / "nowhere")

    # A checkpoint without an average: restart it from the resumed weights.
    fresh_model = _module()
    fresh = WeightAverage(fresh_model, decay=0.9)
    fresh.update()
    (tmp_path / "checkpoint-7").mkdir()
    _step(fresh_model, 5.0)  # what Trainer loads from the checkpoint
    fresh.on_train_begin(SimpleNamespace(output_dir=tmp_path),
                         SimpleNamespace(global_step=7), None)
    assert fresh.updates == 0
    assert torch.equal(fresh.shadow["1.weight"], torch.full((2, 2), 5.0))


def test_decay_must_be_a_fraction():
    with pytest.raises(ValueError, match="decay"):
        WeightAverage(_module(), decay=1.0)


def test_train_py_saves_the_best_checkpoints_average(tmp_path, tiny_train_args, geostance_home):
    from safetensors.torch import load_file

    args = tiny_train_args(tmp_path / "runs", "--train.ema_decay", "0.9",
                           "--train.max_steps", "6", "--train.eval_every", "steps",
                           "--train.eval_steps", "3", "--train.baseline", "false",
                           "--train.keep_checkpoints",
                           "--data.realnews_dev", "none", "--data.seed_article", "none")
    assert train.main(args) == 0
    run = (tmp_path / "runs" / "latest").resolve()
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["global_steps"] == 6
    best = Path(metrics["best_checkpoint"])
    # the saved average is the best checkpoint's: updated once per step up to it
    assert metrics["ema_updates"] == int(best.name.split("-")[-1]) in (3, 6)
    assert (best / EMA_FILE).is_file()
    shadow = torch.load(best / EMA_FILE, weights_only=True)["shadow"]
    saved = load_file(run / "model" / "model.safetensors")
    raw = load_file(best / "model.safetensors")
    head = "stance_head.weight"
    assert torch.allclose(saved[head], shadow[head])  # the model is the average ...
    assert not torch.allclose(saved[head], raw[head])  # ... not the raw weights
    frozen = next(k for k in saved if "embeddings" in k)
    assert torch.equal(saved[frozen], raw[frozen])
