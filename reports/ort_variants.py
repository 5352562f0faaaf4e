"""ONNX Runtime float32: the shipped export against three rewritten graphs, in one run.

    python reports/ort_variants.py RUN_OR_MODEL_DIR [--out reports/ort_variants.md] [--rounds 3]

Issue 12 asks for 85% of the float32 matmul limit in process; on the 2-core Intel Xeon with
AMX the benchmark measured 77%, with the fused ``Attention`` nodes at about 66% of matrix-product
speed and ``BiasGelu`` 6.5% of the time (reports/speed_intel_amx_3.md). This measures three
rewrites of the cached export for those nodes, two of them with the other kernels ONNX Runtime
offers:

* ``FastGelu``: every ``BiasGelu`` node replaced by ``FastGelu`` (the tanh approximation of GELU,
  same inputs);
* ``MultiHeadAttention``: every ``Attention`` node replaced by one packed Q/K/V ``MatMul`` + bias
  ``Add`` (one large matrix product at MatMul speed), a ``Split`` and the
  ``com.microsoft.MultiHeadAttention`` kernel with the same key-padding mask. (Its packed
  (B, L, N, 3, H) input, which would skip the split, is not implemented on CPU in ONNX
  Runtime 1.32.)
* plain attention: every ``Attention`` node replaced by the same packed Q/K/V ``MatMul`` + bias
  ``Add`` (the scale folded into the Q columns), then standard operators for the core: one
  transpose into heads, ``FusedMatMul`` for the scores (K transposed inside the product), the
  additive key mask (built once for all layers), ``Softmax``, ``MatMul`` with V and the
  transpose back. ONNX Runtime's ``Attention`` CPU kernel (contrib_ops/cpu/bert/attention.cc)
  computes the projections as one small product per sequence, head and Q/K/V (32 columns
  each for this model), which this replaces with one large one.

Each graph is scored by the Predictor on the benchmark's 1,500 sentences of data/real
(``geostance.benchmark.inputs``): each graph first scores the first 400 sentences once, which
warms it up and compares it with the shipped graph (largest absolute difference of any kind or
stance probability, share of stance labels that agree); then, in rounds, every graph in turn
scores all 1,500 (sentences/s after a warm-up batch) with the settings ``predict.py`` uses: one
thread per batch, a batch per core at once. The per-round ratio to the shipped graph is the
figure least moved by the machine's speed drifting over the run.

``--openvino`` adds a fourth runner: the shipped graph compiled by OpenVINO's CPU plugin
(``pip install openvino``; not a dependency of the project) with float32 inference precision
(on a CPU with AMX, OpenVINO would otherwise run bfloat16) and its throughput hint, an
infer request per scoring thread: another runtime's kernels for the same attention and GELU.
"""

from __future__ import annotations

import argparse
import importlib.util
import tempfile
import threading
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper, numpy_helper

from geostance import __version__
from geostance.benchmark.inprocess import rates_in_rounds, sentence_speakers
from geostance.benchmark.inputs import write_inputs
from geostance.fileio import emit_report, output_problem, read_jsonl, render_table
from geostance.model.onnx import export_path, load_session, onnx_runner
from geostance.predict.predictor import Predictor

ROOT = Path(__file__).resolve().parents[1]


def _save(model, path: Path) -> Path:
    onnx.save(model, str(path), save_as_external_data=True, location=path.name + ".data")
    return path


def _fusion_attributes(src: Path, node) -> dict:
    """An Attention node's attributes, after checking it is the project's fusion.

    model.onnx_attention writes exactly four inputs, one output and these two attributes;
    anything else (past state, causal masks, unequal Q/K/V sizes) the rewrites would not
    carry over.
    """
    attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    if len(node.input) != 4 or len(node.output) != 1 or set(attrs) != {"num_heads", "scale"}:
        raise SystemExit(f"{src}: Attention node {node.name} is not the project's fusion "
                         f"(inputs {list(node.input)}, attributes {sorted(attrs)})")
    return attrs


def fast_gelu(src: Path, dst: Path) -> Path:
    """The graph with each BiasGelu node as FastGelu (same inputs: x, bias)."""
    m = onnx.load(str(src))
    for node in m.graph.node:
        if node.op_type == "BiasGelu":
            node.op_type = "FastGelu"
    return _save(m, dst)


def _replace_attention(src: Path, dst: Path, rewrite) -> Path:
    """``src`` with each Attention node replaced by ``rewrite(graph, node, attrs, inits)``'s
    nodes (``inits``: the graph's initializers by name), saved at ``dst``."""
    m = onnx.load(str(src))
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    nodes = []
    for node in g.node:
        if node.op_type == "Attention":
            nodes += rewrite(g, node, _fusion_attributes(src, node), inits)
        else:
            nodes.append(node)
    del g.node[:]
    g.node.extend(nodes)
    return _save(m, dst)


