"""Accuracy of the assigned sources against gold ``source`` fields, and the CLI.

``python -m geostance.text.sources eval [--corpus-dir DIR] [--markdown] [--errors]``
prints exact/lenient accuracy and has-source precision/recall per language;
``--errors`` adds the normalised match and the counted error types of
:func:`evaluate_sources`.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ...fileio import render_table
from .attribution import sources_by_document
from .lexicon import DETERMINERS, TITLE_RE

# Error types, from the most to the least specific; see :func:`error_type`.
ERROR_TYPES = ("missed", "spurious", "form", "extra_words", "truncated", "inflected",
               "wrong_person")
_QUOTES = re.compile(r"[«»„“”\"‚‘’']")
_EXAMPLES = 3


def _fold(s: str) -> str:
    return " ".join(s.casefold().split())


def normalise(source: str) -> str:
    """A source with case, quote marks and spacing folded, leading titles and articles dropped.

    "Präsident Wladimir Putin" and "Wladimir Putin", "Der Kreml" and "Kreml",
    "Партия «Грузинская мечта»" and "партия грузинская мечта" normalise alike.
    """
    # "В.Путин" is an initial and a surname: two words.
    toks = _fold(re.sub(r"(?<=\b\w\.)(?=\w)", " ", _QUOTES.sub(" ", source))).split()
    while len(toks) > 1 and (toks[0] in DETERMINERS or TITLE_RE.search(toks[0])):
        toks = toks[1:]
    return " ".join(toks)


def _contains(outer: str, inner: str) -> bool:
    """Whether ``inner``'s words occur as a run inside ``outer``'s words."""
    o, i = outer.split(), inner.split()
    return bool(i) and any(o[k:k + len(i)] == i for k in range(len(o) - len(i) + 1))


def _initialled(short: str, full: str) -> bool:
    """"в. путин" is "владимир путин": the same surname, and an initial of the first name."""
    s, f = short.split(), full.split()
    return len(s) == len(f) == 2 and s[1] == f[1] and len(s[0]) == 2 and s[0][1] == "." \
        and f[0].startswith(s[0][0])


def normalised_match(gold: str, pred: str) -> bool:
    """Equal after :func:`normalise`, one side's words contain the other's, or one gives
    an initial where the other gives the first name ("В.Путин", "Владимир Путин")."""
    g, p = normalise(gold), normalise(pred)
    return g == p or _contains(g, p) or _contains(p, g) or _initialled(g, p) or \
        _initialled(p, g)


def error_type(gold: str, pred: str) -> str | None:
    """What kind of error ``pred`` is for ``gold``; None when they match exactly."""
    if gold == pred:
        return None
    if not pred:
        return "missed"
    if not gold:
        return "spurious"
    g, p = _fold(_QUOTES.sub(" ", gold)), _fold(_QUOTES.sub(" ", pred))
    if g == p:
        return "form"  # case, quote marks or spacing
    if _contains(p, g):
        return "extra_words"
    if _contains(g, p):
        return "truncated"
    gt, pt = g.split(), p.split()
    # Same words in another case ("Mai Sandu" for "Maia Sandu").
    if len(gt) == len(pt) and all(a[:k] == b[:k] for a, b in zip(gt, pt, strict=True)
                                  if (k := min(4, len(a), len(b)))):
        return "inflected"
    return "wrong_person"


def _documents(rows: Iterable[Mapping[str, Any]]
               ) -> Iterator[tuple[str | None, list[Mapping[str, Any]], list[str]]]:
    """Rows grouped by document in sentence order, with the predicted sources."""
    docs: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        docs[str(row.get("doc_id", row.get("article_id")))].append(row)
    for doc_rows in docs.values():
        doc_rows.sort(key=lambda r: r["index"])
    ordered = [(d, r) for d, doc_rows in docs.items() for r in doc_rows]
    preds = iter(sources_by_document([r["text"] for _, r in ordered], [d for d, _ in ordered],
                                     [r.get("lang") for _, r in ordered],
                                     [r.get("title") or "" for _, r in ordered]))
    for doc_rows in docs.values():
        lang = next((r["lang"] for r in doc_rows if r.get("lang")), None)
        yield lang, doc_rows, [next(preds) for _ in doc_rows]


def _scores(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    n = len(pairs)
    tp = sum(bool(g) and bool(p) for g, p in pairs)
    pp = sum(bool(p) for _, p in pairs)
    gp = sum(bool(g) for g, _ in pairs)
    errors = Counter(e for g, p in pairs if (e := error_type(g, p)))
    return {
        "sentences": n,
        "exact": sum(g == p for g, p in pairs) / n if n else 0.0,
        "normalised": sum(normalised_match(g, p) for g, p in pairs) / n if n else 0.0,
        "has_source_precision": tp / pp if pp else 0.0,
        "has_source_recall": tp / gp if gp else 0.0,
        "errors": dict(errors.most_common()),
    }


def evaluate_sources(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Score :func:`assign_sources` against gold sources.

    ``rows`` are sentence dicts with ``text``, ``lang``, ``doc_id`` (or
    ``article_id``), ``index`` and the gold ``source``. Sentences are grouped
    by document and attributed in ``index`` order. Returns ``sentences``,
    ``exact`` and ``normalised`` match rates (see :func:`normalised_match`),
    has-source ``has_source_precision``/``has_source_recall``, ``errors``
    (counts per :data:`ERROR_TYPES` entry, most common first), up to three
    ``examples`` per error type as (gold, predicted, text), and the same
    scores per language under ``per_language``.
    """
    pairs: list[tuple[str, str]] = []
    by_lang: dict[str, list[tuple[str, str]]] = defaultdict(list)
    examples: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for lang, doc_rows, preds in _documents(rows):
        for row, pred in zip(doc_rows, preds, strict=True):
            gold = row.get("source") or ""
            pairs.append((gold, pred))
            by_lang[lang or "?"].append((gold, pred))
            err = error_type(gold, pred)
            if err and len(examples[err]) < _EXAMPLES:
                examples[err].append((gold, pred, row["text"]))
    out = _scores(pairs)
    out["examples"] = {e: examples[e] for e in out["errors"]}
    out["per_language"] = {k: _scores(v)
                           for k, v in sorted(by_lang.items(), key=lambda kv: -len(kv[1]))}
    return out


