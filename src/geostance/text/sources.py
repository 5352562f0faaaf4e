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
  "sagte der SPD-Politiker") resolves to the person last named as a subject
  before it, or else the most recent named speaker;
* a dash paragraph ("– ...") runs forward until the sentence that names its
  speaker after the quote (", säger X"), even through third-person sentences;
* verb-second/verb-subject order ("I ett tal sade Putin", "Об этом заявил X")
  takes the subject after the verb;
* a line ending in a colon ("Lavrov sade:") gets "" and hands its speaker to
  the quote that follows; "X ...: „quote" gives the quote to X;
* transcript turns: a label ("В.Путин: ...", "Anf. 12 HANS WALLMARK (M)")
  holds until the next label or heading; German Konjunktiv I sentences right
  after a speaker continue that speaker;
* lines without final punctuation (titles, crossheads) and boilerplate labels
  ("LÄS MER:", "Foto:", "Text:") are never attributed.

Names are returned as written but with leading titles dropped: "Rysslands
utrikesminister Sergej Lavrov" -> "Sergej Lavrov", because titles vary between
mentions while the name identifies the speaker. A bare surname is expanded to
the full name seen elsewhere in the article ("Medvedev" -> "Dmitri Medvedev").
Subjects without a personal name ("Kreml", "En ledamot av statsduman") are
kept whole. Inflected names are put in the nominative cheaply: Slavic
instrumental endings always ("Токаевым" -> "Токаев", "Macronem" -> "Macron"),
genitive endings after a source preposition ("по словам Сергея Лаврова",
"zdaniem Siergieja Markowa"), Finnish genitives before "mukaan"
("Häkkäsen" -> "Häkkänen"); surname expansion prefers the most frequent form.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

from ..fileio import read_jsonl, render_table

__all__ = ["assign_sources", "main"]

