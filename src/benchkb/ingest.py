"""Ingest: read records, keep what is new or changed, extract and resolve its claims, store them.

Re-ingesting the same input changes nothing (papers whose text is unchanged are skipped before extraction), so
a run that was interrupted or killed continues where it stopped when run again; a changed abstract replaces
the old text and its claims in one transaction. Bad records become rejects, kept with their reason, unless
``on_error="raise"``. How each record is counted and committed: :mod:`benchkb.batches`.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict

from benchkb.annotate import DEFAULT_BUDGET, Annotator, texts_table
from benchkb.batches import Batch, IngestRun
from benchkb.catalog import SURFACE_KINDS, Catalog
from benchkb.errors import Interrupted
from benchkb.models import Paper
from benchkb.paper_identity import merge_same_papers
from benchkb.sources import ReadOptions, detect_format, read_records
from benchkb.sources.opening import metered
from benchkb.store import RunCounts, Store
from benchkb.workers import WorkerPool, default_workers

Progress = Callable[[int], None]
ReadProgress = Callable[[int, int], None]  # (records read, bytes of the file read) so far


class IngestSettings(BaseModel):
    """How files are read and what happens to their records."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    read: ReadOptions = ReadOptions()
    extract: bool = True
    on_error: Literal["raise", "skip"] = "skip"
    batch_size: int = 1000  # papers per extraction batch
    write_size: int = 10_000  # records per transaction: each commit has a fixed cost in DuckDB
    workers: int | None = None  # None: as many as cores for large files, else one
    record_budget: float | None = (
        DEFAULT_BUDGET  # CPU seconds of extraction per record; past it the record is rejected
    )


@dataclass
class FileSummary:
    file: str
    format: str
    read: int = 0
    stored: int = 0
    unchanged: int = 0
    rejected: int = 0
    claims: int = 0
    seconds: float = 0.0
    merged: int = 0  # papers found to be another source of a stored paper, and merged into it

    def line(self) -> str:
        merged = f", {self.merged} merged into papers from other sources" if self.merged else ""
        return (
            f"{self.file}: {self.read} records read, {self.stored} papers stored, "
            f"{self.unchanged} unchanged, {self.rejected} rejected, {self.claims} claims{merged} "
            f"({self.seconds:.1f}s)"
        )

    def take(self, counts: RunCounts) -> None:
        self.read, self.stored, self.unchanged = counts.read, counts.stored, counts.unchanged
        self.rejected, self.claims = counts.rejected, counts.claims


class IngestInterrupted(Interrupted):
    """Ctrl-C during an ingest: what was committed stays, and ``summary`` counts it."""

    def __init__(self, summary: FileSummary) -> None:
        self.summary = summary
        super().__init__(f"interrupted after {summary.read} records of {summary.file}")


def ingest_file(
    store: Store,
    path: Path,
    settings: IngestSettings,
    annotator: Annotator | None,
    progress: ReadProgress | None = None,
    *,
    stop: threading.Event | None = None,
) -> FileSummary:
    """Ingest one file. ``annotator`` may be None when ``settings.extract`` is false. When ``stop`` is set
    (the command line sets it on Ctrl-C), the run commits what is extracted and raises ``IngestInterrupted``
    within a second or so."""
    started = time.perf_counter()
    fmt = settings.read.format or detect_format(path)
    records = read_records(path, settings.read.model_copy(update={"format": fmt}))
    summary = FileSummary(file=str(path), format=fmt)
    extract = settings.extract and annotator is not None
    run = IngestRun(
        store,
        RunCounts(store.start_run(str(path), fmt)),
        file=str(path),
        extracted=extract,
        on_error=settings.on_error,
        batch_size=settings.batch_size,
        write_size=settings.write_size,
    )
    store.defer_checkpoints()
    workers = settings.workers or default_workers(path.stat().st_size)
    interrupted = False
    try:
        with _cyclic_gc_paused(), metered() as meter:
            read = 0

            def on_read(count: int) -> None:
                nonlocal read
                read += count
                if progress is not None:
                    progress(read, meter.bytes_read)

            with WorkerPool(annotator, workers if extract else 1, budget=settings.record_budget) as pool:
                _commit_batches(run, run.batches(records, on_read), pool, stop, extract=extract)
    except Interrupted:
        interrupted = True
    finally:
        summary.take(run.counts)
        summary.seconds = time.perf_counter() - started
    if interrupted:
        raise IngestInterrupted(summary)
    summary.merged = merge_same_papers(store)  # a venue's record of an arXiv paper is that paper
    store.finish_run(run.counts)
    return summary


