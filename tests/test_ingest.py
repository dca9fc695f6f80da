"""Ingest end to end: the seed page, every input format, bad input, idempotency, changed abstracts, export."""

from __future__ import annotations

import gzip
import json

import pytest

from benchkb.errors import InputError
from benchkb.ingest import IngestSettings, ingest_file
from benchkb.sources import ReadOptions
from benchkb.store import Store

from conftest import SEED_PAGE

FIXTURES = SEED_PAGE.parents[1] / "tests" / "fixtures" / "sources"
SETTINGS = IngestSettings(read=ReadOptions(year=2026), workers=1)


def test_seed_page_stores_64_papers_with_claims(tmp_path, annotator):
    with Store(tmp_path / "kb.duckdb") as store:
        summary = ingest_file(store, SEED_PAGE, SETTINGS, annotator)
        assert (summary.read, summary.stored, summary.rejected) == (64, 64, 0)
        assert store.scalar("SELECT count(*) FROM papers") == 64
        assert summary.claims == store.scalar("SELECT count(*) FROM claims") > 250
        row = store.query(
            "SELECT author_count, published FROM papers WHERE title LIKE 'FlashAttention-4%'"
        ).row(0)
        assert row[0] == 6 and str(row[1]) == "2026-03-05"


def test_reingesting_changes_nothing(tmp_path, annotator):
    with Store(tmp_path / "kb.duckdb") as store:
        ingest_file(store, SEED_PAGE, SETTINGS, annotator)
        before = store.query("SELECT * FROM claims ORDER BY claim_id")
        again = ingest_file(store, SEED_PAGE, SETTINGS, annotator)
        assert (again.stored, again.unchanged, again.claims) == (0, 64, 0)
        assert store.query("SELECT * FROM claims ORDER BY claim_id").equals(before)


def test_changed_abstract_replaces_text_and_claims(tmp_path, annotator):
    first = tmp_path / "v1.jsonl"
    second = tmp_path / "v2.jsonl"
    first.write_text(json.dumps({"id": "p1", "title": "T", "abstract": "It reaches 40% accuracy."}) + "\n")
    second.write_text(json.dumps({"id": "p1", "title": "T", "abstract": "It reaches 45.5% accuracy."}) + "\n")
    with Store(tmp_path / "kb.duckdb") as store:
        ingest_file(store, first, SETTINGS, annotator)
        summary = ingest_file(store, second, SETTINGS, annotator)
        assert summary.stored == 1
        assert store.query("SELECT text FROM claims").to_series().to_list() == ["45.5%"]
        assert store.scalar("SELECT abstract FROM papers") == "It reaches 45.5% accuracy."


@pytest.mark.parametrize(
    "name",
    ["hf-api.json", "arxiv-atom.xml", "arxiv-snapshot.jsonl", "papers.jsonl", "papers.csv", "hf-page.txt"],
)
def test_every_format_ingests(tmp_path, annotator, name):
    from benchkb.models import Paper
    from benchkb.sources import read_records

    records = list(read_records(FIXTURES / name, SETTINGS.read))
    papers = {r.paper_id for r in records if isinstance(r, Paper)}
    with Store(tmp_path / "kb.duckdb") as store:
        summary = ingest_file(store, FIXTURES / name, SETTINGS, annotator)
        assert summary.stored == len(papers) > 0
        assert summary.rejected == len(records) - sum(isinstance(r, Paper) for r in records)
        assert store.scalar("SELECT count(*) FROM papers") == len(papers)
        assert store.scalar("SELECT count(*) FROM rejects") == summary.rejected


def test_bad_records_are_kept_as_rejects_and_neighbours_survive(tmp_path, annotator):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "ok1", "title": "Good", "abstract": "We get 10% more."}),
                "{broken json",
                json.dumps({"id": "empty", "title": "No abstract", "abstract": "  "}),
                json.dumps({"id": "ok2", "title": "Good too", "abstract": "A 2x speedup."}),
            ]
        )
        + "\n"
    )
    with Store(tmp_path / "kb.duckdb") as store:
        summary = ingest_file(store, path, SETTINGS, annotator)
        assert (summary.stored, summary.rejected) == (2, 2)
        rejects = store.query("SELECT record, reason FROM rejects ORDER BY record").rows()
        assert [r[0] for r in rejects] == [2, 3]
        assert sorted(store.query("SELECT paper_id FROM papers").to_series()) == ["ok1", "ok2"]


