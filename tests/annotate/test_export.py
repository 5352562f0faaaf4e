"""``python -m geostance.annotate export``: predictions out to annotators and back into training.

Every test builds a small predictions JSONL by hand (the shape predict.py
writes), so no model is needed.
"""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import pytest

from geostance.annotate.__main__ import main
from geostance.annotate.export import (
    Candidate,
    entropy_uncertainty,
    margin_uncertainty,
    select,
)
from geostance.config import DataConfig
from geostance.data.formats import detect_format, read_doccano, read_file, read_label_studio
from geostance.data.schema import Labels, Problems
from geostance.data.validate import validate
from geostance.fileio import write_jsonl_atomic
from geostance.predict.records import flat_columns, flatten, parquet_schema

KINDS = ["claim", "heading", "boilerplate", "other"]
STANCES = ["pro_nato", "moscow_warning", "neutral_balancing"]
MODEL = {"name": "20261126-014833-test", "weights_sha256": "ab" * 32, "quantized": None}


def _sentence(index: int, text: str, kind_p: list[float], stance_p: list[float],
              kinds: list[str] = KINDS, stances: list[str] = STANCES) -> dict:
    kind = kinds[kind_p.index(max(kind_p))]
    stance = "" if kind == "boilerplate" else stances[stance_p.index(max(stance_p))]
    return {"index": index, "start": 0, "end": len(text), "text": text, "kind": kind,
            "kind_probs": dict(zip(kinds, kind_p, strict=True)), "stance": stance,
            "stance_probs": dict(zip(stances, stance_p, strict=True)), "source": "",
            "stance_confidence": max(stance_p)}


def _record(article_id: str, sentences: list[dict], error: str | None = None,
            lang: str = "en") -> dict:
    return {"article_id": article_id, "input": f"{article_id}.txt", "lang": lang,
            "title": f"Title of {article_id}", "date": None, "outlet": None,
            "context_prev": None, "model": MODEL, "summary": None if error else {},
            "sentences": sentences, "error": error, "encoding": None if error else "utf-8"}


def _predictions() -> list[dict]:
    """Two scored articles and one failed input, with known uncertainties."""
    a = [
        _sentence(0, "NATO opens a liaison office in Baku, officials say.",
                  [0.9, 0.05, 0.03, 0.02], [0.8, 0.1, 0.1]),
        _sentence(1, "Moscow warned of grave consequences for the region.",
                  [0.95, 0.03, 0.01, 0.01], [0.45, 0.4, 0.15]),
        _sentence(2, "Subscribe to our newsletter for more news.",
                  [0.1, 0.0, 0.85, 0.05], [0.34, 0.33, 0.33]),
    ]
    b = [
        _sentence(0, "The minister said Armenia would keep talking to both sides.",
                  [0.6, 0.2, 0.1, 0.1], [0.2, 0.2, 0.6]),
        _sentence(1, "Analysts expect the talks to continue into next year.",
                  [0.97, 0.01, 0.01, 0.01], [0.3, 0.1, 0.6]),
    ]
    return [_record("art-a", a), _record("broken", [], error="binary file"),
            _record("art-b", b, lang="sv")]


@pytest.fixture
def preds(tmp_path: Path) -> Path:
    path = tmp_path / "predictions.jsonl"
    write_jsonl_atomic(path, _predictions())
    return path


def _write_table(rows: list[dict], path: Path) -> Path:
    """``rows`` (flattened records) as predict.py writes a .csv or .parquet table."""
    columns = flat_columns(KINDS, STANCES)
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=columns)
            w.writeheader()
            w.writerows(rows)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows, schema=parquet_schema(columns)), path)
    return path


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


# ---------------------------------------------------------------- Label Studio

