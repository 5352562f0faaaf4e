"""The harvest command line with wrong inputs: missing or mistyped folders and files,
malformed lines, a merge that would empty or shrink the corpus, and adjudication files
written over (sentences and passes invented for these tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import geostance.harvest.__main__ as cli
from geostance.harvest.__main__ import main
from geostance.harvest.merge import write_corpus

TEXTS = {
    "d1": ["Finland joined the alliance in April.", "The minister called it a good day."],
    "d2": ["Moscow said the move would bring countermeasures.", "Talks resume on Monday."],
}


def _record(doc_id: str) -> dict:
    text = "\n".join(TEXTS[doc_id])
    return {"doc_id": doc_id, "lang": "en", "split": "train", "genre": "news", "date": "2023",
            "speaker": "", "title": "", "text": text, "source_repo": f"owner/{doc_id}",
            "commit": "0" * 40}


def _skeleton_line(doc_id: str) -> dict:
    units, prev, pos = [], "", 0
    for i, t in enumerate(TEXTS[doc_id]):
        units.append({"id": f"{doc_id}-s{i:03d}", "doc_id": doc_id, "index": i, "start": pos,
                      "end": pos + len(t), "text": t, "context_prev": prev})
        prev, pos = t, pos + len(t) + 1
    return {"record": _record(doc_id), "units": units}


def _write_jsonl(path: Path, rows: list) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _pass(batches: Path, out: Path, flip: str = "") -> None:
    """Label every batched sentence a pro_nato claim, ``flip`` a neutral one."""
    for bfile in sorted(batches.glob("*.jsonl")):
        rows = [{"id": s["id"], "kind": "claim",
                 "stance": "neutral_balancing" if s["id"] == flip else "pro_nato",
                 "source": ""}
                for line in bfile.read_text(encoding="utf-8").splitlines()
                for s in json.loads(line)["sentences"]]
        _write_jsonl(out / bfile.name, rows)


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    """A skeleton of two passages, its batches, two passes (one disagreement), the
    adjudication items and their answers."""
    _write_jsonl(tmp_path / "skeleton.jsonl", [_skeleton_line("d1"), _skeleton_line("d2")])
    assert main(["batches", str(tmp_path / "skeleton.jsonl"),
                 "--out", str(tmp_path / "batches")]) == 0
    _pass(tmp_path / "batches", tmp_path / "a")
    _pass(tmp_path / "batches", tmp_path / "b", flip="d2-s001")
    assert main(["adjudicate", *_pass_args(tmp_path), "--out", str(tmp_path / "adjdir")]) == 0
    _write_jsonl(tmp_path / "adj" / "adjudicate_001.jsonl",
                 [{"id": "d2-s001", "kind": "claim", "stance": "neutral_balancing",
                   "source": ""}])
    return tmp_path


def _pass_args(w: Path, **typo: str) -> list[str]:
    """The skeleton and the folders of adjudicate, one of them replaced by ``typo``."""
    folders = {"batches": "batches", "pass-a": "a", "pass-b": "b"}
    folders.update(typo)
    return [str(w / "skeleton.jsonl"), *(x for k, v in folders.items()
                                         for x in (f"--{k}", str(w / v)))]


def _merge(w: Path, out: Path, *extra: str, **typo: str) -> int:
    folders = {"adjudicated": "adj", "adjudicate-dir": "adjdir"}
    folders.update({k: v for k, v in typo.items() if k in folders})
    return main(["merge", *_pass_args(w, **{k: v for k, v in typo.items()
                                           if k not in folders}),
                 *(x for k, v in folders.items() for x in (f"--{k}", str(w / v))),
                 "--out", str(out), *extra])


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_merge_writes_the_corpus(work, capsys):
    assert _merge(work, work / "real") == 0
    stats = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert stats["agreement"] == 3 and stats["adjudication"] == 1
    assert len((work / "real" / "documents.jsonl").read_text().splitlines()) == 2


@pytest.mark.parametrize("option", ["batches", "pass-a", "pass-b", "adjudicated",
                                    "adjudicate-dir"])
def test_merge_with_a_mistyped_folder_is_an_error_and_writes_nothing(work, capsys, option):
    assert _merge(work, work / "real") == 0
    before = _snapshot(work / "real")
    capsys.readouterr()
    assert _merge(work, work / "real", **{option: "typo"}) == 2
    err = capsys.readouterr().err
    assert err == f"error: --{option} {work / 'typo'}: folder does not exist\n"
    assert _snapshot(work / "real") == before


def test_merge_that_empties_or_shrinks_the_corpus_needs_allow_shrink(work, capsys):
    assert _merge(work, work / "real") == 0
    before = _snapshot(work / "real")
    (work / "empty").mkdir()
    # An existing but empty pass folder settles nothing: the corpus would be emptied.
    assert _merge(work, work / "real", **{"pass-b": "empty"}) == 2
    assert "settled no document" in capsys.readouterr().err
    assert _snapshot(work / "real") == before
    # A skeleton of one passage keeps fewer documents than the corpus holds.
    skel = work / "skeleton.jsonl"
    skel.write_text(skel.read_text().splitlines()[0] + "\n")
    assert _merge(work, work / "real", "--balance") == 2
    assert "keeps 1 documents, fewer than the 2" in capsys.readouterr().err
    assert _snapshot(work / "real") == before
    # --allow-shrink writes what the merge settled.
    assert _merge(work, work / "real", "--allow-shrink", **{"pass-b": "empty"}) == 0
    assert (work / "real" / "documents.jsonl").read_text() == ""


def test_merge_keeping_fewer_documents_than_the_corpus_is_refused(work, capsys):
    big = work / "real"
    write_corpus(big, [_record("d1"), _record("d2"), {**_record("d2"), "doc_id": "d3"}],
                 [])
    before = _snapshot(big)
    assert _merge(work, big) == 2
    assert "keeps 2 documents, fewer than the 3" in capsys.readouterr().err
    assert _snapshot(big) == before
    # The library function refuses too, before writing anything.
    from geostance.harvest.merge import ShrinkError

    with pytest.raises(ShrinkError):
        write_corpus(big, [_record("d1")], [])
    assert _snapshot(big) == before


def _one_error_line(capsys, *names: str) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.startswith("error: ") and err.count("\n") == 1
    for name in names:
        assert name in err
    return err


def test_missing_inputs_are_one_error_line(work, capsys):
    missing = str(work / "missing.jsonl")
    for argv in (["verify", "--mirror", str(work), str(work / "nothere")],
                 ["batches", missing, "--out", str(work / "B")],
                 ["contrast-batches", missing, "--out", str(work / "B")],
                 ["adjudicate", missing, *_pass_args(work)[1:], "--out", str(work / "J")],
                 ["merge", missing, *_pass_args(work)[1:], "--adjudicated", str(work / "adj"),
                  "--adjudicate-dir", str(work / "adjdir"), "--out", str(work / "R")]):
        assert main(argv) == 2, argv
        _one_error_line(capsys, "missing.jsonl" if missing in argv else "nothere")
    assert not any((work / d).exists() for d in ("B", "J", "R"))


@pytest.mark.parametrize("line, where", [
    ('{"record": {"doc_id": "x"', ":2: malformed JSON"),
    ('["a list"]', ":2: expected a JSON object"),
    ('{"a": 1}', ":2: record: missing field"),
    ('{"record": {"doc_id": "x"}, "units": []}', ":2: record.lang: missing field"),
])
def test_malformed_skeleton_names_file_line_and_field(work, capsys, line, where):
    skel = work / "skeleton.jsonl"
    skel.write_text(skel.read_text().splitlines()[0] + "\n" + line + "\n")
    assert main(["batches", str(skel), "--out", str(work / "B")]) == 2
    _one_error_line(capsys, f"{skel}{where}")


def test_a_skeleton_not_utf8_names_its_line_and_byte(work, capsys):
    # It said "byte N" counted from the text reader's buffer, and no line.
    skel = work / "skeleton.jsonl"
    skel.write_bytes(skel.read_bytes().splitlines(keepends=True)[0] + b'{"record": "\xff"}\n')
    assert main(["batches", str(skel), "--out", str(work / "B")]) == 2
    _one_error_line(capsys, f"{skel}:2: not UTF-8 text (byte 12 of the line)")


def test_a_pass_file_without_its_batch_file_is_an_error(work, capsys):
    (work / "a" / "batch_en_001.jsonl").rename(work / "a" / "batch_xx_001.jsonl")
    assert _merge(work, work / "real") == 2
    _one_error_line(capsys, str(work / "batches" / "batch_xx_001.jsonl"), "does not exist")


def test_adjudicate_refuses_to_overwrite_without_the_flag(work, capsys, monkeypatch):
    out = work / "adjdir" / "adjudicate_001.jsonl"
    before = out.read_bytes()
    assert main(["adjudicate", *_pass_args(work), "--out", str(work / "adjdir")]) == 2
    _one_error_line(capsys, str(out), "--overwrite")
    out.write_text("answered items\n")
    assert out.read_text() == "answered items\n"
    # Written through the atomic writer: an interrupted run leaves the old file whole.
    written: list[Path] = []
    real_writer = cli.write_text_atomic

    def recording(path, text):
        written.append(Path(path))
        return real_writer(path, text)

    monkeypatch.setattr(cli, "write_text_atomic", recording)
    assert main(["adjudicate", *_pass_args(work), "--out", str(work / "adjdir"),
                 "--overwrite"]) == 0
    assert written == [out] and out.read_bytes() == before


def test_batches_are_not_replaced_without_overwrite(work, capsys):
    # Annotation passes answer batch files by name: a second `batches` run over them (a
    # changed skeleton, another --size) would pair old answers with new passages.
    batch = work / "batches" / "batch_en_001.jsonl"
    before = batch.read_bytes()
    args = ["batches", str(work / "skeleton.jsonl"), "--out", str(work / "batches")]
    assert main([*args, "--size", "1"]) == 2
    assert "exists; --overwrite replaces it" in capsys.readouterr().err
    assert batch.read_bytes() == before and not (work / "batches" / "batch_en_002.jsonl").exists()
    assert main([*args, "--size", "1", "--overwrite"]) == 0
    assert (work / "batches" / "batch_en_002.jsonl").exists()
    capsys.readouterr()
    assert main([*args, "--overwrite"]) == 0  # one batch again: the second is an old one
    assert "note: 1 batch files of an earlier run left" in capsys.readouterr().err


def test_a_batch_size_under_one_is_a_usage_error(work, capsys):
    with pytest.raises(SystemExit) as e:
        main(["batches", str(work / "skeleton.jsonl"), "--out", str(work / "b2"), "--size", "0"])
    assert e.value.code == 2 and "must be at least 1" in capsys.readouterr().err


def test_help_examples_keep_their_line_continuations(capsys):
    # Four of the help's shell examples lost their "\" (a single backslash before the line
    # end in the docstring joins the lines), so they printed as one line with a run of
    # spaces inside ("--plans kremlin_ru         kremlin_ru_west") and failed when pasted.
    import re

    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    assert not [line for line in lines if re.search(r"\S {4,}\S", line)
                and "geostance.harvest" in line]
    for line, after in zip(lines, lines[1:], strict=False):
        if line.lstrip().startswith("python -m geostance.harvest") and \
                after.startswith("        --"):
            assert line.endswith(" \\"), line
