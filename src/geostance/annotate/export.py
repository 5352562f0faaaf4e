"""Pre-annotated labelling tasks from ``predict.py`` output, for Label Studio or doccano.

One task per scored sentence: its ``text``, ``id`` (``<article_id>-s<index>``),
``article_id``, ``title``, ``context_prev`` (the previous sentence of the same
article), ``lang`` and the model that pre-annotated it. Which sentences go out:

``uncertain`` (default)
    The ``n`` most uncertain sentences first, ties broken by id (article id,
    then sentence index). Uncertainty is the larger of the two heads':

    * ``margin``: ``1 - (p1 - p2)``, p1 and p2 the head's two largest probabilities;
    * ``entropy``: Shannon entropy of the head's probabilities divided by
      ``log(number of labels)``.

    Both lie in [0, 1], 1 being most uncertain. The stance head counts only
    where a stance was predicted: a sentence predicted boilerplate has no
    stance, and the stance head is never trained on boilerplate, so its
    probabilities there say nothing about the label an annotator would give.
``random``
    ``n`` sentences drawn with ``seed``, kept in input order.
``all``
    Every sentence in input order (the first ``n`` when ``n`` is given).

Label Studio output is a JSON list of tasks with ``data``, ``meta`` and one
entry in ``predictions`` holding two ``choices`` results, ``kind`` and
``stance``: what :func:`geostance.data.formats.read_label_studio` reads back
from a Label Studio export once annotators have accepted or edited them
(Label Studio stores that work under ``annotations``). The labelling config
it needs is :func:`label_config`. doccano output is JSONL with ``text``, a
``label`` list (the predicted kind and, unless boilerplate, stance: what
:func:`~geostance.data.formats.read_doccano` reads) and the same metadata.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from ..fileio import (
    decode_error_line,
    json_text,
    name_problem,
    same_file,
    write_files_atomic,
    write_jsonl_atomic,
)
from ..predict.records import read_jsonl_records, read_output
from ..report.terminal import record_problem
from ..text.segment import has_visible_text

__all__ = ["FORMATS", "SELECTIONS", "MEASURES", "DEFAULT_N", "INPUT_SUFFIXES", "ExportError",
           "Candidate", "ExportResult", "margin_uncertainty", "entropy_uncertainty",
           "sentence_uncertainty", "load_predictions", "candidates", "select",
           "label_studio_tasks", "label_config", "doccano_lines", "default_out",
           "config_path", "export"]

FORMATS = ("label-studio", "doccano")
SELECTIONS = ("uncertain", "random", "all")
MEASURES = ("margin", "entropy")
DEFAULT_N = 300
INPUT_SUFFIXES = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}
# Probabilities are written with 6 decimals; rounding the uncertainty the same
# way makes equal-looking scores tie exactly, so the id decides, not float noise.
_DECIMALS = 6


class ExportError(ValueError):
    """A one-line reason the export cannot run, naming the file concerned."""


@dataclass
class Candidate:
    """One scored sentence that may become a labelling task."""

    id: str
    article_id: str
    index: int
    text: str
    title: str
    context_prev: str
    lang: str
    kind: str
    kind_probs: dict[str, float]
    stance: str
    stance_probs: dict[str, float]
    source: str
    model: dict[str, Any]
    input: str
    uncertainty: float = 0.0

    @property
    def model_version(self) -> str:
        """Run name, weights hash prefix and quantisation: which model pre-annotated this."""
        name = self.model.get("name") or "unknown"
        sha = self.model.get("weights_sha256") or ""
        quant = self.model.get("quantized")
        return name + (f"@{sha[:12]}" if sha else "") + (f"+{quant}" if quant else "")


@dataclass
class ExportResult:
    """What :func:`export` wrote, for the summary the command prints."""

    out: Path
    config: Path | None
    tasks: int
    sentences: int
    articles: int
    failed: int
    kinds: list[str]
    stances: list[str]
    uncertainty_range: tuple[float, float] | None = None
    warnings: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ uncertainty

def _clean(probs: Mapping[str, float | None]) -> list[float]:
    # CSV/Parquet read-back gives None for a missing column value; ignore it.
    return [float(p) for p in probs.values() if p is not None]


def margin_uncertainty(probs: Mapping[str, float | None]) -> float:
    """``1 - (p1 - p2)`` of the two largest probabilities; 1 when there are none."""
    vals = sorted(_clean(probs), reverse=True)
    if not vals:
        return 1.0
    top = vals + [0.0]  # a single label: p2 = 0
    return round(1.0 - (top[0] - top[1]), _DECIMALS)


def entropy_uncertainty(probs: Mapping[str, float | None]) -> float:
    """Shannon entropy over ``log(number of labels)``, in [0, 1]; 1 when there are none."""
    vals = _clean(probs)
    if not vals:
        return 1.0
    if len(vals) < 2:
        return 0.0
    total = sum(vals)
    if total <= 0:
        return 1.0
    # Renormalised because stored probabilities are rounded and may not sum to 1.
    h = -sum(p / total * math.log(p / total) for p in vals if p > 0)
    return round(min(1.0, max(0.0, h / math.log(len(vals)))), _DECIMALS)


def sentence_uncertainty(c: Candidate, by: str) -> float:
    """The larger of the kind and stance heads' uncertainty (stance only when predicted)."""
    measure = {"margin": margin_uncertainty, "entropy": entropy_uncertainty}[by]
    u = measure(c.kind_probs)
    if c.stance:
        u = max(u, measure(c.stance_probs))
    return u


