"""Word lists and patterns per language for speaker attribution.

Everything language-specific lives here, so the rules in :mod:`.clauses`,
:mod:`.names` and :mod:`.attribution` stay language-neutral. Lists hold the
finite forms that news prose uses; a missing form means a missed attribution,
an extra one a spurious attribution, so add forms with an example in mind.
"""

from __future__ import annotations

import re

# Language groups, defined once. Slavic languages decline names and put the
# subject anywhere; verb-second languages put the finite verb right after the
# fronted constituent ("Enligt Kreml är ...", "Laut Kreml ist ...").
SLAVIC = frozenset({"ru", "uk", "pl", "bg"})
VERB_SECOND = frozenset({"sv", "de", "no", "da"})
# Languages whose lowercase "according to" descriptions are kept whole rather
# than trimmed like a name ("according to two diplomats in Brussels").
WHOLE_DESCRIPTION = frozenset({"en", "az"})
# Languages whose adjectives follow the noun ("a polícia moldava").
POSTNOMINAL = frozenset({"fr", "pt"})

# Speech/statement verbs per language (finite forms that news prose uses). A
# verb missing here is a missed attribution; multi-word forms are matched as
# written.
VERBS = {
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
          "föreslår|avslöjar|"
          # The Riksdag's reports of what a minister or body said ("uttryckte
          # utrikesministern att", "har anfört att", "bedömde LRF att"); not "uttalade",
          # "angett" or "bedömt", which are as often adjectives or say nothing ("det
          # uttalade syftet", "har inte angett någon tidpunkt").
          "uttryckte|anförde|anfört|angivit|bedömde|uppskattar|avslöjade|avslöjat|"
          "uppmanat",
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
          "повторил|повторила|подтвердил|подтвердила|подтвердили|подчеркивал|подчеркивала|"
          "отмечал|отмечала|предупреждал|предупреждала|призывал|призывала|называл|называла|"
          "утверждал|утверждала|указывал|указывала|признавал|признавала|обещал|обещала|"
          # Plurals of impersonal reports by an institution ("В Кремле подчеркнули",
          # "решение объяснили", "Об этом сообщили в Минобороны").
          "подчеркнули|пояснили|уточнили|ответили|объяснили|напомнили|предупредили|"
          "указали|добавили|заверили|пригрозили|пообещали|прокомментировали",
    "uk": "заявив|заявила|заявили|сказав|сказала|наголосив|наголосила|додав|додала|"
          "зазначив|зазначила|повідомив|повідомила|підкреслив|написав|вважає|каже|заявило|"
          "наголосили|додали|зазначили|повідомили|повідомляє|пише|пишуть|вважають|кажуть|"
          "сказало|попередив|попередила|закликав|закликала|назвав|назвала|звинуватив|"
          "підкреслила|пояснив|пояснила|нагадав|нагадала|висловив|висловила|відповів|"
          "запевнив|повторює|повторив|заявляє|заявляють|"
          # Plurals of impersonal reports ("У Кремлі підкреслили", "пояснили в Генштабі").
          "підкреслили|пояснили|уточнили|відповіли|нагадали|попередили|зауважили|"
          "запевнили|пригрозили|"
          # Wire-copy forms of Ukrainian news ("Ігнат розповів, що", "Салліван зауважив").
          "розповів|розповіла|розповіли|зауважив|зауважила|пригрозив|пригрозила|"
          "наголошує|зазначає|підкреслює|стверджує|стверджують|вважав|вважала|заявляв|"
          "заявляла|попереджає|запевняє|закликає|закликали|звинувачує|пообіцяв|пообіцяла|"
          "визнав|визнала|нагадує|уточнив|уточнила|відзначив|відзначила|засудив|засудила|"
          "розкритикував|розкритикувала|погрожує|називає|повідомляють|повідомило",
    "bg": "заяви|каза|каза още|подчерта|добави|отбеляза|посочи|съобщи|написа|смята|"
          "предупреди|коментира|обяви|твърди|заявиха|казаха|подчертаха|добавиха|отбелязаха|"
          "посочиха|съобщиха|смятат|твърдят|предупредиха|коментираха|обявиха|нарече|обвини|"
          "обвиниха|призова|призоваха|настоя|увери|изтъкна|допълни|отговори|определи|"
          "съобщава|съобщават|казва|казват|пише|пишат|заявява|заявяват|заявил|заявила|"
          "казал|казала|подчертал|посочил|добавил|"
          # Wire-copy forms of Bulgarian news ("Медведев ... напомни, че", "повтаря Вучич").
          "напомни|напомниха|повтаря|повтори|намекна|отхвърли|отхвърлиха|посъветва|призна|"
          "заплаши|заплашиха|обеща|обещаха|поясни|уточни|осъди|осъдиха|"
          "отрече|отрекоха|обясни|разказа|сподели|оцени|настоява|предупреждава",
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
          "confie|a confié|résume|a résumé|"
          # "Le président ukrainien, X, a appelé ses alliés à ...", "a réaffirmé", "a
          # répondu", "a reconnu", "a promis", "a menacé", "a regretté", "a rejeté".
          "a appelé|appelle|a réaffirmé|réaffirme|a répondu|a reconnu|reconnaît|a promis|"
          "a menacé|a regretté|regrette|a rejeté|rejette|a précisé|a noté|"
          "a répété|répète|a lancé|a démenti|a salué|salue|a plaidé|plaide|a tranché",
    "pt": "disse|afirmou|declarou|sublinhou|acrescentou|alertou|defendeu|explicou|afirma|"
          "diz|considera|considerou|garantiu|advertiu|escreveu|salientou|acusou|acusa|"
          "denunciou|condenou|lembrou|insistiu|sublinha|alertam|afirmam|dizem|consideram|"
          "declarou-se|anunciou|criticou|rejeitou|avisou|referiu|indicou|frisou|reiterou|"
          "adiantou|questionou|admitiu|negou|classificou|apelou|pediu|exigiu|"
          # "garantiu o chefe do Estado-Maior", "resumiu o cientista político", "reagiu".
          "resumiu|reagiu|ironizou|assegurou|prometeu|ameaçou|reafirmou|"
          "reconheceu|observou|destacou|ressaltou|avaliou|comentou|justificou|"
          "chamou|declararam|disseram|afirmaram|garantem",
    "az": "bildirib|deyib|qeyd edib|vurğulayıb|söyləyib|açıqlayıb|xatırladıb|deyir|"
          "bildirir|qeyd edir|vurğulayır|söyləyir|açıqlama verib|bəyan edib|"
          "diqqətə çatdırıb|xəbərdarlıq edib|çağırış edib|ittiham edib|deyilir|bildirilib|"
          "qeyd olunub|vurğulanıb|iddia edib|adlandırıb|adlandırır|bəyan edir|"
          # "Report xəbər verir ki" (reports), "X hesab edir ki" (believes), "əlavə edib"
          # (added), plural "bildiriblər", "vurğulayırlar".
          "xəbər verir|xəbər verib|hesab edir|hesab edib|əlavə edib|bildiriblər|"
          "vurğulayırlar|vurğulayıblar|deyiblər|qeyd ediblər|adlandırıblar|"
          "bəyan ediblər|bəyan etmişdilər|xatırladıb|diqqətə çatdırıb",
}
VERB_SET = {k: {w for w in v.split("|") if " " not in w} for k, v in VERBS.items()}
# Source prepositions followed by the source ("enligt X", "по словам X").
ACCORDING = {
    "sv": r"enligt",
    "en": r"according to",
    # "so" only as in "…, so Peskow." (a comma before it, the source ending the sentence):
    # elsewhere it is the adverb ("so viele Soldaten", "so schnell wie möglich").
    "de": r"laut|nach Angaben (?:des|der|von)|zufolge|"
          # (?-i:): the preposition is matched case-insensitively, the name must be capital.
          r"(?<=,\s)so(?=\s+(?:der |die |das )?(?-i:[A-ZÄÖÜ])[^,;:!?]*[.!]?[»“\"]?$)",
    "ru": r"по словам|по мнению|по данным|как (?:заявил|заявила|заявили|заявляет|сообщил|"
          r"сообщила|сообщили|сообщает|сообщают|отметил|отметила|отмечает|сказал|сказала|"
          r"подчеркнул|пишет|пишут|считает|передает|передаёт)",
    "uk": r"за словами|на думку|за даними|за інформацією|"
          r"як (?:заявив|заявила|заявили|заявляє|зазначив|зазначила|зазначає|сказав|"
          r"сказала|наголосив|наголосила|повідомив|повідомила|повідомили|повідомляє|"
          r"повідомляють|пише|пишуть|підкреслив|підкреслила)",
    # "Както съобщи БТА" (as BTA reported), like Russian "как сообщает".
    "bg": r"според|по думите на|по данни на|"
          r"както (?:заяви|съобщи|съобщава|съобщиха|каза|посочи|отбеляза|подчерта|пише)",
    "pl": r"według|zdaniem|jak (?:powiedział|mówi|podkreślił|zaznaczył|poinformował)",
    "fr": r"selon|d'après",
    "pt": r"segundo|de acordo com",
    "fi": r"",
    "az": r"",
}
# Azerbaijani "X-in sözlərinə görə" (according to X's words), "X-in fikrincə" (in X's
# opinion), "X-in məlumatına görə" (according to X's information): a postposition after
# a genitive, read by :func:`.according.azerbaijani_gore`.
AZ_ACCORDING = re.compile(
    r"(?:sözlərinə|fikrinə|məlumatına|açıqlamasına|bildirdiyinə|dediyinə)\s+görə|fikrincə|"
    # "X-in yaydığı (birgə) məlumatda" (in the statement X issued), "X-in verdiyi
    # açıqlamada" (in the statement X gave).
    r"(?:yaydığı|verdiyi)\s+(?:birgə\s+|rəsmi\s+)?(?:məlumatda|bəyanatda|açıqlamada)")
