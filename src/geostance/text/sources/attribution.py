"""Attribution across an article: quotes spanning sentences, turns, pronouns.

:func:`assign_sources` first finds the speaker inside each sentence
(:func:`.clauses.explicit`), then groups sentences into quotes and walks the
groups in order, carrying the speaker forward:

* quoted speech is masked before anything is looked for: a person, missile
  or newspaper named inside a quote is never its speaker, nor what a later
  "he said" refers to; sentences wholly inside a multi-sentence quote add
  nothing of their own;
* a quote spanning several sentences (open quote mark, or Nordic "– " dash
  paragraphs) takes the speaker named anywhere in it, usually the last part;
* a pronoun ("he said", "säger han", "сказал он") resolves to the person
  named as a subject since the last speaker, or else to the last speaker; a
  description ("sagte der Bundeskanzler", "the minister said") to the person
  last named with that title, and with no one to refer to it is the source;
* a dash paragraph ("– ...") runs forward until the sentence that names its
  speaker after the quote (", säger X"), even through third-person sentences;
* a line ending in a colon ("Lavrov sade:") gets "" and hands its speaker to
  the quote that follows;
* transcript turns: a label ("В.Путин: ...", "Anf. 12 HANS WALLMARK (M)")
  holds until the next label or heading; German Konjunktiv I sentences and
  first-person prose right after a speaker continue that speaker;
* lines without final punctuation (titles, crossheads) are never attributed;
* a page label (a link "Lesen Sie auch: …", a credit "Foto: Erik Svensson/TT")
  names no one a later pronoun, quote or dash turn refers to;
* invisible format characters inside words (a soft hyphen) are dropped before
  anything is looked for, so speakers come out without them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from ..language import detect_language
from ..segment import PAGE_LABEL
from .clauses import explicit
from .cues import (
    first_person,
    has_quote_mark,
    is_heading,
    looks_like_speech,
    mask_quotes,
    opens_quote,
    quote_balance,
)
from .lexicon import (
    CASED_TITLE,
    COMPLEMENT,
    CONJ,
    DEFINITE,
    DETERMINERS,
    KONJUNKTIV,
    LOCAL_CASE,
    NAME,
    PRONOUNS,
    SLAVIC,
    TITLE_RE,
    TITLE_SYNONYMS,
    TITLED_DESCRIPTION,
    UPPER,
    lang_key,
)
from .morph import MORPH_LANGS, given_name_nominative, nominative
from .names import (
    KnownNames,
    drop_title,
    is_anaphor,
    person_part,
    persons,
    starts_upper,
    turn_label,
)

INITIAL_SURNAME = re.compile(r"[^\W\d_]\.\s?[^\W\d_][\w-]+")
# A briefing-transcript label: an honorific and a surname, often in capitals
# ("MR. SULLIVAN:", "MS. JEAN-PIERRE:", "Dr. Meier:").
HONORIFIC_LABEL = re.compile(r"(?i)(?:mr|ms|mrs|miss|dr|herr|frau|hr|fr)\.?\s+([^\W\d_][\w'’-]+)")
# "Låt mig citera Anke Schmidt-Felzmann, forskare ...:" introduces a quote by the
# person named after the verb (the object, not the subject, of "quote").
QUOTE_INTRO = re.compile(r"(?i)\b(?:citera[rd]?|citat av|quot(?:e|ing)|zitier(?:e|en|t)|"
                         r"процитир\w*|цитир\w*|cytuj\w*|cytowa\w*|lainaa?n|lainata|"
                         r"citer|citar|cito)\b\s+")
# A parliamentary interjection: "(Dr. Marie-Agnes Strack-Zimmermann [FDP]: Nicht nur
# Ihrer!)", also after applause ("(Beifall ... – Otto Fricke [FDP]: Irgendwas!").
BRACKET_LABEL = re.compile(rf"({NAME})\s*\[[^\]]{{1,40}}\]:\s")
QUESTION_TURN = re.compile(r"\s*(?:Q|Question|Вопрос|Fråga|Frage)\s*[:.]\s")

# Invisible format characters that may sit inside a word: soft hyphen (U+00AD, a
# hyphenation point), zero-width space (U+200B), word joiner (U+2060) and the
# byte-order mark (U+FEFF) as a zero-width no-break space. Zero-width (non-)joiners
# are left alone: they spell Persian and Indic words.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
# A dash quote looks this many sentences ahead for its attribution.
_DASH_REACH = 6
# Words right before a name that may hold its title ("Rysslands utrikesminister Sergej Lavrov").
_TITLE_REACH = 2
# Words before a name that may hold a Russian or Ukrainian title with its office in the
# genitive ("Официальный представитель МИД России Мария Захарова": head and three words).
_CASED_TITLE_REACH = 5
# A word ending so closes the clause before a name: no title reaches across it.
_CLAUSE_END = frozenset(",;:.!?()«»\"“”„")
# Capitalised words of an office in the genitive after a title ("России", "Украины",
# "Кремля", "Белого дома", "Путина"); a name in the nominative ends no such way.
_GENITIVE_END = re.compile(r"(?:и|ы|а|я|ого|его|ої|ї)$")
# A deputy's or an aide's title names the office of someone else ("Заместитель министра
# иностранных дел Сергей Рябков" is not the minister a later "Министр добавил" means).
_DEPUTY = re.compile(r"^(?:заместител|замминистр|заступник|помощник|помічник)")
# Words of an apposition after a name that may give its title ("M. Macron, le président
# français, a déclaré", "Joe Biden, the US president, said").
_APPOSITION_REACH = 5
# An interjection's parenthesis left open runs on for at most this many sentences.
_INTERJECTION_REACH = 3
# French and Portuguese definite articles before a speaker ("Le Kremlin", "l'armée").
_ROMANCE_ARTICLES = {"fr": re.compile(r"(?i)(?:(?:le|la|les)\s+|l['’](?=\w))"),
                     "pt": re.compile(r"(?i)(?:o|a|os|as)\s+")}
# The Azerbaijani dative after a vowel ("Bakıya", "Türkiyəyə"): a place after a name.
_AZ_DATIVE = re.compile(r"(?<=[aeıioöuüə])y[aə]$")
# A quote mark left open is closed within this many sentences, or it is a stray mark.
_QUOTE_REACH = 8


def _apposed_title(after: str) -> str:
    """The title an apposition right after a name gives, lowercased (", le président
    français, a déclaré" -> "le président français"); "" when the words between the
    next two commas are no title (", a déclaré", ", which said")."""
    m = re.match(r"\s*,\s*([^,.;:!?()«»„“”\"]+?)\s*,", after)
    words = m.group(1).split() if m else []
    if not words or len(words) > _APPOSITION_REACH or not (
            words[0].lower() in DETERMINERS or any(TITLE_RE.search(w) for w in words)):
        return ""
    return " ".join(words).lower()


def _cased_title(before: str) -> str:
    """The Russian or Ukrainian title that ends right before a name, lowercased, from its
    head noun on ("Министр иностранных дел России" -> "министр иностранных дел россии",
    "с главой МИД Украины" -> ""); "" when no title word comes first.

    The office after the head is lowercase words, acronyms ("МИД", "США") and capitalised
    words in the genitive ("России", "Кремля"); another name, a conjunction or a
    punctuation mark ends the search ("Путин и посол США", "заявил Путин послу")."""
    words = before.split()[-_CASED_TITLE_REACH:]
    # The first word of the title: the leftmost title word ("Пресс-секретарь президента").
    first = None
    for n in range(len(words) - 1, -1, -1):
        w = words[n]
        if w[-1] in _CLAUSE_END or w.lower() in CONJ:
            break
        if TITLE_RE.search(w) or _DEPUTY.match(w.lower()):
            first = n
        elif starts_upper(w) and not w.isupper() and not _GENITIVE_END.search(w):
            break
    return "" if first is None else " ".join(words[first:]).lower()


def _title_around(sent: str, at: int, name: str, lang: str) -> str:
    """The title ``sent`` gives the ``name`` written at ``at``, lowercased: the words right
    before it ("le président", "rysslands utrikesminister", in Russian and Ukrainian the
    whole title, :func:`_cased_title`) and an apposition after it (:func:`_apposed_title`);
    "" where ``at`` < 0 (the name not found in ``sent``)."""
    if at < 0:
        return ""
    before = (_cased_title(sent[:at]) if lang in CASED_TITLE else "") or \
        " ".join(sent[:at].lower().split()[-_TITLE_REACH:])
    return " ".join([before, _apposed_title(sent[at + len(name):])]).strip()


def _holds_head(words: Sequence[str], head: str) -> bool:
    """Whether a title's lowercase ``words`` hold a description's ``head``: one word holds
    the other ("utrikesministern"/"utrikesminister", "der Minister"/"Verteidigungsminister",
    "министр"/"министра"), the title's word at least five letters long."""
    return any(len(w) >= 5 and (w in head or head in w) for w in words)


def _same_word(a: str, b: str) -> bool:
    """Whether two lowercase words of an office are one word, perhaps in another case
    ("иностранных"/"иностранных", "россии"/"россия"): equal, or the same first five
    letters."""
    return a == b or (len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5])


