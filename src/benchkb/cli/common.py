"""What every command shares: the --db option, turning errors into one line, progress bars, checked --out
paths and table output.

Paper text is data on every output: table cells and error messages are rich ``Text`` (never parsed as markup,
so a title holding ``[/INST]`` prints as written), with control characters neutralised (``benchkb.sanitize``);
CSV cells cannot start a spreadsheet formula, and JSON holds null where a number is not finite."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from benchkb.errors import BenchkbError, InputError, Interrupted
from benchkb.rows import Rows
from benchkb.sanitize import csv_cell, printable

if TYPE_CHECKING:
    import polars as pl

    from benchkb.store import Store

F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="BENCHKB_DB",
        show_default=False,
        help="Knowledge base file [default: ./benchkb.duckdb].",
    ),
]
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
            if isinstance(exc, Interrupted):  # the user's doing, not an error: no 'error:' before it
                err.print(Text(printable(str(exc).strip())), soft_wrap=True)
            else:
                print_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper  # type: ignore[return-value]


def print_error(error: BaseException) -> None:
    """One line on stderr: a red 'error:' and the message as written."""
    message = str(error).strip() or type(error).__name__
    err.print(Text.assemble(("error:", "bold red"), " ", printable(message)), soft_wrap=True)


def require_files(paths: list[Path]) -> None:
    """One error naming every input that does not exist."""
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise InputError(f"no such file: {', '.join(missing)}")


def out_file(path: Path | None) -> Path | None:
    """An --out file, refused before any work when it cannot be one."""
    if path is None:
        return None
    if path.is_dir():
        raise BenchkbError(f"--out {path} is a directory; give a file name")
    if not path.parent.is_dir():
        raise BenchkbError(f"cannot write {path}: directory {path.parent} does not exist")
    return path


@contextmanager
def stop_on_interrupt() -> Iterator[threading.Event]:
    """The first Ctrl-C sets the event, for the command to stop at its next safe point; a second one raises
    KeyboardInterrupt at once."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.getsignal(signal.SIGINT)

    def on_interrupt(signum: int, frame: object) -> None:
        stop.set()
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


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


def write_frame(
    frame: pl.DataFrame | Rows, fmt: str, out_path: Path | None = None, *, title: str | None = None
) -> None:
    """Print or write a result in one of FORMATS."""
    if fmt not in FORMATS:
        raise BenchkbError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    out_file(out_path)
    if fmt == "parquet" and isinstance(frame, Rows):
        raise TypeError("Parquet is written from a data frame (Store.query), not from plain rows")
    if fmt == "parquet" and out_path is None and sys.stdout.isatty():
        raise BenchkbError("parquet is binary: give --out FILE or redirect the output")
    try:
        if fmt == "parquet":
            _write_parquet(frame, out_path)
            return
        text = render(frame if isinstance(frame, Rows) else Rows.of(frame), fmt, title=title)
        if out_path is not None:
            out_path.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except OSError as exc:
        if out_path is None or isinstance(exc, BrokenPipeError):
            raise
        raise BenchkbError(f"cannot write {out_path}: {exc.strerror or exc}") from exc


def _write_parquet(frame: pl.DataFrame, out_path: Path | None) -> None:
    import polars as pl  # loaded already: the frame is one

    try:
        frame.write_parquet(out_path if out_path is not None else sys.stdout.buffer)
    except pl.exceptions.PolarsError as exc:
        if out_path is None:
            raise
        raise BenchkbError(f"cannot write {out_path}: {str(exc).splitlines()[0]}") from exc


def render(rows: Rows, fmt: str, *, title: str | None = None) -> str:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(rows.columns)
        writer.writerows([_csv_value(value) for value in row] for row in rows.values)
        return buffer.getvalue()
    if fmt == "json":
        return json.dumps(_json_rows(rows), ensure_ascii=False, default=str, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in _json_rows(rows))
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=None if sys.stdout.isatty() else 10_000,
        highlight=False,
        force_terminal=sys.stdout.isatty(),
        soft_wrap=False,
    )
    console.print(table(rows, title=title))
    return buffer.getvalue()


def table(rows: pl.DataFrame | Rows, *, title: str | None = None) -> Table:
    rows = rows if isinstance(rows, Rows) else Rows.of(rows)
    grid = Table(
        title=None if title is None else Text(printable(title)), show_lines=False, title_justify="left"
    )
    for column, numeric in zip(rows.columns, rows.numeric):
        grid.add_column(Text(printable(column)), justify="right" if numeric else "left", overflow="fold")
    for row in rows.values:
        grid.add_row(*(Text(printable(_cell(value))) for value in row))
    return grid


def _csv_value(value: Any) -> Any:
    """CSV has no lists, booleans or dates: lists are joined with '; ' (as in reports), the rest as text; text
    cannot start a spreadsheet formula (``benchkb.sanitize.csv_cell``)."""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str):
        return csv_cell(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _json_rows(rows: Rows) -> list[dict[str, Any]]:
    """Rows as JSON objects: JSON has no inf or nan, so a number that is not finite is null."""
    return [
        {
            name: None if isinstance(value, float) and not math.isfinite(value) else value
            for name, value in row.items()
        }
        for row in rows.dicts()
    ]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
