"""An ensemble model folder: several trained models whose calibrated probabilities are
averaged, served behind the :class:`~geostance.predict.predictor.Predictor` interface.

A folder with ``ensemble.json`` (written by ``python -m geostance.train.ensemble``)
holds its members' model folders (``members/00``, ``members/01``, ...). Each member is
loaded as a model of its own (its own context, speaker input, temperatures and, with
ONNX Runtime, its own cached export) and scores every sentence; the ensemble's kind and
stance probabilities are the means of the members' calibrated probabilities, so every
output, ``predict.py``, Ray and the HTML report work unchanged. Scoring costs the sum of
the members' times (README "Choosing the defaults" has the measured gain).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from .predictor import ModelLoadError, Predictor

__all__ = ["ENSEMBLE_FILE", "Ensemble", "average_probabilities", "is_ensemble_dir"]

ENSEMBLE_FILE = "ensemble.json"


def is_ensemble_dir(path: str | Path) -> bool:
    """Whether ``path`` is an ensemble folder (it holds ``ensemble.json``)."""
    return (Path(path) / ENSEMBLE_FILE).is_file()


def average_probabilities(probs: Sequence[np.ndarray]) -> np.ndarray:
    """The members' probabilities (each n x classes) averaged: the ensemble's output."""
    return np.mean(np.stack([np.asarray(p, dtype=np.float64) for p in probs]), axis=0)


def read_members(path: Path) -> list[Path]:
    """The member model folders listed in ``path/ensemble.json``; ModelLoadError (naming
    the file and field) when it is damaged or a member is missing."""
    f = path / ENSEMBLE_FILE
    try:
        spec = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelLoadError(f"{f}: cannot be read ({type(e).__name__}: {e})") from None
    members = spec.get("members") if isinstance(spec, dict) else None
    if not isinstance(members, list) or len(members) < 2 \
            or not all(isinstance(m, str) and m for m in members):
        raise ModelLoadError(f"{f}: members: must list at least two member folders")
    out = []
    for i, m in enumerate(members):
        d = (path / m).resolve()
        if not d.is_relative_to(path.resolve()):
            raise ModelLoadError(f"{f}: members[{i}]: {m!r} lies outside the ensemble folder")
        if not d.is_dir():
            raise ModelLoadError(f"{f}: members[{i}]: {m!r} is not a folder")
        out.append(d)
    return out


class _Share:
    """A progress bar proxy: each member's pass advances it by its share."""

    def __init__(self, bar: Any, parts: int):
        self.bar, self.parts = bar, parts

    def update(self, n: int = 1) -> None:
        self.bar.update(n / self.parts)


def _members_score(*_args: Any, **_kwargs: Any) -> None:
    raise RuntimeError("an ensemble scores through its members (Ensemble.score)")


class Ensemble(Predictor):
    """Members' calibrated probabilities averaged; the rest is :class:`Predictor`'s.

    Built by :meth:`Predictor.load` for an ensemble folder (all members with the same
    backend, precision and threads).
    """

    def __init__(self, members: list[Predictor], path: Path):
        if len(members) < 2:
            raise ValueError("an ensemble needs at least two members")
        first = members[0]
        for m in members[1:]:
            if m.kinds != first.kinds or m.stances != first.stances:
                raise ModelLoadError(
                    f"{m.model_dir}: labels {m.kinds} / {m.stances} differ from the first "
                    f"member's {first.kinds} / {first.stances}")
        self.members = members
        # Predictor's settings are the first member's; scoring goes through the members
        # (score below), never through a runner of the ensemble's own.
        super().__init__(None, first.tokenizer, model_dir=path, batch_size=first.batch_size,
                         quantized=first.quantized, runner=_members_score,
                         backend=first.backend, max_tokens=first.max_tokens,
                         max_chars=first.max_chars, max_items=first.max_items,
                         config=first.config, workers=first.workers,
                         stance_stay=first.stance_stay,
                         stance_transitions=first.stance_transitions)
        infos = [m.model_info for m in members]
        digest = hashlib.sha256("|".join(i["fingerprint"] for i in infos).encode())
        self.model_info = {
            "name": path.name,
            "path": str(path.resolve()),
            # The members' weights, in order, hashed together.
            "weights_sha256": hashlib.sha256(
                "|".join(i["weights_sha256"] for i in infos).encode()).hexdigest(),
            "geostance_version": __version__,
            "quantized": first.quantized,
            "backend": first.backend,
            "fingerprint": digest.hexdigest()[:16],
            "members": [{k: i[k] for k in ("name", "weights_sha256", "fingerprint")}
                        for i in infos],
        }

    @classmethod
    def load_dir(cls, path: Path, **load_kwargs: Any) -> Ensemble:
        """Load every member of the ensemble folder ``path`` with ``Predictor.load``'s
        arguments."""
        return cls([Predictor.load(d, **load_kwargs) for d in read_members(path)], path)

    @property
    def uses_speaker(self) -> bool:
        """Whether any member reads each sentence's speaker."""
        return any(m.uses_speaker for m in self.members)

    def score(self, texts: Sequence[str], titles: Sequence[str], prevs: Sequence[str],
              progress=None, speakers: Sequence[str] | None = None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each member's calibrated probabilities, averaged; a sentence's windows are the
        most any member cut it into. ``progress`` (a tqdm bar counting sentences) reaches
        the number of sentences once, after the last member."""
        share = _Share(progress, len(self.members)) if progress is not None else None
        outs = [m.score(texts, titles, prevs, share, speakers) for m in self.members]
        kind_p = average_probabilities([o[0] for o in outs]).astype(np.float32)
        stance_p = average_probabilities([o[1] for o in outs]).astype(np.float32)
        windows = np.max(np.stack([o[2] for o in outs]), axis=0) if len(texts) \
            else outs[0][2]
        return kind_p, stance_p, windows
