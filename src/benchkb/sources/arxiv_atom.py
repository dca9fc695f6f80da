"""arXiv API responses: an Atom ``<feed>`` of ``<entry>`` elements, parsed as a stream.

Entries are dropped from the tree once read, so memory stays flat on large feeds. The feed is taken as UTF-8
(what the arXiv API sends); invalid bytes become U+FFFD and the entry holding them is rejected.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.sources.identity import paper_identity
from benchkb.sources.opening import GZIP_DAMAGE, ChunkReader, byte_chunks, gzip_problem, repaired_utf8
from benchkb.sources.options import ReadOptions
from benchkb.sources.record import RECORD_ERRORS, clean_title, numbered, parse_date, reason_of, reject

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
# arXiv extension elements kept in metadata, by the name they get there.
EXTRA_ELEMENTS: dict[str, str] = {
    f"{ATOM}updated": "updated",
    f"{ARXIV}comment": "comment",
    f"{ARXIV}journal_ref": "journal_ref",
    f"{ARXIV}doi": "doi",
}
REPLACEMENT = "\ufffd"


def read_arxiv_atom(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    number = 0
    root: ET.Element | None = None
    chunks = byte_chunks(path)
    with closing(chunks):
        try:
            for event, element in ET.iterparse(ChunkReader(repaired_utf8(chunks)), events=("start", "end")):
                if root is None:
                    root = _feed(element, path)
                elif event == "end" and element.tag == f"{ATOM}entry":
                    number += 1
                    yield numbered(_paper_or_reject(path, number, element), number)
                    root.clear()  # drop the entries already read: memory stays flat
        except ET.ParseError as error:
            if root is None:
                raise InputError(f"not XML: {error}", file=str(path)) from error
            yield reject(path, number + 1, f"XML parse error: {error}")
        except GZIP_DAMAGE as error:
            yield reject(path, number + 1, gzip_problem(error))


def _feed(root: ET.Element, path: Path) -> ET.Element:
    if root.tag != f"{ATOM}feed":
        raise InputError(f"not an Atom feed: the root element is <{_local(root.tag)}>", file=str(path))
    return root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(entry: ET.Element, tag: str) -> str:
    return (entry.findtext(tag) or "").strip()


def _paper_or_reject(path: Path, number: int, entry: ET.Element) -> Paper | Reject:
    title = _text(entry, f"{ATOM}title")
    abstract = _text(entry, f"{ATOM}summary")
    entry_id = _text(entry, f"{ATOM}id")
    raw = f"{entry_id} {title}"
    if "/api/errors" in entry_id:
        return reject(path, number, f"arXiv API error entry: {abstract or title}", raw)
    authors = [
        name
        for element in entry.iterfind(f"{ATOM}author/{ATOM}name")
        if (name := (element.text or "").strip())
    ]
    if any(REPLACEMENT in text for text in (title, abstract, *authors)):
        return reject(path, number, "invalid UTF-8 in entry", raw)
    if not title:
        return reject(path, number, "missing title", raw)
    if not abstract:
        return reject(path, number, "missing abstract (empty <summary>)", raw)
    try:
        return _paper(entry, entry_id, title, abstract, authors)
    except RECORD_ERRORS as error:
        return reject(path, number, reason_of(error), raw)


def _paper(entry: ET.Element, entry_id: str, title: str, abstract: str, authors: list[str]) -> Paper:
    identity = paper_identity(title=title, own_id=entry_id or None)
    published = parse_date(_text(entry, f"{ATOM}published"))
    metadata: dict[str, Any] = {}
    for tag, name in EXTRA_ELEMENTS.items():
        if value := _text(entry, tag):
            metadata[name] = value
    primary = entry.find(f"{ARXIV}primary_category")
    if primary is not None and primary.get("term"):
        metadata["primary_category"] = primary.get("term")
    return Paper(
        paper_id=identity.paper_id,
        arxiv_id=identity.arxiv_id,
        version=identity.version,
        title=clean_title(title),
        abstract=abstract,
        published=published[0] if published else None,
        authors=authors,
        author_count=len(authors) or None,
        categories=[term for element in entry.iterfind(f"{ATOM}category") if (term := element.get("term"))],
        source_format="arxiv-atom",
        metadata=metadata,
    )
