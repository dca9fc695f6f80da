"""Read-only SQL is DuckDB's to enforce: without --write no statement writes a file, changes a setting,
installs or attaches anything, or reads files beside the knowledge base. A database that is not benchkb's is
refused before anything is written to it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from benchkb.cli import app
from benchkb.errors import QueryError, StoreError
from benchkb.kb import KB
from benchkb.models import Paper
from benchkb.store import SCHEMA_VERSION, Store

runner = CliRunner()

BYPASSES = [
    "/**/ COPY (SELECT 1 AS x) TO 'copied.csv'",
    "SELECT 1; EXPORT DATABASE 'exported'",
    "\n-- a comment first\nCOPY papers TO 'papers.parquet' (FORMAT parquet)",
    "SET threads = 1",
    "RESET threads",
    "PRAGMA enable_profiling",
    "SET profiling_output = 'profile.json'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "ATTACH 'attached.duckdb' AS other",
    "SELECT * FROM read_csv('/etc/passwd', sep = ':')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM glob('/etc/*')",
    "DELETE FROM papers",
    "  insert into papers (paper_id) values ('x')",
    "CREATE TABLE extra AS SELECT 1",
    "CREATE PERSISTENT SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
]


@pytest.fixture()
def kb_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # relative paths in the statements land here, where the test looks for them
    path = tmp_path / "kb.duckdb"
    with Store(path) as store:
        store.write(
            [Paper(paper_id="p1", title="T", abstract="A 5% gain.", source_format="test")],
            [],
            extracted=False,
        )
    return path


def _untouched(directory: Path, path: Path) -> None:
    assert sorted(p.name for p in directory.iterdir()) == ["kb.duckdb"], "a file was written beside the store"
    with Store(path, read_only=True) as store:
        assert store.count_papers() == 1
        assert store.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'extra'") == 0


@pytest.mark.parametrize("statement", BYPASSES)
def test_sql_without_write_refuses(kb_path: Path, statement: str) -> None:
    result = runner.invoke(app, ["sql", statement, "--db", str(kb_path)], catch_exceptions=False)
    assert result.exit_code != 0, result.output
    assert result.output.startswith("error: ") and result.output.strip().count("\n") == 0, result.output
    _untouched(kb_path.parent, kb_path)


@pytest.mark.parametrize("statement", BYPASSES)
def test_kb_sql_refuses(kb_path: Path, statement: str) -> None:
    with KB(kb_path) as kb, pytest.raises(QueryError):
        kb.sql(statement)
    _untouched(kb_path.parent, kb_path)


def test_read_only_queries_still_work(kb_path: Path) -> None:
    result = runner.invoke(
        app, ["sql", "SELECT count(*) AS n FROM papers; ", "--db", str(kb_path), "-f", "csv"]
    )
    assert result.exit_code == 0 and result.output.split() == ["n", "1"]
    with KB(kb_path) as kb:
        assert kb.sql("SELECT current_setting('enable_external_access') AS e")["e"][0] is False


def test_write_is_the_one_way_to_write(kb_path: Path) -> None:
    result = runner.invoke(
        app, ["sql", "/**/ COPY (SELECT 1 AS x) TO 'copied.csv'", "--db", str(kb_path), "--write"]
    )
    assert result.exit_code == 0, result.output
    assert (kb_path.parent / "copied.csv").read_text().split() == ["x", "1"]


def test_a_sqlite_file_is_refused_without_a_download(tmp_path: Path) -> None:
    path = tmp_path / "papers.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE a (x)").connection.commit()
    before = path.read_bytes()
    source = tmp_path / "one.jsonl"
    source.write_text('{"title": "T", "abstract": "A 5% gain."}\n')
    for args in (
        ["sql", "SELECT 1"],
        ["papers", "-b", "MMLU"],
        ["audit"],
        ["ingest", str(source), "--no-extract"],
    ):
        result = runner.invoke(app, [*args, "--db", str(path)], catch_exceptions=False)
        assert result.exit_code != 0
        assert result.output == f"error: {path} is a SQLite database, not a benchkb knowledge base (DuckDB)\n"
    with pytest.raises(StoreError, match="SQLite"):
        KB(path)
    assert path.read_bytes() == before


def test_other_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database at all, just words\n" * 10)
    with pytest.raises(StoreError, match="is not a DuckDB database"):
        Store(path)
    empty = tmp_path / "empty.duckdb"
    empty.touch()
    with pytest.raises(StoreError, match="is empty"):
        Store(empty, read_only=True)


def test_a_future_schema_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    path = tmp_path / "future.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE schema_version SET version = ?", [SCHEMA_VERSION + 1])
    con.execute("CREATE OR REPLACE VIEW results AS SELECT 42 AS from_the_future")
    con.close()
    for read_only in (False, True):
        with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}"):
            Store(path, read_only=read_only)
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT * FROM results").fetchall() == [(42,)]
    assert con.execute("SELECT count(*) FROM ingest_runs").fetchone() == (0,)
    con.close()
