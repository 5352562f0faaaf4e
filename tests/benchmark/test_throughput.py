"""The speed benchmark: inputs, the peer's rows, and one end-to-end run on the tiny model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geostance.benchmark.inprocess import operator_flop_shares, ort_operator_shares, rates_in_rounds
from geostance.benchmark.inputs import write_inputs
from geostance.benchmark.throughput import (
    Options,
    main,
    report,
    round_ratios,
    run_benchmark,
)
from geostance.hardware import native_bf16

ROOT = Path(__file__).resolve().parents[2]


def test_inputs_vary_and_keep_context(tmp_path, fixture_corpus):
    inputs = write_inputs(tmp_path, fixture_corpus, 30, fixture_corpus, 5)
    rows = [json.loads(x) for x in inputs.sentences.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == inputs.n_sentences == 30
    assert len({r["lang"] for r in rows}) > 1, "every k-th sentence should mix languages"
    assert sum(bool(r["context_prev"]) for r in rows) > 20
    arts = inputs.articles.read_text(encoding="utf-8").splitlines()
    assert len(arts) == inputs.n_articles == 5
    assert inputs.short.read_text(encoding="utf-8").count(".") >= 3


def test_peer_rows_match_our_context(tiny_run):
    from geostance.benchmark.peer import peer_rows
    from geostance.model.artifacts import ModelSpec
    from geostance.model.encoding import context_text

    spec = ModelSpec.from_dir(tiny_run / "model")
    rows = [{"text": "NATO grows.", "title": "T", "context_prev": "Before."}]
    (got,) = peer_rows(rows, spec)
    assert got == {"text": spec.text_prefix + "NATO grows.",
                   "text_pair": context_text(spec.context, "T", "Before.")}


@pytest.mark.parametrize("context", ["none", "prev"])
def test_peer_rows_give_a_speaker_model_its_speaker(context):
    from types import SimpleNamespace

    from geostance.benchmark.peer import peer_rows

    spec = SimpleNamespace(text_prefix="query: ", context=context, speaker=True)
    rows = [{"text": "NATO grows.", "context_prev": "Before.", "speaker": "Sergej Lavrov"},
            {"text": "It rains.", "context_prev": "Before."}]
    got = [r["text_pair"] for r in peer_rows(rows, spec)]
    if context == "none":
        assert got == ["Sergej Lavrov", "-"]
    else:
        assert got == ["Sergej Lavrov | Before.", "- | Before."]


def test_setups_chosen_by_name(tmp_path, fixture_corpus, monkeypatch, capsys):
    """``--setups`` picks the timed predict.py set-ups by name; an unknown name exits 2."""
    from geostance.benchmark import throughput

    seen = []
    monkeypatch.setattr(throughput, "run_benchmark",
                        lambda opts, log: seen.append(opts) or _results(
                            [{"mode": m, "setup": s, "sentences": 2, "seconds": 1.0}
                             for m in ("sentence", "article") for s in ("a", "b")]))
    common = ["--corpus", str(fixture_corpus), "--article-corpus", str(fixture_corpus)]
    assert main([*common, "--setups", "onnx-int8", "torch"]) == 0
    assert [label for label, _ in seen[0].setups] == ["predict.py, ONNX Runtime int8",
                                                      "predict.py, torch float32"]
    assert main(common) == 0
    assert len(seen[1].setups) == 5
    with pytest.raises(SystemExit) as e:
        main([*common, "--setups", "onnx-fp16"])
    assert e.value.code == 2
    assert "invalid choice: 'onnx-fp16'" in capsys.readouterr().err


def test_bad_model_exit_2(tmp_path, capsys, fixture_corpus):
    assert main(["--model", str(tmp_path / "none"), "--corpus", str(fixture_corpus),
                 "--article-corpus", str(fixture_corpus)]) == 2
    assert "no such model folder" in capsys.readouterr().err


@pytest.mark.slow  # ~1 min: a dozen whole processes, each importing torch or onnxruntime
def test_benchmark_end_to_end(tiny_run, fixture_corpus, tmp_path, geostance_home):
    pytest.importorskip("onnxruntime")
    opts = Options(model=str(tiny_run), sentences=24, articles=3, corpus=str(fixture_corpus),
                   article_corpus=str(fixture_corpus),
                   realnews=str(ROOT.parent / "shared" / "realnews_dev" / "sentences.jsonl"),
                   repeats=1, first_run=False,
                   setups=(("predict.py, ONNX Runtime int8", ("--backend", "onnx",
                                                              "--quantize", "int8")),))
    res = run_benchmark(opts, log=lambda s: None)
    modes = [(r["mode"], r["setup"]) for r in res["processes"]]
    assert modes == [("sentence", "transformers pipeline(), default settings"),
                     ("sentence", "predict.py, ONNX Runtime int8"),
                     ("article", "transformers pipeline(), default settings"),
                     ("article", "predict.py, ONNX Runtime int8")]
    assert all(r["seconds"] > 0 and r["sentences"] > 0 for r in res["processes"])
    assert res["cold_start"]["cached_seconds"] > 0
    bf16 = {"torch bf16"} if native_bf16() else set()  # emulated bf16 is not timed
    assert res["bf16_timed"] == bool(bf16)
    assert set(res["in_process"]["rates"]) == {"torch float32", "torch int8",
                                               "ONNX Runtime float32", "ONNX Runtime int8",
                                               *bf16}
    ip = res["in_process"]
    # The limit is the fastest float32 matmul: each library on two batch shapes.
    libs = ip["gflops_by_lib"]
    assert len(libs) == 4
    assert {k.split(",")[0] for k in libs} == {"torch.matmul", "ONNX Runtime MatMul"}
    assert {k.split(", ")[1] for k in libs} == {f"{int(64 * ip['mean_len'])} rows", "512 rows"}
    assert ip["gflops"] == max(ip["gflops_by_lib"].values()) > 0
    assert {(a["backend"], a["precision"]) for a in res["agreement"]} == {
        ("onnx", "int8"), ("torch", "int8"), *(("torch", "bf16"),) * bool(bf16)}
    for a in res["agreement"]:
        assert 0 <= a["stance_agreement"] <= 1 and 0 <= a["f1_reduced"] <= 1
    md = report(res)
    for part in ("## Whole processes", "## Cold start", "## In process",
                 "## int8 and bf16 against float32", "| sentence | transformers pipeline()",
                 "Where ONNX Runtime float32 spends its time", "| MatMul | "):
        assert part in md


def test_operator_shares_of_the_onnx_model(tiny_run):
    """One profiled ONNX Runtime pass: every operator's share of kernel time, summing to 1,
    the matrix products among them; the FLOP shares of the two fused kinds sum to 1 and
    attention's grows with the sentence length (its scores scale with it)."""
    pytest.importorskip("onnxruntime")
    from geostance.predict.predictor import Predictor

    pred = Predictor.load(tiny_run, backend="torch")
    rows = [{"text": f"Sentence number {i} says that NATO {'and Russia ' * (i % 5)}met.",
             "context_prev": "Before it."} for i in range(40)]
    shares = ort_operator_shares(pred, tiny_run / "model", rows)
    assert abs(sum(shares.values()) - 1.0) < 1e-9
    assert "MatMul" in shares and all(v >= 0 for v in shares.values())
    assert list(shares.values()) == sorted(shares.values(), reverse=True)
    short, long = (operator_flop_shares(pred.model.encoder.config, n) for n in (10, 200))
    assert set(short) == {"Attention", "MatMul"}
    assert abs(sum(short.values()) - 1.0) < 1e-12
    assert long["Attention"] > short["Attention"]
    assert operator_flop_shares(pred.model.encoder.config, 10, fused=False) == {"MatMul": 1.0}


