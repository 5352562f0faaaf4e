"""Sixteenth and nineteenth sweeps (reports/sweep.md): paired comparison of two sweep arms
on the sentences both scored, when the second arm's corpus has grown (appended documents
come last in each split, so the first N realdev/realtest stance rows are the shared ones).

    python reports/sweep16_paired.py BASE_ARM_DIR NEW_ARM_DIR [SEEDS...]

Each ARM_DIR holds a sweep's runs of one configuration (``*-s<seed>/``)."""
import statistics
import sys
from pathlib import Path

import numpy as np

from geostance.evaluation.bootstrap import macro_f1, paired_difference_ci
from geostance.evaluation.sweep import baseline_run, load_run

BASE, NEW = sys.argv[1], sys.argv[2]
SEEDS = [int(s) for s in sys.argv[3:]] or [16, 17, 18]


def runs(root):
    dirs = [baseline_run(Path(root), seed) for seed in SEEDS]
    if None in dirs:
        return None
    return [(r["metrics"], r["arrays"]) for r in map(load_run, dirs, SEEDS)]


b, n = runs(BASE), runs(NEW)
assert b and n, "runs missing"


def part(arrs, split, lo, hi=None, lang=None):
    a = arrs[split]
    n = len(a["stance_gold"])
    idx = [i for i in range(lo, n if hi is None else min(hi, n))
           if lang is None or a["stance_lang"][i] == lang]
    return [a["stance_gold"][i] for i in idx], [a["stance_pred"][i] for i in idx]


def row(label, split, lo=0, hi=None, lang=None):
    gb = [part(e, split, lo, hi, lang) for _, e in b]
    gn = [part(e, split, lo, hi, lang) for _, e in n]
    gold = gn[0][0]
    assert all(g == gold for g, _ in gn) and all(g == gold for g, _ in gb), label
    fb = [macro_f1(np.array(gold), np.array(p), 3) for _, p in gb]
    fn = [macro_f1(np.array(gold), np.array(p), 3) for _, p in gn]
    d, lo_, hi_ = paired_difference_ci(gold, [p for _, p in gn], [p for _, p in gb], 3, 1000)
    def ms(xs):
        each = " / ".join(f"{x:.3f}" for x in xs)
        return f"{statistics.mean(xs):.3f} ± {statistics.stdev(xs):.3f} ({each})"

    print(f"| {label} ({len(gold)}) | {ms(fb)} | {ms(fn)} | {d:+.3f} [{lo_:+.3f}, {hi_:+.3f}] |")


nb_dev = len(b[0][1]["realdev"]["stance_gold"])
nb_test = len(b[0][1]["realtest"]["stance_gold"])
print("| set | without the batch | with the batch | Δ (95% CI) |\n|---|---|---|---|")
row("`realnews_dev` stance macro-F1", "realnews_dev")
row("`realnews_dev` Russian sentences", "realnews_dev", lang="ru")
row("`realnews_dev` English sentences", "realnews_dev", lang="en")
row("realdev stance, sentences before the batch", "realdev", 0, nb_dev)
own = [part(e, "realdev", nb_dev) for _, e in n]
print(f"| realdev, the batch's own dev sentences ({len(own[0][0])}; the baseline did not "
      f"score them) | - | "
      + " / ".join(f"{macro_f1(np.array(g), np.array(q), 3):.3f}" for g, q in own) + " | - |")
row("realtest stance, before the batch (reported only)", "realtest", 0, nb_test)
print("seed article:", [m["seed_article"]["stance_accuracy"] for m, _ in b],
      [m["seed_article"]["stance_accuracy"] for m, _ in n])
print("realnews_dev kind:", [round(m["realnews_dev"]["kind"]["macro_f1"], 3) for m, _ in b],
      [round(m["realnews_dev"]["kind"]["macro_f1"], 3) for m, _ in n])
for key in ("train_seconds", "cache_seconds"):
    print(key, [round(m[key]) for m, _ in b], [round(m[key]) for m, _ in n])
