"""Choose the passages of real documents that go into the corpus.

A paragraph is *on topic* when it names NATO, Russia (or the Kremlin, Moscow,
Putin) or enough of the alignment vocabulary (Ukraine, sanctions, the alliance,
the countries in between). A passage is a run of consecutive paragraphs around
on-topic ones, one paragraph of context on each side, so every sentence keeps its
real neighbours; the procedural lines inside it (speaker lines, interjections,
greetings) come along, which is how ``kind`` sees real ``other`` and
``boilerplate``. Documents are then drawn round-robin over a diversity key
(party, country, year), densest first, until a sentence budget is met.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .document import Document

__all__ = ["TOPIC_TERMS", "Passage", "topic_score", "passages", "draw"]

# (strong, weak) patterns per language: a strong hit alone makes a paragraph on
# topic; weak ones need two different hits.
TOPIC_TERMS: dict[str, tuple[str, str]] = {
    "sv": (r"\bnato\w*|\bryssland\w*|\bryska?\b|\bkreml\w*|\bmoskva\w*|\bputin\w*",
           r"ukrain\w*|georgien|moldavien|belarus|vitryssland|sanktion\w*|säkerhetspoliti\w*|"
           r"försvarsalliansen|alliansfrihet\w*|östersjö\w*|gotland|baltikum|finland\w*|"
           r"krig\w*|hot\w*|försvar\w*|usa\b|eu\b"),
    "de": (r"\bnato\w*|\brussland\w*|\brussisch\w*|\bkreml\w*|\bmoskau\w*|\bputin\w*",
           r"ukrain\w*|georgien|moldau|belarus|sanktion\w*|bündnis\w*|ostflanke|baltikum|"
           r"finnland|schweden|zeitenwende|abschreckung|krieg\w*|bundeswehr|usa\b|eu\b"),
    "en": (r"\bnato\b|\brussia\w*|\bkremlin\b|\bmoscow\b|\bputin\w*|\bsoviet\b",
           r"ukrain\w*|georgia\b|moldova|belarus|sanction\w*|alliance|allies|baltic|finland|"
           r"sweden|crimea|donbas\w*|aggression|war\b|security|west\w*|eurasian|csto"),
    # Russian official texts name Russia in nearly every paragraph, so it is weak here.
    "ru": (r"нато|запад\w*|украин\w*|киев\w*|санкц\w*|альянс\w*",
           r"росси\w*|сша|европ\w*|безопасност\w*|прибалт\w*|финлянд\w*|швец\w*|молдав\w*|"
           r"грузи\w*|войн\w*|угроз\w*|спецоперац\w*|американ\w*"),
    "fi": (r"\bnato\w*|\bvenäj\w*|\bvenäläi\w*|\bkreml\w*|\bmoskova\w*|\bputin\w*",
           r"ukrain\w*|pakot\w*|puolustusliit\w*|turvallisuu\w*|ruotsi\w*|itämer\w*|"
           r"puolustu\w*|sota\w*|yhdysval\w*|eu\b|euroop\w*"),
    "pl": (r"\bnato\b|\brosj\w*|\brosyjsk\w*|\bkreml\w*|\bmoskw\w*|\bputin\w*",
           r"ukrain\w*|sankcj\w*|sojusz\w*|flank\w*|białoru\w*|bezpieczeństw\w*|wojn\w*|"
           r"obronn\w*|usa\b|ue\b"),
}


def _compile(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    strong, weak = TOPIC_TERMS[lang]
    return re.compile(strong, re.IGNORECASE), re.compile(weak, re.IGNORECASE)


_PATTERNS = {lang: _compile(lang) for lang in TOPIC_TERMS}


def topic_score(text: str, lang: str) -> int:
    """2 for a paragraph naming a strong term, 1 for two different weak terms, else 0."""
    strong, weak = _PATTERNS[lang]
    if strong.search(text):
        return 2
    return 1 if len({m.group(0).lower() for m in weak.finditer(text)}) >= 2 else 0


@dataclass
class Passage:
    """Paragraphs ``first..last`` (inclusive) of ``doc``."""

    doc: Document
    first: int
    last: int
    hits: int  # on-topic paragraphs inside

    @property
    def paragraphs(self) -> list[str]:
        return [p.text for p in self.doc.paragraphs[self.first:self.last + 1]]

    @property
    def chars(self) -> int:
        return sum(len(t) for t in self.paragraphs)


def passages(doc: Document, context: int = 1, max_paragraphs: int = 8,
             whole_below: int = 12, focus: re.Pattern[str] | None = None) -> list[Passage]:
    """The on-topic passages of ``doc``: hit paragraphs widened by ``context`` each side.

    A document of fewer than ``whole_below`` paragraphs with any hit is taken whole
    (a short question or release reads as one unit). Long runs are cut into pieces
    of at most ``max_paragraphs`` paragraphs. ``focus``, when given, replaces the
    topic vocabulary: only paragraphs it matches are hits.
    """
    scores = [(2 if focus.search(p.text) else 0) if focus is not None
              else topic_score(p.text, doc.lang) for p in doc.paragraphs]
    hit = [s > 0 for s in scores]
    n = len(hit)
    if not any(hit):
        return []
    if n < whole_below:
        return [Passage(doc, 0, n - 1, sum(hit))]
    keep = [any(hit[max(0, i - context):i + context + 1]) for i in range(n)]
    # A document's opening line (speaker line, greeting) travels with a passage
    # that starts right after it.
    out: list[Passage] = []
    i = 0
    while i < n:
        if not keep[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and keep[j + 1] and j + 1 - i < max_paragraphs:
            j += 1
        first = 0 if i <= 2 and doc.paragraphs[0].role == "speaker" else i
        out.append(Passage(doc, first, j, sum(hit[first:j + 1])))
        i = j + 1
    return out


def draw(candidates: Iterable[tuple[Document, list[Passage]]], budget: int,
         count: Callable[[Passage], int], key: Callable[[Document], str],
         max_per_doc: int = 40, min_hits: int = 1) -> list[tuple[Document, list[Passage]]]:
    """Pick documents round-robin over ``key`` groups, densest first, until ``budget``.

    ``count`` gives a passage's sentence count. A document contributes passages in
    order until ``max_per_doc`` sentences; documents with fewer than ``min_hits``
    on-topic paragraphs are skipped. Ties break on the document id, so a draw is
    reproducible.
    """
    groups: dict[str, list[tuple[float, Document, list[Passage]]]] = defaultdict(list)
    for doc, ps in candidates:
        hits = sum(p.hits for p in ps)
        if not ps or hits < min_hits:
            continue
        total = sum(len(p.doc.paragraphs[p.first:p.last + 1]) for p in ps)
        groups[key(doc)].append((hits / max(total, 1) + 0.01 * hits, doc, ps))
    for g in groups.values():
        g.sort(key=lambda t: (-t[0], t[1].doc_id))
    chosen: list[tuple[Document, list[Passage]]] = []
    used = 0
    order = sorted(groups)
    while used < budget and any(groups[k] for k in order):
        for k in order:
            if not groups[k] or used >= budget:
                continue
            _, doc, ps = groups[k].pop(0)
            kept: list[Passage] = []
            n = 0
            for p in ps:
                c = count(p)
                if n and n + c > max_per_doc:
                    break
                kept.append(p)
                n += c
            chosen.append((doc, kept))
            used += n
    return chosen
