"""Rule-based multilingual sentence segmentation with offsets into the original text.

Every line is segmented on its own, so headlines, datelines, bylines, captions and
"LÄS MER:"-style lines never merge with body text; hard-wrapped lines (a line without
final punctuation that a lower-case line continues, or one of a wrapped paragraph) are
joined first, so a wire story wrapped at 72 columns keeps whole sentences. Inside
a line, a boundary is placed after sentence-final punctuation (plus any closing
quotes/brackets) when whitespace and a plausible sentence opener follow, unless
the token before the period is an abbreviation, an initial or an ordinal.

Run ``python -m geostance.text.segment eval`` to score the rules against the gold
spans of the shipped corpus.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..fileio import read_jsonl, render_table

# Defined beside the context segment, in the one module every saved model folder carries,
# so that pipeline("geostance") decides "empty text" as the rest of the package does.
from ..model.context import has_visible_text

__all__ = ["PAGE_LABEL", "Span", "ZERO_WIDTH", "has_visible_text", "split_sentences",
           "boundary_f1", "main"]


@dataclass(frozen=True)
class Span:
    """A sentence: ``text == original[start:end]``, no surrounding whitespace (nor zero-width
    characters)."""

    start: int
    end: int
    text: str


# Abbreviations that (almost) never end a sentence, lower-cased, without the
# final dot. They are pooled over languages: a Swedish abbreviation inside a
# German text is rare, and a shared list keeps ``lang=None`` useful.
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st gen lt col sgt capt cpt rep gov pres sr jr mt ft nos vs
    approx dept est inc corp ltd co
    bl t.ex s.k f.d fr.o.m t.o.m o.d p.g.a ca kl nr resp jfr dvs bl.a t.ex.
    ang milj mdr tf ordf enl
    z.b d.h u.a o.ä bzw vgl ggf evtl inkl sog hl mio mrd abs ziff bspw u.u i.d.r abg hrn parl
    esim ns mm ks mrd milj vrt eli
    ok m.in tys tzw ul np ds pt ws św woj pow gm płk gen ppłk mjr kpt ks doc mgr inż fot red
    wz nt dot al
    т.е т.н т.к т.ч ул пр стр проф акад ген см напр гл зам ст
    т.зв напр ген проф ал бул ім вул гр доц
    sr sra dra nº n.º p.ex
    mme mlle env cf p.ex gén adm brig
    """.split()
)
# Abbreviations that close a list, as "etc." does ("и т.д.", "и др.", "m.m.", "m.fl.", "yms.",
# "jne.", "ym."): before a capital they end the sentence (before a lower-case word, "и др.
# эксперты", no boundary is tried).
_LIST_CLOSERS = frozenset("т.д т.п др m.m m.fl mfl yms jne ym".split())
_DIGIT_NEXT = re.compile(r"\s*\d")
# Abbreviations that are also everyday words ("no", Finnish "sen", Russian "им"): one only
# before what it abbreviates: "No. 5", "Sen. John Smith", "им. М. В. Ломоносова" (named
# after). English "sen" is never one in Finnish, where it is a pronoun ("vahvisti sen.").
_CONDITIONAL_ABBREVIATIONS = {
    "no": _DIGIT_NEXT,
    # An article, point or paragraph of a treaty or law cited by number: "Art. 5", "art. 4
    # traktatu", "pkt. 3", "ust. 2", Bulgarian "чл. 5" ("modern art. Then …" ends one).
    **dict.fromkeys(("art", "pkt", "ust", "чл"), _DIGIT_NEXT),
    # Polish "proc." (per cent) before a number or an acronym, "4,7 proc. PKB", "23 proc. VAT";
    # before a word it ends a sentence ("Wzrosło o 4 proc. Rząd …").
    "proc": re.compile(r"\s*(?:\d|[A-ZŁŚŻŹĆŃÓĘĄ]{2,}\b)"),
    # "Sen. Warren said", not "… Amartya Sen. The committee …" (a word that opens sentences);
    # "Maj. Gen. Smith" as "Sen." (capitalised only: see _CAPITALISED_ONLY).
    **dict.fromkeys(("sen", "maj"), re.compile(
        r"\s+(?!(?:The|A|An|It|This|That|These|Those|He|She|They|We|I|In|On|At|"
        r"But|And|So|Yet|For|As|If|When|While|There|Then)\b)[A-Z][a-z]")),
    # "им. М. В. Ломоносова", "им. Ломоносова" (a surname in the genitive), not "им. Она …".
    "им": re.compile(r"\s*(?:(?:[А-ЯЁ]\.\s*){1,2}[А-ЯЁ][а-яё]+|"
                     r"[А-ЯЁ][а-яё]+(?:ова|ева|ёва|ина|ына|ского|цкого))\b"),
}
_NOT_CONDITIONAL = {"fi": frozenset({"sen"})}
# Abbreviations only when capitalised: Swedish and Norwegian "sen" (then, late) and Swedish
# and Polish "maj" (May) end sentences.
_CAPITALISED_ONLY = frozenset({"sen", "maj"})
# English words that open a sentence and never follow a dotted abbreviation inside one: "at
# 5 p.m. The talks …", "born in the U.S. He moved …" (but "U.S. Army", "9 a.m. Moscow time").
# "e.g."/"i.e." introduce a name ("e.g. The Guardian") and are left out.
_OPENER_AFTER_DOTTED = re.compile(
    r"\s+[\"'“‘]?(?:The|This|That|These|Those|He|She|It|They|We|But|However|Meanwhile|"
    r"There)\b")
