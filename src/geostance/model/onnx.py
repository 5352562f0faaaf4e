"""ONNX Runtime copies of a trained model: float32 and dynamic int8, exported once and cached.

``onnx_session(model_dir, load_model, quantize)`` returns an ``onnxruntime`` session of
the model's forward pass (inputs ``input_ids``, ``attention_mask``, ``pool_mask``;
outputs ``kind_logits``, ``stance_logits``). The export (``torch.onnx.export`` with the
dynamo exporter, dynamic batch and length, the encoder's plain "eager" attention, then
ONNX Runtime's transformer fusions: bias with GELU, and each self-attention block as one
``Attention`` node, :mod:`~geostance.model.onnx_attention`; the residual adds and layer
norms stay separate nodes, see :data:`SESSION_DISABLED_OPTIMIZERS`) and the int8
quantisation (ONNX Runtime's ``quantize_dynamic``, weights per output channel, which
kept accuracy where per-tensor scales lost 2.6 points of stance F1) run the first time
and are cached in ``<model_dir>/onnx/<key>/``, or under ``$GEOSTANCE_HOME/onnx/<key>/``
when the model folder is read-only (an export already in a read-only folder is served from
there). Each model is saved as a small graph file and its
weights beside it (``model.onnx`` + ``model.onnx.data``): ONNX Runtime maps external
weights into memory instead of parsing them out of one 470 MB protobuf, which cut
session start-up from about 2 s to 0.3 s on a 2-core CPU (same outputs, same speed).
``key`` hashes the weights, the config, the geostance version and the export settings,
so a changed model is never served an old export.

Needs the ``onnx`` extra (``pip install geostance[onnx]``: onnx, onnxscript,
onnxruntime); :func:`onnx_available` says whether it is installed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import __version__
from ..fileio import sha256_file

__all__ = ["EXPORT_FORMAT", "ExportCacheError", "onnx_available", "export_key",
           "export_path", "load_session", "onnx_session", "onnx_runner"]

log = logging.getLogger(__name__)

# Bump when the exported graph or quantisation settings change (2: fixed masks; 3: eager
# attention and ONNX Runtime's transformer fusions; 4: fused self-attention; 5: weights
# in an external data file; 6: residual add and layer norm left unfused).
EXPORT_FORMAT = "6"
OPSET = 18
INPUTS = ("input_ids", "attention_mask", "pool_mask")
OUTPUTS = ("kind_logits", "stance_logits")
# ONNX Runtime's fused SkipLayerNormalization CPU kernel (residual add + bias + layer
# norm in one node) ran 4x slower than the same work as Add, Add and the standard
# LayerNormalization on this model's shapes (8.3 against 2.1 ms for 64 x 66 tokens of
# width 384, 1 thread, onnxruntime 1.32): a quarter of the int8 model's time. So the
# export leaves them apart and every session turns off the optimizer that would fuse
# them again at load time (same outputs within 1e-6; float32 +11%, int8 +32% sentences/s
# in process on the 2-core Intel Xeon, 1 thread).
SESSION_DISABLED_OPTIMIZERS = ("SkipLayerNormFusion",)


def onnx_available() -> bool:
    """Whether onnxruntime, onnx and onnxscript can be imported."""
    return all(importlib.util.find_spec(m) is not None
               for m in ("onnxruntime", "onnx", "onnxscript"))


def export_key(model_dir: Path) -> str:
    """Cache key of a model folder's export: weights, config, code version, settings."""
    h = hashlib.sha256()
    for name in ("model.safetensors", "config.json"):
        p = model_dir / name
        h.update(sha256_file(p).encode() if p.is_file() else b"-")
    h.update(f"{__version__}/{EXPORT_FORMAT}/{OPSET}".encode())
    return h.hexdigest()[:16]


def _writable(d: Path) -> bool:
    """Whether files can be created in ``d`` (made first where it is missing)."""
    try:
        d.mkdir(parents=True, exist_ok=True)
        probe = d / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
        return True
    except OSError:
        return False


class ExportCacheError(OSError):
    """Neither the model folder nor ``$GEOSTANCE_HOME`` can hold the export."""