def test_label_studio_round_trip(preds: Path, tmp_path: Path, capsys):
    out = tmp_path / "tasks.json"
    rc, stdout, _ = _run(["export", str(preds), "--select", "all", "--out", str(out)], capsys)
    assert rc == 0
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert len(tasks) == 5  # the failed record is skipped
    assert [t["data"]["id"] for t in tasks] == ["art-a-s0", "art-a-s1", "art-a-s2", "art-b-s0",
                                               "art-b-s1"]
    first, second = tasks[0], tasks[1]
    assert first["data"]["context_prev"] == ""
    assert second["data"]["context_prev"] == first["data"]["text"]
    assert second["data"]["article_id"] == "art-a" and second["data"]["title"] == "Title of art-a"
    assert tasks[3]["data"]["lang"] == "sv"
    assert first["meta"]["model_weights_sha256"] == MODEL["weights_sha256"]
    pred = first["predictions"][0]
    assert pred["model_version"].startswith(MODEL["name"])
    assert 0 <= pred["score"] <= 1
    assert [(r["from_name"], r["to_name"], r["type"], r["value"]["choices"])
            for r in pred["result"]] == [("kind", "text", "choices", ["claim"]),
                                         ("stance", "text", "choices", ["pro_nato"])]
    # Boilerplate takes no stance, so its pre-annotation has none either.
    assert [r["from_name"] for r in tasks[2]["predictions"][0]["result"]] == ["kind"]

    config = Path(str(out) + ".label_config.xml")
    assert config.is_file() and str(config) in stdout
    xml = config.read_text(encoding="utf-8")
    assert xml.startswith("<View>") and '<Text name="text" value="$text"/>' in xml
    assert "$context_prev" in xml
    assert '<Choices name="kind" toName="text"' in xml
    assert '<Choices name="stance" toName="text"' in xml
    assert all(f'<Choice value="{x}"/>' in xml for x in KINDS + STANCES)

    # Annotators: accept the pre-annotations, correct some, skip one.
    edited = copy.deepcopy(tasks)
    for i, t in enumerate(edited):
        t["id"] = 100 + i
        t["annotations"] = [{"id": i, "result": copy.deepcopy(t["predictions"][0]["result"]),
                             "was_cancelled": False}]
    edited[1]["annotations"][0]["result"][1]["value"]["choices"] = ["moscow_warning"]
    edited[3]["annotations"][0]["result"] = [
        {"from_name": "kind", "to_name": "text", "type": "choices",
         "value": {"choices": ["heading"]}},
        {"from_name": "stance", "to_name": "text", "type": "choices",
         "value": {"choices": ["neutral_balancing"]}}]
    edited[4]["annotations"][0]["was_cancelled"] = True
    ls_export = tmp_path / "project-1-export.json"
    ls_export.write_text(json.dumps(edited), encoding="utf-8")

    problems = Problems()
    rows = read_label_studio(ls_export, problems)
    # A skipped task has no completed annotation: reported, and left out.
    assert problems.items == [f"{ls_export}:task 5 (id 104): annotations: missing field "
                              "(no completed annotation)"]
    assert [(s.id, s.kind, s.stance) for s in rows] == [
        ("art-a-s0", "claim", "pro_nato"), ("art-a-s1", "claim", "moscow_warning"),
        ("art-a-s2", "boilerplate", ""), ("art-b-s0", "heading", "neutral_balancing")]
    assert rows[1].context_prev == rows[0].text and rows[3].lang == "sv"

    _assert_trains(tmp_path, rows, Labels(KINDS, STANCES))


def test_exported_speakers_are_the_ones_training_reads(tmp_path: Path, capsys):
    # The model read each sentence's speaker as the sources rules found it in the whole
    # article; an export holds a few sentences per article in order of uncertainty, where
    # finding them again gives others ("he said" with its name left out). Before, training
    # found them again; now it reads the exported ones.
    from geostance.evaluation.realnews import speakers_of

    recs = _predictions()
    recs[2]["sentences"][1]["source"] = "Anna Berg"  # "…, he said." after a named quote
    recs[0]["sentences"][0]["source"] = "officials"
    path = write_jsonl_atomic(tmp_path / "p.jsonl", recs)
    out = tmp_path / "tasks.json"
    assert _run(["export", str(path), "--n", "3", "--out", str(out)], capsys)[0] == 0
    tasks = json.loads(out.read_text(encoding="utf-8"))
    for i, t in enumerate(tasks):
        t["id"] = i
        t["annotations"] = [{"id": i, "result": t["predictions"][0]["result"]}]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    problems = Problems()
    rows = read_label_studio(export, problems)
    assert problems.items == []
    by_text = {s["text"]: s["source"] for r in recs for s in r["sentences"]}
    assert speakers_of(rows) == [by_text[s.text] for s in rows]
    assert "Anna Berg" in speakers_of(rows)
    # A sentence file without the field: found again by the rules, as before.
    for s in rows:
        s.speaker = None
    assert "Anna Berg" not in speakers_of(rows)


