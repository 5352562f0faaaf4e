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

from .cues import is_heading
from .lexicon import (
    ACCORDING,
    ADVERBIAL,
    BOILER,
    CONJ,
    DETERMINERS,
    INDEF,
    INVERSION,
    NAME,
    NOT_SPEAKERS,
    NOT_SUBJ,
    NP_STOP,
    OBLIQUE_CUE,
    OPEN_QUOTES,
    PARTICLES,
    PRONOUNS,
    SLAVIC,
    SUBJ_STOP,
    UPPER,
    VERB_SECOND,
    VERB_SET,
    VERBS,
    WHOLE_DESCRIPTION,
)
from .morph import fi_nominative, nominative
from .names import clean_name, person_part, persons, starts_upper


def _np_after(text: str) -> str | None:
    """The subject after a verb: a personal name, or a short description ("" for pronouns)."""
    text = text.strip()
    toks = text.split()
    if not toks:
        return None
    while toks and toks[0].lower() in {"också", "även", "ranee", "ранее", "также", "auch",
                                       "also", "tidigare", "i", "dag"} and len(toks) > 1:
        if toks[0].lower() == "i" and len(toks) > 1 and toks[1].lower() != "dag":
            break
        toks = toks[1:]
    if toks[0].lower().strip(",.") in PRONOUNS:
        return ""
    if toks[0].lower() in {"att", "that", "dass", "что", "że", "että", "que", "het", "да", "es",
                           "it", "det", "это"}:
        return None
    # "Pasjinjan i en intervju", "Keossajan an die Adresse": a lone name.
    if len(toks) >= 2 and re.match(rf"[{UPPER}]", toks[0]) and not toks[0].isupper() and \
            not re.match(rf"[{UPPER}]", toks[1]) and toks[1].lower() not in PARTICLES and \
            toks[0].lower() not in DETERMINERS:
        return toks[0].strip(",.")
    head = " ".join(toks[:9])
    head = re.split(r"[.;:!?]|\s(?:att|that|dass|что|że|että|que|, ?что|, ?że|, ?dass)\s", head)[0]
    words = head.split()
    # Stop at a preposition after the first word ("Tusk na konferencji", "X till TT").
    for i, w in enumerate(words):
        if i >= 1 and w.lower() in NP_STOP and (i >= 2 or re.match(rf"[{UPPER}]", words[0])):
            words = words[:i]
            break
    head = " ".join(words)
    pers = persons(head)
    if pers:
        return pers[0]
    first_clause = head.split(",")[0].split()
    # A name after lowercase titles or adverbs: "minister Błaszczak", "z uśmiechem Łukaszenka".
    for i, w in enumerate(first_clause[:4]):
        if i >= 1 and re.match(rf"[{UPPER}]", w) and not w.isupper() and \
                first_clause[0].lower() not in INDEF | DETERMINERS:
            return w.strip(",.")
    d = " ".join(first_clause[:7]).strip(" ,")
    if first_clause and first_clause[0].lower() in {"the", "der", "die", "das", "le", "la"}:
        rest = first_clause[1:]
        if len(rest) <= 1 or not all(re.match(rf"[{UPPER}]", w) for w in rest):
            return ""  # "the silver-haired leader", "the President": anaphor
        return " ".join(rest).strip(" ,")
    if d and not re.search(rf"[{UPPER}]", d) and first_clause[0].lower() not in INDEF \
            and not re.match(r"\d", d):
        return ""  # a definite title ("заместник-министърът", "the minister"): anaphor
    return d or None