def test_on_error_raise_names_file_and_record(tmp_path, annotator):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "a", "title": "A", "abstract": "x"}) + "\n{oops\n")
    with Store(tmp_path / "kb.duckdb") as store, pytest.raises(InputError, match=r"bad.jsonl, record 2"):
        ingest_file(store, path, SETTINGS.model_copy(update={"on_error": "raise"}), annotator)


def test_truncated_gzip_keeps_what_was_read(tmp_path, annotator):
    lines = "".join(
        json.dumps({"id": str(i), "title": f"T{i}", "abstract": f"It reaches {i}% accuracy."}) + "\n"
        for i in range(200)
    )
    whole = gzip.compress(lines.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    with Store(tmp_path / "kb.duckdb") as store:
        summary = ingest_file(store, path, SETTINGS, annotator)
        assert summary.rejected == 1 and summary.stored > 0
        assert "truncated" in store.scalar("SELECT reason FROM rejects")


def test_no_extract_then_extract_missing(tmp_path, annotator):
    from benchkb.ingest import reextract

    with Store(tmp_path / "kb.duckdb") as store:
        ingest_file(store, SEED_PAGE, SETTINGS.model_copy(update={"extract": False}), None)
        assert store.scalar("SELECT count(*) FROM claims") == 0
        written = reextract(store, annotator, only_unextracted=True)
        assert written == store.scalar("SELECT count(*) FROM claims") > 0
        assert store.count_papers(only_unextracted=True) == 0


def test_parallel_workers_give_the_same_claims(tmp_path, annotator):
    results = []
    for workers in (1, 2):
        with Store(tmp_path / f"kb{workers}.duckdb") as store:
            ingest_file(
                store,
                SEED_PAGE,
                SETTINGS.model_copy(update={"workers": workers, "batch_size": 10}),
                annotator,
            )
            results.append(store.query("SELECT * FROM claims ORDER BY claim_id"))
    assert results[0].equals(results[1])


def test_gathered_writes_store_what_batch_by_batch_writes_store(tmp_path, annotator):
    """New papers are written in larger transactions than they are extracted in; a paper repeated later in the
    file (its last version wins) is written after what was gathered, so both ways store the same."""
    records = [
        {"id": str(i % 30), "title": f"T{i}", "abstract": f"Model {i} reaches {i}% accuracy on GSM8K."}
        for i in range(45)
    ]  # ids 0-14 come twice
    path = tmp_path / "repeats.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    results = []
    for write_size in (1, 25, 10_000):
        with Store(tmp_path / f"kb{write_size}.duckdb") as store:
            summary = ingest_file(
                store,
                path,
                SETTINGS.model_copy(update={"batch_size": 10, "write_size": write_size}),
                annotator,
            )
            assert summary.stored == 45 and store.count_papers() == 30
            results.append(
                (
                    store.query("SELECT paper_id, title FROM papers ORDER BY paper_id"),
                    store.query("SELECT * EXCLUDE (claim_id) FROM claims ORDER BY claim_id"),
                )
            )
    assert results[0][0].filter(results[0][0]["paper_id"] == "3")["title"].to_list() == ["T33"]
    for papers, claims in results[1:]:
        assert papers.equals(results[0][0]) and claims.equals(results[0][1])


def test_every_stored_claim_is_grounded(tmp_path, annotator):
    with Store(tmp_path / "kb.duckdb") as store:
        ingest_file(store, SEED_PAGE, SETTINGS, annotator)
        bad = store.scalar(
            "SELECT count(*) FROM claims c JOIN papers p USING (paper_id) "
            'WHERE substr(p.abstract, c."start" + 1, c."end" - c."start") <> c.text'
        )
    assert bad == 0


def _mebibytes(setting: str) -> float:
    number, unit = setting.split()
    return float(number) * {"KiB": 2**-10, "MiB": 1, "GiB": 2**10, "TiB": 2**20}[unit]


def test_duckdb_memory_is_bounded_during_an_ingest(tmp_path, annotator):
    """DuckDB caches blocks up to its memory limit, by default 80% of the machine's memory, and holds the
    write-ahead log until it checkpoints, so without bounds the main process grew with the store (423 -> 911
    MB over 1,000,000 tiny records; 1.7 GB over a million abstracts). The figures over a million records are
    benchmarks/scale.py's; this checks the bounds are in force while the records are written."""
    with Store(tmp_path / "kb.duckdb") as store:
        ingest_file(store, SEED_PAGE, SETTINGS, annotator)
        assert _mebibytes(store.scalar("SELECT current_setting('memory_limit')")) <= 512
        assert _mebibytes(store.scalar("SELECT current_setting('checkpoint_threshold')")) <= 256
