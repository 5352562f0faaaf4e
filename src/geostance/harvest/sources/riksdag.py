"""Swedish Riksdag interpellations (TEI XML) from ``swerik-project/riksdagen-interpellations``.

An interpellation is a member's written question to a minister: a context section
argued in the member's own words, then the questions. Texts from the Riksdag are
public documents; speeches and statements in the Riksdag may be freely reproduced
(Swedish Copyright Act, 1960:729, sections 9 and 26).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from ..document import Document, Paragraph, clean_space
from ..snapshot import Snapshot

REPO = "swerik-project/riksdagen-interpellations"
LICENCE = "public-domain (SE URL 1960:729 §9, §26); corpus CC0/CC BY 4.0 (SWERIK)"
ATTRIBUTION = ("Sveriges riksdag, interpellationer, via the SWERIK project "
               "(github.com/swerik-project/riksdagen-interpellations)")
FIRST_SESSION = 2014  # 2014/15: the Crimea annexation and after
_NS = {"t": "http://www.tei-c.org/ns/1.0"}
_SESSION = re.compile(r"data/(\d{4})(\d{2,4})/")


def _text(el: ET.Element) -> str:
    return clean_space("".join(el.itertext()))


def _paragraphs(body: ET.Element) -> list[Paragraph]:
    out: list[Paragraph] = []
    for div in body.iter(f"{{{_NS['t']}}}div"):
        if div.get("type") not in ("ipContext", "ipQuestion"):
            continue
        for p in div.findall("t:p", _NS):
            items = p.findall(".//t:item", _NS)
            lead = clean_space(p.text or "")
            if items:
                # The question paragraph: an introducing line, then one question per item.
                if lead:
                    out.append(Paragraph(lead))
                out.extend(Paragraph(_text(it)) for it in items if _text(it))
            elif _text(p):
                out.append(Paragraph(_text(p)))
    return out


def extract(snapshot: Snapshot) -> Iterator[Document]:
    """Interpellations from session 2014/15 on."""
    paths = [p for p in snapshot.files("data/") if p.endswith(".xml")
             and (m := _SESSION.match(p)) and int(m.group(1)) >= FIRST_SESSION]
    for path, data in snapshot.iter_bytes(paths):
        root = ET.fromstring(data)
        bibl_title = root.find(".//t:sourceDesc/t:bibl/t:title", _NS)
        author = root.find(".//t:titleStmt/t:author", _NS)
        sent = root.find(".//t:correspAction[@type='sent']/t:date", _NS)
        body = root.find(".//t:body", _NS)
        if body is None or bibl_title is None:
            continue
        title = _text(bibl_title)
        paragraphs = _paragraphs(body)
        if not paragraphs:
            continue
        doc_id = "riksdag-" + path.rsplit("/", 1)[1].removesuffix(".xml")
        url = root.find(".//t:ref[@type='dokument_url_html']", _NS)
        yield Document(
            doc_id=doc_id, lang="sv", title=title,
            date=sent.get("when", "") if sent is not None else "",
            genre="parliament_question",
            speaker=_text(author) if author is not None else "",
            paragraphs=paragraphs, source_repo=REPO, commit=snapshot.commit, path=path,
            licence=LICENCE, attribution=ATTRIBUTION,
            url=(url.get("target") or url.text or "") if url is not None else "")
