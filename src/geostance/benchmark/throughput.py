"""Speed as users meet it: whole ``predict.py`` processes against whole ``pipeline()`` processes.

``python -m geostance.benchmark --model DIR [--sentences 1500] [--articles 100] [--out FILE]``

In one run, on this machine, with the same inputs (see :mod:`.inputs`):

1. **Whole processes**, best of ``--repeats``, from start to exit (imports, model
   load, reading, scoring, writing): ``predict.py`` per backend and precision
   against the peer process of :mod:`.peer` (``pipeline("text-classification")``
   with default settings on the same encoder and stance head). Sentence mode
   scores the sentence table with ``--unit sentence``; article mode scores the
   article table, and its peer scores the same sentences after our splitting.
   The runs go in rounds (the peer, then every set-up, then again), and each
   set-up's ratio to the peer is also given per round, against the peer run of
   the same round, minutes apart: a shared CPU's speed drifts over a run (one
   2-core machine's by 1.8x within an hour, thirteenth sweep in reports/sweep.md),
   and the per-round range shows how far that moves the ratio.
2. **Cold start**: one short article, command start to output written, with the
   ONNX export cached (every run after the first); and the first run on a new
   model folder, which exports once.
3. **In process**: ``Predictor.score`` sentences/s per set-up, and the share of
   the float32 matmul limit (the faster of ``torch.matmul`` and ONNX Runtime's
   ``MatMul``, in GFLOP/s on the model's shapes, divided by the model's FLOPs per
   sentence).
4. **int8 and bf16 against float32**: share of identical labels and stance
   macro-F1 on ``realnews_dev`` and the real corpus's test split, per backend. A
   reduced precision is recommended only where stance agreement on
   ``realnews_dev`` is at least 97%.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..cli import ValueDefaultsFormatter
from ..fileio import emit_report, output_problem, read_jsonl, write_jsonl_atomic, write_text_atomic
from ..hardware import cpu_description, native_bf16
from .inputs import Inputs, write_inputs
from .processes import BenchmarkError, predict_command, time_process

__all__ = ["Options", "run_benchmark", "report", "round_ratios", "main"]

# predict.py set-ups timed as whole processes: (label, extra arguments).
PROCESS_SETUPS = (
    ("predict.py, ONNX Runtime float32 (default)", ("--backend", "onnx")),
    ("predict.py, ONNX Runtime int8", ("--backend", "onnx", "--quantize", "int8")),
    ("predict.py, torch float32", ("--backend", "torch")),
    ("predict.py, torch int8", ("--backend", "torch", "--quantize", "int8")),
    ("predict.py, torch bf16", ("--backend", "torch", "--quantize", "bf16")),
)
# Their names for ``--setups``, in the same order.
SETUP_NAMES = dict(zip(("onnx", "onnx-int8", "torch", "torch-int8", "torch-bf16"),
                       PROCESS_SETUPS, strict=True))
PEER = "transformers pipeline(), default settings"
AGREEMENT_MIN = 0.97  # int8/bf16 recommended only at this stance agreement on realnews_dev


@dataclass
class Options:
    """What to benchmark and on which inputs."""

    model: str = "runs/latest"
    sentences: int = 1500
    articles: int = 100
    corpus: str = "data/real"
    article_corpus: str = "data/corpus"
    realnews: str = "../shared/realnews_dev/sentences.jsonl"
    repeats: int = 2
    first_run: bool = True
    # Off only to time a model that is not trained (same shapes, same speed): its int8 and
    # bf16 agreement with float32 would say nothing about a real model's.
    agreement: bool = True
    setups: tuple[tuple[str, tuple[str, ...]], ...] = field(default=PROCESS_SETUPS)


def _scored_peer_rows(scored: Path) -> list[dict[str, str]]:
    """Our output as sentence rows (title, previous sentence, the speaker found) for the
    peer: the same inputs our model read. A sentence-mode record holds one sentence
    and its input's ``context_prev``; an article's sentences follow each other."""
    rows = []
    for rec in read_jsonl(scored):
        prev = rec.get("context_prev") or ""
        for s in rec["sentences"]:
            rows.append({"text": s["text"], "title": rec.get("title") or "",
                         "context_prev": prev, "speaker": s.get("source") or ""})
            prev = s["text"]
    return rows


def _processes(opts: Options, model_dir: Path, spec: Any, inputs: Inputs, work: Path,
               log: Callable[[str], None]) -> list[dict[str, Any]]:
    from .peer import build_hf_classifier, peer_rows

    hf = work / "hf"
    build_hf_classifier(model_dir, hf)
    # One untimed run per mode: the peer scores exactly the sentences (and, for a
    # model trained with the speaker, the speakers) ours read.
    scored = {"sentence": work / "sentences_scored.jsonl",
              "article": work / "articles_scored.jsonl"}
    time_process(predict_command(str(model_dir), inputs.sentences, scored["sentence"],
                                 "--unit", "sentence"), repeats=1)
    time_process(predict_command(str(model_dir), inputs.articles, scored["article"]), repeats=1)
    modes = {"sentence": (inputs.sentences, ("--unit", "sentence"),
                          _scored_peer_rows(scored["sentence"])),
             "article": (inputs.articles, (), _scored_peer_rows(scored["article"]))}
    rows = []
    for mode, (src, unit, sentences) in modes.items():
        peer_in = write_jsonl_atomic(work / f"peer_{mode}.jsonl", peer_rows(sentences, spec))
        setups = [(PEER, [sys.executable, "-m", "geostance.benchmark.peer", str(hf),
                          str(peer_in), str(work / "peer_out.jsonl"),
                          str(spec.max_seq_length)])]
        setups += [(label, predict_command(str(model_dir), src, work / "out.jsonl", *unit,
                                           *extra)) for label, extra in opts.setups]
        rounds: dict[str, list[float]] = {label: [] for label, _ in setups}
        for r in range(opts.repeats):
            for label, cmd in setups:
                seconds = time_process(cmd, repeats=1)
                rounds[label].append(seconds)
                log(f"{mode}, round {r + 1}: {label} {len(sentences) / seconds:.1f} "
                    "sentences/s")
        rows += [{"mode": mode, "setup": label, "sentences": len(sentences),
                  "seconds": min(times), "round_seconds": times}
                 for label, times in rounds.items()]
    return rows


def round_ratios(peer: dict[str, Any], row: dict[str, Any]) -> list[float]:
    """``row``'s speed-up over the peer in each round, against the same round's peer run
    (empty for results written before the runs went in rounds)."""
    return [p / t for p, t in zip(peer.get("round_seconds", []), row.get("round_seconds", []),
                                  strict=True)]


def _cold_start(opts: Options, model_dir: Path, inputs: Inputs, work: Path) -> dict[str, Any]:
    out = work / "short.jsonl"
    cached = time_process(predict_command(str(model_dir), inputs.short, out), max(3, opts.repeats))
    res: dict[str, Any] = {"cached_seconds": cached, "first_run_seconds": None}
    if opts.first_run:  # a fresh copy of the model folder: no export cached yet
        fresh = work / "fresh_model"
        shutil.copytree(model_dir, fresh, ignore=shutil.ignore_patterns("onnx"))
        res["first_run_seconds"] = time_process(predict_command(str(fresh), inputs.short, out),
                                                repeats=1)
        shutil.rmtree(fresh)
    return res


def _in_process(model_dir: Path, inputs: Inputs, log: Callable[[str], None],
                bf16: bool = True) -> dict[str, Any]:
    import torch

    from ..model.encoding import encode
    from ..model.onnx import onnx_available
    from ..predict.predictor import MAX_TOKENS, Predictor
    from .inprocess import (
        SETUPS,
        flops_per_token,
        matmul_gflops,
        operator_flop_shares,
        ort_matmul_gflops,
        ort_operator_shares,
        rate,
        sentence_speakers,
    )

    rows = read_jsonl(inputs.sentences)
    rates = {}
    for label, backend, quantize in SETUPS:
        if quantize == "bf16" and not bf16:
            continue
        rates[label] = rate(Predictor.load(model_dir, backend=backend, quantize=quantize), rows)
        log(f"in process: {label} {rates[label]:.1f} sentences/s")
    f32 = Predictor.load(model_dir, backend="torch")
    lengths = [len(x) for x in encode(f32.tokenizer, [r["text"] for r in rows],
                                      [r.get("title") or "" for r in rows],
                                      [r.get("context_prev") or "" for r in rows],
                                      f32.config, sentence_speakers(f32, rows))["input_ids"]]
    mean_len = sum(lengths) / len(lengths)
    enc = f32.model.encoder.config
    libs = {}
    # The limit is the fastest float32 matrix product found: either library, on the token
    # rows of a 64-sentence batch and of an ONNX Runtime batch (MAX_TOKENS); a share of a
    # slow library's or shape's speed would flatter the other.
    for tokens in (int(64 * mean_len), MAX_TOKENS["onnx"]):
        shapes = [(tokens, enc.hidden_size, enc.hidden_size),
                  (tokens, enc.hidden_size, enc.intermediate_size),
                  (tokens, enc.intermediate_size, enc.hidden_size)]
        libs[f"torch.matmul, {tokens} rows"] = matmul_gflops(shapes, seconds=3.0)
        if onnx_available():
            libs[f"ONNX Runtime MatMul, {tokens} rows"] = ort_matmul_gflops(shapes, seconds=3.0)
    lib = max(libs, key=libs.get)
    fpt, params = flops_per_token(f32.model, mean_len)
    ops = {}
    if onnx_available():
        times = ort_operator_shares(f32, model_dir, rows)
        ops = {"time": times,
               "flops": operator_flop_shares(enc, mean_len, fused="Attention" in times)}
    return {"rates": rates, "mean_len": mean_len, "gflops": libs[lib], "gflops_by_lib": libs,
            "matmul_lib": lib, "fpt": fpt, "params": params, "operators": ops,
            "limit": libs[lib] * 1e9 / (fpt * mean_len), "threads": torch.get_num_threads()}


def _agreement(opts: Options, model_dir: Path, bf16: bool = True) -> list[dict[str, Any]]:
    from ..data import load_realnews
    from ..data.corpus import read_corpus
    from ..data.schema import Problems
    from ..predict.predictor import Predictor
    from .inprocess import REDUCED, reduced_agreement

    sets = {}
    realnews = load_realnews(opts.realnews)
    if realnews:
        sets["realnews_dev"] = realnews
    if (Path(opts.corpus) / "documents.jsonl").is_file():
        sets["real test split"] = read_corpus(Path(opts.corpus), Problems())["test"]
    setups = tuple(r for r in REDUCED if bf16 or r[1] != "bf16")
    return reduced_agreement(lambda b, q: Predictor.load(model_dir, backend=b, quantize=q), sets,
                             setups)


def run_benchmark(opts: Options, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run every measurement; returns the results (see :func:`report`)."""
    import torch
    import transformers

    from ..model.artifacts import ModelSpec
    from ..predict.predictor import Predictor, resolve_model_dir

    model_dir = resolve_model_dir(opts.model)
    spec = ModelSpec.from_dir(model_dir)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = write_inputs(work, Path(opts.corpus), opts.sentences,
                              Path(opts.article_corpus), opts.articles)
        for q in (None, "int8"):  # the exports every timed process finds cached
            Predictor.load(model_dir, backend="onnx", quantize=q)
        bf16 = native_bf16()
        if not bf16:
            log("no bfloat16 instructions on this CPU: the bf16 set-ups are not timed")
            opts = replace(opts, setups=tuple(
                (label, extra) for label, extra in opts.setups if "bf16" not in extra))
        t = time.perf_counter()
        results = {"processes": _processes(opts, model_dir, spec, inputs, work, log),
                   "bf16_timed": bf16}
        results["cold_start"] = _cold_start(opts, model_dir, inputs, work)
        log(f"cold start: {results['cold_start']}")
        results["in_process"] = _in_process(model_dir, inputs, log, bf16)
        results["agreement"] = _agreement(opts, model_dir, bf16) if opts.agreement else None
    info = Predictor.load(model_dir, backend="torch").model_info
    results["meta"] = {
        "model": info["name"], "weights_sha256": info["weights_sha256"],
        "n_sentences": inputs.n_sentences, "n_articles": inputs.n_articles,
        "corpus": opts.corpus, "article_corpus": opts.article_corpus,
        "cpus": os.cpu_count(), "cpu": cpu_description(),
        "versions": f"torch {torch.__version__}, transformers {transformers.__version__}"
                    + _ort_version(), "repeats": opts.repeats,
        "minutes": (time.perf_counter() - t) / 60}
    return results


