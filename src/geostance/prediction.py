"""Scoring: the :class:`Predictor` behind ``predict.py`` and the Python API.

    from geostance import Predictor
    p = Predictor.load("runs/latest/model")
    p.predict_articles(["Title\\nFirst sentence. Second sentence."])
    p.predict_sentences([{"text": "...", "title": "...", "context_prev": "..."}])

Batch scoring (``predict.py`` -> :func:`run`)
---------------------------------------------

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
    The ``title`` column, else the first non-empty line (``--unit article``);
    with ``--unit sentence`` the ``title`` column only (the sentence's context), else "".
``date``, ``outlet``, ``context_prev`` (str or null)
    Copied from the input table's columns of that name; null when absent.
``model`` (object)
    ``name`` (run directory name), ``weights_sha256`` (of model.safetensors),
    ``quantized`` ("int8" or null).
``summary`` (object or null)
    :func:`summarize` of the sentences (sentences, claims, kind_counts,
    stance_counts, stance_shares, dominant_stance, balance_index, top_claims,
    sources); null for a failed input.
``sentences`` (list; empty for a failed input)
    One object per sentence: ``index`` (0-based), ``start``/``end`` (character
    offsets into the decoded article text: ``text == article[start:end]``; with
    ``--unit sentence`` 0 and len(text) of the stripped row text), ``text``,
    ``kind``, ``kind_probs`` ({label: p}, calibrated), ``stance`` ("" for
    boilerplate), ``stance_probs`` ({label: p}), ``source`` (speaker or ""),
    ``stance_confidence`` (max stance probability).
``error`` (str or null)
    null when scored; else why not, starting with one of: ``empty input``,
    ``binary file``, ``undecodable``, ``too large``, ``unreadable``,
    ``bad row``, ``bad table``, ``scoring failed``.
``encoding`` (str or null)
    Codec the bytes were decoded with (``utf-8``, ``utf-8-sig``, ``utf-16``,
    ``cp1251``, ``iso8859-1``, ...); null when the input could not be read.

CSV and Parquet output: one row per sentence (one row with empty sentence
columns for an article without sentences or a failed one), columns
``article_id, input, lang, title, date, outlet, context_prev, model_name,
model_weights_sha256, model_quantized, error, encoding, summary_sentences,
summary_claims, summary_dominant_stance, summary_balance_index,
summary_stance_share_<label>..., index, start, end, text, kind,
kind_prob_<label>..., stance, stance_prob_<label>..., source,
stance_confidence``: article-level fields repeated on each of its rows.

HTML output (``--format html``): one self-contained page,
:func:`geostance.report.render_html` of the records (``--resume`` then reuses
only partial files).

Output is written to a hidden partial file ``.<name>.partial-<pid>.jsonl``
next to ``--out``, one flushed chunk of articles at a time, then converted or
renamed to ``--out`` at the end. ``--resume`` reuses the scored records (error
null, same model weights) of the existing output and of any partial files,
rescoring everything else, so a killed and resumed run writes the same output
as one clean run.
"""

from __future__ import annotations

import collections
import csv
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from . import __version__
from .config import ConfigError, PredictConfig
from .fileio import sha256_file
from .inputs import Item
from .metrics import softmax
from .modeling import GeoStanceModel, encode, predict_logits

logger = logging.getLogger(__name__)

TOP_CLAIMS = 3  # claims listed per stance in an article summary


def _weights_sha256(model_dir: Path | None) -> str:
    if model_dir is None:
        return ""
    f = Path(model_dir) / "model.safetensors"
    if not f.is_file():
        return ""
    return sha256_file(f)


def _as_record(item: str | dict[str, Any]) -> dict[str, Any]:
    return {"text": item} if isinstance(item, str) else dict(item)


