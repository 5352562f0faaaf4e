"""In-process figures: Predictor throughput, the float32 matmul limit, the agreement of
int8 and bf16 with float32."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["REDUCED", "SETUPS", "flops_per_token", "matmul_gflops", "operator_flop_shares",
           "ort_matmul_gflops", "ort_operator_shares", "rate", "rates_in_rounds",
           "reduced_agreement", "sentence_speakers"]

# (label, backend, quantize) of each Predictor set-up timed.
SETUPS = (("torch float32", "torch", None), ("torch int8", "torch", "int8"),
          ("torch bf16", "torch", "bf16"),
          ("ONNX Runtime float32", "onnx", None), ("ONNX Runtime int8", "onnx", "int8"))
# (backend, quantize) of each reduced-precision set-up compared with float32.
REDUCED = (("onnx", "int8"), ("torch", "int8"), ("torch", "bf16"))


def rate(predictor, rows: Sequence[dict[str, Any]]) -> float:
    """Sentences per second of ``predictor.score`` on ``rows`` after a warm-up batch
    (a model trained with the speaker is given each sentence's, found beforehand)."""
    texts = [r["text"] for r in rows]
    titles = [r.get("title") or "" for r in rows]
    prevs = [r.get("context_prev") or "" for r in rows]
    speakers = sentence_speakers(predictor, rows)
    predictor.score(texts[:16], titles[:16], prevs[:16],
                    speakers=speakers[:16] if speakers else None)
    t = time.perf_counter()
    predictor.score(texts, titles, prevs, speakers=speakers)
    return len(rows) / (time.perf_counter() - t)


def rates_in_rounds(predictor, runners: dict[str, Callable[..., Any]],
                    rows: Sequence[dict[str, Any]], rounds: int) -> dict[str, list[float]]:
    """:func:`rate` of ``predictor`` with each of ``runners`` (its ``run``, e.g. one ONNX
    Runtime session per graph) in turn, ``rounds`` times over: each name's rate per round,
    so that ratios taken within a round are not moved by the machine's speed drifting."""
    rates: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(rounds):
        for name, run in runners.items():
            predictor.run = run
            rates[name].append(rate(predictor, rows))
    return rates


def sentence_speakers(predictor, rows: Sequence[dict[str, Any]]) -> list[str] | None:
    """Each row's speaker as ``predict.py --unit sentence`` finds it (the sentence alone),
    for a model trained with the speaker; None for any other model."""
    if not predictor.uses_speaker:
        return None
    from ..text.sources import sentence_speakers as speakers_of

    return speakers_of([r["text"] for r in rows], [r.get("lang") for r in rows])


def _gflops(make: Callable[[int, int, int], Callable[[], Any]],
            shapes: Sequence[tuple[int, int, int]], seconds: float) -> float:
    """GFLOP/s of the matrix products ``make(m, k, n)()`` runs, ~seconds in all."""
    total_flops, total_t = 0.0, 0.0
    for m, k, n in shapes:
        step = make(m, k, n)
        step()  # warm-up
        reps, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds / len(shapes):
            step()
            reps += 1
        total_t += time.perf_counter() - t0
        total_flops += 2.0 * m * k * n * reps
    return total_flops / total_t / 1e9


def matmul_gflops(shapes: Sequence[tuple[int, int, int]], seconds: float = 1.0) -> float:
    """Measured float32 ``torch.matmul`` GFLOP/s over (m, k, n) shapes, ~seconds in all."""
    import torch

    def make(m: int, k: int, n: int) -> Callable[[], Any]:
        a, b = torch.randn(m, k), torch.randn(k, n)
        return lambda: torch.matmul(a, b)

    return _gflops(make, shapes, seconds)


def ort_matmul_gflops(shapes: Sequence[tuple[int, int, int]], seconds: float = 1.0,
                      threads: int = 0) -> float:
    """Measured float32 GFLOP/s of an ONNX Runtime ``MatMul`` (activations x constant
    weights, as in the exported model) over (m, k, n) shapes, ~seconds in all."""
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)

    def make(m: int, k: int, n: int) -> Callable[[], Any]:
        w = numpy_helper.from_array(rng.standard_normal((k, n), dtype=np.float32), "w")
        graph = helper.make_graph(
            [helper.make_node("MatMul", ["a", "w"], ["y"])], "matmul",
            [helper.make_tensor_value_info("a", TensorProto.FLOAT, [m, k])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])], [w])
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        sess = ort.InferenceSession(
            helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
            .SerializeToString(), opts, providers=["CPUExecutionProvider"])
        feed = {"a": rng.standard_normal((m, k), dtype=np.float32)}
        return lambda: sess.run(None, feed)

    return _gflops(make, shapes, seconds)


def flops_per_token(model, mean_len: float) -> tuple[float, int]:
    """(FLOPs per token, non-embedding parameters): 2 x params + attention scores/mixing."""
    emb = sum(p.numel() for n, p in model.encoder.named_parameters() if "embeddings" in n)
    params = sum(p.numel() for p in model.parameters()) - emb
    enc = model.encoder.config
    # Q.K^T and attention x V: 2 x (2 x seq_len x hidden) per token per layer.
    attention = enc.num_hidden_layers * 4 * mean_len * enc.hidden_size
    return 2.0 * params + attention, params


