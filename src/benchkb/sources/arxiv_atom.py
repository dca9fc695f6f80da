"""arXiv API responses: an Atom ``<feed>`` of ``<entry>`` elements, read one entry at a time.

The feed is cut into entries as it streams in (``xml_entries``) and each entry is parsed on its own, inside a
copy of the feed's start tag (which declares the namespaces). So memory stays flat on large feeds, a parse
error rejects the entry it is in and reading resumes at the next ``<entry>``, and an entry never sees an
entity the head declares (an entity bomb, an external file): one that uses such an entity is rejected. A feed
with no <feed> tag before its first entry, or whose tag declares another namespace, is a file error. The
declared encoding (UTF-8 when none is declared) is honoured; invalid bytes become U+FFFD and the entry holding
them is rejected.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import closing
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.sources.identity import paper_identity
from benchkb.sources.opening import GZIP_DAMAGE, byte_chunks, gzip_problem, too_long
from benchkb.sources.options import ReadOptions
from benchkb.sources.record import RECORD_ERRORS, clean_title, numbered, parse_date, reason_of, reject
from benchkb.sources.xml_entries import CUT_OFF, DOCUMENT, TOO_LONG, UNCLOSED, Part, decoded, feed_parts

ATOM = "{http://www.w3.org/2005/Atom}"
_NEAR_ATOM = 0.9  # a namespace this like Atom's (one or two damaged bytes of 27) is Atom's, damaged
ARXIV = "{http://arxiv.org/schemas/atom}"
# arXiv extension elements kept in metadata, by the name they get there.
EXTRA_ELEMENTS: dict[str, str] = {
    f"{ATOM}updated": "updated",
    f"{ARXIV}comment": "comment",
    f"{ARXIV}journal_ref": "journal_ref",
    f"{ARXIV}doi": "doi",
}
REPLACEMENT = "\ufffd"
_DECLARATION = re.compile(r"\A\s*<\?xml\s[^>]*\?>")
# Any character but a name's may follow the name: '<feed(xmlns=...' is a damaged feed tag, not no feed tag.
_FEED_START = re.compile(r"<(?:([\w.-]+):)?feed(?![\w.:-])[^>]*>")
# The start tag of the feeds arXiv's API sends. A feed's start tag only declares namespaces: when it is
# unreadable (a damaged byte), declares none or Atom's with a damaged byte, its entries are read as arXiv's,
# rather than all lost with it.
# A feed that declares another namespace says it is something else, and is refused.
ARXIV_FEED = (f'<feed xmlns="{ATOM[1:-1]}" xmlns:arxiv="{ARXIV[1:-1]}">', "</feed>")


def read_arxiv_atom(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    number = 0
    chunks = byte_chunks(path)
    with closing(chunks):
        try:
            encoding, pieces = decoded(path, chunks)
            parts = feed_parts(path, pieces, options.max_record_bytes)
            wrapper = _feed_tags(path, next(parts))
            for part in parts:
                number += 1
                yield numbered(
                    _entry_record(path, number, part, wrapper, encoding, options.max_record_bytes), number
                )
        except GZIP_DAMAGE as error:
            yield reject(path, number + 1, gzip_problem(error))


def _feed_tags(path: Path, head: Part) -> tuple[str, str]:
    """The feed's start and end tags, to parse each entry inside (arXiv's when the feed's own are unreadable
    or declare no namespace); checks that they make an Atom feed. The rest of the head (the feed's own title,
    links, counts) holds no paper: damage there costs nothing."""
    text = _DECLARATION.sub("", head.text, count=1)  # its encoding is already applied
    if head.kind == DOCUMENT:
        try:
            _check_feed(path, ET.fromstring(text.encode("utf-8")))
        except ET.ParseError as error:
            raise InputError(f"not XML: {error}", file=str(path)) from error
        return "", ""
    start = _FEED_START.search(text)
    if start is None:
        raise InputError(
            "not an Atom feed: no <feed> element before the first <entry> (0 entries read)", file=str(path)
        )
    end = f"</{start.group(1) + ':' if start.group(1) else ''}feed>"
    try:
        root = ET.fromstring((start.group() + end).encode("utf-8"))
    except ET.ParseError:
        return ARXIV_FEED
    if not root.tag.startswith("{") or _damaged_atom(root.tag):
        return ARXIV_FEED
    _check_feed(path, root)
    return start.group(), end


def _damaged_atom(tag: str) -> bool:
    """'{http://wwwnw3.org/2005/Atom}feed': Atom's namespace with a byte or two damaged, not another format's
    (RSS, RDF and the rest share few of its characters)."""
    namespace, _, local = tag[1:].partition("}")
    return local == "feed" and SequenceMatcher(None, namespace, ATOM[1:-1]).ratio() >= _NEAR_ATOM


def _check_feed(path: Path, root: ET.Element) -> None:
    if root.tag == f"{ATOM}feed":
        return
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else "none"
    where = f" in namespace {namespace!r}, not Atom's" if _local(root.tag) == "feed" else ""
    raise InputError(f"not an Atom feed: the root element is <{_local(root.tag)}>{where}", file=str(path))


def _entry_record(
    path: Path, number: int, part: Part, wrapper: tuple[str, str], encoding: str, limit: int
) -> Paper | Reject:
    if part.kind == TOO_LONG:
        return reject(path, number, too_long(limit))
    if part.kind == CUT_OFF:
        return reject(path, number, "XML parse error: the file ends inside this entry", part.text)
    if part.kind == UNCLOSED:
        return reject(path, number, "XML parse error: the entry has no </entry>", part.text)
    start, end = wrapper
    try:
        entry = ET.fromstring((start + part.text + end).encode("utf-8")).find(f"{ATOM}entry")
    except ET.ParseError as error:
        return reject(path, number, f"XML parse error: {error}", part.text)
    if entry is None:
        return reject(path, number, "not an Atom <entry>", part.text)
    return _paper_or_reject(path, number, entry, encoding)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(entry: ET.Element, tag: str) -> str:
    return (entry.findtext(tag) or "").strip()


def _paper_or_reject(path: Path, number: int, entry: ET.Element, encoding: str) -> Paper | Reject:
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
        return reject(path, number, f"invalid {encoding} in entry", raw)
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
