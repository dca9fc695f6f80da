"""Benchmark: hostile input end to end. Fuzzed text through extraction, mutated files of every format through
ingest, and the reader's memory over a million records and over one huge line.

    .venv/bin/python benchmarks/robustness.py [--inputs 100000] [--files 300] [--records 1000000] [--seed 14]
                                              [--timeout 60] [--only extraction,pathological,ingest,memory]
                                              [--formats jsonl,csv,...] [--keep DIR]

Prints crashes, distinct tracebacks, valid neighbours lost (records a mutation did not touch that were not
stored, against the clean file's papers), invariant violations (grounding, read = stored + unchanged +
rejected, no inf or nan), the slowest inputs, and RSS at checkpoints. It asserts nothing: the machine it runs
on may be shared.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import multiprocessing
import random
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from robustness_files import FORMATS, build_file, mutate  # noqa: E402

from benchkb.errors import BenchkbError, ExtractionError  # noqa: E402
from benchkb.models import Paper  # noqa: E402
from benchkb.sources import ReadOptions, read_records  # noqa: E402

SEED_PAGE = Path(__file__).resolve().parents[1] / "examples" / "hf-daily-papers.txt"
PIECES = [
    "0",
    "1",
    "12",
    "3.5",
    "1,234",
    "-",
    "+",
    "±",
    "%",
    "\\%",
    "x",
    "×",
    "times",
    "-fold",
    "$\\times$",
    "$",
    "K",
    "M",
    "billion",
    " ",
    "\n",
    ".",
    ",",
    "(",
    ")",
    "[",
    "]",
    "/",
    "~",
    "–",
    "up to",
    "over",
    "than",
    "by",
    "on",
    "SWE-bench",
    "GPT-4o",
    "pass@1",
    "our method",
    "It",
    "respectively",
    "and",
    "e.g.",
    "vs.",
    "accuracy",
    "speedup",
    "reduces",
    "TFLOPs/s",
    "two",
    "half",
    "twice",
    "\\textbf{",
    "}",
    "é",
    "\u00a0",
    "B200",
    "BF16",
]
# Code points drawn for random text: most of unicode, with the troublesome ranges drawn on purpose.
RANGES = [(0x20, 0x7E)] * 6 + [
    (0x0, 0x1F),
    (0x7F, 0x9F),
    (0xA0, 0x2FFF),
    (0xD800, 0xDFFF),
    (0xE000, 0xFFFF),
    (0x10000, 0x10FFFF),
    (0x30, 0x39),
    (0x30, 0x39),
]
RICH = (
    "Our proposed system SysNet{i} reaches {i}.5% accuracy on the challenging Bench{i} dataset and the "
    "ZorbQA{i} benchmark, beating GPT-4o and Claude-3. "
)
PATHOLOGICAL = {
    "'5% ' * 4000": "5% " * 4000,
    "'5% ' * 33000": "5% " * 33_000,
    "'5%. ' * 25000 (sentences)": "5%. " * 25_000,
    "'GPT-4 reaches 5% on MMLU. ' * 3800": "GPT-4 reaches 5% on MMLU. " * 3_800,
    "'It is 1.3x over SysN, ' * 4000": "It is " + ", ".join(f"{i}.3x over Sys{i}" for i in range(4000)) + ".",
    "'5% ' * 1000": "5% " * 1000,
    "100,000 spaces": " " * 100_000,
    "100,000 spaces then 5%": " " * 100_000 + "5%",
    "'5% ' then 100,000 spaces": "5% " + " " * 99_000 + " 3x faster",
    "100,000 digits": "9" * 100_000,
    "99,999 digits and %": "9" * 99_999 + "%",
    "'1.5x ' * 4000": "1.5x " * 4000,
    "'GPT-4 reaches 5% ' * 1000": "GPT-4 reaches 5% " * 1000,
    "'( ' * 40000 then 5%": "( " * 40_000 + "5%",
    "'$' * 50000 then 5%": "$" * 50_000 + "5%",
    "'1,' * 40000": "1," * 40_000,
    "'up to ' * 10000 then 5%": "up to " * 10_000 + "5%",
    "one 100,000-letter word then 5%": "x" * 100_000 + " 5%",
    "10,000 surrogates then 5%": "\ud800" * 10_000 + " 5%",
    # The most work an accepted record can ask: MAX_NUMBERS numbers in sentences as rich as an abstract's.
    "300 rich sentences (the most accepted)": "".join(RICH.format(i=i) for i in range(300)),
    "678 rich sentences (100 KB)": "".join(RICH.format(i=i) for i in range(678)),
}


def rss_mb() -> float:
    """Resident memory of this process now."""
    with open("/proc/self/statm", encoding="ascii") as stream:
        return int(stream.read().split()[1]) * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- extraction
# -------------------------------------------------------------------------------------------------


def random_text(rng: random.Random, seed_abstracts: list[str]) -> tuple[str, str]:
    kind = rng.choices(["unicode", "pieces", "mixed", "abstract"], weights=[40, 35, 20, 5])[0]
    if kind == "unicode":
        return kind, "".join(chr(rng.randint(*rng.choice(RANGES))) for _ in range(rng.randint(0, 200)))
    if kind == "pieces":
        return kind, "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 60)))
    if kind == "mixed":
        parts = [
            rng.choice(PIECES) if rng.random() < 0.7 else chr(rng.randint(*rng.choice(RANGES)))
            for _ in range(rng.randint(0, 80))
        ]
        return kind, "".join(parts)
    text = " ".join(rng.sample(seed_abstracts, rng.randint(1, 8)))
    cuts = sorted(rng.sample(range(len(text) + 1), min(6, len(text) + 1)))
    inserted = [rng.choice(PIECES + ["\ud800", "\x1b[31m", "9" * 400, "\x00"]) for _ in cuts]
    pieces, last = [], 0
    for cut, insert in zip(cuts, inserted):
        pieces += [text[last:cut], insert]
        last = cut
    return kind, "".join(pieces) + text[last:]


def check_claims(text: str, annotator) -> list[str]:
    """Extract ``text`` the way ingest does and list the invariants it breaks."""
    problems = []
    try:
        text.encode("utf-8")
        rows = annotator.table([("p", "T", text)]).to_pylist()
    except UnicodeEncodeError:  # lone surrogates: mended before storing; the models path must still not raise
        rows = [
            claim.model_dump()
            for claim in annotator.claims(Paper(paper_id="p", title="T", abstract=text, source_format="fuzz"))
        ]
    for row in rows:
        if text[row["start"] : row["end"]] != row["text"]:
            problems.append(f"ungrounded {row['text']!r} at {row['start']}-{row['end']}")
        for name in ("value", "value_max", "uncertainty"):
            if row[name] is not None and not math.isfinite(row[name]):
                problems.append(f"{name} {row[name]} in {row['text'][:40]!r}")
    return problems


def fuzz_extraction(annotator, count: int, rng: random.Random) -> None:
    seed_abstracts = [
        p.abstract for p in read_records(SEED_PAGE, ReadOptions(year=2026)) if isinstance(p, Paper)
    ]
    check_claims("We reach 45.5% on MMLU, 2.1x faster than GPT-4o.", annotator)  # first use: not an input's
    crashes, refused, violations, kinds = 0, 0, 0, Counter()
    tracebacks: Counter[str] = Counter()
    slowest: list[tuple[float, str, str]] = []
    started = time.perf_counter()
    for number in range(1, count + 1):
        kind, text = random_text(rng, seed_abstracts)
        kinds[kind] += 1
        begun = time.process_time()
        try:
            problems = check_claims(text, annotator)
        except BenchkbError:  # refused with its reason (thousands of numbers), as ingest rejects the record
            refused += 1
            problems = []
        except Exception as error:  # noqa: BLE001 - counting every crash is the point
            crashes += 1
            frame = traceback.extract_tb(error.__traceback__)[-1]
            tracebacks[f"{type(error).__name__} at {Path(frame.filename).name}:{frame.lineno}"] += 1
            problems = []
        violations += len(problems)
        slowest = sorted(slowest + [(time.process_time() - begun, kind, text)], reverse=True)[:3]
        if number % 20_000 == 0:
            print(f"  {number:,} inputs, {time.perf_counter() - started:.0f}s", flush=True)
    seconds = time.perf_counter() - started
    print(
        f"extraction: {count:,} fuzzed inputs ({', '.join(f'{n:,} {k}' for k, n in kinds.items())}) "
        f"in {seconds:.0f}s"
    )
    print(
        f"  crashes {crashes}, distinct tracebacks {len(tracebacks)}, refused {refused}, "
        f"invariant violations {violations}"
    )
    for where, times in tracebacks.most_common(5):
        print(f"    {times} x {where}")
    for taken, kind, text in slowest:
        print(f"  slow: {taken:.3f}s CPU on a {len(text):,}-character {kind} input: {text[:60]!r}")


def _timed_extraction(annotator, text: str, pipe) -> None:
    begun = time.process_time()
    try:
        problems = check_claims(text, annotator)
        pipe.send((time.process_time() - begun, None, len(problems)))
    except BenchkbError as error:  # refused with its reason, as ingest rejects such a record
        reason = error.failures[0] if isinstance(error, ExtractionError) else str(error)
        pipe.send((time.process_time() - begun, f"refused: {reason}"[:120], 0))
    except Exception as error:  # noqa: BLE001
        pipe.send((time.process_time() - begun, f"crashed: {type(error).__name__}: {error}"[:120], 0))


def pathological(annotator, timeout: float) -> None:
    """Each input in a forked child, so one that runs away costs ``timeout`` seconds, not the run. Times are
    the child's CPU seconds (wall time swings with the load of a shared machine); the annotator is used once
    before forking, so that no child pays its first use."""
    print(f"pathological inputs (each in its own process, stopped after {timeout:.0f}s; CPU seconds):")
    check_claims("We reach 45.5% on MMLU, 2.1x faster than GPT-4o.", annotator)
    context = multiprocessing.get_context("fork")
    for name, text in PATHOLOGICAL.items():
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_timed_extraction, args=(annotator, text, send))
        child.start()
        if receive.poll(timeout):
            taken, error, problems = receive.recv()
            outcome = (
                f"{taken:.2f}s"
                + (f", {error}" if error else "")
                + (f", {problems} invariant violations" if problems else "")
            )
        else:
            outcome = f"over {timeout:.0f}s (stopped)"
            child.terminate()
        child.join()
        print(f"  {name} ({len(text.encode('utf-8', 'surrogatepass')) / 1024:.0f} KB): {outcome}", flush=True)


# --- ingest of mutated files
# ------------------------------------------------------------------------------------


def ingest_mutated(
    annotator,
    per_format: int,
    rng: random.Random,
    directory: Path,
    keep: Path | None,
    formats: tuple[str, ...] = FORMATS,
) -> None:
    from benchkb.ingest import IngestSettings, ingest_file
    from benchkb.store import Store

    papers = [p for p in read_records(SEED_PAGE, ReadOptions(year=2026)) if isinstance(p, Paper)]
    with Store(
        directory / "warm-up.duckdb"
    ) as store:  # the first ingest pays one-time costs: not a file's time
        ingest_file(store, SEED_PAGE, IngestSettings(workers=1, read=ReadOptions(year=2026)), annotator)
    totals: Counter[str] = Counter()
    slowest = (0.0, "")
    tracebacks: Counter[str] = Counter()
    violations: Counter[str] = Counter()
    examples: list[str] = []
    print(f"ingest: {per_format} mutated files of each of {len(formats)} formats")
    for fmt in formats:
        counts: Counter[str] = Counter()
        for number in range(per_format):
            chosen = rng.sample(papers, rng.randint(8, 20))
            clean = build_file(fmt, chosen, f"{fmt}-{number}", rng)
            mutated = mutate(clean, rng)
            path = directory / f"{fmt}-{number}{mutated.suffix}"
            path.write_bytes(
                gzip.compress(mutated.content) if mutated.suffix.endswith(".gz") else mutated.content
            )
            expected = clean.ids_untouched(mutated)
            db = directory / f"{fmt}-{number}.duckdb"
            begun = time.perf_counter()
            broken = Counter()
            try:
                with Store(db) as store:
                    settings = IngestSettings(workers=1, read=ReadOptions(format=fmt, year=2026))
                    summary = ingest_file(store, path, settings, annotator)
                    counts["ingested"] += 1
                    broken = invariant_violations(store, summary)
                    counts["violations"] += sum(broken.values())
                    violations.update(broken)
                    stored = set(store.query("SELECT paper_id FROM papers")["paper_id"])
            except BenchkbError:  # a file-level problem, reported in one line
                counts["file errors"] += 1
                stored = set()
            except Exception as error:  # noqa: BLE001
                counts["crashes"] += 1
                frame = traceback.extract_tb(error.__traceback__)[-1]
                tracebacks[
                    f"{fmt}: {type(error).__name__} at {Path(frame.filename).name}:{frame.lineno}"
                ] += 1
                stored = set()
            taken = time.perf_counter() - begun
            if taken > slowest[0]:
                slowest = (taken, f"{path.name} ({mutated.kind}, {len(mutated.content) / 1024:.0f} KB)")
            if expected is not None:
                counts["neighbours"] += len(expected)
                counts["neighbours lost"] += len(expected - stored)
                counts[f"lost after {mutated.kind}"] += len(expected - stored)
                if expected - stored and len(examples) < 12:
                    examples.append(f"{path.name} ({mutated.kind}): lost {len(expected - stored)}")
            if broken:
                repeated = repeated_ids(path, fmt)
                violations["... of them in a file that repeats paper ids"] += bool(repeated) * sum(
                    broken.values()
                )
                if len(examples) < 12:
                    examples.append(
                        f"{path.name} ({mutated.kind}, {repeated} repeated ids): {dict(broken)}: "
                        f"{summary.line().split(': ', 1)[1]}"
                    )
            counts[mutated.kind] += 1
            if keep is None or not (broken or (expected and expected - stored)):
                cleanup = (path, db, db.with_name(db.name + ".wal"))
            else:
                cleanup = (db, db.with_name(db.name + ".wal"))
                keep.mkdir(exist_ok=True)
                path.replace(keep / path.name)
            for leftover in cleanup:
                leftover.unlink(missing_ok=True)
        totals.update(counts)
        lost_by = ", ".join(
            f"{kind} {counts[f'lost after {kind}']}" for kind in ("flips", "truncation", "inserted")
        )
        print(
            f"  {fmt}: {counts['ingested']} ingested, {counts['file errors']} file-level errors (one line), "
            f"{counts['crashes']} crashes; valid neighbours lost {counts['neighbours lost']} of "
            f"{counts['neighbours']} ({lost_by}); invariant violations {counts['violations']}",
            flush=True,
        )
    print(
        f"  all formats: crashes {totals['crashes']}, tracebacks {sum(tracebacks.values())}, valid "
        f"neighbours lost {totals['neighbours lost']} of {totals['neighbours']}, invariant violations "
        f"{totals['violations']}"
    )
    for where, times in tracebacks.most_common(5):
        print(f"    {times} x {where}")
    for what, times in violations.most_common():
        print(f"    {times} x {what}")
    for example in examples:
        print(f"    e.g. {example}")
    print(f"  slowest file: {slowest[0]:.2f}s, {slowest[1]}")


def repeated_ids(path: Path, fmt: str) -> int:
    ids = [r.paper_id for r in read_records(path, ReadOptions(format=fmt, year=2026)) if isinstance(r, Paper)]
    return len(ids) - len(set(ids))


def invariant_violations(store, summary) -> Counter[str]:
    broken: Counter[str] = Counter()
    if summary.read != summary.stored + summary.unchanged + summary.rejected:
        broken["read != stored + unchanged + rejected"] += 1
    broken["ungrounded claims"] += store.scalar(
        "SELECT count(*) FROM claims c JOIN papers p USING (paper_id) "
        'WHERE substr(p.abstract, c."start" + 1, c."end" - c."start") IS DISTINCT FROM c.text'
    )
    broken["inf or nan"] += store.scalar(
        "SELECT count(*) FROM claims WHERE NOT isfinite(value) OR NOT isfinite(coalesce(value_max, 0)) "
        "OR NOT isfinite(coalesce(uncertainty, 0))"
    )
    return +broken


# --- memory
# -----------------------------------------------------------------------------------------------------


def memory(records: int, directory: Path) -> None:
    """Run in a fresh process (see main), so that its peak is the reader's alone."""
    path = directory / "million.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for number in range(records):
            stream.write(
                json.dumps(
                    {
                        "id": f"m{number}",
                        "title": f"Record {number}",
                        "abstract": f"We gain {number % 97}.5% on MMLU over the baseline.",
                    }
                )
                + "\n"
            )
    print(f"memory: reading {records:,} records ({path.stat().st_size / 2**20:.0f} MB of JSON Lines)")
    checkpoints = {records * k // 10 for k in range(1, 11)}
    start = rss_mb()
    count = 0
    for _ in read_records(path, ReadOptions()):
        count += 1
        if count in checkpoints:
            print(f"  {count:>9,} records: RSS {rss_mb():.0f} MB (peak {peak_rss_mb():.0f} MB)", flush=True)
    print(f"  RSS grew {rss_mb() - start:+.0f} MB over the read")
    path.unlink()

    huge = directory / "huge-line.jsonl"
    with huge.open("w", encoding="utf-8") as stream:
        stream.write('{"title": "Before", "abstract": "5% better."}\n{"title": "Huge", "abstract": "')
        block = "y" * 2**20
        for _ in range(1024):
            stream.write(block)
        stream.write('"}\n{"title": "After", "abstract": "2x faster."}\n')
    before = rss_mb()
    outcome = [
        r.title if isinstance(r, Paper) else f"rejected: {r.reason}"
        for r in read_records(huge, ReadOptions())
    ]
    print(
        f"  a 1 GiB line between two records: {outcome}; RSS {before:.0f} -> {rss_mb():.0f} MB, "
        f"peak {peak_rss_mb():.0f} MB"
    )
    huge.unlink()


# --- main
# -------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--only", default="extraction,pathological,ingest,memory")
    parser.add_argument("--formats", default=",".join(FORMATS), help="Formats for the ingest phase.")
    parser.add_argument(
        "--keep", type=Path, help="Keep the mutated files that lost neighbours or broke an invariant."
    )
    parser.add_argument("--memory-phase", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    phases = set(args.only.split(","))
    with tempfile.TemporaryDirectory(prefix="benchkb-robustness-") as scratch:
        directory = Path(scratch)
        if args.memory_phase:
            memory(args.records, directory)
            return
        started = time.perf_counter()
        if "memory" in phases:  # first, in its own process: the reader's memory alone
            subprocess.run(
                [sys.executable, __file__, "--memory-phase", "--records", str(args.records)], check=False
            )
        if phases & {"extraction", "pathological", "ingest"}:
            from benchkb.annotate import Annotator

            annotator = Annotator()
            rng = random.Random(args.seed)
            if "extraction" in phases:
                fuzz_extraction(annotator, args.inputs, rng)
            if "pathological" in phases:
                pathological(annotator, args.timeout)
            if "ingest" in phases:
                ingest_mutated(
                    annotator, args.files, rng, directory, args.keep, tuple(args.formats.split(","))
                )
        print(
            f"done in {time.perf_counter() - started:.0f}s; peak RSS of this process {peak_rss_mb():.0f} MB"
        )


if __name__ == "__main__":
    main()