def _subject_before(subj: str, lang: str) -> str | None:
    """The subject NP of "<subject> <speech verb>"; "" for a pronoun; None when none."""
    # "Inlägget raderades, och Medvedevs kansli hävdade": the last coordinated clause.
    subj = re.split(r",\s*(?:och|and|und|men|but|aber)\s+", subj)[-1]
    subj = ADVERBIAL.sub("", subj).strip(" ,")
    toks = subj.split()
    while toks and toks[0].lower().strip(",") in CONJ:
        toks = toks[1:]
    if not toks:
        return None
    if toks[0].lower() in PRONOUNS or (len(toks) >= 2 and toks[0].lower() in SUBJ_STOP
                                        and toks[1].lower() in PRONOUNS):
        return ""
    if len(toks) >= 2 and toks[-1].lower() in PRONOUNS:
        return ""
    text = " ".join(toks)
    pers = persons(text)
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
    if not re.match(rf"[{UPPER}0-9]", text) and text.split()[0].lower() not in DETERMINERS:
        return None
    if re.match(r"^(?:It|Det|Es|Это|This|That|Das|Er|Sie|He|She|Он|Она|They|De|Vi|We|I|Jag|"
                r"Ich|Wir|Мы|Wer|Who|Кто|Kto|Som|Man|Mi|Ni|Ihr|You|Вы)\b", text):
        if text.split()[0].lower() in PRONOUNS:
            return ""
        return None
    return clean_name(text)


def explicit(sentence: str, langs: list[str]) -> tuple[str | None, str]:
    """Speaker named in the sentence; "" marks an anaphor; None: no attribution.

    The second item says how it was found: "label", "acc", "post" (after a quote),
    "subj" (subject of a speech verb), "pron".
    """
    s = sentence.strip()
    lang = langs[0]
    if BOILER.match(s):
        return None, ""
    verbs = VERBS[lang]
    # Transcript label "В.Путин: ..." / "Sauli Niinisto: ..." (not a heading line).
    m = re.match(rf"^({NAME})(?:\s*\([^)]{{1,30}}\))?:\s", s)
    if m and m.group(1).split()[0].lower().strip(".") not in NOT_SPEAKERS:
        rest = s[m.end():].lstrip()
        if is_heading(s) or not re.search(r"[.!?…][»”“\"]?$", s) or rest[:1] in OPEN_QUOTES:
            return None, ""
        return person_part(m.group(1).split()), "label"
    if is_heading(s):
        return None, ""
    # "something X describes as ...": the framing belongs to X.
    m = re.search(r"(?:något som|vad|what|was|то, что|co) ((?:\w+ ){0,2}?[\w-]+) "
                  r"(?:beskriver|kallar|calls|describes|nennt|bezeichnet|называет|nazywa) "
                  r"(?:som|as|als|как|jako)?", s)
    if m and re.match(rf"[{UPPER}]", m.group(1)):
        return clean_name(m.group(1)), "subj"
    # Possessive pronoun source forms: "По его словам", "Hänen mukaansa", "Seiner Ansicht nach".
    if re.search(r"(?i)(?:^|\s)(?:по (?:его|ее|её|их) (?:словам|мнению)|за (?:його|її) словами|"
                 r"(?:hänen|heidän) mukaansa|jego zdaniem|jej zdaniem|według niego|według niej|"
                 r"enligt (?:honom|henne)|according to (?:him|her)|seiner ansicht nach|"
                 r"ihrer ansicht nach|по думите му|по думите ѝ|selon lui|selon elle|"
                 r"segundo ele|segundo ela)", s):
        return "", "pron"
    # "X (hat eine klare Meinung dazu): „..." / "X told the Clarion: "..."".
    m = re.search(rf":\s*[{OPEN_QUOTES}–—]", s)
    if m:
        pers = persons(s[:m.start()])
        if pers:
            return pers[0], "subj"
    acc = ACCORDING.get(lang)
    if acc:
        # Only the preposition is case-insensitive: the source is capitalised, or a
        # short lowercase description ("enligt ryska medier", "enligt åklagarna").
        m = re.search(rf"(?:^|[\s,(])(?i:{acc})\s+([^,.;:!?()]+)", s)
        if m:
            before = s[:m.start(1)]
            np = m.group(1)
            at_start = not s[:m.start()].strip()
            res = _according_np(np, at_start, lang)
            if res:
                oblique = bool(OBLIQUE_CUE.search(before))
                return nominative(res, oblique) if lang in SLAVIC else res, \
                    "acc"
    if lang == "fi":
        m = re.search(r"((?:[\w-]+ ){0,2}?[\w-]+?)(?::n)?\s+mukaan\b", s)
        if m:
            np = m.group(1)
            toks = np.split()
            # Keep from the first capitalised word or the last word.
            k = next((i for i, t in enumerate(toks) if t[:1].isupper()), len(toks) - 1)
            cand = " ".join(toks[k:])
            if cand.lower() not in {"sen", "tämän", "näiden", "jonka", "joiden", "minkä"}:
                return fi_nominative(cand), "acc"
    # Quote/clause, then verb, then speaker: ", säger X", "» — заявил X", "sagte X".
    m = re.search(rf"(?:[,!?»“”\"]\s*[–—-]?\s*|[–—]\s+)(?:{verbs})\s+(.+)$", s)
    if m:
        np = _np_after(m.group(1))
        if np is not None:
            return np, "post"
    # Subject, then verb: "X said (that)", "X menar att", "X заявил, что".
    for m in re.finditer(rf"(?:^|[,:;!?][»”“\"]?\s+|\s(?:och|and|und|и|i|ja|et|e|а)\s+)"
                         rf"((?:[\w'’:.()-]+,?\s+){{0,8}}?)(?:{verbs})(?!\w)", s):
        subj = m.group(1).strip()
        after = s[m.end():]
        if not subj:
            np = _np_after(after)
            if np is not None and m.start() == 0 and lang in SLAVIC:
                return np, "subj"
            continue
        first = subj.split()[0].lower().strip(",")
        if first in INVERSION or (first in CONJ and len(subj.split()) > 1
                                   and subj.split()[1].lower() in INVERSION):
            pro = re.match(r"\s+(\w+)", after)
            if pro and pro.group(1).lower() in PRONOUNS:
                return "", "subj"
            np = _np_after(after)
            if np:
                return np, "subj"
            continue
        res = _subject_before(subj, lang)
        if res is not None:
            return res, "subj"
    # Pronoun after quote without comma: "... sa han."
    m = re.search(rf"\b(?:{verbs})\s+(han|hon|he|she|er|sie|он|она|він|вона|той|тя|hän)\b", s)
    if m:
        return "", "post"
    return None, ""


