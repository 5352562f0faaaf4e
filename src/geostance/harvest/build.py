"""Build the real corpus's unlabelled skeleton: passage documents and sentence units.

``build(mirror_root)`` runs every extractor in :data:`RECIPE` over its snapshot,
selects passages (:mod:`geostance.harvest.select`), splits them into sentences with
the same segmenter that ``predict.py`` uses, and assigns each source document to a
split. Labels are merged in later from the annotation passes
(:mod:`geostance.harvest.annotation`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

from ..text.segment import split_sentences
from .document import Document
from .select import Passage, draw, passages, topic_score
from .snapshot import Snapshot
from .sources import EXTRACTORS, ungdc

__all__ = ["Plan", "PlanError", "RECIPE", "Unit", "PassageDoc", "build", "assign_split"]

SPLIT_SHARES = (("train", 0.70), ("dev", 0.15), ("test", 0.15))


def _party(doc: Document) -> str:
    m = re.search(r"\(([^()]+)\)\s*$", doc.speaker)
    return m.group(1) if m else doc.speaker


def _year(doc: Document) -> str:
    return doc.date[:4]


def _nato_titled(doc: Document) -> bool:
    return bool(re.search(r"\bNATO\b|\balliance\b|\bWest(ern)?\b",
                          doc.paragraphs[0].text))


def _since(year: int) -> Callable[[Document], bool]:
    return lambda doc: doc.date[:4].isdigit() and int(doc.date[:4]) >= year


def _nato_named(doc: Document) -> bool:
    return any(re.search(r"\bnato\w*|\bнато\b", p.text, re.IGNORECASE) for p in doc.paragraphs)


_WEST_EN = (r"\bNATO\b|\bthe West\b|\bWestern\b|\bUnited States\b|\bAmerican|\bWashington\b|"
            r"\bunilateral|\bhegemon|\bsanctions\b|\bcolour revolution|\bmissile defen[cs]e")
_NATO_HOSTILE_EN = (r"\bNATO\b|\bthe West\b|\bWestern (?:countries|partners|colleagues|states|"
                    r"nations|elites|media|sanctions)|\banti-Russian|\bRussophob|\bexpansion\b|"
                    r"missile defen[cs]e|\bcoup\b|\bunipolar|\bhegemon|\bcolour revolution")
_WEST_DE = r"\bNATO\b|\bNato\b|\bUSA\b|\bWesten\b|\bwestlich\w*|\bAmerika\w*|\bRussland\w*"
# The same for Russian (matched case-insensitively): NATO, the West, the US and Europe, and
# the words Moscow frames them with (sanctions, hegemony, Russophobia, "the Kiev regime").
_WEST_RU = (r"НАТО|\bЗапад\w*|\bСША\b|Соедин[её]нн\w* Штат\w*|\bВашингтон\w*|\bамерикан\w*|"
            r"\bЕвросоюз\w*|\bевропейск\w* (?:стран|союз|полити|элит)\w*|\bсанкци\w*|"
            r"\bоднополяр\w*|\bгегемон\w*|\bрусофоб\w*|\bкиевск\w* режим\w*|\bнеонацис\w*")


def _west_count(doc: Document) -> int:
    pat = re.compile(_WEST_EN)
    return sum(bool(pat.search(p.text)) for p in doc.paragraphs)


def _russia_or_nato_named(doc: Document) -> bool:
    return any(re.search(r"\bNATO\b|\bRussia", p.text) for p in doc.paragraphs)


def _west_named(doc: Document) -> bool:
    return any(re.search(r"нато|запад", p.text, re.IGNORECASE) for p in doc.paragraphs)


def _strongly_on_topic(doc: Document) -> bool:
    return all(topic_score(p.text, doc.lang) == 2 for p in doc.paragraphs)


class PlanError(ValueError):
    """A plan name that is not in the recipe, or plans that must be built together."""


@dataclass(frozen=True)
class Plan:
    """How many sentences to draw from one source, and how to spread them."""

    source: str
    budget: int  # sentences
    key: Callable[[Document], str]  # diversity groups, drawn round-robin
    keep: Callable[[Document], bool] = field(default=lambda doc: True)
    max_per_doc: int = 40  # sentences
    min_hits: int = 1  # on-topic paragraphs a document needs
    focus: str = ""  # regex that replaces the topic vocabulary for passage selection
    context: int = 1  # paragraphs kept on each side of an on-topic one
    name: str = ""  # plan name when one source has several plans (default: the source)
    reuse: bool = False  # may draw unused passages of documents earlier plans drew from

    @property
    def label(self) -> str:
        """The plan's name in ``build --plans``: its ``name``, else its source."""
        return self.name or self.source