def _ort_version() -> str:
    try:
        import onnxruntime

        return f", onnxruntime {onnxruntime.__version__}"
    except ImportError:
        return ""


def report(res: dict[str, Any]) -> str:
    """The Markdown report of :func:`run_benchmark`'s results."""
    from ..fileio import render_table

    m, ip, cs = res["meta"], res["in_process"], res["cold_start"]
    lines = ["# Prediction speed on this CPU", "",
             f"Produced by `python -m geostance.benchmark` in one run ({m['minutes']:.0f} min). "
             f"Model `{m['model']}` (weights `{m['weights_sha256'][:12]}`); {m['cpus']} CPUs "
             f"({m['cpu']}); {m['versions']}. Whole processes are timed from start to exit, "
             f"best of {m['repeats']} (in rounds).", "",
             f"## Whole processes ({m['n_sentences']} sentences of `{m['corpus']}`; "
             f"{m['n_articles']} articles of `{m['article_corpus']}`)", ""]
    table = []
    for mode in ("sentence", "article"):
        rows = [r for r in res["processes"] if r["mode"] == mode]
        base = rows[0]["sentences"] / rows[0]["seconds"]
        for r in rows:
            rate = r["sentences"] / r["seconds"]
            per_round = round_ratios(rows[0], r)
            spread = (f"{min(per_round):.2f}–{max(per_round):.2f}x" if len(per_round) > 1
                      else "–")
            table.append([mode, r["setup"], r["sentences"], f"{r['seconds']:.1f}",
                          f"{rate:.1f}", f"{rate / base:.2f}x", spread])
    lines += [render_table(["mode", "set-up", "sentences", "seconds", "sentences/s",
                            "vs. pipeline()", "vs. pipeline() per round (range)"], table,
                           markdown=True), "",
              "Seconds are the best of the set-up's runs; the last column divides each "
              "round's pipeline() run by the same round's run of the set-up (rounds: the "
              "peer, then every set-up, then again), the ratio least moved by the "
              "machine's speed drifting over the run.", ""]
    if not res.get("bf16_timed", True):
        lines += ["torch bf16 is not timed on this CPU: it has no bfloat16 instructions "
                  "(AVX512-BF16 or AMX), so torch emulates them, many times slower than "
                  "float32; `predict.py` never picks bf16 by itself.", ""]
    first = cs["first_run_seconds"]
    lines += ["## Cold start: one short article, command start to output written", "",
              f"{cs['cached_seconds']:.2f} s (best of 3; the ONNX export cached, as on every "
              "run after the first)" + (f"; {first:.1f} s on the first run with a new model "
                                        "folder, which exports it once" if first else "") + ".",
              "", "## In process (`Predictor.score`, the sentence table)", ""]
    lines += [render_table(["set-up", "sentences/s", "share of float32 matmul limit"],
                           [[k, f"{v:.1f}", f"{100 * v / ip['limit']:.0f}%"]
                            for k, v in ip["rates"].items()], markdown=True), "",
              "Float32 matrix products on the model's shapes run at " + ", ".join(
                  f"{v:.1f} GFLOP/s ({k})" for k, v in ip.get(
                      "gflops_by_lib", {"torch.matmul": ip["gflops"]}).items())
              + f" with {ip['threads']} threads; the limit takes the fastest, "
              f"{ip['gflops']:.1f} GFLOP/s. The model needs {ip['fpt'] / 1e6:.1f} MFLOP per token "
              f"(2 x {ip['params'] / 1e6:.2f}M non-embedding parameters + attention) at a mean "
              f"{ip['mean_len']:.1f} tokens, so at most {ip['limit']:.1f} sentences/s. int8 and "
              "bf16 can pass 100%: their matmuls are not float32.", ""]
    ops = ip.get("operators") or {}
    if ops:
        flops = ops["flops"]
        lines += ["Where ONNX Runtime float32 spends its time (one profiled pass over the same "
                  "sentences, one thread; kernel time per operator type):", "",
                  render_table(["operator", "share of time", "share of the encoder's FLOPs"],
                               [[op, f"{100 * v:.1f}%",
                                 f"{100 * flops[op]:.1f}%" if op in flops else "–"]
                                for op, v in ops["time"].items() if v >= 0.001],
                               markdown=True), "",
                  ("`Attention` is the fused self-attention node: its Q, K and V projections "
                   "(three of the layer's four attention matrix products) and the scores, "
                   "softmax and mixing; `MatMul` is the output projection and the "
                   "feed-forward layers. " if "Attention" in flops else
                   "The self-attention blocks are not fused in this export: every matrix "
                   "product is a `MatMul` node. ")
                  + "An operator whose share of time exceeds its share of FLOPs runs below "
                  "the matrix-product speed the limit above assumes.", ""]
    lines += ["## int8 and bf16 against float32 (same backend)", ""]
    if res["agreement"] is None:
        return "\n".join([*lines, "Not measured in this run (`--no-agreement`).", ""])
    agree = []
    for a in res["agreement"]:
        ok = a["stance_agreement"] >= AGREEMENT_MIN
        rec = ("yes" if ok else "no") if a["set"] == "realnews_dev" else ""
        agree.append([a["backend"], a["precision"], a["set"], a["n"],
                      f"{100 * a['stance_agreement']:.1f}%",
                      f"{100 * a['kind_agreement']:.1f}%", f"{a['f1_float32']:.3f}",
                      f"{a['f1_reduced']:.3f}", rec])
    lines += [render_table(["backend", "precision", "set", "sentences", "same stance",
                            "same kind", "stance F1 float32", "stance F1 reduced",
                            f"recommended (>= {AGREEMENT_MIN:.0%})"], agree, markdown=True),
              ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m geostance.benchmark``; ``... ray`` runs the Ray engine benchmark."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["ray"]:
        from .ray import main as ray_main

        return ray_main(argv[1:])
    d = Options()
    parser = argparse.ArgumentParser(prog="python -m geostance.benchmark",
                                     description=__doc__.splitlines()[0],
                                     epilog="python -m geostance.benchmark ray --help: the "
                                     "Ray engine's throughput against the local engine.",
                                     formatter_class=ValueDefaultsFormatter)
    parser.add_argument("--model", default=d.model, help="Model (run) directory or hub id.")
    parser.add_argument("--sentences", type=int, default=d.sentences,
                        help="Sentences in the sentence-mode table.")
    parser.add_argument("--articles", type=int, default=d.articles,
                        help="Articles in the article-mode table.")
    parser.add_argument("--corpus", default=d.corpus, help="Corpus the sentences come from "
                        "(its test split is also used for the int8/bf16 agreement).")
    parser.add_argument("--article-corpus", default=d.article_corpus,
                        help="Corpus with articles.jsonl for article mode.")
    parser.add_argument("--realnews", default=d.realnews, help="realnews_dev sentences.jsonl.")
    parser.add_argument("--repeats", type=int, default=d.repeats,
                        help="Rounds of whole-process runs: each times the peer and every "
                             "set-up once (the best run counts; the ratios are also given "
                             "per round).")
    parser.add_argument("--setups", nargs="+", choices=list(SETUP_NAMES),
                        default=list(SETUP_NAMES), help="predict.py set-ups timed as whole "
                        "processes (onnx = the default float32); the in-process table and "
                        "the agreement cover every set-up either way.")
    parser.add_argument("--no-first-run", dest="first_run", action="store_false",
                        help="Skip timing the first run on a fresh copy of the model (export).")
    parser.add_argument("--no-agreement", dest="agreement", action="store_false",
                        help="Skip the int8/bf16 agreement with float32 (for timing a model "
                             "that is not trained; the speeds do not depend on the weights).")
    parser.add_argument("--json", default="", help="Also write the raw results here.")
    parser.add_argument("--out", default="", help="Also write the Markdown report here.")
    parser.add_argument("--overwrite", action="store_true",
                        help="Replace --out and --json if they exist.")
    args = parser.parse_args(argv)
    problem = output_problem(args.out, args.json, overwrite=args.overwrite)
    if problem:  # before a quarter of an hour of timing, not after
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if min(args.sentences, args.articles, args.repeats) < 1:
        print("error: --sentences, --articles and --repeats must be >= 1", file=sys.stderr)
        return 2
    for p, what in ((Path(args.corpus), "corpus"), (Path(args.article_corpus),
                                                     "article corpus")):
        if not p.is_dir():
            print(f"error: {what} not found: {p}", file=sys.stderr)
            return 2
    opts = Options(**{k: v for k, v in vars(args).items()
                      if k not in ("json", "out", "overwrite")}
                   | {"setups": tuple(SETUP_NAMES[k] for k in args.setups)})
    try:
        res = run_benchmark(opts, log=lambda s: print(s, file=sys.stderr))
    except (BenchmarkError, OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.json:
        write_text_atomic(Path(args.json), json.dumps(res, indent=1) + "\n")
    return 0 if emit_report(report(res), args.out) else 2


if __name__ == "__main__":
    sys.exit(main())
