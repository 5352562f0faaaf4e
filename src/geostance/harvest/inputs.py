"""Checked reading of the harvest commands' input files and folders.

Every problem is an :class:`InputError` of one line naming the file (and the line and
field where there is one), which the command line prints as ``error: ...`` with exit
status 2: a mistyped folder must stop a command before it writes anything, not read as
an empty pass (``merge`` once wrote an empty corpus over ``data/real`` that way).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..fileio import JsonlDecodeError, JsonlError, iter_jsonl

__all__ = ["InputError", "require_folder", "jsonl_objects", "check_fields"]


class InputError(ValueError):
    """A missing or unreadable input, or one not in its expected form (one line)."""


def require_folder(path: Path, option: str) -> None:
    """Raise :class:`InputError` naming ``option`` unless ``path`` is a folder."""
    if not path.exists():
        raise InputError(f"{option} {path}: folder does not exist")
    if not path.is_dir():
        raise InputError(f"{option} {path}: not a folder")


def jsonl_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for each non-blank line of a JSONL input, read by
    :func:`geostance.fileio.iter_jsonl`; a missing file, a line that is not a JSON
    object and a file that is not UTF-8 raise :class:`InputError`."""
    if not path.exists():
        raise InputError(f"{path}: file does not exist")
    if path.is_dir():
        raise InputError(f"{path}: a folder, not a JSONL file")
    try:
        for n, obj in iter_jsonl(path):
            if not isinstance(obj, dict):
                raise InputError(f"{path}:{n}: expected a JSON object, got "
                                 f"{type(obj).__name__}")
            yield n, obj
    except JsonlError as e:  # already "path:line: malformed JSON (...)"
        raise InputError(str(e)) from None
    except JsonlDecodeError as e:  # its start counts from the start of its line
        raise InputError(e.located(path)) from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None


def check_fields(obj: Any, where: str, fields: dict[str, type | tuple[type, ...]],
                 prefix: str = "") -> None:
    """Raise :class:`InputError` at ``where`` unless ``obj`` is an object holding each of
    ``fields`` with a value of its type (``prefix`` names the enclosing field)."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}: {prefix.rstrip('.') or 'line'}: expected a JSON object")
    for key, kind in fields.items():
        if key not in obj:
            raise InputError(f"{where}: {prefix}{key}: missing field")
        # bool is an int to isinstance, never a valid index or offset here
        if not isinstance(obj[key], kind) or (isinstance(obj[key], bool) and kind is int):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__
                                                                           for k in kind)
            raise InputError(f"{where}: {prefix}{key}: expected {names}, got "
                             f"{type(obj[key]).__name__}")