def _home_cache(key: str, name: str = "model.onnx") -> Path:
    """``$GEOSTANCE_HOME/onnx/<key>/`` (the cache root of :func:`.encoders.default_home`),
    where it holds ``name`` already or can be written in."""
    from .encoders import default_home

    out = default_home() / "onnx" / key
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        reason = f"{type(e).__name__}: {e.strerror or e}"
    else:
        # A folder that exists but is read-only (a read-only home) fails only in the
        # export, as "is a file damaged?": refused here too.
        if _cached(out / name) or _writable(out):
            return out
        reason = "it is read-only"
    raise ExportCacheError(
        f"the model folder is read-only and the ONNX export cannot be cached in {out} "
        f"either ({reason}); set GEOSTANCE_HOME to a writable folder, or use the torch "
        "backend")


def _cache_dir(model_dir: Path, key: str, reuse: bool = True) -> Path:
    """The model folder's own ``onnx/<key>/``: where it holds the export already (``reuse``;
    served even when the folder is read-only, as a shared, prepared model is) or can hold
    it; else the shared cache under ``$GEOSTANCE_HOME``."""
    local = model_dir / "onnx" / key
    if (reuse and _cached(local / "model.onnx")) or _writable(local):
        return local
    return _home_cache(key)


def _export(model, path: Path) -> None:
    """Export the forward pass of ``model`` (a GeoStanceModel) to ``path`` atomically."""
    import torch

    class Forward(torch.nn.Module):
        """The two heads' logits from the three input tensors (positional, for export)."""

        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, pool_mask):
            out = self.m(input_ids=input_ids, attention_mask=attention_mask,
                         pool_mask=pool_mask)
            return out.kind_logits, out.stance_logits

    # The graph is float32 (its inputs, outputs and int8 quantisation assume it): a model
    # saved in bfloat16 (from_pretrained(dtype=torch.bfloat16), then save_pretrained) is
    # exported from float32 weights; ONNX Runtime's CPU kernels lack most bfloat16 ops.
    # A copy: the caller's model (a Predictor's, in the benchmark) keeps its own dtype.
    if any(p.dtype != torch.float32 for p in model.parameters()):
        import copy

        model = copy.deepcopy(model).float()
    # eval() on the wrapper, not only on the model: a fresh Module is in training mode,
    # and the exporter warns about that on every export. The caller's mode comes back after.
    training = model.training
    wrapped = Forward(model).eval()
    # Three distinct example tensors with padding and a context segment: identical
    # all-ones examples let the tracer alias the inputs and fold the masks away
    # (the graph then ignored padding and context).
    ids = torch.randint(5, 1000, (2, 8), dtype=torch.long)
    attention = torch.tensor([[1] * 8, [1] * 5 + [0] * 3], dtype=torch.long)
    pool = torch.tensor([[1] * 4 + [0] * 4, [1] * 3 + [0] * 5], dtype=torch.long)
    batch = torch.export.Dim("batch")
    length = torch.export.Dim("length", max=model.config.max_seq_length)
    dims = {name: {0: batch, 1: length} for name in INPUTS}
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=".export-"))
    # Plain matmul-softmax attention exports to a smaller graph than SDPA's
    # decomposition (no NaN guards, slices or concats) and scored faster under ONNX
    # Runtime on this CPU; the torch model keeps its own attention afterwards.
    attn = model.encoder.config._attn_implementation
    # The exporter's notes (torchvision absent, axis names merged) are about its own
    # internals, not the user's model: keep them off the user's terminal.
    exporter_log = logging.getLogger("torch.onnx")
    level = exporter_log.level
    try:
        _set_attention(model.encoder, "eager")
        exporter_log.setLevel(logging.ERROR)
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            program = torch.onnx.export(wrapped, (ids, attention, pool), dynamo=True,
                                        input_names=list(INPUTS), output_names=list(OUTPUTS),
                                        dynamic_shapes=dims, opset_version=OPSET,
                                        verbose=False)
        program.save(str(tmp / "exported.onnx"))
        graph = _fuse(tmp / "exported.onnx", model.encoder.config)
        _save_external(graph, tmp / path.name)
        _install(tmp / path.name, path)
    finally:
        exporter_log.setLevel(level)
        _set_attention(model.encoder, attn)
        model.train(training)
        shutil.rmtree(tmp, ignore_errors=True)


def _set_attention(encoder, name: str) -> None:
    """Switch a transformers encoder's attention implementation where it can switch."""
    try:
        encoder.set_attn_implementation(name)
    except (AttributeError, ValueError) as e:  # an encoder without that choice: export as is
        log.info("attention implementation kept (%s)", e)


