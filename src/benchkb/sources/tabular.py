"""Readers for the row formats: JSON Lines (generic and the arXiv snapshot), CSV and Parquet.

Every reader streams: one line or one Parquet batch at a time. A bad record becomes a ``Reject`` and reading
goes on; damage that ends the stream (a truncated gzip) gives one last ``Reject`` where it broke.
"""

from __future__ import annotations

import csv
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.sources.arxiv_snapshot import paper_from_snapshot
from benchkb.sources.opening import is_gzip, numbered_lines, too_long
from benchkb.sources.options import ReadOptions
from benchkb.sources.record import (
    RECORD_ERRORS,
    RecordMapper,
    json_problem,
    json_type,
    numbered,
    reason_of,
    reject,
)

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

PARQUET_BATCH_ROWS = 2048


def json_objects(path: Path, limit: int) -> Iterator[tuple[int, str, dict[str, Any]] | Reject]:
    """Yield ``(line number, line, object)`` for each JSON object line, a Reject for any other line (and for a
    line longer than ``limit`` bytes)."""
    try:
        for number, line in numbered_lines(path, limit):
            if line is None:
                yield reject(path, number, too_long(limit))
                continue
            if not line or line.isspace():
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as error:
                yield reject(
                    path, number, f"invalid UTF-8 at byte {error.start}", line.decode("utf-8", "replace")
                )
                continue
            if number == 1:
                text = text.removeprefix("\ufeff")  # a byte-order mark some editors write
            try:
                record = json.loads(text)
            except json.JSONDecodeError as error:
                yield reject(path, number, f"invalid JSON: {error.msg} (column {error.colno})", text)
                continue
            except (ValueError, RecursionError) as error:  # a number of over 4,300 digits; nesting
                yield reject(path, number, f"invalid JSON: {json_problem(error)}", text)
                continue
            if not isinstance(record, dict):
                yield reject(path, number, f"record is not a JSON object but {json_type(record)}", text)
                continue
            yield number, text, record
    except InputError as damage:
        if damage.record is None:
            raise
        yield reject(path, damage.record, damage.reason)


def papers_from_json_lines(
    path: Path, build: Callable[[dict[str, Any]], Paper], limit: int
) -> Iterator[Paper | Reject]:
    for item in json_objects(path, limit):
        if isinstance(item, Reject):
            yield item
            continue
        number, text, record = item
        try:
            yield numbered(build(record), number)
        except RECORD_ERRORS as error:
            yield reject(path, number, reason_of(error), text)