# Speech/statement verbs per language (finite forms that news prose uses).
_VERBS = {
    "sv": "säger|sade|sa|skriver|menar|anser|hävdar|varnar|uppger|konstaterar|betonar|"
          "understryker|påpekar|förklarar|framhåller|tillägger|berättar|kommenterar|"
          "meddelar|svarar|frågar|fortsätter|varnade|menade|hävdade|skrev|uppgav|"
          "konstaterade|betonade|underströk|påpekade|förklarade|tillade|berättade|"
          "meddelade|svarade|kallade|kallar|sagt|hotar|hotade|lovar|lovade|kräver|krävde|"
          "anklagar|anklagade|anklagat|avfärdar|avfärdade|avfärdat|beskriver|beskrev|"
          "beskrivit|fördömer|fördömde|påminner|påminde|rapporterar|rapporterade|påstår|"
          "påstod|misstänker|tror|tycker|betraktar|kopplar|talade|talar|frågade|föreslog|"
          "varnat|hävdat|konstaterat|krävt|jämfört|kallat|avvisar|avvisade|vägrar|tackade|"
          "upprepade|upprepar|skämtade|uppmanade|uppmanar|bedömer|befarar|fruktar|"
          "kritiserar|kritiserade|välkomnade|välkomnar|medger|medgav|uppgett|förnekar|"
          "förnekade|understrukit|menat|påpekat|skrivit|tillbakavisar|tillbakavisade|lovat|"
          "hotat|beskyller|ifrågasätter|ifrågasatte|förklarat|meddelat|svarat|framställer|"
          "framställt|framställde|diskuterat|noterar|noterade|skyller|skyllde|föreslagit|"
          "föreslår|avslöjar",
    "en": "says|said|warned|warns|told|tells|added|adds|stated|states|claimed|claims|"
          "argued|argues|insisted|insists|noted|notes|wrote|writes|declared|announced|"
          "stressed|emphasised|emphasized|explained|suggested|asked|replied|believes|"
          "accused|urged|vowed|threatened|called|described|has said|had said|said on|"
          "accuses|denounced|condemned|condemns|rejected|rejects|dismissed|dismisses|"
          "recalled|pointed out|describes|say|reported|reports|confirmed|confirms|promised|"
          "pledged|welcomed|welcomes|criticised|criticized|blamed|blames|acknowledged|"
          "admitted|denied|denies|predicted|questioned|praised|repeated|reiterated|"
          "proposed|demanded|demands|complained|hailed|labelled|labeled|branded|dubbed|"
          "slammed|fears|feared|maintains|maintained|contends|alleged|alleges|assured|"
          "insist|warn|argue|believe|claim|think|thinks|offered|joked|calls|recalls|admits|"
          "suggests|signalled|signaled",
    "de": "sagte|sagt|sagen|erklärte|erklärt|betonte|betont|warnte|warnt|meinte|meint|"
          "schrieb|schreibt|kritisierte|kritisiert|fügte|ergänzte|forderte|fordert|"
          "bekräftigte|versicherte|drohte|droht|nannte|nennt|bezeichnete|sprach|spricht|"
          "behauptete|behauptet|unterstrich|teilte|kündigte|räumte|hieß|berichtete|"
          "berichtet|bestreitet|bestritt|beteuert|beteuerte|feiern|feierte|warnen|"
          "kritisieren|fordern|sieht|sehen|glaubt|glauben|findet|polterte|formuliert|"
          "formulierte|erklären|verwies|verweist|mahnte|mahnt|betonen|bezeichnet|"
          "bezeichnen|nennen|behaupten|vermutet|befürchtet|befürchten|fürchtet|fürchten|"
          "hofft|lobte|verurteilte|verurteilt|dementierte|dementiert|wies|weist|warf|wirft|"
          "lehnte|lehnt|zeigte|beschrieb|beschreibt|argumentiert|argumentierte|antwortete|"
          "fragte|klagte|beklagte|sprachen|meinen|erklärten|warnten|forderten|vorgeworfen|"
          "gewarnt|gesagt|festgehalten|verteidigte|verteidigt|kritisierten|bestätigte|"
          "bestätigt|unterstrichen",
    "ru": "заявил|заявила|заявили|сказал|сказала|сказали|отметил|отметила|отметили|"
          "подчеркнул|подчеркнула|добавил|добавила|сообщил|сообщила|сообщили|пояснил|"
          "пояснила|считает|полагает|заявляет|говорит|предупредил|предупредила|назвал|"
          "назвала|назвали|написал|написала|указал|указала|уточнил|уточнила|напомнил|"
          "напомнила|констатировал|пригрозил|признал|выразил|выразила|выразило|выразили|"
          "призвал|призвала|призвало|призвали|отмечают|заявляют|заявляли|заявило|говорят|"
          "пообещал|пообещала|твердит|обвинил|обвинила|обвинило|обвинили|считают|полагают|"
          "уверен|уверена|подчеркивают|подчеркнуло|пишет|пишут|сообщает|сообщают|сообщило|"
          "указывают|утверждает|утверждают|предупреждает|предупредило|допустил|оценил|"
          "оценила|высказал|прокомментировал|ответил|ответила|осудил|осудила|осудило|"
          "осудили|раскритиковал|опроверг|отверг|потребовал|потребовала|потребовало|"
          "настаивает|убежден|отметило|напомнило|назвало|обвиняет|обвиняют|называет|"
          "называют|призывает|опасается|опасаются|признает|заверил|заверила|пригрозила|"
          "пригрозило|говорил|говорила|рассказал|рассказала|сообщал|заявлял|настаивал|"
          "уверяет|указало|объяснил|объяснила|добавило|выступил|признают|повторяет|"
          "повторил|повторила|подтвердил|подтвердила|подтвердили",
    "uk": "заявив|заявила|заявили|сказав|сказала|наголосив|наголосила|додав|додала|"
          "зазначив|зазначила|повідомив|повідомила|підкреслив|написав|вважає|каже|заявило|"
          "наголосили|додали|зазначили|повідомили|повідомляє|пише|пишуть|вважають|кажуть|"
          "сказало|попередив|попередила|закликав|закликала|назвав|назвала|звинуватив|"
          "підкреслила|пояснив|пояснила|нагадав|нагадала|висловив|висловила|відповів|"
          "запевнив|повторює|повторив|заявляє|заявляють",
    "bg": "заяви|каза|каза още|подчерта|добави|отбеляза|посочи|съобщи|написа|смята|"
          "предупреди|коментира|обяви|твърди|заявиха|казаха|подчертаха|добавиха|отбелязаха|"
          "посочиха|съобщиха|смятат|твърдят|предупредиха|коментираха|обявиха|нарече|обвини|"
          "обвиниха|призова|призоваха|настоя|увери|изтъкна|допълни|отговори|определи|"
          "съобщава|съобщават|казва|казват|пише|пишат|заявява|заявяват|заявил|заявила|"
          "казал|казала|подчертал|посочил|добавил",
    "fi": "sanoo|sanoi|kertoo|kertoi|toteaa|totesi|korostaa|korosti|muistuttaa|muistutti|"
          "uhkaa|uhkasi|arvioi|kirjoittaa|kirjoitti|varoittaa|varoitti|vakuuttaa|vakuutti|"
          "painottaa|painotti|huomauttaa|huomautti|katsoo|ilmoitti|ilmoittaa|väittää|"
          "väitti|vihjasi|vihjaa|kommentoi|luonnehtinut|luonnehti|kertonut|sanonut|"
          "todennut|arvioinut|varoittanut|lupaa|lupasi|uhkailee|uhkaili|tuomitsi|tuomitsee|"
          "vaati|vaatii|ehdottanut|ehdotti|syytti|syyttää|kiisti|kiistää|arvostelee|"
          "arvosteli|ennustaa|ennusti|epäilee|uskoo|näkee|toivoo|pelkää|pelkäävät|sanovat|"
          "kertovat|arvioivat|varoittavat|vastasi|vastaa|linjasi|linjaa|totesivat|sanoivat",
    "pl": "powiedział|powiedziała|mówi|mówił|stwierdził|stwierdziła|zapewnił|zapewniła|"
          "podkreślił|podkreśliła|dodał|dodała|zaznaczył|zaznaczyła|ocenił|oceniła|"
          "ostrzegł|ostrzegła|napisał|napisała|oświadczył|oświadczyła|przekonywał|"
          "przekonywała|poinformował|poinformowała|zapowiedział|uważa|straszy|oznajmił|"
          "przyznał|wskazał|mówią|powiedzieli|stwierdzili|podkreślili|dodali|ocenili|"
          "ostrzegli|napisali|oświadczyli|poinformowali|zapowiedzieli|zapowiedziała|"
          "zapowiedziało|oznajmiła|przyznała|wskazała|określił|określiła|oskarżył|"
          "oskarżyła|oskarżyli|zaapelował|zaapelowała|skrytykował|skrytykowała|potępił|"
          "potępiła|zaprzeczył|zaprzeczyła|uznał|uznała|mówiła|mówili|twierdzi|twierdzą|"
          "uważają|ostrzega|ostrzegają|podkreśla|podkreślają|przekonuje|zapewnia|ocenia|"
          "przyznaje|wskazuje|pisze|piszą|alarmuje|oskarża|zarzuca|zarzucił|zarzuciła|"
          "zadeklarował|zadeklarowała|poinformowało|oświadczyło|zapewniło|przekazał|"
          "przekazała|relacjonował|wyjaśnił|wyjaśniła|odpowiedział|odpowiedziała|zauważył|"
          "zauważyła|apeluje|domaga|żąda|zażądał|podziękował|podziękowała|oceniają|"
          "powtarza|powtórzył|przypomniał|przypomniała|zapowiada",
    "fr": "a déclaré|a dit|a affirmé|a estimé|a souligné|a ajouté|a averti|a expliqué|"
          "déclare|affirme|estime|souligne|ajoute|explique|avertit|a assuré|assure|a jugé|"
          "juge|a prévenu|dit|a indiqué|a annoncé|a accusé|a dénoncé|a condamné|a rappelé|"
          "a insisté|a martelé|a réagi|a fustigé|a qualifié|a mis en garde|accuse|dénonce|"
          "condamne|rappelle|insiste|prévient|martèle|qualifie|indique|annonce|ont déclaré|"
          "ont affirmé|ont estimé|ont dénoncé|ont averti|craint|craignent|redoute|"
          "redoutent|avait déclaré|avait affirmé|avait averti|ont démenti|a démenti|dément|"
          "confie|a confié|résume|a résumé",
    "pt": "disse|afirmou|declarou|sublinhou|acrescentou|alertou|defendeu|explicou|afirma|"
          "diz|considera|considerou|garantiu|advertiu|escreveu|salientou|acusou|acusa|"
          "denunciou|condenou|lembrou|insistiu|sublinha|alertam|afirmam|dizem|consideram|"
          "declarou-se|anunciou|criticou|rejeitou|avisou|referiu|indicou|frisou|reiterou|"
          "adiantou|questionou|admitiu|negou|classificou|apelou|pediu|exigiu",
    "az": "bildirib|deyib|qeyd edib|vurğulayıb|söyləyib|açıqlayıb|xatırladıb|deyir|"
          "bildirir|qeyd edir|vurğulayır|söyləyir|açıqlama verib|bəyan edib|"
          "diqqətə çatdırıb|xəbərdarlıq edib|çağırış edib|ittiham edib|deyilir|bildirilib|"
          "qeyd olunub|vurğulanıb|iddia edib|adlandırıb|adlandırır|bəyan edir",
}
_VERB_SET = {k: {w for w in v.split("|") if " " not in w} for k, v in _VERBS.items()}
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
_ACC_WORDS = frozenset("enligt laut według zdaniem selon segundo según according mukaan "
                       "според".split())
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