RECIPE: tuple[Plan, ...] = (
    Plan("riksdag", 2300, key=_party, min_hits=2, max_per_doc=35),
    Plan("bundestag", 1000, key=_party, keep=lambda d: _since(2014)(d) and _nato_named(d),
         min_hits=3, max_per_doc=25),
    Plan("ungdc", 650, key=lambda d: d.meta["country"],
         keep=lambda d: d.meta["country"] in ungdc.COUNTRIES, min_hits=2, max_per_doc=30),
    Plan("kremlin", 650, key=_year, keep=lambda d: _since(2014)(d) and _nato_named(d),
         min_hits=2, max_per_doc=30),
    Plan("whitehouse", 600, key=_year, keep=lambda d: _since(2021)(d) and _nato_named(d),
         min_hits=3, max_per_doc=25),
    Plan("kremlin_ru", 420, key=lambda d: d.date[:7], keep=_west_named, min_hits=2,
         max_per_doc=30),
    Plan("fi_government", 400, key=lambda d: d.doc_id, max_per_doc=400),
    Plan("eduskunta", 150, key=lambda d: d.speaker, keep=_strongly_on_topic, max_per_doc=1),
    Plan("sejm", 160, key=lambda d: d.speaker, min_hits=2, max_per_doc=40),
    # The contest's other side: texts that frame NATO and the West as the threat, in
    # tight passages around the paragraphs that name them (added after the first
    # passes showed Moscow's side at under a tenth of the stances).
    Plan("kremlin", 900, key=_year, keep=lambda d: _since(2014)(d) and _west_count(d) >= 3,
         focus=_WEST_EN, context=0, min_hits=3, max_per_doc=30, name="kremlin_west"),
    Plan("ungdc", 700, key=lambda d: d.meta["country"],
         keep=lambda d: d.meta["country"] in ungdc.EAST, focus=_WEST_EN, context=0,
         min_hits=2, max_per_doc=35, name="ungdc_east"),
    Plan("bundestag", 500, key=_party,
         keep=lambda d: _since(2014)(d) and _party(d) in ("AfD", "DIE LINKE", "BSW")
         and _nato_named(d), focus=_WEST_DE, context=0, min_hits=2, max_per_doc=25,
         name="bundestag_critics"),
    # Second draw of the same kind (after the first passes: Moscow's side still at 13% of
    # the stances): further passages, also of documents drawn before, that name NATO or
    # the West with the words its critics use.
    Plan("ungdc", 1300, key=lambda d: d.meta["country"],
         keep=lambda d: d.meta["country"] in ungdc.EAST, focus=_WEST_EN, context=0,
         min_hits=1, max_per_doc=45, name="ungdc_east_more", reuse=True),
    Plan("kremlin", 900, key=_year, keep=lambda d: _since(2014)(d) and _west_count(d) >= 2,
         focus=_NATO_HOSTILE_EN, context=0, min_hits=1, max_per_doc=25,
         name="kremlin_nato", reuse=True),
    Plan("bundestag", 450, key=_party,
         keep=lambda d: _since(2014)(d) and _party(d) in ("AfD", "DIE LINKE", "BSW")
         and _nato_named(d), focus=_WEST_DE, context=0, min_hits=1, max_per_doc=25,
         name="bundestag_critics_more", reuse=True),
    # News-like official voice (added 2026-12-04): State Department statements and
    # readouts, where the errors on real news were Western warnings about Russia read
    # as Moscow's side and factual NATO sentences read as pro-NATO.
    Plan("state_department", 500, key=lambda d: d.date[:7], keep=_russia_or_nato_named,
         min_hits=2, max_per_doc=12),
    # A second draw of the same feed (added 2026-12-04, after the first raised realnews_dev
    # by +0.023 in the fifteenth sweep): further passages, also of items with a single
    # on-topic paragraph (readouts of calls, short statements), around what the first took.
    Plan("state_department", 600, key=lambda d: d.date[:7], keep=_russia_or_nato_named,
         min_hits=1, max_per_doc=12, name="state_department_more", reuse=True),
    # Russian original text where Moscow speaks of the West (added 2026-12-04): on
    # realnews_dev Russian is among the weakest languages (stance macro-F1 0.54, 59
    # sentences, mostly moscow_warning), and the first kremlin_ru draw was 88%
    # neutral_balancing (48 moscow_warning of 429 sentences). Further passages of the same
    # pages, in tight windows around the paragraphs that name the West.
    Plan("kremlin_ru", 450, key=lambda d: d.date[:7], keep=_west_named, focus=_WEST_RU,
         context=0, min_hits=1, max_per_doc=20, name="kremlin_ru_west", reuse=True),
)


@dataclass
class Unit:
    """One sentence to annotate: offsets into its passage document's ``text``."""

    id: str
    doc_id: str
    index: int
    start: int
    end: int
    text: str
    context_prev: str


@dataclass
class PassageDoc:
    """A passage written as a document of the real corpus."""

    record: dict[str, Any]
    units: list[Unit]


