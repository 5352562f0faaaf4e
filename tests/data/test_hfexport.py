"""The Hugging Face view of the corpora: data/hf/ and data/README.md.

The committed files must be what ``python -m geostance.data hf`` writes now, and
``datasets`` must read every configuration with the splits and row counts of the
corpus readers.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import yaml

from geostance.data.card import HF_FIELDS
from geostance.data.contrastcard import contrast_files
from geostance.data.corpus import REAL, WRITTEN, read_corpus, read_documents
from geostance.data.formats import read_sentence_jsonl
from geostance.data.hfexport import CONFIG_SPLITS, CONFIGS, DEFAULT_CONFIG, export
from geostance.data.schema import SPLITS, Problems
from geostance.fileio import read_jsonl

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
REGENERATE = "run `python -m geostance.data hf` and commit data/hf/ and data/README.md"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    """A fresh export in a temporary folder laid out like data/ (README.md, hf/)."""
    out = tmp_path_factory.mktemp("hfexport")
    export(DATA / "corpus", DATA / "real", out / "hf", out / "README.md", DATA / "contrast")
    return out


@pytest.fixture(scope="module")
def expected_counts() -> dict[str, dict[str, int]]:
    """Rows per configuration and split, as the corpus readers count them."""
    problems = Problems()
    real = read_corpus(DATA / "real", problems)
    written = read_corpus(DATA / "corpus", problems)
    docs = {"real_documents": read_documents(DATA / "real", problems, REAL),
            "written_articles": read_documents(DATA / "corpus", problems, WRITTEN)}
    problems.raise_if_any()
    counts = {"real_sentences": {sp: len(real[sp]) for sp in SPLITS},
              "written_sentences": {sp: len(written[sp]) for sp in SPLITS}}
    for config, ds in docs.items():
        counts[config] = {sp: sum(d["split"] == sp for d in ds.values()) for sp in SPLITS}
    counts["contrast_sentences"] = {"train": sum(
        len(read_sentence_jsonl(f, problems)) for f in contrast_files(DATA / "contrast"))}
    problems.raise_if_any()
    return counts


def _header(readme: Path) -> dict:
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{readme} has no YAML header"
    return yaml.safe_load(text.split("---\n", 2)[1])


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in (root / "hf").rglob("*") if p.is_file()}


def _content(path: Path) -> bytes:
    """A file's bytes, decompressed when gzipped (another zlib may compress differently)."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def test_committed_export_is_up_to_date(regenerated):
    fresh = _files(regenerated) | {"README.md"}
    committed = _files(DATA) | {"README.md"}
    # The export overwrites its own files but deletes nothing: a leftover is removed by hand.
    assert committed == fresh, (f"data/hf/ lacks {sorted(fresh - committed)} and has "
                                f"{sorted(committed - fresh)}, which the export does not "
                                f"write (delete those); {REGENERATE}")
    stale = sorted(rel for rel in fresh if not (DATA / rel).is_file()
                   or _content(DATA / rel) != _content(regenerated / rel))
    assert not stale, f"out of date: {', '.join('data/' + s for s in stale)}; {REGENERATE}"


def test_export_is_deterministic(regenerated, tmp_path):
    export(DATA / "corpus", DATA / "real", tmp_path / "hf", tmp_path / "README.md",
           DATA / "contrast")
    for rel in _files(regenerated) | {"README.md"}:
        assert (tmp_path / rel).read_bytes() == (regenerated / rel).read_bytes(), rel


def test_rows_are_flat_and_documented(regenerated):
    """Every row has exactly the card's documented fields, in order, and no nesting."""
    for config in CONFIGS:
        for split in CONFIG_SPLITS[config]:
            for row in read_jsonl(regenerated / "hf" / config / f"{split}.jsonl.gz"):
                assert list(row) == list(HF_FIELDS[config]), (config, split, row.get("id"))
                assert not any(isinstance(v, (dict, list)) for v in row.values()), row