def _according_np(np: str, at_start: bool, lang: str) -> str | None:
    """The source after "according to": up to a verb-second verb or clause end."""
    toks = np.split()
    out: list[str] = []
    for i, t in enumerate(toks):
        low = t.lower()
        if out and (low in {"att", "that", "dass", "что", "że", "har", "hat", "has", "är", "ist",
                            "is", "was", "sind", "are", "ska", "kan", "skulle"}
                    or low in VERB_SET.get(lang, set())):
            break
        if out and lang in VERB_SECOND and i >= 1:
            # V2: the finite verb follows the source NP; a lowercase word after a
            # capitalised source or after an adjective+noun pair is that verb.
            prev = out[-1]
            if re.match(rf"[{UPPER}]", prev) and not re.match(rf"[{UPPER}]", t) \
                    and low not in PARTICLES and low not in {"i", "på", "av", "des", "der"}:
                break
            if len(out) >= 2 and not re.search(r"(a|e|iska|ska|ta)$", prev) and \
                    not re.match(rf"[{UPPER}]", t) and low not in {"i", "på", "av", "des", "der"}:
                break
        if at_start and lang not in VERB_SECOND and out:
            # No comma after a fronted "according to X": X is a capitalised run or
            # adjectives + one noun ("według mołdawskiej policji").
            prev = out[-1]
            both_caps = re.match(rf"[{UPPER}]", prev) and re.match(rf"[{UPPER}]", t)
            if not both_caps and not re.search(
                    r"(?:ego|ej|ych|ich|ого|ой|ых|их|ей|ий|ая|ое|ого|ен|ан|ian|ean|ish)$", prev):
                break
        out.append(t)
        if len(out) >= 6:
            break
    res = " ".join(out).strip(" ,")
    if not res:
        return None
    pers = persons(res)
    if pers:
        return pers[0]
    if not starts_upper(res) and lang in WHOLE_DESCRIPTION:
        return res if len(out) <= 4 else None
    return clean_name(res) or None
