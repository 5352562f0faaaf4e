"""``sweep``: train configurations with several seeds and compare them on real dev sets.

    python -m geostance.evaluation sweep configs/sweep/*.yaml --seeds 13 14 15 \\
        --out /work/exp/sweep --report reports/sweep.md

Each CONFIG is a YAML overlay merged over ``--base`` (``configs/default.yaml``); its
file stem names it, and the first one is the baseline the others are compared
with. Every (config, seed) runs ``train.py`` in its own process into
``OUT/<name>/`` (a finished run is not repeated, so an interrupted sweep continues).
The report gives, per configuration, the mean and spread (standard deviation over
seeds) of stance and kind macro-F1 on ``realnews_dev`` and on the real corpus's dev
split, a 95% bootstrap interval of the seed-averaged stance F1 (sentences
resampled), the paired difference to the baseline with its interval (on the sentences
both scored, matched by id, where a corpus grew between them), and the training time
per run. Choices are made on these, never on a test split.

``--jobs N`` trains N runs at a time (each in its own process, as one at a time would).

``--baseline-runs DIR`` reuses finished runs of the baseline instead of training it
again (for example another sweep's ``OUT/<name>/``, whose runs end in ``-s<seed>``):
the first CONFIG is then only compared with them, and any setting in which they differ
from it (with ``--train-args`` applied) is reported before the table.
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, TextIO

import yaml

from ..cli import positive_int, train_parser
from ..config import apply_overrides
from ..fileio import emit_report, output_problem, render_table, write_text_atomic
from .bootstrap import bootstrap_ci, paired_difference_ci
from .speakers import GROUPS, scores_by_speaker, speaker_groups

__all__ = ["merge", "run_sweep", "collect", "report", "baseline_run", "load_run",
           "config_differences", "main"]

SETS = ("realnews_dev", "realdev")
N_STANCES, N_KINDS = 3, 4


def merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """``overlay`` merged into ``base`` section by section (overlay wins)."""
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    for section, values in (overlay or {}).items():
        if isinstance(values, dict):
            out.setdefault(section, {}).update(values)
        else:
            out[section] = values
    return out


def _run_dir(out: Path, name: str, seed: int) -> Path | None:
    return _finished(out / name, f"*-{name}-s{seed}")


def _finished(folder: Path, pattern: str) -> Path | None:
    """The newest finished run (it has ``COMPLETED``) in ``folder`` matching ``pattern``."""
    done = [r for r in sorted(folder.glob(pattern)) if (r / "COMPLETED").exists()]
    return done[-1] if done else None


def baseline_run(folder: Path, seed: int) -> Path | None:
    """A reused baseline's finished run for ``seed`` in ``folder`` (any run name)."""
    return _finished(folder, f"*-s{seed}")


# Settings that name or place a run, not what it learns.
_RUN_KEYS = {("train", "seed"), ("train", "name"), ("train", "output_dir")}


def config_differences(expected: dict[str, Any], run_config: dict[str, Any]) -> list[str]:
    """``section.key (run: x, config: y)`` for every setting of ``expected`` (an overlay
    merged over the base) that a run's resolved ``config.yaml`` holds otherwise; the
    settings that only name or place a run are left out."""
    diffs = []
    for section, values in expected.items():
        if not isinstance(values, dict):
            continue
        for key, want in values.items():
            if (section, key) in _RUN_KEYS:
                continue
            got = (run_config.get(section) or {}).get(key)
            # 2 and 2.0 are the same setting; so are "1" and 1, "true" and true (a run's
            # config.yaml holds typed values, --train-args strings, the YAML either).
            same = got == want or str(got).lower() == str(want).lower() or (
                isinstance(got, (int, float)) and isinstance(want, (int, float))
                and float(got) == float(want))
            if not same:
                diffs.append(f"{section}.{key} (run: {got!r}, config: {want!r})")
    return diffs


def _soup_dir(out: Path, name: str) -> Path | None:
    done = [r for r in sorted((out / name).glob(f"*-{name}-soup")) if (r / "COMPLETED").exists()]
    return done[-1] if done else None


