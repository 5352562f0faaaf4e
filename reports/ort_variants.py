"""ONNX Runtime float32: the shipped export against two rewritten graphs, in one run.

    python reports/ort_variants.py RUN_OR_MODEL_DIR [--out reports/ort_variants.md] [--rounds 3]

Issue 12 asks for 85% of the float32 matmul limit in process; on the 2-core Intel Xeon with
AMX the benchmark measured 77%, with the fused ``Attention`` nodes at about 66% of matrix-product
speed and ``BiasGelu`` 6.5% of the time (reports/speed_intel_amx_3.md). This measures the two
rewrites of the cached export that ONNX Runtime offers for those nodes:

* ``FastGelu``: every ``BiasGelu`` node replaced by ``FastGelu`` (the tanh approximation of GELU,
  same inputs);
* ``MultiHeadAttention``: every ``Attention`` node replaced by one packed Q/K/V ``MatMul`` + bias
  ``Add`` (one large matrix product at MatMul speed), a ``Split`` and the
  ``com.microsoft.MultiHeadAttention`` kernel with the same key-padding mask. (Its packed
  (B, L, N, 3, H) input, which would skip the split, is not implemented on CPU in ONNX
  Runtime 1.32.)

Each graph is scored by the Predictor on the benchmark's 1,500 sentences of data/real
(``geostance.benchmark.inputs``): each graph first scores the first 400 sentences once, which
warms it up and compares it with the shipped graph (largest absolute difference of any kind or
stance probability, share of stance labels that agree); then, in rounds, every graph in turn
scores all 1,500 (sentences/s after a warm-up batch). The per-round ratio to the shipped graph
is the figure least moved by the machine's speed drifting over the run.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper, numpy_helper

from geostance import __version__
from geostance.benchmark.inprocess import rate, sentence_speakers
from geostance.benchmark.inputs import write_inputs
from geostance.fileio import emit_report, render_table
from geostance.model.onnx import export_path, load_session, onnx_runner
from geostance.predict.predictor import Predictor

ROOT = Path(__file__).resolve().parents[1]


def _save(model, path: Path) -> Path:
    onnx.save(model, str(path), save_as_external_data=True, location=path.name + ".data")
    return path


def fast_gelu(src: Path, dst: Path) -> Path:
    """The graph with each BiasGelu node as FastGelu (same inputs: x, bias)."""
    m = onnx.load(str(src))
    for node in m.graph.node:
        if node.op_type == "BiasGelu":
            node.op_type = "FastGelu"
    return _save(m, dst)


def multi_head(src: Path, dst: Path) -> Path:
    """The graph with each Attention node as MatMul + Add + Split + MultiHeadAttention."""
    m = onnx.load(str(src))
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    nodes = []
    for node in g.node:
        if node.op_type != "Attention":
            nodes.append(node)
            continue
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        # The project's fusion (model.onnx_attention) writes exactly these; anything else
        # (past state, causal masks, unequal Q/K/V sizes) this rewrite would not carry over.
        if len(node.input) != 4 or len(node.output) != 1 or set(attrs) != {"num_heads", "scale"}:
            raise SystemExit(f"{src}: Attention node {node.name} is not the project's fusion "
                             f"(inputs {list(node.input)}, attributes {sorted(attrs)})")
        x, w, b, mask = node.input
        hidden = numpy_helper.to_array(inits[w]).shape[1] // 3
        n = node.name
        split = n + "_sizes"
        g.initializer.append(numpy_helper.from_array(np.array([hidden] * 3, np.int64), split))
        nodes += [helper.make_node("MatMul", [x, w], [n + "_mm"], name=n + "_mm"),
                  helper.make_node("Add", [n + "_mm", b], [n + "_qkv"], name=n + "_bias"),
                  helper.make_node("Split", [n + "_qkv", split], [n + "_q", n + "_k", n + "_v"],
                                   name=n + "_split", axis=2),
                  helper.make_node("MultiHeadAttention", [n + "_q", n + "_k", n + "_v", "", mask],
                                   list(node.output), name=n, domain="com.microsoft",
                                   num_heads=attrs["num_heads"], scale=attrs["scale"])]
    del g.node[:]
    g.node.extend(nodes)
    return _save(m, dst)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", type=Path, help="a run directory or its model/ folder")
    ap.add_argument("--out", type=Path, help="also write the report here")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    model_dir = args.model / "model" if (args.model / "model").is_dir() else args.model
    predictor = Predictor.load(model_dir, backend="onnx")  # exports once if not cached
    shipped = export_path(model_dir)
    if not shipped.is_file():
        raise SystemExit(f"{shipped}: no cached float32 export")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = write_inputs(work, ROOT / "data" / "real", 1500, ROOT / "data" / "corpus", 1)
        rows = [json.loads(line) for line in inputs.sentences.open(encoding="utf-8")]
        graphs = {"shipped export (fused Attention, BiasGelu)": shipped,
                  "FastGelu": fast_gelu(shipped, work / "fastgelu.onnx"),
                  "MultiHeadAttention": multi_head(shipped, work / "mha.onnx")}
        head = rows[:400]
        texts = [[r["text"] for r in head], [r.get("title") or "" for r in head],
                 [r.get("context_prev") or "" for r in head]]
        speakers = sentence_speakers(predictor, head)  # as rate() and predict.py give them
        runners = {name: onnx_runner(load_session(path)) for name, path in graphs.items()}
        probs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for name, run in runners.items():  # also each graph's warm-up: first runs page weights in
            predictor.run = run
            kind, stance, _ = predictor.score(*texts, speakers=speakers)
            probs[name] = (kind, stance)
        rates: dict[str, list[float]] = {k: [] for k in graphs}
        for _ in range(args.rounds):
            for name, run in runners.items():
                predictor.run = run
                rates[name].append(rate(predictor, rows))
    base = next(iter(graphs))
    bk, bs = probs[base]
    table = []
    for name in graphs:
        k, s = probs[name]
        ratios = [r / b for r, b in zip(rates[name], rates[base], strict=True)]
        table.append([name, f"{max(rates[name]):.1f}",
                      f"{min(ratios):.2f}–{max(ratios):.2f}x",
                      f"{max(np.abs(k - bk).max(), np.abs(s - bs).max()):.1e}",
                      f"{(s.argmax(1) == bs.argmax(1)).mean():.1%}"])
    info = predictor.model_info
    md = (f"# ONNX Runtime float32: the shipped export against rewritten graphs\n\n"
          f"Produced by `python reports/ort_variants.py` in one run (geostance {__version__}, "
          f"onnxruntime {ort.__version__}); model `{info['name']}` (weights "
          f"`{info['weights_sha256'][:12]}`); {len(rows)} sentences of data/real, "
          f"{args.rounds} rounds, each graph once per round in turn. Compare the ratios "
          f"within this run: absolute rates move with the machine's speed (the benchmark's "
          f"in-process figures come from other runs).\n\n"
          + render_table(["graph", "sentences/s (best round)", "vs shipped, per round",
                          "max abs prob diff (400 sentences)", "same stance"], table,
                         markdown=True) + "\n")
    emit_report(md, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
