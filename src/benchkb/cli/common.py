"""What every command shares: the --db option, errors as one line, progress bars and table output."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from benchkb.errors import BenchkbError
from benchkb.rows import Rows

if TYPE_CHECKING:
    import polars as pl

    from benchkb.store import Store

F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[Path | None, typer.Option("--db", envvar="BENCHKB_DB", show_default=False,
                                               help="Knowledge base file [default: ./benchkb.duckdb].")]
FORMATS = ("table", "csv", "json", "jsonl", "parquet")

err = Console(stderr=True, soft_wrap=True, highlight=False)  # one problem, one line


def out() -> Console:
    """Console for results; as wide as needed when the output is a file or a pipe."""
    terminal = sys.stdout.isatty()
    return Console(width=None if terminal else 10_000, soft_wrap=not terminal, highlight=False)


def handle_errors(command: F) -> F:
    """Run a command so that benchkb's errors become one line on stderr and a non-zero exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BenchkbError as exc:
            message = str(exc).strip() or type(exc).__name__
            err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def progress_bar(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A progress bar (on stderr) when output goes to a terminal; otherwise a callback that does nothing."""
    if not (sys.stdout.isatty() and sys.stderr.isatty()):
        yield lambda advance: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda advance: bar.advance(task, advance)


def fetch(store: Store, sql: str, params: list[Any] | None, fmt: str) -> pl.DataFrame | Rows:
    """A query's result for ``write_frame``: a data frame for Parquet (the typed format), else plain rows,
    which spare the command line the import of polars."""
    return store.query(sql, params) if fmt == "parquet" else store.rows(sql, params)


def write_frame(frame: pl.DataFrame | Rows, fmt: str, out_path: Path | None = None, *,
                title: str | None = None) -> None:
    """Print or write a result in one of FORMATS."""
    if fmt not in FORMATS:
        raise BenchkbError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if isinstance(frame, Rows):
            raise TypeError("Parquet is written from a data frame (Store.query), not from plain rows")
        if out_path is None and sys.stdout.isatty():
            raise BenchkbError("parquet is binary: give --out FILE or redirect the output")
        target: Any = out_path if out_path is not None else sys.stdout.buffer
        frame.write_parquet(target)
        return
    text = render(frame if isinstance(frame, Rows) else Rows.of(frame), fmt, title=title)
    if out_path is not None:
        out_path.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def render(rows: Rows, fmt: str, *, title: str | None = None) -> str:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(rows.columns)
        writer.writerows([_csv_cell(value) for value in row] for row in rows.values)
        return buffer.getvalue()
    if fmt == "json":
        return json.dumps(rows.dicts(), ensure_ascii=False, default=str, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in rows.dicts())
    buffer = io.StringIO()
    console = Console(file=buffer, width=None if sys.stdout.isatty() else 10_000, highlight=False,
                      force_terminal=sys.stdout.isatty(), soft_wrap=False)
    console.print(table(rows, title=title))
    return buffer.getvalue()


def table(rows: pl.DataFrame | Rows, *, title: str | None = None) -> Table:
    rows = rows if isinstance(rows, Rows) else Rows.of(rows)
    grid = Table(title=title, show_lines=False, title_justify="left")
    for column, numeric in zip(rows.columns, rows.numeric):
        grid.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for row in rows.values:
        grid.add_row(*(_cell(value) for value in row))
    return grid


def _csv_cell(value: Any) -> Any:
    """CSV has no lists, booleans or dates: lists are joined with '; ' (as in reports), the rest as text."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
