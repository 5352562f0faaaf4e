"""Command lines generated from the configuration dataclasses, and the ``geostance`` command.

Every option is defined once, as a dataclass field in :mod:`geostance.config` with
its type and help; :func:`train_parser` and :func:`predict_parser` turn the fields
into options (choices from ``Literal`` types, flags from booleans) and show the
default that applies: for ``train.py`` the value of ``configs/default.yaml`` where
it sets one, else the built-in one.

``geostance train|predict|data|evaluate|annotate|report|benchmark ...`` runs the
same entry points as ``python train.py``, ``python predict.py`` and the
``python -m geostance.<package>`` tools.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import typing
from pathlib import Path
from typing import Any, Literal

from . import __version__
from .config import SECTION_CLASSES, ConfigError, PredictConfig, load_yaml

__all__ = ["QuietParser", "ValueDefaultsFormatter", "positive_int", "train_parser",
           "predict_parser", "predict_config", "main"]

DEFAULT_TRAIN_CONFIG = "configs/default.yaml"


class QuietParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit code 2, and which
    takes options only as written in full: a prefix ("--train.max 5") would silently pick
    whichever option it happens to start (and another one once an option is added)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # noqa: D102 - argparse's hook
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


class ValueDefaultsFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Help that shows each option's default value, but not for flags and empty values:
    argparse's own formatter writes ``--no-agreement  Skip ... (default: True)`` (the
    destination's default, which reads as "skipped unless asked") and ``(default: )``. A
    list default reads as it is typed (``onnx torch``), not as a Python list."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.nargs == 0 or action.default in ("", None):
            return action.help
        if isinstance(action.default, (list, tuple)) and "%(default)" not in (action.help or ""):
            # argparse %-formats help strings: a "%" in a value must be doubled.
            shown = " ".join(map(str, action.default)).replace("%", "%%")
            return f"{action.help or ''} (default: {shown})"
        return super()._get_help_string(action)


def positive_int(text: str) -> int:
    """argparse type of the commands' counts (``--resamples``, ``--size``,
    ``--min-articles``): a whole number of at least 1 (0 resamples have no interval, a
    batch of 0 sentences never fills)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def _default(f: dataclasses.Field) -> Any:
    return f.default if f.default is not dataclasses.MISSING else f.default_factory()


def _shown(value: Any) -> str | None:
    """How a default reads in --help, or None when there is nothing to show (no value, an
    empty string or list); 0 and False are values and are shown."""
    # Not ``value in ("", None, False)``: 0 == False, so that hid every zero default.
    if value is None or (isinstance(value, (str, list)) and not value):
        return None
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value)


def _type_name(hint: Any) -> str:
    if typing.get_origin(hint) in (list, typing.List):  # noqa: UP006
        return "A,B,..."
    return getattr(hint, "__name__", str(hint)).upper()


def _help(f: dataclasses.Field, default: Any) -> str:
    shown = _shown(default)
    return f.metadata["help"] + (f" (default: {shown})" if shown is not None else "")


# ------------------------------------------------------------------------------ train

def train_parser(config_path: str = DEFAULT_TRAIN_CONFIG,
                 prog: str | None = None) -> argparse.ArgumentParser:
    """``train.py``'s parser: ``--config`` and one ``--section.key`` option per field.

    Options default to None, so only what the user typed overrides the YAML; the
    help shows the value ``config_path`` sets, else the built-in default. ``prog`` names
    the command in the usage line (default: the script's name).
    """
    p = QuietParser(prog=prog, description="Fine-tune the multilingual encoder to label "
                                           "sentence kind and stance.")
    p.add_argument("--version", action="version", version=f"geostance {__version__}")
    p.add_argument("--config", default=config_path,
                   help=f"YAML file with the settings (default: {config_path})")
    try:
        yaml_values = load_yaml(config_path) if Path(config_path).is_file() else {}
    except ConfigError:
        yaml_values = {}
    for section, cls in SECTION_CLASSES.items():
        group = p.add_argument_group(f"{section} ({cls.__doc__.strip()})")
        hints = typing.get_type_hints(cls)
        from_yaml = yaml_values.get(section) or {}
        for f in dataclasses.fields(cls):
            hint = hints[f.name]
            choices = typing.get_args(hint) if typing.get_origin(hint) is Literal else None
            metavar = "{" + ",".join(map(str, choices)) + "}" if choices else _type_name(hint)
            # A bare flag means true, for booleans and for auto/true/false choices alike.
            flag_like = hint is bool or (choices is not None and "true" in choices)
            extra: dict[str, Any] = {"nargs": "?", "const": "true"} if flag_like else {}
            default = from_yaml.get(f.name, _default(f)) if isinstance(from_yaml, dict) \
                else _default(f)
            group.add_argument(f"--{section}.{f.name}", dest=f"{section}.{f.name}",
                               default=None, metavar=metavar, help=_help(f, default), **extra)
    p.add_argument("--resume", dest="train.resume", action="store_const", const="true",
                   help="Shorthand for --train.resume: continue the newest unfinished run of "
                        "this name from its last checkpoint.")
    return p