# ---------------------------------------------------------------------- reading

def _labels_from_columns(columns: Sequence[str]) -> tuple[list[str], list[str]]:
    kinds = [c[len("kind_prob_"):] for c in columns if c.startswith("kind_prob_")]
    stances = [c[len("stance_prob_"):] for c in columns if c.startswith("stance_prob_")]
    return kinds, stances


def _labels_from_records(records: Iterable[dict[str, Any]]) -> tuple[list[str], list[str]]:
    # dicts keep first-seen order, which is the model's head order.
    kinds: dict[str, None] = {}
    stances: dict[str, None] = {}
    for rec in records:
        for s in rec.get("sentences") or []:
            kinds.update(dict.fromkeys(s.get("kind_probs") or {}))
            stances.update(dict.fromkeys(s.get("stance_probs") or {}))
    return list(kinds), list(stances)


def _text_problem(sentence: dict[str, Any]) -> str | None:
    """"text: why" for a scored sentence that would become a task with no text (its text
    missing, null, blank or only invisible characters: :func:`has_visible_text`), else
    None; a text that is no string is record_problem's."""
    if "text" not in sentence:
        why = "missing"
    elif sentence["text"] is None:
        why = "null"
    elif isinstance(sentence["text"], str) and not has_visible_text(sentence["text"]):
        why = "empty"
    else:
        return None
    return f"text: {why} (a task needs the sentence's text)"


def _label_problem(sentence: dict[str, Any], kinds: list[str], stances: list[str]
                   ) -> str | None:
    """"kind: why" or "stance: why" for a predicted label outside the file's label sets
    (its probability keys), else None: Label Studio refuses a prediction whose choice
    is not in the exported labelling config, at import, far from this file."""
    kind, stance = sentence.get("kind"), sentence.get("stance")
    if kind not in kinds:
        return f"kind: {kind!r} is not one of the predicted kinds ({', '.join(kinds)})"
    if stance not in (None, "") and stance not in stances:
        return f"stance: {stance!r} is not one of the predicted stances ({', '.join(stances)})"
    return None


def _sentence_problem(sentence: dict[str, Any], kinds: list[str], stances: list[str]
                      ) -> str | None:
    """What no task can be made from, text first: :func:`_text_problem`, then
    :func:`_label_problem`; None if nothing."""
    return _text_problem(sentence) or _label_problem(sentence, kinds, stances)


