"""Readers for labelled sentences in the formats users bring.

* sentence JSONL (``text``, ``kind``, ``stance`` and optional ``id``,
  ``article_id``, ``title``, ``context_prev``, ``lang``, ``source``);
* CSV with configurable text / kind / stance columns (same optional columns);
* Label Studio JSON exports (choices named ``kind`` and ``stance``);
* doccano JSONL exports (``text`` plus a ``label`` list holding one kind and
  at most one stance).

Each problem becomes one line in :class:`~geostance.data.schema.Problems` naming
file, line and field; nothing is raised here.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config import DataConfig
from ..fileio import iter_jsonl, json_infinity, json_missing, line_of_byte, surrogate_at
from .schema import CONTEXT_FIELDS, DataError, Labels, Problems, Sentence

__all__ = ["not_utf8", "read_jsonl_objects", "str_field", "labelled", "read_sentence_jsonl",
           "read_doccano",
           "read_label_studio", "read_csv", "detect_format", "read_file", "fill_context"]


def not_utf8(path: Path, problems: Problems) -> None:
    """The problem of a file that is not UTF-8, named by the line of its first bad byte
    (the file is read again as bytes: a decoder's offset counts from its own buffer)."""
    try:
        data = path.read_bytes()
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = line_of_byte(data, e.start)
        problems.add(f"{path}:{line}", None, f"not UTF-8 ({e.reason} at byte {e.start} of the "
                     "file); save it as UTF-8")
        return
    except OSError as e:
        problems.add(str(path), None, f"cannot be read ({e.strerror or e})")
        return
    problems.add(str(path), None, "not UTF-8")  # pragma: no cover - decoded whole above


def read_jsonl_objects(path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line; bad JSON becomes a problem."""
    try:
        # A key given twice is a bad line: json keeps the last, so of two stances the
        # second trained without a word.
        for n, obj in iter_jsonl(path, on_error=lambda n, msg: problems.add(f"{path}:{n}",
                                                                           None, msg),
                                 no_duplicate_keys=True):
            if not isinstance(obj, dict):
                problems.add(f"{path}:{n}", None, "expected a JSON object")
                continue
            yield n, obj
    except UnicodeDecodeError:
        not_utf8(path, problems)


def str_field(obj: dict[str, Any], key: str, where: str, problems: Problems,
               required: bool = True, nullable: bool = False) -> str:
    """``obj[key]`` as a string ("" when absent, null or NaN; a number is written out).

    An absent ``required`` field is a problem ("missing field"), and so is a null one
    ("null", not "missing": the key is there) unless ``nullable``, where null means
    empty. Any other type is a problem."""
    if key not in obj:
        if required:
            problems.add(where, key, "missing field")
        return ""
    val = obj[key]
    if json_missing(val):  # null, or NaN: what Python's json.dumps writes for pandas' empty cell
        if required and not nullable:
            problems.add(where, key, "null; a value is needed")
        return ""
    if inf := json_infinity(val):  # json.loads reads Infinity: no text
        problems.add(where, key, f"expected a string, got {inf}")
        return ""
    if isinstance(val, (int, float)) and not isinstance(val, bool):
        return str(val)
    if not isinstance(val, str):
        problems.add(where, key, f"expected a string, got {type(val).__name__}")
        return ""
    at = surrogate_at(val)
    if at is not None:  # a JSON "\\ud800" escape: no tokenizer or UTF-8 writer takes it
        problems.add(where, key, f"not valid Unicode text (lone surrogate U+{ord(val[at]):04X} "
                     f"at character {at + 1}: a \\u escape of half a character)")
        return ""
    return val


def labelled(obj: dict[str, Any], where: str, problems: Problems, *, text_key: str = "text",
              kind_key: str = "kind", stance_key: str = "stance",
              blank_is_missing: bool = False) -> Sentence:
    """The labelled sentence of one record, its field problems added to ``problems``.

    ``context_prev`` and ``speaker`` given even empty are kept as given (an article's first
    sentence has no previous one; "" is no speaker); with ``blank_is_missing`` (a CSV
    cell, which cannot tell empty from absent) an empty one is missing: derived later."""
    s = Sentence(
        text=str_field(obj, text_key, where, problems),
        kind=str_field(obj, kind_key, where, problems),
        # A null stance is an empty one: pandas' to_json writes a NaN (boilerplate's
        # stance cell) as null. Whether empty is allowed is the validators' to say.
        stance=str_field(obj, stance_key, where, problems, nullable=True),
        where=where,
    )
    for key in CONTEXT_FIELDS:
        setattr(s, key, str_field(obj, key, where, problems, required=False))
    s.context_given = isinstance(obj.get("context_prev"), str) and (
        bool(s.context_prev) or not blank_is_missing)
    if not json_missing(obj.get("speaker")):
        s.speaker = str_field(obj, "speaker", where, problems, required=False)
        if blank_is_missing and not s.speaker:
            s.speaker = None
    return s


def read_sentence_jsonl(path: Path, problems: Problems) -> list[Sentence]:
    """Sentence JSONL, one labelled sentence per line."""
    return [labelled(obj, f"{path}:{n}", problems) for n, obj in read_jsonl_objects(path, problems)]


def read_doccano(path: Path, labels: Labels, problems: Problems) -> list[Sentence]:
    """doccano text-classification JSONL: ``{"text": ..., "label": [kind, stance]}``."""
    out = []
    for n, obj in read_jsonl_objects(path, problems):
        where = f"{path}:{n}"
        labs = obj.get("label")
        if not isinstance(labs, list):
            problems.add(where, "label", "missing field (a list of labels)")
            continue
        # doccano's collaborative mode merges the annotators' labels into one list: the
        # same label twice is agreement, two different ones a disagreement.
        distinct = list(dict.fromkeys(x for x in labs if isinstance(x, str)))
        kinds = [x for x in distinct if x in labels.kinds]
        stances = [x for x in distinct if x in labels.stances]
        unknown = [x for x in labs if x not in labels.kinds and x not in labels.stances]
        for x in unknown:
            problems.add(where, "label", f"unknown label {x!r}; allowed: "
                         + ", ".join(labels.kinds + labels.stances))
        merged = (" (annotators who disagree, merged into one list by doccano's "
                  "collaborative mode? settle it and export again)")
        if len(kinds) != 1:
            problems.add(where, "label", f"needs exactly one kind label, got {kinds}"
                         + (merged if len(kinds) > 1 else ""))
        if len(stances) > 1:
            problems.add(where, "label", f"at most one stance label, got {stances}{merged}")
        obj = {**obj, "kind": kinds[0] if kinds else "", "stance": stances[0] if stances else ""}
        out.append(labelled(obj, where, problems))
    return out


def _ls_choices(ann: dict[str, Any], where: str, problems: Problems) -> dict[str, str] | None:
    """The ``kind``/``stance`` choices of one Label Studio annotation, or None (a problem
    added) when its result is malformed."""
    results = ann.get("result") or []
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        problems.add(where, "annotations.result", "must be a list of result objects")
        return None
    choices: dict[str, str] = {}
    for r in results:
        value = r.get("value") or {}
        vals = value.get("choices") if isinstance(value, dict) else None
        if r.get("from_name") not in ("kind", "stance") or not vals:
            continue
        if not isinstance(vals, list) or not all(isinstance(v, str) for v in vals):
            problems.add(where, f"{r['from_name']}.choices",
                         f"must be a list of label strings, got {vals!r}")
            return None
        if len(vals) > 1:  # a labelling config with choice="multiple"
            problems.add(where, f"{r['from_name']}.choices",
                         f"one label per sentence, got {vals!r}")
            return None
        choices[r["from_name"]] = vals[0]
    return choices


def _ls_annotator(ann: dict[str, Any]) -> str:
    who = ann.get("completed_by")
    if isinstance(who, dict):  # some versions write the user object
        who = who.get("email") or who.get("id")
    return f"annotation {ann.get('id', '?')}" + (f" by user {who}" if who is not None else "")


def read_label_studio(path: Path, problems: Problems) -> list[Sentence]:
    """Label Studio JSON export: tasks with ``data.text`` and choices ``kind``/``stance``.

    Cancelled (skipped) annotations are left out. A task with several completed
    annotations (several annotators) takes their labels when they agree, else those of
    the one marked ground truth; annotators who disagree on a task without one are a
    problem naming the task and each annotation's labels."""
    try:
        # utf-8-sig: an export saved again by a Windows editor opens with a BOM (as read_csv)
        tasks = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as e:
        problems.add(f"{path}:{e.lineno}", None, f"malformed JSON ({e.msg} at column {e.colno})")
        return []
    except UnicodeDecodeError:
        not_utf8(path, problems)
        return []
    if not isinstance(tasks, list):
        problems.add(str(path), None, "expected a Label Studio export (a JSON list of tasks)")
        return []
    if tasks and all(isinstance(t, dict) and "data" not in t and "annotations" not in t
                     and "text" in t for t in tasks):
        # JSON-MIN flattens each task to its data and one annotation's choices: who
        # annotated, skips and disagreements are gone, so it is refused as a whole.
        problems.add(str(path), None, "a Label Studio JSON-MIN export (flat records without "
                     "data and annotations); export the project as JSON (Export > JSON), "
                     "which keeps every annotation")
        return []
    out = []
    for i, task in enumerate(tasks):
        # The position, and the id Label Studio shows (its search and URLs take the id)
        tid = task.get("id") if isinstance(task, dict) else None
        where = f"{path}:task {i + 1}" + (f" (id {tid})" if isinstance(tid, (int, str))
                                           and not isinstance(tid, bool) else "")
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            problems.add(where, "data", "missing field")
            continue
        raw_anns = task.get("annotations") or []
        if not isinstance(raw_anns, list) or not all(isinstance(a, dict) for a in raw_anns):
            problems.add(where, "annotations", "must be a list of annotation objects")
            continue
        anns = [a for a in raw_anns if not a.get("was_cancelled")]
        if not anns:
            problems.add(where, "annotations", "missing field (no completed annotation)")
            continue
        labelled_by = [(a, _ls_choices(a, where, problems)) for a in anns]
        if any(c is None for _, c in labelled_by):
            continue
        truth = [(a, c) for a, c in labelled_by if a.get("ground_truth") is True]
        decided = truth or labelled_by
        if len({(c.get("kind", ""), c.get("stance", "")) for _, c in decided}) > 1:
            problems.add(where, "annotations", "annotators disagree ("
                         + "; ".join(f"{_ls_annotator(a)}: {c.get('kind', '')}/"
                                     f"{c.get('stance', '') or '-'}" for a, c in decided)
                         + "); settle it in Label Studio (keep one annotation, or mark one "
                         "as ground truth) and export again")
            continue
        choices = decided[-1][1]
        # The labels are the annotation's, never the task data's: without a kind choice
        # the kind is a missing field.
        obj = {k: v for k, v in data.items() if k not in ("kind", "stance")}
        # Only the two label choices: another choice group (a "lang" or "source" control)
        # must not replace the task's own field.
        obj.update({"stance": "", **choices})
        if obj.get("id") is None and task.get("id") is not None:
            obj["id"] = str(task["id"])
        out.append(labelled(obj, where, problems))
    return out


def read_csv(path: Path, cfg: DataConfig, problems: Problems) -> list[Sentence]:
    """CSV with a header; text/kind/stance columns named by the config."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        not_utf8(path, problems)
        return []
    # csv.reader, not DictReader: a problem names the line its row *starts* on. The
    # reader's line_num is the last line read, so after a quoted field that spans lines it
    # is past the row's start, and DictReader's is not updated for a row that fails (an
    # unterminated quote on line 5 was reported on line 4, the last good row's).
    reader = csv.reader(io.StringIO(raw, newline=""), strict=True)
    start = 1  # the line the row being read starts on
    out = []
    try:
        header = next(reader, [])
        missing = [c for c in (cfg.text_column, cfg.kind_column, cfg.stance_column)
                   if c not in header]
        if missing:
            problems.add(f"{path}:1", ", ".join(missing),
                         f"missing column(s); header has: {', '.join(header)}")
            return []
        twice = [c for c in dict.fromkeys((cfg.text_column, cfg.kind_column, cfg.stance_column,
                                           *CONTEXT_FIELDS, "speaker")) if header.count(c) > 1]
        if twice:  # a row's dict keeps the last cell of the name: the first is never read
            problems.add(f"{path}:1", ", ".join(twice), "column named twice in the header")
            return []
        start = reader.line_num + 1
        for values in reader:
            where = f"{path}:{start}"
            start = reader.line_num + 1
            if not values:  # a blank line, as DictReader skips it
                continue
            # Cells past the header's: text there is a comma outside quotes, but blank ones
            # (a trailing comma some exporters write on every row) hold nothing.
            if any(v.strip() for v in values[len(header):]):
                problems.add(where, None, f"malformed CSV (more values than the "
                             f"{len(header)} header columns)")
                continue
            # A short row lacks its last columns: they are missing fields, as before.
            row = dict(zip(header, values, strict=False))
            out.append(labelled(row, where, problems, text_key=cfg.text_column,
                                kind_key=cfg.kind_column, stance_key=cfg.stance_column,
                                blank_is_missing=True))
    except csv.Error as e:
        problems.add(f"{path}:{start}", None, f"malformed CSV ({e})")
    return out


def detect_format(path: Path) -> str:
    """corpus, csv, label_studio, doccano or jsonl, from the path and first record."""
    if path.is_dir():
        return "corpus"
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix == ".json":
        return "label_studio"
    if suffix == ".jsonl":
        # utf-8-sig: a leading BOM would make the first line unreadable as JSON, and a
        # doccano export would be taken for sentence JSONL
        with path.open(encoding="utf-8-sig", errors="replace") as f:
            for line in f:
                if line.strip():
                    try:
                        first = json.loads(line)
                    except json.JSONDecodeError:
                        return "jsonl"
                    if isinstance(first, dict) and isinstance(first.get("label"), list) \
                            and "kind" not in first:
                        return "doccano"
                    return "jsonl"
        return "jsonl"
    raise DataError([f"{path}: unsupported file type {suffix!r} "
                     "(use .jsonl, .csv, .json or a corpus directory)"])


def read_file(path: Path, cfg: DataConfig, labels: Labels, problems: Problems) -> list[Sentence]:
    """Read one user file of any supported format (not a corpus directory)."""
    if not path.exists():
        problems.add(str(path), None, "file does not exist")
        return []
    fmt = detect_format(path)
    before = len(problems.items)
    if fmt == "csv":
        rows = read_csv(path, cfg, problems)
    elif fmt == "label_studio":
        rows = read_label_studio(path, problems)
    elif fmt == "doccano":
        rows = read_doccano(path, labels, problems)
    elif fmt == "jsonl":
        rows = read_sentence_jsonl(path, problems)
    else:
        problems.add(str(path), None, "a folder, not a file: name the .jsonl, .csv or .json "
                     "files in it (a corpus folder is data.corpus_dir or data.real_dir)")
        return []
    if not rows and len(problems.items) == before:
        problems.add(str(path), None, "no sentences (an empty file)")
    fill_context(rows)
    return rows


def fill_context(rows: list[Sentence]) -> None:
    """Derive missing context_prev from the previous row of the same article (file order).

    A context_prev the record gives is kept, even empty: an annotation export lists its
    tasks by uncertainty, not in reading order, and its first sentence of an article has
    no previous sentence (it is not the task before it)."""
    last: dict[str, str] = {}
    for s in rows:
        if s.article_id:
            if not s.context_prev and not s.context_given and s.article_id in last:
                s.context_prev = last[s.article_id]
            last[s.article_id] = s.text
