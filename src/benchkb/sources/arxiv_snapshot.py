"""The arXiv metadata snapshot (Kaggle ``arxiv-metadata-oai-snapshot.json``): one JSON object a line.

It differs from generic JSON Lines in its fixed fields: ``categories`` is one space-separated string,
``authors`` one string with ``authors_parsed`` beside it, and ``versions`` lists every version with its date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from benchkb.models import Paper
from benchkb.sources.identity import paper_identity
from benchkb.sources.record import clean_title, parse_date, required_text, split_authors, split_categories

SNAPSHOT_MARKERS: tuple[str, ...] = ("update_date", "authors_parsed", "versions")
# Fields that become Paper fields; the others (submitter, comments, journal-ref, doi, license, ...) stay in
# metadata.
CONSUMED: frozenset[str] = frozenset(
    {"id", "title", "abstract", "categories", "authors", "authors_parsed", "versions"}
)


def is_snapshot_record(record: object) -> bool:
    return (
        isinstance(record, dict)
        and isinstance(record.get("categories"), str)
        and any(marker in record for marker in SNAPSHOT_MARKERS)
    )


def paper_from_snapshot(record: dict[str, Any]) -> Paper:
    title = required_text(record, "title", "title")
    abstract = required_text(record, "abstract", "abstract")
    identity = paper_identity(title=title, own_id=record.get("id"))
    versions = record.get("versions") if isinstance(record.get("versions"), list) else []
    metadata = {key: value for key, value in record.items() if key not in CONSUMED and value is not None}
    published = _first_version_date(versions)
    if published is None and (parsed := parse_date(record.get("update_date"))) is not None:
        published = parsed[0]
        del metadata["update_date"]
    authors = _parsed_authors(record.get("authors_parsed")) or split_authors(record.get("authors") or "")
    return Paper(
        paper_id=identity.paper_id,
        arxiv_id=identity.arxiv_id,
        version=len(versions) or identity.version,
        title=clean_title(title),
        abstract=abstract.strip(),
        published=published,
        authors=authors,
        author_count=len(authors) or None,
        categories=split_categories(record.get("categories") or ""),
        source_format="arxiv-jsonl",
        metadata=metadata,
    )


def _first_version_date(versions: list[Any]) -> dt.date | None:
    """The snapshot's update_date is the last revision; the paper was published when v1 was created."""
    if versions and isinstance(versions[0], dict):
        parsed = parse_date(versions[0].get("created"))
        return parsed[0] if parsed else None
    return None


def _parsed_authors(parsed: object) -> list[str]:
    """``[["Last", "First", "Jr"], ...]`` -> ``["First Last Jr", ...]``."""
    if not isinstance(parsed, list):
        return []
    names = []
    for parts in parsed:
        if isinstance(parts, list) and parts:
            last, first, *rest = [str(part).strip() for part in parts] + [""]
            names.append(" ".join(part for part in (first, last, *rest) if part))
    return names
