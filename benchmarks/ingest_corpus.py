"""Benchmark: ingest + extract + store over the whole corpus, then a second run, then quantulum3 on a sample.

    .venv/bin/python benchmarks/ingest_corpus.py [--db /tmp/corpus.duckdb] [--workers 2] [--sample 2000]

Prints abstracts/s end to end, peak RSS (this process and its workers), claims per abstract, the grounding
check over every stored claim (text == abstract[start:end]), the papers a second run stores (should be 0), and
the speed ratio against quantulum3 (a peer quantity extractor) measured in the same run on the same abstracts.
It prints figures; it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
from pathlib import Path

from benchkb.annotate import Annotator
from benchkb.ingest import IngestSettings, ingest_file
from benchkb.store import Store

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def ingest_all(db: Path, files: list[Path], workers: int | None) -> tuple[int, float]:
    annotator = Annotator()
    settings = IngestSettings(workers=workers)
    read = 0
    started = time.perf_counter()
    with Store(db) as store:
        store.replace_catalog(annotator.catalog.table_rows())
        for path in files:
            summary = ingest_file(store, path, settings, annotator)
            print(f"  {summary.line()}")
            read += summary.read
    return read, time.perf_counter() - started


def sample_abstracts(files: list[Path], size: int) -> list[str]:
    """The first ``size`` abstracts, taken evenly from each file."""
    found: list[str] = []
    per_file = -(-size // len(files))
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for taken, line in enumerate(handle):
                if taken == per_file:
                    break
                found.append(json.loads(line)["abstract"])
    return found[:size]


def per_abstract(extract, abstracts: list[str]) -> float:
    started = time.perf_counter()
    for text in abstracts:
        extract(text)
    return (time.perf_counter() - started) / len(abstracts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/benchkb-corpus.duckdb"))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--sample", type=int, default=2000, help="abstracts for the quantulum3 comparison (0: none)"
    )
    args = parser.parse_args()
    files = sorted(CORPUS.glob("*.jsonl.gz"))
    if not files:
        sys.exit(f"no corpus at {CORPUS}")
    args.db.unlink(missing_ok=True)
    print(f"first run into {args.db}:")
    read, seconds = ingest_all(args.db, files, args.workers)
    own, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(
        f"end to end: {read} abstracts in {seconds:.1f}s = {read / seconds:,.0f} abstracts/s; "
        f"peak RSS {peak_rss_mb():,.0f} MB; CPU: main process {own.ru_utime + own.ru_stime:.0f}s, "
        f"extraction workers {workers.ru_utime + workers.ru_stime:.0f}s"
    )
    with Store(args.db, read_only=True) as store:
        papers = store.scalar("SELECT count(*) FROM papers")
        claims = store.scalar("SELECT count(*) FROM claims")
        ungrounded = store.scalar(
            "SELECT count(*) FROM claims c JOIN papers p USING (paper_id) "
            'WHERE substr(p.abstract, c."start" + 1, c."end" - c."start") <> c.text'
        )
    print(
        f"stored {papers} papers, {claims} claims ({claims / papers:.1f} per abstract); "
        f"claims whose text is not abstract[start:end]: {ungrounded}"
    )
    print("second run:")
    again, seconds = ingest_all(args.db, files, args.workers)
    with Store(args.db, read_only=True) as store:
        print(
            f"second run read {again} records in {seconds:.1f}s; "
            f"papers now {store.scalar('SELECT count(*) FROM papers')}"
        )
    compare_with_quantulum(files, args.sample)


def compare_with_quantulum(files: list[Path], size: int) -> None:
    if size <= 0:
        return
    try:
        from quantulum3 import classifier
        from quantulum3 import parser as quantulum
    except ImportError:
        print("quantulum3 is not installed (pip install '.[bench]'): no peer comparison")
        return
    abstracts = sample_abstracts(files, size)
    extractor = Annotator().extractor
    ours = per_abstract(lambda text: extractor.extract("p", "", text), abstracts)
    try:
        theirs = per_abstract(quantulum.parse, abstracts)
        how = ""
    except Exception as error:  # its unit classifier is a pickle of an older scikit-learn
        print(f"quantulum3's unit classifier failed ({type(error).__name__}: {error}); timed without it")
        classifier.USE_CLF = False
        theirs = per_abstract(quantulum.parse, abstracts)
        how = " (without its unit classifier)"
    print(
        f"same {len(abstracts)} abstracts, one process: benchkb {1 / ours:,.0f} abstracts/s, "
        f"quantulum3{how} {1 / theirs:,.0f} abstracts/s, ratio {theirs / ours:.1f}x"
    )


if __name__ == "__main__":
    main()
