"""Batch prediction on Ray: ``predict.py INPUT... --engine ray [--ray-address ADDR]``.

The same :class:`~geostance.predict.predictor.Predictor` and the same record schema
as the local engine (see :mod:`geostance.predict.records`), scored by Ray Data
``map_batches`` actors, each of which loads the model once.

How the work is split, so that inputs larger than memory stream through:

* the driver only lists the inputs and builds lightweight *references*: one
  per text file, one per CSV table, and one per ``--chunk-size`` rows of a
  JSONL table (its byte offset and first row number, found by one streaming
  pass over the bytes); no article text is held by the driver (only ``-``,
  stdin, is read there, since workers cannot read the driver's stdin);
* each actor reads the text of its references itself and scores it in chunks
  of ``--chunk-size`` articles with :func:`~geostance.predict.stream.score_items`
  (the local engine's chunk scorer),
  which retries each article alone after a failed chunk, so a failure becomes a
  record with ``error`` and is never lost;
* the records are written by a Ray datasink as a directory of shards named
  ``part-NNNNN.<format>`` (``--out``), each a complete JSONL, CSV or Parquet
  file; reading the shards in name order gives the records in input order.

On a multi-node cluster the inputs, the model directory and ``--out`` must be
on storage every node sees at the same path (an NFS mount, say).

Ray is an optional dependency (``pip install .[ray]``) and is imported only here,
inside functions.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import os
import stat
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..config import ConfigError, PredictConfig
from ..fileio import decode_line, split_lines
from .decode import DecodeError
from .inputs import (
    Item,
    display_path,
    expand_paths,
    iter_items,
    jsonl_line_item,
    open_table,
    stem_id,
    undecodable_row,
)

RAY_MISSING = "--engine ray needs Ray, which is not installed: pip install .[ray]"
SHARD_PREFIX = "part-"


def import_ray():
    """``ray`` and ``ray.data``, or a :class:`ConfigError` (exit code 2) saying how to install."""
    try:
        import ray
        import ray.data  # noqa: F401 - the [data] extra brings pandas/pyarrow glue
    except ImportError:
        raise ConfigError(RAY_MISSING) from None
    return ray


# ------------------------------------------------------------ input references

def _jsonl_refs(path: str, rows_per_ref: int) -> list[dict[str, Any]]:
    """References to runs of ``rows_per_ref`` data rows of a JSONL table.

    One pass over the bytes (no JSON parsing) finds where each run starts and
    its first row number, counted exactly as :func:`~geostance.predict.inputs.iter_items`
    counts rows (blank lines skipped, an undecodable line is a row). Tables
    that cannot be split on ``\\n`` bytes (UTF-16/32), cannot be opened or
    decoded, or have no rows get one whole-file reference, so the worker
    produces the same records (or error record) as the local engine.
    """
    whole = [{"kind": "file", "path": path}]
    try:
        fh, enc = open_table(path)
    except (OSError, DecodeError):
        return whole
    refs: list[dict[str, Any]] = []
    with fh:
        if enc.startswith(("utf-16", "utf-32")):
            return whole
        n = pos = 0
        try:
            for raw in split_lines(fh):
                try:
                    is_row = bool(decode_line(raw, enc, first=pos == 0).strip())
                except UnicodeDecodeError:
                    is_row = True
                if is_row:
                    if n % rows_per_ref == 0:
                        refs.append({"kind": "jsonl", "path": path, "encoding": enc,
                                     "offset": pos, "row0": n, "rows": 0})
                    refs[-1]["rows"] += 1
                    n += 1
                pos += len(raw)
        except OSError:
            return whole  # the worker meets the same error and reports it
    return refs or whole


def _pipe(path: str) -> bool:
    """Whether ``path`` (links followed) is a pipe or another file that cannot be read twice."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # missing or a looping link: the worker's read reports it


