"""Configuration: YAML + overrides, types, and one-line errors with exit code 2."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from geostance.cli import train_parser
from geostance.config import (
    Config,
    ConfigError,
    PredictConfig,
    build_config,
    config_from_args,
    load_yaml,
)

ROOT = Path(__file__).resolve().parents[1]


def parse(argv: list[str]) -> Config:
    return config_from_args(train_parser().parse_args(argv))


@pytest.mark.parametrize("name", ["default.yaml", "reference.yaml"])
def test_shipped_yaml_fills_every_section(name):
    cfg = parse(["--config", str(ROOT / "configs" / name)])
    assert cfg.model.base == "builtin:multilingual-e5-small"
    assert cfg.data.kind_labels == ["claim", "heading", "boilerplate", "other"]


def test_every_sweep_overlay_is_a_valid_config(tmp_path):
    from geostance.evaluation.sweep import merge

    base = yaml.safe_load((ROOT / "configs" / "reference.yaml").read_text(encoding="utf-8"))
    for overlay in sorted((ROOT / "configs" / "sweep").glob("*.yaml")):
        merged = tmp_path / overlay.name
        merged.write_text(yaml.safe_dump(merge(base, yaml.safe_load(overlay.read_text(
            encoding="utf-8")) or {})), encoding="utf-8")
        parse(["--config", str(merged)])  # raises ConfigError naming the field


def test_overrides_are_typed(tmp_path):
    cfg = parse(["--config", str(ROOT / "configs" / "default.yaml"), "--train.epochs", "1.5",
                 "--train.batch_size", "4", "--model.freeze_embeddings", "false",
                 "--train.cache_frozen", "false",  # trained embeddings: nothing to cache
                 "--train.resume", "--data.stance_labels", "a,b"])
    assert (cfg.train.epochs, cfg.train.batch_size) == (1.5, 4)
    assert cfg.model.freeze_embeddings is False and cfg.train.resume is True
    assert cfg.data.stance_labels == ["a", "b"]


@pytest.mark.parametrize("given, want", [
    ([], "auto"), (["--train.bf16"], "true"), (["--train.bf16", "false"], "false"),
    (["--train.bf16", "True"], "true"), (["--train.bf16", "auto"], "auto"),
])
def test_bf16_reads_auto_true_false_from_the_command_line(given, want):
    assert parse(["--config", str(ROOT / "configs" / "default.yaml"), *given]).train.bf16 == want


def test_bf16_reads_yaml_booleans(tmp_path):
    # configs/sweep/bf16.yaml and older run configs say `bf16: true`.
    assert build_config({"train": {"bf16": True}}).train.bf16 == "true"
    assert build_config({"train": {"bf16": False}}).train.bf16 == "false"
    with pytest.raises(ConfigError, match="train.bf16: 'sometimes' is not one of auto, true"):
        build_config({"train": {"bf16": "sometimes"}})


@pytest.mark.parametrize("values, message", [
    ({"train": {"epoch": 3}}, "unknown config key train.epoch; known: train.output_dir"),
    ({"train": {"batch_size": "many"}}, "train.batch_size: expected an integer, got 'many'"),
    ({"model": {"pooling": "max"}}, "model.pooling: 'max' is not one of mean, cls"),
    ({"optim": {}}, "unknown config section(s): optim; known: data, model, train"),
    ({"train": {"warmup_ratio": 1.5}}, "train.warmup_ratio: must be in [0, 1)"),
    ({"data": {"kind_labels": ["a"]}}, "data.kind_labels: needs at least two labels"),
    ({"train": {"max_steps": "inf"}}, "train.max_steps: expected an integer, got 'inf'"),
    ({"train": {"learning_rate": "inf"}}, "train.learning_rate: expected a finite number"),
    ({"train": {"epochs": "nan"}}, "train.epochs: expected a finite number"),
    ({"train": {"head_learning_rate": -1}}, "train.head_learning_rate: must be > 0"),
    ({"train": {"weight_decay": -1}}, "train.weight_decay: must be >= 0"),
    ({"train": {"stance_loss_weight": -1}}, "train.stance_loss_weight: must be > 0"),
    ({"train": {"max_steps": -7}}, "train.max_steps: must be -1 (use train.epochs) or > 0"),
    ({"train": {"eval_steps": 0}}, "train.eval_steps: must be >= 1"),
    # Values that passed and then failed deep inside numpy or torch (exit 70).
    ({"train": {"seed": -1}}, "train.seed: must be between 0 and 4294967295"),
    ({"train": {"seed": 2**32}}, "train.seed: must be between 0 and 4294967295"),
    ({"train": {"threads": 2**31}}, "train.threads: must be between 0 (torch's default) "
                                    "and 4194304"),
    ({"train": {"batch_size": 2**63}}, "train.batch_size: must be between 1 and "
                                       "9223372036854775807"),
])
def test_bad_values_raise_one_line(values, message):
    with pytest.raises(ConfigError) as e:
        build_config(values)
    assert str(e.value).startswith(message)
    assert "\n" not in str(e.value)


def test_malformed_yaml_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("train:\n  epochs: [1,\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.yaml:3: malformed YAML"):
        parse(["--config", str(bad)])


@pytest.mark.parametrize("text, message", [
    ("train:\n  epochs: 2\n  batch_size: 0\n", "3: train.batch_size: must be between 1 and"),
    ("train:\n  learning_rate: [0.1]\n", "2: train.learning_rate: expected a number"),
    ("model:\n  pooling: mean\n  speaker: maybe\n", "3: model.speaker: expected true or false"),
    ("data:\n  corpora: [written]\n  sources: 1\n", "3: unknown config key data.sources"),
])
def test_a_wrong_value_in_the_config_file_names_the_file_and_line(tmp_path, text, message):
    # It named the setting only: in a long config (or a sweep's overlay merged over a base),
    # which file and where was left to the reader.
    cfg = tmp_path / "mine.yaml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        parse(["--config", str(cfg)])
    assert str(e.value).startswith(f"{cfg}:{message}")


@pytest.mark.parametrize("section", ["[1, 2]", "0", "false", "'steps'", "[]"])
@pytest.mark.parametrize("override", [[], ["--train.max_steps", "3"]])
def test_a_section_that_is_not_a_mapping_names_the_file_and_line(tmp_path, section, override):
    # "train: 0" (or false, or []) trained with the defaults without a word unless an
    # override was given, and the message named neither the file nor the line.
    cfg = tmp_path / "mine.yaml"
    cfg.write_text(f"model:\n  pooling: mean\ntrain: {section}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        parse(["--config", str(cfg), *override])
    assert str(e.value).startswith(f"{cfg}:3: train: must be a mapping of settings, got ")
    # An empty section ("train:" and nothing under it) is no settings, as before.
    cfg.write_text("train:\n", encoding="utf-8")
    assert parse(["--config", str(cfg), *override]).train.max_steps == (3 if override else -1)


def test_a_wrong_value_is_not_blamed_on_a_line_that_a_check_across_settings_needs(tmp_path):
    # data.contrast_exclude alone fails (it needs data.contrast_files), so the line of the
    # first setting that failed on its own was named for data.kind_labels' message (line 2).
    cfg = tmp_path / "mine.yaml"
    cfg.write_text("data:\n  contrast_exclude: [x]\n  contrast_files: [a.jsonl]\n"
                   "  kind_labels: [claim, claim]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        parse(["--config", str(cfg)])
    assert str(e.value).startswith(f"{cfg}:4: data.kind_labels: duplicate labels")


@pytest.mark.parametrize("text, given, message", [
    # The line of the setting the message is about (named first), not of the other one.
    ("model:\n  freeze_layers: 0\ntrain:\n  epochs: 1\n  cache_frozen: true\n", [],
     "5: train.cache_frozen: needs model.freeze_layers > 0"),
    ("model:\n  freeze_layers: 2\n  freeze_embeddings: false\ntrain:\n  cache_frozen: true\n",
     [], "5: train.cache_frozen: needs model.freeze_embeddings true"),
    ("model:\n  speaker: false\ntrain:\n  speaker_dropout: 0.2\n", [],
     "4: train.speaker_dropout: needs model.speaker true"),
    # The first-named setting is not in the file: the line of the one that is.
    ("train:\n  epochs: 1\ndata:\n  soft_targets: t.jsonl\n", [],
     "4: train.distill_weight and data.soft_targets: set both"),
    # The first-named setting came from the command line (its option names it): the line
    # is the file's part of the conflict.
    ("model:\n  freeze_layers: 0\n", ["--train.cache_frozen", "true"],
     "2: train.cache_frozen: needs model.freeze_layers > 0"),
])
def test_a_check_across_settings_names_the_line_of_a_setting_it_is_about(tmp_path, text, given,
                                                                         message):
    # Config's checks across sections were never given a key (_culprit rebuilt one section
    # with each setting alone, and none fails alone), so these errors named no line.
    cfg = tmp_path / "mine.yaml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        parse(["--config", str(cfg), *given])
    assert str(e.value).startswith(f"{cfg}:{message}")


def test_a_check_across_settings_given_only_on_the_command_line_names_no_line(tmp_path):
    cfg = tmp_path / "mine.yaml"
    cfg.write_text("train:\n  epochs: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        parse(["--config", str(cfg), "--train.cache_frozen", "true", "--model.freeze_layers", "0"])
    assert str(e.value).startswith("train.cache_frozen: needs model.freeze_layers > 0")
    assert e.value.key == ("train.cache_frozen", "model.freeze_layers")


@pytest.mark.parametrize("text, message", [
    # TrainConfig checks train.epochs before train.batch_size and stops at the first
    # refusal, so epochs (line 3) is named though batch_size comes first in the file.
    ("train:\n  batch_size: 0\n  epochs: 0\n", "3: train.epochs: must be > 0"),
    # DataConfig checks data.real_weight before the patterns of data.contrast_exclude and
    # before its need of data.contrast_files: real_weight (line 3) is named.
    ("data:\n  contrast_exclude: [x]\n  real_weight: 0\n", "3: data.real_weight: must be > 0"),
])
def test_two_wrong_settings_in_one_section_name_the_first_the_checks_refuse(tmp_path, text,
                                                                            message):
    cfg = tmp_path / "mine.yaml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        parse(["--config", str(cfg)])
    assert str(e.value).startswith(f"{cfg}:{message}")


@pytest.mark.parametrize("make, message, key", [
    (lambda: build_config({"train": {"epochs": 0}}), "train.epochs: must be > 0",
     "train.epochs"),
    (lambda: build_config({"data": {"contrast_exclude": ["x"]}}),
     "data.contrast_exclude: needs data.contrast_files",
     ("data.contrast_exclude", "data.contrast_files")),
    (lambda: build_config({"train": {"distill_weight": 0.5}}),
     "train.distill_weight and data.soft_targets: set both",
     ("train.distill_weight", "data.soft_targets")),
    (lambda: PredictConfig(inputs=["a.txt"], threads=-1), "threads: must be between 0",
     "threads"),
    (lambda: PredictConfig(inputs=["a.txt"], resume=True, overwrite=True),
     "resume and overwrite: choose one", ("resume", "overwrite")),
    (lambda: PredictConfig(inputs=["a.txt"], out="x.csv", format="jsonl"),
     "format: --format jsonl but --out x.csv is csv", ("format", "out")),
    (lambda: PredictConfig(inputs=["a.txt"], engine="ray", resume=True),
     "resume: not supported with --engine ray", ("resume", "engine")),
    # Checks in a loop over settings: the key is the one the message names.
    (lambda: build_config({"data": {"stance_labels": ["a"]}}),
     "data.stance_labels: needs at least two labels", "data.stance_labels"),
    (lambda: build_config({"train": {"output_dir": "x\udcff"}}),
     "train.output_dir: not valid UTF-8", "train.output_dir"),
    (lambda: PredictConfig(inputs=["a.txt"], window=0), "window: must be >= 1", "window"),
    (lambda: PredictConfig(inputs=["a.txt"], unit="page"), "unit: 'page' is not one of",
     "unit"),
])
def test_each_check_names_its_setting_in_the_error(make, message, key):
    # The key is set where the check is, not found afterwards by rebuilding the section.
    with pytest.raises(ConfigError) as e:
        make()
    assert str(e.value).startswith(message)
    assert e.value.key == key


def test_every_check_in_the_config_classes_names_a_setting():
    # A check's key is the name its message begins with unless it gives one: a message
    # beginning with anything else (a typo, "x and y:") would name no line in the file.
    import ast
    import dataclasses

    from geostance import config

    settings = {f.name for f in dataclasses.fields(config.PredictConfig)} | {
        f"{section}.{f.name}" for section, cls in config.SECTION_CLASSES.items()
        for f in dataclasses.fields(cls)}
    tree = ast.parse(Path(config.__file__).read_text(encoding="utf-8"))
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name.endswith("Config")]
    checked = 0
    for call in (c for cls in classes for c in ast.walk(cls) if isinstance(c, ast.Call)):
        if getattr(call.func, "id", None) != "_check":
            continue
        given = [k.value for k in call.keywords if k.arg == "key"]
        message = call.args[1]
        while isinstance(message, ast.BinOp):  # f"..." + "..."
            message = message.left
        parts = message.values if isinstance(message, ast.JoinedStr) else [message]
        start = parts[0].value if isinstance(parts[0], ast.Constant) else ""
        if given:
            keys = ast.literal_eval(given[0])
        elif isinstance(message, ast.JoinedStr) and ": " not in start:
            continue  # f"data.{name}: ...": runtime cases in the test above
        else:
            named = re.match(r"([A-Za-z_][\w.]*): ", start)
            assert named, f"config.py:{call.lineno}: the message names no setting first"
            keys = named.group(1)
        for key in (keys,) if isinstance(keys, str) else keys:
            assert key in settings, f"config.py:{call.lineno}: {key} is no setting"
        checked += 1
    assert checked > 60  # the walk found the checks (about 70 on 2026-12-06)


@pytest.mark.parametrize("key", [None, "train.epochs", ("resume", "overwrite")])
def test_a_config_error_survives_pickling(key):
    # Worker processes (a DataLoader's, Ray's) send exceptions back pickled.
    import pickle

    e = pickle.loads(pickle.dumps(ConfigError("train.epochs: must be > 0", key=key)))
    assert type(e) is ConfigError and str(e) == "train.epochs: must be > 0" and e.key == key


def test_a_wrong_value_given_on_the_command_line_is_not_blamed_on_the_file(tmp_path):
    cfg = tmp_path / "mine.yaml"
    cfg.write_text("train:\n  batch_size: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        parse(["--config", str(cfg), "--train.batch_size", "-2"])
    assert str(e.value).startswith("train.batch_size: must be between 1 and")
    assert parse(["--config", str(cfg), "--train.batch_size", "4"]).train.batch_size == 4


@pytest.mark.parametrize("args, message", [
    (["--train.epochs", "x"], "error: train.epochs: expected a number, got 'x'"),
    (["--config", "missing.yaml"], "error: config file missing.yaml does not exist"),
    (["--config", "configs"], "error: config file configs is not a file (a directory?)"),
    (["--data.corpus_dir", "nowhere"], "error: nowhere: data.corpus_dir: directory does not "
                                      "exist"),
    (["--data.corpora", "written", "--data.stance_labels", "pos,neg"],
     "unknown label 'pro_nato'; allowed: pos, neg"),
    # numpy's "Seed must be between 0 and 2**32 - 1" from transformers.set_seed, exit 70.
    (["--train.seed", "-1"], "error: train.seed: must be between 0 and 4294967295"),
])
def test_train_py_bad_config_exits_2_without_traceback(args, message):
    out = subprocess.run([sys.executable, "train.py", *args], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert message in out.stderr


@pytest.mark.parametrize("text", ["", "# settings to come\n", "null\n", "---\n"])
def test_train_py_refuses_an_empty_config_naming_the_file(tmp_path, text):
    # A file without a document trained the built-in defaults (no context, no speaker,
    # nothing frozen: not configs/default.yaml's recipe) without a word.
    cfg = tmp_path / "empty.yaml"
    cfg.write_text(text, encoding="utf-8")
    # The timeout stops a regression from training the whole default recipe in the suite.
    out = subprocess.run([sys.executable, "train.py", "--config", str(cfg)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"error: config file {cfg} is empty: no settings" in out.stderr


@pytest.mark.parametrize("text", ["", "# settings to come\n", "null\n", "~\n", "---\n"])
def test_load_yaml_refuses_a_file_without_settings(tmp_path, text):
    cfg = tmp_path / "empty.yaml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(f"config file {cfg} is empty: no settings")):
        load_yaml(cfg)


@pytest.mark.parametrize("text, shown", [("false\n", "False"), ("0\n", "0"), ("[]\n", "[]")])
def test_a_config_whose_top_level_is_a_falsy_scalar_is_not_read_as_no_settings(tmp_path, text,
                                                                              shown):
    cfg = tmp_path / "odd.yaml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(
            f"{cfg}: the top level must be a mapping of sections, got {shown}")):
        load_yaml(cfg)


def test_an_explicit_empty_mapping_asks_for_the_built_in_defaults(tmp_path):
    cfg = tmp_path / "builtin.yaml"
    cfg.write_text("{}  # the built-in defaults\n", encoding="utf-8")
    assert parse(["--config", str(cfg)]) == build_config({})


def test_help_explains_every_option():
    out = subprocess.run([sys.executable, "train.py", "--help"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    import dataclasses

    from geostance.config import DataConfig, ModelConfig, TrainConfig

    for section, cls in (("data", DataConfig), ("model", ModelConfig), ("train", TrainConfig)):
        for f in dataclasses.fields(cls):
            assert f"--{section}.{f.name}" in out


def test_help_shows_the_values_of_the_config_given(tmp_path):
    # The defaults in --help are those the run would use: --config's, not default.yaml's.
    cfg = tmp_path / "mine.yaml"
    cfg.write_text("model:\n  context_chars: 77\n", encoding="utf-8")

    def shown(*args: str) -> str:
        out = subprocess.run([sys.executable, "train.py", *args, "--help"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        return " ".join(out.split()).split("--model.context_chars INT ", 1)[1].split("--model.")[0]

    assert "(default: 77)" in shown("--config", str(cfg))
    assert "(default: 77)" in shown(f"--config={cfg}")
    assert "(default: 300)" in shown()


def test_a_config_that_is_not_utf8_is_one_line(tmp_path):
    bad = tmp_path / "binary.yaml"
    bad.write_bytes(b"\xff\xfemodel: {}\n")
    out = subprocess.run([sys.executable, "train.py", "--config", str(bad)], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"{bad}:1: not UTF-8" in out.stderr


def test_a_config_not_utf8_further_down_names_the_line(tmp_path):
    # It named only the byte (58), not the line a text editor shows.
    bad = tmp_path / "mine.yaml"
    bad.write_bytes("# Konfiguration für den Lauf\ntrain:\n  epochs: 2\n".encode()
                    + b"  name: l\xe4uft\n")
    with pytest.raises(ConfigError, match=r"mine.yaml:4: not UTF-8 text \(byte 58\)"):
        parse(["--config", str(bad)])


def test_a_key_given_twice_in_the_yaml_names_its_line(tmp_path):
    # YAML keeps the last of two keys without a word: "epochs: 3" then "epochs: 4" trained
    # 4 epochs, exit 0.
    dup = tmp_path / "dup.yaml"
    dup.write_text("train:\n  epochs: 3\n  learning_rate: 1.0e-4\n  epochs: 4\n",
                   encoding="utf-8")
    with pytest.raises(ConfigError, match=r"dup.yaml:4: malformed YAML \(key 'epochs' twice"):
        parse(["--config", str(dup)])
    dup.write_text("train:\n  epochs: 3\nmodel: {}\ntrain:\n  epochs: 4\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"dup.yaml:4: malformed YAML \(key 'train' twice"):
        parse(["--config", str(dup)])


def test_a_yaml_merge_key_is_not_a_key_given_twice(tmp_path):
    # The duplicate-key check (25d8fc1) read '<<: *base' as a key of its own and failed
    # on its tag ("could not determine a constructor for ... merge"), so a config sharing
    # settings through an anchor, which yaml.safe_load read, was refused. A key written
    # after the merge overrides the merged one, as YAML says; one written twice still fails.
    cfg = tmp_path / "anchors.yaml"
    cfg.write_text("model: &shared {max_length: 96}\n"
                   "train:\n  <<: {epochs: 3, seed: 5}\n  epochs: 1\n", encoding="utf-8")
    assert load_yaml(cfg) == {"model": {"max_length": 96}, "train": {"epochs": 1, "seed": 5}}
    cfg.write_text("base: &b {epochs: 3}\ntrain:\n  <<: *b\n  seed: 2\n  seed: 3\n",
                   encoding="utf-8")
    with pytest.raises(ConfigError, match=r"anchors.yaml:5: malformed YAML \(key 'seed' twice"):
        load_yaml(cfg)

def test_list_options_take_spaces_after_commas():
    from geostance.cli import train_parser
    from geostance.config import config_from_args

    args = train_parser().parse_args(["--data.stance_labels",
                                      "pro_nato, moscow_warning, neutral_balancing",
                                      "--data.corpora", "written, real"])
    cfg = config_from_args(args)
    assert cfg.data.stance_labels == ["pro_nato", "moscow_warning", "neutral_balancing"]
    assert cfg.data.corpora == ["written", "real"]


def test_options_are_taken_only_as_written_in_full():
    # "--train.max" would have been --train.max_steps (argparse's prefix matching).
    out = subprocess.run([sys.executable, "train.py", "--train.max", "5"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 2 and "unrecognized arguments: --train.max 5" in out.stderr


def test_a_config_option_without_its_value_is_one_line(capsys):
    from geostance.entry import train_main

    assert train_main(["--config"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == ["error: argument --config: expected one argument"]


def test_help_shows_zero_and_false_defaults():
    # A default of 0 compares equal to False, and --help used to drop it as "nothing to
    # show": --train.ema_decay, --train.threads, predict.py's --threads and --max-tokens
    # read as if they had no default at all.
    from geostance.cli import predict_parser, train_parser

    def option_help(parser, option: str) -> str:
        text = " ".join(parser.format_help().split())
        return text.split(f"{option} ", 1)[1].split(" --", 1)[0]

    train = train_parser()
    assert "(default: 0.0)" in option_help(train, "--train.ema_decay FLOAT")
    assert "(default: 0)" in option_help(train, "--train.threads INT")
    assert "(default: False)" in option_help(train, "--train.resume [BOOL]")
    predict = predict_parser()
    assert "(default: 0)" in option_help(predict, "--threads THREADS")
    assert "(default: 0)" in option_help(predict, "--max-tokens MAX_TOKENS")
    # Empty values still show nothing rather than "(default: )".
    assert "(default: )" not in train.format_help() + predict.format_help()


@pytest.mark.parametrize("command", ["train", "predict"])
def test_geostance_command_help_names_the_sub_command(command, capsys):
    # `geostance train --help` began "usage: geostance [-h] [--version] [--config ...",
    # a command line that runs nothing (geostance wants a COMMAND first).
    from geostance.cli import main

    assert main([command, "--help"]) == 0
    assert capsys.readouterr().out.startswith(f"usage: geostance {command} [-h]")


@pytest.mark.parametrize("key", ["name", "output_dir"])
def test_a_run_name_or_folder_not_valid_utf8_is_refused_before_training(key):
    # --train.name $'x\xff': the run trained, then saving its weights failed ("path is not
    # valid UTF-8"), exit 70, the training lost.
    with pytest.raises(ConfigError, match=rf"train.{key}: not valid UTF-8 text \(byte 0xff at "
                                          r"character 2\)"):
        parse([f"--train.{key}", "x\udcff"])


def test_an_integer_setting_of_more_digits_than_python_converts_is_a_config_error():
    # Read exactly since this session, "1" * 5000 went to int(), which refuses more than
    # 4,300 digits with ValueError: a traceback (exit 1) instead of one line and exit 2.
    with pytest.raises(ConfigError, match=r"^train.batch_size: expected an integer, got '1111"):
        build_config({"train": {"batch_size": "1" * 5000}})


def test_the_largest_seed_threads_and_batch_that_can_work_are_accepted():
    from geostance.config import TrainConfig

    cfg = build_config({"train": {"seed": 2**32 - 1, "threads": 2**22}})
    assert (cfg.train.seed, cfg.train.threads) == (2**32 - 1, 2**22)
    assert TrainConfig(batch_size=2**63 - 1).batch_size == 2**63 - 1


def test_predict_threads_beyond_what_torch_takes_are_refused():
    from geostance.config import PredictConfig
    from geostance.predict.predictor import Predictor, SettingError

    # torch.set_num_threads raised "Overflow when unpacking long" inside the model load.
    with pytest.raises(ConfigError, match=r"^threads: must be between 0 \(one per core\) "
                                          "and 4194304$"):
        PredictConfig(inputs=["a.txt"], threads=2**31)
    assert PredictConfig(inputs=["a.txt"], threads=2**22).threads == 2**22
    with pytest.raises(SettingError, match="threads must be at most 4194304, got 2147483648"):
        Predictor.load("no-such-model", threads=2**31)


@pytest.mark.parametrize("given", [2**53 + 1, str(2**53 + 1)])
def test_an_integer_setting_is_read_exactly(given):
    # Read through a float, 9007199254740993 became 9007199254740992.
    assert build_config({"train": {"max_steps": given}}).train.max_steps == 2**53 + 1
    assert parse(["--train.max_steps", str(given)]).train.max_steps == 2**53 + 1
    # Written as a float, a whole number is still one.
    assert build_config({"train": {"max_steps": "1e3"}}).train.max_steps == 1000
    assert build_config({"train": {"max_steps": " 12 "}}).train.max_steps == 12


def test_model_context_choices_are_the_model_folders():
    # One list of context modes: train.py's model.context (its type and its check) and a
    # saved model folder's config.json (model.artifacts) both take model.context's.
    import typing

    from geostance.config import ModelConfig
    from geostance.model.context import CONTEXT_MODES

    assert typing.get_args(typing.get_type_hints(ModelConfig)["context"]) == CONTEXT_MODES
    for mode in CONTEXT_MODES:
        assert ModelConfig(context=mode).context == mode
    with pytest.raises(ConfigError, match=r"model.context: 'previous' not in none, prev, "
                                          r"title_prev"):
        ModelConfig(context="previous")
