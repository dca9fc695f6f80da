"""What every command shares: the --db option, turning errors into one line, progress bars and table output."""

from __future__ import annotations

import functools
import io
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from benchkb.errors import BenchkbError, Interrupted
from benchkb.kb import flat_lists

F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[Path | None, typer.Option("--db", envvar="BENCHKB_DB", help="Knowledge base file [default: ./benchkb.duckdb].", show_default=False)]
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
            if isinstance(exc, Interrupted):  # the user's doing, not an error
                err.print(message, markup=False, highlight=False, soft_wrap=True)
            else:
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
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda advance: bar.advance(task, advance)


def write_frame(frame: pl.DataFrame, fmt: str, out_path: Path | None = None, *, title: str | None = None) -> None:
    """Print or write a result in one of FORMATS."""
    if fmt not in FORMATS:
        raise BenchkbError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if out_path is None and sys.stdout.isatty():
            raise BenchkbError("parquet is binary: give --out FILE or redirect the output")
        target: Any = out_path if out_path is not None else sys.stdout.buffer
        frame.write_parquet(target)
        return
    text = render(frame, fmt, title=title)
    if out_path is not None:
        out_path.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def render(frame: pl.DataFrame, fmt: str, *, title: str | None = None) -> str:
    if fmt == "csv":
        return flat_lists(frame).write_csv()  # CSV has no lists
    if fmt == "json":
        return json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in frame.to_dicts())
    buffer = io.StringIO()
    console = Console(file=buffer, width=None if sys.stdout.isatty() else 10_000, highlight=False,
                      force_terminal=sys.stdout.isatty(), soft_wrap=False)
    console.print(table(frame, title=title))
    return buffer.getvalue()


def table(frame: pl.DataFrame, *, title: str | None = None) -> Table:
    grid = Table(title=title, show_lines=False, title_justify="left")
    for column in frame.columns:
        numeric = frame.schema[column].is_numeric()
        grid.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for row in frame.iter_rows():
        grid.add_row(*(_cell(value) for value in row))
    return grid


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
