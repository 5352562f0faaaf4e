"""Sentence boundaries a hostile week of news brings: lost full stops, CJK, scripts without case.

The segmenter must not merge sentences whose last one lost its full stop, and must
split after the terminals of scripts written without spaces (CJK "。") or without
capital letters (Georgian, Arabic), so each sentence is scored on its own.
"""

from __future__ import annotations

import pytest

from geostance.text.segment import split_sentences


def texts(text: str, lang: str | None = None) -> list[str]:
    return [s.text for s in split_sentences(text, lang)]


def test_three_sentences_without_a_final_full_stop_are_split() -> None:
    # A wire story whose last sentence lost its full stop is body text, not a headline.
    assert texts("NATO grows. Moscow warns. Sweden joins (AP)") == [
        "NATO grows.", "Moscow warns.", "Sweden joins (AP)"]


def test_two_part_headline_without_final_punctuation_stays_whole() -> None:
    # ...while a two-part tabloid headline is still one unit.
    assert texts("ALARM! Putin zieht Truppen zusammen", "de") == [
        "ALARM! Putin zieht Truppen zusammen"]


@pytest.mark.parametrize(("text", "expected"), [
    ("北约扩大。莫斯科警告。瑞典加入。", ["北约扩大。", "莫斯科警告。", "瑞典加入。"]),
    ("北约扩大！莫斯科警告？瑞典加入", ["北约扩大！", "莫斯科警告？", "瑞典加入"]),
    ("「北约扩大。」莫斯科警告。", ["「北约扩大。」", "莫斯科警告。"]),
    ("NATO grows. 北约扩大。 Moscow warns.", ["NATO grows.", "北约扩大。", "Moscow warns."]),
])
def test_cjk_terminals_are_boundaries_without_spaces(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Georgian Mkhedruli letters are lower case to Unicode but open sentences.
    ("NATO grows. საქართველო უერთდება ალიანსს.",
     ["NATO grows.", "საქართველო უერთდება ალიანსს."]),
    ("ნატო იზრდება. მოსკოვი აფრთხილებს.", ["ნატო იზრდება.", "მოსკოვი აფრთხილებს."]),
    # Arabic has no case at all; "؟" is its question mark.
    ("NATO grows. موسكو تحذر من التوسع.", ["NATO grows.", "موسكو تحذر من التوسع."]),
    ("هل ستنضم السويد؟ نعم انضمت.", ["هل ستنضم السويد؟", "نعم انضمت."]),
])
def test_full_stop_before_caseless_scripts_is_a_boundary(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_lowercase_latin_after_full_stop_is_no_boundary() -> None:
    # The caseless-script rule must not turn every "e.g. something" into a boundary.
    assert texts("He cited e.g. the summit. Then he left.") == [
        "He cited e.g. the summit.", "Then he left."]


@pytest.mark.parametrize("text", [
    "NATO grows. Moscow warns. Sweden joins (AP)",
    "北约扩大。莫斯科警告。瑞典加入。",
    "NATO grows. საქართველო უერთდება.\r\nموسكو تحذر.",
])
def test_offsets_slice_back(text: str) -> None:
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text and s.text == s.text.strip()
