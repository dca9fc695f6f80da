"""Ingest bookkeeping: every record counted once, repeated ids, failures of one record, runs kept current."""

from __future__ import annotations

import json

import pytest

from benchkb.batches import IngestRun
from benchkb.extract.pipeline import MAX_NUMBERS
from benchkb.ingest import IngestSettings, ingest_file
from benchkb.models import Paper
from benchkb.sources import ReadOptions
from benchkb.store import RunCounts, Store

SETTINGS = IngestSettings(read=ReadOptions(), workers=1)


def write_jsonl(path, records):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return path


def run_row(store):
    return store.query(
        "SELECT read, stored, unchanged, rejected, claims, finished_at IS NOT NULL AS finished "
        "FROM ingest_runs ORDER BY run_id DESC LIMIT 1"
    ).row(0, named=True)


@pytest.mark.parametrize("batch_size, write_size", [(1000, 10_000), (2, 3), (1, 1)])
def test_repeated_ids_are_unchanged_or_replacements_and_every_record_counts(
    tmp_path, annotator, batch_size, write_size
):
    path = write_jsonl(
        tmp_path / "repeats.jsonl",
        [
            {"id": "a", "title": "A", "abstract": "It reaches 40% accuracy."},
            {"id": "b", "title": "B", "abstract": "A 2x speedup."},
            {"id": "a", "title": "A", "abstract": "It reaches 40% accuracy."},  # the same again: unchanged
            "{broken",
            {"id": "a", "title": "A", "abstract": "It reaches 45.5% accuracy."},  # a new text: replaces
            {"id": "b", "title": "B", "abstract": "A 2x speedup."},
        ],
    )
    settings = SETTINGS.model_copy(update={"batch_size": batch_size, "write_size": write_size})
    with Store(tmp_path / "kb.duckdb") as store:
        summary = ingest_file(store, path, settings, annotator)
        assert (summary.read, summary.stored, summary.unchanged, summary.rejected) == (6, 3, 2, 1)
        assert run_row(store) == {
            "read": 6,
            "stored": 3,
            "unchanged": 2,
            "rejected": 1,
            "claims": summary.claims,
            "finished": True,
        }
        assert store.query("SELECT paper_id, text FROM claims ORDER BY paper_id").rows() == [
            ("a", "45.5%"),
            ("b", "2x"),
        ]
        again = ingest_file(store, path, settings, annotator)
        # Again, as one at a time: 40% replaces the stored 45.5%, its repeat is unchanged, 45.5% replaces it
        # back.
        assert (again.read, again.stored, again.unchanged, again.rejected) == (6, 2, 3, 1)
        assert store.scalar("SELECT text FROM claims WHERE paper_id = 'a'") == "45.5%"


def test_a_record_that_cannot_be_stored_is_rejected_alone(tmp_path):
    """Readers mend what they can (an out-of-range version goes to metadata); what still reaches the store and
    fails there, a paper or one of its claims, is found by halving the batch and rejected alone."""
    import pyarrow as pa

    from benchkb.models import Claim
    from benchkb.store import claims_table

    papers = [
        Paper(
            paper_id=f"p{i}",
            title=f"T{i}",
            abstract="It gets 10% more.",
            source_format="jsonl",
            record=i + 1,
            version=2**31 if i == 1 else None,
        )
        for i in range(4)
    ]
    claims = claims_table(
        [
            Claim(
                paper_id=f"p{i}",
                text="10%",
                start=8,
                end=11,
                value=10.0,
                unit="%",
                kind="change",
                rule="number+unit",
                sentence_start=0,
                sentence_end=17,
            )
            for i in (0, 2)
        ]
    )
    inf_claim = claims.slice(0, 1).to_pylist()[0] | {
        "claim_id": "p3#8-11",
        "paper_id": "p3",
        "value": float("inf"),
    }
    claims = pa.concat_tables([claims, pa.Table.from_pylist([inf_claim], schema=claims.schema)])
    with Store(tmp_path / "kb.duckdb") as store:
        run = IngestRun(store, RunCounts(store.start_run("f.jsonl", "jsonl")), file="f.jsonl", extracted=True)
        for batch in run.batches(iter(papers)):
            batch.claims = claims
            run.add(batch)
        run.flush()
        assert sorted(store.query("SELECT paper_id FROM papers").to_series()) == ["p0", "p2"]
        assert store.query("SELECT paper_id FROM claims ORDER BY paper_id").to_series().to_list() == [
            "p0",
            "p2",
        ]
        rejects = store.query("SELECT file, record, reason FROM rejects ORDER BY record").rows()
        assert [(file, record) for file, record, _ in rejects] == [("f.jsonl", 2), ("f.jsonl", 4)]
        assert all(reason.startswith("cannot be stored: ") for _, _, reason in rejects)
        assert "not a finite number" in rejects[1][2]
        assert run_row(store) == {
            "read": 4,
            "stored": 2,
            "unchanged": 0,
            "rejected": 2,
            "claims": 2,
            "finished": False,
        }


def test_a_record_whose_extraction_fails_is_rejected_alone(tmp_path, fragile):
    annotator = fragile(RecursionError("maximum recursion depth exceeded"))
    path = write_jsonl(
        tmp_path / "boom.jsonl",
        [
            {"id": "a", "title": "A", "abstract": "It reaches 40% accuracy."},
            {"id": "b", "title": "B", "abstract": "BOOM: 7% of it."},
            {"id": "c", "title": "C", "abstract": "A 2x speedup."},
        ],
    )
    with Store(tmp_path / "kb.duckdb") as store:
        summary = ingest_file(store, path, SETTINGS, annotator)
        assert (summary.stored, summary.rejected) == (2, 1)
        assert store.query("SELECT record, reason FROM rejects").row(0) == (
            2,
            "extraction failed: RecursionError: maximum recursion depth exceeded",
        )
        assert sorted(store.query("SELECT paper_id FROM papers").to_series()) == ["a", "c"]


