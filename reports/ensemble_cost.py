"""Whole ``predict.py`` processes, one model against an ensemble folder of two, in one run.

    python reports/ensemble_cost.py RUN_A RUN_B [--work DIR] [--rounds 2]

Writes the benchmark's inputs (1,500 sentences of data/real in sentence mode; 100
articles of data/corpus in article mode: ``geostance.benchmark.inputs``), builds the
ensemble folder of RUN_A and RUN_B, warms every ONNX export once, then times, in rounds,
``predict.py`` with RUN_A alone and with the ensemble on each input (default backend,
ONNX Runtime float32), and prints the best time of each and the ratio.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geostance.benchmark.inputs import write_inputs
from geostance.train.ensemble import make_ensemble

ROOT = Path(__file__).resolve().parents[1]


def _timed(model: Path, inp: Path, unit: str, out: Path) -> float:
    t = time.perf_counter()
    done = subprocess.run([sys.executable, str(ROOT / "predict.py"), str(inp), "--unit", unit,
                           "--model", str(model), "--out", str(out), "--overwrite",
                           "--no-progress"], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"predict.py --model {model} {inp} failed (exit {done.returncode}):\n"
                         + done.stderr[-2000:])
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("runs", nargs=2, type=Path)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ensemble-cost-"))
    work.mkdir(parents=True, exist_ok=True)
    inputs = write_inputs(work, ROOT / "data" / "real", 1500, ROOT / "data" / "corpus", 100)
    ens = make_ensemble(args.runs, work / "ensemble", overwrite=True)
    cases = [("sentence", inputs.sentences, inputs.n_sentences),
             ("article", inputs.articles, inputs.n_articles)]
    models = {"one model": args.runs[0], "ensemble of 2": ens}
    for m in models.values():  # exports made once, as on every run after the first
        _timed(m, inputs.short, "article", work / "warm.jsonl")
    best: dict[tuple[str, str], float] = {}
    for _ in range(args.rounds):
        for unit, inp, _n in cases:
            for name, m in models.items():
                s = _timed(m, inp, unit, work / "out.jsonl")
                best[unit, name] = min(best.get((unit, name), s), s)
    print("| mode | inputs | one model (s) | ensemble of 2 (s) | ratio |")
    print("|---|---|---|---|---|")
    for unit, _inp, n in cases:
        a, b = best[unit, "one model"], best[unit, "ensemble of 2"]
        print(f"| {unit} | {n} | {a:.1f} | {b:.1f} | {b / a:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
