"""Data layer: load, validate and split labelled sentences.

Inputs it accepts:

* the shipped corpus directory (``articles.jsonl`` with a ``split`` per
  article, ``sentences.jsonl`` with character offsets into the article text);
* sentence JSONL (``text``, ``kind``, ``stance`` and optional ``id``,
  ``article_id``, ``title``, ``context_prev``, ``lang``, ``source``);
* CSV with configurable text / kind / stance columns (same optional columns);
* Label Studio JSON exports (choices named ``kind`` and ``stance``);
* doccano JSONL exports (``text`` plus a ``label`` list holding one kind and
  at most one stance).

Everything is validated before training: each problem becomes one line naming
file, line and field, and :class:`DataError` carries them all (exit code 2 in
the command line tools, no traceback).

Command line::

    python -m geostance.data check PATH...   # validate, print a summary table
    python -m geostance.data card            # regenerate data/DATA_CARD.md
"""

from __future__ import annotations

import argparse
import collections
import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import KINDS, STANCES, DataConfig

SPLITS = ("train", "dev", "test")
LEAKAGE_MIN_WORDS = 4
CONTEXT_FIELDS = ("id", "article_id", "lang", "title", "context_prev", "source")


class DataError(ValueError):
    """Invalid data; ``problems`` holds one ``file:line: field: message`` per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:50]
        more = f"\n... and {len(problems) - 50} more problems" if len(problems) > 50 else ""
        super().__init__("\n".join(shown) + more)


@dataclass
class Sentence:
    """One labelled sentence with its context and where it came from."""

    text: str
    kind: str
    stance: str
    id: str = ""
    article_id: str = ""
    lang: str = ""
    title: str = ""
    context_prev: str = ""
    source: str = ""
    where: str = ""  # "file:line", for error messages

    def record(self) -> dict[str, str]:
        """The fields that go into a dataset row."""
        return {k: getattr(self, k) for k in
                ("id", "article_id", "lang", "title", "context_prev", "text", "kind", "stance",
                 "source")}


@dataclass
class Problems:
    """Collects validation problems; raises them all at once."""

    items: list[str] = field(default_factory=list)

    def add(self, where: str, fieldname: str | None, message: str) -> None:
        prefix = f"{where}: {fieldname}" if fieldname else where
        self.items.append(f"{prefix}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise DataError(self.items)


@dataclass
class Labels:
    """The label sets in head order."""

    kinds: list[str]
    stances: list[str]

    @classmethod
    def from_config(cls, cfg: DataConfig) -> Labels:
        return cls(list(cfg.kind_labels), list(cfg.stance_labels))


# --------------------------------------------------------------------------- readers

def _read_jsonl(path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line; bad JSON becomes a problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        problems.add(str(path), None, f"not UTF-8 ({e.reason} at byte {e.start})")
        return
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            problems.add(f"{path}:{n}", None, f"malformed JSON ({e.msg} at column {e.colno})")
            continue
        if not isinstance(obj, dict):
            problems.add(f"{path}:{n}", None, "expected a JSON object")
            continue
        yield n, obj


def _str_field(obj: dict[str, Any], key: str, where: str, problems: Problems,
               required: bool = True) -> str:
    if key not in obj or obj[key] is None:
        if required:
            problems.add(where, key, "missing field")
        return ""
    val = obj[key]
    if isinstance(val, (int, float)) and not isinstance(val, bool):
        return str(val)
    if not isinstance(val, str):
        problems.add(where, key, f"expected a string, got {type(val).__name__}")
        return ""
    return val


def _labelled(obj: dict[str, Any], where: str, problems: Problems, *, text_key: str = "text",
              kind_key: str = "kind", stance_key: str = "stance") -> Sentence:
    s = Sentence(
        text=_str_field(obj, text_key, where, problems),
        kind=_str_field(obj, kind_key, where, problems),
        stance=_str_field(obj, stance_key, where, problems),
        where=where,
    )
    for key in CONTEXT_FIELDS:
        setattr(s, key, _str_field(obj, key, where, problems, required=False))
    return s


def read_sentence_jsonl(path: Path, problems: Problems) -> list[Sentence]:
    """Sentence JSONL, one labelled sentence per line."""
    return [_labelled(obj, f"{path}:{n}", problems) for n, obj in _read_jsonl(path, problems)]


def read_doccano(path: Path, labels: Labels, problems: Problems) -> list[Sentence]:
    """doccano text-classification JSONL: ``{"text": ..., "label": [kind, stance]}``."""
    out = []
    for n, obj in _read_jsonl(path, problems):
        where = f"{path}:{n}"
        labs = obj.get("label")
        if not isinstance(labs, list):
            problems.add(where, "label", "missing field (a list of labels)")
            continue
        kinds = [x for x in labs if x in labels.kinds]
        stances = [x for x in labs if x in labels.stances]
        unknown = [x for x in labs if x not in labels.kinds and x not in labels.stances]
        for x in unknown:
            problems.add(where, "label", f"unknown label {x!r}; allowed: "
                         + ", ".join(labels.kinds + labels.stances))
        if len(kinds) != 1:
            problems.add(where, "label", f"needs exactly one kind label, got {kinds}")
        if len(stances) > 1:
            problems.add(where, "label", f"at most one stance label, got {stances}")
        obj = {**obj, "kind": kinds[0] if kinds else "", "stance": stances[0] if stances else ""}
        out.append(_labelled(obj, where, problems))
    return out


def read_label_studio(path: Path, problems: Problems) -> list[Sentence]:
    """Label Studio JSON export: tasks with ``data.text`` and choices ``kind``/``stance``."""
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        problems.add(f"{path}:{e.lineno}", None, f"malformed JSON ({e.msg} at column {e.colno})")
        return []
    except UnicodeDecodeError as e:
        problems.add(str(path), None, f"not UTF-8 ({e.reason} at byte {e.start})")
        return []
    if not isinstance(tasks, list):
        problems.add(str(path), None, "expected a Label Studio export (a JSON list of tasks)")
        return []
    out = []
    for i, task in enumerate(tasks):
        where = f"{path}:task {i + 1}"
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            problems.add(where, "data", "missing field")
            continue
        anns = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        if not anns:
            problems.add(where, "annotations", "missing field (no completed annotation)")
            continue
        choices: dict[str, str] = {}
        for r in anns[-1].get("result") or []:
            vals = (r.get("value") or {}).get("choices") or []
            if r.get("from_name") in ("kind", "stance") and vals:
                choices[r["from_name"]] = vals[0]
        obj = {**data, "kind": choices.get("kind"), "stance": choices.get("stance", "")}
        if obj.get("id") is None and task.get("id") is not None:
            obj["id"] = str(task["id"])
        out.append(_labelled(obj, where, problems))
    return out


def read_csv(path: Path, cfg: DataConfig, problems: Problems) -> list[Sentence]:
    """CSV with a header; text/kind/stance columns named by the config."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        problems.add(str(path), None, f"not UTF-8 ({e.reason} at byte {e.start})")
        return []
    reader = csv.DictReader(io.StringIO(raw, newline=""), strict=True)
    header = reader.fieldnames or []
    missing = [c for c in (cfg.text_column, cfg.kind_column, cfg.stance_column)
               if c not in header]
    if missing:
        problems.add(f"{path}:1", ", ".join(missing),
                     f"missing column(s); header has: {', '.join(header)}")
        return []
    out = []
    try:
        for row in reader:
            where = f"{path}:{reader.line_num}"
            if None in row:
                problems.add(where, None, f"malformed CSV (more values than the "
                             f"{len(header)} header columns)")
                continue
            out.append(_labelled(row, where, problems, text_key=cfg.text_column,
                                 kind_key=cfg.kind_column, stance_key=cfg.stance_column))
    except csv.Error as e:
        problems.add(f"{path}:{reader.line_num}", None, f"malformed CSV ({e})")
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
        with path.open(encoding="utf-8", errors="replace") as f:
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
    if fmt == "csv":
        rows = read_csv(path, cfg, problems)
    elif fmt == "label_studio":
        rows = read_label_studio(path, problems)
    elif fmt == "doccano":
        rows = read_doccano(path, labels, problems)
    elif fmt == "jsonl":
        rows = read_sentence_jsonl(path, problems)
    else:
        problems.add(str(path), None, "a corpus directory cannot be used as a split file")
        return []
    _fill_context(rows)
    return rows


