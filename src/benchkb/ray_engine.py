"""extract-many on Ray Data (the optional extra: ``pip install 'benchkb[ray]'``).

The inputs become a dataset of file names; a task per file reads it with benchkb's readers into blocks of
``batch_size`` papers (tasks that reserve no CPU: reading costs a few percent of extracting); a pool of
actors, one CPU each, builds the extractor once per actor and maps :func:`benchkb.annotate.extract_table` over
the blocks, writing each block's papers, claims and rejects as Parquet. The driver only sums what each block
wrote.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa

from benchkb.annotate import process_annotator
from benchkb.errors import BenchkbError, Interrupted
from benchkb.interchange import finish_batch, read_shard
from benchkb.many import TEXT_COLUMNS, Inputs, ManySettings
from benchkb.sources import ReadOptions
from benchkb.workers import extract_batch

try:
    import ray
except ImportError:  # the extra is not installed
    ray = None


def read_files(files: pa.Table, *, out: str, read: ReadOptions, batch_size: int) -> Iterator[pa.Table]:
    """A Ray Data task: the papers of each input file named in ``files``."""
    for path, fmt in zip(files.column("path").to_pylist(), files.column("format").to_pylist(), strict=True):
        yield from read_shard(Path(path), read.model_copy(update={"format": fmt}), Path(out), batch_size)


class ClaimWriter:
    """A Ray Data actor: extracts each batch of papers with the extractor it built once, and writes the
    batch."""

    def __init__(self, out: str, budget: float | None) -> None:
        self.out = Path(out)
        self.budget = budget
        process_annotator()  # built now, once per actor, not on the first batch

    def __call__(self, papers: pa.Table) -> pa.Table:
        written = finish_batch(self.out, papers, *extract_batch(papers.select(TEXT_COLUMNS), self.budget))
        return pa.table({name: [count] for name, count in written.items()})


def run_on_ray(
    inputs: Inputs,
    out: Path,
    settings: ManySettings,
    *,
    progress: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    if ray is None:
        raise BenchkbError("the Ray engine needs Ray Data: pip install 'benchkb[ray]'")
    log = Path(tempfile.gettempdir()) / f"benchkb-ray-{os.getpid()}.log"
    with _notices_to(log):
        try:
            _run(inputs, out, settings, progress=progress, stop=stop)
        except ray.exceptions.RayError as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise BenchkbError(f"Ray failed: {first} (Ray's notices: {log})") from error
    log.unlink(missing_ok=True)


def _run(
    inputs: Inputs,
    out: Path,
    settings: ManySettings,
    *,
    progress: Callable[[int], None] | None,
    stop: threading.Event | None,
) -> None:
    started_here = not ray.is_initialized()
    if started_here:
        _start(settings)
    try:
        context = ray.data.DataContext.get_current()
        _quiet()
        context.enable_progress_bars = False
        actors = settings.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        files = ray.data.from_items(
            [{"path": str(path), "format": fmt} for path, fmt in inputs],
            override_num_blocks=max(1, len(inputs)),
        )
        papers = files.map_batches(
            read_files,
            batch_size=1,
            batch_format="pyarrow",
            num_cpus=0,
            fn_kwargs={"out": str(out), "read": settings.read, "batch_size": settings.batch_size},
        )
        written = papers.map_batches(
            ClaimWriter,
            batch_size=settings.batch_size,
            batch_format="pyarrow",
            num_cpus=1,
            compute=ray.data.ActorPoolStrategy(size=actors),
            fn_constructor_kwargs={"out": str(out), "budget": settings.record_budget},
        )
        for counts in written.iter_batches(batch_size=None, batch_format="pyarrow"):
            if stop is not None and stop.is_set():
                raise Interrupted("interrupted")
            if progress is not None:
                progress(
                    sum(counts.column("papers").to_pylist()) + sum(counts.column("rejected").to_pylist())
                )
    finally:
        if started_here:
            ray.shutdown()


@contextmanager
def _notices_to(log: Path) -> Iterator[None]:
    """Ray's C++ core and its processes write notices straight to file descriptor 2: they go to ``log``, while
    Python's ``sys.stderr`` (benchkb's messages, the progress bar) stays where it was."""
    sys.stderr.flush()
    terminal = os.dup(2)
    python_stderr = sys.stderr
    sys.stderr = os.fdopen(os.dup(terminal), "w", buffering=1, encoding="utf-8", errors="replace")
    with log.open("ab") as target:
        os.dup2(target.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        sys.stderr.close()
        sys.stderr = python_stderr
        os.dup2(terminal, 2)
        os.close(terminal)


def _quiet() -> None:
    """Ray's and Ray Data's own logs go to the session directory (/tmp/ray/session_latest/logs), not the
    terminal: set after ``ray.data`` has configured its loggers."""
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _start(settings: ManySettings) -> None:
    """Join the cluster at ``settings.address``, or start Ray here with a CPU per worker."""
    options = (
        {"address": settings.address}
        if settings.address
        else {"num_cpus": settings.workers or os.cpu_count()}
    )
    ray.init(
        **options,
        include_dashboard=False,
        log_to_driver=False,
        logging_level=logging.ERROR,
        configure_logging=True,
    )
