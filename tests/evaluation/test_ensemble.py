"""``python -m geostance.evaluation ensemble``: runs' calibrated stance probabilities
averaged, reported against the first group's single runs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from geostance.evaluation.ensemble import Member, ensemble_report, main


def _cells(table: str, label: str) -> list[str]:
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == label:
            return cells
    raise AssertionError(f"no row {label!r} in\n{table}")


def _noisy_probs(gold: np.ndarray, rng, noise: float) -> np.ndarray:
    """Probabilities that favour the gold class, blurred by independent noise."""
    p = np.eye(3)[gold] + rng.random((len(gold), 3)) * noise
    return p / p.sum(1, keepdims=True)


def test_averaging_independent_errors_beats_single_runs():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, 400)
    groups = {g: [Member(Path(f"/runs/{g}{i}"), {"realnews_dev": _noisy_probs(gold, rng, 2.2)})
                  for i in range(3)] for g in ("prev", "title")}
    table = ensemble_report(groups, {"realnews_dev": gold}, 3, resamples=200)
    head = [c.strip() for c in table.splitlines()[0].strip("|").split("|")]
    assert head[:3] == ["ensemble", "ensembles", "runs each (x scoring time)"]
    assert head[3] == "realnews_dev stance F1 (400)"
    single = _cells(table, "prev: single runs")
    assert single[1:3] == ["3", "1"] and "±" in single[3] and single[4] == "–"
    cross = _cells(table, "one run of each group (prev + title)")
    assert cross[1:3] == ["3", "2"]
    every = _cells(table, "all 6 runs averaged")
    assert every[1:3] == ["1", "6"]
    # Independent errors average out: six runs beat one clearly, and the paired interval
    # against the single runs lies above zero.
    d, lo, hi = (float(x) for x in every[4].replace("[", "").replace("]", "")
                 .replace(",", "").split())
    assert d > 0.05 and lo > 0 and lo <= d <= hi
    assert float(every[3]) > float(single[3].split(" ± ")[0])
    # Each group's own average has a row too.
    assert _cells(table, "title: its 3 runs averaged")[1:3] == ["1", "3"]


def test_a_run_averaged_with_itself_changes_nothing():
    rng = np.random.default_rng(1)
    gold = rng.integers(0, 3, 100)
    m = Member(Path("/runs/a"), {"realdev": _noisy_probs(gold, rng, 1.5)})
    table = ensemble_report({"a": [m], "b": [m]}, {"realdev": gold}, 3, resamples=100)
    assert _cells(table, "one run of each group (a + b)")[4].startswith("+0.000")
    assert "its 1 runs" not in table  # a group of one run has no average of its own


def test_command_scores_real_runs(tmp_path, tiny_train_args, fixture_corpus, geostance_home,
                                  capsys):
    import train

    # A small labelled set in realnews_dev's format: the fixture corpus's test articles
    # (never trained on, so the leakage check passes).
    test_ids = {a["article_id"] for a in map(json.loads, (fixture_corpus / "articles.jsonl")
                                             .read_text(encoding="utf-8").splitlines())
                if a["split"] == "test"}
    rows = [r for r in map(json.loads, (fixture_corpus / "sentences.jsonl").read_text(
        encoding="utf-8").splitlines()) if r["article_id"] in test_ids]
    realnews = tmp_path / "realnews.jsonl"
    realnews.write_text("".join(json.dumps({
        "id": f"r{i}", "lang": "de", "article_id": r["article_id"], "title": "",
        "context_prev": rows[i - 1]["text"] if i else "", "text": r["text"],
        "kind": r["kind"], "stance": r["stance"]}) + "\n" for i, r in enumerate(rows)),
        encoding="utf-8")
    runs = []
    for seed in (1, 2):
        out = tmp_path / f"runs{seed}"
        assert train.main(tiny_train_args(out, "--train.seed", str(seed),
                                          "--data.realnews_dev", str(realnews))) == 0
        runs.append(str(out / "latest"))
    report = tmp_path / "ensemble.md"
    assert main(["--group", "a", runs[0], "--group", "b", runs[1], "--resamples", "50",
                 "--out", str(report)]) == 0
    text = report.read_text(encoding="utf-8")
    assert text.strip() in capsys.readouterr().out  # printed and written
    n = sum(1 for r in rows if r["stance"])
    assert f"realnews_dev stance F1 ({n})" in text
    assert "all 2 runs averaged" in text and runs[0] in text
    # Each run is named with the model it held ("latest" moves on): weights and version.
    model = json.loads((Path(runs[0]) / "metrics.json").read_text(encoding="utf-8"))["model"]
    assert f"{runs[0]} (" in text and f"weights {model['weights_sha256'][:12]}" in text
    # The single rows are the runs' own realnews_dev scores (same predictor, same inputs).
    m = json.loads((Path(runs[0]) / "metrics.json").read_text(encoding="utf-8"))
    assert _cells(text, "a: single runs")[3] == f"{m['realnews_dev']['stance']['macro_f1']:.3f}"
    # The report is not written over, and a folder without a model is one line, before
    # any scoring.
    capsys.readouterr()
    with pytest.raises(SystemExit) as e:
        main(["--group", "a", runs[0], "--group", "b", runs[1], "--out", str(report)])
    assert e.value.code == 2 and "exists; --overwrite replaces it" in capsys.readouterr().err
    cfg_only = tmp_path / "cfg_only"
    cfg_only.mkdir()
    (cfg_only / "config.yaml").write_text("{}\n", encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        main(["--group", "a", runs[0], str(cfg_only)])
    assert e.value.code == 2 and "not a complete geostance model folder" in \
        capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-5", "many"])
def test_resamples_below_one_is_refused_before_any_scoring(tmp_path, capsys, value):
    """--resamples 0 scored every run for minutes, then died in numpy (IndexError)."""
    with pytest.raises(SystemExit) as e:
        main(["--group", "a", str(tmp_path / "no-run"), "--resamples", value])
    err = capsys.readouterr().err
    assert e.value.code == 2 and "--resamples" in err and "Traceback" not in err
    assert "not a finished run folder" not in err  # refused at parse time, before the runs
