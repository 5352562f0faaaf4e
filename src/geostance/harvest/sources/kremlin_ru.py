"""Kremlin news and transcripts in Russian (kremlin.ru, December 2024 to May 2025) from
``gabrielkmbo/kremlin-scraper`` (``kremlin_articles_ru_enhanced.csv``).

kremlin.ru states that all its content is licensed under Creative Commons
Attribution 4.0 (kremlin.ru/about/copyrights). The scraper flattened each page into
one line and kept some page furniture; the extractor removes the header (section,
title, lead, date, place) and the footer (topics, publication data), cuts the text
into lines of three sentences, and drops sentences into which the site's pop-up
notes were scraped ("Мадуро Мадуро Николас Президент …", "Краткая справка …").
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from ...text.segment import split_sentences
from ..document import Document, Paragraph, chunk_sentences, clean_space
from ..snapshot import Snapshot

REPO = "gabrielkmbo/kremlin-scraper"
LICENCE = "CC-BY-4.0 (kremlin.ru/about/copyrights)"
ATTRIBUTION = ("Президент России, kremlin.ru (CC BY 4.0), via "
               "github.com/gabrielkmbo/kremlin-scraper")
PATH = "kremlin_articles_ru_enhanced.csv"
_FOOTER = re.compile(r"\s(?:Смотрите также|География|Темы|Персоны|Статус материала|"
                     r"Опубликован в разделах)\s")
_POPUP = re.compile(r"Краткая справка|\b([А-ЯЁ][а-яё]{3,})\w* \1")


def _body(row: dict[str, str]) -> str:
    text = " ".join(clean_space(row.get(f"article_full_text_{i}", "")) for i in range(1, 11))
    text = clean_space(text)
    # Header: "События <title> <lead> <date> <HH:MM> <place> ".
    m = re.search(re.escape(row.get("raw_date", "")) + r"\s+\d{1,2}:\d{2}\s+", text)
    if m and m.start() < 2000:
        text = text[m.end():]
        place = clean_space(row.get("place", ""))
        if place and text.startswith(place):
            text = text[len(place):]
    f = _FOOTER.search(text)
    if f:
        text = text[:f.start()]
    return text.strip()


def extract(snapshot: Snapshot) -> Iterator[Document]:
    """One document per page."""
    csv.field_size_limit(1 << 30)
    rows = csv.DictReader(io.StringIO(snapshot.read_text(PATH), newline=""))
    for row in rows:
        url = row.get("url", "")
        title = clean_space(row.get("title") or row.get("\ufefftitle") or "")
        body = _body(row)
        if not url or not title or not body:
            continue
        kept = [s.text for s in split_sentences(body, "ru") if not _POPUP.search(s.text)]
        lines = chunk_sentences(" ".join(kept), "ru")
        lead = clean_space(row.get("summary", ""))
        paragraphs = ([Paragraph(lead, role="heading")] if lead else [])
        paragraphs += [Paragraph(t) for t in lines]
        yield Document(
            doc_id="kremlin-ru-" + url.rstrip("/").rsplit("/", 1)[-1], lang="ru", title=title,
            date=row.get("date", ""), genre="kremlin_release", speaker="Президент России",
            paragraphs=paragraphs, source_repo=REPO, commit=snapshot.commit, path=PATH,
            licence=LICENCE, attribution=ATTRIBUTION, url=url)