# Source prepositions as single words: never the first word of a name.
ACC_WORDS = frozenset("enligt laut według zdaniem selon segundo según according mukaan "
                      "според para pour".split())
# Third-person pronouns of all languages: a speaker that is one refers back.
PRONOUNS = frozenset(
    "he she they han hon de hen er sie он она они він вона вони той тя те on ona oni "
    "hän he il elle ils elles ele ela eles o".split()
)
# Words that introduce a title rather than a name; dropped from the front.
DETERMINERS = frozenset(
    "the a an der die das den dem des ein eine einer einem la le les l' o a os as um uma "
    "en ett".split()
)
# Definite articles: "the minister", "der Norweger", "o ministro" refer back,
# and "according to the Kremlin" names the Kremlin.
ARTICLES = {"en": "the", "de": "der die das den dem des", "fr": "le la les", "pt": "o a os as"}
DEFINITE = frozenset(w for v in ARTICLES.values() for w in v.split())
# Capital letters of the scripts in the corpus: names start with one.
UPPER = r"A-ZÅÄÖÆØÜÉÈÁÍÓÚÇÑŁŚŻŹĆŃÓĘĄŠŽČŘÝİƏÖÜĞŞА-ЯЁІЇЄҐ"
_NAME_TOKEN = rf"(?:[{UPPER}][\w'’.-]*|(?:von|van|der|de|da|dos|al|bin|ibn)(?= [{UPPER}]))"
NAME = rf"{_NAME_TOKEN}(?:[ \u00a0]{_NAME_TOKEN}){{0,4}}"
# Marks that can open a quote, and that can close one.
OPEN_QUOTES = "«„“\"‚"
CLOSE_QUOTES = "»“”\"‘’"
# Non-person transcript labels ("Question:", "Вопрос:") that must not become speakers.
NOT_SPEAKERS = frozenset(
    "question answer moderator journalist вопрос ответ frage antwort fråga svar kysymys "
    "vastaus pytanie odpowiedź photo foto bild kuva fot source källa quelle lähde date datum "
    "läs lue czytaj читайте read see zobacz kontakt contact weitere autor autorin author "
    "müəllif redaktion toimittaja".split()
)


