"""Article mode's stance coherence (``predict.py --stance-stay``) measured on finished runs.

    python reports/coherence.py RUN [RUN ...] --out reports/coherence.md --overwrite

Each run's model scores the real corpus's dev and test documents as articles (each
document's sentences in reading order, the previous sentence as context, the speaker the
sources rules find in the whole document, as ``predict.py`` gives them) once; the sticky
chain of :mod:`geostance.predict.coherence` is then applied to each document for every
``stay`` of the grid. Reported: stance macro-F1 per ``stay`` (mean ± sd over the runs), the
seed-averaged difference to off with a paired bootstrap interval (sentences resampled), and
the seed article's stance accuracy through ``Predictor.predict_articles`` itself.
``realnews_dev``'s sentences are chained per text as sampled articles (the gaps between their
positions as steps, :func:`geostance.evaluation.coherence.sentence_gaps`). The ``stay``
chosen follows the rule in reports/sweep.md ("Stance coherence on news articles"): the
highest mean of the realdev and ``realnews_dev`` scores, if +0.005 over the current default
and neither set's paired interval against it wholly below zero. The real test split and
the seed article are reported, never used to choose.
Beside the grid, ``fitted``: the chain with the matrix of one-step stance moves counted in
the run's real train documents as training fits it
(:func:`geostance.evaluation.coherence.train_transitions`),
against the current ``stay`` by the rule in reports/sweep.md ("a transition matrix fitted on
the real train documents").
Run from the repository root (the runs' configs name data/ and ../shared/ relative to it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from geostance.config import STANCE_STAY
from geostance.evaluation.bootstrap import macro_f1, paired_difference_ci
from geostance.evaluation.calibration import expected_calibration_error
from geostance.evaluation.coherence import chain_documents, train_transitions
from geostance.evaluation.runs import report_over_runs, run_sets, score_rows
from geostance.evaluation.seed import evaluate_seed
from geostance.predict.coherence import temper
from geostance.predict.predictor import Predictor

GRID = (1 / 3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
FITTED = "fitted"  # the chain with the matrix fitted on the real train documents
TEMPERATURES = (1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
SETS = ("realdev", "realnews_dev", "realtest")
CHOOSE = ("realdev", "realnews_dev")  # the sets the rule weighs equally; realtest is reported
MARGIN = 0.005  # mean stance macro-F1 a new stay must gain over the current default


def measure(run: Path) -> dict:
    """Per set: gold stance ids and, per ``stay``, the predicted ids; the seed article's
    accuracy per ``stay``."""
    pred = Predictor.load(run, backend="torch", stance_chain="uniform")
    cfg, splits = run_sets(run)
    matrix, _ = train_transitions(splits["train"], pred.stances)
    if matrix is None:
        raise SystemExit(f"{run}: too few labelled neighbour pairs in the real train documents")
    out: dict = {"sets": {}, "seed": {}, "matrix": matrix, "stances": pred.stances}
    for name in SETS:
        rows = splits.get(name)
        if not rows:
            raise SystemExit(f"{run}: no {name} sentences (is ../shared beside the repo?)")
        kind_p, stance_p = score_rows(pred, rows)
        gold_rows = [i for i, r in enumerate(rows) if r.stance in pred.stances]
        gold = [pred.stances.index(rows[i].stance) for i in gold_rows]
        out["sets"][name] = {"gold": gold, "pred": {}, "ece": {}, "probs": {}}
        for stay in (*GRID, FITTED):
            q = (chain_documents(rows, kind_p, stance_p, pred.kinds, STANCE_STAY, matrix)
                 if stay == FITTED
                 else chain_documents(rows, kind_p, stance_p, pred.kinds, stay))[gold_rows]
            out["sets"][name]["pred"][stay] = q.argmax(axis=1).tolist()
            out["sets"][name]["ece"][stay] = expected_calibration_error(q, np.asarray(gold))
            out["sets"][name]["probs"][stay] = q
    for stay in (*GRID, FITTED):
        if stay == FITTED:
            p = Predictor.load(run, backend="torch", stance_transitions=matrix)
        else:
            p = Predictor.load(run, backend="torch", stance_chain="uniform",
                               stance_stay=0.0 if stay == GRID[0] else stay)
        seed = evaluate_seed(p, Path(cfg.data.seed_article), Path(cfg.data.labels_spec))
        if seed is not None:
            out["seed"][stay] = seed["stance_accuracy"]
    return out


def _f1s(results: list[dict], name: str, stay: float) -> list[float]:
    gold = np.asarray(results[0]["sets"][name]["gold"])
    return [macro_f1(gold, np.asarray(r["sets"][name]["pred"][stay]), 3) for r in results]


def _paired(results: list[dict], name: str, stay: float, base: float,
            resamples: int) -> tuple[float, float, float]:
    gold = results[0]["sets"][name]["gold"]
    return paired_difference_ci(gold, [r["sets"][name]["pred"][stay] for r in results],
                                [r["sets"][name]["pred"][base] for r in results], 3,
                                resamples=resamples)


def report(runs: list[Path], results: list[dict], resamples: int) -> tuple[str, float]:
    """The Markdown report and the ``stay`` the rule keeps."""
    lines = [f"Runs: {', '.join(r.name for r in runs)}.", "",
             "| stay | " + " | ".join(f"{s} stance F1 | {s} Δ vs off (95% CI)" for s in SETS)
             + " | realdev stance ECE | seed article stance accuracy (per run) |",
             "|---|" + "---|---|" * len(SETS) + "---|---|"]
    off = GRID[0]
    for stay in (*GRID, FITTED):
        cells = []
        for s in SETS:
            f1s = _f1s(results, s, stay)
            cells.append(f"{np.mean(f1s):.3f} ± {np.std(f1s, ddof=1) if len(f1s) > 1 else 0:.3f}")
            if stay == off:
                cells.append("off")
            else:
                d, lo, hi = _paired(results, s, stay, off, resamples)
                cells.append(f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}]")
        seeds = [r["seed"].get(stay) for r in results]
        seed_cell = " / ".join(f"{x:.3f}" for x in seeds if x is not None)
        if all(x is not None for x in seeds):
            seed_cell += f" ({np.mean(seeds):.3f})"
        label = ("1/3 (off)" if stay == off else
                 "fitted matrix" if stay == FITTED else f"{stay:g}")
        ece = np.mean([r["sets"]["realdev"]["ece"][stay] for r in results])
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {ece:.3f} | {seed_cell} |")
    kept, rule_lines = apply_rule(results, resamples)
    fitted, fitted_lines = fitted_rule(results, kept, resamples)
    # The temperature is chosen for the chain that article mode keeps.
    lines += ["", *rule_lines, "", *fitted_lines, "", *_matrix_lines(results), "",
              *_temperature_lines(results, FITTED if fitted else kept)]
    return "\n".join(lines) + "\n", kept


def fitted_rule(results: list[dict], current: float,
                resamples: int) -> tuple[bool, list[str]]:
    """The rule of reports/sweep.md ("a transition matrix fitted on the real train
    documents"), applied against the ``stay`` kept: whether the fitted matrix wins, and
    lines that say why."""
    if current == GRID[0]:
        return False, ["The chain is off; the fitted matrix is not weighed."]
    score = {g: float(np.mean([np.mean(_f1s(results, s, g)) for s in CHOOSE]))
             for g in (current, FITTED)}
    diffs = {s: _paired(results, s, FITTED, current, resamples) for s in CHOOSE}
    gain = score[FITTED] - score[current]
    met = gain >= MARGIN and not [s for s, (_, _, hi) in diffs.items() if hi < 0]
    return met, [f"Fitted matrix against stay {current:g}: mean of realdev and realnews_dev "
            f"{score[FITTED]:.4f} against {score[current]:.4f} ({gain:+.4f}; "
            + "; ".join(f"{s} {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"
                        for s, (d, lo, hi) in diffs.items())
            + f"). Rule (gain >= {MARGIN}, no interval wholly below zero): "
            + ("met, the fitted matrix replaces the uniform chain." if met
               else f"not met; the uniform chain at {current:g} stays.")]


def _matrix_lines(results: list[dict]) -> list[str]:
    """The fitted matrix (the same for every run trained on the same data; the first
    run's is shown)."""
    m, stances = results[0]["matrix"], results[0]["stances"]
    return ["The fitted matrix (row: a sentence's stance; column: the next sentence's; "
            "the first run's real train documents):", "",
            "| from → to | " + " | ".join(stances) + " |", "|---|" + "---|" * len(m),
            *(f"| {a} | " + " | ".join(f"{x:.3f}" for x in row) + " |"
              for a, row in zip(stances, m, strict=True))]


def apply_rule(results: list[dict], resamples: int) -> tuple[float, list[str]]:
    """The rule of reports/sweep.md ("Stance coherence on news articles"), applied: the
    ``stay`` kept and the lines that show why."""
    current = STANCE_STAY if STANCE_STAY in GRID else min(GRID, key=lambda g: abs(g - STANCE_STAY))
    score = {g: float(np.mean([np.mean(_f1s(results, s, g)) for s in CHOOSE])) for g in GRID}
    best = max(GRID, key=lambda g: score[g])
    lines = ["Mean of the realdev and realnews_dev stance macro-F1 (seed means) per stay: "
             + ", ".join(f"{'off' if g == GRID[0] else f'{g:g}'} {score[g]:.4f}" for g in GRID)
             + "."]
    kept = current
    if best != current:
        diffs = {s: _paired(results, s, best, current, resamples) for s in CHOOSE}
        below = [s for s, (_, _, hi) in diffs.items() if hi < 0]
        gain = score[best] - score[current]
        lines.append(f"Highest: stay {best:g}, {gain:+.4f} over the current {current:g} ("
                     + "; ".join(f"{s} {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"
                                 for s, (d, lo, hi) in diffs.items()) + ").")
        if gain >= MARGIN and not below:
            kept = best
        lines.append(f"Rule (gain >= {MARGIN}, no interval wholly below zero): "
                     + (f"stay {best:g} replaces {current:g}." if kept == best
                        else f"not met; {current:g} stays."))
    else:
        lines.append(f"Highest: the current stay {current:g}; it stays.")
    on = score[kept] - score[GRID[0]] >= MARGIN
    lines.append(f"Against off: {score[kept] - score[GRID[0]]:+.4f} (the chain stays on if "
                 f">= {MARGIN}): " + ("on." if on else "off."))
    return (kept if on else GRID[0]), lines


def _temperature_lines(results: list[dict], stay: float | str) -> list[str]:
    """The chain's posteriors at ``stay`` (or the fitted matrix's) re-tempered (p^(1/T),
    renormalised: the argmax, so every F1 above, is unchanged): mean ECE per T; T is
    chosen on realdev."""
    eces = {}
    for t in TEMPERATURES:
        eces[t] = {s: float(np.mean([expected_calibration_error(
            temper(r["sets"][s]["probs"][stay], t), np.asarray(r["sets"][s]["gold"]))
            for r in results])) for s in SETS}
    best = min(TEMPERATURES, key=lambda t: eces[t]["realdev"])
    what = "with the fitted matrix" if stay == FITTED else f"at stay {stay:g}"
    out = [f"The chain's probabilities {what}, tempered (p^(1/T), renormalised; "
           "labels unchanged; T is chosen on realdev):", "",
           "| T | " + " | ".join(f"{s} stance ECE" for s in SETS) + " |",
           "|---|" + "---|" * len(SETS)]
    out += [f"| {t:g}{' (lowest realdev ECE)' if t == best else ''} | "
            + " | ".join(f"{eces[t][s]:.3f}" for s in SETS) + " |" for t in TEMPERATURES]
    return out



def main(argv: list[str] | None = None) -> int:
    return report_over_runs(__doc__, "coherence", measure,
                            lambda runs, results, n: report(runs, results, n)[0], argv)


if __name__ == "__main__":
    sys.exit(main())