def _assert_trains(tmp_path: Path, rows, labels: Labels) -> None:
    """Imported rows written as sentence JSONL read back cleanly, labels intact."""
    train = tmp_path / "train.jsonl"
    write_jsonl_atomic(train, [s.record() for s in rows])
    problems = Problems()
    cfg = DataConfig(kind_labels=labels.kinds, stance_labels=labels.stances)
    back = read_file(train, cfg, labels, problems)
    validate({"train": back}, labels, problems)
    assert problems.items == []
    assert [(s.id, s.article_id, s.text, s.kind, s.stance, s.context_prev) for s in back] == [
        (s.id, s.article_id, s.text, s.kind, s.stance, s.context_prev) for s in rows]


# --------------------------------------------------------------------- doccano

def test_doccano_round_trip(preds: Path, tmp_path: Path, capsys):
    out = tmp_path / "tasks.jsonl"
    rc, stdout, _ = _run(["export", str(preds), "--format", "doccano", "--select", "all",
                          "--out", str(out)], capsys)
    assert rc == 0 and "doccano" in stdout
    assert not Path(str(out) + ".label_config.xml").exists()
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["label"] for x in lines] == [["claim", "pro_nato"], ["claim", "pro_nato"],
                                          ["boilerplate"], ["claim", "neutral_balancing"],
                                          ["claim", "neutral_balancing"]]
    assert lines[1]["context_prev"] == lines[0]["text"]
    assert lines[0]["id"] == "art-a-s0" and lines[0]["model"].startswith(MODEL["name"])
    assert detect_format(out) == "doccano"
    labels = Labels(KINDS, STANCES)
    problems = Problems()
    assert len(read_doccano(out, labels, problems)) == 5 and problems.items == []

    # Annotators relabel two sentences; doccano exports the label list.
    lines[1]["label"] = ["claim", "moscow_warning"]
    lines[4]["label"] = ["other"]
    edited = tmp_path / "doccano-export.jsonl"
    write_jsonl_atomic(edited, lines)
    problems = Problems()
    rows = read_file(edited, DataConfig(), labels, problems)
    assert problems.items == []
    assert [(s.kind, s.stance) for s in rows] == [
        ("claim", "pro_nato"), ("claim", "moscow_warning"), ("boilerplate", ""),
        ("claim", "neutral_balancing"), ("other", "")]
    _assert_trains(tmp_path, rows, labels)


def test_custom_label_sets_come_from_the_predictions(tmp_path: Path, capsys):
    kinds, stances = ["fact", "opinion"], ["for", "against"]
    recs = [_record("c", [
        _sentence(0, "Taxes rise next year.", [0.9, 0.1], [0.7, 0.3], kinds, stances),
        _sentence(1, "That is a terrible idea.", [0.2, 0.8], [0.1, 0.9], kinds, stances)])]
    path = tmp_path / "custom.jsonl"
    write_jsonl_atomic(path, recs)
    assert _run(["export", str(path), "--select", "all"], capsys)[0] == 0
    xml = (tmp_path / "custom.label-studio.json.label_config.xml").read_text(encoding="utf-8")
    assert all(f'<Choice value="{x}"/>' in xml for x in kinds + stances)
    assert "claim" not in xml and "pro_nato" not in xml

    assert _run(["export", str(path), "--format", "doccano", "--select", "all"], capsys)[0] == 0
    out = tmp_path / "custom.doccano.jsonl"
    problems = Problems()
    rows = read_doccano(out, Labels(kinds, stances), problems)
    assert problems.items == []
    assert [(s.kind, s.stance) for s in rows] == [("fact", "for"), ("opinion", "against")]


