"""Hugging Face papers API JSON (``/api/daily_papers``): one JSON array, small enough to parse whole.

Daily-papers items wrap the paper: ``{"paper": {"id", "title", "summary", "authors", "publishedAt",
"upvotes"}, "title", "numComments", ...}``; a bare array of paper objects works too. The paper's ``id`` is its
arXiv id.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.sources.identity import paper_identity
from benchkb.sources.opening import GZIP_DAMAGE, byte_chunks, gzip_problem
from benchkb.sources.options import ReadOptions
from benchkb.sources.record import (
    RECORD_ERRORS,
    clean_title,
    json_type,
    numbered,
    parse_date,
    reason_of,
    reject,
    required_text,
    split_authors,
)

# Paper fields that become Paper attributes; everything else in the item is kept in metadata.
CONSUMED: frozenset[str] = frozenset(
    {"id", "title", "summary", "authors", "publishedAt", "upvotes", "organization"}
)


def read_hf_api(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    items = _load_array(path)
    return _papers(path, items)


def _load_array(path: Path) -> list[Any]:
    try:
        content = b"".join(byte_chunks(path))
    except GZIP_DAMAGE as error:
        raise InputError(gzip_problem(error), file=str(path)) from error
    # Invalid bytes survive as lone surrogates so one bad record does not sink the file; that record is
    # rejected.
    text = content.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}", file=str(path)
        ) from error
    if not isinstance(document, list):
        raise InputError(f"expected a JSON array of papers, found {json_type(document)}", file=str(path))
    return document


def _papers(path: Path, items: list[Any]) -> Iterator[Paper | Reject]:
    for number, item in enumerate(items, 1):
        dumped = json.dumps(item, ensure_ascii=False)
        try:
            dumped.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates anywhere in the record mean it held invalid UTF-8.
            repaired = dumped.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            yield reject(path, number, "invalid UTF-8 in record", repaired)
            continue
        if not isinstance(item, dict):
            yield reject(path, number, f"record is not a JSON object but {json_type(item)}", dumped)
            continue
        try:
            yield numbered(paper_from_item(item), number)
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
