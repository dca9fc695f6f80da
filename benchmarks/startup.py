"""Start-up time of the commands a person types most: the median wall time of several runs of each.

    .venv/bin/python benchmarks/startup.py [--db benchkb-demo/benchkb.duckdb] [--runs 7] [--imports]

Each command runs as its own process (the installed ``benchkb`` next to this Python), so the figure is what a
person waits for: interpreter start, imports, the query and the output. Needs a knowledge base (``make demo``
writes one). A benchmark script: it prints figures and asserts nothing about time. Figures drift on a shared
machine; run it twice.

benchkb's bytecode is written first, as a person's first run writes it: where PYTHONDONTWRITEBYTECODE is set
(as in some containers) every run would otherwise compile benchkb's sources again, about 40 ms that a person
never waits for twice.

``--imports`` adds, per command, what its imports cost by top-level package (``python -X importtime``, the
modules' own times summed, the median over the runs): what is left to make lazy, and what is the libraries'.
"""

from __future__ import annotations

import argparse
import collections
import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 0.4  # issue 15: sql, papers, show, --help and --version


def commands(db: Path) -> dict[str, list[str]]:
    return {
        "--help": ["--help"],
        "--version": ["--version"],
        "sql": ["sql", "SELECT count(*) AS claims FROM results", "--db", str(db)],
        "papers": ["papers", "--benchmark", "SWE-bench", "--db", str(db)],
        "show": ["show", "FlashAttention-4", "--db", str(db)],
    }


def timed(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system: less sensitive to other people's load) and the exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def import_costs(argv: list[str], runs: int) -> dict[str, float]:
    """Seconds of import per top-level package (its modules' own times, -X importtime), median of runs."""
    found: list[collections.Counter[str]] = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "benchkb", *argv], capture_output=True, text=True
        )
        totals: collections.Counter[str] = collections.Counter()
        for line in done.stderr.splitlines():
            fields = line.removeprefix("import time:").split("|")  # own us | cumulative us | module
            if line.startswith("import time:") and fields[0].strip().isdigit():
                totals[fields[2].strip().split(".")[0]] += int(fields[0]) / 1e6
        found.append(totals)
    packages = set().union(*found)
    return {name: statistics.median(run[name] for run in found) for name in packages}


def print_import_costs(argv: list[str], runs: int, *, shown: int = 8) -> None:
    costs = sorted(import_costs(argv, runs).items(), key=lambda item: -item[1])
    top = ", ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in costs[:shown])
    rest = sum(seconds for _, seconds in costs[shown:])
    total = sum(seconds for _, seconds in costs)
    print(f"             imports {total:.3f} s: {top}, {len(costs) - shown} others {rest * 1000:.0f} (ms)")


def write_bytecode() -> None:
    import benchkb  # the package the ``benchkb`` script beside this Python runs

    compileall.compile_dir(Path(benchkb.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("benchkb-demo/benchkb.duckdb"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--imports", action="store_true", help="also the cost of each command's imports")
    args = parser.parse_args()
    if not args.db.exists():
        parser.error(f"no knowledge base at {args.db}: run `make demo` first, or pass --db")
    benchkb = str(Path(sys.executable).with_name("benchkb"))
    write_bytecode()
    print(f"median of {args.runs} runs each (after one warm-up run); target {TARGET_SECONDS} s wall")
    for name, argv in commands(args.db).items():
        timed([benchkb, *argv])  # warm the file cache
        runs = [timed([benchkb, *argv]) for _ in range(args.runs)]
        wall = [w for w, _, _ in runs]
        cpu = [c for _, c, _ in runs]
        codes = sorted({code for _, _, code in runs})
        status = "" if codes == [0] else f"  (exit code {', '.join(map(str, codes))})"
        print(
            f"  {name:<10} wall {statistics.median(wall):.3f} s (min {min(wall):.3f}, max {max(wall):.3f})"
            f"   cpu {statistics.median(cpu):.3f} s (min {min(cpu):.3f}){status}"
        )
        if args.imports:
            print_import_costs(argv, args.runs)
    print(f"load average over the last minute: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
