"""The DuckDB store: schema, transactional writes, idempotency, read-only access."""

from __future__ import annotations

import duckdb
import pytest

from benchkb.errors import QueryError, StoreError
from benchkb.models import Claim, Paper
from benchkb.store import Store


def paper(pid: str, abstract: str = "Our method reaches 91.5% accuracy.") -> Paper:
    return Paper(paper_id=pid, title=f"Paper {pid}", abstract=abstract, source_format="test")


def claim(pid: str, start: int = 19, end: int = 24, text: str = "91.5%", kind: str = "score") -> Claim:
    return Claim(paper_id=pid, text=text, start=start, end=end, value=91.5, unit="%", kind=kind, metric="accuracy",
                 rule="number+unit", sentence_start=0, sentence_end=34)


def test_schema_and_views_exist(tmp_path):
    with Store(tmp_path / "kb.duckdb") as store:
        tables = set(store.query("SELECT table_name FROM information_schema.tables")["table_name"])
    assert {"papers", "claims", "benchmarks", "ingest_runs", "rejects", "schema_version", "findings",
            "results", "leaderboard", "speedups"} <= tables


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


def test_iter_papers_pages_by_id(tmp_path):
    with Store(tmp_path / "kb.duckdb") as store:
        store.write([paper(str(i)) for i in range(25)], [], extracted=False)
        batches = list(store.iter_papers(batch_size=10))
    assert [len(b) for b in batches] == [10, 10, 5]
    assert sorted(p.paper_id for b in batches for p in b) == sorted(str(i) for i in range(25))
