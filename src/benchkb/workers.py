"""Extraction in worker processes: :func:`benchkb.annotate.extract_table` over batches, results in input
order.

Workers are forked with the extractor already built, so each starts at once, and return each batch's claims as
one Arrow table. They ignore Ctrl-C (the parent decides what stops, and no worker prints a traceback) and die
with their parent, even when it is killed outright.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import TypeVar

import pyarrow as pa

from benchkb.annotate import Annotator, extract_table, set_process_annotator
from benchkb.errors import ExtractionError, Interrupted
from benchkb.store import claims_table

Key = TypeVar("Key")
# The claims of a batch, and the reason of each failed paper by its row in the batch.
Result = tuple[pa.Table, dict[int, str]]
# A worker's spaCy vocabulary grows with every new word it meets; replacing workers after this many batches
# keeps memory flat however large the corpus.
WORKER_BATCHES = 60
_PR_SET_PDEATHSIG = 1
_POLL_SECONDS = 0.1


def _init_worker(parent: int) -> None:
    """Ctrl-C reaches every process of the terminal's group: workers leave it to the parent. Workers allocate
    millions of short-lived objects, none in a reference cycle, and the inherited extractor never becomes
    garbage, so the cyclic collector (several percent of a worker's time) is off; replacing workers every
    WORKER_BATCHES batches bounds what a cycle could ever hold."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(parent)
    gc.freeze()
    gc.disable()


def _die_with(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies, so no worker outlives a killed ingest."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def extract_batch(texts: pa.Table, budget: float | None) -> Result:
    """``extract_table`` with its failures returned rather than raised."""
    try:
        return extract_table(texts, budget=budget), {}
    except ExtractionError as error:
        return error.claims, error.failures


class WorkerPool:
    """Runs :func:`extract_batch` over batches in forked processes (or in this one when ``workers`` is 1),
    keeping a bounded number of batches in flight so that memory stays flat however long the input is. Without
    an annotator it only passes on jobs that have nothing to extract."""

    def __init__(self, annotator: Annotator | None, workers: int, *, budget: float | None = None) -> None:
        self.annotator = annotator
        self.workers = max(1, workers)
        self.budget = budget
        self._pool = None
        # For extract_table in this process, and in workers forked from it.
        self._before = set_process_annotator(annotator)
        if self.workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            self._pool = multiprocessing.get_context("fork").Pool(
                self.workers,
                initializer=_init_worker,
                initargs=(os.getpid(),),
                maxtasksperchild=WORKER_BATCHES,
            )

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
        set_process_annotator(self._before)

    def map(
        self,
        jobs: Iterable[tuple[Key, pa.Table | None]],
        on_done: Callable[[Key, Result], None],
        *,
        stop: threading.Event | None = None,
    ) -> None:
        """For each (key, texts), extract the claims of the texts and call ``on_done(key, (claims,
        failures))``, in input order; a job without texts is done at once. When ``stop`` is set, raise
        ``Interrupted`` within a fraction of a second, without waiting for batches in flight."""
        pending: deque = deque()
        for key, texts in jobs:
            _check(stop)
            if texts is None:
                pending.append((key, None))
            elif self._pool is None:
                pending.append((key, extract_batch(texts, self.budget)))
            else:
                pending.append((key, self._pool.apply_async(extract_batch, (texts, self.budget))))
            while len(pending) > 2 * self.workers or (pending and _ready(pending[0][1])):
                self._finish(pending.popleft(), on_done, stop)
        while pending:
            self._finish(pending.popleft(), on_done, stop)

    @staticmethod
    def _finish(job: tuple, on_done: Callable, stop: threading.Event | None) -> None:
        key, result = job
        if result is None:
            result = (claims_table([]), {})
        elif not isinstance(result, tuple):
            while not result.ready():
                _check(stop)
                result.wait(_POLL_SECONDS)
            result = result.get()
        on_done(key, result)


def _ready(result: object) -> bool:
    return result is None or isinstance(result, tuple) or result.ready()


def _check(stop: threading.Event | None) -> None:
    if stop is not None and stop.is_set():
        raise Interrupted("interrupted")


def default_workers(size_bytes: int) -> int:
    """Worker processes worth starting for an input of this size: forking pays off only for larger files."""
    return (os.cpu_count() or 1) if size_bytes > 2_000_000 else 1