def load_predictions(path: Path, bad_lines: list[str] | None = None
                     ) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """Records of a ``predict.py`` output and its kind and stance label sets.

    The format comes from the suffix (.jsonl, .csv, .parquet); the label sets
    from the probability keys (JSONL) or ``kind_prob_*``/``stance_prob_*``
    columns (CSV, Parquet), so custom label sets need no configuration.
    Raises :class:`ExportError` naming the file for anything unreadable. A JSONL line
    that is not JSON is skipped and named in ``bad_lines`` (a torn last line, left by an
    interrupted run, is dropped quietly).
    """
    if not path.exists():
        raise ExportError(f"predictions file not found: {path}")
    if not path.is_file():
        raise ExportError(f"predictions path is not a file: {path}")
    fmt = INPUT_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(f"{path}: unsupported predictions file type {path.suffix!r} "
                          "(use predict.py's .jsonl, .csv or .parquet output)")
    try:
        if fmt == "jsonl":
            skipped = bad_lines if bad_lines is not None else []
            numbers: list[int] = []
            records = read_jsonl_records(
                path, on_error=lambda n, msg: skipped.append(f"{path}:{n}: {msg}; skipped"),
                lines=numbers)
            for n, rec in zip(numbers, records, strict=True):
                # What the tasks cannot be made or written from (a JSON "\\ud800" escape was
                # a traceback at the write), named where it is.
                problem = record_problem(rec)
                if problem:
                    raise ExportError(f"{path}:{n}: {problem}")
            kinds, stances = _labels_from_records(records)
            for n, rec in zip(numbers, records, strict=True):
                for i, s in enumerate([] if rec.get("error") else rec["sentences"]):
                    problem = _sentence_problem(s, kinds, stances)
                    if problem:
                        raise ExportError(f"{path}:{n}: sentences[{i}].{problem}")
        else:
            if fmt == "csv":
                with path.open(encoding="utf-8", newline="") as fh:
                    columns = next(csv.reader(fh), [])
            else:
                import pyarrow.parquet as pq

                columns = pq.read_schema(path).names
            kinds, stances = _labels_from_columns(columns)
            missing = [c for c in ("article_id", "input", "index", "text") if c not in columns]
            if missing or not kinds or not stances:
                raise ExportError(f"{path}: not a predict.py {fmt} output (no "
                                  + (", ".join(missing) if missing else "kind_prob_*/"
                                     "stance_prob_*") + " columns)")
            records = read_output(path, fmt, kinds, stances)
            for rec in records:  # a table names no line: its article and sentence, then
                for s in [] if rec.get("error") else rec["sentences"]:
                    problem = _sentence_problem(s, kinds, stances)
                    if problem:
                        raise ExportError(f"{path}: article {rec['article_id']!r}, "
                                          f"sentence {s['index']}: {problem}")
    except ExportError:
        raise
    except UnicodeDecodeError as e:
        raise ExportError(f"{path}:{decode_error_line(path, e) or '?'}: not UTF-8 ({e.reason})"
                          ) from None
    except PermissionError:
        raise ExportError(f"cannot read predictions file (permission denied): {path}") from None
    except (OSError, ValueError, KeyError, TypeError) as e:
        # Whatever pyarrow, csv or the record reader trip over, in one line.
        raise ExportError(f"{path}: cannot read predictions ({type(e).__name__}: {e})") from None
    if not records:
        raise ExportError(f"{path}: no predict.py records (expected one JSON object per "
                          "article with article_id, input and sentences)")
    return records, kinds, stances


def _str(v: Any) -> str:
    return "" if v is None else str(v)


def candidates(records: Sequence[dict[str, Any]]) -> tuple[list[Candidate], list[str]]:
    """One candidate per sentence of the scored records, in input order, and warnings.

    Records with an ``error`` are skipped. ``context_prev`` is the previous
    sentence of the same article; the first sentence keeps the record's own
    ``context_prev`` (set by ``--unit sentence`` inputs), else "". An article id
    already seen in an earlier record (two inputs with the same file stem) gets
    ``#2``, ``#3`` ... so task ids stay unique (training data rejects duplicate ids).
    """
    out: list[Candidate] = []
    warnings: list[str] = []
    seen: dict[str, int] = {}
    for rec in records:
        if rec.get("error"):
            continue
        article_id = _str(rec.get("article_id"))
        seen[article_id] = seen.get(article_id, 0) + 1
        if seen[article_id] > 1:
            renamed = f"{article_id}#{seen[article_id]}"
            warnings.append(f"article id {article_id!r} occurs again ({rec.get('input')}); "
                            f"its tasks use article id {renamed!r}")
            article_id = renamed
        prev = _str(rec.get("context_prev"))
        sentences = sorted(rec.get("sentences") or [], key=lambda s: s.get("index") or 0)
        for s in sentences:
            index = int(s.get("index") or 0)
            text = _str(s.get("text"))
            out.append(Candidate(
                id=f"{article_id}-s{index}", article_id=article_id, index=index, text=text,
                title=_str(rec.get("title")), context_prev=prev, lang=_str(rec.get("lang")),
                kind=_str(s.get("kind")), kind_probs=dict(s.get("kind_probs") or {}),
                stance=_str(s.get("stance")), stance_probs=dict(s.get("stance_probs") or {}),
                source=_str(s.get("source")), model=dict(rec.get("model") or {}),
                input=_str(rec.get("input"))))
            prev = text
    return out, warnings


def select(cands: Sequence[Candidate], how: str, n: int | None, by: str,
           seed: int) -> list[Candidate]:
    """The candidates to export, in task order; sets each one's ``uncertainty``.

    ``n`` None means :data:`DEFAULT_N` for ``uncertain``/``random`` and every
    sentence for ``all``.
    """
    if how not in SELECTIONS:
        raise ValueError(f"select must be one of {SELECTIONS}, got {how!r}")
    for c in cands:
        c.uncertainty = sentence_uncertainty(c, by)
    if how == "all":
        return list(cands) if n is None else list(cands[:n])
    k = min(DEFAULT_N if n is None else n, len(cands))
    if how == "random":
        order = {id(c): i for i, c in enumerate(cands)}
        return sorted(random.Random(seed).sample(list(cands), k), key=lambda c: order[id(c)])
    return sorted(cands, key=lambda c: (-c.uncertainty, c.article_id, c.index))[:k]