class Predictor:
    """A trained model with its tokenizer, calibrated temperatures and metadata."""

    def __init__(self, model: GeoStanceModel, tokenizer, model_dir: Path | None = None,
                 batch_size: int = 64, quantized: str | None = None):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.model_dir = Path(model_dir) if model_dir else None
        self.quantized = quantized
        self.kinds: list[str] = list(model.config.kind_labels)
        self.stances: list[str] = list(model.config.stance_labels)
        self.model_info = {
            "name": self.model_dir.parent.name if self.model_dir and
            self.model_dir.name == "model" else (self.model_dir.name if self.model_dir else ""),
            "path": str(self.model_dir.resolve()) if self.model_dir else "",
            "weights_sha256": _weights_sha256(self.model_dir),
            "geostance_version": __version__,
            "quantized": quantized,
        }

    @classmethod
    def load(cls, path: str | Path, quantize: str | None = None,
             batch_size: int = 64) -> Predictor:
        """Load a model directory written by training (``runs/latest`` works too).

        ``quantize="int8"`` swaps the Linear layers for dynamically quantised
        int8 ones (faster on CPU; see README "Speed").
        """
        # The saved tokenizer is a plain fast tokenizer; AutoTokenizer would look
        # up config.json's model type (geostance), unknown to transformers, and warn.
        from transformers import PreTrainedTokenizerFast

        path = Path(path)
        if (path / "model").is_dir() and not (path / "config.json").is_file():
            path = path / "model"
        if not (path / "config.json").is_file():
            raise FileNotFoundError(f"{path}: not a geostance model directory (no config.json)")
        model = GeoStanceModel.from_pretrained(path).eval()
        tokenizer = PreTrainedTokenizerFast.from_pretrained(path)
        if quantize == "int8":
            # Per-output-channel weight scales: per-tensor int8 cost 2.6 points
            # of test stance macro-F1, per-channel costs < 0.1 (README "Speed").
            qconfig = {torch.nn.Linear: torch.ao.quantization.per_channel_dynamic_qconfig}
            model = torch.ao.quantization.quantize_dynamic(model, qconfig, dtype=torch.qint8)
        elif quantize not in (None, "", "none"):
            raise ValueError(f"quantize: {quantize!r} not in int8, none")
        return cls(model, tokenizer, model_dir=path, batch_size=batch_size,
                   quantized=quantize or None)

    # ------------------------------------------------------------------ core

    def score(self, texts: Sequence[str], titles: Sequence[str], prevs: Sequence[str],
              progress=None) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated kind and stance probabilities for sentences with their context."""
        if not texts:
            return (np.zeros((0, len(self.kinds)), np.float32),
                    np.zeros((0, len(self.stances)), np.float32))
        feats = encode(self.tokenizer, texts, titles, prevs, self.model.config)
        k, s = predict_logits(self.model, feats, self.batch_size, progress)
        return (softmax(k, self.model.config.kind_temperature),
                softmax(s, self.model.config.stance_temperature))

    def _sentence_records(self, texts, kind_p, stance_p) -> list[dict[str, Any]]:
        out = []
        for i, text in enumerate(texts):
            kind = self.kinds[int(kind_p[i].argmax())]
            stance = self.stances[int(stance_p[i].argmax())]
            out.append({
                "text": text,
                "kind": kind,
                "kind_probs": {k: round(float(p), 6) for k, p in zip(self.kinds, kind_p[i],
                                                                    strict=True)},
                # Boilerplate carries no stance (LABELS.md); its probabilities stay visible.
                "stance": "" if kind == "boilerplate" else stance,
                "stance_probs": {k: round(float(p), 6) for k, p in zip(self.stances, stance_p[i],
                                                                      strict=True)},
            })
        return out

    def predict_sentences(self, items: Iterable[str | dict[str, Any]],
                          progress=None) -> list[dict[str, Any]]:
        """Score each item as one sentence, without splitting.

        Items are strings or dicts with ``text`` and optional ``title`` and
        ``context_prev`` (the context a model trained with context uses) plus
        any other keys, which are kept in the output.
        """
        recs = [_as_record(x) for x in items]
        texts = [str(r.get("text") or "") for r in recs]
        kind_p, stance_p = self.score(texts, [str(r.get("title") or "") for r in recs],
                                      [str(r.get("context_prev") or "") for r in recs], progress)
        return [{**r, **s} for r, s in zip(recs, self._sentence_records(texts, kind_p, stance_p),
                                           strict=True)]

    def predict_articles(self, items: Iterable[str | dict[str, Any]],
                         progress=None) -> list[dict[str, Any]]:
        """Split each article into sentences and label them, with a summary per article.

        Items are strings (first non-empty line = title) or dicts with ``text``
        and optional ``title``, ``lang``, ``id``. Sentences of all articles are
        scored together in length-sorted batches.
        """
        from .language import detect_language
        from .segment import split_sentences
        from .sources import assign_sources

        arts = []
        for item in items:
            rec = _as_record(item)
            text = str(rec.get("text") or "")
            lang = rec.get("lang") or detect_language(text)
            spans = split_sentences(text, lang)
            title = rec.get("title") or next((ln.strip() for ln in text.splitlines()
                                              if ln.strip()), "")
            arts.append((rec, text, lang, title, spans))
        texts, titles, prevs = [], [], []
        for _, _, _, title, spans in arts:
            for j, sp in enumerate(spans):
                texts.append(sp.text)
                titles.append(title)
                prevs.append(spans[j - 1].text if j else "")
        kind_p, stance_p = self.score(texts, titles, prevs, progress)
        scored = self._sentence_records(texts, kind_p, stance_p)
        results, pos = [], 0
        for rec, _text, lang, title, spans in arts:
            sents = scored[pos : pos + len(spans)]
            confs = stance_p[pos : pos + len(spans)].max(axis=1) if spans else np.zeros(0)
            pos += len(spans)
            sources = assign_sources([sp.text for sp in spans], lang)
            for j, (sp, s) in enumerate(zip(spans, sents, strict=True)):
                s.update({"index": j, "start": sp.start, "end": sp.end, "source": sources[j]})
                s["stance_confidence"] = round(float(confs[j]), 6)
            results.append({
                **{k: v for k, v in rec.items() if k != "text"},
                "lang": lang, "title": title, "model": self.model_info,
                "summary": summarize(sents, self.stances), "sentences": sents, "error": None,
            })
        return results


def summarize(sentences: list[dict[str, Any]], stances: Sequence[str]) -> dict[str, Any]:
    """Per-article summary of the stances among claims.

    ``balance_index`` = (pro_nato - moscow_warning) / claims with a stance, in
    [-1, 1]: +1 every claim serves closer Western ties, -1 every claim carries
    Moscow's warnings, 0 balanced or neutral. It is null when the label set
    lacks those two stances or the article has no claims.
    """
    claims = [s for s in sentences if s["kind"] == "claim" and s["stance"]]
    counts = collections.Counter(s["stance"] for s in claims)
    n = len(claims)
    shares = {k: (counts[k] / n if n else 0.0) for k in stances}
    balance = None
    if n and "pro_nato" in stances and "moscow_warning" in stances:
        balance = (counts["pro_nato"] - counts["moscow_warning"]) / n
    top = {}
    for st in stances:
        ranked = sorted((s for s in claims if s["stance"] == st),
                        key=lambda s: -s["stance_probs"][st])
        top[st] = [{"index": s.get("index"), "text": s["text"],
                    "confidence": s["stance_probs"][st]} for s in ranked[:TOP_CLAIMS]]
    by_source: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for s in sentences:
        if s.get("source") and s["stance"]:
            by_source[s["source"]][s["stance"]] += 1
    return {
        "sentences": len(sentences),
        "claims": n,
        "kind_counts": dict(collections.Counter(s["kind"] for s in sentences)),
        "stance_counts": {k: counts[k] for k in stances},
        "stance_shares": {k: round(v, 4) for k, v in shares.items()},
        "dominant_stance": max(stances, key=lambda k: counts[k]) if n else None,
        "balance_index": None if balance is None else round(balance, 4),
        "top_claims": top,
        "sources": [{"source": src, "sentences": sum(c.values()), "stances": dict(c)}
                    for src, c in sorted(by_source.items(), key=lambda kv: -sum(kv[1].values()))],
    }


# ------------------------------------------------------------------ batch scoring (predict.py)

OUTPUT_FORMATS = ("jsonl", "csv", "parquet", "html")
META_FIELDS = ("date", "outlet", "context_prev")


@dataclass
class PredictResult:
    """What :func:`run` did; ``exit_code`` is predict.py's."""

    out: Path
    articles: int = 0
    scored: int = 0
    failed: int = 0
    resumed: int = 0
    sentences: int = 0
    seconds: float = 0.0
    stopped: bool = False  # --strict stopped at the first failure

    @property
    def exit_code(self) -> int:
        """0 when every article was scored, 1 when some failed."""
        return 1 if self.failed else 0

    def summary_line(self) -> str:
        """One line for the terminal."""
        rate = self.sentences / self.seconds if self.seconds > 0 else 0.0
        parts = [f"scored {self.scored} of {self.articles} articles"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.resumed:
            parts.append(f"{self.resumed} kept from a previous run")
        line = ", ".join(parts)
        line += f"; {self.sentences} sentences in {self.seconds:.1f} s ({rate:.1f}/s) -> {self.out}"
        if self.stopped:
            line += " (stopped at the first failure: --strict)"
        return line


def _model_record(predictor: Predictor) -> dict[str, Any]:
    info = predictor.model_info
    return {"name": info["name"], "weights_sha256": info["weights_sha256"],
            "quantized": info.get("quantized")}


def _meta(item: Item, key: str) -> str | None:
    v = item.meta.get(key)
    return None if v in (None, "") else str(v)


def _record(item: Item, model: dict[str, Any], lang: str | None = None, title: str | None = None,
            summary: dict[str, Any] | None = None, sentences: list | None = None,
            error: str | None = None) -> dict[str, Any]:
    """An output record with every schema key, in schema order."""
    return {
        "article_id": item.article_id, "input": item.input,
        "lang": lang if lang is not None else _meta(item, "lang"),
        "title": title if title is not None else _meta(item, "title"),
        **{k: _meta(item, k) for k in META_FIELDS},
        "model": model, "summary": summary, "sentences": sentences or [],
        "error": error if error is not None else item.error, "encoding": item.encoding,
    }


_SENTENCE_KEYS = ("index", "start", "end", "text", "kind", "kind_probs", "stance",
                  "stance_probs", "source", "stance_confidence")


def _score_articles(predictor: Predictor, items: list[Item]) -> list[dict[str, Any]]:
    model = _model_record(predictor)
    inputs = []
    for it in items:
        d: dict[str, Any] = {"text": it.text}
        for k in ("title", "lang"):
            if _meta(it, k):
                d[k] = _meta(it, k)
        inputs.append(d)
    out = []
    for it, res in zip(items, predictor.predict_articles(inputs), strict=True):
        sents = [{k: s[k] for k in _SENTENCE_KEYS} for s in res["sentences"]]
        out.append(_record(it, model, res["lang"], res["title"], res["summary"], sents))
    return out


def _score_sentences(predictor: Predictor, items: list[Item]) -> list[dict[str, Any]]:
    from .language import detect_language
    from .sources import assign_sources

    model = _model_record(predictor)
    scored = predictor.predict_sentences(
        [{"text": it.text, "title": _meta(it, "title") or "",
          "context_prev": _meta(it, "context_prev") or ""} for it in items])
    out = []
    for it, s in zip(items, scored, strict=True):
        lang = _meta(it, "lang") or detect_language(it.text)
        conf = max(s["stance_probs"].values()) if s["stance_probs"] else 0.0
        sent = {"index": 0, "start": 0, "end": len(it.text), "text": it.text,
                "kind": s["kind"], "kind_probs": s["kind_probs"], "stance": s["stance"],
                "stance_probs": s["stance_probs"], "source": assign_sources([it.text], lang)[0],
                "stance_confidence": round(float(conf), 6)}
        out.append(_record(it, model, lang, _meta(it, "title") or "",
                           summarize([sent], predictor.stances), [sent]))
    return out


def score_items(predictor: Predictor, items: list[Item], unit: str = "article"
                ) -> list[dict[str, Any]]:
    """Output records for readable items, scored together; a failure is isolated per item.

    When scoring the whole chunk raises, each item is retried alone so that
    one bad article gets a ``scoring failed`` error record and the others
    are still scored.
    """
    fn = _score_sentences if unit == "sentence" else _score_articles
    if not items:
        return []
    try:
        return fn(predictor, items)
    except Exception as e:  # noqa: BLE001 - turned into error records, never dropped
        if len(items) == 1:
            return [_record(items[0], _model_record(predictor),
                            error=f"scoring failed: {type(e).__name__}: {e}")]
        return [r for it in items for r in score_items(predictor, [it], unit)]


# -------------------------------------------------------------- output formats

def _flat_columns(kinds: Sequence[str], stances: Sequence[str]) -> list[str]:
    return (["article_id", "input", "lang", "title", *META_FIELDS, "model_name",
             "model_weights_sha256", "model_quantized", "error", "encoding",
             "summary_sentences", "summary_claims", "summary_dominant_stance",
             "summary_balance_index"]
            + [f"summary_stance_share_{s}" for s in stances]
            + ["index", "start", "end", "text", "kind"] + [f"kind_prob_{k}" for k in kinds]
            + ["stance"] + [f"stance_prob_{s}" for s in stances]
            + ["source", "stance_confidence"])


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
        "model_quantized": model.get("quantized"), "error": record["error"],
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
                  "stance_confidence"):
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
                          "quantized": _none(row.get("model_quantized"))},
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
            })
    for rec in records.values():
        if rec["summary"] is not None:
            # The summary is a pure function of the sentences, so recomputing restores it.
            rec["summary"] = summarize(rec["sentences"], stances)
    return list(records.values())


