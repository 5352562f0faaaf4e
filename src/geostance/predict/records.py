"""The output schema of ``predict.py``: records, flat rows, and reading them back.

JSONL output: one JSON object per input article, in input order, keys in this order:

``article_id`` (str)
    The row's ``id`` column when present; else the file stem (``stdin`` for
    ``-``), with ``:N`` appended for table rows and text lines (``--unit sentence``).
``input`` (str)
    Where the article came from: the path, ``path:row N`` (N = 1-based data row
    of a .jsonl/.csv table, blank JSONL lines not counted) or ``path:line N``
    (a line of a text file read with ``--unit sentence``); ``-`` for stdin.
    ``(article_id, input)`` identifies an article for ``--resume``.
``lang`` (str or null)
    The ``lang`` column, else the detected ISO 639-1 code ("" for text without
    letters); null for a failed input.
``title`` (str or null)
    The ``title`` column, else (``--unit article``) the first Markdown/HTML heading or,
    in plain text, the first line when it looks like a title (at most 200 characters, no
    final punctuation), else ""; with ``--unit sentence`` the ``title`` column only.
``date``, ``outlet``, ``context_prev`` (str or null)
    Copied from the input table's columns of that name; null when absent.
``model`` (object)
    ``name`` (run directory name), ``weights_sha256`` (of model.safetensors),
    ``geostance_version`` (of the code that scored), ``quantized`` ("int8", "bf16" or null),
    ``backend`` ("torch" or "onnx"), ``fingerprint``
    (a hash of the weights, config.json, tokenizer.json, the geostance version, the
    quantisation and the backend: everything that changes an output; ``--resume``
    keeps only records with the run's fingerprint and unit). For an ensemble folder
    (:mod:`geostance.predict.ensemble`): ``weights_sha256`` and ``fingerprint`` combine
    the members', and ``members`` lists each member's ``name``, ``weights_sha256`` and
    ``fingerprint`` (JSONL only; flat formats keep the combined values).
``summary`` (object or null)
    :func:`summarize` of the sentences (sentences, claims, kind_counts,
    stance_counts, stance_shares, dominant_stance, balance_index, top_claims,
    sources); null for a failed input.
``sentences`` (list; empty for a failed input)
    One object per sentence: ``index`` (0-based), ``start``/``end`` (character
    offsets into the decoded input: for plain text ``text == article[start:end]``; for
    Markdown and HTML the span of the original file the sentence came from, markup
    included, while ``text`` is without markup; with ``--unit sentence`` 0 and
    len(text) of the stripped row text), ``text``, ``kind``, ``kind_probs``
    ({label: p}, calibrated), ``stance`` ("" for boilerplate), ``stance_probs``
    ({label: p}), ``source`` (speaker or ""), ``stance_confidence`` (max stance
    probability), ``windows`` (1, or the number of overlapping windows a sentence
    longer than the model's input was scored in; their logits are averaged).
``error`` (str or null)
    null when scored; else why not, starting with one of: ``empty input``,
    ``binary file``, ``undecodable``, ``too large``, ``unreadable``,
    ``bad row``, ``bad table``, ``scoring failed``.
``encoding`` (str or null)
    Codec the bytes were decoded with (``utf-8``, ``utf-8-sig``, ``utf-16``,
    ``cp1251``, ``iso8859-1``, ...), or for UTF-8 text with damaged bytes
    ``utf-8, N invalid byte(s) replaced`` (each by U+FFFD); null when the input could
    not be read.

CSV and Parquet output: one row per sentence (one row with empty sentence
columns for an article without sentences or a failed one), columns
``article_id, input, lang, title, date, outlet, context_prev, model_name,
model_weights_sha256, model_geostance_version, model_quantized, model_backend,
model_fingerprint, error,
encoding, summary_sentences, summary_claims, summary_dominant_stance,
summary_balance_index, summary_stance_share_<label>..., index, start, end, text,
kind, kind_prob_<label>..., stance, stance_prob_<label>..., source,
stance_confidence, windows``: article-level fields repeated on each of its rows.
CSV text cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return get a leading apostrophe, so spreadsheets show them as text instead of
running them as formulas (``--no-csv-escape`` turns this off; reading the file back
with :func:`read_output` removes the apostrophe again).

HTML output (``--format html``): one self-contained page,
:func:`geostance.report.render_html` of the records (``--resume`` then reuses
only partial files).

Output is written to a hidden partial file ``.<name>.partial-<pid>.jsonl`` next to
``--out``, one flushed window of articles at a time, then converted or renamed to
``--out`` at the end. ``--resume`` reuses the scored records (error null, same
fingerprint and unit) of the existing output and of the partial file, rescoring
everything else, so an interrupted and resumed run writes the same output as one
clean run.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..fileio import iter_jsonl
from .inputs import Item
from .summary import summarize

__all__ = ["OUTPUT_FORMATS", "META_FIELDS", "SENTENCE_KEYS", "model_record", "record",
           "item_meta", "flat_columns", "flatten", "unflatten", "parquet_schema", "read_output",
           "read_jsonl_records", "convert_journal", "csv_cell", "csv_uncell",
           "FORMULA_STARTS"]

OUTPUT_FORMATS = ("jsonl", "csv", "parquet", "html")
META_FIELDS = ("date", "outlet", "context_prev")


def model_record(predictor) -> dict[str, Any]:
    """The ``model`` field of every record the predictor writes."""
    info = predictor.model_info
    out = {k: info.get(k) for k in ("name", "weights_sha256", "geostance_version",
                                    "quantized", "backend", "fingerprint")}
    if info.get("members"):  # an ensemble: each member's name, weights and fingerprint
        out["members"] = info["members"]
    return out


def item_meta(item: Item, key: str) -> str | None:
    v = item.meta.get(key)
    return None if v in (None, "") else str(v)


def record(item: Item, model: dict[str, Any], lang: str | None = None, title: str | None = None,
            summary: dict[str, Any] | None = None, sentences: list | None = None,
            error: str | None = None) -> dict[str, Any]:
    """An output record with every schema key, in schema order."""
    return {
        "article_id": item.article_id, "input": item.input,
        "lang": lang if lang is not None else item_meta(item, "lang"),
        "title": title if title is not None else item_meta(item, "title"),
        **{k: item_meta(item, k) for k in META_FIELDS},
        "model": model, "summary": summary, "sentences": sentences or [],
        "error": error if error is not None else item.error, "encoding": item.encoding,
    }


SENTENCE_KEYS = ("index", "start", "end", "text", "kind", "kind_probs", "stance",
                 "stance_probs", "source", "stance_confidence", "windows")
# A cell starting with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(v: Any) -> Any:
    """A CSV cell made safe for spreadsheets: formula-like text gets a leading apostrophe."""
    if isinstance(v, str) and v.startswith(FORMULA_STARTS):
        return "'" + v
    return v


def csv_uncell(v: Any) -> Any:
    """:func:`csv_cell` undone when reading a CSV output back."""
    if isinstance(v, str) and v.startswith("'") and v[1:2] and v[1] in "=+-@\t\r":
        return v[1:]
    return v


# -------------------------------------------------------------- output formats

def flat_columns(kinds: Sequence[str], stances: Sequence[str]) -> list[str]:
    return (["article_id", "input", "lang", "title", *META_FIELDS, "model_name",
             "model_weights_sha256", "model_geostance_version", "model_quantized",
             "model_backend", "model_fingerprint",
             "error", "encoding",
             "summary_sentences", "summary_claims", "summary_dominant_stance",
             "summary_balance_index"]
            + [f"summary_stance_share_{s}" for s in stances]
            + ["index", "start", "end", "text", "kind"] + [f"kind_prob_{k}" for k in kinds]
            + ["stance"] + [f"stance_prob_{s}" for s in stances]
            + ["source", "stance_confidence", "windows"])


def flatten(record: dict[str, Any], kinds: Sequence[str],
            stances: Sequence[str]) -> list[dict[str, Any]]:
    """CSV/Parquet rows of one record: one per sentence, article fields repeated."""
    summ = record.get("summary") or {}
    shares = summ.get("stance_shares") or {}
    model = record.get("model") or {}
    art = {
        "article_id": record["article_id"], "input": record["input"], "lang": record["lang"],
        "title": record["title"], **{k: record.get(k) for k in META_FIELDS},
        "model_name": model.get("name"), "model_weights_sha256": model.get("weights_sha256"),
        "model_geostance_version": model.get("geostance_version"),
        "model_quantized": model.get("quantized"), "model_backend": model.get("backend"),
        "model_fingerprint": model.get("fingerprint"), "error": record["error"],
        "encoding": record["encoding"],
        "summary_sentences": summ.get("sentences"), "summary_claims": summ.get("claims"),
        "summary_dominant_stance": summ.get("dominant_stance"),
        "summary_balance_index": summ.get("balance_index"),
        **{f"summary_stance_share_{s}": shares.get(s) for s in stances},
    }
    rows = []
    for s in record["sentences"] or [None]:
        row = dict(art)
        s = s or {}
        for k in ("index", "start", "end", "text", "kind", "stance", "source",
                  "stance_confidence", "windows"):
            row[k] = s.get(k)
        for k in kinds:
            row[f"kind_prob_{k}"] = (s.get("kind_probs") or {}).get(k)
        for k in stances:
            row[f"stance_prob_{k}"] = (s.get("stance_probs") or {}).get(k)
        rows.append(row)
    return rows


def _none(v: Any) -> Any:
    return None if v in (None, "") else v


def _num(v: Any, cast: type) -> Any:
    return None if v in (None, "") else cast(v)


def unflatten(rows: Iterable[dict[str, Any]], kinds: Sequence[str],
              stances: Sequence[str]) -> list[dict[str, Any]]:
    """Records back from CSV/Parquet rows (CSV strings are typed again); for ``--resume``."""
    records: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (str(row["article_id"]), str(row["input"]))
        rec = records.get(key)
        if rec is None:
            error = _none(row.get("error"))
            rec = records[key] = {
                "article_id": key[0], "input": key[1],
                "lang": row.get("lang") if not error else _none(row.get("lang")),
                "title": row.get("title") if not error else _none(row.get("title")),
                **{k: _none(row.get(k)) for k in META_FIELDS},
                "model": {"name": row.get("model_name") or "",
                          "weights_sha256": row.get("model_weights_sha256") or "",
                          "geostance_version": _none(row.get("model_geostance_version")),
                          "quantized": _none(row.get("model_quantized")),
                          "backend": _none(row.get("model_backend")),
                          "fingerprint": _none(row.get("model_fingerprint"))},
                "summary": None if error else {}, "sentences": [], "error": error,
                "encoding": _none(row.get("encoding")),
            }
        if _none(row.get("index")) is not None:
            rec["sentences"].append({
                "index": _num(row["index"], int), "start": _num(row["start"], int),
                "end": _num(row["end"], int), "text": row.get("text") or "",
                "kind": row.get("kind") or "",
                "kind_probs": {k: _num(row[f"kind_prob_{k}"], float) for k in kinds},
                "stance": row.get("stance") or "",
                "stance_probs": {k: _num(row[f"stance_prob_{k}"], float) for k in stances},
                "source": row.get("source") or "",
                "stance_confidence": _num(row.get("stance_confidence"), float),
                "windows": _num(row.get("windows"), int),
            })
    for rec in records.values():
        if rec["summary"] is not None:
            # The summary is a pure function of the sentences, so recomputing restores it.
            rec["summary"] = summarize(rec["sentences"], stances)
    return list(records.values())


def parquet_schema(columns: list[str]):
    import pyarrow as pa

    ints = {"summary_sentences", "summary_claims", "index", "start", "end", "windows"}
    def typ(c: str):
        if c in ints:
            return pa.int64()
        if c.startswith(("kind_prob_", "stance_prob_", "summary_stance_share_")) or c in (
                "summary_balance_index", "stance_confidence"):
            return pa.float64()
        return pa.string()
    return pa.schema([(c, typ(c)) for c in columns])


def read_jsonl_records(path: Path, on_error: Callable[[int, str], None] | None = None,
                       lines: list[int] | None = None) -> list[dict[str, Any]]:
    """Complete records of a (possibly cut-off) JSONL output; a torn last line is ignored,
    another line that is not JSON is passed to ``on_error(line, message)`` (default:
    skipped without a word). ``lines``, when given, gets each record's line number."""
    out = []
    for n, rec in iter_jsonl(path, on_error=on_error or (lambda n, msg: None),
                             tolerate_torn_tail=True):
        if isinstance(rec, dict) and "article_id" in rec and "input" in rec:
            out.append(rec)
            if lines is not None:
                lines.append(n)
    return out


