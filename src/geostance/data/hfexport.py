"""The corpora as a Hugging Face dataset: ``python -m geostance.data hf``.

Writes flat, per-split gzipped JSONL views of ``data/real/``, ``data/corpus/`` (and
``data/contrast/``) under ``data/hf/`` and the dataset card ``data/README.md`` whose
YAML header names them, so that ``datasets.load_dataset("data", "real_sentences")`` reads the splits
train, dev and test. Five configurations:

* ``real_sentences`` (the default) and ``real_documents``: the real corpus;
* ``written_sentences`` and ``written_articles``: the corpus written for the project;
* ``contrast_sentences``: the invented contrast set (``data/contrast``, every writing
  round, split train only: it is never evaluated on), when its folder is given.

Sentences come from :func:`~geostance.data.corpus.read_corpus`, so the views hold
exactly the sentences training reads, already checked; the fields it does not keep
(offsets, annotation outcome) are taken from the same file line. Rows are flat
(no nested dicts: the ``json`` builder would infer a different struct per file)
and keep file order, and every file is written atomically, so two runs write the
same bytes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..config import DataConfig
from ..fileio import iter_jsonl, write_jsonl_atomic, write_text_atomic
from .contrastcard import contrast_files
from .corpus import REAL, WRITTEN, Layout, read_corpus, read_documents, read_sentence_rows
from .formats import read_file
from .schema import SPLITS, Labels, Problems

__all__ = ["CONFIGS", "CONFIG_SPLITS", "DEFAULT_CONFIG", "Views", "build_views",
           "config_files", "export"]

Row = dict[str, Any]
Views = dict[str, dict[str, list[Row]]]  # config -> split -> rows

CONFIGS = ("real_sentences", "real_documents", "written_sentences", "written_articles",
           "contrast_sentences")
DEFAULT_CONFIG = "real_sentences"
# The contrast set only ever joins training (``data.contrast_files``): one split.
CONFIG_SPLITS: dict[str, tuple[str, ...]] = {
    c: ("train",) if c == "contrast_sentences" else SPLITS for c in CONFIGS}


def config_files(hf_dir: str, configs: tuple[str, ...] = CONFIGS) -> dict[str, dict[str, str]]:
    """``{config: {split: path}}`` with paths under ``hf_dir`` (POSIX, as the card needs)."""
    # Gzipped (about a tenth of the size; ``load_dataset`` reads .jsonl.gz as it is).
    return {c: {sp: f"{hf_dir}/{c}/{sp}.jsonl.gz" for sp in CONFIG_SPLITS[c]}
            for c in configs}


def _documents(corpus_dir: Path, layout: Layout) -> dict[str, Row]:
    problems = Problems()
    docs = read_documents(corpus_dir, problems, layout)
    problems.raise_if_any()
    return docs


def _real_document(doc: Row) -> Row:
    first, last = doc["paragraphs"]
    tr = doc.get("translated_from") or {}
    return {
        "doc_id": doc["doc_id"], "lang": doc["lang"], "title": doc["title"],
        "date": doc["date"], "genre": doc["genre"], "speaker": doc["speaker"],
        "source_repo": doc["source_repo"], "commit": doc["commit"], "path": doc["path"],
        "url": doc["url"], "licence": doc["licence"], "attribution": doc["attribution"],
        "source_doc_id": doc["source_doc_id"], "paragraph_first": first,
        "paragraph_last": last, "title_in_text": bool(doc["title_in_text"]),
        "translated": bool(tr), "translated_from": tr.get("doc_id", ""),
        "translated_from_lang": tr.get("lang", ""), "translator": tr.get("translator", ""),
        # Its keys differ per source (session, term, country, ...); a string keeps one type.
        "meta": json.dumps(doc.get("meta") or {}, ensure_ascii=False, sort_keys=True),
        "text": doc["text"],
    }


def _written_article(doc: Row) -> Row:
    return {k: doc.get(k, "") for k in
            ("article_id", "lang", "outlet", "genre", "country", "date", "title", "text")}


def _line(where: str) -> int:
    """The line number of a :class:`Sentence`'s ``where`` (``path:line``)."""
    return int(where.rsplit(":", 1)[1])


