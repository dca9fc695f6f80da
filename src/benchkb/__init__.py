"""benchkb: a knowledge base of the numeric claims in paper abstracts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from benchkb.errors import BenchkbError

if TYPE_CHECKING:
    import pyarrow as pa

    from benchkb.kb import KB

__all__ = ["KB", "BenchkbError", "extract_table"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # `from benchkb import KB` reads DuckDB and polars; the command line imports this package on every start
    # and must not pay for them before it knows the command (issue 15: start-up under 0.4 s).
    if name == "KB":
        from benchkb.kb import KB

        return KB
    raise AttributeError(f"module 'benchkb' has no attribute {name!r}")


def extract_table(papers: pa.Table, **options: object) -> pa.Table:
    """The claims of a batch of papers (columns paper_id or id, title, abstract) as rows of the claims table:
    :func:`benchkb.annotate.extract_table`, imported on first use so that ``import benchkb`` stays light (the
    extractor loads spaCy)."""
    from benchkb.annotate import extract_table as extract

    return extract(papers, **options)
