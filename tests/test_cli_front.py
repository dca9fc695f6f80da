"""The command line's front door: a light start, --version, completion, whole help texts, `show` on a narrow
terminal, one SQL statement at a time, a report index that keeps earlier reports, and exports that read
back."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import duckdb
import polars as pl
import pytest
import typer.main
from rich.console import Console
from typer.testing import CliRunner

import benchkb
from benchkb.cli import app
from benchkb.models import Claim, Paper
from benchkb.store import Store

runner = CliRunner()
HEAVY = ("spacy", "altair", "polars", "pyarrow", "vl_convert", "numpy")


def run(*args: str, width: int | None = None):
    return runner.invoke(app, list(args), catch_exceptions=False, terminal_width=width)


@pytest.fixture(scope="module")
def kb_path(tmp_path_factory) -> Path:
    """Two papers whose ids a CSV reader would take for numbers or break on, and the FlashAttention-like
    claims whose fields are long enough to need a narrow layout."""
    abstract = (
        "Our method, FlashAttention-4, achieves up to 2.7times speedup over traditional C++ "
        "template-based approaches on B200 GPUs, reaching 71% utilization."
    )
    papers = [
        Paper(
            paper_id="2503.10100", title="A paper with an arXiv id", abstract=abstract, source_format="test"
        ),
        Paper(
            paper_id="aistats2019-abc",
            title="A paper with a venue id",
            abstract=abstract,
            source_format="test",
        ),
    ]
    claims = []
    for paper in papers:
        for text, value, kind, unit, fields in (
            (
                "2.7times",
                2.7,
                "ratio",
                "x",
                {
                    "metric": "speedup",
                    "subject": "FlashAttention-4",
                    "baseline": "traditional C++ template-based approaches",
                    "direction": "increase",
                    "qualifier": "up to",
                    "conditions": ["B200"],
                },
            ),
            ("71%", 71.0, "score", "%", {"metric": "utilization", "subject": "FlashAttention-4"}),
        ):
            start = abstract.index(text)
            claims.append(
                Claim(
                    paper_id=paper.paper_id,
                    text=text,
                    start=start,
                    end=start + len(text),
                    value=value,
                    unit=unit,
                    kind=kind,
                    rule="test",
                    sentence_start=0,
                    sentence_end=len(abstract),
                    **fields,
                )
            )
    path = tmp_path_factory.mktemp("front") / "kb.duckdb"
    with Store(path) as store:
        store.write(papers, claims, extracted=True)
    return path


# start-up ---------------------------------------------------------------------------------------------------


# What each command starts without (benchmarks/startup.py measures the time): spaCy, Altair, polars and
# pyarrow are imported by the commands that use them, DuckDB by those that open a knowledge base, the record
# models and paper identity where papers and claims are built or written (``show`` reads stored rows), the
# catalog where names resolve (``papers``: the benchmark names alone, benchkb.catalog.benchmark_names).
# Typer would import pydantic to coerce any value (benchkb.cli.plain_values): nothing these commands do
# validates a record.
RECORDS = ("benchkb.models", "benchkb.paper_identity")
CATALOG = ("benchkb.kb", "benchkb.catalog")
PYDANTIC = ("pydantic", "pydantic_core")
NOT_LOADED = {
    "--help": (*HEAVY, "duckdb", "benchkb.store", *RECORDS, *CATALOG, *PYDANTIC),
    "--version": (*HEAVY, "duckdb", "benchkb.store", *RECORDS, *CATALOG, *PYDANTIC),
    "sql": (*HEAVY, *RECORDS, *CATALOG, *PYDANTIC),
    "papers": (*HEAVY, *RECORDS, *PYDANTIC, "benchkb.catalog.catalog", "benchkb.catalog.entries"),
    "show": (*HEAVY, *RECORDS, *CATALOG, *PYDANTIC),
}
# Runs the command in this process, then lists every module it imported, as JSON on the last line of stderr.
RUN_AND_LIST_MODULES = (
    "import json, sys\nfrom benchkb.cli import main\nsys.argv = ['benchkb', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit as done:\n    code = done.code\n"
    "print(json.dumps({'code': code, 'modules': sorted(sys.modules)}), file=sys.stderr)"
)


def _run_listing_modules(*args: str) -> tuple[str, set[str]]:
    """The command's output and the modules it imported; it must succeed and write nothing else to stderr."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, *args], capture_output=True, text=True, check=True
    )
    *errors, listing = done.stderr.splitlines()
    found = json.loads(listing)
    assert found["code"] in (0, None) and errors == [], done.stderr
    return done.stdout, set(found["modules"])


