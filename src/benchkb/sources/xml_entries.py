"""Cutting an XML feed into its entries as it streams in, so that each entry can be parsed on its own.

The bytes are decoded in the encoding the XML declaration names (UTF-8 when it names none; UTF-16 and UTF-32
were transcoded to UTF-8 when read), and ``feed_parts`` yields the feed's head (everything before the first
``<entry``), then each entry's text in file order. Parsing entries one by one means that a parse error costs
one entry, and that nothing the head declares in a DTD (entities, external ones included) reaches an entry. An
entry over the size limit is never held whole: its text is dropped up to its ``</entry>``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from benchkb.errors import InputError

# What a part of the feed is.
DOCUMENT = "document"  # the whole text: it holds no entry
HEAD = "head"  # before the first entry
ENTRY = "entry"
TOO_LONG = "too long"  # an entry over the limit; its text is not kept
UNCLOSED = "unclosed"  # another entry begins before this one's </entry>
CUT_OFF = "cut off"  # the text ends inside this entry

_DECLARED_ENCODING = re.compile(rb"""\A\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][\w.:-]*)["']""")
_ENTRY_START = re.compile(r"<entry[\s/>]")
_ENTRY_END = "</entry>"
_KEEP = len(_ENTRY_END)  # characters kept from one piece to the next, so that a tag cut in two is still found


class Part(NamedTuple):
    kind: str
    text: str


def decoded(path: Path, chunks: Iterator[bytes]) -> tuple[str, Iterator[str]]:
    """The name of the feed's encoding and its text in pieces; invalid bytes become U+FFFD."""
    first = next(chunks, b"")
    declared = _DECLARED_ENCODING.match(first)
    name = declared.group(1).decode("ascii").upper() if declared else "UTF-8"
    try:
        codec = codecs.lookup(name)
    except LookupError as error:
        raise InputError(f"unknown encoding {name!r} in the XML declaration", file=str(path)) from error
    if codec.name.startswith(("utf-16", "utf-32")):
        name, codec = "UTF-8", codecs.lookup("utf-8")
    return name, _pieces(codec.incrementaldecoder(errors="replace"), first, chunks)


def _pieces(decoder: codecs.IncrementalDecoder, first: bytes, chunks: Iterator[bytes]) -> Iterator[str]:
    yield decoder.decode(first)
    for chunk in chunks:
        yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)


def feed_parts(path: Path, pieces: Iterator[str], limit: int) -> Iterator[Part]:
    """The head (or the whole document), then one part per entry."""
    buffer = ""
    while (start := _ENTRY_START.search(buffer)) is None:
        piece = next(pieces, None)
        if piece is None:
            yield Part(DOCUMENT, buffer)
            return
        if len(buffer) > limit:
            raise InputError(
                f"no <entry> in the first {limit:,} characters: not a feed of entries, or its head "
                "is over the size cap (max_record_bytes)",
                file=str(path),
            )
        buffer += piece
    yield Part(HEAD, buffer[: start.start()])
    at = (
        start.start()
    )  # where the current entry starts; positions, not slices, keep a chunk of entries linear
    while True:
        end = buffer.find(_ENTRY_END, at)
        following = _ENTRY_START.search(buffer, at + 1)
        if end >= 0 and (following is None or end < following.start()):
            cut = end + len(_ENTRY_END)
            yield Part(ENTRY, buffer[at:cut]) if cut - at <= limit else Part(TOO_LONG, "")
            if following is None:
                buffer, at = _next_entry(buffer[cut:], pieces), 0
        elif following is not None:
            yield Part(UNCLOSED, buffer[at : following.start()])
        elif len(buffer) - at > limit:
            yield Part(TOO_LONG, "")
            buffer, at = _skip_entry(buffer[at + 1 :], pieces), 0
        elif (piece := next(pieces, None)) is not None:
            buffer, at = buffer[at:] + piece, 0
            continue
        else:
            yield Part(CUT_OFF, buffer[at:])
            return
        if following is not None:
            at = following.start()
        elif not buffer:
            return


def _next_entry(text: str, pieces: Iterator[str]) -> str:
    """The text from the next '<entry' on ('' at the end of the feed); what lies between entries is
    dropped."""
    while (start := _ENTRY_START.search(text)) is None:
        piece = next(pieces, None)
        if piece is None:
            return ""
        text = text[-_KEEP:] + piece
    return text[start.start() :]


def _skip_entry(text: str, pieces: Iterator[str]) -> str:
    """Drop the rest of an entry over the limit; the text from the next entry on."""
    while True:
        end = text.find(_ENTRY_END)
        following = _ENTRY_START.search(text)
        if end >= 0 and (following is None or end < following.start()):
            return _next_entry(text[end + len(_ENTRY_END) :], pieces)
        if following is not None:
            return text[following.start() :]
        piece = next(pieces, None)
        if piece is None:
            return ""
        text = text[-_KEEP:] + piece
