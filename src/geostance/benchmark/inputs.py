"""The benchmark's inputs, written as a user would hand them to ``predict.py``.

* sentences: ``n`` corpus sentences (every k-th, so languages, genres and lengths
  vary), one JSONL row each with the context the model may use (``title``,
  ``context_prev``), for ``predict.py --unit sentence``;
* articles: ``n`` corpus articles as one JSONL table, for article mode;
* a short article as a text file, for the cold-start figure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..data.corpus import read_corpus
from ..data.schema import Problems
from ..fileio import write_jsonl_atomic

__all__ = ["Inputs", "write_articles", "write_inputs", "SHORT_ARTICLE"]

# Written for this benchmark (invented text): a title and three sentences.
SHORT_ARTICLE = ("Azerbaijan and NATO hold talks in Baku\n"
                 "Azerbaijan's foreign minister met NATO's special representative on Monday. "
                 "Moscow warned that closer ties would have consequences, Peskov said. "
                 "Baku says it balances its partners.\n")


@dataclass(frozen=True)
class Inputs:
    """Paths of the benchmark inputs and what they hold."""

    sentences: Path
    n_sentences: int
    articles: Path
    n_articles: int
    short: Path


def _every_kth(items: list, n: int) -> list:
    step = max(1, len(items) // n)
    return items[::step][:n]


def write_articles(corpus_dir: Path, n: int, out: Path, cycle: bool = True) -> Path:
    """A JSONL table of ``n`` corpus articles: cycled with distinct ids when ``cycle``
    (for a given load), else every k-th article (varied, at most all of them)."""
    with (corpus_dir / "articles.jsonl").open(encoding="utf-8") as fh:
        arts = [json.loads(line) for line in fh if line.strip()]
    if not arts:
        raise ValueError(f"{corpus_dir}: no articles")
    picked = [arts[i % len(arts)] for i in range(n)] if cycle else _every_kth(arts, n)
    return write_jsonl_atomic(out, ({"id": f"{a['article_id']}#{i}", "text": a["text"],
                                     "lang": a.get("lang"), "title": a.get("title")}
                                    for i, a in enumerate(picked)))


def write_inputs(work: Path, sentence_corpus: Path, n_sentences: int, article_corpus: Path,
                 n_articles: int) -> Inputs:
    """Write the three inputs under ``work``."""
    problems = Problems()
    splits = read_corpus(sentence_corpus, problems)
    problems.raise_if_any()
    sents = _every_kth([s for rows in splits.values() for s in rows], n_sentences)
    spath = write_jsonl_atomic(work / "sentences.jsonl", (
        {"id": s.id or f"s{i}", "text": s.text, "title": s.title,
         "context_prev": s.context_prev, "lang": s.lang} for i, s in enumerate(sents)))
    apath = write_articles(article_corpus, n_articles, work / "articles.jsonl", cycle=False)
    n_arts = sum(1 for _ in apath.open(encoding="utf-8"))
    short = work / "short_article.txt"
    short.write_text(SHORT_ARTICLE, encoding="utf-8")
    return Inputs(spath, len(sents), apath, n_arts, short)