def _fill_context(rows: list[Sentence]) -> None:
    """Derive missing context_prev from the previous row of the same article (file order)."""
    last: dict[str, str] = {}
    for s in rows:
        if s.article_id:
            if not s.context_prev and s.article_id in last:
                s.context_prev = last[s.article_id]
            last[s.article_id] = s.text


# --------------------------------------------------------------------------- corpus

def read_corpus(corpus_dir: Path, problems: Problems) -> dict[str, list[Sentence]]:
    """Read the corpus directory into sentences per split, checking offsets and ids."""
    apath, spath = corpus_dir / "articles.jsonl", corpus_dir / "sentences.jsonl"
    for p in (apath, spath):
        if not p.is_file():
            problems.add(str(p), None, "file does not exist")
    if problems.items:
        return {}
    articles: dict[str, dict[str, Any]] = {}
    for n, obj in _read_jsonl(apath, problems):
        where = f"{apath}:{n}"
        aid = _str_field(obj, "article_id", where, problems)
        for key in ("lang", "outlet", "date", "title", "text", "split"):
            _str_field(obj, key, where, problems)
        if obj.get("split") is not None and obj.get("split") not in SPLITS:
            problems.add(where, "split", f"unknown split {obj.get('split')!r}; allowed: "
                         + ", ".join(SPLITS))
        if not aid:
            continue
        if aid in articles:
            problems.add(where, "article_id", f"duplicate id {aid!r} "
                         f"(first at line {articles[aid]['_line']})")
            continue
        articles[aid] = {**obj, "_line": n}
    by_split: dict[str, list[Sentence]] = {s: [] for s in SPLITS}
    seen: dict[tuple[str, int], int] = {}
    prev_text: dict[str, str] = {}
    for n, obj in _read_jsonl(spath, problems):
        where = f"{spath}:{n}"
        s = _labelled(obj, where, problems)
        aid = s.article_id
        art = articles.get(aid)
        if not aid:
            continue
        if art is None:
            problems.add(where, "article_id", f"unknown article {aid!r} (not in {apath.name})")
            continue
        idx, start, end = obj.get("index"), obj.get("start"), obj.get("end")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (idx, start, end)):
            for key, v in (("index", idx), ("start", start), ("end", end)):
                if not isinstance(v, int) or isinstance(v, bool):
                    problems.add(where, key, "missing field or not an integer")
            continue
        if (aid, idx) in seen:
            problems.add(where, "index", f"duplicate id {aid}#{idx} (first at line "
                         f"{seen[(aid, idx)]})")
            continue
        seen[(aid, idx)] = n
        text = art.get("text") or ""
        if not (0 <= start < end <= len(text)) or text[start:end] != s.text:
            got = repr(text[start:end][:60]) if 0 <= start < end <= len(text) \
                else f"only {len(text)} characters"
            problems.add(where, "start/end", f"offsets {start}:{end} do not match the text: "
                         f"article has {got}, sentence is {s.text[:60]!r}")
        s.id = f"{aid}-s{idx:03d}"
        s.lang = s.lang or art.get("lang", "")
        s.title = s.title or art.get("title", "")
        s.context_prev = prev_text.get(aid, "")
        prev_text[aid] = s.text
        if s.kind and s.kind != "boilerplate" and not s.stance:
            problems.add(where, "stance", f"empty, but kind {s.kind!r} takes a stance")
        split = art.get("split")
        if split in by_split:
            by_split[split].append(s)
    return by_split