def ort_operator_shares(predictor, model_dir: Path, rows: Sequence[dict[str, Any]]
                        ) -> dict[str, float]:
    """Share of ONNX Runtime float32's kernel time per operator type (``MatMul``,
    ``Attention``, ...) in one profiled pass over ``rows`` after a one-batch warm-up,
    batched as ``predictor`` batches them for ONNX Runtime (its token budget), one thread;
    shares sum to 1.

    ``predictor`` gives the tokenizer, the settings and, were the export not cached yet,
    the torch model to export.
    """
    import json
    import os
    import tempfile

    from ..model.encoding import encode_windows, predict_logits
    from ..model.onnx import onnx_runner, onnx_session
    from ..predict.predictor import MAX_TOKENS

    feats, _ = encode_windows(predictor.tokenizer, [r["text"] for r in rows],
                              [r.get("title") or "" for r in rows],
                              [r.get("context_prev") or "" for r in rows],
                              predictor.config, sentence_speakers(predictor, rows))
    with tempfile.TemporaryDirectory() as tmp:
        session = onnx_session(model_dir, lambda: predictor.model, None, threads=1,
                               profile_prefix=os.path.join(tmp, "ort"))
        run = onnx_runner(session)

        def score(f: dict[str, list[list[int]]]) -> None:
            predict_logits(run, f, len(predictor.kinds), len(predictor.stances),
                           predictor.tokenizer.pad_token_id, MAX_TOKENS["onnx"],
                           predictor.batch_size)

        score({k: v[:1] for k, v in feats.items()})  # warm-up, one batch: a first run allocates
        score(feats)
        events = json.loads(Path(session.end_profiling()).read_text(encoding="utf-8"))
    # The warm-up is the first "model_run": only node events after it count.
    runs = sorted((e["ts"] + e["dur"]) for e in events
                  if e.get("cat") == "Session" and e.get("name") == "model_run")
    after = runs[0] if len(runs) > 1 else -1
    micros: dict[str, float] = {}
    for e in events:
        # One "<node>_kernel_time" event per node run, its "dur" the operator's own time in
        # microseconds (older ONNX Runtime versions also wrote fence events: skipped).
        if (e.get("cat") == "Node" and e.get("name", "").endswith("_kernel_time")
                and e.get("ts", 0) >= after):
            op = e.get("args", {}).get("op_name", "?")
            micros[op] = micros.get(op, 0.0) + float(e.get("dur", 0))
    total = sum(micros.values()) or 1.0
    return dict(sorted(((k, v / total) for k, v in micros.items()), key=lambda kv: -kv[1]))


def operator_flop_shares(config: Any, mean_len: float, fused: bool = True) -> dict[str, float]:
    """Share of the encoder's FLOPs per token in the fused graph's ``Attention`` nodes
    (the Q, K and V projections plus scores and mixing) and ``MatMul`` nodes (the output
    projection and the feed-forward layers); the heads' few FLOPs are left out. Without
    the attention fusion (``fused`` False: an encoder the fusion does not match) every
    matrix product is a ``MatMul`` node."""
    if not fused:
        return {"MatMul": 1.0}
    h, i = config.hidden_size, config.intermediate_size
    attention = 3 * h * h + 2 * mean_len * h  # multiply-adds per token per layer
    matmul = h * h + 2 * h * i
    return {"Attention": attention / (attention + matmul), "MatMul": matmul / (attention + matmul)}


def _labels(predictor, rows: Sequence[Any]) -> tuple[list[str], list[str]]:
    """Kind labels and argmax stance labels (also for boilerplate) of Sentence rows,
    with the speakers the evaluation gives a model trained with them."""
    speakers = None
    if predictor.uses_speaker:
        from ..evaluation.realnews import speakers_of

        speakers = speakers_of(rows)
    kind_p, stance_p, _ = predictor.score([s.text for s in rows], [s.title for s in rows],
                                          [s.context_prev for s in rows], speakers=speakers)
    return ([predictor.kinds[i] for i in kind_p.argmax(1)],
            [predictor.stances[i] for i in stance_p.argmax(1)])


def _stance_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> float:
    from sklearn.metrics import f1_score

    keep = [i for i, g in enumerate(gold) if g in labels]
    if not keep:
        return float("nan")
    return float(f1_score([gold[i] for i in keep], [pred[i] for i in keep], labels=labels,
                          average="macro", zero_division=0))


def reduced_agreement(load: Callable[[str, str | None], Any], sets: dict[str, Sequence[Any]],
                      setups: Sequence[tuple[str, str]] = REDUCED) -> list[dict[str, Any]]:
    """Per (backend, precision) set-up (:data:`REDUCED` by default), reduced precision
    against float32 on the same backend, on each labelled set of Sentence rows.

    ``load(backend, quantize)`` returns a Predictor. Reports the share of identical
    stance and kind labels and stance macro-F1 (gold-stance sentences) of both.
    """
    out = []
    float32: dict[str, Any] = {}
    for backend, quantize in setups:
        f32 = float32.setdefault(backend, load(backend, None))
        reduced = load(backend, quantize)
        for name, rows in sets.items():
            k32, s32 = _labels(f32, rows)
            kr, sr = _labels(reduced, rows)
            gold = [s.stance for s in rows]
            out.append({
                "backend": backend, "precision": quantize, "set": name, "n": len(rows),
                "stance_agreement": float(np.mean([a == b for a, b in zip(s32, sr,
                                                                          strict=True)])),
                "kind_agreement": float(np.mean([a == b for a, b in zip(k32, kr, strict=True)])),
                "f1_float32": _stance_f1(gold, s32, f32.stances),
                "f1_reduced": _stance_f1(gold, sr, f32.stances),
            })
    return out
