"""Error analysis on the tiny run: rescans, grouping, confident mistakes, run comparison."""

from __future__ import annotations

import pytest

from geostance.report import errors


def test_scored_rows_hold_gold_and_prediction(tiny_run):
    rows = errors.scored(tiny_run, "test")
    assert rows and {"gold_kind", "kind", "gold_stance", "stance", "lang", "text"} <= set(rows[0])
    assert errors.scored(tiny_run, "test") == rows  # cached, same answer
    with pytest.raises(ValueError, match="split 'train' not in"):
        errors.scored(tiny_run, "train")


def test_errors_by_language_add_up(tiny_run):
    rows = [r for r in errors.scored(tiny_run, "test") if r["gold_stance"]]
    table = errors.errors_by(tiny_run, "test", "lang")
    assert sum(r["n"] for r in table) == len(rows)
    assert sum(r["errors"] for r in table) == sum(r["stance"] != r["gold_stance"] for r in rows)
    for r in table:
        assert 0 <= r["accuracy"] <= 1 and 0 <= r["macro_f1"] <= 1


def test_confident_mistakes_are_sorted_and_wrong(tiny_run):
    t = errors.confident_mistakes(tiny_run, "test", n=5)
    assert 0 < len(t) <= 5
    confs = [r["confidence"] for r in t]
    assert confs == sorted(confs, reverse=True)
    assert all(r["gold"] != r["predicted"] and r["head"] in ("kind", "stance") for r in t)


def test_a_run_compared_with_itself_changes_nothing(tiny_run):
    assert len(errors.changed(tiny_run, tiny_run, "test")) == 0
    table = errors.compare_runs({"a": tiny_run, "b": tiny_run})
    row = next(r for r in table if r["metric"] == "test.stance.macro_f1")
    assert row["a"] == row["b"] is not None


def test_seed_article_with_and_without_the_coherence_chain(tiny_run, seed_article):
    table = errors.seed_article_coherence(tiny_run)
    if not seed_article.is_file():
        assert len(table) == 0
        return
    assert len(table) == 24 and "alone" in table.title
    for r in table:
        assert (r["change"] == "") == (r["alone"] == r["chain"])
        if r["change"] == "fixed":
            assert r["chain"] == r["gold"] != r["alone"]
    acc = sum(r["chain"] == r["gold"] for r in table) / len(table)
    assert f"{acc:.3f} with the chain" in table.title


def test_changed_pairs_sentences_by_id_and_text_not_position(monkeypatch):
    # Before: zip by position; runs reading different files compared unrelated sentences
    # (same length) or failed with a bare "zip() argument 2 is shorter".
    def row(i, text, stance, gold="pro_nato"):
        return {"id": i, "text": text, "stance": stance, "gold_stance": gold, "lang": "en"}

    runs = {"old": [row("a", "A.", "pro_nato"), row("b", "B.", "moscow_warning"),
                    row("c", "C.", "pro_nato")],
            "new": [row("x", "X.", "moscow_warning"), row("b", "B.", "pro_nato"),
                    row("a", "A.", "moscow_warning")]}
    monkeypatch.setattr(errors, "scored", lambda run, split: runs[run])
    table = errors.changed("old", "new", "test")
    assert [(r["text"], r["change"]) for r in table] == [("B.", "fixed"), ("A.", "broken")]
    assert table.title == ("test: stance changed on 2 sentences (1 fixed, 1 broken, 0 still "
                           "wrong); 2 sentences in one run only (their configurations read "
                           "other files), 2 compared")


def test_genres_read_a_documents_file_with_u2028_in_a_text(tmp_path, monkeypatch):
    # documents.jsonl was split with str.splitlines: U+2028 in a text (json.dumps with
    # ensure_ascii=False writes it as it is) cut its row in two, a JSONDecodeError.
    import json
    import types

    import geostance.evaluation.runs as runs

    (tmp_path / "documents.jsonl").write_text(
        json.dumps({"doc_id": "d1", "genre": "news", "text": "a\u2028b"}, ensure_ascii=False)
        + "\n\n" + json.dumps({"doc_id": "d2", "genre": "speech"}) + "\n", encoding="utf-8")
    monkeypatch.setattr(runs, "run_config", lambda run_dir: types.SimpleNamespace(
        data=types.SimpleNamespace(real_dir=str(tmp_path))))
    assert errors._genres(tmp_path) == {"d1": "news", "d2": "speech"}