# --------------------------------------------------------------------------- validation

def validate(splits: dict[str, list[Sentence]], labels: Labels, problems: Problems) -> None:
    """Check labels, texts, ids, and leakage across splits; add one problem each."""
    ids: dict[str, str] = {}
    text_split: dict[str, tuple[str, str]] = {}
    article_split: dict[str, tuple[str, str]] = {}
    for split, rows in splits.items():
        for s in rows:
            if not s.text.strip():
                problems.add(s.where, "text", "empty text")
            if s.kind and s.kind not in labels.kinds:
                problems.add(s.where, "kind", f"unknown label {s.kind!r}; allowed: "
                             + ", ".join(labels.kinds))
            if s.stance and s.stance not in labels.stances:
                problems.add(s.where, "stance", f"unknown label {s.stance!r}; allowed: "
                             + ", ".join(labels.stances) + " or empty")
            if s.kind == "boilerplate" and s.stance:
                problems.add(s.where, "stance", "boilerplate takes no stance (must be empty)")
            if s.id:
                if s.id in ids:
                    problems.add(s.where, "id", f"duplicate id {s.id!r} (first at {ids[s.id]})")
                else:
                    ids[s.id] = s.where
            # Short generic lines ("Analyse", "Foto: TT") recur in unrelated
            # articles; only sentences of four or more words count as leakage.
            key = " ".join(s.text.split()).casefold()
            if len(key.split()) < LEAKAGE_MIN_WORDS:
                key = ""
            if key and key in text_split and text_split[key][0] != split:
                other_split, other_where = text_split[key]
                problems.add(s.where, "text", f"leakage: the same sentence is in {split} and "
                             f"{other_split} ({other_where})")
            else:
                text_split.setdefault(key, (split, s.where))
            if s.article_id:
                if s.article_id in article_split and article_split[s.article_id][0] != split:
                    other_split, other_where = article_split[s.article_id]
                    problems.add(s.where, "article_id", f"article {s.article_id!r} is in {split} "
                                 f"and {other_split} ({other_where})")
                else:
                    article_split.setdefault(s.article_id, (split, s.where))