def _strict_jsonl_records(path: Path) -> list[dict[str, Any]]:
    """:func:`read_jsonl_records` of a file ``--resume`` will replace: a line that is not a
    record raises ValueError naming it, but a torn last line after records (one a killed
    writer left without its newline), which is dropped."""
    out: list[dict[str, Any]] = []
    bad: list[tuple[int, str]] = []
    last = 0  # the line of the last record
    for n, rec in iter_jsonl(path, on_error=lambda n, msg: bad.append((n, msg))):
        if isinstance(rec, dict) and "article_id" in rec and "input" in rec:
            out.append(rec)
            last = n
        else:
            bad.append((n, "not a record (an object with article_id and input)"))
    if bad:
        with path.open("rb") as fh:
            fh.seek(-1, os.SEEK_END)
            torn = fh.read(1) != b"\n"
        if not (out and torn and len(bad) == 1 and bad[0][0] > last):
            raise ValueError(f"{path}:{bad[0][0]}: {bad[0][1]}")
    return out


def read_output(path: Path, fmt: str, kinds: Sequence[str], stances: Sequence[str],
                strict: bool = False) -> list[dict[str, Any]]:
    """Records of an existing output file in ``fmt``.

    ``strict``: the file must be predict.py output through and through (``--resume``
    replaces it with what it read): a JSONL line that is not a record (but a torn last
    line after records) or a table without the ``article_id`` and ``input`` columns
    raises ValueError naming the line or the columns."""
    if fmt == "jsonl":
        return _strict_jsonl_records(path) if strict else read_jsonl_records(path)
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if strict:
                _check_columns(path, reader.fieldnames or [])
            rows = ({k: csv_uncell(v) for k, v in row.items()} for row in reader)
            return unflatten(rows, kinds, stances)
    import pyarrow.parquet as pq

    if strict:
        _check_columns(path, pq.read_schema(path).names)
    return unflatten(pq.read_table(path).to_pylist(), kinds, stances)


