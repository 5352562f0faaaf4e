"""The model card (``model/README.md``) and the headline rows ``train.py`` prints."""

from __future__ import annotations

import math
from pathlib import Path

from .. import __version__
from ..config import Config

__all__ = ["headline", "write_model_card"]


def _fmt(x: object) -> str:
    return f"{x:.3f}" if isinstance(x, float) and not math.isnan(x) else str(x)


def headline(metrics: dict) -> list[tuple[str, str, str]]:
    """(metric, value, note) rows printed by train.py and written to the model card."""
    rows = []

    def get(path: str):
        node = metrics
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    for path, note in [
        ("test.stance.macro_f1", "synthetic test split"),
        ("baseline.test.stance.macro_f1", "TF-IDF + LR, same split"),
        ("test.kind.macro_f1", "synthetic test split"),
        ("baseline.test.kind.macro_f1", "TF-IDF + LR, same split"),
        ("dev.stance.macro_f1", "synthetic dev split (model selection)"),
        ("realnews_dev.stance.macro_f1", "real news, sentence mode"),
        ("realnews_dev.kind.macro_f1", "real news, sentence mode"),
        ("seed_article.stance_accuracy", "seed article, article mode"),
        ("seed_article.kind_accuracy", "seed article, article mode"),
        ("test.stance.calibration.ece_before", "before temperature scaling"),
        ("test.stance.calibration.ece_after", "after temperature scaling"),
        ("train_seconds", "training loop only"),
    ]:
        val = get(path)
        if val is not None:
            n = get(path.rsplit(".", 1)[0] + ".n") if "macro_f1" in path else None
            rows.append((path, _fmt(val), f"{note}" + (f", n={n}" if n else "")))
    return rows


def write_model_card(model_dir: Path, cfg: Config, metrics: dict) -> None:
    """README.md of the model directory: what it is, how it was trained, its numbers."""
    table = "\n".join(f"| `{k}` | {v} | {n} |" for k, v, n in headline(metrics))
    text = f"""# geostance model

Labels each sentence of a news article with `kind` ({", ".join(cfg.data.kind_labels)}) and
`stance` ({", ".join(cfg.data.stance_labels)}) in one forward pass of a fine-tuned
`{cfg.model.base}` encoder ({cfg.model.pooling} pooling, context `{cfg.model.context}`).
Load it with `geostance.Predictor.load("{model_dir}")` or `python predict.py --model {model_dir}`.

- geostance version: {__version__}
- weights sha256: `{metrics.get("model", {}).get("weights_sha256", "?")}`
- temperatures (fitted on dev): kind {cfg and metrics.get("dev", {}).get("kind", {})
                                     .get("calibration", {}).get("temperature", "?")},
  stance {metrics.get("dev", {}).get("stance", {}).get("calibration", {})
          .get("temperature", "?")}
- training data: see `data_sha256.json`; configuration: `training_config.yaml`
- the training corpus was written for this project (not real articles); the
  `realnews_dev` figures are the ones that speak for real text.

| metric | value | note |
| --- | --- | --- |
{table}
"""
    (model_dir / "README.md").write_text(text, encoding="utf-8")
