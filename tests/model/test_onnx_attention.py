"""fuse_attention on a hand-built self-attention graph in the dynamo exporter's layout."""

from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from geostance.model.onnx_attention import fuse_attention  # noqa: E402

HIDDEN, HEADS = 8, 2
HEAD = HIDDEN // HEADS


def _attention_graph(seed: int = 0) -> onnx.ModelProto:
    """x (B,S,H), attention_mask (B,S) int64 -> y (B,S,H): one BERT self-attention block
    laid out as torch.onnx.export(dynamo=True) writes eager attention, with the mask
    added as (1 - mask) * -1e9, followed by an output projection."""
    rng = np.random.default_rng(seed)
    inits, nodes = [], []

    def const(name, value):
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    const("heads_shape", np.array([0, 0, HEADS, HEAD], dtype=np.int64))
    const("merge_shape", np.array([0, 0, HIDDEN], dtype=np.int64))
    for p in "qkv":
        const(f"w{p}", rng.normal(size=(HIDDEN, HIDDEN)).astype(np.float32))
        const(f"b{p}", rng.normal(size=HIDDEN).astype(np.float32))
        perm = [0, 2, 3, 1] if p == "k" else [0, 2, 1, 3]
        nodes += [helper.make_node("MatMul", ["x", f"w{p}"], [f"{p}_mm"]),
                  helper.make_node("Add", [f"{p}_mm", f"b{p}"], [f"{p}_lin"]),
                  helper.make_node("Reshape", [f"{p}_lin", "heads_shape"], [f"{p}_view"]),
                  helper.make_node("Transpose", [f"{p}_view"], [f"{p}_t"], perm=perm)]
    const("scale", np.array(HEAD ** -0.5, dtype=np.float32))
    const("one", np.array(1.0, dtype=np.float32))
    const("big", np.array(-1e9, dtype=np.float32))
    const("axes", np.array([1, 2], dtype=np.int64))
    const("wo", rng.normal(size=(HIDDEN, HIDDEN)).astype(np.float32))
    nodes += [
        helper.make_node("Unsqueeze", ["attention_mask", "axes"], ["m4"]),
        helper.make_node("Cast", ["m4"], ["m4f"], to=TensorProto.FLOAT),
        helper.make_node("Sub", ["one", "m4f"], ["inv"]),
        helper.make_node("Mul", ["inv", "big"], ["additive"]),
        helper.make_node("MatMul", ["q_t", "k_t"], ["scores"]),
        helper.make_node("Mul", ["scores", "scale"], ["scaled"]),
        helper.make_node("Add", ["scaled", "additive"], ["masked"]),
        helper.make_node("Softmax", ["masked"], ["probs"], axis=-1),
        helper.make_node("MatMul", ["probs", "v_t"], ["ctx"]),
        helper.make_node("Transpose", ["ctx"], ["ctx_t"], perm=[0, 2, 1, 3]),
        helper.make_node("Reshape", ["ctx_t", "merge_shape"], ["merged"]),
        helper.make_node("MatMul", ["merged", "wo"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, "attention",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["B", "S", HIDDEN]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["B", "S"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["B", "S", HIDDEN])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])


def _run(model: onnx.ModelProto, feeds: dict) -> np.ndarray:
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)[0]


def test_fused_attention_gives_the_same_outputs_on_real_tokens():
    model = _attention_graph()
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 5, HIDDEN)).astype(np.float32)
    mask = np.array([[1] * 5, [1] * 3 + [0] * 2, [1] + [0] * 4], dtype=np.int64)
    before = _run(model, {"x": x, "attention_mask": mask})
    assert fuse_attention(model, HEADS) == 1
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("Attention") == 1 and "Softmax" not in ops and ops.count("MatMul") == 1
    after = _run(model, {"x": x, "attention_mask": mask})
    real = mask.astype(bool)
    # Padded positions are never read downstream (pooling masks them); real ones match.
    assert np.abs(before[real] - after[real]).max() < 1e-5


def test_a_graph_without_the_pattern_is_left_alone():
    model = _attention_graph()
    # Break the pattern: the softmax reads the unscaled scores.
    for n in model.graph.node:
        if n.op_type == "Softmax":
            n.input[0] = "scores"
    before = model.SerializeToString()
    assert fuse_attention(model, HEADS) == 0
    assert model.SerializeToString() == before


def test_without_the_mask_input_nothing_is_fused():
    model = _attention_graph()
    before = model.SerializeToString()
    assert fuse_attention(model, HEADS, mask_input="no_such_input") == 0
    assert model.SerializeToString() == before
