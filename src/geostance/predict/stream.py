"""Scoring a stream of inputs in windows: sorted by length across articles, in input order out.

:class:`score_stream` reads items one by one, splits articles into sentences, and
collects a *window* (``--window`` sentences, or ``--chunk-size`` articles in article
mode, whichever comes first). The window's sentences are scored together in token-budget batches
(length-sorted across articles, so a batch of short sentences is not padded to a
long one) and the records come out in input order, one list per window. Memory is
bounded by the window, not by the input. A window that fails to score is scored
again article by article, so one bad input gets an error record and the others
are still scored (error isolation); a record kept by ``--resume`` is passed through.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from ..config import PredictConfig
from .articles import Article, article_sentences, label_articles
from .inputs import Item, iter_items
from .records import META_FIELDS, SENTENCE_KEYS, item_meta, record

logger = logging.getLogger(__name__)

__all__ = ["score_stream", "score_items"]

MAX_DUPLICATE_WARNINGS = 5


def _article(item: Item) -> Article:
    rec: dict[str, Any] = {"text": item.text}
    for k in ("title", "lang"):
        if item_meta(item, k):
            rec[k] = item_meta(item, k)
    return article_sentences(rec, item.format)


def kept_matches(item: Item, rec: dict[str, Any], unit: str) -> bool:
    """Whether a record kept by ``--resume`` still belongs to ``item``: the same sentences
    (texts and offsets) and the same given title, language and metadata. The key (id,
    input) alone matches a changed text, or another row after a row was inserted."""
    if any(rec.get(k) != item_meta(item, k) for k in META_FIELDS):
        return False
    for k in ("title", "lang"):
        if item_meta(item, k) is not None and rec.get(k) != item_meta(item, k):
            return False
    sents = rec.get("sentences") or []
    if unit == "sentence":
        return len(sents) == 1 and sents[0].get("text") == item.text
    try:
        spans = _article(item).spans
    except Exception:  # noqa: BLE001 - rescored, where the failure becomes its record
        return False
    return [(a, b, t) for a, b, t in spans] == [
        (x.get("start"), x.get("end"), x.get("text")) for x in sents]


def _failed(item: Item, model: dict[str, Any], e: BaseException) -> dict[str, Any]:
    return record(item, model, error=f"scoring failed: {type(e).__name__}: {e}")


def _article_records(predictor, pairs: list[tuple[Item, Article]],
                     model: dict[str, Any]) -> list[dict[str, Any]]:
    results = label_articles(predictor, [a for _, a in pairs])
    out = []
    for (item, _), res in zip(pairs, results, strict=True):
        sents = [{k: s[k] for k in SENTENCE_KEYS} for s in res["sentences"]]
        out.append(record(item, model, res["lang"], res["title"], res["summary"], sents))
    return out


def _sentence_records(predictor, items: list[Item], model: dict[str, Any]
                      ) -> list[dict[str, Any]]:
    from ..text.language import detect_language
    from ..text.sources import sentence_speakers

    texts = [it.text for it in items]
    # The record gives each sentence's language, found here when the input gave none.
    langs = [item_meta(it, "lang") or detect_language(it.text) for it in items]
    sources = sentence_speakers(texts, langs)
    kind_p, stance_p, windows = predictor.score(
        texts, [item_meta(it, "title") or "" for it in items],
        [item_meta(it, "context_prev") or "" for it in items], speakers=sources)
    scored = predictor.sentence_records(texts, kind_p, stance_p, windows)
    out = []
    for it, s, sp, lang, source in zip(items, scored, stance_p, langs, sources, strict=True):
        sent = {"index": 0, "start": 0, "end": len(it.text), "text": it.text,
                "kind": s["kind"], "kind_probs": s["kind_probs"], "stance": s["stance"],
                "stance_probs": s["stance_probs"], "source": source,
                "stance_confidence": round(float(sp.max()), 6), "windows": s["windows"]}
        out.append(record(it, model, lang, item_meta(it, "title") or "",
                          predictor.summarize([sent]), [sent]))
    return out


def score_items(predictor, items: list[Item], unit: str, model: dict[str, Any]
                ) -> list[dict[str, Any]]:
    """Records for readable items, scored together; a failure is isolated per item."""
    if not items:
        return []
    try:
        if unit == "sentence":
            return _sentence_records(predictor, items, model)
        return _article_records(predictor, [(it, _article(it)) for it in items], model)
    except Exception as e:  # noqa: BLE001 - turned into error records, never dropped
        if len(items) == 1:
            return [_failed(items[0], model, e)]
        return [r for it in items for r in score_items(predictor, [it], unit, model)]


class DuplicateIds:
    """Counts ids that repeat an earlier one, logging the first few with where they came from."""

    def __init__(self) -> None:
        self.count = 0
        self._seen: set[str] = set()

    def note(self, article_id: str, where: str) -> None:
        """Record one item's id; ``where`` is its ``input`` (path, row or line)."""
        if article_id in self._seen:
            self.count += 1
            if self.count <= MAX_DUPLICATE_WARNINGS:
                logger.warning("%s: duplicate id %r (its record is written all the same)",
                               where, article_id)
        self._seen.add(article_id)


