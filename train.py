"""Train a geostance model: ``python train.py [--config configs/X.yaml] [--section.key value ...]``.

Defaults come from configs/default.yaml; every option is listed by --help.
"""

from __future__ import annotations

import argparse
import logging
import sys

from geostance.config import ConfigError, add_config_arguments, config_from_args
from geostance.data import DataError
from geostance.model.encoders import EncoderError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Fine-tune the multilingual encoder to label sentence kind and stance.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    add_config_arguments(parser)
    parser.add_argument("--resume", dest="train.resume", action="store_const", const="true",
                        help="Shorthand for --train.resume: continue the newest unfinished run "
                             "of this name from its last checkpoint.")
    args = parser.parse_args(argv)
    try:
        cfg = config_from_args(args)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from geostance.train.card import headline
    from geostance.train.trainer import train

    try:
        result = train(cfg)
    except (ConfigError, DataError, EncoderError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if not result.metrics:  # a non-zero rank of a distributed run
        return 0
    print(f"\nrun directory: {result.run_dir}\nmodel: {result.model_dir}")
    rows = headline(result.metrics)
    w = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"  {name:<{w}}  {value:>8}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