_INTRODUCING = frozenset({"e.g", "i.e"})
# A dateline's agency in brackets, then its dash: "СОФИЯ, 3 дек. (БТА) – …".
_AGENCY_NEXT = re.compile(r"\s*\([^()\n]{1,30}\)\s*[-–—]\s")
_SPACED_ABBREVIATION_NEXT = re.compile(r"\s+\w\.")

# Abbreviated months (en, sv, ru, de, pl, fr), some of them also words ("lip", "dez",
# "mar"), and Russian units: an abbreviation when a number follows ("5 дек. 2023 г.",
# "5. Dez. 2023", "Dec. 3", "1 млн. 200 тыс."), as every one is before a lower-case word
# ("1,5 млрд. руб."); before a capital one ends a sentence ("den 3 dec. Ryssland …",
# "1,5 млрд руб. Как сообщает ТАСС").
_MONTH_ABBREVIATIONS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "янв фев февр мар апр июн июл авг сен сент окт ноя нояб дек "
    "okt dez sty kwi cze lip wrz paź gru janv févr avr juil déc "
    "тыс млн млрд руб".split())

# Words that end a sentence normally but count as abbreviations after a digit
# ("2022 г.", "2022 r.") only when a lowercase word follows; handled by the
# generic lowercase check, so they are *not* in the list above.
_YEAR_ABBREVIATIONS = frozenset({"г", "гг", "r", "rr", "w"})

# Languages that write ordinal numbers with a trailing dot ("31. Mitglied").
_ORDINAL_DOT_LANGS = frozenset(
    {"de", "pl", "fi", "az", "da", "no", "nb", "cs", "sk", "hr", "sl", "sr", "hu", "tr", "et",
     "lv", "lt", "is"}
)

_TERMINALS = ".!?…。！？؟۔"
# Inner boundaries a line without final punctuation needs before it is split.
_UNPUNCTUATED_SPLIT_MIN = 2
# ... unless it is longer than this: a headline or a kicker is shorter (the real corpus's
# longest titles are about 130 characters), a longer line is prose that lost its full stop
# or was cut off ("… after the end of the Cold War. As long ago as 1991, … openly that").
_HEADING_MAX_CHARS = 160
# Terminals of scripts written without spaces between sentences (CJK): a boundary
# even when no whitespace follows.
_SPACELESS_TERMINALS = "。！？"

# Invisible characters pasted web text carries (zero-width space, non-joiner and joiner, word
# joiner, byte-order mark): blank beside whitespace, but no whitespace of their own in Python.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