def test_report_operator_table_fused_or_not():
    """The operator table: FLOP shares beside the fused kinds, "–" for the rest; an export
    without the attention fusion says every matrix product is a MatMul."""
    res = _results([{"mode": m, "setup": s, "sentences": 2, "seconds": t}
                    for m in ("sentence", "article")
                    for s, t in (("pipeline", 2.0), ("predict.py", 1.0))])
    res["in_process"]["operators"] = {
        "time": {"MatMul": 0.6, "Attention": 0.3, "BiasGelu": 0.1},
        "flops": {"MatMul": 0.75, "Attention": 0.25}}
    md = report(res)
    assert "| MatMul | 60.0% | 75.0% |" in md and "| BiasGelu | 10.0% | – |" in md
    assert "fused self-attention node" in md
    res["in_process"]["operators"] = {"time": {"MatMul": 0.9, "Softmax": 0.1},
                                      "flops": {"MatMul": 1.0}}
    md = report(res)
    assert "| MatMul | 90.0% | 100.0% |" in md and "not fused in this export" in md


def test_report_without_agreement_says_it_was_not_measured():
    """``--no-agreement`` (an untrained model, timed only) leaves no agreement table."""
    res = _results([{"mode": m, "setup": s, "sentences": 2, "seconds": t}
                    for m in ("sentence", "article")
                    for s, t in (("pipeline", 2.0), ("predict.py", 1.0))])
    md = report(res)
    assert "| sentence | predict.py | 2 | 1.0 | 2.0 | 2.00x | – |" in md
    assert md.rstrip().endswith("Not measured in this run (`--no-agreement`).")
    assert "stance F1 reduced" not in md


