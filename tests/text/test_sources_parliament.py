"""Tests for the speaker rules on parliamentary records and transcripts (German, Russian,
Swedish): heckles, interjections and turn labels. Sentences are written for the tests in
the records' formats."""

from __future__ import annotations

from geostance.text.sources import assign_sources


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
