"""Error analysis of a run on real text, for ``notebooks/01_evaluate.ipynb``.

:func:`scored` rescans one evaluation set with the run's model (the data settings of
its ``config.yaml``; ``realnews_dev`` from ``../shared``) and keeps, per sentence,
gold and predicted labels, confidence, language and genre. The tables group those
rows: errors by language or genre (:func:`errors_by`), the most confident mistakes
(:func:`confident_mistakes`), and the sentences whose stance changed between two
runs (:func:`changed`). :func:`compare_runs` sets two runs' headline metrics side
by side (the old and the new default). :func:`seed_article_coherence` shows the seed
article's stances in article mode with and without the stance coherence chain. Tables
are :class:`~.plots.Table` objects.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..fileio import read_jsonl
from .plots import Table, load_metrics

__all__ = ["SETS", "scored", "errors_by", "confident_mistakes", "changed", "compare_runs",
           "seed_article_coherence"]

SETS = ("realnews_dev", "realtest", "realdev", "test")
HEADLINE = ("realnews_dev.stance.macro_f1", "realnews_dev.kind.macro_f1",
            "realtest.stance.macro_f1", "realtest.kind.macro_f1", "realdev.stance.macro_f1",
            "test.stance.macro_f1", "seed_article.stance_accuracy", "realtest.source.exact",
            "train_seconds")


def _rows(run_dir: Path, split: str) -> list[Any]:
    from ..data import load_realnews, load_splits
    from ..evaluation.runs import run_config

    data = run_config(run_dir).data
    if split == "realnews_dev":
        rows = load_realnews(data.realnews_dev)
        if rows is None:
            raise FileNotFoundError(f"{data.realnews_dev}: realnews_dev is absent")
        return rows
    return load_splits(data)[split]


def _genres(run_dir: Path) -> dict[str, str]:
    """Document id -> genre, from the real corpus's documents.jsonl when there is one."""
    from ..evaluation.runs import run_config

    path = Path(run_config(run_dir).data.real_dir) / "documents.jsonl"
    if not path.is_file():
        return {}
    # read_jsonl, not str.splitlines: that also splits at U+2028 inside a text, and a
    # blank line was a JSONDecodeError.
    return {d["doc_id"]: d.get("genre", "") for d in read_jsonl(path)}


@functools.lru_cache(maxsize=8)
def _scored(run_dir: str, split: str) -> tuple[dict[str, Any], ...]:
    from ..predict.predictor import Predictor

    run = Path(run_dir)
    rows = _rows(run, split)
    genres = _genres(run)
    pred = Predictor.load(run / "model")
    items = [{"text": s.text, "title": s.title, "context_prev": s.context_prev} for s in rows]
    if pred.uses_speaker:  # as the training run's evaluation gives them: per document
        from ..evaluation.realnews import speakers_of

        for item, speaker in zip(items, speakers_of(rows), strict=True):
            item["speaker"] = speaker
    out = []
    for s, p in zip(rows, pred.predict_sentences(items), strict=True):
        stance = max(p["stance_probs"], key=p["stance_probs"].get)  # also for boilerplate
        out.append({"id": s.id, "lang": s.lang, "genre": genres.get(s.article_id, ""),
                    "text": s.text, "gold_kind": s.kind, "kind": p["kind"],
                    "kind_confidence": p["kind_probs"][p["kind"]], "gold_stance": s.stance,
                    "stance": stance, "stance_confidence": p["stance_probs"][stance]})
    return tuple(out)


def scored(run_dir: str | Path, split: str) -> list[dict[str, Any]]:
    """One row per sentence of ``split`` (one of :data:`SETS`) with gold and predicted
    labels; computed once per run and split in a session."""
    if split not in SETS:
        raise ValueError(f"split {split!r} not in {', '.join(SETS)}")
    return list(_scored(str(Path(run_dir).resolve()), split))


def _macro_f1(gold: list[str], pred: list[str]) -> float:
    labels = sorted(set(gold) | set(pred))
    f1s = []
    for c in labels:
        tp = sum(g == c == p for g, p in zip(gold, pred, strict=True))
        fp = sum(p == c != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c != p for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s) if f1s else float("nan")