# Title / function words that precede a personal name ("Utrikesminister",
# "Spokesman", "Представитель", "Rzecznik"): dropped from a capitalised run.
_TITLE_RE = re.compile(
    r"(?i)(minist|presid|präsid|frau$|forscher|experte|botschafter|berater|premier|kanzler|sekret|secretar|chef|sprech|spokes|talesp|talsp|"
    r"colonel|general|^gen$|^sir$|^dr\.?$|^prof|kommissar|ledare|ledaren|råd|rådet|direkt|director|"
    r"ordförande|chair|ambassad|botschaft|представ|министр|президент|посол|глава|генерал|"
    r"эксперт|expert|analyt|politolog|politiker|rzecznik|rzeczniczka|szef|wicepremier|"
    r"presidentti|ministeri|puhemies|johtaja|päällikkö|pääministeri|leiter|führer|"
    r"sprecherin|journalist|reporter|programledare|redaktör|kommentator|professor|"
    r"marshal|admiral|senator|governor|mayor|bürgermeister|borgmästare|talman|"
    r"speaker|commander|befälhavare|kapitän|oberst|major|lieutenant|captain|kaptajn|"
    r"советник|директор|депутат|министър|премиер|говорител|посланик|секретар|"
    r"ministro|primeiro|porta-voz|ministre|porte-parole|nazirи|nazir|sədr|prezident)")
_PARTICLES = frozenset("von van der de da dos al bin ibn la le di du ter".split())


