"""Ctrl-C and kill -9 during a real `benchkb ingest`: a quick stop with one line, no worker left behind, a
consistent database (each paper with all its claims or none), and a re-run that ends where a clean run
ends."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEED_PAGE

from benchkb.annotate import extract_table, texts_table
from benchkb.ingest import IngestSettings, ingest_file
from benchkb.models import Paper
from benchkb.sources import ReadOptions, read_records
from benchkb.store import Store

COPIES = 25  # of the 64 seed abstracts: 1,600 records, 16 batches of 100
# The command line, with batches of 100 records, a commit after every batch (not every 2 s) and a line on
# stderr after each, so that the test knows when the run is under way.
HARNESS = """
import sys
import benchkb.batches as batches
import benchkb.ingest as ingest
batches.COMMIT_SECONDS = 0
commit = batches.IngestRun._commit
def reporting(self, *args, **kwargs):
    commit(self, *args, **kwargs)
    print("committed", self.counts.read, file=sys.stderr, flush=True)
batches.IngestRun._commit = reporting
ingest_file = ingest.ingest_file
def small_batches(store, path, settings, *args, **kwargs):
    return ingest_file(store, path, settings.model_copy(update={"batch_size": 100}), *args, **kwargs)
ingest.ingest_file = small_batches  # the command imports it when it runs
from benchkb.cli import main
main()
"""
COMPARED = (
    "text",
    "start",
    "end",
    "value",
    "value_max",
    "unit",
    "kind",
    "metric",
    "benchmark",
    "subject",
    "baseline",
    "direction",
    "qualifier",
    "conditions",
    "rule",
    "benchmark_id",
    "metric_id",
    "subject_id",
    "hardware_id",
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, annotator):
    """A JSON Lines file of the seed abstracts under new ids, and the claims a clean extraction gives each
    text."""
    seed = [r for r in read_records(SEED_PAGE, ReadOptions(year=2026)) if isinstance(r, Paper)]
    path = tmp_path_factory.mktemp("interrupt") / "papers.jsonl"
    with path.open("w") as out:
        for copy in range(COPIES):
            for number, paper in enumerate(seed):
                out.write(
                    json.dumps({"id": f"r{copy}-{number}", "title": paper.title, "abstract": paper.abstract})
                    + "\n"
                )
    claims = extract_table(texts_table(seed), annotator=annotator, budget=None).to_pylist()
    expected = {paper.title: [] for paper in seed}
    by_id = {paper.paper_id: paper.title for paper in seed}
    for row in claims:
        expected[by_id[row["paper_id"]]].append({name: row[name] for name in COMPARED})
    return path, expected, len(seed) * COPIES


def start(path: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", HARNESS, "ingest", str(path), "--db", str(db), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_a_commit(process: subprocess.Popen) -> int:
    while line := process.stderr.readline():
        if line.startswith("committed"):
            return int(line.split()[1])
    pytest.fail(f"the ingest ended before its first commit: {process.communicate()}")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid):
            found.append(int(entry.name))
    return found


def gone(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] in {"Z", "X"}
    except OSError:
        return True


def check_consistent(db: Path, expected: dict[str, list[dict]]) -> tuple[int, dict]:
    """Every stored paper has exactly the claims a clean extraction gives its text; returns the paper count
    and the last run's row."""
    with Store(db, read_only=True) as store:
        titles = dict(store.query("SELECT paper_id, title FROM papers").iter_rows())
        stored: dict[str, list[dict]] = {paper_id: [] for paper_id in titles}
        columns = ", ".join(f'"{name}"' for name in COMPARED)
        for row in store.query(
            f'SELECT paper_id, {columns} FROM claims ORDER BY paper_id, "start"'
        ).iter_rows(named=True):
            stored.setdefault(row.pop("paper_id"), []).append(row)
        run = store.query(
            "SELECT read, stored, unchanged, rejected, finished_at FROM ingest_runs "
            "ORDER BY run_id DESC LIMIT 1"
        ).row(0, named=True)
    assert set(stored) == set(titles), "claims without their paper"
    wrong = [paper_id for paper_id, claims in stored.items() if claims != expected[titles[paper_id]]]
    assert not wrong, f"papers without all their claims: {wrong[:5]}"
    assert run["read"] == run["stored"] + run["unchanged"] + run["rejected"]
    return len(titles), run


def rerun_completes(path: Path, db: Path, expected: dict, total: int, annotator) -> None:
    """The same ingest again (in this process, to spare a second start-up) stores what is missing."""
    with Store(db) as store:
        summary = ingest_file(store, path, IngestSettings(workers=1), annotator)
    assert summary.read == total and summary.unchanged > 0 and summary.rejected == 0
    papers, run = check_consistent(db, expected)
    assert papers == total and run["finished_at"] is not None


def signal_during_a_run(
    path: Path, db: Path, signum: int
) -> tuple[subprocess.Popen, list[int], str, str, float]:
    """Start an ingest, send ``signum`` after its first commit and wait for the end; the process, its workers
    (as they were), stdout, stderr and how long it took to end after the signal."""
    process = start(path, db)
    wait_for_a_commit(process)
    workers = children(process.pid)
    process.send_signal(signum)
    sent = time.monotonic()
    out, err = process.communicate(timeout=60)
    return process, workers, out, err, time.monotonic() - sent


@pytest.mark.slow
def test_ctrl_c_stops_quickly_with_one_line_and_the_same_command_continues(tmp_path, corpus, annotator):
    path, expected, total = corpus
    db = tmp_path / "kb.duckdb"
    process, workers, out, err, took = signal_during_a_run(path, db, signal.SIGINT)
    lines = [line for line in err.splitlines() if not line.startswith("committed")]
    assert process.returncode == 130 and out == ""
    assert len(lines) == 1, err
    committed = int(lines[0].split()[2])
    assert lines[0] == f"interrupted after {committed} records; run the same command to continue"
    assert 0 < committed < total
    assert took < 15, f"took {took:.1f}s to stop"
    assert workers and all(gone(pid) for pid in workers)
    papers, run = check_consistent(db, expected)
    assert papers == run["read"] == committed and run["finished_at"] is None
    rerun_completes(path, db, expected, total, annotator)


@pytest.mark.slow
def test_kill_9_leaves_a_consistent_database_and_no_workers(tmp_path, corpus, annotator):
    path, expected, total = corpus
    db = tmp_path / "kb.duckdb"
    process, workers, _, _, _ = signal_during_a_run(path, db, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 10
    while not all(gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers and all(gone(pid) for pid in workers), "workers outlived their parent"
    papers, run = check_consistent(db, expected)
    assert 0 < papers < total and run["stored"] == papers and run["finished_at"] is None
    rerun_completes(path, db, expected, total, annotator)
