"""An exponential moving average (EMA) of the trained weights (``train.ema_decay``).

After every optimiser step each trainable parameter's shadow moves towards it:
``shadow += (1 - d) * (param - shadow)``, with ``d = min(decay, (1 + n) / (10 + n))``
after ``n`` updates (the short ramp keeps the first, random-head steps from weighing
for long). Evaluation during training (early stopping, the best checkpoint) scores
the averaged weights; every checkpoint keeps the raw weights, which training resumes
from, and the shadow beside them in ``ema.pt``; at the end of training the shadow of
the best checkpoint becomes the model that is evaluated and saved. The callback owns
that whole cycle: ``train()`` only creates it and hands it to the Trainer. Frozen parameters never
change, so only trainable ones are shadowed (about 5.5M of 118M for the default).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import torch
from transformers import TrainerCallback

from ..fileio import write_bytes_atomic

__all__ = ["EMA_FILE", "WeightAverage"]

EMA_FILE = "ema.pt"
log = logging.getLogger("geostance")


class WeightAverage(TrainerCallback):
    """The EMA of ``model``'s trainable parameters, kept up to date as a Trainer callback."""

    def __init__(self, model: torch.nn.Module, decay: float):
        if not 0.0 < decay < 1.0:
            raise ValueError(f"ema decay must be in (0, 1), got {decay}")
        self.decay = decay
        self.updates = 0
        self._params = {n: p for n, p in model.named_parameters() if p.requires_grad}
        self.shadow = self._snapshot()

    def _snapshot(self) -> dict[str, torch.Tensor]:
        return {n: p.detach().float().clone() for n, p in self._params.items()}

    @staticmethod
    def _checkpoint(args, state) -> Path:
        return Path(args.output_dir) / f"checkpoint-{state.global_step}"  # Trainer's naming

    def on_train_begin(self, args, state, control, **kwargs):
        if not state.global_step:
            return
        # Resumed: Trainer has loaded that checkpoint's weights and state by now. Continue
        # its average; a checkpoint without one (the run stopped between writing the
        # weights and the average) restarts it from the resumed weights.
        ckpt = self._checkpoint(args, state)
        if (ckpt / EMA_FILE).is_file():
            self.load(ckpt)
        else:
            log.warning("%s has no %s: the weight average restarts from its weights",
                        ckpt, EMA_FILE)
            self.shadow, self.updates = self._snapshot(), 0

    def on_train_end(self, args, state, control, **kwargs):
        # Trainer has restored the best checkpoint's raw weights; its average is what
        # was scored as best, so that becomes the model.
        best = state.best_model_checkpoint
        if best and (Path(best) / EMA_FILE).is_file():
            self.load(Path(best))
        elif state.is_world_process_zero:
            log.warning("no weight average saved with the best checkpoint (%s); the model "
                        "is the average after the last step", best)
        self.copy_to_model()

    def update(self) -> None:
        """Move every shadow one step towards its parameter."""
        self.updates += 1
        d = min(self.decay, (1 + self.updates) / (10 + self.updates))
        with torch.no_grad():
            for n, p in self._params.items():
                self.shadow[n].lerp_(p.detach().float(), 1.0 - d)

    def on_step_end(self, args, state, control, **kwargs):
        self.update()

    def on_save(self, args, state, control, **kwargs):
        ckpt = self._checkpoint(args, state)
        if state.is_world_process_zero and ckpt.is_dir():
            self.save(ckpt)

    @contextmanager
    def applied(self) -> Iterator[None]:
        """The averaged weights in the model for the duration of the block."""
        raw = {n: p.detach().clone() for n, p in self._params.items()}
        self.copy_to_model()
        try:
            yield
        finally:
            with torch.no_grad():
                for n, p in self._params.items():
                    p.copy_(raw[n])

    def copy_to_model(self) -> None:
        """Replace the trainable parameters by their averages (for good)."""
        with torch.no_grad():
            for n, p in self._params.items():
                p.copy_(self.shadow[n].to(p.dtype))

    def save(self, directory: Path) -> Path:
        """Write the shadow and update count to ``directory/ema.pt`` (atomically)."""
        buf = io.BytesIO()
        torch.save({"decay": self.decay, "updates": self.updates, "shadow": self.shadow}, buf)
        return write_bytes_atomic(Path(directory) / EMA_FILE, buf.getvalue())

    def load(self, directory: Path) -> None:
        """Read the state :meth:`save` wrote (resume, or the best checkpoint at the end)."""
        path = Path(directory) / EMA_FILE
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no weight average in this checkpoint "
                                    "(was it trained with train.ema_decay 0?)")
        state = torch.load(path, map_location="cpu", weights_only=True)
        if set(state["shadow"]) != set(self.shadow):
            raise ValueError(f"{path}: its parameters do not match the model's trainable ones")
        self.updates = int(state["updates"])
        self.shadow = {n: t.float() for n, t in state["shadow"].items()}
