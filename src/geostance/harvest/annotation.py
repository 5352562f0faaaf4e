"""Annotation passes: write batches, read and check passes, measure agreement, settle.

The protocol (``data/real/ANNOTATION.md``): two independent passes (``a`` and
``b``) label every sentence; a third pass adjudicates every sentence on which they
disagree in any field. A pass is a JSONL file per batch with one object per
sentence id: ``kind``, ``stance``, ``source`` and an optional ``hard`` flag.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import KINDS, STANCES
from ..data.agreement import cohen_kappa, field_agreement, same_source
from ..fileio import JsonlDecodeError, iter_jsonl

__all__ = ["Label", "PassError", "IncompletePassError", "plan_batches", "read_pass", "cohen_kappa",
           "agreement", "same_source", "disagreements", "settle", "adjudication_items",
           "read_adjudication"]

FIELDS = ("kind", "stance", "source")


class PassError(ValueError):
    """A pass file does not cover its batch or holds invalid labels (one line per problem)."""


class IncompletePassError(PassError):
    """A pass file whose labels are all valid but do not yet cover its batch (a pass
    still being written); ``missing`` counts the batch's sentence ids without a label."""

    def __init__(self, message: str, missing: int) -> None:
        super().__init__(message)
        self.missing = missing

    def __reduce__(self) -> tuple:
        # pickle rebuilds an exception as cls(*args), and args lacks ``missing``.
        return type(self), (*self.args, self.missing), vars(self)


@dataclass(frozen=True)
class Label:
    """One annotator's labels for one sentence."""

    kind: str
    stance: str
    source: str
    hard: bool = False

    def record(self) -> dict[str, Any]:
        return {"kind": self.kind, "stance": self.stance, "source": self.source,
                "hard": self.hard}

    def compact(self) -> list[Any]:
        """``[kind, stance, source]`` as stored in the corpus (``hard`` is kept once per
        sentence)."""
        return [self.kind, self.stance, self.source]


def plan_batches(passage_docs: Iterable[dict[str, Any]], size: int = 350,
                 prefix: str = "batch") -> list[tuple[str, str]]:
    """Annotation batch files as ``(file name, content)``: passages of about ``size``
    sentences to ``{prefix}_NNN.jsonl``, a passage never split across two. Each line is one
    passage: its document fields and ``sentences`` (``id``, ``text``)."""
    files: list[tuple[str, str]] = []
    lines: list[str] = []
    n = 0

    def flush() -> None:
        nonlocal lines, n
        if lines:
            files.append((f"{prefix}_{len(files) + 1:03d}.jsonl", "\n".join(lines) + "\n"))
        lines, n = [], 0

    for pd in passage_docs:
        if n and n + len(pd["sentences"]) > size:
            flush()
        lines.append(json.dumps(pd, ensure_ascii=False))
        n += len(pd["sentences"])
    flush()
    return files


def _pass_rows(path: Path, problems: list[str]) -> Iterator[tuple[int, Any]]:
    """``(line, value)`` of a pass file; a line that is no JSON is one of ``problems``, a
    line that is not UTF-8 a :class:`PassError` with them (the lines after it are unread)."""
    try:
        yield from iter_jsonl(path, on_error=lambda n, msg: problems.append(f"{path}:{n}: {msg}"),
                              no_duplicate_keys=True)
    except JsonlDecodeError as e:  # its start counts from the start of its line
        raise PassError("\n".join([*problems, e.located(path)])) from None


