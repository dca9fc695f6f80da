"""Text from papers is data on every output: rich markup prints literally, control characters never reach a
terminal or a chart renderer, HTML is escaped, and CSV cells do not start formulas."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from benchkb.cli import app
from benchkb.sanitize import csv_cell, printable

runner = CliRunner()

HOSTILE = [
    {
        "id": "markup",
        "title": "[/INST] Tuning Agents [bold]",
        "abstract": "Our agent resolves 45% of SWE-bench Lite issues [/INST] with GPT-4o.",
    },
    {
        "id": "script",
        "title": "<script>alert(1)</script> Scores",
        "abstract": "GPT-4o scores 88.7% accuracy on MMLU.",
    },
    {
        "id": "formula",
        "title": '=HYPERLINK("http://example.com") Paper',
        "abstract": "Llama 3 70B reaches 79.5% accuracy on MMLU.",
    },
    {
        "id": "unknown",
        "title": "A New Benchmark",
        "abstract": "Our model reaches 61.2% on ZorbBench [/INST] in the hard split.",
    },
    {"id": "escape", "title": "Escape Title", "abstract": "Mistral 7B scores 60.1% accuracy on MMLU."},
]
ESCAPE_TITLE = "Red \x1b[31m Title\x07\x1b]0;pwned\x07"


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory, annotator) -> Path:
    directory = tmp_path_factory.mktemp("hostile")
    source = directory / "hostile.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in HOSTILE), encoding="utf-8")
    db = directory / "kb.duckdb"
    assert run("ingest", str(source), "--db", str(db)).exit_code == 0
    # Control characters are mended when read, so put them in as an older store or a --write statement could.
    update = (
        "UPDATE papers SET title = 'Red ' || chr(27) || '[31m Title' || chr(7) || chr(27) || ']0;pwned' "
        "|| chr(7) WHERE paper_id = 'escape'"
    )
    assert run("sql", update, "--db", str(db), "--write").exit_code == 0
    assert (
        run(
            "sql",
            "UPDATE claims SET subject = 'Mistral' || chr(27) || '[2J' || chr(12) WHERE paper_id = 'escape'",
            "--db",
            str(db),
            "--write",
        ).exit_code
        == 0
    )
    return db


def _clean(output: str) -> None:
    assert "Traceback" not in output
    assert not any(ch in output for ch in "\x1b\x07\x0c\x9b"), repr(output)


def test_sql_table_prints_markup_literally(hostile_db):
    result = run("sql", "SELECT paper_id, title FROM papers ORDER BY paper_id", "--db", str(hostile_db))
    assert result.exit_code == 0
    assert "[/INST] Tuning Agents [bold]" in result.output
    assert "Red \ufffd[31m Title\ufffd\ufffd]0;pwned\ufffd" in result.output
    _clean(result.output)


def test_papers_prints_titles_literally(hostile_db):
    result = run("papers", "--benchmark", "SWE-bench", "--db", str(hostile_db))
    assert result.exit_code == 0 and "[/INST] Tuning Agents [bold]" in result.output
    result = run("papers", "--benchmark", "MMLU", "--db", str(hostile_db))
    assert result.exit_code == 0 and "Red \ufffd[31m" in result.output
    _clean(result.output)


def test_show_neutralises_terminal_codes(hostile_db):
    result = run("show", "escape", "--db", str(hostile_db))
    assert (
        result.exit_code == 0
        and "Red \ufffd[31m Title" in result.output
        and "Mistral\ufffd[2J" in result.output
    )
    _clean(result.output)
    result = run("show", "[/INST]", "--db", str(hostile_db))
    assert result.exit_code == 0 and "[/INST] Tuning Agents [bold]" in result.output
    assert "45%" in result.output


def test_errors_print_user_text_literally(hostile_db):
    result = run("show", "[/nothing] like this", "--db", str(hostile_db))
    assert result.exit_code != 0
    assert result.output == "error: no paper with id or title like '[/nothing] like this'\n"


def test_catalog_unknown_prints_examples_literally(hostile_db):
    result = run("catalog", "unknown", "--db", str(hostile_db))
    assert result.exit_code == 0 and "ZorbBench" in result.output and "[/INST]" in result.output
    _clean(result.output)


def test_audit_runs_on_hostile_text(hostile_db, tmp_path):
    result = run("audit", "--db", str(hostile_db), "--report", str(tmp_path / "audit"))
    assert result.exit_code == 0, result.output
    _clean(result.output)


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_charts_render_with_control_characters_in_labels(hostile_db, tmp_path, fmt):
    # vl-convert aborts the whole process on some control characters, so the command runs in its own process.
    out = tmp_path / fmt
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchkb",
            "report",
            "all",
            "--format",
            fmt,
            "--out",
            str(out),
            "--db",
            str(hostile_db),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (out / f"leaderboard.{fmt}").exists()


def test_html_reports_escape_titles(hostile_db, tmp_path):
    assert (
        run(
            "report", "leaderboard", "--benchmark", "MMLU", "--out", str(tmp_path), "--db", str(hostile_db)
        ).exit_code
        == 0
    )
    page = (tmp_path / "leaderboard.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Scores" in page  # in the table
    assert "alert(1)</script>" not in page and "alert(1)<\\/script> Scores" in page  # in the inlined spec
    assert "\x1b" not in page


def test_csv_cells_do_not_start_formulas(hostile_db):
    result = run("sql", "SELECT title FROM papers ORDER BY paper_id", "--db", str(hostile_db), "-f", "csv")
    lines = result.output.splitlines()
    assert '\'=HYPERLINK(""http://example.com"") Paper' in result.output.replace("\"'=", "'=")
    assert not any(line.startswith("=") or line.startswith('"=') for line in lines)
    _clean(result.output)
    exported = run("export", "claims", "--format", "csv", "--db", str(hostile_db)).output
    assert ",=HYPERLINK" not in exported and ',"=HYPERLINK' not in exported
    _clean(exported)


def test_printable_and_csv_cell():
    assert (
        printable("a\x1b[31mb\x00c\td\ne\r\nf\x9b\ufffeg\ud800\rh")
        == "a\ufffd[31mb\ufffdc\td\ne \nf\ufffd\ufffdg\ufffd\ufffdh"
    )
    assert printable("plain [/INST] text") == "plain [/INST] text"
    assert csv_cell("=1+2") == "'=1+2" and csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert (
        csv_cell("-5%") == "-5%" and csv_cell("+3.2 points") == "+3.2 points"
    )  # claim texts stay as written
    assert csv_cell("a\x1bb") == "a\ufffdb"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(
            st.characters(exclude_categories=["Cs"]) | st.sampled_from("=@+-\r\n\x1b\x9b\ufffe"), max_size=12
        ),
        max_size=8,
    )
)
def test_csv_column_is_csv_cell(cells):
    import polars as pl

    from benchkb.sanitize import csv_column

    column = (
        pl.DataFrame({"c": cells}, schema={"c": pl.String}).select(csv_column(pl.col("c")))["c"].to_list()
    )
    assert column == [csv_cell(cell) for cell in cells]
    assert all(len(printable(cell)) == len(cell) for cell in cells)


def test_ingest_prints_file_names_literally(tmp_path):
    source = tmp_path / "[bold]papers[" / "nope].jsonl"  # the path reads '[bold]papers[/nope].jsonl'
    source.parent.mkdir()
    source.write_text(json.dumps(HOSTILE[0]) + "\n{broken\n", encoding="utf-8")
    result = run("ingest", str(source), "--db", str(tmp_path / "kb.duckdb"), "--no-extract")
    assert result.exit_code == 0
    assert f"{source}: 2 records read, 1 papers stored" in result.output
    assert f"rejected: {source}, record 2: invalid JSON" in result.output
