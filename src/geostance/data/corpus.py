"""The two shipped corpora: documents with a split, sentences with offsets into them.

* the written corpus, ``data/corpus/`` (``articles.jsonl``: ``article_id``, ``split``,
  ``text``, ...; ``sentences.jsonl``: ``article_id``, ``index``, ``start``, ``end``,
  labels) - articles written for this project;
* the real corpus, ``data/real/`` (``documents.jsonl``: ``doc_id``, ``split``,
  ``text``, provenance and licence; ``sentences/<owner>__<name>.jsonl``, one file per
  source repository: ``id``, ``doc_id``, ``index``, ``start``, ``end``,
  ``context_prev``, labels, the annotation passes and ``translated_from``) - passages
  of real, licensed documents.

Either layout keeps its sentences in one ``sentences.jsonl`` or in parts under
``sentences/`` (:func:`sentence_files`); parts are read back in the order of the
documents file, so splitting a file into parts changes nothing that reads it.
Both are read by :func:`read_corpus`, which checks ids, splits and that every
sentence's offsets slice its document's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .formats import labelled, read_jsonl_objects, str_field
from .schema import SPLITS, Problems, Sentence

__all__ = ["Layout", "WRITTEN", "REAL", "layout_of", "read_corpus", "read_documents",
           "read_sentence_rows", "sentence_files", "sentence_part_name", "SENTENCES",
           "SENTENCE_PARTS"]

# A corpus's sentences: one file, or a folder of parts (one per source, so that no
# file grows past a few MB as sources are added).
SENTENCES = "sentences.jsonl"
SENTENCE_PARTS = "sentences"


@dataclass(frozen=True)
class Layout:
    """File and field names of one corpus format."""

    name: str  # "written" | "real"
    documents: str
    id_key: str
    required: tuple[str, ...]  # document fields that must be strings


WRITTEN = Layout("written", "articles.jsonl", "article_id",
                 ("lang", "outlet", "date", "title", "text", "split"))
REAL = Layout("real", "documents.jsonl", "doc_id",
              ("lang", "title", "date", "genre", "text", "split", "source_repo", "commit",
               "path", "licence", "attribution"))


def layout_of(corpus_dir: Path) -> Layout:
    """The real layout where ``documents.jsonl`` exists, else the written one."""
    return REAL if (corpus_dir / REAL.documents).is_file() else WRITTEN


def read_documents(corpus_dir: Path, problems: Problems,
                   layout: Layout | None = None) -> dict[str, dict[str, Any]]:
    """Documents by id, each with ``_line`` (its line in the file) added."""
    layout = layout or layout_of(corpus_dir)
    path = corpus_dir / layout.documents
    if not path.is_file():
        problems.add(str(path), None, "file does not exist")
        return {}
    docs: dict[str, dict[str, Any]] = {}
    for n, obj in read_jsonl_objects(path, problems):
        where = f"{path}:{n}"
        did = str_field(obj, layout.id_key, where, problems)
        for key in layout.required:
            str_field(obj, key, where, problems)
        if obj.get("split") is not None and obj.get("split") not in SPLITS:
            problems.add(where, "split", f"unknown split {obj.get('split')!r}; allowed: "
                         + ", ".join(SPLITS))
        if not did:
            continue
        if did in docs:
            problems.add(where, layout.id_key, f"duplicate id {did!r} "
                         f"(first at line {docs[did]['_line']})")
            continue
        docs[did] = {**obj, "_line": n}
    return docs


def sentence_files(corpus_dir: Path) -> list[Path]:
    """The sentence files of a corpus: the parts ``sentences/*.jsonl`` in name order
    where that folder exists, else ``sentences.jsonl`` (which may be absent)."""
    parts = corpus_dir / SENTENCE_PARTS
    if parts.is_dir():
        return sorted(parts.glob("*.jsonl"))
    return [corpus_dir / SENTENCES]


def sentence_part_name(source_repo: str) -> str:
    """The part file of one source's sentences: ``owner/name`` -> ``owner__name.jsonl``
    (GitHub owners cannot hold ``_``, so the name maps back)."""
    return (source_repo.replace("/", "__") or "other") + ".jsonl"


def read_sentence_rows(corpus_dir: Path, problems: Problems,
                       doc_order: dict[str, int] | None = None,
                       id_key: str = "doc_id") -> list[tuple[str, dict[str, Any]]]:
    """``(where, row)`` of every sentence row of a corpus, ``where`` = ``path:line``.

    Parts are ordered by their document's position in ``doc_order`` (document id ->
    position; rows of unknown documents last), a stable sort that gives back the order
    of the single file they were split from; without it, in file order. Missing files,
    an empty parts folder, both layouts at once and bad lines are problems.
    """
    files = sentence_files(corpus_dir)
    if (corpus_dir / SENTENCE_PARTS).is_dir() and (corpus_dir / SENTENCES).is_file():
        problems.add(str(corpus_dir), None, f"both {SENTENCES} and {SENTENCE_PARTS}/ exist; "
                     "keep one (the parts are read)")
    if not files:
        problems.add(str(corpus_dir / SENTENCE_PARTS), None, "no *.jsonl sentence files")
    rows: list[tuple[str, dict[str, Any]]] = []
    for path in files:
        if not path.is_file():
            problems.add(str(path), None, "file does not exist")
            continue
        rows.extend((f"{path}:{n}", obj) for n, obj in read_jsonl_objects(path, problems))
    if doc_order is not None and len(files) > 1:
        last = len(doc_order)

        def position(row: tuple[str, dict[str, Any]]) -> int:
            did = row[1].get(id_key)
            return doc_order.get(did, last) if isinstance(did, str) else last

        rows.sort(key=position)
    return rows


def _offsets_ok(obj: dict[str, Any], text: str, s: Sentence, where: str,
                problems: Problems, noun: str = "document") -> bool:
    idx, start, end = obj.get("index"), obj.get("start"), obj.get("end")
    bad = [k for k, v in (("index", idx), ("start", start), ("end", end))
           if not isinstance(v, int) or isinstance(v, bool)]
    for key in bad:
        problems.add(where, key, "missing field or not an integer")
    if bad:
        return False
    if not (0 <= start < end <= len(text)) or text[start:end] != s.text:
        got = repr(text[start:end][:60]) if 0 <= start < end <= len(text) \
            else f"only {len(text)} characters"
        problems.add(where, "start/end", f"offsets {start}:{end} do not match the text: "
                     f"{noun} has {got}, sentence is {s.text[:60]!r}")
    return True


def read_corpus(corpus_dir: Path, problems: Problems) -> dict[str, list[Sentence]]:
    """Sentences per split of a corpus directory (either layout), all checks applied."""
    layout = layout_of(corpus_dir)
    docs = read_documents(corpus_dir, problems, layout)
    rows = read_sentence_rows(corpus_dir, problems, {d: i for i, d in enumerate(docs)},
                              layout.id_key)
    if problems.items:
        return {}
    by_split: dict[str, list[Sentence]] = {s: [] for s in SPLITS}
    seen: dict[tuple[str, int], str] = {}
    prev_text: dict[str, str] = {}
    for where, obj in rows:
        s = labelled(obj, where, problems)
        did = str_field(obj, layout.id_key, where, problems)
        doc = docs.get(did)
        if not did:
            continue
        if doc is None:
            problems.add(where, layout.id_key, f"unknown document {did!r} "
                         f"(not in {layout.documents})")
            continue
        noun = "article" if layout is WRITTEN else "document"
        if not _offsets_ok(obj, doc.get("text") or "", s, where, problems, noun):
            continue
        idx = obj["index"]
        if (did, idx) in seen:
            problems.add(where, "index", f"duplicate id {did}#{idx} (first at "
                         f"{seen[(did, idx)]})")
            continue
        seen[(did, idx)] = where
        s.article_id = did
        s.id = s.id or f"{did}-s{idx:03d}"
        s.lang = s.lang or doc.get("lang", "")
        s.title = s.title or doc.get("title", "")
        # The real corpus stores each sentence's own previous sentence (the first one
        # of a passage follows text outside it); the written one is read in order.
        if layout is not WRITTEN and "context_prev" in obj:
            s.context_prev = str(obj.get("context_prev") or "")
        else:
            s.context_prev = prev_text.get(did, "")
        prev_text[did] = s.text
        s.corpus = layout.name
        s.translated = bool(obj.get("translated_from"))
        if s.kind and s.kind != "boilerplate" and not s.stance:
            # null reads as empty (labelled), but the message says what the file holds
            what = "null" if "stance" in obj and obj["stance"] is None else "empty"
            problems.add(where, "stance", f"{what}, but kind {s.kind!r} takes a stance")
        split = doc.get("split")
        if split in by_split:
            by_split[split].append(s)
    return by_split
