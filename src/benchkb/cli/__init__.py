"""The command line: a thin layer over the library. Every command has --help with a runnable example.

Command modules import the library inside their functions: spaCy, Altair, polars and pyarrow take a second to
import, and `benchkb --help`, `sql`, `papers` and `show` must start in a fraction of that
(benchmarks/startup.py).
"""

from __future__ import annotations

from typing import Annotated

import typer

from benchkb import __version__
from benchkb.cli import (
    audit,
    catalog,
    demo,
    evaluate,
    ingest,
    many,
    plain_values,
    query,
    report,
    review,
    train,
)

plain_values.install()  # str, bool and Path values without pydantic: 0.1 s less at every start
app = typer.Typer(
    name="benchkb",
    help="A knowledge base of the numeric claims in paper abstracts: ingest, query, chart and audit them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.command("ingest")(ingest.ingest)
app.command("extract")(ingest.extract)
app.command("extract-many")(many.extract_many)
app.command("load")(many.load)
app.command("sql")(query.sql)
app.command("papers")(query.papers)
app.command("show")(query.show)
app.command("eval")(evaluate.evaluate)
app.command("train")(train.train)
app.command("demo")(demo.demo)
app.command("report")(report.report)
app.command("audit", cls=audit.AuditCommand)(audit.audit)
app.command("serve")(review.serve)

export_app = typer.Typer(help="Export claims, or reviews in the gold format.", no_args_is_help=True)
export_app.command("claims")(query.export_claims)
export_app.command("reviews")(review.export_reviews)
app.add_typer(export_app, name="export")
app.add_typer(catalog.app, name="catalog")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"benchkb {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """A knowledge base of the numeric claims in paper abstracts: ingest, query, chart and audit them."""


def main() -> None:
    app()
