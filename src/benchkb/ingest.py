"""Ingest: read records, keep what is new or changed, extract and resolve its claims, store them.

Re-ingesting the same input changes nothing (papers whose text is unchanged are skipped before extraction); a
changed abstract replaces the old text and its claims in one transaction. Bad records become rejects, kept with
their reason, unless ``on_error="raise"``.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict

from benchkb.annotate import Annotator, WorkerPool, chunks, default_workers
from benchkb.catalog import SURFACE_KINDS, Catalog
from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.paper_identity import merge_same_papers
from benchkb.sources import ReadOptions, detect_format, read_records
from benchkb.store import Store, claims_table, text_sha

Progress = Callable[[int], None]


class IngestSettings(BaseModel):
    """How files are read and what happens to their records."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    read: ReadOptions = ReadOptions()
    extract: bool = True
    on_error: Literal["raise", "skip"] = "skip"
    batch_size: int = 1000  # papers per extraction batch
    write_size: int = 10_000  # new papers per transaction: each commit has a fixed cost in DuckDB
    workers: int | None = None  # None: as many as cores for large files, else one


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
        return (f"{self.file}: {self.read} records read, {self.stored} papers stored, {self.unchanged} unchanged, "
                f"{self.rejected} rejected, {self.claims} claims{merged} ({self.seconds:.1f}s)")


def ingest_file(store: Store, path: Path, settings: IngestSettings, annotator: Annotator | None,
                progress: Progress | None = None) -> FileSummary:
    """Ingest one file. ``annotator`` may be None when ``settings.extract`` is false."""
    started = time.perf_counter()
    fmt = settings.read.format or detect_format(path)
    records = read_records(path, settings.read.model_copy(update={"format": fmt}))
    summary = FileSummary(file=str(path), format=fmt)
    run_id = store.start_run(str(path), fmt)
    store.defer_checkpoints()
    workers = settings.workers or default_workers(path.stat().st_size)
    writer = _Writer(store, settings, summary)
    try:
        with _cyclic_gc_paused(), _pool(settings, annotator, workers) as pool:
            batches = _new_or_changed(store, records, settings, summary, run_id, progress)
            try:
                pool.map(batches, writer.add)
            finally:
                writer.flush()  # what was read before an error is stored, as if written batch by batch
        summary.merged = merge_same_papers(store)  # a venue's record of an arXiv paper is that paper
    finally:
        summary.seconds = time.perf_counter() - started
        store.finish_run(run_id, read=summary.read, stored=summary.stored, unchanged=summary.unchanged,
                         rejected=summary.rejected, claims=summary.claims)
    return summary


def _pool(settings: IngestSettings, annotator: Annotator | None, workers: int) -> WorkerPool | _NoPool:
    return WorkerPool(annotator, workers) if settings.extract and annotator else _NoPool()


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Reading allocates a dict and a model per record, none in a reference cycle; the collector's passes over the
    heap cost about a second of the main process per 100,000 records. It runs again when the file is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _new_or_changed(store: Store, records: Iterator[Paper | Reject], settings: IngestSettings,
                    summary: FileSummary, run_id: int, progress: Progress | None) -> Iterator[tuple[_Batch, list[Paper]]]:
    """Batches of (papers to store, papers to extract): rejects recorded, unchanged papers dropped."""
    seen: set[str] = set()  # ids sent on in this run: a repeat may still be in flight, so it is not new
    # Into a store that held no papers when the file began, only what this run sent on can be stored: batches
    # of unseen ids need no look-up (the first ingest of a large file skips one query per batch).
    was_empty = store.count_papers() == 0
    for batch in chunks(records, settings.batch_size):
        summary.read += len(batch)
        rejects = [r for r in batch if isinstance(r, Reject)]
        if rejects:
            if settings.on_error == "raise":
                raise InputError(rejects[0].reason, file=rejects[0].file, record=rejects[0].record)
            store.add_rejects(run_id, rejects)
            summary.rejected += len(rejects)
        latest = {p.paper_id: p for p in batch if isinstance(p, Paper)}  # a paper listed twice: the last wins
        unseen = seen.isdisjoint(latest)
        stored = {} if was_empty and unseen else store.stored_shas(list(latest.values()))
        shas = {pid: text_sha(p) for pid, p in latest.items()}
        todo = [p for p in latest.values() if stored.get(p.paper_id) != shas[p.paper_id]]
        summary.unchanged += len(latest) - len(todo)
        if progress is not None:
            progress(len(batch))
        if todo:
            new = not stored and unseen
            seen.update(latest)
            yield _Batch(todo, new=new, shas=[shas[p.paper_id] for p in todo]), (todo if settings.extract else [])


