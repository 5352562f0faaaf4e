"""Data layer: read, validate and split labelled sentences for training and evaluation.

    from geostance.data import load_splits, load_realnews, to_datasets
    splits = load_splits(cfg.data)   # {"train", "dev", "test", "realdev", "realtest"}

Training reads the written corpus (``data/corpus``) and the real corpus
(``data/real``), or the user's own files (JSONL, CSV, Label Studio, doccano).
Everything is validated before training: each problem is one line naming file,
line and field, and :class:`DataError` carries them all.

Command line: ``python -m geostance.data check PATH...``, ``... card`` and ``... hf``.
"""

from __future__ import annotations

import collections
import fnmatch
import hashlib
import math
import sys
from pathlib import Path

from ..config import DataConfig
from ..fileio import same_file
from .corpus import read_corpus, read_documents
from .formats import read_file, read_jsonl_objects, read_sentence_jsonl
from .schema import SPLITS, DataError, Labels, Problems, Sentence
from .stats import stance_gap_note
from .validate import check_against, check_in_text, check_relabelled, check_text, validate
from .weighting import language_balance_factors

__all__ = ["DataError", "Sentence", "Labels", "Problems", "SPLITS", "EVAL_SPLITS", "load_splits",
           "load_realnews", "to_datasets"]

# Splits reported after training besides dev and test: the real corpus's own.
EVAL_SPLITS = ("realdev", "realtest")


def load_realnews(path: str | Path) -> list[Sentence] | None:
    """The real-news dev set as sentences, or None when the file is absent."""
    p = Path(path)
    if not p.is_file():
        return None
    problems = Problems()
    rows = read_sentence_jsonl(p, problems)
    problems.raise_if_any()
    return rows


def _corpora(cfg: DataConfig, problems: Problems) -> dict[str, dict[str, list[Sentence]]]:
    out = {}
    for name, d in (("written", cfg.corpus_dir), ("real", cfg.real_dir)):
        path = Path(d)
        if name not in cfg.corpora:
            # The real corpus's dev and test splits are evaluated whenever it is there,
            # so that a run trained without it (written only) is measured on real text too.
            if name == "real" and (path / "documents.jsonl").is_file():
                out["real_eval"] = read_corpus(path, problems)
            continue
        key = "corpus_dir" if name == "written" else "real_dir"
        if not path.is_dir():
            problems.add(str(path), None, f"data.{key}: directory does not exist")
            continue
        if name == "real" and not (path / "documents.jsonl").is_file():
            problems.add(str(path), None, f"data.{key}: no real corpus here (documents.jsonl "
                         "is missing); --data.corpora written trains without it")
            continue
        out[name] = read_corpus(path, problems)
    return out


def _real_sample(train: list[Sentence], fraction: float) -> list[Sentence]:
    """The real train sentences of the first ``fraction`` of documents in a fixed hash order
    (so smaller samples are parts of larger ones), and every written sentence."""
    docs = sorted({s.article_id for s in train if s.corpus == "real"},
                  key=lambda d: hashlib.sha256(d.encode()).hexdigest())
    keep = set(docs[: math.ceil(fraction * len(docs))])
    return [s for s in train if s.corpus != "real" or s.article_id in keep]


def _without_sources(rows: list[Sentence], real_dir: Path, sources: set[str],
                     problems: Problems) -> list[Sentence]:
    """``rows`` less the real sentences of documents from ``sources`` (training only):
    repositories (``owner/name``, a document's ``source_repo``) or drawing plans (a
    document's ``plan``).

    A source no document comes from is named on stderr, not an error: the same
    configuration may serve another real corpus.
    """
    tags = {did: {d.get("source_repo"), d.get("plan")}
            for did, d in read_documents(real_dir, problems).items()}
    for src in sorted(sources - set().union(*tags.values())):
        print(f"note: data.real_exclude: no document of {real_dir / 'documents.jsonl'} comes "
              f"from {src}", file=sys.stderr)
    gone = {did for did, t in tags.items() if t & sources}
    return [s for s in rows if not (s.corpus == "real" and s.article_id in gone)]


