"""Prediction-time ensembles: trained runs whose calibrated probabilities are averaged.

    python -m geostance.evaluation ensemble --group prev RUN RUN RUN \\
        --group title_prev RUN RUN RUN --out reports/ensemble.md

Each run (a ``train.py`` run folder) scores the real evaluation sets of the first run's
configuration (``realnews_dev``, the real corpus's dev and test splits) in sentence mode,
as ``metrics.json`` does; the ensemble of several runs takes the mean of their calibrated
stance probabilities. The report gives, per set, the stance macro-F1 of the single members
(mean ± sd), of each group's members averaged, of "one member of each group" (the i-th
run of every group, for each i: as many ensembles as the smallest group has runs) and of
all runs together, with paired bootstrap differences against the first group's single
members. An ensemble of k runs costs k times one model's scoring time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np

from ..cli import positive_int
from ..fileio import emit_report, output_problem, render_table
from ..predict.ensemble import average_probabilities
from .bootstrap import macro_f1, paired_difference_ci

__all__ = ["Member", "score_members", "load_sets", "ensemble_report", "main"]

# Sets scored, in report order; those the configuration lacks are left out.
SETS = ("realnews_dev", "realdev", "realtest")


class Member:
    """One run's calibrated stance probabilities on each set (``probs[set]``, n x stances),
    and the model that gave them (``model``: predict.py's ``model`` record)."""

    def __init__(self, run: Path, probs: dict[str, np.ndarray],
                 model: dict | None = None):
        self.run = run
        self.probs = probs
        self.model = model or {}


def score_members(runs: list[Path], rows_by_set: dict, backend: str = "torch",
                  progress: bool = True) -> tuple[list[Member], dict[str, np.ndarray]]:
    """Score every run on every set; returns the members and each set's gold stance ids.

    ``rows_by_set`` maps a set name to its labelled :class:`~geostance.data.Sentence` rows;
    rows without a stance label (boilerplate) are left out. All runs must share the stance
    labels of the first.
    """
    from tqdm.auto import tqdm

    from ..predict.predictor import Predictor
    from ..predict.records import model_record
    from .realnews import sentence_items

    members: list[Member] = []
    gold: dict[str, np.ndarray] = {}
    stances: list[str] | None = None
    scored: dict = {}  # set name -> its stance-bearing rows, fixed by the first run's labels
    for run in runs:
        predictor = Predictor.load(run, backend=backend)
        if stances is None:
            stances = list(predictor.stances)
            scored = {name: [s for s in rows if s.stance in stances]
                      for name, rows in rows_by_set.items()}
            gold = {name: np.array([stances.index(s.stance) for s in rows], dtype=np.int64)
                    for name, rows in scored.items()}
        elif list(predictor.stances) != stances:
            raise ValueError(f"{run}: stance labels {predictor.stances} differ from {stances}")
        probs = {}
        for name, rows in scored.items():
            # minutes per run on a CPU: a bar per set, as predict.py shows one
            with tqdm(total=len(rows), desc=f"{run.name} {name}", unit="sent",
                      disable=not progress, dynamic_ncols=True) as bar:
                preds = predictor.predict_sentences(sentence_items(predictor, rows), bar)
            probs[name] = np.array([[p["stance_probs"][k] for k in stances] for p in preds],
                                   dtype=np.float64)
        members.append(Member(run, probs, model_record(predictor)))
        if progress:
            print(f"[ensemble] scored {run}", file=sys.stderr, flush=True)
    return members, gold


def _vote(members: list[Member], name: str) -> np.ndarray:
    return average_probabilities([m.probs[name] for m in members]).argmax(1)


def _f1(gold: np.ndarray, preds: list[np.ndarray], n: int) -> str:
    scores = [macro_f1(gold, p, n) for p in preds]
    if len(scores) == 1:
        return f"{scores[0]:.3f}"
    return f"{statistics.mean(scores):.3f} ± {statistics.stdev(scores):.3f}"


def ensemble_report(groups: dict[str, list[Member]], gold: dict[str, np.ndarray],
                    n_stances: int, resamples: int = 1000) -> str:
    """The Markdown table described in the module docstring."""
    names = list(groups)
    ref = names[0]
    sets = [s for s in SETS if s in gold]
    rows: list[tuple[str, int, int, dict[str, list[np.ndarray]]]] = []
    for g in names:  # (label, ensembles, runs each, predictions per set)
        rows.append((f"{g}: single runs", len(groups[g]), 1,
                     {s: [_vote([m], s) for m in groups[g]] for s in sets}))
    for g in names:
        if len(groups[g]) > 1:
            rows.append((f"{g}: its {len(groups[g])} runs averaged", 1, len(groups[g]),
                         {s: [_vote(groups[g], s)] for s in sets}))
    if len(names) > 1:
        k = min(len(groups[g]) for g in names)
        rows.append((f"one run of each group ({' + '.join(names)})", k, len(names),
                     {s: [_vote([groups[g][i] for g in names], s) for i in range(k)]
                      for s in sets}))
        every = [m for g in names for m in groups[g]]
        rows.append((f"all {len(every)} runs averaged", 1, len(every),
                     {s: [_vote(every, s)] for s in sets}))
    head = ["ensemble", "ensembles", "runs each (x scoring time)"]
    for s in sets:
        head += [f"{s} stance F1 ({len(gold[s])})", f"Δ {s} vs {ref} single (95% CI)"]
    table = []
    for label, count, size, preds in rows:
        cells: list[object] = [label, count, size]
        for s in sets:
            cells.append(_f1(gold[s], preds[s], n_stances))
            base = rows[0][3][s]
            if label == rows[0][0]:
                cells.append("–")
            else:
                d, lo, hi = paired_difference_ci(gold[s], preds[s], base, n_stances,
                                                 resamples=resamples)
                cells.append(f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}]")
        table.append(cells)
    return render_table(head, table, markdown=True)