# ------------------------------------------------------------------ uncertainty

def test_uncertainty_measures_on_hand_made_probabilities():
    assert margin_uncertainty({"a": 0.7, "b": 0.2, "c": 0.1}) == pytest.approx(0.5)
    assert margin_uncertainty({"a": 0.5, "b": 0.5}) == 1.0
    assert margin_uncertainty({"a": 1.0, "b": 0.0}) == 0.0
    assert entropy_uncertainty({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}) == pytest.approx(1.0)
    assert entropy_uncertainty({"a": 1.0, "b": 0.0, "c": 0.0}) == 0.0
    assert entropy_uncertainty({"a": 0.5, "b": 0.5, "c": 0.0}) == pytest.approx(0.63093, abs=1e-5)
    # CSV read-back: a missing value is ignored, not counted as zero probability mass.
    assert margin_uncertainty({"a": 0.6, "b": 0.4, "c": None}) == pytest.approx(0.8)


def _cand(cid: str, kind_p: list[float], stance_p: list[float], boilerplate: bool = False):
    article, index = cid.split("-s")
    return Candidate(
        id=cid, article_id=article, index=int(index), text=cid, title="", context_prev="",
        lang="en", kind="boilerplate" if boilerplate else "claim",
        kind_probs=dict(zip(["claim", "other"], kind_p, strict=True)),
        stance="" if boilerplate else "x",
        stance_probs=dict(zip(["x", "y", "z"], stance_p, strict=True)), source="", model={},
        input="")


def _ranking() -> list[Candidate]:
    return [
        _cand("a-s0", [0.9, 0.1], [0.5, 0.5, 0.0]),    # margin 1.0, entropy 0.631
        _cand("a-s1", [0.9, 0.1], [0.4, 0.3, 0.3]),    # margin 0.9, entropy 0.986
        _cand("a-s2", [0.55, 0.45], [0.9, 0.1, 0.0]),  # kind head: margin 0.9, entropy 0.993
        _cand("b-s10", [0.9, 0.1], [0.4, 0.3, 0.3]),   # ties with a-s1
        _cand("b-s2", [0.9, 0.1], [0.4, 0.3, 0.3]),    # ties with a-s1; index 2 before 10
        _cand("a-s3", [0.95, 0.05], [0.34, 0.33, 0.33], boilerplate=True),  # stance ignored
    ]


def test_margin_ranking_max_over_heads_ties_by_id():
    chosen = select(_ranking(), "uncertain", None, "margin", 13)
    assert [c.id for c in chosen] == ["a-s0", "a-s1", "a-s2", "b-s2", "b-s10", "a-s3"]
    assert [c.uncertainty for c in chosen] == pytest.approx([1.0, 0.9, 0.9, 0.9, 0.9, 0.1])


def test_entropy_ranking_differs_from_margin():
    chosen = select(_ranking(), "uncertain", None, "entropy", 13)
    assert [c.id for c in chosen] == ["a-s2", "a-s1", "b-s2", "b-s10", "a-s0", "a-s3"]
    assert chosen[0].uncertainty == pytest.approx(0.992774, abs=1e-6)


def test_uncertain_export_order_and_meta(preds: Path, tmp_path: Path, capsys):
    out = tmp_path / "u.json"
    rc, stdout, _ = _run(["export", str(preds), "--n", "3", "--out", str(out)], capsys)
    assert rc == 0 and "1 - (p1 - p2)" in stdout and "1 failed record skipped" in stdout
    tasks = json.loads(out.read_text(encoding="utf-8"))
    # Margins (kind, stance): a-s0 (0.15, 0.3), a-s1 (0.08, 0.95), a-s2 boilerplate
    # (0.25, stance not counted), b-s0 (0.6, 0.6), b-s1 (0.04, 0.7).
    assert [t["data"]["id"] for t in tasks] == ["art-a-s1", "art-b-s1", "art-b-s0"]
    assert [t["meta"]["uncertainty"] for t in tasks] == pytest.approx([0.95, 0.7, 0.6])
    assert all(t["meta"]["uncertainty_by"] == "margin" and t["meta"]["selection"] == "uncertain"
               for t in tasks)
    assert [t["meta"]["rank"] for t in tasks] == [1, 2, 3]
    assert [t["predictions"][0]["score"] for t in tasks] == pytest.approx(
        [1 - t["meta"]["uncertainty"] for t in tasks])