def _pronoun(speaker: str) -> bool:
    """Whether a speaker starts with a pronoun; one that is also an article starts a noun
    phrase ("O Kremlin", "o porta-voz do Kremlin": Portuguese "o", not Azerbaijani "o")."""
    toks = speaker.lower().split()
    return bool(toks) and toks[0] in PRONOUNS and not (len(toks) > 1 and toks[0] in DETERMINERS)


class _Article:
    """One article's sentences and the speaker carried while walking them in order."""

    def __init__(self, sentences: list[str], lang: str | None, title: str = "") -> None:
        # Invisible format characters inside words ("Ver\u00adteidigungsministerin") would
        # cut names and words in every pattern below; the rules read, and speakers come
        # out, without them (the sentence text itself is the caller's, kept as written).
        sentences = [_INVISIBLE.sub("", s) for s in sentences]
        title = _INVISIBLE.sub("", title)
        self.sentences = sentences
        self.langs = lang_key(lang)
        self.lang = self.langs[0]
        self.heading = [is_heading(s) for s in sentences]
        # Quoted speech is masked, and sentences wholly inside a quote are
        # skipped, because nothing said inside a quote names its speaker: a
        # missile or a colleague named in the quote is neither the speaker nor
        # what a later "he said" refers to.
        self.inside = self._inside_quotes()
        self.masked = [mask_quotes(s) for s in sentences]
        self.known, self.mentions, self.titled = self._names()
        # A title kept apart from the text still names people ("Press Briefing by
        # ... Jake Sullivan"), which expands a later "MR. SULLIVAN:"; first, so that
        # names in the text win ties.
        self.known[:0] = [nominative(p, lang=self.lang) if self.lang in SLAVIC else p
                          for p in persons(mask_quotes(title, keep_titles=False), self.lang)] \
            if title else []
        # Surnames expand to these full names: indexed once, as ``known`` stays as it is now.
        self.names = KnownNames(self.known)
        # A briefing label's honorific ("MR. SULLIVAN:") is no full name to expand to.
        self.label_names = KnownNames([k for k in self.known if not HONORIFIC_LABEL.fullmatch(k)])
        found = [(None, "") if inside else explicit(m, self.langs)
                 for m, inside in zip(self.masked, self.inside, strict=True)]
        # raw: speaker found inside the sentence ("" for an anaphor, None for
        # none); how: which rule found it ("label", "acc", "post", "subj", "pron").
        self.raw: list[str | None] = [f[0] for f in found]
        self.how = [f[1] for f in found]
        self._according_mentions()
        self._titled_surnames()
        # head of a description -> the titled names it finds (:meth:`_titled_as`); filled
        # as descriptions come, once ``titled`` is complete.
        self._titled_cache: dict[str, list[tuple[int, str]]] = {}
        # A Russian or Ukrainian head and office -> (sentences, names) of the titled names
        # they find, and the index of the first other person among them.
        self._office_cache: dict[str, tuple[list[int], list[str], int]] = {}
        self.out = [""] * len(sentences)
        # The most recent speaker and the last sentence it was given to.
        self.last_speaker, self.last_idx = "", -1
        # The speaker of the current transcript turn ("" outside transcripts).
        self.turn = ""
        # A speaker announced by a colon line ("Lavrov sade:") for the next quote.
        self.pending = ""
        # The speaker of an interjection whose parenthesis is still open.
        self.interjection, self.interjection_left = "", 0

    def _according_mentions(self) -> None:
        """A source named by "according to" is someone a later "he said" or "sade
        ambassadören" may refer to, wherever in its sentence it stands ("..., according to
        Kremlin spokesman Dmitry Peskov." then '"...," he said.'); it does not become the
        last speaker, so first-person prose after it stays the author's."""
        for i, (raw, how) in enumerate(zip(self.raw, self.how, strict=True)):
            if how != "acc" or not raw:
                continue
            named = persons(raw, self.lang)
            if named:
                self.mentions.append((i, self.finish(named[0])))
            elif TITLE_RE.search(raw):  # "enligt Rysslands ambassadör": by its title only
                self.titled.append((i, raw.lower(), raw))
        self.mentions.sort(key=lambda m: m[0])
        self.titled.sort(key=lambda t: t[0])

    def _titled_surnames(self) -> None:
        """A lone surname that speaks after its title ("Le président Macron a déclaré") is
        whom a later "le président" refers to, as a full name after its title is
        (:meth:`_names`, which finds no lone surnames)."""
        # (sentence, name) of the titled names found already: a set, as scanning the list
        # for each sentence was quadratic in a long article. Those added below are of
        # sentence i, which no later sentence asks about.
        known = {(k, p) for k, _, p in self.titled}
        for i, (raw, how) in enumerate(zip(self.raw, self.how, strict=True)):
            if not raw or how == "label" or len(raw.split()) != 1 or not starts_upper(raw):
                continue
            at = self.masked[i].find(raw)
            if at < 0 or (i, raw) in known:
                continue
            title = _title_around(self.masked[i], at, raw, self.lang)
            if title:
                self.titled.append((i, title, raw))
        self.titled.sort(key=lambda t: t[0])

    def _inside_quotes(self) -> list[bool]:
        """Sentences wholly inside a multi-sentence quote: no quote mark of their own."""
        sents, n = self.sentences, len(self.sentences)
        inside = [False] * n
        i = 0
        while i < n:
            balance = quote_balance(sents[i])
            j = i + 1
            while balance > 0 and j < n and j - i <= _QUOTE_REACH and not self.heading[j]:
                balance += quote_balance(sents[j])
                j += 1
            if quote_balance(sents[i]) > 0 and balance <= 0:
                for k in range(i + 1, j - 1):
                    inside[k] = not has_quote_mark(sents[k])
                i = j
            else:
                i += 1
        return inside

    def _names(self) -> tuple[list[str], list[tuple[int, str]], list[tuple[int, str, str]]]:
        """Personal names outside quotes, as (known, mentions, titled).

        ``known`` holds every name (for surname expansion), ``mentions`` the
        subject-like ones (for pronouns), ``titled`` each with the words right
        before it (for descriptions such as "the minister").
        """
        known: list[str] = []
        mentions: list[tuple[int, str]] = []
        titled: list[tuple[int, str, str]] = []
        for i, text in enumerate(self.sentences):
            if self.inside[i] or PAGE_LABEL.match(text):
                # A page label's words (a linked headline, a photographer) name no one
                # who speaks in the story.
                continue
            sent = mask_quotes(text, keep_titles=False)
            for j, written in enumerate(persons(sent, self.lang)):
                p = nominative(written, lang=self.lang) if self.lang in SLAVIC else written
                if self.lang == "az" and len(p.split()) > 2 and (
                        LOCAL_CASE["az"].search(p.split()[-1])
                        or _AZ_DATIVE.search(p.split()[-1])):
                    # "Mariya Zaxarova Vaşinqtonda", "Barak Obama Bakıya gəlib": a place
                    # in the locative, ablative or dative ends the run.
                    p = " ".join(p.split()[:-1])
                bare = drop_title(p, self.lang)  # "M. Macron" is known as "Macron"
                at = sent.find(written)
                # The title is in the words before the name or in an apposition after it
                # ("M. Macron, le président français,"), for a later "le président".
                title = _title_around(sent, at, written, self.lang)
                if len(bare.split()) < 2:
                    if bare != p and title:
                        # A lone surname after a dropped honorific is no full name to
                        # expand others to, but a title may refer to it.
                        titled.append((i, title, bare))
                    continue
                p = bare
                known.append(p)
                titled.append((i, title, p))
                # A subject-like mention (first name early in the sentence) is what a
                # later pronoun refers to. Slavic word order puts subjects anywhere,
                # but in the nominative ("с Джоном Смитом" is no subject).
                early = sent.find(p.split()[-1]) < len(" ".join(sent.split()[:8]))
                if self.lang in SLAVIC and (p == written or j == 0) or (j == 0 and early):
                    mentions.append((i, p))
        return known, mentions, titled

    def titled_before(self, i: int, description: str) -> str | None:
        """The person last named before sentence ``i`` with the description's head as title.

        "der Bundeskanzler" finds "Bundeskanzler Olaf Scholz", "utrikesministern"
        "utrikesminister Tobias Billström", "президент" "Президент Иван Петров"; "" when no
        one was. In Russian and Ukrainian (:data:`lexicon.CASED_TITLE`) "Министр" finds
        "Министр иностранных дел России Сергей Лавров", and only when no other person was
        named before with that title: None when several were.
        """
        if self.lang in CASED_TITLE:
            return self._cased_titled_before(i, description)
        words = [w for w in description.lower().split() if w not in DETERMINERS]
        # The head noun comes before a complement: "the President of Ukraine".
        words = words[:next((n for n, w in enumerate(words) if w in COMPLEMENT), len(words))]
        if not words:
            return ""
        found = self._titled_as(words[-1])
        at = bisect.bisect_left(found, (i,)) - 1
        return found[at][1] if at >= 0 else ""

    def _cased_words(self, text: str) -> list[str]:
        """A Russian or Ukrainian title or description as lowercase words, a synonym
        written as its title ("Глава МИД" -> ["министр", "иностранных", "дел"])."""
        text = " ".join(text.lower().split())
        for short, full in TITLE_SYNONYMS.get(self.lang, {}).items():
            text = re.sub(rf"(?<!\S){re.escape(short)}(?!\S)", full, text)
        return text.split()

    def _cased_head(self, description: str) -> tuple[str, list[str]]:
        """A Russian or Ukrainian description's head noun and the words of its office after
        it (:meth:`_cased_words`; "Министр обороны" -> ("министр", ["обороны"])); ("", [])
        when no word is a title. A deputy's description keeps its deputy word in the office
        ("Заместитель министра" -> ("министра", ["заместитель"]))."""
        words = self._cased_words(description)
        head = next((n for n, w in enumerate(words) if TITLE_RE.search(w)), None)
        if head is None:
            return ("", [])
        deputy = [w for w in words[:head] if _DEPUTY.match(w)]
        return (words[head], deputy + words[head + 1:])

    def _cased_titled_before(self, i: int, description: str) -> str | None:
        """:meth:`titled_before` for Russian and Ukrainian: the person whose title before
        sentence ``i`` has the description's head and every word of its office ("Глава МИД"
        and "глава МИД России", not "Министр обороны" and "министр иностранных дел")."""
        head, office = self._cased_head(description)
        if not head:
            return ""
        key = " ".join([head, *office])
        if key not in self._office_cache:
            found = []
            for k, context, p in self.titled:
                words = self._cased_words(context)
                # The head as in titled_before; each word of the office in any case.
                # A deputy's title ("заместитель министра ...") answers only a deputy's
                # description: the minister is someone else.
                if _holds_head(words, head) and \
                        all(any(_same_word(o, w) for w in words) for o in office) and \
                        not (any(_DEPUTY.match(w) for w in words)
                             and not any(_DEPUTY.match(o) for o in office)):
                    found.append((k, p))
            people = [self.names.expand(p) for _, p in found]
            # Where a second person with that title is first named.
            second = next((n for n, p in enumerate(people) if p != people[0]), len(people))
            self._office_cache[key] = ([k for k, _ in found], [p for _, p in found], second)
        ks, names, second = self._office_cache[key]
        before = bisect.bisect_left(ks, i)
        if before > second:
            return None
        return names[before - 1] if before else ""

    def _titled_as(self, head: str) -> list[tuple[int, str]]:
        """(sentence, name) of every titled name whose title holds ``head``, in text order.

        Found once per head and article: scanning the titled names for each description
        made long articles quadratic (a Russian article of 4,000 sentences with "сказал
        дипломат" in every tenth one)."""
        if head not in self._titled_cache:
            self._titled_cache[head] = [(k, p) for k, context, p in self.titled
                                        if _holds_head(context.split(), head)]
        return self._titled_cache[head]

    def person_before(self, i: int) -> tuple[int, str]:
        """The last subject-like mention before sentence ``i``: (sentence, name)."""
        # The first mention of the last sentence before ``i`` that has any.
        at = bisect.bisect_left(self.mentions, (i,)) - 1
        if at < 0:
            return (-1, "")
        k = self.mentions[at][0]
        return self.mentions[bisect.bisect_left(self.mentions, (k,))]

    def finish(self, name: str) -> str:
        """A speaker in its final form: nominative, without an English article, and
        expanded to the full name."""
        if self.lang in SLAVIC:
            name = nominative(name, lang=self.lang)
        toks = name.split()
        if self.lang == "en" and len(toks) > 1 and toks[0] in {"the", "The"}:
            # "The State Department said" names the State Department, as "according
            # to the State Department" does.
            name = " ".join(toks[1:])
        surname = name.split()[-1].split(".")[-1] if name.split() else ""
        name = self.names.expand(name)
        if self.lang in MORPH_LANGS and name.split() and name.split()[-1] != surname:
            # The surname was in the nominative ("Д.Сингх:", "сказал Сингх"), the full
            # name seen only in another case ("Далипа Сингха" in the title): the full name
            # in the nominative, when that gives the surname back.
            nominal = nominative(name, True, self.lang)
            firsts = [given_name_nominative(t, self.lang) for t in name.split()[:-1]]
            if nominal.split()[-1] == surname:
                name = nominal
            elif firsts and None not in firsts:
                # A surname the dictionary does not know ("Игорем Руденей"): the first
                # names in the nominative, then the surname as the label gives it.
                name = " ".join([f for f in firsts if f is not None] + [surname])
        article = _ROMANCE_ARTICLES.get(self.lang)
        if article is not None and len(name.split()) > 1 and article.match(name):
            # Likewise "Le Kremlin a dénoncé", "La diplomatie russe a jugé", "O Kremlin
            # afirmou": the source is written without its article, as after "selon"/"segundo"
            # (after the expansion, which may bring back a form seen with its article).
            name = article.sub("", name, count=1)
        return name

    def groups(self) -> list[list[int]]:
        """Sentence indices grouped into quotes; a sentence outside quotes is its own group."""
        out: list[list[int]] = []
        i = 0
        while i < len(self.sentences):
            group = self._quote_group(i)
            out.append(group)
            i = group[-1] + 1
        return out

    def _quote_group(self, i: int) -> list[int]:
        # An unclosed opening quote mark runs until the sentence that closes it;
        # a "– " sentence starts a dash quote that the following sentences
        # continue until one names the speaker after the quote.
        sents, raw, n = self.sentences, self.raw, len(self.sentences)
        s = sents[i].strip()
        group = [i]
        balance = quote_balance(s)
        if balance > 0 and (opens_quote(s) or raw[i] is not None):
            j = i + 1
            while j < n and balance > 0 and raw[j - 1] is None and not self.heading[j]:
                balance += quote_balance(sents[j])
                group.append(j)
                j += 1
        elif s[:1] in "–—" and raw[i] is None:
            end = self._dash_attribution(i)
            if end is not None:
                return list(range(i, end + 1))
            j = i + 1
            while j < n and raw[j - 1] is None and sents[j].strip()[:1] not in "–—" \
                    and not self.heading[j] and looks_like_speech(sents[j]) \
                    and j - i < _DASH_REACH:
                group.append(j)
                j += 1
        return group

    def _dash_attribution(self, i: int) -> int | None:
        """The sentence after dash quote ``i`` that names its speaker (", säger X"), if any."""
        sents = self.sentences
        j = i + 1
        while j < len(sents) and j - i < _DASH_REACH and not self.heading[j] and \
                sents[j].strip()[:1] not in "–—" and not opens_quote(sents[j]):
            if self.raw[j] is not None:
                return j if self.how[j] == "post" else None
            j += 1
        return None

    def run(self) -> list[str]:
        """Attribute every group in order and return the speaker of each sentence."""
        for group in self.groups():
            self._attribute(group)
        return self.out

    def _starts_turn(self, group: list[int]) -> bool:
        """Handle a heading line: a transcript turn label starts a turn, others end it."""
        g0 = group[0]
        if not (self.heading[g0] and len(group) == 1):
            return False
        label = turn_label(self.sentences[g0])
        if label:
            self.turn = label
            self.last_speaker, self.last_idx = label, g0
        else:
            self.turn = ""
        return True

    def _interjection(self, group: list[int]) -> bool:
        """Attribute a parliamentary interjection (and the rest of its open parenthesis)."""
        # Soft hyphens (U+00AD) from the record's typesetting split names.
        text = " ".join(self.sentences[k] for k in group).replace("\xad", "")
        found = list(BRACKET_LABEL.finditer(text))
        if found:
            # The name right before "[PARTY]:" speaks; names listed before it do not.
            speaker = person_part(found[-1].group(1).split(), self.lang)
            open_after = text.count("(") > text.count(")")
            self.interjection, self.interjection_left = \
                (speaker, _INTERJECTION_REACH) if open_after else ("", 0)
        elif self.interjection and self.interjection_left > 0:
            speaker = self.interjection
            self.interjection_left -= 1
            if ")" in text or not self.interjection_left:
                self.interjection = ""
        else:
            return False
        for k in group:
            self.out[k] = speaker
        return True

    def _named_speaker(self, group: list[int]) -> tuple[str | None, bool]:
        """The speaker named in the group (None: none) and whether it is a name, not an anaphor."""
        found = [k for k in group if self.raw[k] is not None]
        if not found:
            return (self.pending or None), False
        k0 = found[-1] if self.raw[found[-1]] else found[0]
        speaker = self.raw[k0]
        # "Der Kreml wies ... zurück": a subject noun is named, not an anaphor;
        # "The ministry added" is not named by its capital letter.
        toks = (speaker or "").split()
        noun = " ".join(toks[1:] if len(toks) > 1 and toks[0].lower() in DETERMINERS else toks)
        named = bool(speaker) and not _pronoun(speaker) and (
            self.how[k0] == "acc" or self.how[k0] == "subj"
            and bool(re.search(rf"(?:^|\s)[{UPPER}]", noun)))
        return speaker, named

    def _titled_description(self, speaker: str) -> bool:
        """Whether a named speaker is a description by title that may refer back
        (lexicon.TITLED_DESCRIPTION: a capitalised subject, "Statsministern", "Der
        Präsident", "Президент", or a source, "enligt statsministern")."""
        rx = TITLED_DESCRIPTION.get(self.lang)
        if rx is None or rx.fullmatch(speaker) is None:
            return False
        if self.lang in CASED_TITLE:
            # The head noun comes first, its office after it: "Глава МИД", "Министр
            # иностранных дел".
            return bool(self._cased_head(speaker)[0])
        return TITLE_RE.search(speaker.split()[-1]) is not None

    def _continues_speech(self, group: list[int], quoted: bool) -> bool:
        """Whether an unattributed group continues the previous speaker's speech."""
        g0 = group[0]
        if not self.last_speaker:
            return False
        adjacent = g0 - self.last_idx <= 1
        # German reported speech (Konjunktiv I) continues the previous speaker.
        if adjacent and self.lang == "de" and KONJUNKTIV.search(self.sentences[g0]):
            return True
        if quoted:
            return True
        # Unattributed first-person prose after a named speaker is the rest of
        # that speech (interviews, transcripts, debate speeches), unless the author
        # spoke in the first person before that speaker was named: then the document
        # is the author's own speech, and so is its first-person prose.
        return adjacent and all(first_person(self.sentences[k]) for k in group) and \
            not self._author_speaks_before(self.last_idx)

    def _author_speaks_before(self, i: int) -> bool:
        """Whether the author speaks in the first person, outside quotes and turns, in an
        unattributed sentence before sentence ``i``."""
        return any(not self.out[k] and self.raw[k] is None and not self.inside[k]
                   and not self.heading[k] and first_person(self.masked[k]) for k in range(i))

    def _attribute(self, group: list[int]) -> None:
        g0 = group[0]
        if self._interjection(group) or self._starts_turn(group):
            return
        if self.how[g0] == "label":
            raw = self.raw[g0] or ""
            honorific = HONORIFIC_LABEL.fullmatch(raw.strip())
            if honorific:
                # "MR. SULLIVAN:" is the "Jake Sullivan" named elsewhere in the text
                # (finish expands a surname), or "Sullivan" when he is not.
                raw = "-".join(p[:1].upper() + p[1:].lower()
                               for p in honorific.group(1).split("-"))
                raw = self.label_names.expand(raw)
            label = self.finish(raw)
            # A turn label is a full name, an initial with a surname ("В.Путин:") or
            # an honorific with a surname.
            if honorific or len(label.split()) >= 2 or INITIAL_SURNAME.fullmatch(label):
                self.raw[g0] = label
                self.turn = label
                self.last_speaker, self.last_idx = label, g0
            else:
                self.raw[g0] = None
        if self.sentences[g0].lstrip()[:1] in "([":
            return
        if QUESTION_TURN.match(self.sentences[g0]):
            # "Q: Will there be more?" in a briefing: the journalist's turn (no source)
            # ends the official's turn.
            self.turn = ""
            self.last_speaker = ""
            return
        if self.turn:
            for k in group:
                self.out[k] = self.turn
            return
        speaker, named = self._named_speaker(group)
        if named and speaker and self._titled_description(speaker):
            # "Statsministern tillade", "Der Präsident fügte hinzu", "Президент добавил",
            # "Enligt statsministern" after the person was named with that title: that
            # person, as "the president added" is in English; without one the description
            # stays the speaker; with several (Russian and Ukrainian) no one is.
            titled = self.titled_before(g0, speaker)
            if titled is None:
                self.pending = ""
                for k in group:
                    self.out[k] = ""
                return
            speaker = titled or speaker
        self.pending = ""
        if speaker is None and len(group) == 1 and self.sentences[g0].rstrip().endswith(":") \
                and (intro := QUOTE_INTRO.search(self.masked[g0])):
            named_after = persons(self.masked[g0][intro.end():], self.lang)
            if named_after:
                self.pending = self.finish(named_after[0])
                self.last_speaker, self.last_idx = self.pending, g0
                return
        quoted = len(group) > 1 or self.sentences[g0].strip()[:1] in "–—" or \
            opens_quote(self.sentences[g0])
        if speaker is None and self._continues_speech(group, quoted):
            speaker = ""
        if speaker is None:
            return
        # A description after a speech verb ("said the silver-haired leader") refers back.
        post = any(self.how[k] == "post" for k in group)
        if speaker == "" or (not named and (is_anaphor(speaker) or post and
                                            speaker.split()[0].lower() in DEFINITE)):
            speaker = self._resolve(group, speaker, quoted)
            if speaker:
                self.last_speaker, self.last_idx = speaker, group[-1]
        else:
            speaker = self.finish(speaker)
            # "According to various statistics, ..." attributes one sentence; the
            # first-person prose after it is still the author's, not the statistics'.
            if any(self.how[k] not in {"acc", ""} for k in group if self.raw[k] is not None):
                self.last_speaker, self.last_idx = speaker, group[-1]
        if len(group) == 1 and self.sentences[g0].rstrip().endswith(":"):
            # "Lavrov said:" introduces the quote: the quote lines carry the speaker.
            self.pending = speaker
            return
        for k in group:
            self.out[k] = speaker

    def _resolve(self, group: list[int], speaker: str, quoted: bool) -> str:
        """The person an anaphor ("he said", "the minister") in ``group`` refers to.

        A pronoun after the last speaker's sentence takes the person named as a
        subject since then, if any; a description ("the minister") the person
        last named with that title; otherwise an anaphor is the last speaker.
        With no one to refer to, a description is the source itself, without
        its article ("Однако президент признал" -> "президент").
        """
        if speaker and not _pronoun(speaker):
            titled = self.titled_before(group[0], speaker)
            if titled is None:
                # Several persons were named with that title: no one to refer to.
                return ""
            if titled:
                return self.finish(titled)
        k, p = self.person_before(group[0])
        if p and k > self.last_idx and (
                quoted or any(self.how[x] in {"post", "subj"} for x in group)):
            return self.finish(p)
        if self.last_speaker or not speaker or _pronoun(speaker):
            return self.last_speaker
        toks = speaker.split()
        return " ".join(toks[1:] if len(toks) > 1 and toks[0].lower() in DETERMINERS else toks)


