"""Text from papers is data: mended once where it is read, neutralised wherever it is shown.

One function per concern:

- ``clean_text``, for storing: lone surrogates (what a JSON ``"\\ud800"`` decodes to) and control characters
  other than tab and line ends cannot be stored or shown safely and become U+FFFD; UTF-8 that was decoded as
  Latin-1 upstream (``â\\x80\\x99`` for ``’``, told by its C1 control characters, which no real text holds) is
  decoded again. - ``printable``, for terminals and charts: also carriage returns (a space before a line feed)
  and the noncharacters U+FFFE and U+FFFF (not XML, which the PNG and SVG renderer parses) become U+FFFD; a
  terminal then never sees an escape sequence. The length stays, so offsets into the text (claims) still hold.
- ``csv_cell``, for CSV: printable, and a cell that opens with ``=`` or ``@`` gets a leading ``'`` so that a
  spreadsheet shows it instead of running it. ``+`` and ``-`` are kept: claim texts open with them (``-5%``).
  ``csv_column`` is the same over a polars column, without a Python call per cell.

HTML is escaped where it is written (``html.escape`` in ``benchkb.reporting``); rich markup is never parsed in
paper text because the CLI hands rich ``Text`` objects, not markup strings.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl  # imported where it is used: the command line prints plain rows without polars

REPLACEMENT = "\ufffd"
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_ASCII_CONTROLS = bytes(code for code in range(32) if chr(code) not in "\t\n\r") + b"\x7f"
_C1 = re.compile(r"[\x80-\x9f]")
_UTF8_AS_LATIN1 = re.compile(r"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_NOT_SHOWN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The same class for polars (Rust's regex syntax; its strings cannot hold surrogates).
_NOT_SHOWN_RUST = r"[\x00-\x08\x0b-\x1f\x7f-\x{9f}\x{FFFE}\x{FFFF}]"
_FORMULA_START = ("=", "@")


def clean_text(text: str) -> str:
    """``text`` fit to store (the same object when it already is)."""
    if not needs_mending(text):
        return text
    if _C1.search(text) is not None:
        text = _UTF8_AS_LATIN1.sub(_decoded_again, text)
    return _NOT_TEXT.sub(REPLACEMENT, text)


def needs_mending(text: str) -> bool:
    """Whether ``clean_text`` would change ``text``; several times faster than the regular expression on the
    ASCII text most abstracts are, which matters on the ingest's main process."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data.translate(None, _ASCII_CONTROLS)) != len(data)
    return _NOT_TEXT.search(text) is not None


def _decoded_again(match: re.Match[str]) -> str:
    sequence = match.group()
    if _C1.search(sequence) is None:
        return sequence  # 'Ã©' may be a name as written; only a C1 control proves the misreading
    try:
        return sequence.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return sequence


def printable(text: str) -> str:
    """``text`` fit to show on a terminal or in a chart: tabs and line feeds stay, other controls do not."""
    if _NOT_SHOWN.search(text) is None:
        return text
    return _NOT_SHOWN.sub(REPLACEMENT, text.replace("\r\n", " \n"))


def csv_cell(text: str) -> str:
    """``text`` fit for a CSV cell that a spreadsheet may open."""
    text = printable(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_column(column: pl.Expr) -> pl.Expr:
    """``csv_cell`` of every cell of a string column (polars strings hold no surrogates)."""
    import polars as pl

    shown = column.str.replace_all("\r\n", " \n", literal=True).str.replace_all(_NOT_SHOWN_RUST, REPLACEMENT)
    formula = pl.any_horizontal([shown.str.starts_with(start) for start in _FORMULA_START])
    return pl.when(formula).then(shown.str.replace("^", "'")).otherwise(shown)  # keeps the column's name
