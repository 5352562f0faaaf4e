"""White House briefing-room texts (Markdown with YAML front matter) from
``brian14708/wh-briefings`` (CC0; texts of the US federal government, public domain
under 17 U.S.C. § 105).

Documents whose title names a foreign leader, a joint appearance or a press
conference are left out: the words of foreign speakers in them are not US
government works.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from ..document import Document, Paragraph, clean_space
from ..snapshot import Snapshot

REPO = "brian14708/wh-briefings"
LICENCE = "public-domain (17 U.S.C. §105, US federal government work); repository CC0-1.0"
ATTRIBUTION = ("The White House, Briefing Room (whitehouse.gov), via "
               "github.com/brian14708/wh-briefings")
FOLDERS = ("briefings-statements/", "statements-releases/", "speeches-remarks/",
           "press-briefings/", "fact-sheets/", "remarks/", "releases/", "articles/")
_NOT_US_ONLY = re.compile(
    r"\bjoint\b|press conference|bilateral meeting|\band (president|prime minister|chancellor|"
    r"king|queen|secretary general|his majesty)\b|\bwith (president|prime minister|"
    r"chancellor)\b|\bleaders'? statement|\bG7\b|\bG20\b|\bquad\b|declaration", re.IGNORECASE)
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_MD = re.compile(r"\*\*|__|(?<!\w)\*(?!\s)|\\(?=[_*\[\]()#`.-])")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _clean(block: str) -> str:
    text = _LINK.sub(r"\1", block).replace("\\_", " ")
    return clean_space(_MD.sub("", text))


def extract(snapshot: Snapshot) -> Iterator[Document]:
    """Every briefing-room text that is a US government work."""
    paths = [p for f in FOLDERS for p in snapshot.files(f) if p.endswith(".md")]
    for path, data in snapshot.iter_bytes(paths):
        raw = data.decode("utf-8", "replace")
        m = _FRONT.match(raw)
        if not m:
            continue
        try:
            meta = yaml.safe_load(m.group(1)) or {}
        except yaml.YAMLError:
            continue
        title = _clean(str(meta.get("title", "")))
        if not title or _NOT_US_ONLY.search(title):
            continue
        blocks = re.split(r"\n\s*\n", raw[m.end():])
        paragraphs = [Paragraph(t) for t in (_clean(b) for b in blocks) if t]
        if len(paragraphs) < 2:
            continue
        date = str(meta.get("date", ""))[:10]
        slug = path.rsplit("/", 1)[-1].removesuffix(".md")
        yield Document(
            doc_id=f"whitehouse-{slug[:90]}", lang="en", title=title, date=date,
            genre="government_release", speaker="The White House", paragraphs=paragraphs,
            source_repo=REPO, commit=snapshot.commit, path=path, licence=LICENCE,
            attribution=ATTRIBUTION, url=str(meta.get("source_url", "")),
            meta={"section": path.split("/", 1)[0]})
