"""``python -m geostance.evaluation sweep``: overlays merged over the base config, every
(config, seed) trained once, and a Markdown report of mean and spread per configuration."""

from __future__ import annotations

import json
import os
import re
import shlex
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from geostance.evaluation.sweep import merge, report

ROOT = Path(__file__).resolve().parents[2]


def test_merge_overlays_section_by_section():
    base = {"model": {"context": "none", "max_length": 128}, "train": {"epochs": 2}}
    out = merge(base, {"model": {"context": "prev"}, "extra": 1})
    assert out == {"model": {"context": "prev", "max_length": 128}, "train": {"epochs": 2},
                   "extra": 1}
    assert base["model"]["context"] == "none"  # the base is not changed
    assert merge(base, None) == base and merge(base, {}) == base


def _fake_run(seed: int, f1: float, gold: list[int], pred: list[int]) -> dict:
    return {"seed": seed, "dir": Path(f"/runs/{seed}"),
            "metrics": {"realnews_dev": {"stance": {"macro_f1": f1}, "kind": {"macro_f1": 0.5}},
                        "train_seconds": 10.0 + seed},
            "arrays": {"realnews_dev": {"stance_gold": gold, "stance_pred": pred}}}


def _row(table: str, name: str) -> list[str]:
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == name:
            return cells
    raise AssertionError(f"no row {name!r} in\n{table}")


def test_report_mean_spread_and_comparison():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, 60).tolist()
    good = [g if rng.random() < 0.9 else (g + 1) % 3 for g in gold]
    bad = [g if rng.random() < 0.4 else (g + 1) % 3 for g in gold]
    runs = {"base": [_fake_run(1, 0.6, gold, bad), _fake_run(2, 0.7, gold, bad)],
            "better": [_fake_run(1, 0.8, gold, good), _fake_run(2, 0.9, gold, good)],
            "unfinished": []}
    table = report(runs, resamples=200)
    head = [c.strip() for c in table.splitlines()[0].strip("|").split("|")]
    assert head[:3] == ["config", "seeds", "realnews_dev stance F1"]
    assert "realnews_dev stance vs base" in head and head[-1] == "train s/run"
    base, better = _row(table, "base"), _row(table, "better")
    assert "unfinished" not in table  # configurations without a finished run are left out
    assert base[1] == better[1] == "2"
    sd = statistics.stdev([0.6, 0.7])
    assert base[2] == f"{0.65:.3f} ± {sd:.3f}" and better[2] == f"{0.85:.3f} ± {sd:.3f}"
    assert base[3] == better[3] == "0.500 ± 0.000"
    assert re.fullmatch(r"\[0\.\d{3}, 0\.\d{3}\]", base[4])
    assert base[5] == "baseline"
    d, lo, hi = map(float, re.fullmatch(r"([+-]\d\.\d{3}) \[([+-]\d\.\d{3}), ([+-]\d\.\d{3})\]",
                                        better[5]).groups())
    assert 0 < lo <= d <= hi  # clearly better than the baseline
    assert base[-1] == better[-1] == "12"  # mean training seconds
    assert base[6:10] == ["-", "-", "-", "-"]  # no realdev in these runs
    assert report({"a": []}) == "No finished runs."
    # A test split is reported only when asked for.
    assert "realtest" not in table
    with_test = report(runs, resamples=50, sets=("realnews_dev", "realdev", "realtest"))
    assert "realtest stance F1" in with_test.splitlines()[0]
    # Runs on a grown corpus score more sentences than the baseline's: no paired difference.
    grown = {"base": runs["base"], "grown": [_fake_run(1, 0.8, gold + [0], good + [0])]}
    assert _row(report(grown, resamples=50), "grown")[5] == "other set (61 vs 60)"


def _with_ids(run: dict, ids: list[str]) -> dict:
    run["arrays"]["realnews_dev"]["stance_id"] = ids
    return run


