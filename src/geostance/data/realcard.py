"""The real corpus's part of the data card: size, labels, provenance and agreement.

Agreement is computed from the two independent passes kept in every sentence record
(``annotation.a`` and ``annotation.b``): Cohen's kappa and percent agreement per
field, overall and per language. Two further checks are reported when their inputs
are present: the annotators' labels on ``realnews_dev`` against its gold labels (an
external check of the same protocol), and how often a translated sentence got the
same gold labels as its original (a check of the translations).
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

from ..fileio import read_jsonl, render_table
from .agreement import cohen_kappa, field_agreement
from .corpus import read_sentence_rows
from .schema import SPLITS, Problems

__all__ = ["build_real_card"]

KINDS = ("claim", "heading", "boilerplate", "other")
STANCES = ("pro_nato", "moscow_warning", "neutral_balancing")
REALNEWS = Path("../shared/realnews_dev/sentences.jsonl")


def _f(x: float) -> str:
    return "-" if x != x else f"{x:.3f}"  # NaN -> "-"


def _table(head: list[str], rows: list[list[object]]) -> str:
    return render_table(head, rows, markdown=True)


def _labels(compact: list[str]) -> dict[str, str]:
    """A stored pass ``[kind, stance, source]`` as a dict."""
    return dict(zip(("kind", "stance", "source"), compact, strict=True))


def _agreement_rows(sents: list[dict[str, Any]]) -> list[list[object]]:
    rows = []
    langs = sorted({s["lang"] for s in sents}, key=lambda x: -sum(t["lang"] == x for t in sents))
    for lang in [*langs, "all"]:
        sub = [s for s in sents if lang in ("all", s["lang"])]
        ag = field_agreement([(_labels(s["annotation"]["a"]), _labels(s["annotation"]["b"]))
                              for s in sub])
        rows.append([lang, ag["n"], _f(ag["kind"][0]), _f(ag["kind"][1]), _f(ag["stance"][0]),
                     _f(ag["stance"][1]), _f(ag["has_source"][0]), _f(ag["has_source"][1]),
                     _f(ag["same_source"])])
    return rows


def _realnews_check(real_dir: Path, realnews: Path) -> str:
    check = real_dir / "annotator_check_realnews.jsonl"
    if not check.is_file() or not realnews.is_file():
        return ("The annotators' check against `realnews_dev` is reported when "
                "`../shared/realnews_dev` is present.")
    gold = {r["id"]: r for r in read_jsonl(realnews)}
    got = {r["id"]: r for r in read_jsonl(check)}
    ids = [i for i in gold if i in got]
    k = cohen_kappa([gold[i]["kind"] for i in ids], [got[i]["kind"] for i in ids])
    st = [i for i in ids if gold[i]["stance"] and got[i]["stance"]]
    acc = sum(gold[i]["stance"] == got[i]["stance"] for i in st) / max(len(st), 1)
    ks = cohen_kappa([gold[i]["stance"] for i in st], [got[i]["stance"] for i in st])
    kacc = sum(gold[i]["kind"] == got[i]["kind"] for i in ids) / max(len(ids), 1)
    return (f"One annotator labelled the {len(ids)} sentences of `realnews_dev` blind, "
            "under the same instructions (its labels, without text, are in "
            f"`annotator_check_realnews.jsonl`). Against the set's gold labels: kind "
            f"agreement {kacc:.3f} (kappa {k:.3f}), stance agreement {acc:.3f} "
            f"(kappa {ks:.3f}, {len(st)} stance-bearing sentences). This measures the "
            "protocol against labels made outside this project.")


def _translation_check(sents: list[dict[str, Any]]) -> str:
    by_id = {s["id"]: s for s in sents}
    pairs = [(by_id[s["translated_from"]], s) for s in sents
             if s.get("translated_from") and s["translated_from"] in by_id]
    if not pairs:
        return "No translated sentence has its original in the corpus."
    kind = sum(o["kind"] == t["kind"] for o, t in pairs) / len(pairs)
    st = [(o, t) for o, t in pairs if o["stance"] and t["stance"]]
    stance = sum(o["stance"] == t["stance"] for o, t in st) / max(len(st), 1)
    return (f"{len(pairs)} translated sentences have their original in the corpus; "
            f"their independently settled gold labels equal the original's for kind in "
            f"{kind:.1%} and for stance in {stance:.1%} of them ({len(st)} with a stance), "
            "a measure of how faithful the translations are.")


def build_real_card(real_dir: Path, realnews: Path = REALNEWS) -> str:
    """The Markdown section on the real corpus."""
    docs = read_jsonl(real_dir / "documents.jsonl")
    problems = Problems()
    sents = [obj for _, obj in read_sentence_rows(real_dir, problems)]
    problems.raise_if_any()
    doc_by_id = {d["doc_id"]: d for d in docs}
    for s in sents:
        d = doc_by_id[s["doc_id"]]
        s["lang"], s["split"] = d["lang"], d["split"]
    n = len(sents)
    langs = sorted({s["lang"] for s in sents}, key=lambda x: -sum(t["lang"] == x for t in sents))
    size = []
    for lang in langs:
        ls = [s for s in sents if s["lang"] == lang]
        tr = sum(bool(s.get("translated_from")) for s in ls)
        size.append([lang, sum(d["lang"] == lang for d in docs), len(ls), tr,
                     *(sum(s["split"] == sp for s in ls) for sp in SPLITS)])
    size.append(["all", len(docs), n, sum(bool(s.get("translated_from")) for s in sents),
                 *(sum(s["split"] == sp for s in sents) for sp in SPLITS)])
    by_repo: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    doc_repo = {d["doc_id"]: d for d in docs}
    for s in sents:
        by_repo[doc_repo[s["doc_id"]]["source_repo"]].append(s)
    repo_rows = [[f"`{r}`", len({s['doc_id'] for s in ss}), len(ss),
                  ", ".join(sorted({s['lang'] for s in ss})),
                  doc_repo[ss[0]["doc_id"]]["licence"]] for r, ss in sorted(by_repo.items())]
    bearing = [s for s in sents if s["stance"]]
    sc = collections.Counter(s["stance"] for s in bearing)
    orig = [s for s in bearing if not s.get("translated_from")]
    so = collections.Counter(s["stance"] for s in orig)
    stance_rows = [[st, sc[st], f"{sc[st] / max(len(bearing), 1):.1%}",
                    f"{so[st] / max(len(orig), 1):.1%}"] for st in STANCES]
    kc = collections.Counter(s["kind"] for s in sents)
    cube = []
    for lang in langs:
        ls = [s for s in sents if s["lang"] == lang]
        k = collections.Counter(s["kind"] for s in ls)
        t = collections.Counter(s["stance"] for s in ls)
        cube.append([lang, len(ls), *(k[x] for x in KINDS), *(t[x] for x in STANCES)])
    settled = collections.Counter(s["annotation"]["settled_by"] for s in sents)
    hard = sum(bool(s["annotation"]["hard"]) for s in sents)
    genres = collections.Counter(doc_repo[s["doc_id"]]["genre"] for s in sents)
    dropped_file = real_dir / "balance_dropped.txt"
    n_dropped = len(dropped_file.read_text(encoding="utf-8").split()) \
        if dropped_file.is_file() else 0
    balance_note = (f" To give each stance at least 20% of the stance-bearing sentences, "
                    f"{n_dropped} passages of which every sentence was settled "
                    "`neutral_balancing` (procedure, domestic politics, off-topic parts of the "
                    "selected documents) were then left out, from the languages furthest above "
                    "their minimum (`python -m geostance.harvest merge --balance`; listed in "
                    "`balance_dropped.txt`)." if n_dropped else "")
    quoted = sum(bool(s["source"]) for s in sents)
    return f"""# Data card: geostance corpora