def _fuse(path: Path, encoder_config):
    """ONNX Runtime's transformer fusions on the exported graph; the ModelProto to serve.

    LayerNormalization and BiasGelu (bias + erf GELU) replace a dozen small nodes per
    layer, and ``Attention`` each self-attention block
    (:func:`~geostance.model.onnx_attention.fuse_attention`); the residual adds stay
    apart from the layer norms (:data:`SESSION_DISABLED_OPTIMIZERS` says why). A graph the optimizer
    cannot read or write is served as exported (same numbers, a little slower).
    """
    import onnx

    try:
        from onnxruntime.transformers.fusion_options import FusionOptions
        from onnxruntime.transformers.optimizer import optimize_model

        from .onnx_attention import fuse_attention

        logging.disable(logging.WARNING)  # it logs every pattern it does not find
        options = FusionOptions("bert")
        options.enable_skip_layer_norm = False
        options.enable_bias_skip_layer_norm = False
        opt = optimize_model(str(path), model_type="bert",
                             num_heads=encoder_config.num_attention_heads,
                             hidden_size=encoder_config.hidden_size, opt_level=1,
                             optimization_options=options)
        # Its attention fusion does not match the dynamo exporter's graph; ours does
        # (about a tenth faster in float32 and int8 on a 2-core CPU).
        n = fuse_attention(opt.model, encoder_config.num_attention_heads)
        log.info("fused %d self-attention blocks", n)
        opt.topological_sort()
        return opt.model
    except Exception as e:  # noqa: BLE001 - an optional speed-up, never a failure
        log.warning("ONNX Runtime fusions skipped (%s: %s)", type(e).__name__, e)
        return onnx.load(str(path))
    finally:
        logging.disable(logging.NOTSET)


def _save_external(graph, path: Path) -> None:
    """Save a ModelProto as ``path`` with its weights in ``path.name + ".data"`` beside it."""
    import onnx

    onnx.save_model(graph, str(path), save_as_external_data=True,
                    all_tensors_to_one_file=True, location=path.name + ".data",
                    size_threshold=1024)


def _cached(path: Path) -> bool:
    """Whether an export is in place: the graph file and the weights file beside it."""
    return path.is_file() and path.with_name(path.name + ".data").is_file()


def _install(src: Path, dst: Path) -> None:
    """Move a saved model and its weights file into place, the graph file last.

    The graph file is what marks an export as cached, so a run stopped between the two
    renames leaves no half-installed model: the next run exports again.
    """
    data = src.with_name(src.name + ".data")
    if not data.is_file():  # no tensor large enough to move out: an empty weights file
        data.write_bytes(b"")  # keeps _cached() true (the graph never refers to it)
    # onnx writes the weights file owner-only; give it the graph file's permissions.
    os.chmod(data, src.stat().st_mode & 0o777)
    os.replace(data, dst.with_name(dst.name + ".data"))
    os.replace(src, dst)


def _prune_stale(current: Path) -> None:
    """Remove the other exports in a model folder's own ``onnx/`` (about 590 MB each).

    Every folder beside ``current`` is an export of the same model folder under another
    key: older weights, an earlier geostance version or export format, none of which
    this code serves again. (The shared ``$GEOSTANCE_HOME/onnx/`` holds other models'
    exports and is never pruned.) A session that has an old export mapped keeps its
    pages until it closes, so pruning is safe while another process still scores.
    """
    for old in current.parent.iterdir():
        if old == current or not old.is_dir() or old.name.startswith("."):
            continue
        size = sum(f.stat().st_size for f in old.rglob("*") if f.is_file())
        shutil.rmtree(old, ignore_errors=True)
        log.warning("removed an outdated ONNX export (%s, %.0f MB)", old, size / 1e6)


