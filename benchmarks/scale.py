"""Benchmark: a million abstracts through the local path (ingest) and through Ray (extract-many, then load).

    .venv/bin/python benchmarks/scale.py [--abstracts 1000000] [--workers 2] [--dir /tmp/benchkb-scale]
                                         [--skip-local] [--skip-ray] [--machines 10,50,100] [--cores 16]

The corpus (../shared/corpus) is repeated under new ids into JSON Lines shards of 100,000 abstracts, written
as a stream (never held in memory). Prints, for each path, abstracts/s end to end and the resident memory
(RSS) of the whole process tree (this process, its workers or Ray's processes) when 100k, 300k and 1M
abstracts are done, with the main process's own RSS for the local path; then a projection, labelled as one, of
what a cluster would take for 100 million abstracts at the measured rate per core. It prints figures; it
asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from benchkb.annotate import Annotator
from benchkb.catalog import Catalog
from benchkb.ingest import IngestSettings, ingest_file
from benchkb.load import load_directory
from benchkb.many import ManySettings, extract_many
from benchkb.sources import plan_inputs
from benchkb.store import Store

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
CHECKPOINTS = (100_000, 300_000, 1_000_000)
TARGET = 100_000_000


def corpus_lines() -> Iterator[tuple[str, bytes]]:
    for path in sorted(CORPUS.glob("*.jsonl.gz")):
        with gzip.open(path, "rb") as stream:
            for line in stream:
                start = line.index(b'"id": "') + 7
                end = line.index(b'"', start)
                yield line[start:end].decode(), line


def write_shards(directory: Path, total: int, shard_size: int) -> list[Path]:
    """The corpus again and again, each pass under new ids (``<pass>~<id>``), line by line into shards of
    ``shard_size`` abstracts."""
    directory.mkdir(parents=True, exist_ok=True)
    shards: list[Path] = []
    out = None
    lines = ((copy, paper_id, line) for copy in itertools.count() for paper_id, line in corpus_lines())
    for number, (copy, paper_id, line) in enumerate(itertools.islice(lines, total)):
        if number % shard_size == 0:
            if out is not None:
                out.close()
            shards.append(directory / f"shard-{len(shards):03d}.jsonl")
            out = shards[-1].open("wb")
        line = line.replace(f'"id": "{paper_id}"'.encode(), f'"id": "{copy}~{paper_id}"'.encode(), 1)
        out.write(
            line.replace(b'"arxiv": "', b'"arxiv_of_original": "', 1)
        )  # else the arXiv id names the paper
    if out is not None:
        out.close()
    return shards


class TreeMemory:
    """Samples the memory of this process and all its descendants every half second; remembers the peak."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.peak = max(self.peak, tree_rss())


