"""Tests for geostance.sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from geostance.sources import assign_sources, evaluate

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


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
    assert table["ALL"]["exact"] >= 0.6
    assert table["ALL"]["has_src_P"] >= 0.6
