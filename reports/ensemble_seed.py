"""Seed-article stance accuracy (article mode) of single runs and of their ensembles.

    python reports/ensemble_seed.py --group prev RUN RUN RUN --group title_prev RUN RUN RUN

Scores ``../shared/seed/azerbaijan_nato_sv.txt`` against the worked example in
``../shared/LABELS.md`` (``geostance.evaluation.seed``) with each run alone (torch,
float32, as ``predict.py`` scores), one run of each group (the i-th of every group), each
group's runs together and all runs together (``geostance.predict.ensemble.Ensemble``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geostance.evaluation.seed import evaluate_seed
from geostance.predict.ensemble import Ensemble
from geostance.predict.predictor import Predictor

SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--group", nargs="+", action="append", required=True,
                    metavar=("NAME", "RUN"))
    args = ap.parse_args()
    groups = {name: [Path(r) for r in runs] for name, *runs in args.group}
    loaded = {r: Predictor.load(r, backend="torch") for rs in groups.values() for r in rs}

    def acc(runs: list[Path]) -> str:
        p = loaded[runs[0]] if len(runs) == 1 else Ensemble([loaded[r] for r in runs],
                                                             Path("ensemble"))
        res = evaluate_seed(p, SHARED / "seed" / "azerbaijan_nato_sv.txt",
                            SHARED / "LABELS.md")
        return f"{res['stance_accuracy']:.3f}" if res else "-"

    print("| ensemble | seed article stance accuracy (24 sentences) |")
    print("|---|---|")
    for name, runs in groups.items():
        print(f"| {name}: single runs | {' / '.join(acc([r]) for r in runs)} |")
    k = min(len(rs) for rs in groups.values())
    if len(groups) > 1:
        print(f"| one run of each group | "
              f"{' / '.join(acc([rs[i] for rs in groups.values()]) for i in range(k))} |")
    for name, runs in groups.items():
        if len(runs) > 1:
            print(f"| {name}: its {len(runs)} runs averaged | {acc(runs)} |")
    every = [r for rs in groups.values() for r in rs]
    print(f"| all {len(every)} runs averaged | {acc(every)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
