"""The settings of a read, passed down whole to every reader."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from benchkb.errors import InputError

FORMATS: tuple[str, ...] = (
    "hf-page",
    "hf-api",
    "arxiv-atom",
    "arxiv-jsonl",
    "jsonl",
    "csv",
    "parquet",
    "openalex",
    "s2-papers",
    "s2-abstracts",
)
MAX_RECORD_BYTES = (
    1 << 20
)  # far above any abstract (arXiv caps them at 1,920 characters), far below a broken file


def check_format(name: str) -> str:
    if name not in FORMATS:
        raise InputError(f"unknown format {name!r}; expected one of: {', '.join(FORMATS)}")
    return name


class ReadOptions(BaseModel):
    """How to read one input file. Column names apply to the generic jsonl, csv and parquet formats."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str | None = None
    id_col: str = "id"
    title_col: str = "title"
    abstract_col: str = "abstract"
    year: int | None = None
    # A longer record (a JSON line, a CSV line, a page line, an Atom entry, an API item) is rejected, and read
    # in bounded chunks, never held whole.
    max_record_bytes: int = Field(default=MAX_RECORD_BYTES, gt=0)
    s2_index: Path | None = None  # the index of Semantic Scholar papers files (semantic_scholar.build_index)

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str | None) -> str | None:
        # InputError is not a ValueError, so pydantic lets it through unchanged: the CLI reports it as one
        # line.
        return None if value is None else check_format(value)