_CLOSERS = "\"'”»“’‘)]›"
_OPENERS = "\"'„“«‚‘»(‹[¿¡"
_DASHES = "–—-"

# Sentence-final punctuation, closing quotes/brackets, then whitespace.
_CANDIDATE = re.compile(
    r"(?P<term>[.!?…؟۔]+)(?P<close>[" + re.escape(_CLOSERS) + r"]*)"
    # Whitespace, with any zero-width characters beside it (alone they are no space).
    r"(?P<ws>[" + ZERO_WIDTH + r"]*\s[\s" + ZERO_WIDTH + r"]*)"
    r"|(?P<cjk>[。！？]+)(?P<cjkclose>[」』）”]*)(?P<cjkws>\s*)"
)
_TOKEN_BEFORE = re.compile(r"([\w.'’-]*)$")
# A footnote or reference mark, a number in brackets, at the end of a line: "(1)", "[12]".
# Matched from the first space of a run only: tried from every space of a long run (a
# hostile paste), the search was quadratic in its length.
_FOOTNOTE_MARK = re.compile(r"(?<!\s)\s+(?:\(\d{1,3}\)|\[\d{1,3}\])$")


def _lstrip(s: str) -> str:
    """``s`` without leading whitespace and zero-width characters."""
    # An index walk: stripping by turns (str.lstrip, then the zero-width ones) copies the
    # string once per turn, quadratic in a run that mixes the two.
    i = 0
    while i < len(s) and (s[i].isspace() or s[i] in ZERO_WIDTH):
        i += 1
    return s[i:]


def _rstrip(s: str) -> str:
    """``s`` without trailing whitespace and zero-width characters."""
    i = len(s)
    while i and (s[i - 1].isspace() or s[i - 1] in ZERO_WIDTH):
        i -= 1
    return s[:i]


# Label lines of the page, not of the story: a link to another article ("Läs mer:", "Lesen
# Sie auch:", "Читайте также:", "Lire aussi :") or a credit ("Foto: Erik Svensson/TT",
# Polish "Fot. PAP", "Text: TT", "Källa: SCB"). Splitting keeps such a line one unit however
# many sentence-like pieces it holds ("Läs mer: Vad är Nato? Vi förklarar." would cut a link
# title in half) and never joins it to a wrapped line; the sources rules take no speaker
# from its words (a linked headline, a photographer). One list serves both.
PAGE_LABEL = re.compile(
    r"\s*(?:läs (?:mer|också|även)|se (?:också|även)|read (?:more|also)|see also|also read|"
    r"related|lue (?:myös|lisää)|katso myös|czytaj (?:także|też|więcej|również)|"
    r"zobacz (?:też|także|również)|lesen sie (?:auch|mehr)|mehr zum thema|weiterlesen|"
    r"читайте (?:также|також|еще|ещё|още)|смотрите также|дивіться також|"
    r"прочетете (?:още|също)|вижте още|подробнее|lire aussi|à lire aussi|voir aussi|"
    r"leia (?:também|mais)|veja também|oxu|həmçinin oxu|"
    r"bild|bilder|foto|fotos|fot|photo|photos|kuva|kuvat|zdjęcie|фото|снимка|снимки|snimka|"
    r"text|texte|teksti|текст|grafik|grafiikka|źródło|source|quelle|källa|lähde)"
    # A colon, which French sets off with a space or a narrow no-break space ("Lire aussi :").
    r"\b[ \u00a0\u202f]?:"
    # Or the dot of the one abbreviated credit ("Fot. PAP", Polish): the dot after any label
    # took a wrapped line that opens on a word and a full stop for a caption ("...den
    # Wortlaut als\nText. Darin warnt Moskau ..." broke into three pieces; German writes
    # Text, Bild, Foto, Quelle with a capital). "Fot." was the only such line in the data.
    r"|\s*fot\.",
    re.IGNORECASE,
)
# A wire dateline opening a line: a place in capitals, perhaps a date after a comma and the
# agency in brackets, then a dash ("BRUSSELS (Reuters) - ", "МОСКВА, 3 дек — РИА Новости",
# "HELSINKI, Oct 3 (Reuters) -"). The place must be upper case (checked by _is_dateline).
_DATELINE = re.compile(r"(?P<place>[^\W\d_][^\W\d_'’.-]*(?:[ '’.-]+[^\W\d_]+)*)"
                       r"(?P<date>,[^–—\n]{1,40}?)?\s*"
                       r"(?P<agency>\([^()\n]{1,30}\)\s*)?[-–—]\s")


