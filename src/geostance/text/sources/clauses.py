"""Finding the speaker inside one sentence.

:func:`explicit` looks, in order, for a transcript label ("В.Путин: ..."), a
framing ("something X calls ..."), a possessive source ("по его словам"), a
person before a colon that opens a quote, a source preposition ("enligt X",
"according to X", "по словам X", "X:n mukaan"), a speech verb after a quote
(", säger X", "» — заявил X") and a subject before a speech verb ("X said",
"X menar att"), and reports how it found the speaker.
"""

from __future__ import annotations

import re

from .according import (
    NO_SPEAKER,
    azerbaijani_gore,
    finnish_mukaan,
    locative_after_verb,
    romance_view,
    source_preposition,
)
from .cues import MASK, is_heading
from .lexicon import (
    AND,
    AS_REPORTED,
    BOILER,
    CAPITALS,
    CLOSE_QUOTES,
    COMPLEMENT,
    CONJ,
    DEFINITE,
    DETERMINERS,
    DISCOURSE_RE,
    DISCOURSE_WORDS,
    FRONTED_ACCUSATIVE,
    FRONTED_OBJECT,
    HONORIFIC_ABBREV,
    INDEF,
    INSTITUTION_NOUN,
    INVERSION,
    LOCAL_CASE,
    LOCATIVE_ORIGIN,
    NAME,
    NOT_SPEAKERS,
    NOT_SPEECH,
    NOT_SUBJ,
    NP_STOP,
    OPEN_QUOTES,
    ORIGIN,
    PARTICLES,
    PLURAL_VERB,
    POSTNOMINAL,
    PREPOSITION_RE,
    PRONOUNS,
    RELATIVE,
    SAID_IN,
    SELF_SUBJ,
    SLAVIC,
    SUBJ_STOP,
    SUBORDINATORS,
    TIME_PHRASE,
    TITLE_CHAIN,
    TITLE_RE,
    UPPER,
    VERB_SECOND,
    VERBS,
)
from .morph import institution_in_locative, is_adverb, is_proper_name, nominative
from .names import (
    clean_name,
    person_part,
    persons,
    starts_upper,
    strip_discourse,
    tidy_speaker,
)

# What a finder returns: (speaker, how it was found); "" is an anaphor.
Found = tuple[str, str]
# A definite description right after a speech verb, up to punctuation or a
# time/place phrase: "erklärte der Bundeskanzler am Montag".
_DESCRIPTION = re.compile(
    rf"(?i)((?:{'|'.join(sorted(DEFINITE))}) [^\W\d][\w-]*(?: [\w-]+){{0,2}}?)"
    r"(?=[.,;:!?]|$| (?:on|in|at|am|im|vor|nach|à|en|em|no|na)\b)")
# English determiners: a speech verb right after one is a noun ("the states", "its claims").
_EN_DETERMINERS = "the|a|an|its|his|her|their|our|my|your|these|those|such|no|any|every|each"
# How many words after a speech verb an adverbial may push the speaker.
_ADVERBIAL_REACH = 14
# How many words a subject and an adverbial may take before the speech verb, and
# how near the start the name must be then.
_SUBJECT_REACH = 14
_NAME_REACH = 6
# Words after a verb within which a possessor's title names its person
# ("säger Rysslands utrikesminister Sergej Lavrov").
_TITLED_REACH = 6
# Words after a verb within which a title chained to its office names its person.
_TITLED_CHAIN_REACH = 12
# A wire dateline: place in capitals, perhaps a date, the agency in brackets, a dash.
_DATELINE = re.compile(rf"^[{UPPER}][{UPPER}\s./-]+(?:,[^()]{{1,25}})?\s*"
                       r"\([^()]{1,20}\)\s*[-–—]\s+")
# A day or date between a Portuguese or French speech verb and its subject ("disse
# nesta quinta-feira o ministro", "a déclaré mardi soir le porte-parole").
_DAY_FIRST = {
    "pt": re.compile(r"(?i)(?:(?:nesta|neste|esta|este|na|no|ontem|hoje)\s+)?"
                     r"(?:(?:segunda|terça|quarta|quinta|sexta)-feira|sábado|domingo|ontem|hoje)"
                     r"(?:\s*\(\d{1,2}\))?(?:\s+(?:à|de)\s+(?:noite|tarde|manhã))?,?\s+"),
    "fr": re.compile(r"(?i)(?:ce\s+)?(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
                     r"hier|aujourd['’]hui)(?:\s+(?:soir|matin|midi))?,?\s+"),
}