def _person_part(run: list[str]) -> str:
    """The personal name at the end of a capitalised run ("Sprecher Dmitri Peskow")."""
    toks = list(run)
    # Drop leading title words, genitives ("Natos", "USA:s", "Ирана") and acronyms ("МИД").
    while len(toks) > 2:
        t = toks[0]
        if _TITLE_RE.search(t) or t.endswith((":s", "s", "’s", "'s")) or \
                (t.isupper() and len(t) > 1) or re.search(r"(?:ии|ы|а|я|ого|ей)$", t) \
                or re.search(r"(?:la|ra|wa|ta|ka|ny|wy|sy|ii|ego|iej)$", t) \
                or len(t) >= 11 or (len(t) >= 8 and "-" not in t and len(toks) >= 3
                                    and not t.endswith(("ov", "ev", "in"))):
            toks = toks[1:]
            continue
        break
    if len(toks) == 2 and _TITLE_RE.search(toks[0]) and "-" not in toks[0]:
        return " ".join(toks)
    if len(toks) > 3:
        keep = toks[-2:]
        i = len(toks) - 3
        while i >= 0 and (toks[i].lower() in _PARTICLES or len(toks[i].rstrip(".")) == 1):
            keep.insert(0, toks[i])
            i -= 1
        if i >= 0 and keep[0].lower() in _PARTICLES:
            keep.insert(0, toks[i])
        toks = keep
    return " ".join(toks)


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
        return _person_part(run)
    # Apposition "flygplatsbolaget Swedavia": the name, not the common noun.
    if len(run) == 1 and len(toks) >= 2 and not re.match(rf"[{_UPPER}]", toks[-2]) and \
            toks[-2].lower() not in _NP_STOP | _PARTICLES | _DETERMINERS | _INDEF and \
            toks[-2].lower() not in {"från", "from", "von", "aus", "of", "av", "till"}:
        return run[0]
    if len(run) >= 3:
        return _person_part(run)
    if toks[0].lower() in _DETERMINERS and len(toks) == 2 and re.match(r"[a-zäöü]", toks[1]):
        return ""
    return s


_INDEF = frozenset("en ett a an ein eine einer eines un une um uma jeden jedna jedno flera several "
                   "many mehrere viele some några".split())
# Words that start an adverbial before a verb-second/verb-subject clause
# ("I ett tal sade Putin", "Об этом заявил X", "Redan dagen efter förklarade X").
_INVERSION = frozenset(
    "i vid från under efter redan sedan nu därför samtidigt tidigare på med om för när där då "
    "in im am bei nach vor auf dabei zuletzt offiziell damit danach zudem seit gestern heute "
    "at on in during after об в во на по при после среди такое такую этот это об этом ранее "
    "w we podczas na po zaraz potem wcześniej tuż "
    "nyt myös aiemmin kun "
    "dans lors après selon em no na durante após "
    "tatsächlich nur gleichzeitig zudem außerdem indes jedoch dann deshalb daher hier dort "
    "inzwischen bisher now today then here first second third finally however "
    "miksi mitä miten kuka missä milloin "
    "hur vem wer wie warum how why who var när".split())
_CONJ = frozenset("men och and but aber und yet so doch а но и i ale a ja mutta mais et mas e "
                  "jednocześnie tymczasem zugleich".split())
# Auxiliaries/adverbs that end a pre-verb subject ("Kreml har tidigare sagt").
_SUBJ_STOP = frozenset(
    "har hade har hat hatte has had have is was ist war är var kommer ska skall kan will would "
    "också även också tidigare redan nu även heute auch bereits also already again "
    "ранее также уже тоже вновь снова неоднократно dagegen jedoch allerdings zuletzt "
    "również już wcześniej podczas dagegen samtidigt dock ju on oli ovat myös "
    "на в во при dabei zwar wiederholt".split())
_ADVERBIAL = re.compile(
    r"(?i)^(?:вместе с тем|в свою очередь|при этом|кроме того|тем временем|затем|позже|также|"
    r"между тем|в то же время|jednocześnie|z kolei|tymczasem|zugleich|unterdessen|"
    r"meanwhile|however|samtidigt|dessutom|sen|myöhemmin)[ ,]+")
_NP_STOP = frozenset(
    "пред перед с со для em à ao na no przed an gegenüber på i in im am at on to till vid efter "
    "under med в во на w we dla podczas po auf bei vor för for after before dziennikarzom "
    "toimittajille while during när als".split())
_NOT_SUBJ = frozenset("what vad was co что то "
                      "that att dass что że että som who which wer vem hur how is are was were "
                      "är var ist sind war shows visar has have if om wenn если jeśli jos "
                      "när when als wann когда kiedy kun".split())
_ORG_RE = re.compile(
    r"(?i)(commission|ministry|council|party|committee|office|department|agency|union|"
    r"ministerium|kommission|partei|министерств|совет|парти|комисси|ministerstw|"
    r"departement|parti|kommitté|myndighet|ministeriö|puolue|hallitus|forces|armed)")
_OBLIQUE_CUE = re.compile(r"(?i)(по словам|по мнению|за словами|на думку|zdaniem|według|"
                          r"słowami|по данным|по думите на|с |со |z |with )\s*$")


def _is_anaphor(name: str) -> bool:
    """A pronoun or a title without a name ("der SPD-Politiker", "minister")."""
    toks = name.split()
    if not toks:
        return True
    if len(toks) == 1 and toks[0].lower() in _PRONOUNS:
        return True
    if toks[0].lower() in _INDEF:
        return False
    if all(not re.match(rf"[{_UPPER}]", t) for t in toks) and len(toks) <= 2:
        return True
    # Definite description: article + one (capitalised) noun ("der Norweger").
    if len(toks) == 2 and toks[0].lower() in {"der", "die", "the"}:
        return True
    return False


_RUN_RE = re.compile(rf"(?<![\w-])[{_UPPER}][\w'’.-]*(?:[ \u00a0](?:(?:von|van|der|de|da|dos|al|"
                     rf"bin|ibn|ter|di|du|la)[ \u00a0])*[{_UPPER}][\w'’.-]*)+")


