"""A query's result as plain Python values: what the command line prints without loading a data frame library.

``Store.rows`` returns them; ``Rows.of`` turns a polars frame (``Store.query``, ``KB``) into the same shape,
so that tables, CSV and JSON are written one way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl


@dataclass(frozen=True)
class Rows:
    columns: list[str]
    numeric: list[bool]  # per column: a number type (right-aligned in tables)
    values: list[tuple[Any, ...]]

    @classmethod
    def of(cls, frame: pl.DataFrame) -> Rows:
        return cls(list(frame.columns), [dtype.is_numeric() for dtype in frame.dtypes], frame.rows())

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.values]