Generated by `python -m geostance.data card`; do not edit by hand. Two corpora:
the **real corpus** (`data/real/`, passages of real, licensed documents, annotated
for this project) and the **written corpus** (`data/corpus/`, articles written for
this project). Training uses both by default.

## The real corpus (`data/real/`)

Passages of real documents whose licence or legal status allows redistribution:
parliamentary records and questions, UN General Assembly statements, Kremlin and
White House texts, a government programme. Sources, licences and attributions:
`data/real/SOURCES.md`. The extraction and selection code is
`src/geostance/harvest/` and reruns from the fetched snapshots
(`python -m geostance.harvest verify`).

{len(docs)} passage documents, {n} sentences, {len(langs)} languages. Splits are by
source document (all passages of one speech, question or page share a split); a dev
or test sentence that also occurs in an earlier split (formula lines, the same question
sent to two ministers) was left out.{balance_note}

{_table(["lang", "documents", "sentences", "translated", *SPLITS], size)}

{_table(["repository", "documents", "sentences", "languages", "licence"], repo_rows)}

Genres (sentences): {", ".join(f"{g} {c}" for g, c in genres.most_common())}.

### Labels

{_table(["kind", "sentences", "share"], [[k, kc[k], f"{kc[k] / n:.1%}"] for k in KINDS])}

Stance, among the {len(bearing)} stance-bearing sentences (share with and without the
translated sentences):

{_table(["stance", "sentences", "share", "share, originals only"], stance_rows)}

`source` is filled for {quoted} sentences ({quoted / n:.1%}).

{_table(["lang", "sentences", *KINDS, *STANCES], cube)}

### How it was annotated, and how well

Every sentence was labelled twice, independently (passes `a` and `b`): neither pass
saw the other, any model prediction or `realnews_dev`. A third pass settled every
sentence on which the two differed in kind, stance or source (sources that agree up
to spelling or a title, "Putin" and "Vladimir Putin", count as the same; the fuller
form is kept). Each record keeps both passes, the adjudication and how it was
settled: {settled["agreement"]} sentences by agreement, {settled["adjudication"]} by
adjudication. The annotators were language-model sessions given exactly
`data/real/ANNOTATION.md`, `../shared/LABELS.md` and `data/CODEBOOK.md`, one batch
of passages at a time. {hard} sentences ({hard / n:.1%}) were flagged hard by at least
one annotator (`annotation.hard`); the recurring hard cases were Western speakers
reporting Russian coercion (own warning, `pro_nato`, or a coercive act reported,
`moscow_warning`), criticism of the West that names no bloc, sanctions talk, and the
speaker of transcript turns without a label.

Agreement between the two independent passes (percent agreement and Cohen's kappa;
stance on sentences where both gave one; source as "has a source" and, where both
named one, the same source):

{_table(["lang", "sentences", "kind agree", "kind kappa", "stance agree", "stance kappa",
         "has-source agree", "has-source kappa", "same source"], _agreement_rows(sents))}

{_realnews_check(real_dir, realnews)}

{_translation_check(sents)}

### Limits

- The annotators were language-model sessions; both passes came from the same kind
  of annotator, so their agreement is higher than two people's would be. The check
  against `realnews_dev` (labelled outside this project) is the external measure.
- Genres: parliamentary and official texts dominate; news reporting and tabloids are
  thin. The Russian original text is Kremlin transcripts; a third of the Russian
  sentences are translations.
- Passages were selected by topic vocabulary, so `neutral_balancing` includes many
  loosely related sentences of the same speeches and questions.
"""
