"""German Bundestag plenary records (XML, 19th to 21st term) from ``sevenbanisch/bundestagsreden``.

One document per speech (``<rede>``): the agenda item's title, the speaker line and
the speech, with the record's bracketed interjections ("(Beifall bei der SPD)") kept
as procedural lines, the way published transcripts print them. The chair's remarks
that follow a speech are not part of it. Plenary records are official works
(Urheberrechtsgesetz § 5); speeches in public parliamentary debate may be reproduced
(§ 48).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from ..document import Document, Paragraph, clean_space
from ..snapshot import Snapshot

REPO = "sevenbanisch/bundestagsreden"
LICENCE = "public-domain (DE UrhG §5 official work; §48 public speeches)"
ATTRIBUTION = ("Deutscher Bundestag, Plenarprotokolle (bundestag.de/services/opendata), "
               "via github.com/sevenbanisch/bundestagsreden")
FOLDERS = ("parser/data_19/", "parser/data_20/", "parser/data_21/")
_BODY = {"J", "J_1", "O", "Z"}
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def _text(el: ET.Element) -> str:
    return clean_space("".join(el.itertext()))


def _iso(date: str) -> str:
    m = _DATE.fullmatch(date.strip())
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else ""


def _agenda_title(top: ET.Element) -> str:
    parts = [_text(p) for p in top.findall("p")
             if (p.get("klasse") or "").startswith("T_") and _text(p)]
    return " ".join(parts)[:300]


def _speech(rede: ET.Element) -> list[Paragraph]:
    out: list[Paragraph] = []
    for el in rede:
        if el.tag == "name":  # the chair takes the floor: the speech has ended
            break
        if el.tag == "p" and el.get("klasse") == "redner":
            # The printed speaker line is the text after the <redner> metadata element.
            redner = el.find("redner")
            line = clean_space(redner.tail or "") if redner is not None else _text(el)
            if line:
                out.append(Paragraph(line, role="speaker"))
        elif el.tag == "p" and el.get("klasse") in _BODY and _text(el):
            out.append(Paragraph(_text(el)))
        elif el.tag == "kommentar" and _text(el):
            out.append(Paragraph(_text(el), role="procedural"))
    return out


def _speaker(rede: ET.Element) -> str:
    name = rede.find("p[@klasse='redner']/redner/name")
    if name is None:
        return ""
    first = (name.findtext("vorname") or "").strip()
    last = (name.findtext("nachname") or "").strip()
    group = (name.findtext("fraktion") or name.findtext("rolle/rolle_lang") or "").strip()
    return f"{first} {last}".strip() + (f" ({group})" if group else "")


def extract(snapshot: Snapshot) -> Iterator[Document]:
    """Every speech of the 19th, 20th and 21st Bundestag present in the snapshot."""
    for folder in FOLDERS:
        paths = [p for p in snapshot.files(folder) if p.endswith(".xml")]
        for path, data in snapshot.iter_bytes(paths):
            root = ET.fromstring(data)
            date = _iso(root.get("sitzung-datum", ""))
            for top in root.iter("tagesordnungspunkt"):
                title = _agenda_title(top)
                for rede in top.iter("rede"):
                    paragraphs = _speech(rede)
                    if sum(p.role == "body" for p in paragraphs) < 2:
                        continue
                    yield Document(
                        doc_id=f"bundestag-{rede.get('id', '')}", lang="de", title=title,
                        date=date, genre="parliament_speech", speaker=_speaker(rede),
                        paragraphs=paragraphs, source_repo=REPO, commit=snapshot.commit,
                        path=path, licence=LICENCE, attribution=ATTRIBUTION,
                        meta={"session": root.get("sitzung-nr", ""),
                              "term": root.get("wahlperiode", "")})