def tree_rss() -> int:
    """The proportional set size (PSS) of this process and its descendants: resident memory, with pages shared
    between processes (forked workers, Ray's object store) counted once in all, not once in each."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = {os.getpid()}, [os.getpid()]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(_pss(pid) for pid in tree)


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def own_rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class Checkpoints:
    """RSS when the count of abstracts done passes each checkpoint."""

    def __init__(self, with_own: bool) -> None:
        self.done = 0
        self.seen: list[str] = []
        self.with_own = with_own

    def advance(self, count: int) -> None:
        before, self.done = self.done, self.done + count
        for mark in CHECKPOINTS:
            if before < mark <= self.done:
                own = f", main process {own_rss() / 2**20:,.0f} MB" if self.with_own else ""
                self.seen.append(f"{mark:>9,}: tree {tree_rss() / 2**20:,.0f} MB (PSS){own}")


def run_local(shards: list[Path], workdir: Path, workers: int) -> float:
    db = workdir / "local.duckdb"
    for leftover in (db, db.with_name(db.name + ".wal")):
        leftover.unlink(missing_ok=True)
    marks = Checkpoints(with_own=True)
    annotator = Annotator()
    settings = IngestSettings(workers=workers)
    started = time.perf_counter()
    with TreeMemory() as memory, Store(db) as store:
        store.replace_catalog(annotator.catalog.table_rows())
        for path in shards:
            read = 0

            def progress(records: int, _bytes: int) -> None:
                nonlocal read
                marks.advance(records - read)
                read = records

            ingest_file(store, path, settings, annotator, progress)
    seconds = time.perf_counter() - started
    rate = marks.done / seconds
    print(
        f"local (ingest, {workers} worker processes): {marks.done:,} abstracts in {seconds:,.0f}s = "
        f"{rate:,.0f} abstracts/s end to end; peak PSS of the process tree "
        f"{memory.peak / 2**20:,.0f} MB"
    )
    for line in marks.seen:
        print(f"  RSS at {line}")
    return rate


def run_ray(shards: list[Path], workdir: Path, workers: int) -> tuple[float, float]:
    out = workdir / "ray-out"
    shutil.rmtree(out, ignore_errors=True)
    marks = Checkpoints(with_own=False)
    settings = ManySettings(engine="ray", workers=workers)
    started = time.perf_counter()
    with TreeMemory() as memory:
        summary = extract_many(plan_inputs(shards).files, out, settings, progress=marks.advance)
    seconds = time.perf_counter() - started
    rate = summary.papers / seconds
    print(
        f"ray (extract-many, {workers} actors, Ray started here): {summary.papers:,} abstracts in "
        f"{seconds:,.0f}s = {rate:,.0f} abstracts/s to Parquet, Ray's start-up included; peak PSS of the "
        f"process tree (Ray's processes included) {memory.peak / 2**20:,.0f} MB"
    )
    for line in marks.seen:
        print(f"  RSS at {line}")
    db = workdir / "loaded.duckdb"
    for leftover in (db, db.with_name(db.name + ".wal")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    with TreeMemory() as memory, Store(db) as store:
        store.replace_catalog(Catalog.load().table_rows())
        loaded = load_directory(store, out)
    load_seconds = time.perf_counter() - started
    load_rate = loaded.stored / load_seconds
    print(
        f"load of that output (one process, validated and grounded): {loaded.stored:,} papers, "
        f"{loaded.claims:,} claims in {load_seconds:,.0f}s = {load_rate:,.0f} papers/s; "
        f"peak PSS {memory.peak / 2**20:,.0f} MB"
    )
    print(
        f"ray end to end (extract-many + load): {summary.papers / (seconds + load_seconds):,.0f} abstracts/s"
    )
    return rate, load_rate


def project(rate: float, cores_used: int, load_rate: float | None, machines: list[int], cores: int) -> None:
    per_core = rate / cores_used
    print(
        f"\nPROJECTION (not measured): {TARGET:,} abstracts at the measured {per_core:,.0f} abstracts/s "
        f"per core, assuming extraction scales linearly with cores and Ray's overhead per batch stays as "
        "measured here:"
    )
    for count in machines:
        hours = TARGET / (per_core * cores * count) / 3600
        print(f"  {count:>4} machines x {cores} cores: {hours:6.2f} h of extraction")
    if load_rate:
        print(
            f"  + loading into one DuckDB file at the measured {load_rate:,.0f} papers/s: "
            f"{TARGET / load_rate / 3600:.1f} h (one writer; or query the Parquet where it is, "
            "without loading)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--abstracts", type=int, default=1_000_000)
    parser.add_argument("--shard-size", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/benchkb-scale"))
    parser.add_argument("--skip-local", action="store_true")
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--machines", default="1,10,50,100")
    parser.add_argument("--cores", type=int, default=16, help="cores per machine in the projection")
    args = parser.parse_args()
    if not any(CORPUS.glob("*.jsonl.gz")):
        sys.exit(f"no corpus at {CORPUS}")
    started = time.perf_counter()
    shards = write_shards(args.dir / "shards", args.abstracts, args.shard_size)
    print(
        f"{args.abstracts:,} abstracts (the corpus repeated under new ids) in {len(shards)} shards, "
        f"written in {time.perf_counter() - started:,.0f}s; {os.cpu_count()} cores here"
    )
    rate = load_rate = None
    if not args.skip_local:
        rate = run_local(shards, args.dir, args.workers)
    if not args.skip_ray:
        rate, load_rate = run_ray(shards, args.dir, args.workers)
    if rate:
        project(rate, args.workers, load_rate, [int(n) for n in args.machines.split(",")], args.cores)


if __name__ == "__main__":
    main()
