"""Training: ``train(cfg)`` fine-tunes the encoder with two heads and evaluates it.

* :mod:`.trainer` - the Hugging Face ``Trainer`` loop and evaluation after it;
* :mod:`.rundir` - run directories, resume and ``runs/latest``;
* :mod:`.card` - the model card and the headline numbers;
* :mod:`.baseline` - the TF-IDF + logistic regression reference;
* :mod:`.distill` - several runs' stance probabilities as soft targets for one model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["train", "TrainResult"]

if TYPE_CHECKING:
    from .trainer import TrainResult, train


def __getattr__(name: str) -> Any:
    # Lazy: `import geostance.train` does not import torch and transformers.
    if name in __all__:
        from . import trainer

        return getattr(trainer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
