"""The fortieth sweep's rule for `configs/best.yaml` (reports/sweep.md): a seed ensemble's
paired difference to its members, on `realnews_dev` and realdev, and the mean of the two
differences with one bootstrap interval (each set resampled on its own, the mean of the
two differences taken on every resample).

    python reports/ensemble_joint.py RUN RUN RUN [--resamples 2000]

Scores as ``python -m geostance.evaluation ensemble`` does (torch, float32, sentence mode,
calibrated probabilities averaged)."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from geostance.evaluation.bootstrap import f1_matrix, macro_f1
from geostance.evaluation.ensemble import load_sets, score_members
from geostance.predict.ensemble import average_probabilities

SETS = ("realnews_dev", "realdev")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("runs", nargs="+", type=Path)
    ap.add_argument("--resamples", type=int, default=2000)
    args = ap.parse_args()
    rows = {k: v for k, v in load_sets(args.runs[0]).items() if k in SETS}
    members, gold = score_members(args.runs, rows)
    n = members[0].probs[SETS[0]].shape[1]
    rng = np.random.default_rng(0)
    diffs = []
    for s in SETS:
        single = np.array([m.probs[s].argmax(1) for m in members])
        ens = average_probabilities([m.probs[s] for m in members]).argmax(1)[None]
        idx = rng.integers(0, len(gold[s]), size=(args.resamples, len(gold[s])))
        d = f1_matrix(gold[s], ens, idx, n)[:, 0] - f1_matrix(gold[s], single, idx, n).mean(1)
        ens_f1 = macro_f1(gold[s], ens[0], n)
        members_f1 = float(np.mean([macro_f1(gold[s], p, n) for p in single]))
        point = ens_f1 - members_f1
        lo, hi = np.quantile(d, [0.025, 0.975])
        print(f"{s}: ensemble {ens_f1:.3f}, members' mean {members_f1:.3f}, "
              f"difference {point:+.3f} [{lo:+.3f}, {hi:+.3f}]")
        diffs.append((point, d))
    mean_point = np.mean([p for p, _ in diffs])
    mean_d = (diffs[0][1] + diffs[1][1]) / 2
    lo, hi = np.quantile(mean_d, [0.025, 0.975])
    print(f"mean of the two differences: {mean_point:+.4f} [{lo:+.4f}, {hi:+.4f}] "
          f"({args.resamples} resamples)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
