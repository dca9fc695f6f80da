"""The last step of every read: each paper a reader yields is made fit to store, whatever its source held.

Text that cannot be stored or shown safely is mended (``benchkb.sanitize.clean_text``); an integer the store
cannot hold (a version, an author count, upvotes: 32-bit in the store) or that makes no sense (negative
upvotes) is dropped with its reason in ``metadata["dropped"]``; metadata nested deeper than ``MAX_DEPTH`` is
dropped the same way, and non-finite numbers in metadata become null (JSON has none). None of this raises:
what cannot be mended is the reader's to reject, with the record's number.
"""

from __future__ import annotations

import math
from typing import Any

from benchkb.models import Paper
from benchkb.sanitize import clean_text, needs_mending

INT32_MAX = 2**31 - 1
# The lowest sensible value of each integer field; the highest is what the store's INTEGER holds.
INTEGER_FIELDS: dict[str, int] = {"version": 1, "author_count": 0, "upvotes": 0}
TEXT_FIELDS = ("paper_id", "arxiv_id", "title", "abstract", "organization", "venue")
LIST_FIELDS = ("authors", "categories")
MAX_DEPTH = 32  # metadata is other fields of a record, not a document of its own
_PLAIN = frozenset({str, int, bool, type(None)})


class _TooDeep(Exception):
    pass


def normalised(paper: Paper) -> Paper:
    """``paper`` fit to store: the same object when it already is, else a mended copy."""
    if _plainly_fit(paper):
        return paper
    changes: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = getattr(paper, name)
        if value is not None and (clean := clean_text(value)) is not value:
            changes[name] = clean
    for name in LIST_FIELDS:
        values = getattr(paper, name)
        cleaned = [clean_text(value) for value in values]
        if any(clean is not value for clean, value in zip(cleaned, values)):
            changes[name] = cleaned
    metadata = _clean_metadata(paper.metadata)
    for name, lowest in INTEGER_FIELDS.items():
        value = getattr(paper, name)
        if value is not None and not lowest <= value <= INT32_MAX:
            changes[name] = None
            metadata = drop_field(metadata, name, f"{value} is out of range ({lowest} to {INT32_MAX})")
    if metadata is not paper.metadata:
        changes["metadata"] = metadata
    return paper.model_copy(update=changes) if changes else paper


def _plainly_fit(paper: Paper) -> bool:
    """The common case, told with one scan of all the paper's text: nothing to mend, flat metadata, integers
    in range. (Checking field by field costs several times more, and reading is on the ingest's critical
    path.)"""
    metadata = paper.metadata
    if not all(type(value) in _PLAIN for value in metadata.values()):
        return False
    for name, lowest in INTEGER_FIELDS.items():
        value = getattr(paper, name)
        if value is not None and not lowest <= value <= INT32_MAX:
            return False
    texts = [
        paper.title,
        paper.abstract,
        paper.paper_id,
        paper.arxiv_id or "",
        paper.organization or "",
        paper.venue or "",
        *paper.authors,
        *paper.categories,
        *metadata,
    ]
    texts += [value for value in metadata.values() if type(value) is str]
    return not needs_mending("\n".join(texts))


def drop_field(metadata: dict[str, Any], name: str, reason: str) -> dict[str, Any]:
    """``metadata`` (a copy) saying that field ``name`` was dropped and why."""
    dropped = metadata.get("dropped")
    return {**metadata, "dropped": {**(dropped if isinstance(dropped, dict) else {}), name: reason}}


def _clean_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    too_deep: list[str] = []
    changed = False
    for key, value in metadata.items():
        clean_key = clean_text(key) if isinstance(key, str) else str(key)
        try:
            clean = _clean_value(value, 1)
        except _TooDeep:
            too_deep.append(clean_key)
            continue
        changed = changed or clean is not value or clean_key is not key
        cleaned[clean_key] = clean
    if not changed and not too_deep:
        return metadata
    for key in too_deep:
        cleaned = drop_field(cleaned, key, f"nested more than {MAX_DEPTH} levels deep")
    return cleaned


def _clean_value(value: Any, depth: int) -> Any:
    """The value with its text mended and non-finite floats null; the same object when nothing changed."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        if depth > MAX_DEPTH:
            raise _TooDeep
        items = [
            (clean_text(k) if isinstance(k, str) else k, _clean_value(v, depth + 1)) for k, v in value.items()
        ]
        unchanged = all(k is old_k and v is old_v for (k, v), (old_k, old_v) in zip(items, value.items()))
        return value if unchanged else dict(items)
    if isinstance(value, (list, tuple)):
        if depth > MAX_DEPTH:
            raise _TooDeep
        values = [_clean_value(v, depth + 1) for v in value]
        unchanged = all(v is old for v, old in zip(values, value))
        return value if unchanged and isinstance(value, list) else values
    return value