def _is_dateline(line: str, bare: bool) -> bool:
    """Whether ``line`` opens with a wire dateline.

    One with the agency in brackets or a date ("BRYSSEL (TT) – …", "MOSCOW, Dec 1 (Reuters) -
    …", "МОСКВА, 3 дек — …") always counts; a place and a dash alone ("STOCKHOLM – …") only
    where ``bare``, since in a hard-wrapped paragraph a line may open with a name in capitals
    and a dash ("… the joint" / "NATO – Russia Council was frozen …"). Either way the story's
    first sentence must follow the dash: "NATO — which now counts", "OSSE – som enligt" go on
    with a wrapped sentence.
    """
    m = _DATELINE.match(line)
    place = m.group("place") if m else ""
    if len(place) < 3 or not place.isupper() or not _starts_sentence(line, m.end()):
        return False
    return bare or bool(m.group("agency")) or any(c.isdigit() for c in m.group("date") or "")


# Swedish/Nordic opinion pieces put an upper-case genre kicker before the lede
# ("DEBATT. Alliansfriheten har ... skriver X."); that lede is one unit.
_KICKER_LINE = re.compile(r"^[A-ZÅÄÖÆØÜ]{4,}\.\s")


def _starts_sentence(line: str, pos: int) -> bool:
    """Whether the text at ``pos`` plausibly opens a new sentence."""
    n = len(line)
    i = pos
    # Skip opening quotes/dashes to find the first letter: "– Vi ..." opens a
    # sentence, but "— сказал он" and "» — заявил" continue the current one.
    saw_dash = False
    while i < n and (line[i] in _OPENERS or line[i] in _DASHES or line[i].isspace()
                     or line[i] in ZERO_WIDTH):
        saw_dash = saw_dash or line[i] in _DASHES
        i += 1
    if i >= n:
        return False
    ch = line[i]
    if ch.isdigit():
        return not saw_dash
    if ch.isalpha():
        # Scripts without case (Arabic, CJK ...) cannot be checked; Georgian
        # Mkhedruli letters are lower case in Unicode but the script is written
        # without capitals.
        return ch.isupper() or not (ch.islower() or ch.isupper()) or "\u10d0" <= ch <= "\u10ff"
    return False


