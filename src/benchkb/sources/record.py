"""Turning one generic record (a dict from JSON Lines, CSV or Parquet) into a ``Paper``.

Columns with a well-known name fill ``Paper`` fields (``FIELD_ROLES``); every other column is kept in
``metadata``, so nothing in the input is dropped. A record that cannot be a paper raises ``InputError``, which
readers turn into a ``Reject`` for that record only.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.sources.identity import Identity, paper_identity, parse_arxiv_id
from benchkb.sources.options import ReadOptions

RAW_LIMIT = 200

# Column name -> the Paper field it fills. Date columns are listed in order of preference.
# A year column counts only when no date column can be read.
DATE_COLUMNS: tuple[str, ...] = ("published", "publishedAt", "published_at", "date", "update_date", "year")
ARXIV_COLUMNS: tuple[str, ...] = ("arxiv_id", "arxiv")
FIELD_ROLES: dict[str, str] = {
    "categories": "categories",
    "authors": "authors",
    "venue": "venue",
    **{name: "arxiv" for name in ARXIV_COLUMNS},
    **{name: "date" for name in DATE_COLUMNS},
}
_AUTHOR_SEPARATOR = re.compile(r"\s*[,;]\s*(?:and\s+)?|\s+and\s+")

# What building one record's Paper may raise: it rejects that record, never the read.
RECORD_ERRORS = (InputError, ValidationError, ValueError, TypeError)


def reject(path: Path, record: int, reason: str, raw: object = None) -> Reject:
    """A Reject for record ``record`` of ``path``, with the start of the offending input."""
    if raw is not None and not isinstance(raw, str):
        raw = json.dumps(raw, ensure_ascii=False, default=str)
    return Reject(
        file=str(path), record=record, reason=reason, raw=raw[:RAW_LIMIT] if raw is not None else None
    )


def numbered(item: Paper | Reject, number: int) -> Paper | Reject:
    """A paper marked with its record number, so a later stage (extraction, storage) can reject it by
    number."""
    if isinstance(item, Paper):
        item.record = number
    return item


def reader_paper(
    identity: Identity,
    *,
    title: str,
    abstract: str,
    published: tuple[dt.date, str] | None,
    authors: list[str],
    source_format: str,
    venue: str | None = None,
    metadata: dict[str, Any],
) -> Paper:
    """A Paper from what a reader found in a record: its identity, a parsed date with its precision, the
    authors (and their count); metadata values that are empty are left out."""
    return Paper(
        paper_id=identity.paper_id,
        arxiv_id=identity.arxiv_id,
        version=identity.version,
        title=clean_title(title),
        abstract=abstract,
        published=published[0] if published else None,
        published_precision=published[1] if published else None,
        authors=authors,
        author_count=len(authors) or None,
        venue=venue or None,
        source_format=source_format,
        metadata={key: value for key, value in metadata.items() if value not in (None, "")},
    )


def required_text(record: Mapping[str, Any], column: str, what: str) -> str:
    """The text of a required column (title, abstract); missing, blank or non-text rejects the record."""
    value = record.get(column)
    if value is None:
        raise InputError(f"missing {what} ({column!r})")
    if not isinstance(value, str):
        raise InputError(f"{what} ({column!r}) is not text but {type(value).__name__}")
    if not value.strip():
        raise InputError(f"empty {what} ({column!r})")
    return value


def clean_title(title: str) -> str:
    """Titles are wrapped over lines in arXiv data; one line with single spaces is what people search for."""
    if (
        "  " in title
        or "\n" in title
        or "\t" in title
        or "\r" in title
        or title[0].isspace()
        or title[-1].isspace()
    ):
        return " ".join(title.split())
    return title


def split_authors(value: object) -> list[str]:
    """Authors from a list, or from one string separated by commas, semicolons or 'and'."""
    if isinstance(value, str):
        return [name for name in _AUTHOR_SEPARATOR.split(value.strip()) if name]
    if isinstance(value, list):
        names = (item.get("name") if isinstance(item, dict) else item for item in value)
        return [str(name).strip() for name in names if name is not None and str(name).strip()]
    raise InputError(f"authors must be a list or a string, not {type(value).__name__}")


def split_categories(value: object) -> list[str]:
    if isinstance(value, str):
        return value.replace(",", " ").split()
    if isinstance(value, list):
        if all(type(item) is str and item and not item.isspace() for item in value):
            return value  # the common case, already clean
        return [str(item).strip() for item in value if item is not None and str(item).strip()]
    raise InputError(f"categories must be a list or a string, not {type(value).__name__}")


def parse_date(value: object) -> tuple[dt.date, str] | None:
    """``(date, precision)`` from an ISO date or timestamp, a year or an RFC 2822 date; else None."""
    if isinstance(value, str):
        return _parse_date_text(value.strip())
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    if isinstance(value, int) and not isinstance(value, bool):
        return _year_date(value)
    return None


def _parse_date_text(text: str) -> tuple[dt.date, str] | None:
    try:
        if len(text) >= 10 and text[4] == "-":
            return dt.date.fromisoformat(text[:10]), "day"
        if len(text) == 7 and text[4] == "-":
            return dt.date(int(text[:4]), int(text[5:]), 1), "month"
        if len(text) == 4 and text.isdigit():
            return _year_date(int(text))
        return email.utils.parsedate_to_datetime(text).date(), "day"
    except (ValueError, TypeError, IndexError):
        return None


def _year_date(year: int) -> tuple[dt.date, str] | None:
    return (dt.date(year, 1, 1), "year") if 1000 <= year <= 9999 else None


class RecordMapper:
    """Builds the Paper of each generic record of one read.

    Made once per read, so the per-record work is a few dict lookups: the corpus is read at tens of thousands
    of records a second. A record that cannot be a paper raises ``InputError`` (without file or record
    number).
    """

    def __init__(self, options: ReadOptions, source_format: str) -> None:
        self._title = options.title_col
        self._abstract = options.abstract_col
        self._id = options.id_col
        self._format = source_format
        self._known = frozenset({self._title, self._abstract, self._id, *FIELD_ROLES})
        self.required_columns = (self._title, self._abstract)

    def paper(self, record: Mapping[str, Any]) -> Paper:
        title = required_text(record, self._title, "title")
        fields: dict[str, Any] = {
            "title": clean_title(title),
            "abstract": required_text(record, self._abstract, "abstract").strip(),
            "source_format": self._format,
            "metadata": {column: value for column, value in record.items() if column not in self._known},
        }
        if (authors := record.get("authors")) is not None:
            fields["authors"] = split_authors(authors)
            fields["author_count"] = len(fields["authors"]) or None
        if (categories := record.get("categories")) is not None:
            fields["categories"] = split_categories(categories)
        if (venue := record.get("venue")) is not None:
            fields["venue"] = str(venue)
        _fill_published(record, fields)
        fields["paper_id"], fields["arxiv_id"], fields["version"] = self._identity(
            record, title, fields["metadata"]
        )
        return Paper.model_validate(fields)

    def _identity(self, record: Mapping[str, Any], title: str, metadata: dict[str, Any]) -> Identity:
        """An arXiv column names the paper; the own id then goes to metadata, as does a bad arXiv value."""
        own_id = record.get(self._id)
        for column in ARXIV_COLUMNS:
            value = record.get(column)
            if value is None:
                continue
            if isinstance(value, str) and parse_arxiv_id(value) is not None:
                if own_id is not None:
                    metadata[self._id] = own_id
                return paper_identity(title=title, arxiv=value)
            metadata[column] = value
        return paper_identity(title=title, own_id=own_id)


def _fill_published(record: Mapping[str, Any], fields: dict[str, Any]) -> None:
    """The first readable date column wins (a year gives Jan 1, year precision); the others go to metadata."""
    chosen = False
    for column in DATE_COLUMNS:
        value = record.get(column)
        if value is None:
            continue
        if not chosen and (parsed := parse_date(value)) is not None:
            chosen = True
            fields["published"], fields["published_precision"] = parsed
        else:
            fields["metadata"][column] = value


def reason_of(error: Exception) -> str:
    """One line saying why a record failed: the InputError message, or the first pydantic complaint."""
    if isinstance(error, InputError):
        return error.reason
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"invalid {where}: {first['msg']}"
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def json_problem(error: ValueError | RecursionError) -> str:
    """Why ``json.loads`` failed, when it is not a syntax error: nesting deeper than Python recurses, or a
    number longer than Python converts."""
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return str(error).split(":")[0].split(";")[0]


def json_type(value: object) -> str:
    """The JSON name of a decoded value's type, for messages."""
    names = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return names.get(type(value), "null" if value is None else type(value).__name__)
