"""Annotation loop: predictions back out as pre-annotated labelling tasks.

* :mod:`.export` - ``python -m geostance.annotate export PREDICTIONS``: one task
  per sentence for Label Studio (JSON plus labelling config) or doccano (JSONL),
  chosen by model uncertainty, at random, or all of them. The annotated export
  goes straight back into training through ``--data.add_train_files``.
"""

from __future__ import annotations

from .export import export

__all__ = ["export"]
