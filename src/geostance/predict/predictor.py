"""The :class:`Predictor`: the Python API behind ``predict.py``.

    from geostance import Predictor
    p = Predictor.load("runs/latest")            # or a model/ folder, or a hub id
    p.predict_articles(["Title\\nFirst sentence. Second sentence."])
    p.predict_sentences([{"text": "...", "title": "...", "context_prev": "..."}])

Arguments are checked: a list is required, each item a string or a dict with a
string ``text``, texts at most ``max_chars`` long and at most ``max_items`` items a
call (split bigger jobs, or use ``predict.py``, which streams). Sentences longer
than the model's input are scored by overlapping windows over the whole sentence
(``windows`` > 1 in the output), never cut.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import __version__
from ..config import (
    FITTED_CHAIN_TEMPERATURE,
    MAX_THREADS,
    STANCE_CHAIN,
    STANCE_CHAIN_TEMPERATURE,
    STANCE_STAY,
)
from ..fileio import sha256_file, surrogate_at
from ..model.artifacts import (
    ModelSpec,
    check_transitions,
    load_tokenizer,
    read_special_tokens,
    read_stance_transitions,
    softmax,
)
from ..model.encoding import encode_windows, predict_logits, torch_runner, uses_speaker
from ..text.segment import has_visible_text
from .summary import summarize

if TYPE_CHECKING:
    from ..model.modeling import GeoStanceModel

__all__ = ["MAX_TOKENS", "Predictor", "ModelLoadError", "ModelNotFoundError", "SettingError",
           "available_cpus", "resolve_model_dir"]

MAX_CHARS = 200_000  # characters per text accepted by the API
MAX_ITEMS = 100_000  # items per call accepted by the API
# Token budget of a batch (sentences x padded length) per backend. In process on the
# benchmark's 1,500 real sentences, 2-core Intel Xeon (2026-12-03): ONNX Runtime scored
# about 15% (float32) and 25% (int8) more per second at 512 than at 2048 (a batch's
# activations stay in the core's cache); torch was a little faster at 2048 in float32
# and 60% faster in bfloat16 (README "Speed on this CPU").
MAX_TOKENS = {"onnx": 512, "torch": 2048}


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json")
# train.py's default train.output_dir: "runs/<name>" is a run folder, never a hub id.
RUNS_FOLDER = "runs"


class ModelLoadError(OSError):
    """A model folder or hub id that cannot be loaded; the message says why."""


class ModelNotFoundError(ModelLoadError):
    """No model folder at the path, and it is no hub id: most often a first run before any
    training (runs/latest)."""


class SettingError(ValueError):
    """A scoring setting that is out of range or does not fit the model or machine; the
    message names the setting (``stance_stay``, ``quantize``, ``device``, ...)."""


def resolve_model_dir(path: str | Path) -> Path:
    """The model folder for a run folder, a model folder or a hub id (cache first).

    A hub id (``owner/name``) is looked up with ``huggingface_hub.snapshot_download``,
    which serves it from the local hub cache when ``HF_HUB_OFFLINE=1``.
    """
    p = Path(path)
    if p.exists():
        if (p / "model").is_dir() and not (p / "config.json").is_file():
            p = p / "model"
        if not p.is_dir():
            raise ModelLoadError(f"{path}: not a model folder")
        missing = [f for f in REQUIRED_FILES if not (p / f).is_file()]
        if missing:
            raise ModelLoadError(f"{p}: not a complete geostance model folder "
                                 f"(missing {', '.join(missing)})")
        return p
    first = str(path).split("/")[0]
    if str(path).count("/") == 1 and not str(path).startswith((".", "/")) \
            and not Path(first).is_dir() and first != RUNS_FOLDER:
        # "org/name" is a hub id unless its first part is a folder here ("runs/latest"
        # asked from the wrong folder, or a run not trained yet) or is train.py's runs/,
        # which a fresh clone lacks: its runs/latest is a model not trained yet.
        try:
            from huggingface_hub import snapshot_download

            return resolve_model_dir(snapshot_download(str(path)))
        except ModelLoadError:
            raise
        except Exception as e:  # noqa: BLE001 - offline, unknown repo, ...: one message
            why = (str(e).splitlines() or [""])[0]
            why = why if len(why) <= 300 else why[:300].rsplit(" ", 1)[0] + " …"
            raise ModelLoadError(f"{path}: not a local folder (from {Path.cwd()}), and the "
                                 f"hub could not provide it ({type(e).__name__}: {why})"
                                 ) from None
    raise ModelNotFoundError(f"{path}: no such model folder")


def model_name(model_dir: Path) -> str:
    """The name a record gives a model folder: its run's folder name (``runs/X/model`` ->
    X, the run ``runs/latest`` points at when it is a link, since "latest" moves on with the
    next run), or ``org/name`` for a hub snapshot
    (``.../models--org--name/snapshots/<commit>``)."""
    d = Path(model_dir)
    if d.parent.name == "snapshots" and d.parent.parent.name.startswith("models--"):
        return d.parent.parent.name[len("models--"):].replace("--", "/")
    named = d.parent if d.name == "model" else d
    if named.is_symlink():
        try:
            named = named.resolve()
        except (OSError, RuntimeError):
            pass
    return named.name


def _canonical_config(path: Path) -> str:
    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k != "_name_or_path"}
        return [strip(v) for v in node] if isinstance(node, list) else node

    try:
        return json.dumps(strip(json.loads(path.read_text(encoding="utf-8"))), sort_keys=True)
    except (OSError, ValueError):
        return sha256_file(path)


# The package code that turns text into model inputs and records: splitting, markup,
# speaker rules, encoding and article mode. The version alone stays the same across commits
# that change these, and --resume would mix their outputs with older ones.
_CODE = ("text", "model/encoding.py", "model/context.py", "predict/articles.py",
         "predict/coherence.py")


@functools.lru_cache(maxsize=2)
def code_digest(root: Path | None = None) -> str:
    """Hash of the source of the code that shapes an output (``_CODE`` under ``root``, the
    installed package by default), 16 hex digits."""
    root = root or Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    read = 0
    for part in _CODE:
        base = root / part
        for f in sorted(base.rglob("*.py")) if base.is_dir() else [base]:
            h.update(f.relative_to(root).as_posix().encode())
            try:
                # Line endings folded: a CRLF checkout is the same code.
                h.update(f.read_bytes().replace(b"\r\n", b"\n"))
                read += 1
            except OSError:
                h.update(b"-")
    if not read:  # a zip or .pyc-only install: only the version tells code apart
        warnings.warn("geostance's source files are not readable here: --resume tells code "
                      "versions apart only by the version number", stacklevel=2)
    return h.hexdigest()[:16]


def _fingerprint(model_dir: Path | None, quantized: str | None, backend: str,
                 stance_stay: float = 0.0, stance_transitions: np.ndarray | None = None) -> str:
    """Hash of everything that changes an output: weights, config, tokenizer, code,
    quantisation, engine and article mode's stance coherence."""
    h = hashlib.sha256()
    if model_dir is not None:
        for name in REQUIRED_FILES:
            p = model_dir / name
            if name == "config.json" and p.is_file():
                # Canonical config: where the base encoder was loaded from
                # (``_name_or_path``) names a folder, not a setting that changes outputs.
                h.update(_canonical_config(p).encode())
            else:
                h.update(sha256_file(p).encode() if p.is_file() else b"-")
    h.update(f"{__version__}|{code_digest()}|{quantized}|{backend}".encode())
    t = _chain_temperature(stance_transitions)
    if stance_stay and stance_transitions is None:  # off hashes as before it existed
        h.update(f"|stance_stay={stance_stay!r}|T={t!r}".encode())
    elif stance_stay:
        h.update(f"|transitions={np.round(stance_transitions, 6).tolist()!r}|T={t!r}".encode())
    return h.hexdigest()[:16]


