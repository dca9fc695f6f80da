"""OpenAlex works (the API's ``/works`` results or the snapshot's ``works/updated_date=*/part_*.gz``): one
JSON object a line.

OpenAlex gives no plain-text abstract, only ``abstract_inverted_index`` (each word with the positions where it
stands); the abstract is those words put back in order, one space apart, so the stored text is that rebuilt
string and claims are grounded in it. A work without an inverted index is rejected ("no abstract"), as a
record without an abstract is in every format. The paper id is the arXiv id when the work has one (an arXiv
DOI, or an arXiv landing page or PDF among its locations), else the OpenAlex id (``W2741809807``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.sources.identity import paper_identity, parse_arxiv_id
from benchkb.sources.options import ReadOptions
from benchkb.sources.record import parse_date, reader_paper, split_authors
from benchkb.sources.tabular import papers_from_json_lines

WORK_MARKER = "abstract_inverted_index"
OPENALEX_PREFIX = "https://openalex.org/"
DOI_PREFIX = "https://doi.org/"
ARXIV_DOI_PREFIX = "10.48550/arxiv."
MAX_POSITION = 100_000  # an abstract is a few hundred words; a larger position is damage, not text
KEPT = ("type", "language", "cited_by_count")  # metadata worth keeping of the many fields a work has


def is_work_record(record: object) -> bool:
    return isinstance(record, dict) and (
        WORK_MARKER in record or str(record.get("id", "")).startswith(OPENALEX_PREFIX + "W")
    )


def read_openalex(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    return papers_from_json_lines(path, paper_from_work, options.max_record_bytes)


def paper_from_work(work: dict[str, Any]) -> Paper:
    title = work.get("title") or work.get("display_name")
    if not isinstance(title, str) or not title.strip():
        raise InputError("missing title ('title')")
    abstract = abstract_from_inverted_index(work.get(WORK_MARKER))
    ids = work.get("ids") if isinstance(work.get("ids"), dict) else {}
    openalex_id = _short_id(work.get("id") or ids.get("openalex"))
    doi = _doi(work.get("doi") or ids.get("doi"))
    identity = paper_identity(title=title, own_id=openalex_id, arxiv=_arxiv_id(doi, work))
    authors = split_authors(
        [(a.get("author") or {}).get("display_name") for a in _dicts(work.get("authorships"))]
    )
    published = parse_date(work.get("publication_date")) or parse_date(work.get("publication_year"))
    metadata = {"openalex_id": openalex_id, "doi": doi, **{key: work.get(key) for key in KEPT}}
    return reader_paper(
        identity,
        title=title,
        abstract=abstract,
        published=published,
        authors=authors,
        source_format="openalex",
        venue=_venue(work),
        metadata=metadata,
    )


def abstract_from_inverted_index(index: object) -> str:
    """The words of an inverted index (word -> positions) in position order, one space apart."""
    if not index:
        raise InputError(f"no abstract ({WORK_MARKER!r} is {'null' if index is None else 'empty'})")
    if not isinstance(index, dict):
        raise InputError(f"{WORK_MARKER!r} is not an object")
    words: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(positions, list):
            raise InputError(f"{WORK_MARKER!r}: the positions of {word[:40]!r} are not a list")
        for position in positions:
            if type(position) is not int or not 0 <= position <= MAX_POSITION:
                raise InputError(f"{WORK_MARKER!r}: {position!r} is not a word position")
            words[position] = word
    abstract = " ".join(words[position] for position in sorted(words)).strip()
    if not abstract:
        raise InputError("empty abstract")
    return abstract


def _short_id(value: object) -> str | None:
    """``https://openalex.org/W2741809807`` -> ``W2741809807``."""
    return value.removeprefix(OPENALEX_PREFIX) if isinstance(value, str) and value.strip() else None


def _doi(value: object) -> str | None:
    """``https://doi.org/10.48550/arXiv.2303.08774`` -> ``10.48550/arxiv.2303.08774`` (DOIs ignore case)."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().removeprefix(DOI_PREFIX).lower()


def arxiv_from_doi(doi: object) -> str | None:
    """``10.48550/arXiv.2303.08774`` (the DOI arXiv gives every paper) -> ``2303.08774``."""
    if isinstance(doi, str) and doi.lower().startswith(ARXIV_DOI_PREFIX):
        return doi[len(ARXIV_DOI_PREFIX) :]
    return None


def _arxiv_id(doi: str | None, work: dict[str, Any]) -> str | None:
    if arxiv := arxiv_from_doi(doi):
        return arxiv
    for location in _locations(work):
        for url in (location.get("landing_page_url"), location.get("pdf_url")):
            if isinstance(url, str) and "arxiv.org/" in url and parse_arxiv_id(url) is not None:
                return url
    return None


def _locations(work: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        location
        for location in [
            work.get("primary_location"),
            *_dicts(work.get("locations")),
            work.get("best_oa_location"),
        ]
        if isinstance(location, dict)
    ]


def _venue(work: dict[str, Any]) -> str | None:
    for location in (work.get("primary_location"), work.get("host_venue")):  # host_venue: older snapshots
        if isinstance(location, dict):
            source = location.get("source") if isinstance(location.get("source"), dict) else location
            if isinstance(source.get("display_name"), str) and source["display_name"].strip():
                return source["display_name"].strip()
    return None


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