def _quantize(src: Path, dst: Path) -> None:
    """Dynamic int8 copy (per output channel) of the float32 model ``src`` at ``dst``."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = Path(tempfile.mkdtemp(dir=dst.parent, prefix=".quantize-"))
    try:
        # Its one-time "consider pre-processing" advice is logged at WARNING on every new
        # model; the choice (dynamic, per channel) is measured in the benchmark instead.
        logging.disable(logging.WARNING)
        if src.parent != dst.parent and not _writable(src.parent):
            # ONNX Runtime writes a shape-inferred copy beside its input (and onnx reads no
            # weights through a link): a float32 export in a read-only folder is copied.
            for f in (src, src.with_name(src.name + ".data")):
                shutil.copyfile(f, tmp / f.name)
            src = tmp / src.name
        quantize_dynamic(str(src), str(tmp / dst.name), weight_type=QuantType.QInt8,
                         per_channel=True, use_external_data_format=True)
        _install(tmp / dst.name, dst)
    finally:
        logging.disable(logging.NOTSET)
        shutil.rmtree(tmp, ignore_errors=True)


def export_path(model_dir: Path) -> Path:
    """Where the float32 export of the model in ``model_dir`` is cached (``model.onnx``
    under ``<model_dir>/onnx/<key>/``, or ``$GEOSTANCE_HOME`` when the folder is read-only);
    the file exists once :func:`onnx_session` has served the model."""
    return _cache_dir(model_dir, export_key(model_dir)) / "model.onnx"


def load_session(path: Path, threads: int = 0, profile_prefix: str | None = None):
    """An ``onnxruntime.InferenceSession`` of the graph file ``path`` with the settings every
    session of this project uses (CPU, errors-only log, :data:`SESSION_DISABLED_OPTIMIZERS`);
    ``threads`` and ``profile_prefix`` as :func:`onnx_session`."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    if threads:
        opts.intra_op_num_threads = threads
    opts.log_severity_level = 3  # errors only: its warnings are about graph internals
    if profile_prefix:
        opts.enable_profiling = True
        opts.profile_file_prefix = profile_prefix
    return ort.InferenceSession(str(path), sess_options=opts,
                                providers=["CPUExecutionProvider"],
                                disabled_optimizers=list(SESSION_DISABLED_OPTIMIZERS))


def onnx_session(model_dir: Path, load_model: Callable[[], Any], quantize: str | None = None,
                 threads: int = 0, profile_prefix: str | None = None):
    """An ``onnxruntime.InferenceSession`` for the model in ``model_dir``.

    ``load_model`` returns the torch GeoStanceModel; it is called only when the
    export is not cached yet, so a cached model is served without importing torch.
    ``quantize`` is None or "int8"; ``threads`` 0 leaves ONNX Runtime's default
    (one per core). ``profile_prefix``: record ONNX Runtime's per-node profile (the
    benchmark's operator shares); ``session.end_profiling()`` writes it as
    ``<prefix>_<date>.json`` and returns that path.
    """
    fp32 = export_path(model_dir)
    fresh = not _cached(fp32)
    path = _ensure_export(model_dir, fp32, load_model, quantize)
    try:
        return load_session(path, threads, profile_prefix)
    except Exception as e:  # noqa: BLE001 - ONNX Runtime's errors share no base class
        if fresh:
            raise
        # A cached export damaged since it was written (a disk filled up, a copy cut
        # short): it is derived from the weights, so it is made again, once (in the shared
        # cache where the damaged one is in a read-only folder).
        damaged = path.parent
        for d in {fp32.parent, path.parent}:
            shutil.rmtree(d, ignore_errors=True)
        fp32 = _cache_dir(model_dir, fp32.parent.name, reuse=False) / "model.onnx"
        log.warning("the cached ONNX export in %s cannot be loaded (%s: %s); %s", damaged,
                    type(e).__name__, (str(e).splitlines() or [""])[0][:120],
                    f"serving the one in {fp32.parent}" if _cached(fp32)
                    else "exporting it again")
        path = _ensure_export(model_dir, fp32, load_model, quantize)
        return load_session(path, threads, profile_prefix)


def _ensure_export(model_dir: Path, fp32: Path, load_model: Callable[[], Any],
                   quantize: str | None) -> Path:
    """The graph file to load, exported (and quantised) first where it is not cached."""
    cache = fp32.parent
    if not _cached(fp32):
        model = load_model()  # first: a damaged weights file is reported before any export
        log.warning("exporting the model to ONNX once (cached in %s)", cache)
        _export(model, fp32)
        if cache.parent == model_dir / "onnx":
            _prune_stale(cache)
    if quantize != "int8":
        return fp32
    path = cache / "model.int8.onnx"
    if not _cached(path) and not _writable(cache):
        # A read-only folder with the float32 export only: the int8 copy goes to the
        # shared cache.
        path = _home_cache(cache.name, path.name) / path.name
    if not _cached(path):
        _quantize(fp32, path)
    return path


def onnx_runner(session):
    """A backend callable (padded batch -> kind and stance logits) for an ONNX session."""
    def run(batch):
        kind, stance = session.run(list(OUTPUTS), {k: batch[k] for k in INPUTS})
        return kind, stance

    return run
