"""Readers for the row formats: JSON Lines (generic and the arXiv snapshot), CSV and Parquet.

Every reader streams: one line or one Parquet batch at a time. A bad record becomes a ``Reject`` and reading
goes on; damage that ends the stream (a truncated gzip) gives one last ``Reject`` where it broke.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.sources.arxiv_snapshot import paper_from_snapshot
from benchkb.sources.opening import is_gzip, numbered_lines
from benchkb.sources.options import ReadOptions
from benchkb.sources.record import RECORD_ERRORS, RecordMapper, json_type, numbered, reason_of, reject

PARQUET_BATCH_ROWS = 2048


def json_objects(path: Path) -> Iterator[tuple[int, str, dict[str, Any]] | Reject]:
    """Yield ``(line number, line, object)`` for each JSON object line, a Reject for any other line."""
    try:
        for number, line in numbered_lines(path):
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
            if not isinstance(record, dict):
                yield reject(path, number, f"record is not a JSON object but {json_type(record)}", text)
                continue
            yield number, text, record
    except InputError as damage:
        if damage.record is None:
            raise
        yield reject(path, damage.record, damage.reason)


def papers_from_json_lines(path: Path, build: Callable[[dict[str, Any]], Paper]) -> Iterator[Paper | Reject]:
    for item in json_objects(path):
        if isinstance(item, Reject):
            yield item
            continue
        number, text, record = item
        try:
            yield numbered(build(record), number)
        except RECORD_ERRORS as error:
            yield reject(path, number, reason_of(error), text)


def read_jsonl(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    return papers_from_json_lines(path, RecordMapper(options, "jsonl").paper)


def read_arxiv_jsonl(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    return papers_from_json_lines(path, paper_from_snapshot)


def require_columns(columns: Iterable[str], options: ReadOptions, path: Path) -> None:
    """A table without a title or abstract column holds no papers: that is the file's problem, not a row's."""
    present = set(columns)
    missing = [name for name in (options.title_col, options.abstract_col) if name not in present]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        raise InputError(f"no column {names} (columns: {', '.join(sorted(present))})", file=str(path))


def _text_lines(path: Path) -> Iterator[str]:
    # Invalid bytes survive as lone surrogates, so the CSV parser keeps going and only their row is rejected.
    # The line end goes back on, so the CSV parser can tell a quoted field running over lines.
    for _, line in numbered_lines(path):
        yield line.decode("utf-8", "surrogateescape") + "\n"


def read_csv(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    """CSV with a header row; record numbers count data rows. Empty cells are missing values."""
    mapper = RecordMapper(options, "csv")
    rows = csv.reader(_text_lines(path))
    header = next(rows, None)
    if header is None:
        return
    header[0] = header[0].removeprefix("\ufeff")
    require_columns(header, options, path)
    number = 0
    while True:
        number += 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            yield reject(path, number, f"invalid CSV: {error}")
            continue
        except InputError as damage:
            if damage.record is None:
                raise
            yield reject(path, number, damage.reason)
            return
        if row:
            yield numbered(_paper_from_row(path, number, header, row, mapper), number)


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
    try:
        table = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as error:
        raise InputError(f"not a readable Parquet file: {error}", file=str(path)) from error
    require_columns(table.schema_arrow.names, options, path)
    return _parquet_rows(path, table, options)


def _parquet_rows(path: Path, table: pq.ParquetFile, options: ReadOptions) -> Iterator[Paper | Reject]:
    mapper = RecordMapper(options, "parquet")
    number = 0
    try:
        for batch in table.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            for record in batch.to_pylist():
                number += 1
                try:
                    yield numbered(mapper.paper(record), number)
                except RECORD_ERRORS as error:
                    yield reject(path, number, reason_of(error), record)
    except (pa.ArrowException, OSError) as error:
        yield reject(path, number + 1, f"unreadable Parquet data: {error}")
    finally:
        table.close()
