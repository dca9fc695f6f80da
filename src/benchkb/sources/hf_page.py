"""A Hugging Face Daily Papers page saved as text (select all, copy, paste).

Each entry is a title line, the abstract on one line, then optional metadata: ``• N authors`` or an
organisation line (``PekingUniversity Peking University``: a handle then the display name), a ``·`` line, and
a date such as ``Mar 5`` or ``May 5, 2025``, optionally followed by the upvote count (``May 5, 2025 4``, ``Feb
15 3``). Blank lines don't matter. The page furniture above the first entry (``Subscribe``, a bare date, ...)
is not a paper.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.sources.identity import NON_ALPHANUMERIC, title_id
from benchkb.sources.normalise import drop_field
from benchkb.sources.opening import numbered_lines, too_long
from benchkb.sources.options import ReadOptions
from benchkb.sources.record import numbered, reject

PAGE_FURNITURE: frozenset[str] = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "daily papers",
        "byak and the research community",
    }
)
MONTHS: dict[str, int] = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
SEPARATOR = "·"
_DATE = re.compile(
    r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:,\s*(?P<year>\d{4}))?(?:\s+(?P<upvotes>\d+))?"
)
_AUTHOR_COUNT = re.compile(r"[•·*-]?\s*(?P<count>\d+)\s+authors?", re.IGNORECASE)


class _Line(NamedTuple):
    text: str
    problem: str | None = None  # why the entry holding this line cannot be read


@dataclass
class _Entry:
    number: int
    title: _Line
    abstract: _Line | None = None
    metadata: list[_Line] = field(default_factory=list)


class _Lookahead:
    """The page's non-blank lines, stripped, with a window ahead.

    An organisation line is known only by the ``·`` line after it.
    """

    def __init__(self, path: Path, limit: int) -> None:
        self._lines = self._content(path, limit)
        self._ahead: deque[_Line] = deque()

    @staticmethod
    def _content(path: Path, limit: int) -> Iterator[_Line]:
        for _, raw in numbered_lines(path, limit):
            if raw is None:
                yield _Line("", too_long(limit))
                continue
            try:
                line = _Line(raw.decode("utf-8").strip().lstrip("\ufeff"))
            except UnicodeDecodeError:
                line = _Line(raw.decode("utf-8", "replace").strip(), "invalid UTF-8 in entry")
            if line.text:
                yield line

    def peek(self, offset: int = 0) -> _Line | None:
        while len(self._ahead) <= offset:
            line = next(self._lines, None)
            if line is None:
                return None
            self._ahead.append(line)
        return self._ahead[offset]

    def take(self) -> _Line:
        self.peek()
        return self._ahead.popleft()


def read_hf_page(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    year = options.year if options.year is not None else dt.date.today().year
    entries = _entries(_Lookahead(path, options.max_record_bytes))
    number = 0
    try:
        for entry in entries:
            number = entry.number
            yield numbered(_paper_or_reject(path, entry, year), number)
    except InputError as damage:
        if damage.record is None:
            raise
        # The entry being read when the stream broke may have lost its metadata, so it is rejected, not
        # guessed.
        yield reject(path, number + 1, damage.reason)


def _entries(lines: _Lookahead) -> Iterator[_Entry]:
    number = 0
    while (line := lines.peek()) is not None:
        lines.take()
        if _is_furniture(line.text):
            continue
        number += 1
        entry = _Entry(number, title=line)
        if lines.peek() is not None and not _is_metadata(lines):
            entry.abstract = lines.take()
        while lines.peek() is not None and _is_metadata(lines):
            entry.metadata.append(lines.take())
        yield entry


def _is_furniture(text: str) -> bool:
    return text.casefold() in PAGE_FURNITURE or text == SEPARATOR or _DATE.fullmatch(text) is not None


def _is_metadata(lines: _Lookahead) -> bool:
    line = lines.peek()
    if line is None:
        return False
    text = line.text
    if text == SEPARATOR or _AUTHOR_COUNT.fullmatch(text) or _DATE.fullmatch(text):
        return True
    following = lines.peek(1)
    return following is not None and following.text == SEPARATOR


def _paper_or_reject(path: Path, entry: _Entry, year: int) -> Paper | Reject:
    raw = entry.title.text + ("\n" + entry.abstract.text if entry.abstract else "")
    if entry.abstract is None:
        return reject(path, entry.number, "missing abstract (the title is followed by no abstract line)", raw)
    problem = next(
        (line.problem for line in (entry.title, entry.abstract, *entry.metadata) if line.problem), None
    )
    if problem is not None:
        return reject(path, entry.number, problem, raw)
    fields: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    for line in entry.metadata:
        _read_metadata_line(line.text, year, fields, metadata)
    try:
        return Paper(
            paper_id=title_id(entry.title.text),
            title=" ".join(entry.title.text.split()),
            abstract=entry.abstract.text,
            source_format="hf-page",
            metadata=metadata,
            **fields,
        )
    except ValidationError as error:
        return reject(path, entry.number, f"invalid entry: {error.errors()[0]['msg']}", raw)


def _read_metadata_line(text: str, year: int, fields: dict[str, Any], metadata: dict[str, Any]) -> None:
    if text == SEPARATOR:
        return
    if (count := _AUTHOR_COUNT.fullmatch(text)) is not None:
        _whole_number("author_count", count["count"], fields, metadata)
    elif (date := _DATE.fullmatch(text)) is not None:
        _read_date(date, year, fields, metadata)
    else:
        fields["organization"] = organization_name(text)


def _read_date(date: re.Match[str], year: int, fields: dict[str, Any], metadata: dict[str, Any]) -> None:
    if date["upvotes"] is not None:
        _whole_number("upvotes", date["upvotes"], fields, metadata)
    month = MONTHS.get(date["month"][:3].casefold())
    try:
        fields["published"] = dt.date(int(date["year"] or year), month or 0, int(date["day"]))
    except ValueError:
        metadata["date"] = date.group(0)  # Feb 29 in a year-less date of a non-leap year, or not a month
        return
    if date["year"] is None:
        metadata["year_assumed"] = True


def _whole_number(name: str, digits: str, fields: dict[str, Any], metadata: dict[str, Any]) -> None:
    """Python refuses to read an integer of more than 4,300 digits; far fewer are already out of range."""
    if len(digits) <= 18:
        fields[name] = int(digits)
    else:
        metadata.update(drop_field(metadata, name, f"a {len(digits)}-digit number is out of range"))


def organization_name(line: str) -> str:
    """``Handle Display Name`` -> ``Display Name``.

    The handle has no spaces and spells the display name (``PekingUniversity``, ``bigcode`` for ``BigCode``)
    or starts with its first word (``TuringEnterprises`` for ``Turing Inc.``). A line that fits neither is
    kept whole.
    """
    handle, _, display = line.partition(" ")
    display = display.strip()
    if not display:
        return line
    squashed_handle = NON_ALPHANUMERIC.sub("", handle.casefold())
    squashed_display = NON_ALPHANUMERIC.sub("", display.casefold())
    first_word = NON_ALPHANUMERIC.sub("", display.split()[0].casefold())
    if squashed_handle == squashed_display or (first_word and squashed_handle.startswith(first_word)):
        return display
    return line