def test_report_pairs_a_grown_corpus_on_the_shared_sentence_ids():
    rng = np.random.default_rng(1)
    gold = rng.integers(0, 3, 80).tolist()
    bad = [g if rng.random() < 0.4 else (g + 1) % 3 for g in gold]
    good = [g if rng.random() < 0.9 else (g + 1) % 3 for g in gold]
    ids = [f"s{i}" for i in range(80)]
    base = [_with_ids(_fake_run(1, 0.5, gold, bad), ids)]
    # The grown run scored 10 more sentences, inserted at the front, all wrong: pairing by
    # position would compare different sentences; by id it compares the 80 shared ones.
    extra_gold = [0] * 10
    grown = [_with_ids(_fake_run(1, 0.8, extra_gold + gold, [1] * 10 + good),
                       [f"new{i}" for i in range(10)] + ids)]
    cell = _row(report({"base": base, "grown": grown}, resamples=200), "grown")[5]
    m = re.fullmatch(r"([+-]\d\.\d{3}) \[([+-]\d\.\d{3}), ([+-]\d\.\d{3})\] on 80 shared",
                     cell)
    assert m, cell
    d, lo, hi = map(float, m.groups())
    assert 0 < lo <= d <= hi
    from geostance.evaluation.bootstrap import macro_f1
    assert d == pytest.approx(macro_f1(np.array(gold), np.array(good), 3)
                              - macro_f1(np.array(gold), np.array(bad), 3), abs=5e-4)
    # Shared ids whose gold labels differ are not paired.
    relabelled = [_with_ids(_fake_run(1, 0.8, [(g + 1) % 3 for g in gold], good), ids[::-1])]
    assert _row(report({"base": base, "r": relabelled}, resamples=20), "r")[5] == \
        "other gold labels"
    # Runs of the same sentences in the same order pair as before, with or without ids.
    same = [_with_ids(_fake_run(1, 0.8, gold, good), ids)]
    assert _row(report({"base": base, "same": same}, resamples=20), "same")[5].endswith("]")


def test_report_by_speaker_status():
    gold = [0, 1, 2, 0, 1, 2, 0, 1]
    groups = ["none", "none", "none", "seen", "seen", "unseen", "unseen", "none"]
    right_on_seen = [1, 2, 0, 0, 1, 0, 1, 2]  # right only where the speaker was seen
    runs = {"base": [{"seed": s, "metrics": {}, "dir": Path("/r"),
                      "arrays": {"realdev": {"stance_gold": gold,
                                             "stance_pred": right_on_seen}}}
                     for s in (1, 2)]}
    table = report(runs, resamples=50, groups=groups).split("\n\n")[-1]
    assert "speaker seen (n=2)" in table and "speaker unseen (n=2)" in table
    row = _row(table, "base")
    assert row[1] == "2" and row[3] == "1.000 ± 0.000" and row[4] == "0.000 ± 0.000"
    # Predictions that do not line up with the groups are left out, not misread.
    assert "| base |" not in report(runs, resamples=50, groups=groups[:-1]).split("\n\n")[-1]


def test_speaker_groups_on_the_real_corpus():
    from geostance.evaluation.speakers import GROUPS, speaker_groups

    groups = speaker_groups(ROOT / "data" / "real", ROOT / "data" / "corpus")
    # One per real dev sentence with a stance, the rows eval_predictions.json holds.
    dev = [json.loads(x) for f in (ROOT / "data/real/sentences").glob("*.jsonl")
           for x in f.open(encoding="utf-8")]
    docs = {json.loads(x)["doc_id"]: json.loads(x)["split"]
            for x in (ROOT / "data/real/documents.jsonl").open(encoding="utf-8")}
    n = sum(1 for r in dev if docs[r["doc_id"]] == "dev" and r["stance"])
    assert len(groups) == n
    assert set(groups) == set(GROUPS)


def test_scores_by_speaker_checks_lengths():
    from geostance.evaluation.speakers import scores_by_speaker

    with pytest.raises(ValueError, match="line up"):
        scores_by_speaker(["none", "seen"], [0, 1], [[0]])


def _realnews(path: Path, n: int = 40) -> Path:
    """A small stand-in for realnews_dev, in none of the training splits (the loader
    refuses leakage)."""
    kinds = ["claim", "claim", "heading", "boilerplate", "other"]
    stances = ["pro_nato", "moscow_warning", "neutral_balancing"]
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            kind = kinds[i % len(kinds)]
            f.write(json.dumps({
                "id": f"rn{i}", "lang": "en", "title": f"Report {i // 5}",
                "context_prev": f"Earlier sentence {i}." if i % 5 else "",
                "text": f"Officials in capital {i} discussed the summit and the border.",
                "kind": kind, "stance": "" if kind == "boilerplate" else stances[i % 3],
            }) + "\n")
    return path


def _without_output_dir(args: list[str]) -> list[str]:
    """The sweep names each run's folder itself; a later --train.output_dir would win."""
    i = args.index("--train.output_dir")
    return args[:i] + args[i + 2:]


