"""Score new articles: ``python predict.py INPUT... [--model DIR] [--out PATH] [options]``.

Inputs are .txt/.md files, directories, .jsonl/.csv tables or ``-`` (stdin);
the output schema is described in ``geostance.prediction``. Exit code 0 when
every article was scored, 1 when some failed, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys

from geostance.config import ConfigError, PredictConfig
from geostance.predict.inputs import missing_inputs

_FIELDS = {f.name: f for f in dataclasses.fields(PredictConfig)}
_HELP = {name: f.metadata["help"] for name, f in _FIELDS.items()}


def _default(name: str):
    """Defaults live once, on PredictConfig."""
    return _FIELDS[name].default


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block: exit code 2
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The command line; every option's help comes from :class:`PredictConfig`."""
    p = _Parser(description="Label each sentence of news articles with kind, stance and source.",
                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=_HELP["inputs"])
    p.add_argument("--model", default=_default("model"), help=_HELP["model"])
    p.add_argument("--out", default=_default("out"), help=_HELP["out"])
    p.add_argument("--format", default=_default("format"), metavar="{jsonl,csv,parquet,html}",
                   help=_HELP["format"])
    p.add_argument("--unit", default=_default("unit"), metavar="{article,sentence}",
                   help=_HELP["unit"])
    p.add_argument("--batch-size", type=int, default=_default("batch_size"),
                   help=_HELP["batch_size"])
    p.add_argument("--quantize", default=_default("quantize"), metavar="{none,int8}",
                   help=_HELP["quantize"])
    p.add_argument("--resume", action="store_true", help=_HELP["resume"])
    p.add_argument("--strict", action="store_true", help=_HELP["strict"])
    p.add_argument("--max-chars", type=int, default=_default("max_chars"), help=_HELP["max_chars"])
    p.add_argument("--chunk-size", type=int, default=_default("chunk_size"),
                   help=_HELP["chunk_size"])
    p.add_argument("--text-column", default=_default("text_column"), help=_HELP["text_column"])
    p.add_argument("--threads", type=int, default=_default("threads"), help=_HELP["threads"])
    p.add_argument("--engine", default=_default("engine"), metavar="{local,ray}",
                   help=_HELP["engine"])
    p.add_argument("--ray-address", default=_default("ray_address"), help=_HELP["ray_address"])
    p.add_argument("--num-workers", type=int, default=_default("num_workers"),
                   help=_HELP["num_workers"])
    p.add_argument("--no-progress", dest="progress", action="store_false",
                   help="Do not show the progress bar.")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_intermixed_args(argv)
    except SystemExit as e:  # --help (0) or a bad argument (2), already reported
        return int(e.code or 0)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        cfg = PredictConfig(**vars(args))
        # Checked before the heavy imports so a typo fails in a fraction of a second.
        missing = missing_inputs(cfg.inputs)
        if missing:
            raise ConfigError(f"input not found: {missing[0]}")
        if cfg.engine == "ray":
            from geostance.predict.ray_engine import run_ray as run
        else:
            from geostance.predict.run import run

        result = run(cfg)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(result.summary_line())
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