def _chain_temperature(stance_transitions: np.ndarray | None) -> float:
    """The temperature of the chain's posteriors, chosen for its kind of moves: the sticky
    chain's, or the fitted matrix's."""
    return STANCE_CHAIN_TEMPERATURE if stance_transitions is None else FITTED_CHAIN_TEMPERATURE


def _as_record(item: Any, i: int, max_chars: int) -> dict[str, Any]:
    if isinstance(item, str):
        rec: dict[str, Any] = {"text": item}
    elif isinstance(item, dict):
        rec = dict(item)
    else:
        raise TypeError(f"item {i}: expected a string or a dict with 'text', "
                        f"got {type(item).__name__}")
    if "text" not in rec:
        keys = ", ".join(repr(k) for k in rec) or "none"
        raise TypeError(f"item {i}: no 'text' key (the item's keys: {keys})")
    text = rec["text"]
    if not isinstance(text, str):
        raise TypeError(f"item {i}: 'text' must be a string, got {type(text).__name__}")
    if not has_visible_text(text):  # direction marks or joiners alone are no text
        raise ValueError(f"item {i}: 'text' is empty")
    if len(text) > max_chars:
        raise ValueError(f"item {i}: text has {len(text)} characters, more than max_chars "
                         f"{max_chars}")
    for key in ("title", "context_prev", "lang", "speaker"):
        if rec.get(key) is not None and not isinstance(rec[key], str):
            raise TypeError(f"item {i}: {key!r} must be a string, "
                            f"got {type(rec[key]).__name__}")
    for key in ("text", "title", "context_prev", "speaker"):
        value = rec.get(key)
        # A lone surrogate (text decoded with errors="surrogateescape", or cut from
        # UTF-16) cannot reach the tokenizer; say where it is.
        at = surrogate_at(value) if value else None
        if at is not None:
            raise ValueError(f"item {i}: {key!r} holds a lone surrogate "
                             f"(U+{ord(value[at]):04X} at character {at}); "
                             "decode the text with errors='replace'")
    return rec