def _skip_day(text: str, lang: str) -> str:
    """``text`` without a day that opens it before the subject ("esta terça-feira o
    vice-ministro" -> "o vice-ministro", "jeudi le général X" -> "le général X")."""
    day = _DAY_FIRST[lang].match(text) if lang in _DAY_FIRST else None
    return text[day.end():] if day and day.end() < len(text) else text




def _genitive(token: str, lang: str) -> bool:
    """Whether a capitalised word is a possessor ("Russia's", "Rysslands", "Natos")."""
    return bool(re.search(r"['’]s$", token) or lang in VERB_SECOND and token.endswith("s"))


def _words_after(text: str, lang: str) -> list[str]:
    """The words after a verb from where its subject may start: "sade också Putin",
    "заявил также Петров", "sade i dag Putin" (a marker or a time before the speaker is
    not the subject)."""
    toks = text.strip().split()
    if len(toks) > 2 and [x.lower() for x in toks[:2]] == ["i", "dag"]:
        toks = toks[2:]
    toks = strip_discourse(" ".join(toks), lang, trailing=False).split() or toks
    return _skip_day(" ".join(toks), lang).split()


def _np_after(text: str, lang: str) -> str | None:
    """The subject after a verb: a personal name, or a short description ("" for pronouns)."""
    return _np_in(_words_after(text, lang), lang)


def _np_in(toks: list[str], lang: str) -> str | None:
    """:func:`_np_after` of the words :func:`_words_after` gave, for a caller that has
    them already; None when there are none."""
    if not toks:
        return None
    # A pronoun that is also an article starts a noun phrase: Portuguese "o ministro"
    # is no Azerbaijani "o" (he).
    if toks[0].lower().strip(",.") in PRONOUNS and not (
            len(toks) > 1 and toks[0].lower() in DETERMINERS and toks[0][-1:].isalpha()):
        return ""
    if (place := locative_after_verb(toks, lang)) is not None:
        # "Об этом заявили в Кремле" -> "Кремль"; "заявили в Самаре" names no one (not
        # the pronoun "" would be; :func:`_after_quote` ends the search there).
        return place or None
    prep = PREPOSITION_RE.get(lang)
    if prep is not None and prep.fullmatch(toks[0]):
        # An adverbial between verb and speaker: "mówił w rozmowie z „Gazetą
        # Krajową” były szef dyplomacji Nicu Popescu".
        pers = persons(" ".join(toks[:_ADVERBIAL_REACH]), lang)
        if pers:
            return pers[0]
    if toks[0].lower() in {"att", "that", "dass", "что", "że", "että", "que", "het", "да", "es",
                           "it", "det", "это"}:
        return None
    # "Pasjinjan i en intervju", "Keossajan an die Adresse": a lone name; but a
    # possessor before a title speaks through the person named after it ("Rysslands
    # utrikesminister Sergej Lavrov", "Russia's foreign minister Sergei Lavrov"), or
    # else the title is the speaker ("Finlands president", "Armeniens ledare").
    if len(toks) >= 2 and re.match(rf"[{UPPER}]", toks[0]) and not toks[0].isupper() and \
            not re.match(rf"[{UPPER}]", toks[1]) and toks[1].lower() not in PARTICLES and \
            toks[0].lower() not in DETERMINERS:
        if not _genitive(toks[0], lang):  # "Lavrov, utrikesminister i Ryssland"
            return toks[0].strip(",.")
        pers = persons(" ".join(toks[:_TITLED_REACH]), lang)
        if pers:
            return pers[0]
        if TITLE_RE.search(toks[1]):
            return " ".join(toks[:2]).strip(",.")
    if (chained := _titled_chain(toks, lang)) is not None:
        return chained
    head = " ".join(toks[:9])
    # An initial's period ("säger S. Andersson") does not end the phrase, nor does an
    # abbreviated honorific's ("said Mr. Biden" gave "Mr"): held as NUL.
    head = re.sub(rf"(?<!\w)([{UPPER}])\.(?=\s?[{UPPER}])", "\\1\0", head)
    head = re.sub(rf"(?<!\w)(?={HONORIFIC_ABBREV}\s[{UPPER}])(\w+)\.", "\\1\0", head)
    head = re.split(r"[.;:!?]|\s(?:att|that|dass|что|że|että|que|, ?что|, ?że|, ?dass)\s", head)[0]
    head = head.replace("\0", ".")
    words = head.split()
    # Stop at a preposition after the first word ("Tusk na konferencji", "X till TT").
    for i, w in enumerate(words):
        if i >= 1 and w.lower() in NP_STOP and (i >= 2 or re.match(rf"[{UPPER}]", words[0])):
            words = words[:i]
            break
    head = " ".join(words)
    pers = persons(head, lang)
    if pers:
        return pers[0]
    first_clause = head.split(",")[0].split()
    # A name after lowercase titles or adverbs: "minister Błaszczak", "z uśmiechem Łukaszenka".
    for i, w in enumerate(first_clause[:4]):
        if i >= 1 and re.match(rf"[{UPPER}]", w) and not w.isupper() and \
                first_clause[0].lower() not in INDEF | DETERMINERS:
            return w.strip(",.")
    d = " ".join(first_clause[:7]).strip(" ,")
    if first_clause and first_clause[0].lower() in DEFINITE:
        rest = first_clause[1:]
        if lang in POSTNOMINAL and len(rest) > 1 and starts_upper(rest[0]):
            # "o Ministério dos Negócios Estrangeiros russo", "le Quai d'Orsay": a
            # proper noun with its complements and adjectives after it.
            return " ".join(rest).strip(" ,")
        if len(rest) <= 1 or not all(re.match(rf"[{UPPER}]", w) for w in rest):
            return ""  # "the silver-haired leader", "the President": anaphor
        return " ".join(rest).strip(" ,")
    if d and not re.search(rf"[{UPPER}]", d) and first_clause[0].lower() not in INDEF \
            and not re.match(r"\d", d):
        # A definite title ("заместник-министърът", "ambassadören"): an anaphor, kept
        # when it is one title word so that it can find the person or source named with
        # that title before ("Rysslands ambassadör").
        return d if " " not in d and TITLE_RE.search(d) else ""
    return d or None


