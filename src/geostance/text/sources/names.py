"""Names: finding personal names in text, trimming titles, expanding surnames.

A speaker is returned as written but without the job title in front of it,
because titles vary between mentions while the name identifies the speaker
("Rysslands utrikesminister Sergej Lavrov" -> "Sergej Lavrov"); a bare surname
is expanded to the full name seen elsewhere in the article.
"""

from __future__ import annotations

import re

from .lexicon import (
    ACC_WORDS,
    BARE_SURNAME,
    CONJ,
    DEFINITE,
    DETERMINERS,
    DISCOURSE_RE,
    DISCOURSE_WORDS,
    HONORIFIC,
    INDEF,
    INSTITUTION_NOUN,
    INVERSION,
    LOCAL_CASE,
    LOCATIVE_ORIGIN,
    NAME_LIKE_MARKERS,
    NP_STOP,
    OPEN_QUOTES,
    ORG_RE,
    ORIGIN,
    PARTICLES,
    PATRONYMIC,
    PLACE_PREPOSITIONS,
    PREPOSITION_RE,
    PRONOUNS,
    TITLE_RE,
    TURN_HEADING,
    UPPER,
)
from .morph import is_adverb, is_proper_name

RUN_RE = re.compile(rf"(?<![\w-])[{UPPER}][\w'’.-]*(?:[ \u00a0](?:(?:von|van|der|de|da|dos|al|"
                    rf"bin|ibn|ter|di|du|la)[ \u00a0])*[{UPPER}][\w'’.-]*)+")

# A first-name initial: one capital letter and a period.
INITIAL = re.compile(rf"[{UPPER}]\.")


def starts_upper(s: str) -> bool:
    """Whether a text starts with a capital letter of any script the lexicon knows."""
    return bool(re.match(rf"[{UPPER}]", s))


def person_part(run: list[str], lang: str | None = None) -> str:
    """The personal name at the end of a capitalised run ("Sprecher Dmitri Peskow");
    ``lang`` is the text's language, for its own name patterns."""
    toks = list(run)
    # Drop leading title words, genitives ("Natos", "USA:s", "Ирана") and acronyms ("МИД").
    # A first name before a particle stays ("Ursula von der Leyen"), and so does one
    # before an initial unless it is marked as a title, genitive or acronym ("Antony
    # J. Blinken").
    while len(toks) > 2 and toks[1].lower() not in PARTICLES:
        t = toks[0]
        # A first name before a patronymic stays ("Сергей Викторович Лавров", "Марии
        # Владимировны Захаровой"); the endings and lengths below took it for a genitive
        # or a title and kept "Викторович Лавров".
        if PATRONYMIC.fullmatch(toks[1].lower()):
            break
        marked = TITLE_RE.search(t) or t.endswith((":s", "s", "’s", "'s")) or \
            (t.isupper() and len(t) > 1 and not INITIAL.fullmatch(t))
        # Russian and Ukrainian genitives ("России", "України", "Франції", "Польщі").
        guessed = re.search(r"(?:ии|ы|а|я|ого|ей|ши|ії|[иії]ни|ці|щі)$", t) \
            or re.search(r"(?:la|ra|wa|ta|ka|ny|wy|sy|ii|ego|iej|ji|my)$", t) \
            or len(t) >= 11 or (len(t) >= 8 and "-" not in t and len(toks) >= 3
                                and not t.endswith(("ov", "ev", "in")))
        # A Cyrillic genitive of a country goes even before an initial ("МИД России
        # М. Захарова", "МЗС України О. Ніколенко"). First names in the genitive end so
        # too ("Марии", "Юлии", "Анны", "Ирины"; Ukrainian "Марії", "Ірини"), but Slavic
        # names put no middle initial after a first name, so before an initial such a
        # word is taken for a country: a foreign name with a middle initial loses its
        # first name in the genitive ("Камалы Д. Харрис" -> "Д. Харрис").
        country = re.fullmatch(r"[а-яёіїєґ]+(?:ии|ы|ії|[иії]ни|ці|щі)", t.lower()) is not None
        if marked or country or guessed and not INITIAL.fullmatch(toks[1]):
            toks = toks[1:]
            continue
        break
    if len(toks) == 2 and TITLE_RE.search(toks[0]) and "-" not in toks[0]:
        return " ".join(toks)
    if len(toks) > 3:
        keep = toks[-2:]
        i = len(toks) - 3
        while i >= 0 and (toks[i].lower() in PARTICLES or len(toks[i].rstrip(".")) == 1):
            keep.insert(0, toks[i])
            i -= 1
        # The first name before a particle or an initial ("Mary T. Collins").
        if i >= 0 and (keep[0].lower() in PARTICLES or INITIAL.fullmatch(keep[0])
                       and not TITLE_RE.search(toks[i])):
            keep.insert(0, toks[i])
            # A Portuguese double surname before the particle keeps the first name that
            # opens the run ("Marcelo Rebelo de Sousa"); a title went in the loop above.
            # Portuguese only: elsewhere the word before a first name is an adverbial or
            # a title ("Wczoraj Luis de Guindos", "EZB-Vize Luis de Guindos").
            if lang == "pt" and i == 1 and keep[1] in {"de", "da", "do", "dos", "das"} and \
                    toks[0].lower() not in DETERMINERS and not TITLE_RE.search(toks[0]):
                keep.insert(0, toks[0])
        toks = keep
    return " ".join(toks)


