"""benchkb audit: run the audit rules and write their findings (optionally render the audit report)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from benchkb.audit import run_audit
from benchkb.catalog import Catalog
from benchkb.cli.common import DbOption, err, handle_errors, out, write_frame
from benchkb.kb import KB
from benchkb.reporting import writable_directory, write_reports
from benchkb.store import Store


@handle_errors
def audit(
    db: DbOption = None,
    rule: Annotated[Optional[str], typer.Option("--rule", help="Run one rule (or the family 'arithmetic'); see "
                                                "the list below.", show_default=False)] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Also render the audit report into this "
                                                   "directory.", show_default=False)] = None,
    reference: Annotated[Optional[Path], typer.Option("--reference", help="A leaderboard export (CSV or JSON "
                                                      "Lines: benchmark, model, metric, value, source) to compare "
                                                      "claims with.", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, json or jsonl for the counts.")] = "table",
) -> None:
    """Check which claims hold up: run the audit rules over the knowledge base and write the findings table.

    Rules: grounding, range, count-percent, peak-utilization, reduction-speedup (the family 'arithmetic'),
    contradiction, beat, hedge, and reference (with --reference). Consistent arithmetic is reported as info.

    Example: benchkb audit --db benchkb.duckdb --report audit-report
    """
    if report is not None:
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
        with KB(db) as kb:
            written = write_reports(kb, report, names=["audit"])
        console.print(f"report: {len(written)} file(s) in {report}", highlight=False, markup=False)