def _without_items(rows: list[Sentence], path: Path, patterns: list[str], problems: Problems,
                   matched: set[str]) -> list[Sentence]:
    """``rows`` of the contrast file ``path`` less those whose writer item id (the JSONL
    file's ``item`` field, e.g. ``en-37-N``) matches one of the shell ``patterns``
    (case-sensitive). A row without a string ``item`` is a problem naming its file, line and
    field; ``matched`` collects the patterns that matched a row; the count left out is noted."""
    items = {f"{path}:{n}": obj.get("item") for n, obj in read_jsonl_objects(path, Problems())}
    keep = []
    for s in rows:
        item = items.get(s.where)
        if not isinstance(item, str) or not item:
            problems.add(s.where, "item", "missing: data.contrast_exclude matches the writers' "
                         "item ids of JSONL contrast files")
            continue
        hits = [p for p in patterns if fnmatch.fnmatchcase(item, p)]
        matched.update(hits)
        if not hits:
            keep.append(s)
    print(f"note: data.contrast_exclude: {len(rows) - len(keep)} of {len(rows)} sentences of "
          f"{path} left out", file=sys.stderr)
    return keep


def _files_given_twice(cfg: DataConfig, problems: Problems) -> None:
    """A training file named twice (in one list, or in two of data.train_files,
    data.add_train_files and data.contrast_files, by any spelling or link) is a problem:
    each of its sentences would be read twice."""
    seen: list[tuple[str, str]] = []
    for key in ("train_files", "add_train_files", "contrast_files"):
        for f in getattr(cfg, key):
            first = next((g for g in seen if same_file(f, g[1])), None)
            if first is not None:
                problems.add(f, f"data.{key}", f"the file data.{first[0]} names ({first[1]}) "
                             "again; each sentence would be read twice")
            seen.append((key, f))


def load_splits(cfg: DataConfig) -> dict[str, list[Sentence]]:
    """Read and validate the configured data; raise :class:`DataError` on any problem.

    ``train`` and ``dev`` join the corpora named in ``cfg.corpora``; ``test`` is the
    written corpus's test split, ``realdev``/``realtest`` the real corpus's dev and
    test splits (both absent without the real corpus). Own files given for a split
    replace that split. Training sentences that occur in ``realnews_dev``, in the seed
    article or in any evaluation split are errors (leakage).
    """
    labels = Labels.from_config(cfg)
    problems = Problems()
    own = {"train": cfg.train_files, "dev": cfg.dev_files, "test": cfg.test_files}
    _files_given_twice(cfg, problems)
    problems.raise_if_any()  # else every line of such a file is its own "duplicate id"
    splits: dict[str, list[Sentence]] = {}
    if not all(own.values()):
        corpora = _corpora(cfg, problems)
        problems.raise_if_any()
        for split in SPLITS:
            splits[split] = [s for c in ("written", "real") if c in corpora
                             for s in corpora[c][split]
                             if split != "test" or c == "written" or "written" not in corpora]
        real = corpora.get("real") or corpora.get("real_eval")
        if real:
            splits["realdev"] = real["dev"]
            splits["realtest"] = real["test"]
        if not cfg.translated:  # training only: the evaluation sets stay comparable
            splits["train"] = [s for s in splits["train"] if not s.translated]
        if cfg.real_exclude and "real" in corpora:
            splits["train"] = _without_sources(splits["train"], Path(cfg.real_dir),
                                               set(cfg.real_exclude), problems)
        if cfg.real_fraction < 1.0:
            splits["train"] = _real_sample(splits["train"], cfg.real_fraction)
    for split, files in own.items():
        if files:
            splits[split] = [s for f in files for s in read_file(Path(f), cfg, labels, problems)]
            if split == "train":  # one text trained towards two answers, as data check says
                check_relabelled(splits[split], [], problems)
    if cfg.add_train_files:
        added = [s for f in cfg.add_train_files
                 for s in read_file(Path(f), cfg, labels, problems)]
        check_relabelled(added, splits.get("train", []), problems)
        splits.setdefault("train", []).extend(added)
    matched: set[str] = set()
    contrast_files = cfg.contrast_files
    if contrast_files and not labels.covers_project():
        # The contrast set is labelled with the project's labels: under another label set
        # every line would be "unknown label".
        for f in contrast_files:
            problems.add(str(f), "data.contrast_files", "the contrast set uses the project's "
                         "labels, not this configuration's; set --data.contrast_files ''")
        contrast_files = []
    elif contrast_files and cfg.train_files:
        print(f"note: data.contrast_files adds the invented contrast set "
              f"({', '.join(contrast_files)}) to your data.train_files; "
              "--data.contrast_files '' leaves it out", file=sys.stderr)
    for f in contrast_files:
        rows = read_file(Path(f), cfg, labels, problems)
        for s in rows:
            s.corpus = "contrast"
        if cfg.contrast_exclude and rows:
            rows = _without_items(rows, Path(f), cfg.contrast_exclude, problems, matched)
        splits.setdefault("train", []).extend(rows)
    for p in cfg.contrast_exclude:
        if p not in matched and not problems.items:
            print(f"note: data.contrast_exclude: no contrast item matches {p!r}", file=sys.stderr)
    for split in SPLITS:
        files = f" ({', '.join(own[split])})" if own[split] else ""
        if not splits.get(split) and not problems.items:
            problems.add(f"split {split}{files}", None, "no sentences")
        elif split != "test" and splits.get(split) and not any(s.stance for s in splits[split]):
            # The stance head would have nothing to learn from, or to be chosen on.
            problems.add(f"split {split}{files}", "stance",
                         "no sentence with a stance label (only boilerplate or empty stances)")
    # Trained on the real corpus, realdev is part of dev; without the written corpus,
    # realtest is the test split: validate each sentence once.
    same = ({"realdev"} if "real" in cfg.corpora else set()) | (
        {"realtest"} if "written" not in cfg.corpora else set())
    validate({k: v for k, v in splits.items() if k not in same}, labels, problems)
    realnews = Path(cfg.realnews_dev)
    if realnews.is_file() and splits.get("train"):
        # Its problems (not UTF-8, malformed lines) are this run's: raised here, before
        # training, not after it when trainer.py evaluates on it; a line that cannot be read
        # would also go unchecked for leakage.
        ref = read_sentence_jsonl(realnews, problems)
        check_against(splits["train"], ref, "realnews_dev", problems)
        # Its rows as evaluation reads them: labels checked where it will be evaluated (a
        # label set of the user's own skips it), an empty text always (scoring fails on it).
        if labels.covers_project():
            validate({"realnews_dev": ref}, labels, problems)
        else:
            for s in ref:
                check_text(s, problems)
    seed = Path(cfg.seed_article)
    if seed.is_file() and splits.get("train"):
        # Evaluated after training (seed_article.*): its sentences must not be trained on,
        # as an annotation export of predictions on it would bring them.
        check_in_text(splits["train"], seed.read_text(encoding="utf-8", errors="replace"),
                      f"the seed article ({seed})", problems)
    problems.raise_if_any()
    note = stance_gap_note(splits.get("train", []))  # only training uses it
    if note:
        print(note, file=sys.stderr)
    if cfg.limit_train:
        splits["train"] = splits["train"][: cfg.limit_train]
    return splits


