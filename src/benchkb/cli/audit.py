"""benchkb audit: run the audit rules and write their findings (optionally render the audit report)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from typer.core import TyperCommand

from benchkb.cli.common import DbOption, err, handle_errors, out, write_frame

if TYPE_CHECKING:
    import click


class AuditCommand(TyperCommand):
    """`benchkb audit --help` ends with the rules, read from the audit itself so that the list is always whole
    (imported only when help is asked for: the audit loads polars)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from benchkb.audit import RULES

        with formatter.section("Rules (--rule NAME, or a family: arithmetic)"):
            formatter.write_dl([(rule.name, f"{rule.summary} [{rule.family}]") for rule in RULES.values()])
        super().format_epilog(ctx, formatter)


@handle_errors
def audit(
    db: DbOption = None,
    rule: Annotated[
        Optional[str],
        typer.Option(
            "--rule",
            help="Run one rule (or the family 'arithmetic'); the rules are listed below.",
            show_default=False,
        ),
    ] = None,
    report: Annotated[
        Optional[Path],
        typer.Option(
            "--report", help="Also render the audit report into this directory.", show_default=False
        ),
    ] = None,
    reference: Annotated[
        Optional[Path],
        typer.Option(
            "--reference",
            help="A leaderboard export (CSV or JSON "
            "Lines: benchmark, model, metric, value, source) to "
            "compare claims with.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, json or jsonl for the counts.")
    ] = "table",
) -> None:
    """Check which claims hold up: run the audit rules.

    Runs every rule below over the knowledge base (reference only with --reference) and writes the findings
    table; consistent arithmetic is reported as info.

    Example: benchkb audit --db benchkb.duckdb --report audit-report
    """
    from benchkb.audit import run_audit
    from benchkb.catalog import Catalog
    from benchkb.store import Store

    if report is not None:
        from benchkb.reporting import writable_directory

        writable_directory(report)  # before the audit writes its findings
    catalog = Catalog.load()  # names in a reference export, and precision aliases ("bfloat16") in abstracts
    with Store(db) as store:
        summary = run_audit(store, rules=[rule] if rule else None, reference=reference, catalog=catalog)
    write_frame(summary.frame(), fmt)
    console = out() if fmt == "table" else err  # keep machine-readable output clean
    for note in summary.notes:
        console.print(f"note: {note}", highlight=False, markup=False)
    console.print(summary.line(), highlight=False)
    if report is not None:
        from benchkb.kb import KB
        from benchkb.reporting import write_reports

        with KB(db) as kb:
            written = write_reports(kb, report, names=["audit"])
        console.print(f"report: {len(written)} file(s) in {report}", highlight=False, markup=False)