def _parquet_schema(columns: list[str]):
    import pyarrow as pa

    ints = {"summary_sentences", "summary_claims", "index", "start", "end"}
    def typ(c: str):
        if c in ints:
            return pa.int64()
        if c.startswith(("kind_prob_", "stance_prob_", "summary_stance_share_")) or c in (
                "summary_balance_index", "stance_confidence"):
            return pa.float64()
        return pa.string()
    return pa.schema([(c, typ(c)) for c in columns])


def _read_jsonl_records(path: Path) -> list[dict[str, Any]]:
    """Complete records of a (possibly cut-off) JSONL file; a torn last line is ignored."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # the line a kill interrupted
            if isinstance(rec, dict) and "article_id" in rec and "input" in rec:
                out.append(rec)
    return out


def read_output(path: Path, fmt: str, kinds: Sequence[str],
                stances: Sequence[str]) -> list[dict[str, Any]]:
    """Records of an existing output file in ``fmt``."""
    if fmt == "jsonl":
        return _read_jsonl_records(path)
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return unflatten(csv.DictReader(fh), kinds, stances)
    import pyarrow.parquet as pq

    return unflatten(pq.read_table(path).to_pylist(), kinds, stances)


def _partial_files(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.partial-*.jsonl"))


def _convert(journal: Path, tmp: Path, fmt: str, kinds: Sequence[str],
             stances: Sequence[str]) -> None:
    """Write the journal's records as CSV, Parquet (streaming) or an HTML report to ``tmp``."""
    if fmt == "html":  # one page for all articles: needs every record in memory anyway
        from .report import render_html

        tmp.write_text(render_html(list(_iter_jsonl(journal))), encoding="utf-8")
        return
    columns = _flat_columns(kinds, stances)
    if fmt == "csv":
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=columns)
            w.writeheader()
            for rec in _iter_jsonl(journal):
                w.writerows(flatten(rec, kinds, stances))
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema(columns)
    with pq.ParquetWriter(tmp, schema) as writer:
        rows: list[dict[str, Any]] = []
        for rec in _iter_jsonl(journal):
            rows.extend(flatten(rec, kinds, stances))
            if len(rows) >= 10_000:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        writer.write_table(pa.Table.from_pylist(rows, schema=schema))


