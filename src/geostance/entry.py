"""What ``train.py`` and ``predict.py`` (and ``geostance train|predict``) run.

Exit codes, the same for both: 0 done; 1 some inputs failed (predict); 2 bad
arguments, configuration or data; 130 interrupted (Ctrl-C, SIGTERM), with the
partial output kept for ``--resume``; 70 an internal error (one line; set
``GEOSTANCE_DEBUG=1`` for the traceback).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from contextlib import contextmanager

from .cli import DEFAULT_TRAIN_CONFIG, QuietParser, predict_config, train_parser
from .config import ConfigError, config_from_args

__all__ = ["EXIT_OK", "EXIT_FAILED_INPUTS", "EXIT_USAGE", "EXIT_INTERRUPTED", "EXIT_INTERNAL",
           "train_main", "predict_main"]

EXIT_OK, EXIT_FAILED_INPUTS, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_INTERNAL = 0, 1, 2, 130, 70


@contextmanager
def _sigterm_as_interrupt():
    """SIGTERM (a scheduler stopping the job) ends the run like Ctrl-C does."""
    def handler(signum, frame):  # noqa: ARG001 - signal handler signature
        raise KeyboardInterrupt

    try:
        old = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (e.g. called from a notebook worker)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _internal_error(e: BaseException) -> int:
    if os.environ.get("GEOSTANCE_DEBUG"):
        raise e
    print(f"internal error: {type(e).__name__}: {e} (set GEOSTANCE_DEBUG=1 for the "
          "traceback)", file=sys.stderr)
    return EXIT_INTERNAL


def _train_interrupted(cfg) -> str:
    """The one line of an interrupted training run: what ``--train.resume`` would do."""
    from pathlib import Path

    from .train.rundir import find_resumable

    run = find_resumable(Path(cfg.train.output_dir), cfg.train.name)
    if run is None:
        return ("interrupted before the first checkpoint was written: nothing to resume; run "
                "the same command again to start over")
    # The newest unfinished run of this name with a checkpoint: this one, or an earlier one
    # when this run was stopped before its first checkpoint.
    return (f"interrupted: checkpoints are kept; --train.resume continues the newest unfinished "
            f"run of this name with one, {run}, from its last complete checkpoint")


def train_main(argv: list[str] | None = None, prog: str | None = None) -> int:
    """``train.py``: parse the configuration, train, print the headline numbers (``prog``:
    the command named in usage lines, e.g. ``geostance train``)."""
    try:
        # --help shows the values of the --config given, not of configs/default.yaml.
        pre = QuietParser(add_help=False)
        pre.add_argument("--config", default=DEFAULT_TRAIN_CONFIG)
        config_path = pre.parse_known_args(argv)[0].config
        args = train_parser(config_path, prog).parse_args(argv)
    except SystemExit as e:  # --help/--version (0) or a syntax error (2), already reported
        return int(e.code or 0)
    try:
        cfg = config_from_args(args)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from .data import DataError
    from .model.encoders import EncoderError
    from .train.card import headline
    from .train.trainer import train

    try:
        with _sigterm_as_interrupt():
            result = train(cfg)
    except (ConfigError, DataError, EncoderError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(_train_interrupted(cfg), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as e:  # noqa: BLE001 - one line, not a traceback, for users
        return _internal_error(e)
    if not result.metrics:  # a non-zero rank of a distributed run
        return EXIT_OK
    print(f"\nrun directory: {result.run_dir}\nmodel: {result.model_dir}")
    rows = headline(result.metrics)
    w = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"  {name:<{w}}  {value:>8}  {note}")
    return EXIT_OK


def predict_main(argv: list[str] | None = None, prog: str | None = None,
                 exit_now: bool = False) -> int:
    """``predict.py``: score the inputs, write the output, print one summary line.

    ``prog``: the command named in usage lines (e.g. ``geostance predict``).
    ``exit_now``: once the output is written and the summary printed, flush the standard
    streams and the log handlers and end the process with the exit code (``os._exit``)
    instead of returning it, so the loaded model is never freed (freeing the tokenizer's
    vocabulary alone took ~0.4 s on the 2-core benchmark machine). Only for a caller that
    ends the process anyway (``predict.py``).
    """
    try:
        cfg = predict_config(argv, prog)
    except SystemExit as e:  # --help/--version (0) or a syntax error (2), already reported
        return int(e.code or 0)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from .predict.inputs import missing_inputs

    missing = missing_inputs(cfg.inputs)  # before the heavy imports: a typo fails fast
    if missing:
        print(f"error: input not found: {missing[0]}", file=sys.stderr)
        return EXIT_USAGE
    try:
        with _sigterm_as_interrupt():
            if cfg.engine == "ray":
                from .predict.ray_engine import run_ray as run
            else:
                from .predict.run import run
            result = run(cfg)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        from .predict.run import interrupted_message

        print(interrupted_message(cfg), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `predict.py ... --out - | head`: the reader has all it wanted.
        _silence_stdout()
        return EXIT_OK
    except Exception as e:  # noqa: BLE001 - one line, not a traceback, for users
        return _internal_error(e)
    print(result.summary_line(), file=sys.stderr if cfg.out == "-" else sys.stdout)
    if exit_now:
        _exit_now(result.exit_code)  # ``result`` still holds the predictor here
    return result.exit_code


def _exit_now(code: int) -> None:
    """End the process at once with ``code``, after flushing what it printed or logged."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing left to lose
            pass
    os._exit(code)


def _silence_stdout() -> None:
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError:
        pass