def test_help_states_the_uncertainty(capsys):
    rc, stdout, _ = _run(["export", "--help"], capsys)
    assert rc == 0
    assert "1 - (p1 - p2)" in stdout and "log(number of labels)" in stdout
    assert "ties are broken by id" in stdout


# ------------------------------------------------------------------- selection

def test_n_limits_every_selection(preds: Path, tmp_path: Path, capsys):
    def ids(*args: str) -> list[str]:
        out = tmp_path / "n.jsonl"
        assert _run(["export", str(preds), "--format", "doccano", "--out", str(out),
                     "--overwrite", *args], capsys)[0] == 0
        return [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()]

    assert len(ids("--n", "2")) == 2
    assert len(ids("--n", "50")) == 5  # never more than there are sentences
    assert ids("--select", "all") == ["art-a-s0", "art-a-s1", "art-a-s2", "art-b-s0", "art-b-s1"]
    assert ids("--select", "all", "--n", "2") == ["art-a-s0", "art-a-s1"]
    drawn = ids("--select", "random", "--n", "3", "--seed", "7")
    assert len(drawn) == 3 and drawn == ids("--select", "random", "--n", "3", "--seed", "7")
    order = ["art-a-s0", "art-a-s1", "art-a-s2", "art-b-s0", "art-b-s1"]
    assert drawn == sorted(drawn, key=order.index)  # a sample, kept in input order
    assert {tuple(ids("--select", "random", "--n", "3", "--seed", str(s)))
            for s in range(8)} != {tuple(drawn)}
    assert _run(["export", str(preds), "--n", "0"], capsys)[0] == 2


def test_csv_and_parquet_predictions_give_the_same_tasks(preds: Path, tmp_path: Path, capsys):
    rows = [r for rec in _predictions() for r in flatten(rec, KINDS, STANCES)]
    for suffix in (".csv", ".parquet"):
        _write_table(rows, tmp_path / f"p{suffix}")
    outs = []
    for src in (preds, tmp_path / "p.csv", tmp_path / "p.parquet"):
        out = tmp_path / f"{src.suffix[1:]}.json"
        assert _run(["export", str(src), "--out", str(out)], capsys)[0] == 0
        outs.append(json.loads(out.read_text(encoding="utf-8")))
    assert outs[0] == outs[1] == outs[2]
    assert len(outs[0]) == 5


def test_repeated_article_ids_get_unique_task_ids(tmp_path: Path, capsys):
    one = _record("same", [_sentence(0, "First text here.", [0.9, 0.1, 0, 0], [0.8, 0.1, 0.1])])
    two = {**copy.deepcopy(one), "input": "other/same.txt"}
    two["sentences"][0]["text"] = "Second text here."
    path = tmp_path / "dup.jsonl"
    write_jsonl_atomic(path, [one, two])
    rc, _, err = _run(["export", str(path), "--format", "doccano", "--select", "all"], capsys)
    assert rc == 0 and "'same'" in err
    out = tmp_path / "dup.doccano.jsonl"
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["same-s0", "same#2-s0"]


# ---------------------------------------------------------------------- errors

def test_refuses_out_equal_to_input(preds: Path, capsys):
    before = preds.read_bytes()
    same = preds.parent / "." / preds.name
    for out in (str(preds), str(same)):
        rc, _, err = _run(["export", str(preds), "--out", out], capsys)
        assert rc == 2
        assert err.startswith("error: refusing to overwrite") and str(preds) in err
        assert err.count("\n") == 1
    assert preds.read_bytes() == before


def test_missing_file_exits_2_naming_it(tmp_path: Path, capsys):
    missing = tmp_path / "nope.jsonl"
    rc, stdout, err = _run(["export", str(missing)], capsys)
    assert rc == 2 and stdout == ""
    assert err == f"error: predictions file not found: {missing}\n"


