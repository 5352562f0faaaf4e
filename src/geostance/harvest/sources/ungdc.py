"""UN General Debate statements (plain text, English) from the UN General Debate Corpus.

The corpus (Jankin, Baturo and Dasandi, Harvard Dataverse doi:10.7910/DVN/0TJX8Y,
released under CC0 1.0) is read from the copy in
``SarahFranzen/Emotions_in_the_United_Nations_General_Debates``. One document per
country and session; the statements carry no title of their own, so ``title`` is
empty (a made-up title would be invented text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Document, Paragraph, clean_space, hard_wrapped, rewrap
from ..snapshot import Snapshot

REPO = "SarahFranzen/Emotions_in_the_United_Nations_General_Debates"
LICENCE = "CC0-1.0 (UN General Debate Corpus, Harvard Dataverse doi:10.7910/DVN/0TJX8Y)"
ATTRIBUTION = ("Jankin, Baturo and Dasandi, United Nations General Debate Corpus 1946-2024, "
               "Harvard Dataverse, doi:10.7910/DVN/0TJX8Y")
FIRST_YEAR = 2014
# Countries whose statements argue the alignment contest (ISO 3166-1 alpha-3).
COUNTRIES = {
    "RUS": "Russian Federation", "UKR": "Ukraine", "GEO": "Georgia", "MDA": "Moldova",
    "ARM": "Armenia", "AZE": "Azerbaijan", "BLR": "Belarus", "KAZ": "Kazakhstan",
    "SRB": "Serbia", "EST": "Estonia", "LVA": "Latvia", "LTU": "Lithuania", "POL": "Poland",
    "FIN": "Finland", "SWE": "Sweden", "USA": "United States", "GBR": "United Kingdom",
    "DEU": "Germany", "FRA": "France", "TUR": "Türkiye", "HUN": "Hungary",
    "BGR": "Bulgaria", "ROU": "Romania", "CZE": "Czechia", "NOR": "Norway",
    "SVK": "Slovakia", "KGZ": "Kyrgyzstan", "UZB": "Uzbekistan", "TJK": "Tajikistan",
}
# States whose statements most often cast NATO and the West as the threat; added to
# the draw so that Moscow's side of the contest is not underrepresented.
EAST = {"RUS": "Russian Federation", "BLR": "Belarus", "SYR": "Syrian Arab Republic",
        "IRN": "Iran", "VEN": "Venezuela", "NIC": "Nicaragua", "CUB": "Cuba",
        "PRK": "Democratic People's Republic of Korea", "CHN": "China", "ERI": "Eritrea",
        "MLI": "Mali"}
_FILE = re.compile(r"/([A-Z]{3})_(\d+)_(\d{4})\.txt$")
_WRAPPED = re.compile(r"[\w,;–-]$")  # a line that stops mid-sentence
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _blocks(raw: str) -> list[str]:
    """Paragraphs: one per line, except that a line broken mid-sentence (no final
    punctuation, next line starting in lower case) is joined to the next."""
    out: list[str] = []
    joining = False
    for line in raw.replace("\r\n", "\n").split("\n"):
        line = clean_space(line)
        if not line:
            joining = False
            continue
        if joining and out and line[0].islower():
            out[-1] += " " + line
        else:
            out.append(line)
        joining = bool(_WRAPPED.search(line))
    return out


def extract(snapshot: Snapshot) -> Iterator[Document]:
    """Statements of :data:`COUNTRIES` from :data:`FIRST_YEAR` on."""
    for path in snapshot.files("data/data_original/TXT/"):
        m = _FILE.search(path)
        if not m or "/._" in path or m.group(1) not in COUNTRIES.keys() | EAST.keys():
            continue
        if int(m.group(3)) < FIRST_YEAR:
            continue
        raw = snapshot.read_text(path).replace("\r\n", "\n")
        lines = raw.split("\n")
        # Speeches carry no headings: a short line is a wrapped line, not a title.
        blocks = rewrap(lines, headings=False) if hard_wrapped(lines) else _blocks(raw)
        paragraphs = [Paragraph(_BOLD.sub(r"\1", b)) for b in blocks]
        if len(paragraphs) < 2:
            continue
        iso, session, year = m.groups()
        yield Document(
            doc_id=f"ungdc-{iso}-{year}", lang="en", title="", date=year,
            genre="un_speech", speaker=COUNTRIES.get(iso) or EAST[iso], paragraphs=paragraphs,
            source_repo=REPO, commit=snapshot.commit, path=path, licence=LICENCE,
            attribution=ATTRIBUTION, meta={"country": iso, "session": session})