def build_refs(paths: Iterable[str], cfg: PredictConfig, stdin=None) -> list[dict[str, Any]]:
    """Lightweight references to every input item, in input order (no article text)."""
    refs: list[dict[str, Any]] = []
    for path in paths:
        suffix = Path(path).suffix.lower() if path != "-" else ""
        if path == "-" or _pipe(path):
            # Workers cannot read the driver's stdin, and a pipe (a FIFO, /dev/stdin) can be
            # read only once: their items travel inline.
            refs.extend({"kind": "item", "item": dataclasses.asdict(it)}
                        for it in iter_items([path], cfg.unit, cfg.max_chars,
                                             cfg.text_column, stdin))
        elif suffix == ".jsonl":
            refs.extend(_jsonl_refs(path, cfg.chunk_size))
        else:
            # Text files (one article, or lines with --unit sentence) and CSV tables, whose
            # quoted fields may span lines, are read whole by one worker, streaming.
            refs.append({"kind": "file", "path": path})
    return refs


def _jsonl_chunk_items(ref: dict[str, Any], text_column: str, max_chars: int) -> Iterator[Item]:
    """The items of one JSONL run: seek to its offset, read ``rows`` data rows."""
    path, enc = ref["path"], ref["encoding"]
    n, end = ref["row0"], ref["row0"] + ref["rows"]
    with open(path, "rb") as fh:
        fh.seek(ref["offset"])
        for k, raw in enumerate(split_lines(fh)):
            if n >= end:
                break
            try:
                line = decode_line(raw, enc, first=k == 0 and ref["offset"] == 0)
            except UnicodeDecodeError as e:
                n += 1  # as in inputs.iter_items: an undecodable line is a bad row
                yield undecodable_row(path, n, enc, e)
                continue
            if not line.strip():
                continue
            n += 1
            yield jsonl_line_item(path, n, line, text_column, enc, max_chars)


def ref_items(ref: dict[str, Any], unit: str, max_chars: int,
              text_column: str) -> Iterator[Item]:
    """The items a reference stands for; an unexpected read failure becomes an error item."""
    try:
        if ref["kind"] == "item":
            yield Item(**ref["item"])
        elif ref["kind"] == "jsonl":
            yield from _jsonl_chunk_items(ref, text_column, max_chars)
        else:
            yield from iter_items([ref["path"]], unit, max_chars, text_column)
    except Exception as e:  # noqa: BLE001 - never lose an input: report it instead
        path = ref.get("path", "-")
        where = display_path(path)
        where = f"{where}:row {ref['row0'] + 1}" if ref["kind"] == "jsonl" else where
        yield Item(stem_id(path), where, error=f"unreadable: {type(e).__name__}: {e}")


# ------------------------------------------------------------------ the actors

