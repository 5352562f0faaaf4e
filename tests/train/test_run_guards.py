"""train.py's guards around a run: the output folder, resuming with other settings, a bad
base model, an interrupt before the first checkpoint, an unexpected error, and a label set
of the user's own (the project's evaluation sets are then skipped, not crashed on)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import train
from geostance.config import ConfigError, build_config
from geostance.model.encoders import EncoderError, resolve_base
from geostance.train.rundir import check_output_dir, prepare_run_dir


def test_an_output_dir_that_is_a_file_is_refused(tmp_path: Path):
    f = tmp_path / "runs"
    f.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match="train.output_dir: .* is a file, not a folder"):
        check_output_dir(f)
    check_output_dir(tmp_path / "new" / "runs")  # made when missing
    assert (tmp_path / "new" / "runs").is_dir()


def test_train_py_refuses_a_file_as_output_dir_at_once(tmp_path, tiny_train_args, capsys):
    (tmp_path / "afile").write_text("", encoding="utf-8")
    args = tiny_train_args(tmp_path)
    i = args.index("--train.output_dir")
    args[i + 1] = str(tmp_path / "afile")
    assert train.main(args) == 2
    assert "train.output_dir:" in capsys.readouterr().err


def test_resume_refuses_other_settings(tmp_path: Path):
    cfg = build_config({"train": {"output_dir": str(tmp_path), "name": "r", "resume": True,
                                  "learning_rate": 1e-4}})
    run = tmp_path / "20260101-000000-r"
    ckpt = run / "checkpoints" / "checkpoint-5"
    ckpt.mkdir(parents=True)
    (ckpt / "trainer_state.json").write_text("{}", encoding="utf-8")
    saved = cfg.to_dict()
    saved["train"]["learning_rate"] = 5e-4
    import yaml

    (run / "config.yaml").write_text(yaml.safe_dump(saved), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"started with train.learning_rate = 0.0005, this "
                                          r"run asks for 0.0001"):
        prepare_run_dir(cfg)
    saved["train"]["learning_rate"] = 1e-4
    saved["train"]["threads"] = 7  # where and how fast it runs may change
    (run / "config.yaml").write_text(yaml.safe_dump(saved), encoding="utf-8")
    assert prepare_run_dir(cfg) == (run, True)
    del saved["train"]["learning_rate"]  # a setting the saved config lacks counts as unchanged
    (run / "config.yaml").write_text(yaml.safe_dump(saved), encoding="utf-8")
    assert prepare_run_dir(cfg) == (run, True)


def test_a_folder_without_a_model_is_not_a_base(tmp_path: Path):
    with pytest.raises(EncoderError, match="is a folder without a model in it"):
        resolve_base(str(tmp_path))


def test_an_unexpected_error_is_one_line_exit_70(monkeypatch, tmp_path, tiny_train_args,
                                                  capsys):
    import geostance.train.trainer as trainer_module

    def boom(cfg):
        raise RuntimeError("something broke")

    monkeypatch.setattr(trainer_module, "train", boom)
    monkeypatch.delenv("GEOSTANCE_DEBUG", raising=False)
    assert train.main(tiny_train_args(tmp_path)) == 70
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == ("internal error: RuntimeError: something broke (set GEOSTANCE_DEBUG=1 "
                       "for the traceback)")


def test_an_interrupt_before_the_first_checkpoint_says_nothing_to_resume(
        monkeypatch, tmp_path, tiny_train_args, capsys):
    import geostance.train.trainer as trainer_module

    def interrupted(cfg):
        raise KeyboardInterrupt

    monkeypatch.setattr(trainer_module, "train", interrupted)
    assert train.main(tiny_train_args(tmp_path)) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith(
        "interrupted before the first checkpoint was written: nothing to resume")


def test_own_label_set_trains_and_skips_the_projects_evaluation_sets(
        tmp_path, tiny_train_args, geostance_home, caplog):
    def write(name: str, n: int) -> str:
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps({
            "id": f"{name}{i}", "text": f"Sentence {i} of the {name} file says {w}.",
            "kind": "claim", "stance": w}) + "\n"
            for i, w in enumerate((["support", "oppose", "neutral"] * n)[:n])),
            encoding="utf-8")
        return str(path)

    args = tiny_train_args(tmp_path / "runs", "--data.train_files", write("train", 12),
                           "--data.dev_files", write("dev", 6), "--data.test_files",
                           write("test", 6), "--data.stance_labels", "support,oppose,neutral",
                           "--train.baseline", "false")
    assert train.main(args) == 0
    metrics = json.loads((tmp_path / "runs" / "latest" / "metrics.json").read_text())
    assert "realnews_dev" not in metrics and "seed_article" not in metrics
    assert metrics["test"]["stance"]["n"] == 6


def test_a_base_folder_without_a_tokenizer_is_refused(tmp_path: Path, tiny_encoder):
    # transformers would build an empty tokenizer and train on [UNK]s, exit 0.
    import shutil

    bare = tmp_path / "notok"
    bare.mkdir()
    for f in ("config.json", "model.safetensors"):
        shutil.copy(Path(tiny_encoder) / f, bare / f)
    with pytest.raises(EncoderError, match="has no tokenizer"):
        resolve_base(str(bare))


def test_a_real_folder_named_latest_is_refused_before_training(tmp_path: Path):
    (tmp_path / "latest").mkdir()
    with pytest.raises(ConfigError, match="latest is a folder, not the link"):
        check_output_dir(tmp_path)
    (tmp_path / "latest").rmdir()
    (tmp_path / "latest").symlink_to("20260101-000000-x")  # the link training writes
    check_output_dir(tmp_path)


def test_resume_matches_the_run_name_whole(tmp_path: Path):
    from geostance.train.rundir import find_resumable

    def unfinished(name: str) -> Path:
        ckpt = tmp_path / name / "checkpoints" / "checkpoint-5"
        ckpt.mkdir(parents=True)
        (ckpt / "trainer_state.json").write_text("{}", encoding="utf-8")
        return tmp_path / name

    unfinished("20260101-000000-ablation-x")
    glob_name = unfinished("20260101-000000-exp[1]")
    assert find_resumable(tmp_path, "x") is None  # "ablation-x" is another run's name
    assert find_resumable(tmp_path, "exp[1]") == glob_name
    second = unfinished("20260102-000000-2-x")
    assert find_resumable(tmp_path, "x") == second
    # The folder name alone is ambiguous: the first run of "2-x" looks like the second of
    # "x"; its config.yaml tells them apart.
    (second / "config.yaml").write_text("train:\n  name: 2-x\n", encoding="utf-8")
    assert find_resumable(tmp_path, "x") is None
    assert find_resumable(tmp_path, "2-x") == second


def test_the_resume_hint_writes_lists_as_an_option_takes_them(tmp_path: Path):
    import yaml

    cfg = build_config({"train": {"output_dir": str(tmp_path), "name": "r", "resume": True},
                        "data": {"real_exclude": []}})
    run = tmp_path / "20260101-000000-r"
    ckpt = run / "checkpoints" / "checkpoint-5"
    ckpt.mkdir(parents=True)
    (ckpt / "trainer_state.json").write_text("{}", encoding="utf-8")
    saved = cfg.to_dict()
    saved["data"]["real_exclude"] = ["a b", "c"]
    (run / "config.yaml").write_text(yaml.safe_dump(saved), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pass --data.real_exclude 'a b,c'\)"):
        prepare_run_dir(cfg)


@pytest.mark.parametrize(("value", "message"), [
    ("wandbx", "unknown tracker 'wandbx'"),
    ("mlflow", "mlflow is not installed"),
])
def test_unusable_trackers_are_refused_before_loading(tmp_path, tiny_train_args, capsys,
                                                      monkeypatch, value, message):
    import transformers.integrations.integration_utils as iu

    monkeypatch.setattr(iu, "get_available_reporting_integrations", lambda: [])
    args = tiny_train_args(tmp_path) + ["--train.report_to", value]
    assert train.main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.rglob("checkpoints"))


def test_resume_takes_the_newest_run_of_a_second_by_its_number(tmp_path: Path):
    from geostance.train.rundir import find_resumable

    for name in ("20260101-000000-x", "20260101-000000-2-x", "20260101-000000-9-x",
                 "20260101-000000-10-x"):
        ckpt = tmp_path / name / "checkpoints" / "checkpoint-5"
        ckpt.mkdir(parents=True)
        (ckpt / "trainer_state.json").write_text("{}", encoding="utf-8")
    assert find_resumable(tmp_path, "x") == tmp_path / "20260101-000000-10-x"
