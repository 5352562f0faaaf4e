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