class ArticleScorer:
    """Ray Data actor: loads the model once, turns batches of references into records.

    ``__call__`` is a generator that yields one output batch per ``chunk_size``
    scored articles, so a batch of large references never sits in memory whole.
    Output columns: ``record`` (for ``fmt="jsonl"`` the JSON line, exactly as the
    local engine writes it; for csv/parquet a JSON list of the record's flattened
    rows, so that write tasks need neither torch nor geostance.predict),
    ``failed`` (bool) and ``sentences`` (int), the last two for the summary.
    """

    def __init__(self, model: str, quantize: str, batch_size: int, threads: int, unit: str,
                 max_chars: int, text_column: str, chunk_size: int, cwd: str, fmt: str,
                 backend: str = "auto", fingerprint: str = "", csv_escape: bool = True,
                 stance_stay: float = 0.0, stance_chain: str = "uniform"):
        import torch

        from .predictor import Predictor
        from .records import model_record

        # Relative input paths are relative to the driver's directory; on a node where it
        # does not exist, paths must be absolute (or the same mount point).
        if os.path.isdir(cwd):
            os.chdir(cwd)
        # One actor per CPU by default: more torch threads would oversubscribe the node.
        torch.set_num_threads(max(1, threads))
        self.predictor = Predictor.load(model, quantize=quantize, batch_size=batch_size,
                                        backend=backend, threads=threads,
                                        stance_stay=stance_stay, stance_chain=stance_chain)
        self.model = model_record(self.predictor)
        if fingerprint:
            self.model["fingerprint"] = fingerprint
        self.csv_escape = csv_escape
        self.unit, self.max_chars, self.text_column = unit, max_chars, text_column
        self.chunk_size, self.fmt = chunk_size, fmt

    def _flush(self, slots: list[Item | dict[str, Any]]) -> dict[str, Any]:
        import numpy as np

        from .records import csv_cell, flatten
        from .stream import score_items

        todo = [s for s in slots if isinstance(s, Item)]
        scored = iter(score_items(self.predictor, todo, self.unit, self.model))
        recs = [next(scored) if isinstance(s, Item) else s for s in slots]
        p = self.predictor
        out = [r if self.fmt == "jsonl" else
               [{k: csv_cell(v) for k, v in row.items()} if self.fmt == "csv" and
                self.csv_escape else row for row in flatten(r, p.kinds, p.stances)]
               for r in recs]
        return {
            "record": np.array([json.dumps(r, ensure_ascii=False) for r in out], dtype=object),
            "failed": np.array([r["error"] is not None for r in recs], dtype=bool),
            "sentences": np.array([len(r["sentences"]) for r in recs], dtype=np.int64),
            # For the driver's duplicate-id count (the local engine's warning).
            "article_id": np.array([r["article_id"] for r in recs], dtype=object),
            "input": np.array([r["input"] for r in recs], dtype=object),
        }

    def __call__(self, batch: dict[str, Any]) -> Iterator[dict[str, Any]]:
        from .records import record

        slots: list[Item | dict[str, Any]] = []  # input order: pending items or records
        pending = 0
        for ref in batch["ref"]:
            for item in ref_items(json.loads(ref), self.unit, self.max_chars, self.text_column):
                if item.error is not None:
                    slots.append(record(item, self.model))
                else:
                    slots.append(item)
                    pending += 1
                    if pending >= self.chunk_size:
                        yield self._flush(slots)
                        slots, pending = [], 0
        if slots:
            yield self._flush(slots)


# ------------------------------------------------------------------ the shards