def assign_sources(sentences: list[str], lang: str | None = None, title: str = "") -> list[str]:
    """Speaker of each sentence's quote/reported statement, "" when the outlet asserts it.

    ``sentences`` are the sentences of one article in order; attribution
    carries across sentences for multi-sentence quotes, transcript turns and
    pronouns. ``lang`` is the article's language code ("sv", "ru", ...); its
    rules are tried, and unknown or missing codes fall back to the first set.
    ``title``, when the article has one, only lends its names for expanding
    surnames; it is never attributed.
    """
    return _Article(sentences, lang, title).run()


def sentence_speakers(texts: Sequence[str], langs: Sequence[str | None]) -> list[str]:
    """The speaker of each of ``texts`` read as a lone sentence (no article around it).

    Each text is attributed by itself in its language: ``langs[i]``, or the language
    :func:`~geostance.text.language.detect_language` finds in it when that is None or
    "". This is how ``predict.py --unit sentence`` and ``Predictor.predict_sentences``
    find a sentence's speaker.
    """
    if len(texts) != len(langs):
        raise ValueError(f"sentence_speakers: {len(texts)} texts but {len(langs)} languages")
    return [assign_sources([t], lang or detect_language(t))[0]
            for t, lang in zip(texts, langs, strict=True)]


def sources_by_document(texts: Sequence[str], doc_ids: Sequence[str],
                        langs: Sequence[str | None], titles: Sequence[str] | None = None
                        ) -> list[str]:
    """:func:`assign_sources` over sentences of many documents, aligned with ``texts``.

    Sentences are grouped by ``doc_ids`` in the order given (each document's
    sentences must be in reading order); a document's language and title are
    those of its first sentence that has one.
    """
    groups: dict[str, list[int]] = {}
    for i, d in enumerate(doc_ids):
        groups.setdefault(d, []).append(i)
    out = [""] * len(texts)
    for idx in groups.values():
        lang = next((langs[i] for i in idx if langs[i]), None)
        title = next((titles[i] for i in idx if titles[i]), "") if titles is not None else ""
        for i, src in zip(idx, assign_sources([texts[i] for i in idx], lang, title), strict=True):
            out[i] = src
    return out