# ---------------------------------------------------------------------- writing

def _meta(c: Candidate, rank: int, how: str, by: str) -> dict[str, Any]:
    return {"model": c.model_version, "model_name": c.model.get("name"),
            "model_weights_sha256": c.model.get("weights_sha256"),
            "model_quantized": c.model.get("quantized"), "selection": how,
            "uncertainty_by": by, "uncertainty": c.uncertainty, "rank": rank,
            "predicted_source": c.source, "input": c.input}


def _data(c: Candidate) -> dict[str, Any]:
    # "speaker": what the model read (the sources rules over the whole article), for
    # training to read the same; the export holds only some of each article's sentences.
    return {"text": c.text, "id": c.id, "article_id": c.article_id, "title": c.title,
            "context_prev": c.context_prev, "lang": c.lang, "speaker": c.source,
            "model": c.model_version}


def _choice(name: str, label: str, probs: Mapping[str, float | None]) -> dict[str, Any]:
    result: dict[str, Any] = {"id": name, "from_name": name, "to_name": "text",
                              "type": "choices", "value": {"choices": [label]}}
    if probs.get(label) is not None:
        result["score"] = probs[label]
    return result


def label_studio_tasks(selected: Sequence[Candidate], how: str, by: str) -> list[dict[str, Any]]:
    """Label Studio import tasks: ``data``, ``meta`` and one pre-annotation in ``predictions``.

    The prediction ``score`` is ``1 - uncertainty`` (Label Studio sorts by it);
    a sentence predicted boilerplate gets no ``stance`` result, as it takes none.
    """
    tasks = []
    for rank, c in enumerate(selected, 1):
        result = [_choice("kind", c.kind, c.kind_probs)]
        if c.stance:
            result.append(_choice("stance", c.stance, c.stance_probs))
        tasks.append({"data": _data(c), "meta": _meta(c, rank, how, by),
                      "predictions": [{"model_version": c.model_version,
                                       "score": round(1.0 - c.uncertainty, _DECIMALS),
                                       "result": result}]})
    return tasks


def label_config(kinds: Sequence[str], stances: Sequence[str]) -> str:
    """The Label Studio labelling config (XML) the tasks of :func:`label_studio_tasks` need."""
    def choices(name: str, labels: Sequence[str], required: bool) -> str:
        req = ' required="true"' if required else ""
        items = "".join(f"\n    <Choice value={quoteattr(x)}/>" for x in labels)
        return (f'  <Choices name="{name}" toName="text" choice="single-radio" '
                f'showInline="true"{req}>{items}\n  </Choices>\n')

    return ("<View>\n"
            '  <Header value="$title"/>\n'
            '  <Header value="Previous sentence" size="6"/>\n'
            '  <Text name="context" value="$context_prev"/>\n'
            '  <Header value="Sentence" size="5"/>\n'
            '  <Text name="text" value="$text"/>\n'
            '  <Header value="Kind" size="5"/>\n'
            + choices("kind", kinds, True)
            + f'  <Header value={quoteattr("Stance (none for boilerplate)")} size="5"/>\n'
            + choices("stance", stances, False)
            + "</View>\n")


def doccano_lines(selected: Sequence[Candidate], how: str, by: str) -> list[dict[str, Any]]:
    """doccano JSONL rows: ``text``, ``label`` [kind, stance], task fields and metadata.

    No ``kind`` key is written: that is how the training reader tells doccano
    JSONL from sentence JSONL.
    """
    rows = []
    for rank, c in enumerate(selected, 1):
        data = _data(c)
        del data["model"]  # in the metadata below, with the rest of the model info
        rows.append({"text": c.text, "label": [c.kind] + ([c.stance] if c.stance else []),
                     **{k: v for k, v in data.items() if k != "text"},
                     **_meta(c, rank, how, by)})
    return rows


# The suffix of each format's output: what train.py and data check read it as.
_OUT_SUFFIXES = {"label-studio": ".json", "doccano": ".jsonl"}


def default_out(path: Path, fmt: str) -> Path:
    """``<stem>.label-studio.json`` or ``<stem>.doccano.jsonl`` beside the predictions."""
    return path.with_name(f"{path.stem}.{fmt}{_OUT_SUFFIXES[fmt]}")