def _shard_sink_class():
    """The datasink class, defined once Ray is imported (it subclasses ray's Datasink)."""
    from ray.data import Datasink

    class ShardDatasink(Datasink):
        """Writes each write task's records as one shard ``part-NNNNN.<fmt>`` in ``out_dir``.

        A shard is written to a hidden temporary name and renamed when complete,
        so readers never see half a shard and a retried task overwrites its own.
        Each task returns its counts; :meth:`on_write_complete` (on the driver)
        adds them up in :attr:`stats`. Write tasks run in fresh worker processes:
        they import only pyarrow/csv (the rows come flattened from the actors).
        """

        def __init__(self, out_dir: str, fmt: str, columns: list[str], schema: Any):
            self.out_dir, self.fmt = out_dir, fmt
            self.columns, self.schema = columns, schema  # CSV header, Parquet schema
            self.stats = {"articles": 0, "failed": 0, "sentences": 0, "shards": 0}
            # Per write task: (task index, [(article_id, input), ...]), for
            # :func:`count_duplicates` on the driver.
            self.ids: list[tuple[int, list[tuple[str, str]]]] = []

        def write(self, blocks, ctx) -> dict[str, int]:
            from ray.data.block import BlockAccessor

            os.makedirs(self.out_dir, exist_ok=True)  # on a worker node too
            name = f"{SHARD_PREFIX}{ctx.task_idx:05d}.{self.fmt}"
            final = os.path.join(self.out_dir, name)
            tmp = os.path.join(self.out_dir, f".{name}.tmp-{os.getpid()}")
            stats: dict[str, Any] = {"articles": 0, "failed": 0, "sentences": 0,
                                     "shards": 0}
            ids: list[tuple[str, str]] = []  # (article_id, input) in the shard's order
            writer: Any = None
            fh = None
            try:
                for block in blocks:
                    table = BlockAccessor.for_block(block).to_arrow()
                    if table.num_rows == 0:
                        continue
                    lines = table.column("record").to_pylist()
                    stats["articles"] += len(lines)
                    stats["failed"] += sum(table.column("failed").to_pylist())
                    stats["sentences"] += sum(table.column("sentences").to_pylist())
                    ids.extend(zip(table.column("article_id").to_pylist(),
                                   table.column("input").to_pylist(), strict=True))
                    if self.fmt == "jsonl":
                        fh = fh or open(tmp, "w", encoding="utf-8")  # noqa: SIM115
                        fh.writelines(line + "\n" for line in lines)
                        continue
                    rows = [row for line in lines for row in json.loads(line)]
                    if self.fmt == "csv":
                        if writer is None:
                            fh = open(tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115
                            writer = csv.DictWriter(fh, fieldnames=self.columns)
                            writer.writeheader()
                        writer.writerows(rows)
                    else:
                        import pyarrow as pa
                        import pyarrow.parquet as pq

                        writer = writer or pq.ParquetWriter(tmp, self.schema)
                        writer.write_table(pa.Table.from_pylist(rows, schema=self.schema))
            finally:
                if self.fmt == "parquet" and writer is not None:
                    writer.close()
                if fh is not None:
                    fh.close()
            if stats["articles"]:
                os.replace(tmp, final)
                stats["shards"] = 1
            stats["ids"] = (ctx.task_idx, ids)
            return stats

        def on_write_complete(self, write_result) -> None:
            for r in write_result.write_returns:
                for k, v in r.items():
                    if k == "ids":
                        self.ids.append(v)
                    else:
                        self.stats[k] += int(v)

    return ShardDatasink


def read_shards(out_dir: str | Path, fmt: str = "jsonl", kinds=None,
                stances=None) -> list[dict[str, Any]]:
    """All records of a Ray output directory, in input order (shards in name order)."""
    from .records import read_output

    out = []
    for shard in sorted(Path(out_dir).glob(f"{SHARD_PREFIX}*.{fmt}")):
        out.extend(read_output(shard, fmt, kinds or [], stances or []))
    return out


# ------------------------------------------------------------------ the run

def _init_ray(ray, cfg: PredictConfig, workers: int, cpus_per_worker: int) -> bool:
    """Connect to ``--ray-address`` or start a local instance; True if we started Ray."""
    if ray.is_initialized():
        return False  # the caller's Ray (tests, notebooks, the benchmark): reuse it
    if cfg.ray_address:
        ray.init(address=cfg.ray_address, log_to_driver=False)
        return True
    # A private single-node instance: no dashboard, no usage reporting, and only the
    # CPUs the actors need, so a laptop or a shared machine is not taken over.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(num_cpus=workers * cpus_per_worker, include_dashboard=False, log_to_driver=False)
    return True


def run_ray(cfg: PredictConfig, stdin=None):
    """Score every input of ``cfg`` on Ray and write the shard directory ``cfg.out``.

    Returns a :class:`~geostance.predict.run.PredictResult` like the local
    :func:`~geostance.predict.run.run`. Raises :class:`ConfigError` (exit code 2)
    when Ray is not installed, an input or the model is missing, or ``--out``
    is a file or a non-empty directory.
    """
    ray = import_ray()
    from .predictor import Predictor
    from .records import flat_columns, parquet_schema
    from .run import PredictResult, run_fingerprint
    from .stream import count_duplicates

    out = Path(cfg.out)
    if not out.parent.is_dir():
        raise ConfigError(f"output folder does not exist: {out.parent}")
    if out.is_file() or (out.is_dir() and any(out.iterdir())):
        # Shards of an older run would mix with the new ones.
        raise ConfigError(f"--out {out}: with --engine ray, --out is a directory of shards "
                          "and must not exist or be empty")
    # Nothing to read is said before the model loads, as in the local engine.
    listing = expand_paths(cfg.inputs, exclude=[out], include=cfg.include,
                           exclude_globs=cfg.exclude)
    empty = listing.nothing_to_read(cfg.inputs)
    if empty:
        raise ConfigError(empty)
    # absolute(), not resolve(): the workers load the folder as given (runs/latest), as
    # the local engine does (records name the run a link points at, see model_name), and
    # may have another cwd. A name that is no local path is a hub id, which the workers
    # load from the hub cache.
    model_dir: Path | str = Path(cfg.model).absolute() if Path(cfg.model).exists() \
        else cfg.model
    try:  # fail fast here rather than in every actor; also gives the label sets
        probe = Predictor.load(model_dir, batch_size=cfg.batch_size, backend="torch",
                               quantize=cfg.quantize if cfg.backend != "onnx" else None,
                               stance_stay=cfg.stance_stay, stance_chain=cfg.stance_chain)
    except (FileNotFoundError, OSError, ValueError) as e:
        raise ConfigError(f"model: {cfg.model}: {e}") from None
    kinds, stances = probe.kinds, probe.stances
    if cfg.backend in ("auto", "onnx"):
        # Export (and quantise) once here, so the actors find the cached ONNX files.
        probe = Predictor.load(model_dir, backend=cfg.backend, quantize=cfg.quantize,
                               stance_stay=cfg.stance_stay, stance_chain=cfg.stance_chain)
    fingerprint = run_fingerprint(probe, cfg.unit)
    del probe

    start = time.perf_counter()
    refs = build_refs(listing.paths, cfg, stdin)
    result = PredictResult(out=out, skipped=listing.skipped_counts(), unit=cfg.unit)
    if not refs:
        out.mkdir(exist_ok=True)
        return result
    cpus_per_worker = max(1, cfg.threads)
    workers = cfg.num_workers or (0 if cfg.ray_address else max(1, os.cpu_count() or 1))
    started = _init_ray(ray, cfg, max(1, workers), cpus_per_worker)
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True  # shard names follow input order
        ctx.enable_progress_bars = cfg.progress
        # References per batch: about --chunk-size articles, but at least one batch per
        # worker so that small inputs are still spread over all actors.
        items = sum(r.get("rows", 1) for r in refs)
        per_batch = max(1, round(cfg.chunk_size * len(refs) / max(items, 1)))
        per_batch = min(per_batch, math.ceil(len(refs) / max(1, workers or 1)))
        ds = ray.data.from_items([{"ref": json.dumps(r)} for r in refs],
                                 override_num_blocks=math.ceil(len(refs) / per_batch))
        compute = (ray.data.ActorPoolStrategy(size=workers) if workers
                   else ray.data.ActorPoolStrategy(min_size=1, max_size=None))
        ds = ds.map_batches(
            ArticleScorer, batch_size=per_batch, batch_format="numpy", compute=compute,
            num_cpus=cpus_per_worker,
            fn_constructor_kwargs={
                "model": str(model_dir), "quantize": cfg.quantize,
                "batch_size": cfg.batch_size, "threads": cpus_per_worker, "unit": cfg.unit,
                "max_chars": cfg.max_chars, "text_column": cfg.text_column,
                "chunk_size": cfg.chunk_size, "cwd": os.getcwd(), "fmt": cfg.format,
                "backend": cfg.backend, "fingerprint": fingerprint,
                "csv_escape": cfg.csv_escape, "stance_stay": cfg.stance_stay,
                "stance_chain": cfg.stance_chain})
        out.mkdir(exist_ok=True)
        columns = flat_columns(kinds, stances)
        sink = _shard_sink_class()(str(out.resolve()), cfg.format, columns,
                                   parquet_schema(columns) if cfg.format == "parquet" else None)
        # Writing is light I/O: it takes no CPU slot (or it would wait for the actors'
        # CPUs), and as many writers as actors keep up without a crowd of new processes.
        ds.write_datasink(sink, ray_remote_args={"num_cpus": 0}, concurrency=workers or None)
    finally:
        if started:
            ray.shutdown()
    result.articles = sink.stats["articles"]
    result.failed = sink.stats["failed"]
    result.scored = result.articles - result.failed
    result.sentences = sink.stats["sentences"]
    result.duplicate_ids = count_duplicates(
        pair for _, pairs in sorted(sink.ids, key=lambda t: t[0]) for pair in pairs)
    result.seconds = time.perf_counter() - start
    return result