def assign_split(source_doc_id: str) -> str:
    """train/dev/test from a hash of the source document id (70/15/15).

    All passages of one source document share its split, so no split sees another
    split's document.
    """
    h = int(hashlib.sha256(source_doc_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    acc = 0.0
    for name, share in SPLIT_SHARES:
        acc += share
        if h < acc:
            return name
    return SPLIT_SHARES[-1][0]


def _last_sentence(text: str, lang: str) -> str:
    spans = split_sentences(text, lang)
    return spans[-1].text if spans else ""


def passage_docs(doc: Document, chosen: list[Passage], tag: str = "",
                 plan: str = "") -> Iterator[PassageDoc]:
    """The passage documents of one source document, with their sentence units.

    ``tag`` names passages drawn from a document that an earlier plan already drew
    from ("q": ``<doc>-q1``, ...), so their ids never collide with the first ones;
    such passages do not repeat the title. ``plan`` (the drawing plan's name) is
    recorded as the document's ``plan``, so training can leave out one plan's passages
    (``data.real_exclude``).
    """
    base = doc.record()
    del base["paragraphs"]
    split = assign_split(doc.doc_id)
    for k, p in enumerate(chosen):
        lines = list(p.paragraphs)
        with_title = not tag and k == 0 and bool(doc.title) and p.first == 0
        if with_title:
            lines.insert(0, doc.title)
        text = "\n".join(lines)
        if tag:
            doc_id = f"{doc.doc_id}-{tag}{k + 1}"
        else:
            doc_id = f"{doc.doc_id}-p{k + 1}" if len(chosen) > 1 else doc.doc_id
        if p.first > 0:
            prev = _last_sentence(doc.paragraphs[p.first - 1].text, doc.lang)
        else:
            prev = ""
        units = []
        for i, span in enumerate(split_sentences(text, doc.lang)):
            units.append(Unit(f"{doc_id}-s{i:03d}", doc_id, i, span.start, span.end,
                              span.text, prev))
            prev = span.text
        rec = {**base, "doc_id": doc_id, "source_doc_id": doc.doc_id, "text": text,
               "paragraphs": [p.first, p.last], "title_in_text": with_title, "split": split}
        if plan:
            rec["plan"] = plan
        yield PassageDoc(rec, units)


def build(mirror_root: str, plans: tuple[Plan, ...] = RECIPE,
          commits: dict[str, str] | None = None, only: set[str] | None = None
          ) -> list[PassageDoc]:
    """Extract, select and segment every source of ``plans``.

    ``commits`` pins each repository to a commit (``owner/name -> sha``); by default
    the snapshot's HEAD is used and recorded. ``only`` keeps the plans of those names
    (a plan's ``name``, else its source): a source added later is built alone, for
    annotation, without the snapshots of the others. A later plan of a source draws
    around what the earlier ones took, so it is never built without them.
    """
    if only is not None:
        names = [p.label for p in plans]
        unknown = only - set(names)
        if unknown:
            raise PlanError(f"no plan named {sorted(unknown)}")
        for i, plan in enumerate(plans):
            missing = [n for n, q in zip(names[:i], plans[:i], strict=True)
                       if q.source == plan.source and n not in only]
            if names[i] in only and missing:
                raise PlanError(f"plan {names[i]} draws after {missing}: build them together")
        plans = tuple(p for p, n in zip(plans, names, strict=True) if n in only)
    out: list[PassageDoc] = []
    taken: set[str] = set()  # source documents drawn by an earlier plan
    used: dict[str, list[tuple[int, int]]] = {}  # their paragraph ranges already drawn
    for plan in plans:
        focus = re.compile(plan.focus, re.IGNORECASE) if plan.focus else None
        mod = EXTRACTORS[plan.source]
        snap = Snapshot.open(mirror_root, mod.REPO, (commits or {}).get(mod.REPO))
        cands = []
        for doc in tqdm(mod.extract(snap), desc=f"extract {plan.source}", unit="doc"):
            if not plan.keep(doc):
                continue
            if doc.doc_id in taken and not plan.reuse:
                continue
            ps = passages(doc, context=plan.context, focus=focus)
            ps = [p for p in ps if not any(p.first <= b and p.last >= a
                                           for a, b in used.get(doc.doc_id, ()))]
            if ps:
                cands.append((doc, ps))

        def count(p: Passage) -> int:
            text = "\n".join(p.paragraphs)
            return len(split_sentences(text, p.doc.lang)) + (p.first == 0 and bool(p.doc.title))

        for doc, chosen in draw(cands, plan.budget, count, plan.key,
                                max_per_doc=plan.max_per_doc, min_hits=plan.min_hits):
            taken.add(doc.doc_id)
            used.setdefault(doc.doc_id, []).extend((p.first, p.last) for p in chosen)
            out.extend(passage_docs(doc, chosen, tag="q" if plan.reuse else "",
                                    plan=plan.label))
    return out


def topical_share(units: list[Unit], lang: str) -> float:
    """Share of units that are on topic by :func:`topic_score` (a selection check)."""
    return sum(topic_score(u.text, lang) > 0 for u in units) / max(len(units), 1)
