"""Ensemble folders: ``python -m geostance.train.ensemble`` writes one from runs, and
``Predictor.load`` / ``predict.py`` score with the mean of the members' probabilities."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import predict  # the repo-root entry point
from geostance.predict.ensemble import Ensemble, average_probabilities
from geostance.predict.predictor import ModelLoadError, Predictor
from geostance.train.ensemble import main as ensemble_main

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "demo_article_en.txt"


@pytest.fixture(scope="module")
def second_run(tmp_path_factory, tiny_train_args, geostance_home) -> Path:
    """A second tiny run: another seed and no context, so the members differ in input."""
    import train

    out = tmp_path_factory.mktemp("runs2")
    assert train.main(tiny_train_args(out, "--train.seed", "7", "--model.context",
                                      "none")) == 0
    return out / "latest"


@pytest.fixture(scope="module")
def ensemble_dir(tmp_path_factory, tiny_run, second_run) -> Path:
    out = tmp_path_factory.mktemp("ens") / "ens"
    assert ensemble_main([str(tiny_run), str(second_run), "--out", str(out)]) == 0
    return out


SENTS = [{"text": "Moscow warned that NATO bases would require a response.", "title": "T",
          "context_prev": "Officials met in Baku."},
         {"text": "The two ministers discussed trade.", "title": "T", "context_prev": ""},
         {"text": "Alliance ties were strengthened. " * 40, "title": "", "context_prev": ""}]


@pytest.mark.parametrize("backend", ["torch", "onnx"])
def test_probabilities_are_the_members_mean(ensemble_dir, tiny_run, second_run, backend):
    ens = Predictor.load(ensemble_dir, backend=backend, threads=1)
    assert isinstance(ens, Ensemble) and len(ens.members) == 2
    # torch: the runs loaded on their own; onnx: the ensemble's own members (no second
    # export of each run: the averaging is what is checked there).
    members = [Predictor.load(r, backend=backend, threads=1) for r in (tiny_run, second_run)] \
        if backend == "torch" else ens.members
    got = ens.predict_sentences(SENTS)
    alone = [m.predict_sentences(SENTS) for m in members]
    for i, rec in enumerate(got):
        for head in ("kind_probs", "stance_probs"):
            want = average_probabilities([[list(a[i][head].values())] for a in alone])[0]
            assert np.allclose(list(rec[head].values()), want, atol=2e-6)
        assert rec["stance"] == "" or rec["stance"] == max(rec["stance_probs"],
                                                           key=rec["stance_probs"].get)
    # The long sentence is cut into windows; the ensemble reports the most any member cut.
    assert got[2]["windows"] == max(a[2]["windows"] for a in alone) > 1
    info = ens.model_info
    assert [m["weights_sha256"] for m in info["members"]] == \
        [m.model_info["weights_sha256"] for m in members]
    assert len(info["weights_sha256"]) == 64 and info["fingerprint"] != \
        members[0].model_info["fingerprint"]


def test_predict_py_with_an_ensemble(ensemble_dir, tmp_path, capsys):
    out = tmp_path / "pred.jsonl"
    assert predict.main([str(DEMO), "--out", str(out), "--model", str(ensemble_dir),
                         "--no-progress"]) == 0
    assert "scored 1 of 1 articles" in capsys.readouterr().out
    (rec,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rec["error"] is None and rec["sentences"]
    assert rec["model"]["name"] == "ens" and len(rec["model"]["members"]) == 2
    # Resume recognises the same ensemble: nothing is scored twice.
    assert predict.main([str(DEMO), "--out", str(out), "--model", str(ensemble_dir),
                         "--no-progress", "--resume"]) == 0
    assert "1 kept from a previous run" in capsys.readouterr().out


def test_the_folder_lists_copied_members(tiny_run, second_run, tmp_path):
    Predictor.load(tiny_run, backend="onnx", threads=1)  # its export cached beside it
    assert (tiny_run / "model" / "onnx").is_dir()
    out = tmp_path / "ens"
    assert ensemble_main([str(tiny_run), str(second_run / "model"), "--out", str(out)]) == 0
    spec = json.loads((out / "ensemble.json").read_text(encoding="utf-8"))
    assert spec["members"] == ["members/00", "members/01"]
    assert spec["made_from"] == [str(tiny_run.resolve()), str((second_run / "model").resolve())]
    for m in spec["members"]:
        assert (out / m / "model.safetensors").is_file()
        assert not (out / m / "onnx").exists()  # exports are rebuilt, not copied
    assert [p.name for p in tmp_path.iterdir()] == ["ens"]  # no temporary folder left


def test_bad_ensembles_fail_clearly(ensemble_dir, tiny_run, tmp_path, capsys):
    # One run is not an ensemble; an existing folder is not replaced silently.
    assert ensemble_main([str(tiny_run), "--out", str(tmp_path / "one")]) == 2
    assert "at least two runs" in capsys.readouterr().err
    assert ensemble_main([str(tiny_run), str(tiny_run), "--out", str(ensemble_dir)]) == 2
    assert "exists" in capsys.readouterr().err
    assert ensemble_main([str(tiny_run), str(tmp_path), "--out", str(tmp_path / "x")]) == 2
    assert str(tmp_path) in capsys.readouterr().err and not (tmp_path / "x").exists()
    # --overwrite never deletes a run, nor any folder that is not an ensemble.
    before = sorted(p.name for p in tiny_run.iterdir())
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("keep", encoding="utf-8")
    members = [str(ensemble_dir / "members" / "00"), str(ensemble_dir / "members" / "01")]
    for out, says in ((tiny_run, "is not an ensemble folder"),
                      (other, "is not an ensemble folder"),
                      (ensemble_dir / "members" / "00" / "ens", "overlaps the member")):
        assert ensemble_main([*members, "--out", str(out), "--overwrite"]) == 2
        assert says in capsys.readouterr().err
    assert sorted(p.name for p in tiny_run.iterdir()) == before
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep"
    assert ensemble_main([str(tiny_run), str(tiny_run / "model"), "--out",
                          str(tmp_path / "twice")]) == 2
    assert "given twice" in capsys.readouterr().err
    (tmp_path / "f.jsonl").write_text("", encoding="utf-8")
    assert ensemble_main([str(tiny_run), str(tiny_run), "--out", str(tmp_path / "f.jsonl"),
                          "--overwrite"]) == 2
    assert "is a file; an ensemble is a folder" in capsys.readouterr().err
    # A damaged ensemble.json names the file and the field.
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "ensemble.json").write_text('{"members": ["members/00"]}', encoding="utf-8")
    with pytest.raises(ModelLoadError, match=r"ensemble\.json: members: must list at least"):
        Predictor.load(bad)
    (bad / "ensemble.json").write_text('{"members": ["../x", "../y"]}', encoding="utf-8")
    with pytest.raises(ModelLoadError, match=r"members\[0\]: '../x' lies outside"):
        Predictor.load(bad)
    (bad / "ensemble.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelLoadError, match=r"ensemble\.json: cannot be read"):
        Predictor.load(bad)
    assert predict.main([str(DEMO), "--out", str(tmp_path / "p.jsonl"), "--model", str(bad),
                         "--no-progress"]) != 0