@pytest.mark.parametrize("name, content, why", [
    ("bad.jsonl", b"\xff\xfe{}\n", "not UTF-8"),
    ("sentences.jsonl", b'{"text": "a", "kind": "claim"}\n', "no predict.py records"),
    ("bad.csv", b"a,b\n1,2\n", "not a predict.py csv output"),
    ("bad.parquet", b"nope", "cannot read predictions"),
    ("notes.txt", b"hello", "unsupported predictions file type"),
    ("odd.jsonl", b'{"article_id": "a", "input": "a", "sentences": [{"kind_probs": {"x": "?"}}]}',
     "odd.jsonl:1: sentences[0].kind_probs: must map labels to numbers"),
    ("failed.jsonl", b'{"article_id": "a", "input": "a", "sentences": [], "error": "binary file"}',
     "no scored sentences"),
])
def test_unreadable_predictions_exit_2_naming_the_file(tmp_path: Path, capsys, name, content,
                                                       why):
    path = tmp_path / name
    path.write_bytes(content)
    rc, _, err = _run(["export", str(path)], capsys)
    assert rc == 2
    assert err.startswith("error: ") and str(path) in err and why in err
    assert err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing written


def test_an_earlier_export_is_kept_and_bad_lines_are_named(preds: Path, tmp_path: Path,
                                                          capsys):
    out = tmp_path / "tasks.jsonl"
    assert _run(["export", str(preds), "--format", "doccano", "--out", str(out)],
                capsys)[0] == 0
    out.write_text("annotated by hand\n", encoding="utf-8")
    rc, _, err = _run(["export", str(preds), "--format", "doccano", "--out", str(out)], capsys)
    assert rc == 2 and "exists (an earlier export may hold annotations); --overwrite" in err
    assert out.read_text(encoding="utf-8") == "annotated by hand\n"
    damaged = tmp_path / "damaged.jsonl"
    lines = preds.read_text(encoding="utf-8").splitlines()
    damaged.write_text("\n".join([lines[0], "garbage line", *lines[1:]]) + "\n",
                       encoding="utf-8")
    rc, stdout, err = _run(["export", str(damaged), "--format", "doccano", "--out",
                            str(out), "--overwrite"], capsys)
    assert rc == 0 and f"warning: {damaged}:2: malformed JSON" in err and "; skipped" in err
    assert "python train.py --data.add_train_files EXPORT.jsonl" in stdout