def _soup(out: Path, name: str, seeds: list[int], python: str) -> None:
    runs = [d for seed in seeds if (d := _run_dir(out, name, seed))]
    if len(runs) < 2 or _soup_dir(out, name):
        return
    cmd = [python, "-m", "geostance.train.soup", *map(str, runs), "--out", str(out / name),
           "--name", f"{name}-soup"]
    with (out / name / "soup.log").open("w") as log:
        rc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT).returncode
    print(f"[sweep] {name} soup of {len(runs)}: exit {rc}", file=sys.stderr, flush=True)


def run_sweep(configs: list[Path], seeds: list[int], base: Path, out: Path,
              extra: list[str] | None = None, python: str = sys.executable,
              keep_checkpoints: bool = False, jobs: int = 1) -> list[tuple[str, int]]:
    """Train every configuration with every seed (skipping finished runs), ``jobs``
    processes at a time; return the (config, seed) pairs whose training failed. (To reuse
    a baseline's runs, leave it out of ``configs``.)

    A finished run's ``checkpoints/`` (weights and optimizer state, about 1 GB per run
    with e5-small; only ``--train.resume`` reads them) is deleted by ``train.py`` itself
    unless ``keep_checkpoints`` (``--train.keep_checkpoints``): its ``model/`` holds the
    weights the sweep reports on.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be >= 1, got {jobs}")
    base_values = yaml.safe_load(base.read_text(encoding="utf-8")) or {}
    pending: list[tuple[str, int, list[str]]] = []
    for cfg in configs:
        name = cfg.stem
        merged = merge(base_values, yaml.safe_load(cfg.read_text(encoding="utf-8")) or {})
        (out / name).mkdir(parents=True, exist_ok=True)
        cfg_path = out / name / "config.yaml"
        write_text_atomic(cfg_path, yaml.safe_dump(merged, sort_keys=False))
        for seed in seeds:
            if not _run_dir(out, name, seed):
                pending.append((name, seed, [
                    python, "train.py", "--config", str(cfg_path), "--train.seed", str(seed),
                    "--train.output_dir", str(out / name), "--train.name", f"{name}-s{seed}",
                    "--train.keep_checkpoints", str(keep_checkpoints).lower(),
                    *(extra or [])]))
    failed: list[tuple[str, int]] = []
    # Several runs at a time pay where one run leaves the machine idle (a GPU, many cores);
    # on a 2-core CPU one at a time is as fast (each run uses both cores).
    running: list[tuple[str, int, subprocess.Popen, float, TextIO]] = []
    while pending or running:
        while pending and len(running) < jobs:
            name, seed, cmd = pending.pop(0)
            print(f"[sweep] {name} seed {seed}: {' '.join(cmd[1:])}", file=sys.stderr,
                  flush=True)
            log = (out / name / f"train-s{seed}.log").open("w")
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
            running.append((name, seed, proc, time.time(), log))
        time.sleep(0.2)  # poll: a run takes minutes
        for item in [r for r in running if r[2].poll() is not None]:
            name, seed, proc, t0, log = item
            rc = proc.returncode
            log.close()
            running.remove(item)
            print(f"[sweep] {name} seed {seed}: exit {rc} after {time.time() - t0:.0f} s",
                  file=sys.stderr, flush=True)
            if rc != 0:
                failed.append((name, seed))
    return failed


def collect(configs: list[Path], seeds: list[int], out: Path,
            baseline_runs: Path | None = None) -> dict[str, list[dict]]:
    """Metrics and per-sentence predictions of every finished run, by configuration; the
    first configuration's from ``baseline_runs`` when that is given."""
    runs: dict[str, list[dict]] = {}
    for i, cfg in enumerate(configs):
        name = cfg.stem
        runs[name] = []
        for seed in seeds:
            d = baseline_run(baseline_runs, seed) if i == 0 and baseline_runs else \
                _run_dir(out, name, seed)
            if d is None:
                continue
            runs[name].append(load_run(d, seed))
        if (d := _soup_dir(out, name)) is not None:
            runs[f"{name} (soup)"] = [load_run(d, "soup")]
    return runs


