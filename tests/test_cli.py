"""The command line as a user meets it: help with examples, clear one-line errors, outputs in every format."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from benchkb.cli import app

from conftest import SEED_PAGE

runner = CliRunner()

# The papers of the seed page that state a numeric result on a benchmark of the SWE-bench family; papers that
# only mention SWE-bench (or report on SWE-Bench Pro, SWE-Bench++, SWE-rebench, a different benchmark) are not
# here.
SWE_BENCH_PAPERS = {
    "AutoCodeRover: Autonomous Program Improvement",
    "SemAgent: A Semantics Aware Program Repair Agent",
    "Thinking Longer, Not Larger: Enhancing Software Engineering Agents via Scaling Test-Time Compute",
}


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory, annotator):
    db = tmp_path_factory.mktemp("cli") / "kb.duckdb"
    result = run("ingest", str(SEED_PAGE), "--db", str(db), "--year", "2026")
    assert result.exit_code == 0, result.output
    return db


def _commands(group=app, prefix=()):
    import typer.main

    click_group = typer.main.get_command(group)
    for name, command in click_group.commands.items():
        sub = getattr(command, "commands", None)
        if sub:
            for subname in sub:
                yield (*prefix, name, subname)
        else:
            yield (*prefix, name)


@pytest.mark.parametrize("command", list(_commands()), ids=lambda c: " ".join(c))
def test_every_command_has_help_with_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output, f"benchkb {' '.join(command)} --help shows no example"


def test_ingest_prints_one_line_summary(seed_db):
    result = run("ingest", str(SEED_PAGE), "--db", str(seed_db), "--year", "2026")
    assert result.exit_code == 0
    assert "64 records read, 0 papers stored, 64 unchanged, 0 rejected" in result.output


def test_missing_file_is_one_line_and_nonzero(tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.jsonl"), "--db", str(tmp_path / "kb.duckdb")])
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0 and "no such file" in result.output
    assert "Traceback" not in result.output


def test_unwritable_database_is_a_clear_error(tmp_path):
    result = runner.invoke(
        app, ["ingest", str(SEED_PAGE), "--db", str(tmp_path / "no" / "dir" / "kb.duckdb")]
    )
    assert result.exit_code != 0 and "does not exist" in result.output and "Traceback" not in result.output


def test_sql_is_read_only_unless_asked(seed_db):
    result = runner.invoke(app, ["sql", "DELETE FROM claims", "--db", str(seed_db)])
    assert result.exit_code != 0 and "--write" in result.output
    assert run("sql", "SELECT count(*) AS n FROM claims", "--db", str(seed_db), "-f", "json").exit_code == 0


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "table"])
def test_sql_formats(seed_db, fmt):
    result = run(
        "sql",
        "SELECT kind, count(*) AS n FROM results GROUP BY kind ORDER BY kind",
        "--db",
        str(seed_db),
        "--format",
        fmt,
    )
    assert result.exit_code == 0 and "ratio" in result.output


def test_sql_parquet_to_file(seed_db, tmp_path):
    import polars as pl

    target = tmp_path / "r.parquet"
    assert (
        run(
            "sql", "SELECT * FROM results", "--db", str(seed_db), "-f", "parquet", "-o", str(target)
        ).exit_code
        == 0
    )
    assert pl.read_parquet(target).height > 100


def test_swe_bench_question_sql_and_command_agree(seed_db):
    result = run(
        "sql",
        "SELECT DISTINCT title FROM results WHERE benchmark_family = 'SWE-bench'",
        "--db",
        str(seed_db),
        "-f",
        "json",
    )
    by_sql = {row["title"] for row in json.loads(result.output)}
    by_command = {
        row["title"]
        for row in json.loads(
            run("papers", "--benchmark", "SWE-bench", "--db", str(seed_db), "-f", "json").output
        )
    }
    assert by_sql == by_command == SWE_BENCH_PAPERS


def test_papers_exact_limits_to_the_named_benchmark(seed_db):
    result = run("papers", "--benchmark", "SWE-bench Lite", "--exact", "--db", str(seed_db), "-f", "json")
    titles = {row["title"] for row in json.loads(result.output)}
    assert titles == {
        "AutoCodeRover: Autonomous Program Improvement",
        "SemAgent: A Semantics Aware Program Repair Agent",
    }


def test_show_highlights_a_paper(seed_db):
    result = run("show", "FlashAttention-4", "--db", str(seed_db))
    assert result.exit_code == 0 and "1613 TFLOPs/s" in result.output and "cuDNN 9.13" in result.output


def test_export_claims_is_grounded(seed_db):
    from benchkb.store import Store

    rows = [json.loads(line) for line in run("export", "claims", "--db", str(seed_db)).output.splitlines()]
    with Store(seed_db, read_only=True) as store:
        abstracts = dict(store.query("SELECT paper_id, abstract FROM papers").rows())
    assert rows and all(abstracts[r["paper_id"]][r["start"] : r["end"]] == r["text"] for r in rows)
    expected = {
        "paper_id",
        "title",
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
    }
    assert expected <= set(rows[0])


def test_eval_prints_scores(seed_db):
    gold = SEED_PAGE.parents[1].parent / "shared" / "gold" / "seed.jsonl"
    if not gold.exists():
        pytest.skip("../shared/gold/seed.jsonl is not beside the checkout")
    result = run("eval", "--gold", str(gold), "--db", str(seed_db), "--no-misses")
    assert "precision" in result.output and "F1" in result.output and "benchmark" in result.output
    report = json.loads(run("eval", "--gold", str(gold), "--db", str(seed_db), "--json").output)
    assert report["f1"] > 0.9


def test_benchkb_db_chooses_the_knowledge_base(seed_db, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no ./benchkb.duckdb here: only BENCHKB_DB can lead to the seed's store
    monkeypatch.setenv("BENCHKB_DB", str(seed_db))
    result = run("sql", "SELECT count(*) AS n FROM papers", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["n", "64"]
    assert not (tmp_path / "benchkb.duckdb").exists()


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "benchkb", "--help"], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "ingest" in result.stdout and "Usage" in result.stdout


def test_catalog_unknown_lists_unresolved_names_with_a_short_one_line_example(seed_db):
    result = run("catalog", "unknown", "--db", str(seed_db), "--kind", "benchmark", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and all(row["claims"] >= 1 and row["papers"] >= 1 for row in rows)
    assert [row["claims"] for row in rows] == sorted((row["claims"] for row in rows), reverse=True)
    for row in rows:
        example = row["example"]
        assert "\n" not in example and len(example) <= len(row["name"]) + 2 * 60 + 2
    named = [row for row in rows if row["name"] in row["example"]]
    assert named, "names written in their sentence are shown in context"
