"""Hugging Face papers API JSON (``/api/daily_papers``): one JSON array, small enough to parse whole.

Daily-papers items wrap the paper: ``{"paper": {"id", "title", "summary", "authors", "publishedAt",
"upvotes"}, "title", "numComments", ...}``; a bare array of paper objects works too. The paper's ``id`` is its
arXiv id. A damaged array (broken syntax, a truncated file) is read item by item: an item that does not parse
is rejected and reading resumes at the next object that parses as an item.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.sanitize import clean_text
from benchkb.sources.identity import paper_identity
from benchkb.sources.opening import GZIP_DAMAGE, byte_chunks, gzip_problem, too_long
from benchkb.sources.options import ReadOptions
from benchkb.sources.record import (
    RECORD_ERRORS,
    clean_title,
    json_problem,
    json_type,
    numbered as with_record_number,
    parse_date,
    reason_of,
    reject,
    required_text,
    split_authors,
)

# What surrogateescape makes of bytes that are not UTF-8 (other lone surrogates are JSON escapes, mended
# later).
_INVALID_BYTE = re.compile("[\udc80-\udcff]")
_ARRAY_START = re.compile(r"\s*\[")
_BETWEEN_ITEMS = re.compile(r"[\s,]*")
_OBJECT_START = re.compile(r"\{")
_DECODER = json.JSONDecoder()
# An API response holds a page of papers; a file much larger than that is read as JSON Lines instead.
WHOLE_FILE_LIMIT = 256 << 20
# Paper fields that become Paper attributes; everything else in the item is kept in metadata.
CONSUMED: frozenset[str] = frozenset(
    {"id", "title", "summary", "authors", "publishedAt", "upvotes", "organization"}
)


def read_hf_api(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    text, damage = _content(path)
    return _papers(path, _items(path, text, damage), options.max_record_bytes)


def _content(path: Path) -> tuple[str, str | None]:
    """The file's text, and what broke its gzip stream if something did (the text is what came before)."""
    content = bytearray()
    damage = None
    try:
        for chunk in byte_chunks(path):
            content += chunk
            if len(content) > WHOLE_FILE_LIMIT:
                raise InputError(
                    f"larger than {WHOLE_FILE_LIMIT >> 20} MiB: an API response is read whole; "
                    "give larger collections as JSON Lines",
                    file=str(path),
                )
    except GZIP_DAMAGE as error:
        damage = gzip_problem(error)
    # Invalid bytes survive as lone surrogates so one bad record does not sink the file; that record is
    # rejected.
    return content.decode("utf-8", "surrogateescape").removeprefix("\ufeff"), damage


def _items(path: Path, text: str, damage: str | None) -> Iterator[tuple[int, Any] | Reject]:
    """The array's items, numbered from 1: in one go when the array parses, else one by one
    (``_salvaged``)."""
    if damage is None:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            if _ARRAY_START.match(text) is None:
                raise InputError(
                    f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}", file=str(path)
                ) from error
        except (ValueError, RecursionError) as error:
            raise InputError(f"invalid JSON: {json_problem(error)}", file=str(path)) from error
        else:
            if not isinstance(document, list):
                raise InputError(
                    f"expected a JSON array of papers, found {json_type(document)}", file=str(path)
                )
            yield from enumerate(document, 1)
            return
    start = _ARRAY_START.match(text)
    if start is None:
        raise InputError(
            f"{damage or 'invalid JSON'}: no JSON array of papers before the damage", file=str(path)
        )
    number = 0
    for number, (item, problem) in enumerate(_salvaged(text, start.end()), 1):
        yield (number, item) if problem is None else reject(path, number, problem)
    if damage is not None:
        yield reject(path, number + 1, damage)


def _salvaged(text: str, at: int) -> Iterator[tuple[Any, str | None]]:
    """``(item, None)`` for each item of a damaged array from ``at``, ``(None, why)`` for one that does not
    parse; after such an item, reading resumes at the next object that parses as an item (one with a "paper"
    or a "title"), so one damaged item costs itself and at most the items its damage ran into."""
    while True:
        at = _BETWEEN_ITEMS.match(text, at).end()
        if at >= len(text) or text[at] == "]":
            return
        try:
            item, at = _DECODER.raw_decode(text, at)
        except json.JSONDecodeError as error:
            yield None, f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
            resumed = _next_item(text, max(error.pos, at + 1))
        except (ValueError, RecursionError) as error:
            yield None, f"invalid JSON: {json_problem(error)}"
            resumed = _next_item(text, at + 1)
        else:
            yield item, None
            continue
        if resumed is None:
            return
        at = resumed


def _next_item(text: str, at: int) -> int | None:
    for candidate in _OBJECT_START.finditer(text, at):
        try:
            item, _ = _DECODER.raw_decode(text, candidate.start())
        except (ValueError, RecursionError):
            continue
        if isinstance(item, dict) and ("paper" in item or "title" in item):
            return candidate.start()
    return None


def _papers(path: Path, items: Iterator[tuple[int, Any] | Reject], limit: int) -> Iterator[Paper | Reject]:
    for numbered in items:
        if isinstance(numbered, Reject):
            yield numbered
            continue
        number, item = numbered
        dumped = json.dumps(item, ensure_ascii=False)
        if len(dumped) > limit:
            yield reject(path, number, too_long(limit), dumped)
            continue
        if not dumped.isascii() and _INVALID_BYTE.search(dumped):
            yield reject(path, number, "invalid UTF-8 in record", clean_text(dumped))
            continue
        if not isinstance(item, dict):
            yield reject(path, number, f"record is not a JSON object but {json_type(item)}", dumped)
            continue
        try:
            yield with_record_number(paper_from_item(item), number)
        except RECORD_ERRORS as error:
            yield reject(path, number, reason_of(error), dumped)


def paper_from_item(item: dict[str, Any]) -> Paper:
    """One API item (a daily-papers wrapper or a bare paper object) -> Paper."""
    paper = item.get("paper") if isinstance(item.get("paper"), dict) else item
    outer = {key: value for key, value in item.items() if key != "paper"} if paper is not item else {}
    # The wrapper repeats title and summary; the paper object is the reference, the wrapper the fallback.
    merged = {**outer, **{key: value for key, value in paper.items() if value is not None}}
    title = required_text(merged, "title", "title")
    abstract = required_text(merged, "summary", "abstract")
    identity = paper_identity(title=title, own_id=merged.get("id"), arxiv=merged.get("id"))
    authors = split_authors(merged.get("authors") or [])
    published = parse_date(merged.get("publishedAt"))
    metadata = {key: value for key, value in merged.items() if key not in CONSUMED}
    if outer.get("publishedAt") is not None:
        metadata["listedAt"] = outer["publishedAt"]  # the day the paper was on the daily page
    return Paper(
        paper_id=identity.paper_id,
        arxiv_id=identity.arxiv_id,
        version=identity.version,
        title=clean_title(title),
        abstract=abstract.strip(),
        published=published[0] if published else None,
        authors=authors,
        author_count=len(authors) or None,
        organization=_organization(merged.get("organization")),
        upvotes=merged.get("upvotes"),
        source_format="hf-api",
        metadata=metadata,
    )


def _organization(value: object) -> str | None:
    if isinstance(value, dict):
        name = value.get("fullname") or value.get("name")
        return str(name) if name else None
    return str(value) if value else None
