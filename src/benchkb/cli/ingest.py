"""benchkb ingest / extract."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from benchkb.cli.common import (
    DbOption,
    err,
    handle_errors,
    out,
    print_error,
    progress_bar,
    require_files,
    stop_on_interrupt,
)
from benchkb.errors import InputError, Interrupted

if TYPE_CHECKING:
    from benchkb.ingest import IngestSettings
    from benchkb.store import Store

# Written out rather than read from benchkb.sources, whose readers take 0.2 s to import on every start of the
# command line; a test checks that it names every format.
FORMAT_HELP = (
    "Input format (hf-page, hf-api, arxiv-atom, arxiv-jsonl, jsonl, csv, parquet, openalex, "
    "s2-papers, s2-abstracts); detected from the name and content when omitted."
)
MAX_RECORD_BYTES = 1 << 20  # benchkb.sources.options.MAX_RECORD_BYTES, written out for the same reason
DEFAULT_BUDGET = 2.0  # benchkb.annotate.DEFAULT_BUDGET, written out for the same reason (spaCy)
BUDGET_HELP = (
    "CPU seconds of extraction one record may take; a record past it is rejected with its reason "
    "(0: no limit)."
)

# How inputs are read and budgeted, the same for ingest and extract-many.
FormatOption = Annotated[Optional[str], typer.Option("--format", help=FORMAT_HELP, show_default=False)]
IdColumnOption = Annotated[str, typer.Option(help="Column holding the record id (JSON Lines, CSV, Parquet).")]
TitleColumnOption = Annotated[str, typer.Option(help="Column holding the title.")]
AbstractColumnOption = Annotated[str, typer.Option(help="Column holding the abstract.")]
YearOption = Annotated[
    Optional[int],
    typer.Option(
        help="Year for dates written without one (HF page) [default: this year].", show_default=False
    ),
]
BudgetOption = Annotated[float, typer.Option(help=BUDGET_HELP)]


@handle_errors
def ingest(
    files: Annotated[
        list[Path], typer.Argument(help="Input files (.gz read transparently).", show_default=False)
    ],
    db: DbOption = None,
    fmt: FormatOption = None,
    id_col: IdColumnOption = "id",
    title_col: TitleColumnOption = "title",
    abstract_col: AbstractColumnOption = "abstract",
    year: YearOption = None,
    extract: Annotated[
        bool, typer.Option("--extract/--no-extract", help="Extract claims, or only store papers.")
    ] = True,
    on_error: Annotated[
        str, typer.Option(help="On a bad record: 'skip' (keep it in the rejects table) or 'raise'.")
    ] = "skip",
    workers: Annotated[
        Optional[int],
        typer.Option(help="Extraction processes [default: all cores for large files].", show_default=False),
    ] = None,
    max_record_bytes: Annotated[
        int, typer.Option(help="Reject a record (line, entry, item) longer than this.")
    ] = MAX_RECORD_BYTES,
    record_budget: BudgetOption = DEFAULT_BUDGET,
) -> None:
    """Read abstracts, extract their claims and store both.

    Ctrl-C stops within seconds, keeping what is stored; the same command then continues where it stopped.

    Example: benchkb ingest ../shared/corpus/arxiv-daily.jsonl.gz --db corpus.duckdb
    """
    from benchkb.annotate import Annotator  # imported here: spaCy is slow to import, other commands skip it
    from benchkb.ingest import IngestInterrupted, IngestSettings, ingest_file
    from benchkb.sources import ReadOptions, plan_inputs
    from benchkb.store import Store

    if on_error not in {"skip", "raise"}:
        raise InputError(f"--on-error must be 'skip' or 'raise', not {on_error!r}")
    require_files(files)
    settings = IngestSettings(
        read=ReadOptions(
            format=fmt,
            id_col=id_col,
            title_col=title_col,
            abstract_col=abstract_col,
            year=year,
            max_record_bytes=max_record_bytes,
        ),
        extract=extract,
        on_error=on_error,
        workers=workers,
        record_budget=record_budget or None,
    )
    inputs = plan_inputs(files, fmt)
    annotator = Annotator() if extract else None
    failed = 0
    done = 0  # records of this command committed, for the line printed on Ctrl-C
    with Store(db) as store, stop_on_interrupt() as stop, s2_titles(inputs.s2_papers, settings) as settings:
        if annotator is not None:
            store.replace_catalog(annotator.catalog.table_rows())
        for path, found in inputs.files:
            try:
                with ingest_progress(path, found) as advance:
                    summary = ingest_file(store, path, settings, annotator, advance, stop=stop)
            except IngestInterrupted as exc:
                raise Interrupted(
                    f"interrupted after {done + exc.summary.read} records; run the same command to continue"
                ) from None
            except InputError as exc:
                if on_error == "raise":
                    raise
                print_error(exc)
                failed += 1
                continue
            done += summary.read
            out().print(summary.line(), highlight=False, markup=False)
            _report_rejects(store, summary.rejected)
    if failed:
        raise typer.Exit(1)


@contextmanager
def s2_titles(papers_files: list[Path], settings: IngestSettings) -> Iterator[IngestSettings]:
    """Index the Semantic Scholar papers files of a command (in a temporary directory: $TMPDIR) for the
    abstracts files to find their titles; the settings to read with."""
    if not papers_files:
        yield settings
        return
    from benchkb.sources.semantic_scholar import build_index

    with tempfile.TemporaryDirectory(prefix="benchkb-s2-") as directory:
        index = Path(directory) / "s2-papers.duckdb"
        indexed = build_index(papers_files, index)
        names = ", ".join(str(path) for path in papers_files)
        out().print(
            f"{names}: Semantic Scholar papers, {indexed} indexed for the abstracts files",
            highlight=False,
            markup=False,
        )
        yield settings.model_copy(update={"read": settings.read.model_copy(update={"s2_index": index})})


@contextmanager
def ingest_progress(path: Path, fmt: str | None) -> Iterator[Callable[[int, int], None]]:
    """A progress bar over the bytes of the file (compressed bytes for gzip), with the time left, on a
    terminal; over records, without a total, for Parquet (read by row groups, not bytes)."""
    if not (sys.stdout.isatty() and sys.stderr.isatty()):
        yield lambda records, read: None
        return
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from benchkb.sources import detect_format

    by_bytes = (fmt or detect_format(path)) != "parquet"
    columns = [
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[records]:,} records"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(f"ingest {path.name}", total=path.stat().st_size if by_bytes else None, records=0)
        yield lambda records, read: bar.update(task, completed=read if by_bytes else records, records=records)


def _report_rejects(store: Store, rejected: int) -> None:
    if not rejected:
        return
    rows = store.query(
        "SELECT file, record, reason FROM rejects WHERE run_id = "
        "(SELECT max(run_id) FROM ingest_runs) ORDER BY record LIMIT 5"
    ).iter_rows()
    for file, record, reason in rows:
        err.print(f"rejected: {file}, record {record}: {reason}", highlight=False, markup=False)
    if rejected > 5:
        err.print(f"... and {rejected - 5} more (SELECT * FROM rejects)", highlight=False)


@handle_errors
def extract(
    db: DbOption = None,
    resolve_only: Annotated[
        bool,
        typer.Option(
            "--resolve-only",
            help="Only resolve stored claims against the current catalog (no re-tokenising).",
        ),
    ] = False,
    missing_only: Annotated[
        bool, typer.Option("--missing-only", help="Only papers stored with --no-extract.")
    ] = False,
    workers: Annotated[int, typer.Option(help="Extraction processes.")] = 1,
) -> None:
    """Re-extract the claims of stored papers.

    Run it after the rules or the catalog changed (--resolve-only when only the catalog did).

    Example: benchkb extract --resolve-only
    """
    from benchkb.annotate import Annotator
    from benchkb.catalog import Catalog
    from benchkb.ingest import reextract, resolve_stored
    from benchkb.store import Store

    with Store(db) as store:
        if resolve_only:
            catalog = Catalog.load()
            store.replace_catalog(catalog.table_rows())
            changed = resolve_stored(store, catalog)
            out().print(f"resolved {changed} claims against the catalog", highlight=False)
            return
        annotator = Annotator()
        store.replace_catalog(annotator.catalog.table_rows())
        total = store.count_papers(only_unextracted=missing_only)
        with progress_bar("extract", total) as advance:
            written = reextract(
                store, annotator, only_unextracted=missing_only, workers=workers, progress=advance
            )
        out().print(f"extracted {written} claims from {total} papers", highlight=False)
