"""geostance: sentence-level kind, stance and source labelling of news."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Predictor", "__version__"]

if TYPE_CHECKING:
    from .predict.predictor import Predictor


def __getattr__(name: str) -> Any:
    # Lazy: `import geostance` stays light (no torch/transformers) until Predictor is used.
    if name == "Predictor":
        from .predict.predictor import Predictor

        return Predictor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