def to_datasets(splits: dict[str, list[Sentence]], labels: Labels, real_weight: float = 1.0,
                language_balance: float = 0.0, contrast_weight: float = 1.0):
    """Turn validated splits into a ``datasets.DatasetDict`` with integer label columns.

    ``kind_label`` indexes ``labels.kinds``; ``stance_label`` indexes
    ``labels.stances`` and is -100 (ignored by the loss) where stance is empty;
    ``weight`` is ``real_weight`` for sentences of the real corpus, ``contrast_weight``
    for those of the contrast set, else 1, and in
    the train split also times the language-balance factor of exponent
    ``language_balance`` (:func:`.weighting.language_balance_factors`; 0 = off).
    """
    from datasets import Dataset, DatasetDict

    def rows(split: str, items: list[Sentence]) -> dict[str, list]:
        cols: dict[str, list] = collections.defaultdict(list)
        by_corpus = {"real": real_weight, "contrast": contrast_weight}
        weights = [by_corpus.get(s.corpus, 1.0) for s in items]
        if split == "train":
            weights = [w * f for w, f in
                       zip(weights, language_balance_factors(items, weights, language_balance),
                           strict=True)]
        for s, w in zip(items, weights, strict=True):
            for k, v in s.record().items():
                cols[k].append(v)
            cols["kind_label"].append(labels.kinds.index(s.kind))
            cols["stance_label"].append(labels.stances.index(s.stance) if s.stance else -100)
            cols["weight"].append(w)
        return dict(cols)

    return DatasetDict({k: Dataset.from_dict(rows(k, v)) for k, v in splits.items() if v})
