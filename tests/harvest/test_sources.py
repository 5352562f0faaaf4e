"""Each source format's extractor on a small fixture snapshot (texts written for these tests).

Every fixture repository is a throwaway git repository made in the test, so the
extractors run exactly as on the fetched snapshots: listing files at a commit and
reading blobs.
"""

from __future__ import annotations

import bz2
import csv
import io
import subprocess
from pathlib import Path

import pytest

from geostance.harvest.select import passages, topic_score
from geostance.harvest.snapshot import Snapshot, SnapshotError
from geostance.harvest.sources import EXTRACTORS


def make_snapshot(root: Path, repo: str, files: dict[str, bytes | str]) -> Snapshot:
    """A git repository ``root/OWNER+NAME/repo`` holding ``files``, opened at HEAD."""
    d = root / repo.replace("/", "+") / "repo"
    for rel, data in files.items():
        p = d / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "fixture"]):
        subprocess.run(["git", "-C", str(d), *cmd], check=True, env=env)
    return Snapshot.open(root, repo)


def docs_of(name: str, snap: Snapshot) -> list:
    return list(EXTRACTORS[name].extract(snap))


RIKSDAG_TEI = """<?xml version='1.0' encoding='utf-8'?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>Interpellation 2022/23:9</title><author>Anna Exempel (X)</author></titleStmt>
<sourceDesc><bibl><title>Interpellation 2022/23:9 av Anna Exempel (X) till Utrikesministern
om Natos nordliga flank</title>
<ref type="dokument_url_html">http://example.org/doc</ref></bibl></sourceDesc></fileDesc>
<profileDesc><correspDesc><correspAction type="sent"><date when="2022-11-02"/></correspAction>
</correspDesc></profileDesc></teiHeader>
<text><body><div type="ipqBody"><div type="ipContext">
<p>Sverige har ansökt om medlemskap i Nato. Ryssland har
   varnat för motåtgärder.</p>
<p>Frågan är hur regeringen ser på samarbetet i norr.</p></div>
<div type="ipQuestion"><p>Jag vill fråga utrikesministern:
<list><item>Vilka steg tar regeringen för att stärka samarbetet?</item></list></p></div>
</div></body></text></TEI>"""

BUNDESTAG_XML = """<?xml version="1.0" encoding="utf-8"?>
<dbtplenarprotokoll sitzung-datum="13.10.2022" sitzung-nr="60" wahlperiode="20">
<sitzungsverlauf><tagesordnungspunkt top-id="TOP 1">
<p klasse="T_NaS">Beratung zur Lage an der Ostflanke der NATO</p>
<rede id="ID1"><p klasse="redner"><redner id="1"><name><vorname>Erika</vorname>
<nachname>Muster</nachname><fraktion>XYZ</fraktion></name></redner>Erika Muster (XYZ):</p>
<p klasse="J_1">Frau Präsidentin! Die NATO schützt unsere Partner im Osten.</p>
<kommentar>(Beifall bei der XYZ)</kommentar>
<p klasse="J">Russland bedroht die baltischen Staaten. Wir stehen zusammen.</p>
<name>Präsidentin:</name><p klasse="J">Vielen Dank.</p>
</rede></tagesordnungspunkt></sitzungsverlauf></dbtplenarprotokoll>"""

UN_TXT = ("Mr. President,\n\nThe security of our region depends on\nrespect for borders. "
          "NATO and the Russian Federation must talk.\n\nWe call for peace.\n")

KREMLIN_HTML = """<html><body><div class="read__in"><h1 class="entry-title p-name">Meeting on
security</h1><div class="read__lead entry-summary"><div><p>The President held a meeting.</p>
</div></div><time class="read__published" datetime="2017-02-23">Feb</time>
<div class="entry-content e-content read__internal_content"><p><b>Vladimir Putin:</b> Good
afternoon. NATO keeps moving towards our borders.</p><p>We will respond.</p>
<div class="read__bottommeta"><p>Topics</p></div></div></div>
<a href="http://creativecommons.org/licenses/by/4.0/deed.en">CC</a></body></html>"""