def _is_abbreviation(line: str, dot: int, lang: str | None) -> bool:
    """Whether the period at ``line[dot]`` belongs to an abbreviation/initial/ordinal."""
    # Look back a bounded window only: searching from 0 would make very long
    # lines quadratic.
    lo = max(0, dot - 40)
    m = _TOKEN_BEFORE.search(line, lo, dot)
    token = m.group(1) if m else ""
    token = token.lstrip("'’-(")
    if not token:
        return False
    low = token.lower()
    if low.rstrip(".") in _LIST_CLOSERS:
        return False
    if low in _ABBREVIATIONS or low.rstrip(".") in _ABBREVIATIONS:
        return True
    # Matched at dot + 1, not on a slice: a slice copies the rest of a long line at every
    # candidate period.
    if low in _MONTH_ABBREVIATIONS and (_DIGIT_NEXT.match(line, dot + 1)
                                        or _AGENCY_NEXT.match(line, dot + 1)):
        return True
    # Without a French or Italian elided article: "l'art. 4".
    cond = _CONDITIONAL_ABBREVIATIONS.get(re.sub(r"^\w['’]", "", low))
    if cond is not None:
        if low in _NOT_CONDITIONAL.get(lang or "", ()) or \
                low in _CAPITALISED_ONLY and not token[0].isupper():
            return False
        return bool(cond.match(line, dot + 1))
    # Upper-case single letters are initials ("V. Putin", "M. Krüger"); a
    # lower-case one only starts a spaced abbreviation ("z. B.", "a. D."), stands before a
    # number ("p. 4", "s. 30", Finnish "n. 1,5") or is a Cyrillic place's before a name
    # (Russian "в г. Москве", Ukrainian "у м. Харкові", "с. Липці"; "г." after a number is a
    # year, "2022 г. Он …"), since words like Portuguese "é", Swedish "i" or Bulgarian "е"
    # can end a sentence.
    if len(token) == 1 and token.isalpha():
        return token.isupper() or bool(_SPACED_ABBREVIATION_NEXT.match(line, dot + 1)) \
            or bool(_DIGIT_NEXT.match(line, dot + 1)) or \
            _cyrillic_place_abbreviation(line, dot - 1, token)
    # Abbreviations in parentheses, e.g. party labels "(kok.)", "(S.)".
    if m and m.start(1) > 0 and line[m.start(1) - 1] == "(" and line[dot + 1:dot + 2] == ")":
        return True
    # Dotted abbreviations: "U.S.", "bl.a.", "т.е.", "z.B.", "m.in."; not a number with a
    # decimal point or a time ("rose to 2.5.", "kl. 14.30."), which can end a sentence.
    if "." in token:
        parts = [p for p in token.split(".") if p]
        if _is_domain(token, parts) or (m and m.start(1) > 0 and line[m.start(1) - 1] in "@/"):
            return False  # a web or e-mail address ends a sentence: "enligt dn.se. Sedan …"
        if parts and all(len(p) <= 3 and p.isalpha() for p in parts):
            return low.rstrip(".") in _INTRODUCING or \
                not _OPENER_AFTER_DOTTED.match(line, dot + 1)
    if token.isdigit() and len(token) <= 3 and lang in _ORDINAL_DOT_LANGS:
        return True
    return False


# Top-level domains of the news sites these languages read, and the generic ones.
_DOMAINS = frozenset("se ru ua uk de fi pl bg pt fr az no dk ee lv lt by eu com org net int "
                     "gov info".split())


def _is_domain(token: str, parts: list[str]) -> bool:
    """Whether ``token`` (split at its dots into ``parts``) is a domain name such as "dn.se",
    "bbc.co.uk": lower case, a name of two or more letters and a known top-level domain."""
    return len(parts) >= 2 and token.islower() and len(parts[0]) >= 2 and parts[-1] in _DOMAINS


# One-letter Cyrillic abbreviations of a kind of place before its name: г. (город), д.
# (деревня), м. (Ukrainian місто), о. (остров), п. (посёлок), р. (река, річка), с. (село,
# Bulgarian and Ukrainian too), х. (хутор). Not every letter: Bulgarian "е" (is) and "ѝ"
# (her), Ukrainian "є" (is) and the pronoun "я" end sentences ("Така е.").
_CYRILLIC_PLACE_LETTERS = frozenset("гдмопрсх")


def _cyrillic_place_abbreviation(line: str, start: int, token: str) -> bool:
    """Whether the lower-case one-letter ``token`` at ``line[start]`` is a Cyrillic
    abbreviation of a place such as "г." (город), not a year's "г."/"р." after a number."""
    if token not in _CYRILLIC_PLACE_LETTERS:
        return False
    if line[max(0, start - 3):start].rstrip() == "т.":
        return False  # "и т. д.", "и т. п." close a list (see _LIST_CLOSERS)
    # A few characters back are enough to find the number (no copy of a long line).
    return not line[max(0, start - 4):start].rstrip()[-1:].isdigit()


