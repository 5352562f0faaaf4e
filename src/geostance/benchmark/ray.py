"""Throughput of ``predict.py --engine ray`` with 1 and 2 workers versus the local engine.

``python -m geostance.benchmark ray --model DIR [--articles N] [--out FILE]``

All set-ups score the same N corpus articles (``data/corpus/articles.jsonl``,
cycled when N is larger, one JSONL table) and write JSONL. The Ray rows
include what a real run pays: building the input references, starting the
actors (each imports torch and loads the model once) and writing the shards;
only starting the local Ray instance itself is left out, since a cluster is
started once for many runs. The local row includes its model load too. With
a small N the actor start-up dominates, so use a few hundred articles or more
to see the scaling.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ..cli import ValueDefaultsFormatter
from ..fileio import emit_report, output_problem
from .inputs import write_articles


def run_benchmark(model_dir: str, n: int = 200, corpus_dir: str = "data/corpus",
                  workers: Sequence[int] = (1, 2), chunk_size: int = 16,
                  log: Callable[[str], None] = print) -> str:
    """Time the local engine and the Ray engine per worker count; returns a Markdown report."""
    import torch

    from ..config import PredictConfig
    from ..predict.ray_engine import import_ray, run_ray
    from ..predict.run import run

    ray = import_ray()
    rows: list[tuple[str, str, float, int, int]] = []  # engine, workers, seconds, arts, sents
    with tempfile.TemporaryDirectory() as tmp:
        table = write_articles(Path(corpus_dir), n, Path(tmp) / "articles.jsonl")
        common = {"inputs": [str(table)], "model": model_dir, "chunk_size": chunk_size,
                  "progress": False}
        # Wall clock with the model load, like the Ray rows' per-actor loads.
        t = time.perf_counter()
        res = run(PredictConfig(**common, out=str(Path(tmp) / "local.jsonl")))
        seconds = time.perf_counter() - t
        rows.append(("local", f"1 process, {torch.get_num_threads()} threads", seconds,
                     res.articles, res.sentences))
        log(f"local: {res.articles / seconds:.2f} articles/s")
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(num_cpus=max(workers), include_dashboard=False, log_to_driver=False)
        try:
            for w in workers:
                t = time.perf_counter()
                res = run_ray(PredictConfig(**common, out=str(Path(tmp) / f"ray{w}"),
                                            engine="ray", num_workers=w))
                seconds = time.perf_counter() - t
                rows.append(("ray", f"{w} actor{'s' if w > 1 else ''}, 1 thread each",
                             seconds, res.articles, res.sentences))
                log(f"ray x{w}: {res.articles / seconds:.2f} articles/s")
        finally:
            ray.shutdown()
    return report(rows, model_dir=model_dir, n=n, chunk_size=chunk_size,
                  versions=f"torch {torch.__version__}, ray {ray.__version__}")


def report(rows: list[tuple[str, str, float, int, int]], *, model_dir: str, n: int,
           chunk_size: int, versions: str) -> str:
    """The Markdown table: articles/s per set-up, relative to the local engine."""
    base = rows[0][3] / rows[0][2]
    lines = [
        "# Batch prediction throughput: local engine vs. Ray", "",
        f"Model `{model_dir}`, {n} corpus articles in one JSONL table, chunk size "
        f"{chunk_size}, {os.cpu_count()} CPUs; {versions}. Ray times include actor "
        "start-up (one model load per actor) and writing the shards; the local row "
        "includes its model load.", "",
        "| Engine | Workers | Articles | Sentences | Seconds | Articles/s | vs. local |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for engine, workers, seconds, arts, sents in rows:
        rate = arts / seconds if seconds > 0 else 0.0
        lines.append(f"| {engine} | {workers} | {arts} | {sents} | {seconds:.1f} | "
                     f"{rate:.2f} | {rate / base:.2f}x |")
    return "\n".join(lines + [""])


def main(argv: list[str] | None = None) -> int:
    """``python -m geostance.benchmark ray``: print the table (and write it with --out)."""
    from ..config import ConfigError

    parser = argparse.ArgumentParser(prog="python -m geostance.benchmark ray",
                                     description=__doc__.splitlines()[0],
                                     formatter_class=ValueDefaultsFormatter)
    parser.add_argument("--model", default="runs/latest", help="Model (run) directory.")
    parser.add_argument("--articles", type=int, default=200, help="Articles scored per set-up.")
    parser.add_argument("--corpus", default="data/corpus", help="Directory with articles.jsonl.")
    parser.add_argument("--workers", default="1,2", help="Ray worker counts to time.")
    parser.add_argument("--chunk-size", type=int, default=16, help="Articles per scoring chunk.")
    parser.add_argument("--out", default="", help="Also write the Markdown table here.")
    parser.add_argument("--overwrite", action="store_true", help="Replace --out if it exists.")
    args = parser.parse_args(argv)
    problem = output_problem(args.out, overwrite=args.overwrite)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        workers = [int(w) for w in args.workers.split(",") if w.strip()]
    except ValueError:
        workers = []
    if args.articles < 1 or args.chunk_size < 1 or not workers or min(workers) < 1:
        print("error: --articles, --chunk-size and --workers must be >= 1", file=sys.stderr)
        return 2
    for p, what in ((Path(args.model), "model directory"), (Path(args.corpus), "corpus")):
        if not p.is_dir():
            print(f"error: {what} not found: {p}", file=sys.stderr)
            return 2
    try:
        md = run_benchmark(args.model, args.articles, args.corpus, workers, args.chunk_size,
                           log=lambda s: print(s, file=sys.stderr))
    except ConfigError as e:  # Ray not installed
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0 if emit_report(md, args.out) else 2


if __name__ == "__main__":
    sys.exit(main())