def persons(text: str, lang: str | None = None) -> list[str]:
    """Personal names (2-4 capitalised tokens, titles and genitives dropped) in a text
    (in ``lang``, when known)."""
    out = []
    for m in RUN_RE.finditer(text):
        if m.start() and text[m.start() - 1] in OPEN_QUOTES + "”":
            continue  # a quoted name is a title ("„Gazeta Wyborcza“"), not a person
        # An initial keeps its period ("Antony J. Blinken", "S. Andersson").
        run = [t.rstrip(",") if INITIAL.fullmatch(t.rstrip(",")) else t.rstrip(".,")
               for t in m.group(0).split()]
        # A clause opens the text or follows a stop, a colon or a dash ("– Selon M.
        # Macron, …", "Ukraine : Selon …"): its first word may be a preposition.
        opens = text[:m.start()].rstrip()[-1:] in ("", *".!?:;…–—")
        if opens and len(run) >= 2 and (run[0].lower() in INVERSION | CONJ
                                                  or run[0].lower() in INDEF | ACC_WORDS
                                                  or run[0].lower() == ORIGIN.get(lang or "")
                                                  or run[0].lower() in LOCATIVE_ORIGIN.get(
                                                      lang or "", "").split("|")):
            run = run[1:]  # "От Кремъл заявиха", "У Кремлі заявили": no first name
        elif run[0].lower() in DISCOURSE_WORDS - NAME_LIKE_MARKERS:
            run = run[1:]  # "Också Kreml", "Также Иван Петров"
        if len(run) == 3 and _after_title_preposition(text[:m.start()]):
            run = run[1:]  # "ambassador to Sweden Viktor Tatarintsev": the place goes
        if len(run) < 2:
            continue
        name = person_part(run, lang)
        toks = name.split()
        if len(toks) < 2 or len(toks) > 4 or any(TITLE_RE.search(t) for t in toks) \
                or ORG_RE.search(name) or any(t.endswith((":s", "'s", "’s")) for t in toks) \
                or any(t.isupper() and len(t) > 1 and not INITIAL.fullmatch(t) for t in toks):
            continue
        out.append(name)
    return out


def _after_title_preposition(before: str) -> bool:
    """Whether a capitalised run follows a title and a preposition ("ambassador to",
    "ambassadör i", "посол в"), so that it starts with a place, not a first name."""
    words = before.lower().split()
    if words and words[-1] in DEFINITE:
        words = words[:-1]
    return len(words) >= 2 and words[-1] in PLACE_PREPOSITIONS and \
        TITLE_RE.search(words[-2]) is not None


def clean_name(raw: str) -> str:
    """Trim punctuation, datelines and leading titles from an extracted subject."""
    s = raw.strip(" ,.:;–—-\"'«»„“”()")
    # "Berlin (dpa) - Bundeskanzler Olaf Scholz" -> drop the dateline.
    s = re.sub(r"^.*\(\w+\)\s*[-–—]\s*", "", s)
    toks = s.split()
    if not toks:
        return ""
    # Prefer a trailing run of >= 2 capitalised tokens: that is the personal
    # name after its title ("USA:s utrikesminister Antony Blinken").
    run: list[str] = []
    for tok in reversed(toks):
        if re.match(rf"[{UPPER}]", tok) and not tok.endswith((":s", "s:", "'s", "’s")):
            run.insert(0, tok)
        else:
            break
    if len(run) >= 2 and len(run) < len(toks):
        return person_part(run)
    # Apposition "flygplatsbolaget Swedavia": the name, not the common noun; but not
    # after the name of an institution, whose last word is its complement
    # ("Министерство обороны России", "Ministerstwo Obrony Narodowej").
    if len(run) == 1 and len(toks) >= 2 and not re.match(rf"[{UPPER}]", toks[-2]) and \
            not (re.match(rf"[{UPPER}]", toks[0]) and ORG_RE.match(toks[0])) and \
            toks[-2].lower() not in NP_STOP | PARTICLES | DETERMINERS | INDEF and \
            toks[-2].lower() not in {"från", "from", "von", "aus", "of", "av", "till"}:
        return run[0]
    if len(run) >= 3:
        return person_part(run)
    if toks[0].lower() in DETERMINERS and len(toks) == 2 and re.match(r"[a-zäöü]", toks[1]):
        return ""
    return s


