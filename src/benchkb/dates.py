"""How a paper's date is shown: as far as its source knows it.

Apart from the record models so that what only shows a stored paper (``benchkb show``) needs no pydantic.
"""

from __future__ import annotations

import datetime as dt


def date_shown(published: dt.date | None, precision: str | None) -> str | None:
    """A date as far as its source knows it: '2017' for a year-only date (stored as 1 January), not
    '2017-01-01'."""
    if published is None:
        return None
    return published.strftime({"year": "%Y", "month": "%Y-%m"}.get(precision or "day", "%Y-%m-%d"))