def lang_key(lang: str | None) -> list[str]:
    """Languages whose rules apply: the given one first, then all others."""
    lang = (lang or "").lower()[:2]
    order = [lang] if lang in VERBS else []
    return order + [k for k in VERBS if k != lang]


# Title / function words that precede a personal name ("Utrikesminister",
# "Spokesman", "Представитель", "Rzecznik"): dropped from a capitalised run.
TITLE_RE = re.compile(
    r"(?i)(minist|presid|präsid|frau$|forscher|experte|botschafter|berater|premier|kanzler|"
    r"sekret|secretar|chef|sprech|spokes|talesp|talsp|"
    r"colonel|general|^gen$|^sir$|^dr\.?$|^prof|^проф\.?$|^ген\.?$|^доц\.?$|^акад\.?$|kommissar|ledare|ledaren|råd|rådet|direkt|director|"
    r"ordförande|chair|ambassad|botschaft|представ|министр|президент|посол|глава|генерал|"
    r"эксперт|expert|ekspert|analyt|politolog|politiker|rzecznik|rzeczniczka|szef|wicepremier|"
    r"presidentti|ministeri|puhemies|johtaja|päällikkö|pääministeri|leiter|führer|"
    r"sprecherin|journalist|reporter|programledare|redaktör|kommentator|professor|"
    r"marshal|admiral|senator|governor|mayor|bürgermeister|borgmästare|talman|"
    r"speaker|commander|befälhavare|kapitän|oberst|major|lieutenant|captain|kaptajn|"
    r"советник|директор|депутат|министър|премиер|говорител|посланик|секретар|"
    # Russian and Ukrainian "премьер" / "прем'єр" (the prime minister, "Премьер добавил").
    r"премьер|прем['’]єр|"
    r"ministro|primeiro|porta-voz|ministre|porte-parole|nazirи|nazir|sədr|prezident|"
    r"advis[eo]r|envoy|deputy|rådgivare|doradca|"
    # Titles of Ukrainian, Bulgarian, Portuguese, French and Azerbaijani news ("Радник
    # Олег ...", "Заместник-председателят", "secrétaire général", "mətbuat katibi").
    r"міністр|речни|радник|генсек|голова|заступник|командувач|аналітик|політолог|"
    r"заместник|председател|командир|анализатор|"
    r"secretário|embaixador|comandante|analista|cientista|deputado|chanceler|premiê|"
    r"secrétaire|ambassadeur|chercheu|politologue|analyste|député|commandant|"
    # Accented and Polish spellings the stems above miss: French "président", "général",
    # "chancelier", "conseiller" (not "Conseil", a council), "directeur", "sénateur",
    # "gouverneur", Portuguese "diretor", "conselheiro", Polish "prezydent", "generał",
    # "ambasador", "marszałek".
    r"présid|généra|chancelier|conseill|directeur|sénateur|gouverneur|diretor|conselheir|"
    r"prezydent|generał|ambasador|marszał|"
    r"sözçü|katib|başçı|şərhçi|səfir|komandan|politoloq)")
# Lowercase name particles ("Ursula von der Leyen", "Luiz Inácio da Silva").
PARTICLES = frozenset("von van der de da dos al bin ibn la le di du ter".split())
# Russian and Ukrainian patronymics in any case, lower-cased ("владимирович",
# "викторовича", "ильич", "владимировны", "олександрівни"): the word before one is a
# first name. Surnames in -вич ("Клинцевич") match too; they end a run, where nothing
# follows for them to protect.
PATRONYMIC = re.compile(r"[а-яёіїєґ'’]+(?:(?:ович|евич|ьич)(?:а|у|ем|ом|е|і)?"
                        r"|(?:овн|евн|ичн|івн|ївн)(?:а|ы|е|у|ой|ою|и|і))")
