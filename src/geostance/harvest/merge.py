"""Merge the annotation passes into the real corpus (``data/real/``).

Inputs: the skeleton written by ``build`` (passage documents with their sentence
units), the two independent passes and the adjudication of every disagreement.
A sentence enters the corpus only when both passes labelled exactly its text
(ids and texts must match: a unit re-segmented after annotation is left out, never
given stale labels) and, where they disagree, the adjudication settled it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..data.corpus import (
    SENTENCE_PARTS,
    SENTENCES,
    read_sentence_rows,
    sentence_files,
    sentence_part_name,
)
from ..data.schema import Problems
from ..data.validate import leak_key
from ..fileio import jsonl_text, read_jsonl, write_text_atomic
from .annotation import (
    IncompletePassError,
    Label,
    PassError,
    read_adjudication,
    read_pass,
    settle,
)
from .inputs import InputError, check_fields, jsonl_objects, require_folder

if TYPE_CHECKING:
    from .build import PassageDoc

__all__ = ["load_skeleton", "load_labels", "load_adjudicated", "merge_corpus", "write_corpus",
           "read_corpus_rows", "append_corpus", "new_passages", "ShrinkError", "shrink_problem"]


class ShrinkError(ValueError):
    """A merge that would leave the corpus with no documents, or fewer than it holds."""


# The fields of a skeleton line that batches, adjudicate and merge read (build writes more).
_RECORD_FIELDS = {"doc_id": str, "lang": str, "split": str, "genre": str, "date": str,
                  "speaker": str, "title": str}
_UNIT_FIELDS = {"id": str, "text": str, "index": int, "start": int, "end": int,
                "context_prev": str}
_SPLITS = ("train", "dev", "test")


def load_skeleton(path: Path) -> list[dict[str, Any]]:
    """Passage documents (``record`` and ``units``) from a skeleton JSONL.

    A missing file, a malformed line or a line without the fields the commands read
    raises :class:`~.inputs.InputError` naming file, line and field.
    """
    out = []
    for n, obj in jsonl_objects(path):
        where = f"{path}:{n}"
        check_fields(obj, where, {"record": dict, "units": list})
        check_fields(obj["record"], where, _RECORD_FIELDS, "record.")
        if obj["record"]["split"] not in _SPLITS:
            raise InputError(f"{where}: record.split: {obj['record']['split']!r} is not one "
                             f"of {', '.join(_SPLITS)}")
        for k, u in enumerate(obj["units"]):
            check_fields(u, where, _UNIT_FIELDS, f"units[{k}].")
        out.append(obj)
    return out


def _batch_texts(bfile: Path, pfile: Path) -> dict[str, str]:
    """Sentence id -> text of one batch file (the one ``pfile`` answers)."""
    if not bfile.is_file():
        raise InputError(f"{bfile}: file does not exist (the batch that {pfile} answers)")
    texts = {}
    for n, obj in jsonl_objects(bfile):
        where = f"{bfile}:{n}"
        check_fields(obj, where, {"sentences": list})
        for k, s in enumerate(obj["sentences"]):
            check_fields(s, where, {"id": str, "text": str}, f"sentences[{k}].")
            texts[s["id"]] = s["text"]
    return texts


def load_labels(batch_dir: Path, pass_dir: Path) -> dict[str, tuple[str, Label]]:
    """All labels of one pass: sentence id -> (text it was given, label).

    Each ``pass_dir/NAME.jsonl`` is checked against ``batch_dir/NAME.jsonl``; a file
    that does not yet cover its whole batch is skipped with a note on stderr (a
    pass still being written), a file with invalid labels is an error. A missing
    folder or batch file is an :class:`~.inputs.InputError` (a mistyped folder would
    otherwise read as a pass with no labels).
    """
    require_folder(batch_dir, "batch folder")
    require_folder(pass_dir, "pass folder")
    out: dict[str, tuple[str, Label]] = {}
    for pfile in sorted(pass_dir.glob("*.jsonl")):
        texts = _batch_texts(batch_dir / pfile.name, pfile)
        try:
            labels = read_pass(pfile, list(texts))
        except IncompletePassError:
            print(f"skipped (incomplete): {pfile}", file=sys.stderr)
            continue
        for sid, label in labels.items():
            out[sid] = (texts[sid], label)
    return out


def load_adjudicated(adjudicated_dir: Path, items_dir: Path) -> dict[str, tuple[str, Label]]:
    """The adjudication passes: sentence id -> (text adjudicated, label).

    Each ``adjudicated_dir/NAME.jsonl`` answers the items of ``items_dir/NAME.jsonl``
    (written by ``adjudicate``); a missing folder or items file, or an item without
    ``id`` and ``text``, is an :class:`~.inputs.InputError`.
    """
    require_folder(adjudicated_dir, "adjudicated folder")
    require_folder(items_dir, "adjudicate folder")
    adj: dict[str, tuple[str, Label]] = {}
    for path in sorted(adjudicated_dir.glob("*.jsonl")):
        src = items_dir / path.name
        if not src.is_file():
            raise InputError(f"{src}: file does not exist (the items that {path} answers)")
        texts = {}
        for n, obj in jsonl_objects(src):
            check_fields(obj, f"{src}:{n}", {"id": str, "text": str})
            texts[obj["id"]] = obj["text"]
        for sid, label in read_adjudication(path, list(texts)).items():
            adj[sid] = (texts[sid], label)
    return adj


def merge_corpus(skeleton: Iterable[dict[str, Any]], a: dict[str, tuple[str, Label]],
                 b: dict[str, tuple[str, Label]], adj: dict[str, tuple[str, Label]],
                 existing: Iterable[tuple[str, str]] = ()
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, int]]:
    """Documents and labelled sentences; ``stats`` counts what was left out and why.

    A dev or test sentence that also occurs in an earlier split (train, then dev) is
    left out (``duplicate``): formula lines and the same question sent to two
    ministers recur across documents, and would otherwise be scored as seen text.
    ``existing`` gives the (split, text) of a corpus the new sentences are appended
    to: a new sentence that occurs there in another split is left out as well.
    """
    skeleton = list(skeleton)
    docs, sents = [], []
    stats = {"sentences": 0, "no_pass_a": 0, "no_pass_b": 0, "unsettled": 0, "duplicate": 0,
             "agreement": 0, "adjudication": 0}
    seen: dict[str, set[str]] = {"train": set(), "dev": set(), "test": set()}
    old: dict[str, set[str]] = {"train": set(), "dev": set(), "test": set()}
    for split, text in existing:
        if key := leak_key(text):
            old[split].add(key)
    for pd in skeleton:
        for u in pd["units"]:
            key = leak_key(u["text"])
            if key:
                seen[pd["record"]["split"]].add(key)
    earlier = {"train": old["dev"] | old["test"],
               "dev": seen["train"] | old["train"] | old["test"],
               "test": seen["train"] | seen["dev"] | old["train"] | old["dev"]}
    for pd in skeleton:
        rec = pd["record"]
        kept = []
        prev_text = ""
        for u in pd["units"]:
            stats["sentences"] += 1
            if leak_key(u["text"]) in earlier[rec["split"]]:
                stats["duplicate"] += 1
                continue
            la, lb = a.get(u["id"]), b.get(u["id"])
            if la is None or la[0] != u["text"]:
                stats["no_pass_a"] += 1
                continue
            if lb is None or lb[0] != u["text"]:
                stats["no_pass_b"] += 1
                continue
            ladj = adj.get(u["id"])
            try:
                gold, how = settle(la[1], lb[1], ladj[1] if ladj and ladj[0] == u["text"]
                                   else None)
            except ValueError:
                stats["unsettled"] += 1
                continue
            stats[how] += 1
            prev_unit_text, prev_text = prev_text, u["text"]
            kept.append({
                "id": u["id"], "doc_id": rec["doc_id"], "index": u["index"],
                "start": u["start"], "end": u["end"], "text": u["text"],
                # Only where it is not the previous sentence of the same passage (the
                # first sentence of a passage follows text outside it).
                **({"context_prev": u["context_prev"]}
                   if u["context_prev"] != prev_unit_text else {}),
                "kind": gold.kind, "stance": gold.stance, "source": gold.source,
                "annotation": {"a": la[1].compact(), "b": lb[1].compact(),
                               "adjudicated": ladj[1].compact() if how == "adjudication"
                               else None, "settled_by": how,
                               "hard": gold.hard or la[1].hard or lb[1].hard},
                **({"translated_from": u["translated_from"]} if u.get("translated_from")
                   else {})})
        if kept:
            docs.append(rec)
            sents.extend(kept)
    return docs, sents, stats


def read_corpus_rows(out_dir: Path, sentences: bool = True
                     ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The documents and sentences of a written corpus directory (empty when absent;
    ``sentences=False`` leaves the sentences unread and empty)."""
    docs = read_jsonl(out_dir / "documents.jsonl") \
        if (out_dir / "documents.jsonl").is_file() else []
    if not sentences or not any(f.is_file() for f in sentence_files(out_dir)):
        return docs, []
    problems = Problems()
    rows = read_sentence_rows(out_dir, problems, {d["doc_id"]: i for i, d in enumerate(docs)})
    if problems.items:
        raise PassError("\n".join(problems.items))
    return docs, [obj for _, obj in rows]


