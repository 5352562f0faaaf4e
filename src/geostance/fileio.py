"""Small shared helpers: file hashes, atomic writes, plain and Markdown tables."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place.

    A reader never sees a half-written file, and an interrupted write leaves
    the previous version intact.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def emit_report(markdown: str, out: str | Path | None) -> None:
    """Print a Markdown report and, when ``out`` is given, also write it there atomically."""
    if out:
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, markdown)
    print(markdown)


def render_table(head: Sequence[str], rows: Sequence[Sequence[object]],
                 markdown: bool = False) -> str:
    """A Markdown table, or right-aligned plain columns for a terminal."""
    cells = [[str(c) for c in r] for r in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in cells])
    widths = [max(len(x) for x in col) for col in zip(head, *cells, strict=True)]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True))
                     for r in [list(head), *cells])
