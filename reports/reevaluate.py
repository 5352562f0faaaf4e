"""Evaluate finished runs again in float32 on today's splits (twentieth sweep,
reports/sweep.md): runs trained in bfloat16 before 15466d5 stored figures of bfloat16
inference; this writes, per run, a new run directory ``OUT/<timestamp>-<name>/`` named
after the old one (``...-s<seed>``, so the sweep command's ``--baseline-runs`` finds it).

    python reports/reevaluate.py OUT RUN_DIR [RUN_DIR...]

Every run is checked (a finished run, its folder named ``<date>-<time>-<name>``) before
the first is evaluated, so a mistyped path stops the command before anything is written.
"""
import sys
from pathlib import Path

from geostance.cli import QuietParser
from geostance.config import ConfigError
from geostance.train.rundir import COMPLETED
from geostance.train.soup import evaluate_weights


def run_name(run: Path) -> str:
    """The run's name from its folder ``<date>-<time>-<name>``; ValueError otherwise."""
    if not (run / COMPLETED).is_file():
        raise ValueError(f"{run}: not a finished run (no {COMPLETED})")
    parts = run.resolve().name.split("-", 2)
    if len(parts) < 3 or not parts[2]:
        raise ValueError(f"{run}: the folder's name is not <date>-<time>-<name> "
                         f"(train.py's run folders)")
    return parts[2]


def main(argv: list[str] | None = None) -> int:
    """Check every run, then evaluate each into OUT; exit 2 on a bad argument."""
    ap = QuietParser(prog="python reports/reevaluate.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("out", metavar="OUT", type=Path, help="parent of the new run folders")
    ap.add_argument("runs", metavar="RUN", type=Path, nargs="+", help="finished run folders")
    args = ap.parse_args(argv)
    try:
        names = [run_name(run) for run in args.runs]
        for run, name in zip(args.runs, names, strict=True):
            print(run, "->", evaluate_weights([run.resolve()], args.out, name), flush=True)
    except (ValueError, ConfigError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
