"""Generate ``data/DATA_CARD.md`` from both corpora: ``python -m geostance.data card``."""

from __future__ import annotations

import collections
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


def render_card(corpus_dir: Path, real_dir: Path) -> str:
    """The whole card: the real corpus (when ``real_dir`` holds one), then the written one."""
    text = build_card(corpus_dir)
    if (real_dir / "documents.jsonl").is_file():
        from .realcard import build_real_card

        # One card: the written corpus becomes a section under the real one's title.
        written = text.split("\n", 1)[1].replace("\n## ", "\n### ")
        text = (build_real_card(real_dir) + "\n## The written corpus (`data/corpus/`)\n"
                + written)
    return text


def write_card(corpus_dir: Path, real_dir: Path, out: Path) -> Path:
    """Write the card atomically (temporary file, then rename)."""
    return write_text_atomic(out, render_card(corpus_dir, real_dir))