def test_ratios_per_round_pair_each_run_with_the_same_rounds_peer():
    """A machine that slows down between rounds moves the best-of ratio, not the
    per-round ones: round 2 is twice as slow for both the peer and predict.py."""
    peer = {"mode": "sentence", "setup": "pipeline", "sentences": 6, "seconds": 3.0,
            "round_seconds": [3.0, 6.0]}
    ours = {"mode": "sentence", "setup": "predict.py", "sentences": 6, "seconds": 1.0,
            "round_seconds": [1.0, 2.0]}
    assert round_ratios(peer, ours) == [3.0, 3.0]
    assert round_ratios({"seconds": 3.0}, {"seconds": 1.0}) == []  # older results
    res = _results([peer, {**ours, "round_seconds": [1.0, 3.0]},
                    {**peer, "mode": "article"}, {**ours, "mode": "article"}], repeats=2)
    md = report(res)
    assert "| sentence | predict.py | 6 | 1.0 | 6.0 | 3.00x | 2.00–3.00x |" in md
    assert "| article | predict.py | 6 | 1.0 | 6.0 | 3.00x | 3.00–3.00x |" in md
    assert "| sentence | pipeline | 6 | 3.0 | 2.0 | 1.00x | 1.00–1.00x |" in md


def _results(processes: list[dict], repeats: int = 1) -> dict:
    """A benchmark result around ``processes``, no agreement measured, for :func:`report`."""
    n = processes[0]["sentences"]
    return {
        "meta": {"minutes": 1.0, "model": "m", "weights_sha256": "0" * 64, "cpus": 2,
                 "cpu": "x", "versions": "v", "repeats": repeats, "n_sentences": n,
                 "n_articles": 1, "corpus": "c", "article_corpus": "a"},
        "processes": processes,
        "cold_start": {"cached_seconds": 1.0, "first_run_seconds": None},
        "in_process": {"rates": {"torch float32": 10.0}, "limit": 20.0, "gflops": 1.0,
                       "threads": 2, "fpt": 1e6, "params": 1e6, "mean_len": 10.0},
        "agreement": None,
    }


def test_rates_in_rounds_times_each_runner_once_per_round_in_turn():
    """Each round scores the rows once per runner, in the runners' order (a warm-up batch,
    then the timed pass), and every name gets one rate per round."""
    calls: list[tuple[str, int]] = []

    class Scorer:  # the part of a Predictor rate() uses
        uses_speaker = False
        run = None

        def score(self, texts, titles, prevs, speakers=None):
            calls.append((self.run, len(texts)))

    rows = [{"text": f"s{i}"} for i in range(20)]
    rates = rates_in_rounds(Scorer(), {"a": "run-a", "b": "run-b"}, rows, rounds=2)
    assert list(rates) == ["a", "b"] and all(len(v) == 2 and min(v) > 0 for v in rates.values())
    assert calls == [("run-a", 16), ("run-a", 20), ("run-b", 16), ("run-b", 20)] * 2


def test_help_names_the_ray_benchmark_and_reads_the_skip_flags_right(capsys):
    # The help said "--no-first-run  Skip timing the first run ... (default: True)", as if
    # the first run were skipped unless asked, and never named the `ray` sub-command that
    # the README's Ray section runs.
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "python -m geostance.benchmark ray" in text
    for flag in ("--no-first-run", "--no-agreement", "--overwrite", "--json JSON"):
        option = text.split(f"{flag} ", 1)[1].split(" --", 1)[0]
        assert "(default: True)" not in option and "(default: False)" not in option
        assert "(default: )" not in option
    assert "(default: 1500)" in text


def test_help_shows_a_list_default_as_it_is_typed(capsys, monkeypatch):
    # --setups' default read "(default: ['onnx', 'onnx-int8', ...])", a Python list no one
    # can type; it now reads as the option takes it, "--setups onnx onnx-int8 ...".
    monkeypatch.setenv("COLUMNS", "400")  # one line per option: no wrap inside a name
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "(default: onnx onnx-int8 torch torch-int8 torch-bf16)" in text
    assert "['onnx'" not in text
