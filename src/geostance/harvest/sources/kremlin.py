"""Kremlin news and transcripts in English (saved en.kremlin.ru pages) from
``iandennismiller/valdai-transcripts``.

Every page states its licence in its footer: "All content on this site is licensed
under Creative Commons Attribution 4.0 International" (en.kremlin.ru/about/copyrights).
One document per page: the headline, the lead, the date and the article body; in
transcripts each turn starts with the speaker's name in bold ("Vladimir Putin: ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from ..document import Document, Paragraph, clean_space
from ..snapshot import Snapshot

REPO = "iandennismiller/valdai-transcripts"
LICENCE = "CC-BY-4.0 (en.kremlin.ru/about/copyrights)"
ATTRIBUTION = "President of Russia, en.kremlin.ru (CC BY 4.0)"
FOLDER = "var/extract/en.kremlin.ru/events/president/news/"
_PAGE = re.compile(r"/news/(\d+)\.html$")
_LICENSED = "creativecommons.org/licenses/by/4.0"


class _Page(HTMLParser):
    """Collects the headline, lead, date and the ``<p>`` paragraphs of the article body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.lead: list[str] = []
        self.date = ""
        self.paragraphs: list[str] = []
        self._in: str | None = None  # "title" | "lead" | "body"
        self._depth = 0  # <div> depth inside the body or lead container
        self._p: list[str] | None = None
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        cls = a.get("class") or ""
        if self._done:
            return
        if tag == "h1" and "entry-title" in cls and not self.title:
            self._in, self._p = "title", []
        elif tag == "time" and "read__published" in cls:
            self.date = a.get("datetime") or ""
        elif tag == "div" and "read__lead" in cls:
            self._in, self._depth = "lead", 1
        elif tag == "div" and "entry-content" in cls:
            self._in, self._depth = "body", 1
        elif tag == "div" and self._in in ("lead", "body"):
            if "read__bottommeta" in cls:
                self._done, self._in = True, None
            else:
                self._depth += 1
        elif tag == "p" and self._in in ("lead", "body"):
            self._p = []
        elif tag == "br" and self._p is not None:
            self._p.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._in == "title" and tag == "h1":
            self.title = clean_space("".join(self._p or []))
            self._in, self._p = None, None
        elif tag == "p" and self._p is not None and self._in in ("lead", "body"):
            text = clean_space("".join(self._p))
            if text:
                (self.lead if self._in == "lead" else self.paragraphs).append(text)
            self._p = None
        elif tag == "div" and self._in in ("lead", "body"):
            self._depth -= 1
            if self._depth == 0:
                self._in = None

    def handle_data(self, data: str) -> None:
        if self._p is not None:
            self._p.append(data)


def extract(snapshot: Snapshot) -> Iterator[Document]:
    """Every news page of the mirror that carries the CC BY 4.0 footer."""
    paths = [p for p in snapshot.files(FOLDER) if _PAGE.search(p)]
    for path, data in snapshot.iter_bytes(paths):
        m = _PAGE.search(path)
        try:
            html = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # a few saved pages are cut inside a character: not read
        if _LICENSED not in html:
            continue
        page = _Page()
        page.feed(html)
        if not page.title or len(page.paragraphs) < 2:
            continue
        turns = sum(bool(re.match(r"[A-Z][\w.\-' ]{2,60}: ", p)) for p in page.paragraphs)
        paragraphs = [Paragraph(t, role="heading") for t in page.lead]
        paragraphs += [Paragraph(t) for t in page.paragraphs]
        yield Document(
            doc_id=f"kremlin-en-{m.group(1)}", lang="en", title=page.title, date=page.date,
            genre="kremlin_transcript" if turns >= 2 else "kremlin_release",
            speaker="President of Russia (kremlin.ru)", paragraphs=paragraphs,
            source_repo=REPO, commit=snapshot.commit, path=path, licence=LICENCE,
            attribution=ATTRIBUTION, url=f"http://en.kremlin.ru/events/president/news/"
                                         f"{m.group(1)}")