# Indefinite determiners and quantifiers: "en källa", "several officials" are
# sources in their own right, not references back to someone named.
INDEF = frozenset("en ett a an ein eine einer eines un une um uma jeden jedna jedno flera several "
                  "many mehrere viele some några".split())
# Words that start an adverbial before a verb-second/verb-subject clause
# ("I ett tal sade Putin", "Об этом заявил X", "Redan dagen efter förklarade X").
INVERSION = frozenset(
    "i vid från under efter redan sedan nu därför samtidigt tidigare på med om för när där då "
    "in im am bei nach vor auf dabei zuletzt offiziell damit danach zudem seit gestern heute "
    "at on in during after об в во на по при после среди такое такую этот это об этом ранее "
    # Bulgarian "Това заяви X", Ukrainian "Про це заявив X", "Це заявив X": the fronted
    # object of Russian "Об этом заявил X", "Это заявил X".
    "това про це "
    "w we podczas na po zaraz potem wcześniej tuż "
    "nyt myös aiemmin kun "
    "dans lors après selon em no na durante após "
    "tatsächlich nur gleichzeitig zudem außerdem indes jedoch dann deshalb daher hier dort "
    "inzwischen bisher now today then here first second third finally however "
    "miksi mitä miten kuka missä milloin "
    "hur vem wer wie warum how why who var när".split())
# A fronted object that alone before a speech verb inverts the clause: "Det säger
# statsminister Ulf Kristersson till TT", "Das sagte Bundeskanzler Olaf Scholz" (as an
# article, "Det svenska försvaret meddelade", it is not alone before the verb).
FRONTED_OBJECT = frozenset("det detta dette das dies".split())
# Russian and Ukrainian demonstratives that can only be accusative ("Эту позицию
# повторяет X", "Цю тезу регулярно повторює X"): the phrase they open is the object, and
# the speaker follows the verb. "этот"/"эти" are nominative too, so not these.
FRONTED_ACCUSATIVE = frozenset("эту такую цю таку".split())
# "And" per language: a new clause, with its own subject, may follow it. Only
# the article's language's, because Polish "i" (and) is Swedish "i" (in).
AND = {"sv": "och", "en": "and", "de": "und", "ru": "и|а", "uk": "і|й|а", "bg": "и|а",
       "pl": "i|a", "fi": "ja", "fr": "et", "pt": "e", "az": "və"}
# Conjunctions that join clauses: never part of a speaker.
CONJ = frozenset("men och and but aber und yet so doch а но и i ale a ja mutta mais et mas e "
                 "jednocześnie tymczasem zugleich".split())
# Finite verbs in -s (present and past passives and deponents) that follow a fronted
# source in V2 order and end it ("Enligt försvarsministern finns det ...", "Enligt
# hjälparbetare tillåts inga ..."): no speech verbs, so VERB_SET lacks them.
FINITE_STOP = {"sv": frozenset(
    "finns fanns krävs krävdes behövs behövdes anses ansågs bedöms bedömdes väntas väntades "
    "tillåts tilläts planeras planerades uppges uppgavs saknas saknades tycks syns".split())}
# Auxiliaries/adverbs that end a pre-verb subject ("Kreml har tidigare sagt").
SUBJ_STOP = frozenset(
    "har hade har hat hatte has had have is was ist war är var kommer ska skall kan will would "
    "också även också tidigare redan nu även heute auch bereits also already again "
    "ранее также уже тоже вновь снова неоднократно dagegen jedoch allerdings zuletzt "
    "również już wcześniej podczas dagegen samtidigt dock ju on oli ovat myös "
    "на в во при dabei zwar wiederholt".split())
# Prepositions that end a speaker after a speech verb ("Tusk na konferencji").
NP_STOP = frozenset(
    "пред перед с со для em à ao na no przed an gegenüber på i in im am at on to till vid efter "
    "under med в во на w we dla podczas po auf bei vor för for after before dziennikarzom "
    "toimittajille while during när als".split())
# Words that show a "subject" is really a clause ("what he said", "att det är"), or
# an indefinite or negative pronoun that is nobody's voice ("Vieles spricht dafür",
# "Nikt nie mówi", "Nothing suggests").
NOT_SUBJ = frozenset("what vad was co что то "
                     "that att dass что że että som who which wer vem hur how is are was were "
                     "är var ist sind war shows visar has have if om wenn если jeśli jos "
                     "när when als wann когда kiedy kun "
                     "vieles einiges alles nichts manches niemand keiner mycket allt inget ingen "
                     "ingenting nobody nothing much nikt nic никто ничто kukaan mikään".split())
# First-person and generic subject pronouns: a clause with one of them as its subject
# is the author's ("Trotzdem sehen wir", "Da sieht man", "As I said").
# Per language, because Swedish "i" (in) is no English "I".
SELF_SUBJ = {k: frozenset(v.split()) for k, v in {
    "de": "ich wir man", "sv": "jag vi man", "no": "jeg vi man", "da": "jeg vi man",
    "en": "I we We", "ru": "я мы", "uk": "я ми", "pl": "ja my", "fi": "minä me", "bg": "аз ние",
    "fr": "je nous", "pt": "eu nós"}.items()}
