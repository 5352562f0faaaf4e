"""Generate the data cards from the data, so no number in them is typed by hand.

``data/DATA_CARD.md`` (``python -m geostance.data card``): statistics of both corpora.
``data/README.md`` (``python -m geostance.data hf``, via :mod:`.hfexport`): the Hugging
Face dataset card, whose YAML header names the per-split files of each configuration.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from pathlib import Path

from ..fileio import read_jsonl, render_table, write_text_atomic
from .schema import SPLITS
from .stats import near_duplicate_share

HOW_MADE = """\
## How the corpus was made

**Every article was written for this project. None is a real published
article.** No labelled data set for this task exists, so the articles were
written whole, each in the style of a genre of real outlets (Swedish morning
dailies and evening tabloids, public broadcasters, wire services, government
speeches and press releases, parliamentary and Kremlin-style transcripts,
plain-language news, op-eds, think-tank notes, Russian state media,
independent and regional Caucasus / Central Asian outlets, partisan sites on
both sides). Writing and sentence-by-sentence annotation were done by the
project's AI-assisted writing sessions, one per language group, following
`data/CODEBOOK.md` and `../shared/LABELS.md`; every file was checked by a
validator (labels, duplicates, near-duplicates, stance balance) before it was
merged, and overlaps with the real-news development set were searched for and
removed.

- Outlet names are invented. Real public figures, institutions and events
  appear, but every quote given to them is invented.
- No templates or sentence generators: each article was written as a whole.
- The article text is what a reader sees: title first, then standfirst,
  body, crossheads and the outlet's boilerplate, one block per line. The
  `start`/`end` offsets of each sentence slice the article text exactly, so
  the corpus is also a gold standard for sentence splitting.
- Splits are fixed per article, stratified by language (about 70/15/15,
  at least one dev and one test article per language). The test split is
  never used to choose anything; defaults are chosen on `realnews_dev`.
"""

LIMITS = """\
## Known biases and limits

- Synthetic text: it is cleaner and more explicit than real news. Models
  score higher on its test split than on real text; `realnews_dev` (real
  sentences, outside this repo) is the number that matters.
- One annotation pass per article, by the session that wrote it; there is no
  inter-annotator agreement figure for this corpus. Hard cases follow the
  codebook, whose decisions are documented there.
- `neutral_balancing` is the largest stance class; real partisan and state
  media use more loaded language than most of these articles.
- Swedish dominates (about a third); Bulgarian, Portuguese, French, Ukrainian
  and Azerbaijani have only a few articles each, so per-language figures for
  them are noisy.
- Dates cluster in 2022-2025; the pre-2022 non-alignment era is thinner.
- The formula "Det talade ordet gäller." (standard on every Swedish
  government speech) also occurs in real speeches; no other sentence of the
  corpus matches the real-news development set.
"""


def _table(head: list[str], rows: list[list[object]]) -> str:
    return render_table(head, rows, markdown=True)


def build_card(corpus_dir: Path) -> str:
    """The data card text for the corpus in ``corpus_dir``."""
    arts = {a["article_id"]: a for a in read_jsonl(corpus_dir / "articles.jsonl")}
    sents = read_jsonl(corpus_dir / "sentences.jsonl")
    for s in sents:
        a = arts[s["article_id"]]
        s["lang"], s["split"] = a["lang"], a["split"]
    langs = sorted({s["lang"] for s in sents}, key=lambda x: -sum(t["lang"] == x for t in sents))
    kinds = ["claim", "heading", "boilerplate", "other"]
    stances = ["pro_nato", "moscow_warning", "neutral_balancing"]
    n = len(sents)

    overview = []
    for lang in langs:
        ls = [s for s in sents if s["lang"] == lang]
        la = [a for a in arts.values() if a["lang"] == lang]
        overview.append([lang, len(la), len(ls), f"{len(ls) / n:.1%}",
                         *(sum(s["split"] == sp for s in ls) for sp in SPLITS)])
    overview.append(["all", len(arts), n, "100%", *(sum(s["split"] == sp for s in sents)
                                                     for sp in SPLITS)])

    cube = []
    for lang in langs:
        for sp in SPLITS:
            ls = [s for s in sents if s["lang"] == lang and s["split"] == sp]
            kc = collections.Counter(s["kind"] for s in ls)
            sc = collections.Counter(s["stance"] for s in ls)
            cube.append([lang, sp, len(ls), *(kc[k] for k in kinds), *(sc[s] for s in stances)])

    bearing = [s for s in sents if s["stance"]]
    sc = collections.Counter(s["stance"] for s in bearing)
    stance_rows = [[st, sc[st], f"{sc[st] / len(bearing):.1%}"] for st in stances]
    kc = collections.Counter(s["kind"] for s in sents)
    kind_rows = [[k, kc[k], f"{kc[k] / n:.1%}"] for k in kinds]
    genres = collections.Counter(a.get("genre", "?") for a in arts.values())
    countries = collections.Counter(a.get("country", "?") for a in arts.values())
    dates = sorted(a["date"] for a in arts.values())
    near, counted = near_duplicate_share([s["text"] for s in sents])
    quoted = [s for s in sents if s.get("source")]

    return f"""# Data card: geostance corpus

