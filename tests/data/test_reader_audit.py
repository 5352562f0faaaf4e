"""Data readers and ``python -m geostance.data``: defects found by an audit of the readers
(a bad realnews_dev file, card/hf outputs, CSV line numbers, a UTF-8 BOM, null stances)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from geostance.data import load_splits

from .test_loading import problems_of, rows, splits_cfg, write_jsonl

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


def test_load_splits_reads_a_good_realnews_dev(tmp_path):
    ref = write_jsonl(tmp_path / "rn.jsonl", rows("rn"))
    assert len(load_splits(splits_cfg(tmp_path, realnews_dev=str(ref)))["train"]) == 3


def test_check_cli_reports_a_bad_realnews_file(tmp_path):
    own = write_jsonl(tmp_path / "own.jsonl", rows("x"))
    bad = _latin1_realnews(tmp_path)
    p = subprocess.run([*CHECK, str(own), "--realnews", str(bad)], capture_output=True,
                       text=True)
    assert p.returncode == 2, p.stdout
    assert "OK" not in p.stdout and f"{bad}:1: not UTF-8 (" in p.stderr
