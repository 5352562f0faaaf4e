"""Stance offsets (a prior shift) fitted on the real dev split, measured on finished runs.

    python reports/stance_offsets.py RUN [RUN ...] --out reports/stance_offsets.md

An offset per stance is added to the calibrated log-probabilities (``neutral_balancing``'s
fixed at 0; each of the others in -1.5..+1.5, steps of 0.05) and chosen per run to maximise
sentence-mode stance macro-F1 on the real corpus's dev split (ties: the smallest sum of
absolute offsets). No set is scored with offsets fitted on itself: realdev is scored out of
fold (its documents in two folds, alternating in sorted document-id order, each scored with
the offsets fitted on the other); ``realnews_dev``, the real test split and the seed article
with the offsets fitted on all of realdev (the stance temperature, fitted on the whole dev
split, is the run's own, realdev included, as in every other report). Article mode is the
fitted chain over each document on the offset probabilities: the run's saved matrix of stance
moves, or, for a run trained before training saved one, the matrix counted in its real train
documents as training counts it. The rule that decides is in
reports/sweep.md ("Stance offsets fitted on the real dev split"); the real test split and
the seed article are reported, never used to choose.
Run from the repository root (the runs' configs name data/ and ../shared/ relative to it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from geostance.config import STANCE_STAY
from geostance.evaluation.bootstrap import macro_f1, paired_difference_ci
from geostance.evaluation.coherence import chain_documents, train_transitions
from geostance.evaluation.runs import report_over_runs, run_sets, score_rows
from geostance.evaluation.seed import evaluate_seed
from geostance.predict.coherence import smooth_stance, stance_evidence
from geostance.predict.predictor import Predictor

GRID = np.round(np.arange(-1.5, 1.5001, 0.05), 2)  # offsets on log-probabilities (nats)
NEUTRAL = "neutral_balancing"
SETS = ("realdev", "realnews_dev", "realtest")
CHOOSE = ("realdev", "realnews_dev")
MARGIN = 0.005
MODES = ("sentence", "article")


def offset_probs(p: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Rows of ``p`` times exp(b), renormalised (log p + b, as probabilities)."""
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-12, None) * np.exp(b)
    return q / q.sum(axis=1, keepdims=True)


def fit_offsets(p: np.ndarray, gold: np.ndarray, stances: list[str]) -> np.ndarray:
    """The offsets of the grid with the highest stance macro-F1 of argmax(log p + b) on
    ``p``/``gold`` (ties: the smallest sum of absolute offsets); the neutral stance's is 0."""
    free = [i for i, s in enumerate(stances) if s != NEUTRAL]
    if len(free) != 2 or len(stances) != 3 or not len(gold):
        raise SystemExit(f"offsets need the three stances (one {NEUTRAL}) and gold rows; got "
                         f"{stances} and {len(gold)} rows")
    logp = np.log(np.clip(p, 1e-12, None))
    best, best_key = np.zeros(len(stances)), None
    for x in GRID:
        for y in GRID:
            b = np.zeros(len(stances))
            b[free[0]], b[free[1]] = x, y
            f1 = macro_f1(gold, (logp + b).argmax(axis=1), len(stances))
            key = (round(f1, 10), -abs(x) - abs(y))
            if best_key is None or key > best_key:
                best, best_key = b, key
    return best


def _folds(rows) -> np.ndarray:
    """0/1 per row: documents in sorted id order, alternating."""
    docs = sorted({r.article_id or r.id for r in rows})
    fold = {d: i % 2 for i, d in enumerate(docs)}
    return np.array([fold[r.article_id or r.id] for r in rows])


class _WithOffsets:
    """``predict_articles`` of a chain-off predictor, with the offsets and then the fitted
    chain applied to each article's stances (for :func:`evaluate_seed`)."""

    def __init__(self, pred: Predictor, b: np.ndarray, transitions):
        self.pred, self.b, self.transitions = pred, b, transitions

    def predict_articles(self, items):
        arts = self.pred.predict_articles(items)
        st, kinds = self.pred.stances, self.pred.kinds
        for a in arts:
            s = a["sentences"]
            p = np.array([[x["stance_probs"][k] for k in st] for x in s])
            kp = np.array([[x["kind_probs"][k] for k in kinds] for x in s])
            q = smooth_stance(offset_probs(p, self.b), STANCE_STAY, stance_evidence(kp, kinds),
                              transitions=self.transitions)
            for x, row in zip(s, q, strict=True):
                x["stance"] = "" if x["kind"] == "boilerplate" else st[int(row.argmax())]
        return arts


