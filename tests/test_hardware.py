"""CPU probing: names and bfloat16 instruction sets read from /proc/cpuinfo text."""

from __future__ import annotations

from geostance.hardware import cpu_description, native_bf16, x86_bf16


def test_native_bf16_reads_the_cpu_flags():
    x86 = "processor\t: 0\nmodel name\t: CPU\nflags\t\t: fpu sse2 avx2 fma{}\n"
    assert not native_bf16(x86.format(""))  # AVX2 only: emulated
    assert native_bf16(x86.format(" avx512f avx512_bf16"))
    assert native_bf16(x86.format(" amx_bf16 amx_tile"))
    assert native_bf16("processor\t: 0\nFeatures\t: fp asimd bf16 i8mm\n")  # ARM
    assert not native_bf16("processor\t: 0\nFeatures\t: fp asimd\n")
    assert native_bf16("")  # unknown: time it


def test_cpu_description_names_the_matrix_instruction_sets():
    info = ("processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\n"
            "flags\t\t: fpu avx2 avx512f avx512_vnni avx512_bf16 amx_bf16 amx_tile\n\n"
            "processor\t: 1\nmodel name\t: Intel(R) Xeon(R) Processor\n"
            "flags\t\t: fpu avx2 avx512f avx512_vnni avx512_bf16 amx_bf16 amx_tile\n")
    assert cpu_description(info) == \
        "Intel(R) Xeon(R) Processor; AMX, AVX512-BF16, AVX512-VNNI"
    amd = "model name\t: AMD EPYC 9R14\nflags\t\t: fpu avx2 avx512_bf16\n"
    assert cpu_description(amd) == "AMD EPYC 9R14; AVX512-BF16"
    assert cpu_description("model name\t: Some CPU\nflags\t\t: fpu sse2\n") == "Some CPU"
    assert cpu_description("")  # no cpuinfo: the platform's name, never empty


def test_x86_bf16_is_what_bf16_training_was_measured_fast_on():
    x86 = "processor\t: 0\nmodel name\t: CPU\nflags\t\t: fpu sse2 avx2 fma{}\n"
    assert not x86_bf16(x86.format(""))
    assert not x86_bf16(x86.format(" avx512f avx512_vnni"))  # AVX-512 without BF16
    assert x86_bf16(x86.format(" avx512f avx512_bf16"))
    assert x86_bf16(x86.format(" amx_bf16 amx_tile"))
    assert not x86_bf16("processor\t: 0\nFeatures\t: fp asimd bf16 i8mm\n")  # ARM: unmeasured
    assert not x86_bf16("")  # unknown: float32
