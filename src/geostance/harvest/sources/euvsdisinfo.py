"""EUvsDisinfo case titles (English one-line summaries of pro-Kremlin claims) from
``cknabs/EUvsDisinfo`` (``data/posts.csv``, scraped from euvsdisinfo.eu).

Each title is a document of one line: it paraphrases what a pro-Kremlin outlet
claimed, written by the EU East StratCom Task Force.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..document import Document, Paragraph, clean_space
from ..snapshot import Snapshot

REPO = "cknabs/EUvsDisinfo"
LICENCE = "CC-BY-SA-4.0 (euvsdisinfo.eu)"
ATTRIBUTION = "EUvsDisinfo database, EU East StratCom Task Force (euvsdisinfo.eu)"
PATH = "data/posts.csv"


def extract(snapshot: Snapshot) -> Iterator[Document]:
    """One document per case title."""
    rows = csv.DictReader(io.StringIO(snapshot.read_text(PATH), newline=""))
    for row in rows:
        url = row.get("id") or ""
        slug = url.rstrip("/").rsplit("/", 1)[-1]
        title = clean_space(row.get("title") or "")
        if not slug or not title:
            continue
        yield Document(
            doc_id=f"euvsdisinfo-{slug[:80]}", lang="en", title="", date=row.get("date", ""),
            genre="disinfo_case_title", speaker=row.get("outlets", ""),
            paragraphs=[Paragraph(title)], source_repo=REPO, commit=snapshot.commit,
            path=PATH, licence=LICENCE, attribution=ATTRIBUTION, url=url,
            meta={"countries": row.get("countries", ""), "keywords": row.get("keywords", ""),
                  "languages": row.get("languages", "")})