def _line_boundaries(line: str, lang: str | None) -> list[int]:
    """End offsets (exclusive, within ``line``) of the sentences in one line."""
    stripped = _rstrip(line)
    if not stripped:
        return []
    # A footnote mark closing the line after a sentence's end ("… kunna arbeta där. (1)")
    # belongs to that sentence: the line is read without it.
    body = stripped
    mark = _FOOTNOTE_MARK.search(stripped)
    if mark:
        before = stripped[:mark.start()].rstrip(_CLOSERS)[-1:]
        if before and before in _TERMINALS:
            body = stripped[:mark.start()]
    # Headlines, kickers, bylines and captions: a line without final
    # punctuation is a title-like unit, as are label and kicker lines.
    tail = body.rstrip(_CLOSERS)
    if not tail or PAGE_LABEL.match(_lstrip(line)) or _KICKER_LINE.match(_lstrip(line)):
        return [len(stripped)]
    ends: list[int] = []
    seg_start = len(line) - len(_lstrip(line))
    for m in _CANDIDATE.finditer(body):
        if m.group("cjk"):
            end, nxt = m.end("cjkclose"), m.end("cjkws")
            if nxt >= len(body):
                break
            ends.append(end)
            seg_start = nxt
            continue
        end = m.end("close")
        nxt = m.end("ws")
        if nxt >= len(body):
            break
        if not _starts_sentence(stripped, nxt):
            continue
        term = m.group("term")
        if term == "." and _is_abbreviation(stripped, m.start("term"), lang):
            continue
        piece = _lstrip(_rstrip(stripped[seg_start:end]))
        # An enumerator ("1.", "2.") is not a sentence of its own.
        if re.fullmatch(r"[\dIVXivx]{1,4}[.)]", piece):
            continue
        ends.append(end)
        seg_start = nxt
    # A line without final punctuation is a heading-like unit: a headline
    # ("Moskva varnar"), a two-part tabloid headline ("ALARM! Putin zieht Truppen
    # zusammen") or a standfirst. Three or more sentences in it are body text whose
    # last sentence lost its full stop ("NATO grows. Moscow warns. Sweden joins (AP)"). A
    # colon ends a line of prose that introduces a list or a quote ("They discussed:").
    if tail[-1] not in _TERMINALS + ":" and len(ends) < _UNPUNCTUATED_SPLIT_MIN \
            and len(stripped) <= _HEADING_MAX_CHARS:
        return [len(stripped)]
    ends.append(len(stripped))
    return ends


# Line breaks as editors count them: \n, \r\n, a lone \r (classic Mac), and the Unicode
# line and paragraph separators, vertical tab, form feed and NEL.
_LINE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x85]+")
# A hard-wrapped line (wire copy, e-mail, plain-text exports) is at least this long and
# this close to the longest line of its paragraph.
_WRAP_MIN_CHARS = 40
_WRAP_SHARE = 0.8
# ... and at most this long: text is wrapped at 60-80 columns (e-mail, wire copy; a PDF's
# column up to about 120), so a line twice 80 characters long is a paragraph of its own, as
# in a speech or a press release stored one paragraph a line.
_WRAP_MAX_CHARS = 160
# A list item: a bullet, or an enumerator ("1.", "a)", "(ii)") before a space.
_ITEM = re.compile(r"(?:[-*•–—·▪]|\(?(?:\d{1,3}|[ivx]{1,4}|[IVX]{2,4}|[a-z])[.)])\s")


@dataclass
class _Paragraph:
    """Lines with nothing but one line break between them: what the wrap rule measures."""

    widest: int = 0  # characters of its longest line
    lines: int = 0
    prose: bool = False  # some line of it ends a sentence
    items: int = 0  # lines of it that look like list items