def _corpus_rows(corpus_dir: str | Path, split: str = "") -> list[dict[str, Any]]:
    """Sentence rows of a corpus folder (either layout; one split or all), in document
    order, with language, document id and gold source."""
    from ...data.corpus import read_corpus  # lazy: data is a layer of its own
    from ...data.schema import Problems

    problems = Problems()
    splits = read_corpus(Path(corpus_dir), problems)
    problems.raise_if_any()
    return [{"text": s.text, "lang": s.lang, "doc_id": s.article_id, "index": i,
             "source": s.source, "title": s.title}
            for name, rows in splits.items() if not split or name == split
            for i, s in enumerate(rows)]


def evaluate(corpus_dir: str | Path, split: str = "") -> dict[str, dict[str, float]]:
    """Per-language exact/lenient accuracy and has-source precision/recall on a corpus
    (one split, or all)."""
    stats: dict[str, list[int]] = defaultdict(lambda: [0] * 6)  # n, exact, lenient, tp, pp, gp
    for lang, rows, preds in _documents(_corpus_rows(corpus_dir, split)):
        for row, p in zip(rows, preds, strict=True):
            g, p = _fold(row.get("source") or ""), _fold(p)
            # Lenient: containment of characters, kept as it was for comparable figures.
            lenient = g == p or bool(g and p and (g in p or p in g))
            for key in (lang or "?", "ALL"):
                st = stats[key]
                st[0] += 1
                st[1] += g == p
                st[2] += lenient
                st[3] += bool(g) and bool(p)
                st[4] += bool(p)
                st[5] += bool(g)
    table = {}
    for key in sorted(stats, key=lambda k: (k == "ALL", -stats[k][0], k)):
        n, ex, le, tp, pp, gp = stats[key]
        table[key] = {"sentences": n, "exact": ex / n, "lenient": le / n,
                      "has_src_P": tp / pp if pp else 0.0, "has_src_R": tp / gp if gp else 0.0}
    return table


def format_table(table: dict[str, dict[str, float]], markdown: bool = False) -> str:
    """Render :func:`evaluate` output as plain text or a Markdown table."""
    cols = ["sentences", "exact", "lenient", "has_src_P", "has_src_R"]
    rows = [[k] + [f"{v[c]:.3f}" if isinstance(v[c], float) else str(v[c]) for c in cols]
            for k, v in table.items()]
    return render_table(["lang", *cols], rows, markdown)


def format_errors(result: dict[str, Any], markdown: bool = False) -> str:
    """Render :func:`evaluate_sources` output: normalised match and error counts per language."""
    head = ["lang", "sentences", "exact", "normalised", *ERROR_TYPES]
    parts = [*result["per_language"].items(), ("ALL", result)]
    rows = [[k, v["sentences"], f"{v['exact']:.3f}", f"{v['normalised']:.3f}",
             *(v["errors"].get(e, 0) for e in ERROR_TYPES)] for k, v in parts]
    return render_table(head, rows, markdown)


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python -m geostance.text.sources eval [--corpus-dir DIR] [--split S] [--markdown]
    [--errors]``."""
    ap = argparse.ArgumentParser(prog="python -m geostance.text.sources",
                                 description="Rule-based speaker attribution.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    ev = sub.add_parser("eval", help="accuracy of assigned sources against the corpus")
    ev.add_argument("--corpus-dir", default="data/corpus",
                    help="data/corpus (written) or data/real (real; either layout)")
    ev.add_argument("--split", default="", choices=["", "train", "dev", "test"],
                    help="score one split only ('' = all)")
    ev.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ev.add_argument("--errors", action="store_true",
                    help="also print the normalised match and error types per language")
    args = ap.parse_args(argv)
    from ...data.schema import DataError  # lazy, as in _corpus_rows

    try:
        table = evaluate(args.corpus_dir, args.split)
        errors = (evaluate_sources(_corpus_rows(args.corpus_dir, args.split))
                  if args.errors else None)
    except DataError as e:  # a folder that is no corpus, or a damaged file in it
        print(f"{len(e.problems)} problem(s) found:\n{e}", file=sys.stderr)
        return 2
    print(format_table(table, markdown=args.markdown))
    if errors is not None:
        print()
        print(format_errors(errors, args.markdown))
    return 0