def _loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    """Those of ``packages`` of which a module is among ``modules``."""
    return [name for name in packages if any(m == name or m.startswith(name + ".") for m in modules)]


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["sql", "SELECT count(*) AS n FROM results"],
        ["papers", "--benchmark", "SWE-bench"],
        ["show", "2503.10100"],
        ["show", "venue id"],
    ],
    ids=lambda args: " ".join(args),
)
def test_commands_start_without_what_they_do_not_use(args, kb_path):
    database = [] if args[0].startswith("--") else ["--db", str(kb_path)]
    output, modules = _run_listing_modules(*args, *database)
    assert output.strip()
    assert _loaded(modules, NOT_LOADED[args[0]]) == [], f"benchkb {args[0]} imports these"


def test_sql_through_the_python_api_loads_neither_catalog_nor_record_models(kb_path):
    code = (
        "import json, sys\nfrom benchkb import KB\n"
        f"assert KB({str(kb_path)!r}).sql('SELECT count(*) FROM claims').item() == 4\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert _loaded(set(json.loads(done.stdout)), (*RECORDS, "benchkb.catalog")) == []


def _plain_values_command(tmp_path: Path):
    """A command with every kind of parameter benchkb.cli.plain_values takes over, and one it leaves."""
    demo = typer.Typer()

    @demo.command()
    def command(
        text: str,
        flag: bool = False,
        where: Path | None = None,
        existing: Annotated[Path | None, typer.Option(exists=True, dir_okay=False)] = None,
        folder: Annotated[Path | None, typer.Option(file_okay=False, resolve_path=True)] = None,
        count: int = 1,
    ) -> None:
        pass

    return typer.main.get_command(demo)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("text", "SELECT 1"),
        ("text", ""),
        ("flag", True),
        ("flag", False),
        ("flag", "yes"),  # from an environment variable: Typer's own coercion
        ("flag", "maybe"),
        ("where", "a/b.duckdb"),
        ("where", ""),
        ("where", "~/x"),
        ("existing", "file.txt"),
        ("existing", "missing.txt"),
        ("existing", "."),
        ("folder", "file.txt"),
        ("folder", "."),
        ("count", "7"),
        ("count", "seven"),
        ("text", None),
    ],
)
def test_plain_values_are_what_typers_coercion_gives(tmp_path, monkeypatch, name, value):
    from typer._click import Context
    from typer._coercion import build_runtime_param

    from benchkb.cli.plain_values import PlainCoercion

    monkeypatch.chdir(tmp_path)
    (tmp_path / "file.txt").write_text("x")
    command = _plain_values_command(tmp_path)
    param = next(p for p in command.params if p.name == name)

    def outcome(coercion):
        try:
            found = coercion.coerce(value, param=param, ctx=Context(command))
            return type(found), found
        except typer.BadParameter as exc:
            return "error", exc.format_message()

    descriptor = param.type_descriptor
    assert outcome(PlainCoercion(descriptor)) == outcome(build_runtime_param(descriptor))


def test_typer_takes_plain_values_without_pydantic():
    from benchkb.cli import plain_values

    assert plain_values.install(), "this Typer's coercion moved: benchkb.cli.plain_values needs a look"


# --version, completion, help --------------------------------------------------------------------------------


def test_version_is_the_package_version():
    from importlib.metadata import version

    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"benchkb {benchkb.__version__}" == f"benchkb {version('benchkb')}"