def config_path(out: Path) -> Path:
    """Where the Label Studio labelling config goes: ``<out>.label_config.xml``."""
    return out.with_name(out.name + ".label_config.xml")


def _same_file(a: Path, b: Path) -> bool:
    # Resolved first: an output not written yet cannot be stat'ed, yet may name the input.
    return a.resolve() == b.resolve() or same_file(a, b)


def export(path: str | Path, fmt: str = "label-studio", how: str = "uncertain",
           n: int | None = None, by: str = "margin", out: str | Path | None = None,
           seed: int = 13, overwrite: bool = False) -> ExportResult:
    """Read predictions, select sentences, write the tasks (and the Label Studio config).

    Never writes over the predictions file: ``out`` equal to it raises
    :class:`ExportError`, as does an existing ``out`` (or, for Label Studio, its
    :func:`config_path`) without ``overwrite`` (an earlier export may hold annotations)
    and any unreadable input. The tasks and the config are written together: neither is
    replaced when either cannot be written.
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if by not in MEASURES:
        raise ExportError(f"unknown uncertainty measure {by!r}; use one of {', '.join(MEASURES)}")
    if n is not None and n < 1:
        raise ExportError(f"--n must be at least 1, got {n}")
    out_path = Path(out) if out else default_out(path, fmt)
    cfg_path = config_path(out_path) if fmt == "label-studio" else None
    for target in (out_path, cfg_path):
        if target is not None and _same_file(target, path):
            raise ExportError(f"refusing to overwrite the predictions file {path} "
                              f"(choose another --out)")
    # Each is written through a hidden file beside it. Checked first: a name too long
    # makes is_dir and exists below raise OSError.
    for target in (out_path, cfg_path):
        too_long = name_problem(target) if target is not None else None
        if too_long:
            raise ExportError(too_long)
    if out_path.is_dir():
        raise ExportError(f"--out is a directory: {out_path}")
    if cfg_path is not None and cfg_path.is_dir():
        raise ExportError(f"{cfg_path} is a directory (the labelling config goes there); "
                          "choose another --out")
    want = _OUT_SUFFIXES[fmt]
    if out_path.suffix.lower() != want:
        # Training and data check read an export by its suffix: Label Studio's JSON array
        # in a .jsonl file failed on every line, doccano's JSONL in a .json file as a whole.
        raise ExportError(f"--out {out_path}: a {fmt} export is a {want} file (Label Studio "
                          "imports a JSON array, doccano JSONL); name it so or choose the "
                          "other --format")
    if out_path.exists() and not overwrite:
        raise ExportError(f"{out_path} exists (an earlier export may hold annotations); "
                          "--overwrite replaces it")
    if cfg_path is not None and cfg_path.exists() and not overwrite:
        # It may be a config edited in Label Studio since, like the tasks beside it.
        raise ExportError(f"{cfg_path} exists (an earlier export's labelling config); "
                          "--overwrite replaces it")
    bad_lines: list[str] = []
    records, kinds, stances = load_predictions(path, bad_lines)
    failed = sum(1 for r in records if r.get("error"))
    try:
        cands, warnings = candidates(records)
        chosen = select(cands, how, n, by, seed)
    except (AttributeError, TypeError, ValueError) as e:
        # A hand-edited or foreign file whose sentences are not predict.py's shape.
        raise ExportError(f"{path}: malformed prediction record ({type(e).__name__}: {e})"
                          ) from None
    warnings = [*bad_lines, *warnings]
    if not cands:
        raise ExportError(f"{path}: no scored sentences to export ({len(records)} records, "
                          f"{failed} with errors)")
    target = f"{out_path} and {cfg_path}" if cfg_path is not None else str(out_path)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        if cfg_path is not None:  # Label Studio
            # Both or neither: a config that fails to write never leaves new tasks beside
            # an old config (or none).
            write_files_atomic([
                (out_path, json_text(label_studio_tasks(chosen, how, by)).encode("utf-8")),
                (cfg_path, label_config(kinds, stances).encode("utf-8"))])
        else:
            write_jsonl_atomic(out_path, doccano_lines(chosen, how, by))
    except OSError as e:  # a full disk, the folder gone or read-only since the checks
        raise ExportError(f"cannot write {target} ({e.strerror or e})") from None
    us = [c.uncertainty for c in chosen]
    return ExportResult(out=out_path, config=cfg_path, tasks=len(chosen), sentences=len(cands),
                        articles=len(records) - failed, failed=failed, kinds=kinds,
                        stances=stances, uncertainty_range=(min(us), max(us)) if us else None,
                        warnings=warnings)
