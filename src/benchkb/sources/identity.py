"""Paper identity: ids come from content, so reading the same input twice gives the same ids.

An arXiv id wins when a record has one; else the record's own id; else a hash of the normalised title.
"""

from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

# One pattern for every spelling seen in the wild: bare ids, ``arXiv:`` ids, abs/pdf URLs, with or without a
# version and a ``.pdf`` suffix. The prefix is case-insensitive, the id itself is not (``math.AG`` keeps its
# case).
_ARXIV_ID = re.compile(
    r"(?i:(?:https?://)?(?:www\.|export\.)?(?:arxiv\.org/(?:abs|pdf)/|arxiv:))?"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})"
    r"(?:v(?P<version>\d+))?(?i:\.pdf)?/?"
)
NON_ALPHANUMERIC = re.compile(r"[\W_]+")


class Identity(NamedTuple):
    paper_id: str
    arxiv_id: str | None
    version: int | None


def parse_arxiv_id(text: str) -> tuple[str, int | None] | None:
    """Return ``(id, version)`` for anything that spells an arXiv id, else None.

    >>> parse_arxiv_id("https://arxiv.org/abs/2503.11731v2")
    ('2503.11731', 2)
    """
    match = _ARXIV_ID.fullmatch(text.strip())
    if match is None:
        return None
    arxiv_id, version = match.group("id", "version")
    return arxiv_id, int(version) if version else None


def normalise_title(title: str) -> str:
    """Casefold and collapse runs of non-alphanumerics to one space: punctuation and case don't matter."""
    return NON_ALPHANUMERIC.sub(" ", title.casefold()).strip()


def title_id(title: str) -> str:
    digest = hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()
    return "t:" + digest[:16]


def paper_identity(*, title: str, own_id: object = None, arxiv: object = None) -> Identity:
    """Choose the paper id: the arXiv id (``arxiv``, else ``own_id`` if it is one), the own id, the title.

    A value that is not a usable id (None, blank, not an arXiv id where one is expected) is passed over.
    """
    own = own_id.strip() if isinstance(own_id, str) else ("" if own_id is None else str(own_id).strip())
    if arxiv and isinstance(arxiv, str) and (parsed := parse_arxiv_id(arxiv)) is not None:
        return Identity(parsed[0], parsed[0], parsed[1])
    if own and (parsed := parse_arxiv_id(own)) is not None:
        return Identity(parsed[0], parsed[0], parsed[1])
    if own:
        return Identity(own, None, None)
    return Identity(title_id(title), None, None)