def load_splits(cfg: DataConfig) -> dict[str, list[Sentence]]:
    """Read and validate train/dev/test as configured; raise DataError on any problem.

    Own files given for a split replace that split of the corpus; the corpus is
    not read at all when all three are given.
    """
    labels = Labels.from_config(cfg)
    problems = Problems()
    own = {"train": cfg.train_files, "dev": cfg.dev_files, "test": cfg.test_files}
    splits: dict[str, list[Sentence]] = {}
    if not all(own.values()):
        corpus = Path(cfg.corpus_dir)
        if not corpus.is_dir():
            raise DataError([f"{corpus}: data.corpus_dir: directory does not exist"])
        splits = read_corpus(corpus, problems)
    for split, files in own.items():
        if files:
            splits[split] = [s for f in files
                             for s in read_file(Path(f), cfg, labels, problems)]
    for split in SPLITS:
        if not splits.get(split) and not problems.items:
            problems.add(f"split {split}", None, "no sentences")
    validate(splits, labels, problems)
    problems.raise_if_any()
    if cfg.limit_train:
        splits["train"] = splits["train"][: cfg.limit_train]
    return splits


def to_datasets(splits: dict[str, list[Sentence]], labels: Labels):
    """Turn validated splits into a ``datasets.DatasetDict`` with integer label columns.

    ``kind_label`` indexes ``labels.kinds``; ``stance_label`` indexes
    ``labels.stances`` and is -100 (ignored by the loss) where stance is empty.
    """
    from datasets import Dataset, DatasetDict

    def rows(items: list[Sentence]) -> dict[str, list]:
        cols: dict[str, list] = collections.defaultdict(list)
        for s in items:
            for k, v in s.record().items():
                cols[k].append(v)
            cols["kind_label"].append(labels.kinds.index(s.kind))
            cols["stance_label"].append(labels.stances.index(s.stance) if s.stance else -100)
        return dict(cols)

    return DatasetDict({k: Dataset.from_dict(rows(v)) for k, v in splits.items()})


def load_dataset_dict(cfg: DataConfig):
    """Validated ``DatasetDict`` (train/dev/test) for the configured data."""
    return to_datasets(load_splits(cfg), Labels.from_config(cfg))


def load_realnews(path: str | Path) -> list[Sentence] | None:
    """The real-news dev set as sentences, or None when the file is absent."""
    p = Path(path)
    if not p.is_file():
        return None
    problems = Problems()
    rows = read_sentence_jsonl(p, problems)
    problems.raise_if_any()
    return rows


