"""Prediction: the :class:`Predictor` API and the batch run behind ``predict.py``.

* :mod:`.predictor` - :class:`Predictor` (``predict_articles``, ``predict_sentences``);
* :mod:`.ensemble` - an ensemble folder's members averaged behind the same interface;
* :mod:`.inputs` - files, folders, tables and stdin as :class:`~.inputs.Item` s;
* :mod:`.records` - the output schema (records, flat rows, reading back);
* :mod:`.summary` - the per-article stance summary;
* :mod:`.run` - the local engine (chunks, resume, atomic output);
* :mod:`.ray_engine` - the same on Ray Data actors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Predictor", "run"]

if TYPE_CHECKING:
    from .predictor import Predictor
    from .run import run


def __getattr__(name: str) -> Any:
    # Lazy: importing the package does not import torch until it is used.
    if name == "Predictor":
        from .predictor import Predictor

        return Predictor
    if name == "run":
        from .run import run

        return run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