def is_anaphor(name: str) -> bool:
    """A pronoun or a title without a name ("der SPD-Politiker", "minister")."""
    toks = name.split()
    if not toks:
        return True
    if len(toks) == 1 and toks[0].lower() in PRONOUNS:
        return True
    if toks[0].lower() in INDEF:
        return False
    if all(not re.match(rf"[{UPPER}]", t) for t in toks) and len(toks) <= 2 and \
            not INSTITUTION_NOUN.match(toks[0]):
        # ... but an institution is no one's title ("администрация президента" is not
        # the president).
        return True
    # Definite description: article + one (capitalised) noun ("der Norweger").
    if len(toks) == 2 and toks[0].lower() in DEFINITE:
        return True
    return False


class KnownNames:
    """The full names seen in an article, indexed by surname, for expanding a lone surname
    (possibly inflected, or with an initial) to one of them.

    Built once per article: scanning every name seen for each surname to expand made
    attribution quadratic in the article's length (a 640-sentence Russian article spent
    most of its time there). Each distinct full name keeps how often it was seen and where
    it was last seen, which is all the choice between candidates needs.
    """

    # Surnames are looked up by this many leading letters, lowercased: the shortest stem
    # :meth:`expand` matches on.
    _KEY = 4

    def __init__(self, known: list[str]) -> None:
        # key -> full name -> [times seen, position of its last mention in ``known``]
        self._by_key: dict[str, dict[str, list[int]]] = {}
        for pos, full in enumerate(known):
            words = full.split()
            if len(words) < 2:
                continue
            seen = self._by_key.setdefault(words[-1].lower()[:self._KEY], {})
            entry = seen.setdefault(full, [0, pos])
            entry[0] += 1
            entry[1] = pos

    def expand(self, name: str) -> str:
        """``name`` as the full name it abbreviates ("Путин", "В.Путин", "Лаврова" ->
        "Сергей Лавров"), or unchanged when it is no lone surname or no known name fits."""
        toks = name.split()
        if not toks:
            return name
        if len(toks) > 2 or (len(toks) == 2 and not re.match(r"^[\w.-]{1,4}\.?$", toks[0])):
            return name
        last = toks[-1].split(".")[-1]
        initial = toks[0][0] if (len(toks) == 2 or "." in toks[0]) else ""
        if len(last) < self._KEY:
            return name
        stem = last[: max(self._KEY, len(last) - 2)].lower()
        cands = [(count, pos, full)
                 for full, (count, pos) in self._by_key.get(stem[:self._KEY], {}).items()
                 if full.split()[-1].lower().startswith(stem)
                 and (not initial or full[0] == initial)]
        # The most frequent form is usually the nominative one; ties go to the one named
        # last.
        return max(cands)[2] if cands else name


def turn_label(s: str) -> str | None:
    """A speaker heading in a transcript ("Anf. 12 HANS WALLMARK (M)") -> "Hans Wallmark"."""
    m = TURN_HEADING.match(s.strip())
    if not m:
        return None
    return " ".join(t if len(t) <= 1 else t[0] + t[1:].lower() for t in m.group(1).split())


def strip_discourse(text: str, lang: str, trailing: bool = True) -> str:
    """Drop discourse markers at the front and, with ``trailing``, those further on.

    "Также Иван Петров" -> "Иван Петров", "However, the minister" -> "the
    minister", "А еще в мае Владимир Путин" -> "в мае Владимир Путин". A marker
    further on ends a subject ("Białoruski Sztab Generalny z kolei" ->
    "Białoruski Sztab Generalny") unless words follow it, which are then the
    subject ("Само седмица по-рано Санду" -> "Санду"). Markers are ``lang``'s.
    """
    rx = DISCOURSE_RE.get(lang)
    s = text.strip()
    if rx is None:
        return s
    while True:
        head, _, rest = s.partition(" ")
        # A conjunction before a marker goes with it ("А еще", "Men också").
        body = rest if head.lower() in CONJ and rx.match(rest) else s
        m = rx.match(body)
        if not m or m.end() >= len(body) or body[m.end()] not in " ," or \
                _first_name(body, m.end()):
            break
        s = body[m.end():].lstrip(" ,–—")
    if not trailing:
        return s
    # A marker further on ends the subject, unless a name follows it, which is
    # then the subject after a fronted adverbial ("Само седмица по-рано Санду").
    cuts = [m for m in rx.finditer(s) if m.start() > 0 and s[m.start() - 1] in " ,"
            and not _first_name(s[m.start():], m.end() - m.start())]
    if not cuts:
        return s
    bounds = [0] + [x for m in cuts for x in (m.start(), m.end())] + [len(s)]
    parts = [_trim_conj(s[a:b]) for a, b in zip(bounds[::2], bounds[1::2], strict=True)]
    later = [p for p in parts[1:] if starts_upper(p)]
    return later[-1] if later else parts[0] or s