@dataclass
class _Batch:
    papers: list[Paper]
    new: bool  # none of the papers was stored before this batch was read
    shas: list[str]


class _Writer:
    """Stores extracted batches, gathering batches of new papers into larger transactions. A batch that may
    replace stored papers (or repeat one still gathered) is written on its own, after what was gathered."""

    def __init__(self, store: Store, settings: IngestSettings, summary: FileSummary) -> None:
        self.store = store
        self.settings = settings
        self.summary = summary
        self.gathered: list[tuple[_Batch, pa.Table | list]] = []
        self.gathered_papers = 0

    def add(self, batch: _Batch, claims: pa.Table | list) -> None:
        if not batch.new:
            self.flush()
            self._write([(batch, claims)], new=False)
            return
        self.gathered.append((batch, claims))
        self.gathered_papers += len(batch.papers)
        if self.gathered_papers >= self.settings.write_size:
            self.flush()

    def flush(self) -> None:
        gathered, self.gathered, self.gathered_papers = self.gathered, [], 0
        if gathered:
            self._write(gathered, new=True)

    def _write(self, batches: list[tuple[_Batch, pa.Table | list]], *, new: bool) -> None:
        papers = [paper for batch, _ in batches for paper in batch.papers]
        shas = [sha for batch, _ in batches for sha in batch.shas]
        tables = [claims_table(claims) for _, claims in batches]
        claims = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
        self.summary.claims += self.store.write(papers, claims, extracted=self.settings.extract, new=new, shas=shas)
        self.summary.stored += len(papers)


class _NoPool:
    """Stands in for WorkerPool when nothing is extracted."""

    def __enter__(self) -> _NoPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def map(self, batches, on_done) -> None:
        for key, _ in batches:
            on_done(key, [])


def reextract(store: Store, annotator: Annotator, *, only_unextracted: bool = False, batch_size: int = 1000,
              workers: int = 1, progress: Progress | None = None) -> int:
    """Extract the claims of stored papers again (after the extractor changed). Returns claims written."""
    written = 0

    def done(papers: list[Paper], claims: pa.Table) -> None:
        nonlocal written
        written += store.replace_claims([p.paper_id for p in papers], claims)
        if progress is not None:
            progress(len(papers))

    batches = ((papers, papers) for papers in store.iter_papers(batch_size=batch_size, only_unextracted=only_unextracted))
    with WorkerPool(annotator, workers) as pool:
        pool.map(batches, done)
    return written


def resolve_stored(store: Store, catalog: Catalog) -> int:
    """Resolve the stored claims' surfaces against ``catalog`` again, without re-extracting: each distinct surface
    is resolved once. Returns the number of claims."""
    mappings = {}
    for column, kind in SURFACE_KINDS.items():
        surfaces = store.query(f"SELECT DISTINCT {column} AS surface FROM claims WHERE {column} IS NOT NULL")
        mappings[column] = [(s, catalog.resolve_id(kind, s)) for s in surfaces["surface"].to_list()]
    conditions = store.query("SELECT DISTINCT conditions FROM claims WHERE len(conditions) > 0")["conditions"].to_list()
    hardware = [(c, *catalog.hardware_and_precision(c)) for c in conditions]
    store.set_resolution(mappings, hardware)
    metrics = store.query("SELECT DISTINCT benchmark_id, metric, unit, kind FROM claims WHERE benchmark_id IS NOT NULL")
    subjects = store.query("SELECT DISTINCT subject, subject_id, benchmark FROM claims WHERE subject IS NOT NULL")
    store.set_claim_context(
        [(*row, *catalog.metric_on(row[0], row[1], unit=row[2], kind=row[3])) for row in metrics.rows()],
        [(*row, catalog.subject_kind(row[0], model_id=row[1], benchmark=row[2])) for row in subjects.rows()])
    return int(store.scalar("SELECT count(*) FROM claims"))