def load_run(d: Path, seed: int | str) -> dict:
    """A finished run's ``metrics.json`` and ``eval_predictions.json`` (``arrays``; empty
    when absent), with its ``seed`` and folder ``dir``: the record :func:`report` reads."""
    m = json.loads((d / "metrics.json").read_text(encoding="utf-8"))
    p = d / "eval_predictions.json"
    arrays = json.loads(p.read_text(encoding="utf-8")) if p.is_file() else {}
    return {"seed": seed, "dir": d, "metrics": m, "arrays": arrays}


def _mean_sd(xs: list[float]) -> str:
    if not xs:
        return "-"
    sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return f"{statistics.mean(xs):.3f} ± {sd:.3f}"


def _get(m: dict, path: str) -> float | None:
    node: Any = m
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return float(node) if isinstance(node, (int, float)) else None


def report(runs: dict[str, list[dict]], resamples: int = 1000,
           groups: list[str] | None = None, sets: tuple[str, ...] = SETS) -> str:
    """The Markdown tables of a sweep (see the module docstring); with ``groups`` (from
    :func:`.speakers.speaker_groups`) also realdev stance by speaker status. ``sets``
    are the evaluation sets reported (``realtest`` may be added to *report* a test
    score; choices are made on the default two)."""
    names = [n for n in runs if runs[n]]
    if not names:
        return "No finished runs."
    base = names[0]
    rows = []
    for name in names:
        rs = runs[name]
        row: list[Any] = [name, len(rs)]
        for s in sets:
            for head in ("stance", "kind"):
                vals = [_get(r["metrics"], f"{s}.{head}.macro_f1") for r in rs]
                row.append(_mean_sd([v for v in vals if v is not None]))
            preds = [r["arrays"][s]["stance_pred"] for r in rs if s in r["arrays"]]
            if preds:
                gold = rs[0]["arrays"][s]["stance_gold"]
                _, lo, hi = bootstrap_ci(gold, preds, N_STANCES, resamples)
                row.append(f"[{lo:.3f}, {hi:.3f}]")
                barrs = [r["arrays"][s] for r in runs[base] if s in r["arrays"]]
                if name == base or not barrs:
                    row.append("baseline" if name == base else "-")
                else:
                    row.append(_paired_cell([r["arrays"][s] for r in rs if s in r["arrays"]],
                                            barrs, resamples))
            else:
                row += ["-", "-"]
        secs = [v for r in rs if (v := _get(r["metrics"], "train_seconds")) is not None]
        row.append(f"{statistics.mean(secs):.0f}" if secs else "-")
        rows.append(row)
    head = ["config", "seeds"]
    for s in sets:
        head += [f"{s} stance F1", f"{s} kind F1", f"{s} stance 95% CI",
                 f"{s} stance vs {base}"]
    head.append("train s/run")
    out = render_table(head, rows, markdown=True)
    if groups:
        out += "\n\n" + _speaker_table(runs, names, groups)
    return out


def _ids(arrs: list[dict]) -> list[str] | None:
    """The stance sentence ids all ``arrs`` share in the same order, or None (runs written
    before ids were stored, or ids missing or repeated)."""
    ids = [a.get("stance_id") for a in arrs]
    first = ids[0]
    if not first or any(i != first for i in ids) or "" in first or len(set(first)) < len(first):
        return None
    return first


def _paired_cell(arrs: list[dict], barrs: list[dict], resamples: int) -> str:
    """The paired stance macro-F1 difference of ``arrs`` against the baseline's ``barrs``
    (one per seed) with its 95% interval. Where the two scored different sentences (a
    corpus that grew between them), the difference is taken on the sentences both scored,
    matched by id, and the cell says how many; without ids there is no paired difference."""
    gold, bgold = arrs[0]["stance_gold"], barrs[0]["stance_gold"]
    preds = [a["stance_pred"] for a in arrs]
    bpreds = [a["stance_pred"] for a in barrs]
    note = ""
    ids, bids = _ids(arrs), _ids(barrs)
    if ids is not None and bids is not None and ids != bids:
        at = {sid: i for i, sid in enumerate(ids)}
        both = [(at[sid], j) for j, sid in enumerate(bids) if sid in at]
        if not both:
            return f"other set ({len(gold)} vs {len(bgold)})"
        if any(gold[i] != bgold[j] for i, j in both):
            return "other gold labels"
        gold = [bgold[j] for _, j in both]
        preds = [[p[i] for i, _ in both] for p in preds]
        bpreds = [[p[j] for _, j in both] for p in bpreds]
        note = f" on {len(both)} shared"
    elif len(gold) != len(bgold):
        return f"other set ({len(gold)} vs {len(bgold)})"
    d, lo, hi = paired_difference_ci(gold, preds, bpreds, N_STANCES, resamples)
    return f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}]{note}"