def _titled_chain(toks: list[str], lang: str) -> str | None:
    """The name after a lowercase title chained to its office by a preposition ("заяви
    заместник-министърът на външните работи на Русия Сергей Рябков", "турският министър
    на отбраната Яшар Гюлер"); None when the words after the verb are not one."""
    chain = TITLE_CHAIN.get(lang)
    if chain is None:
        return None
    clause = re.split(r"[,;:!?]|\.(?:\s|$)", " ".join(toks[:_TITLED_CHAIN_REACH]))[0]
    pers = persons(clause, lang)
    if not pers:
        return None
    before = clause[:clause.find(pers[0])].split()
    # Lowercase words with a title among them, and capitalised places ("Русия"); no
    # other preposition, which would open an adverbial ("пред журналисти").
    if not any(TITLE_RE.search(w) and not starts_upper(w) for w in before) or any(
            w.lower() in NP_STOP and w.lower() != chain for w in before):
        return None
    return pers[0]


def _origin(subj: str, lang: str) -> str | None:
    """The institution in "От Министерството на отбраната съобщиха" (bg: "from X they
    reported"), without the preposition; None when the subject is no such phrase."""
    prep = ORIGIN.get(lang)
    m = re.fullmatch(rf"(?i:{prep})\s+([{UPPER}][^,]*)", subj) if prep else None
    if not m or persons(m.group(1), lang):
        return None
    return m.group(1)


# Lowercase words allowed between a locative institution and its plural verb: an object
# or adverb ("В Кремле решение объяснили", "В Пентагоне также заявили").
_LOCATIVE_GAP = 3


def _locative_origin(subj: str, verb: str, lang: str) -> str | None:
    """The institution in "В Кремле заявили, что ..." (ru/uk: "in X they said") in the
    nominative ("Кремль"), or a capital for its government ("У Києві заявили" -> "Київ";
    lexicon.CAPITALS); "" for another place ("В Харькове заявили": the outlet reports
    what was said there, and no one speaks); None when the words before a plural speech verb
    are no such phrase ("В Кремле Путин заявил": a subject)."""
    prep = LOCATIVE_ORIGIN.get(lang)
    head, *asides = subj.split(",")
    m = re.fullmatch(rf"(?i:{prep})\s+(.+)", head.strip()) if prep else None
    if not m or not PLURAL_VERB.search(verb):
        return None
    # "В Кремле, в свою очередь, заявили": short lowercase asides between commas.
    aside = " ".join(asides).split()
    if any(starts_upper(t) for t in aside) or len(aside) > _LOCATIVE_GAP + 3:
        return None
    toks = m.group(1).split()
    if not (starts_upper(toks[0]) or INSTITUTION_NOUN.match(toks[0])):
        return None  # "в ответ", "в итоге": no institution ("в штаб-квартире" is one)
    # A capital speaks for its government ("В Киеве заявили" -> "Киев"); other places
    # only say where ("В Харькове заявили": no one).
    capital = CAPITALS.get(lang, {}).get(toks[0])
    found = (capital, 1) if capital is not None else institution_in_locative(toks, lang)
    place = institution_in_locative(toks, lang, places=True) if found is None else None
    if found is None and place is None:
        return None
    name, used = found or place or ("", 0)
    rest = toks[used:]
    if len(rest) > _LOCATIVE_GAP or any(starts_upper(t) for t in rest):
        return None
    if capital is not None and rest:
        # A capital speaks only with the verb right after it ("В Киеве заявили, что");
        # with an object between ("В Москве визит прокомментировали сдержанно") the
        # written corpus's gold names no one: the outlet describes a reaction there.
        return ""
    return "" if place else name