def count_duplicates(ids: Iterable[tuple[str, str]]) -> int:
    """How many of the ``(article_id, input)`` pairs, in input order, repeat an earlier id."""
    dups = DuplicateIds()
    for article_id, where in ids:
        dups.note(article_id, where)
    return dups.count


class score_stream:  # noqa: N801 - used like a generator function
    """Windows of ``(record, resumed)`` pairs for every input item, in input order.

    ``duplicates`` counts items whose ``article_id`` repeated an earlier one (each
    still gets its record; the first few are also logged).
    """

    def __init__(self, predictor, paths: Iterable[str], cfg: PredictConfig,
                 model: dict[str, Any], kept: dict[tuple[str, str], dict[str, Any]],
                 stdin=None):
        self.predictor, self.paths, self.cfg = predictor, paths, cfg
        self.model, self.kept, self.stdin = model, kept, stdin
        self._ids = DuplicateIds()
        self.changed = 0  # kept records whose input changed, scored again

    @property
    def duplicates(self) -> int:
        """Items so far whose id repeated an earlier one."""
        return self._ids.count

    def _note_id(self, item: Item) -> None:
        self._ids.note(item.article_id, item.input)

    def _flush(self, slots: list[tuple[Any, ...]]) -> list[tuple[dict[str, Any], bool]]:
        todo = [s for s in slots if s[0] == "art"]
        scored: list[dict[str, Any]] = []
        if todo:
            try:
                if self.cfg.unit == "sentence":
                    scored = _sentence_records(self.predictor, [s[1] for s in todo], self.model)
                else:
                    scored = _article_records(self.predictor, [(s[1], s[2]) for s in todo],
                                              self.model)
            except Exception:  # noqa: BLE001 - rescored one by one below
                scored = [r for s in todo
                          for r in score_items(self.predictor, [s[1]], self.cfg.unit,
                                               self.model)]
        it = iter(scored)
        return [(next(it), False) if s[0] == "art" else (s[1], s[2]) for s in slots]

    def __iter__(self) -> Iterator[list[tuple[dict[str, Any], bool]]]:
        cfg = self.cfg
        slots: list[tuple[Any, ...]] = []
        sentences = articles = 0
        for item in iter_items(self.paths, cfg.unit, cfg.max_chars, cfg.text_column,
                               self.stdin):
            self._note_id(item)
            if item.error is not None:
                slots.append(("rec", record(item, self.model), False))
                if cfg.strict:
                    break
                continue
            if item.key in self.kept:
                if kept_matches(item, self.kept[item.key], cfg.unit):
                    slots.append(("rec", self.kept[item.key], True))
                    continue
                self.changed += 1
                if self.changed <= MAX_DUPLICATE_WARNINGS:
                    logger.warning("%s: --resume: the input changed since its record was "
                                   "written; scored again", item.input)
            if cfg.unit == "sentence":
                slots.append(("art", item, None))
                sentences += 1
            else:
                try:
                    art = _article(item)
                except Exception as e:  # noqa: BLE001 - a splitting failure is one error record
                    slots.append(("rec", _failed(item, self.model, e), False))
                    continue
                slots.append(("art", item, art))
                sentences += len(art.spans)
            articles += 1
            # In sentence mode every input is one sentence: its window is --window
            # sentences (a window capped at --chunk-size inputs sorted too few by length
            # and padded 6% more tokens on the benchmark's 1,500 sentences).
            if sentences >= cfg.window or (cfg.unit != "sentence"
                                           and articles >= cfg.chunk_size):
                yield self._flush(slots)
                slots, sentences, articles = [], 0, 0
        if slots:
            yield self._flush(slots)