# Speech verbs in a use that is not speech: German separable verbs whose particle
# changes the meaning ("sieht ... aus" looks, "findet ... statt" takes place) and
# "speaks for" a conclusion ("Vieles spricht dafür", "Mycket talar för att").
NOT_SPEECH = {
    "de": re.compile(
        r"(?i)(?:sieht|sehen|sah|sahen)\b[^,.;:!?]*\saus(?=\s*(?:[,.;:!?]|$|auf\b|für\b|wie\b))|"
        r"(?:findet|finden|fand|fanden)\b[^,.;:!?]*\sstatt\b|"
        r"(?:spricht|sprechen|sprach|sprachen)\s+(?:(?:viel|vieles|einiges|alles|nichts|wenig|"
        r"manches|auch|doch|eher|nicht|noch)\s+)*(?:für|dafür|dagegen|gegen)\b"),
    "sv": re.compile(r"(?i)(?:talar|talade)\s+(?:(?:mycket|mest|inte|också|även|starkt)\s+)*"
                     r"(?:för|emot)\b"),
    # Finnish verbs that report speech only before a clause ("arvioi, että", "vastasi:");
    # with an object they assess, answer for or see something ("Hallitus arvioi
    # tarpeen", "Nato vastaa puolustuksesta").
    "fi": re.compile(r"(?i)(?:vastaa|vastaavat|vastasi|arvioi|arvioivat|arvioinut|katsoo|näkee)"
                     r"(?!\s*(?:[,:;–—]|että\b|$|[»”\"]))"),
}
# Organisation words: a capitalised run with one is no personal name.
ORG_RE = re.compile(
    r"(?i)(commission|ministry|council|party|committee|office|department|agency|union|"
    r"ministerium|kommission|partei|министерств|совет|парти|комисси|ministerstw|"
    r"departement|parti|kommitté|myndighet|ministeriö|puolue|hallitus|forces|armed|"
    # "o ministro dos Negócios Estrangeiros", "le ministre des Affaires étrangères".
    r"ministério|ministère|negócios|estrangeiros|affaires|étrangères|forças|armadas|"
    r"armées|міністерств|министерств)")
# Source prepositions that put the source in an oblique case ("по словам Лаврова").
OBLIQUE_CUE = re.compile(r"(?i)(по словам|по мнению|за словами|на думку|за даними|"
                         r"за інформацією|zdaniem|według|"
                         r"słowami|по данным|по думите на|с |со |z |with )\s*$")


# Labels of boilerplate lines (teasers, credits, bylines): never attributed.
BOILER = re.compile(
    r"(?i)^(?:läs mer|läs också|read more|read also|see also|читайте также|читайте|mehr zum thema|"
    r"lesen sie auch|lue myös|czytaj także|czytaj też|czytaj|zobacz też|прочетете още|"
    r"читайте також|lire aussi|leia também|leia mais|foto|photo|bild|text|текст|фото|kuva|fot|"
    r"stand|updated|uppdaterad|publicerad|published|источник|quelle|källa|lähde|źródło|"
    r"lisätietoja|autor|author|автор|müəllif|kontakt|contact|tags?|taggar|copyright|©)\b[^:]{0,20}:")


# German Konjunktiv I forms: reported speech that continues the last speaker.
KONJUNKTIV = re.compile(r"\b(?:habe|sei|seien|werde|müsse|könne|wolle|solle|gebe|dürfe|"
                        r"bleibe|stehe|gehe|liege|wisse)\b")
# A transcript turn heading ("Anf. 12 HANS WALLMARK (M)").
TURN_HEADING = re.compile(
    rf"^(?:Anf\.\s*\d+\s+)?([{UPPER}][{UPPER}.-]+(?:\s+[{UPPER}][{UPPER}.-]*)+)"
    rf"\s*\([\w ]+\)\s*:?$")


# First-person words: prose in them is a quoted voice, not the outlet.
FIRST_PERSON = re.compile(
    r"(?<!\w)(?:vi|jag|oss|vår|våra|vårt|mig|we|our|us|I|wir|ich|uns|unser|unsere|мы|я|нас|наш|"
    r"наша|наши|нашей|наших|ми|нашої|ние|нас|нашата|me|minä|meidän|meille|my|nasz|nasza|"
    r"nasze|nous|nos|notre|je|nós|nosso|nossa|eu|biz|bizim)(?!\w)")


