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


def test_quote_after_a_label_runs_on_to_its_closing_mark() -> None:
    # White House releases quote people after a label with their office; the quote
    # goes on over the next sentences until its closing mark, and the prose after it
    # is the outlet's again.
    sents = [
        "Here’s what they’re saying:",
        "Finnish President Alexander Stubb: “We’re witnessing the birth of a new NATO …",
        "This is a big win, I think, for both President Trump and for Europe.”",
        "Former Special Envoy Nathan Sales: “Peace is closer today than it was yesterday.",
        "President Trump didn’t capitulate; he stood firm.",
        "That’s the path to a durable peace.”",
        "The summit ended on Monday.",
    ]
    assert assign_sources(sents, "en") == [
        "", "Alexander Stubb", "Alexander Stubb", "Nathan Sales", "Nathan Sales",
        "Nathan Sales", ""]


def test_quote_left_open_after_a_label_is_a_stray_mark() -> None:
    # A quote mark never closed is a stray mark: the sentences after it are not the
    # speaker's.
    sents = ["Polish President Andrzej Duda: “Without the support of Donald Trump, it "
             "would be impossible."] + ["The alliance met in The Hague."] * 10
    assert assign_sources(sents, "en") == ["Andrzej Duda"] + [""] * 10


def test_label_keeps_a_generational_suffix() -> None:
    # "Jr." is part of the name as the label writes it; a parenthesis after the name
    # ("(ret.)") is not.
    sents = ["Former National Security Advisor Robert O’Brien, Jr.: “Let’s be clear — it’s "
             "Donald Trump who’s cleaning up the mess.”",
             "Gen. Jack Keane (ret.): “You can’t overstate the significance of it.”"]
    assert assign_sources(sents, "en") == ["Robert O’Brien, Jr.", "Jack Keane"]


def test_quoted_headline_in_a_list_of_labelled_quotes_is_the_outlets() -> None:
    # A White House list of press reactions: each outlet's quoted headline is the
    # outlet's, without the asterisk that marks a paywall.
    sents = [
        "POLITICO.eu: “Big win for Trump”",
        "Associated Press: “After less than 24 hours, Trump headed back to Washington.”",
        "The Wall Street Journal* Editorial Board: “Trump Wins the Battle of NATO”",
        "Le Monde*: “Trump triumphant after NATO leaders agree on defense spending hike”",
    ]
    assert assign_sources(sents, "en") == [
        "POLITICO.eu", "Associated Press", "The Wall Street Journal Editorial Board",
        "Le Monde"]


def test_quoted_headline_outside_a_list_of_quotes_is_the_articles() -> None:
    # "Moskau: «...»" heads the outlet's own story: no one is quoted as its speaker.
    sents = ["Moskau: «Die Schweiz ist nicht mehr neutral»",
             "Die Schweiz liegt mitten in Europa."]
    assert assign_sources(sents, "de") == ["", ""]


def test_unnamed_officials_label_is_the_whole_label() -> None:
    # A background call's "SENIOR ADMINISTRATION OFFICIAL:" names no one; its turn is
    # that official's, written in sentence case.
    sents = ["SENIOR ADMINISTRATION OFFICIAL: Great.",
             "And thanks, everybody, for being on the call.",
             "Q: Will there be more sanctions?"]
    assert assign_sources(sents, "en") == [
        "Senior administration official", "Senior administration official", ""]


def test_briefing_label_takes_the_first_name_from_the_title() -> None:
    # "MS. JEAN-PIERRE:" is the "Karine Jean-Pierre" the document's title-case title
    # names; a title word before the surname ("Secretary Blinken") is no first name.
    sents = ["MS. JEAN-PIERRE: Well, let me just first say a word.",
             "The President took a couple of questions."]
    title = "Press Gaggle by Principal Deputy Press Secretary Karine Jean-Pierre En Route"
    assert assign_sources(sents, "en", title) == ["Karine Jean-Pierre"] * 2
    assert assign_sources(["MR. BLINKEN: Thank you all."], "en",
                          "Remarks by Secretary Blinken at NATO") == ["Blinken"]


def test_bare_q_opens_a_reporters_turn() -> None:
    # White House transcripts write a reporter's turn "Q Thanks." without a colon; it
    # ends the press secretary's turn, and the question after it is no one's quote.
    sents = ["MS. PSAKI: We’re continuing to provide that assistance.",
             "Q Thanks.",
             "Is the U.S. continuing to send weaponry into Ukraine?",
             "MS. PSAKI: Well, we are continuing to deliver."]
    assert assign_sources(sents, "en", "Press Briefing by Press Secretary Jen Psaki") == [
        "Jen Psaki", "", "", "Jen Psaki"]


def test_turn_label_before_an_address_ending_in_a_comma() -> None:
    # Kremlin transcripts split a speech's address from it: "Comrade officers," ends the
    # label's line with a comma, and the turn still runs over the speech; a line that
    # ends with no punctuation at all is still a heading.
    sents = ["President of Russia Vladimir Putin: Comrade officers,",
             "First of all, I would like to congratulate you.",
             "Much has been done for the first time."]
    assert assign_sources(sents, "en") == ["Vladimir Putin"] * 3
    assert assign_sources(["Vladimir Putin: Comrade officers", "Much has been done."],
                          "en") == ["", ""]


def test_office_label_of_a_transliterated_outlet() -> None:
    # "Argumenty i Fakty" joins its words with the Russian "i" (and); "Editor-in-Chief"
    # is the title before the name.
    sents = ["Argumenty i Fakty Editor-in-Chief Igor Chernyak: This year our relations "
             "have continued to deteriorate.",
             "There have been many provocations."]
    assert assign_sources(sents, "en") == ["Igor Chernyak"] * 2