@pytest.mark.parametrize("fmt", ["label-studio", "doccano"])
def test_an_uncertain_export_keeps_each_sentence_s_context(preds: Path, tmp_path: Path, capsys,
                                                           fmt: str):
    # Most uncertain first: art-a-s0 (no previous sentence) comes after art-a-s1, and was
    # read back with art-a-s1's text as its context_prev.
    out = tmp_path / ("tasks.json" if fmt == "label-studio" else "tasks.jsonl")
    assert _run(["export", str(preds), "--format", fmt, "--out", str(out)], capsys)[0] == 0
    if fmt == "label-studio":
        tasks = json.loads(out.read_text(encoding="utf-8"))
        for i, t in enumerate(tasks):
            t["id"] = 100 + i
            t["annotations"] = [{"id": i, "result": t["predictions"][0]["result"],
                                 "was_cancelled": False}]
        out.write_text(json.dumps(tasks), encoding="utf-8")
        sent = {t["data"]["id"]: t["data"] for t in tasks}
    else:
        sent = {x["id"]: x for x in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    ids = list(sent)
    assert ids.index("art-a-s0") > ids.index("art-a-s1")
    problems = Problems()
    rows = read_file(out, DataConfig(), Labels(KINDS, STANCES), problems)
    assert problems.items == []
    assert {s.id: (s.text, s.title, s.context_prev) for s in rows} == {
        i: (d["text"], d["title"], d["context_prev"]) for i, d in sent.items()}
    assert {s.id: s.context_prev for s in rows}["art-a-s0"] == ""


_DELETE = object()  # the field left out of the record


@pytest.mark.parametrize("field, value, says", [
    # A JSON "\ud800" escape was a UnicodeEncodeError traceback when the tasks were written.
    ("sentences.0.text", "Moscow \ud800 warned.", "sentences[0].text: not valid Unicode text "
                                                  "(lone surrogate U+D800 at character 8"),
    # Both named no line or field ("ValueError: could not convert string to float: 'x'").
    ("sentences.1.kind_probs", {"claim": "x"},
     "sentences[1].kind_probs: must map labels to numbers"),
    ("sentences.1.text", 5, "sentences[1].text: must be a string"),  # exported as "5"
    ("sentences.1.text", ["a"], "sentences[1].text: must be a string"),
    # Each was exported as a task with empty text.
    ("sentences.1.text", None, "sentences[1].text: null (a task needs the sentence's text)"),
    ("sentences.1.text", _DELETE, "sentences[1].text: missing (a task needs the sentence's "
                                  "text)"),
    ("sentences.1.text", " \n", "sentences[1].text: empty (a task needs the sentence's text)"),
    # Only direction marks and zero-width characters: as empty to an annotator (85b3c74
    # made such text no text for segmenting, predicting and training).
    ("sentences.1.text", "\u200e\u200b \u2060", "sentences[1].text: empty (a task needs the "
                                             "sentence's text)"),
    # A label outside the file's label sets (a hand-edited or foreign file) was exported as a
    # prediction that Label Studio refuses at import, far from this file.
    ("sentences.1.stance", "foo", "sentences[1].stance: 'foo' is not one of the predicted "
                                  "stances"),
    ("sentences.1.kind", "Claim", "sentences[1].kind: 'Claim' is not one of the predicted "
                                  "kinds"),
])
def test_a_malformed_record_is_named_by_line_and_field(preds: Path, tmp_path: Path, capsys,
                                                       field, value, says):
    lines = preds.read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[2])
    node = rec
    *parents, last = field.split(".")
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    path = tmp_path / "p.jsonl"
    path.write_text(f"{lines[0]}\n{lines[1]}\n{json.dumps(rec)}\n", encoding="utf-8")
    out = tmp_path / "tasks.json"
    rc, _, err = _run(["export", str(path), "--out", str(out)], capsys)
    assert rc == 2 and err.startswith(f"error: {path}:3: {says}") and err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_table_row_without_text_is_named(tmp_path: Path, capsys, suffix: str):
    # An empty cell was exported as a task with empty text.
    rows = [r for rec in _predictions() for r in flatten(rec, KINDS, STANCES)]
    assert rows[1]["article_id"] == "art-a" and rows[1]["index"] == 1
    rows[1]["text"] = None
    path = _write_table(rows, tmp_path / f"p{suffix}")
    out = tmp_path / "tasks.json"
    rc, _, err = _run(["export", str(path), "--out", str(out)], capsys)
    assert rc == 2 and err.count("\n") == 1
    assert err.startswith(f"error: {path}: article 'art-a', sentence 1: text: empty (a task "
                          "needs the sentence's text)")
    assert not out.exists()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize(("field", "value", "says"), [
    ("kind", "Claim", "kind: 'Claim' is not one of the predicted kinds"),
    ("stance", "foo", "stance: 'foo' is not one of the predicted stances"),
])
def test_a_table_row_with_a_label_outside_its_columns_is_named(tmp_path: Path, capsys,
                                                               suffix, field, value, says):
    # A table's label sets are its *_prob_* columns; a label outside them was exported as a
    # prediction Label Studio refuses at import (JSONL was checked, tables were not).
    rows = [r for rec in _predictions() for r in flatten(rec, KINDS, STANCES)]
    assert rows[1]["article_id"] == "art-a" and rows[1]["index"] == 1
    rows[1][field] = value
    path = _write_table(rows, tmp_path / f"p{suffix}")
    out = tmp_path / "tasks.json"
    rc, _, err = _run(["export", str(path), "--out", str(out)], capsys)
    assert rc == 2 and err.count("\n") == 1
    assert err.startswith(f"error: {path}: article 'art-a', sentence 1: {says}")
    assert not out.exists()