def _subject_before(subj: str, lang: str) -> str | None:
    """The subject NP of "<subject> <speech verb>"; "" for a pronoun; None when none."""
    if (origin := _origin(strip_discourse(subj, lang), lang)) is not None:
        return origin
    # "Inlägget raderades, och Medvedevs kansli hävdade": the last coordinated clause.
    subj = re.split(r",\s*(?:och|and|und|men|but|aber)\s+", subj)[-1]
    lead = strip_discourse(subj, lang, trailing=False)
    # "Однако президент", "However, officials": once the marker that opened the
    # sentence is gone, the subject may start in lower case.
    unmarked = lead != subj.strip() and starts_upper(subj) and not starts_upper(lead)
    toks = strip_discourse(lead, lang).split()
    if unmarked and toks and toks[0].lower() in SUBJ_STOP and lang in VERB_SECOND:
        # Verb second after the marker: "Zugleich hat die Regierung erklärt".
        toks = toks[1:]
        if len(toks) > 3:
            return None
    if unmarked and toks and toks[0].lower() in NP_STOP:
        unmarked = False  # "в мае ... Владимир Путин": only a name can be the subject
    while toks and toks[0].lower().strip(",") in CONJ:
        toks = toks[1:]
    if not toks:
        return None
    # A pronoun that is also an article starts a noun phrase ("o ministro").
    pronoun = toks[0].lower() in PRONOUNS and not (len(toks) > 1 and toks[0].lower() in DETERMINERS)
    if pronoun or (len(toks) >= 2 and toks[0].lower() in SUBJ_STOP
                   and toks[1].lower() in PRONOUNS):
        return ""
    # "..., sagte er" but not Finnish "on" (is), which is also a Polish pronoun.
    if len(toks) >= 2 and toks[-1].lower() in PRONOUNS - SUBJ_STOP:
        return ""
    if {toks[-1], toks[-1].lower()} & SELF_SUBJ.get(lang, frozenset()) or \
            re.split(r"['’]", toks[0].lower())[0] in {"you", "du", "ni", "вы", "ты"}:
        # "As I said", "Da muss ich sagen": the author speaks; "you've often stated":
        # the addressee, whom the sentence does not name.
        return None
    text = " ".join(toks)
    pers = persons(text, lang)
    after_first = text[text.find(pers[0]) + len(pers[0]):].split()[:1] if pers else []
    if len(pers) > 1 and after_first and after_first[0].lower() in COMPLEMENT:
        return pers[0]  # "Richard Giragosian of the Regional Studies Center said"
    if pers:
        return pers[-1]
    # "Bryssel, där flera EU-parlamentariker": the clause after the last comma.
    parts = [x for x in text.split(",") if x.strip()]
    if len(parts) > 1:
        toks = parts[-1].split()
        while toks and toks[0].lower() in {"där", "where", "wo", "где", "gdzie", "missä", "où",
                                           "onde", "som", "who", "die", "der"}:
            toks = toks[1:]
        if len(toks) == len(parts[-1].split()) and len(toks) > 1:
            toks = parts[0].split()
        if not toks:
            return None
    # Cut at an auxiliary or adverb: "Kreml har tidigare" -> "Kreml".
    cut: list[str] = []
    for t in toks:
        if cut and t.lower() in SUBJ_STOP - {"в", "во", "на"}:
            break
        cut.append(t)
    text = " ".join(cut).strip(" ,")
    if not text or len(cut) > 6:
        return None
    if any(t.lower().strip(",") in NOT_SUBJ for t in cut) or cut[-1].lower() in CONJ:
        return None
    # A single capitalised token followed by lowercase adverbials ("Putin podczas ...").
    if not re.match(rf"[{UPPER}0-9]", text) and text.split()[0].lower() not in DETERMINERS \
            and not unmarked:
        return None
    if re.match(r"^(?:It|Det|Es|Это|This|That|Das|Er|Sie|He|She|Он|Она|They|De|Vi|We|I|Jag|"
                r"Ich|Wir|Мы|Wer|Who|Кто|Kto|Som|Man|Mi|Ni|Ihr|You|Вы)\b", text):
        if text.split()[0].lower() in PRONOUNS:
            return ""
        return None
    if len(cut) == 2 and cut[0].lower() in DETERMINERS and not starts_upper(cut[1]):
        return text  # "the minister": an anaphor, or the source if no one was named
    return clean_name(text)


