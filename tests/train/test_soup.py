"""Weight soups and re-evaluation of finished runs (geostance.train.soup) on the tiny model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from geostance.train.soup import average_weights, evaluate_weights, main, make_soup


def _read(run: Path) -> tuple[dict, dict]:
    metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    arrays = json.loads((run / "eval_predictions.json").read_text(encoding="utf-8"))
    return metrics, arrays


def test_reevaluating_a_float32_run_gives_its_own_figures(tiny_run: Path, tmp_path: Path):
    # tiny_run trained and evaluated in float32, so evaluating its weights again on the same
    # splits must reproduce every stored prediction and score.
    again = evaluate_weights([tiny_run.resolve()], tmp_path, "again")
    assert (again / "COMPLETED").is_file() and (again / "model" / "model.safetensors").is_file()
    m0, a0 = _read(tiny_run)
    m1, a1 = _read(again)
    assert m1["evaluated_from"] == [str(tiny_run.resolve())] and "soup_of" not in m1
    c0, c1 = (yaml.safe_load((r / "config.yaml").read_text(encoding="utf-8"))
              for r in (tiny_run, again))
    assert (c1["train"].pop("name"), c1["train"].pop("output_dir")) == ("again", str(tmp_path))
    del c0["train"]["name"], c0["train"]["output_dir"]
    assert c1 == c0
    assert set(a1) == set(a0) and a1 == a0
    for split in a0:
        assert m1[split]["stance"]["macro_f1"] == pytest.approx(m0[split]["stance"]["macro_f1"])
        assert m1[split]["kind"]["macro_f1"] == pytest.approx(m0[split]["kind"]["macro_f1"])


def test_a_soup_holds_the_mean_of_the_runs_weights(tiny_run: Path, tiny_train_args,
                                                   geostance_home, tmp_path: Path):
    from safetensors.torch import load_file

    import train

    assert train.main(tiny_train_args(tmp_path / "other", "--train.seed", "7")) == 0
    runs = [tiny_run.resolve(), (tmp_path / "other" / "latest").resolve()]
    soup = make_soup(runs, tmp_path / "soups", "soup")
    metrics, _ = _read(soup)
    assert metrics["soup_of"] == [str(r) for r in runs]
    want = average_weights([r / "model" for r in runs])
    got = load_file(str(soup / "model" / "model.safetensors"))
    name = next(k for k, v in want.items() if v.is_floating_point() and "stance" in k)
    assert not load_file(str(runs[0] / "model" / "model.safetensors"))[name].equal(want[name])
    assert got[name].allclose(want[name])


def test_soup_needs_two_finished_runs(tiny_run: Path, tmp_path: Path, capsys):
    with pytest.raises(ValueError, match="at least two"):
        make_soup([tiny_run], tmp_path, "one")
    unfinished = tmp_path / "unfinished"
    unfinished.mkdir()
    assert main([str(tiny_run), str(unfinished), "--out", str(tmp_path / "o")]) == 2
    assert "not a finished run" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--help"], None),
    (["OUT"], "error: the following arguments are required: RUN"),
    (["OUT", "{tmp}/not-a-run"], "{tmp}/not-a-run: not a finished run (no COMPLETED)"),
    (["OUT", "{tmp}/plainname"], "{tmp}/plainname: the folder's name is not "
                                 "<date>-<time>-<name>"),
])
def test_reevaluate_script_refuses_bad_arguments_before_any_work(tmp_path, args, message):
    # `python reports/reevaluate.py --help` (or OUT with no run) did nothing and exited 0,
    # and a folder that is not a finished run, or not named <date>-<time>-<name>, stopped with
    # a traceback, after OUT had been made for the runs before it.
    import subprocess
    import sys

    (tmp_path / "plainname").mkdir()
    (tmp_path / "plainname" / "COMPLETED").write_text("", encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    argv = [a.replace("{tmp}", str(tmp_path)).replace("OUT", str(tmp_path / "out"))
            for a in args]
    p = subprocess.run([sys.executable, str(root / "reports" / "reevaluate.py"), *argv],
                       capture_output=True, text=True, cwd=tmp_path)
    assert "Traceback" not in p.stderr, p.stderr
    if message is None:
        assert p.returncode == 0 and p.stdout.startswith("usage: python reports/reevaluate.py")
    else:
        assert p.returncode == 2, (p.stdout, p.stderr)
        assert message.replace("{tmp}", str(tmp_path)) in p.stderr
    assert not (tmp_path / "out").exists()
