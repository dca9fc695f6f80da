"""Extraction of many files into the Parquet interchange (``benchkb extract-many``), on one of two engines.

``local`` reads the inputs in this process and extracts in the local worker pool; ``ray`` runs the same steps
on Ray Data (:mod:`benchkb.ray_engine`), locally or on a cluster. Both read each input with benchkb's own
readers (so ids, record numbers and rejects are those of ``ingest``, in every format), call
:func:`benchkb.annotate.extract_table` on batches, and write each batch's papers, claims and rejects
(:mod:`benchkb.interchange`).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict

from benchkb.annotate import DEFAULT_BUDGET, Annotator
from benchkb.errors import InputError
from benchkb.interchange import CLAIMS, PAPERS, REJECTS, finish_batch, read_shard
from benchkb.sources import ReadOptions
from benchkb.sources.semantic_scholar import build_index
from benchkb.workers import WorkerPool

Engine = Literal["local", "ray"]
Inputs = Sequence[tuple[Path, str | None]]  # each input file and its format (None: detected when read)
TEXT_COLUMNS = ["paper_id", "title", "abstract"]


class ManySettings(BaseModel):
    """How extract-many reads, batches and extracts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    read: ReadOptions = ReadOptions()
    engine: Engine = "local"
    workers: int | None = None  # extraction processes (local) or actors (ray) [default: every core]
    address: str | None = None  # a Ray cluster to join; None starts Ray on this machine
    batch_size: int = 10_000  # records per batch: one Parquet file of each kind per batch
    record_budget: float | None = DEFAULT_BUDGET


@dataclass
class ManySummary:
    out: str
    files: int
    papers: int = 0
    claims: int = 0
    rejected: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        rate = self.papers / self.seconds if self.seconds else 0.0
        return (
            f"{self.files} files -> {self.out}: {self.papers} papers, {self.claims} claims, {self.rejected} "
            f"rejected ({self.seconds:.1f}s, {rate:,.0f} abstracts/s)"
        )


def extract_many(
    inputs: Inputs,
    out: Path,
    settings: ManySettings,
    *,
    s2_papers: Sequence[Path] = (),
    progress: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
) -> ManySummary:
    """Extract the claims of every input into the interchange directory ``out`` (new or empty)."""
    started = time.perf_counter()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError("the output must be a new or empty directory", file=str(out))
    out.mkdir(parents=True, exist_ok=True)
    with _s2_index(s2_papers, out, settings) as settings:
        if settings.engine == "ray":
            from benchkb.ray_engine import run_on_ray

            run_on_ray(inputs, out, settings, progress=progress, stop=stop)
        else:
            _run_locally(inputs, out, settings, progress=progress, stop=stop)
    summary = ManySummary(
        out=str(out),
        files=len(inputs),
        papers=_rows(out / PAPERS),
        claims=_rows(out / CLAIMS),
        rejected=_rows(out / REJECTS),
    )
    summary.seconds = time.perf_counter() - started
    return summary


def _run_locally(
    inputs: Inputs,
    out: Path,
    settings: ManySettings,
    *,
    progress: Callable[[int], None] | None,
    stop: threading.Event | None,
) -> None:
    def done(papers: pa.Table, result: tuple[pa.Table, dict[int, str]]) -> None:
        finish_batch(out, papers, *result)
        if progress is not None:
            progress(papers.num_rows)

    workers = settings.workers or os.cpu_count() or 1
    with WorkerPool(Annotator(), workers, budget=settings.record_budget) as pool:
        pool.map(
            ((papers, papers.select(TEXT_COLUMNS)) for papers in shards(inputs, out, settings)),
            done,
            stop=stop,
        )


def shards(inputs: Inputs, out: Path, settings: ManySettings) -> Iterator[pa.Table]:
    for path, fmt in inputs:
        yield from read_shard(
            path, settings.read.model_copy(update={"format": fmt}), out, settings.batch_size
        )


@contextmanager
def _s2_index(papers_files: Sequence[Path], out: Path, settings: ManySettings) -> Iterator[ManySettings]:
    """Semantic Scholar papers files indexed inside the output directory (on a cluster, the storage every
    worker sees), removed at the end."""
    if not papers_files:
        yield settings
        return
    index = out / "_s2-papers.duckdb"
    try:
        build_index(papers_files, index)
        yield settings.model_copy(update={"read": settings.read.model_copy(update={"s2_index": index})})
    finally:
        index.unlink(missing_ok=True)


def _rows(directory: Path) -> int:
    return sum(pq.ParquetFile(path).metadata.num_rows for path in directory.glob("*.parquet"))
