"""The contrast set's pipeline: writer files -> blind batches -> adjudication -> rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geostance.config import DataConfig
from geostance.data import Labels, Problems
from geostance.data.contrastcard import build_contrast_card
from geostance.data.formats import read_sentence_jsonl
from geostance.data.validate import validate
from geostance.harvest.__main__ import main
from geostance.harvest.annotation import PassError
from geostance.harvest.contrast import read_items


def _item(item: str, variant: str, stance: str, sentences: list[tuple[str, str, str]]) -> dict:
    return {"item": item, "lang": "en", "set": "en-01", "variant": variant, "register": "wire",
            "sentences": [{"text": t, "kind": k, "stance": s, "source": ""}
                          for t, k, s in sentences]}


def _writer(tmp_path: Path) -> Path:
    items = [
        _item("en-01-M", "M", "moscow_warning", [
            ("Moscow warns Moldova against NATO", "heading", "moscow_warning"),
            ("Accession would cross a red line, a Kremlin spokesman said.", "claim",
             "moscow_warning"),
            ("READ MORE: the week in pictures", "boilerplate", "")]),
        _item("en-01-P", "P", "pro_nato", [
            ("NATO says Moldova's door is open", "heading", "pro_nato"),
            ("The alliance welcomes Moldova's reforms, its deputy head said.", "claim",
             "pro_nato")]),
    ]
    path = tmp_path / "writer_en.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in items), encoding="utf-8")
    return path


def _sid(writer: Path, item: str, k: int) -> str:
    return next(s["id"] for it in read_items([writer]) if it["item"] == item
                for s in it["sentences"][k:k + 1])


def _pass_b(batch: Path, out: Path, flip: str) -> None:
    """Label like the writer except the stance of sentence ``flip``."""
    lines = []
    for line in batch.read_text(encoding="utf-8").splitlines():
        for s in json.loads(line)["sentences"]:
            kind = "heading" if s["id"].endswith("s00") else \
                "boilerplate" if s["text"].startswith("READ MORE") else "claim"
            stance = "" if kind == "boilerplate" else \
                "moscow_warning" if "Moscow" in s["text"] or "Kremlin" in s["text"] \
                else "pro_nato"
            if s["id"] == flip:
                stance = "neutral_balancing"
            lines.append(json.dumps({"id": s["id"], "kind": kind, "stance": stance,
                                     "source": "", "hard": s["id"] == flip}))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_pipeline_end_to_end(tmp_path, capsys):
    writer = _writer(tmp_path)
    batches, pass_b, adj_dir, adjd = (tmp_path / n for n in ("b", "pb", "adj", "adjd"))
    assert main(["contrast-batches", str(writer), "--out", str(batches)]) == 0
    [batch] = sorted(batches.glob("*.jsonl"))
    view = [json.loads(x) for x in batch.read_text(encoding="utf-8").splitlines()]
    # Blind: the annotators see ids and texts, never labels or the variant (not even in
    # an id).
    assert set(view[0]) == {"doc_id", "lang", "genre", "speaker", "title", "sentences"}
    assert set(view[0]["sentences"][0]) == {"id", "text"}
    assert not any("-M" in v["doc_id"] or "-P" in v["doc_id"] for v in view)
    flip = _sid(writer, "en-01-P", 1)
    _pass_b(batch, pass_b / batch.name, flip=flip)
    args = [str(writer), "--batches", str(batches), "--pass-b", str(pass_b)]
    assert main(["contrast-adjudicate", *args, "--out", str(adj_dir)]) == 0
    items = [json.loads(x) for x in
             (adj_dir / "adjudicate_001.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in items] == [flip]
    adjd.mkdir()
    (adjd / "adjudicate_001.jsonl").write_text(json.dumps(
        {"id": flip, "kind": "claim", "stance": "pro_nato", "source": ""}) + "\n",
        encoding="utf-8")
    out = tmp_path / "contrast"
    assert main(["contrast-merge", *args, "--adjudicate-dir", str(adj_dir), "--adjudicated",
                 str(adjd), "--out", str(out)]) == 0
    rows = [json.loads(x) for x in
            (out / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5 and all(r["invented"] for r in rows)
    flipped = next(r for r in rows if r["id"] == flip)
    assert flipped["item"] == "en-01-P" and flipped["variant"] == "P"
    assert flipped["stance"] == "pro_nato"
    assert flipped["annotation"]["settled_by"] == "adjudication"
    assert flipped["annotation"]["b"][1] == "neutral_balancing"
    assert flipped["context_prev"] == "NATO says Moldova's door is open"
    assert "| en | 5 | 2 / 2 / 0 |" in (out / "AGREEMENT.md").read_text(encoding="utf-8")
    # The data card's section counts the same way.
    card = build_contrast_card(out)
    assert "| en | 5 | 2 / 2 / 0 | 1.000 (1.000) | 0.750 (0.600) | 1 |" in card
    assert "2 of 2 headlines" in card
    # The training reader takes the file as it is, and it validates.
    problems = Problems()
    sents = read_sentence_jsonl(out / "sentences.jsonl", problems)
    validate({"train": sents}, Labels.from_config(DataConfig()), problems)
    problems.raise_if_any()
    assert sents[1].article_id == rows[0]["article_id"] and sents[1].title.startswith("Moscow")


def test_merge_refuses_a_missing_adjudication(tmp_path, capsys):
    writer = _writer(tmp_path)
    batches, pass_b = tmp_path / "b", tmp_path / "pb"
    main(["contrast-batches", str(writer), "--out", str(batches)])
    [batch] = sorted(batches.glob("*.jsonl"))
    flip = _sid(writer, "en-01-M", 1)
    _pass_b(batch, pass_b / batch.name, flip=flip)
    (tmp_path / "adj").mkdir()
    (tmp_path / "adjd").mkdir()
    rc = main(["contrast-merge", str(writer), "--batches", str(batches), "--pass-b", str(pass_b),
               "--adjudicate-dir", str(tmp_path / "adj"), "--adjudicated",
               str(tmp_path / "adjd"), "--out", str(tmp_path / "out")])
    assert rc == 1 and not (tmp_path / "out" / "sentences.jsonl").exists()
    assert f"{flip}: passes disagree and no adjudication was given" in capsys.readouterr().err


def test_writer_file_errors_name_line_and_field(tmp_path):
    bad = tmp_path / "w.jsonl"
    rows = [_item("x-01-M", "M", "", [("Headline", "heading", "moscow_warning"),
                                      ("Text.", "claim", "")]),
            {**_item("x-01-P", "Q", "", [("Not a heading.", "claim", "pro_nato"),
                                         ("Text.", "claim", "pro_nato")])}]
    bad.write_text("".join(json.dumps(r) + "\n" for r in rows) + "{oops\n", encoding="utf-8")
    with pytest.raises(PassError) as e:
        read_items([bad])
    msg = str(e.value)
    assert f"{bad}:1: sentences[1].stance: '': empty exactly for boilerplate" in msg
    assert f"{bad}:2: variant: 'Q'" in msg
    assert f"{bad}:2: sentences[0].kind: the first line is the headline" in msg
    assert f"{bad}:3: malformed JSON" in msg


def test_a_second_round_goes_to_its_own_file(tmp_path):
    out = tmp_path / "contrast"
    for n, name in ((1, "sentences"), (2, "sentences_round2")):
        d = tmp_path / f"r{n}"
        d.mkdir()
        item = _item(f"en-0{n}-P", "P", "pro_nato", [
            (f"NATO opens office number {n}", "heading", "pro_nato"),
            (f"The alliance opened office number {n}, its spokesman said.", "claim",
             "pro_nato")])
        writer = d / "writer.jsonl"
        writer.write_text(json.dumps(item) + "\n", encoding="utf-8")
        batches = tmp_path / "batches"
        assert main(["contrast-batches", str(writer), "--out", str(batches),
                     "--prefix", f"round{n}"]) == 0
        [batch] = sorted(batches.glob(f"round{n}_*.jsonl"))
        _pass_b(batch, tmp_path / "pb" / batch.name, flip="")
        (tmp_path / "adj").mkdir(exist_ok=True)
        (tmp_path / "adjd").mkdir(exist_ok=True)
        assert main(["contrast-merge", str(writer), "--batches", str(batches), "--pass-b",
                     str(tmp_path / "pb"), "--adjudicate-dir", str(tmp_path / "adj"),
                     "--adjudicated", str(tmp_path / "adjd"), "--out", str(out),
                     "--name", name]) == 0
    assert sorted(p.name for p in out.glob("*.jsonl")) == ["sentences.jsonl",
                                                           "sentences_round2.jsonl"]
    page = (out / "AGREEMENT.md").read_text(encoding="utf-8")
    assert "## `sentences.jsonl`" in page and "## `sentences_round2.jsonl`" in page
    assert "## All rounds" in page and "| all | 4 | 4 / 0 / 0 |" in page
    assert "2 of 2 headlines" in build_contrast_card(out)
