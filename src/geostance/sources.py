"""Rule-based attribution: who is speaking in each sentence of an article.

``assign_sources`` returns, per sentence, the speaker of a quote or reported
statement, or "" when the outlet itself asserts it. Rules, in order:

* explicit attribution in the sentence: a speech verb next to a name
  ("säger X", "X said", "— заявил X", "sagte X", "X warnte"), a source
  preposition ("enligt X", "according to X", "по словам X", "laut X") or a
  transcript label ("В.Путин: ...");
* a quote spanning several sentences (open quote mark, or Nordic "– " dash
  paragraphs) takes the speaker named anywhere in it, usually the last part;
* a pronoun or a bare description ("he said", "säger han", "сказал он",
  "sagte der SPD-Politiker") resolves to the most recent named speaker.

Names are returned as written but with leading titles dropped: "Rysslands
utrikesminister Sergej Lavrov" -> "Sergej Lavrov", because titles vary between
mentions while the name identifies the speaker. A bare surname is expanded to
the full name seen elsewhere in the article ("Medvedev" -> "Dmitri Medvedev").
Subjects without a personal name ("Kreml", "En ledamot av statsduman") are
kept whole.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

__all__ = ["assign_sources", "main"]

# Speech/statement verbs per language (finite forms that news prose uses).
_VERBS = {
    "sv": "säger|sade|sa|skriver|menar|anser|hävdar|varnar|uppger|konstaterar|betonar|"
          "understryker|påpekar|förklarar|framhåller|tillägger|berättar|kommenterar|"
          "meddelar|svarar|frågar|fortsätter|varnade|menade|hävdade|skrev|uppgav|"
          "konstaterade|betonade|underströk|påpekade|förklarade|tillade|berättade|"
          "meddelade|svarade|kallade|kallar|sagt|hotar|hotade|lovar|lovade|kräver|krävde",
    "en": "says|said|warned|warns|told|tells|added|adds|stated|states|claimed|claims|"
          "argued|argues|insisted|insists|noted|notes|wrote|writes|declared|announced|"
          "stressed|emphasised|emphasized|explained|suggested|asked|replied|believes|"
          "accused|urged|vowed|threatened|called|described|has said|had said|said on",
    "de": "sagte|sagt|sagen|erklärte|erklärt|betonte|betont|warnte|warnt|meinte|meint|"
          "schrieb|schreibt|kritisierte|kritisiert|fügte|ergänzte|forderte|fordert|"
          "bekräftigte|versicherte|drohte|droht|nannte|nennt|bezeichnete|sprach|spricht|"
          "behauptete|behauptet|unterstrich|teilte|kündigte|räumte|hieß",
    "ru": "заявил|заявила|заявили|сказал|сказала|сказали|отметил|отметила|отметили|"
          "подчеркнул|подчеркнула|добавил|добавила|сообщил|сообщила|сообщили|"
          "пояснил|пояснила|считает|полагает|заявляет|говорит|предупредил|"
          "предупредила|назвал|назвала|назвали|написал|написала|указал|указала|"
          "уточнил|уточнила|напомнил|напомнила|констатировал|пригрозил|признал",
    "uk": "заявив|заявила|заявили|сказав|сказала|наголосив|наголосила|додав|додала|"
          "зазначив|зазначила|повідомив|повідомила|підкреслив|написав|вважає|каже",
    "bg": "заяви|каза|каза още|подчерта|добави|отбеляза|посочи|съобщи|написа|смята|"
          "предупреди|коментира|обяви|твърди",
    "fi": "sanoo|sanoi|kertoo|kertoi|toteaa|totesi|korostaa|korosti|muistuttaa|muistutti|"
          "uhkaa|uhkasi|sanoi|arvioi|arvioi|kirjoittaa|kirjoitti|varoittaa|varoitti|"
          "vakuuttaa|vakuutti|painottaa|painotti|huomauttaa|huomautti|katsoo",
    "pl": "powiedział|powiedziała|mówi|mówił|stwierdził|stwierdziła|zapewnił|zapewniła|"
          "podkreślił|podkreśliła|dodał|dodała|zaznaczył|zaznaczyła|ocenił|oceniła|"
          "ostrzegł|ostrzegła|napisał|napisała|oświadczył|oświadczyła|przekonywał|"
          "przekonywała|poinformował|poinformowała|zapowiedział|uważa|straszy|"
          "oznajmił|przyznał|wskazał|mówią",
    "fr": "a déclaré|a dit|a affirmé|a estimé|a souligné|a ajouté|a averti|a expliqué|"
          "déclare|affirme|estime|souligne|ajoute|explique|avertit|a assuré|assure|"
          "a jugé|juge|a prévenu|dit",
    "pt": "disse|afirmou|declarou|sublinhou|acrescentou|alertou|defendeu|explicou|"
          "afirma|diz|considera|considerou|garantiu|advertiu|escreveu|salientou",
    "az": "bildirib|deyib|qeyd edib|vurğulayıb|söyləyib|açıqlayıb|xatırladıb",
}
# Source prepositions followed by the source ("enligt X", "по словам X").
_ACCORDING = {
    "sv": r"enligt",
    "en": r"according to",
    "de": r"laut|nach Angaben (?:des|der|von)|zufolge|so",
    "ru": r"по словам|по мнению|по данным|как (?:заявил|заявила|сообщил|сообщила|отметил|"
          r"отметила|сказал|сказала|подчеркнул|пишет|считает)",
    "uk": r"за словами|на думку|як (?:заявив|заявила|зазначив|повідомив)",
    "bg": r"според|по думите на",
    "pl": r"według|zdaniem|jak (?:powiedział|mówi|podkreślił|zaznaczył|poinformował)",
    "fr": r"selon|d'après",
    "pt": r"segundo|de acordo com",
    "fi": r"",
    "az": r"",
}
_PRONOUNS = frozenset(
    "he she they han hon de hen er sie он она они він вона вони той тя те on ona oni "
    "hän he il elle ils elles ele ela eles o".split()
)
# Words that introduce a title rather than a name; dropped from the front.
_DETERMINERS = frozenset(
    "the a an der die das den dem des ein eine einer einem la le les l' o a os as um uma "
    "en ett".split()
)
_UPPER = r"A-ZÅÄÖÆØÜÉÈÁÍÓÚÇÑŁŚŻŹĆŃÓĘĄŠŽČŘÝİƏÖÜĞŞА-ЯЁІЇЄҐ"
_NAME_TOKEN = rf"(?:[{_UPPER}][\w'’.-]*|(?:von|van|der|de|da|dos|al|bin|ibn)(?= [{_UPPER}]))"
_NAME = rf"{_NAME_TOKEN}(?:[ \u00a0]{_NAME_TOKEN}){{0,4}}"
_OPEN_QUOTES = "«„“\"‚"
_CLOSE_QUOTES = "»“”\"‘’"
_QUOTE_RE = re.compile(r"[«»„“”\"]")
# Non-person transcript labels ("Question:", "Вопрос:") that must not become speakers.
_NOT_SPEAKERS = frozenset(
    "question answer moderator journalist вопрос ответ frage antwort fråga svar kysymys "
    "vastaus pytanie odpowiedź photo foto bild kuva fot source källa quelle lähde date datum "
    "läs lue czytaj читайте read see zobacz kontakt contact weitere autor autorin author "
    "müəllif redaktion toimittaja".split()
)


def _norm(s: str) -> str:
    return " ".join(s.casefold().split())


def _lang_key(lang: str | None) -> list[str]:
    """Languages whose rules apply: the given one first, then all others."""
    lang = (lang or "").lower()[:2]
    order = [lang] if lang in _VERBS else []
    return order + [k for k in _VERBS if k != lang]


def _clean_name(raw: str) -> str:
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
        if re.match(rf"[{_UPPER}]", tok) and not tok.endswith((":s", "s:", "'s", "’s")):
            run.insert(0, tok)
        else:
            break
    if len(run) >= 2 and len(run) < len(toks):
        return " ".join(run)
    if toks[0].lower() in _DETERMINERS and len(toks) == 2 and re.match(r"[a-zäöü]", toks[1]):
        return ""
    return s


def _is_anaphor(name: str) -> bool:
    """A pronoun or a title without a name ("der SPD-Politiker", "minister")."""
    toks = name.split()
    if not toks:
        return True
    if len(toks) == 1 and toks[0].lower() in _PRONOUNS:
        return True
    if all(not re.match(rf"[{_UPPER}]", t) for t in toks):
        return True
    # German definite description: article + one (capitalised) noun.
    if len(toks) == 2 and toks[0].lower() in {"der", "die", "the"}:
        return True
    return False


def _explicit(sentence: str, langs: list[str]) -> str | None:
    """Speaker named in the sentence itself; "" marks an anaphor; None: no attribution."""
    s = sentence.strip()
    for lang in langs[:1] or langs:
        verbs = _VERBS[lang]
        # Transcript label "В.Путин: ..." / "Sauli Niinisto: ...".
        m = re.match(rf"^({_NAME}):\s", s)
        if m and m.group(1).split()[0].lower().strip(".") not in _NOT_SPEAKERS:
            return m.group(1)
        acc = _ACCORDING.get(lang)
        if acc:
            # Only the preposition is case-insensitive: the name must be capitalised.
            m = re.search(rf"(?:^|[\s,(])(?i:{acc})\s+((?:\w+\s+){{0,3}}?{_NAME})", s)
            if m:
                return _clean_name(m.group(1))
        # Quote/clause, then verb, then speaker: ", säger X", "» — заявил X", "sagte X".
        m = re.search(rf"(?:[,!?»“”\"]\s*[–—-]?\s*|[–—]\s+)(?:{verbs})\s+(.+?)(?:[.,;:!?]|$)", s)
        if m:
            return _subject_after(m.group(1))
        # Finnish "X:n mukaan" (according to X).
        m = re.search(rf"({_NAME})(?::n|n)\s+mukaan", s)
        if m and lang == "fi":
            return m.group(1)
        # Subject, then verb: "X said (that)", "X menar att", "X заявил, что".
        m = re.search(rf"(?:^|[,:;!?][»”“\"]?\s+|\s(?:och|and|und|и|i|ja|et|e)\s+)"
                      rf"((?:[\w'’:.-]+\s+){{0,7}}?)(?:{verbs})\b", s)
        if m and m.group(1).strip():
            subj = m.group(1).strip()
            after = s[m.end():]
            # Verb-second order ("Redan dagen efter förklarade Kremls talesperson
            # Dmitrij Peskov att"): a name right after the verb is the speaker.
            v2 = re.match(rf"\s+((?:[\w'’:-]+\s+){{0,2}}?)({_NAME})", after)
            if v2 and " " in v2.group(2) and not v2.group(1).strip()[:1].isupper() \
                    and len(subj.split()) >= 2:
                return v2.group(2)
            pro = re.match(r"\s+(\w+)", after)
            if pro and pro.group(1).lower() in _PRONOUNS:
                return ""
            names = re.findall(rf"(?<![\w-]){_NAME_TOKEN}(?: {_NAME_TOKEN})+", subj)
            names = [x for x in names if x.split()[0].lower() not in _DETERMINERS]
            if names and names[-1] != subj:
                return _clean_name(names[-1])
            # Drop adverbials and auxiliaries between subject and verb.
            subj = re.sub(r"\s+(?:hat|har|has|have|had|on|ist|also|also|även|också|"
                          r"today|yesterday|igår|i dag|heute|am \w+|в \w+)$", "", subj)
            name = _clean_name(subj)
            if name and not re.match(r"^(?:It|Det|Es|Это|This|Das|Han|Hon|Er|Sie|He|She|"
                                     r"Он|Она|They|De|Vi|We|I|Jag|Ich|Wir|Мы)\b$", name):
                return name
            if name.split()[0].lower() in _PRONOUNS if name else False:
                return ""
        # Pronoun after quote without comma: "... sa han."
        m = re.search(rf"\b(?:{verbs})\s+(han|hon|he|she|er|sie|он|она|він|вона|той|тя)\b", s)
        if m:
            return ""
    return None


def _subject_after(text: str) -> str:
    """Speaker following a post-quote verb; "" for pronouns/descriptions."""
    toks = text.split()
    if toks and toks[0].lower() in _PRONOUNS:
        return ""
    # Keep the part up to the first lowercase word after a name run:
    # "premiärminister Irakli Kobachidze i parlamentet" -> title + name.
    m = re.search(rf"^((?:[\w'’:-]+\s+){{0,3}}?)({_NAME})", text)
    if m:
        name = m.group(2)
        # A lone capitalised German noun after "der/die" is a description.
        if m.group(1).strip().lower() in {"der", "die", "the"} and " " not in name:
            return ""
        return name
    return ""


def _full_name(name: str, known: list[str]) -> str:
    """Expand a surname (possibly inflected, or with an initial) to a known full name."""
    toks = name.split()
    if not toks:
        return name
    last = toks[-1].split(".")[-1]
    if len(toks) > 2 or (len(toks) == 2 and not re.match(r"^\w\.?$", toks[0])):
        return name
    if "." in toks[0] and len(toks) == 1:
        last = toks[0].split(".")[-1]
    stem = last[: max(4, len(last) - 2)].lower()
    if len(last) < 4:
        return name
    for full in reversed(known):
        ftoks = full.split()
        if len(ftoks) >= 2 and ftoks[-1].lower().startswith(stem):
            # A long first token of a 3-token run is usually a capitalised
            # (German) title noun: "Geheimdienstchef Kaupo Rosin".
            if len(ftoks) >= 3 and len(ftoks[0]) >= 11:
                return " ".join(ftoks[1:])
            return full
    return name


def assign_sources(sentences: list[str], lang: str | None = None) -> list[str]:
    """Speaker of each sentence's quote/reported statement, "" when the outlet asserts it.

    ``sentences`` are the sentences of one article in order; attribution
    carries across sentences for multi-sentence quotes and pronouns.
    """
    langs = _lang_key(lang)
    # Full names (2-3 capitalised tokens) mentioned anywhere, for surname
    # expansion. A sentence-initial word is capitalised anyway ("Enligt
    # Kreml"), so it is dropped from a run that starts the sentence.
    known: list[str] = []
    for sent in sentences:
        for m in re.finditer(rf"\b[{_UPPER}][\w-]+(?: [{_UPPER}][\w-]+){{1,2}}\b", sent):
            toks = m.group(0).split()
            if m.start() == len(sent) - len(sent.lstrip()):
                toks = toks[1:]
            if len(toks) >= 2:
                known.append(" ".join(toks))

    n = len(sentences)
    raw: list[str | None] = [_explicit(s, langs) for s in sentences]
    out = [""] * n
    last_speaker = ""
    # Group sentences into quotes: an unclosed opening quote mark runs until
    # the sentence that closes it; a Nordic "– " sentence starts a dash quote
    # that the following sentences continue until one names the speaker.
    groups: list[list[int]] = []
    i = 0
    while i < n:
        s = sentences[i].strip()
        group = [i]
        balance = _quote_balance(s)
        if s[:1] in _OPEN_QUOTES and balance > 0:
            j = i + 1
            while j < n and balance > 0 and raw[j - 1] is None:
                balance += _quote_balance(sentences[j])
                group.append(j)
                j += 1
        elif s[:1] in "–—" and raw[i] is None and (lang or "")[:2] in {"sv", "fi", "no", "da", ""}:
            j = i + 1
            while j < n and raw[j - 1] is None and sentences[j].strip()[:1] not in "–—" \
                    and _looks_like_speech(sentences[j]) and j - i < 6:
                group.append(j)
                j += 1
        groups.append(group)
        i = group[-1] + 1

    for group in groups:
        found = [raw[k] for k in group if raw[k] is not None]
        speaker: str | None = None
        if found:
            speaker = found[-1] or found[0]
        quoted = len(group) > 1 or sentences[group[0]].strip()[:1] in _OPEN_QUOTES + "–—"
        if speaker is None and quoted and last_speaker:
            speaker = ""
        # Unattributed first-person prose after a named speaker is the rest of
        # that speech (interviews, transcripts, debate speeches).
        if speaker is None and last_speaker and all(_first_person(sentences[k]) for k in group):
            speaker = ""
        if speaker is None:
            continue
        if speaker == "" or _is_anaphor(speaker):
            speaker = last_speaker
        else:
            speaker = _full_name(speaker, known)
            last_speaker = speaker
        for k in group:
            out[k] = speaker
    return out


def _quote_balance(s: str) -> int:
    """Open minus closed quote marks (straight quotes alternate open/close)."""
    opens = sum(s.count(c) for c in "«„")
    closes = sum(s.count(c) for c in "»")
    straight = s.count('"')
    curly_close = s.count("”")
    curly_open = s.count("“")
    # German „…“ uses “ as the closer; English “…” uses it as the opener.
    if "„" in s or opens:
        closes += curly_open + curly_close
    else:
        opens += curly_open
        closes += curly_close
    return opens - closes + (straight % 2)


def _looks_like_speech(s: str) -> bool:
    """First/second-person prose continues a dash quote; reporting prose does not."""
    return bool(re.search(r"\b(?:vi|jag|oss|vår|våra|mig|me|minä|meidän|we|I|our)\b", s,
                          re.IGNORECASE))


_FIRST_PERSON = re.compile(
    r"(?<!\w)(?:vi|jag|oss|vår|våra|vårt|mig|we|our|us|I|wir|ich|uns|unser|unsere|мы|я|нас|наш|"
    r"наша|наши|нашей|наших|ми|нашої|ние|нас|нашата|me|minä|meidän|meille|my|nasz|nasza|"
    r"nasze|nous|nos|notre|je|nós|nosso|nossa|eu|biz|bizim)(?!\w)")


def _first_person(s: str) -> bool:
    """Whether a sentence speaks in the first person (a quoted voice, not the outlet)."""
    # Case-sensitive "I" avoids the Swedish preposition "i"; the rest are lower-cased.
    return bool(_FIRST_PERSON.search(s[:1].lower() + s[1:] if s[:2] != "I " else s))


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(corpus_dir: str | Path) -> dict[str, dict[str, float]]:
    """Per-language exact/lenient accuracy and has-source precision/recall on a corpus."""
    corpus = Path(corpus_dir)
    langs = {a["article_id"]: a.get("lang") for a in _read_jsonl(corpus / "articles.jsonl")}
    by_article: dict[str, list[dict]] = defaultdict(list)
    for row in _read_jsonl(corpus / "sentences.jsonl"):
        by_article[row["article_id"]].append(row)
    stats: dict[str, list[int]] = defaultdict(lambda: [0] * 6)  # n, exact, lenient, tp, pp, gp
    for aid, rows in by_article.items():
        rows.sort(key=lambda r: r["index"])
        pred = assign_sources([r["text"] for r in rows], langs.get(aid))
        for row, p in zip(rows, pred, strict=True):
            g, p = _norm(row.get("source") or ""), _norm(p)
            lenient = g == p or bool(g and p and (g in p or p in g))
            for key in (langs.get(aid) or "?", "ALL"):
                st = stats[key]
                st[0] += 1
                st[1] += g == p
                st[2] += lenient
                st[3] += bool(g) and bool(p)
                st[4] += bool(p)
                st[5] += bool(g)
    table = {}
    for key in sorted(stats, key=lambda k: (k == "ALL", -stats[k][0], k)):
        n, ex, le, tp, pp, gp = stats[key]
        table[key] = {"sentences": n, "exact": ex / n, "lenient": le / n,
                      "has_src_P": tp / pp if pp else 0.0, "has_src_R": tp / gp if gp else 0.0}
    return table


def format_table(table: dict[str, dict[str, float]], markdown: bool = False) -> str:
    """Render :func:`evaluate` output as plain text or a Markdown table."""
    cols = ["sentences", "exact", "lenient", "has_src_P", "has_src_R"]
    rows = [[k] + [f"{v[c]:.3f}" if isinstance(v[c], float) else str(v[c]) for c in cols]
            for k, v in table.items()]
    head = ["lang"] + cols
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])
    widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]
    fmt = "  ".join(f"{{:>{w}}}" for w in widths)
    return "\n".join(fmt.format(*r) for r in [head, *rows])


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python -m geostance.sources eval [--corpus-dir DIR] [--markdown]``."""
    ap = argparse.ArgumentParser(prog="python -m geostance.sources", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    ev = sub.add_parser("eval", help="accuracy of assigned sources against the corpus")
    ev.add_argument("--corpus-dir", default="data/corpus")
    ev.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args(argv)
    print(format_table(evaluate(args.corpus_dir), markdown=args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
