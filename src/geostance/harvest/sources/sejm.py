"""Polish Sejm stenographic record (10th term, 20th sitting, 16 October 2024: the
President's address on security and the debate after it), Markdown, from
``miskibin/sejm-stats`` (``research/sejm_transcripts.md``).

Stenographic records of the Sejm are official documents and not subject to
copyright (Polish Copyright Act, art. 4). One document per speaker turn
(``#### Speaker:`` headings); each turn is one long paragraph in the file and is
cut into lines of three sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Document, Paragraph, chunk_sentences, clean_space
from ..snapshot import Snapshot

REPO = "miskibin/sejm-stats"
LICENCE = "public-domain (PL Copyright Act art. 4, official document)"
ATTRIBUTION = ("Sejm Rzeczypospolitej Polskiej, sprawozdanie stenograficzne, via "
               "github.com/miskibin/sejm-stats")
PATH = "research/sejm_transcripts.md"
_DATE = re.compile(r"\((\d{2})-(\d{2})-(\d{4})\)")


def extract(snapshot: Snapshot) -> Iterator[Document]:
    """One document per speaker turn."""
    text = snapshot.read_text(PATH)
    date, item, speaker, body, n = "", "", "", [], 0
    docs = []
    for line in text.splitlines() + ["#### END:"]:
        if line.startswith("# ") and (m := _DATE.search(line)):
            date = f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
        elif line.startswith("### "):
            item = clean_space(line[4:])
        elif line.startswith("#### "):
            if speaker and body:
                n += 1
                docs.append((n, date, item, speaker, body))
            speaker, body = clean_space(line[5:]).rstrip(":"), []
        elif line.strip() and not line.startswith("#"):
            body.append(clean_space(line))
    for n, date, item, speaker, body in docs:
        paragraphs = [Paragraph(speaker + ":", role="speaker")]
        for b in body:
            paragraphs += [Paragraph(t) for t in chunk_sentences(b, "pl")]
        yield Document(
            doc_id=f"sejm-10-20-{n:03d}", lang="pl", title=item, date=date,
            genre="parliament_speech", speaker=speaker, paragraphs=paragraphs,
            source_repo=REPO, commit=snapshot.commit, path=PATH, licence=LICENCE,
            attribution=ATTRIBUTION)
