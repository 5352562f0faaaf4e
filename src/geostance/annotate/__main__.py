"""``python -m geostance.annotate export PREDICTIONS [options]``: tasks for annotators."""

from __future__ import annotations

import argparse
import sys

from .export import DEFAULT_N, FORMATS, MEASURES, SELECTIONS, ExportError, ExportResult, export

_DESCRIPTION = """\
Turn predict.py output (.jsonl, .csv or .parquet) into pre-annotated labelling
tasks, one per sentence, for Label Studio or doccano. Records with an error are
skipped.

Uncertainty (--select uncertain; also written into every task): the larger of
the kind head's and the stance head's uncertainty, each in [0, 1], 1 = most
uncertain. The stance head counts only where a stance was predicted (not for
boilerplate).
  margin   1 - (p1 - p2), p1 and p2 the head's two largest probabilities
  entropy  Shannon entropy of the head's probabilities / log(number of labels)
The most uncertain sentences come first; ties are broken by id (article id,
then sentence index).
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block: exit code 2
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The command line: one subcommand, ``export``."""
    p = _Parser(prog="python -m geostance.annotate",
                description="Send predictions to annotators and back into training.")
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export", help="pre-annotated tasks for Label Studio or doccano",
                       description=_DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("predictions", metavar="PREDICTIONS",
                   help="predict.py output; format from the suffix (.jsonl, .csv, .parquet)")
    e.add_argument("--format", dest="fmt", choices=FORMATS, default="label-studio",
                   help="label-studio: JSON tasks plus OUT.label_config.xml; doccano: JSONL "
                        "with a label list (default: %(default)s)")
    e.add_argument("--select", dest="how", choices=SELECTIONS, default="uncertain",
                   help="uncertain: most uncertain first; random: a sample drawn with --seed, "
                        "in input order; all: input order (default: %(default)s)")
    e.add_argument("--n", type=int, default=None,
                   help=f"how many tasks (default: {DEFAULT_N} for uncertain and random, "
                        "every sentence for all)")
    e.add_argument("--by", choices=MEASURES, default="margin",
                   help="uncertainty measure, see above (default: %(default)s)")
    e.add_argument("--out", default=None,
                   help="file to write, .json for label-studio, .jsonl for doccano (default: "
                        "PREDICTIONS stem + .label-studio.json or .doccano.jsonl, beside it); "
                        "never the predictions file itself")
    e.add_argument("--overwrite", action="store_true",
                   help="replace --out (and its label_config.xml) if it exists (it may "
                        "hold an earlier export)")
    e.add_argument("--seed", type=int, default=13,
                   help="seed for --select random (default: %(default)s)")
    return p


_MEASURE = {"margin": "1 - (p1 - p2)", "entropy": "entropy / log(labels)"}
_CHOSEN = {"uncertain": "the most uncertain", "random": "a random sample (seed {seed})",
           "all": "in input order"}


def _report(res: ExportResult, args: argparse.Namespace) -> str:
    skipped = (f"; {res.failed} failed record{'s' if res.failed != 1 else ''} skipped"
               if res.failed else "")
    lo_hi = (f", range {res.uncertainty_range[0]:.3f}-{res.uncertainty_range[1]:.3f}"
             if res.uncertainty_range else "")
    lines = [f"wrote {res.tasks} of {res.sentences} sentences ({res.articles} articles{skipped}) "
             f"to {res.out}: {_CHOSEN[args.how].format(seed=args.seed)}; uncertainty by "
             f"{args.by} = max over kind and stance heads of {_MEASURE[args.by]}{lo_hi}"]
    # Added to the corpora's train split; --data.train_files would replace it.
    train = "python train.py --data.add_train_files EXPORT"
    if res.config is not None:
        lines += [
            f"labelling config: {res.config}",
            "next: in Label Studio create a project, paste the config under Settings > "
            "Labeling Interface > Code, import the tasks (the model's labels show as "
            "predictions), accept or correct them, then Export > JSON and train:",
            f"  {train}.json",
        ]
    else:
        lines += [
            "next: in doccano create a Text Classification project with multiple labels "
            f"per text and the labels {', '.join(res.kinds + res.stances)}; import the file "
            "as JSONL (text column 'text', label column 'label'); give each sentence one "
            "kind and at most one stance; export JSONL and train:",
            f"  {train}.jsonl",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the command; 0 on success, 2 for bad arguments or an unreadable file."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:  # --help (0) or a bad argument (2), already reported
        return int(e.code or 0)
    try:
        res = export(args.predictions, fmt=args.fmt, how=args.how, n=args.n, by=args.by,
                     out=args.out, seed=args.seed, overwrite=args.overwrite)
    except ExportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for w in res.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(_report(res, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