def _persons(text: str) -> list[str]:
    """Personal names (2-4 capitalised tokens, titles and genitives dropped) in a text."""
    out = []
    for m in _RUN_RE.finditer(text):
        run = [t.rstrip(".,") for t in m.group(0).split()]
        if m.start() == 0 and len(run) >= 2 and (run[0].lower() in _INVERSION | _CONJ
                                                  or run[0].lower() in _INDEF | _ACC_WORDS):
            run = run[1:]
        if len(run) < 2:
            continue
        name = _person_part(run)
        toks = name.split()
        if len(toks) < 2 or len(toks) > 4 or any(_TITLE_RE.search(t) for t in toks) \
                or _ORG_RE.search(name) or any(t.endswith((":s", "'s", "’s")) for t in toks) \
                or any(t.isupper() and len(t) > 1 for t in toks):
            continue
        out.append(name)
    return out


def _nominative(name: str, oblique: bool = False) -> str:
    """Cheap nominative for Slavic names: instrumental always, genitive after a cue."""
    out = []
    for t in name.split():
        if re.search(r"[а-яё]", t):
            t2 = re.sub(r"(ов|ев|ёв|ин|ын)ым$", r"\1", t)
            t2 = re.sub(r"(?<=[бвгджзклмнпрстфхцчшщ])ом$", "", t2)
            t2 = re.sub(r"(ов|ев|ин)ой$", r"\1а", t2)
            if oblique and t2 == t:
                t2 = re.sub(r"(ов|ев|ёв|ин|ын)а$", r"\1", t)
                t2 = re.sub(r"ия$", "ий", t2) if t2 == t else t2
                t2 = re.sub(r"ея$", "ей", t2) if t2 == t else t2
                t2 = re.sub(r"(?<=[бвгджзклмнпрстфхцчшщ])а$", "", t2) if t2 == t else t2
            out.append(t2)
        elif re.search(r"[a-ząćęłńóśźż]", t) and re.search(r"[łąęśćńźż]|em$|ego$", t) or oblique:
            t2 = re.sub(r"(?<=[bcdfghklmnprstwz])em$", "", t)
            if oblique and t2 == t:
                t2 = re.sub(r"(?<=[cs])ji$", "ja", t) if name == t else re.sub(r"ja$", "j", t)
                t2 = re.sub(r"(ow|ew|in|yn)a$", r"\1", t2) if t2 == t else t2
                t2 = re.sub(r"(ow|ew|in)ej$", r"\1a", t2) if t2 == t else t2
                t2 = re.sub(r"(?<=[bcdfghklmnprstwz])a$", "", t2) if t2 == t and \
                    re.search(r"[łąęśćńźżw]", name) else t2
            out.append(t2)
        else:
            out.append(t)
    return " ".join(out)


def _fi_nominative(np: str) -> str:
    """Finnish genitive before "mukaan" to nominative ("Häkkäsen" -> "Häkkänen")."""
    toks = np.split()
    res = []
    for i, t in enumerate(toks):
        last = i == len(toks) - 1
        if not last and not t.endswith("een"):
            res.append(t)
            continue
        for pat, rep in (("sen$", "nen"), ("oiden$", "at"), ("iden$", "it"), ("sten$", "set"),
                         ("jen$", "t"), ("een$", "e"), ("(?<=[bcdfgklmnprstv])in$", ""),
                         ("(?<=[aeiouyäö])n$", "")):
            if re.search(pat, t):
                t = re.sub(pat, rep, t)
                break
        res.append(t)
    return " ".join(res)


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
    if toks[0].lower().strip(",.") in _PRONOUNS:
        return ""
    if toks[0].lower() in {"att", "that", "dass", "что", "że", "että", "que", "het", "да", "es",
                           "it", "det", "это"}:
        return None
    # "Pasjinjan i en intervju", "Keossajan an die Adresse": a lone name.
    if len(toks) >= 2 and re.match(rf"[{_UPPER}]", toks[0]) and not toks[0].isupper() and \
            not re.match(rf"[{_UPPER}]", toks[1]) and toks[1].lower() not in _PARTICLES and \
            toks[0].lower() not in _DETERMINERS:
        return toks[0].strip(",.")
    head = " ".join(toks[:9])
    head = re.split(r"[.;:!?]|\s(?:att|that|dass|что|że|että|que|, ?что|, ?że|, ?dass)\s", head)[0]
    words = head.split()
    # Stop at a preposition after the first word ("Tusk na konferencji", "X till TT").
    for i, w in enumerate(words):
        if i >= 1 and w.lower() in _NP_STOP and (i >= 2 or re.match(rf"[{_UPPER}]", words[0])):
            words = words[:i]
            break
    head = " ".join(words)
    pers = _persons(head)
    if pers:
        return pers[0]
    first_clause = head.split(",")[0].split()
    # A name after lowercase titles or adverbs: "minister Błaszczak", "z uśmiechem Łukaszenka".
    for i, w in enumerate(first_clause[:4]):
        if i >= 1 and re.match(rf"[{_UPPER}]", w) and not w.isupper() and \
                first_clause[0].lower() not in _INDEF | _DETERMINERS:
            return w.strip(",.")
    d = " ".join(first_clause[:7]).strip(" ,")
    if first_clause and first_clause[0].lower() in {"the", "der", "die", "das", "le", "la"}:
        rest = first_clause[1:]
        if len(rest) <= 1 or not all(re.match(rf"[{_UPPER}]", w) for w in rest):
            return ""  # "the silver-haired leader", "the President": anaphor
        return " ".join(rest).strip(" ,")
    if d and not re.search(rf"[{_UPPER}]", d) and first_clause[0].lower() not in _INDEF \
            and not re.match(r"\d", d):
        return ""  # a definite title ("заместник-министърът", "the minister"): anaphor
    return d or None


