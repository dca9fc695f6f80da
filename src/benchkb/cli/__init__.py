"""The command line: a thin layer over the library. Every command has --help with a runnable example."""

from __future__ import annotations

import typer

from benchkb.cli import audit, catalog, demo, evaluate, ingest, many, query, report, train

app = typer.Typer(
    name="benchkb",
    help="A knowledge base of the numeric claims in paper abstracts: ingest, query, chart and audit them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
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
app.command("audit")(audit.audit)

export_app = typer.Typer(help="Export the knowledge base.", no_args_is_help=True)
export_app.command("claims")(query.export_claims)
app.add_typer(export_app, name="export")
app.add_typer(catalog.app, name="catalog")


def main() -> None:
    app()