WH_MD = """---
date: '2022-05-16'
source_url: https://example.org/x
title: "Statement on NATO\\_Enlargement"
---

The United States welcomes the applications of **Finland** and
Sweden to join NATO.

We will work with [our Allies](https://example.org) to support them.
"""

SEJM_MD = """# Sejm Transcript

# 10. kadencja, 20. posiedzenie, 1. dzień (16-10-2024)

### Orędzie w sprawie bezpieczeństwa.

#### Poseł Jan Przykład:

""" + ("Szanowni Państwo! Rosja zagraża naszym granicom. NATO jest gwarantem bezpieczeństwa. "
       "Musimy wzmacniać armię. (Oklaski) Dziękuję.\n")


def _kremlin_ru_csv() -> str:
    buf = io.StringIO()
    fields = ["title", "date", "raw_date", "place", "summary", "url"] + \
        [f"article_full_text_{i}" for i in range(1, 11)]
    w = csv.DictWriter(buf, fieldnames=fields)
    w.writeheader()
    body = ("События Совещание Президент провёл совещание. 7 мая 2025 года 17:05 Москва, "
            "Кремль В.Путин: Добрый день. НАТО продолжает расширение. Мы ответим. "
            "Мадуро Мадуро Николас Президент прибыл. География Москва")
    w.writerow({"title": "Совещание", "date": "2025-05-07", "raw_date": "7 мая 2025 года",
                "place": "Москва, Кремль", "summary": "Президент провёл совещание.",
                "url": "http://kremlin.ru/events/president/news/1", "article_full_text_1": body})
    return buf.getvalue()


def _vkk() -> bytes:
    rows = "sentence,ministry\n" \
        "Suomi tekee yhteistyötä Naton kanssa ( rauhankumppanuus ) .,ulkoministeri\n" \
        "Kunnat hoitavat asian .,sisäministeri\n"
    return bz2.compress(rows.encode())


@pytest.mark.parametrize("name,repo,files,check", [
    ("riksdag", "swerik-project/riksdagen-interpellations",
     {"data/202223/ipq-202223--0009.xml": RIKSDAG_TEI},
     lambda d: (d.lang == "sv" and d.speaker == "Anna Exempel (X)" and d.date == "2022-11-02"
                and d.paragraphs[0].text.startswith("Sverige har ansökt")
                and "\n" not in d.paragraphs[0].text
                and d.paragraphs[-1].text.startswith("Vilka steg"))),
    ("bundestag", "sevenbanisch/bundestagsreden",
     {"parser/data_20/20060-data.xml": BUNDESTAG_XML},
     lambda d: (d.lang == "de" and d.date == "2022-10-13" and d.speaker == "Erika Muster (XYZ)"
                and d.paragraphs[0].role == "speaker"
                and d.paragraphs[0].text == "Erika Muster (XYZ):"
                and any(p.role == "procedural" for p in d.paragraphs)
                and not any("Vielen Dank" in p.text for p in d.paragraphs))),
    ("ungdc", "SarahFranzen/Emotions_in_the_United_Nations_General_Debates",
     {"data/data_original/TXT/Session 77 - 2022/FIN_77_2022.txt": UN_TXT},
     lambda d: (d.lang == "en" and d.speaker == "Finland" and d.title == ""
                and any(p.text.startswith("The security of our region depends on respect")
                        for p in d.paragraphs))),
    ("kremlin", "iandennismiller/valdai-transcripts",
     {"var/extract/en.kremlin.ru/events/president/news/50000.html": KREMLIN_HTML},
     lambda d: (d.title == "Meeting on security" and d.date == "2017-02-23"
                and d.paragraphs[0].role == "heading"
                and d.paragraphs[1].text.startswith("Vladimir Putin: Good afternoon."))),
    ("whitehouse", "brian14708/wh-briefings",
     {"statements-releases/2022-05/x.md": WH_MD},
     lambda d: (d.title == "Statement on NATO Enlargement" and d.date == "2022-05-16"
                and d.paragraphs[0].text.startswith("The United States welcomes the "
                                                    "applications of Finland and Sweden")
                and d.paragraphs[1].text.endswith("work with our Allies to support them."))),
    ("sejm", "miskibin/sejm-stats", {"research/sejm_transcripts.md": SEJM_MD},
     lambda d: (d.lang == "pl" and d.date == "2024-10-16" and d.speaker == "Poseł Jan Przykład"
                and d.paragraphs[0].role == "speaker" and len(d.paragraphs) >= 3)),
    ("kremlin_ru", "gabrielkmbo/kremlin-scraper",
     {"kremlin_articles_ru_enhanced.csv": _kremlin_ru_csv()},
     lambda d: (d.lang == "ru" and d.paragraphs[0].role == "heading"
                and d.paragraphs[1].text.startswith("В.Путин: Добрый день.")
                and not any("Мадуро Мадуро" in p.text or "География" in p.text
                            for p in d.paragraphs))),
    ("eduskunta", "aajanki/eduskunta-vkk",
     {"vkk/train.csv.bz2": _vkk(), "vkk/dev.csv.bz2": bz2.compress(b"sentence,ministry\n"),
      "vkk/test.csv.bz2": bz2.compress(b"sentence,ministry\n")},
     lambda d: (d.paragraphs[0].text
                == "Suomi tekee yhteistyötä Naton kanssa (rauhankumppanuus)."
                and d.speaker == "ulkoministeri")),
])
def test_extractor_reads_its_format(tmp_path, name, repo, files, check):
    snap = make_snapshot(tmp_path, repo, files)
    docs = docs_of(name, snap)
    assert docs, f"{name}: nothing extracted"
    d = docs[0]
    assert d.source_repo == repo and d.commit == snap.commit and d.licence and d.attribution
    assert check(d), d