@pytest.mark.slow  # ~60-90 s on 2 cores: four train.py processes, each importing torch
def test_sweep_trains_every_config_and_seed_and_reports(tmp_path, tiny_train_args,
                                                        geostance_home):
    plain, smooth = tmp_path / "plain.yaml", tmp_path / "smooth.yaml"
    plain.write_text("{}\n", encoding="utf-8")
    smooth.write_text("train: {label_smoothing: 0.1}\n", encoding="utf-8")
    realnews = _realnews(tmp_path / "realnews.jsonl")
    extra = _without_output_dir(tiny_train_args(tmp_path / "unused")) + [
        "--data.realnews_dev", str(realnews), "--data.seed_article", "none",
        "--train.baseline", "false"]
    out = tmp_path / "sweep"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    sweep = [sys.executable, "-m", "geostance.evaluation", "sweep", str(plain), str(smooth),
             "--seeds", "1", "2", "--out", str(out), "--train-args", shlex.join(extra),
             "--resamples", "200", "--jobs", "2"]  # two runs at a time, as on a GPU
    # cwd: the sweep runs `python train.py` and reads configs/default.yaml from the repo root.
    p = subprocess.run(sweep, capture_output=True, text=True, cwd=ROOT, env=env, timeout=900)
    assert p.returncode == 0, p.stderr[-3000:]
    for name, smoothing in (("plain", 0.0), ("smooth", 0.1)):
        merged = yaml.safe_load((out / name / "config.yaml").read_text(encoding="utf-8"))
        default = yaml.safe_load((ROOT / "configs" / "default.yaml").read_text("utf-8"))
        assert merged["model"] == default["model"]  # the base, with the overlay on top
        assert merged["train"].get("label_smoothing", 0.0) == smoothing
        for seed in (1, 2):
            runs = list((out / name).glob(f"*-{name}-s{seed}"))
            assert len(runs) == 1 and (runs[0] / "COMPLETED").is_file(), \
                (out / name / f"train-s{seed}.log").read_text()[-2000:]
            # Checkpoints of a finished run are deleted; its model stays.
            assert not (runs[0] / "checkpoints").exists()
            assert (runs[0] / "model" / "model.safetensors").is_file()
            used = yaml.safe_load((runs[0] / "config.yaml").read_text(encoding="utf-8"))
            assert used["train"]["seed"] == seed
            assert used["train"]["label_smoothing"] == smoothing
            assert used["model"]["base"] != default["model"]["base"]  # --train-args applied

    # Finished runs are not repeated; --report-only trains nothing.
    again = subprocess.run(sweep, capture_output=True, text=True, cwd=ROOT, env=env,
                           timeout=300)
    assert again.returncode == 0 and "[sweep]" not in again.stderr
    md = tmp_path / "report" / "sweep.md"
    p = subprocess.run([*sweep, "--report-only", "--report", str(md)], capture_output=True,
                       text=True, cwd=ROOT, env=env, timeout=300)
    assert p.returncode == 0, p.stderr
    table = md.read_text(encoding="utf-8")
    assert table.strip() == p.stdout.strip()
    for name in ("plain", "smooth"):
        row = _row(table, name)
        assert row[1] == "2"
        metrics = [json.loads(d.joinpath("metrics.json").read_text(encoding="utf-8"))
                   for d in sorted((out / name).glob(f"*-{name}-s*"))]
        f1 = [m["realnews_dev"]["stance"]["macro_f1"] for m in metrics]
        assert row[2] == f"{statistics.mean(f1):.3f} ± {statistics.stdev(f1):.3f}"
        assert re.fullmatch(r"\[\d\.\d{3}, \d\.\d{3}\]", row[4])
    assert _row(table, "plain")[5] == "baseline"
    assert re.fullmatch(r"[+-]\d\.\d{3} \[.*\]", _row(table, "smooth")[5])


