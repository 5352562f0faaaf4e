"""The real corpus: it validates, planted leaks are named errors, training-only options."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geostance.config import DataConfig
from geostance.data import DataError, load_splits

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "data" / "real"
WRITTEN = ROOT / "data" / "corpus"


def _copy_real(tmp_path: Path) -> Path:
    out = tmp_path / "real"
    out.mkdir()
    shutil.copy(REAL / "documents.jsonl", out / "documents.jsonl")
    shutil.copytree(REAL / "sentences", out / "sentences")
    return out


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def _sentences(real: Path) -> list[dict]:
    """Every sentence row of a real corpus folder, in document order."""
    docs = {d["doc_id"]: i for i, d in enumerate(_rows(real / "documents.jsonl"))}
    rows = [r for f in sorted((real / "sentences").glob("*.jsonl")) for r in _rows(f)]
    return sorted(rows, key=lambda r: docs[r["doc_id"]])


def test_sentence_parts_one_per_source_and_each_small():
    docs = {d["doc_id"]: d["source_repo"] for d in _rows(REAL / "documents.jsonl")}
    assert not (REAL / "sentences.jsonl").exists()
    for f in (REAL / "sentences").glob("*.jsonl"):
        assert f.stat().st_size < 4 * 2**20, f  # well under the 5 MiB a committed file may have
        assert {docs[r["doc_id"]].replace("/", "__") + ".jsonl" for r in _rows(f)} == {f.name}


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")


def test_shipped_real_corpus_meets_the_targets():
    splits = load_splits(DataConfig(corpora=["real"], realnews_dev="none"))
    real = [s for k in ("train", "dev", "realtest") for s in splits[k]]
    assert len(real) >= 6000
    by_lang: dict[str, int] = {}
    for s in real:
        by_lang[s.lang] = by_lang.get(s.lang, 0) + 1
    for lang, minimum in {"sv": 2000, "en": 1500, "de": 800, "ru": 600, "fi": 300}.items():
        assert by_lang.get(lang, 0) >= minimum, (lang, by_lang)
    stances = [s.stance for s in real if s.stance]
    for label in ("pro_nato", "moscow_warning", "neutral_balancing"):
        assert stances.count(label) / len(stances) >= 0.20, label
    # Translated sentences: at most half of any language.
    for lang in by_lang:
        n_tr = sum(s.translated for s in real if s.lang == lang)
        assert n_tr <= by_lang[lang] / 2, lang


def test_every_document_has_provenance_and_licence():
    for d in _rows(REAL / "documents.jsonl"):
        for key in ("doc_id", "lang", "split", "source_repo", "commit", "path", "licence"):
            assert d.get(key), (d.get("doc_id"), key)
        assert d["split"] in ("train", "dev", "test")


def test_check_cli_passes_on_both_corpora():
    p = subprocess.run([sys.executable, "-m", "geostance.data", "check", str(REAL),
                        str(WRITTEN)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]


def test_planted_cross_split_leak_is_named(tmp_path):
    real = _copy_real(tmp_path)
    docs = {d["doc_id"]: d["split"] for d in _rows(real / "documents.jsonl")}
    sents = _sentences(real)
    test_sent = next(s for s in sents if docs[s["doc_id"]] == "test"
                     and len(s["text"].split()) > 8)
    victim = next(s for s in sents if docs[s["doc_id"]] == "train"
                  and len(s["text"]) >= len(test_sent["text"]))
    # The same words in a train document (its offsets still slice its own text).
    doc_rows = _rows(real / "documents.jsonl")
    for d in doc_rows:
        if d["doc_id"] == victim["doc_id"]:
            d["text"] = (d["text"][:victim["start"]] + test_sent["text"]
                         + d["text"][victim["end"]:])
            delta = len(test_sent["text"]) - (victim["end"] - victim["start"])
    for s in sents:
        if s["doc_id"] == victim["doc_id"] and s["start"] > victim["start"]:
            s["start"] += delta
            s["end"] += delta
    victim["text"], victim["end"] = test_sent["text"], victim["start"] + len(test_sent["text"])
    _write(real / "documents.jsonl", doc_rows)
    # The single-file layout reads the same corpus (and names that file in its errors).
    shutil.rmtree(real / "sentences")
    _write(real / "sentences.jsonl", sents)
    p = subprocess.run([sys.executable, "-m", "geostance.data", "check", str(real)],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert p.returncode == 2
    assert "sentences.jsonl:" in p.stderr and "text: leakage" in p.stderr, p.stderr[-1500:]
    assert "test and train" in p.stderr


def test_planted_realnews_leak_is_named(tmp_path):
    realnews = ROOT.parent / "shared" / "realnews_dev" / "sentences.jsonl"
    if not realnews.is_file():
        pytest.skip("../shared/realnews_dev absent")
    leaked = json.loads(realnews.read_text(encoding="utf-8").splitlines()[5])
    own = tmp_path / "own.jsonl"
    _write(own, [{"id": "x1", "text": leaked["text"], "kind": "claim",
                  "stance": "pro_nato"}])
    with pytest.raises(DataError) as e:
        load_splits(DataConfig(corpora=["written"], add_train_files=[str(own)],
                               realnews_dev=str(realnews)))
    assert any("realnews_dev" in p and "own.jsonl:1" in p for p in e.value.problems), \
        e.value.problems


def test_real_fraction_samples_are_nested_and_leave_evaluation_alone():
    splits = {f: load_splits(DataConfig(real_fraction=f, realnews_dev="none"))
              for f in (0.25, 0.5, 1.0)}
    docs = {f: {s.article_id for s in sp["train"] if s.corpus == "real"}
            for f, sp in splits.items()}
    assert docs[0.25] < docs[0.5] < docs[1.0]
    assert abs(len(docs[0.25]) / len(docs[1.0]) - 0.25) < 0.01
    written = {f: sum(s.corpus == "written" for s in sp["train"]) for f, sp in splits.items()}
    assert written[0.25] == written[1.0]
    assert all(len(sp["realtest"]) == len(splits[1.0]["realtest"]) for sp in splits.values())


def test_translated_false_drops_them_from_training_only():
    with_tr = load_splits(DataConfig(realnews_dev="none"))
    without = load_splits(DataConfig(translated=False, realnews_dev="none"))
    assert any(s.translated for s in with_tr["train"])
    assert not any(s.translated for s in without["train"])
    assert len(without["realtest"]) == len(with_tr["realtest"])


def test_real_exclude_leaves_a_source_out_of_training_only(capsys):
    repo = "swerik-project/riksdagen-interpellations"
    with_all = load_splits(DataConfig(realnews_dev="none"))
    without = load_splits(DataConfig(real_exclude=[repo], realnews_dev="none"))
    docs = {d["doc_id"] for d in _rows(REAL / "documents.jsonl") if d["source_repo"] == repo}
    assert any(s.article_id in docs for s in with_all["train"])
    assert not any(s.article_id in docs for s in without["train"])
    assert len(without["train"]) < len(with_all["train"])
    # Evaluated as before.
    assert len(without["realdev"]) == len(with_all["realdev"])
    assert len(without["realtest"]) == len(with_all["realtest"])
    same = load_splits(DataConfig(real_exclude=["owner/none"], realnews_dev="none"))
    assert len(same["train"]) == len(with_all["train"])
    assert "no document of" in capsys.readouterr().err
    with pytest.raises(ValueError, match="owner/name"):
        DataConfig(real_exclude=["not-a-repo"])


def test_real_exclude_leaves_a_drawing_plan_out_of_training_only():
    # The second kremlin.ru draw is marked "plan": "kremlin_ru_west"; the first is not.
    plan_docs = {d["doc_id"] for d in _rows(REAL / "documents.jsonl")
                 if d.get("plan") == "kremlin_ru_west"}
    repo_docs = {d["doc_id"] for d in _rows(REAL / "documents.jsonl")
                 if d["source_repo"] == "gabrielkmbo/kremlin-scraper"}
    assert plan_docs and repo_docs - plan_docs
    with_all = load_splits(DataConfig(real_exclude=[], realnews_dev="none"))
    without = load_splits(DataConfig(real_exclude=["kremlin_ru_west"], realnews_dev="none"))
    trained = {s.article_id for s in without["train"]}
    assert not trained & plan_docs and trained & (repo_docs - plan_docs)
    assert {s.article_id for s in with_all["train"]} & plan_docs
    assert len(without["realdev"]) == len(with_all["realdev"])
