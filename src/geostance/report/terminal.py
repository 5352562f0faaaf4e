"""Plain-text rendering of prediction records for terminals, and reading records back.

``python -m geostance.report show PRED.jsonl`` prints it.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..fileio import JsonlError, decode_error_line, iter_jsonl, surrogate_at
from .html import balance_text, model_label, sources_line, stances_of

__all__ = ["TEXT_WIDTH", "render_text", "load_records", "record_problem"]

TEXT_WIDTH = 90  # characters of sentence text per line in render_text


def _cut(text: str, width: int = TEXT_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def render_text(records: Sequence[dict[str, Any]], width: int = TEXT_WIDTH) -> str:
    """Plain-text rendering for terminals: per article a header, summary, one line per sentence."""
    stances = stances_of(records)
    lines: list[str] = []
    for rec in records:
        title = rec.get("title") or rec.get("article_id") or "(untitled)"
        lines.append(f"=== {_cut(str(title), width)}")
        model = model_label(rec.get("model"))
        lines.append(f"    {rec.get('article_id')}  lang {rec.get('lang') or '?'}  "
                     f"input {rec.get('input')}" + (f"  model {model}" if model else ""))
        if rec.get("error"):
            lines += [f"    NOT SCORED: {rec['error']}", ""]
            continue
        summ = rec.get("summary") or {}
        shares = summ.get("stance_shares") or {}
        lines.append(
            f"    {summ.get('claims', 0)} claims of {summ.get('sentences', 0)} sentences | "
            + ", ".join(f"{st} {100 * float(shares.get(st) or 0):.0f}%" for st in stances)
            + f" | dominant {summ.get('dominant_stance') or 'none'}"
            f" | balance {balance_text(summ.get('balance_index'))}")
        lines.append(f"    sources: {sources_line(summ)}")
        for s in rec.get("sentences") or []:
            stance = s.get("stance") or ""
            p = (s.get("stance_probs") or {}).get(stance) if stance else None
            st = f"{stance} ({p:.2f})" if p is not None else "-"
            index = "" if s.get("index") is None else s["index"]
            lines.append(f"  {index:>3} {str(s.get('kind') or ''):<11} {st:<25} "
                         f"{_cut(str(s.get('source') or '-'), 18):<18} "
                         f"{_cut(str(s.get('text') or ''), width)}")
        lines.append("")
    return _visible("\n".join(lines))


# C0 and C1 control characters but tab and newline: ESC (0x1b) and CSI (0x9b) start the
# sequences that recolour, retitle or blank a terminal, and web text may hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(text: str) -> str:
    """``text`` with each control character written out as ``\\xNN``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


# --------------------------------------------------------------------------- files


# Fields every record predict.py writes has (records.py), scored or not.
RECORD_FIELDS = ("article_id", "input", "sentences", "error")


