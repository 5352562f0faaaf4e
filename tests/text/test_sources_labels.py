"""Tests for English turn labels and quote labels in geostance.text.sources."""

from __future__ import annotations

from geostance.text.sources import assign_sources


def test_turn_label_with_office_before_the_name() -> None:
    # Kremlin English transcripts give a speaker's office before the name in the first
    # turn; the turn holds over the sentences after it, as "Vladimir Putin: ..." does.
    sents = [
        "Vladimir Putin gave an interview to Mir television on the eve of his visit.",
        "President of Interstate Television and Radio Company Mir Radik Batyrshin: The "
        "Collective Security Treaty Organisation celebrates its 25th anniversary.",
        "The benefits for Russia’s allies are clear.",
        "President of Russia Vladimir Putin: Russia has a vital interest in stability.",
        "We are well aware of the threats that exist on our borders.",
    ]
    assert assign_sources(sents, "en") == [
        "", "Radik Batyrshin", "Radik Batyrshin", "Vladimir Putin", "Vladimir Putin"]


def test_office_without_a_name_or_a_phrase_is_no_label() -> None:
    # An office alone, a German "we say:" and "The principle:" name no speaker.
    for sent, lang in [("Minister of Foreign Affairs: The talks went well.", "en"),
                       ("Wir sagen: Beenden Sie den Krieg.", "de"),
                       ("The principle: allies pay their share.", "en"),
                       ("Member of the Board of Directors: The plan is sound.", "en")]:
        assert assign_sources([sent], lang) == [""], sent
