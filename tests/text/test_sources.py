"""Tests for geostance.text.sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geostance.text.sources import (
    assign_sources,
    evaluate,
    evaluate_sources,
    main,
    morph,
    sentence_speakers,
)
from geostance.text.sources.cues import MASK, mask_quotes
from geostance.text.sources.evaluate import error_type, normalise, normalised_match
from geostance.text.sources.morph import nominative
from geostance.text.sources.names import person_part, strip_discourse, tidy_speaker

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"


def test_swedish_dash_quote_and_pronoun() -> None:
    sents = [
        "Regeringen presenterade på tisdagen sitt förslag.",
        "– Vi är ett steg närmare medlemskap, säger statsminister Ulf Kristersson.",
        "– Det är en historisk dag, sade han.",
        "Enligt Kreml är beslutet ett hot.",
    ]
    assert assign_sources(sents, "sv") == ["", "Ulf Kristersson", "Ulf Kristersson", "Kreml"]


def test_speaker_named_after_multi_sentence_quote() -> None:
    sents = [
        "Geheimdienstchef Kaupo Rosin leitet die Behörde.",
        "„Russland will sich die Option offenhalten.",
        "Wir müssen stark sein“, sagte Rosin.",
    ]
    assert assign_sources(sents, "de") == [
        "", "Kaupo Rosin", "Kaupo Rosin"]


def test_english_patterns() -> None:
    sents = [
        "NATO held a summit in Vilnius.",
        '"The general level of tension will increase," Sergei Ryabkov said.',
        '"There will be less predictability," he said.',
        "According to Newsweek, the plan was leaked.",
        "The alliance has 32 members.",
    ]
    assert assign_sources(sents, "en") == [
        "", "Sergei Ryabkov", "Sergei Ryabkov", "Newsweek", ""]


def test_russian_patterns() -> None:
    sents = [
        "По словам Дмитрия Пескова, Москва примет меры.",
        "«Это игра с огнем», — заявил Сергей Шойгу.",
        "«Мы ответим», — сказал он.",
        "Финляндия вступила в НАТО.",
    ]
    out = assign_sources(sents, "ru")
    assert out[0].startswith("Дмитри")
    assert out[1:] == ["Сергей Шойгу", "Сергей Шойгу", ""]


def test_title_trimmed_and_surname_expanded() -> None:
    sents = [
        "Rysslands utrikesminister Sergej Lavrov menar att Nato provocerar.",
        "Lavrov sade att Moskva svarar.",
    ]
    assert assign_sources(sents, "sv") == ["Sergej Lavrov", "Sergej Lavrov"]


def test_empty() -> None:
    assert assign_sources([]) == []


@pytest.mark.skipif(not (CORPUS / "sentences.jsonl").exists(), reason="no corpus")
def test_corpus_accuracy_beats_all_empty() -> None:
    table = evaluate(CORPUS)
    assert table["ALL"]["exact"] >= 0.78
    assert table["ALL"]["has_src_P"] >= 0.85
    assert table["ALL"]["has_src_R"] >= 0.7


def test_according_to_forms_in_nominative() -> None:
    assert assign_sources(["По словам Сергея Лаврова, Москва ответит."], "ru") == [
        "Сергей Лавров"]
    assert assign_sources(["Zdaniem Siergieja Markowa, Polska prowokuje."], "pl") == [
        "Siergiej Markow"]
    assert assign_sources(["Według policji szczątki dronów znaleziono w kilku miejscach."],
                          "pl") == ["policja"]
    assert assign_sources(["Laut Kreml ist das eine Provokation."], "de") == ["Kreml"]
    sents = ["Puolustusministeri Antti Häkkänen vieraili Lapissa.",
             "Häkkäsen mukaan Suomi on valmis.",
             "Kremlin mukaan Nato uhkaa Venäjää."]
    assert assign_sources(sents, "fi") == ["", "Antti Häkkänen", "Kreml"]


def test_sentence_speakers_in_the_given_or_detected_language() -> None:
    pl = "Zdaniem Siergieja Markowa, Polska prowokuje."
    ru = "По словам Сергея Лаврова, Москва ответит."
    # Without a language the rules fall back to the first set, which misses the Polish
    # form; the helper detects Polish and finds the speaker.
    assert assign_sources([pl]) == [""]
    assert sentence_speakers([pl, pl], [None, ""]) == ["Siergiej Markow"] * 2
    # A given language is used as given, each sentence by itself.
    assert sentence_speakers([ru, pl], ["ru", "pl"]) == ["Сергей Лавров", "Siergiej Markow"]
    assert sentence_speakers([ru, pl], ["pl", "pl"]) == ["", "Siergiej Markow"]
    assert sentence_speakers([], []) == []
    with pytest.raises(ValueError, match="2 texts but 1 languages"):
        sentence_speakers([ru, pl], ["ru"])


def test_reported_speech_that_clauses() -> None:
    assert assign_sources(["Ryska militäranalytiker menar att utvecklingen hotar landet."],
                          "sv") == ["Ryska militäranalytiker"]
    assert assign_sources(["Rzecznik Kremla Dmitrij Pieskow zapewnił, że manewry są rutynowe."],
                          "pl") == ["Dmitrij Pieskow"]
    assert assign_sources(["Министр иностранных дел Сергей Лавров заявил, что НАТО угрожает."],
                          "ru") == ["Сергей Лавров"]
    # Verb-second order: the speaker follows the verb.
    assert assign_sources(["I ett tal i Kreml sade Vladimir Putin att Krim är ryskt."],
                          "sv") == ["Vladimir Putin"]
    # Outlet-asserted sentences stay empty.
    assert assign_sources(["Reaktionerna i Moskva har varit starka."], "sv") == [""]


def test_colon_introduction_and_heading() -> None:
    sents = ["Sergej Lavrov sade:", "”Nato provocerar oss.”", "Sverige gick med 2024."]
    assert assign_sources(sents, "sv") == ["", "Sergej Lavrov", ""]
    # A "Name: ..." heading without final punctuation is not attributed.
    assert assign_sources(["Moskva: Estland lade dem fel", "Bojarna flyttades."], "sv") == [
        "", ""]
    # A person before a colon that opens a quote speaks the quote.
    sents = ["Moldaus Regierungschef Dorin Recean hat eine klare Meinung: „Das ist Erpressung.",
             "Wir lassen uns nicht einschüchtern.“"]
    assert assign_sources(sents, "de") == ["Dorin Recean", "Dorin Recean"]


def test_transcript_turns_and_initials() -> None:
    sents = ["Владимир Путин провел переговоры с Касым-Жомартом Токаевым.",
             "К.-Ж.Токаев: Уважаемый Владимир Владимирович!",
             "Россия остается нашим стратегическим союзником.",
             "В.Путин: Спасибо.",
             "Товарооборот растет."]
    assert assign_sources(sents, "ru") == [
        "", "Касым-Жомарт Токаев", "Касым-Жомарт Токаев", "Владимир Путин", "Владимир Путин"]
    sents = ["Anf. 12 HANS WALLMARK (M)", "Fru talman!", "Sverige behöver en Natooption.",
             "Anf. 13 KENNETH G FORSLUND (S)", "Alliansfriheten har tjänat oss väl."]
    assert assign_sources(sents, "sv") == [
        "", "Hans Wallmark", "Hans Wallmark", "", "Kenneth G Forslund"]


def test_dash_quote_spans_until_attribution() -> None:
    sents = ["Azerbajdzjans president Ilham Aliyev har träffat en Nato-delegation.",
             "– Moderniseringen kommer att fortsätta, säger han efter mötet.",
             "Reaktionerna i Moskva har varit starka.",
             "– Natos närvaro skulle innebära att havet inte längre är fredligt.",
             "Hoten kommer öka kraftigt.",
             "Därför krävs ett svar från Moskva, säger Konstantin Sivkov, militärexpert.",
             "Sivkov sade också att Baku spelar ett farligt spel."]
    assert assign_sources(sents, "sv") == [
        "", "Ilham Aliyev", "", "Konstantin Sivkov", "Konstantin Sivkov", "Konstantin Sivkov",
        "Konstantin Sivkov"]


def test_german_reported_speech_continues() -> None:
    sents = ["Kremlsprecher Dmitri Peskow sagte, Finnland habe einen Fehler gemacht.",
             "Die Regierung in Helsinki habe eine Politik der Feindseligkeit gewählt.",
             "Finnland trat im April bei."]
    assert assign_sources(sents, "de") == ["Dmitri Peskow", "Dmitri Peskow", ""]


def test_boilerplate_labels_are_not_speakers() -> None:
    sents = ["LÄS MER: Natochefen varnar Putin – ”Det får aldrig hända”",
             "Foto: President of Russia Office", "Text: Redaktionen", "Текст: Марк Ребане."]
    assert assign_sources(sents, "sv") == ["", "", "", ""]


def test_nominative_of_inflected_names() -> None:
    assert nominative("Шавкатом Мирзиёевым") == "Шавкат Мирзиёев"
    assert nominative("Марией Захаровой") != ""
    assert nominative("Сергея Лаврова", oblique=True) == "Сергей Лавров"
    assert nominative("Emmanuelem Macronem") == "Emmanuel Macron"


SEED = Path("/work/shared/seed/azerbaijan_nato_sv.txt")


@pytest.mark.skipif(not SEED.exists(), reason="no seed article")
def test_seed_article_sources() -> None:
    from geostance.text.segment import split_sentences

    sents = [s if isinstance(s, str) else s.text for s in split_sentences(SEED.read_text())]
    out = assign_sources(sents, "sv")
    gold = {1: "Newsweek", 4: "Ilham Aliyev", 9: "Ryska militäranalytiker",
            10: "Konstantin Sivkov", 11: "Konstantin Sivkov", 12: "Konstantin Sivkov",
            13: "Kreml", 14: "Flera ryska kommentatorer", 20: "Emil Avdaliani",
            21: "Emil Avdaliani"}
    assert len(out) == 24
    for i, src in enumerate(out, 1):
        assert src == gold.get(i, ""), (i, src, sents[i - 1])


# --- evaluate_sources on a hand-made gold list -------------------------------------------

GOLD_ROWS = [
    # Given out of order: evaluation sorts by index within a document.
    {"doc_id": "a", "lang": "en", "index": 1, "text": '"We are ready," John Smith said.',
     "source": "John Smith"},
    {"doc_id": "a", "lang": "en", "index": 0, "text": "The alliance met in Oslo.", "source": ""},
    # Gold keeps the title: the prediction is truncated but matches when normalised.
    {"doc_id": "a", "lang": "en", "index": 2,
     "text": "Defence Minister Anna Berg said the talks failed.",
     "source": "Defence Minister Anna Berg"},
    # Gold names someone the sentence does not: missed.
    {"doc_id": "a", "lang": "en", "index": 3, "text": "The talks will resume in May.",
     "source": "Anna Berg"},
    {"article_id": "b", "lang": "sv", "index": 0, "text": "Kreml menar att Nato provocerar.",
     "source": "Kreml"},
    # Gold says the outlet asserts it: spurious.
    {"article_id": "b", "lang": "sv", "index": 1, "text": "Moskva varnar för konsekvenser.",
     "source": ""},
    # Another speaker altogether: wrong_person.
    {"article_id": "b", "lang": "sv", "index": 2, "text": "Stockholm svarar att Sverige är redo.",
     "source": "Ulf Kristersson"},
]


def test_evaluate_sources_on_hand_made_gold() -> None:
    res = evaluate_sources(GOLD_ROWS)
    assert res["sentences"] == 7
    assert res["exact"] == pytest.approx(3 / 7)
    assert res["normalised"] == pytest.approx(4 / 7)
    # Predicted sources: Smith, Berg, Kreml, Moskva, Stockholm; gold has five sources.
    assert res["has_source_precision"] == pytest.approx(4 / 5)
    assert res["has_source_recall"] == pytest.approx(4 / 5)
    assert res["errors"] == {"truncated": 1, "missed": 1, "spurious": 1, "wrong_person": 1}
    assert res["examples"]["missed"] == [("Anna Berg", "", "The talks will resume in May.")]
    assert set(res["per_language"]) == {"en", "sv"}
    assert res["per_language"]["en"]["errors"] == {"truncated": 1, "missed": 1}
    assert res["per_language"]["sv"]["exact"] == pytest.approx(1 / 3)


def test_normalised_match_and_error_types() -> None:
    assert normalise("Präsident Wladimir  Putin") == "wladimir putin"
    assert normalise("Der Kreml") == "kreml"
    # An initial for the first name is the same person; another surname is not.
    assert normalised_match("Владимир Путин", "В.Путин")
    assert normalised_match("J. Holloway", "Jane Holloway")
    assert not normalised_match("Владимир Путин", "С.Путин")
    assert not normalised_match("Сергей Лавров", "В.Путин")
    assert normalise("президент Путин") == "путин"
    assert normalise("statsminister Ulf Kristersson") == "ulf kristersson"
    assert normalise("Партия «Грузинская мечта»") == "партия грузинская мечта"
    assert normalised_match("Sergej Lavrov", "Rysslands utrikesminister Sergej Lavrov")
    assert not normalised_match("Sergej Lavrov", "Lavrovs talesperson")
    assert error_type("Kreml", "Kreml") is None
    assert error_type("Kreml", "") == "missed"
    assert error_type("", "Kreml") == "spurious"
    assert error_type("„Kreml“", "Kreml") == "form"
    assert error_type("Kreml", "Der Kreml") == "extra_words"
    assert error_type("Der finnische Grenzschutz", "Grenzschutz") == "truncated"
    assert error_type("Maia Sandu", "Mai Sandu") == "inflected"
    assert error_type("Kreml", "Nato") == "wrong_person"


# --- Error classes found on real articles, on project-written sentences ------------------
# Names are invented; each case failed before the rule it tests.

DISCOURSE_CASES = [
    ("ru", "Также Иван Петров заявил, что санкции не работают.", "Иван Петров"),
    ("ru", "Петров в связи с этим высказал мнение, что альянс расширяется.", "Петров"),
    ("ru", "Сидоров спокойно напомнил, что граница закрыта.", "Сидоров"),
    ("sv", "Också Kreml menar att övningen är en provokation.", "Kreml"),
    ("en", "However, Defence Secretary Tom Reed said the alliance was ready.", "Tom Reed"),
    ("en", "Reed publicly demanded an apology from the embassy.", "Reed"),
    ("de", "Auch Karla Brandt warnte vor einer Eskalation.", "Karla Brandt"),
    ("fi", "Myös presidentti Liisa Koski sanoi, että maa on valmis.", "Liisa Koski"),
    ("pl", "Kowalski od miesięcy oskarża sąsiadów o prowokacje.", "Kowalski"),
    ("pl", "Sztab Generalny z kolei twierdzi, że drony zgubiły kurs.", "Sztab Generalny"),
    ("uk", "Також Іван Петренко заявив, що кордон закрито.", "Іван Петренко"),
    ("bg", "Също Иван Стоянов заяви, че границата е затворена.", "Иван Стоянов"),
    ("pt", "Porém, o ministro Rui Costa afirmou que a fronteira está fechada.", "Rui Costa"),
]


@pytest.mark.parametrize(("lang", "sentence", "speaker"), DISCOURSE_CASES)
def test_discourse_markers_and_trailing_adverbials_are_not_the_speaker(
        lang: str, sentence: str, speaker: str) -> None:
    assert assign_sources([sentence], lang) == [speaker]


def test_a_description_keeps_no_discourse_marker() -> None:
    # With no one named it is the source itself; after a naming it is that person.
    said = "Однако президент признал, что переговоры зашли в тупик."
    assert assign_sources([said], "ru") == ["президент"]
    assert assign_sources(["Президент Иван Петров прибыл в Минск.", said], "ru") == [
        "", "Иван Петров"]
    assert assign_sources(["Meanwhile the minister said the talks had failed."], "en") == [
        "minister"]


def test_strip_discourse_and_trim_adverbials() -> None:
    assert strip_discourse("Вот только сами финские пограничники", "ru") == \
        "финские пограничники"
    assert strip_discourse("Германские военные эксперты и сами", "ru") == \
        "Германские военные эксперты"
    # A name after a fronted time phrase is the subject.
    assert strip_discourse("Само седмица по-рано Стоянов публично", "bg") == "Стоянов"
    # Markers that are also first names stay before a name.
    assert strip_discourse("Sam Reed", "pl") == "Sam Reed"
    assert tidy_speaker("Liisa Koski Facebook-päivityksessään", "fi") == "Liisa Koski"
    # A description keeps its own phrase; only a name loses a trailing one.
    assert tidy_speaker("Rysslands ambassadör i Köpenhamn", "sv") == \
        "Rysslands ambassadör i Köpenhamn"
    assert tidy_speaker("Посольство Канады в Минске", "ru") == "Посольство Канады"


SPEAKER_FIRST_CASES = [
    ("ru", "Официальный представитель МИД Анна Иванова в эфире радио заявила, что Москва "
           "ответит.", "Анна Иванова"),
    ("sv", "Utrikesminister Eva Lind sade i en intervju med Radio Nord att landet är redo.",
     "Eva Lind"),
    ("de", "Außenministerin Karla Brandt sagte am Montag in Bonn, die Lage sei ernst.",
     "Karla Brandt"),
    ("fi", "Ulkoministeri Liisa Koski kertoi tiistaina Helsingissä, että maa on valmis.",
     "Liisa Koski"),
    # The adverbial is an apposition between commas.
    ("en", "The alliance's envoy to the region, Marco Ferri, welcomed the decision.",
     "Marco Ferri"),
    ("en", "Anna Berg, who chairs the committee, said the vote would go ahead.", "Anna Berg"),
    ("de", "Der Vorsitzende des Ausschusses, Jonas Weber, warnte die Regierung.", "Jonas Weber"),
    ("pt", "O porta-voz do governo, Rui Costa, afirmou que a fronteira está fechada.",
     "Rui Costa"),
    ("ru", "Политолог Олег Смирнов, сотрудник института, напротив, призывает не спешить.",
     "Олег Смирнов"),
    # After the verb, an adverbial with a quoted title stands before the speaker.
    ("pl", "„Nie ustąpimy” – mówił w rozmowie z „Gazetą Północną” były minister Adam Nowak.",
     "Adam Nowak"),
]


@pytest.mark.parametrize(("lang", "sentence", "speaker"), SPEAKER_FIRST_CASES)
def test_speaker_named_first_and_verb_after_an_adverbial(lang: str, sentence: str,
                                                         speaker: str) -> None:
    assert assign_sources([sentence], lang) == [speaker]


PRONOUN_AFTER_QUOTES = [
    # A rocket in quotation marks between the speaker and "he said".
    ("en", ['"We are ready," said Defence Secretary Tom Reed.',
            'Reporters were later shown the "Thunder Rocket".', '"It works," he said.'],
     ["Tom Reed", "", "Tom Reed"]),
    ("ru", ["«Мы готовы», — заявила министр Анна Иванова.",
            "Журналистам показали «новую ракету генерала Олега Смирнова».",
            "«Она работает», — сказала она."], ["Анна Иванова", "", "Анна Иванова"]),
    ("ru", ["«Мы готовы», — заявила министр Анна Иванова.",
            "Журналистам показали ракету «Гром Победы».", "«Она работает», — сказала она."],
     ["Анна Иванова", "", "Анна Иванова"]),
    ("de", ["„Wir sind bereit“, sagte Ministerin Karla Brandt.",
            "Vorgeführt wurde der „Donnerkeil Zwei“.", "„Er funktioniert“, sagte sie."],
     ["Karla Brandt", "", "Karla Brandt"]),
    # A general named inside a Swedish ”…” quote that spans two sentences.
    ("sv", ["– Vi är redo, säger försvarsminister Eva Lind.", "”General Olle Berg vet det.",
            "Roboten når alla mål”, sade hon."], ["Eva Lind", "Eva Lind", "Eva Lind"]),
    ("en", ['"We are ready," said Defence Secretary Tom Reed.',
            '"Our engineers and Colonel Ivan Dorn know it.',
            'The Thunder Rocket will reach any target," he said.'], ["Tom Reed"] * 3),
]


@pytest.mark.parametrize(("lang", "sentences", "speakers"), PRONOUN_AFTER_QUOTES)
def test_pronoun_after_quotes_is_the_last_named_speaker(lang: str, sentences: list[str],
                                                        speakers: list[str]) -> None:
    assert assign_sources(sentences, lang) == speakers


def test_description_after_a_quote_finds_the_person_with_that_title() -> None:
    sents = ["Bundeskanzlerin Karla Brandt besuchte Bonn.",
             "Der Minister Jonas Weber blieb in Berlin.",
             "„Wir sind bereit“, sagte die Bundeskanzlerin."]
    assert assign_sources(sents, "de") == ["", "", "Karla Brandt"]


_SCHOLZ = {"fr": "Le chancelier allemand Olaf Scholz a déclaré que l'Allemagne enverra des chars.",
           "en": "German Chancellor Olaf Scholz said Germany will send tanks.",
           "pt": "O chanceler alemão Olaf Scholz disse que a Alemanha enviará tanques."}


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A title given before a lone surname or in an apposition after a
    # name is known for that person, so a later description with that title refers to
    # them across another speaker (the last speaker, "Olaf Scholz", was the speaker).
    ("fr", ["Le président Macron a déclaré que la France soutiendra l'Ukraine.", _SCHOLZ["fr"],
            "Le président a ajouté que l'OTAN restera unie."], ["Macron", "Olaf Scholz", "Macron"]),
    ("fr", ["M. Macron, le président français, a déclaré que la France soutiendra l'Ukraine.",
            _SCHOLZ["fr"], "Le président a ajouté que l'OTAN restera unie."],
     ["Macron", "Olaf Scholz", "Macron"]),
    # ... expanded to the full name the article gives him.
    ("fr", ["Emmanuel Macron est arrivé à Kiev.",
            "M. Macron, le président français, a déclaré que la France soutiendra l'Ukraine.",
            _SCHOLZ["fr"], "Le président a ajouté que l'OTAN restera unie."],
     ["", "Emmanuel Macron", "Olaf Scholz", "Emmanuel Macron"]),
    ("fr", ["Emmanuel Macron, le président français, a déclaré que la France soutiendra "
            "l'Ukraine.", _SCHOLZ["fr"], "Le président a ajouté que l'OTAN restera unie."],
     ["Emmanuel Macron", "Olaf Scholz", "Emmanuel Macron"]),
    ("en", ["Joe Biden, the US president, said the alliance is strong.", _SCHOLZ["en"],
            "The president added that Russia will fail."],
     ["Joe Biden", "Olaf Scholz", "Joe Biden"]),
    ("pt", ["O presidente Lula afirmou que o Brasil é neutro.", _SCHOLZ["pt"],
            "O presidente acrescentou que a paz é possível."], ["Lula", "Olaf Scholz", "Lula"]),
    # Guards (these passed before): a title before a full name, as in English and German,
    # and a description of the other person.
    ("fr", ["Le président Emmanuel Macron a déclaré que la France soutiendra l'Ukraine.",
            _SCHOLZ["fr"], "Le président a ajouté que l'OTAN restera unie."],
     ["Emmanuel Macron", "Olaf Scholz", "Emmanuel Macron"]),
    ("fr", ["Le président Macron a déclaré que la France soutiendra l'Ukraine.", _SCHOLZ["fr"],
            "Le chancelier a ajouté que l'OTAN restera unie."],
     ["Macron", "Olaf Scholz", "Olaf Scholz"]),
])
def test_a_title_given_with_a_name_resolves_a_later_description(lang, sentences,
                                                                 speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


def test_quoted_speech_is_masked() -> None:
    assert mask_quotes("«Это игра с огнем», — заявил Олег Смирнов.") == \
        f"«{MASK}», — заявил Олег Смирнов."
    assert mask_quotes('"We are ready," Tom Reed said.') == f'"{MASK}," Tom Reed said.'
    # A sentence that ends a quote begun earlier, and one that opens one.
    assert mask_quotes("Die Rakete erreicht jeden Ort“, sagte sie.") == f"{MASK}“, sagte sie."
    assert mask_quotes("Er sagte: „Wir sind bereit.") == f"Er sagte: „{MASK}."
    # Short quoted titles stay, unless asked for.
    assert mask_quotes("По данным «Казахстан темир жолы», объем вырос.") == \
        "По данным «Казахстан темир жолы», объем вырос."
    assert MASK in mask_quotes("Vorgeführt wurde der „Donnerkeil Zwei“.", keep_titles=False)


def test_a_first_name_before_a_patronymic_is_kept() -> None:
    # Its ending (-ей, -ия, -ии) or length read as a genitive or a title: "Викторович
    # Лавров", "Владимировны Захаровой".
    assert person_part(["Президент", "Владимир", "Владимирович", "Путин"], "ru") == \
        "Владимир Владимирович Путин"
    assert person_part(["Марии", "Владимировны", "Захаровой"], "ru") == \
        "Марии Владимировны Захаровой"
    assert person_part(["Марії", "Олександрівни", "Захарової"], "uk") == \
        "Марії Олександрівни Захарової"
    assert assign_sources(["Как заявил Сергей Викторович Лавров, Москва ответит."], "ru") == [
        "Сергей Викторович Лавров"]
    assert assign_sources(["Мария Владимировна Захарова заявила, что НАТО лжёт."], "ru") == [
        "Мария Владимировна Захарова"]
    # A country's genitive before an initial still goes (it ends like "Марии", "Анны").
    assert person_part(["МИД", "России", "М.", "Захарова"], "ru") == "М. Захарова"
    assert person_part(["МЗС", "України", "О.", "Ніколенко"], "uk") == "О. Ніколенко"
    assert person_part(["Посол", "Франц", "Клинцевич"], "ru") == "Франц Клинцевич"


def test_a_name_with_a_patronymic_in_the_nominative_with_the_dictionary() -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(["По словам Марии Владимировны Захаровой, НАТО лжёт."], "ru") == [
        "Мария Владимировна Захарова"]
    assert assign_sources(["За словами Марії Олександрівни Захарової, НАТО бреше."],
                          "uk") == ["Марія Олександрівна Захарова"]


NOMINATIVE_CASES = [
    ("ru", ["По словам Анны Ивановой, Москва ответит."], ["Анна Иванова"]),
    ("ru", ["По данным Центральной избирательной комиссии, явка выросла."],
     ["Центральная избирательная комиссия"]),
    ("ru", ["Министр встретился с Олегом Смирновым.", "Смирнов заявил, что встреча прошла хорошо."],
     ["", "Олег Смирнов"]),
    ("uk", ["За словами Андрія Мельника, Київ готовий."], ["Андрій Мельник"]),
    ("uk", ["За словами Олени Коваль, Київ готовий."], ["Олена Коваль"]),
    ("pl", ["Minister spotkał się z Adamem Nowakiem.",
            "Nowak powiedział, że spotkanie było udane."], ["", "Adam Nowak"]),
]


@pytest.mark.parametrize(("lang", "sentences", "speakers"), NOMINATIVE_CASES)
def test_oblique_names_in_the_nominative(lang: str, sentences: list[str],
                                         speakers: list[str]) -> None:
    if lang in {"ru", "uk"}:
        pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


def test_nominative_falls_back_to_suffix_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(morph, "analyser", lambda lang: None)
    assert nominative("Сергея Лаврова", oblique=True, lang="ru") == "Сергей Лавров"
    assert nominative("Шавкатом Мирзиёевым", lang="ru") == "Шавкат Мирзиёев"
    assert assign_sources(["По словам Сергея Лаврова, Москва ответит."], "ru") == [
        "Сергей Лавров"]


def test_nominative_with_the_dictionary_keeps_foreign_names() -> None:
    pytest.importorskip("pymorphy3")
    # Genitive feminine shared by both words, which the suffix rules miss.
    assert nominative("Анны Ивановой", oblique=True, lang="ru") == "Анна Иванова"
    assert nominative("Дмитра Мельника", oblique=True, lang="uk") == "Дмитро Мельник"
    # Already nominative, or unknown to the dictionary outside a source preposition.
    assert nominative("Мария Захарова", lang="ru") == "Мария Захарова"
    assert nominative("Саломе Зурабишвили", lang="ru") == "Саломе Зурабишвили"
    # After a source preposition a genitive reading wins.
    assert nominative("Лаврова", oblique=True, lang="ru") == "Лавров"
    assert nominative("Лаврова", lang="ru") == "Лаврова"


# Written for the tests (not real transcripts): turn labels of real transcript formats.
@pytest.mark.parametrize("sentences, lang, expected", [
    (["В.Путин: Добрый день.", "Давайте начнём.", "С.Лавров: Спасибо.", "Мы готовы."], "ru",
     ["В.Путин", "В.Путин", "С.Лавров", "С.Лавров"]),
    (["MS. PSAKI: Good afternoon.", "Today we announce sanctions.", "Q: Will there be more?",
      "MS. PSAKI: We will see."], "en", ["Psaki", "Psaki", "", "Psaki"]),
    (["Anna Svensson: Tack.", "Fråga: När då?", "Det vet vi inte."], "sv",
     ["Anna Svensson", "", ""]),
])
def test_transcript_turns_with_initials_and_questions(sentences, lang, expected):
    assert assign_sources(sentences, lang) == expected


# Written for the tests: an honorific label is the full name given in the title.
@pytest.mark.parametrize("title, sentences, lang, expected", [
    ("Press Briefing by National Security Advisor Jane Holloway",
     ["MS. HOLLOWAY: Thanks, everyone.", "The call lasted two hours.", "Q: And NATO?",
      "MS. HOLLOWAY: Allies were briefed."], "en",
     ["Jane Holloway", "Jane Holloway", "", "Jane Holloway"]),
    ("Pressekonferenz mit Regierungssprecher Paul Meier",
     ["Herr Meier: Guten Tag.", "Die Regierung steht zu ihren Zusagen."], "de",
     ["Paul Meier", "Paul Meier"]),
    ("", ["MR. O'BRIEN: Good morning.", "We have two announcements."], "en",
     ["O'brien", "O'brien"]),
])
def test_honorific_turn_labels_take_the_full_name_from_the_title(title, sentences, lang,
                                                                 expected):
    assert assign_sources(sentences, lang, title) == expected


# Written for the tests: "according to" attributes its own sentence only.
@pytest.mark.parametrize("sentences, lang", [
    (["According to various statistics, 40 million people live here.",
      "I am proud of our country.", "We will help our neighbours."], "en"),
    (["Enligt flera undersökningar vill majoriteten gå med i Nato.",
      "Jag delar den uppfattningen.", "Vi måste agera nu."], "sv"),
    (["Laut mehreren Umfragen ist die Mehrheit für den Beitritt.",
      "Ich teile diese Ansicht.", "Wir müssen jetzt handeln."], "de"),
])
def test_according_to_does_not_carry_into_first_person_prose(sentences, lang):
    out = assign_sources(sentences, lang)
    assert out[0] and out[1:] == ["", ""]


# Written for the tests: "let me quote X:" hands the quote that follows to X.
@pytest.mark.parametrize("sentences, lang, name", [
    (["Låt mig citera Eva Lind, forskare vid institutet:", "”Ryssland hotar grannarna.",
      "Nato måste svara.”", "Det håller jag med om."], "sv", "Eva Lind"),
    (["Let me quote Tom Harris, a researcher at the institute:", "“Russia threatens them.",
      "NATO must answer.”", "I agree with that."], "en", "Tom Harris"),
    (["Ich zitiere Jana Roth, Expertin der Stiftung:", "„Russland droht den Nachbarn.",
      "Die NATO muss antworten.“", "Dem stimme ich zu."], "de", "Jana Roth"),
])
def test_a_quote_introduced_by_quote_verb_goes_to_the_person_quoted(sentences, lang, name):
    assert assign_sources(sentences, lang) == ["", name, name, ""]


def test_parliamentary_interjections_go_to_the_member_who_made_them():
    # Written for the tests, in the Bundestag record's format.
    sents = ["Wir stehen zur NATO.", "(Eva Beispiel [FDP]: Irgendwas zu Russland!",
             "Irgendwas!)", "Das ist falsch.",
             "(Beifall bei der LINKEN – Dr. Jan Muster-\xadMann [SPD]: Nicht nur Ihrer!)",
             "Tom Probe [SPD] – Ida Test [CDU/CSU]: Ah!", "Weiter geht es."]
    assert assign_sources(sents, "de") == ["", "Eva Beispiel", "Eva Beispiel", "",
                                           "Jan Muster-Mann", "Ida Test", ""]


def test_eval_reads_the_real_corpus_layout_by_split():
    root = Path(__file__).resolve().parents[2] / "data" / "real"
    table = evaluate(root, "test")
    # As many sentences as the corpus files put in documents of the test split.
    docs = [json.loads(x) for x in (root / "documents.jsonl").read_text("utf-8").splitlines()]
    test_docs = {d["doc_id"] for d in docs if d["split"] == "test"}
    sents = [json.loads(x) for f in (root / "sentences").glob("*.jsonl")
             for x in f.read_text("utf-8").splitlines()]
    n_test = sum(s["doc_id"] in test_docs for s in sents)
    assert table["ALL"]["sentences"] == n_test and 0 < n_test < len(sents)
    assert 0.0 < table["ALL"]["exact"] <= 1.0


# Invented sentences (a helper's audit): a possessor before a title after the verb, and
# the fronted object of "Det säger X" / "Das sagte X".
@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    ("sv", ["– Nato hotar ingen, säger Rysslands utrikesminister Sergej Lavrov."],
     ["Sergej Lavrov"]),
    ("sv", ["– Det här är en provokation, sade Kremls talesperson Dmitrij Peskov."],
     ["Dmitrij Peskov"]),
    ("en", ["NATO threatens Russia, said Russia's foreign minister Sergei Lavrov."],
     ["Sergei Lavrov"]),
    ("sv", ["Enligt Rysslands ambassadör kommer Moskva att svara med motåtgärder."],
     ["Rysslands ambassadör"]),
    ("sv", ["Nu säger Armeniens ledare att landet ska lämna förbundet."],
     ["Armeniens ledare"]),
    ("sv", ["– Vi är redo, säger Pasjinjan i en intervju."], ["Pasjinjan"]),
    ("sv", ["– Vi måste stå enade.", "Det säger statsminister Ulf Kristersson till TT."],
     ["Ulf Kristersson", "Ulf Kristersson"]),
    ("de", ["Das sagte Bundeskanzler Olaf Scholz am Montag in Vilnius."], ["Olaf Scholz"]),
    ("de", ["Das Ministerium erklärte, dass alles gut sei."], [""]),
    ("de", ["Das sehen übrigens auch immer mehr Menschen in Europa so."], [""]),
    ("pl", ["Ekspert Jan Kowalski uważa, że Baku balansuje."], ["Jan Kowalski"]),
    # A source named by "according to" is whom a later "he said" / "sade ambassadören"
    # refers to.
    ("en", ['"We will deepen our partnership," said Jeyhun Bayramov.',
            "Moscow warned of consequences, according to Kremlin spokesman Dmitry Peskov.",
            '"The West is dragging the region into confrontation," he said.'],
     ["Jeyhun Bayramov", "Dmitry Peskov", "Dmitry Peskov"]),
    ("sv", ["– Vi står upp för våra allierade, säger Ulf Kristersson till TT.",
            "Enligt Rysslands ambassadör kommer Moskva att svara med motåtgärder.",
            "– Det här är ett hot mot hela regionen, sade ambassadören."],
     ["Ulf Kristersson", "Rysslands ambassadör", "Rysslands ambassadör"]),
])
def test_possessor_titles_and_fronted_objects(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    ("sv", ["Enligt K. Lindqvist har flottan aldrig varit svagare."], ["K. Lindqvist"]),
    ("sv", ["Enligt forskaren K. Lindqvist är övningen en signal."], ["K. Lindqvist"]),
    ("en", ["Defence Secretary Mary T. Collins said the drills would continue."],
     ["Mary T. Collins"]),
])
def test_an_initial_keeps_its_period_in_a_name(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # A lowercase title and its office in the genitive, then the name: the name,
    # in the nominative.
    ("pl", ["Według rzecznika Kremla Dmitrija Pieskowa manewry nikomu nie zagrażają."],
     ["Dmitrij Pieskow"]),
    ("pl", ["Zdaniem ministra obrony Tomasza Zawadzkiego, Rosja testuje sojusz."],
     ["Tomasz Zawadzki"]),
])
def test_a_name_after_a_title_in_the_genitive(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # A place after a title's preposition is not the first name of the person after it.
    ("en", ["Norway's ambassador to Chile Ingrid Halvorsen said the talks had stalled."],
     ["Ingrid Halvorsen"]),
    ("sv", ["Finlands ambassadör i Polen Mikko Lehtonen säger att stödet är starkt."],
     ["Mikko Lehtonen"]),
    ("bg", ["Посланикът на Сърбия Петър Николов заяви, че срещата е важна."],
     ["Петър Николов"]),
])
def test_a_place_after_a_title_is_not_part_of_the_name(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # A phrase before a colon that opens with an article or a preposition is no
    # transcript label, and no turn runs on from it.
    ("de", ["Im Ergebnis: Die Ostsee ist sicherer geworden.", "Das freut uns alle."], ["", ""]),
    ("de", ["Das Ergebnis: Die Allianz wächst weiter.", "Finnland ist nun Mitglied."], ["", ""]),
    ("en", ["Anna Berg: We are ready to help.", "Our aid will continue."],
     ["Anna Berg", "Anna Berg"]),
])
def test_a_phrase_before_a_colon_is_no_turn_label(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # A question asks for a view and reports none ...
    ("sv", ["Hur bedömer ministern att övningen påverkar Gotland?"], [""]),
    ("en", ["Do you believe the sanctions will work?"], [""]),
    # ... unless it reports one with "as".
    ("en", ["Is the alliance, as Jan Petersen says, ready to defend the Baltic states?"],
     ["Jan Petersen"]),
])
def test_a_question_reports_no_view_of_its_own(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Speech verbs in uses that are not speech.
    ("de", ["Manches spricht dafür, dass die Übung verlängert wird."], [""]),
    ("de", ["Eine kluge Sicherheitspolitik sieht anders aus."], [""]),
    ("de", ["Das Gipfeltreffen findet im Juli in Riga statt."], [""]),
    ("sv", ["Mycket talar för att manövern var en signal till Helsingfors."], [""]),
    # Nobody's voice: an indefinite or negative pronoun as subject.
    ("pl", ["Nikt nie twierdzi, że sojusz jest bezpieczny."], [""]),
    # A first-person or generic subject pronoun after the verb (verb second), or
    # closing the subject, is the author's own clause.
    ("de", ["Dennoch sehen wir eine wachsende Bedrohung an der Ostflanke."], [""]),
    ("en", ["As we said last week, the alliance stands united."], [""]),
    # ... but Swedish "i" (in) after the verb is no pronoun.
    ("sv", ["Utrikesminister Karin Berg sade i en intervju att Nato är viktigt."],
     ["Karin Berg"]),
])
def test_speech_verbs_that_report_no_speaker(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Verb second: a date, an adverb or a discourse marker alone before the verb is a
    # fronted adverbial, and the subject follows the verb.
    ("sv", ["Den 3 mars förklarade utrikesminister Karin Berg att stödet ökar."],
     ["Karin Berg"]),
    ("sv", ["Nyligen meddelade Norge att landet skickar fler fartyg."], ["Norge"]),
    ("sv", ["Tyvärr menar Kreml att övningen är ett hot."], ["Kreml"]),
    ("de", ["Möglicherweise warnte Außenminister Jonas Weber bereits im Mai davor."],
     ["Jonas Weber"]),
    # ... and a pronoun after the verb still makes it the author's.
    ("de", ["Trotzdem sehen wir Fortschritte an der Ostflanke."], [""]),
])
def test_a_fronted_adverbial_is_not_the_subject(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # A date, prepositional phrase, subordinate clause or sentence adverb fronted with
    # a comma is not the subject; the subject follows it.
    ("en", ["Last Friday, the Foreign Office announced that the embassy would reopen."],
     ["Foreign Office"]),
    ("en", ["In Riga, Defence Minister Anna Ozola said the brigade was ready."],
     ["Anna Ozola"]),
    ("en", ["Despite the protests, the Kremlin insisted that the drills were routine."],
     ["Kremlin"]),
    ("en", ["Curiously, the ministry described the exercise as defensive."], ["ministry"]),
    # An infinitive or a noun after a determiner is no speech verb.
    ("en", ["Needless to say, the summit was a success."], [""]),
    ("en", ["Contrary to the claims of some, the treaty remains in force."], [""]),
    # "You" is the addressee, not named in the sentence.
    ("en", ["And of course, you have often stated your support for the treaty."], [""]),
])
def test_english_fronted_adverbials_and_nouns(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


def test_an_english_subject_drops_its_article() -> None:
    assert assign_sources(["The Foreign Office said the talks would resume."], "en") == [
        "Foreign Office"]


def test_first_person_prose_stays_the_authors_in_the_authors_own_speech() -> None:
    # The author speaks in the first person before naming anyone: later first-person
    # prose is the author's, not the continuation of the last named speaker.
    speech = [
        "We have always supported dialogue in our region.",
        "Last month, Foreign Minister Karl Nodd warned of new tensions.",
        "We will continue to work for peace.",
    ]
    assert assign_sources(speech, "en") == ["", "Karl Nodd", ""]
    # In a report, first-person prose after a named speaker still continues that speaker.
    report = [
        "The summit ended on Friday.",
        "Prime Minister Lena Holm said the alliance stood united.",
        "We will not be intimidated.",
    ]
    assert assign_sources(report, "en") == ["", "Lena Holm", "Lena Holm"]


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Finnish verbs that report speech only before a clause.
    ("fi", ["Puolustusministeriö vastaa harjoituksen valmistelusta."], [""]),
    ("fi", ["Hallitus arvioi tukipaketin vaikutukset syksyllä."], [""]),
    ("fi", ["Presidentti Aino Lehto arvioi, että harjoitus on tärkeä."], ["Aino Lehto"]),
    # "mukaan lukien" (including) and "mahdollisuuksien mukaan" name no source.
    ("fi", ["Suomi osallistuu kaikkiin tehtäviin mukaan lukien Itämeren valvonta."], [""]),
    ("fi", ["Apua lisätään mahdollisuuksien mukaan ensi vuonna."], [""]),
])
def test_finnish_verbs_and_mukaan_that_name_no_source(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # A speech verb inside a relative clause reports no speaker of the sentence.
    ("de", ["Wir helfen den Familien in Charkiw, die um ihre Zukunft fürchten."], [""]),
    ("en", ["The plan, which was announced by the ministry in May, costs millions."], [""]),
])
def test_a_relative_clause_reports_no_speaker(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


def test_german_die_before_a_noun_or_adjective_is_an_article() -> None:
    from geostance.text.sources.clauses import _relative_clause

    assert _relative_clause("die um ihre Zukunft")
    assert not _relative_clause("die russische Armee")
    assert not _relative_clause("die Regierung")


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # German "so" is "according to" only as "…, so X." at the end of the sentence.
    ("de", ["Noch nie waren so viele Panzer in Polen stationiert."], [""]),
    ("de", ["Die Lage sei so ernst wie seit Jahren nicht, sagte Anna Vogel."], ["Anna Vogel"]),
    ("de", ["Die Übung beginnt im Mai, so Maria Krause."], ["Maria Krause"]),
    ("de", ["Russland schickt Truppen an die Grenze, so viele Soldaten wie nie."], [""]),
    # A capitalised name after "enligt"/"laut" is a source, whatever it starts with.
    ("sv", ["Enligt Lagrådet är förslaget oklart."], ["Lagrådet"]),
    ("de", ["Laut Plansky ist das falsch."], ["Plansky"]),
    # Abbreviations inside or before the source do not end it.
    ("sv", ["Enligt bl.a. Sydsvenskan har ministern kritiserat planen."], ["Sydsvenskan"]),
    ("en", ["According to U.S. officials, the ships will arrive."], ["U.S. officials"]),
    ("en", ["The ships will arrive, according to U.S. officials."], ["U.S. officials"]),
    # An initial after the speech verb stays with its name.
    ("sv", ["Nato är ett hot, säger K. Lindqvist."], ["K. Lindqvist"]),
    ("en", ["NATO is a threat, said R. Miller."], ["R. Miller"]),
    ("pl", ["Według prof. Tomasza Nowaka Rosja testuje sojusz."], ["Tomasz Nowak"]),
    # "enligt uppgift" (reportedly) names nobody.
    ("sv", ["Försvaret ska enligt uppgift köpa nya robotar."], [""]),
    ("sv", ["Ryssland har enligt uppgifter flyttat trupper till gränsen."], [""]),
    ("de", ["Laut Planungen soll die Übung im Mai beginnen."], [""]),
    # "как сообщает X", "як повідомляє X": X, not "Как".
    ("ru", ["Как сообщает Интерфакс, учения начнутся в среду."], ["Интерфакс"]),
    ("uk", ["Як повідомляє Суспільне, зустріч відбудеться у Вільнюсі."], ["Суспільне"]),
    # A Ukrainian genitive before a name is the country, not part of it.
    ("uk", ["Прем'єр-міністр України Олена Бондар заявила, що Київ готовий."], ["Олена Бондар"]),
    # A wire dateline is no speaker.
    ("en", ["OSLO, May 4 (Reuters) - Norway on Monday said it would send ships."], ["Norway"]),
])
def test_adverbs_abbreviations_and_datelines_name_no_false_source(lang, sentences,
                                                                  speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


def test_a_pronoun_before_the_verb_is_its_subject_after_a_fronted_phrase() -> None:
    # Read as verb-subject order, "and I want" after the verb became the speaker.
    assert assign_sources(["Regarding our trade, we said repeatedly, and I want to stress it "
                           "again, that relations are good."], "en") == [""]
    assert assign_sources(["In Oslo, Lindqvist said the talks failed."], "en") == ["Lindqvist"]


# --- News languages the training data barely covers (bg, pt, fr, uk, az) ----------------
# Invented wire-copy sentences; each case failed before the rule it tests.


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Portuguese "o" is an article before a noun, not the Azerbaijani pronoun "o" (he).
    ("pt", ["A NATO vai reforçar o flanco leste, disse o secretário-geral Rui Campos."],
     ["Rui Campos"]),
    ("pt", ["“Não vamos ceder”, afirmou o ministro da Defesa, Nuno Abreu."], ["Nuno Abreu"]),
    ("pt", ["O Kremlin afirmou que a medida é hostil."], ["Kremlin"]),
    # A French or Portuguese subject is written without its article, as after
    # "selon"/"segundo".
    ("fr", ["Le Kremlin a dénoncé une provocation."], ["Kremlin"]),
    ("fr", ["La diplomatie russe a jugé que la décision était hostile."], ["diplomatie russe"]),
    ("pt", ["Em comunicado, o Ministério da Defesa russo afirmou que abateu 20 drones."],
     ["Ministério da Defesa russo"]),
])
def test_romance_articles_before_a_speaker(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Speech verbs of wire copy that were missing.
    ("uk", ["Гнатюк розповів, що дрони летіли з півночі."], ["Гнатюк"]),
    ("uk", ["Влада Молдови неодноразово заявляла, що унії не буде."], ["Влада Молдови"]),
    ("bg", ["Заместник-председателят на парламента Иван Колев отиде по-далеч и напомни, "
            "че договорът е в сила."], ["Иван Колев"]),
    ("fr", ["Le président ukrainien, Petro Lysenko, a appelé ses alliés à livrer des armes."],
     ["Petro Lysenko"]),
    ("pt", ["\"A Otan quer guerra\", resumiu o cientista político Pedro Lobo."], ["Pedro Lobo"]),
    ("az", ["Report xəbər verir ki, danışıqlar Vaşinqtonda keçiriləcək."], ["Report"]),
    ("az", ["Siyasi şərhçi Elxan Rəsulov hesab edir ki, Moskva narazıdır."], ["Elxan Rəsulov"]),
    # Source prepositions: "за даними" (according to data of), "як наголосив",
    # Bulgarian "както съобщи" (as ... reported).
    ("uk", ["За даними Генштабу, ворог втратив 1200 солдатів."], ["Генштаб"]),
    ("uk", ["Як наголосив речник Андрій Коваль, атака тривала всю ніч."], ["Андрій Коваль"]),
    ("bg", ["Както съобщи БТА, учението ще продължи до петък."], ["БТА"]),
])
def test_news_speech_verbs_and_source_prepositions(lang, sentences, speakers) -> None:
    if lang == "uk":
        pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Titles of these languages are dropped from the name ("Радник Олег Мирошник").
    ("uk", ["Радник Олег Мирошник зауважив, що процедура триває."], ["Олег Мирошник"]),
    # A day between the verb and its subject is not part of the source.
    ("pt", ["Moscovo não vê ameaça no acordo, afirmou hoje o porta-voz do Kremlin."],
     ["porta-voz do Kremlin"]),
    ("fr", ["« Nous sommes prêts », a déclaré mardi soir le ministère des Armées."],
     ["ministère des Armées"]),
    # A capitalised head after the article keeps its complements and adjectives; a
    # ministry's name is no personal name (the last case passed before: a guard).
    ("pt", ["A Sérvia fará mais exercícios com a NATO, anunciou o Ministério da Defesa sérvio."],
     ["Ministério da Defesa sérvio"]),
    ("pt", ["O chefe dos Negócios Estrangeiros, Rui Lima, chegou a Kiev."], [""]),
])
def test_titles_days_and_ministries_around_a_speaker(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # "X-in sözlərinə görə" (according to X), the name without its genitive ending.
    ("az", ["Xarici işlər naziri Ceyhun Məmmədovun sözlərinə görə, danışıqlar davam edir."],
     ["Ceyhun Məmmədov"]),
    ("az", ["Peskovun sözlərinə görə, Moskva cavab verəcək."], ["Peskov"]),
    # A name that ends in vowel + n keeps its n ("Putinin" was "Puti"); surnames that end
    # in a vowel lose the whole -nin (invented sentences).
    ("az", ["Putinin sözlərinə görə, NATO təhlükədir."], ["Putin"]),
    ("az", ["Nikol Paşinyanın sözlərinə görə, danışıqlar davam edir."], ["Nikol Paşinyan"]),
    ("az", ["Mariya Zaxarovanın sözlərinə görə, NATO təhlükədir."], ["Mariya Zaxarova"]),
    ("az", ["Zelenskinin sözlərinə görə, Ukrayna hazırdır."], ["Zelenski"]),
    # -ko is such an ending, -nke/-nki not: "Blinkenin" is Blinken's.
    ("az", ["Lukaşenkonun sözlərinə görə, Belarus hazırdır."], ["Lukaşenko"]),
    ("az", ["Entoni Blinkenin sözlərinə görə, ABŞ hazırdır."], ["Entoni Blinken"]),
    ("az", ["Ayxan Hacızadənin sözlərinə görə, danışıqlar davam edir."], ["Ayxan Hacızadə"]),
    # The surname ending "-zadə" is no locative case.
    ("az", ["Bu barədə XİN-in mətbuat katibi Ayxan Əlizadə bildirib."], ["Ayxan Əlizadə"]),
    # A place in the locative after a name is not part of it when "O" (he) refers back.
    ("az", ["Nazir Elvin Quliyev Bakıda jurnalistlərlə görüşüb.",
            "O bildirib ki, danışıqlar davam edir."], ["", "Elvin Quliyev"]),
    # Likewise a place in the dative; and the full name seen before settles an ambiguous
    # genitive ("Obamanın": Obama + -nın, not Obaman + -ın).
    ("az", ["Barak Obama Bakıya gəlib.", "Obamanın sözlərinə görə, NATO güclüdür."],
     ["", "Barak Obama"]),
])
def test_azerbaijani_postpositions_and_case_endings(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences, each the first mention of its name. "Obamanın" is Obama + -nın
    # (the buffer n after a vowel) and "Saakaşvilinin" Saakaşvili + -nin: the dictionary
    # knows the names without the n ("Obaman" was the speaker).
    ("az", ["Obamanın sözlərinə görə, NATO güclüdür."], ["Obama"]),
    ("az", ["Mixeil Saakaşvilinin sözlərinə görə, Gürcüstan hazırdır."], ["Mixeil Saakaşvili"]),
    ("az", ["Benyamin Netanyahunun sözlərinə görə, danışıqlar davam edir."],
     ["Benyamin Netanyahu"]),
    # ... and with the n where the name has it, after a vowel or a consonant stem (these
    # passed before: guards).
    ("az", ["Putinin sözlərinə görə, NATO təhlükədir."], ["Putin"]),
    ("az", ["Ərdoğanın sözlərinə görə, Türkiyə hazırdır."], ["Ərdoğan"]),
    ("az", ["Əliyevanın sözlərinə görə, danışıqlar davam edir."], ["Əliyeva"]),
    ("az", ["Lavrovun sözlərinə görə, NATO təhlükədir."], ["Lavrov"]),
])
def test_azerbaijani_genitive_of_a_vowel_final_name(lang, sentences, speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. Azerbaijani surnames in -li/-lı/-lu/-lü and an institution's
    # possessive ending (-liyi, -sı) end in a vowel, so their genitive is -nin/-nın
    # ("Nazirliyin", "Şurasın", "Məmmədlin" were the speakers).
    ("az", ["Müdafiə Nazirliyinin məlumatına görə, hücum dəf edilib."], ["Müdafiə Nazirliyi"]),
    ("az", ["Rusiya Təhlükəsizlik Şurasının məlumatına görə, NATO təhlükədir."],
     ["Rusiya Təhlükəsizlik Şurası"]),
    ("az", ["Elmira Məmmədlinin sözlərinə görə, danışıqlar davam edir."], ["Elmira Məmmədli"]),
    ("az", ["Mövlud Çavuşoğlunun sözlərinə görə, NATO güclüdür."], ["Mövlud Çavuşoğlu"]),
])
def test_azerbaijani_genitive_of_surnames_in_li_and_possessives(lang, sentences,
                                                                 speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. "X-in yaydığı (birgə) məlumatda" (in the statement X issued) and
    # "X-in verdiyi açıqlamada" name X, as "X-in sözlərinə görə" does ("" was the speaker).
    ("az", ["Müdafiə Nazirliyinin yaydığı məlumatda bildirilir ki, hücum dəf edilib."],
     ["Müdafiə Nazirliyi"]),
    ("az", ["Gürcüstan XİN-in yaydığı birgə məlumatda qeyd olunur ki, danışıqlar davam edir."],
     ["Gürcüstan XİN"]),
    ("az", ["Kremlin verdiyi açıqlamada deyilir ki, danışıqlar davam edir."], ["Kreml"]),
])
def test_azerbaijani_statement_issued_by_a_genitive(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


def test_azerbaijani_names_are_looked_up_in_their_russian_spelling() -> None:
    pytest.importorskip("pymorphy3")
    assert morph.az_known_name("Obama") and morph.az_known_name("Ərdoğan")
    assert not morph.az_known_name("Obaman") and not morph.az_known_name("Puti")
    # A lowercase word is no name, whatever the dictionary says.
    assert not morph.az_known_name("putin")


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # "segundo"/"selon" a rule or plan (the spelling agreement, the timetable) names nobody.
    ("pt", ["A autora escreve segundo o novo acordo ortográfico."], [""]),
    ("fr", ["Selon le calendrier prévu, les troupes arriveront en mai."], [""]),
    ("pt", ["Segundo o Kremlin, os exercícios são uma provocação."], ["Kremlin"]),
])
def test_romance_according_to_a_rule_names_no_source(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. Bulgarian "според плана" (as planned), "според закона" name
    # nobody ("плана" and "закона" were the speakers); a source still does (a guard).
    ("bg", ["Според плана учението ще продължи до петък."], [""]),
    ("bg", ["Според закона президентът подписва указа."], [""]),
    ("bg", ["Според Кремъл учението е провокация."], ["Кремъл"]),
])
def test_bulgarian_according_to_a_rule_names_no_source(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. Bulgarian "Това заяви X" and Ukrainian "Про це заявив X", "Це
    # заявив X" front the object as Russian "Об этом заявил X" does: X speaks.
    ("bg", ["Това заяви външният министър Иван Колев."], ["Иван Колев"]),
    ("bg", ["Това каза пред БНТ премиерът Петър Стоянов."], ["Петър Стоянов"]),
    ("uk", ["Про це заявив міністр оборони Олексій Коваль."], ["Олексій Коваль"]),
    ("uk", ["Про це повідомив речник Генштабу Андрій Лисенко."], ["Андрій Лисенко"]),
    ("uk", ["Це заявив Андрій Лисенко."], ["Андрій Лисенко"]),
])
def test_bulgarian_and_ukrainian_fronted_this(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. The capitalised last word of an institution's name is its
    # complement, not an apposition ("России", "України" were the speakers).
    ("ru", ["Министерство обороны России заявило, что учения завершены."],
     ["Министерство обороны России"]),
    ("uk", ["Міністерство оборони України повідомило, що атаку відбито."],
     ["Міністерство оборони України"]),
    # ... while a common noun before a name is still its apposition (a guard).
    ("sv", ["I dag meddelade flygplatsbolaget Swedavia att flygen ställs in."],
     ["Swedavia"]),
])
def test_an_institution_keeps_its_complement(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. An object opened by an accusative-only demonstrative is fronted:
    # the speaker follows the verb ("Цю тезу регулярно" and "Эту позицию" were the
    # speakers).
    ("uk", ["Цю тезу регулярно повторює речниця МЗС Росії Марія Коваль."], ["Марія Коваль"]),
    ("ru", ["Эту позицию повторил министр Сергей Орлов."], ["Сергей Орлов"]),
    # "Эти страны" may be the subject, so "эти" opens no fronted object (a guard).
    ("ru", ["Эти страны заявили, что поддержат Киев."], ["Эти страны"]),
])
def test_slavic_fronted_accusative_object(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A Bulgarian title chained to its office and country by "на"
    # names the person after it; the chain is no adverbial that ends the speaker.
    ("bg", ["Планът е „опасна грешка“, заяви заместник-министърът на външните работи на "
            "Русия Олег Петров."], ["Олег Петров"]),
    ("bg", ["„Учението е отбранително“, заяви турският министър на отбраната Мехмет Озтюрк."],
     ["Мехмет Озтюрк"]),
    # An adverbial before the name still ends the chain; a title alone is an anaphor.
    ("bg", ["„Не“, каза министърът на отбраната."], [""]),
])
def test_bulgarian_title_chains_with_na(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. Bulgarian "Според него/нея/тях" (in his/her/their view) and
    # "По думите им" refer back to the last speaker, as "По думите му" does.
    ("bg", ["„Учението е провокация“, заяви Мая Колева.",
            "Според нея планът е бил разкрит от разузнаването."], ["Мая Колева", "Мая Колева"]),
    ("bg", ["Според тях учението е провокация."], [""]),
    # An acronym after a name in a fronted source without a comma opens the clause.
    ("bg", ["По думите на Иван Колев НАТО ще засили присъствието си."], ["Иван Колев"]),
    # A capitalised title before a lone surname is dropped, and the surname expanded.
    ("bg", ["Премиерът Петър Петков пристигна в Киев.",
            "Министър Петков заяви, че армията е готова."], ["", "Петър Петков"]),
    # "От X съобщиха" (from X they reported): X speaks, without the preposition.
    ("bg", ["От Министерството на отбраната съобщиха, че учението започва."],
     ["Министерството на отбраната"]),
    # ... and a one-word X, which "От" does not join as a first name ("От Кремъл" was a
    # person that "Кремъл" expanded to, in this sentence and the one before).
    ("bg", ["Кремъл отрече.", "От Кремъл заявиха, че няма да преговарят."],
     ["Кремъл", "Кремъл"]),
])
def test_bulgarian_pronoun_sources_acronyms_titles_and_origin(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. Bulgarian nouns have no cases: after "по думите на" a source
    # stays as written ("министъра" is the definite form; it was "министър", and
    # "Колева" was "Колев").
    ("bg", ["По думите на министъра, учението е провокация."], ["министъра"]),
    ("bg", ["По думите на Колева, учението е провокация."], ["Колева"]),
])
def test_bulgarian_sources_are_not_put_in_a_case(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A Bulgarian source fronted without a comma ends where its chain
    # of "на" complements ends; the clause after it is not part of it ("Министерството",
    # "министъра", "Кремъл НАТО", "говорителя" were the speakers).
    ("bg", ["Според Министерството на отбраната учението ще продължи."],
     ["Министерството на отбраната"]),
    ("bg", ["Според Министерството на външните работи на Русия учението е провокация."],
     ["Министерството на външните работи на Русия"]),
    ("bg", ["Според руското министерство на отбраната учението ще продължи."],
     ["руското министерство на отбраната"]),
    ("bg", ["По думите на министъра на отбраната учението е провокация."],
     ["министъра на отбраната"]),
    ("bg", ["Според Кремъл НАТО е заплаха."], ["Кремъл"]),
    ("bg", ["По думите на говорителя на Кремъл Дмитрий Песков НАТО е заплаха."],
     ["Дмитрий Песков"]),
    # ... and with a comma (it was "Министерството" too); a lone source stays one word
    # (the last two passed before: guards).
    ("bg", ["Според Министерството на отбраната, учението ще продължи."],
     ["Министерството на отбраната"]),
    ("bg", ["Според Лавров НАТО провокира Русия."], ["Лавров"]),
    ("bg", ["Според експерти учението е провокация."], ["експерти"]),
])
def test_bulgarian_fronted_sources_without_a_comma(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. An institution in the locative before an impersonal plural
    # speech verb speaks, in the nominative as after "по данным" (these gave "" or
    # "У Кремлі").
    ("ru", ["В Кремле заявили, что ответят на расширение НАТО."], ["Кремль"]),
    ("uk", ["У Кремлі заявили, що відповідять на розширення НАТО."], ["Кремль"]),
    ("ru", ["В МИД России считают, что это провокация."], ["МИД России"]),
    ("ru", ["В Пентагоне также заявили, что помощь продолжится."], ["Пентагон"]),
    ("ru", ["В Министерстве обороны России сообщили, что учения завершены."],
     ["Министерство обороны России"]),
    ("uk", ["В Офісі президента заявили, що атаку відбито."], ["Офіс президента"]),
    # ... but a place says where, not who (a capital speaks for its government:
    # test_capitals_in_the_locative_speak_for_their_government), and a named subject
    # speaks itself (guards: these passed before).
    ("ru", ["В Самаре заявили, что ответят."], [""]),
    ("ru", ["В Кремле Владимир Путин заявил, что ответит."], [""]),
])
def test_russian_and_ukrainian_institutions_in_the_locative(lang, sentences,
                                                            speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A fronted locative institution with a short aside between
    # commas, or named by a lowercase institution noun, still speaks ("" was the speaker).
    ("ru", ["В Кремле, в свою очередь, заявили, что переговоры возможны."], ["Кремль"]),
    ("ru", ["В МИД России, напротив, решение назвали провокацией."], ["МИД России"]),
    ("ru", ["В штаб-квартире НАТО подтвердили, что саммит состоится."],
     ["штаб-квартира НАТО"]),
    # ... but an aside with a clause of its own is no aside (a guard: it passed before).
    ("ru", ["В Кремле, где выступал Путин, заявили, что ответят."], [""]),
])
def test_russian_locative_institutions_with_asides(lang, sentences, speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. "говорится в X" / "йдеться у X" (it is said in X): the document
    # in the nominative, its adjective agreeing, or the issuer named after it ("" was
    # the speaker).
    ("ru", ["Приглашение будет направлено, говорится в итоговом коммюнике."],
     ["итоговое коммюнике"]),
    ("ru", ["Москва ответит, говорится в заявлении Министерства обороны России."],
     ["Министерство обороны России"]),
    ("uk", ["Атаку відбито, йдеться у повідомленні Генштабу."], ["Генштаб"]),
    # A lowercase issuer refers back to one not named here (a guard: it passed before).
    ("ru", ["Москва ответит, говорится в заявлении ведомства."], [""]),
])
def test_russian_and_ukrainian_said_in_a_document(lang, sentences, speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. Plural speech verbs of impersonal institutional reports were
    # missing ("" was the speaker).
    ("ru", ["В Кремле подчеркнули, что переговоры возможны."], ["Кремль"]),
    ("ru", ["В Кремле решение объяснили соображениями безопасности."], ["Кремль"]),
    ("ru", ["Москва ответит, пояснили в МИД России."], ["МИД России"]),
    ("uk", ["У Кремлі підкреслили, що переговори можливі."], ["Кремль"]),
])
def test_russian_and_ukrainian_plural_speech_verbs(lang, sentences, speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A Ukrainian place in the locative before an impersonal verb says
    # where, not who: the Ukrainian dictionary tags no places, so "Прага" and "Варшава"
    # were institutions; "У Варшаві" is no speaker either (a capital on the list of
    # lexicon.CAPITALS speaks for its government: "У Москві заявили" -> "Москва").
    ("uk", ["У Празі заявили, що відповідять."], [""]),
    ("uk", ["У Варшаві заявили, що відповідять."], [""]),
    # ... while an institution still speaks (a guard: it passed before).
    ("uk", ["У Пентагоні заявили, що допомога триватиме."], ["Пентагон"]),
])
def test_ukrainian_places_in_the_locative_do_not_speak(lang, sentences, speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A Ukrainian city the Russian dictionary does not know in its
    # Ukrainian spelling, or knows as a place only in a Russian one ("Львов"), names no
    # one before the verb or after it ("Харко", a surname reading, "Одеса" and "Львов"
    # were the speakers); nor does a Russian city after the verb ("Самара" was).
    ("uk", ["У Харкові заявили, що обстріл тривав дві години."], [""]),
    ("uk", ["В Одесі заявили, що обстріл тривав дві години."], [""]),
    ("uk", ["Про це повідомили у Львові."], [""]),
    ("uk", ["Про це повідомили у Харкові."], [""]),
    ("uk", ["Удар завдано вночі, повідомили у Львові."], [""]),
    ("uk", ["Як повідомили у Львові, удар завдано вночі."], [""]),
    ("ru", ["Об этом сообщили в Самаре."], [""]),
    ("ru", ["Как сообщили в Самаре, обстрел продолжался."], [""]),
    # Helsinki and Tallinn speak for their governments, as the written corpus's gold has
    # it ("" was the speaker before the verb).
    ("ru", ["В Таллине утверждают, что судно входит в теневой флот."], ["Таллин"]),
    # ... while institutions still speak, a person named after the place speaks, and a
    # capital on the list does (guards: these passed before).
    ("uk", ["У Кремлі заявили, що переговорів не буде."], ["Кремль"]),
    ("uk", ["У Генштабі заявили, що атаку відбито."], ["Генштаб"]),
    ("uk", ["У Міноборони заявили, що атаку відбито."], ["Міноборони"]),
    ("uk", ["У Міністерстві оборони заявили, що атаку відбито."], ["Міністерство оборони"]),
    ("uk", ["У Держдепі заявили, що допомога триватиме."], ["Держдеп"]),
    ("uk", ["Про це повідомили у Пентагоні."], ["Пентагон"]),
    ("uk", ["Про це сказав у Львові Сергій Коваль."], ["Сергій Коваль"]),
    ("ru", ["Об этом сказал в Самаре Сергей Лавров."], ["Сергей Лавров"]),
    ("uk", ["Про це заявили у Києві."], ["Київ"]),
])
def test_ukrainian_cities_in_the_locative_name_no_one(lang, sentences, speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A capital in the locative right before an impersonal plural
    # speech verb speaks for its government, in the nominative as "В Кремле заявили" ->
    # "Кремль" ("У Києві" and "" were the speakers); after the verb too ("Києві" was).
    ("uk", ["У Києві заявили, що Росія готує наступ."], ["Київ"]),
    ("uk", ["В Києві заявили, що Росія готує наступ."], ["Київ"]),
    ("uk", ["Про це заявили у Києві."], ["Київ"]),
    ("uk", ["У Мінську заявили, що навчання завершено."], ["Мінськ"]),
    ("uk", ["У Тбілісі заявили, що вступ до НАТО можливий."], ["Тбілісі"]),
    ("ru", ["В Киеве заявили, что Россия готовит наступление."], ["Киев"]),
    ("ru", ["В Вашингтоне заявили, что помощь продолжится."], ["Вашингтон"]),
    ("ru", ["В Брюсселе считают, что альянс един."], ["Брюссель"]),
    ("ru", ["В Баку заявили, что переговоры продолжатся."], ["Баку"]),
    ("ru", ["В Ереване считают, что ОДКБ бездействует."], ["Ереван"]),
    ("ru", ["В Пекине заявили, что выступают за мир."], ["Пекин"]),
    ("ru", ["В Киеве, в свою очередь, заявили, что готовы к переговорам."], ["Киев"]),
    ("ru", ["В Москве заявили, что ответят на расширение НАТО."], ["Москва"]),
    ("uk", ["У Москві заявили, що відповідять."], ["Москва"]),
    # ... but not without a plural impersonal speech verb, nor with an object between the
    # city and the verb (the written corpus's gold: the outlet describes a reaction),
    # nor for a city not on the list (guards: these passed before).
    ("ru", ["В Киеве прошла встреча министров."], [""]),
    ("uk", ["У Києві пройшла зустріч міністрів."], [""]),
    ("ru", ["В Киеве заявил Зеленский, что альянс един."], ["Зеленский"]),
    ("ru", ["В Брюсселе визит прокомментировали сдержанно."], [""]),
    ("ru", ["В Харькове заявили, что обстрел продолжался."], [""]),
])
def test_capitals_in_the_locative_speak_for_their_government(lang, sentences,
                                                             speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. An acronym the dictionary does not know, in the locative with
    # or without an adjective ("ОВА", the regional military administration), is an
    # institution before a plural speech verb too, its adjective in the nominative
    # ("" and "У Харківській ОВА" were the speakers; "Харківській" after the verb).
    ("uk", ["В Харківській ОВА заявили, що обстріл тривав годину."], ["Харківська ОВА"]),
    ("uk", ["У Харківській ОВА заявили, що обстріл тривав годину."], ["Харківська ОВА"]),
    ("uk", ["В ОВА заявили, що обстріл тривав годину."], ["ОВА"]),
    ("uk", ["Про це повідомили в Харківській ОВА."], ["Харківська ОВА"]),
    ("ru", ["В Харьковской ОВА заявили, что обстрел продолжался."], ["Харьковская ОВА"]),
    ("uk", ["У ЗСУ заявили, що атаку відбито."], ["ЗСУ"]),
    # A place in capitals names no one before the verb ("У США" was the speaker).
    ("uk", ["У США заявили, що допомога триватиме."], [""]),
    # ... as after the verb ("повідомили в ОВА"), and a named subject speaks (guards:
    # these passed before).
    ("uk", ["Про це повідомили в ОВА."], ["ОВА"]),
    ("uk", ["У Харківській ОВА Олег Синєгубов заявив, що обстріл тривав."],
     ["Олег Синєгубов"]),
])
def test_an_unknown_acronym_in_the_locative_is_an_institution(lang, sentences,
                                                              speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. An institution or place in the locative after the verb, or
    # after "как сообщили", is the speaker in the nominative ("Кремле", "Министерстве",
    # "в", "Москве" were the speakers).
    ("ru", ["Об этом заявили в Кремле."], ["Кремль"]),
    ("ru", ["Об этом сообщили в Министерстве обороны России."],
     ["Министерство обороны России"]),
    ("uk", ["«Ми відповімо», — заявили у Кремлі."], ["Кремль"]),
    ("ru", ["Как заявили в Кремле, Москва ответит."], ["Кремль"]),
    ("uk", ["Як повідомили у Генштабі, атаку відбито."], ["Генштаб"]),
    ("ru", ["Об этом заявили в Москве."], ["Москва"]),
    # ... and a name after the place speaks ("Москве Сергей Лавров" was the speaker).
    ("ru", ["Об этом сказал в Москве Сергей Лавров."], ["Сергей Лавров"]),
    # An indeclinable place stays as written (a guard: it passed before).
    ("ru", ["Постоянных баз не планируется, подчеркивают в Хельсинки."], ["Хельсинки"]),
])
def test_russian_and_ukrainian_locatives_after_the_verb(lang, sentences, speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A lowercase institution in the locative after the verb speaks,
    # and is nobody's title ("администрация президента" is not the president named
    # before; the speaker was that president, or "в министерстве обороны").
    ("ru", ["Президент Садык Асанов прибыл в Москву.",
            "Бишкек не выйдет из ОДКБ, заявили в администрации президента."],
     ["", "администрация президента"]),
    ("uk", ["Москва відповість, заявили в адміністрації президента."],
     ["адміністрація президента"]),
    ("ru", ["Как сообщили в министерстве обороны, учения завершены."],
     ["министерство обороны"]),
    # A lowercase adverbial in the locative is no institution (a guard: it passed before).
    ("ru", ["Москва ответит, заявили в прошлом году."], [""]),
])
def test_russian_and_ukrainian_lowercase_institutions_after_the_verb(lang, sentences,
                                                                     speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A denied speech verb reports nothing; the negation was taken
    # into the speaker ("Лавров не", "Tusk nie").
    ("ru", ["Лавров не сказал, когда начнутся переговоры."], [""]),
    ("uk", ["Коваль не уточнив, коли почнуться переговори."], [""]),
    ("bg", ["Колев не каза кога ще започнат преговорите."], [""]),
    ("pl", ["Tusk nie powiedział, kiedy rozpoczną się rozmowy."], [""]),
    # ... unlike a negation inside what is said (a guard: it passed before).
    ("ru", ["Лавров сказал, что переговоры не начнутся."], ["Лавров"]),
])
def test_slavic_denied_speech_verb_reports_nothing(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("sentences", "title", "speakers"), [
    # Invented sentences. A surname in the nominative (a transcript label, a subject)
    # expanded by a full name seen only in another case in the title gets the full name
    # in the nominative ("Далипа Сингха" was the speaker).
    (["Д.Сингх: Закройте уши.", "Это решение ослабит давление."],
     "Брифинг пресс-секретаря и Далипа Сингха", ["Далип Сингх", "Далип Сингх"]),
    (["Сингх заявил, что санкции работают."], "Брифинг пресс-секретаря и Далипа Сингха",
     ["Далип Сингх"]),
    # A surname the dictionary does not know: the first name in the nominative and the
    # surname as the label writes it ("Игорем Руденей" was the speaker).
    (["Встреча с Игорем Руденей прошла в Твери.", "И.Руденя: Да, город растёт."], "",
     ["", "Игорь Руденя"]),
])
def test_russian_full_name_from_another_case_is_put_in_the_nominative(sentences, title,
                                                                      speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, "ru", title) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. "дом" is a nominative, not an instrumental in -ом ("Белый д"
    # was the speaker).
    ("ru", ["Белый дом заявил, что помощь продолжится."], ["Белый дом"]),
    ("ru", ["По данным Белого дома, помощь продолжится."], ["Белый дом"]),
    ("ru", ["В Белом доме заявили, что помощь продолжится."], ["Белый дом"]),
])
def test_russian_white_house_keeps_its_last_letters(lang, sentences, speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. French "M."/"Mme" (Mr/Mrs) before a name is no part of it.
    ("fr", ["Emmanuel Lefort est arrivé à Kiev.", "« Non », a dit M. Lefort."],
     ["", "Emmanuel Lefort"]),
    ("fr", ["Mme Girard a déclaré que la France est prête."], ["Girard"]),
    # ... also with the article before it ("Sr Costa", "Pr Martin" were the speakers).
    ("pt", ["O Sr. Costa afirmou que a guerra vai durar."], ["Costa"]),
    ("pt", ["O Sr Costa afirmou que a guerra vai durar."], ["Costa"]),
    ("fr", ["Le Pr. Martin a déclaré que la guerre durera."], ["Martin"]),
    # An article before a source that is no honorific stays dropped (a guard).
    ("pt", ["O Kremlin afirmou que a guerra vai durar."], ["Kremlin"]),
])
def test_french_honorifics_are_dropped(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. Portuguese "Para X, ..." and French "Pour X, ..." (in X's view)
    # name X when X holds views: a title, a person or a lone name; a pronoun refers back.
    ("pt", ["Para analistas próximos ao Kremlin, a cimeira mostrou fraqueza."],
     ["analistas próximos ao Kremlin"]),
    ("fr", ["Pour les analystes russes, le sommet est un échec."], ["analystes russes"]),
    ("fr", ["« Non », a déclaré Anne Roux.", "Pour elle, c'est une provocation."],
     ["Anne Roux", "Anne Roux"]),
    # ... but not a purpose, a time, a discourse phrase or a group written about (these
    # three passed before: guards).
    ("pt", ["Para garantir a paz, a NATO enviou tropas."], [""]),
    ("fr", ["Pour la première fois, l'OTAN a réagi."], [""]),
    ("fr", ["Pour les Européens, l'enjeu est d'élargir leurs options."], [""]),
    # A title closed by a comma, then a name: the name; alone, the description whole.
    ("pt", ["Segundo o porta-voz do Kremlin, Dmitri Sokolov, a medida é hostil."],
     ["Dmitri Sokolov"]),
    ("pt", ["Segundo o porta-voz do Kremlin, a medida é hostil."], ["porta-voz do Kremlin"]),
    # ... after "Para"/"Pour" as after "Segundo".
    ("pt", ["Para o porta-voz do Kremlin, Dmitri Sokolov, a medida é hostil."],
     ["Dmitri Sokolov"]),
    ("fr", ["Pour le porte-parole du Kremlin, Dmitri Sokolov, c'est inacceptable."],
     ["Dmitri Sokolov"]),
    # A constitution is a rule, nobody's statement.
    ("pt", ["A Moldávia é um país neutro, segundo a sua Constituição."], [""]),
    # A Portuguese double surname keeps its first name.
    ("pt", ["O presidente Mário Rebelo de Castro disse que Portugal está pronto."],
     ["Mário Rebelo de Castro"]),
])
def test_romance_views_appositions_and_double_surnames(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. The Portuguese double surname is Portuguese: elsewhere the word
    # before "First de Surname" is an adverbial or a title, not the first name.
    ("de", ["EZB-Vize Luis de Guindos sagte, die Inflation sinke."], ["Luis de Guindos"]),
    ("pl", ["Wczoraj Luis de Guindos powiedział, że inflacja spada."], ["Luis de Guindos"]),
    ("fr", ["Lundi Dominique de Villepin a déclaré que la France doit agir."],
     ["Dominique de Villepin"]),
])
def test_the_double_surname_rule_is_portuguese_only(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A lowercase description after a source preposition, closed by a
    # comma, is the source with its complements (the head in the nominative).
    ("uk", ["За даними служби стратегічних комунікацій ЄС, кампанії фінансуються з Москви."],
     ["служба стратегічних комунікацій ЄС"]),
    ("bg", ["Според анализатори от БАН, учението е провокация."], ["анализатори от БАН"]),
])
def test_a_closed_description_after_a_source_preposition_is_whole(lang, sentences,
                                                                  speakers) -> None:
    if lang == "uk":
        pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. Azerbaijani verb-final reports after a quote: the words before
    # the final verb ('"…", - deyə X bildirib', '"…", - X deyib') speak.
    ("az", ["Prezident Rauf Məmmədli Brüsseldə görüşlər keçirib.",
            '"Biz sülh istəyirik", - deyə Məmmədli bildirib.'], ["", "Rauf Məmmədli"]),
    ("az", ['"Biz sülh istəyirik", - Məmmədli deyib.'], ["Məmmədli"]),
    ("az", ["Nazir Elvin Qasımov Bakıda jurnalistlərlə görüşüb.",
            '"Danışıqlar davam edir", - deyə o bildirib.'], ["", "Elvin Qasımov"]),
])
def test_azerbaijani_verb_final_reports_after_a_quote(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A link line ("Lesen Sie auch: …") is a label of the page, no
    # speaker: its words are never what a later quote or "sagte er" refers to.
    ("de", ["Lesen Sie auch: Neue Waffen für Kiew", "„Wir sind bereit.“",
            "Das sei wichtig, sagte er."], ["", "", ""]),
    ("sv", ["Läs också: Anna Berg svarar kritikerna", "– Vi är redo.",
            "– Det är viktigt, säger han."],
     ["", "", ""]),
    ("sv", ["LÄS MER: Anna Berg svarar kritikerna", "– Vi är redo.",
            "– Det är viktigt, säger han."],
     ["", "", ""]),
    ("en", ["Read more: Baltic States Ask For Help", '"We are ready," he said.'], ["", ""]),
    ("ru", ["Читайте также: Сергей Иванов ответил Западу", "«Мы готовы», — сказал он."],
     ["", ""]),
    # ... in the link words the sentence splitter knew and the sources rules did not (one
    # list, segment.PAGE_LABEL, serves both since 2026-12-06).
    ("sv", ["Läs även: Anna Berg svarar kritikerna", "– Vi är redo.",
            "– Det är viktigt, säger han."], ["", "", ""]),
    ("en", ["Also read: John Smith answers his critics", '"We are ready," he said.'],
     ["", ""]),
    ("de", ["Weiterlesen: Olaf Scholz antwortet", "„Wir sind bereit“, sagte er."], ["", ""]),
    ("ru", ["Смотрите также: Сергей Иванов ответил Западу", "«Мы готовы», — сказал он."],
     ["", ""]),
    ("uk", ["Дивіться також: Петро Іваненко відповів Заходу", "«Ми готові», — сказав він."],
     ["", ""]),
])
def test_a_link_line_is_no_speaker(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A credit line ("Foto: Erik Svensson/TT", "Text: …") names the
    # photographer or author, no speaker: neither the following interview turns nor a
    # later "säger hon" refer to it.
    ("sv", ["Foto: Erik Svensson/TT", "– Vi är redo.", "– Det är viktigt, säger hon."],
     ["", "", ""]),
    ("sv", ["Regeringen beslutade i dag.", "Foto: Erik Svensson/TT", "– Vi är redo.",
            "Det är viktigt, säger hon."], ["", "", "", ""]),
    ("de", ["Bild: Anna Schmidt/dpa", "„Wir sind bereit“, sagte sie."], ["", ""]),
    ("en", ["Photo: John Smith/AP", '"We are ready," she said.'], ["", ""]),
    ("ru", ["Фото: Иван Петров/ТАСС", "«Мы готовы», — сказал он."], ["", ""]),
    ("fi", ["Kuva: Matti Virtanen/Lehtikuva", "– Olemme valmiita, hän sanoi."], ["", ""]),
    ("bg", ["Снимка: Иван Петров/БТА", "„Готови сме“, каза той."], ["", ""]),
    ("sv", ["Text: Anna Berg och Erik Svensson", "– Vi är redo, säger hon."], ["", ""]),
    ("en", ["Source: John Smith/AP", '"We are ready," he said.'], ["", ""]),
])
def test_a_credit_line_is_no_speaker(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A soft hyphen (U+00AD) or another invisible format character
    # inside a word does not cut it; the speaker is returned without it.
    ("de", ["Die Ver\u00adteidigungsministerin sagte: „Wir sind bereit.“"],
     ["Die Verteidigungsministerin"]),
    ("de", ["Die Ver\u00adteidigungsministerin sagte, die Lage sei ernst."],
     ["Die Verteidigungsministerin"]),
    ("sv", ["– Vi är redo, säger för\u00adsvarsminister Anna Berg\u200b."], ["Anna Berg"]),
    ("en", ['"We are ready," said Sen\u00adator John Smith\u2060son.'], ["John Smithson"]),
])
def test_an_invisible_format_character_does_not_cut_a_speaker(lang, sentences,
                                                               speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. An abbreviated title with its period ("gen.", "проф.") before a
    # name does not end the speaker: the name is, as after a written-out title
    # ("Министър Петков" -> "Петков").
    ("pl", ["Jak powiedział gen. Kukuła, armia jest gotowa."], ["Kukuła"]),
    ("pl", ["Według płk. Nowaka armia jest gotowa."], ["Nowak"]),
    ("bg", ["Според проф. Иванов войната ще продължи."], ["Иванов"]),
    ("bg", ["Проф. Иванов каза, че войната ще продължи."], ["Иванов"]),
    ("ru", ["По словам проф. Иванова, война продолжится."], ["Иванов"]),
])
def test_an_abbreviated_title_does_not_end_the_speaker(lang, sentences, speakers) -> None:
    if lang == "ru":
        pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A Cyrillic genitive before an initial and a surname is the
    # office's country, not a first name ("МИД России М. Захарова").
    ("ru", ["МИД России М. Захарова заявила, что Москва ответит."], ["М. Захарова"]),
    ("ru", ["Представитель МИД Франции Ж. Дюпон заявил, что Париж поможет."], ["Ж. Дюпон"]),
    ("uk", ["Речник МЗС України О. Ніколенко заявив, що Київ відповість."], ["О. Ніколенко"]),
    ("ru", ["Глава МИД России С. Лавров заявил, что Москва ответит."], ["С. Лавров"]),
])
def test_a_genitive_before_an_initial_is_no_first_name(lang, sentences, speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A source preposition opening a clause after a dash or a colon
    # ("– Selon M. Macron, …", "Ukraine : Selon …") is not part of the name after it.
    ("fr", ["– Selon M. Macron, la guerre durera."], ["Macron"]),
    ("fr", ["Guerre en Ukraine : Selon M. Macron, la guerre durera."], ["Macron"]),
    ("fr", ["Analyse – Selon Mme Borne, la guerre durera."], ["Borne"]),
])
def test_a_source_preposition_after_a_dash_is_not_in_the_name(lang, sentences,
                                                              speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. The period of an abbreviated honorific or title after a source
    # preposition ends neither the sentence nor the source ("Selon Mme. Borne" gave "Mme"):
    # the source is what it is without the period.
    ("fr", ["Selon Mme. Borne, la guerre durera."], ["Borne"]),
    ("fr", ["Selon Mlle. Borne, la guerre durera."], ["Borne"]),
    ("fr", ["Selon Mme. Élisabeth Borne, la guerre durera."], ["Élisabeth Borne"]),
    ("fr", ["Selon le Pr. Martin, la guerre durera."], ["Martin"]),
    ("fr", ["Selon le Pr Martin, la guerre durera."], ["Martin"]),
    ("fr", ["Selon Dr. Martin, la guerre durera."], ["Martin"]),
    ("pt", ["Segundo o Sr. Costa, a guerra vai durar."], ["Costa"]),
    ("pt", ["Segundo a Sra. Costa, a guerra vai durar."], ["Costa"]),
    ("pt", ["Segundo a Dra. Costa, a guerra vai durar."], ["Costa"]),
    # English keeps its honorifics, as "Mrs. Smith said" gives "Mrs Smith".
    ("en", ["According to Mrs. Smith, the war will go on."], ["Mrs Smith"]),
    ("en", ["According to Mr. Smith, the war will go on."], ["Mr Smith"]),
    ("en", ["According to Ms. Smith, the war will go on."], ["Ms Smith"]),
    ("de", ["Laut Prof. Müller wird der Krieg dauern."], ["Müller"]),
    ("sv", ["Enligt dr. Andersson kommer kriget att fortsätta."], ["Andersson"]),
])
def test_an_abbreviated_honorific_does_not_end_the_source(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A chain of abbreviated titles ("Dr." was the speaker), Cyrillic
    # "д-р" declined with a hyphen ("д-р"), and a first name with the surname closed by
    # a comma ("John" was the speaker) after a source preposition.
    ("de", ["Laut Prof. Dr. Müller wird der Krieg dauern."], ["Müller"]),
    ("en", ["According to Dr. John Smith, the war will go on."], ["John Smith"]),
    ("en", ["According to Prof. John Smith, the war will go on."], ["John Smith"]),
    ("ru", ["По мнению д-ра Иванова, война продолжится."], ["Иванов"]),
    ("uk", ["На думку д-ра Іванова, війна триватиме."], ["Іванов"]),
    ("bg", ["Според д-р Иванов войната ще продължи."], ["Иванов"]),
    # Guards (these passed before): a lone surname, and without a comma the surname
    # alone, since the clause may open with a capital right after it.
    ("en", ["According to Dr. Smith, the war will go on."], ["Smith"]),
    ("de", ["Laut Dr. Müller Russland droht mit Krieg."], ["Müller"]),
    ("bg", ["Според проф. Иванов войната ще продължи."], ["Иванов"]),
])
def test_titles_abbreviated_in_a_chain_or_with_a_hyphen(lang, sentences, speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. An acronym after a verb and "в"/"у" is the institution that
    # speaks, the same in every case; the preposition is not part of it.
    ("uk", ["Про це повідомили в ОВА."], ["ОВА"]),
    ("uk", ["Як повідомили у ЗСУ, обстріл тривав усю ніч."], ["ЗСУ"]),
    ("uk", ["Про це повідомили в ОВА Сергій Коваль."], ["Сергій Коваль"]),
])
def test_an_acronym_in_the_locative_is_the_source(lang, sentences, speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A fronted Bulgarian source: a lowercase title before a lone
    # surname gives the surname, with or without a comma, as "Министър Петков" does
    # (without a comma it gave the title alone).
    ("bg", ["Според министър Петков войната ще продължи."], ["Петков"]),
    ("bg", ["Според министър Петков, войната ще продължи."], ["Петков"]),
    ("bg", ["Според говорителя на Кремъл Дмитрий Песков НАТО е заплаха."], ["Дмитрий Песков"]),
])
def test_a_bulgarian_title_keeps_its_surname_without_a_comma(lang, sentences,
                                                             speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


def test_eval_of_a_folder_that_is_no_corpus_is_an_error_not_a_traceback(tmp_path, capsys):
    # It raised DataError out of main: a traceback, exit 1.
    assert main(["eval", "--corpus-dir", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("2 problem(s) found:\n")
    assert f"{tmp_path / 'sentences.jsonl'}: file does not exist" in captured.err
    (tmp_path / "articles.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / "sentences.jsonl").write_text('{"id": 1\n', encoding="utf-8")
    assert main(["eval", "--corpus-dir", str(tmp_path), "--errors"]) == 2
    assert "sentences.jsonl:1: malformed JSON" in capsys.readouterr().err


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A capitalised description by title at the start of a sentence
    # (Swedish definite form, German article and noun, a bare Russian or Ukrainian noun)
    # is the person named before with that title, as "The president added" is in English
    # (the description itself was the speaker).
    ("sv", ["Statsminister Ulf Kristersson sade att Sverige är redo.",
            "Statsministern tillade att Nato är viktigt."],
     ["Ulf Kristersson", "Ulf Kristersson"]),
    ("sv", ["Utrikesminister Tobias Billström sade att Sverige är redo.",
            "Mötet hölls i Stockholm.", "Utrikesministern tillade att Nato är viktigt."],
     ["Tobias Billström", "", "Tobias Billström"]),
    ("de", ["Bundeskanzler Olaf Scholz sagte, Deutschland sei bereit.",
            "Der Bundeskanzler fügte hinzu, die Nato sei wichtig."],
     ["Olaf Scholz", "Olaf Scholz"]),
    ("de", ["Präsident Wolodymyr Selenskyj sagte, die Ukraine sei bereit.",
            "Der Präsident fügte hinzu, die Nato sei wichtig."],
     ["Wolodymyr Selenskyj", "Wolodymyr Selenskyj"]),
    ("ru", ["Президент России Владимир Путин заявил, что Москва готова.",
            "Президент добавил, что НАТО угрожает."],
     ["Владимир Путин", "Владимир Путин"]),
    ("ru", ["Премьер Михаил Мишустин заявил, что бюджет готов.",
            "Премьер добавил, что санкции не помогут."],
     ["Михаил Мишустин", "Михаил Мишустин"]),
    ("uk", ["Президент України Володимир Зеленський заявив, що Київ готовий.",
            "Президент додав, що НАТО важливе."],
     ["Володимир Зеленський", "Володимир Зеленський"]),
    # With no one named by that title before, the description stays the speaker, and a
    # capitalised institution is no description (guards: these passed before).
    ("sv", ["Statsministern tillade att Nato är viktigt."], ["Statsministern"]),
    ("de", ["Der Präsident fügte hinzu, die Nato sei wichtig."], ["Der Präsident"]),
    ("ru", ["Президент добавил, что НАТО угрожает."], ["Президент"]),
    ("de", ["Bundeskanzler Olaf Scholz sagte, Deutschland sei bereit.",
            "Der Kreml wies das zurück."], ["Olaf Scholz", "Der Kreml"]),
])
def test_a_capitalised_description_refers_to_the_person_with_that_title(
        lang, sentences, speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences in the wire style of the written corpus (ru1-021: "Министр
    # иностранных дел России Сергей Лавров предупредил ..." then "Глава МИД РФ ...").
    # A Russian or Ukrainian title of several words, head noun first and the office in the
    # genitive after it, is the title a later description by its head refers to (only the
    # two words right before the name were kept, "дел россии": the description stayed the
    # speaker).
    ("ru", ["Министр иностранных дел России Сергей Лавров заявил, что Москва готова к "
            "переговорам.", "Министр добавил, что расширение НАТО угрожает безопасности."],
     ["Сергей Лавров", "Сергей Лавров"]),
    ("ru", ["Глава МИД России Сергей Лавров заявил, что Москва готова к переговорам.",
            "Глава МИД подчеркнул, что расширение НАТО угрожает безопасности."],
     ["Сергей Лавров", "Сергей Лавров"]),
    # "Глава МИД" is the foreign minister (lexicon.TITLE_SYNONYMS).
    ("ru", ["Министр иностранных дел России Сергей Лавров заявил, что Москва готова к "
            "переговорам.", "Глава МИД подчеркнул, что расширение НАТО угрожает "
            "безопасности."],
     ["Сергей Лавров", "Сергей Лавров"]),
    ("uk", ["Міністр закордонних справ України Дмитро Кулеба заявив, що Київ не піде на "
            "поступки.", "Міністр додав, що НАТО має посилити підтримку."],
     ["Дмитро Кулеба", "Дмитро Кулеба"]),
    ("uk", ["Речник МЗС України Олег Ніколенко заявив, що Київ не піде на поступки.",
            "Речник додав, що НАТО має посилити підтримку."],
     ["Олег Ніколенко", "Олег Ніколенко"]),
    # Two persons named with the title before: no one is the speaker (the last of them
    # was).
    ("ru", ["Министр иностранных дел России Сергей Лавров заявил, что Москва готова к "
            "переговорам.", "Министр обороны Сергей Шойгу заявил, что армия готова.",
            "Министр добавил, что расширение НАТО угрожает безопасности."],
     ["Сергей Лавров", "Сергей Шойгу", ""]),
    ("ru", ["Президент России Владимир Путин заявил, что Москва готова.",
            "Президент США Джо Байден заявил, что НАТО едино.",
            "Президент добавил, что альянс не угрожает России."],
     ["Владимир Путин", "Джо Байден", ""]),
    # A deputy minister is not the minister: "Министр добавил" after "Заместитель министра
    # ... Сергей Рябков" stays the description (it was Рябков); a deputy's description
    # still refers to him.
    ("ru", ["Заместитель министра иностранных дел России Сергей Рябков заявил, что Москва "
            "готова к переговорам.", "Министр добавил, что расширение НАТО угрожает "
            "безопасности."],
     ["Сергей Рябков", "Министр"]),
    ("ru", ["Заместитель министра иностранных дел России Сергей Рябков заявил, что Москва "
            "готова к переговорам.", "Заместитель министра добавил, что расширение НАТО "
            "угрожает безопасности."],
     ["Сергей Рябков", "Сергей Рябков"]),
    # Guards (they passed before): another office is another title, and the title of a
    # press secretary is not his president's.
    ("ru", ["Министр иностранных дел России Сергей Лавров заявил, что Москва готова к "
            "переговорам.", "Министр обороны добавил, что армия готова."],
     ["Сергей Лавров", "Министр обороны"]),
    ("ru", ["Пресс-секретарь президента Дмитрий Песков заявил, что Кремль не видит угрозы.",
            "Пресс-секретарь добавил, что переговоры продолжаются."],
     ["Дмитрий Песков", "Дмитрий Песков"]),
])
def test_a_description_refers_to_the_one_person_with_that_russian_or_ukrainian_title(
        lang, sentences, speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. Titles with an accent or a Polish letter are titles (TITLE_RE
    # had "presid", "general" and "ambassad" only): "Pour le président ukrainien," is a
    # view of someone who holds views ("" was the speaker), "Selon le Président Macron"
    # is Macron ("Président Macron" was) and "Generał" is dropped before a name.
    ("fr", ["Pour le président ukrainien, l'OTAN est forte."], ["président ukrainien"]),
    ("fr", ["Selon le Président Macron, l'OTAN est forte."], ["Macron"]),
    ("pl", ["Generał Rajmund Andrzejczak powiedział, że NATO jest silne."],
     ["Rajmund Andrzejczak"]),
    # ... and "Conseil" (a council) is no "conseiller" (a guard: it passed before).
    ("fr", ["Selon le Conseil de sécurité, l'OTAN est forte."], ["Conseil de sécurité"]),
])
def test_accented_titles_are_titles(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


def test_accented_titles_are_dropped_when_normalising() -> None:
    # "Président Emmanuel Macron" and "Emmanuel Macron" are one source (the title stayed).
    assert normalise("Président Emmanuel Macron") == "emmanuel macron"
    assert normalise("Général Pierre Schill") == "pierre schill"
    assert normalise("Prezydent Andrzej Duda") == "andrzej duda"
    assert normalise("Chancelier Olaf Scholz") == "olaf scholz"


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. The period of an abbreviated honorific after the verb ends
    # neither the sentence nor the speaker ("Mr", "Mme", "Sr" were the speakers): English
    # keeps the honorific without its period, as "Mr. Biden said" and "according to Mr.
    # Smith" do; French and Portuguese drop it.
    ("en", ["The alliance is strong, said Mr. Biden."], ["Mr Biden"]),
    ("en", ["The war will go on, said Ms. Jean-Pierre."], ["Ms Jean-Pierre"]),
    ("fr", ["La guerre durera, a déclaré Mme. Borne."], ["Borne"]),
    ("pt", ["A guerra vai durar, disse o Sr. Costa."], ["Costa"]),
    # A German honorific written out before abbreviated titles goes with them ("Dr.
    # Müller" and "Herrn Dr. Müller" were the speakers).
    ("de", ["Laut Frau Dr. Müller ist die Lage ernst."], ["Müller"]),
    ("de", ["Laut Herrn Prof. Dr. Müller ist die Lage ernst."], ["Müller"]),
    # ... and the forms that were consistent already stay so (guards: these passed before).
    ("en", ["The alliance is strong, said Mr Biden."], ["Mr Biden"]),
    ("en", ["Mr. Biden said the alliance is strong."], ["Mr Biden"]),
    ("en", ["Mr Biden said the alliance is strong."], ["Mr Biden"]),
    ("de", ["Laut Frau Müller ist die Lage ernst."], ["Frau Müller"]),
])
def test_an_abbreviated_honorific_after_the_verb_or_a_written_one_before_titles(
        lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A French or Portuguese title before a lone surname, lowercase
    # after a source preposition or capitalised after an article, goes as it does in
    # "Le président Macron a déclaré" -> "Macron" ("président Macron", "général Schill",
    # "general Silva", "porte-parole Peskov" and "Président Macron" were the speakers).
    ("fr", ["Selon le président Macron, l'OTAN est forte."], ["Macron"]),
    ("fr", ["Selon le général Schill, l'OTAN est forte."], ["Schill"]),
    ("fr", ["Selon le porte-parole Peskov, l'OTAN est forte."], ["Peskov"]),
    ("pt", ["Segundo o general Silva, a NATO é forte."], ["Silva"]),
    ("fr", ["Le Président Macron a déclaré que l'OTAN est forte."], ["Macron"]),
    ("pt", ["O Presidente Lula disse que a NATO é forte."], ["Lula"]),
    # ... while a title with an adjective or a complement stays whole, and a full name
    # keeps its first name (guards: these passed before).
    ("fr", ["Selon le ministre français, l'OTAN est forte."], ["ministre français"]),
    ("fr", ["Le Ministre français a déclaré que l'OTAN est forte."], ["Ministre français"]),
    ("fr", ["Selon le président de l'OTAN, l'alliance est forte."], ["président de l'OTAN"]),
    ("fr", ["Selon le président Emmanuel Macron, l'OTAN est forte."], ["Emmanuel Macron"]),
])
def test_a_romance_title_before_a_lone_surname_is_dropped(lang, sentences, speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentence", "speaker"), [
    # Invented sentences: after the verb too, a lowercase title with its article goes, as
    # drop_title says ("le président Macron" and "o general Silva" were the speakers: its
    # check that the second word is capitalised came before the article was dropped).
    ("fr", "« L'OTAN est forte », a déclaré le président Macron.", "Macron"),
    ("pt", "« A NATO é forte », afirmou o general Silva.", "Silva"),
    # ... while a title with an adjective stays whole (guard: passed before).
    ("fr", "« L'OTAN est forte », a déclaré le ministre français.", "ministre français"),
])
def test_a_romance_title_after_the_verb_is_dropped_with_its_article(lang, sentence,
                                                                     speaker) -> None:
    assert assign_sources([sentence], lang) == [speaker]


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A Ukrainian adjective that also reads as a noun ("Білому": "біле")
    # is the adjective before its noun, a head noun agrees with its adjective ("Раді" is
    # "рада", not "рад"), and "і" alternating with "о" is the same word ("домі" / "дім"):
    # "", "Білий" and "Верховна Рад" were the speakers.
    ("uk", ["У Білому домі заявили, що допомога триватиме."], ["Білий дім"]),
    ("uk", ["Про це повідомили у Білому домі."], ["Білий дім"]),
    ("uk", ["У Верховній Раді заявили, що закон ухвалять."], ["Верховна Рада"]),
    # ... as in Russian (guards: these passed before).
    ("ru", ["В Белом доме заявили, что помощь продолжится."], ["Белый дом"]),
    ("ru", ["В Государственной думе заявили, что закон примут."], ["Государственная дума"]),
])
def test_ukrainian_adjective_and_noun_of_a_locative_institution(lang, sentences,
                                                                speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # Invented sentences. A description by title after a source preposition is the person
    # named before with that title too ("statsministern", "Bundeskanzler" and "президент"
    # were the speakers).
    ("sv", ["Statsminister Ulf Kristersson sade att Sverige är redo.",
            "Enligt statsministern är Nato viktigt."], ["Ulf Kristersson", "Ulf Kristersson"]),
    ("de", ["Bundeskanzler Olaf Scholz sagte, Deutschland sei bereit.",
            "Laut dem Bundeskanzler ist die Nato wichtig."], ["Olaf Scholz", "Olaf Scholz"]),
    ("ru", ["Президент России Владимир Путин заявил, что Москва готова.",
            "По словам президента, НАТО угрожает."], ["Владимир Путин", "Владимир Путин"]),
    # ... and without such a person it stays the source (guards: these passed before).
    ("sv", ["Enligt statsministern är Nato viktigt."], ["statsministern"]),
    ("ru", ["По словам президента, НАТО угрожает."], ["президент"]),
])
def test_a_description_after_a_source_preposition_refers_back(lang, sentences,
                                                             speakers) -> None:
    pytest.importorskip("pymorphy3")
    assert assign_sources(sentences, lang) == speakers


def test_a_long_article_of_titled_surnames_is_attributed_in_linear_time(cpu_seconds) -> None:
    # Invented article of 12,000 sentences, each "Le président X a déclaré ...": every
    # lone surname after its title was checked against every titled name found so far
    # (about 72 million comparisons, some 4 s of CPU on top of the rules' own 1.5 s).
    # Four times the sentences take about four times as long, not sixteen.
    names = ["Macron", "Scholz", "Stoltenberg", "Lavrov"]
    sentences = [f"Le président {names[i % 4]} a déclaré que l'OTAN est forte."
                 for i in range(12_000)]
    assert assign_sources(sentences[:4], "fr") == names
    quarter = cpu_seconds(lambda: assign_sources(sentences[:3_000], "fr"))
    assert cpu_seconds(lambda: assign_sources(sentences, "fr")) < 8 * quarter


@pytest.mark.parametrize(("sentences", "speakers"), [
    # The Riksdag's reports of what a minister or a body said (real train split).
    (["Under konferensen i Sälen uttryckte utrikesministern Margot Wallström att "
      "regeringen står fast vid sin analys."], ["Margot Wallström"]),
    (["Försvarsminister Peter Hultqvist svarade på min interpellation.",
      "Försvarsministern anförde i sitt svar att systemet är utdaterat."],
     ["Peter Hultqvist", "Peter Hultqvist"]),
    (["Utrikesminister Margot Wallström har angivit att hon anser att ett medlemskap "
      "inte är önskvärt."], ["Margot Wallström"]),
    (["I november bedömde Lantbrukarnas Riksförbund att kostnaderna hade ökat."],
     ["Lantbrukarnas Riksförbund"]),
    (["Internationella fackliga samorganisationen uppskattar att 4 000 arbetare har dött."],
     ["Internationella fackliga samorganisationen"]),
    (["Nyligen avslöjade Dagens industri att beställningen inte valutasäkrats."],
     ["Dagens industri"]),
    (["FN:s kommitté för barns rättigheter har uppmanat Ryssland att upphöra med "
      "tvångsförflyttningarna."], ["FN:s kommitté för barns rättigheter"]),
    # Participles that report no one stay without a speaker.
    (["Ryssland återupprättade militärdistriktet, med det uttalade syftet att möta Natos "
      "utvidgning."], [""]),
    (["Ungern har ännu inte angett någon tidpunkt."], [""]),
])
def test_swedish_report_verbs_of_riksdag_prose(sentences, speakers) -> None:
    assert assign_sources(sentences, "sv") == speakers


@pytest.mark.parametrize(("lang", "sentence", "speaker"), [
    # "In accordance with" a law, treaty or decision: nobody's statement (real train split).
    ("sv", "Enligt DCA-avtalet förpliktar sig Sverige att upplåta 17 militärbaser.", ""),
    ("sv", "Enligt Romfördragets § 7 har regimen gjort sig skyldig till brott mot "
           "mänskligheten.", ""),
    ("sv", "Arbetarna förlorar de rättigheter som de normalt har enligt rysk lag.", ""),
    ("sv", "Kvinnor diskrimineras, och enligt sharialagarna räknas de som halva människor.", ""),
    ("sv", "Ryssland ska respektera rätten att få finansiering enligt internationella "
           "konventioner.", ""),
    ("sv", "Beslutet överklagades enligt det beslut länsstyrelsen tagit.", ""),
    ("en", "They are, according to the Western rules, to be protected and exonerated.", ""),
    ("en", "All nations contribute, each according to its capabilities, to peace.", ""),
    # A company, a prosecutor or a publisher still speaks ("-bolaget", "åklagare").
    ("sv", "Piloter har fått klara sig utan satellitnavigering, enligt flygplatsbolaget "
           "Swedavia.", "Swedavia"),
    ("sv", "Nätverket planerade enligt åklagarna upplopp efter valet.", "åklagarna"),
    ("sv", "Enligt Lagrådet strider förslaget mot grundlagen.", "Lagrådet"),
])
def test_a_law_or_treaty_after_a_source_preposition_is_no_speaker(lang, sentence,
                                                                    speaker) -> None:
    assert assign_sources([sentence], lang) == [speaker]


@pytest.mark.parametrize(("lang", "sentences", "speakers"), [
    # A question to the minister asks for a view, with or without a source preposition
    # (real train split; interpellations end with such questions).
    ("sv", ["Finns det enligt försvarsministern tillräckliga medel avsatta i budgeten?"], [""]),
    ("sv", ["Vad ger detta enligt försvarsministern för effekt på ambitionsnivån?"], [""]),
    ("sv", ["EU:s utrikeschef Josep Borrell reste till Moskva.",
            "Vilka konsekvenser kommer resan att få för EU, enligt ministern?"],
     ["", ""]),
    ("sv", ["Stämmer det enligt UD:s dokumentation att sändebudet bad om ett besked?"], [""]),
    # Stated, not asked: the source stands.
    ("sv", ["Det finns, enligt försvarsministern, tillräckliga medel avsatta i budgeten."],
     ["försvarsministern"]),
])
def test_a_source_preposition_inside_a_question_reports_no_view(lang, sentences,
                                                                 speakers) -> None:
    assert assign_sources(sentences, lang) == speakers


def test_a_fact_sheets_run_in_heading_in_capitals_is_no_speaker_label() -> None:
    # A White House fact sheet (real train split): the run-in headings are the outlet's.
    sents = [
        "PRIORITIZING AMERICA FIRST FOREIGN POLICY: President Trump’s leadership has "
        "produced a generational shift in NATO.",
        "- This new approach moves the Alliance toward greater burden sharing.",
        "RESTORING BALANCE TO NATO: President Trump is transforming NATO into a true "
        "partnership.",
        "- Allied investment jumped more than 20 percent last year alone.",
    ]
    assert assign_sources(sents, "en") == ["", "", "", ""]
    # A speaker's label in capitals still names the speaker.
    assert assign_sources(["SECRETARY BLINKEN: Thank you, Mr. President."], "en") == \
        ["SECRETARY BLINKEN"]


def test_a_long_russian_article_is_attributed_in_linear_time(cpu_seconds) -> None:
    # A paragraph of the written corpus (ru1-009, sentences 2-11), repeated: every surname
    # to expand ("По словам Рябкова", "заявил Кристерссон") was checked against every full
    # name seen in the article, every description ("сказал дипломат") against every titled
    # name, and every pronoun against every earlier mention. 16 times the sentences took 21
    # to 25 times as long in two runs; now about 16 times (each the best of three).
    paragraph = [
        "Присоединение Швеции к Североатлантическому альянсу ухудшит обстановку в Балтийском "
        "регионе, и Россия будет вынуждена принять меры военно-технического характера.",
        "Такое мнение выразил в беседе с корреспондентом агентства заместитель министра "
        "иностранных дел РФ Сергей Рябков.",
        "«Стокгольм отказался от двухсотлетней политики нейтралитета, которая, подчеркну, "
        "хорошо служила самим шведам.",
        "Теперь шведская территория может быть использована для размещения сил и средств, "
        "направленных против нас.",
        "Делать вид, что ничего не произошло, мы не будем», - сказал дипломат.",
        "По словам Рябкова, характер ответных мер будет зависеть от того, насколько глубоко "
        "Швеция интегрируется в военную инфраструктуру альянса.",
        "Он добавил, что Москва не получала от Стокгольма никаких сигналов о готовности к "
        "диалогу по вопросам стратегической стабильности.",
        "Швеция стала 32-м членом НАТО в четверг, после того как премьер-министр Ульф "
        "Кристерссон передал в Вашингтоне документы о присоединении на хранение "
        "правительству США.",
        "«Сегодня Швеция стала частью оборонного сообщества, которое обеспечивает "
        "безопасность почти миллиарда человек», - заявил Кристерссон на церемонии в "
        "Госдепартаменте.",
        "Госсекретарь США Энтони Блинкен назвал это событие «историческим» и отметил, что "
        "альянс теперь «сильнее и больше, чем когда-либо».",
    ]
    pytest.importorskip("pymorphy3")
    speakers = assign_sources(paragraph * 3, "ru")
    assert speakers[-10:] == speakers[:10] and speakers[6] == "Сергей Рябков"
    # 24 times the sentences: linear is 24x, the quadratic code about 44x (it took 21-25x
    # for 16x), so 32x keeps a wide margin on either side for a noisy machine.
    short = cpu_seconds(lambda: assign_sources(paragraph * 25, "ru"))
    assert cpu_seconds(lambda: assign_sources(paragraph * 600, "ru")) < 32 * short


@pytest.mark.parametrize(("sentence", "speaker"), [
    # Invented, in the Riksdag's and the wire's Swedish. A fronted "Enligt X" ends at the
    # finite verb (V2): a present passive or deponent in -s ("finns", "tillåts", "krävs")
    # and a definite noun in -ern ("försvarsministern") close the source, as "är" and
    # "regeringen" did ("försvarsministern finns", "hjälparbetare tillåts" were the
    # speakers).
    ("Enligt försvarsministern finns det tillräckliga medel.", "försvarsministern"),
    ("Enligt hjälparbetare tillåts inga transporter in i området.", "hjälparbetare"),
    ("Enligt utrikesministern krävs ett nytt avtal med Turkiet.", "utrikesministern"),
    ("Enligt Natos generalsekreterare behövs fler soldater i Baltikum.",
     "Natos generalsekreterare"),
    # Guards (passed before): an auxiliary ends the source, and a name stays whole.
    ("Enligt statsministern är Sverige redo.", "statsministern"),
    ("Enligt analytikern Emil Avdaliani vill Baku närma sig väst.", "Emil Avdaliani"),
])
def test_a_fronted_swedish_source_ends_at_the_finite_verb(sentence, speaker) -> None:
    assert assign_sources([sentence], "sv") == [speaker]


@pytest.mark.parametrize(("sentence", "speaker"), [
    # "law" heading a compound is a source, not a law: "law enforcement".
    ("The suspect fled to Moscow, according to a law enforcement official.",
     "a law enforcement official"),
    ("The attack was planned for weeks, according to law enforcement sources.",
     "law enforcement sources"),
    # The law itself is still nobody's statement.
    ("According to international law, the annexation is void.", ""),
    ("Members must defend each other, according to the treaty.", ""),
])
def test_a_law_compound_after_according_to_is_a_source(sentence, speaker) -> None:
    assert assign_sources([sentence], "en") == [speaker]


@pytest.mark.parametrize(("sentence", "speaker"), [
    # A law's or treaty's critics, secretariat or parties speak: only the rule itself is
    # nobody's statement.
    ("Enligt avtalets kritiker ger det Moskva för mycket makt.", "avtalets kritiker"),
    ("Enligt konventionens sekretariat har 120 länder ratificerat den.",
     "konventionens sekretariat"),
    ("Sverige bryter mot folkrätten, enligt lagens kritiker.", "lagens kritiker"),
    ("Enligt Romfördragets § 7 har regimen gjort sig skyldig till brott.", ""),
    ("Enligt avtalets villkor ska trupperna dras tillbaka.", ""),
])
def test_the_people_of_a_swedish_law_or_treaty_are_a_source(sentence, speaker) -> None:
    assert assign_sources([sentence], "sv") == [speaker]
