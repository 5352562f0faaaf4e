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