Generated by `python -m geostance.data card`; do not edit by hand.

{HOW_MADE}
## Size

{len(arts)} articles, {n} sentences, {len(langs)} languages, dates {dates[0]} to {dates[-1]}.

{_table(["lang", "articles", "sentences", "share", "train", "dev", "test"], overview)}

## Labels

{_table(["kind", "sentences", "share"], kind_rows)}

Stance, among the {len(bearing)} stance-bearing sentences (boilerplate carries none):

{_table(["stance", "sentences", "share"], stance_rows)}

`source` is filled for {len(quoted)} sentences ({len(quoted) / n:.1%}): every quote and
reported statement.

## Counts per language x split x kind x stance

{_table(["lang", "split", "sentences", *kinds, *stances], cube)}

## Genres and countries

{_table(["genre", "articles"], [[g, c] for g, c in genres.most_common()])}

{_table(["country", "articles"], [[g, c] for g, c in countries.most_common()])}

## Diversity

{near} of {counted} sentences with four or more words ({near / max(counted, 1):.2%}) share
more than half of their word 4-grams with another sentence of the corpus
(sentences under four words, mostly headings and credits, have no 4-grams).

{LIMITS}"""


def render_card(corpus_dir: Path, real_dir: Path, contrast_dir: Path | None = None) -> str:
    """The whole card: the real corpus (when ``real_dir`` holds one), then the written one,
    then the contrast set (when ``contrast_dir`` holds one)."""
    text = build_card(corpus_dir)
    if (real_dir / "documents.jsonl").is_file():
        from .realcard import build_real_card

        # One card: the written corpus becomes a section under the real one's title.
        written = text.split("\n", 1)[1].replace("\n## ", "\n### ")
        text = (build_real_card(real_dir) + "\n## The written corpus (`data/corpus/`)\n"
                + written)
    from .contrastcard import build_contrast_card, contrast_files

    if contrast_dir is not None and contrast_files(contrast_dir):
        text = text.rstrip("\n") + "\n\n" + build_contrast_card(contrast_dir)
    return text


def write_card(corpus_dir: Path, real_dir: Path, out: Path,
               contrast_dir: Path | None = None) -> Path:
    """Write the card atomically (temporary file, then rename)."""
    return write_text_atomic(out, render_card(corpus_dir, real_dir, contrast_dir))


# ----------------------------------------------------------- the Hugging Face card

_SENTENCE_FIELDS = {
    "id": "sentence id, unique in the corpus",
    "index": "position of the sentence in its document (0 = first)",
    "lang": "ISO 639-1 language code",
    "text": "the sentence",
    "kind": "`claim`, `heading`, `boilerplate` or `other`",
    "stance": "`pro_nato`, `moscow_warning` or `neutral_balancing`; empty for `boilerplate`",
    "source": "the quoted or reported speaker as written in the text, or empty",
    "context_prev": "the sentence before it in the document (empty for the first one)",
    "start": "character offset of the sentence in its document's `text`",
    "end": "end offset (exclusive): `text[start:end]` of the document is the sentence",
    "title": "title of the document",
    "genre": "genre of the document",
    "date": "date of the document (YYYY-MM-DD)",
}
HF_FIELDS: dict[str, dict[str, str]] = {
    "real_sentences": {
        "id": _SENTENCE_FIELDS["id"], "doc_id": "the passage document (`real_documents`)",
        **{k: v for k, v in _SENTENCE_FIELDS.items() if k != "id"},
        # A passage's first sentence follows text of the source document outside it.
        "context_prev": "the sentence before it in the source document, which for a "
                        "passage's first sentence lies outside the passage; empty for the "
                        "document's first sentence",
        "source_repo": "repository the document was extracted from",
        "licence": "licence of the document (see the table below)",
        "translated": "true for a sentence translated from a real one",
        "translated_from": "id of the original sentence, or empty",
        "settled_by": "`agreement` (both passes gave the same labels) or `adjudication`",
        "hard": "an annotator flagged the sentence as hard",
    },
    "real_documents": {
        "doc_id": "passage id", "lang": "ISO 639-1 language code", "title": "title",
        "date": "date (YYYY-MM-DD)", "genre": "genre", "speaker": "who issued the document",
        "source_repo": "repository it was extracted from", "commit": "commit of that snapshot",
        "path": "file in that repository", "url": "original address",
        "licence": "licence", "attribution": "attribution to give",
        "source_doc_id": "the whole document the passage is cut from",
        "paragraph_first": "first paragraph of the source document in the passage",
        "paragraph_last": "last paragraph of the source document in the passage",
        "title_in_text": "the title is the first line of `text`",
        "translated": "the passage is a translation of another passage",
        "translated_from": "id of the original passage, or empty",
        "translated_from_lang": "language of the original, or empty",
        "translator": "who translated it, or empty",
        "meta": "source-specific details (session, term, country, ...) as a JSON string",
        "text": "the passage; the sentences' offsets slice it",
    },
    "written_sentences": {
        "id": _SENTENCE_FIELDS["id"], "article_id": "the article (`written_articles`)",
        **{k: v for k, v in _SENTENCE_FIELDS.items() if k != "id"},
        "outlet": "invented outlet name", "country": "country the article is about",
    },
    "written_articles": {
        "article_id": "article id", "lang": "ISO 639-1 language code",
        "outlet": "invented outlet name", "genre": "genre imitated",
        "country": "country the article is about", "date": "date (YYYY-MM-DD)",
        "title": "title", "text": "the article, one block per line; offsets slice it",
    },
    "contrast_sentences": {
        "id": "sentence id, unique in the set",
        "article_id": "the news item (its sentences share it, in order)",
        **{k: _SENTENCE_FIELDS[k] for k in ("lang", "text", "kind", "stance", "source")},
        "context_prev": "the sentence before it in the item (empty for the first one)",
        "title": "the item's headline",
        "round": "writing round: 1 (`sentences.jsonl`, what the default configuration trains "
                 "on), 2 (`sentences_round2.jsonl`), 3 (`sentences_round3.jsonl`) or 4 "
                 "(`sentences_round4.jsonl`)",
        "set": "the event the item's three variants tell (language and number)",
        "variant": "`M` (Moscow's side), `P` (the Western side) or `N` (balancing)",
        "register": "the kind of outlet imitated (wire, tabloid, state media, ...)",
        "invented": "always true: written for this project, not published text",
        "settled_by": "`agreement` (the blind annotator gave the writer's labels) or "
                      "`adjudication`",
        "hard": "an annotator flagged the sentence as hard",
    },
}
_WHAT = {
    "real_sentences": "sentences of the real corpus, labelled (the default)",
    "real_documents": "the passage documents of the real corpus, with provenance",
    "written_sentences": "sentences of the written corpus, labelled",
    "written_articles": "the articles of the written corpus",
    "contrast_sentences": "the invented contrast set (training only), labelled",
}
# The configurations whose rows are labelled sentences, in the card's column order.
_SENTENCE_CONFIGS = ("real_sentences", "written_sentences", "contrast_sentences")


def _size_category(n: int) -> str:
    for hi, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                     (1_000_000, "100K<n<1M")):
        if n < hi:
            return name
    return "n>1M"


def _hf_header(views: dict, files: dict[str, dict[str, str]]) -> str:
    import yaml

    rows = [r for splits in views.values() for rs in splits.values() for r in rs]
    langs = collections.Counter(r["lang"] for r in rows)
    n_sents = sum(len(rs) for c in _SENTENCE_CONFIGS if c in views
                  for rs in views[c].values())
    configs = []
    for c, splits in files.items():
        entry: dict[str, object] = {"config_name": c}
        if c == "real_sentences":
            entry["default"] = True  # the Hub's default is otherwise a config named "default"
        entry["data_files"] = [{"split": sp, "path": p} for sp, p in splits.items()]
        configs.append(entry)
    header = {
        "pretty_name": "geostance: NATO vs Moscow stance of news sentences",
        "language": sorted(langs, key=lambda x: (-langs[x], x)),
        "multilinguality": "multilingual",
        "license": "other",
        "license_name": "per-source",
        "license_link": "real/SOURCES.md",
        "task_categories": ["text-classification"],
        "task_ids": ["multi-class-classification"],
        "tags": ["stance-detection", "geopolitics", "nato", "russia", "news", "speeches"],
        "size_categories": [_size_category(n_sents)],
        "configs": configs,
    }
    return "---\n" + yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=100) \
        + "---\n"


def _split_rows(views: dict) -> list[list[object]]:
    # A configuration without a split (the contrast set has train only) shows a dash.
    return [[f"`{c}`", _WHAT[c], *(len(views[c][sp]) if sp in views[c] else "–"
                                   for sp in SPLITS),
             sum(len(rs) for rs in views[c].values())] for c in views]


def _sentence_configs(views: dict) -> list[str]:
    return [c for c in _SENTENCE_CONFIGS if c in views]


def _count_rows(views: dict, field: str, show: Callable[[str], str]) -> list[list[object]]:
    """Per value of ``field``, its count in each sentence configuration (most first)."""
    count = {c: collections.Counter(r[field] for rs in views[c].values() for r in rs)
             for c in _sentence_configs(views)}
    values = sorted(set().union(*count.values()),
                    key=lambda v: (-sum(cc[v] for cc in count.values()), v))
    return [[show(v), *(cc[v] for cc in count.values())] for v in values]


def _lang_rows(views: dict) -> list[list[object]]:
    return _count_rows(views, "lang", lambda x: x)


def _label_rows(views: dict, field: str) -> list[list[object]]:
    return _count_rows(views, field, lambda v: f"`{v}`" if v else "(empty)")


def _licence_rows(views: dict) -> list[list[object]]:
    docs = [d for rs in views["real_documents"].values() for d in rs]
    sents = collections.Counter(s["source_repo"] for rs in views["real_sentences"].values()
                                for s in rs)
    out = []
    for repo in sorted({d["source_repo"] for d in docs}):
        ds = [d for d in docs if d["source_repo"] == repo]
        out.append([f"`{repo}`", ", ".join(sorted({d["lang"] for d in ds})), len(ds),
                    sents[repo], "; ".join(sorted({d["licence"] for d in ds})),
                    "; ".join(sorted({d["attribution"] for d in ds}))])
    return out


def _feature_tables(views: dict) -> str:
    return "\n\n".join(f"`{c}`:\n\n" + _table(["field", "meaning"],
                                              [[f"`{k}`", v] for k, v in fields.items()])
                       for c, fields in HF_FIELDS.items() if c in views)


def _contrast_card_parts(views: dict) -> dict[str, str]:
    """The card's sentences on the contrast set, empty when the export has none."""
    rows = [r for rs in views.get("contrast_sentences", {}).values() for r in rs]
    if not rows:
        return {"from": "", "count": "Two", "bullet": "", "load": "", "annotation": ""}
    rounds = collections.Counter(r["round"] for r in rows)
    items = len({r["article_id"] for r in rows})
    settled = collections.Counter(r["settled_by"] for r in rows)
    per_round = ", ".join(f"round {k}: {v}" for k, v in sorted(rounds.items()))
    return {
        "from": " and `contrast/`",
        "count": "Three",
        "bullet": f"""
- the **contrast set** ({items} news items, {len(rows)} sentences; {per_round}):
  **invented text written for this project**, one event told three ways (Moscow's side,
  the Western side, the balancing view) with the same country and nouns, so that only
  the speaker decides the stance. Training only (split `train`); the default
  configuration trains on round 1. Licence CC BY 4.0, like the written corpus.""",
        "load": '\ncontrast = load_dataset("data", "contrast_sentences", split="train")',
        "annotation": f"""

Contrast set: two passes per sentence, the writer's own labels and a blind annotator
session's (shuffled items under opaque ids, never the writer's labels); every sentence
on which they differ was settled by an adjudicator session: {settled["agreement"]}
sentences by agreement, {settled["adjudication"]} by adjudication (`settled_by`).
Agreement per language: `contrast/AGREEMENT.md`. The writer wrote each sentence for its
label, so the agreement says a second reader applies the codebook the same way, not
that the text is natural.""",
    }


