"""CPU speed benchmark: our Predictor versus a plain ``transformers`` pipeline.

``python -m geostance.benchmark --model DIR [--sentences N] [--out FILE]``

All set-ups score the same corpus sentences, each with the context the model
was trained with (its `context` setting: none, or title and previous sentence):

* ``pipeline("text-classification")`` on an ``AutoModelForSequenceClassification``
  built from our encoder weights with the stance head copied into its
  classifier (it pools with BERT's pooler instead of a mean: one extra
  hidden x hidden matmul per sentence, so the work is equivalent), at its
  default settings (batch size 1) and at the best of a few batch sizes;
* our :class:`~geostance.prediction.Predictor` in float32 (length-sorted,
  dynamically padded batches under ``torch.inference_mode``);
* the same with dynamic int8 quantisation.

It also reports stance macro-F1 on the test split for float32 and int8, and
the share of the arithmetic limit reached: measured float32 matmul GFLOP/s on
the model's own matrix shapes divided by the model's FLOPs per sentence.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..fileio import emit_report
from ..model.encoding import context_text

PIPELINE_BATCH_SIZES = (8, 32, 64)
SEARCH_SENTENCES = 256  # sentences used to pick the pipeline's best batch size


@dataclass
class Row:
    """One benchmarked set-up."""

    setup: str
    batch_size: int | str
    sentences_per_s: float
    f1: float | None = None
    share: float | None = None


def load_sentences(corpus_dir: Path, n: int = 0, split: str | None = None) -> list[dict]:
    """Corpus sentences with ``title``/``context_prev`` as the model sees them (file order).

    ``split`` keeps only sentences of articles in that split; ``n`` > 0 keeps the first n.
    """
    arts = {}
    with (corpus_dir / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            a = json.loads(line)
            arts[a["article_id"]] = a
    rows, prev_by_article = [], {}
    with (corpus_dir / "sentences.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            s = json.loads(line)
            art = arts.get(s["article_id"], {})
            prev = prev_by_article.get(s["article_id"], "")
            prev_by_article[s["article_id"]] = s["text"]
            if split and art.get("split") != split:
                continue
            rows.append({"text": s["text"], "title": art.get("title") or "",
                         "context_prev": prev, "stance": s.get("stance") or ""})
            if n and len(rows) >= n:
                break
    return rows


def _timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def build_hf_classifier(predictor, out_dir: Path) -> None:
    """Save a standard sequence classifier: our encoder weights + the stance head."""
    from transformers import AutoConfig, AutoModelForSequenceClassification

    model = predictor.model
    cfg = AutoConfig.for_model(**model.config.encoder)
    cfg.num_labels = len(predictor.stances)
    cfg.id2label = dict(enumerate(predictor.stances))
    cfg.label2id = {v: k for k, v in cfg.id2label.items()}
    clf = AutoModelForSequenceClassification.from_config(cfg)
    missing, _ = clf.base_model.load_state_dict(model.encoder.state_dict(), strict=False)
    # Only the pooler (unused by our model) may be missing: it stays randomly initialised.
    assert all("pooler" in k for k in missing), missing
    head = getattr(clf, "classifier", None)
    if isinstance(head, torch.nn.Linear):
        with torch.no_grad():
            head.weight.copy_(model.stance_head.weight)
            head.bias.copy_(model.stance_head.bias)
    clf.save_pretrained(out_dir)
    predictor.tokenizer.save_pretrained(out_dir)


def matmul_gflops(shapes: Sequence[tuple[int, int, int]], seconds: float = 1.0) -> float:
    """Measured float32 ``torch.matmul`` GFLOP/s over (m, k, n) shapes, each for ~seconds/len."""
    total_flops, total_t = 0.0, 0.0
    for m, k, n in shapes:
        a, b = torch.randn(m, k), torch.randn(k, n)
        torch.matmul(a, b)  # warm-up
        reps, t0 = 0, time.perf_counter()
        while True:
            torch.matmul(a, b)
            reps += 1
            if time.perf_counter() - t0 >= seconds / len(shapes):
                break
        total_t += time.perf_counter() - t0
        total_flops += 2.0 * m * k * n * reps
    return total_flops / total_t / 1e9


def flops_per_token(model, mean_len: float) -> tuple[float, int]:
    """(FLOPs per token, non-embedding parameters): 2 x params + attention scores/mixing."""
    emb = sum(p.numel() for n, p in model.encoder.named_parameters() if "embeddings" in n)
    params = sum(p.numel() for p in model.parameters()) - emb
    enc = model.encoder.config
    # Q.K^T and attention x V: 2 x (2 x seq_len x hidden) per token per layer.
    attention = enc.num_hidden_layers * 4 * mean_len * enc.hidden_size
    return 2.0 * params + attention, params


def f1_on(predictor, rows: list[dict]) -> float:
    """Stance macro-F1 on rows with a gold stance (argmax of the stance head)."""
    from sklearn.metrics import f1_score

    rows = [r for r in rows if r["stance"] in predictor.stances]
    if not rows:
        return float("nan")
    _, stance_p, _ = predictor.score([r["text"] for r in rows], [r["title"] for r in rows],
                                  [r["context_prev"] for r in rows])
    pred = [predictor.stances[i] for i in stance_p.argmax(axis=1)]
    return float(f1_score([r["stance"] for r in rows], pred, labels=predictor.stances,
                          average="macro", zero_division=0))


def run_benchmark(model_dir: str, n: int = 2000, corpus_dir: str = "data/corpus",
                  batch_size: int = 64, log: Callable[[str], None] = print) -> str:
    """Run every set-up on the same sentences; returns the Markdown report."""
    import transformers
    from transformers import pipeline

    from ..model.encoding import encode
    from ..predict.predictor import Predictor

    corpus = Path(corpus_dir)
    rows = load_sentences(corpus, n)
    test = load_sentences(corpus, 0, split="test")
    f32 = Predictor.load(model_dir, batch_size=batch_size)
    cfg = f32.model.config
    texts = [r["text"] for r in rows]
    titles, prevs = [r["title"] for r in rows], [r["context_prev"] for r in rows]
    lengths = [len(x) for x in encode(f32.tokenizer, texts, titles, prevs, cfg)["input_ids"]]
    mean_len = float(np.mean(lengths))
    log(f"{len(rows)} sentences, mean {mean_len:.1f} tokens; {torch.get_num_threads()} threads")

    results: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        build_hf_classifier(f32, Path(tmp))
        pipe = pipeline("text-classification", model=tmp, tokenizer=tmp, device=-1)
        # The same two segments our encode() builds, truncated the same way.
        inputs = [{"text": cfg.text_prefix + t, "text_pair": context_text(cfg.context, ti, p)}
                  if cfg.context != "none" else cfg.text_prefix + t
                  for t, ti, p in zip(texts, titles, prevs, strict=True)]
        tok = {"truncation": True, "max_length": cfg.max_seq_length}
        pipe(inputs[:4], **tok)  # warm-up
        t = _timed(lambda: pipe(inputs, **tok))
        results.append(Row("transformers pipeline, default settings", 1, len(rows) / t))
        log(f"pipeline default: {len(rows) / t:.1f} sentences/s")
        sample = inputs[:SEARCH_SENTENCES]
        best = max(PIPELINE_BATCH_SIZES, key=lambda b: len(sample) / _timed(
            lambda: pipe(sample, batch_size=b, **tok)))
        t = _timed(lambda: pipe(inputs, batch_size=best, **tok))
        results.append(Row(f"transformers pipeline, best batch size of "
                           f"{'/'.join(map(str, PIPELINE_BATCH_SIZES))}", best, len(rows) / t))
        log(f"pipeline batch {best}: {len(rows) / t:.1f} sentences/s")

    for name, pred in (("geostance Predictor, float32", f32),
                       ("geostance Predictor, int8", None)):
        if pred is None:
            pred = Predictor.load(model_dir, quantize="int8", batch_size=batch_size)
        pred.score(texts[:8], titles[:8], prevs[:8])  # warm-up
        t = _timed(lambda p=pred: p.score(texts, titles, prevs))
        results.append(Row(name, batch_size, len(rows) / t, f1=f1_on(pred, test)))
        log(f"{name}: {len(rows) / t:.1f} sentences/s")

    enc = f32.model.encoder.config
    tokens = int(batch_size * mean_len)
    shapes = [(tokens, enc.hidden_size, enc.hidden_size),
              (tokens, enc.hidden_size, enc.intermediate_size),
              (tokens, enc.intermediate_size, enc.hidden_size)]
    gflops = matmul_gflops(shapes)
    fpt, params = flops_per_token(f32.model, mean_len)
    limit = gflops * 1e9 / (fpt * mean_len)  # sentences/s if every FLOP ran at matmul speed
    for r in results:
        r.share = r.sentences_per_s / limit
    return report(results, model=f32.model_info, n=len(rows), mean_len=mean_len, gflops=gflops,
                  fpt=fpt, params=params, limit=limit, n_test=sum(
                      r["stance"] in f32.stances for r in test),
                  versions=f"torch {torch.__version__}, transformers {transformers.__version__}")


def report(results: list[Row], *, model: dict, n: int, mean_len: float, gflops: float,
           fpt: float, params: int, limit: float, n_test: int, versions: str) -> str:
    """The Markdown report: set-up table plus how the arithmetic limit was computed."""
    base = results[0].sentences_per_s
    lines = [
        "# Prediction speed (CPU)", "",
        f"Model `{model['name']}` (weights sha256 `{model['weights_sha256'][:12]}`), "
        f"{n} corpus sentences, each with the context segment the model was trained with, "
        f"mean {mean_len:.1f} tokens; {torch.get_num_threads()} torch threads on "
        f"{platform.processor() or platform.machine()}; {versions}.", "",
        "| Set-up | Batch size | Sentences/s | ms/sentence | vs. pipeline default "
        "| Share of fp32 matmul limit | Stance macro-F1 (test) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        f1 = "" if r.f1 is None else f"{r.f1:.3f}"
        lines.append(f"| {r.setup} | {r.batch_size} | {r.sentences_per_s:.1f} | "
                     f"{1000 / r.sentences_per_s:.1f} | {r.sentences_per_s / base:.2f}x | "
                     f"{100 * (r.share or 0):.1f}% | {f1} |")
    lines += [
        "",
        f"Arithmetic limit: float32 `torch.matmul` on the model's shapes runs at "
        f"{gflops:.1f} GFLOP/s; the model needs {fpt / 1e6:.1f} MFLOP per token "
        f"(2 x {params / 1e6:.2f}M non-embedding parameters + attention at "
        f"{mean_len:.0f} tokens), i.e. {fpt * mean_len / 1e9:.3f} GFLOP per sentence, so at "
        f"most {limit:.1f} sentences/s. int8 can exceed a share of 100% since its matmuls "
        f"are not float32. F1 on {n_test} test sentences with a gold stance.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["ray"]:  # ``python -m geostance.benchmark ray ...``: engine throughput
        from .ray import main as ray_main

        return ray_main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--model", default="runs/latest", help="Model (run) directory.")
    parser.add_argument("--sentences", type=int, default=2000,
                        help="Corpus sentences timed per set-up.")
    parser.add_argument("--corpus", default="data/corpus",
                        help="Corpus directory (articles.jsonl, sentences.jsonl).")
    parser.add_argument("--batch-size", type=int, default=64, help="Predictor batch size.")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0 = default).")
    parser.add_argument("--out", default="", help="Also write the Markdown table to this file.")
    args = parser.parse_args(argv)
    if args.sentences < 1 or args.batch_size < 1:
        print("error: --sentences and --batch-size must be >= 1", file=sys.stderr)
        return 2
    for p, what in ((Path(args.model), "model directory"), (Path(args.corpus), "corpus")):
        if not p.is_dir():
            print(f"error: {what} not found: {p}", file=sys.stderr)
            return 2
    if args.threads:
        torch.set_num_threads(args.threads)
    md = run_benchmark(args.model, args.sentences, args.corpus, args.batch_size,
                       log=lambda s: print(s, file=sys.stderr))
    emit_report(md, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