# A run-in heading in capitals that opens with an English gerund, at least three words
# ("PRIORITIZING AMERICA FIRST FOREIGN POLICY:", "RESTORING BALANCE TO NATO:"), as White
# House fact sheets write them; a speaker's label is a name or title ("SENIOR
# ADMINISTRATION OFFICIAL:"), and a three-letter stem keeps "KING CHARLES III:" a name.
_GERUND_HEADING = re.compile(r"[A-Z]{3,}ING(?: [A-Z0-9.'’-]+){2,}")


def _label(s: str, lang: str) -> Found | None:
    """Transcript label "В.Путин: ..." / "Sauli Niinisto: ..." (not a heading line)."""
    m = re.match(rf"^({NAME})(?:\s*\([^)]{{1,30}}\))?:\s", s)
    if not m:
        return None
    first = m.group(1).split()[0].lower().strip(".")
    # "Im Gegenteil: ...", "Kurz gesagt: ...": a phrase opened by a preposition,
    # article or discourse marker before a colon is no speaker's name.
    if first in NOT_SPEAKERS or first in INVERSION | DETERMINERS | CONJ | DISCOURSE_WORDS or \
            (prep := PREPOSITION_RE.get(lang)) is not None and prep.fullmatch(first):
        return None
    if _GERUND_HEADING.fullmatch(m.group(1)):
        return None  # "RESTORING BALANCE TO NATO: ...": a fact sheet's run-in heading
    rest = s[m.end():].lstrip()
    if is_heading(s) or not re.search(r"[.!?…][»”“\"]?$", s) or rest[:1] in OPEN_QUOTES:
        return NO_SPEAKER
    return person_part(m.group(1).split(), lang), "label"


def _heading(s: str, lang: str) -> Found | None:
    """A line without final punctuation is a title or crosshead, never attributed."""
    return NO_SPEAKER if is_heading(s) else None


def _framing(s: str, lang: str) -> Found | None:
    """"something X describes as ...": the framing belongs to X."""
    m = re.search(r"(?:något som|vad|what|was|то, что|co) ((?:\w+ ){0,2}?[\w-]+) "
                  r"(?:beskriver|kallar|calls|describes|nennt|bezeichnet|называет|nazywa) "
                  r"(?:som|as|als|как|jako)?", s)
    if m and starts_upper(m.group(1)):
        return clean_name(m.group(1)), "subj"
    return None


def _possessive(s: str, lang: str) -> Found | None:
    """Possessive source forms: "По его словам", "Hänen mukaansa", "Seiner Ansicht nach"."""
    if re.search(r"(?i)(?:^|\s)(?:по (?:его|ее|её|их) (?:словам|мнению)|за (?:його|її) словами|"
                 r"(?:hänen|heidän) mukaansa|jego zdaniem|jej zdaniem|według niego|według niej|"
                 r"enligt (?:honom|henne)|according to (?:him|her)|seiner ansicht nach|"
                 r"ihrer ansicht nach|по думите му|по думите ѝ|selon lui|selon elle|"
                 r"segundo ele|segundo ela|според (?:него|нея|тях)|по думите им)(?!\w)", s):
        return "", "pron"
    return None


def _colon_quote(s: str, lang: str) -> Found | None:
    """"X (hat eine klare Meinung dazu): „..." / "X told the Clarion: "..."."""
    m = re.search(rf":\s*[{OPEN_QUOTES}–—]", s)
    if m and (pers := persons(s[:m.start()], lang)):
        return pers[0], "subj"
    return None


def _apposition(before: str, lang: str) -> str | None:
    """The subject of "Title, Name, verb" or "Name, description, verb" before a comma verb."""
    if re.search(rf"[{OPEN_QUOTES}{CLOSE_QUOTES}]", before) or before.lstrip()[:1] in "–—-":
        return None
    segs = [x.strip() for x in before.split(",")]
    if not 2 <= len(segs) <= 4 or not all(segs):
        return None
    last = persons(segs[-1], lang)
    if last and last[0] == strip_discourse(segs[-1], lang):
        return last[0]
    # "Балканист Вадим Полозов, научный сотрудник ..., напротив, призывает".
    first = persons(segs[0], lang)
    relative = RELATIVE.match(segs[1]) is not None
    if all(not starts_upper(x) for x in segs[1:]) and len(segs[0].split()) <= 4 and (
            first and segs[0].endswith(first[-1]) or len(segs[0].split()) == 1
            and starts_upper(segs[0]) and (relative or is_proper_name(segs[0], lang))):
        return first[-1] if first else segs[0]
    return None


