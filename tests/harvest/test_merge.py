"""Merging annotation passes: a source appended to an existing corpus, and building
only some plans of the recipe (sentences written for these tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geostance.harvest.__main__ import main
from geostance.harvest.annotation import IncompletePassError, Label, PassError, read_pass
from geostance.harvest.build import PlanError, build
from geostance.harvest.merge import (
    append_corpus,
    load_labels,
    merge_corpus,
    new_passages,
    read_corpus_rows,
    write_corpus,
)


def _skeleton(doc_id: str, split: str, texts: list[str]) -> dict:
    units = [{"id": f"{doc_id}-s{i:03d}", "doc_id": doc_id, "index": i, "start": 0, "end": 0,
              "text": t, "context_prev": texts[i - 1] if i else ""}
             for i, t in enumerate(texts)]
    return {"record": {"doc_id": doc_id, "lang": "en", "split": split}, "units": units}


def _agreed(skeleton: list[dict]) -> dict:
    return {u["id"]: (u["text"], Label("claim", "pro_nato", ""))
            for pd in skeleton for u in pd["units"]}


def test_appended_sentences_never_repeat_another_split_of_the_old_corpus():
    old = [("dev", "The alliance will meet in Vilnius next year."),
           ("train", "Russia must end its war of aggression against Ukraine now.")]
    skel = [_skeleton("new-train", "train", ["The alliance will meet in Vilnius next year.",
                                             "Sanctions on the defence sector take effect."]),
            _skeleton("new-test", "test", ["Russia must end its war of aggression against "
                                           "Ukraine now.", "Grain left the port today."])]
    labels = _agreed(skel)
    docs, sents, stats = merge_corpus(skel, labels, labels, {}, old)
    assert [s["text"] for s in sents] == ["Sanctions on the defence sector take effect.",
                                          "Grain left the port today."]
    assert stats["duplicate"] == 2 and stats["agreement"] == 2
    # Without the old corpus nothing is a duplicate.
    assert merge_corpus(skel, labels, labels, {})[2]["duplicate"] == 0


def test_append_keeps_the_old_corpus_and_refuses_a_document_twice(tmp_path):
    write_corpus(tmp_path, [{"doc_id": "old", "split": "train"}],
                 [{"id": "old-s000", "doc_id": "old", "text": "x"}])
    old_docs, old_sents = read_corpus_rows(tmp_path)
    docs, sents = append_corpus(old_docs, old_sents, [{"doc_id": "new"}],
                                [{"id": "new-s000", "doc_id": "new"}])
    assert [d["doc_id"] for d in docs] == ["old", "new"] and len(sents) == 2
    with pytest.raises(PassError, match="already in the corpus"):
        append_corpus(old_docs, old_sents, [{"doc_id": "old"}], [])
    assert read_corpus_rows(tmp_path / "absent") == ([], [])


def test_write_corpus_writes_one_part_per_source_and_reads_back_in_order(tmp_path):
    docs = [{"doc_id": d, "source_repo": r} for d, r in
            (("a", "z/one"), ("b", "b/two"), ("c", "z/one"))]
    sents = [{"id": f"{d}-s000", "doc_id": d} for d in "abc"]
    (tmp_path / "sentences.jsonl").write_text("{}\n")  # the old single-file layout
    (tmp_path / "sentences").mkdir()
    (tmp_path / "sentences" / "gone__repo.jsonl").write_text("{}\n")  # a source no longer there
    write_corpus(tmp_path, docs, sents)
    assert sorted(p.name for p in (tmp_path / "sentences").iterdir()) == [
        "b__two.jsonl", "z__one.jsonl"]
    assert not (tmp_path / "sentences.jsonl").exists()
    assert [json.loads(x)["doc_id"] for x in
            (tmp_path / "sentences" / "z__one.jsonl").read_text().splitlines()] == ["a", "c"]
    assert read_corpus_rows(tmp_path) == (docs, sents)  # the documents' order, not the parts'


def test_merge_cli_refuses_append_with_balance(tmp_path, capsys):
    skel = tmp_path / "skeleton.jsonl"
    skel.write_text(json.dumps(_skeleton("d", "train", ["A sentence."])) + "\n")
    for d in ("batches", "a", "b", "adj", "adjdir"):
        (tmp_path / d).mkdir()
    rc = main(["merge", str(skel), "--batches", str(tmp_path / "batches"), "--pass-a",
               str(tmp_path / "a"), "--pass-b", str(tmp_path / "b"), "--adjudicated",
               str(tmp_path / "adj"), "--adjudicate-dir", str(tmp_path / "adjdir"),
               "--out", str(tmp_path / "out"), "--append", "--balance"])
    assert rc == 2 and "exclude each other" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_build_only_some_plans_checks_the_names(tmp_path):
    with pytest.raises(PlanError, match="no plan named"):
        build(str(tmp_path), only={"nope"})
    # A later plan of a source draws around the earlier ones: never built alone.
    with pytest.raises(PlanError, match="build them together"):
        build(str(tmp_path), only={"kremlin_nato"})


def test_build_cli_names_an_unknown_plan(tmp_path, capsys):
    rc = main(["build", "--mirror", str(tmp_path), "--out", str(tmp_path / "s.jsonl"),
               "--plans", "nope"])
    assert rc == 2 and "no plan named ['nope']" in capsys.readouterr().err


def test_a_later_plan_keeps_only_passages_not_in_the_corpus(tmp_path):
    from geostance.harvest.build import PassageDoc

    write_corpus(tmp_path, [{"doc_id": "a", "text": "First passage."},
                            {"doc_id": "b", "text": "Second passage."}], [])
    (tmp_path / "balance_dropped.txt").write_text("c\n")
    built = [PassageDoc({"doc_id": i, "text": t}, []) for i, t in
             (("a", "First passage."), ("b", "Second passage."), ("c", "Dropped before."),
              ("a-q1", "A new passage of a."))]
    assert [pd.record["doc_id"] for pd in new_passages(built, tmp_path)] == ["a-q1"]
    # A corpus passage that rebuilds with another text: the snapshot is not the corpus's.
    built[1] = PassageDoc({"doc_id": "b", "text": "Second passage, changed."}, [])
    with pytest.raises(PassError, match="documents.jsonl: b: text differs"):
        new_passages(built, tmp_path)


def test_verify_without_the_snapshots_is_one_line(tmp_path, capsys):
    real = Path(__file__).resolve().parents[2] / "data" / "real"
    assert main(["verify", str(real), "--mirror", str(tmp_path),
                 "--plans", "state_department"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no snapshot of markschaver/State-Department-PR under") and \
        "fetch it first" in err


def _label(sid: str) -> str:
    return json.dumps({"id": sid, "kind": "claim", "stance": "pro_nato", "source": ""})


def test_an_unfinished_pass_is_skipped_by_its_type_not_its_message(tmp_path, capsys):
    batches, passes = tmp_path / "batches", tmp_path / "pass1"
    batches.mkdir()
    passes.mkdir()
    (batches / "batch_001.jsonl").write_text(json.dumps(
        {"sentences": [{"id": "a", "text": "A."}, {"id": "b", "text": "B."}]}) + "\n")
    pfile = passes / "batch_001.jsonl"
    pfile.write_text(_label("a") + "\n")
    with pytest.raises(IncompletePassError) as e:
        read_pass(pfile, ["a", "b"])
    assert e.value.missing == 1
    assert load_labels(batches, passes) == {}
    assert f"skipped (incomplete): {pfile}" in capsys.readouterr().err
    # A stray line is the file's error, even when its one problem line reads like the
    # note of an unfinished pass (the skip keyed on the words "have no label" before).
    pfile.write_text(_label("a") + "\n" + _label("b") + "\n" + _label("have no label") + "\n")
    with pytest.raises(PassError, match=r"batch_001.jsonl:3: id: unknown") as e:
        load_labels(batches, passes)
    assert not isinstance(e.value, IncompletePassError)
    # Unfinished and invalid: every problem is reported, not skipped.
    pfile.write_text(_label("a") + "\n" + '{"id": "x"}' + "\n")
    with pytest.raises(PassError, match="have no label") as e:
        load_labels(batches, passes)
    assert not isinstance(e.value, IncompletePassError)


def test_a_pass_file_is_read_by_the_project_jsonl_reader(tmp_path):
    # It was split with str.splitlines, which also splits at U+2028 inside a JSON string
    # (json.dumps with ensure_ascii=False writes it as it is): the row was two malformed
    # lines. A key given twice kept its last value without a word.
    pfile = tmp_path / "batch_001.jsonl"
    pfile.write_text(json.dumps({"id": "a", "kind": "claim", "stance": "pro_nato",
                                 "source": "NATO\u2028spokesman"}, ensure_ascii=False) + "\n"
                     + '{"id": "b", "kind": "claim", "stance": "pro_nato", "stance": '
                       '"pro_moscow", "source": ""}\n', encoding="utf-8")
    with pytest.raises(PassError) as e:
        read_pass(pfile, ["a", "b"])
    assert str(e.value).splitlines() == [  # row "a" read whole; "b" refused, so unlabelled
        f"{pfile}:2: malformed JSON (key 'stance' twice)",
        f"{pfile}: 1 sentence ids have no label (first: b)"]


def test_a_pass_file_that_is_not_utf8_names_its_line(tmp_path, capsys):
    # Read by iter_jsonl since this session, a byte that is not UTF-8 (a pass saved as
    # Latin-1) raised JsonlDecodeError through read_pass: a traceback from harvest, exit 1
    # without a line named.
    pfile = tmp_path / "batch_001.jsonl"
    pfile.write_bytes((_label("a") + "\n").encode() + '{"id": "b", "source": "Ström"}\n'
                      .encode("latin-1"))
    with pytest.raises(PassError) as e:
        read_pass(pfile, ["a", "b"])
    assert str(e.value) == f"{pfile}:2: not UTF-8 text (byte 26 of the line)"
