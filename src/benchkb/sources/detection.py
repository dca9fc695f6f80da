"""Telling an input's format: by extension first (looking through a ``.gz`` suffix), else by content."""

from __future__ import annotations

import json
import re
from pathlib import Path

from benchkb.errors import InputError
from benchkb.sources.arxiv_snapshot import is_snapshot_record
from benchkb.sources.hf_page import PAGE_FURNITURE, SEPARATOR
from benchkb.sources.openalex import OPENALEX_PREFIX, is_work_record
from benchkb.sources.opening import check_readable, read_head
from benchkb.sources.options import FORMATS
from benchkb.sources.semantic_scholar import is_abstracts_record, is_papers_record

EXTENSION_FORMATS: dict[str, str] = {
    ".txt": "hf-page",
    ".xml": "arxiv-atom",
    ".atom": "arxiv-atom",
    ".json": "hf-api",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
PARQUET_MAGIC = b"PAR1"
WORK_OPENING = re.compile(
    rb'\{\s*"id"\s*:\s*"' + re.escape(OPENALEX_PREFIX.encode()) + rb"W\d+"
)  # how works begin


def detect_format(path: Path) -> str:
    """The format name (one of ``FORMATS``) of the file at ``path``; ``InputError`` when it cannot tell."""
    path = Path(path)
    check_readable(path)
    name = path.name.lower().removesuffix(".gz")
    by_extension = EXTENSION_FORMATS.get(Path(name).suffix)
    if by_extension == "parquet":
        return by_extension
    head = read_head(path)
    if by_extension == "jsonl" or (
        by_extension == "hf-api" and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    ):
        return _json_lines_kind(head)
    if by_extension is not None:
        return by_extension
    sniffed = sniff_format(head)
    if sniffed is None:
        raise InputError(f"cannot tell the format; pass one of: {', '.join(FORMATS)}", file=str(path))
    return sniffed


def sniff_format(head: bytes) -> str | None:
    """Guess a format from the first bytes of the (decompressed) content."""
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if text.startswith(("<?xml", "<feed")):
        return "arxiv-atom"
    if text.startswith("["):
        return "hf-api"
    if text.startswith("{"):
        return _json_lines_kind(head)
    lines = {line.strip() for line in text.splitlines()}
    if lines & {"Daily Papers", SEPARATOR} or any(
        line.casefold() in PAGE_FURNITURE - {"new"} for line in lines
    ):
        return "hf-page"
    return None


def _json_lines_kind(head: bytes) -> str:
    """The arXiv snapshot, OpenAlex works and Semantic Scholar datasets are told apart from generic JSON Lines
    by their first record's fields (an OpenAlex work can be longer than the head: then by its markers)."""
    first_line = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
    try:
        record = json.loads(first_line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return "openalex" if WORK_OPENING.match(first_line) else "jsonl"
    kinds = {
        "arxiv-jsonl": is_snapshot_record,
        "openalex": is_work_record,
        "s2-papers": is_papers_record,
        "s2-abstracts": is_abstracts_record,
    }
    return next((kind for kind, test in kinds.items() if test(record)), "jsonl")
