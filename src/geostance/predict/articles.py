"""Articles: split into sentences with offsets, score together, attribute sources.

Shared by :meth:`Predictor.predict_articles` and the batch run, so an article gets
the same sentences, context and sources either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Article", "article_sentences", "label_articles"]


@dataclass
class Article:
    """An article split into sentences: ``spans`` hold (start, end, text) into ``text``
    (or, for Markdown/HTML, into the original file, with ``text`` the clean text)."""

    rec: dict[str, Any]
    lang: str
    title: str
    spans: list[tuple[int, int, str]]


def article_sentences(rec: dict[str, Any], fmt: str = "text") -> Article:
    """Split one article (``text`` plus optional ``title``/``lang``) into sentences.

    ``fmt`` is the input format (text, markdown or html): markup is removed before
    splitting and offsets point into the original text. For plain text the first
    line is the title only when it looks like one (short, no final punctuation).
    """
    from ..text.language import detect_language
    from ..text.markup import read_article, split_article

    text = rec["text"]
    art = read_article(text, fmt)
    lang = rec.get("lang") or detect_language(art.text)
    spans = [(s.start, s.end, s.text) for s in split_article(art, lang)]
    title = rec.get("title") or art.title
    return Article(rec, lang, title, spans)


_OUTPUT_KEYS = ("model", "summary", "sentences", "error")


def label_articles(predictor, arts: list[Article], progress=None) -> list[dict[str, Any]]:
    """Label every sentence of ``arts`` in one scoring pass; one result dict per article.

    Each result holds the article's own keys (but ``text``; one of the output's keys as
    ``input_<key>``), ``lang``, ``title``, ``model``, ``summary``, ``sentences`` and
    ``error`` (None). With the predictor's
    ``stance_stay`` set, each article's stance probabilities are those of
    :func:`.coherence.smooth_stance` over its sentences.
    """
    from ..text.sources import assign_sources

    texts, titles, prevs = [], [], []
    for a in arts:
        for j, (_, _, t) in enumerate(a.spans):
            texts.append(t)
            titles.append(a.title)
            prevs.append(a.spans[j - 1][2] if j else "")
    # Sources first: a model trained with the speaker reads them.
    sources_of = [assign_sources([t for _, _, t in a.spans], a.lang, a.title or "")
                  for a in arts]
    kind_p, stance_p, windows = predictor.score(texts, titles, prevs, progress,
                                                [x for src in sources_of for x in src])
    stay = getattr(predictor, "stance_stay", 0.0)
    if stay:
        from .coherence import smooth_stance, stance_evidence

        # Each article's stances as one chain; boilerplate (by the kind head) gives no
        # evidence. The records then carry the chain's probabilities.
        evidence = stance_evidence(kind_p, predictor.kinds)
        stance_p = stance_p.copy()
        pos = 0
        for a in arts:
            n = len(a.spans)
            if n:
                stance_p[pos:pos + n] = smooth_stance(
                    stance_p[pos:pos + n], stay, evidence[pos:pos + n],
                    predictor.stance_chain_temperature,
                    transitions=predictor.stance_transitions)
            pos += n
    scored = predictor.sentence_records(texts, kind_p, stance_p, windows)
    results, pos = [], 0
    for a, sources in zip(arts, sources_of, strict=True):
        n = len(a.spans)
        sents = scored[pos:pos + n]
        confs = stance_p[pos:pos + n].max(axis=1) if n else []
        pos += n
        for j, ((start, end, _), s) in enumerate(zip(a.spans, sents, strict=True)):
            s.update({"index": j, "start": start, "end": end, "source": sources[j],
                      "stance_confidence": round(float(confs[j]), 6)})
        # An input field the output also writes is kept as input_<key> (as
        # predict_sentences keeps a gold kind); lang and title are the ones resolved.
        results.append({**{(f"input_{k}" if k in _OUTPUT_KEYS else k): v
                           for k, v in a.rec.items() if k != "text"},
                        "lang": a.lang, "title": a.title, "model": predictor.model_info,
                        "summary": predictor.summarize(sents), "sentences": sents,
                        "error": None})
    return results