def _subject_before(subj: str, lang: str) -> str | None:
    """The subject NP of "<subject> <speech verb>"; "" for a pronoun; None when none."""
    # "Inlägget raderades, och Medvedevs kansli hävdade": the last coordinated clause.
    subj = re.split(r",\s*(?:och|and|und|men|but|aber)\s+", subj)[-1]
    subj = _ADVERBIAL.sub("", subj).strip(" ,")
    toks = subj.split()
    while toks and toks[0].lower().strip(",") in _CONJ:
        toks = toks[1:]
    if not toks:
        return None
    if toks[0].lower() in _PRONOUNS or (len(toks) >= 2 and toks[0].lower() in _SUBJ_STOP
                                        and toks[1].lower() in _PRONOUNS):
        return ""
    if len(toks) >= 2 and toks[-1].lower() in _PRONOUNS:
        return ""
    text = " ".join(toks)
    pers = _persons(text)
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
        if cut and t.lower() in _SUBJ_STOP - {"в", "во", "на"}:
            break
        cut.append(t)
    text = " ".join(cut).strip(" ,")
    if not text or len(cut) > 6:
        return None
    if any(t.lower().strip(",") in _NOT_SUBJ for t in cut) or cut[-1].lower() in _CONJ:
        return None
    # A single capitalised token followed by lowercase adverbials ("Putin podczas ...").
    if not re.match(rf"[{_UPPER}0-9]", text) and text.split()[0].lower() not in _DETERMINERS:
        return None
    if re.match(r"^(?:It|Det|Es|Это|This|That|Das|Er|Sie|He|She|Он|Она|They|De|Vi|We|I|Jag|"
                r"Ich|Wir|Мы|Wer|Who|Кто|Kto|Som|Man|Mi|Ni|Ihr|You|Вы)\b", text):
        if text.split()[0].lower() in _PRONOUNS:
            return ""
        return None
    return _clean_name(text)


def _explicit(sentence: str, langs: list[str]) -> tuple[str | None, str]:
    """Speaker named in the sentence; "" marks an anaphor; None: no attribution.

    The second item says how it was found: "label", "acc", "post" (after a quote),
    "subj" (subject of a speech verb), "pron".
    """
    s = sentence.strip()
    lang = langs[0]
    if _BOILER.match(s):
        return None, ""
    verbs = _VERBS[lang]
    # Transcript label "В.Путин: ..." / "Sauli Niinisto: ..." (not a heading line).
    m = re.match(rf"^({_NAME})(?:\s*\([^)]{{1,30}}\))?:\s", s)
    if m and m.group(1).split()[0].lower().strip(".") not in _NOT_SPEAKERS:
        rest = s[m.end():].lstrip()
        if _is_heading(s) or not re.search(r"[.!?…][»”“\"]?$", s) or rest[:1] in _OPEN_QUOTES:
            return None, ""
        return _person_part(m.group(1).split()), "label"
    if _is_heading(s):
        return None, ""
    # "something X describes as ...": the framing belongs to X.
    m = re.search(r"(?:något som|vad|what|was|то, что|co) ((?:\w+ ){0,2}?[\w-]+) "
                  r"(?:beskriver|kallar|calls|describes|nennt|bezeichnet|называет|nazywa) "
                  r"(?:som|as|als|как|jako)?", s)
    if m and re.match(rf"[{_UPPER}]", m.group(1)):
        return _clean_name(m.group(1)), "subj"
    # Possessive pronoun source forms: "По его словам", "Hänen mukaansa", "Seiner Ansicht nach".
    if re.search(r"(?i)(?:^|\s)(?:по (?:его|ее|её|их) (?:словам|мнению)|за (?:його|її) словами|"
                 r"(?:hänen|heidän) mukaansa|jego zdaniem|jej zdaniem|według niego|według niej|"
                 r"enligt (?:honom|henne)|according to (?:him|her)|seiner ansicht nach|"
                 r"ihrer ansicht nach|по думите му|по думите ѝ|selon lui|selon elle|"
                 r"segundo ele|segundo ela)", s):
        return "", "pron"
    # "X (hat eine klare Meinung dazu): „..." / "X told the Clarion: "..."".
    m = re.search(rf":\s*[{_OPEN_QUOTES}–—]", s)
    if m:
        pers = _persons(s[:m.start()])
        if pers:
            return pers[0], "subj"
    acc = _ACCORDING.get(lang)
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
                oblique = bool(_OBLIQUE_CUE.search(before))
                return _nominative(res, oblique) if lang in {"ru", "uk", "pl", "bg"} else res, \
                    "acc"
    if lang == "fi":
        m = re.search(r"((?:[\w-]+ ){0,2}?[\w-]+?)(?::n)?\s+mukaan\b", s)
        if m:
            np = m.group(1)
            toks = np.split()
            # Keep from the first capitalised word or the last word.
            k = next((i for i, t in enumerate(toks) if t[:1].isupper()), len(toks) - 1)
            if k == 0 and len(toks) > 1 and m.start() == 0 and not toks[1][:1].isupper():
                pass
            cand = " ".join(toks[k:])
            if cand.lower() not in {"sen", "tämän", "näiden", "jonka", "joiden", "minkä"}:
                return _fi_nominative(cand), "acc"
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
            if np is not None and m.start() == 0 and lang in {"ru", "uk", "bg", "pl"}:
                return np, "subj"
            continue
        first = subj.split()[0].lower().strip(",")
        if first in _INVERSION or (first in _CONJ and len(subj.split()) > 1
                                   and subj.split()[1].lower() in _INVERSION):
            pro = re.match(r"\s+(\w+)", after)
            if pro and pro.group(1).lower() in _PRONOUNS:
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
                    or low in _VERB_SET.get(lang, set())):
            break
        if out and lang in {"sv", "de", "no", "da"} and i >= 1:
            # V2: the finite verb follows the source NP; a lowercase word after a
            # capitalised source or after an adjective+noun pair is that verb.
            prev = out[-1]
            if re.match(rf"[{_UPPER}]", prev) and not re.match(rf"[{_UPPER}]", t) \
                    and low not in _PARTICLES and low not in {"i", "på", "av", "des", "der"}:
                break
            if len(out) >= 2 and not re.search(r"(a|e|iska|ska|ta)$", prev) and \
                    not re.match(rf"[{_UPPER}]", t) and low not in {"i", "på", "av", "des", "der"}:
                break
        if at_start and lang not in {"sv", "de", "no", "da"} and out:
            # No comma after a fronted "according to X": X is a capitalised run or
            # adjectives + one noun ("według mołdawskiej policji").
            prev = out[-1]
            both_caps = re.match(rf"[{_UPPER}]", prev) and re.match(rf"[{_UPPER}]", t)
            if not both_caps and not re.search(
                    r"(?:ego|ej|ych|ich|ого|ой|ых|их|ей|ий|ая|ое|ого|ен|ан|ian|ean|ish)$", prev):
                break
        out.append(t)
        if len(out) >= 6:
            break
    res = " ".join(out).strip(" ,")
    if not res:
        return None
    pers = _persons(res)
    if pers:
        return pers[0]
    if _low_start(res) and lang not in {"sv", "de", "ru", "pl", "fi", "uk", "bg", "fr", "pt"}:
        return res if len(out) <= 4 else None
    return _clean_name(res) or None


