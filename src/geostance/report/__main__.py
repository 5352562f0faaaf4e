"""``python -m geostance.report html PRED.jsonl --out FILE``, ``... show PRED.jsonl`` or
``... groups PRED.jsonl... --by outlet``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..cli import ValueDefaultsFormatter, positive_int
from ..fileio import (
    JsonlError,
    argument_problem,
    output_problem,
    write_text_atomic,
)
from .groups import BY, MAX_RESAMPLES, MIN_ARTICLES, group_csv_rows, group_shares, groups_table
from .html import model_label, render_html
from .terminal import load_records, render_text


def main(argv: list[str] | None = None) -> int:
    """``html PRED.jsonl --out FILE`` or ``show PRED.jsonl``; exit code 2 for bad input."""
    p = argparse.ArgumentParser(prog="python -m geostance.report",
                                description="Render prediction records (predict.py JSONL).")
    sub = p.add_subparsers(dest="cmd", required=True)
    # Every default in the help, as predict.py's (not flags: "(default: False)" misleads).
    h = sub.add_parser("html", help="write a self-contained HTML report",
                       formatter_class=ValueDefaultsFormatter)
    h.add_argument("predictions", help="JSONL written by predict.py")
    h.add_argument("--out", default="report.html",
                   help="HTML file to write; never the input")
    h.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    h.add_argument("--title", default="geostance report", help="page title")
    s = sub.add_parser("show", help="print a plain-text rendering")
    s.add_argument("predictions", help="JSONL written by predict.py")
    g = sub.add_parser("groups", help="stance shares of claims per outlet, language or date, "
                                      "with bootstrap intervals over articles",
                       formatter_class=ValueDefaultsFormatter)
    g.add_argument("predictions", nargs="+", help="JSONL files written by predict.py "
                                                  "(article mode)")
    g.add_argument("--by", choices=BY, default="outlet",
                   help="group articles by outlet, lang, or the date's day, month or year "
                        "(dates as YYYY-MM-DD)")
    g.add_argument("--resamples", type=_resamples, default=1000,
                   help="bootstrap resamples over each group's articles (1 to "
                        f"{MAX_RESAMPLES})")
    g.add_argument("--seed", type=int, default=13, help="seed of the resampling")
    g.add_argument("--min-articles", type=positive_int, default=MIN_ARTICLES,
                   help="groups of fewer articles get their shares without an interval")
    g.add_argument("--out", default="", help="also write the table: FILE.md (Markdown) or "
                                             "FILE.csv (counts, shares and bounds)")
    g.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    args = p.parse_args(argv)
    if args.cmd == "groups":
        return _groups(args)
    if args.cmd == "html":
        # "" is "no output" to output_problem; here it was a traceback after the rendering
        title = argument_problem(args.title)  # it is written into the page as UTF-8
        problem = ("--out: give a file name" if not args.out.strip() else
                   f"--title: {title}" if title is not None else
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


def _resamples(text: str) -> int:
    """argparse type of ``--resamples``: a whole number from 1 to ``MAX_RESAMPLES``."""
    n = positive_int(text)
    if n > MAX_RESAMPLES:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_RESAMPLES}, got {n}")
    return n


def _csv_text(rows: list[dict]) -> str:
    """CSV text of ``rows`` (one header), cells made safe for spreadsheets as predict.py's
    CSV output makes them (an outlet named "=X" is no formula)."""
    import csv
    import io

    from ..predict.records import csv_cell

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: csv_cell(v) for k, v in r.items()} for r in rows)
    return buf.getvalue()


def _groups(args: argparse.Namespace) -> int:
    """``groups``: the table printed, and written to ``--out`` (.md or .csv) when given."""
    from ..fileio import render_table

    out = args.out
    suffix = Path(out).suffix.lower() if out else ""
    problem = (f"--out {out}: name a .md or .csv file" if out and suffix not in (".md", ".csv")
               else output_problem(out or None, overwrite=args.overwrite,
                                   inputs=args.predictions))
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    # The same file twice (by two spellings, a link) would count each article twice. One
    # stat a file, keyed by what os.path.samefile compares: not every pair (quadratic).
    first: dict[tuple[int, int], str] = {}
    for path in args.predictions:
        try:
            st = os.stat(path)
        except (OSError, ValueError):  # missing or unreadable: load_records names it
            continue
        twice = first.get((st.st_dev, st.st_ino))
        if twice is not None:
            print(f"error: {path} is given twice (as {twice}); each article would count twice",
                  file=sys.stderr)
            return 2
        first[(st.st_dev, st.st_ino)] = path
    records = []
    for path in args.predictions:
        try:
            records += load_records(path)
        except (OSError, ValueError, JsonlError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    seen: set[tuple[str, str]] = set()
    repeated = 0
    for r in records:
        key = (str(r.get("article_id")), str(r.get("input")))
        repeated += key in seen
        seen.add(key)
    if repeated:
        # Two outputs of one input (an earlier run and its rerun, say): say so, as the
        # shares then weigh those articles twice.
        print(f"warning: {repeated} record{'s' * (repeated != 1)} repeat an earlier one's "
              "article_id and input; each is counted every time it occurs", file=sys.stderr)
    stances, groups, failed = group_shares(records, args.by, args.resamples, seed=args.seed,
                                           min_articles=args.min_articles)
    if not groups:
        print(f"error: no scored article in {', '.join(args.predictions)} ({failed} failed "
              "records)", file=sys.stderr)
        return 1
    models = sorted({model_label(r.get("model")) for r in records if not r.get("error")})
    head, rows = groups_table(stances, groups, args.by)
    articles = sum(g.articles for g in groups)
    note = (f"{articles} article{'s' * (articles != 1)} in {len(groups)} "
            f"group{'s' * (len(groups) != 1)} by {args.by}"
            + (f"; {failed} failed records left out" if failed else "")
            + f". Shares of each stance among the claims, with 95% intervals (percentile "
              f"bootstrap over each group's articles, {args.resamples} resamples; none for "
              f"groups of fewer than {args.min_articles} articles). Model: "
            + "; ".join(m or "unknown" for m in models)
            + (" (records of several models: compare groups scored by one)"
               if len(models) > 1 else "") + ".")
    print(render_table(head, rows))
    print(note)
    if out:
        try:
            if suffix == ".csv":
                write_text_atomic(Path(out), _csv_text(group_csv_rows(stances, groups,
                                                                      args.by)))
            else:
                write_text_atomic(Path(out), render_table(head, rows, markdown=True)
                                  + "\n\n" + note + "\n")
        except OSError as e:
            print(f"error: cannot write {out} ({e.strerror or e}); the table is printed "
                  "above", file=sys.stderr)
            return 2
        print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