def test_shell_completion_is_offered():
    assert "--install-completion" in run("--help").output
    # Typer finds the shell by walking up the process tree (shellingham), so the command runs from bash as
    # for a person (a second command keeps bash from handing over its process): pytest may run in no shell.
    benchkb = Path(sys.executable).with_name("benchkb")
    result = subprocess.run(
        ["bash", "-c", f"'{benchkb}' --show-completion; exit $?"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0 and "_BENCHKB_COMPLETE" in result.stdout


def _groups(group=app, prefix=()):
    command = typer.main.get_command(group)
    yield prefix, command
    for name, sub in command.commands.items():
        if getattr(sub, "commands", None):
            yield (*prefix, name), sub


@pytest.mark.parametrize("width", [80, 100])
def test_command_lists_are_not_cut_mid_sentence(width):
    for prefix, group in _groups():
        listing = run(*prefix, "--help", width=width).output.split("Commands:")[1]
        for name, command in group.commands.items():
            line = next(line for line in listing.splitlines() if line.strip().startswith(name + " "))
            assert not line.rstrip().endswith("..."), f"{' '.join(prefix)} --help cuts: {line.strip()}"
            first = (command.help or "").strip().split("\n\n")[0].replace("\n", " ")
            assert " ".join(first.split()) in " ".join(line.split()), (name, line)


def test_audit_help_lists_every_rule_it_runs():
    from benchkb.audit import RULES

    text = " ".join(run("audit", "--help", width=100).output.split())
    for rule in RULES.values():
        assert f" {rule.name} {' '.join(rule.summary.split()[:4])}" in text, rule.name
    assert "listed below" in text


def test_ingest_help_names_every_source_format():
    from benchkb.cli.ingest import FORMAT_HELP
    from benchkb.sources import FORMATS

    named = re.search(r"\(([^)]*)\)", FORMAT_HELP).group(1).split(", ")
    assert named == list(FORMATS)


def test_ingest_rejects_records_over_the_readers_limit_by_default():
    from benchkb.cli.ingest import MAX_RECORD_BYTES
    from benchkb.sources.options import MAX_RECORD_BYTES as READERS_LIMIT

    assert MAX_RECORD_BYTES == READERS_LIMIT


# show -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 100])
def test_show_lays_fields_out_vertically_on_a_narrow_terminal(kb_path, width):
    from benchkb.cli.query import paper_view

    with Store(kb_path, read_only=True) as store:
        paper, claims = store.paper("2503.10100"), store.claims_of("2503.10100")
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None).print(paper_view(paper, claims, width=width))
    lines = buffer.getvalue().splitlines()
    assert all(len(line) <= width for line in lines)
    assert not any("┃" in line or "│" in line for line in lines)  # no table
    for field, value in [
        ("metric", "speedup"),
        ("subject", "FlashAttention-4"),
        ("baseline", "traditional C++ template-based approaches"),
        ("conditions", "B200"),
    ]:
        assert any(line.split() == [field, *value.split()] for line in lines), (field, lines)


def test_show_gives_a_year_only_date_as_its_year(year_only_kb):
    output = run("show", "aistats2019-abc", "--db", str(year_only_kb)).output
    assert "aistats2019-abc, 2019\n" in output and "2019-01-01" not in output


def test_show_keeps_the_table_on_a_wide_terminal(kb_path):
    from benchkb.cli.query import paper_view

    with Store(kb_path, read_only=True) as store:
        paper, claims = store.paper("2503.10100"), store.claims_of("2503.10100")
    buffer = io.StringIO()
    Console(file=buffer, width=200, color_system=None).print(paper_view(paper, claims, width=200))
    assert "┃ text" in buffer.getvalue() and "traditional C++ template-based approaches" in buffer.getvalue()


def test_the_demo_names_benchkb_as_this_shell_finds_it(monkeypatch):
    """`make demo` runs .venv/bin/benchkb; its last lines must run as printed in a shell without the venv."""
    from benchkb.cli.demo import invoked_as

    program = Path(sys.executable).with_name("benchkb")
    monkeypatch.setattr(sys, "argv", [str(program), "demo"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert invoked_as() == str(program)
    monkeypatch.setenv("PATH", f"{program.parent}:/usr/bin:/bin")
    assert invoked_as() == "benchkb"
    monkeypatch.setattr(sys, "argv", [str(Path(benchkb.__file__).with_name("__main__.py"))])
    assert invoked_as() == f"{sys.executable} -m benchkb"


# sql --------------------------------------------------------------------------------------------------------


def test_several_sql_statements_are_one_clear_error(kb_path):
    result = run("sql", "SELECT 1; SELECT 2", "--db", str(kb_path))
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0 and "one SQL statement at a time" in result.output


def test_a_semicolon_inside_a_string_is_one_statement(kb_path):
    result = run("sql", "SELECT ';' AS s;", "--db", str(kb_path), "-f", "json")
    assert result.exit_code == 0 and json.loads(result.output) == [{"s": ";"}]


def test_sql_csv_writes_lists_booleans_and_dates_as_text(kb_path):
    result = run(
        "sql",
        "SELECT [1, 2] AS l, true AS b, DATE '2026-01-02' AS d, NULL AS n, 1.5 AS x",
        "--db",
        str(kb_path),
        "-f",
        "csv",
    )
    assert result.output == "l,b,d,n,x\n1; 2,true,2026-01-02,,1.5\n"


# exports ----------------------------------------------------------------------------------------------------


def test_csv_export_reads_back_with_ids_as_text(kb_path, tmp_path):
    """What the help and README say: CSV has no types, so readers are told that paper_id is text."""
    target = tmp_path / "claims.csv"
    assert run("export", "claims", "--db", str(kb_path), "-f", "csv", "-o", str(target)).exit_code == 0
    expected = sorted(row["paper_id"] for row in csv.DictReader(target.open(encoding="utf-8")))
    assert expected == ["2503.10100", "2503.10100", "aistats2019-abc", "aistats2019-abc"]
    by_polars = pl.read_csv(target, schema_overrides={"paper_id": pl.String})
    assert sorted(by_polars["paper_id"]) == expected
    by_duckdb = duckdb.sql(f"SELECT paper_id FROM read_csv('{target}', types={{'paper_id': 'VARCHAR'}})")
    by_duckdb = by_duckdb.fetchall()
    assert sorted(value for (value,) in by_duckdb) == expected  # the trailing zero of 2503.10100 survives


def test_parquet_export_keeps_the_types_without_flags(kb_path, tmp_path):
    target = tmp_path / "claims.parquet"
    assert run("export", "claims", "--db", str(kb_path), "-f", "parquet", "-o", str(target)).exit_code == 0
    frame = pl.read_parquet(target)
    assert frame.schema["paper_id"] == pl.String and frame.schema["conditions"] == pl.List(pl.String)
    assert sorted(set(frame["paper_id"])) == ["2503.10100", "aistats2019-abc"]


def test_export_help_names_parquet_as_the_typed_format():
    text = " ".join(run("export", "claims", "--help", width=120).output.split())
    assert "Parquet is the typed format" in text and "schema_overrides" in text and "types=" in text


def test_serve_on_a_port_in_use_is_one_line(kb_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--db", str(kb_path), "--port", str(port))
    assert result.exit_code == 1 and result.output.strip().count("\n") == 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


# report index -----------------------------------------------------------------------------------------------


def test_a_second_report_into_the_folder_keeps_the_first_in_the_index(tmp_path):
    from test_reports import make_kb

    db = make_kb(tmp_path / "kb.duckdb")
    out_dir = tmp_path / "reports"
    for name in ("leaderboard", "progress"):
        result = run(
            "report", name, "--benchmark", "SWE-bench Verified", "--db", str(db), "--out", str(out_dir)
        )
        assert result.exit_code == 0, result.output
    assert run("report", "speedups", "--format", "svg", "--db", str(db), "--out", str(out_dir)).exit_code == 0
    index = (out_dir / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'<li><a href="([^"]+)"', index))
    assert links == {"leaderboard.html", "progress.html", "speedups.svg"}
    assert "Leaderboard: SWE-bench Verified" in index  # the earlier report keeps its own title

    (out_dir / "leaderboard.html").unlink()  # a report deleted by hand leaves the index on the next run
    assert run("report", "overview", "--db", str(db), "--out", str(out_dir)).exit_code == 0
    index = (out_dir / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'<li><a href="([^"]+)"', index))
    assert links == {"progress.html", "speedups.svg", "overview.html"}