def _after_quote(s: str, lang: str) -> Found | None:
    """Quote or clause, then verb, then speaker: ", säger X", "» — заявил X", "sagte X"."""
    m = re.search(rf"(?:[,!?»“”\"]\s*[–—-]?\s*|[–—]\s+)(?:{VERBS[lang]})\s+(.+)$", s)
    if not m:
        return None
    # "Der Vorsitzende der Staatsduma, Wjatscheslaw Wolodin, drohte ...": the
    # comma closes an apposition, and the subject stands before it.
    if s[:m.start() + 1].rstrip().endswith(",") and (subj := _apposition(s[:m.start()], lang)):
        return subj, "subj"
    words = _words_after(m.group(1), lang)  # once: both checks below read them
    if locative_after_verb(words, lang) == "":
        return NO_SPEAKER  # "Удар завдано вночі, повідомили у Львові": a place, no one
    np = _np_in(words, lang)
    if np == "":
        # "…", erklärte der Bundeskanzler: the description is kept, an anaphor
        # whose title can find the person.
        desc = _DESCRIPTION.match(_skip_day(m.group(1).strip(), lang))
        np = desc.group(1) if desc else ""
    return None if np is None else (np, "post")


def _said_in(s: str, lang: str) -> Found | None:
    """Russian and Ukrainian "..., говорится в итоговом коммюнике" (it is said in X): the
    document in the nominative ("итоговое коммюнике"), or the issuer a capitalised
    genitive names after it ("в заявлении Министерства обороны" -> "Министерство
    обороны"); None when there is no such phrase, or a lowercase issuer ("в заявлении
    ведомства") refers back to one this sentence does not name."""
    rx = SAID_IN.get(lang)
    m = re.search(rf"(?<!\w)(?i:{rx})\s+([^,.;:!?«»()]+)", s) if rx else None
    if not m:
        return None
    toks = m.group(1).split()
    found = institution_in_locative(toks, lang, places=True)
    if found is None:
        return None
    name, used = found
    # The document alone: the shortest start of the phrase that is one.
    head = next((n for n in range(1, used + 1) if institution_in_locative(toks[:n], lang, True)),
                used)  # the whole phrase at the latest
    issuer = toks[head:used]
    if not issuer:
        return name, "acc"
    if not starts_upper(issuer[0]):
        return None
    return nominative(" ".join(issuer), True, lang) if not issuer[0].isupper() else \
        " ".join(issuer), "acc"


def _azerbaijani_after_quote(s: str, lang: str) -> Found | None:
    """Azerbaijani verb-final report after a quote: '"…", - deyə Əliyev bildirib' ("…",
    Aliyev said, saying), '"…", - Əliyev deyib': the words before the final verb speak."""
    if lang != "az":
        return None
    m = re.search(rf"[{CLOSE_QUOTES}{MASK}][,.!?]?\s*[-–—]\s*(?:deyə\s+)?((?:\S+\s+){{0,5}}?\S+)"
                  rf"\s+(?:{VERBS[lang]})[.!]?$", s)
    if not m:
        return None
    np = m.group(1).strip(" ,")
    if np.lower() in {"o", "onlar"}:
        return "", "post"
    pers = persons(np, lang)
    if pers:
        return pers[0], "post"
    # "nazir" (the minister): one title word refers back; a capitalised source stays whole.
    if len(np.split()) == 1 and (starts_upper(np) or TITLE_RE.search(np)):
        return np, "post"
    return (np, "post") if starts_upper(np) else None


def _fronted_adverbial(subj: str, lang: str) -> bool:
    """Whether all that stands before a verb-second verb is an adverbial: a date or day
    ("Den 1 maj 2003"), or one adverb or discourse marker ("Nyligen", "Stattdessen")."""
    if TIME_PHRASE.fullmatch(subj.strip()):
        return True
    words = subj.split()
    rx = DISCOURSE_RE.get(lang)
    return len(words) == 1 and (rx is not None and rx.fullmatch(words[0]) is not None
                                or is_adverb(words[0].lower(), lang))


def _relative_clause(subj: str) -> bool:
    """Whether the words before a verb open a relative clause ("..., die um ihr Leben
    fürchten", "..., who warned", "..., som varnade"): its subject is the relative pronoun,
    whose antecedent is not reliably found, so the verb reports no speaker."""
    toks = subj.split()
    if not toks or not RELATIVE.fullmatch(toks[0]):
        return False
    if toks[0].lower() not in {"der", "die", "das"}:
        return True
    # German "die"/"der" is also an article ("die Regierung", "die russische Armee"):
    # relative only before a word that is neither a noun nor an adjective.
    return len(toks) > 1 and not starts_upper(toks[1]) and \
        not re.search(r"(?:e|en|er|es|em)$", toks[1])