def errors_by(run_dir: str | Path, split: str, field: str = "lang") -> Table:
    """Stance errors grouped by ``field`` (lang or genre): size, accuracy, macro-F1 and
    the most common confusion (gold -> predicted) in each group."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in scored(run_dir, split):
        if r["gold_stance"]:
            groups[r[field] or "-"].append(r)
    out = []
    for g, rs in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        wrong = [r for r in rs if r["stance"] != r["gold_stance"]]
        pairs: dict[str, int] = defaultdict(int)
        for r in wrong:
            pairs[f"{r['gold_stance']} -> {r['stance']}"] += 1
        top = max(pairs.items(), key=lambda kv: kv[1]) if pairs else ("", 0)
        out.append({field: g, "n": len(rs), "accuracy": 1 - len(wrong) / len(rs),
                    "macro_f1": _macro_f1([r["gold_stance"] for r in rs],
                                          [r["stance"] for r in rs]),
                    "errors": len(wrong), "commonest error": f"{top[0]} ({top[1]})"})
    return Table(out, f"{split}: stance by {field}")


def confident_mistakes(run_dir: str | Path, split: str = "realtest", n: int = 30) -> Table:
    """The ``n`` most confident wrong stance or kind predictions on ``split``."""
    out = []
    for r in scored(run_dir, split):
        if r["kind"] != r["gold_kind"]:
            out.append({"head": "kind", "confidence": r["kind_confidence"],
                        "gold": r["gold_kind"], "predicted": r["kind"], "lang": r["lang"],
                        "genre": r["genre"], "text": r["text"]})
        if r["gold_stance"] and r["stance"] != r["gold_stance"]:
            out.append({"head": "stance", "confidence": r["stance_confidence"],
                        "gold": r["gold_stance"], "predicted": r["stance"], "lang": r["lang"],
                        "genre": r["genre"], "text": r["text"]})
    out.sort(key=lambda r: -r["confidence"])
    return Table(out[:n], f"{min(n, len(out))} most confident {split} mistakes (of {len(out)})")


def changed(old_run: str | Path, new_run: str | Path, split: str = "realnews_dev",
            n: int = 30) -> Table:
    """Sentences whose stance changed between two runs, fixed ones first.

    Sentences are paired by id and text, not by position: two runs whose configurations
    read different files for ``split`` share only some sentences, and the title says how
    many were in one run only."""
    old = {(r["id"], r["text"]): r for r in scored(old_run, split)}
    new = scored(new_run, split)
    pairs = [(old[k], b) for b in new if (k := (b["id"], b["text"])) in old]
    new_keys = {(b["id"], b["text"]) for b in new}
    alone = len(old.keys() - new_keys) + len(new_keys - old.keys())
    out = []
    for a, b in pairs:
        if a["gold_stance"] and a["stance"] != b["stance"]:
            verdict = ("fixed" if b["stance"] == b["gold_stance"] else
                       "broken" if a["stance"] == a["gold_stance"] else "still wrong")
            out.append({"change": verdict, "gold": a["gold_stance"], "old": a["stance"],
                        "new": b["stance"], "lang": a["lang"], "text": a["text"]})
    order = {"fixed": 0, "broken": 1, "still wrong": 2}
    out.sort(key=lambda r: order[r["change"]])
    counts = {k: sum(r["change"] == k for r in out) for k in order}
    only = (f"; {alone} sentences in one run only (their configurations read other "
            f"files), {len(pairs)} compared") if alone else ""
    return Table(out[:n], f"{split}: stance changed on {len(out)} sentences "
                          f"({counts['fixed']} fixed, {counts['broken']} broken, "
                          f"{counts['still wrong']} still wrong){only}")


def seed_article_coherence(run_dir: str | Path) -> Table:
    """The seed article in article mode, each gold row with its stance decided alone
    (``--stance-stay 0``) and with the default coherence chain; empty when the seed
    article or LABELS.md is absent (paths from the run's ``config.yaml``)."""
    from ..config import STANCE_STAY
    from ..evaluation.runs import run_config
    from ..evaluation.seed import evaluate_seed
    from ..predict.predictor import Predictor

    run = Path(run_dir)
    data = run_config(run).data
    seed, labels = Path(data.seed_article), Path(data.labels_spec)
    res = {stay: evaluate_seed(Predictor.load(run / "model", stance_stay=stay), seed, labels)
           for stay in (0.0, STANCE_STAY)}
    if res[0.0] is None or res[STANCE_STAY] is None:
        return Table([], "seed article: not found")
    out = []
    for alone, chain in zip(res[0.0]["rows"], res[STANCE_STAY]["rows"], strict=True):
        a, c = alone["predicted"] or {}, chain["predicted"] or {}
        out.append({"n": alone["n"], "gold": alone["stance"], "alone": a.get("stance"),
                    "chain": c.get("stance"),
                    "change": "" if a.get("stance") == c.get("stance") else
                    "fixed" if c.get("stance") == alone["stance"] else
                    "broken" if a.get("stance") == alone["stance"] else "still wrong",
                    "text": a.get("text") or alone["start"]})
    return Table(out, f"seed article stance accuracy: {res[0.0]['stance_accuracy']:.3f} alone, "
                      f"{res[STANCE_STAY]['stance_accuracy']:.3f} with the chain "
                      f"(stay {STANCE_STAY:g})")


def _get(m: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        if not isinstance(m, dict):
            return None
        m = m.get(part)
    return m


def compare_runs(runs: dict[str, str | Path], keys: tuple[str, ...] = HEADLINE) -> Table:
    """Headline metrics of named runs side by side (one row per metric)."""
    metrics = {name: load_metrics(path) for name, path in runs.items()}
    return Table([{"metric": k, **{name: _get(m, k) for name, m in metrics.items()}}
                  for k in keys], "Runs compared")
