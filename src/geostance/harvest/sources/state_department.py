"""US Department of State press releases (statements, readouts of calls and meetings,
announcements), May 2021 to August 2022, from ``markschaver/State-Department-PR``.

That repository is a scraper that overwrote one file, ``data.rss`` (the
department's press-release feed, the latest ten or so items with their full text),
on every run: the texts live in the file's history. Each item is taken from the
first version of the feed that carries it, and every document records that
version's commit (``meta.version_commit``) besides the pinned commit, so the
extraction reruns byte for byte.

Texts of the US federal government are in the public domain (17 U.S.C. § 105).
Items whose title marks a joint text with foreign governments (joint statements,
G7 and other group statements, declarations) or a transcript with other
speakers (press briefings and availabilities, interviews: reporters' and hosts'
words are not government works) are left out, and so are items whose byline
names more than one speaker (joint press availabilities with foreign ministers).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

from ..document import Document, Paragraph, clean_space
from ..snapshot import Snapshot

REPO = "markschaver/State-Department-PR"
LICENCE = "public-domain (17 U.S.C. §105, US federal government work)"
ATTRIBUTION = ("U.S. Department of State, press releases (state.gov), via "
               "github.com/markschaver/State-Department-PR")
PATH = "data.rss"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_NOT_US_ONLY = re.compile(
    r"\bjoint\b|\bG7\b|\bG20\b|\bquad\b|declaration|communiqu|"
    r"\bleaders'? statement|\bministers'? statement|trilateral statement|"
    r"statement (by|of) the (foreign )?ministers|"
    # Transcripts with reporters' or hosts' words: interviews, briefings, Q&A.
    r"briefing|press availability|media availability|press conference|interview|"
    r"remarks to (the )?(press|media)|\bon (cnn|nbc|cbs|abc|msnbc|fox|npr|bbc|cnbc|pbs)\b|"
    r"meet the press|state of the union|face the nation|\bgps\b|podcast|town hall|"
    r"conversation|q&a|"
    # "Secretary Antony J. Blinken With <host>" / "And <foreign minister>": a transcript
    # with another speaker (a readout, "Secretary Blinken's Call with ...", is kept).
    r"^(deputy |under |assistant )?secretary [^’']*?\b(with|and)\b", re.IGNORECASE)


class _Paragraphs(HTMLParser):
    """The text of each ``<p>`` and heading element, scripts and styles left out."""

    _BLOCKS = {"p", "h1", "h2", "h3", "h4", "li"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._buf: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BLOCKS:
            self._flush()
            self._buf = []
        elif tag == "br" and self._buf is not None:
            self._buf.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._buf is not None and not self._skip:
            self._buf.append(data)

    def _flush(self) -> None:
        if self._buf is not None:
            text = clean_space("".join(self._buf))
            if text:
                self.out.append(text)
        self._buf = None


def paragraphs_of(html: str) -> list[str]:
    """The paragraphs of one item's HTML body, in order."""
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.out


def _iso_date(pub: str) -> str:
    try:
        return parsedate_to_datetime(pub).date().isoformat()
    except (TypeError, ValueError):
        return ""


def extract(snapshot: Snapshot) -> Iterator[Document]:
    """Every press release that is a US government work, once, oldest feed first."""
    seen: set[str] = set()
    commits = snapshot.history(PATH)
    for commit, (_, data) in zip(commits, snapshot.iter_bytes([PATH] * len(commits), commits),
                                 strict=True):
        try:
            root = ET.fromstring(data)
        except ET.ParseError:
            continue  # a truncated feed version; its items recur in the next ones
        for item in root.iter("item"):
            link = (item.findtext("link") or "").strip()
            if not link or link in seen:
                continue
            seen.add(link)
            title = clean_space(item.findtext("title") or "")
            if not title or _NOT_US_ONLY.search(title):
                continue
            byline = clean_space(item.findtext(_CREATOR) or "")
            if byline.count(",") > 1:  # "A, title, B, title": a foreign speaker too
                continue
            paras = paragraphs_of(item.findtext(_CONTENT) or "")
            if len(paras) < 2:
                continue
            slug = link.rstrip("/").rsplit("/", 1)[-1]
            yield Document(
                doc_id=f"statedept-{slug[:90]}", lang="en", title=title,
                date=_iso_date(item.findtext("pubDate") or ""), genre="government_release",
                speaker=byline or "U.S. Department of State",
                paragraphs=[Paragraph(t) for t in paras], source_repo=REPO,
                commit=snapshot.commit, path=PATH, licence=LICENCE, attribution=ATTRIBUTION,
                url=link, meta={"version_commit": commit})