def _check_columns(path: Path, columns: Sequence[str]) -> None:
    missing = [c for c in ("article_id", "input") if c not in columns]
    if missing:
        raise ValueError(f"{path}: no {' or '.join(missing)} column (columns: "
                         f"{', '.join(columns) or 'none'})")


def convert_journal(journal: Path, tmp: Path, fmt: str, kinds: Sequence[str],
                    stances: Sequence[str], csv_escape: bool = True) -> None:
    """Write the journal's records as CSV, Parquet (streaming) or an HTML report to ``tmp``."""
    if fmt == "html":  # one page for all articles: needs every record in memory anyway
        from ..report.html import render_html

        tmp.write_text(render_html([rec for _, rec in iter_jsonl(journal)]), encoding="utf-8")
        return
    columns = flat_columns(kinds, stances)
    if fmt == "csv":
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=columns)
            w.writeheader()
            for _, rec in iter_jsonl(journal):
                rows = flatten(rec, kinds, stances)
                if csv_escape:
                    rows = [{k: csv_cell(v) for k, v in r.items()} for r in rows]
                w.writerows(rows)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema(columns)
    with pq.ParquetWriter(tmp, schema) as writer:
        rows: list[dict[str, Any]] = []
        for rec in (rec for _, rec in iter_jsonl(journal)):
            rows.extend(flatten(rec, kinds, stances))
            if len(rows) >= 10_000:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        writer.write_table(pa.Table.from_pylist(rows, schema=schema))