# Discourse markers and sentence adverbs: they open a sentence ("Также X
# заявил", "However, X said") or follow its subject ("X, однако, заявил",
# "X z kolei twierdzi", "Aliyev publicly demanded") and are never part of a
# speaker. Multi-word markers are written with single spaces.
DISCOURSE = {
    "en": "also|however|meanwhile|then|later|moreover|furthermore|nevertheless|nonetheless|"
          "still|instead|in addition|at the same time|for his part|for her part|"
          "for their part|for its part|in turn|in response|separately|earlier|previously|"
          "now|too|again|publicly|privately|openly|repeatedly|recently|himself|herself|"
          "themselves|itself|even|already|overall|indeed|of course|for instance|for example|"
          "in fact|needless to say|incidentally|notably|in particular",
    "sv": "också|även|dock|samtidigt|sedan|däremot|dessutom|därefter|senare|tidigare|nu|"
          "å sin sida|i sin tur|vidare|likaså|ändå|redan|själv|själva|nyligen|återigen|"
          "offentligt|öppet|emellertid|alltså|därför|dessvärre|tyvärr|därtill|likväl",
    "de": "auch|jedoch|zudem|außerdem|allerdings|dagegen|hingegen|indes|indessen|inzwischen|"
          "unterdessen|dann|später|zuvor|bereits|schon|ebenfalls|gleichzeitig|zugleich|ferner|"
          "darüber hinaus|seinerseits|ihrerseits|selbst|erneut|wiederholt|mehrfach|offen|"
          "öffentlich|kürzlich|zuletzt|damals|jetzt|nun|aber|doch|deshalb|daher|stattdessen|"
          "trotzdem|dennoch|leider|immerhin|schließlich",
    "ru": "также|тоже|однако|при этом|кроме того|в свою очередь|тем временем|между тем|"
          "вместе с тем|в то же время|затем|позже|позднее|ранее|впрочем|тем не менее|"
          "помимо этого|со своей стороны|в связи с этим|в ответ|вот только|уже|ещё|еще|"
          "вновь|снова|неоднократно|публично|открыто|прямо|спокойно|лично|сам|сама|сами|же|"
          "поэтому|теперь|напротив|в частности",
    "uk": "також|теж|однак|проте|водночас|крім того|своєю чергою|у свою чергу|тим часом|"
          "натомість|згодом|раніше|вже|знову|публічно|відкрито|прямо|сам|сама|самі|же|ж|"
          "тому|тепер|неодноразово|традиційно|ще раз",
    "bg": "също|също така|обаче|освен това|междувременно|от своя страна|по-късно|по-рано|"
          "вече|отново|публично|открито|същевременно|самият|самата|сега|затова|многократно|"
          "дори|още веднъж",
    "fi": "myös|kuitenkin|lisäksi|samaan aikaan|sen sijaan|myöhemmin|aiemmin|puolestaan|nyt|"
          "jo|taas|itse|julkisesti|vielä|edelleen|siksi",
    "pl": "także|również|jednak|z kolei|tymczasem|jednocześnie|ponadto|natomiast|następnie|"
          "później|wcześniej|zaś|też|już|ponownie|publicznie|otwarcie|sam|sama|sami|"
          "od miesięcy|od lat|wprost|dlatego|teraz",
    "pt": "também|porém|entretanto|contudo|no entanto|além disso|por sua vez|já|ainda|depois|"
          "mais tarde|novamente|publicamente|todavia|ainda assim|agora|por isso",
    "fr": "aussi|cependant|toutefois|pourtant|par ailleurs|de son côté|en outre|ensuite|puis|"
          "également|déjà|encore|lui-même|elle-même|quant à lui|quant à elle|désormais",
    "az": "həmçinin|lakin|bununla belə|eyni zamanda|isə|hətta|artıq|bundan əlavə",
}
# Markers that are also first names: kept before a capitalised word ("Sam Smith").
NAME_LIKE_MARKERS = frozenset({"sam", "sama", "sami", "jo"})
# Prepositions that open an adverbial phrase after a speaker's name ("Петров в
# связи с этим", "Billström i en intervju", "Baerbock am Montag").
PREPOSITIONS = {
    "en": "in|at|on|during|after|before|to|from|with|for|while|speaking|via",
    "sv": "i|på|vid|under|efter|inför|till|med|för|från|enligt|via",
    "de": "in|im|am|an|auf|bei|beim|nach|vor|gegenüber|zu|zum|zur|mit|während|von|vom|über",
    "ru": "в|во|на|при|после|перед|с|со|для|по|во время|у|из|от|о|об",
    "uk": "в|у|на|під час|після|перед|з|зі|із|для|по|при|від|про",
    "bg": "в|във|на|по време на|след|пред|при|с|със|за|по|от",
    "fi": "",
    "pl": "w|we|na|podczas|po|przed|z|ze|od|dla|przy|w trakcie|wobec|o",
    "pt": "em|no|na|nos|nas|num|numa|durante|após|ao|à|depois de|antes de|com|para|perante",
    "fr": "dans|lors|à|au|aux|en|devant|après|pendant|avant|sur|avec|pour",
    "az": "",
}
# Finnish and Azerbaijani mark place and time with case endings instead
# ("Stubb X-viestipalvelussa", "Zaxarova Vaşinqtonda").
LOCAL_CASE = {
    # Inessive, elative, adessive, ablative, allative, with a possessive suffix
    # ("päivityksessään", in his update).
    "fi": re.compile(r"(?:(?:ss|st|ll|lt)[aä]|lle)(?:an|än|en|nsa|nsä)?$"),
    # Not the surname ending "-zadə" ("Hacızadə", "Rəsulzadə"), which is no locative.
    "az": re.compile(r"(?:da|(?<!za)də|dan|(?<!za)dən)$"),
}


def _alternation(words: str) -> str:
    # Longest first, so that "при этом" wins over "при".
    alts = sorted((w for w in words.split("|") if w), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alts)


DISCOURSE_RE = {k: re.compile(rf"(?i)(?<![\w-])(?:{_alternation(v)})(?![\w-])")
                for k, v in DISCOURSE.items()}
PREPOSITION_RE = {k: re.compile(rf"(?i)(?<![\w-])(?:{_alternation(v)})(?![\w-])")
                  for k, v in PREPOSITIONS.items() if v}
