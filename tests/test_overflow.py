"""Numbers too large for a float are not claims; inf and nan never reach the store, the audit or an export."""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from benchkb.audit import run_audit
from benchkb.cli import app
from benchkb.errors import StoreError
from benchkb.models import Claim, Paper
from benchkb.store import Store, claim_row, claims_table

runner = CliRunner()
ABSTRACT = "GPT-4o scores 88.7% accuracy on MMLU."


def _paper() -> Paper:
    return Paper(paper_id="p1", title="A Paper", abstract=ABSTRACT, source_format="test")


def _claim(value: float, value_max: float | None = None) -> Claim:
    return Claim(
        paper_id="p1",
        text="88.7%",
        start=14,
        end=19,
        value=value,
        value_max=value_max,
        unit="%",
        kind="score",
        metric="accuracy",
        benchmark="MMLU",
        subject="GPT-4o",
        rule="number+unit",
        sentence_start=0,
        sentence_end=len(ABSTRACT),
    )


@pytest.mark.parametrize(
    "text",
    [
        "We reach " + "9" * 400 + "% accuracy.",
        "It costs " + "1" * 320 + " USD.",
        "A " + "5" * 310 + "x speedup over the baseline.",
        "Trained on 5" + "0" * 305 + " billion tokens.",
        "Scores range from 1 to " + "9" * 400 + " points.",
        "We solved 3/" + "7" * 400 + " tasks.",
    ],
)
def test_numbers_that_overflow_are_not_claims(annotator, text):
    claims = annotator.claims(Paper(paper_id="p", title="T", abstract=text, source_format="test"))
    for claim in claims:
        assert math.isfinite(claim.value) and (claim.value_max is None or math.isfinite(claim.value_max))
    rows = annotator.table([("p", "T", text)]).to_pylist()
    assert all(math.isfinite(row["value"]) for row in rows)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_the_store_refuses_non_finite_values(tmp_path: Path, bad: float):
    with Store(tmp_path / "kb.duckdb") as store:
        with pytest.raises(StoreError, match="not a finite number"):
            store.write([_paper()], [_claim(bad)], extracted=True)
        with pytest.raises(StoreError, match="value_max"):
            store.write([_paper()], [_claim(1.0, bad)], extracted=True)
        assert store.count_papers() == 0
    with pytest.raises(StoreError):
        claims_table(pa.Table.from_pylist([claim_row(_claim(1.0)) | {"uncertainty": bad}]))


@pytest.fixture()
def infinite_db(tmp_path: Path) -> Path:
    """A store from before the guard: a claim of value inf put in behind its back."""
    path = tmp_path / "kb.duckdb"
    with Store(path) as store:
        store.write([_paper()], [_claim(88.7)], extracted=True)
    con = duckdb.connect(str(path))
    con.execute("UPDATE claims SET value = 'inf'::DOUBLE, value_max = 'nan'::DOUBLE")
    con.close()
    return path


def test_audit_survives_an_infinite_value(infinite_db: Path):
    with Store(infinite_db) as store:
        summary = run_audit(store)
    assert summary.rules


def test_exports_write_null_not_infinity(infinite_db: Path):
    for args in (
        ["export", "claims"],
        ["sql", "SELECT value, value_max FROM claims", "-f", "json"],
        ["sql", "SELECT value FROM claims", "-f", "jsonl"],
    ):
        result = runner.invoke(app, [*args, "--db", str(infinite_db)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "Infinity" not in result.output and "NaN" not in result.output
        text = result.output
        parsed = json.loads(text) if args[-1] == "json" else [json.loads(line) for line in text.splitlines()]
        assert parsed[0]["value"] is None
