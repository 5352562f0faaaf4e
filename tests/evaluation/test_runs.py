"""Finished runs read back for reports: their sets, rows scored as sentence mode scores
them, and the report scripts' shared command line."""

from __future__ import annotations

import numpy as np

from geostance.evaluation.realnews import sentence_items
from geostance.evaluation.runs import report_over_runs, run_sets, score_rows
from geostance.predict.predictor import Predictor


def test_run_sets_and_score_rows_on_a_trained_run(tiny_run):
    cfg, sets = run_sets(tiny_run)
    assert cfg.model.base and sets["train"]
    pred = Predictor.load(tiny_run, backend="torch")
    rows = sets["dev"][:12]
    kind_p, stance_p = score_rows(pred, rows)
    assert kind_p.shape == (12, len(pred.kinds)) and stance_p.shape == (12, len(pred.stances))
    assert np.allclose(stance_p.sum(axis=1), 1.0, atol=1e-5)
    # The probabilities sentence mode gives the same rows (records round to 6 decimals).
    recs = pred.predict_sentences(sentence_items(pred, rows))
    direct = np.array([[r["stance_probs"][k] for k in pred.stances] for r in recs])
    assert np.allclose(direct, stance_p, atol=1e-5)


def test_report_over_runs_measures_each_run_and_writes_the_report(tmp_path, capsys):
    runs = [tmp_path / "a", tmp_path / "b"]
    for r in runs:
        r.mkdir()
    out = tmp_path / "report.md"
    seen = []

    def measure(run):
        seen.append(run.name)
        return len(seen)

    rc = report_over_runs("A report.\n\nMore.", "t", measure,
                          lambda rs, results, n: f"{[r.name for r in rs]} {results} {n}\n",
                          [str(r) for r in runs] + ["--out", str(out), "--resamples", "7"])
    assert rc == 0 and seen == ["a", "b"]
    assert out.read_text(encoding="utf-8") == "['a', 'b'] [1, 2] 7\n"
    captured = capsys.readouterr()
    assert "['a', 'b'] [1, 2] 7" in captured.out and "[t] " in captured.err


def test_run_config_finds_relative_data_paths_from_another_folder(tmp_path, monkeypatch):
    # Training ran in tmp_path/work with data/ beside runs/; a notebook reads the run
    # from tmp_path/work/notebooks, where none of the relative paths exist.
    from geostance.evaluation.runs import run_config

    work = tmp_path / "work"
    (work / "data" / "contrast").mkdir(parents=True)
    (work / "data" / "contrast" / "sentences.jsonl").write_text("", encoding="utf-8")
    (work / "own").mkdir()
    (work / "own" / "dev.jsonl").write_text("", encoding="utf-8")
    run = work / "runs" / "r1"
    run.mkdir(parents=True)
    (run / "config.yaml").write_text(
        "data:\n  contrast_files: [data/contrast/sentences.jsonl]\n"
        "  dev_files: [own/dev.jsonl]\n  corpus_dir: nowhere/corpus\n", encoding="utf-8")
    (work / "notebooks").mkdir()
    monkeypatch.chdir(work / "notebooks")
    data = run_config(run).data
    assert data.contrast_files == [str(work / "data" / "contrast" / "sentences.jsonl")]
    assert data.dev_files == [str(work / "own" / "dev.jsonl")]
    # Found nowhere: left as written, so the error that follows names it.
    assert data.corpus_dir == "nowhere/corpus"


def test_compare_names_a_folder_that_is_not_a_finished_run(tiny_run, tmp_path, capsys):
    from geostance.evaluation.__main__ import main

    assert main(["compare", str(tiny_run), "--plain"]) == 0
    out = capsys.readouterr().out
    assert tiny_run.resolve().name in out and "weights" in out
    unfinished = tmp_path / "unfinished"
    unfinished.mkdir()
    (unfinished / "config.yaml").write_text("{}\n", encoding="utf-8")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "metrics.json").write_text('{"realdev": ', encoding="utf-8")
    for run, says in ((tmp_path / "nowhere", "not a run folder"),
                      (unfinished, "metrics.json: missing (an unfinished or failed run?)"),
                      (broken, "metrics.json: not valid JSON")):
        assert main(["compare", str(tiny_run), str(run)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {run}") and says in err and "Traceback" not in err


def test_compare_names_a_run_s_own_training_files(tiny_run, tmp_path, capsys):
    # Before: a run trained with an annotation export showed the same settings as one
    # without; only its name could say so.
    import shutil

    from geostance.evaluation.__main__ import main

    run = tmp_path / "annotated"
    run.mkdir()
    shutil.copy(tiny_run / "metrics.json", run / "metrics.json")
    (run / "config.yaml").write_text("data:\n  add_train_files: [exports/project-1.json]\n",
                                     encoding="utf-8")
    assert main(["compare", str(tiny_run), str(run), "--plain"]) == 0
    out = capsys.readouterr().out.splitlines()
    line = next(x for x in out if "annotated" in x)
    assert "add_train_files=project-1.json" in line
    assert not any("add_train_files" in x for x in out if tiny_run.resolve().name in x)


def test_compare_shows_a_hand_written_corpora_setting_as_written(tiny_run, tmp_path,
                                                                  capsys):
    # corpora as the command line writes it ("written") showed as "w+r+i+t+t+e+n"; a list
    # holding a number was a TypeError traceback.
    import shutil

    from geostance.evaluation.__main__ import main

    for name, corpora in (("one", "written"), ("odd", "[written, 1]")):
        run = tmp_path / name
        run.mkdir()
        shutil.copy(tiny_run / "metrics.json", run / "metrics.json")
        (run / "config.yaml").write_text(f"data:\n  corpora: {corpora}\n", encoding="utf-8")
    assert main(["compare", str(tmp_path / "one"), str(tmp_path / "odd"), "--plain"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "corpora=written " in next(x for x in out if x.startswith("one"))
    assert "corpora=written+1 " in next(x for x in out if x.startswith("odd"))


def test_report_over_runs_refuses_zero_resamples(tmp_path, capsys):
    import pytest

    measured = []
    with pytest.raises(SystemExit) as e:
        report_over_runs("A report.", "t", measured.append, lambda *a: "",
                         [str(tmp_path), "--resamples", "0"])
    assert e.value.code == 2 and "--resamples: must be at least 1" in capsys.readouterr().err
    assert not measured


def test_report_over_runs_names_a_run_that_is_not_one(tmp_path, capsys):
    """A missing folder, or one without a model, was a ModelLoadError traceback."""
    import pytest

    from geostance.predict.predictor import Predictor as P

    with pytest.raises(SystemExit) as e:
        report_over_runs("A report.", "t", lambda run: None, lambda *a: "",
                         [str(tmp_path / "nope")])
    assert e.value.code == 2 and "nope: no such run folder" in capsys.readouterr().err
    rc = report_over_runs("A report.", "t", lambda run: P.load(run), lambda *a: "",
                          [str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 2 and f"error: {tmp_path}: " in err and "Traceback" not in err


def test_report_over_runs_refuses_an_out_that_names_a_folder(tmp_path, capsys):
    # --out reports/new/ was read as a Path, which drops the "/": the check passed and the
    # report was written as a file called "new", after all the scoring.
    import pytest

    measured = []
    with pytest.raises(SystemExit) as e:
        report_over_runs("A report.", "t", measured.append, lambda *a: "report",
                         [str(tmp_path), "--out", f"{tmp_path}/new/"])
    assert e.value.code == 2 and "names a folder" in capsys.readouterr().err
    assert not measured and not (tmp_path / "new").exists()