# Single-word markers of all languages, for rules that do not know the language.
DISCOURSE_WORDS = frozenset(w for v in DISCOURSE.values() for w in v.split("|") if " " not in w)
# A relative clause after a name: "Sandu, who ..., said", "Kreml, som ..., menar".
RELATIVE = re.compile(r"(?i)(?:who|which|som|der|die|das|который|которая|которые|який|яка|"
                      r"które|który|która|joka|jotka|que|qui|onde|cuja|който|която)\b")
# Prepositions that tie a title to a place ("ambassador to Sweden", "ambassadör i
# Sverige", "посол в Швеции", "ambasador w Polsce"): a capitalised word right after
# them is the place, not the first name of the person who follows.
PLACE_PREPOSITIONS = frozenset(
    "to in at for i till vid hos in bei beim zu в во при на w we przy do à au en em no na".split())
# "As" before a reported view ("as Mrs May says", "som ministern sa", "wie Scholz sagte").
AS_REPORTED = "as|som|wie|как|jak|kuten|comme|como"
# A date or a day standing alone before the verb ("Den 1 maj 2003 förklarade president
# Bush", "Am 24. Februar sagte Scholz"): a fronted adverbial, never the subject.
_MONTHS_DAYS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "januari|februari|mars|maj|juni|juli|augusti|oktober|"
    "måndag|måndagen|tisdag|tisdagen|onsdag|onsdagen|torsdag|torsdagen|fredag|fredagen|"
    "lördag|lördagen|söndag|söndagen|"
    "januar|februar|märz|mai|oktober|dezember|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    "week|weekend|month|year|summer|winter|spring|autumn|"
    "veckan|vecka|månad|månaden|året|sommar|sommaren|hösten|våren|vintern|"
    "woche|monat|jahr|sommer|herbst|frühjahr")
TIME_PHRASE = re.compile(
    rf"(?i)(?:(?:den|am|im|i|på|in|on|the|this|last|next|early|late|förra|vom|seit|as of|by|"
    rf"since|until|from|during|mid)\s+)*(?:\d{{1,2}}\.?\s+)?"
    rf"(?:(?:{_MONTHS_DAYS})(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?|\d{{4}}),?")
# Words that open a fronted adverbial clause or phrase in English ("Despite the
# calls, ...", "Having declared victory, ...", "Contrary to the fears of some, ...").
SUBORDINATORS = frozenset(
    "although though while whilst despite contrary following having given unlike like once "
    "if unless because since whereas instead amid amidst regarding concerning".split())
# Words that join a complement to a name or title: the head comes before them
# ("Richard Giragosian of the Regional Studies Center", "the President of Ukraine").
COMPLEMENT = frozenset(
    "of from at av från vid för von aus vom des der de do da du dos das из от з від z ze".split())
# The preposition that chains a title to its office and country in languages without
# cases ("заместник-министърът на външните работи на Русия Сергей Рябков"): such a
# lowercase chain before a name is the name's title, not an adverbial that ends it.
TITLE_CHAIN = {"bg": "на"}
# A preposition of origin before an institution that speaks through an impersonal plural
# verb: Bulgarian "От Министерството на отбраната съобщиха" (from the ministry they
# reported) -> "Министерството на отбраната".
ORIGIN = {"bg": "от"}
# A preposition of place before an institution in the locative that speaks through an
# impersonal plural verb: Russian "В Кремле заявили" (in the Kremlin they said),
# Ukrainian "У Кремлі заявили" -> "Кремль", as "по данным Кремля" gives it.
LOCATIVE_ORIGIN = {"ru": "в|во", "uk": "у|в"}
# Capitals that stand for their government before or after a plural impersonal speech
# verb ("В Киеве заявили" / "заявили в Киеве": Kyiv said), locative -> nominative, as
# "В Кремле заявили" gives "Кремль". A closed list, because other places before the verb
# only say where it was said ("В Харькове заявили"), and because the Ukrainian dictionary
# tags no places and reads "Києві" as a first name. Their locative is one word, and the
# same after "в" and "у". Helsinki and Tallinn speak so in the written corpus's gold
# ("подчеркивают в Хельсинки", "В Таллине утверждают").
CAPITALS = {
    "ru": {"Киеве": "Киев", "Москве": "Москва", "Вашингтоне": "Вашингтон",
           "Брюсселе": "Брюссель", "Минске": "Минск", "Баку": "Баку", "Тбилиси": "Тбилиси",
           "Ереване": "Ереван", "Анкаре": "Анкара", "Пекине": "Пекин", "Лондоне": "Лондон",
           "Париже": "Париж", "Берлине": "Берлин", "Хельсинки": "Хельсинки",
           "Таллине": "Таллин"},
    "uk": {"Києві": "Київ", "Москві": "Москва", "Вашингтоні": "Вашингтон",
           "Брюсселі": "Брюссель", "Мінську": "Мінськ", "Баку": "Баку", "Тбілісі": "Тбілісі",
           "Єревані": "Єреван", "Анкарі": "Анкара", "Пекіні": "Пекін", "Лондоні": "Лондон",
           "Парижі": "Париж", "Берліні": "Берлін", "Гельсінкі": "Гельсінкі",
           "Таллінні": "Таллінн"},
}
# "..., говорится в итоговом коммюнике" (it is said in the final communiqué): the
# document, or the issuer a genitive names after it, is the source.
SAID_IN = {"ru": r"(?:говорится|сказано|отмечается)\s+в",
           "uk": r"(?:йдеться|сказано|зазначається)\s+[ув]"}
