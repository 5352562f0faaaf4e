"""Article mode's stance coherence (``predict.py --stance-stay``) measured on finished runs.

    python reports/coherence.py RUN [RUN ...] --out reports/coherence.md

Each run's model scores the real corpus's dev and test documents as articles (each
document's sentences in reading order, the previous sentence as context, the speaker the
sources rules find in the whole document, as ``predict.py`` gives them) once; the sticky
chain of :mod:`geostance.predict.coherence` is then applied to each document for every
``stay`` of the grid. Reported: stance macro-F1 per ``stay`` (mean ± sd over the runs), the
seed-averaged difference to off with a paired bootstrap interval (sentences resampled), and
the seed article's stance accuracy through ``Predictor.predict_articles`` itself. The
``stay`` chosen is the one with the highest mean realdev score (reports/sweep.md states the
rule); the real test split and the seed article are reported, never used to choose.
Run from the repository root (the runs' configs name data/ and ../shared/ relative to it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from geostance.config import build_config, load_yaml
from geostance.data import load_splits
from geostance.evaluation.bootstrap import bootstrap_ci, macro_f1, paired_difference_ci
from geostance.evaluation.calibration import expected_calibration_error
from geostance.evaluation.coherence import chain_documents
from geostance.evaluation.realnews import speakers_of
from geostance.evaluation.seed import evaluate_seed
from geostance.predict.coherence import temper
from geostance.predict.predictor import Predictor

GRID = (1 / 3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
TEMPERATURES = (1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
SETS = ("realdev", "realtest")


def measure(run: Path) -> dict:
    """Per set: gold stance ids and, per ``stay``, the predicted ids; the seed article's
    accuracy per ``stay``."""
    pred = Predictor.load(run, backend="torch")
    cfg = build_config(load_yaml(run / "config.yaml"))
    splits = load_splits(cfg.data)
    out: dict = {"sets": {}, "seed": {}}
    for name in SETS:
        rows = splits[name]
        kind_p, stance_p, _ = pred.score([r.text for r in rows], [r.title for r in rows],
                                         [r.context_prev for r in rows], None,
                                         speakers_of(rows))
        gold_rows = [i for i, r in enumerate(rows) if r.stance in pred.stances]
        gold = [pred.stances.index(rows[i].stance) for i in gold_rows]
        out["sets"][name] = {"gold": gold, "pred": {}, "ece": {}, "probs": {}}
        for stay in GRID:
            q = chain_documents(rows, kind_p, stance_p, pred.kinds, stay)[gold_rows]
            out["sets"][name]["pred"][stay] = q.argmax(axis=1).tolist()
            out["sets"][name]["ece"][stay] = expected_calibration_error(q, np.asarray(gold))
            out["sets"][name]["probs"][stay] = q
    for stay in GRID:
        p = Predictor.load(run, backend="torch", stance_stay=0.0 if stay == GRID[0] else stay)
        seed = evaluate_seed(p, Path(cfg.data.seed_article), Path(cfg.data.labels_spec))
        if seed is not None:
            out["seed"][stay] = seed["stance_accuracy"]
    return out


def report(runs: list[Path], results: list[dict], resamples: int) -> tuple[str, float]:
    """The Markdown report and the ``stay`` with the highest mean realdev score."""
    k = 3
    lines = [f"Runs: {', '.join(r.name for r in runs)}.", "",
             "| stay | " + " | ".join(f"{s} stance F1 | {s} Δ vs off (95% CI)" for s in SETS)
             + " | realdev stance ECE | seed article stance accuracy (per run) |",
             "|---|" + "---|---|" * len(SETS) + "---|---|"]
    means = {}
    for stay in GRID:
        cells = []
        for s in SETS:
            gold = results[0]["sets"][s]["gold"]
            preds = [r["sets"][s]["pred"][stay] for r in results]
            f1s = [macro_f1(np.asarray(gold), np.asarray(p), k) for p in preds]
            if s == "realdev":
                means[stay] = float(np.mean(f1s))
            mean, _, _ = bootstrap_ci(gold, preds, k, resamples=resamples)
            cell = f"{mean:.3f} ± {np.std(f1s, ddof=1) if len(f1s) > 1 else 0:.3f}"
            if stay == GRID[0]:
                diff = "off"
            else:
                base = [r["sets"][s]["pred"][GRID[0]] for r in results]
                d, lo, hi = paired_difference_ci(gold, preds, base, k, resamples=resamples)
                diff = f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}]"
            cells += [cell, diff]
        seeds = [r["seed"].get(stay) for r in results]
        seed_cell = " / ".join(f"{x:.3f}" for x in seeds if x is not None)
        if all(x is not None for x in seeds):
            seed_cell += f" ({np.mean(seeds):.3f})"
        label = "1/3 (off)" if stay == GRID[0] else f"{stay:g}"
        ece = np.mean([r["sets"]["realdev"]["ece"][stay] for r in results])
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {ece:.3f} | {seed_cell} |")
    best = max(GRID, key=lambda s: means[s])
    per_run = [macro_f1(np.asarray(results[0]["sets"]["realdev"]["gold"]),
                        np.asarray(r["sets"]["realdev"]["pred"][best]), k)
               - macro_f1(np.asarray(results[0]["sets"]["realdev"]["gold"]),
                          np.asarray(r["sets"]["realdev"]["pred"][GRID[0]]), k)
               for r in results]
    lines += ["", f"Highest mean realdev stance macro-F1: stay {best:g} "
              f"({means[best]:.3f} against {means[GRID[0]]:.3f} off; per run "
              + ", ".join(f"{d:+.3f}" for d in per_run) + ")."]
    lines += ["", *_temperature_lines(results, best)]
    return "\n".join(lines) + "\n", best


def _temperature_lines(results: list[dict], stay: float) -> list[str]:
    """The chain's posteriors at ``stay`` re-tempered (p^(1/T), renormalised: the argmax,
    so every F1 above, is unchanged): mean ECE per T; T is chosen on realdev."""
    eces = {}
    for t in TEMPERATURES:
        eces[t] = {s: float(np.mean([expected_calibration_error(
            temper(r["sets"][s]["probs"][stay], t), np.asarray(r["sets"][s]["gold"]))
            for r in results])) for s in SETS}
    best = min(TEMPERATURES, key=lambda t: eces[t]["realdev"])
    out = [f"The chain's probabilities at stay {stay:g}, tempered (p^(1/T), renormalised; "
           "labels unchanged):", "", "| T | realdev stance ECE | realtest stance ECE "
           "(reported only) |", "|---|---|---|"]
    out += [f"| {t:g}{' (lowest realdev ECE)' if t == best else ''} | "
            f"{eces[t]['realdev']:.3f} | {eces[t]['realtest']:.3f} |" for t in TEMPERATURES]
    return out



def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("runs", nargs="+", type=Path, help="finished run folders")
    ap.add_argument("--out", type=Path, help="write the Markdown report here")
    ap.add_argument("--resamples", type=int, default=1000)
    args = ap.parse_args(argv)
    results = []
    for run in args.runs:
        print(f"[coherence] {run}", file=sys.stderr, flush=True)
        results.append(measure(run.resolve()))
    text, _ = report(args.runs, results, args.resamples)
    print(text)
    if args.out:
        tmp = args.out.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
