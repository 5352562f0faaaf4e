"""Tests for geostance.language."""

from __future__ import annotations

import pytest

from geostance.text.language import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Sverige blev i dag medlem i Nato efter en lång process i riksdagen.", "sv"),
        ("Sweden formally joined NATO on Thursday after a long ratification process.", "en"),
        ("Швеция официально вступила в НАТО в четверг после долгого процесса.", "ru"),
        ("Schweden ist am Donnerstag offiziell der Nato beigetreten, sagte der Kanzler.", "de"),
        ("Suomi liittyi Naton jäseneksi tiistaina, kertoo ulkoministeriö.", "fi"),
        ("Szwecja oficjalnie przystąpiła do NATO w czwartek po długim procesie.", "pl"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_no_letters() -> None:
    assert detect_language("") == ""
    assert detect_language(" 123 — !") == ""


@pytest.mark.parametrize(("text", "lang"), [
    ("حذر الكرملين حلف الناتو من التوسع شرقا", "ar"),
    ("הקרמלין הזהיר את נאט\"ו מפני התרחבות", "he"),
    ("克里姆林宫警告北约不要扩张", "zh"),
])
def test_other_scripts_are_not_forced_into_the_news_languages(text: str, lang: str) -> None:
    assert detect_language(text) == lang
