"""geostance: sentence-level kind, stance and source labelling of news."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# transformers 5.x (with its `kernels` dependency) swaps in compute kernels from the
# Hugging Face Hub when a model is loaded or switched between train and eval on a GPU, and
# fails offline when they are not cached (seen on a CUDA machine: the first evaluation of
# train.py stopped with "kernels-community/activation is not available in the local
# cache"). geostance must run without the network, so they are off unless the user turns
# them on (USE_HUB_KERNELS=YES, with the kernels cached).
os.environ.setdefault("USE_HUB_KERNELS", "NO")

__version__ = "0.2.0"
__all__ = ["Predictor", "__version__"]

if TYPE_CHECKING:
    from .predict.predictor import Predictor


def __getattr__(name: str) -> Any:
    # Lazy: `import geostance` stays light (no torch/transformers) until Predictor is used.
    if name == "Predictor":
        from .predict.predictor import Predictor

        return Predictor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
