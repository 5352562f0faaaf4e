"""The speed benchmark runs end to end with the tiny model on a few sentences."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"




def test_benchmark_tiny(tiny_run, tmp_path):
    from geostance.benchmark.throughput import main

    out = tmp_path / "speed.md"
    assert main(["--model", str(tiny_run), "--sentences", "20", "--corpus",
                 str(FIXTURES / "corpus"), "--out", str(out)]) == 0
    md = out.read_text(encoding="utf-8")
    for setup in ("pipeline, default settings", "pipeline, best batch size",
                  "Predictor, float32", "Predictor, int8", "GFLOP/s"):
        assert setup in md
    rows = [ln for ln in md.splitlines() if ln.startswith("| ") and "Predictor" in ln]
    assert all(ln.rstrip(" |").split("|")[-1].strip() for ln in rows), "F1 missing"


def test_benchmark_bad_model_exit_2(tmp_path, capsys):
    from geostance.benchmark.throughput import main

    assert main(["--model", str(tmp_path / "none"), "--out", str(tmp_path / "s.md")]) == 2
    assert "model directory not found" in capsys.readouterr().err
