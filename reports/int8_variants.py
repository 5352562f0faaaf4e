"""ONNX Runtime int8: which parts of the model, quantised, change the labels, in one run.

    python reports/int8_variants.py RUN [--out reports/int8_variants.md] [--rounds 2]

``--quantize int8`` (dynamic int8, weights per output channel, every operator ONNX Runtime can
quantise) keeps stance macro-F1 within a point of float32 but changes about 5% of the stance
labels, so the benchmark does not recommend it (it asks 97% unchanged on ``realnews_dev``).
This quantises the run's cached float32 export four ways with the same settings as the
shipped int8 model (``geostance.model.onnx``), each restricted to some operator types:

* every operator (what ``--quantize int8`` ships: the word, position and type embeddings'
  ``Gather``, the feed-forward and output ``MatMul``s, the fused ``Attention`` nodes, the heads);
* the embeddings left in float32 (``MatMul`` and ``Attention``; the quantiser turns the two
  heads' ``Gemm`` nodes into ``MatMul`` first, so they are quantised too);
* only the ``MatMul`` nodes (the feed-forward layers, the attention output projections and
  the two heads);
* only the ``Attention`` nodes (their Q/K/V projections).

Each graph scores the run's real evaluation sets as sentence mode does (``realnews_dev``, the
real corpus's dev split; the test split reported, never used to choose): the share of stance
labels equal to float32's and stance macro-F1. Then, in rounds, each scores the benchmark's
1,500 sentences of data/real in process as ``predict.py`` runs them, one thread per batch and a
batch per core at once (sentences/s after a warm-up batch; the ratio to float32 within each
round is the figure least moved by the machine's speed). Labels here count the sentences with
a stance label; the benchmark's agreement table counts every sentence, and dynamic int8
quantises activations per batch, so the two differ by a few labels.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from pathlib import Path

import numpy as np
import onnxruntime as ort
from onnxruntime.quantization import QuantType, quantize_dynamic

from geostance import __version__
from geostance.benchmark.inprocess import rates_in_rounds
from geostance.benchmark.inputs import write_inputs
from geostance.evaluation.bootstrap import macro_f1
from geostance.evaluation.runs import run_sets, score_rows
from geostance.fileio import emit_report, output_problem, read_jsonl, render_table
from geostance.model.onnx import export_path, load_session, onnx_runner
from geostance.predict.predictor import Predictor

ROOT = Path(__file__).resolve().parents[1]
SETS = ("realnews_dev", "realdev", "realtest")
# Name -> operator types quantised (None: every type ONNX Runtime quantises, as shipped).
VARIANTS: dict[str, list[str] | None] = {
    "every operator (shipped)": None,
    "embeddings in float32": ["MatMul", "Attention"],
    "MatMul only": ["MatMul"],
    "Attention only": ["Attention"],
}


def quantise(src: Path, dst: Path, op_types: list[str] | None) -> Path:
    """Dynamic int8 copy of ``src`` (per output channel, as shipped), restricted to
    ``op_types`` when given."""
    logging.disable(logging.WARNING)  # its pre-processing advice, on every model
    try:
        quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True,
                         use_external_data_format=True, op_types_to_quantize=op_types)
    finally:
        logging.disable(logging.NOTSET)
    return dst


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run", type=Path, help="a finished run folder (config.yaml and model/)")
    ap.add_argument("--out", type=Path, help="also write the report here (a new file, or "
                    "--overwrite)")
    ap.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    problem = output_problem(args.out, overwrite=args.overwrite)
    if problem:  # before the timing rounds, not after
        ap.error(f"--out: {problem}")
    model_dir = args.run / "model"
    predictor = Predictor.load(model_dir, backend="onnx")  # exports once if not cached
    f32 = export_path(model_dir)
    _, sets = run_sets(args.run)
    rows = {k: [s for s in sets[k] if s.stance] for k in SETS if sets.get(k)}
    stances = list(predictor.stances)
    gold = {k: np.array([stances.index(s.stance) for s in r]) for k, r in rows.items()}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        graphs = {"float32": f32} | {
            name: quantise(f32, work / f"int8_{i}.onnx", ops)
            for i, (name, ops) in enumerate(VARIANTS.items())}
        labels = {}
        for name, path in graphs.items():
            predictor.run = onnx_runner(load_session(path))
            labels[name] = {k: score_rows(predictor, r)[1].argmax(1) for k, r in rows.items()}
        inputs = write_inputs(work, ROOT / "data" / "real", 1500, ROOT / "data" / "corpus", 1)
        bench = read_jsonl(inputs.sentences)
        runners = {name: onnx_runner(load_session(path, threads=1))
                   for name, path in graphs.items()}
        rates = rates_in_rounds(predictor, runners, bench, args.rounds)
    table = []
    for name in graphs:
        cells = [name]
        for k in rows:
            same = np.mean(labels[name][k] == labels["float32"][k])
            cells.append(f"{same:.1%} / {macro_f1(gold[k], labels[name][k], len(stances)):.3f}")
        ratios = [r / b for r, b in zip(rates[name], rates["float32"], strict=True)]
        cells += [f"{max(rates[name]):.1f}", f"{min(ratios):.2f}–{max(ratios):.2f}x"]
        table.append(cells)
    info = predictor.model_info
    head = ["int8 graph"] + [f"{k} ({len(rows[k])}): same stance / stance F1" for k in rows] + [
        "sentences/s (best round)", "vs float32, per round"]
    md = (f"# ONNX Runtime int8: which quantised parts change the labels\n\n"
          f"Produced by `python reports/int8_variants.py` in one run (geostance {__version__}, "
          f"onnxruntime {ort.__version__}); run `{args.run.name}` (weights "
          f"`{info['weights_sha256'][:12]}`); labels in sentence mode; speed on {len(bench)} "
          f"sentences of data/real, one thread per batch and a batch per core, {args.rounds} "
          f"rounds. The real test split is "
          f"reported, never used to choose.\n\n"
          + render_table(head, table, markdown=True) + "\n")
    return 0 if emit_report(md, args.out) else 2


if __name__ == "__main__":
    raise SystemExit(main())
