"""benchkb extract-many / load: the Parquet interchange for inputs too large for one ingest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from benchkb.cli.common import DbOption, handle_errors, out, progress_bar, require_files, stop_on_interrupt
from benchkb.cli.ingest import (
    DEFAULT_BUDGET,
    MAX_RECORD_BYTES,
    AbstractColumnOption,
    BudgetOption,
    FormatOption,
    IdColumnOption,
    TitleColumnOption,
    YearOption,
    _report_rejects,
)
from benchkb.errors import InputError, Interrupted

ENGINE_HELP = (
    "'local' (worker processes on this machine) or 'ray' (Ray Data; needs pip install 'benchkb[ray]')."
)


@handle_errors
def extract_many(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Input files: JSON Lines or Parquet shards, or any format ingest reads.", show_default=False
        ),
    ],
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            help="New or empty directory for papers/, claims/ and rejects/ as Parquet.",
            show_default=False,
        ),
    ],
    engine: Annotated[str, typer.Option(help=ENGINE_HELP)] = "local",
    address: Annotated[
        Optional[str],
        typer.Option(
            help="Ray cluster to join (e.g. ray://head:10001 or auto) [default: start Ray here].",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        Optional[int],
        typer.Option(help="Extraction processes or Ray actors [default: every CPU].", show_default=False),
    ] = None,
    fmt: FormatOption = None,
    id_col: IdColumnOption = "id",
    title_col: TitleColumnOption = "title",
    abstract_col: AbstractColumnOption = "abstract",
    year: YearOption = None,
    batch_size: Annotated[
        int, typer.Option(help="Records per batch (one Parquet file of each kind).")
    ] = 10_000,
    record_budget: BudgetOption = DEFAULT_BUDGET,
) -> None:
    """Extract many files into Parquet, here or on a Ray cluster.

    Then `benchkb load DIR` stores them, or DuckDB queries them where they are.

    Example: benchkb extract-many ../shared/corpus/*.jsonl.gz --out claims-parquet --engine ray
    """
    from benchkb.many import ManySettings
    from benchkb.many import extract_many as run
    from benchkb.sources import ReadOptions, plan_inputs

    if engine not in {"local", "ray"}:
        raise InputError(f"--engine must be 'local' or 'ray', not {engine!r}")
    require_files(inputs)
    plan = plan_inputs(inputs, fmt)
    settings = ManySettings(
        read=ReadOptions(
            format=fmt,
            id_col=id_col,
            title_col=title_col,
            abstract_col=abstract_col,
            year=year,
            max_record_bytes=MAX_RECORD_BYTES,
        ),
        engine=engine,
        address=address,
        workers=workers,
        batch_size=batch_size,
        record_budget=record_budget or None,
    )
    with stop_on_interrupt() as stop, progress_bar(f"extract-many ({engine})", None) as advance:
        try:
            summary = run(
                plan.files, out_dir, settings, s2_papers=plan.s2_papers, progress=advance, stop=stop
            )
        except Interrupted:
            raise Interrupted(
                f"interrupted; {out_dir} holds the batches written so far (benchkb load reads them)"
            ) from None
    out().print(summary.line(), highlight=False, markup=False)


@handle_errors
def load(
    directory: Annotated[
        Path, typer.Argument(help="A directory written by extract-many.", show_default=False)
    ],
    db: DbOption = None,
) -> None:
    """Store what extract-many wrote.

    Every row is validated and every claim checked against its abstract (text == abstract[start:end]); bad
    rows are rejected with their file and row. Loading again changes nothing.

    Example: benchkb load claims-parquet --db corpus.duckdb
    """
    from benchkb.catalog import Catalog
    from benchkb.ingest import IngestInterrupted
    from benchkb.load import load_directory
    from benchkb.store import Store

    with (
        Store(db) as store,
        stop_on_interrupt() as stop,
        progress_bar(f"load {directory.name}", None) as advance,
    ):
        store.replace_catalog(Catalog.load().table_rows())
        try:
            summary = load_directory(store, directory, progress=advance, stop=stop)
        except IngestInterrupted as exc:
            raise Interrupted(
                f"interrupted after {exc.summary.read} records; run the same command to continue"
            ) from None
        out().print(summary.line(), highlight=False, markup=False)
        _report_rejects(store, summary.rejected)