# Lowercase institutions that speak from the locative after the verb ("подчеркнули в
# администрации президента", "сообщили в правительстве"), unlike a lowercase adverbial
# ("в интервью", "в заявлении", "в прошлом году").
INSTITUTION_NOUN = re.compile(
    r"(?i)(?:администрац|правительств|министерств|ведомств|посольств|штаб|парламент|"
    r"пресс-служб|мэри|аппарат|адміністрац|уряд|міністерств|відомств|посольств|"
    r"прес-служб|офіс|госдеп|держдеп)")
# Plural verb endings: past "-ли", present "-ют"/"-ят"/"-ут"/"-ат" (ru), "-ють"/"-ять"/
# "-уть"/"-ать" (uk).
PLURAL_VERB = re.compile(r"(?:ли|ют|ят|ут|ат|ють|ять|уть|ать)$")
# Capitalised descriptions that refer back to the person named earlier with their title
# ("Statsminister Ulf Kristersson ... Statsministern tillade", "Bundeskanzler Olaf Scholz
# ... Der Bundeskanzler fügte hinzu", "Президент Владимир Путин ... Президент добавил"),
# as a lowercase "the president" does in English: a noun in the Swedish definite form, a
# German noun after its article, a bare Russian or Ukrainian noun (the subject, so in the
# nominative), capitalised as a subject or lowercase after a source preposition ("Enligt
# statsministern", "Laut dem Bundeskanzler", "По словам президента"). TITLE_RE decides
# that the noun is a title.
TITLED_DESCRIPTION = {
    "sv": re.compile(r"\w+(?:en|n|et)"),
    "de": re.compile(rf"(?:(?:Der|Die|der|die|dem|den)\s+)?[{UPPER}][\w-]*"),
    # Russian and Ukrainian titles of several words, the head noun with its office in the
    # genitive and perhaps an adjective before it ("Глава МИД", "Официальный представитель
    # МИД", "Министр иностранных дел"): see CASED_TITLE.
    "ru": re.compile(r"[\w-]+(?:\s+[\w-]+){0,3}"),
    "uk": re.compile(r"[\w'’-]+(?:\s+[\w'’-]+){0,3}"),
}
# Languages whose titles put the head noun first and the office after it in the genitive
# ("Министр иностранных дел России Сергей Лавров"): the whole title before a name is
# kept, and a later description refers to that person only when its head noun is the
# title's and any office it names is the title's too ("Министр добавил", "Глава МИД
# добавил"), and no other person named before carries that title.
CASED_TITLE = frozenset({"ru", "uk"})
# Descriptions that name the same office as a longer title: "глава МИД" is the foreign
# minister ("Министр иностранных дел России Сергей Лавров ... Глава МИД добавил").
# Lowercase whole words, read as the title in descriptions and in titles before names.
TITLE_SYNONYMS = {
    "ru": {"глава мид": "министр иностранных дел", "глава минобороны": "министр обороны"},
    "uk": {"глава мзс": "міністр закордонних справ", "очільник мзс": "міністр закордонних справ",
           "глава міноборони": "міністр оборони", "очільник міноборони": "міністр оборони"},
}
# Languages whose speaker drops a capitalised title or honorific before a lone surname
# ("Министър Петков" -> "Петков", "M. Macron" -> "Macron"), as their gold sources do; the
# languages the model was trained on keep their rules as they were.
BARE_SURNAME = frozenset({"bg", "uk", "pt", "fr", "az"})
# Honorifics before a name: French "M." (monsieur), "Mme", "Mlle", "Pr" (professeur);
# Portuguese "Sr.", "Sra.", "Dra." (doutora; "Dr" is a title in every language, TITLE_RE).
HONORIFIC = re.compile(r"(?:M|MM|Mme|Mlle|Pr|Sr|Sra|Dra)\.?$")
# Honorifics and titles abbreviated with a period that stand before a name (French "Mme.",
# "Mlle.", "Pr." (professeur); English "Mr.", "Mrs.", "Ms."; Portuguese "Sr.", "Sra.", "Dra."
# (doutora)): their period ends no sentence or source ("Selon Mme. Borne, ...").
HONORIFIC_ABBREV = r"(?:MM|Mme|Mlle|Pr|Mr|Mrs|Ms|Sr|Sra|Dra)\."
# German honorifics written out before an abbreviated title ("Laut Frau Dr. Müller"): the
# person after the titles is the source, without either ("Müller", as "Prof. Dr. Müller").
HONORIFIC_BEFORE_TITLE = frozenset({"Frau", "Herr", "Herrn"})
# Portuguese "Para X, ..." and French "Pour X, ..." (in X's view) open a sentence with its
# source, read by :func:`.according.romance_view`.
VIEW = {"pt": "para", "fr": "pour"}
# Languages where a lowercase description after a source preposition, closed by a comma,
# is the source whole, complements included ("За даними служби стратегічних комунікацій
# ЄС," -> "служба стратегічних комунікацій ЄС"); elsewhere it is trimmed as before.
CLOSED_DESCRIPTION = frozenset({"uk", "bg"})
