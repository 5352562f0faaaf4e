"""The peer a user could assemble from Hugging Face examples: ``pipeline("text-classification")``.

:func:`build_hf_classifier` saves a standard ``AutoModelForSequenceClassification``
folder made of our encoder's weights with the stance head copied into its
classifier (it pools with BERT's pooler instead of a mean: one extra hidden x
hidden matmul per sentence, so the work is equivalent). Run as a script,

    python -m geostance.benchmark.peer HF_DIR INPUT.jsonl OUTPUT.jsonl MAX_LENGTH

is the peer *process*: import transformers, build the pipeline with default
settings (batch size 1, as the examples do), score every row of INPUT (``text``
and, when the model uses context, ``text_pair``) and write one JSON line per row.
The benchmark times this whole process against whole ``predict.py`` processes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["build_hf_classifier", "peer_rows"]


def build_hf_classifier(model_dir: Path, out_dir: Path) -> None:
    """Save a standard sequence classifier: our encoder weights + the stance head."""
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification, PreTrainedTokenizerFast

    from ..model.modeling import GeoStanceModel

    model = GeoStanceModel.from_pretrained(model_dir)
    stances = list(model.config.stance_labels)
    cfg = AutoConfig.for_model(**model.config.encoder)
    cfg.num_labels = len(stances)
    cfg.id2label = dict(enumerate(stances))
    cfg.label2id = {v: k for k, v in cfg.id2label.items()}
    clf = AutoModelForSequenceClassification.from_config(cfg)
    missing, _ = clf.base_model.load_state_dict(model.encoder.state_dict(), strict=False)
    if not all("pooler" in k for k in missing):  # only the unused pooler may stay random
        raise RuntimeError(f"encoder weights did not fit the classifier: {missing[:5]}")
    head = getattr(clf, "classifier", None)
    if isinstance(head, torch.nn.Linear):
        with torch.no_grad():
            head.weight.copy_(model.stance_head.weight)
            head.bias.copy_(model.stance_head.bias)
    clf.save_pretrained(out_dir)
    PreTrainedTokenizerFast.from_pretrained(model_dir).save_pretrained(out_dir)


def peer_rows(rows: list[dict[str, Any]], spec: Any) -> list[Any]:
    """Pipeline inputs for sentence rows: the same prefix and context segment as ours.

    For a model trained with the speaker, each row's ``speaker`` (the one our sources
    rules found; "" for none) leads the segment, as in ours: the peer is given it.
    """
    from ..model.encoding import context_text, uses_speaker

    with_speaker = uses_speaker(spec)
    out: list[Any] = []
    for r in rows:
        text = spec.text_prefix + r["text"]
        speaker = (r.get("speaker") or "") if with_speaker else None
        if spec.context == "none" and speaker is None:
            out.append(text)
        else:
            out.append({"text": text, "text_pair": context_text(
                spec.context, r.get("title") or "", r.get("context_prev") or "", speaker,
                getattr(spec, "context_chars", None))})
    return out


def main(argv: list[str]) -> int:
    """The peer process (see the module docstring)."""
    from transformers import pipeline

    hf_dir, src, dst, max_length = argv
    rows = [json.loads(x) for x in Path(src).read_text(encoding="utf-8").splitlines() if x]
    pipe = pipeline("text-classification", model=hf_dir, tokenizer=hf_dir, device=-1)
    results = pipe(rows, truncation=True, max_length=int(max_length))
    with open(dst, "w", encoding="utf-8") as fh:
        for r in results:
            fh.write(json.dumps(r) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
