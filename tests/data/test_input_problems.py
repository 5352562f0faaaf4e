"""Problems in data inputs named where they are (a bad realnews_dev file, card/hf
outputs, CSV line numbers, a UTF-8 BOM, null stances)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geostance.data import load_splits

from .sentence_files import problems_of, rows, splits_cfg, write_jsonl

CHECK = [sys.executable, "-m", "geostance.data", "check"]


def _latin1_realnews(tmp_path: Path) -> Path:
    bad = tmp_path / "rn_latin.jsonl"
    bad.write_bytes('{"id": "u1", "text": "Försvaret växer i år igen.", "kind": "claim", '
                    '"stance": "pro_nato"}\n'.encode("latin-1"))
    return bad


# ---------------------------------------------------------------- a bad realnews_dev file

def test_load_splits_raises_a_bad_realnews_dev_before_training(tmp_path):
    # Before: its problems went into a throwaway list; train.py trained to the end and
    # only then failed on it (and its unread lines were never checked for leakage).
    bad = _latin1_realnews(tmp_path)
    (problem,) = problems_of(splits_cfg(tmp_path, realnews_dev=str(bad)))
    assert problem.startswith(f"{bad}:1: not UTF-8 (")


def test_load_splits_reports_a_malformed_realnews_dev_line_with_the_leak_it_hides(tmp_path):
    train = rows("train")
    ref = tmp_path / "rn.jsonl"
    ref.write_text(f'{{"id": "u1", "text": "{train[0]["text"]}", "kind": "claim", '
                   '"stance": "pro_nato"}\n{"id": "u2", "text": "torn\n', encoding="utf-8")
    cfg = splits_cfg(tmp_path, train, realnews_dev=str(ref))
    assert problems_of(cfg) == [
        f"{ref}:2: malformed JSON (Unterminated string starting at column 22)",
        f"{cfg.train_files[0]}:1: text: leakage: the same sentence is in realnews_dev "
        f"({ref}:1)"]


def test_load_splits_reports_realnews_dev_rows_evaluation_would_fail_on(tmp_path):
    # An empty text crashed scoring after training; an unknown label is reported as in
    # the training files (the default label sets evaluate realnews_dev).
    ref = write_jsonl(tmp_path / "rn.jsonl", [
        {"id": "r1", "text": "", "kind": "claim", "stance": "pro_nato"},
        {"id": "r2", "text": "Moscow warns Oslo again today.", "kind": "claim",
         "stance": "bogus"}])
    problems = problems_of(splits_cfg(tmp_path, realnews_dev=str(ref)))
    assert f"{ref}:1: text: empty text" in problems
    assert any(p.startswith(f"{ref}:2: stance: unknown label 'bogus'") for p in problems)


def test_load_splits_reads_a_good_realnews_dev(tmp_path):
    ref = write_jsonl(tmp_path / "rn.jsonl", rows("rn"))
    assert len(load_splits(splits_cfg(tmp_path, realnews_dev=str(ref)))["train"]) == 3


def test_load_splits_refuses_seed_article_sentences_in_training(tmp_path):
    # Predictions on the seed article, exported for annotation and added with
    # --data.add_train_files, trained on the article its seed_article.* metrics score.
    seed = tmp_path / "seed.txt"
    seed.write_text("Moskva varnar\nReaktionerna i Moskva har varit starka.\n"
                    "Ryska analytiker menar att\nutvecklingen hotar landets säkerhet.\n",
                    encoding="utf-8")
    train = rows("train") + [
        {"id": "s1", "text": "Reaktionerna i  Moskva har varit starka.", "kind": "claim",
         "stance": "moscow_warning"},
        {"id": "s2", "text": "Ryska analytiker menar att utvecklingen hotar landets säkerhet.",
         "kind": "claim", "stance": "moscow_warning"},
        {"id": "s3", "text": "Moskva varnar", "kind": "heading", "stance": "moscow_warning"},
        {"id": "s4", "text": "Reaktionerna i Moskva var starka.", "kind": "claim",
         "stance": "moscow_warning"}]
    cfg = splits_cfg(tmp_path, train, seed_article=str(seed))
    where = cfg.train_files[0]
    assert problems_of(cfg) == [
        f"{where}:4: text: leakage: the sentence is in the seed article ({seed})",
        f"{where}:5: text: leakage: the sentence is in the seed article ({seed})"]
    seed.unlink()  # absent: nothing to check
    assert len(load_splits(cfg)["train"]) == 7


def test_added_train_files_may_not_relabel_a_training_sentence(tmp_path):
    # An annotated sentence the training data already holds with other labels (or the same
    # sentence annotated twice, as two articles) trained one text towards two answers.
    train = rows("train")
    ann = tmp_path / "doccano-export.jsonl"
    write_jsonl(ann, [
        {"id": 1, "text": train[0]["text"], "label": ["claim", "moscow_warning"]},
        {"id": 2, "text": train[1]["text"], "label": ["pro_nato", "claim"]},
        {"id": 3, "text": "Baku and Moscow signed a new trade deal today.",
         "label": ["claim", "neutral_balancing"]},
        {"id": 4, "text": "Baku and Moscow signed a new  trade deal today.",
         "label": ["claim", "pro_nato"]}])
    cfg = splits_cfg(tmp_path, train, add_train_files=[str(ann)])
    where = cfg.train_files[0]
    assert problems_of(cfg) == [
        f"{ann}:1: text: the same sentence is in the training data with other labels "
        f"({where}:1: claim/pro_nato; here claim/moscow_warning); keep one",
        f"{ann}:4: text: the same sentence is in the training data with other labels "
        f"({ann}:3: claim/neutral_balancing; here claim/pro_nato); keep one"]


def test_own_train_files_may_not_label_one_sentence_two_ways(tmp_path):
    # data check said so and train.py did not: only add_train_files were checked.
    train = rows("train")
    train[2] = {**train[0], "id": "train2", "stance": "moscow_warning"}
    cfg = splits_cfg(tmp_path, train)
    where = cfg.train_files[0]
    assert problems_of(cfg) == [
        f"{where}:3: text: the same sentence is in the training data with other labels "
        f"({where}:1: claim/pro_nato; here claim/moscow_warning); keep one"]


def test_check_cli_reports_a_bad_realnews_file(tmp_path):
    own = write_jsonl(tmp_path / "own.jsonl", rows("x"))
    bad = _latin1_realnews(tmp_path)
    p = subprocess.run([*CHECK, str(own), "--realnews", str(bad)], capture_output=True,
                       text=True)
    assert p.returncode == 2, p.stdout
    assert "OK" not in p.stdout and f"{bad}:1: not UTF-8 (" in p.stderr


def test_check_cli_reports_what_train_py_refuses_in_an_annotation_export(tmp_path):
    # Before: `data check` printed OK for a file train.py then refused: a sentence of the
    # seed article, and one sentence annotated twice with different labels.
    seed = tmp_path / "seed.txt"
    seed.write_text("Rubrik\nFörsta meningen i artikeln står här. Och en till.\n",
                    encoding="utf-8")
    own = rows("x", 3)
    own[1]["text"] = "Första meningen i artikeln står här."
    own[2] = {**own[0], "id": "x2", "stance": "moscow_warning"}
    path = write_jsonl(tmp_path / "export.jsonl", own)
    p = subprocess.run([*CHECK, str(path), "--realnews", "", "--seed-article", str(seed)],
                       capture_output=True, text=True)
    assert p.returncode == 2 and "OK" not in p.stdout, p.stdout
    assert f"{path}:2: text: leakage: the sentence is in the seed article ({seed})" in p.stderr
    assert (f"{path}:3: text: the same sentence is in the training data with other labels "
            f"({path}:1: claim/pro_nato; here claim/moscow_warning); keep one") in p.stderr
    missing = subprocess.run([*CHECK, str(write_jsonl(tmp_path / "ok.jsonl", rows("y"))),
                              "--realnews", "", "--seed-article", "nowhere.txt"],
                             capture_output=True, text=True, cwd=tmp_path)
    assert missing.returncode == 0 and "note: nowhere.txt not found" in missing.stderr


# ---------------------------------------------------------------- card and hf outputs

def _cli(capsys, *argv: str) -> tuple[int, str]:
    from geostance.data.__main__ import main

    rc = main(list(argv))
    return rc, capsys.readouterr().err


def _card(fixture_corpus: Path, tmp_path: Path, *argv: str) -> list[str]:
    return ["card", "--corpus-dir", str(fixture_corpus), "--real-dir", "none",
            "--contrast-dir", "none", *argv]


def _read_only(monkeypatch) -> None:
    # A probe as root or on a read-only mount: permission bits cannot stand in for it.
    from geostance import fileio
    from geostance.data import __main__ as cli

    def refuse(folder):
        raise OSError(30, "Read-only file system", str(folder))

    monkeypatch.setattr(fileio, "check_writable", refuse)
    monkeypatch.setattr(cli, "check_writable", refuse)


def test_card_output_problems_are_one_error_line(tmp_path, capsys, monkeypatch,
                                                 fixture_corpus):
    missing = tmp_path / "missing"
    assert _cli(capsys, "card", "--corpus-dir", str(missing), "--out",
                str(tmp_path / "c.md")) == (
        2, f"error: --corpus-dir {missing}: no written corpus here (articles.jsonl is "
           "missing)\n")
    assert _cli(capsys, *_card(fixture_corpus, tmp_path, "--out", str(tmp_path))) == (
        2, f"error: {tmp_path} is a folder; give a file name\n")
    assert _cli(capsys, *_card(fixture_corpus, tmp_path, "--out", str(missing / "c.md"))) == (
        2, f"error: output folder does not exist: {missing}\n")
    out = tmp_path / "c.md"
    assert _cli(capsys, *_card(fixture_corpus, tmp_path, "--out", str(out)))[0] == 0
    assert "# " in out.read_text(encoding="utf-8")
    assert _cli(capsys, *_card(fixture_corpus, tmp_path, "--out", str(out)))[0] == 0  # again
    _read_only(monkeypatch)
    assert _cli(capsys, *_card(fixture_corpus, tmp_path, "--out", str(out))) == (
        2, f"error: cannot write in {tmp_path} (Read-only file system)\n")


def test_hf_output_problems_are_one_error_line(tmp_path, capsys, monkeypatch, fixture_corpus):
    hf = ["hf", "--corpus-dir", str(fixture_corpus), "--real-dir", str(tmp_path / "none"),
          "--contrast-dir", "none"]
    afile = tmp_path / "afile"
    afile.write_text("", encoding="utf-8")
    readme = tmp_path / "README.md"
    assert _cli(capsys, *hf, "--out-dir", str(afile / "hf"), "--readme", str(readme)) == (
        2, f"error: {afile} is not a folder; {afile}/hf/real_sentences/train.jsonl.gz cannot "
           "be written under it\n")
    assert _cli(capsys, *hf, "--out-dir", str(tmp_path / "hf"), "--readme", str(tmp_path)) \
        [0] == 2
    _read_only(monkeypatch)
    assert _cli(capsys, *hf, "--out-dir", str(tmp_path / "hf"), "--readme", str(readme)) == (
        2, f"error: cannot write in {tmp_path} (Read-only file system)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]  # nothing made


# ---------------------------------------------------------------- CSV line numbers

def _csv_problems(tmp_path: Path, text: str) -> list[str]:
    csv = tmp_path / "own.csv"
    csv.write_text(text, encoding="utf-8")
    cfg = splits_cfg(tmp_path)
    cfg.train_files = [str(csv)]
    return problems_of(cfg)


def test_malformed_csv_names_the_line_its_row_starts_on(tmp_path):
    # Before: the last good row's line (4), DictReader's line_num not being updated for a
    # row that fails.
    good = "".join(f'"Row number {i} is here and fine.",claim,pro_nato\n' for i in range(3))
    assert _csv_problems(tmp_path, "text,kind,stance\n" + good + '"unterminated,claim,pro_nato\n'
                         '"Fifth row here is fine okay.",claim,pro_nato\n') == [
        f"{tmp_path / 'own.csv'}:5: malformed CSV (',' expected after '\"')"]


def test_a_trailing_comma_on_every_csv_row_is_no_problem(tmp_path):
    # Some exporters end each row with a comma: an empty cell past the header's, which was
    # "more values than the 3 header columns" on every row, though it holds nothing (as
    # predict.py reads such a table). A cell with text there is still a problem.
    from geostance.config import DataConfig
    from geostance.data.formats import read_file
    from geostance.data.schema import Labels, Problems

    good = "".join(f'"Row number {i} is here and fine.",claim,pro_nato,\n' for i in range(3))
    path = tmp_path / "own.csv"
    path.write_text("text,kind,stance\n" + good, encoding="utf-8")
    cfg, problems = DataConfig(), Problems()
    assert len(read_file(path, cfg, Labels.from_config(cfg), problems)) == 3
    assert not problems.items
    assert _csv_problems(tmp_path, "text,kind,stance\n" + good + "One, two,claim,pro_nato,\n"
                         ) == [f"{tmp_path / 'own.csv'}:5: malformed CSV (more values than "
                               "the 3 header columns)"]

def test_csv_rows_after_a_quoted_line_break_are_named_by_their_first_line(tmp_path):
    # Lines: 1 header, 2-3 one row, 4 blank, 5, 6-7, 8-9 and 10 one row each.
    text = ('text,kind,stance\n"Two lines\nof one quoted text here.",claim,pro_nato\n\n'
            '"A row with a wrong label here.",claimz,pro_nato\n'
            '"A row with\nthree values too many here.",claim,pro_nato,x,y,z\n'
            '"Torn at the end of\nthe file",claim\n"unterminated')
    path = tmp_path / "own.csv"
    assert _csv_problems(tmp_path, text) == [
        f"{path}:6: malformed CSV (more values than the 3 header columns)",
        f"{path}:8: stance: missing field",
        f"{path}:10: malformed CSV (unexpected end of data)",
        f"{path}:5: kind: unknown label 'claimz'; allowed: claim, heading, boilerplate, other"]


# ---------------------------------------------------------------- a UTF-8 byte order mark

def test_jsonl_label_studio_and_doccano_files_may_open_with_a_bom(tmp_path):
    from geostance.config import DataConfig
    from geostance.data.formats import detect_format, read_file
    from geostance.data.schema import Labels, Problems

    bom = "\ufeff".encode()
    jsonl = tmp_path / "own.jsonl"
    jsonl.write_bytes(bom + write_jsonl(tmp_path / "x.jsonl", rows("x")).read_bytes())
    ls = tmp_path / "ls.json"
    ls.write_bytes(bom + json.dumps([{"id": 7, "data": {"text": "NATO grows here and now."},
                                      "annotations": [{"result": [
                                          {"from_name": "kind",
                                           "value": {"choices": ["claim"]}},
                                          {"from_name": "stance",
                                           "value": {"choices": ["pro_nato"]}}]}]}]).encode())
    doccano = tmp_path / "doccano.jsonl"
    doccano.write_bytes(bom + b'{"text": "NATO grows here and now.", '
                              b'"label": ["claim", "pro_nato"]}\n')
    cfg = DataConfig()
    got = {}
    for path in (jsonl, ls, doccano):
        problems = Problems()
        got[path.name] = [(s.text, s.kind, s.stance) for s in
                          read_file(path, cfg, Labels.from_config(cfg), problems)]
        assert problems.items == [], path
    assert detect_format(doccano) == "doccano"  # was "jsonl": its first line did not parse
    assert got["own.jsonl"] == [(r["text"], "claim", "pro_nato") for r in rows("x")]
    assert got["ls.json"] == got["doccano.jsonl"] == [
        ("NATO grows here and now.", "claim", "pro_nato")]


# ---------------------------------------------------------------- null fields

def test_a_null_stance_is_an_empty_one(tmp_path):
    # pandas' to_json writes boilerplate's NaN stance as null: it was "stance: missing field".
    train = rows("train") + [{"id": "bp", "text": "Copyright 2024 Example News Agency.",
                              "kind": "boilerplate", "stance": None},
                             {"id": "gap", "text": "A claim nobody gave a stance here.",
                              "kind": "claim", "stance": None}]
    splits = load_splits(splits_cfg(tmp_path, train, contrast_files=[]))
    assert [s.stance for s in splits["train"]] == ["pro_nato"] * 3 + ["", ""]


def test_a_nan_field_is_a_null_one_and_infinity_no_text(tmp_path):
    # Python's json.dumps writes a pandas NaN (an empty cell) as NaN, and json reads it back
    # as a float: it was written out as the text "nan", a title and previous sentence "nan"
    # in the model's input, and a boilerplate's NaN stance "unknown label 'nan'".
    nan = float("nan")
    train = rows("train") + [{"id": "bp", "text": "Copyright 2024 Example News Agency.",
                              "kind": "boilerplate", "stance": nan, "title": nan}]
    train[0].update(title=nan, context_prev=nan, speaker=nan)
    splits = load_splits(splits_cfg(tmp_path, train, contrast_files=[]))
    got = splits["train"]
    assert [s.stance for s in got] == ["pro_nato"] * 3 + [""]
    assert "nan" not in {s.title for s in got} | {s.context_prev for s in got}
    assert got[0].speaker is None  # absent: the sources rules find it, as for null
    bad = rows("train")
    bad[1]["text"] = nan
    bad[2]["title"] = float("inf")
    cfg = splits_cfg(tmp_path, bad)
    where = cfg.train_files[0]
    assert problems_of(cfg) == [f"{where}:2: text: null; a value is needed",
                                f"{where}:3: title: expected a string, got Infinity"]


def test_a_null_text_or_kind_is_called_null_not_missing(tmp_path):
    train = rows("train")
    train[1]["kind"] = None
    train[2]["text"] = None
    cfg = splits_cfg(tmp_path, train)
    where = cfg.train_files[0]
    assert problems_of(cfg) == [f"{where}:2: kind: null; a value is needed",
                                f"{where}:3: text: null; a value is needed"]


def test_a_null_stance_where_the_corpus_needs_one_is_called_null(tmp_path, fixture_corpus):
    import shutil

    from geostance.data.corpus import read_corpus
    from geostance.data.schema import Problems

    corpus = tmp_path / "corpus"
    shutil.copytree(fixture_corpus, corpus)
    lines = (corpus / "sentences.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    claim = json.loads(lines[1])
    assert claim["kind"] == "claim"
    lines[1] = json.dumps({**claim, "stance": None}, ensure_ascii=False) + "\n"
    (corpus / "sentences.jsonl").write_text("".join(lines), encoding="utf-8")
    problems = Problems()
    read_corpus(corpus, problems)
    assert problems.items == [f"{corpus / 'sentences.jsonl'}:2: stance: null, but kind "
                              "'claim' takes a stance"]


def test_label_studio_task_without_a_kind_choice_is_still_a_missing_kind(tmp_path):
    from geostance.data.formats import read_label_studio
    from geostance.data.schema import Problems

    ls = tmp_path / "ls.json"
    ls.write_text(json.dumps([{"id": 1, "data": {"text": "NATO grows here.", "kind": "x"},
                               "annotations": [{"result": [
                                   {"from_name": "stance",
                                    "value": {"choices": ["pro_nato"]}}]}]}]),
                  encoding="utf-8")
    problems = Problems()
    (s,) = read_label_studio(ls, problems)
    assert problems.items == [f"{ls}:task 1 (id 1): kind: missing field"]
    assert (s.kind, s.stance, s.id) == ("", "pro_nato", "1")


def test_label_studio_json_min_export_is_one_problem_saying_which_export_to_take(tmp_path):
    # Before: "data: missing field" on every task, with no word of the export's format.
    from geostance.data.formats import read_label_studio
    from geostance.data.schema import Problems

    ls = tmp_path / "min.json"
    ls.write_text(json.dumps([{"text": "NATO grows here.", "id": 1, "kind": "claim",
                               "stance": "pro_nato", "annotator": 1, "annotation_id": 3,
                               "lead_time": 4.2}] * 3), encoding="utf-8")
    problems = Problems()
    assert read_label_studio(ls, problems) == []
    assert problems.items == [f"{ls}: a Label Studio JSON-MIN export (flat records without "
                              "data and annotations); export the project as JSON (Export > "
                              "JSON), which keeps every annotation"]


def test_doccano_collaborative_labels_agreeing_pass_and_disagreeing_are_named(tmp_path):
    # doccano's collaborative mode writes every annotator's labels into one list. Before:
    # two annotators who agreed were "needs exactly one kind label, got ['claim', 'claim']".
    from geostance.config import DataConfig
    from geostance.data.formats import read_doccano
    from geostance.data.schema import Labels, Problems

    path = write_jsonl(tmp_path / "dc.jsonl", [
        {"text": "NATO grows here.", "label": ["claim", "pro_nato", "claim", "pro_nato"]},
        {"text": "Moscow warns.", "label": ["claim", "pro_nato", "claim", "moscow_warning"]}])
    problems = Problems()
    rows_read = read_doccano(path, Labels.from_config(DataConfig()), problems)
    assert (rows_read[0].kind, rows_read[0].stance) == ("claim", "pro_nato")
    assert problems.items == [
        f"{path}:2: label: at most one stance label, got ['pro_nato', 'moscow_warning'] "
        "(annotators who disagree, merged into one list by doccano's collaborative mode? "
        "settle it and export again)"]


def test_label_studio_takes_only_the_kind_and_stance_choices(tmp_path):
    from geostance.data.formats import read_label_studio
    from geostance.data.schema import Problems

    ls = tmp_path / "ls.json"
    ls.write_text(json.dumps([{"id": 1, "data": {"text": "NATO grows here.", "lang": "en"},
                               "annotations": [{"result": [
                                   {"from_name": k, "value": {"choices": [v]}}
                                   for k, v in (("kind", "claim"), ("stance", "pro_nato"),
                                                ("lang", "xx"))]}]}]), encoding="utf-8")
    problems = Problems()
    (s,) = read_label_studio(ls, problems)
    assert problems.items == [] and (s.kind, s.stance, s.lang) == ("claim", "pro_nato", "en")


def _ls_annotation(aid: int, user: int, kind: str, stance: str, **over) -> dict:
    result = [{"id": f"k{aid}", "from_name": "kind", "to_name": "text", "type": "choices",
               "value": {"choices": [kind]}, "origin": "manual"}]
    if stance:
        result.append({"id": f"s{aid}", "from_name": "stance", "to_name": "text",
                       "type": "choices", "value": {"choices": [stance]}, "origin": "manual"})
    return {"id": aid, "completed_by": user, "result": result, "was_cancelled": False,
            "ground_truth": False, "lead_time": 3.2, "task": 7, **over}


def test_label_studio_annotators_who_disagree_are_a_problem_unless_one_is_ground_truth(
        tmp_path):
    # The last annotation was taken, whoever made it: two annotators' disagreement went
    # into training as whichever Label Studio listed last.
    from geostance.data.formats import read_label_studio
    from geostance.data.schema import Problems

    def task(tid: int, *anns: dict) -> dict:
        return {"id": tid, "data": {"text": f"NATO grows here, task {tid}.", "id": f"t{tid}"},
                "annotations": list(anns), "predictions": []}

    ls = tmp_path / "project-1-export.json"
    ls.write_text(json.dumps([
        task(1, _ls_annotation(11, 1, "claim", "pro_nato"),
             _ls_annotation(12, 2, "claim", "moscow_warning")),
        task(2, _ls_annotation(21, 1, "claim", "pro_nato"),
             _ls_annotation(22, 2, "claim", "pro_nato")),
        task(3, _ls_annotation(31, 1, "claim", "pro_nato"),
             _ls_annotation(32, {"id": 2, "email": "b@x.org"}, "boilerplate", "",
                            ground_truth=True)),
        task(4, _ls_annotation(41, 1, "claim", "pro_nato"),
             _ls_annotation(42, 2, "other", "", was_cancelled=True)),
        task(5, _ls_annotation(51, 1, "claim", "pro_nato"),
             _ls_annotation(52, 2, "claim", "neutral_balancing", ground_truth=True),
             _ls_annotation(53, 3, "heading", "pro_nato", ground_truth=True)),
        task(6, {**_ls_annotation(61, 1, "claim", ""), "result": [
            {"from_name": "kind", "value": {"choices": ["claim", "other"]}}]})]),
        encoding="utf-8")
    problems = Problems()
    rows = read_label_studio(ls, problems)
    assert problems.items == [
        f"{ls}:task 1 (id 1): annotations: annotators disagree (annotation 11 by user 1: "
        "claim/pro_nato; annotation 12 by user 2: claim/moscow_warning); settle it in Label "
        "Studio (keep one annotation, or mark one as ground truth) and export again",
        f"{ls}:task 5 (id 5): annotations: annotators disagree (annotation 52 by user 2: "
        "claim/neutral_balancing; annotation 53 by user 3: heading/pro_nato); settle it in "
        "Label Studio (keep one annotation, or mark one as ground truth) and export again",
        f"{ls}:task 6 (id 6): kind.choices: one label per sentence, got ['claim', 'other']"]
    assert [(s.id, s.kind, s.stance) for s in rows] == [
        ("t2", "claim", "pro_nato"), ("t3", "boilerplate", ""), ("t4", "claim", "pro_nato")]


def test_card_refuses_a_mistyped_real_dir(tmp_path, capsys, fixture_corpus):
    # It silently wrote a card without the real corpus over the committed one.
    out = tmp_path / "c.md"
    rc, err = _cli(capsys, "card", "--corpus-dir", str(fixture_corpus), "--real-dir",
                   str(tmp_path / "data" / "rael"), "--out", str(out))
    assert rc == 2 and "no real corpus here" in err and not out.exists()


def test_card_and_hf_refuse_a_mistyped_contrast_dir(tmp_path, capsys, fixture_corpus):
    # It was "skipped when absent": a mistyped folder wrote a card and hf files without the
    # contrast set over the committed ones.
    typo = tmp_path / "data" / "contrats"
    says = (f"error: --contrast-dir {typo}: no contrast set here (no sentences*.jsonl); "
            "--contrast-dir none leaves it out\n")
    out = tmp_path / "c.md"
    assert _cli(capsys, "card", "--corpus-dir", str(fixture_corpus), "--real-dir", "none",
                "--contrast-dir", str(typo), "--out", str(out)) == (2, says)
    assert _cli(capsys, "hf", "--corpus-dir", str(fixture_corpus), "--real-dir", "none",
                "--contrast-dir", str(typo), "--out-dir", str(tmp_path / "hf"),
                "--readme", str(tmp_path / "README.md")) == (2, says)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("command, option, default", [
    ("check", "--text-column TEXT_COLUMN", "text"),
    ("check", "--kind-column KIND_COLUMN", "kind"),
    ("check", "--stance-column STANCE_COLUMN", "stance"),
    ("check", "--realnews REALNEWS", "../shared/realnews_dev/sentences.jsonl"),
    ("card", "--corpus-dir CORPUS_DIR", "data/corpus"),
    ("card", "--out OUT", "data/DATA_CARD.md"),
    ("hf", "--out-dir OUT_DIR", "data/hf"),
])
def test_data_command_help_explains_each_option(capsys, command, option, default):
    # `python -m geostance.data check --help` listed --text-column, --kind-column,
    # --stance-column with no word of what they are or their defaults, and `card`/`hf`
    # named none of the folders and files they read and write unless asked.
    from geostance.data.__main__ import main as data_main

    with pytest.raises(SystemExit) as stop:
        data_main([command, "--help"])
    assert stop.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    described = text.split(f" {option} ", 1)[1].split(" --", 1)[0]
    assert f"(default: {default})" in described
    assert len(described) > len(f"(default: {default})") + 10  # says what the option is


# ---------------------------------------------------------------- fields read two ways

def test_a_jsonl_key_given_twice_is_a_problem_not_the_last_label(tmp_path):
    # json.loads keeps the last value: '"stance": "moscow_warning", "stance": "pro_nato"'
    # trained as pro_nato, and data check said OK.
    train = tmp_path / "own.jsonl"
    train.write_text(json.dumps(rows("x")[0]) + "\n"
                     + json.dumps(rows("x")[1])[:-1] + ', "stance": "moscow_warning"}\n',
                     encoding="utf-8")
    cfg = splits_cfg(tmp_path)
    cfg.train_files = [str(train)]
    assert problems_of(cfg) == [f"{train}:2: malformed JSON (key 'stance' twice)"]


def test_a_csv_header_naming_a_read_column_twice_is_a_problem(tmp_path):
    # The row's dict kept the last "stance" cell: the first was never read or checked.
    assert _csv_problems(tmp_path, "text,kind,stance,stance\n"
                                   '"A sentence that is fine here.",claim,pro_nato,'
                                   "moscow_warning\n") == [
        f"{tmp_path / 'own.csv'}:1: stance: column named twice in the header"]


@pytest.mark.parametrize("field", ["text", "speaker", "context_prev"])
def test_a_lone_surrogate_is_a_problem_naming_the_field(tmp_path, field):
    # A JSON "\ud800" escape passed data check; the tokenizer cannot take it.
    train = rows("train")
    train[1][field] = train[1].get(field, "") + "\ud800"
    path = tmp_path / "own.jsonl"  # json.dumps escapes it as "\\ud800"
    path.write_text("".join(json.dumps(r) + "\n" for r in train), encoding="utf-8")
    cfg = splits_cfg(tmp_path)
    cfg.train_files = [str(path)]
    assert problems_of(cfg)[0].startswith(
        f"{path}:2: {field}: not valid Unicode text (lone surrogate U+D800 at character "
        f"{len(train[1][field])}")


def test_a_training_file_given_twice_is_named_as_such(tmp_path):
    # The same file in data.train_files and data.add_train_files (or twice in one list)
    # was read twice: every line "duplicate id 'x' (first at" that very line.
    cfg = splits_cfg(tmp_path, contrast_files=[])
    train = cfg.train_files[0]
    cfg.add_train_files = [str(Path(train).parent / "." / Path(train).name)]
    assert problems_of(cfg) == [f"{cfg.add_train_files[0]}: data.add_train_files: the file "
                                f"data.train_files names ({train}) again; each sentence "
                                "would be read twice"]


def test_a_folder_given_as_a_training_file_is_called_a_folder(tmp_path):
    # Any folder was "a corpus directory cannot be used as a split file", though most
    # (a folder of exports, a typo for the file inside) are no corpus.
    folder = tmp_path / "exports"
    folder.mkdir()
    cfg = splits_cfg(tmp_path, contrast_files=[])
    cfg.add_train_files = [str(folder)]
    assert problems_of(cfg) == [f"{folder}: a folder, not a file: name the .jsonl, .csv or "
                                ".json files in it (a corpus folder is data.corpus_dir or "
                                "data.real_dir)"]


def test_data_check_names_a_file_given_twice_once(tmp_path):
    # Every sentence was its own "duplicate id 'x' (first at" the same line).
    path = write_jsonl(tmp_path / "own.jsonl", rows("x"))
    again = f"{tmp_path}/./own.jsonl"  # another spelling of it
    p = subprocess.run([*CHECK, str(path), again, "--realnews", "", "--seed-article", ""],
                       capture_output=True, text=True)
    assert p.returncode == 2 and "OK" not in p.stdout, p.stdout
    assert p.stderr.splitlines()[1:] == [f"{again}: given twice (first as {path}); each "
                                         "sentence would be checked against itself"]