def _commit_batches(
    run: IngestRun, batches: Iterator[Batch], pool: WorkerPool, stop: threading.Event | None, *, extract: bool
) -> None:
    """Extract the papers of each batch (unless not asked to) and commit the batches in order. On an error or
    an interruption what is extracted is committed first, as if batch by batch; a bare KeyboardInterrupt (a
    second Ctrl-C) commits nothing more."""

    def done(batch: Batch, result: tuple[pa.Table, dict[int, str]]) -> None:
        batch.claims, batch.failures = result
        run.add(batch)

    jobs = ((batch, texts_table(batch.papers) if extract and batch.papers else None) for batch in batches)
    try:
        pool.map(jobs, done, stop=stop)
    except Exception:
        run.flush()
        raise
    run.flush()


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Reading allocates a dict and a model per record, none in a reference cycle; the collector's passes over
    the heap cost about a second of the main process per 100,000 records. It runs again when the file is done.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def reextract(
    store: Store,
    annotator: Annotator,
    *,
    only_unextracted: bool = False,
    batch_size: int = 1000,
    workers: int = 1,
    progress: Progress | None = None,
    budget: float | None = DEFAULT_BUDGET,
) -> int:
    """Extract the claims of stored papers again (after the extractor changed). Returns claims written. A
    paper whose extraction fails keeps the claims it had."""
    written = 0

    def done(papers: list[Paper], result: tuple[pa.Table, dict[int, str]]) -> None:
        nonlocal written
        claims, failures = result
        written += store.replace_claims(
            [p.paper_id for i, p in enumerate(papers) if i not in failures], claims
        )
        if progress is not None:
            progress(len(papers))

    batches = store.iter_papers(batch_size=batch_size, only_unextracted=only_unextracted)
    with WorkerPool(annotator, workers, budget=budget) as pool:
        pool.map(((papers, texts_table(papers)) for papers in batches), done)
    return written


def resolve_stored(store: Store, catalog: Catalog) -> int:
    """Resolve the stored claims' surfaces against ``catalog`` again, without re-extracting: each distinct
    surface is resolved once. Returns the number of claims."""
    mappings = {}
    for column, kind in SURFACE_KINDS.items():
        surfaces = store.query(f"SELECT DISTINCT {column} AS surface FROM claims WHERE {column} IS NOT NULL")
        mappings[column] = [(s, catalog.resolve_id(kind, s)) for s in surfaces["surface"].to_list()]
    conditions = store.query("SELECT DISTINCT conditions FROM claims WHERE len(conditions) > 0")[
        "conditions"
    ].to_list()
    hardware = [(c, *catalog.hardware_and_precision(c)) for c in conditions]
    store.set_resolution(mappings, hardware)
    metrics = store.query(  # every claim's metric as ingest decides it ('relative accuracy' names none)
        "SELECT DISTINCT benchmark_id, metric, unit, kind FROM claims "
        "WHERE benchmark_id IS NOT NULL OR metric IS NOT NULL"
    )
    subjects = store.query(
        "SELECT DISTINCT subject, subject_id, benchmark FROM claims WHERE subject IS NOT NULL"
    )
    store.set_claim_context(
        [(*row, *catalog.metric_on(row[0], row[1], unit=row[2], kind=row[3])) for row in metrics.rows()],
        [(*row, catalog.subject_kind(row[0], model_id=row[1], benchmark=row[2])) for row in subjects.rows()],
    )
    return int(store.scalar("SELECT count(*) FROM claims"))