def _adverbial_part(part: str, lang: str) -> bool:
    """Whether a comma-separated part that opens a sentence is an adverbial: a date ("This
    Thursday", "As of March 22"), a prepositional phrase ("In Moscow", "For instance"), a
    subordinate or participle clause ("Despite the calls", "Having declared victory") or
    a sentence adverb ("Incidentally")."""
    words = part.split()
    if not words:
        return False
    first = words[0].lower()
    prep = PREPOSITION_RE.get(lang)
    marker = DISCOURSE_RE.get(lang)
    if marker is not None and marker.fullmatch(part.strip()):
        # "However, officials said": strip_discourse drops the marker and lets a
        # lowercase subject stand.
        return False
    return bool(TIME_PHRASE.fullmatch(part.strip())
                or first in INVERSION | SUBORDINATORS
                or prep is not None and prep.fullmatch(first)
                or len(words) == 1 and is_adverb(first, lang))


def _after_fronted(subj: str, lang: str) -> str:
    """The subject without the adverbials fronted before it with commas ("This Thursday,
    the State Department" -> "the State Department"); outside verb-second languages,
    where the subject still comes before the verb."""
    while True:
        head, sep, rest = subj.partition(",")
        if not (sep and rest.strip() and _adverbial_part(head, lang)):
            return subj
        subj = rest.strip()


# The negation before a Slavic verb.
_NEGATION = frozenset({"не", "nie"})


def _subject(s: str, lang: str) -> Found | None:
    """Subject, then verb: "X said (that)", "X menar att", "X заявил, что"; or verb-subject."""
    for m in re.finditer(rf"(?:^|[,:;!?][»”“\"]?\s+|\s(?:{AND.get(lang, 'and')})\s+)"
                         rf"((?:[\w'’:.()-]+,?\s+){{0,8}}?)(?:{VERBS[lang]})(?!\w)", s):
        subj = m.group(1).strip()
        if _relative_clause(subj.split(",")[-1].strip()):
            continue
        if lang in SLAVIC and subj.split() and subj.split()[-1].lower() in _NEGATION:
            # "Лавров не сказал, когда ...", "Причины в ведомстве не объяснили": a speech
            # verb denied reports nothing (the negation was part of the speaker).
            continue
        # Before the fronted adverbials go: "В Кремле, в свою очередь, заявили" is one.
        if (origin := _locative_origin(subj, s[m.end(1):m.end()], lang)) is not None:
            if not origin:
                return NO_SPEAKER  # a place: no one speaks
            return origin, "subj"
        if lang not in VERB_SECOND:
            subj = _after_fronted(subj, lang)
        after = s[m.end():]
        not_speech = NOT_SPEECH.get(lang)
        if not_speech is not None and not_speech.match(s, m.end(1)) or \
                lang == "en" and re.search(rf"(?i)\b(?:to|{_EN_DETERMINERS})\s+$", s[:m.end(1)]):
            # Not speech, an infinitive ("Needless to say", "wants to warn") or a noun
            # ("the states that", "the annual calls", "its claims").
            continue
        if not subj:
            np = _np_after(after, lang)
            if np is not None and m.start() == 0 and lang in SLAVIC:
                return np, "subj"
            continue
        nxt = re.match(r"\s+(\w+)", after)
        self_subj = SELF_SUBJ.get(lang, frozenset())
        if lang in VERB_SECOND and nxt and nxt.group(1).lower() in self_subj | {"er", "han", "hon"}:
            # Verb second: a subject pronoun after the verb is the subject, so what
            # stands before the verb is not ("Trotzdem sehen wir", "Dort sagt er").
            if nxt.group(1).lower() in self_subj:
                continue
            return "", "subj"
        first = subj.split()[0].lower().strip(",")
        # "However, Defence Secretary John Smith said", "Myös presidentti Niinistö
        # sanoi": a discourse marker before a subject is not a fronted adverbial.
        marked = strip_discourse(subj, lang, trailing=False)
        # "Det säger X": X says what came before, as after a quote.
        fronted = first in FRONTED_OBJECT and len(subj.split()) == 1 or \
            first in FRONTED_ACCUSATIVE and lang in SLAVIC and len(subj.split()) <= 4
        inverted = first in INVERSION and not (marked != subj and marked and (
            lang not in VERB_SECOND or starts_upper(marked))) or fronted or \
            lang in VERB_SECOND and _fronted_adverbial(subj, lang)
        last = subj.split()[-1].strip(",")
        if inverted and lang not in VERB_SECOND and subj.rstrip()[-1:] != "," and (
                last.lower() in PRONOUNS or {last, last.lower()} & SELF_SUBJ.get(lang, set())):
            # "Regarding our relations, we said ...": a pronoun right before the verb is its
            # subject; nothing after the verb is.
            inverted = False
        if inverted or (first in CONJ and len(subj.split()) > 1
                        and subj.split()[1].lower() in INVERSION):
            pro = re.match(r"\s+(\w+)", after)
            if pro and pro.group(1).lower() in PRONOUNS:
                return "", "subj"
            np = _np_after(after, lang)
            if np and fronted and not starts_upper(np):
                continue  # "Das sehen übrigens auch immer mehr Menschen so": no speaker
            if np:
                return np, "post" if fronted else "subj"
            continue
        res = _subject_before(subj, lang)
        if res is not None:
            # '"▯," the minister said': a subject right after a quote attributes it.
            after_quote = re.search(rf"[{CLOSE_QUOTES}][,.!?]?\s*$|{MASK}[,.!?]?\s*$",
                                    s[:m.start(1)])
            return res, "post" if after_quote else "subj"
    return _distant_subject(s, lang)


