"""The reference rule (claims against a leaderboard export), the pieces of arithmetic the messages rest on,
and the command line."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_audit import build_store

from benchkb.audit import collect_findings, run_audit
from benchkb.audit.context import decimals_of, figure
from benchkb.audit.grounding import NumeralReader
from benchkb.audit.reference import read_reference
from benchkb.audit.settings import AuditSettings
from benchkb.errors import InputError
from benchkb.extract.rules import RuleSet

FIXTURES = Path(__file__).parent / "fixtures"
NUMERALS = NumeralReader.from_rules(RuleSet.load())
PAPERS = [
    {"id": "p1", "title": "GPT-4o Technical Report", "abstract": "GPT-4o achieves 88.7% accuracy on MMLU."},
    {
        "id": "p2",
        "title": "Foo",
        "abstract": "On MMLU, GPT-4o reaches 80.1% accuracy while our model reaches 85.0%.",
    },
    {"id": "p3", "title": "Bar", "abstract": "Llama-3-8B achieves 79.6% accuracy on GSM8K."},
]


@pytest.mark.parametrize("export", ["reference_leaderboard.csv", "reference_leaderboard.jsonl"])
def test_reference_flags_deviations_and_confirms_matches(export, annotator, tmp_path):
    with build_store(tmp_path / "kb.duckdb", annotator, PAPERS) as store:
        findings, summary = collect_findings(
            store, rules=["reference"], reference=FIXTURES / export, catalog=annotator.catalog
        )
    by_paper = {f.paper_ids[0]: f for f in findings}
    assert set(by_paper) == {"p1", "p2", "p3"}
    assert by_paper["p2"].severity == "warning"
    assert "80.1%" in by_paper["p2"].message and "lists 88.7" in by_paper["p2"].message
    assert "gap of 8.6" in by_paper["p2"].message
    assert by_paper["p1"].severity == "info"
    assert by_paper["p3"].severity == "info" and by_paper["p3"].evidence["read_as_fraction"]
    assert any("1 of 3 reference entries" in note for note in summary.notes)


def test_reference_quiet_when_nothing_is_listed(annotator, tmp_path):
    papers = [{"id": "p9", "title": "Baz", "abstract": "Qux-2 achieves 61.0% accuracy on HellaSwag."}]
    with build_store(tmp_path / "kb.duckdb", annotator, papers) as store:
        findings, _ = collect_findings(
            store, rules=["reference"], reference=FIXTURES / "reference_leaderboard.csv"
        )
    assert findings == []


def test_reference_without_catalog_uses_the_stored_names(annotator, tmp_path):
    with build_store(tmp_path / "kb.duckdb", annotator, PAPERS) as store:
        findings, _ = collect_findings(
            store, rules=["reference"], reference=FIXTURES / "reference_leaderboard.csv"
        )
    assert {f.paper_ids[0]: f.severity for f in findings}["p2"] == "warning"


def test_reference_file_problems_are_reported_with_lines(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "benchmark,model,metric,value,source\nMMLU,GPT-4o,accuracy,high,x\n,GPT-4o,,1,\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as error:
        read_reference(bad)
    assert "line 2: value" in str(error.value) and "line 3: benchmark" in str(error.value)
    missing = tmp_path / "missing.csv"
    missing.write_text("name,score\nMMLU,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        read_reference(missing)
    with pytest.raises(InputError, match=r"\.csv or \.jsonl"):
        read_reference(tmp_path / "board.xlsx")


# arithmetic the messages rest on
# -----------------------------------------------------------------------------------


def test_figures_are_written_as_a_reader_wants_them():
    assert figure(19.0) == "19"
    assert figure(86.36363636) == "86.36"
    assert figure(2271.830985) == "2272"
    assert figure(1690.14) == "1690"
    assert figure(314.2548) == "314.3"
    assert figure(0.71) == "0.71"
    assert decimals_of("86.4%") == 1 and decimals_of("19/22 tasks") == 0 and decimals_of("2.25x") == 2


def test_numerals_read_back_with_magnitudes_words_and_exponents():
    reader = NUMERALS
    assert 1500.0 in reader.numbers("1.5k samples")
    assert 1e12 in reader.numbers("1 trillion parameters")
    assert 2.0 in reader.numbers("twice")
    assert any(abs(n - 3.2e-4) < 1e-12 for n in reader.numbers("3.2e-4"))
    assert 50.0 in reader.numbers("half")


def test_tolerance_is_absolute_for_points_and_relative_otherwise():
    settings = AuditSettings()
    assert settings.tolerance("%", 88.7) == 1.0
    assert settings.tolerance("TFLOP/s", 1000.0) == pytest.approx(20.0)


# the command line
# --------------------------------------------------------------------------------------------------


def test_cli_prints_counts_and_summary(annotator, tmp_path):
    pytest.importorskip("benchkb.reporting")
    import typer
    from typer.testing import CliRunner

    from benchkb.cli.audit import audit

    app = typer.Typer()
    app.command("audit")(audit)
    app.command("noop")(lambda: None)  # two commands, so that `audit` is a subcommand as in benchkb
    db = tmp_path / "kb.duckdb"
    build_store(db, annotator, PAPERS).close()
    runner = CliRunner()
    result = runner.invoke(app, ["audit", "--db", str(db), "--rule", "contradiction"])
    assert result.exit_code == 0, result.output
    assert "contradiction" in result.output
    assert "1 rule, 1 finding (0 error, 1 warning, 0 info; 1 suspect the paper)" in result.output
    result = runner.invoke(app, ["audit", "--db", str(db), "--rule", "nonsense"])
    assert result.exit_code == 1 and "no audit rule 'nonsense'" in result.output
    result = runner.invoke(
        app,
        [
            "audit",
            "--db",
            str(db),
            "--reference",
            str(FIXTURES / "reference_leaderboard.csv"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    counts = {row["rule"]: row for row in json.loads(result.stdout)}
    assert counts["reference"]["warning"] == 1


def test_run_audit_accepts_a_reference_frame(annotator, tmp_path):
    frame = read_reference(FIXTURES / "reference_leaderboard.jsonl")
    with build_store(tmp_path / "kb.duckdb", annotator, PAPERS) as store:
        summary = run_audit(store, rules=["reference"], reference=frame, catalog=annotator.catalog)
        stored = store.query("SELECT count(*) AS n FROM findings WHERE rule = 'reference'")["n"][0]
    assert summary.counts["reference"]["warning"] == 1 and stored == summary.total == 3


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([*"0123456789.,eE^x×-−+ kKMBT{}%/", "twice", " half", "tens of ", "1e999"]),
        max_size=30,
    ).map("".join)
)
def test_reading_numerals_never_raises(text):
    NUMERALS.numbers(text)


def test_numerals_that_overflow_read_as_infinite():
    assert NUMERALS.numbers("1e999") == [math.inf]