class Predictor:
    """A trained model with its tokenizer, calibrated temperatures and metadata.

    ``model`` is the torch GeoStanceModel, or None when ``runner`` serves the
    model some other way (ONNX Runtime) and ``config`` gives its settings.
    ``stance_stay``: article mode's stance coherence (:mod:`.coherence`; 0 = off).
    ``stance_transitions``: with the chain on, a (K, K) matrix of one-step stance moves
    used instead of the sticky one ``stance_stay`` makes (None = sticky).
    """

    def __init__(self, model: GeoStanceModel | None, tokenizer, model_dir: Path | None = None,
                 batch_size: int = 256, quantized: str | None = None, runner=None,
                 backend: str = "torch", max_tokens: int = 2048, max_chars: int = MAX_CHARS,
                 max_items: int = MAX_ITEMS, config: Any = None, workers: int = 1,
                 stance_stay: float = STANCE_STAY,
                 stance_transitions: np.ndarray | None = None):
        for name, v in (("batch_size", batch_size), ("max_tokens", max_tokens),
                        ("max_chars", max_chars), ("max_items", max_items),
                        ("workers", workers)):
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise SettingError(f"{name} must be a positive integer, got {v!r}")
        if model is None and (runner is None or config is None):
            raise ValueError("without a torch model, give both runner and config")
        self.model = model.eval() if model is not None else None
        self.config = config if config is not None else model.config
        self.tokenizer = tokenizer
        self.batch_size, self.max_tokens = batch_size, max_tokens
        # Batches scored at once on threads; only for a runner safe to call concurrently.
        self.workers = workers
        self.max_chars, self.max_items = max_chars, max_items
        self.model_dir = Path(model_dir) if model_dir else None
        self.quantized, self.backend = quantized, backend
        self.run = runner or torch_runner(model, model.device)
        self.kinds: list[str] = list(self.config.kind_labels)
        self.stances: list[str] = list(self.config.stance_labels)
        if stance_stay and not 1.0 / len(self.stances) - 1e-9 <= stance_stay < 1.0:
            raise SettingError(f"stance_stay must be 0 (off) or in [1/{len(self.stances)}, 1) "
                             f"for {len(self.stances)} stances, got {stance_stay!r}")
        self.stance_stay = float(stance_stay)
        self.stance_transitions = (None if stance_transitions is None
                                   else check_transitions(stance_transitions,
                                                          len(self.stances)))
        self.stance_chain_temperature = _chain_temperature(stance_transitions)
        d = self.model_dir
        self.model_info = {
            "name": model_name(d) if d else "",
            "path": str(d.resolve()) if d else "",
            "weights_sha256": sha256_file(d / "model.safetensors")
            if d and (d / "model.safetensors").is_file() else "",
            "geostance_version": __version__,
            "quantized": quantized,
            "backend": backend,
            "fingerprint": _fingerprint(d, quantized, backend, self.stance_stay,
                                        self.stance_transitions if self.stance_stay else None),
        }

    @classmethod
    def load(cls, path: str | Path, quantize: str | None = None, batch_size: int = 256,
             backend: str = "auto", device: str = "auto", max_tokens: int = 0,
             threads: int = 0, stance_chain: str = STANCE_CHAIN,
             **kwargs: Any) -> Predictor:
        """Load a trained model: a run folder (``runs/latest``), its ``model/`` folder, a
        hub id, or an ensemble folder (``ensemble.json``, see :mod:`.ensemble`: returns an
        :class:`~geostance.predict.ensemble.Ensemble`).

        ``backend``: "torch", "onnx" (ONNX Runtime; exported once and cached next to
        the model) or "auto" (ONNX Runtime when installed and the device is the CPU,
        else torch). ``quantize="int8"``: dynamically quantised weights, per output
        channel; ``quantize="bf16"``: bfloat16 matrix products under torch autocast
        (torch backend; "auto" picks it, "onnx" raises ValueError). A cached ONNX
        export is served without importing torch or transformers (seconds saved per
        process). ``max_tokens`` 0 takes the backend's budget (:data:`MAX_TOKENS`).
        ``threads`` (0 = one per available core): torch splits each batch over them;
        ONNX Runtime scores that many batches at once, one thread each.
        ``stance_chain``: article mode's chain moves, "fitted" (the model folder's
        ``stance_transitions.json`` when it has one, else the sticky chain) or "uniform"
        (the sticky chain of ``stance_stay``); an explicit ``stance_transitions`` wins.
        Raises :class:`ModelLoadError` with a one-line reason.
        """
        from ..model.onnx import ExportCacheError, onnx_available, onnx_runner, onnx_session

        if quantize in ("", "none"):
            quantize = None
        if quantize not in (None, "int8", "bf16"):
            raise SettingError(f"quantize: {quantize!r} not in int8, bf16, none")
        if backend not in ("auto", "torch", "onnx"):
            raise SettingError(f"backend: {backend!r} not in auto, torch, onnx")
        for name, v in (("threads", threads), ("max_tokens", max_tokens)):
            # 0 is "the default"; checked here, where the error can name the argument
            if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                raise SettingError(f"{name} must be 0 (the default) or a positive integer, "
                                 f"got {v!r}")
        if threads > MAX_THREADS:  # torch would fail deep inside (config.MAX_THREADS)
            raise SettingError(f"threads must be at most {MAX_THREADS}, got {threads!r}")
        from .ensemble import Ensemble, is_ensemble_dir

        if is_ensemble_dir(path):
            # Members are loaded with these same arguments (kwargs included).
            return Ensemble.load_dir(Path(path), quantize=quantize, batch_size=batch_size,
                                     backend=backend, device=device, max_tokens=max_tokens,
                                     threads=threads, stance_chain=stance_chain, **kwargs)
        if stance_chain not in ("fitted", "uniform"):
            raise SettingError(f"stance_chain: {stance_chain!r} not in fitted, uniform")
        model_dir = resolve_model_dir(path)
        device = _resolve_device(device)
        # One file at a time, so that the message names the damaged file (a download cut
        # short is the usual cause), not just the folder.
        try:
            spec = ModelSpec.from_dir(model_dir)
        except Exception as e:  # noqa: BLE001 - a damaged file: one clear message
            raise _load_error(model_dir / "config.json", e) from None
        try:
            special = read_special_tokens(model_dir)
        except Exception as e:  # noqa: BLE001
            raise _load_error(model_dir / "tokenizer_config.json", e) from None
        try:
            tokenizer = load_tokenizer(model_dir, special)
        except Exception as e:  # noqa: BLE001
            raise _load_error(model_dir / "tokenizer.json", e) from None
        if stance_chain == "fitted" and kwargs.get("stance_transitions") is None:
            try:
                kwargs["stance_transitions"] = read_stance_transitions(model_dir,
                                                                       spec.stance_labels)
            except ValueError as e:
                raise ModelLoadError(str(e)) from None
        if quantize == "bf16":
            # bfloat16 runs under torch autocast; the ONNX export is float32 only.
            if backend == "onnx":
                raise SettingError("quantize bf16 runs on the torch backend; use --backend "
                                 "torch or auto")
            backend = "torch"
        if backend == "auto":
            backend = "onnx" if device == "cpu" and onnx_available() else "torch"
        if backend == "onnx":
            if not onnx_available():
                raise ModelLoadError("backend onnx needs onnxruntime, onnx and onnxscript: "
                                     "pip install 'geostance[onnx]'")
            if device != "cpu":
                raise SettingError("backend onnx runs on the CPU only; use --backend torch")
            try:
                # One thread per batch, a batch per core: ONNX Runtime's small kernels
                # (layer norm, attention, GELU) gain little from a second thread, and a
                # batch that fits the core's cache is faster (README "Speed on this CPU").
                session = onnx_session(model_dir, lambda: _load_torch(model_dir), quantize,
                                       threads=1)
            except ModelLoadError:
                raise
            except ExportCacheError as e:
                raise ModelLoadError(f"{model_dir}: {e}") from None
            except Exception as e:  # noqa: BLE001 - a damaged export cache or model file
                raise _load_error(model_dir, e) from None
            return cls(None, tokenizer, model_dir=model_dir, batch_size=batch_size,
                       quantized=quantize, runner=onnx_runner(session), backend=backend,
                       max_tokens=max_tokens or MAX_TOKENS[backend], config=spec,
                       workers=threads or available_cpus(), **kwargs)
        model = _load_torch(model_dir).to(device)
        if threads:
            import torch

            torch.set_num_threads(threads)
        if quantize == "int8":
            if device != "cpu":
                raise SettingError("quantize int8 with the torch backend runs on the CPU only")
            model = _torch_int8(model)
        autocast = None
        if quantize == "bf16":
            import torch

            autocast = torch.bfloat16
        return cls(model, tokenizer, model_dir=model_dir, batch_size=batch_size,
                   quantized=quantize, runner=torch_runner(model, device, autocast),
                   backend=backend,
                   max_tokens=max_tokens or MAX_TOKENS[backend], config=spec, **kwargs)

    # ------------------------------------------------------------------ core

    @property
    def uses_speaker(self) -> bool:
        """Whether the model reads each sentence's speaker (``score(..., speakers=)``)."""
        return uses_speaker(self.config)

    def score(self, texts: Sequence[str], titles: Sequence[str], prevs: Sequence[str],
              progress=None, speakers: Sequence[str] | None = None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Calibrated kind and stance probabilities, and the windows per sentence.

        ``speakers`` (one per sentence, "" for none) feed a model trained with the
        speaker; without them such a model sees no speaker for any sentence.
        """
        nk, ns = len(self.kinds), len(self.stances)
        if not texts:
            return np.zeros((0, nk), np.float32), np.zeros((0, ns), np.float32), \
                np.zeros(0, np.int64)
        feats, owner = encode_windows(self.tokenizer, texts, titles, prevs, self.config,
                                      speakers)
        k, s = predict_logits(self.run, feats, nk, ns, self.tokenizer.pad_token_id,
                              self.max_tokens, self.batch_size, progress, self.workers)
        # A sentence scored in several windows gets the mean of their logits.
        owner_arr = np.asarray(owner)
        windows = np.bincount(owner_arr, minlength=len(texts))
        kl = np.zeros((len(texts), nk), np.float32)
        sl = np.zeros((len(texts), ns), np.float32)
        np.add.at(kl, owner_arr, k)
        np.add.at(sl, owner_arr, s)
        kl /= windows[:, None]
        sl /= windows[:, None]
        return (softmax(kl, self.config.kind_temperature),
                softmax(sl, self.config.stance_temperature), windows)

    def sentence_records(self, texts: Sequence[str], kind_p: np.ndarray, stance_p: np.ndarray,
                         windows: np.ndarray) -> list[dict[str, Any]]:
        """Label records (``text``, ``kind``, probabilities, ``stance``, ``windows``)."""
        out = []
        for i, text in enumerate(texts):
            kind = self.kinds[int(kind_p[i].argmax())]
            stance = self.stances[int(stance_p[i].argmax())]
            out.append({
                "text": text,
                "kind": kind,
                "kind_probs": {k: round(float(p), 6)
                               for k, p in zip(self.kinds, kind_p[i], strict=True)},
                # Boilerplate carries no stance (LABELS.md); its probabilities stay visible.
                "stance": "" if kind == "boilerplate" else stance,
                "stance_probs": {k: round(float(p), 6)
                                 for k, p in zip(self.stances, stance_p[i], strict=True)},
                "windows": int(windows[i]),
            })
        return out

    def _records(self, items: Iterable[Any]) -> list[dict[str, Any]]:
        if isinstance(items, (str, bytes, dict)) or not isinstance(items, Iterable):
            raise TypeError(f"expected a list of items, got a {type(items).__name__} "
                            "(wrap a single item in a list)")
        out = []
        for i, item in enumerate(items):
            if i >= self.max_items:
                raise ValueError(f"more than max_items {self.max_items} items in one call; "
                                 "split the job or use predict.py")
            out.append(_as_record(item, i, self.max_chars))
        return out

    def predict_sentences(self, items: Iterable[str | dict[str, Any]],
                          progress=None) -> list[dict[str, Any]]:
        """Score each item as one sentence, without splitting.

        Items are strings or dicts with ``text`` and optional ``title``, ``lang`` and
        ``context_prev`` (the context a model trained with context uses), ``speaker``
        (found in the sentence alone by :mod:`geostance.text.sources` when absent, in
        ``lang`` or the detected language, as ``predict.py --unit sentence`` finds it; a
        model trained with the speaker reads it) plus any other keys, which are kept in
        the output. Each output adds ``source``, the speaker used; a key the output also
        writes (a gold ``kind``, ``stance`` or ``source``, say) is kept as ``input_<key>``,
        not overwritten.
        """
        from ..text.sources import sentence_speakers

        recs = self._records(items)
        texts = [r["text"] for r in recs]
        # Only the rows without a speaker are attributed (and need their language).
        found = [r.get("speaker") for r in recs]
        todo = [i for i, sp in enumerate(found) if not isinstance(sp, str)]
        for i, sp in zip(todo, sentence_speakers([texts[i] for i in todo],
                                                 [recs[i].get("lang") for i in todo]),
                         strict=True):
            found[i] = sp
        kind_p, stance_p, win = self.score(texts, [r.get("title") or "" for r in recs],
                                           [r.get("context_prev") or "" for r in recs],
                                           progress, found if self.uses_speaker else None)
        out = []
        for r, s, source in zip(recs, self.sentence_records(texts, kind_p, stance_p, win),
                                found, strict=True):
            s["source"] = source
            kept = {(f"input_{k}" if k in s and k != "text" else k): v for k, v in r.items()}
            out.append({**kept, **s})
        return out

    def predict_articles(self, items: Iterable[str | dict[str, Any]],
                         progress=None) -> list[dict[str, Any]]:
        """Split each article into sentences and label them, with a summary per article.

        Items are strings or dicts with ``text`` and optional ``title``, ``lang``,
        ``id``. Sentences of all articles are scored together in token-budget batches.
        """
        from .articles import article_sentences, label_articles

        arts = [article_sentences(rec) for rec in self._records(items)]
        return label_articles(self, arts, progress)

    def summarize(self, sentences: list[dict[str, Any]]) -> dict[str, Any]:
        """The per-article stance summary of labelled sentences."""
        return summarize(sentences, self.stances)

    def cache_key(self) -> str:
        """The fingerprint of everything that changes an output (see ``model.fingerprint``
        in the output schema)."""
        return self.model_info["fingerprint"]

    def describe(self) -> str:
        """One line naming the model, engine and fingerprint (for logs)."""
        return json.dumps({k: self.model_info[k] for k in ("name", "backend", "quantized",
                                                            "fingerprint")})


def _load_error(path: Path, e: BaseException) -> ModelLoadError:
    first = (str(e).splitlines() or [""])[0][:200]
    return ModelLoadError(f"{path}: cannot be loaded; is a file damaged or cut short? "
                          f"({type(e).__name__}: {first})")


def _resolve_device(device: str) -> str:
    """"auto" -> "cuda" when a GPU is usable, else "cpu" (torch imported only if a GPU
    driver is present: on a plain CPU machine the ONNX path never needs torch)."""
    if device not in ("auto", "cpu", "mps") and not re.fullmatch(r"cuda(?::\d+)?", device):
        raise SettingError(f"device: {device!r} not in auto, cpu, cuda, cuda:N, mps")
    if device.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            raise SettingError(f"device {device}: no CUDA device is usable here (a CPU build "
                             "of torch, or no GPU); use --device cpu or auto")
    if device != "auto":
        return device
    if "torch" not in sys.modules and not os.path.exists("/proc/driver/nvidia/version"):
        return "cpu"
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _load_torch(model_dir: Path) -> GeoStanceModel:
    from safetensors import safe_open

    from ..model.modeling import GeoStanceModel

    # One file at a time, as in Predictor.load, so the error names the damaged one by
    # the step that failed, not by words in a library's message.
    weights = model_dir / "model.safetensors"
    try:
        # Opening reads the header and checks that the file covers every tensor in it
        # (a download cut short fails here); no tensor is read.
        with safe_open(str(weights), framework="pt"):
            pass
    except Exception as e:  # noqa: BLE001 - a damaged file: one clear message
        raise _load_error(weights, e) from None
    try:
        return GeoStanceModel.from_pretrained(model_dir).eval()
    except Exception as e:  # noqa: BLE001 - the weights are whole: config.json disagrees
        raise _load_error(model_dir / "config.json", e) from None


def _torch_int8(model: GeoStanceModel) -> GeoStanceModel:
    """torch's dynamic int8 Linear layers, per output channel (the fallback int8 route;
    ``torch.ao.quantization.quantize_dynamic`` is deprecated upstream, so ONNX Runtime is
    the default)."""
    import torch

    qconfig = {torch.nn.Linear: torch.ao.quantization.per_channel_dynamic_qconfig}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch.ao.quantization.quantize_dynamic(model, qconfig, dtype=torch.qint8)
