"""Data layer: formats, validation messages (one test each), corpus invariants."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geostance.config import DataConfig
from geostance.data import DataError, Labels, load_splits, to_datasets
from geostance.data.stats import near_duplicate_share

from .sentence_files import problems_of, rows, splits_cfg, write_jsonl

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"

CORPUS = ROOT / "data" / "corpus"


def _dsd(cfg):
    return to_datasets(load_splits(cfg), Labels.from_config(cfg))


# ---------------------------------------------------------------- the shipped corpus

def test_shipped_corpus_validates_and_meets_targets():
    splits = load_splits(DataConfig(corpus_dir=str(CORPUS), corpora=["written"],
                                    real_dir="none"))
    allrows = [s for r in splits.values() for s in r]
    arts = {s.article_id for s in allrows}
    assert len(arts) >= 160 and len(allrows) >= 3500
    langs = [s.lang for s in allrows]
    share = {lang: langs.count(lang) / len(langs) for lang in set(langs)}
    assert share["sv"] >= 0.30
    assert min(share["en"], share["ru"], share["de"]) >= 0.10
    assert len(share) >= 7
    for lang in share:  # every kind in every language
        assert {s.kind for s in allrows if s.lang == lang} == {"claim", "heading", "boilerplate",
                                                               "other"}, lang
    stances = [s.stance for s in allrows if s.stance]
    for st in ("pro_nato", "moscow_warning", "neutral_balancing"):
        assert stances.count(st) / len(stances) >= 0.20
    near, counted = near_duplicate_share([s.text for s in allrows])
    assert near / counted < 0.03


def test_seed_article_not_in_corpus():
    seed = SHARED / "seed" / "azerbaijan_nato_sv.txt"
    if not seed.is_file():
        pytest.skip("../shared/seed is absent")
    from geostance.text.segment import split_sentences

    corpus_text = "\n".join(json.loads(x)["text"] for x in
                            (CORPUS / "articles.jsonl").read_text(encoding="utf-8").splitlines())
    norm = " ".join(corpus_text.split())
    for span in split_sentences(seed.read_text(encoding="utf-8"), "sv"):
        if len(span.text.split()) >= 4:  # "Moskva varnar" is a common heading
            assert " ".join(span.text.split()) not in norm, span.text


def test_dataset_dict_has_label_columns():
    dsd = _dsd(DataConfig(corpus_dir=str(ROOT / "tests" / "fixtures" / "corpus"),
                          corpora=["written"]))
    # The real corpus's dev and test splits are evaluated even when not trained on.
    assert set(dsd) == {"train", "dev", "test", "realdev", "realtest"}
    row = dsd["train"][0]
    assert {"text", "title", "context_prev", "kind_label", "stance_label", "lang"} <= set(row)
    assert -100 in dsd["train"]["stance_label"]  # boilerplate: masked


def test_labels_come_from_config(tmp_path):
    data = [{"text": f"Line {i} about things here.", "kind": "claim", "stance": s}
            for i, s in enumerate(["pos", "neg", "pos"])]
    cfg = splits_cfg(tmp_path, data, [dict(r, text=r["text"] + " dev") for r in data],
                     [dict(r, text=r["text"] + " test") for r in data],
                     stance_labels=["pos", "neg"])
    dsd = _dsd(cfg)
    assert dsd["train"]["stance_label"] == [0, 1, 0]


def test_contrast_files_join_train_as_their_own_corpus(tmp_path):
    contrast = write_jsonl(tmp_path / "contrast.jsonl",
                           rows("contrast", 2, stance="moscow_warning"))
    own = write_jsonl(tmp_path / "own.jsonl", rows("own", 1))
    cfg = splits_cfg(tmp_path, contrast_files=[str(contrast)], add_train_files=[str(own)])
    splits = load_splits(cfg)
    # Own added files add to the contrast set; neither replaces the other.
    assert [s.corpus for s in splits["train"]] == ["", "", "", "", "contrast", "contrast"]
    assert all(s.text.startswith("Sentence") and "contrast" in s.text
               for s in splits["train"] if s.corpus == "contrast")
    dsd = to_datasets(splits, Labels.from_config(cfg), real_weight=2.0)
    assert dsd["train"]["weight"] == [1.0] * 6  # weighted like the written corpus
    dsd = to_datasets(splits, Labels.from_config(cfg), real_weight=2.0, contrast_weight=3.0)
    assert dsd["train"]["weight"] == [1.0] * 4 + [3.0] * 2
    assert not [s for k in ("dev", "test") for s in splits[k] if s.corpus == "contrast"]
    missing = splits_cfg(tmp_path, contrast_files=[str(tmp_path / "nope.jsonl")])
    assert any(f"{tmp_path / 'nope.jsonl'}: file does not exist" in p
               for p in problems_of(missing))


def test_contrast_exclude_leaves_out_matching_items(tmp_path, capsys):
    """data.contrast_exclude: shell patterns over the writers' item ids, over every contrast
    file; a file without matches keeps its rows; unmatched patterns are named."""
    items = ["en-01-M", "en-01-N", "en-37-N", "ru-42-N", "ru-42-P"]
    contrast = write_jsonl(tmp_path / "contrast.jsonl", [
        dict(r, item=item, stance="moscow_warning")
        for r, item in zip(rows("contrast", len(items)), items, strict=True)])
    other = write_jsonl(tmp_path / "other.jsonl",
                        [dict(r, item="sv-02-P") for r in rows("other", 2)])
    cfg = splits_cfg(tmp_path, contrast_files=[str(contrast), str(other)],
                     contrast_exclude=["*-3[7-9]-N", "*-4[0-4]-N", "*-n"])
    kept = [s.id for s in load_splits(cfg)["train"] if s.corpus == "contrast"]
    assert kept == ["contrast0", "contrast1", "contrast4", "other0", "other1"]
    err = capsys.readouterr().err
    assert f"2 of 5 sentences of {contrast} left out" in err
    assert f"0 of 2 sentences of {other} left out" in err
    assert "no contrast item matches '*-n'" in err and "'*-N'" not in err
    everything = splits_cfg(tmp_path, contrast_files=[str(contrast)], contrast_exclude=["*-N"])
    assert [s.id for s in load_splits(everything)["train"] if s.corpus == "contrast"] == [
        "contrast0", "contrast4"]


def test_contrast_exclude_refuses_rows_without_item_and_bad_patterns(tmp_path):
    plain = write_jsonl(tmp_path / "plain.jsonl", rows("plain", 2))
    cfg = splits_cfg(tmp_path, contrast_files=[str(plain)], contrast_exclude=["*-N"])
    found = problems_of(cfg)
    assert any(p.startswith(f"{plain}:1: item") and "missing" in p for p in found)
    assert any(p.startswith(f"{plain}:2: item") for p in found)
    for bad in ([""], [" *-N"], "*-N"):
        with pytest.raises(ValueError, match="contrast_exclude"):
            DataConfig(contrast_files=["x.jsonl"], contrast_exclude=bad)
    with pytest.raises(ValueError, match="needs data.contrast_files"):
        DataConfig(contrast_exclude=["*-N"])


# ---------------------------------------------------------------- formats

def test_csv_with_configured_columns(tmp_path):
    csv = tmp_path / "x.csv"
    csv.write_text("sent,k,s,title\n\"Moscow warns, again, of a response.\",claim,"
                   "moscow_warning,T\nREAD MORE: something,boilerplate,,T\n", encoding="utf-8")
    cfg = DataConfig(train_files=[str(csv)], dev_files=[str(csv)], test_files=[str(csv)],
                     text_column="sent", kind_column="k", stance_column="s")
    with pytest.raises(DataError, match="leakage"):  # same file in three splits
        load_splits(cfg)
    from geostance.data import Labels, Problems
    from geostance.data.formats import read_file

    p = Problems()
    got = read_file(csv, cfg, Labels.from_config(cfg), p)
    assert not p.items
    assert [(s.text, s.kind, s.stance, s.title) for s in got] == [
        ("Moscow warns, again, of a response.", "claim", "moscow_warning", "T"),
        ("READ MORE: something", "boilerplate", "", "T")]


def test_label_studio_and_doccano(tmp_path):
    from geostance.data import Labels, Problems
    from geostance.data.formats import read_file

    ls = tmp_path / "ls.json"
    ls.write_text(json.dumps([{"id": 7, "data": {"text": "Baku deepens ties with NATO.",
                                                 "title": "T"},
                               "annotations": [{"result": [
                                   {"from_name": "kind", "type": "choices",
                                    "value": {"choices": ["claim"]}},
                                   {"from_name": "stance", "type": "choices",
                                    "value": {"choices": ["pro_nato"]}}]}]}]), encoding="utf-8")
    dc = write_jsonl(tmp_path / "dc.jsonl", [{"id": 1, "text": "Moskva varnar",
                                               "label": ["heading", "moscow_warning"]}])
    cfg = DataConfig()
    p = Problems()
    a = read_file(ls, cfg, Labels.from_config(cfg), p)
    b = read_file(dc, cfg, Labels.from_config(cfg), p)
    assert not p.items
    assert (a[0].id, a[0].text, a[0].kind, a[0].stance, a[0].title) == (
        "7", "Baku deepens ties with NATO.", "claim", "pro_nato", "T")
    assert (b[0].text, b[0].kind, b[0].stance) == ("Moskva varnar", "heading", "moscow_warning")


# ---------------------------------------------------------------- one test per error

def test_error_malformed_json(tmp_path):
    cfg = splits_cfg(tmp_path)
    Path(cfg.train_files[0]).write_text('{"text": "a", "kind": "claim"\n', encoding="utf-8")
    assert problems_of(cfg) == [f"{cfg.train_files[0]}:1: malformed JSON "
                                "(Expecting ',' delimiter at column 30)"]


def test_a_speaker_column_gives_the_model_s_speaker_and_an_empty_cell_none(tmp_path):
    # A speaker cell is what the model reads (as an annotation export's data.speaker); an
    # empty CSV cell is a missing value (found by the rules), as for context_prev, while
    # JSONL's "" says "no speaker".
    from geostance.data import Labels, Problems
    from geostance.data.formats import read_file

    csv = tmp_path / "x.csv"
    csv.write_text("text,kind,stance,speaker\nNATO grows in the north.,claim,pro_nato,"
                   "Jens Stoltenberg\nMoscow warns of a response.,claim,moscow_warning,\n",
                   encoding="utf-8")
    jsonl = tmp_path / "x.jsonl"
    jsonl.write_text('{"text": "NATO grows in the north.", "kind": "claim", "stance": '
                     '"pro_nato", "speaker": ""}\n', encoding="utf-8")
    cfg = DataConfig()
    p = Problems()
    assert [s.speaker for s in read_file(csv, cfg, Labels.from_config(cfg), p)] == [
        "Jens Stoltenberg", None]
    assert [s.speaker for s in read_file(jsonl, cfg, Labels.from_config(cfg), p)] == [""]
    assert not p.items


def test_error_malformed_csv(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text('text,kind,stance\n"one, two",claim,pro_nato,extra\n', encoding="utf-8")
    cfg = splits_cfg(tmp_path)
    cfg.train_files = [str(csv)]
    assert problems_of(cfg) == [f"{csv}:2: malformed CSV (more values than the 3 header "
                                "columns)"]


def test_error_missing_field(tmp_path):
    data = rows("train")
    del data[1]["kind"]
    cfg = splits_cfg(tmp_path, data)
    assert problems_of(cfg) == [f"{cfg.train_files[0]}:2: kind: missing field"]


def test_error_unknown_label_lists_allowed(tmp_path):
    cfg = splits_cfg(tmp_path, rows("train", stance="pro_kremlin"))
    assert problems_of(cfg)[0] == (
        f"{cfg.train_files[0]}:1: stance: unknown label 'pro_kremlin'; allowed: pro_nato, "
        "moscow_warning, neutral_balancing or empty")


@pytest.mark.parametrize("text", ["   ", "\u200f\u200d \u200b"])
def test_error_empty_text(tmp_path, text):
    # Direction marks and zero-width characters alone are no text either: such a row
    # trained as a sentence nobody can read or label.
    data = rows("train")
    data[2]["text"] = text
    cfg = splits_cfg(tmp_path, data)
    assert problems_of(cfg) == [f"{cfg.train_files[0]}:3: text: empty text"]


def test_error_duplicate_ids(tmp_path):
    data = rows("train")
    data[1]["id"] = data[0]["id"]
    cfg = splits_cfg(tmp_path, data)
    assert problems_of(cfg) == [f"{cfg.train_files[0]}:2: id: duplicate id 'train0' "
                                f"(first at {cfg.train_files[0]}:1)"]


def test_error_offsets_do_not_match(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    arts = [{"article_id": f"a{i}", "lang": "en", "outlet": "O", "date": "2024-01-01",
             "title": "Title here", "text": "Title here\nNATO grows stronger every year.",
             "split": sp} for i, sp in enumerate(["train", "dev", "test"])]
    write_jsonl(corpus / "articles.jsonl", arts)
    sents = []
    for a in arts:
        sents.append({"article_id": a["article_id"], "index": 0, "start": 0, "end": 10,
                      "text": "Title here", "kind": "heading", "stance": "pro_nato",
                      "source": ""})
        sents.append({"article_id": a["article_id"], "index": 1, "start": 11,
                      "end": 11 + 31, "text": "NATO grows stronger every year.",
                      "kind": "claim", "stance": "pro_nato", "source": ""})
    sents[1]["start"] = 12  # one character off
    write_jsonl(corpus / "sentences.jsonl", sents)
    problems = problems_of(DataConfig(corpus_dir=str(corpus), corpora=["written"]))
    assert problems[0] == (
        f"{corpus / 'sentences.jsonl'}:2: start/end: offsets 12:42 do not match the text: "
        "article has 'ATO grows stronger every year.', sentence is 'NATO grows stronger every "
        "year.'")


def test_sentence_parts_read_in_document_order(tmp_path):
    from geostance.data.corpus import read_corpus
    from geostance.data.schema import Problems

    one, parts = tmp_path / "one", tmp_path / "parts"
    arts = [{"article_id": f"a{i}", "lang": "en", "outlet": "O", "date": "2024-01-01",
             "title": "T", "text": f"T\nNATO grows stronger, says number {i}.", "split": sp}
            for i, sp in enumerate(["train", "train", "dev", "test"])]
    sents = [{"article_id": a["article_id"], "index": j, "start": st, "end": en,
              "text": a["text"][st:en], "kind": "claim", "stance": "pro_nato", "source": ""}
             for a in arts for j, (st, en) in enumerate([(0, 1), (2, len(a["text"]))])]
    for d in (one, parts):
        d.mkdir()
        write_jsonl(d / "articles.jsonl", arts)
    write_jsonl(one / "sentences.jsonl", sents)
    (parts / "sentences").mkdir()
    # Parts whose name order is not the articles' order: a0 and a3 in "z", a1 and a2 in "b".
    write_jsonl(parts / "sentences" / "z.jsonl", sents[:2] + sents[6:])
    write_jsonl(parts / "sentences" / "b.jsonl", sents[2:6])
    p1, p2 = Problems(), Problems()
    got, want = read_corpus(parts, p1), read_corpus(one, p2)
    assert not p1.items and not p2.items
    assert {k: [s.record() for s in v] for k, v in got.items()} == \
        {k: [s.record() for s in v] for k, v in want.items()}
    assert [s.where for s in got["train"]][2] == f"{parts / 'sentences' / 'b.jsonl'}:1"
    # Both layouts at once, or a folder without parts, are named errors.
    write_jsonl(parts / "sentences.jsonl", sents)
    problems = Problems()
    read_corpus(parts, problems)
    assert problems.items == [f"{parts}: both sentences.jsonl and sentences/ exist; keep one "
                              "(the parts are read)"]
    (parts / "sentences.jsonl").unlink()
    for f in (parts / "sentences").iterdir():
        f.unlink()
    problems = Problems()
    read_corpus(parts, problems)
    assert problems.items == [f"{parts / 'sentences'}: no *.jsonl sentence files"]


def test_error_leakage_same_sentence_in_two_splits(tmp_path):
    dev = rows("dev")
    dev[0]["text"] = rows("train")[1]["text"]
    cfg = splits_cfg(tmp_path, dev=dev)
    assert problems_of(cfg) == [
        f"{cfg.dev_files[0]}:1: text: leakage: the same sentence is in dev and train "
        f"({cfg.train_files[0]}:2)"]


def test_error_article_in_two_splits(tmp_path):
    cfg = splits_cfg(tmp_path, test=rows("test", article_id="traina"))
    assert problems_of(cfg)[0] == (
        f"{cfg.test_files[0]}:1: article_id: article 'traina' is in test and train "
        f"({cfg.train_files[0]}:1)")


def test_check_cli_exit_code_and_message(tmp_path):
    bad = write_jsonl(tmp_path / "bad.jsonl", rows("x", kind="claimz"))
    out = subprocess.run([sys.executable, "-m", "geostance.data", "check", str(bad)],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert f"{bad}:1: kind: unknown label 'claimz'; allowed: claim, heading, boilerplate, " \
           "other" in out.stderr
    ok = subprocess.run([sys.executable, "-m", "geostance.data", "check", str(CORPUS)],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "sentences valid" in ok.stdout


def test_card_is_generated(tmp_path):
    from geostance.data.card import render_card

    card = render_card(CORPUS, ROOT / "data" / "real", ROOT / "data" / "contrast")
    assert "written for this project" in card and "## The real corpus" in card
    assert "## The contrast set" in card and "**Every sentence is invented**" in card
    assert "| lang | split | sentences |" in card
    if not (ROOT.parent / "shared" / "realnews_dev").is_dir():
        # The committed card includes the annotators' check against ../shared.
        pytest.skip("../shared/realnews_dev absent: the committed card cannot be regenerated")
    assert card == (ROOT / "data" / "DATA_CARD.md").read_text(encoding="utf-8"), \
        "data/DATA_CARD.md is stale: run python -m geostance.data card"


# ---------------------------------------------------------------- found by an audit (2026-12-05)

def test_error_empty_kind(tmp_path):
    data = rows("train")
    data[1]["kind"] = ""
    cfg = splits_cfg(tmp_path, data)
    assert problems_of(cfg) == [f"{cfg.train_files[0]}:2: kind: empty; every sentence needs a "
                                "kind; allowed: claim, heading, boilerplate, other"]


def test_error_empty_file_is_named(tmp_path):
    cfg = splits_cfg(tmp_path)
    Path(cfg.dev_files[0]).write_text("", encoding="utf-8")
    assert problems_of(cfg) == [f"{cfg.dev_files[0]}: no sentences (an empty file)"]


def test_error_split_without_any_stance_names_its_files(tmp_path):
    cfg = splits_cfg(tmp_path, dev=rows("dev", kind="boilerplate", stance=""))
    assert problems_of(cfg) == [f"split dev ({cfg.dev_files[0]}): stance: no sentence with a "
                                "stance label (only boilerplate or empty stances)"]


def test_error_not_utf8_names_the_line(tmp_path):
    cfg = splits_cfg(tmp_path)
    path = Path(cfg.train_files[0])
    path.write_bytes(path.read_bytes().replace(b"number 2", b"number \xff2"))
    (problem,) = problems_of(cfg)
    assert problem.startswith(f"{path}:3: not UTF-8 (invalid start byte at byte ")


def test_error_leakage_across_unicode_normal_forms(tmp_path):
    import unicodedata

    text = "Sverige gick med i Nato efter en lång väntan."
    train = rows("train")
    train[0]["text"] = unicodedata.normalize("NFC", text)
    dev = rows("dev")
    dev[0]["text"] = unicodedata.normalize("NFD", text)
    cfg = splits_cfg(tmp_path, train, dev)
    assert problems_of(cfg)[0].startswith(f"{cfg.dev_files[0]}:1: text: leakage")


def test_error_malformed_label_studio_export_is_a_problem_not_a_crash(tmp_path):
    ls = tmp_path / "ls.json"
    ls.write_text(json.dumps([
        {"id": 1, "data": {"text": "NATO grows here and now."}, "annotations": {"x": 1}},
        {"id": 2, "data": {"text": "Moscow warns again today."}, "annotations": [
            {"result": [{"from_name": "kind", "value": {"choices": "claim"}}]}]},
    ]), encoding="utf-8")
    cfg = splits_cfg(tmp_path)
    cfg.train_files = [str(ls)]
    assert problems_of(cfg)[:2] == [
        f"{ls}:task 1 (id 1): annotations: must be a list of annotation objects",
        f"{ls}:task 2 (id 2): kind.choices: must be a list of label strings, got 'claim'"]


def test_own_label_set_with_the_contrast_set_says_what_to_do(tmp_path):
    data = [{"text": f"Line {i} about things here.", "kind": "claim", "stance": s}
            for i, s in enumerate(["pos", "neg", "pos"])]
    cfg = splits_cfg(tmp_path, data, [dict(r, text=r["text"] + " dev") for r in data],
                     [dict(r, text=r["text"] + " test") for r in data],
                     stance_labels=["pos", "neg"],
                     contrast_files=[str(ROOT / "data" / "contrast" / "sentences.jsonl")])
    (problem,) = problems_of(cfg)
    assert problem.endswith("data.contrast_files: the contrast set uses the project's labels, "
                            "not this configuration's; set --data.contrast_files ''")


def test_own_train_files_with_the_contrast_set_get_a_note(tmp_path, capsys):
    cfg = splits_cfg(tmp_path, contrast_files=[str(write_jsonl(
        tmp_path / "contrast.jsonl", rows("contrast")))])
    assert len(load_splits(cfg)["train"]) == 6
    assert "note: data.contrast_files adds the invented contrast set" in capsys.readouterr().err


def test_check_cli_takes_a_label_set_and_refuses_an_empty_file(tmp_path):
    own = write_jsonl(tmp_path / "own.jsonl", rows("x", stance="support"))
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    run = [sys.executable, "-m", "geostance.data", "check"]
    ok = subprocess.run([*run, str(own), "--stance-labels", "support,oppose", "--realnews", ""],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([*run, str(empty), "--realnews", ""], capture_output=True, text=True)
    assert bad.returncode == 2 and f"{empty}: no sentences (an empty file)" in bad.stderr


def test_claims_without_a_stance_load_with_a_note_that_names_the_first(tmp_path, capsys):
    train = rows("train") + [{"id": "gap", "text": "A claim nobody gave a stance.",
                              "kind": "claim", "stance": ""},
                             {"id": "bp", "text": "Photo: Agency", "kind": "boilerplate",
                              "stance": ""}]
    splits = load_splits(splits_cfg(tmp_path, train=train, contrast_files=[]))
    assert len(splits["train"]) == 5
    err = capsys.readouterr().err
    # Boilerplate's empty stance is the rule, so only the claim is counted.
    assert f"note: 1 sentence other than boilerplate has no stance (first: " \
           f"{tmp_path / 'train.jsonl'}:4); in training it teaches the kind head only" in err
    load_splits(splits_cfg(tmp_path, contrast_files=[]))
    assert "no stance" not in capsys.readouterr().err


def test_check_cli_finds_realnews_dev_from_any_folder(tmp_path):
    # The default --realnews (../shared/...) is relative to the repository root; run from
    # elsewhere it is looked up there, and a file found nowhere is said, not skipped quietly.
    own = write_jsonl(tmp_path / "own.jsonl", rows("x"))
    run = [sys.executable, "-m", "geostance.data", "check", str(own)]
    p = subprocess.run([*run, "--realnews", "nowhere.jsonl"], capture_output=True, text=True,
                       cwd=tmp_path)
    assert p.returncode == 0 and "note: nowhere.jsonl not found" in p.stderr
    realnews = ROOT.parent / "shared" / "realnews_dev" / "sentences.jsonl"
    if realnews.is_file():
        first = json.loads(realnews.read_text(encoding="utf-8").splitlines()[0])
        leak = write_jsonl(tmp_path / "leak.jsonl", [{**rows("y")[0], "text": first["text"]}])
        p = subprocess.run([sys.executable, "-m", "geostance.data", "check", str(leak)],
                           capture_output=True, text=True, cwd=tmp_path)
        assert p.returncode == 2 and "leakage: the same sentence is in realnews_dev" in p.stderr