def _numbers(x: Any) -> bool:
    return isinstance(x, dict) and all(_number(v) for v in x.values())


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _count(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and x >= 0


def _summary_problem(summary: dict[str, Any]) -> str | None:
    for key in ("sentences", "claims"):
        if summary.get(key) is not None and not isinstance(summary[key], int):
            return f"summary.{key}: must be a whole number"
    counts = summary.get("stance_counts")  # what report groups pools
    if counts is not None and not (isinstance(counts, dict)
                                   and all(map(_count, counts.values()))):
        return "summary.stance_counts: must map stances to counts (whole numbers)"
    if summary.get("balance_index") is not None and not _number(summary["balance_index"]):
        return "summary.balance_index: must be a number or null"
    sources = summary.get("sources")
    if sources is None:
        return None
    if not isinstance(sources, list):
        return "summary.sources: must be a list"
    for i, src in enumerate(sources):
        if not (isinstance(src, dict) and isinstance(src.get("source"), str)
                and isinstance(src.get("sentences"), int) and _numbers(src.get("stances"))):
            return (f"summary.sources[{i}]: must be an object with source (text), sentences "
                    "(a number) and stances (counts)")
    return None


def _shape_problem(rec: dict[str, Any]) -> str | None:
    """The first field of a record the renderers would trip over, as "field: problem"."""
    model = rec.get("model")
    if isinstance(model, dict) and model.get("members") is not None \
            and not isinstance(model["members"], list):
        return "model.members: must be a list"
    for i, s in enumerate(rec["sentences"]):
        if not isinstance(s, dict):
            return f"sentences[{i}]: must be an object"
        if s.get("index") is not None and not isinstance(s["index"], int):
            return f"sentences[{i}].index: must be a whole number"
        for key in ("kind_probs", "stance_probs"):
            if s.get(key) is not None and not _numbers(s[key]):
                return f"sentences[{i}].{key}: must map labels to numbers"
        for key in ("text", "kind", "stance", "source"):
            if s.get(key) is not None and not isinstance(s[key], str):
                return f"sentences[{i}].{key}: must be a string"
    summary = rec.get("summary")
    if summary is not None and not isinstance(summary, dict):
        return "summary: must be an object"
    shares = (summary or {}).get("stance_shares")
    if shares is not None and not _numbers(shares):
        return "summary.stance_shares: must map stances to numbers"
    return _summary_problem(summary or {})


def _surrogate_problem(node: Any, where: str = "") -> str | None:
    """The first string of a record (key or value) that is not valid Unicode text, as
    "field: problem": a JSON "\\ud800" escape parses, but no UTF-8 writer takes it."""
    if isinstance(node, str):
        at = surrogate_at(node)
        return None if at is None else (
            f"{where}: not valid Unicode text (lone surrogate U+{ord(node[at]):04X} at "
            f"character {at + 1}: a \\u escape of half a character)")
    if isinstance(node, dict):
        for key, value in node.items():
            field = f"{where}.{key}" if where else str(key)
            problem = _surrogate_problem(key, field) or _surrogate_problem(value, field)
            if problem:
                return problem
    elif isinstance(node, list):
        for i, value in enumerate(node):
            problem = _surrogate_problem(value, f"{where}[{i}]")
            if problem:
                return problem
    return None


def record_problem(rec: dict[str, Any]) -> str | None:
    """The first field of a prediction record that its readers (the renderers, the
    annotation export) would trip over or cannot write, as "field: problem"; None if none."""
    if not isinstance(rec.get("sentences"), list):
        return "sentences: must be a list"
    return _shape_problem(rec) or _surrogate_problem(rec)


def load_records(path: str | Path) -> list[dict[str, Any]]:
    """Prediction records of a JSONL file written by ``predict.py`` (blank lines skipped);
    ValueError naming the file, line and field for a line that is not such a record, or a
    file without any."""
    suffix = Path(path).suffix.lower()
    if Path(path).is_dir():  # it was "[Errno 21] Is a directory"
        raise ValueError(f"{path}: a folder; name the predictions file in it (predict.py "
                         "--out DIR/ writes DIR/predictions.jsonl)")
    if suffix in (".csv", ".parquet", ".html", ".htm"):
        # predict.py's other formats: say so, rather than "malformed JSON" at line 1.
        raise ValueError(f"{path}: reports read the JSONL records predict.py writes (--out "
                         f"NAME.jsonl); a {suffix} output is a table for pandas or a "
                         "spreadsheet" + (", already a report" if suffix in (".html", ".htm")
                                          else ""))
    try:
        out = _records(path)
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:  # a .gz cut short or not gzip
        raise ValueError(f"{path}: not a complete gzip file ({e})") from None
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}:{decode_error_line(path, e) or '?'}: not UTF-8 ({e.reason})"
                         ) from None
    except JsonlError:
        if _whole_json(path):  # metrics.json, say: one indented document, not JSONL
            raise ValueError(f"{path}: a JSON document, not the JSONL records predict.py "
                             "writes (one record per line)") from None
        raise
    if not out:
        raise ValueError(f"{path}: no prediction records (empty file)")
    return out


def _whole_json(path: str | Path) -> bool:
    import json

    try:
        json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return True


def _records(path: str | Path) -> list[dict[str, Any]]:
    out = []
    for n, rec in iter_jsonl(path):
        if not isinstance(rec, dict):
            raise ValueError(f"{path}:{n}: not a JSON object")
        missing = [k for k in RECORD_FIELDS if k not in rec]
        if missing:
            raise ValueError(f"{path}:{n}: {missing[0]}: missing; not a prediction record of "
                             "predict.py")
        problem = record_problem(rec)
        if problem:
            raise ValueError(f"{path}:{n}: {problem}")
        out.append(rec)
    return out


