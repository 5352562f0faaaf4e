"""What the CPU offers: its name and the matrix instruction sets that decide which
precision is fast (bfloat16 in training and prediction, int8 in prediction).

Read from ``/proc/cpuinfo`` (Linux); elsewhere the platform's processor name and no
flags. Used by training (``train.bf16 auto``) and by the speed benchmark.
"""

from __future__ import annotations

import platform
from pathlib import Path

__all__ = ["cpu_description", "native_bf16", "x86_bf16"]

# Instruction sets that change which precision is fast (README "Speed on this CPU").
_CPU_FEATURES = {"amx_tile": "AMX", "avx512_bf16": "AVX512-BF16", "avx512_vnni": "AVX512-VNNI"}


def _cpu_fields(cpuinfo: str | None) -> tuple[dict[str, str], set[str]]:
    """The first processor's ``/proc/cpuinfo`` fields and its feature flags (x86
    ``flags``, ARM ``Features``); empty where there is no such file."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            cpuinfo = ""
    fields = dict(line.split(":", 1) for line in cpuinfo.splitlines() if ":" in line)
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    return fields, set(f"{fields.get('flags', '')} {fields.get('Features', '')}".split())


def cpu_description(cpuinfo: str | None = None) -> str:
    """The CPU's model name and its matrix instruction sets (AMX, AVX512-BF16/VNNI):
    speed ratios differ between machines with and without them. Reads
    ``/proc/cpuinfo`` (Linux); elsewhere the platform's processor name."""
    fields, flags = _cpu_fields(cpuinfo)
    name = fields.get("model name") or platform.processor() or platform.machine()
    extra = [label for flag, label in _CPU_FEATURES.items() if flag in flags]
    return f"{name}; {', '.join(extra)}" if extra else name


def native_bf16(cpuinfo: str | None = None) -> bool:
    """Whether the CPU has bfloat16 instructions (x86 AVX512-BF16 or AMX, ARM ``bf16``).

    Without them torch emulates bfloat16, many times slower than float32 (training on
    a 2-core AVX2 machine: about 50 s per step against 2.7 s), so the benchmark does
    not time the bf16 set-ups there. Unknown (no ``/proc/cpuinfo``) counts as yes.
    """
    fields, flags = _cpu_fields(cpuinfo)
    if not fields:
        return True
    return bool(flags & {"avx512_bf16", "amx_bf16", "bf16"})


def x86_bf16(cpuinfo: str | None = None) -> bool:
    """Whether an x86 CPU has bfloat16 matrix instructions (AVX512-BF16 or AMX).

    Where ``train.bf16 auto`` turns bfloat16 training on: measured 1.65x per run on the
    2-core Intel machine with AMX and 1.53x per step on the 2-core AMD EPYC with
    AVX512-BF16 and no AMX (README "Training"); ARM ``bf16`` was never measured, and an
    unknown CPU (no ``/proc/cpuinfo``) counts as no.
    """
    return bool(_cpu_fields(cpuinfo)[1] & {"avx512_bf16", "amx_bf16"})