def _trim_conj(s: str) -> str:
    """A stretch between markers without the conjunctions that joined them ("эксперты и")."""
    toks = s.strip(" ,–—-").split()
    while toks and toks[-1].lower() in CONJ:
        toks.pop()
    while toks and toks[0].lower() in CONJ:
        toks.pop(0)
    return " ".join(toks)


def _first_name(s: str, end: int) -> bool:
    """Whether the marker s[:end] is a first name here ("Sam Smith", "Jo Nesbø")."""
    return s[:end].lower() in NAME_LIKE_MARKERS and s[end:end + 1] == " " and \
        starts_upper(s[end + 1:])


def _opens_adverbial(toks: list[str], i: int, lang: str) -> bool:
    """Whether ``toks[i:]`` starts an adverbial phrase: a preposition, adverb or local case."""
    tok = toks[i]
    low = tok.lower().strip(",")
    prep = PREPOSITION_RE.get(lang)
    if prep is not None and prep.match(" ".join(toks[i:]).lower()):
        return True
    local = LOCAL_CASE.get(lang)
    if local is not None and local.search(low) and i >= 1:
        return True
    return not starts_upper(tok) and is_adverb(low, lang)


def _name_head(head: list[str], lang: str) -> bool:
    """Whether the words before an adverbial phrase are a name ("Петров", "Посольство США")."""
    if not head or head[0].lower() in DETERMINERS:
        return False
    if not all(starts_upper(t) or t.lower() in PARTICLES for t in head):
        return False
    # Where place is a case ending, a capitalised word before it is the name.
    return len(head) >= 2 or lang in LOCAL_CASE or is_proper_name(head[0].strip(","), lang)


def trim_adverbials(np: str, lang: str) -> str:
    """Cut a trailing adverbial phrase off a speaker name ("Петров в связи с этим" -> "Петров").

    Only a name is cut, because a description can end in a phrase of its own
    ("Rysslands ambassadör i Köpenhamn", "Источник в российском МИД").
    """
    toks = np.split()
    for i in range(1, len(toks)):
        if _opens_adverbial(toks, i, lang):
            return " ".join(toks[:i]).rstrip(",") if _name_head(toks[:i], lang) else np
        if not starts_upper(toks[i]) and toks[i].lower() not in PARTICLES:
            return np
    return np


def tidy_speaker(np: str, lang: str) -> str:
    """A speaker without discourse markers and trailing adverbials."""
    return drop_title(trim_adverbials(strip_discourse(np, lang), lang), lang)


def drop_title(np: str, lang: str) -> str:
    """A name without the honorific before it ("M. Emmanuel Macron", "Mme Borne", with its
    article: "O Sr. Costa") or the capitalised title before a lone surname ("Министър
    Петков"; in French and Portuguese a lowercase one too, with its article: "le président
    Macron"), in :data:`BARE_SURNAME` languages; other speakers unchanged."""
    toks = np.split()
    if lang not in BARE_SURNAME or len(toks) < 2:
        return np
    # The honorifics need a capitalised word after them; the title check below tests its
    # own words (a lowercase title may follow an article: "le président Macron").
    named = starts_upper(toks[1]) and not toks[1].isupper()
    if named and lang in {"fr", "pt"} and HONORIFIC.fullmatch(toks[0]):
        return " ".join(toks[1:])
    if named and lang in {"fr", "pt"} and len(toks) > 2 and toks[0].lower() in DEFINITE and \
            HONORIFIC.fullmatch(toks[1]) and starts_upper(toks[2]):
        # The article before the honorific goes with it ("O Sr. Costa afirmou", "Le Pr
        # Martin a déclaré"), as the article before a source does.
        return " ".join(toks[2:])
    if lang in {"fr", "pt"} and len(toks) == 3 and toks[0].lower() in DEFINITE:
        # "Le Président Macron", "selon le président Macron", "segundo o general Silva":
        # the article goes with the title, as "Le président Macron a déclaré" gives "Macron".
        toks = toks[1:]
    if len(toks) == 2 and TITLE_RE.search(toks[0]) and not ORG_RE.search(toks[0]) and \
            (starts_upper(toks[0]) or lang in {"fr", "pt"}) and starts_upper(toks[1]) and \
            not toks[1].isupper():
        return toks[1]
    return np
