"""Distillation: the soft-target file, its checks, the loss it feeds, and train.py with it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from geostance.config import Config, ConfigError, DataConfig, TrainConfig
from geostance.data import DataError, Sentence
from geostance.model.modeling import weighted_cross_entropy as wce
from geostance.train.distill import read_targets, soft_target_rows, write_targets

STANCES = ["pro_nato", "moscow_warning", "neutral_balancing"]


def test_soft_cross_entropy_by_hand_and_one_hot_equals_the_hard_loss():
    logits = torch.tensor([[2.0, 0.0, -1.0], [0.5, 1.5, 0.0], [0.0, 0.0, 3.0]])
    labels = torch.tensor([0, 2, -100])  # the third row has no stance: masked
    targets = torch.tensor([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.0, 0.0, 1.0]])
    class_w = torch.tensor([1.0, 2.0, 0.5])
    sample_w = torch.tensor([1.0, 3.0, 10.0])
    logp = torch.log_softmax(logits, 1).numpy()
    # weights: the gold label's class weight times the sample weight (row 3 masked)
    w = [1.0 * 1.0, 0.5 * 3.0]
    per = [-(targets[i].numpy() * logp[i]).sum() for i in range(2)]
    want = (w[0] * per[0] + w[1] * per[1]) / (w[0] + w[1])
    got = wce(logits, labels, class_w, sample_w, targets=targets)
    assert got.item() == pytest.approx(want, rel=1e-6)
    one_hot = torch.nn.functional.one_hot(labels.clamp(min=0), 3).float()
    assert wce(logits, labels, class_w, sample_w, targets=one_hot).item() == pytest.approx(
        wce(logits, labels, class_w, sample_w).item(), rel=1e-6)


def test_model_loss_mixes_gold_and_soft_stance(tiny_encoder):
    from geostance.model.modeling import GeoStanceModel

    model = GeoStanceModel.from_base(str(tiny_encoder), ["claim", "heading", "boilerplate",
                                                         "other"], STANCES)
    model.eval()
    model.set_loss_weights([1.0] * 4, [1.0, 1.0, 2.0], stance_loss_weight=2.0)
    ids = torch.tensor([[0, 100, 200, 2], [0, 300, 2, 1]])
    att = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    kind, stance = torch.tensor([0, 3]), torch.tensor([2, 0])
    soft = torch.tensor([[0.2, 0.2, 0.6], [0.5, 0.5, 0.0]])
    with torch.no_grad():
        plain = model(input_ids=ids, attention_mask=att, kind_labels=kind, stance_labels=stance,
                      soft_stance=soft)  # distill_weight 0: the targets are not used
        model.distill_weight = 0.25
        mixed = model(input_ids=ids, attention_mask=att, kind_labels=kind, stance_labels=stance,
                      soft_stance=soft)
    k = wce(mixed.kind_logits, kind, model.kind_weight, None)
    hard = wce(mixed.stance_logits, stance, model.stance_weight, None)
    soft_loss = wce(mixed.stance_logits, stance, model.stance_weight, None, targets=soft)
    assert plain.loss.item() == pytest.approx((k + 2.0 * hard).item(), rel=1e-6)
    assert mixed.loss.item() == pytest.approx((k + 2.0 * (0.75 * hard + 0.25 * soft_loss)).item(),
                                              rel=1e-6)


def test_targets_round_trip_and_every_stance_row_needs_one(tmp_path: Path):
    rows = [Sentence(text="a", kind="claim", stance="pro_nato", id="s1", where="f:1"),
            Sentence(text="b", kind="boilerplate", stance="", id="s2", where="f:2"),
            Sentence(text="c", kind="claim", stance="neutral_balancing", id="s3", where="f:3")]
    path = tmp_path / "t.jsonl"
    write_targets(path, [rows[0], rows[2]], np.array([[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]]),
                  STANCES)
    targets = read_targets(path, STANCES)
    assert targets == {"s1": [0.5, 0.25, 0.25], "s3": [0.1, 0.1, 0.8]}
    assert soft_target_rows(rows, targets, path, 3) == [[0.5, 0.25, 0.25], [0.0, 0.0, 0.0],
                                                         [0.1, 0.1, 0.8]]
    with pytest.raises(DataError, match=r"no target for 1 stance-bearing .* s3 \(f:3\)"):
        soft_target_rows(rows, {"s1": [1.0, 0.0, 0.0]}, path, 3)


@pytest.mark.parametrize("line, field", [
    ('{"id": "x", "stance_probs": {"pro_nato": 1.0}}', "stance_probs"),
    ('{"id": "x", "stance_probs": {"pro_nato": 0.5, "moscow_warning": 0.2, '
     '"neutral_balancing": 0.2}}', "stance_probs"),  # sums to 0.9
    ('{"id": "x", "stance_probs": {"pro_nato": 1.5, "moscow_warning": -0.5, '
     '"neutral_balancing": 0.0}}', "stance_probs"),
    ('{"id": "", "stance_probs": {}}', "id"),
    ('{"id": "s1", "stance_probs": {"pro_nato": 1, "moscow_warning": 0, '
     '"neutral_balancing": 0}}', "id"),  # s1 twice
    ("[1, 2]", None),
    ("{not json", None),
])
def test_a_bad_line_is_named_by_file_line_and_field(tmp_path: Path, line: str, field):
    path = tmp_path / "t.jsonl"
    good = '{"id": "s1", "stance_probs": {"pro_nato": 1, "moscow_warning": 0, ' \
           '"neutral_balancing": 0}}'
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        read_targets(path, STANCES)
    assert str(e.value).startswith(f"{path}:2: " + (f"{field}: " if field else ""))


def test_distill_weight_and_soft_targets_go_together():
    with pytest.raises(ConfigError, match="distill_weight"):
        Config(train=TrainConfig(distill_weight=0.5))
    with pytest.raises(ConfigError, match="soft_targets"):
        Config(data=DataConfig(soft_targets="t.jsonl"))
    with pytest.raises(ConfigError, match=r"must be in \[0, 1\]"):
        TrainConfig(distill_weight=1.5)


@pytest.mark.parametrize("text", [None, "", "# targets for the default\n", "null\n"])
def test_distill_refuses_a_missing_or_empty_config_in_one_line(tmp_path, capsys, text):
    # A missing file was a traceback; an empty one scored the built-in defaults' training
    # split (not configs/default.yaml's) without a word.
    from geostance.train.distill import main as distill_main

    config, out = tmp_path / "mine.yaml", tmp_path / "targets.jsonl"
    if text is not None:
        config.write_text(text, encoding="utf-8")
    code = distill_main([str(tmp_path / "no_run"), "--config", str(config), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and not out.exists()
    assert err.startswith(f"error: config file {config} " + (
        "does not exist" if text is None else "is empty: no settings"))


def _train_loss(run: Path) -> float:
    log = [json.loads(x) for x in (run / "train_log.jsonl").read_text().splitlines()]
    return next(e["train_loss"] for e in log if "train_loss" in e)


def test_train_py_distils_from_a_teacher_run(tiny_run: Path, tiny_train_args, tmp_path: Path,
                                             geostance_home):
    """The distil command writes one target per stance-bearing training sentence; with
    one-hot targets at weight 1 training is the plain run step for step (the targets reach
    the loss as they should); with the teacher's targets the loss differs."""
    import train
    from geostance.config import build_config, load_yaml
    from geostance.data import Labels, load_splits
    from geostance.train.distill import main as distill_main

    config = tiny_run / "config.yaml"
    out = tmp_path / "targets.jsonl"
    assert distill_main([str(tiny_run), "--config", str(config), "--out", str(out)]) == 0
    cfg = build_config(load_yaml(config))
    rows = [r for r in load_splits(cfg.data)["train"] if r.stance]
    targets = read_targets(out, Labels.from_config(cfg.data).stances)
    assert sorted(targets) == sorted(r.id for r in rows)

    one_hot = tmp_path / "one_hot.jsonl"
    write_targets(one_hot, rows, np.eye(3)[[STANCES.index(r.stance) for r in rows]], STANCES)
    runs = {}
    for name, path, weight in (("gold", one_hot, "1.0"), ("teacher", out, "0.5")):
        rc = train.main(tiny_train_args(tmp_path / name, "--data.soft_targets", str(path),
                                        "--train.distill_weight", weight))
        assert rc == 0
        runs[name] = tmp_path / name / "latest"
    assert "distill_weight: 0.5" in (runs["teacher"] / "config.yaml").read_text()
    assert _train_loss(runs["gold"]) == pytest.approx(_train_loss(tiny_run), rel=1e-5)
    assert _train_loss(runs["teacher"]) != pytest.approx(_train_loss(tiny_run), rel=1e-3)


def test_help_names_the_command_to_run(capsys):
    # Run as `python -m geostance.train.distill`, the usage line read "distill.py", a file
    # no user can run by that name.
    from geostance.train.distill import main

    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith("usage: python -m geostance.train.distill ")
