"""benchkb: a knowledge base of the numeric claims in paper abstracts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchkb.errors import BenchkbError
from benchkb.kb import KB

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["KB", "BenchkbError", "extract_table"]
__version__ = "0.1.0"


def extract_table(papers: pa.Table, **options: object) -> pa.Table:
    """The claims of a batch of papers (columns paper_id or id, title, abstract) as rows of the claims table:
    :func:`benchkb.annotate.extract_table`, imported on first use so that ``import benchkb`` stays light (the
    extractor loads spaCy)."""
    from benchkb.annotate import extract_table as extract

    return extract(papers, **options)
