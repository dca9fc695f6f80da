"""benchkb report: write the charts of reports/ as HTML pages (offline), PNG or SVG, with an index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from benchkb.cli.common import DbOption, handle_errors, out, table
from benchkb.errors import BenchkbError, EmptySelectionError
from benchkb.sanitize import printable


@handle_errors
def report(
    name: Annotated[
        Optional[str], typer.Argument(help="A report's name (see --list), or 'all'.", show_default=False)
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the reports and exit.")] = False,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Directory for the reports and their index.html.")
    ] = Path("benchkb-reports"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="html (works offline), png or svg.")] = "html",
    benchmark: Annotated[
        Optional[str],
        typer.Option(
            "--benchmark",
            "-b",
            help="Benchmark for leaderboard and progress [default: the most reported].",
            show_default=False,
        ),
    ] = None,
    metric: Annotated[
        Optional[str],
        typer.Option(
            "--metric",
            "-m",
            help="Metric for leaderboard and progress [default: the most reported].",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write charts of the knowledge base, with an index.html.

    Reports: leaderboard, progress, speedups, overview, audit (--list says what each shows). The index.html of
    the folder links every report in it, from this run and earlier ones.

    Example: benchkb report all --out benchkb-reports
    """
    import polars as pl

    from benchkb.kb import KB
    from benchkb.reporting import available_reports, run_reports

    console = out()
    if list_:
        rows = [
            {"name": s.NAME, "uses": ", ".join(s.NEEDS), "shows": s.DESCRIPTION}
            for s in available_reports().values()
        ]
        console.print(table(pl.DataFrame(rows)))
        return
    if name is None:
        raise BenchkbError("name a report or 'all' (benchkb report --list shows them)")
    names = None if name == "all" else [name]
    if names is not None:
        _check_selection(name, benchmark=benchmark, metric=metric)
    with KB(db) as kb:
        outcomes = run_reports(kb, out_dir, names=names, fmt=fmt, benchmark=benchmark, metric=metric)
    if names is not None and outcomes[0].path is None:
        raise EmptySelectionError(f"{name}: {outcomes[0].message}")
    for outcome in outcomes:
        if outcome.path is not None:
            console.print(f"wrote {outcome.path}  {outcome.title}", highlight=False, markup=False)
        else:
            console.print(
                f"not drawn: {outcome.name}: {printable(outcome.message or '')}",
                highlight=False,
                markup=False,
            )
    console.print(f"index: {out_dir / 'index.html'}", highlight=False, markup=False)


def _check_selection(name: str, **selection: str | None) -> None:
    """Refuse --benchmark or --metric for a report that would silently ignore it."""
    from benchkb.reporting import find_report

    needs = find_report(name).NEEDS
    ignored = [option for option, value in selection.items() if value is not None and option not in needs]
    if ignored:
        raise BenchkbError(f"the {name} report takes no --{' or --'.join(ignored)}")
