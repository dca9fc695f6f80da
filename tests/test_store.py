"""The DuckDB store: schema, transactional writes, idempotency, read-only access."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from benchkb.errors import QueryError, StoreError
from benchkb.models import Claim, Paper, Review
from benchkb.store import SCHEMA_VERSION, Store

SCHEMA_1 = Path(__file__).parent / "fixtures" / "schema-1.sql"


def paper(pid: str, abstract: str = "Our method reaches 91.5% accuracy.") -> Paper:
    return Paper(paper_id=pid, title=f"Paper {pid}", abstract=abstract, source_format="test")


def claim(pid: str, start: int = 19, end: int = 24, text: str = "91.5%", kind: str = "score") -> Claim:
    return Claim(
        paper_id=pid,
        text=text,
        start=start,
        end=end,
        value=91.5,
        unit="%",
        kind=kind,
        metric="accuracy",
        rule="number+unit",
        sentence_start=0,
        sentence_end=34,
    )


def test_schema_and_views_exist(tmp_path):
    with Store(tmp_path / "kb.duckdb") as store:
        tables = set(store.query("SELECT table_name FROM information_schema.tables")["table_name"])
    assert {
        "papers",
        "claims",
        "benchmarks",
        "ingest_runs",
        "rejects",
        "schema_version",
        "findings",
        "results",
        "leaderboard",
        "speedups",
    } <= tables


def test_write_then_rewrite_replaces_claims(tmp_path):
    with Store(tmp_path / "kb.duckdb") as store:
        assert store.write([paper("a")], [claim("a")], extracted=True) == 1
        store.write([paper("a")], [claim("a"), claim("a", 0, 3, "Our", "setup")], extracted=True)
        assert store.scalar("SELECT count(*) FROM claims WHERE paper_id = 'a'") == 2
        assert store.scalar("SELECT count(*) FROM papers") == 1


def test_paper_and_claims_land_together_or_not_at_all(tmp_path):
    with Store(tmp_path / "kb.duckdb") as store:
        store.write([paper("a")], [claim("a")], extracted=True)
        broken = claim("b").model_dump() | {"claim_id": "b#19-24", "kind": None}  # violates NOT NULL
        with pytest.raises(StoreError):
            store.write([paper("b"), paper("a", "changed text")], [broken], extracted=True)
        assert store.scalar("SELECT count(*) FROM papers WHERE paper_id = 'b'") == 0
        assert store.scalar("SELECT abstract FROM papers WHERE paper_id = 'a'") == paper("a").abstract
        assert store.scalar("SELECT count(*) FROM claims WHERE paper_id = 'a'") == 1


def test_read_only_refuses_writes_and_missing_file(tmp_path):
    path = tmp_path / "kb.duckdb"
    with pytest.raises(StoreError, match="no knowledge base"):
        Store(path, read_only=True)
    Store(path).close()
    with Store(path, read_only=True) as store:
        with pytest.raises(QueryError):
            store.query("CREATE TABLE x (a INT)")


def test_unwritable_location_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "missing" / "kb.duckdb")


def test_results_view_grounding(tmp_path):
    with Store(tmp_path / "kb.duckdb") as store:
        store.write([paper("a")], [claim("a")], extracted=True)
        row = store.query("SELECT text, sentence FROM results").row(0, named=True)
    assert row["text"] == "91.5%"
    assert row["sentence"] == "Our method reaches 91.5% accuracy."


def test_schema_version_mismatch_is_refused(tmp_path):
    path = tmp_path / "kb.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE schema_version SET version = 999")
    con.close()
    with pytest.raises(StoreError, match="schema version 999"):
        Store(path)


def test_a_knowledge_base_of_schema_1_is_upgraded_to_the_current_one(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))  # written by a benchkb of schema 1: its tables and its views over them
    con.execute(SCHEMA_1.read_text(encoding="utf-8"))
    con.execute("INSERT INTO schema_version (version) VALUES (1)")
    con.execute(
        "INSERT INTO papers (paper_id, title, abstract, abstract_sha, published, venue, "
        "source_format, extracted) VALUES ('a', 'Paper a', 'Our method reaches 91.5% accuracy.', "
        "'sha-a', '2019-01-01', 'icml', 'test', true)"
    )
    new_in_2 = {"metric_inferred", "subject_kind"}
    row = {"claim_id": "a#19-24"} | claim("a").model_dump(exclude=new_in_2)
    columns = ", ".join(f'"{name}"' for name in row)
    con.execute(f"INSERT INTO claims ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    con.close()
    with Store(path, read_only=True) as store:  # read-only: read as it is, not upgraded
        assert store.scalar("SELECT max(version) FROM schema_version") == 1
    with Store(path) as store:
        versions = store.con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
        assert [version for (version,) in versions] == list(range(1, SCHEMA_VERSION + 1)) == [1, 2, 3]
        assert store.rows("SELECT paper_id, text, published_precision FROM results").values == [
            ("a", "91.5%", "day")
        ]  # the data survived, under views that read the new columns
        assert store.rows("SELECT source_key, is_primary FROM paper_sources").values == [("icml:a", True)]
        store.add_review(Review(paper_id="a", start=19, end=24, text="91.5%", verdict="right"))
        assert store.scalar("SELECT count(*) FROM reviews") == 1
    with Store(path) as store:  # opening it again changes nothing
        assert store.scalar("SELECT count(*) FROM schema_version") == 3


def test_iter_papers_pages_by_id(tmp_path):
    with Store(tmp_path / "kb.duckdb") as store:
        store.write([paper(str(i)) for i in range(25)], [], extracted=False)
        batches = list(store.iter_papers(batch_size=10))
    assert [len(b) for b in batches] == [10, 10, 5]
    assert sorted(p.paper_id for b in batches for p in b) == sorted(str(i) for i in range(25))