def measure(run: Path) -> dict:
    """Per set and mode, gold ids and predicted ids without and with offsets; the offsets;
    the seed article's accuracy both ways."""
    pred = Predictor.load(run, backend="torch")
    cfg, splits = run_sets(run)
    # The run's saved matrix of stance moves; runs trained before training saved one get
    # it counted in their real train documents as training counts it.
    matrix = pred.stance_transitions
    if matrix is None:
        matrix, _ = train_transitions(splits["train"], pred.stances)
    probs, out = {}, {"sets": {}}
    for name in SETS:
        rows = splits.get(name)
        if not rows:
            raise SystemExit(f"{run}: no {name} sentences (is ../shared beside the repo?)")
        kind_p, stance_p = score_rows(pred, rows)
        probs[name] = (rows, kind_p, stance_p)
    rows, _, stance_p = probs["realdev"]
    has = np.array([r.stance in pred.stances for r in rows])
    gold_all = np.array([pred.stances.index(r.stance) if h else -1
                         for r, h in zip(rows, has, strict=True)])
    full = fit_offsets(stance_p[has], gold_all[has], pred.stances)
    fold = _folds(rows)
    per_fold = [fit_offsets(stance_p[has & (fold == f)], gold_all[has & (fold == f)],
                            pred.stances) for f in (0, 1)]
    out["offsets"] = {"all": full.tolist(), "fold0": per_fold[0].tolist(),
                      "fold1": per_fold[1].tolist()}
    for name in SETS:
        rows, kind_p, stance_p = probs[name]
        if name == "realdev":  # each fold with the offsets fitted on the other
            b_rows = np.stack([per_fold[1 - f] for f in fold])
        else:
            b_rows = np.broadcast_to(full, stance_p.shape)
        shifted = offset_probs(stance_p, b_rows)
        gold_rows = [i for i, r in enumerate(rows) if r.stance in pred.stances]
        gold = [pred.stances.index(rows[i].stance) for i in gold_rows]
        entry = {"gold": gold}
        for mode in MODES:
            for label, p in (("off", stance_p), ("on", shifted)):
                q = p if mode == "sentence" else chain_documents(
                    rows, kind_p, p, pred.kinds, STANCE_STAY, matrix)
                entry[(mode, label)] = np.asarray(q)[gold_rows].argmax(axis=1).tolist()
        out["sets"][name] = entry
    chain_off = Predictor.load(run, backend="torch", stance_stay=0.0)
    seed_args = (Path(cfg.data.seed_article), Path(cfg.data.labels_spec))
    out["seed"] = {}
    for label, b in (("off", np.zeros(len(pred.stances))), ("on", full)):
        res = evaluate_seed(_WithOffsets(chain_off, b, matrix), *seed_args)
        out["seed"][label] = None if res is None else res["stance_accuracy"]
    return out


def report(runs: list[Path], results: list[dict], resamples: int) -> str:
    """The Markdown report and the rule applied."""
    names = [r.name for r in runs]
    lines = [f"Runs: {', '.join(names)}.", "",
             "Offsets (pro_nato, moscow_warning, neutral_balancing) fitted on all of realdev, "
             "per run: " + "; ".join(
                 f"{n}: ({', '.join(f'{v:+.2f}' for v in r['offsets']['all'])})"
                 for n, r in zip(names, results, strict=True)), ""]
    means: dict[str, float] = {}  # mode -> mean gain of the two dev sets
    none_below: dict[str, bool] = {}  # mode -> no interval wholly below zero
    for mode in MODES:
        lines += [f"### {mode.capitalize()} mode", "",
                  "| set | no offsets | with offsets | Δ (95% CI) |", "|---|---|---|---|"]
        gains = []
        for name in SETS:
            gold = results[0]["sets"][name]["gold"]
            if any(r["sets"][name]["gold"] != gold for r in results):
                raise SystemExit(f"the runs' {name} gold labels differ: not the same data")
            f = {lab: [macro_f1(np.asarray(gold), np.asarray(r["sets"][name][(mode, lab)]), 3)
                       for r in results] for lab in ("off", "on")}
            d, lo, hi = paired_difference_ci(
                gold, [r["sets"][name][(mode, "on")] for r in results],
                [r["sets"][name][(mode, "off")] for r in results], 3, resamples=resamples)
            what = {"realdev": "realdev (out of fold)", "realtest": "realtest (reported only)"
                    }.get(name, name)
            lines.append(f"| {what} | {np.mean(f['off']):.3f} ± {np.std(f['off']):.3f} | "
                         f"{np.mean(f['on']):.3f} ± {np.std(f['on']):.3f} | "
                         f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}] |")
            if name in CHOOSE:
                gains.append((d, lo, hi))
        means[mode] = float(np.mean([g[0] for g in gains]))
        none_below[mode] = all(hi >= 0 for _, _, hi in gains)
        lines += ["", f"Mean gain of realdev and realnews_dev: {means[mode]:+.4f}.", ""]
    seed = " / ".join(f"{r['seed']['off']:.3f} → {r['seed']['on']:.3f}"
                      for r in results if r["seed"]["off"] is not None)
    lines += [f"Seed article stance accuracy, article mode, without → with offsets (reported "
              f"only): {seed}.", ""]
    met = (means["sentence"] >= MARGIN and none_below["sentence"]
           and means["article"] >= 0)
    lines.append(f"Rule (sentence mode +{MARGIN} with no interval wholly below zero, article "
                 f"mode not lower): {'met' if met else 'not met'}.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    return report_over_runs(__doc__, "offsets", measure, report, argv)


if __name__ == "__main__":
    sys.exit(main())