def _speaker_table(runs: dict[str, list[dict]], names: list[str], groups: list[str]) -> str:
    """realdev stance macro-F1 by speaker status (see :mod:`.speakers`)."""
    rows = []
    for name in names:
        rs = [r for r in runs[name] if "realdev" in r["arrays"]]
        if not rs or len(rs[0]["arrays"]["realdev"]["stance_gold"]) != len(groups):
            continue
        sc = scores_by_speaker(groups, rs[0]["arrays"]["realdev"]["stance_gold"],
                               [r["arrays"]["realdev"]["stance_pred"] for r in rs])
        rows.append([name, len(rs), *(f"{sc[g]['mean']:.3f} ± {sc[g]['sd']:.3f}" if g in sc
                                      else "-" for g in GROUPS)])
    n = {g: groups.count(g) for g in GROUPS}
    head = ["config", "seeds", *(f"realdev stance F1, speaker {g} (n={n[g]})" for g in GROUPS)]
    return ("Stance by speaker status on realdev: the speaker the sources rules find is "
            "none, also speaks in training (seen), or does not (unseen).\n\n"
            + render_table(head, rows, markdown=True))


def main(argv: list[str] | None = None) -> int:
    """``sweep CONFIG... [--seeds ...] [--out DIR] [--report FILE] [--report-only]``.

    Exit code 0; 1 when a training run failed (the report still covers the others) or
    no run is finished; 2 for a missing config file or a --report that may not be written."""
    ap = argparse.ArgumentParser(prog="python -m geostance.evaluation sweep",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("configs", nargs="+", type=Path, help="YAML overlays; the first is the "
                    "baseline")
    ap.add_argument("--seeds", nargs="+", type=int, default=[13, 14, 15],
                    help="one training run per configuration and seed (default: 13 14 15)")
    ap.add_argument("--base", type=Path, default=Path("configs/default.yaml"),
                    help="the configuration every overlay is applied to (default: "
                    "configs/default.yaml)")
    ap.add_argument("--out", type=Path, default=Path("runs/sweep"),
                    help="runs go to OUT/<overlay name>/ (default: runs/sweep)")
    ap.add_argument("--report", default="", help="also write the Markdown table here (a "
                    "new file, or --overwrite)")
    ap.add_argument("--overwrite", action="store_true", help="replace --report if it exists")
    ap.add_argument("--report-only", action="store_true", help="do not train; report the "
                    "finished runs")
    ap.add_argument("--resamples", type=positive_int, default=1000,
                    help="bootstrap resamples (at least 1)")
    ap.add_argument("--soup", action="store_true", help="also average each configuration's "
                    "seeds into one model (python -m geostance.train.soup) and report it")
    ap.add_argument("--with-test", action="store_true", help="also report the real test "
                    "split (a figure to report, never one to choose by)")
    ap.add_argument("--by-speaker", action="store_true", help="also report realdev stance "
                    "by speaker status (none / seen in training / unseen)")
    ap.add_argument("--train-args", default="", help="extra train.py arguments for every run "
                    "(one string, split as a shell would: '' is an empty value)")
    ap.add_argument("--baseline-runs", type=Path, default=None, help="reuse the finished "
                    "runs in this folder (one per seed, named *-s<seed>) as the first "
                    "config's instead of training it")
    ap.add_argument("--jobs", type=int, default=1, help="training runs at a time (1 on a "
                    "small CPU; several on a GPU or a many-core machine, each run then "
                    "best given --train.threads)")
    ap.add_argument("--keep-checkpoints", action="store_true", help="keep each finished "
                    "run's checkpoints/ (about 1 GB a run; train.py deletes them by "
                    "default: model/ holds the weights)")
    args = ap.parse_args(argv)
    if args.jobs < 1:
        print(f"error: --jobs must be >= 1, got {args.jobs}", file=sys.stderr)
        return 2
    missing = [c for c in [*args.configs, args.base] if not c.is_file()]
    if missing:
        print(f"error: config file not found: {missing[0]}", file=sys.stderr)
        return 2
    problem = output_problem(args.report, overwrite=args.overwrite)
    if problem:  # before hours of training, not after
        print(f"error: --report: {problem}", file=sys.stderr)
        return 2
    extra = shlex.split(args.train_args)  # shell quoting: '' passes an empty value
    if args.baseline_runs is not None and not _check_baseline(args, extra):
        return 2
    to_train = args.configs[1:] if args.baseline_runs is not None else args.configs
    failed = [] if args.report_only else run_sweep(to_train, args.seeds, args.base,
                                                   args.out, extra,
                                                   keep_checkpoints=args.keep_checkpoints,
                                                   jobs=args.jobs)
    if args.soup:  # evaluation only: also after --report-only
        for cfg in args.configs:
            _soup(args.out, cfg.stem, args.seeds, sys.executable)
    from ..data.corpus import sentence_files

    data = (yaml.safe_load(args.base.read_text(encoding="utf-8")) or {}).get("data", {})
    real_dir = Path(data.get("real_dir") or "data/real")
    groups = speaker_groups(real_dir, Path(data.get("corpus_dir") or "data/corpus")) \
        if args.by_speaker and any(f.is_file() for f in sentence_files(real_dir)) else None
    sets = (*SETS, "realtest") if args.with_test else SETS
    runs = collect(args.configs, args.seeds, args.out, args.baseline_runs)
    rc = 0
    if not any(runs.values()):  # a mistyped --out, say: nothing to report is a failure
        print(f"error: no finished runs of {', '.join(c.stem for c in args.configs)} with "
              f"seeds {' '.join(map(str, args.seeds))} under {args.out}", file=sys.stderr)
        rc = 1
    elif not emit_report(report(runs, args.resamples, groups, sets), args.report or None):
        rc = 2
    if failed:
        # The report covers only the finished runs and says nothing of the failed ones;
        # scripts and CI must see that the sweep is incomplete.
        print(f"error: {len(failed)} run(s) failed: " + ", ".join(
            f"{n} seed {s} (see {args.out / n / f'train-s{s}.log'})" for n, s in failed),
            file=sys.stderr)
        return 1
    return rc


def _check_baseline(args: argparse.Namespace, extra: list[str]) -> bool:
    """Whether ``--baseline-runs`` holds a finished run for every seed (else an error on
    stderr); says on stderr where those runs' settings differ from the first config."""
    folder: Path = args.baseline_runs
    if len(args.configs) < 2:
        # One config would be "reused" as its own baseline: nothing trains and the report
        # shows the old runs under the new config's name.
        print(f"error: --baseline-runs {folder}: give the baseline's config first and at "
              f"least one config to compare (got only {args.configs[0]})", file=sys.stderr)
        return False
    runs = {seed: baseline_run(folder, seed) for seed in args.seeds}
    missing = [seed for seed, d in runs.items() if d is None]
    if missing:
        print(f"error: --baseline-runs {folder}: no finished run for seed "
              f"{missing[0]} (a folder *-s{missing[0]} with COMPLETED)", file=sys.stderr)
        return False
    base_values = yaml.safe_load(args.base.read_text(encoding="utf-8")) or {}
    overlay = yaml.safe_load(args.configs[0].read_text(encoding="utf-8")) or {}
    overrides, _ = train_parser().parse_known_args(extra)  # what train.py would apply
    expected = apply_overrides(merge(base_values, overlay), overrides)
    for d in runs.values():
        used = yaml.safe_load((d / "config.yaml").read_text(encoding="utf-8")) or {}
        for diff in config_differences(expected, used):
            print(f"note: baseline run {d.name} differs from {args.configs[0].name}: {diff}",
                  file=sys.stderr)
    return True