def _logical_lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each line, hard-wrapped lines joined into one.

    A line continues on the next one when it lacks final punctuation, is no label line,
    and either the next line opens in lower case ("… would be seen as a" / "provocation,
    the ministry said."; not after a short line ending in a comma, a salutation) or the
    line is part of a wrapped paragraph: not the text's first line (the headline),
    ``_WRAP_MIN_CHARS`` to ``_WRAP_MAX_CHARS`` long and at least ``_WRAP_SHARE`` of
    the longest line of a paragraph (lines without a blank line between) of three or more
    that ends a sentence somewhere (a list of headlines does not). Lines opening with a
    bullet or an enumerator start an item of their own, as do captions, link lines and
    datelines ("Foto: …", "BRUSSELS (Reuters) - …"; see :func:`_is_dateline`).
    """
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    if not lines:
        return []
    para_of: list[_Paragraph | None] = []  # per line; None for a line of spaces
    prev_blank = True
    for i, (a, b) in enumerate(lines):
        line = _rstrip(text[a:b])
        gap = text[lines[i - 1][1]:a] if i else ""
        if not line:
            # A line of spaces ends a paragraph and belongs to none.
            para_of.append(None)
            prev_blank = True
            continue
        # A new paragraph after a blank line or a page break.
        if i == 0 or prev_blank or gap not in ("\n", "\r\n", "\r", "\u2028"):
            para = _Paragraph()
        prev_blank = False
        para_of.append(para)
        para.widest = max(para.widest, len(line))
        para.lines += 1
        end = line.rstrip(_CLOSERS)[-1:]
        para.prose = para.prose or (end != "" and end in _TERMINALS)
        para.items += bool(_ITEM.match(_lstrip(line)))
    first = next((i for i, (a, b) in enumerate(lines) if _rstrip(text[a:b])), 0)
    out: list[tuple[int, int]] = []
    for i, (a, b) in enumerate(lines):
        # Whether the line before opens a unit (no wrapped sentence runs into it).
        if out and _continues(text, lines, i - 1, i, first, para_of,
                              out[-1][0] == lines[i - 1][0]):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _continues(text: str, lines: list[tuple[int, int]], i: int, j: int, first: int,
               para_of: list[_Paragraph | None], opens_unit: bool) -> bool:
    """Whether line ``j`` continues the sentence that line ``i`` (just before it) wraps;
    ``opens_unit``: line ``i`` does not itself continue a line before it."""
    para = para_of[i]
    if para is None or para_of[j] is not para:
        return False
    cur = _rstrip(text[lines[i][0]:lines[i][1]])
    nxt = _lstrip(text[lines[j][0]:lines[j][1]])
    if not cur or not nxt or PAGE_LABEL.match(_lstrip(cur)) or \
            cur.rstrip(_CLOSERS)[-1:] in _TERMINALS + ":":
        return False
    if _ITEM.match(nxt) and (para.items >= 2 or _ITEM.match(_lstrip(cur))):
        # A list: two or more items in the paragraph, or an item after an item. A lone
        # "24. Februar" or "- according to …" at a line's start is a wrapped sentence.
        return False
    opener = nxt.lstrip(_OPENERS)
    if opener[:1].isupper() and (PAGE_LABEL.match(nxt) or _is_dateline(nxt, opens_unit)):
        # A caption, a link line or a dateline ("Foto: …", "BRUSSELS (Reuters) - ") opens a
        # unit of its own, even after a line whose sentence lost its full stop; a bare one
        # ("STOCKHOLM – …") only after a line that opens a unit (a headline, a byline).
        return False
    if opener[:1].islower():
        # ... but a short line ending in a comma is a line of its own: a salutation
        # ("Sehr geehrter Herr Präsident,\nliebe Soldatinnen und Soldaten,"), an address.
        return not cur.endswith(",") or len(cur) >= _WRAP_MIN_CHARS
    return i != first and para.lines >= 3 and para.prose and \
        _WRAP_MIN_CHARS <= len(cur) <= _WRAP_MAX_CHARS and len(cur) >= _WRAP_SHARE * para.widest


def split_sentences(text: str, lang: str | None = None, join_wrapped: bool = True
                    ) -> list[Span]:
    """Split ``text`` into sentences with offsets into the original string.

    Each line (at ``\n``, ``\r\n``, ``\r``, U+2028/U+2029, VT, FF, NEL) is segmented on its
    own, hard-wrapped lines joined first (see :func:`_logical_lines`: only there does
    a span hold a line break); spans are stripped of surrounding whitespace, so
    ``text[s.start:s.end] == s.text`` for every span, and one without a visible character
    (:func:`has_visible_text`) is dropped. ``lang`` (ISO 639-1) only
    tunes ordinal handling and a few abbreviations; ``None`` works for all languages.
    ``join_wrapped=False`` keeps every line apart (text whose lines are blocks: the
    Markdown and HTML readers' output).
    """
    lang = (lang or "").lower()[:2] or None
    spans: list[Span] = []
    lines = _logical_lines(text) if join_wrapped else \
        [(m.start(), m.end()) for m in _LINE.finditer(text)]
    for base, stop in lines:
        line = text[base:stop]
        start = 0
        for end in _line_boundaries(line, lang):
            piece = line[start:end]
            lead = len(piece) - len(_lstrip(piece))
            s, e = base + start + lead, base + start + len(_rstrip(piece))
            # A piece of only direction marks or joiners (a CMS's empty paragraph) is no
            # sentence: scored, it came back a claim with a stance.
            if e > s and has_visible_text(text[s:e]):
                spans.append(Span(s, e, text[s:e]))
            start = end
    return spans


def boundary_f1(
    gold_spans: Iterable[tuple[int, int] | Span], pred_spans: Iterable[tuple[int, int] | Span]
) -> tuple[float, float, float]:
    """Precision, recall and F1 of sentence boundaries.

    A boundary is the ``(start, end)`` pair of one sentence after stripping
    surrounding whitespace; a predicted sentence is correct only if the same
    pair is in the gold set (exact span match), so one misplaced split costs
    one false positive per wrong span and one false negative per missed span.
    Empty inputs on both sides give 1.0 (nothing to find, nothing wrong).
    """
    gold = {_as_pair(s) for s in gold_spans}
    pred = {_as_pair(s) for s in pred_spans}
    tp = len(gold & pred)
    p = tp / len(pred) if pred else (1.0 if not gold else 0.0)
    r = tp / len(gold) if gold else (1.0 if not pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _as_pair(span: tuple[int, int] | Span) -> tuple[int, int]:
    return (span.start, span.end) if isinstance(span, Span) else (int(span[0]), int(span[1]))


def evaluate(corpus_dir: str | Path) -> dict[str, dict[str, float]]:
    """Per-language and overall boundary P/R/F1 (micro over spans) on a corpus dir."""
    corpus = Path(corpus_dir)
    articles = read_jsonl(corpus / "articles.jsonl")
    gold: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for row in read_jsonl(corpus / "sentences.jsonl"):
        gold[row["article_id"]].add((row["start"], row["end"]))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp, pred, gold, docs
    for art in articles:
        pred = {(s.start, s.end) for s in split_sentences(art["text"], art.get("lang"))}
        g = gold.get(art["article_id"], set())
        for key in (art.get("lang") or "?", "ALL"):
            c = counts[key]
            c[0] += len(g & pred)
            c[1] += len(pred)
            c[2] += len(g)
            c[3] += 1
    table: dict[str, dict[str, float]] = {}
    for key in sorted(counts, key=lambda k: (k == "ALL", -counts[k][2], k)):
        tp, npred, ngold, ndocs = counts[key]
        p = tp / npred if npred else 0.0
        r = tp / ngold if ngold else 0.0
        table[key] = {"articles": ndocs, "gold": ngold, "pred": npred, "precision": p,
                      "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return table


def format_table(table: dict[str, dict[str, float]], markdown: bool = False) -> str:
    """Render :func:`evaluate` output as plain text or a Markdown table."""
    cols = ["articles", "gold", "pred", "precision", "recall", "f1"]
    rows = [[k] + [f"{v[c]:.3f}" if isinstance(v[c], float) else str(v[c]) for c in cols]
            for k, v in table.items()]
    return render_table(["lang", *cols], rows, markdown)


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python -m geostance.text.segment eval [--corpus-dir DIR] [--markdown]``."""
    ap = argparse.ArgumentParser(prog="python -m geostance.text.segment", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    ev = sub.add_parser("eval", help="boundary precision/recall/F1 against the gold spans")
    ev.add_argument("--corpus-dir", default="data/corpus")
    ev.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args(argv)
    print(format_table(evaluate(args.corpus_dir), markdown=args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
