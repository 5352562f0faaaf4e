"""Tests for the speaker rules on parliamentary records and transcripts (German, Russian,
Swedish): heckles, interjections and turn labels. Sentences are written for the tests in
the records' formats."""

from __future__ import annotations

from geostance.text.sources import assign_sources
from geostance.text.sources.names import person_part


def test_a_heckle_from_a_party_goes_to_that_party():
    # ANNOTATION.md: a bracketed heckle with words has the heckler as source; a heckle
    # from a group names the group, which is then the source as written.
    sents = ["Wir stehen zur NATO.", "(Zuruf von der FDP: Radio Moskau!)",
             "Das ist falsch.",
             "(Beifall bei der LINKEN – Zuruf von der SPD: Putin wäre stolz auf Sie!)",
             "(Zurufe vom BSW: Hat sie doch gesagt!)", "(Zurufe von der SPD)",
             "Weiter geht es."]
    assert assign_sources(sents, "de") == ["", "FDP", "", "SPD", "BSW", "", ""]


def test_a_party_heckle_after_a_member_in_the_same_parenthesis_goes_to_the_party():
    sents = ["(Beifall bei der AfD – Eva Beispiel [CDU/CSU]: Was halten Sie von der NATO?",
             "– Weiterer Zuruf von der CDU/CSU: Radio Moskau!)", "Weiter geht es."]
    assert assign_sources(sents, "de") == ["Eva Beispiel", "CDU/CSU", ""]


def test_a_member_heckling_inside_an_open_parenthesis_keeps_it_open():
    # "(A [X]: ..." opens a parenthesis; "– B [Y]: ..." heckles inside it, and the
    # parenthesis closes a sentence later, still B's.
    sents = ["(Eva Beispiel [CDU/CSU]: Und Russland?",
             "– Ida Test [BÜNDNIS 90/DIE GRÜNEN]: Iran?", "Türkei?)", "Weiter geht es."]
    assert assign_sources(sents, "de") == ["Eva Beispiel", "Ida Test", "Ida Test", ""]


def test_an_interjection_runs_on_to_the_sentence_that_closes_it():
    # The record's longest interjection in the train split runs four sentences past its
    # label before its closing parenthesis.
    sents = ["(Beifall bei der FDP – Dr. Tom Probe [AfD]: Nein, da liegen Sie falsch!",
             "Sie haben die NATO ausgedehnt!", "Sie haben das gemacht!",
             "Fragen Sie mal Herrn Teltschik!", "Sie haben angefangen!)", "Weiter geht es."]
    assert assign_sources(sents, "de") == ["Tom Probe"] * 5 + [""]


def test_a_stage_direction_inside_an_open_interjection_has_no_speaker():
    # The segmenter ends a sentence after "Abg."; the heckler's label follows.
    sents = ["(Eva Beispiel [AfD]: Zur Sache!", "Was hat das mit der Sache zu tun?",
             "– Gegenruf des Abg.", "Ida Test [SPD]: Mit Beschimpfungen kennen Sie sich aus!)",
             "(Tom Probe [CDU/CSU]: Schauen Sie nach Moskau!", "– Zuruf von der Linken)",
             "Weiter geht es."]
    assert assign_sources(sents, "de") == ["Eva Beispiel", "Eva Beispiel", "", "Ida Test",
                                           "Tom Probe", "", ""]


def test_a_noble_title_inside_a_members_name_keeps_the_first_name():
    sents = ["(Alexander Graf Lambsdorff [FDP]: Das ist kein Argument!)",
             "(Beifall bei der LINKEN – Alexander Graf Lambsdorff [FDP]: Und die NATO!)"]
    assert assign_sources(sents, "de") == ["Alexander Graf Lambsdorff"] * 2
    assert person_part("Außenminister Alexander Graf Lambsdorff".split(), "de") == \
        "Alexander Graf Lambsdorff"


def test_a_swedish_description_finds_the_one_minister_named_before():
    # "Ministern" (the minister) is the one minister the interpellation is addressed to,
    # named with party and title in its heading.
    sents = ["Interpellation 2014/15:62 av Jan Test (FP) till Eva Prov (S), utrikesminister "
             "om Rysslands agerande mot Ukraina",
             "Ryssland blir alltmer aggressivt.",
             "Ministern svarade att EU hade brustit i analysen.",
             "Ukraina är ett suveränt land.",
             "Jag vill fråga ministern om hon kvarstår vid uttalandet."]
    assert assign_sources(sents, "sv") == ["", "", "Eva Prov", "", ""]


def test_a_swedish_description_with_two_ministers_named_before_stays_as_written():
    sents = ["Försvarsminister Per Prov besökte Gotland.",
             "Utrikesminister Eva Test reste till Bryssel.",
             "Ministern sade att läget var allvarligt."]
    assert assign_sources(sents, "sv") == ["", "", "Ministern"]


def test_a_quote_opened_after_its_speaker_runs_on_to_its_closing_mark():
    # "Eva Prov svarade: ”Ja, ..." names the speaker and opens a quote that closes three
    # sentences later; every sentence of it is hers, a bracketed word included.
    sents = ["Eva Prov svarade: ”Ja, problemet var kanske en bristande analys.",
             "(Ett handelsavtal) är inte bara en triumf för EU.",
             "Det här provocerade Ryssland.", "Och EU brast nog i analysen av det.”",
             "Ukraina är ett suveränt land."]
    assert assign_sources(sents, "sv") == ["Eva Prov"] * 4 + [""]


def test_a_german_honorific_before_a_speaker_is_dropped():
    # Gold writes the person without "Herr"/"Frau" ("Merkel", "Merz"), as
    # "laut Frau Dr. Müller" already gives "Müller".
    sents = ["Frau Merkel sagte heute, es gebe Evidenzen.", "Das ist umstritten.",
             "Herr Merz, Sie haben gesagt, Sie wollen die Beschränkung aufheben."]
    assert assign_sources(sents, "de") == ["Merkel", "", "Merz"]


def test_a_russian_speaker_who_introduces_herself_starts_a_turn():
    # A Kremlin transcript: after the host's label, a guest speaks without a label of her
    # own and gives her name ("Я Анна Пробова", "Тестова Ирина, я из ..."); a name with a
    # patronymic before ", я" is whom the speaker addresses, not the speaker.
    sents = ["А.Кочерова: Спасибо.", "Тестова Ирина, я из Донбасса.",
             "Я мать троих детей.", "В.Путин: Спасибо.",
             "Владимир Владимирович, я хотел бы сказать о школах.",
             "Я Анна Пробова, город Псков.", "Мы работаем с семьями."]
    assert assign_sources(sents, "ru") == [
        "А.Кочерова", "Тестова Ирина", "Тестова Ирина", "В.Путин", "В.Путин",
        "Анна Пробова", "Анна Пробова"]


def test_many_of_you_in_a_german_speech_is_no_person_a_pronoun_refers_to():
    # "Vielen von Ihnen" looked like "Ursula von der Leyen" and took the "Er warnte" that
    # refers to the Secretary General named before.
    sents = ["Vor einer Woche war NATO-Generalsekretär Mark Rutte hier in Berlin zu Gast.",
             "Vielen von Ihnen gehen seitdem einige Passagen nicht aus dem Kopf.",
             "Er warnte: Wir sind Russlands nächstes Ziel."]
    assert assign_sources(sents, "de") == ["", "", "Mark Rutte"]
