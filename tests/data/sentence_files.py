"""Sentence files and data configs for the data tests (a helper module, not tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geostance.config import DataConfig
from geostance.data import DataError, load_splits

__all__ = ["write_jsonl", "rows", "splits_cfg", "problems_of"]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def rows(prefix: str, n: int = 3, **over) -> list[dict]:
    base = [{"id": f"{prefix}{i}", "article_id": f"{prefix}a", "text": f"Sentence number {i} "
             f"from the {prefix} file here.", "kind": "claim", "stance": "pro_nato"}
            for i in range(n)]
    for r in base:
        r.update(over)
    return base


def splits_cfg(tmp_path: Path, train: list[dict] | None = None, dev: list[dict] | None = None,
               test: list[dict] | None = None, **kw) -> DataConfig:
    files = {}
    for name, data in (("train", train), ("dev", dev), ("test", test)):
        files[name] = [str(write_jsonl(tmp_path / f"{name}.jsonl",
                                       data if data is not None else rows(name)))]
    return DataConfig(train_files=files["train"], dev_files=files["dev"],
                      test_files=files["test"], **kw)


def problems_of(cfg: DataConfig) -> list[str]:
    with pytest.raises(DataError) as e:
        load_splits(cfg)
    return e.value.problems
