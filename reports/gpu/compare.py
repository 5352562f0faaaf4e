"""Compare predict.py outputs (JSONL, same inputs in the same order) against a reference."""
import json, sys
import numpy as np

def load(path):
    out = []
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        for s in r.get("sentences", []):
            out.append((s["kind"], s["stance"], s["kind_probs"], s["stance_probs"]))
    return out

ref = load(sys.argv[1])
for other in sys.argv[2:]:
    o = load(other)
    assert len(o) == len(ref), (other, len(o), len(ref))
    kind_same = np.mean([a[0] == b[0] for a, b in zip(ref, o)])
    stance_same = np.mean([a[1] == b[1] for a, b in zip(ref, o)])
    def vec(p):
        return np.array(list(p.values()) if isinstance(p, dict) else p, dtype=float)
    dk = max(np.abs(vec(a[2]) - vec(b[2])).max() for a, b in zip(ref, o))
    ds = max(np.abs(vec(a[3]) - vec(b[3])).max() for a, b in zip(ref, o) if a[3] and b[3])
    print(f"{other} vs {sys.argv[1]}: {len(o)} sentences, same kind {kind_same:.4f}, "
          f"same stance {stance_same:.4f}, max |d kind prob| {dk:.2e}, "
          f"max |d stance prob| {ds:.2e}")
