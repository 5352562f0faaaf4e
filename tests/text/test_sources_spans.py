"""Tests for the span of an English or Swedish speaker: where it starts and ends."""

from __future__ import annotations

from geostance.text.sources import assign_sources


def test_trailing_adverb_is_no_part_of_the_speaker() -> None:
    # "strongly", "categorically" modify the verb: the subject ends before them.
    assert assign_sources(["Bulgaria strongly condemns the armed attacks."], "en") == ["Bulgaria"]
    assert assign_sources(["The history professor publicly said that the war will end."],
                          "en") == ["history professor"]
    assert assign_sources(["Kremlin-backed bloggers gleefully claimed the incident showed "
                           "weakness."], "en") == ["Kremlin-backed bloggers"]


def test_swedish_chief_executive_is_a_title() -> None:
    # "vd" (verkställande direktör) after a possessor is the source's head noun.
    sents = ["Löftena blev, enligt Hamnbolagets vd 50–60 arbetstillfällen, alltför lockande."]
    assert assign_sources(sents, "sv") == ["Hamnbolagets vd"]
    assert assign_sources(["Enligt Hamnbolagets vd är hamnen redo."], "sv") == ["Hamnbolagets vd"]


def test_english_description_after_according_to() -> None:
    # The description as written, its indefinite article kept ("a law enforcement
    # official" in test_sources.py); fronted and closed by a comma, it runs to the comma.
    assert assign_sources(["The war will end soon, according to a history professor at Yale."],
                          "en") == ["a history professor at Yale"]
    assert assign_sources(["According to a history professor at Yale, the war will end soon."],
                          "en") == ["a history professor at Yale"]
    assert assign_sources(["According to a senior US official, the talks failed."],
                          "en") == ["a senior US official"]
    assert assign_sources(["According to American sources, the talks failed."],
                          "en") == ["American sources"]


def test_swedish_names_joined_by_och_speak_together() -> None:
    # The verb after "och" has the whole coordinated subject, not the name next to it.
    assert assign_sources(["Stockholms Militära och Polisiära Skytteförening skriver att "
                           "förslaget går för långt."], "sv") == [
        "Stockholms Militära och Polisiära Skytteförening"]
    assert assign_sources(["I en debattartikel skriver Susanne Berger och Vadim Birstein att "
                           "det finns dokument."], "sv") == ["Susanne Berger och Vadim Birstein"]
    # "och" between clauses joins no names: the subject of the second verb speaks.
    assert assign_sources(["Putin träffade Sergej Lavrov och Recep Erdoğan sade att det "
                           "gick bra."], "sv") == ["Recep Erdoğan"]


def test_court_or_bank_with_its_complement_is_no_personal_name() -> None:
    # "International Court" is no person's name: the institution runs on through "of".
    assert assign_sources(["On 16 March, the International Court of Justice stated that the "
                           "aggression was illegal."], "en") == ["International Court of Justice"]
    assert assign_sources(["The Bank of England said the rates will rise."], "en") == [
        "Bank of England"]
    # Whole words only: "Courtney Banks" is a person.
    assert assign_sources(["Courtney Banks said it was illegal."], "en") == ["Courtney Banks"]


def test_swedish_source_runs_through_a_prepositions_object() -> None:
    # "tidigare" after "från" is an adjective ("earlier conflicts"), not the marker
    # "tidigare" (earlier) that would end the source.
    assert assign_sources(["Enligt rapporter från tidigare konflikter har de flesta offren "
                           "varit civila."], "sv") == ["rapporter från tidigare konflikter"]
    assert assign_sources(["Enligt rapporter från regeringen har offren varit civila."],
                          "sv") == ["rapporter från regeringen"]


def test_english_speech_verb_inside_a_subordinate_clause_reports_no_speaker() -> None:
    # "Although X denies": the sentence asserts its main clause, not what X denies.
    assert assign_sources(["Although Washington denies involvement, this time, they were "
                           "caught."], "en") == [""]
    assert assign_sources(["Having at some point declared victory in the Cold War, Washington "
                           "elevated itself."], "en") == [""]
    # A speech verb of the main clause still speaks; a phrase such as "Since 2014" is no
    # clause of its own.
    assert assign_sources(["Although Washington denies involvement, Lavrov said that they were "
                           "caught."], "en") == ["Lavrov"]
    assert assign_sources(["Since 2014 Russia has claimed that Crimea is Russian."], "en") == [
        "Russia"]


def test_own_country_as_subject_is_the_author() -> None:
    # In a speech to the UN General Assembly "my country" is the speaker's own: no source.
    assert assign_sources(["My country welcomes the ceasefire agreement."], "en") == [""]
    assert assign_sources(["Mitt land kräver att kriget upphör."], "sv") == [""]
    # Partners are others, whom the author reports.
    assert assign_sources(["Our partners have admitted that it failed."], "en") == [
        "Our partners"]
