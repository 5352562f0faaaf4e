"""Finnish ministers' answers to MPs' written questions, 2015-2019, from
``aajanki/eduskunta-vkk`` (CC BY 4.0, stated in its README and LICENSE.data; the
original documents are the Finnish Parliament's open data).

The dataset holds single sentences in shuffled order (its purpose was sentence
classification by ministry), so each sentence is a document of its own with no
title and no neighbours. Its tokeniser put spaces around punctuation; they are
taken out again ("( 3 § ) ." -> "(3 §).").
"""

from __future__ import annotations

import bz2
import csv
import hashlib
import io
import re
from collections.abc import Iterator

from ..document import Document, Paragraph
from ..snapshot import Snapshot

REPO = "aajanki/eduskunta-vkk"
LICENCE = "CC-BY-4.0 (LICENSE.data; Eduskunta open data)"
ATTRIBUTION = ("Eduskunta, vastaukset kirjallisiin kysymyksiin, via "
               "github.com/aajanki/eduskunta-vkk (CC BY 4.0)")
FILES = ("vkk/train.csv.bz2", "vkk/dev.csv.bz2", "vkk/test.csv.bz2")
MINISTRIES = {"ulkoministeri", "puolustusministeri", "pääministeri",
              "ulkomaankauppa- ja kehitysministeri", "eurooppa-, kulttuuri- ja urheiluministeri"}


def detokenize(text: str) -> str:
    """Undo the dataset's spacing around punctuation."""
    t = re.sub(r"\s+([.,;:!?)\]%»”])", r"\1", text)
    t = re.sub(r"([(\[«“])\s+", r"\1", t)
    t = re.sub(r"\s+-\s+(?=\w)", " – ", t) if " - " in t else t
    return re.sub(r"\s{2,}", " ", t).strip()


def extract(snapshot: Snapshot) -> Iterator[Document]:
    """One single-sentence document per answer sentence of the foreign, defence, prime
    and trade ministers."""
    for path in FILES:
        raw = bz2.decompress(snapshot.read_bytes(path)).decode("utf-8")
        for row in csv.DictReader(io.StringIO(raw, newline="")):
            if row.get("ministry") not in MINISTRIES:
                continue
            text = detokenize(row.get("sentence", ""))
            if not text:
                continue
            h = hashlib.sha256(text.encode()).hexdigest()[:12]
            yield Document(
                doc_id=f"eduskunta-vkk-{h}", lang="fi", title="", date="2015/2019",
                genre="minister_answer_sentence", speaker=row["ministry"],
                paragraphs=[Paragraph(text)], source_repo=REPO, commit=snapshot.commit,
                path=path, licence=LICENCE, attribution=ATTRIBUTION)
