"""``python -m geostance.data check PATH...``, ``... card`` and ``... hf``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..cli import ValueDefaultsFormatter
from ..config import ConfigError, DataConfig
from ..fileio import (
    REPO_ROOT,
    JsonlError,
    check_writable,
    find_relative,
    output_problem,
    same_file,
)
from .corpus import read_corpus
from .formats import read_file, read_sentence_jsonl
from .schema import DataError, Labels, Problems, Sentence
from .stats import stance_gap_note, summary_table
from .validate import check_against, check_in_text, check_relabelled, validate

# train.py's defaults (relative to the repository root), read from the one definition.
REALNEWS: str = DataConfig.realnews_dev
SEED_ARTICLE: str = DataConfig.seed_article


def check_paths(paths: list[str], cfg: DataConfig, realnews: str = "",
                seed_article: str = "") -> dict[str, list[Sentence]]:
    """Validate corpus directories and files together (leakage across all of them).

    Corpus directories contribute their splits; other files count as one split
    each. Any sentence found in ``realnews`` or in the text of ``seed_article`` is
    leakage, and a file that holds one sentence with two different labellings is a
    problem, as ``train.py`` reports them.
    """
    labels = Labels.from_config(cfg)
    problems = Problems()
    splits: dict[str, list[Sentence]] = {}
    for i, path in enumerate(paths):
        p = Path(path)
        # A few corpus folders and files: each compared with those before it.
        first = next((q for q in paths[:i] if same_file(q, p)), None)
        if first is not None:  # else each of its sentences is its own duplicate
            problems.add(path, None, f"given twice (first as {first}); each sentence would be "
                         "checked against itself")
            continue
        if p.is_dir():
            for split, rows in read_corpus(p, problems).items():
                splits.setdefault(split, []).extend(rows)
        elif not p.exists():
            problems.add(str(p), None, "file or directory does not exist")
        else:
            rows = read_file(p, cfg, labels, problems)
            check_relabelled(rows, [], problems)  # an annotation export annotated twice
            splits.setdefault(str(p), []).extend(rows)
    validate(splits, labels, problems)
    seed = _shared_path(seed_article)
    if seed is not None:
        text = seed.read_text(encoding="utf-8", errors="replace")
        for rows in splits.values():
            check_in_text(rows, text, f"the seed article ({seed})", problems)
    elif seed_article:
        print(f"note: {seed_article} not found (from here or the repository root): leakage "
              "into the seed article not checked", file=sys.stderr)
    found = _shared_path(realnews)
    if found is not None:
        # A file that cannot be read whole is a problem, not a leakage check passed.
        ref = read_sentence_jsonl(found, problems)
        for rows in splits.values():
            check_against(rows, ref, "realnews_dev", problems)
    elif realnews:
        print(f"note: {realnews} not found (from here or the repository root): leakage into "
              "realnews_dev not checked", file=sys.stderr)
    problems.raise_if_any()
    return splits


def _shared_path(path: str) -> Path | None:
    """The realnews_dev file (or the seed article) as given, or a relative path under the
    repository root (the default, ../shared/..., is relative to it), or None."""
    found = Path(find_relative(path, [REPO_ROOT])) if path else None
    return found if found is not None and found.is_file() else None


def _corpus_problem(corpus_dir: Path) -> str | None:
    """Why the written corpus cannot be read from ``corpus_dir`` (``card`` and ``hf`` need
    it), or None: checked before any work, as one line for ``error: ...``."""
    for name in ("articles.jsonl", "sentences.jsonl"):
        if not (corpus_dir / name).is_file():
            return (f"--corpus-dir {corpus_dir}: no written corpus here ({name} is missing)")
    return None


def _folder_problem(path: Path) -> str | None:
    """Why a file cannot be written at ``path``, whose missing folders will be made (the
    ``hf`` views under ``--out-dir``), or None. Makes nothing: the nearest existing folder
    above it is probed instead."""
    if path.is_dir():
        return f"{path} is a folder; a file is written there"
    above = path.parent
    while not above.exists() and above != above.parent:
        above = above.parent
    if not above.is_dir():
        return f"{above} is not a folder; {path} cannot be written under it"
    try:
        check_writable(above)
    except OSError as e:
        return f"cannot write in {above} ({e.strerror or e})"
    return None


def _contrast_dir(arg: str) -> tuple[Path | None, str | None]:
    """``--contrast-dir`` as a folder (None for ``none``), or why it cannot be one: a
    mistyped folder, left out silently, would replace the committed card and files with
    ones that lack the contrast set."""
    from .contrastcard import CONTRAST_FILES, contrast_files

    if arg == "none":
        return None, None
    folder = Path(arg)
    if not contrast_files(folder):
        return None, (f"--contrast-dir {folder}: no contrast set here (no {CONTRAST_FILES}); "
                      "--contrast-dir none leaves it out")
    return folder, None


def _hf_problem(args: argparse.Namespace) -> str | None:
    """The first reason ``hf`` could not read its corpora or write its files, or None."""
    from .hfexport import config_files

    readme = Path(args.readme)
    problem = _corpus_problem(Path(args.corpus_dir)) or output_problem(
        readme, overwrite=True, make_folder=False)
    if problem:
        return problem
    rel = Path(os.path.relpath(args.out_dir, readme.parent)).as_posix()
    # Every file any configuration may write (the contrast set's only when its folder holds
    # the set, but checking it too costs nothing).
    for files in config_files(rel).values():
        for name in files.values():
            problem = _folder_problem(readme.parent / name)
            if problem:
                return problem
    return None


def main(argv: list[str] | None = None) -> int:
    """Command line: ``check PATH...``, ``card`` and ``hf``."""
    parser = argparse.ArgumentParser(prog="python -m geostance.data",
                                     description="Validate data, write the data cards and the "
                                                 "Hugging Face files.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    # Each sub-command's help gives its defaults (paths included), not flags' False.
    fmt = {"formatter_class": ValueDefaultsFormatter}
    p = sub.add_parser("check", help="validate files or corpus directories; print a summary",
                       **fmt)
    p.add_argument("paths", nargs="+", help="corpus directories or JSONL/CSV/JSON files")
    p.add_argument("--text-column", default="text",
                   help="CSV column holding the sentence text, as data.text_column")
    p.add_argument("--kind-column", default="kind",
                   help="CSV column holding the kind label, as data.kind_column")
    p.add_argument("--stance-column", default="stance",
                   help="CSV column holding the stance label, as data.stance_column")
    p.add_argument("--kind-labels", default="",
                   help="comma-separated kind labels, as data.kind_labels ('' = the "
                        "project's)")
    p.add_argument("--stance-labels", default="",
                   help="comma-separated stance labels, as data.stance_labels ('' = the "
                        "project's)")
    p.add_argument("--realnews", default=REALNEWS,
                   help="evaluation set no sentence may leak into ('' = skip; a relative path "
                        "is also looked for under the repository root; a note says when it "
                        "is found nowhere)")
    p.add_argument("--seed-article", default=SEED_ARTICLE,
                   help="the seed article (plain text, data.seed_article) no sentence may be "
                        "taken from ('' = skip; looked for as --realnews is)")
    c = sub.add_parser("card", help="regenerate the data card from both corpora", **fmt)
    c.add_argument("--corpus-dir", default="data/corpus", help="the written corpus")
    c.add_argument("--real-dir", default="data/real",
                   help="the real corpus (none: a card of the written corpus alone)")
    c.add_argument("--contrast-dir", default="data/contrast",
                   help="the invented contrast set (none: a card without it)")
    c.add_argument("--out", default="data/DATA_CARD.md", help="the data card to write")
    h = sub.add_parser("hf", help="write data/hf/ (per-split JSONL of both corpora and the "
                                  "contrast set) and the Hugging Face dataset card "
                                  "data/README.md", **fmt)
    h.add_argument("--corpus-dir", default="data/corpus", help="the written corpus")
    h.add_argument("--real-dir", default="data/real", help="the real corpus")
    h.add_argument("--contrast-dir", default="data/contrast",
                   help="the invented contrast set (config contrast_sentences; none: "
                        "without it)")
    h.add_argument("--out-dir", default="data/hf",
                   help="folder of the per-split files, <config>/<split>.jsonl.gz")
    h.add_argument("--readme", default="data/README.md",
                   help="the card; --out-dir must lie in its folder")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "check":
            labels = {k: [x.strip() for x in v.split(",")] for k, v in
                      (("kind_labels", args.kind_labels), ("stance_labels", args.stance_labels))
                      if v}
            try:
                cfg = DataConfig(text_column=args.text_column, kind_column=args.kind_column,
                                 stance_column=args.stance_column, **labels)
            except ConfigError as e:
                parser.error(str(e))
            splits = check_paths(args.paths, cfg, args.realnews, args.seed_article)
            print(summary_table(splits))
            note = stance_gap_note(s for rows in splits.values() for s in rows)
            if note:
                print(note)
            print(f"OK: {sum(map(len, splits.values()))} sentences valid")
        elif args.cmd == "hf":
            from .hfexport import export

            out_dir, readme = Path(args.out_dir), Path(args.readme)
            if not out_dir.resolve().is_relative_to(readme.parent.resolve()):
                parser.error(f"--out-dir {out_dir} must lie in the folder of --readme {readme} "
                             "(the card names its files relative to itself)")
            contrast, problem = _contrast_dir(args.contrast_dir)
            problem = problem or _hf_problem(args)
            if problem:
                print(f"error: {problem}", file=sys.stderr)
                return 2
            paths = export(Path(args.corpus_dir), Path(args.real_dir), out_dir, readme,
                           contrast)
            print(f"wrote {len(paths) - 1} files under {args.out_dir} and {args.readme}")
        else:
            from .card import write_card

            # Checked before the card is built: a missing corpus, an --out that is a
            # folder or lies in a missing or read-only one is one error line, not a
            # traceback. The card is regenerated, so an existing --out is replaced.
            real = Path(args.real_dir)
            contrast, problem = _contrast_dir(args.contrast_dir)
            problem = problem or _corpus_problem(Path(args.corpus_dir)) or output_problem(
                args.out, overwrite=True, make_folder=False)
            if not problem and args.real_dir != "none" and \
                    not (real / "documents.jsonl").is_file():
                # Left out silently, a mistyped folder would replace the committed card
                # with one that lacks the real corpus.
                problem = (f"--real-dir {real}: no real corpus here (documents.jsonl is "
                           "missing); --real-dir none writes the card without it")
            if problem:
                print(f"error: {problem}", file=sys.stderr)
                return 2
            out = write_card(Path(args.corpus_dir), real, Path(args.out), contrast)
            print(f"wrote {out}")
    except DataError as e:
        print(f"{len(e.problems)} problem(s) found:", file=sys.stderr)
        print(str(e), file=sys.stderr)
        return 2
    except JsonlError as e:  # card: a corpus file that is not JSONL (names file and line)
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # what the checks above cannot foresee (a full disk, a race)
        where = f"{e.filename}: " if e.filename else ""
        print(f"error: {where}{e.strerror or e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