def load_sets(run: Path) -> dict:
    """The real evaluation sets of ``run``'s configuration, read from the current checkout."""
    from .runs import run_sets

    _, sets = run_sets(run)
    out = {"realnews_dev": sets["realnews_dev"]} if "realnews_dev" in sets else {}
    out.update({name: sets[name] for name in ("realdev", "realtest") if sets.get(name)})
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m geostance.evaluation ensemble`` (see the module docstring)."""
    from ..config import ConfigError
    from ..data import DataError
    from ..predict.predictor import ModelLoadError, resolve_model_dir
    from ..report.html import model_label

    ap = argparse.ArgumentParser(prog="python -m geostance.evaluation ensemble",
                                 description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--group", nargs="+", action="append", required=True,
                    metavar=("NAME", "RUN"),
                    help="a group's name and its run folders (one per seed); repeatable")
    ap.add_argument("--backend", choices=("torch", "onnx"), default="torch",
                    help="scoring backend of every member (torch: no export is written)")
    ap.add_argument("--resamples", type=positive_int, default=1000,
                    help="bootstrap resamples (at least 1)")
    ap.add_argument("--out", default="", help="also write the Markdown report here (a new "
                    "file, or --overwrite)")
    ap.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    args = ap.parse_args(argv)
    problem = output_problem(args.out, overwrite=args.overwrite)
    if problem:  # before the scoring, not after
        ap.error(f"--out: {problem}")
    groups_runs: dict[str, list[Path]] = {}
    for name, *runs in args.group:
        if not runs:
            ap.error(f"--group {name}: no run folders")
        if name in groups_runs:
            ap.error(f"--group {name}: given twice")
        groups_runs[name] = [Path(r) for r in runs]
    all_runs = [r for rs in groups_runs.values() for r in rs]
    for r in all_runs:
        if not (r / "config.yaml").is_file():
            ap.error(f"{r}: not a finished run folder (no config.yaml)")
        try:
            resolve_model_dir(r)  # a clear error for a run without its model
        except ModelLoadError as e:
            ap.error(str(e))
    try:
        rows_by_set = load_sets(all_runs[0])
    except (ConfigError, DataError) as e:
        ap.error(f"{all_runs[0]}: its evaluation sets cannot be read: {e}")
    if not rows_by_set:
        ap.error(f"{all_runs[0]}: its configuration has no real evaluation set")
    members, gold = score_members(all_runs, rows_by_set, backend=args.backend)
    by_run = dict(zip(all_runs, members, strict=True))
    groups = {g: [by_run[r] for r in rs] for g, rs in groups_runs.items()}
    n_stances = members[0].probs[next(iter(gold))].shape[1]
    text = ("Produced by `python -m geostance.evaluation ensemble` (mean of calibrated stance "
            "probabilities, sentence mode; paired bootstrap over sentences, "
            f"{args.resamples} resamples).\n\n"
            + "\n".join(f"- {g}: " + ", ".join(f"{r} ({model_label(by_run[r].model)})"
                                              for r in rs)
                        for g, rs in groups_runs.items())
            + "\n\n" + ensemble_report(groups, gold, n_stances, args.resamples) + "\n")
    return 0 if emit_report(text, args.out or None) else 2
