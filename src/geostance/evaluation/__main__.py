"""``python -m geostance.evaluation compare RUN_DIR...``, ``... sweep CONFIG...`` or
``... ensemble --group NAME RUN...``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .compare import compare_runs


def main(argv: list[str] | None = None) -> int:
    """``compare RUN...``: runs side by side; ``sweep CONFIG...``: see :mod:`.sweep`."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["sweep"]:
        from .sweep import main as sweep_main

        return sweep_main(argv[1:])
    if argv[:1] == ["ensemble"]:
        from .ensemble import main as ensemble_main

        return ensemble_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m geostance.evaluation")
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compare", help="headline metrics of several run directories")
    c.add_argument("runs", nargs="+", type=Path, help="finished run folders (metrics.json "
                   "and config.yaml in each)")
    c.add_argument("--plain", action="store_true", help="aligned text instead of Markdown")
    sub.add_parser("sweep", help="train configurations with several seeds (see sweep --help)")
    sub.add_parser("ensemble", help="trained runs' probabilities averaged, against single "
                   "runs (see ensemble --help)")
    args = parser.parse_args(argv)
    try:
        print(compare_runs(args.runs, markdown=not args.plain))
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