def test_sweep_missing_config_exits_2(tmp_path, capsys):
    from geostance.evaluation.__main__ import main

    assert main(["sweep", str(tmp_path / "nope.yaml"), "--report-only"]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_sweep_jobs_must_be_positive(tmp_path, capsys):
    from geostance.evaluation.__main__ import main

    plain = tmp_path / "plain.yaml"
    plain.write_text("{}\n", encoding="utf-8")
    assert main(["sweep", str(plain), "--jobs", "0", "--report-only"]) == 2
    assert "--jobs must be >= 1" in capsys.readouterr().err


def test_a_failed_run_fails_the_sweep(tmp_path, monkeypatch, capsys):
    from geostance.evaluation.__main__ import main

    plain = tmp_path / "plain.yaml"
    plain.write_text("{}\n", encoding="utf-8")
    out = tmp_path / "sweep"
    monkeypatch.chdir(ROOT)  # the sweep runs `python train.py` from the repo root
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
    rc = main(["sweep", str(plain), "--seeds", "3", "--out", str(out),
               "--train-args", "--no-such-option 1"])
    captured = capsys.readouterr()
    assert rc == 1
    assert f"error: no finished runs of plain with seeds 3 under {out}" in captured.err
    assert "1 run(s) failed: plain seed 3" in captured.err
    assert "--no-such-option" in (out / "plain" / "train-s3.log").read_text()


def _write_run(folder: Path, name: str, f1: float, config: dict, gold: list[int],
               pred: list[int]) -> Path:
    """A finished run folder as train.py leaves it (only what the sweep reads)."""
    d = folder / f"20260101-000000-{name}"
    d.mkdir(parents=True)
    (d / "COMPLETED").write_text("", encoding="utf-8")
    (d / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (d / "metrics.json").write_text(json.dumps(
        {"realnews_dev": {"stance": {"macro_f1": f1}, "kind": {"macro_f1": 0.5}}}),
        encoding="utf-8")
    (d / "eval_predictions.json").write_text(json.dumps(
        {"realnews_dev": {"stance_gold": gold, "stance_pred": pred}}), encoding="utf-8")
    return d


def test_baseline_runs_are_reused_not_trained(tmp_path, monkeypatch, capsys):
    from geostance.evaluation import sweep

    gold = [0, 1, 2] * 10
    base_yaml, plain, smooth = (tmp_path / n for n in ("base.yaml", "plain.yaml",
                                                       "smooth.yaml"))
    base_yaml.write_text("model: {context: prev}\ntrain: {epochs: 2}\n", encoding="utf-8")
    plain.write_text("{}\n", encoding="utf-8")
    smooth.write_text("train: {label_smoothing: 0.1}\n", encoding="utf-8")
    # The reused runs: another sweep's, under another name, one of them trained for 3
    # epochs (a difference the sweep must point out) and with bf16 as train.py writes it.
    other = tmp_path / "other" / "old_name"
    for seed, epochs in ((1, 2.0), (2, 3.0)):
        cfg = {"model": {"context": "prev"},
               "train": {"epochs": epochs, "seed": seed, "name": f"old_name-s{seed}",
                         "bf16": "true", "threads": 1}}
        _write_run(other, f"old_name-s{seed}", 0.6, cfg, gold, gold[:-3] + [0, 0, 0])
    out = tmp_path / "sweep"
    for seed in (1, 2):
        _write_run(out / "smooth", f"smooth-s{seed}", 0.7, {}, gold, gold)
    trained: list[list[str]] = []
    monkeypatch.setattr(sweep, "run_sweep", lambda configs, *a, **k: trained.append(
        [c.stem for c in configs]) or [])
    rc = sweep.main([str(plain), str(smooth), "--base", str(base_yaml), "--seeds", "1", "2",
                     "--out", str(out), "--baseline-runs", str(other), "--resamples", "50",
                     "--train-args", "--train.bf16 true --train.threads 1"])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert trained == [["smooth"]]  # the baseline is read, never trained
    assert not (out / "plain").exists()
    assert _row(captured.out, "plain")[1] == "2" and _row(captured.out, "plain")[2] == \
        "0.600 ± 0.000"
    assert _row(captured.out, "plain")[5] == "baseline"
    assert re.fullmatch(r"\+\d\.\d{3} \[.*\]", _row(captured.out, "smooth")[5])
    notes = [line for line in captured.err.splitlines() if line.startswith("note:")]
    assert notes == ["note: baseline run 20260101-000000-old_name-s2 differs from "
                     "plain.yaml: train.epochs (run: 3.0, config: 2)"]

    # A seed without a finished baseline run is an error before anything is trained.
    trained.clear()
    rc = sweep.main([str(plain), str(smooth), "--base", str(base_yaml), "--seeds", "1", "3",
                     "--out", str(out), "--baseline-runs", str(other)])
    assert rc == 2 and trained == []
    assert f"--baseline-runs {other}: no finished run for seed 3" in capsys.readouterr().err

    # One config with --baseline-runs would report the old runs under its name: refused.
    rc = sweep.main([str(smooth), "--base", str(base_yaml), "--seeds", "1",
                     "--out", str(out), "--baseline-runs", str(other)])
    assert rc == 2 and trained == []
    assert "give the baseline's config first" in capsys.readouterr().err


def test_sweep_resamples_must_be_positive(tmp_path, capsys):
    from geostance.evaluation.__main__ import main

    plain = tmp_path / "plain.yaml"
    plain.write_text("{}\n", encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        main(["sweep", str(plain), "--resamples", "0", "--report-only"])
    assert e.value.code == 2 and "--resamples: must be at least 1" in capsys.readouterr().err