def test_pdf_paragraphs_are_rebuilt_from_wrapped_lines():
    from geostance.harvest.sources.fi_government import paragraphs_from_pdf_text

    page = ("VAHVA JA VÄLITTÄVÄ SUOMI – OHJELMA\n157\n8 Ulkopolitiikka\nSuomi on Nato-\n"
            "jäsenyytensä myötä liittoutunut maa. Jäsenyys vahvis-\ntaa turvallisuutta ja "
            "vakautta koko Pohjois-Euroopassa.\nLyhyt rivi.\n")
    paras = paragraphs_from_pdf_text([page])
    assert paras[0] == "8 Ulkopolitiikka"
    assert paras[1].startswith("Suomi on Nato-jäsenyytensä myötä liittoutunut maa. "
                               "Jäsenyys vahvistaa turvallisuutta")


def test_snapshot_errors_name_the_repository(tmp_path):
    with pytest.raises(SnapshotError, match="owner/missing"):
        Snapshot.open(tmp_path, "owner/missing")
    snap = make_snapshot(tmp_path, "o/r", {"a.txt": "x"})
    with pytest.raises(SnapshotError, match="nope.txt"):
        snap.read_bytes("nope.txt")


def test_passages_keep_neighbours_of_on_topic_paragraphs():
    from geostance.harvest.document import Document, Paragraph

    paras = [Paragraph(t) for t in ["Om skolan.", "Om vägar.", "Nato är viktigt.", "Mer om det.",
                                    "Om skolan igen.", "Om vägar igen.", "Om bostäder.",
                                    "Om vården.", "Om skatter.", "Om jakt.", "Om fiske.",
                                    "Ryssland hotar.", "Slut."]]
    doc = Document("d", "sv", "T", "", "g", "s", paras, "o/r", "c", "p", "l", "a")
    ps = passages(doc, context=1)
    assert [(p.first, p.last) for p in ps] == [(1, 3), (10, 12)]
    assert topic_score("Nato är viktigt.", "sv") == 2 and topic_score("Om skolan.", "sv") == 0