def _distant_subject(s: str, lang: str) -> Found | None:
    """A named subject that opens the sentence with its verb after a long adverbial.

    "Основателят на партията Бидзина Иванишвили още по време на кампанията
    обвини ...": too far apart for :func:`_subject`, so only a personal name
    near the start counts, never a description.
    """
    m = re.match(rf"((?:[\w'’:.()-]+,?\s+){{9,{_SUBJECT_REACH}}}?)(?:{VERBS[lang]})(?!\w)", s)
    if not m or _relative_clause(m.group(1).split(",")[-1].strip()):
        return None
    first = m.group(1).split()[0].lower().strip(",")
    if first in INVERSION:
        # "I ett tal i Kreml inför båda kamrarna i parlamentet sade Putin att".
        np = _np_after(s[m.end():], lang)
        return (np, "subj") if np and starts_upper(np) else None
    local = LOCAL_CASE.get(lang)
    pers = [p for p in persons(" ".join(m.group(1).split()[:_NAME_REACH]), lang)
            if first not in CONJ and not (local and local.search(p.split()[0]))]
    return (pers[0], "subj") if pers else None


def _pronoun_after_verb(s: str, lang: str) -> Found | None:
    """Pronoun after a quote without a comma: "... sa han."."""
    if re.search(rf"\b(?:{VERBS[lang]})\s+(han|hon|he|she|er|sie|он|она|він|вона|той|тя|hän)\b",
                 s):
        return "", "post"
    return None


def _asks(s: str, name: str) -> bool:
    """Whether a sentence is a question whose speech verb is asked about, not reported.

    "Is Russia, as Mrs May says, ready ...?" reports Mrs May's view inside the
    question: a speaker introduced by "as" still counts.
    """
    if not s.rstrip().rstrip(CLOSE_QUOTES + "'").endswith("?") or \
            re.search(rf"[{OPEN_QUOTES}{CLOSE_QUOTES}]", s):
        return False
    return not (name and re.search(rf"(?i)(?:^|[\s,(])(?:{AS_REPORTED})\s+(?:\w+\s+){{0,3}}?"
                                   rf"{re.escape(name.split()[-1])}", s))


# Tried in order; the first that finds something decides.
_FINDERS = (_label, _heading, _framing, _possessive, _colon_quote, source_preposition,
            romance_view, finnish_mukaan, azerbaijani_gore, _said_in, _azerbaijani_after_quote,
            _after_quote, _subject,
            _pronoun_after_verb)


def explicit(sentence: str, langs: list[str]) -> tuple[str | None, str]:
    """Speaker named in the sentence; "" marks an anaphor; None: no attribution.

    The second item says how it was found: "label", "acc", "post" (after a quote),
    "subj" (subject of a speech verb), "pron". ``langs[0]`` is the language
    whose word lists apply.
    """
    # A wire dateline names the place and the agency, not a speaker ("HELSINKI, Oct 3
    # (Reuters) - Russia warned", "MOSKVA (TT) – Kreml varnar").
    s = _DATELINE.sub("", sentence.strip())
    lang = langs[0]
    if BOILER.match(s):
        return None, ""
    for finder in _FINDERS:
        found = finder(s, lang)
        if found is NO_SPEAKER:
            return None, ""
        if found is not None:
            name, how = found
            if how in {"subj", "post", "pron", "acc"} and _asks(s, name):
                # "Hur anser ministern att ...?", "What do you think will follow?",
                # "Finns det enligt ministern tillräckliga medel ...?": a question asks
                # for a view and reports none.
                return None, ""
            if name and how != "label":
                # "Также Иван Петров", "Петров в связи с этим": markers and
                # adverbials are not part of the speaker.
                name = tidy_speaker(name, lang) or name
            return name, how
    return None, ""
