"""From papers to storable claims: extract, then resolve against the catalog, in worker processes when there is
enough work to share.

Workers are forked with the extractor already built, so each starts at once; they return each batch's claims as one
Arrow table in the claims table's shape, which costs far less to send back, and to store, than models or row dicts.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import pyarrow as pa

from benchkb.catalog import Catalog
from benchkb.extract.pipeline import Extractor
from benchkb.models import Claim, Paper, claim_id
from benchkb.store import claims_table

Item = TypeVar("Item")
Text = tuple[str, str, str]  # paper_id, title, abstract: what extraction reads, and cheap to send to a worker


class Annotator:
    """Extractor + catalog. Building one compiles the rules and gazetteers (about a second)."""

    def __init__(self, catalog: Catalog | None = None, extractor: Extractor | None = None) -> None:
        self.catalog = catalog or Catalog.load()
        gazetteer = {kind.upper(): surfaces for kind, surfaces in self.catalog.gazetteer().items()}
        self.extractor = extractor or Extractor(gazetteer=gazetteer)

    def claims(self, paper: Paper) -> list[Claim]:
        found = self.extractor.extract(paper.paper_id, paper.title, paper.abstract)
        return self.catalog.resolve_claims(found)

    def table(self, texts: Iterable[Text]) -> pa.Table:
        """The resolved claims of (paper_id, title, abstract) texts as a claims-table batch, without the copies
        ``claims`` makes."""
        rows = []
        for paper_id, title, abstract in texts:
            for row in self.extractor.claim_fields(paper_id, title, abstract):
                row["claim_id"] = claim_id(paper_id, row["start"], row["end"])
                row.update(self.catalog.resolution(row))
                rows.append(row)
        return claims_table(rows)


# The annotator a forked worker inherits from its parent; set while a WorkerPool is open.
_WORKER_ANNOTATOR: Annotator | None = None
# A worker's spaCy vocabulary grows with every new word it meets; replacing workers after this many batches keeps
# memory flat however large the corpus.
WORKER_BATCHES = 60


def _init_worker() -> None:
    """Workers allocate millions of short-lived objects, none of which form reference cycles (the claims path
    makes none: a worker's memory is the same with the collector off), and the inherited extractor never becomes
    garbage. So the cyclic collector, whose walks cost several percent of a worker's time, is switched off;
    replacing workers every WORKER_BATCHES batches bounds what a cycle could ever hold."""
    gc.freeze()
    gc.disable()


def _worker_table(texts: list[Text]) -> pa.Table:
    assert _WORKER_ANNOTATOR is not None  # noqa: S101 - set by WorkerPool before forking
    return _WORKER_ANNOTATOR.table(texts)


class WorkerPool:
    """Runs ``Annotator.table`` over batches in forked processes, keeping a bounded number of batches in flight so
    that memory stays flat however long the input is. Results come back in submission order."""

    def __init__(self, annotator: Annotator, workers: int) -> None:
        global _WORKER_ANNOTATOR
        self.annotator = annotator
        self.workers = max(1, workers)
        self._pool = None
        if self.workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            # Set for the pool's lifetime: replacement workers are forked from this process too.
            _WORKER_ANNOTATOR = annotator
            self._pool = multiprocessing.get_context("fork").Pool(
                self.workers, initializer=_init_worker, maxtasksperchild=WORKER_BATCHES)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        global _WORKER_ANNOTATOR
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            _WORKER_ANNOTATOR = None

    def map(self, batches: Iterable[tuple[Item, list[Paper]]], on_done: Callable[[Item, pa.Table], None]) -> None:
        """For each (key, papers), extract their claims and call ``on_done(key, claims)``, in input order."""
        if self._pool is None:
            for key, papers in batches:
                on_done(key, self.annotator.table(_texts(papers)))
            return
        pending: deque = deque()
        for key, papers in batches:
            pending.append((key, self._pool.apply_async(_worker_table, (_texts(papers),))))
            while len(pending) > 2 * self.workers:
                done_key, result = pending.popleft()
                on_done(done_key, result.get())
        while pending:
            done_key, result = pending.popleft()
            on_done(done_key, result.get())


def _texts(papers: list[Paper]) -> list[Text]:
    return [(paper.paper_id, paper.title, paper.abstract) for paper in papers]


def default_workers(size_bytes: int) -> int:
    """Worker processes worth starting for an input of this size: forking pays off only for larger files."""
    return (os.cpu_count() or 1) if size_bytes > 2_000_000 else 1


def chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