def read_pass(path: Path, ids: Sequence[str]) -> dict[str, Label]:
    """Read one pass file and check it labels exactly ``ids`` with valid values.

    Raises :class:`IncompletePassError` when every line is valid but some of ``ids`` have
    no label yet, and :class:`PassError` (one line per problem) for anything else.
    """
    problems: list[str] = []
    out: dict[str, Label] = {}
    want = set(ids)
    # The project's JSONL reader: lines end only at \n, \r\n and \r (str.splitlines also
    # split at U+2028 inside a string), and a key given twice is a problem.
    for n, obj in _pass_rows(path, problems):
        where = f"{path}:{n}"
        if not isinstance(obj, dict):  # a list or string would fail at obj.get below
            problems.append(f"{where}: expected a JSON object")
            continue
        sid = obj.get("id")
        if sid not in want:
            problems.append(f"{where}: id: unknown sentence id {sid!r}")
            continue
        if sid in out:
            problems.append(f"{where}: id: {sid} labelled twice")
            continue
        kind, stance = obj.get("kind"), obj.get("stance") or ""
        source = obj.get("source") or ""
        if kind not in KINDS:
            problems.append(f"{where}: kind: {kind!r} is not one of {', '.join(KINDS)}")
            continue
        if kind == "boilerplate":
            stance, source = "", ""
        elif stance not in STANCES:
            problems.append(f"{where}: stance: {stance!r} is not one of {', '.join(STANCES)}")
            continue
        if not isinstance(source, str):
            problems.append(f"{where}: source: expected a string")
            continue
        out[sid] = Label(kind, stance, source.strip(), bool(obj.get("hard", False)))
    missing = [i for i in ids if i not in out]
    if missing:
        gap = f"{path}: {len(missing)} sentence ids have no label (first: {missing[0]})"
        if not problems:  # every line valid: the pass is only unfinished
            raise IncompletePassError(gap, len(missing))
        problems.append(gap)
    if problems:
        raise PassError("\n".join(problems))
    return out


def agreement(a: dict[str, Label], b: dict[str, Label], ids: Sequence[str]) -> dict[str, Any]:
    """Per-field percent agreement and Cohen's kappa over ``ids`` (see
    :func:`geostance.data.agreement.field_agreement`)."""
    return field_agreement([(a[i], b[i]) for i in ids])


def disagreements(a: dict[str, Label], b: dict[str, Label], ids: Iterable[str]) -> list[str]:
    """Ids on which the passes differ in kind, stance or source."""
    return [i for i in ids if a[i].kind != b[i].kind or a[i].stance != b[i].stance
            or not same_source(a[i].source, b[i].source)]


def settle(a: Label, b: Label, adjudicated: Label | None) -> tuple[Label, str]:
    """The gold label and how it was settled: ``agreement`` or ``adjudication``.

    Where the passes agree up to the spelling of a source, the longer (fuller)
    source is kept, as the codebook asks for the fullest form given so far.
    """
    if a.kind == b.kind and a.stance == b.stance and same_source(a.source, b.source):
        source = max((a.source, b.source), key=len)
        return Label(a.kind, a.stance, source, a.hard or b.hard), "agreement"
    if adjudicated is None:
        raise ValueError("passes disagree and no adjudication was given")
    return adjudicated, "adjudication"


def adjudication_items(passage: dict[str, Any], a: dict[str, Label], b: dict[str, Label],
                       ids: Iterable[str], seed: int = 0) -> list[dict[str, Any]]:
    """One adjudication item per disputed sentence of ``passage``.

    Each item shows the sentence with up to three sentences before and two after,
    and the two labels as ``label_1``/``label_2`` in an order drawn per sentence
    (hashed with ``seed``), so the adjudicator cannot tell which pass is which.
    """
    sents = passage["sentences"]
    pos = {s["id"]: i for i, s in enumerate(sents)}
    items = []
    for sid in ids:
        i = pos[sid]
        first = int(hashlib.sha256(f"{seed}:{sid}".encode()).hexdigest(), 16) % 2 == 0
        one, two = (a[sid], b[sid]) if first else (b[sid], a[sid])
        items.append({
            "id": sid, "doc_id": passage["doc_id"], "lang": passage["lang"],
            "genre": passage["genre"], "speaker": passage["speaker"], "title": passage["title"],
            "before": [s["text"] for s in sents[max(0, i - 3):i]], "text": sents[i]["text"],
            "after": [s["text"] for s in sents[i + 1:i + 3]],
            "label_1": one.record(), "label_2": two.record()})
    return items


def read_adjudication(path: Path, ids: Sequence[str]) -> dict[str, Label]:
    """An adjudication file: the same format as a pass, for the disputed ids only."""
    return read_pass(path, ids)