def read_jsonl(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    return papers_from_json_lines(path, RecordMapper(options, "jsonl").paper, options.max_record_bytes)


def read_arxiv_jsonl(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    return papers_from_json_lines(path, paper_from_snapshot, options.max_record_bytes)


def require_columns(columns: Iterable[str], options: ReadOptions, path: Path) -> None:
    """A table without a title or abstract column holds no papers: that is the file's problem, not a row's."""
    present = set(columns)
    missing = [name for name in (options.title_col, options.abstract_col) if name not in present]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        raise InputError(f"no column {names} (columns: {', '.join(sorted(present))})", file=str(path))


class _RecordTooLong(Exception):
    pass


class _TextLines:
    """The lines of a CSV file as text for ``csv.reader``, with their line ends back on so that it can tell a
    quoted field running over lines. Invalid bytes survive as lone surrogates, so the parser keeps going and
    only their row is rejected. A line over the size limit raises ``_RecordTooLong`` in its place; the reader
    starts its next row afresh after that, and after ``reread_all_but_first``."""

    def __init__(self, path: Path, limit: int) -> None:
        self._lines = numbered_lines(path, limit)
        self._again: deque[str] = deque()
        self.row_lines: list[str] = []  # the lines of the row being read
        self.exhausted = False

    def __iter__(self) -> _TextLines:
        return self

    def __next__(self) -> str:
        if self._again:
            line = self._again.popleft()
        else:
            try:
                _, raw = next(self._lines)
            except StopIteration:
                self.exhausted = True
                raise
            if raw is None:
                raise _RecordTooLong
            line = raw.decode("utf-8", "surrogateescape") + "\n"
        self.row_lines.append(line)
        return line

    def next_row(self) -> None:
        self.row_lines = []

    def reread_all_but_first(self) -> str:
        """A row that ran over lines and came out wrong was a quote left open: its first line is the bad
        record, and the lines after it are read again as rows of their own."""
        first, *rest = self.row_lines
        self._again.extendleft(reversed(rest))
        self.row_lines = []
        return first.rstrip("\n")


def read_csv(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    """CSV with a header row; record numbers count data rows. Empty cells are missing values."""
    mapper = RecordMapper(options, "csv")
    lines = _TextLines(path, options.max_record_bytes)
    rows = csv.reader(lines)
    try:
        header = next(rows, None)
    except (csv.Error, _RecordTooLong) as error:
        problem = str(error) or too_long(options.max_record_bytes)
        raise InputError(f"unreadable CSV header: {problem}", file=str(path)) from error
    if header is None:
        return
    header[0] = header[0].removeprefix("\ufeff")
    require_columns(header, options, path)
    number = 0
    while True:
        number += 1
        lines.next_row()
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            raw = lines.reread_all_but_first() if len(lines.row_lines) > 1 else None
            yield reject(path, number, f"invalid CSV: {error}", raw)
            continue
        except _RecordTooLong:
            yield reject(path, number, too_long(options.max_record_bytes))
            continue
        except InputError as damage:
            if damage.record is None:
                raise
            yield reject(path, number, damage.reason)
            return
        if row and len(lines.row_lines) > 1 and (len(row) != len(header) or _open_at_the_end(row, lines)):
            raw = lines.reread_all_but_first()
            yield reject(path, number, "invalid CSV: a quote opened on this line is not closed on it", raw)
        elif row:
            yield numbered(_paper_from_row(path, number, header, row, mapper), number)


def _open_at_the_end(row: list[str], lines: _TextLines) -> bool:
    """A quote still open when the file ends (its last field holds the final line end) was never closed."""
    return lines.exhausted and row[-1].endswith("\n")


def _paper_from_row(
    path: Path, number: int, header: list[str], row: list[str], mapper: RecordMapper
) -> Paper | Reject:
    raw = ",".join(row)
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        return reject(
            path,
            number,
            "invalid UTF-8 in row",
            raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
        )
    if len(row) != len(header):
        return reject(path, number, f"row has {len(row)} fields, the header has {len(header)}", raw)
    # An empty cell is an absent value, except that an empty title or abstract is reported as such.
    required = mapper.required_columns
    record = {name: value for name, value in zip(header, row, strict=True) if value or name in required}
    try:
        return mapper.paper(record)
    except RECORD_ERRORS as error:
        return reject(path, number, reason_of(error), raw)


def read_parquet(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    """Parquet read one batch at a time; record numbers count rows from 1."""
    if is_gzip(path):
        raise InputError("gzip-compressed Parquet is not supported; decompress it first", file=str(path))
    import pyarrow as pa  # imported here: the command line reads this package to start, and pyarrow is slow
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as error:
        raise InputError(f"not a readable Parquet file: {error}", file=str(path)) from error
    require_columns(table.schema_arrow.names, options, path)
    return _parquet_rows(path, table, options)


def _decoded_rows(batch: pa.RecordBatch) -> Iterator[dict[str, Any] | None]:
    """The batch's rows; None for a row whose text is not UTF-8 (Parquet does not check what a writer
    stored)."""
    try:
        yield from batch.to_pylist()
    except UnicodeDecodeError:
        for index in range(batch.num_rows):
            try:
                yield batch.slice(index, 1).to_pylist()[0]
            except UnicodeDecodeError:
                yield None


def _parquet_rows(path: Path, table: pq.ParquetFile, options: ReadOptions) -> Iterator[Paper | Reject]:
    import pyarrow as pa

    mapper = RecordMapper(options, "parquet")
    number = 0
    try:
        for batch in table.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            for record in _decoded_rows(batch):
                number += 1
                if record is None:
                    yield reject(path, number, "invalid UTF-8 in row")
                    continue
                try:
                    yield numbered(mapper.paper(record), number)
                except RECORD_ERRORS as error:
                    yield reject(path, number, reason_of(error), record)
    except (pa.ArrowException, OSError) as error:
        yield reject(path, number + 1, f"unreadable Parquet data: {error}")
    finally:
        table.close()