def new_passages(docs: list[PassageDoc], out_dir: Path) -> list[PassageDoc]:
    """The passages of ``docs`` not yet in the corpus at ``out_dir``.

    A later plan of a source is built with the earlier plans it draws around; what those
    drew is in the corpus already (or was left out by ``merge --balance``, listed in
    ``balance_dropped.txt``, and so annotated once already) and is dropped here. A passage
    of the corpus that rebuilds with another text means the snapshot is not the corpus's
    commit, so the new draw could overlap what is there: a :class:`PassError`.
    """
    old = {d["doc_id"]: d["text"] for d in read_corpus_rows(out_dir, sentences=False)[0]}
    for pd in docs:
        d = pd.record
        if d["doc_id"] in old and old[d["doc_id"]] != d["text"]:
            raise PassError(f"{out_dir / 'documents.jsonl'}: {d['doc_id']}: text differs "
                            "from the rebuild (is the snapshot at the corpus's commit?)")
    dropped_file = out_dir / "balance_dropped.txt"
    dropped = (set(dropped_file.read_text(encoding="utf-8").split())
               if dropped_file.is_file() else set())
    skip = old.keys() | dropped
    return [pd for pd in docs if pd.record["doc_id"] not in skip]


def append_corpus(old_docs: list[dict[str, Any]], old_sents: list[dict[str, Any]],
                  docs: list[dict[str, Any]], sents: list[dict[str, Any]]
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The old corpus followed by the new documents; a document id in both is an error."""
    clash = sorted({d["doc_id"] for d in old_docs} & {d["doc_id"] for d in docs})
    if clash:
        raise PassError(f"{len(clash)} new documents are already in the corpus "
                        f"(first: {clash[0]}); append each source once")
    return old_docs + docs, old_sents + sents


def shrink_problem(out_dir: Path, n_docs: int) -> str | None:
    """Why writing a corpus of ``n_docs`` documents into ``out_dir`` loses documents, or
    None: it would hold none, or fewer than ``out_dir/documents.jsonl`` holds now.

    A mistyped or empty pass folder settles no sentence, and writing that result
    replaced the whole corpus with an empty one (every sentence part deleted as stale).
    """
    if n_docs == 0:
        return (f"the merge settled no document, so {out_dir} would be left empty (are "
                "--batches, --pass-a, --pass-b and --adjudicated the right folders?); "
                "--allow-shrink writes it anyway")
    old = read_corpus_rows(out_dir, sentences=False)[0]
    if n_docs < len(old):
        return (f"the merge keeps {n_docs} documents, fewer than the {len(old)} in "
                f"{out_dir / 'documents.jsonl'}; --append adds to them, --allow-shrink "
                "replaces them")
    return None


def write_corpus(out_dir: Path, docs: list[dict[str, Any]], sents: list[dict[str, Any]],
                 allow_shrink: bool = False) -> None:
    """Write ``documents.jsonl`` and the sentences, one part per source repository under
    ``sentences/`` (:func:`~geostance.data.corpus.sentence_part_name`), each atomically.

    Parts keep the rows' order; parts of sources no longer in the corpus and a single
    ``sentences.jsonl`` of the old layout are removed after the new files are in place.
    Unless ``allow_shrink``, a corpus with no documents or fewer than ``out_dir`` holds
    raises :class:`ShrinkError` before anything is written (see :func:`shrink_problem`).
    """
    problem = None if allow_shrink else shrink_problem(out_dir, len(docs))
    if problem:
        raise ShrinkError(problem)
    out_dir.mkdir(parents=True, exist_ok=True)
    part_of = {d["doc_id"]: sentence_part_name(d.get("source_repo") or "") for d in docs}
    parts: dict[str, list[dict[str, Any]]] = {}
    for r in sents:
        parts.setdefault(part_of[r["doc_id"]], []).append(r)
    folder = out_dir / SENTENCE_PARTS
    folder.mkdir(exist_ok=True)
    for name, rows in parts.items():
        write_text_atomic(folder / name, jsonl_text(rows))
    write_text_atomic(out_dir / "documents.jsonl", jsonl_text(docs))
    for stale in folder.glob("*.jsonl"):
        if stale.name not in parts:
            stale.unlink()
    (out_dir / SENTENCES).unlink(missing_ok=True)


def balance(docs: list[dict[str, Any]], sents: list[dict[str, Any]], floors: dict[str, int],
            min_share: float = 0.2) -> tuple[list[dict[str, Any]], list[dict[str, Any]],
                                               list[str]]:
    """Leave out whole off-topic passages until every stance has ``min_share``.

    Passage selection by topic vocabulary brings in many passages of which every
    sentence was settled ``neutral_balancing`` (procedure, domestic politics). While a
    stance is under ``min_share`` of the stance-bearing sentences, such all-neutral
    passages are left out, one at a time, from the language furthest above its floor
    in ``floors`` (sentences), in a fixed order (hash of the document id); a language
    is never taken under its floor, and original text never under the translated
    text of the same language. Returns the kept documents, the kept sentences and the
    ids of the documents left out.
    """
    import hashlib

    by_doc: dict[str, list[dict[str, Any]]] = {}
    for s in sents:
        by_doc.setdefault(s["doc_id"], []).append(s)
    lang = {d["doc_id"]: d["lang"] for d in docs}
    translated = {d["doc_id"] for d in docs if d.get("translated_from")}
    count = {"all": {}, "orig": {}, "trans": {}}
    for did, ss in by_doc.items():
        for bucket in ("all", "trans" if did in translated else "orig"):
            count[bucket][lang[did]] = count[bucket].get(lang[did], 0) + len(ss)
    stances = {"pro_nato": 0, "moscow_warning": 0, "neutral_balancing": 0}
    for s in sents:
        if s["stance"]:
            stances[s["stance"]] += 1
    candidates = sorted(
        (did for did, ss in by_doc.items() if did not in translated
         and all(s["stance"] in ("", "neutral_balancing") for s in ss)),
        key=lambda d: hashlib.sha256(d.encode()).hexdigest())
    dropped: list[str] = []

    def short() -> bool:
        n = sum(stances.values())
        return any(v < min_share * n for v in stances.values())

    while short():
        best, surplus = None, 0
        for did in candidates:
            lg, n = lang[did], len(by_doc[did])
            room = min(count["all"][lg] - n - floors.get(lg, 0),
                       count["orig"].get(lg, 0) - n - count["trans"].get(lg, 0))
            if room >= 0 and count["all"][lg] - floors.get(lg, 0) > surplus:
                best, surplus = did, count["all"][lg] - floors.get(lg, 0)
        if best is None:
            break
        candidates.remove(best)
        dropped.append(best)
        n = len(by_doc[best])
        count["all"][lang[best]] -= n
        count["orig"][lang[best]] -= n
        stances["neutral_balancing"] -= sum(bool(s["stance"]) for s in by_doc[best])
    gone = set(dropped)
    return ([d for d in docs if d["doc_id"] not in gone],
            [s for s in sents if s["doc_id"] not in gone], dropped)