def _low_start(s: str) -> bool:
    return bool(s) and not re.match(rf"[{_UPPER}]", s)


_BOILER = re.compile(
    r"(?i)^(?:läs mer|läs också|read more|read also|see also|читайте также|читайте|mehr zum thema|"
    r"lesen sie auch|lue myös|czytaj także|czytaj też|czytaj|zobacz też|прочетете още|"
    r"читайте також|lire aussi|leia também|leia mais|foto|photo|bild|text|текст|фото|kuva|fot|"
    r"stand|updated|uppdaterad|publicerad|published|источник|quelle|källa|lähde|źródło|"
    r"lisätietoja|autor|author|автор|müəllif|kontakt|contact|tags?|taggar|copyright|©)\b[^:]{0,20}:")


def _is_heading(s: str) -> bool:
    """A line without final punctuation (title, crosshead, label, dateline)."""
    t = s.rstrip()
    return not re.search(r"[.!?…»”“\"':]$", t)


def _full_name(name: str, known: list[str]) -> str:
    """Expand a surname (possibly inflected, or with an initial) to a known full name."""
    toks = name.split()
    if not toks:
        return name
    if len(toks) > 2 or (len(toks) == 2 and not re.match(r"^[\w.-]{1,4}\.?$", toks[0])):
        return name
    last = toks[-1].split(".")[-1]
    initial = toks[0][0] if (len(toks) == 2 or "." in toks[0]) else ""
    if len(last) < 4:
        return name
    stem = last[: max(4, len(last) - 2)].lower()
    cands = [full for full in reversed(known)
             if len(full.split()) >= 2 and full.split()[-1].lower().startswith(stem)
             and (not initial or full[0] == initial)]
    if not cands:
        return name
    # The most frequent form is usually the nominative one; ties go to the latest.
    return max(cands, key=cands.count)


_SLAVIC = {"ru", "uk", "pl", "bg"}
_KONJUNKTIV = re.compile(r"\b(?:habe|sei|seien|werde|müsse|könne|wolle|solle|gebe|dürfe|"
                         r"bleibe|stehe|gehe|liege|wisse)\b")
_TURN_HEADING = re.compile(
    rf"^(?:Anf\.\s*\d+\s+)?([{_UPPER}][{_UPPER}.-]+(?:\s+[{_UPPER}][{_UPPER}.-]*)+)"
    rf"\s*\([\w ]+\)\s*:?$")

def _turn_label(s: str) -> str | None:
    """A speaker heading in a transcript ("Anf. 12 HANS WALLMARK (M)") -> "Hans Wallmark"."""
    m = _TURN_HEADING.match(s.strip())
    if not m:
        return None
    return " ".join(t if len(t) <= 1 else t[0] + t[1:].lower() for t in m.group(1).split())