def multi_head(src: Path, dst: Path) -> Path:
    """The graph with each Attention node as MatMul + Add + Split + MultiHeadAttention."""

    def rewrite(g, node, attrs, inits):
        x, w, b, mask = node.input
        hidden = numpy_helper.to_array(inits[w]).shape[1] // 3
        n = node.name
        split = n + "_sizes"
        g.initializer.append(numpy_helper.from_array(np.array([hidden] * 3, np.int64), split))
        return [helper.make_node("MatMul", [x, w], [n + "_mm"], name=n + "_mm"),
                helper.make_node("Add", [n + "_mm", b], [n + "_qkv"], name=n + "_bias"),
                helper.make_node("Split", [n + "_qkv", split], [n + "_q", n + "_k", n + "_v"],
                                 name=n + "_split", axis=2),
                helper.make_node("MultiHeadAttention", [n + "_q", n + "_k", n + "_v", "", mask],
                                 list(node.output), name=n, domain="com.microsoft",
                                 num_heads=attrs["num_heads"], scale=attrs["scale"])]

    return _replace_attention(src, dst, rewrite)


def plain_attention(src: Path, dst: Path) -> Path:
    """The graph with each Attention node as a packed QKV MatMul + Add and standard ops."""
    const: set[str] = set()
    key_bias = ""

    def rewrite(g, node, attrs, inits):
        nonlocal key_bias

        def init(name: str, value: np.ndarray) -> str:
            if name not in const:
                g.initializer.append(numpy_helper.from_array(value, name))
                const.add(name)
            return name

        x, w, b, mask = node.input
        weight = numpy_helper.to_array(inits[w]).astype(np.float32)  # a copy
        bias = numpy_helper.to_array(inits[b]).astype(np.float32)
        hidden, heads = weight.shape[1] // 3, attrs["num_heads"]
        weight[:, :hidden] *= attrs["scale"]  # Q.K^T x scale == (scale Q).K^T
        bias[:hidden] *= attrs["scale"]
        nodes = []
        if not key_bias:  # [batch, 1, 1, keys]: 0 on real keys, -10000 on padding (as fused)
            key_bias = "key_bias"
            nodes += [helper.make_node("Cast", [mask], ["key_real"], to=onnx.TensorProto.FLOAT),
                      helper.make_node("Sub", [init("one", np.array(1.0, np.float32)),
                                               "key_real"], ["key_pad"]),
                      helper.make_node("Mul", ["key_pad", init("mask_value", np.array(
                          -10000.0, np.float32))], ["key_add"]),
                      helper.make_node("Unsqueeze", ["key_add", init("axes_1_2", np.array(
                          [1, 2], np.int64))], [key_bias])]
        n = node.name
        heads5 = init(f"shape_heads_{heads}", np.array([0, 0, 3, heads, hidden // heads],
                                                       np.int64))
        merged = init(f"shape_merged_{hidden}", np.array([0, 0, hidden], np.int64))
        axis0 = init("axes_0", np.array([0], np.int64))
        nodes += [helper.make_node("MatMul", [x, init(n + "_w", weight)], [n + "_mm"]),
                  helper.make_node("Add", [n + "_mm", init(n + "_b", bias)], [n + "_qkv"]),
                  helper.make_node("Reshape", [n + "_qkv", heads5], [n + "_r"]),
                  # [3, batch, heads, length, head size]: Q, K and V each contiguous
                  helper.make_node("Transpose", [n + "_r"], [n + "_t"], perm=[2, 0, 3, 1, 4]),
                  helper.make_node("Split", [n + "_t"], [n + "_q3", n + "_k3", n + "_v3"],
                                   axis=0, num_outputs=3)]
        nodes += [helper.make_node("Squeeze", [n + f"_{p}3", axis0], [n + f"_{p}"])
                  for p in "qkv"]
        return nodes + [
            helper.make_node("FusedMatMul", [n + "_q", n + "_k"], [n + "_s"],
                             domain="com.microsoft", transB=1, alpha=1.0),
            helper.make_node("Add", [n + "_s", key_bias], [n + "_sm"]),
            helper.make_node("Softmax", [n + "_sm"], [n + "_p"], axis=-1),
            helper.make_node("MatMul", [n + "_p", n + "_v"], [n + "_o"]),
            helper.make_node("Transpose", [n + "_o"], [n + "_ot"], perm=[0, 2, 1, 3]),
            helper.make_node("Reshape", [n + "_ot", merged], list(node.output))]

    return _replace_attention(src, dst, rewrite)


def openvino_runner(path: Path):
    """A Predictor runner scoring ``path`` with OpenVINO's CPU plugin in float32 (one infer
    request per calling thread, as the Predictor's workers call it concurrently)."""
    import openvino as ov

    compiled = ov.Core().compile_model(str(path), "CPU", {
        "INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "THROUGHPUT"})
    local = threading.local()

    def run(batch):
        request = getattr(local, "request", None)
        if request is None:
            request = local.request = compiled.create_infer_request()
        out = request.infer({k: batch[k] for k in ("input_ids", "attention_mask",
                                                    "pool_mask")})
        return out[compiled.outputs[0]].copy(), out[compiled.outputs[1]].copy()

    return run


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", type=Path, help="a run directory or its model/ folder")
    ap.add_argument("--out", help="also write the report here (a new file, or "
                    "--overwrite)")  # text: Path() drops a folder's "/"
    ap.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--openvino", action="store_true",
                    help="also time OpenVINO float32 on the shipped graph")
    args = ap.parse_args()
    problem = output_problem(args.out, overwrite=args.overwrite)
    if problem:  # before the timing rounds, not after
        ap.error(f"--out: {problem}")
    if args.openvino and importlib.util.find_spec("openvino") is None:  # likewise
        ap.error("--openvino: OpenVINO is not installed (pip install openvino)")
    model_dir = args.model / "model" if (args.model / "model").is_dir() else args.model
    predictor = Predictor.load(model_dir, backend="onnx")  # exports once if not cached
    shipped = export_path(model_dir)
    if not shipped.is_file():
        raise SystemExit(f"{shipped}: no cached float32 export")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = write_inputs(work, ROOT / "data" / "real", 1500, ROOT / "data" / "corpus", 1)
        rows = read_jsonl(inputs.sentences)
        graphs = {"shipped export (fused Attention, BiasGelu)": shipped,
                  "FastGelu": fast_gelu(shipped, work / "fastgelu.onnx"),
                  "MultiHeadAttention": multi_head(shipped, work / "mha.onnx"),
                  "plain attention": plain_attention(shipped, work / "plain.onnx")}
        head = rows[:400]
        texts = [[r["text"] for r in head], [r.get("title") or "" for r in head],
                 [r.get("context_prev") or "" for r in head]]
        speakers = sentence_speakers(predictor, head)  # as rate() and predict.py give them
        # One intra-op thread per session, a batch per core at once (the Predictor's
        # workers): the settings predict.py scores with (Predictor.load).
        runners = {name: onnx_runner(load_session(path, threads=1))
                   for name, path in graphs.items()}
        if args.openvino:
            runners["OpenVINO float32 (shipped graph)"] = openvino_runner(shipped)
        probs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for name, run in runners.items():  # also each graph's warm-up: first runs page weights in
            predictor.run = run
            kind, stance, _ = predictor.score(*texts, speakers=speakers)
            probs[name] = (kind, stance)
        rates = rates_in_rounds(predictor, runners, rows, args.rounds)
    base = next(iter(graphs))
    bk, bs = probs[base]
    table = []
    for name in runners:
        k, s = probs[name]
        ratios = [r / b for r, b in zip(rates[name], rates[base], strict=True)]
        table.append([name, f"{max(rates[name]):.1f}",
                      f"{min(ratios):.2f}–{max(ratios):.2f}x",
                      f"{max(np.abs(k - bk).max(), np.abs(s - bs).max()):.1e}",
                      f"{(s.argmax(1) == bs.argmax(1)).mean():.1%}"])
    info = predictor.model_info
    md = (f"# ONNX Runtime float32: the shipped export against rewritten graphs\n\n"
          f"Produced by `python reports/ort_variants.py` in one run (geostance {__version__}, "
          f"onnxruntime {ort.__version__}{_openvino_version(args.openvino)}); "
          f"model `{info['name']}` (weights "
          f"`{info['weights_sha256'][:12]}`); {len(rows)} sentences of data/real, "
          f"{args.rounds} rounds, each graph once per round in turn. Compare the ratios "
          f"within this run: absolute rates move with the machine's speed (the benchmark's "
          f"in-process figures come from other runs).\n\n"
          + render_table(["graph", "sentences/s (best round)", "vs shipped, per round",
                          "max abs prob diff (400 sentences)", "same stance"], table,
                         markdown=True) + "\n")
    return 0 if emit_report(md, args.out) else 2


def _openvino_version(used: bool) -> str:
    if not used:
        return ""
    import openvino

    return f", openvino {openvino.__version__}"


if __name__ == "__main__":
    raise SystemExit(main())
