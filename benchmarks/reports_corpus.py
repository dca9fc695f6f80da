"""Time the reports over a corpus knowledge base: seconds and size per report, then a whole `report all` run.

    .venv/bin/python benchmarks/reports_corpus.py /tmp/corpus.duckdb [--out DIR] [--format html|png|svg]

The knowledge base is opened read-only. A benchmark script: it prints figures and asserts nothing about time
(the issue's goal is `benchkb report all` on the corpus in under a minute).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchkb.kb import KB
from benchkb.reporting import FORMATS, available_reports, run_reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--out", type=Path, help="where the reports go (default: a temporary directory)")
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default="html")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="benchkb-reports-"))

    with KB(args.db) as kb:
        claims = kb.sql("SELECT count(*) AS n FROM claims")["n"][0]
        papers = kb.sql("SELECT count(*) AS n FROM papers")["n"][0]
        print(f"{args.db}: {papers} papers, {claims} claims; reports in {out}")
        for name in available_reports():
            began = time.perf_counter()
            outcome = run_reports(kb, out / "one-by-one", names=[name], fmt=args.fmt)[0]
            seconds = time.perf_counter() - began
            if outcome.path is None:
                print(f"  {name:<12} {seconds:6.2f}s  not drawn: {outcome.message}")
            else:
                size = outcome.path.stat().st_size / 1e6
                print(f"  {name:<12} {seconds:6.2f}s  {size:6.2f} MB  {outcome.title}")
        began = time.perf_counter()
        outcomes = run_reports(kb, out, fmt=args.fmt)
        seconds = time.perf_counter() - began
    drawn = sum(outcome.path is not None for outcome in outcomes)
    print(f"report all: {drawn} of {len(outcomes)} reports drawn in {seconds:.2f}s ({out / 'index.html'})")


if __name__ == "__main__":
    main()