def _iter_jsonl(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


# ------------------------------------------------------------------ the run

def check_paths(cfg: PredictConfig) -> Path:
    """Fail early (ConfigError) on a missing input or output folder; return ``--out``."""
    from .inputs import missing_inputs

    out = Path(cfg.out)
    missing = missing_inputs(cfg.inputs)
    if missing:
        raise ConfigError(f"input not found: {missing[0]}")
    if not out.parent.is_dir():
        raise ConfigError(f"output folder does not exist: {out.parent}")
    return out


def run(cfg: PredictConfig, stdin=None,
        on_chunk: Callable[[int], None] | None = None) -> PredictResult:
    """Score every input article of ``cfg`` and write the output file.

    Raises :class:`~geostance.config.ConfigError` (exit code 2) for a missing
    input path or model directory, before anything is written. ``on_chunk``
    is called with the number of records written so far after each flushed
    chunk (tests use it to simulate a kill).
    """
    from tqdm.auto import tqdm

    from .inputs import expand_paths, iter_items

    out = check_paths(cfg)
    try:
        predictor = Predictor.load(cfg.model, quantize=None if cfg.quantize in ("", "none")
                                   else cfg.quantize, batch_size=cfg.batch_size)
    except (FileNotFoundError, OSError) as e:
        raise ConfigError(f"model: {cfg.model}: {e}") from None
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    model = _model_record(predictor)
    kinds, stances = predictor.kinds, predictor.stances

    # Records that --resume may keep: scored by these very weights, error-free.
    old_partials = _partial_files(out)
    kept: dict[tuple[str, str], dict[str, Any]] = {}
    if cfg.resume:
        # An HTML report cannot be read back; only partial journals are reused then.
        sources = ([(out, cfg.format)] if out.is_file() and cfg.format != "html" else []) + [
            (p, "jsonl") for p in old_partials]
        for path, fmt in sources:
            try:
                recs = read_output(path, fmt, kinds, stances)
            except Exception as e:  # noqa: BLE001 - an unreadable old output is rescored
                logger.warning("--resume: cannot read %s (%s); rescoring", path, e)
                continue
            for rec in recs:
                if rec.get("error") is None and rec.get("model") == model:
                    kept[(rec["article_id"], rec["input"])] = rec
    else:
        for p in old_partials:  # leftovers of a killed run that is not being resumed
            p.unlink(missing_ok=True)
        old_partials = []

    journal = out.parent / f".{out.name}.partial-{os.getpid()}.jsonl"
    result = PredictResult(out=out)
    start = time.perf_counter()
    bar = tqdm(unit="article", desc="predict", disable=not cfg.progress, dynamic_ncols=True)
    paths = expand_paths(cfg.inputs, exclude=[out, journal, *old_partials])
    slots: list[Item | dict[str, Any]] = []  # in input order: pending items or finished records
    pending = 0

    def flush(fh) -> None:
        nonlocal slots, pending
        todo = [s for s in slots if isinstance(s, Item)]
        scored = iter(score_items(predictor, todo, cfg.unit))
        for s in slots:
            rec = next(scored) if isinstance(s, Item) else s
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            result.articles += 1
            if rec["error"] is None:
                result.scored += 1
                result.sentences += len(rec["sentences"])
            else:
                result.failed += 1
        fh.flush()  # a kill after this point loses nothing already written
        bar.update(len(slots))
        elapsed = time.perf_counter() - start
        bar.set_postfix(sent_per_s=f"{result.sentences / max(elapsed, 1e-9):.1f}")
        slots, pending = [], 0
        if on_chunk is not None:
            on_chunk(result.articles)

    try:
        with journal.open("w", encoding="utf-8") as fh:
            for item in iter_items(paths, cfg.unit, cfg.max_chars, cfg.text_column, stdin):
                if item.error is not None:
                    slots.append(_record(item, model))
                    if cfg.strict:
                        result.stopped = True
                        break
                elif item.key in kept:
                    slots.append(kept[item.key])
                    result.resumed += 1
                else:
                    slots.append(item)
                    pending += 1
                    if pending >= cfg.chunk_size:
                        flush(fh)
                        if cfg.strict and result.failed:
                            result.stopped = True
                            break
            if slots:
                flush(fh)
                result.stopped = result.stopped or bool(cfg.strict and result.failed)
        bar.close()
        if cfg.format == "jsonl":
            os.replace(journal, out)
        else:
            tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
            try:
                _convert(journal, tmp, cfg.format, kinds, stances)
                os.replace(tmp, out)
            finally:
                tmp.unlink(missing_ok=True)
            journal.unlink()
        for p in old_partials:  # their records are now in the output
            p.unlink(missing_ok=True)
    finally:
        bar.close()
    result.seconds = time.perf_counter() - start
    return result
