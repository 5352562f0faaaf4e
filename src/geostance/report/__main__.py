"""``python -m geostance.report html PRED.jsonl --out FILE`` or ``... show PRED.jsonl``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..fileio import JsonlError, output_problem, write_text_atomic
from .html import render_html
from .terminal import load_records, render_text


def main(argv: list[str] | None = None) -> int:
    """``html PRED.jsonl --out FILE`` or ``show PRED.jsonl``; exit code 2 for bad input."""
    p = argparse.ArgumentParser(prog="python -m geostance.report",
                                description="Render prediction records (predict.py JSONL).")
    sub = p.add_subparsers(dest="cmd", required=True)
    h = sub.add_parser("html", help="write a self-contained HTML report")
    h.add_argument("predictions", help="JSONL written by predict.py")
    h.add_argument("--out", default="report.html",
                   help="HTML file to write (default: report.html); never the input")
    h.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    h.add_argument("--title", default="geostance report", help="page title")
    s = sub.add_parser("show", help="print a plain-text rendering")
    s.add_argument("predictions", help="JSONL written by predict.py")
    args = p.parse_args(argv)
    if args.cmd == "html":
        # "" is "no output" to output_problem; here it was a traceback after the rendering
        problem = ("--out: give a file name" if not args.out.strip() else
                   output_problem(args.out, overwrite=args.overwrite,
                                  inputs=[args.predictions], make_folder=False))
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 2
    try:
        records = load_records(args.predictions)
    except (OSError, ValueError, JsonlError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.cmd == "html":
        out = Path(args.out)
        try:
            write_text_atomic(out, render_html(records, title=args.title))
        except OSError as e:  # disk full, the folder gone since the check: one line
            print(f"error: cannot write {out} ({e.strerror or e})", file=sys.stderr)
            return 2
        print(f"{len(records)} articles -> {out}")
    else:
        try:
            print(render_text(records))
        except BrokenPipeError:  # `show ... | head` closed the pipe: not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