def render_hf_card(views: dict, files: dict[str, dict[str, str]]) -> str:
    """``data/README.md``: the YAML header naming every file, then the card's body."""
    real = [s for rs in views["real_sentences"].values() for s in rs]
    settled = collections.Counter(s["settled_by"] for s in real)
    hard = sum(s["hard"] for s in real)
    translated = [s for s in real if s["translated"]]
    tr_langs = ", ".join(sorted({s["lang"] for s in translated}))
    n_real_docs = sum(map(len, views["real_documents"].values()))
    n_arts = sum(map(len, views["written_articles"].values()))
    n_written = sum(map(len, views["written_sentences"].values()))
    configs = _sentence_configs(views)
    short = [c.split("_")[0] for c in configs]  # the count tables' column names
    contrast = _contrast_card_parts(views)
    return _hf_header(views, files) + f"""
# geostance: sentences about NATO and Moscow, labelled for kind and stance

Generated by `python -m geostance.data hf` from `real/`, `corpus/`{contrast["from"]}; do
not edit by hand. Sentences of news, speeches and official texts in
{len(_lang_rows(views))} languages, each labelled with its **kind** (claim, heading,
boilerplate, other), its **stance** in the contest over a country's alignment between
NATO/the West and Moscow (`pro_nato`, `moscow_warning`, `neutral_balancing`) and its
**source** (the quoted or reported speaker). {contrast["count"]} corpora:

- the **real corpus** ({n_real_docs} passages of real, licensed documents, {len(real)}
  sentences, each labelled twice independently and adjudicated);
- the **written corpus** ({n_arts} articles, {n_written} sentences): **invented text
  written for this project**, in the styles of real outlets. None of it is a real
  article; outlet names are invented and every quote given to a real person is \
invented.{contrast["bullet"]}

```python
from datasets import load_dataset

# from the repository root; "data" is this folder
real = load_dataset("data", "real_sentences")   # splits: train, dev, test
written = load_dataset("data", "written_sentences"){contrast["load"]}
```

`DATA_CARD.md` has the full statistics (per language, split, kind and stance) and the
annotation agreement.

## Configurations and splits

Splits are fixed per document: all passages of one source document (real corpus), all
sentences of one article (written corpus) share a split. `dev` is the validation split.

{_table(["config", "what", *SPLITS, "all"], _split_rows(views))}

Sentences per language:

{_table(["lang", *configs], _lang_rows(views))}

## Features

Labels are defined in [`CODEBOOK.md`](CODEBOOK.md) (with worked examples). Every value
is a string, integer or boolean; `load_dataset` reads `date` as a timestamp.

{_feature_tables(views)}

Label counts (all splits):

{_table(["kind", *short], _label_rows(views, "kind"))}

{_table(["stance", *short], _label_rows(views, "stance"))}

## Licences

`license: other` because the licence is per source. The real corpus's sources, with
the licence and attribution every document carries (where each licence is stated, and
the sources looked at and not used: [`real/SOURCES.md`](real/SOURCES.md)):

{_table(["repository", "languages", "documents", "sentences", "licence", "attribution"],
        _licence_rows(views))}

{len(translated)} sentences ({tr_langs}) are translations of real sentences of these sources
(made for this project by a language-model session, marked by `translated` and
`translated_from`); they keep the original's licence, and CC BY 4.0's notice of changes
is that marking.

The written corpus (invented text written for this project) and the project's
annotations of both corpora are released under CC BY 4.0 (see `LICENSE` at the
repository root); the real documents' text keeps its source's licence above.

## How it was annotated

Real corpus: every sentence was labelled by two independent passes, and a third pass
settled every disagreement: {settled["agreement"]} sentences were settled by agreement
and {settled["adjudication"]} by adjudication (`settled_by`); {hard} were flagged hard
(`hard`). The annotators were language-model sessions given exactly
[`real/ANNOTATION.md`](real/ANNOTATION.md), the label specification and the codebook;
the agreement between the passes is reported in `DATA_CARD.md`.

Written corpus: each article was written and annotated sentence by sentence by the
project's AI-assisted writing sessions under the codebook, one pass per article, and
checked by a validator (labels, duplicates, near-duplicates, overlap with the
evaluation data).{contrast["annotation"]}

## Limits

- The real corpus's two passes came from the same kind of annotator (language-model
  sessions), so their agreement is higher than two people's would be. The written
  corpus had one pass per article and has no agreement figure.
- The written corpus is cleaner and more explicit than real news; scores on its test
  split overstate scores on real text.
- Parliamentary and official texts dominate the real corpus; news reporting is thin.
"""
