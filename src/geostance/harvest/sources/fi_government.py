"""Finnish Government Programme of 20 June 2023 (PDF), chapters 8 (foreign and
security policy) and 9 (the European Union), from ``karihirvi/politics``
(``lahdeaineisto/hallitusohjelma/``; the AI-written ``*-summary.md`` files beside
them are not used).

The programme is a government publication (valtioneuvosto.fi content is CC BY 4.0)
and an official statement outside copyright (Finnish Copyright Act 404/1961, § 9).
The PDF text is rebuilt into paragraphs: running headers and page numbers are
dropped, words hyphenated at a line end are joined (a hyphen after a capitalised
part such as "Nato-" is kept), and a short line that ends a sentence ends a
paragraph.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from ..document import Document, Paragraph, rewrap
from ..snapshot import Snapshot

REPO = "karihirvi/politics"
LICENCE = "CC-BY-4.0 (valtioneuvosto.fi); official statement (FI Copyright Act §9)"
ATTRIBUTION = ("Valtioneuvosto, Pääministeri Petteri Orpon hallituksen ohjelma 20.6.2023 "
               "(CC BY 4.0), via github.com/karihirvi/politics")
FOLDER = "lahdeaineisto/hallitusohjelma/"
CHAPTERS = ("08-", "09-")
_HEADER = re.compile(r"^(\d{1,3}|VAHVA JA VÄLITTÄVÄ SUOMI.*)$")


def paragraphs_from_pdf_text(pages: list[str]) -> list[str]:
    """Paragraphs from the text of PDF pages, running headers and page numbers dropped."""
    lines = [ln.rstrip() for page in pages for ln in page.splitlines()]
    return rewrap([ln for ln in lines if ln.strip() and not _HEADER.match(ln.strip())])


def extract(snapshot: Snapshot) -> Iterator[Document]:
    """One document per chapter."""
    from pypdf import PdfReader

    for path in snapshot.files(FOLDER):
        name = path.rsplit("/", 1)[-1]
        if not name.endswith(".pdf") or not name.startswith(CHAPTERS):
            continue
        reader = PdfReader(io.BytesIO(snapshot.read_bytes(path)))
        paras = paragraphs_from_pdf_text([p.extract_text() or "" for p in reader.pages])
        if not paras:
            continue
        title, body = paras[0], paras[1:]
        yield Document(
            doc_id=f"fi-hallitusohjelma-2023-{name[:2]}", lang="fi", title=title,
            date="2023-06-20", genre="government_programme", speaker="Valtioneuvosto",
            paragraphs=[Paragraph(t) for t in body], source_repo=REPO,
            commit=snapshot.commit, path=path, licence=LICENCE, attribution=ATTRIBUTION)