def assign_sources(sentences: list[str], lang: str | None = None) -> list[str]:
    """Speaker of each sentence's quote/reported statement, "" when the outlet asserts it.

    ``sentences`` are the sentences of one article in order; attribution
    carries across sentences for multi-sentence quotes, transcript turns and
    pronouns.
    """
    langs = _lang_key(lang)
    lang2 = langs[0]
    # Personal names mentioned anywhere, for surname expansion and pronouns.
    known: list[str] = []
    mentions: list[tuple[int, str]] = []
    for i, sent in enumerate(sentences):
        for j, p in enumerate(_persons(sent)):
            if lang2 in _SLAVIC:
                p = _nominative(p)
            known.append(p)
            # A subject-like mention (first name early in the sentence) is what a
            # later pronoun refers to; Slavic word order puts subjects anywhere.
            early = sent.find(p.split()[-1]) < len(" ".join(sent.split()[:8]))
            if lang2 in _SLAVIC or (j == 0 and early):
                mentions.append((i, p))

    n = len(sentences)
    ex = [_explicit(s, langs) for s in sentences]
    raw: list[str | None] = [e[0] for e in ex]
    how = [e[1] for e in ex]
    heading = [_is_heading(s) for s in sentences]
    out = [""] * n

    def person_before(i: int) -> tuple[int, str]:
        best = (-1, "")
        for k, p in mentions:
            if k >= i:
                break
            if k > best[0]:
                best = (k, p)
        return best

    def finish(name: str) -> str:
        if lang2 in _SLAVIC:
            name = _nominative(name)
        return _full_name(name, known)

    # Group sentences into quotes: an unclosed opening quote mark runs until
    # the sentence that closes it; a "– " sentence starts a dash quote that the
    # following sentences continue until one names the speaker after the quote.
    groups: list[list[int]] = []
    i = 0
    while i < n:
        s = sentences[i].strip()
        group = [i]
        balance = _quote_balance(s)
        if balance > 0 and (s[:1] in _OPEN_QUOTES or raw[i] is not None):
            j = i + 1
            while j < n and balance > 0 and raw[j - 1] is None and not heading[j]:
                balance += _quote_balance(sentences[j])
                group.append(j)
                j += 1
        elif s[:1] in "–—" and raw[i] is None:
            j = i + 1
            found = False
            while j < n and j - i < 6 and not heading[j] and \
                    sentences[j].strip()[:1] not in "–—" + _OPEN_QUOTES:
                if raw[j] is not None:
                    found = how[j] == "post"
                    break
                j += 1
            if found:
                group = list(range(i, j + 1))
            else:
                j = i + 1
                while j < n and raw[j - 1] is None and sentences[j].strip()[:1] not in "–—" \
                        and not heading[j] and _looks_like_speech(sentences[j]) and j - i < 6:
                    group.append(j)
                    j += 1
        groups.append(group)
        i = group[-1] + 1

    last_speaker, last_idx = "", -1
    turn = ""
    pending = ""
    for group in groups:
        g0 = group[0]
        if heading[g0] and len(group) == 1:
            label = _turn_label(sentences[g0])
            if label:
                turn = label
                last_speaker, last_idx = label, g0
            elif turn:
                turn = ""
            continue
        if how[g0] == "label":
            label = finish(raw[g0] or "")
            if len(label.split()) >= 2:
                turn = label
                last_speaker, last_idx = turn, g0
            else:
                raw[g0] = None
        if sentences[g0].lstrip()[:1] in "([":
            continue
        if turn:
            for k in group:
                out[k] = turn
            continue
        found = [k for k in group if raw[k] is not None]
        speaker: str | None = None
        named = False
        if found:
            k0 = found[-1] if raw[found[-1]] else found[0]
            speaker = raw[k0]
            # "Der Kreml wies ... zurück": a subject noun is named, not an anaphor.
            named = bool(speaker) and speaker.split()[0].lower() not in _PRONOUNS and (
                how[k0] == "acc" or how[k0] == "subj"
                and bool(re.search(rf"(?:^|\s)[{_UPPER}]", speaker)))
        elif pending:
            speaker = pending
        pending = ""
        # German reported speech (Konjunktiv I) continues the previous speaker.
        if speaker is None and last_speaker and g0 - last_idx <= 1 and lang2 == "de" and \
                _KONJUNKTIV.search(sentences[g0]):
            speaker = ""
        quoted = len(group) > 1 or sentences[g0].strip()[:1] in _OPEN_QUOTES + "–—"
        if speaker is None and quoted and last_speaker:
            speaker = ""
        # Unattributed first-person prose after a named speaker is the rest of
        # that speech (interviews, transcripts, debate speeches).
        if speaker is None and last_speaker and all(_first_person(sentences[k]) for k in group) \
                and g0 - last_idx <= 1:
            speaker = ""
        if speaker is None:
            continue
        if speaker == "" or (not named and _is_anaphor(speaker)):
            k, p = person_before(g0)
            if p and k > last_idx and speaker == "" and (quoted or any(how[x] in {"post", "subj"}
                                                                      for x in group)):
                speaker = finish(p)
            else:
                speaker = last_speaker
            if speaker:
                last_speaker, last_idx = speaker, group[-1]
        else:
            speaker = finish(speaker)
            last_speaker, last_idx = speaker, group[-1]
        if len(group) == 1 and sentences[g0].rstrip().endswith(":"):
            # "Lavrov said:" introduces the quote: the quote lines carry the speaker.
            pending = speaker
            continue
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


def evaluate(corpus_dir: str | Path) -> dict[str, dict[str, float]]:
    """Per-language exact/lenient accuracy and has-source precision/recall on a corpus."""
    corpus = Path(corpus_dir)
    langs = {a["article_id"]: a.get("lang") for a in read_jsonl(corpus / "articles.jsonl")}
    by_article: dict[str, list[dict]] = defaultdict(list)
    for row in read_jsonl(corpus / "sentences.jsonl"):
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
    return render_table(["lang", *cols], rows, markdown)


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