def test_a_file_not_utf8_names_the_line(preds: Path, tmp_path: Path, capsys):
    # It named a byte counted from the decoder's buffer, not the file, and no line.
    data = preds.read_bytes().split(b"\n")
    data[2] = data[2].replace(b"Analysts", b"Analy\xffsts")
    path = tmp_path / "p.jsonl"
    path.write_bytes(b"\n".join(data))
    rc, _, err = _run(["export", str(path)], capsys)
    assert rc == 2 and err.startswith(f"error: {path}:3: not UTF-8 (invalid start byte")


def test_an_out_name_too_long_is_refused_before_the_work(preds: Path, tmp_path: Path, capsys):
    # Its hidden temporary file could not be made: an OSError traceback, exit 1.
    out = tmp_path / ("t" * 240 + ".json")
    rc, _, err = _run(["export", str(preds), "--out", str(out)], capsys)
    assert rc == 2 and err.startswith(f"error: {out}: file name too long (245 bytes")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["predictions.jsonl"]


def test_a_write_that_fails_is_one_error_line(preds: Path, tmp_path: Path, capsys, monkeypatch):
    # A full disk at the write was an OSError traceback, exit 1.
    out = tmp_path / "tasks.json"
    config = Path(str(out) + ".label_config.xml")
    real_write = Path.write_bytes

    def full_at_the_config(self, data):
        if ".label_config.xml" in self.name:  # the tasks' temporary file is written first
            raise OSError(28, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_at_the_config)
    rc, _, err = _run(["export", str(preds), "--out", str(out)], capsys)
    assert rc == 2 and err == (f"error: cannot write {out} and {config} "
                               "(No space left on device)\n")
    # Both or neither: the tasks were renamed into place before the config failed.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["predictions.jsonl"]


def test_an_earlier_label_config_is_kept_like_the_tasks(preds: Path, tmp_path: Path, capsys):
    # OUT.label_config.xml was replaced without --overwrite, while OUT was refused.
    out = tmp_path / "tasks.json"
    config = Path(str(out) + ".label_config.xml")
    assert _run(["export", str(preds), "--out", str(out)], capsys)[0] == 0
    config.write_text("<View>edited in Label Studio</View>", encoding="utf-8")
    out.unlink()
    rc, _, err = _run(["export", str(preds), "--out", str(out)], capsys)
    assert rc == 2 and err == (f"error: {config} exists (an earlier export's labelling "
                               "config); --overwrite replaces it\n")
    assert config.read_text(encoding="utf-8") == "<View>edited in Label Studio</View>"
    assert not out.exists()
    assert _run(["export", str(preds), "--out", str(out), "--overwrite"], capsys)[0] == 0
    assert out.is_file() and config.read_text(encoding="utf-8").startswith("<View>\n")
    # A folder where the config goes: refused before the work, nothing written.
    out.unlink()
    config.unlink()
    config.mkdir()
    rc, _, err = _run(["export", str(preds), "--out", str(out), "--overwrite"], capsys)
    assert rc == 2 and err.startswith(f"error: {config} is a directory") and not out.exists()


@pytest.mark.parametrize("fmt,name", [("label-studio", "tasks.jsonl"),
                                      ("doccano", "tasks.json"), ("label-studio", "tasks.txt")])
def test_an_out_suffix_that_disagrees_with_the_format_is_refused(preds: Path, tmp_path: Path,
                                                                 capsys, fmt, name):
    # Label Studio's JSON array went into tasks.jsonl and doccano's JSONL into tasks.json,
    # exit 0: train.py and data check read such a file by its suffix (the array as JSONL,
    # a "malformed JSON" line per line; the JSONL as one JSON document).
    out = tmp_path / name
    rc, _, err = _run(["export", str(preds), "--format", fmt, "--out", str(out)], capsys)
    want = ".json" if fmt == "label-studio" else ".jsonl"
    assert rc == 2 and err.count("\n") == 1
    assert err.startswith(f"error: --out {out}: a {fmt} export is a {want} file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["predictions.jsonl"]