def _sentence_rows(corpus_dir: Path, layout: Layout,
                   docs: dict[str, Row]) -> dict[str, list[Row]]:
    problems = Problems()
    by_split = read_corpus(corpus_dir, problems)
    problems.raise_if_any()
    raw = dict(read_sentence_rows(corpus_dir, problems))  # by "path:line", as s.where
    problems.raise_if_any()
    out: dict[str, list[Row]] = {}
    for split in SPLITS:
        rows = out[split] = []
        for s in by_split[split]:
            obj, doc = raw[s.where], docs[s.article_id]
            row: Row = {
                "id": s.id, layout.id_key: s.article_id, "index": obj["index"],
                "lang": s.lang, "text": s.text, "kind": s.kind, "stance": s.stance,
                "source": s.source, "context_prev": s.context_prev, "start": obj["start"],
                "end": obj["end"], "title": s.title, "genre": doc.get("genre", ""),
                "date": doc.get("date", ""),
            }
            if layout is REAL:
                ann = obj["annotation"]
                row.update(source_repo=doc["source_repo"], licence=doc["licence"],
                           translated=s.translated,
                           translated_from=obj.get("translated_from") or "",
                           settled_by=ann["settled_by"], hard=bool(ann["hard"]))
            else:
                row.update(outlet=doc.get("outlet", ""), country=doc.get("country", ""))
            rows.append(row)
    return out


def _contrast_rows(contrast_dir: Path) -> dict[str, list[Row]]:
    """Every writing round's sentences as training reads them (``data.contrast_files``
    go through :func:`~geostance.data.formats.read_file`), with the set's own fields
    from the same file line; ``round`` is the file's round (1 = ``sentences.jsonl``,
    the round the default configuration trains on)."""
    cfg = DataConfig()
    labels = Labels.from_config(cfg)
    rows: list[Row] = []
    for number, path in enumerate(contrast_files(contrast_dir), start=1):
        problems = Problems()
        sentences = read_file(path, cfg, labels, problems)
        problems.raise_if_any()
        raw = dict(iter_jsonl(path))
        for s in sentences:
            obj = raw[_line(s.where)]
            ann = obj["annotation"]
            rows.append({
                "id": s.id, "article_id": s.article_id, "lang": s.lang, "text": s.text,
                "kind": s.kind, "stance": s.stance, "source": s.source,
                "context_prev": s.context_prev, "title": s.title, "round": number,
                "set": obj["set"], "variant": obj["variant"], "register": obj["register"],
                "invented": bool(obj["invented"]), "settled_by": ann["settled_by"],
                "hard": bool(ann["hard"]),
            })
    return {"train": rows}


def _by_split(docs: dict[str, Row], convert: Any) -> dict[str, list[Row]]:
    return {sp: [convert(d) for d in docs.values() if d["split"] == sp] for sp in SPLITS}


def build_views(corpus_dir: Path, real_dir: Path, contrast_dir: Path | None = None) -> Views:
    """Every configuration's rows per split, in file order (``contrast_sentences`` only
    when ``contrast_dir`` holds the set's files)."""
    real_docs = _documents(real_dir, REAL)
    written_docs = _documents(corpus_dir, WRITTEN)
    views = {
        "real_sentences": _sentence_rows(real_dir, REAL, real_docs),
        "real_documents": _by_split(real_docs, _real_document),
        "written_sentences": _sentence_rows(corpus_dir, WRITTEN, written_docs),
        "written_articles": _by_split(written_docs, _written_article),
    }
    if contrast_dir is not None and contrast_files(contrast_dir):
        views["contrast_sentences"] = _contrast_rows(contrast_dir)
    return views


def export(corpus_dir: Path, real_dir: Path, out_dir: Path, readme: Path,
           contrast_dir: Path | None = None) -> list[Path]:
    """Write every view under ``out_dir`` and the dataset card ``readme``; the paths written.

    The card's ``data_files`` are relative to the card's folder, as the Hub and
    ``load_dataset`` resolve them, so ``out_dir`` must lie under ``readme.parent``.
    """
    from .card import render_hf_card

    rel = Path(os.path.relpath(out_dir, readme.parent))
    if rel.parts[:1] == ("..",):
        raise ValueError(f"{out_dir} is not under {readme.parent}: the card could not "
                         "name its files")
    views = build_views(corpus_dir, real_dir, contrast_dir)
    files = config_files(rel.as_posix(), tuple(views))
    written = []
    for config, splits in views.items():
        for split, rows in splits.items():
            path = readme.parent / files[config][split]
            path.parent.mkdir(parents=True, exist_ok=True)
            written.append(write_jsonl_atomic(path, rows))
    card = render_hf_card(views, files)
    written.append(write_text_atomic(readme, card))
    return written
