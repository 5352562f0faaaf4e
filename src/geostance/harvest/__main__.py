"""Command line for the real corpus: build, batch, adjudicate, merge, verify.

    python -m geostance.harvest build --mirror /work/.mirror --out WORK/skeleton.jsonl
    python -m geostance.harvest batches WORK/skeleton.jsonl --out WORK/batches
    python -m geostance.harvest adjudicate WORK/skeleton.jsonl --batches WORK/batches \\
        --pass-a WORK/pass_a --pass-b WORK/pass_b --out WORK/adjudicate
    python -m geostance.harvest merge WORK/skeleton.jsonl --batches WORK/batches \\
        --pass-a WORK/pass_a --pass-b WORK/pass_b --adjudicated WORK/adjudicated \\
        --out data/real
    python -m geostance.harvest verify --mirror /work/.mirror data/real

A later plan of a source already in the corpus is built with that source's earlier plans
and appended alone:

    python -m geostance.harvest build --mirror /work/.mirror --plans kremlin_ru \\
        kremlin_ru_west --skip-existing data/real --out WORK/skeleton.jsonl
    ... batches, passes, adjudicate as above, then merge ... --out data/real --append

The contrast set (invented items, ``data/contrast``; see :mod:`.contrast`):

    python -m geostance.harvest contrast-batches WRITER.jsonl... --out WORK/batches
    python -m geostance.harvest contrast-adjudicate WRITER.jsonl... --batches WORK/batches \\
        --pass-b WORK/pass_b --out WORK/adjudicate
    python -m geostance.harvest contrast-merge WRITER.jsonl... --batches WORK/batches \\
        --pass-b WORK/pass_b --adjudicate-dir WORK/adjudicate --adjudicated WORK/adjudicated \\
        --out data/contrast

Every input folder and file must exist (``error: ...``, exit 2, before anything is
written). ``merge`` refuses a result that keeps no documents, or fewer than ``--out``
holds (a mistyped or empty pass folder), unless ``--allow-shrink``; ``adjudicate``
replaces adjudication files already in ``--out`` only with ``--overwrite``.

``verify`` rebuilds every document from the snapshots at the recorded commits and
checks that its text is byte-identical to ``data/real/documents.jsonl``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import defaultdict
from pathlib import Path

from ..cli import positive_int
from ..fileio import JsonlError, jsonl_text, output_problem, write_text_atomic
from .annotation import PassError, adjudication_items, disagreements, plan_batches
from .build import PlanError
from .inputs import InputError, check_fields, jsonl_objects, require_folder
from .merge import (
    ShrinkError,
    append_corpus,
    balance,
    load_adjudicated,
    load_labels,
    load_skeleton,
    merge_corpus,
    new_passages,
    read_corpus_rows,
    write_corpus,
)
from .snapshot import SnapshotError

# Sentences per language the real corpus keeps at least (issue "Real text to learn from").
FLOORS = {"sv": 2000, "en": 1500, "de": 800, "ru": 600, "fi": 300}


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    docs = build(args.mirror, only=set(args.plans) if args.plans else None)
    if args.skip_existing:
        n = len(docs)
        docs = new_passages(docs, args.skip_existing)
        print(f"{n - len(docs)} passages already in {args.skip_existing} left out")
    lines = [json.dumps({"record": pd.record, "units": [dataclasses.asdict(u) for u in pd.units]},
                        ensure_ascii=False) for pd in docs]
    write_text_atomic(args.out, "\n".join(lines) + "\n")
    n = sum(len(pd.units) for pd in docs)
    print(f"{len(docs)} passages, {n} sentences -> {args.out}")
    return 0


def _passage_view(pd: dict) -> dict:
    r = pd["record"]
    return {"doc_id": r["doc_id"], "lang": r["lang"], "genre": r["genre"], "date": r["date"],
            "speaker": r["speaker"], "title": r["title"],
            "sentences": [{"id": u["id"], "text": u["text"]} for u in pd["units"]]}


def _cmd_batches(args: argparse.Namespace) -> int:
    skeleton = load_skeleton(args.skeleton)
    by_lang: dict[str, list[dict]] = defaultdict(list)
    for pd in skeleton:
        by_lang[pd["record"]["lang"]].append(_passage_view(pd))
    return _write_batch_files(args, {lang: (views, "")
                                     for lang, views in sorted(by_lang.items())})


def _write_batch_files(args: argparse.Namespace,
                       by_lang: dict[str, tuple[list[dict], str]]) -> int:
    """Write every language's batches (each printed with its ``by_lang`` note) through
    :func:`_write_answered`; 2 when refused."""
    plans = {lang: plan_batches(views, args.size, f"{args.prefix}_{lang}")
             for lang, (views, _) in by_lang.items()}
    files = {args.out / name: text for named in plans.values() for name, text in named}
    rc = _write_answered(args, files, [f"{args.prefix}_{lang}_*.jsonl" for lang in plans],
                         "batch files")
    if rc == 0:
        for lang, named in plans.items():
            print(f"{lang}: {by_lang[lang][1]}{len(named)} batches")
    return rc


def _write_answered(args: argparse.Namespace, files: dict[Path, str],
                    earlier: list[str], what: str) -> int:
    """Write ``files`` (path -> text) into ``args.out``, each atomically: files that
    annotators answer by name, so none already there is replaced without ``--overwrite``
    (checked for all before any is written; 2 when refused). Files of an earlier, larger
    run that match the ``earlier`` globs and are not rewritten are named in a note."""
    problem = output_problem(*files, overwrite=args.overwrite)
    if problem:
        print(f"error: {args.cmd}: {problem}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        write_text_atomic(path, text)
    left = sorted(p.name for glob in earlier for p in args.out.glob(glob) if p not in files)
    if left:
        print(f"note: {len(left)} {what} of an earlier run left in {args.out} "
              f"(first: {left[0]})", file=sys.stderr)
    return 0


def _require_folders(args: argparse.Namespace, *names: str) -> None:
    """Raise :class:`InputError` naming the option of the first of ``names`` (argument
    names) that is not a folder: a mistyped folder must not read as an empty pass."""
    for name in names:
        require_folder(getattr(args, name), "--" + name.replace("_", "-"))


def _cmd_adjudicate(args: argparse.Namespace) -> int:
    _require_folders(args, "batches", "pass_a", "pass_b")
    skeleton = load_skeleton(args.skeleton)
    a = load_labels(args.batches, args.pass_a)
    b = load_labels(args.batches, args.pass_b)
    items = []
    for pd in skeleton:
        ids = [u["id"] for u in pd["units"] if u["id"] in a and u["id"] in b
               and a[u["id"]][0] == u["text"] == b[u["id"]][0]]
        la = {i: a[i][1] for i in ids}
        lb = {i: b[i][1] for i in ids}
        items += adjudication_items(_passage_view(pd), la, lb, disagreements(la, lb, ids))
    if args.out.exists() and not args.out.is_dir():
        raise InputError(f"--out {args.out}: not a folder")
    # The adjudicators answer these files by name: replacing one under its answers would
    # pair the answers with other items, so only --overwrite replaces them.
    files = {args.out / f"adjudicate_{k // args.size + 1:03d}.jsonl":
             jsonl_text(items[k:k + args.size]) for k in range(0, len(items), args.size)}
    rc = _write_answered(args, files, ["adjudicate_*.jsonl"], "adjudication files")
    if rc == 0:
        print(f"{len(items)} disagreements -> {args.out}")
    return rc


def _cmd_merge(args: argparse.Namespace) -> int:
    if args.append and args.balance:
        print("error: merge: --append and --balance exclude each other (balancing would "
              "leave out passages of the corpus appended to)", file=sys.stderr)
        return 2
    # Every input is checked before anything is written: a mistyped folder once read as
    # a pass without labels and replaced the corpus in --out with an empty one.
    _require_folders(args, "batches", "pass_a", "pass_b", "adjudicated", "adjudicate_dir")
    if args.out.exists() and not args.out.is_dir():
        raise InputError(f"--out {args.out}: not a folder")
    skeleton = load_skeleton(args.skeleton)
    a = load_labels(args.batches, args.pass_a)
    b = load_labels(args.batches, args.pass_b)
    adj = load_adjudicated(args.adjudicated, args.adjudicate_dir)
    old_docs, old_sents = read_corpus_rows(args.out) if args.append else ([], [])
    split_of = {d["doc_id"]: d["split"] for d in old_docs}
    docs, sents, stats = merge_corpus(skeleton, a, b, adj,
                                      [(split_of[s["doc_id"]], s["text"]) for s in old_sents])
    if args.append:
        stats["appended_documents"], stats["appended_sentences"] = len(docs), len(sents)
        docs, sents = append_corpus(old_docs, old_sents, docs, sents)
    dropped = None
    if args.balance:
        docs, sents, dropped = balance(docs, sents, FLOORS)
        stats["balance_dropped_documents"] = len(dropped)
        stats["balance_dropped_sentences"] = stats["agreement"] + stats["adjudication"] \
            - len(sents)
    print(json.dumps(stats))
    try:
        write_corpus(args.out, docs, sents, allow_shrink=args.allow_shrink)
    except ShrinkError as e:
        print(f"error: merge: {e}; nothing written", file=sys.stderr)
        return 2
    if dropped is not None:
        write_text_atomic(args.out / "balance_dropped.txt", "".join(d + "\n" for d in dropped))
    return 0


def _contrast_passes(args: argparse.Namespace):
    from .contrast import passages, read_items, writer_pass

    _require_folders(args, "batches", "pass_b")
    items = read_items(args.writers)
    b = {sid: label for sid, (_, label) in load_labels(args.batches, args.pass_b).items()}
    missing = [s["id"] for it in items for s in it["sentences"] if s["id"] not in b]
    if missing:
        raise SystemExit(f"error: {args.pass_b}: {len(missing)} sentences have no pass b label "
                         f"(first: {missing[0]})")
    return items, passages(items), writer_pass(items), b


def _cmd_contrast_batches(args: argparse.Namespace) -> int:
    import random

    from .contrast import passages, read_items

    views = passages(read_items(args.writers))
    # Shuffled, so an annotator does not read a set's three variants side by side and label
    # them against each other.
    random.Random(args.seed).shuffle(views)
    by_lang: dict[str, list[dict]] = defaultdict(list)
    for view in views:
        by_lang[view["lang"]].append(view)
    return _write_batch_files(args, {
        lang: (of_lang, f"{sum(len(v['sentences']) for v in of_lang)} sentences, ")
        for lang, of_lang in sorted(by_lang.items())})


def _cmd_contrast_adjudicate(args: argparse.Namespace) -> int:
    _, views, a, b = _contrast_passes(args)
    items = [x for v in views for x in adjudication_items(
        v, a, b, disagreements(a, b, [s["id"] for s in v["sentences"]]))]
    # Answered by name, as adjudicate's files.
    rc = _write_answered(args, {args.out / f"{args.name}.jsonl": jsonl_text(items)}, [],
                         "adjudication files")
    if rc == 0:
        print(f"{len(items)} disagreements -> {args.out}")
    return rc


def _cmd_contrast_merge(args: argparse.Namespace) -> int:
    from ..data.contrastcard import (
        CONTRAST_FILES,
        contrast_agreement_page,
        contrast_agreement_table,
    )
    from .contrast import contrast_rows

    if not Path(f"{args.name}.jsonl").match(CONTRAST_FILES):
        # The card and AGREEMENT.md read only those files: another name would be left out.
        raise SystemExit(f"error: --name {args.name}: {args.name}.jsonl does not match "
                         f"{CONTRAST_FILES}")
    items, _, a, b = _contrast_passes(args)
    adj = {sid: label for sid, (_, label) in
           load_adjudicated(args.adjudicated, args.adjudicate_dir).items()}
    rows = contrast_rows(items, a, b, adj)
    args.out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(args.out / f"{args.name}.jsonl", jsonl_text(rows))
    table = contrast_agreement_table(rows)
    write_text_atomic(args.out / "AGREEMENT.md", contrast_agreement_page(args.out))
    print(table)
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from .build import RECIPE, build
    from .sources import EXTRACTORS

    only = set(args.plans) if args.plans else None
    repos = ({EXTRACTORS[p.source].REPO for p in RECIPE if p.label in only}
             if only else None)
    require_folder(args.real, "corpus folder")
    want = {}
    for n, d in jsonl_objects(args.real / "documents.jsonl"):
        check_fields(d, f"{args.real / 'documents.jsonl'}:{n}",
                     {"doc_id": str, "text": str, "source_repo": str, "commit": str})
        if repos is None or d["source_repo"] in repos:
            want[d["doc_id"]] = d
    commits = {d["source_repo"]: d["commit"] for d in want.values()}
    got = {pd.record["doc_id"]: pd.record
           for pd in build(args.mirror, commits=commits, only=only)}
    bad = [k for k, d in want.items() if k not in got or got[k]["text"] != d["text"]]
    for k in bad[:20]:
        print(f"{args.real / 'documents.jsonl'}: {k}: text differs from the rebuild "
              f"({'missing' if k not in got else 'changed'})")
    print(f"{len(want) - len(bad)} of {len(want)} documents rebuilt identically")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m geostance.harvest``."""
    ap = argparse.ArgumentParser(prog="python -m geostance.harvest", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("build", help="extract, select and segment into a skeleton")
    p.add_argument("--mirror", required=True, help="folder of fetched snapshots (OWNER+NAME/repo)")
    p.add_argument("--out", type=Path, required=True, help="skeleton JSONL to write")
    p.add_argument("--plans", nargs="+", metavar="NAME",
                   help="build only these plans of build.RECIPE (a source added later)")
    p.add_argument("--skip-existing", type=Path, metavar="DIR",
                   help="leave out passages already in DIR/documents.jsonl (a later plan "
                        "built with the earlier plans of its source); error if one of them "
                        "rebuilds differently")
    p.set_defaults(fn=_cmd_build)
    p = sub.add_parser("batches", help="annotation batches from a skeleton, one language each")
    p.add_argument("skeleton", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--size", type=positive_int, default=360, help="sentences per batch (about)")
    p.add_argument("--prefix", default="batch")
    p.add_argument("--overwrite", action="store_true",
                   help="replace batch files already in --out (passes may answer them)")
    p.set_defaults(fn=_cmd_batches)
    for name, fn, help_ in (("adjudicate", _cmd_adjudicate, "items for every disagreement"),
                            ("merge", _cmd_merge, "write data/real from passes")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("skeleton", type=Path)
        p.add_argument("--batches", type=Path, required=True)
        p.add_argument("--pass-a", type=Path, required=True)
        p.add_argument("--pass-b", type=Path, required=True)
        p.add_argument("--out", type=Path, required=True)
        if name == "adjudicate":
            p.add_argument("--size", type=positive_int, default=150, help="items per file")
            p.add_argument("--overwrite", action="store_true",
                           help="replace adjudication files already in --out (their "
                                "answers, if any, would no longer match them)")
        else:
            p.add_argument("--adjudicated", type=Path, required=True,
                           help="adjudication passes, one file per adjudication file")
            p.add_argument("--adjudicate-dir", type=Path, required=True,
                           help="the adjudication items the passes answer")
            p.add_argument("--balance", action="store_true",
                           help="leave out all-neutral passages until each stance has 20%% "
                                "(see merge.balance)")
            p.add_argument("--append", action="store_true",
                           help="add the settled sentences to the corpus already in --out "
                                "(a source built alone with build --plans); not with "
                                "--balance")
            p.add_argument("--allow-shrink", action="store_true",
                           help="write the merge even when it keeps no documents or fewer "
                                "than --out holds (refused otherwise: a mistyped pass "
                                "folder would empty the corpus)")
        p.set_defaults(fn=fn)
    for name, fn, help_ in (
            ("contrast-batches", _cmd_contrast_batches, "blind annotation batches of the "
             "contrast set's writer files"),
            ("contrast-adjudicate", _cmd_contrast_adjudicate, "items for every disagreement "
             "between the writers and pass b"),
            ("contrast-merge", _cmd_contrast_merge, "settle the passes into "
             "data/contrast/sentences.jsonl and AGREEMENT.md")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("writers", type=Path, nargs="+", help="writer JSONL files")
        p.add_argument("--out", type=Path, required=True)
        if name == "contrast-batches":
            p.add_argument("--size", type=positive_int, default=400,
                           help="sentences per batch (about)")
            p.add_argument("--overwrite", action="store_true",
                           help="replace batch files already in --out")
            p.add_argument("--seed", type=int, default=0, help="seed of the item order")
            p.add_argument("--prefix", default="contrast", help="batch file names: "
                           "PREFIX_<lang>_NNN.jsonl (another prefix for a later round)")
        else:
            p.add_argument("--batches", type=Path, required=True)
            p.add_argument("--pass-b", type=Path, required=True,
                           help="one file per batch file, same name")
        if name == "contrast-adjudicate":
            p.add_argument("--name", default="adjudicate_001",
                           help="file name (without .jsonl) of the items written to --out")
            p.add_argument("--overwrite", action="store_true",
                           help="replace that file (its answers, if any, would no longer "
                                "match it)")
        if name == "contrast-merge":
            p.add_argument("--name", default="sentences", help="writes --out/NAME.jsonl "
                           "(another name for a later round; AGREEMENT.md covers every "
                           "sentences*.jsonl there)")
            p.add_argument("--adjudicate-dir", type=Path, required=True)
            p.add_argument("--adjudicated", type=Path, required=True,
                           help="adjudication passes, one file per adjudication file")
        p.set_defaults(fn=fn)
    p = sub.add_parser("verify", help="rebuild from snapshots and compare document texts")
    p.add_argument("--mirror", required=True, help="folder of fetched snapshots "
                   "(OWNER+NAME/repo)")
    p.add_argument("real", type=Path, help="the real corpus folder (data/real)")
    p.add_argument("--plans", nargs="+", metavar="NAME",
                   help="rebuild only these plans and check only their sources' documents")
    p.set_defaults(fn=_cmd_verify)
    args = ap.parse_args(argv)
    try:
        return args.fn(args)
    except PlanError as e:  # an unknown plan name, or plans that must be built together
        print(f"error: {e}", file=sys.stderr)
        return 2
    except PassError as e:  # one line per problem, naming file, line and field
        print(f"error: {e}", file=sys.stderr)
        return 1
    except (SnapshotError, InputError, JsonlError, ShrinkError) as e:
        # A source repository not fetched into --mirror; a missing or malformed input.
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
