"""``python -m geostance.evaluation compare RUN_DIR...``: the runs side by side."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .compare import compare_runs


def main(argv: list[str] | None = None) -> int:
    """``python -m geostance.evaluation compare RUN_DIR...``: the runs side by side."""
    parser = argparse.ArgumentParser(prog="python -m geostance.evaluation")
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compare", help="headline metrics of several run directories")
    c.add_argument("runs", nargs="+", type=Path)
    c.add_argument("--plain", action="store_true", help="aligned text instead of Markdown")
    args = parser.parse_args(argv)
    print(compare_runs(args.runs, markdown=not args.plain))
    return 0


if __name__ == "__main__":
    sys.exit(main())
