"""Evaluate finished runs again in float32 on today's splits (twentieth sweep,
reports/sweep.md): runs trained in bfloat16 before 15466d5 stored figures of bfloat16
inference; this writes, per run, a new run directory ``OUT/<timestamp>-<name>/`` named
after the old one (``...-s<seed>``, so the sweep command's ``--baseline-runs`` finds it).

    python reports/reevaluate.py OUT RUN_DIR [RUN_DIR...]
"""
import sys
from pathlib import Path

from geostance.train.soup import evaluate_weights

out = Path(sys.argv[1])
for run in map(Path, sys.argv[2:]):
    name = run.resolve().name.split("-", 2)[2]  # <date>-<time>-<name>-s<seed>
    print(run, "->", evaluate_weights([run.resolve()], out, name), flush=True)
