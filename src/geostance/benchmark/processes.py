"""Timing whole processes: ``predict.py`` and the pipeline peer, as a user starts them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["BenchmarkError", "predict_command", "time_process"]

# predict.py at the repository root when running from a checkout; otherwise the same
# entry point through ``-c`` (exactly what predict.py runs).
_REPO_PREDICT = Path(__file__).resolve().parents[3] / "predict.py"


class BenchmarkError(RuntimeError):
    """A timed process failed; the message ends with its stderr."""


def predict_command(model: str, inputs: Path, out: Path, *extra: str) -> list[str]:
    """The ``predict.py`` command line for ``inputs`` -> ``out`` (overwritten each run)."""
    head = [sys.executable, str(_REPO_PREDICT)] if _REPO_PREDICT.is_file() else [
        sys.executable, "-c", "import sys; from geostance.entry import predict_main; "
        "sys.exit(predict_main())"]
    return [*head, str(inputs), "--model", model, "--out", str(out), "--overwrite",
            "--no-progress", *extra]


def time_process(cmd: list[str], repeats: int = 2, ok_codes: tuple[int, ...] = (0,)) -> float:
    """Best wall-clock seconds of ``repeats`` runs of ``cmd``, start to exit."""
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "false", "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1"}
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           env=env)
        seconds = time.perf_counter() - t
        if p.returncode not in ok_codes:
            tail = "\n".join(p.stderr.strip().splitlines()[-5:])
            raise BenchmarkError(f"{' '.join(cmd[:4])} ... exited {p.returncode}:\n{tail}")
        best = min(best, seconds)
    return best
