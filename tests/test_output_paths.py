"""Every --out that cannot be written is one line on stderr and a non-zero exit, never a traceback; nothing is
half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchkb.cli import app
from benchkb.models import Claim, Paper
from benchkb.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("out") / "kb.duckdb"
    abstract = "GPT-4o scores 88.7% accuracy on MMLU."
    with Store(path) as store:
        store.write(
            [Paper(paper_id="p1", title="A Paper", abstract=abstract, source_format="test")],
            [
                Claim(
                    paper_id="p1",
                    text="88.7%",
                    start=14,
                    end=19,
                    value=88.7,
                    unit="%",
                    kind="score",
                    metric="accuracy",
                    benchmark="MMLU",
                    subject="GPT-4o",
                    rule="number+unit",
                    sentence_start=0,
                    sentence_end=len(abstract),
                )
            ],
            extracted=True,
        )
    return path


def bad_file_targets(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    directory = tmp_path / "a-directory"
    directory.mkdir()
    return {
        "directory": (directory, "is a directory"),
        "missing parent": (tmp_path / "missing" / "out.txt", "does not exist"),
        "unwritable": (Path("/proc/benchkb-out.txt"), "cannot write"),
    }


FILE_COMMANDS = [
    ["sql", "SELECT * FROM papers"],
    ["sql", "SELECT * FROM papers", "-f", "csv"],
    ["sql", "SELECT * FROM papers", "-f", "parquet"],
    ["papers", "-b", "MMLU"],
    ["export", "claims"],
    ["export", "claims", "-f", "parquet"],
]


@pytest.mark.parametrize("command", FILE_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("case", ["directory", "missing parent", "unwritable"])
def test_file_outputs(small_db, tmp_path, command, case):
    target, message = bad_file_targets(tmp_path)[case]
    result = runner.invoke(
        app, [*command, "--db", str(small_db), "--out", str(target)], catch_exceptions=False
    )
    assert result.exit_code != 0
    assert result.output.startswith("error: ") and result.output.count("\n") == 1, result.output
    assert message in result.output and str(target) in result.output


def test_directory_outputs(small_db, tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    cases = [
        (["report", "all", "--out", str(a_file)], "is not a directory"),
        (["report", "all", "--out", "/proc/benchkb-reports"], "cannot write"),
        (["audit", "--report", str(a_file)], "is not a directory"),
        (["audit", "--report", "/proc/benchkb-audit"], "cannot write"),
        (["demo", "--out", str(a_file)], "is not a directory"),
        (["demo", "--out", "/proc/benchkb-demo"], "cannot write"),
    ]
    for args, message in cases:
        needs_db = args[0] != "demo"
        result = runner.invoke(
            app, [*args, *(["--db", str(small_db)] if needs_db else [])], catch_exceptions=False
        )
        assert result.exit_code != 0, args
        assert result.output.startswith("error: ") and result.output.count("\n") == 1, (args, result.output)
        assert message in result.output, (args, result.output)


def test_a_good_out_still_writes(small_db, tmp_path):
    target = tmp_path / "papers.csv"
    result = runner.invoke(
        app, ["sql", "SELECT paper_id FROM papers", "-f", "csv", "--out", str(target), "--db", str(small_db)]
    )
    assert result.exit_code == 0 and target.read_text().split() == ["paper_id", "p1"]