# ---------------------------------------------------------------------------- predict

def predict_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """``predict.py``'s parser, one option per :class:`PredictConfig` field.

    ``inputs`` is positional; a boolean field that defaults to true becomes
    ``--no-<name>``, one that defaults to false ``--<name>``; list fields are
    repeatable options. ``prog`` names the command in the usage line.
    """
    p = QuietParser(prog=prog, description="Label each sentence of news articles with kind, "
                                           "stance and source.")
    p.add_argument("--version", action="version", version=f"geostance {__version__}")
    hints = typing.get_type_hints(PredictConfig)
    for f in dataclasses.fields(PredictConfig):
        hint, default = hints[f.name], _default(f)
        flag = "--" + f.name.replace("_", "-")
        if f.name == "inputs":
            p.add_argument("inputs", nargs="+", metavar="INPUT", help=f.metadata["help"])
        elif hint is bool and default:
            p.add_argument(f"--no-{f.name.replace('_', '-')}", dest=f.name,
                           action="store_false", default=True, help=f.metadata["help"]
                           + " On by default; this flag turns it off.")
        elif hint is bool:
            p.add_argument(flag, dest=f.name, action="store_true", default=False,
                           help=f.metadata["help"])
        elif typing.get_origin(hint) in (list, typing.List):  # noqa: UP006
            p.add_argument(flag, dest=f.name, action="append", default=[], metavar="GLOB",
                           help=f.metadata["help"] + " Repeatable.")
        else:
            choices = typing.get_args(hint) if typing.get_origin(hint) is Literal else None
            kind = int if hint is int else float if hint is float else str
            p.add_argument(flag, dest=f.name, type=kind, default=default,
                           choices=list(choices) if choices else None,
                           metavar="{" + ",".join(c for c in choices if c) + "}" if choices
                           else None, help=_help(f, default))
    return p


def predict_config(argv: list[str] | None = None, prog: str | None = None) -> PredictConfig:
    """Parse ``predict.py`` arguments into a checked :class:`PredictConfig`.

    Raises :class:`ConfigError` for invalid values; ``SystemExit`` for ``--help``,
    ``--version`` and syntax errors (already reported).
    """
    args = predict_parser(prog).parse_intermixed_args(argv)
    return PredictConfig(**vars(args))


# ------------------------------------------------------------------------ geostance

_COMMANDS = {
    "train": "train.py: fine-tune and evaluate a model",
    "predict": "predict.py: score articles",
    "data": "python -m geostance.data: check data, write the data cards and data/hf/",
    "evaluate": "python -m geostance.evaluation: compare runs, sweep configurations",
    "annotate": "python -m geostance.annotate: export predictions for annotators",
    "report": "python -m geostance.report: show or render predictions",
    "benchmark": "python -m geostance.benchmark: speed of what users run",
}


def main(argv: list[str] | None = None) -> int:
    """The ``geostance`` console command: ``geostance COMMAND [ARGS...]``."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: geostance COMMAND [ARGS...]\n\ncommands:")
        for name, what in _COMMANDS.items():
            print(f"  {name:<10} {what}")
        return 0 if argv else 2
    if argv[0] == "--version":
        print(f"geostance {__version__}")
        return 0
    cmd, rest = argv[0], argv[1:]
    if cmd == "train":
        from .entry import train_main

        return train_main(rest, prog="geostance train")
    if cmd == "predict":
        from .entry import predict_main

        return predict_main(rest, prog="geostance predict")
    modules = {"data": "geostance.data.__main__", "evaluate": "geostance.evaluation.__main__",
               "annotate": "geostance.annotate.__main__",
               "report": "geostance.report.__main__",
               "benchmark": "geostance.benchmark.__main__"}
    if cmd not in modules:
        print(f"error: unknown command {cmd!r}; run geostance --help", file=sys.stderr)
        return 2
    import importlib

    return int(importlib.import_module(modules[cmd]).main(rest) or 0)