def test_the_record_budget_rejects_a_record_with_its_reason(tmp_path, annotator):
    path = write_jsonl(
        tmp_path / "slow.jsonl",
        [
            {"id": "a", "title": "A", "abstract": "No number at all."},
            {"id": "b", "title": "B", "abstract": "It gets 10% more. Then 20% more."},
        ],
    )
    with Store(tmp_path / "kb.duckdb") as store:
        summary = ingest_file(store, path, SETTINGS.model_copy(update={"record_budget": -1.0}), annotator)
        assert (summary.stored, summary.rejected) == (1, 1)
        record, reason = store.query("SELECT record, reason FROM rejects").row(0)
        assert record == 2 and "ran past its time budget" in reason


def test_a_record_of_thousands_of_numbers_is_rejected_with_its_reason(tmp_path, annotator):
    path = write_jsonl(
        tmp_path / "dump.jsonl",
        [
            {"id": "a", "title": "A", "abstract": "It gets 10% more."},
            {"id": "b", "title": "B", "abstract": "5% " * 33_000},
        ],
    )
    with Store(tmp_path / "kb.duckdb") as store:
        summary = ingest_file(store, path, SETTINGS, annotator)
        assert (summary.stored, summary.rejected, summary.claims) == (1, 1, 1)
        record, reason = store.query("SELECT record, reason FROM rejects").row(0)
        assert record == 2 and reason.startswith(f"more than {MAX_NUMBERS} numbers in one abstract")


def test_the_run_row_follows_each_commit(tmp_path):
    """A run's row is written with each batch, so a run that never finishes still says what it committed."""
    papers = [
        Paper(paper_id=f"p{i}", title=f"T{i}", abstract="x", source_format="jsonl", record=i + 1)
        for i in range(5)
    ]
    with Store(tmp_path / "kb.duckdb") as store:
        counts = RunCounts(store.start_run("f.jsonl", "jsonl"))
        run = IngestRun(store, counts, file="f.jsonl", extracted=False, batch_size=2, write_size=2)
        batches = run.batches(iter(papers))
        run.add(next(batches))
        assert run_row(store) == {
            "read": 2,
            "stored": 2,
            "unchanged": 0,
            "rejected": 0,
            "claims": 0,
            "finished": False,
        }
        assert store.count_papers() == 2


@pytest.mark.parametrize("compressed", [False, True])
def test_progress_counts_the_bytes_read_of_the_file_also_through_gzip(tmp_path, annotator, compressed):
    import base64
    import gzip
    import random

    noise = random.Random(7)  # text gzip cannot shrink much: the file spans several chunks of reading
    lines = "".join(
        json.dumps(
            {"id": str(i), "title": f"T{i}", "abstract": base64.b64encode(noise.randbytes(400)).decode()}
        )
        + "\n"
        for i in range(3000)
    ).encode()
    path = tmp_path / ("papers.jsonl.gz" if compressed else "papers.jsonl")
    path.write_bytes(gzip.compress(lines) if compressed else lines)
    seen = []
    with Store(tmp_path / "kb.duckdb") as store:
        settings = SETTINGS.model_copy(update={"extract": False, "batch_size": 100, "write_size": 500})
        ingest_file(store, path, settings, None, lambda records, read: seen.append((records, read)))
    assert seen[-1] == (3000, path.stat().st_size)  # compressed bytes for gzip: what the total is measured in
    assert [read for _, read in seen] == sorted(read for _, read in seen) and seen[0][1] < path.stat().st_size


def test_reextraction_keeps_the_claims_of_a_paper_whose_extraction_fails(tmp_path, fragile):
    from benchkb.ingest import reextract

    annotator = fragile()
    path = write_jsonl(
        tmp_path / "two.jsonl",
        [
            {"id": "a", "title": "A", "abstract": "It gets 10% more."},
            {"id": "b", "title": "B", "abstract": "A 2x speedup."},
        ],
    )
    with Store(tmp_path / "kb.duckdb") as store:
        ingest_file(store, path, SETTINGS, annotator)
        store.con.execute("UPDATE papers SET abstract = 'BOOM: ' || abstract WHERE paper_id = 'b'")
        reextract(store, annotator)
        assert store.query("SELECT paper_id, text FROM claims ORDER BY paper_id").rows() == [
            ("a", "10%"),
            ("b", "2x"),
        ]


def test_a_gzip_bomb_of_repeated_records_counts_every_record(tmp_path, annotator):
    """Issue 14's 2 GB gzip bomb (the same few records over and over) reported '1,490,000 read, 6 stored,
    1,484 unchanged': repeats inside one batch were counted as neither. A small one: 3 records 2,000 times
    each, 6,000 lines in about 1 KB of gzip."""
    import gzip

    records = [
        {"id": f"r{i}", "title": f"R{i}", "abstract": f"It reaches {40 + i}% accuracy."} for i in range(3)
    ]
    lines = "".join(json.dumps(r) + "\n" for r in records) * 2000
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(lines.encode()))
    assert path.stat().st_size < 2000
    with Store(tmp_path / "kb.duckdb") as store:
        summary = ingest_file(store, path, SETTINGS, annotator)
        assert (summary.read, summary.stored, summary.unchanged, summary.rejected) == (6000, 3, 5997, 0)
        assert run_row(store)["read"] == 6000 and store.count_papers() == 3
