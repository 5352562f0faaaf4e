"""Self-attention fused into ONNX Runtime's ``Attention`` operator, on an exported graph.

The dynamo exporter writes each BERT self-attention block as some fifteen nodes:
three projections (MatMul + bias Add), reshapes and transposes into heads,
``Q.K^T``, the scale, the mask, softmax, ``.V`` and the transpose back. ONNX
Runtime's own optimizer does not recognise that pattern (it fuses the layer norms
and GELU only), so :func:`fuse_attention` does it: each block becomes one
``com.microsoft.Attention`` node with the three projections packed into one
``[hidden, 3 x hidden]`` matrix (one large matrix product instead of three) and the
model's 0/1 ``attention_mask`` as its key-padding mask. The output projection and
everything after it stay as they are.

Padded positions: the original graph adds the model's large negative mask, the
fused node its own (-10000); after softmax both weigh a padded key at 0 (below
float32 resolution next to a real one), so real tokens get the same numbers.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

__all__ = ["fuse_attention"]


def _perm(node) -> list[int]:
    for a in node.attribute:
        if a.name == "perm":
            return list(a.ints)
    return []


class _Graph:
    """Producer/consumer lookups and initializer values of an ONNX graph."""

    def __init__(self, graph):
        from onnx import numpy_helper

        self.graph = graph
        self.producer = {o: n for n in graph.node for o in n.output}
        self.consumers: dict[str, list[Any]] = defaultdict(list)
        for n in graph.node:
            for i in n.input:
                self.consumers[i].append(n)
        self.init = {i.name: i for i in graph.initializer}
        self._np = numpy_helper

    def const(self, name: str) -> np.ndarray | None:
        """An initializer's (or Constant node's) value, else None."""
        if name in self.init:
            return self._np.to_array(self.init[name])
        node = self.producer.get(name)
        if node is not None and node.op_type == "Constant":
            for a in node.attribute:
                if a.name == "value":
                    return self._np.to_array(a.t)
        return None

    def parent(self, name: str, op: str):
        node = self.producer.get(name)
        return node if node is not None and node.op_type == op else None

    def only_child(self, name: str, op: str):
        kids = self.consumers.get(name, [])
        return kids[0] if len(kids) == 1 and kids[0].op_type == op else None


def _projection(g: _Graph, name: str, perm: list[int]):
    """(input, weight, bias) of ``Transpose(perm) <- Reshape <- Add(bias) <- MatMul(x, W)``."""
    tr = g.parent(name, "Transpose")
    if tr is None or _perm(tr) != perm:
        return None
    rs = g.parent(tr.input[0], "Reshape")
    add = g.parent(rs.input[0], "Add") if rs is not None else None
    if add is None:
        return None
    for mm_in, b_in in ((add.input[0], add.input[1]), (add.input[1], add.input[0])):
        mm, bias = g.parent(mm_in, "MatMul"), g.const(b_in)
        if mm is not None and bias is not None and bias.ndim == 1:
            w = g.const(mm.input[1])
            if w is not None and w.ndim == 2:
                return mm.input[0], w, bias
    return None


def _block(g: _Graph, softmax) -> dict[str, Any] | None:
    """The parts of the attention block around ``softmax``, or None if it does not match."""
    add = g.parent(softmax.input[0], "Add")
    if add is None:
        return None
    # Add(scores x scale, mask), the mask on either side.
    muls = [m for m in (g.parent(i, "Mul") for i in add.input) if m is not None
            and g.parent(m.input[0], "MatMul") is not None and g.const(m.input[1]) is not None]
    if len(muls) != 1:
        return None
    scale = g.const(muls[0].input[1])
    qk = g.parent(muls[0].input[0], "MatMul")
    if scale.size != 1:
        return None
    q = _projection(g, qk.input[0], [0, 2, 1, 3])
    k = _projection(g, qk.input[1], [0, 2, 3, 1])
    av = g.only_child(softmax.output[0], "MatMul")
    if q is None or k is None or av is None or av.input[0] != softmax.output[0]:
        return None
    v = _projection(g, av.input[1], [0, 2, 1, 3])
    back = g.only_child(av.output[0], "Transpose")
    merge = g.only_child(back.output[0], "Reshape") if back is not None else None
    if v is None or merge is None or _perm(back) != [0, 2, 1, 3]:
        return None
    if not (q[0] == k[0] == v[0]):
        return None
    return {"x": q[0], "w": np.concatenate([q[1], k[1], v[1]], axis=1),
            "b": np.concatenate([q[2], k[2], v[2]]), "scale": float(scale.reshape(())),
            "out": merge.output[0]}


def fuse_attention(model, num_heads: int, mask_input: str = "attention_mask") -> int:
    """Fuse every matching self-attention block of ``model`` (an onnx ModelProto) in
    place; returns how many were fused (0 leaves the graph unchanged)."""
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.transformers.onnx_model import OnnxModel

    graph = model.graph
    if mask_input not in {i.name for i in graph.input}:
        return 0  # no 0/1 key mask to hand the fused node
    g = _Graph(graph)
    blocks = [b for s in graph.node if s.op_type == "Softmax" for b in [_block(g, s)] if b]
    if not blocks:
        return 0
    mask = "attention_mask_int32"
    new_nodes = [helper.make_node("Cast", [mask_input], [mask], to=TensorProto.INT32,
                                  name="attention_mask_to_int32")]
    for i, b in enumerate(blocks):
        w, bias = f"attention_{i}_qkv_weight", f"attention_{i}_qkv_bias"
        graph.initializer.extend([numpy_helper.from_array(b["w"].astype(np.float32), w),
                                  numpy_helper.from_array(b["b"].astype(np.float32), bias)])
        # The old producer of the block's output is rewired to a dead name; pruning
        # then removes the whole unfused block.
        g.producer[b["out"]].output[0] = f"{b['out']}_unfused"
        new_nodes.append(helper.make_node(
            "Attention", [b["x"], w, bias, mask], [b["out"]], name=f"attention_{i}",
            domain="com.microsoft", num_heads=num_heads, scale=b["scale"]))
    # Topological order: the Cast first, each Attention right after its input's producer.
    for node in new_nodes[1:]:
        src = g.producer.get(node.input[0])
        pos = list(graph.node).index(src) + 1 if src is not None else 0
        graph.node.insert(pos, node)
    graph.node.insert(0, new_nodes[0])
    if not any(op.domain == "com.microsoft" for op in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    # ONNX Runtime's own pruning: the unfused blocks (no longer read) go, with their
    # weights; the graph inputs stay.
    OnnxModel(model).prune_graph(allow_remove_graph_inputs=False)
    return len(blocks)