def test_card_header_parses_and_names_existing_files():
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(DATA / "README.md")
    assert card.data.license == "other"
    assert card.data.task_categories == ["text-classification"]
    header = _header(DATA / "README.md")
    configs = {c["config_name"]: c for c in header["configs"]}
    assert list(configs) == list(CONFIGS)
    assert [c for c in configs if configs[c].get("default")] == [DEFAULT_CONFIG]
    for name, c in configs.items():
        assert [f["split"] for f in c["data_files"]] == list(CONFIG_SPLITS[name]), name
        for f in c["data_files"]:
            assert (DATA / f["path"]).is_file(), f"{name}/{f['split']}: {f['path']} missing"
    langs = {r["lang"] for c in ("real_sentences", "written_sentences", "contrast_sentences")
             for f in configs[c]["data_files"] for r in read_jsonl(DATA / f["path"])}
    assert set(header["language"]) == langs


def test_every_source_in_the_card_is_in_sources_md():
    sources = (DATA / "real" / "SOURCES.md").read_text(encoding="utf-8")
    repos = {d["source_repo"] for sp in SPLITS
             for d in read_jsonl(DATA / "hf" / "real_documents" / f"{sp}.jsonl.gz")}
    assert repos and all(f"`{r}`" in sources for r in repos), repos


def test_load_dataset_reads_the_folder_and_the_json_files(tmp_path, expected_counts):
    datasets = pytest.importorskip("datasets")
    # The data folder itself, as on the Hub: the README's configs name the files.
    ds = datasets.load_dataset(str(DATA), "real_sentences", cache_dir=str(tmp_path))
    assert {sp: len(ds[sp]) for sp in ds} == expected_counts["real_sentences"]
    default = datasets.load_dataset(str(DATA), cache_dir=str(tmp_path))
    assert default["dev"][0] == ds["dev"][0]  # real_sentences is the default
    for config in CONFIGS:
        files = {sp: str(DATA / "hf" / config / f"{sp}.jsonl.gz") for sp in CONFIG_SPLITS[config]}
        ds = datasets.load_dataset("json", data_files=files, cache_dir=str(tmp_path))
        assert {sp: len(ds[sp]) for sp in ds} == expected_counts[config], config


def test_contrast_rows_are_the_sentences_training_reads(regenerated):
    """The contrast view holds every round's rows with the labels and context training
    reads (``data.contrast_files`` -> read_file), in file order, each marked invented."""
    from geostance.config import DataConfig
    from geostance.data.formats import read_file
    from geostance.data.schema import Labels

    cfg = DataConfig()
    problems = Problems()
    expected = [(n, s) for n, f in enumerate(contrast_files(DATA / "contrast"), start=1)
                for s in read_file(f, cfg, Labels.from_config(cfg), problems)]
    problems.raise_if_any()
    rows = list(read_jsonl(regenerated / "hf" / "contrast_sentences" / "train.jsonl.gz"))
    assert len(rows) == len(expected) > 0
    for row, (number, s) in zip(rows, expected, strict=True):
        assert (row["id"], row["text"], row["kind"], row["stance"], row["source"],
                row["context_prev"], row["round"]) == (
            s.id, s.text, s.kind, s.stance, s.source, s.context_prev, number)
        assert row["invented"] is True
    # The four writing rounds, numbered by file (a renamed or lost round file fails here).
    assert [f.name for f in contrast_files(DATA / "contrast")] == [
        "sentences.jsonl", "sentences_round2.jsonl", "sentences_round3.jsonl",
        "sentences_round4.jsonl"]
    assert {r["round"] for r in rows} == {1, 2, 3, 4}


def test_export_without_contrast_set_has_four_configs(tmp_path):
    export(DATA / "corpus", DATA / "real", tmp_path / "hf", tmp_path / "README.md",
           tmp_path / "absent")
    assert not (tmp_path / "hf" / "contrast_sentences").exists()
    header = _header(tmp_path / "README.md")
    assert [c["config_name"] for c in header["configs"]] == [
        c for c in CONFIGS if c != "contrast_sentences"]
    assert "contrast set" not in (tmp_path / "README.md").read_text(encoding="utf-8")