# --------------------------------------------------------------------------- statistics

def word_4grams(text: str) -> set[tuple[str, ...]]:
    """Lower-cased word 4-grams of a sentence."""
    w = re.findall(r"\w+", text.casefold())
    return set(zip(w, w[1:], w[2:], w[3:], strict=False))


def near_duplicate_share(texts: list[str]) -> tuple[int, int]:
    """(sentences sharing > half their 4-grams with another sentence, sentences with 4-grams).

    Sentences under four words have no 4-grams and are left out of both counts.
    """
    grams = [word_4grams(t) for t in texts]
    index: dict[tuple[str, ...], list[int]] = collections.defaultdict(list)
    for i, g in enumerate(grams):
        for gram in g:
            index[gram].append(i)
    near = 0
    counted = 0
    for i, g in enumerate(grams):
        if not g:
            continue
        counted += 1
        shared: collections.Counter[int] = collections.Counter()
        for gram in g:
            for j in index[gram]:
                if j != i:
                    shared[j] += 1
        if shared and max(shared.values()) > len(g) / 2:
            near += 1
    return near, counted


def summary_table(splits: dict[str, list[Sentence]]) -> str:
    """Plain-text table: sentences per split x kind and stance, and per language."""
    kinds = sorted({s.kind for r in splits.values() for s in r})
    stances = sorted({s.stance or "-" for r in splits.values() for s in r})
    head = ["split", "sentences", "articles", *kinds, *stances]
    lines = [head]
    for split, rows in splits.items():
        kc = collections.Counter(s.kind for s in rows)
        sc = collections.Counter(s.stance or "-" for s in rows)
        arts = len({s.article_id for s in rows if s.article_id})
        lines.append([split, str(len(rows)), str(arts), *(str(kc[k]) for k in kinds),
                      *(str(sc[k]) for k in stances)])
    widths = [max(len(r[i]) for r in lines) for i in range(len(head))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True))
                     for r in lines)


def _check_paths(paths: Iterable[str], cfg: DataConfig) -> dict[str, list[Sentence]]:
    labels = Labels.from_config(cfg)
    problems = Problems()
    splits: dict[str, list[Sentence]] = {}
    for p in map(Path, paths):
        if p.is_dir():
            for split, rows in read_corpus(p, problems).items():
                splits.setdefault(split, []).extend(rows)
        else:
            splits.setdefault(str(p), []).extend(read_file(p, cfg, labels, problems))
    validate(splits, labels, problems)
    problems.raise_if_any()
    return splits


def main(argv: list[str] | None = None) -> int:
    """Command line: ``check PATH...`` and ``card``."""
    parser = argparse.ArgumentParser(prog="python -m geostance.data",
                                     description="Validate data and write the data card.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("check", help="validate files or corpus directories; print a summary")
    p.add_argument("paths", nargs="+", help="corpus directories or JSONL/CSV/JSON files")
    p.add_argument("--text-column", default="text")
    p.add_argument("--kind-column", default="kind")
    p.add_argument("--stance-column", default="stance")
    c = sub.add_parser("card", help="regenerate the data card from the corpus")
    c.add_argument("--corpus-dir", default="data/corpus")
    c.add_argument("--out", default="data/DATA_CARD.md")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "check":
            cfg = DataConfig(text_column=args.text_column, kind_column=args.kind_column,
                             stance_column=args.stance_column)
            splits = _check_paths(args.paths, cfg)
            print(summary_table(splits))
            print(f"OK: {sum(map(len, splits.values()))} sentences valid")
        else:
            from .datacard import write_card

            out = write_card(Path(args.corpus_dir), Path(args.out))
            print(f"wrote {out}")
    except DataError as e:
        print(f"{len(e.problems)} problem(s) found:", file=sys.stderr)
        print(str(e), file=sys.stderr)
        return 2
    return 0


__all__ = ["DataError", "KINDS", "STANCES", "Sentence", "load_splits", "load_dataset_dict",
           "to_datasets", "load_realnews", "Labels", "main"]

if __name__ == "__main__":
    sys.exit(main())
