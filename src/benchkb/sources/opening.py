"""Opening input files: gzip is known by its magic bytes and read transparently, and so are UTF-16 and UTF-32
by their byte-order mark (transcoded to UTF-8 here); other decoding is left to readers.

Content comes as large byte chunks, decompressed here with ``zlib`` rather than through ``gzip.GzipFile``:
that is faster line by line, and when a gzip stream is truncated every byte before the break is still
delivered before the error. Damage is reported as an ``InputError`` carrying the number of the line where
reading broke, so each reader can turn it into a ``Reject`` after the records it already yielded.
"""

from __future__ import annotations

import codecs
import gzip
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from benchkb.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
CHUNK_SIZE = 1 << 18
HEAD_SIZE = 1 << 16  # enough for the first record of any JSON Lines file we know
GZIP_DAMAGE = (EOFError, gzip.BadGzipFile, zlib.error)
_GZIP_WINDOW = 16 + zlib.MAX_WBITS  # tells zlib to expect a gzip header and trailer
# UTF-32 first: its little-endian mark begins with UTF-16's.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass
class ByteMeter:
    """Bytes of input files read from disk (compressed bytes for gzip) while it is current: how far a reader
    is through its file, for a progress bar with a total. Readers need not know it exists."""

    bytes_read: int = 0


_METER: ContextVar[ByteMeter | None] = ContextVar("benchkb_byte_meter", default=None)


@contextmanager
def metered() -> Iterator[ByteMeter]:
    """Count the bytes every read in this context takes from disk."""
    meter = ByteMeter()
    token = _METER.set(meter)
    try:
        yield meter
    finally:
        _METER.reset(token)


def _counted(data: bytes) -> bytes:
    meter = _METER.get()
    if meter is not None:
        meter.bytes_read += len(data)
    return data


def check_readable(path: Path) -> None:
    """Raise a one-line ``InputError`` when ``path`` is not a readable file."""
    if not path.exists():
        raise InputError("no such file", file=str(path))
    if path.is_dir():
        raise InputError("is a directory, not a file", file=str(path))
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        raise InputError(f"cannot open: {error.strerror or error}", file=str(path)) from error


def is_gzip(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(2) == GZIP_MAGIC


def byte_chunks(path: Path) -> Iterator[bytes]:
    """The content of ``path`` in large chunks, decompressed when it is gzip whatever its name.

    A truncated or corrupt gzip raises ``EOFError`` or ``zlib.error`` after all the bytes before the damage.
    """
    try:
        compressed = is_gzip(path)
        stream = path.open("rb")
    except OSError as error:
        raise InputError(f"cannot open: {error.strerror or error}", file=str(path)) from error
    with stream:
        yield from _as_utf8(
            _gunzip(stream) if compressed else iter(lambda: _counted(stream.read(CHUNK_SIZE)), b"")
        )


def _as_utf8(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Content that opens with a UTF-16 or UTF-32 byte-order mark, transcoded to UTF-8 without the mark (what
    Windows tools write); any other content as it is. A mark must be followed by NUL bytes within a few
    characters, as the ASCII of any JSON, CSV or page is in those encodings: a UTF-8 file that merely opens
    with the bytes of a mark (garbage in its first line) is not transcoded."""
    first = next(chunks, b"")
    found = next(((bom, codec) for bom, codec in _WIDE_BOMS if first.startswith(bom)), None)
    if found is None or b"\x00" not in first[len(found[0]) : len(found[0]) + 64]:
        if first:
            yield first
        yield from chunks
        return
    bom, codec = found
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    yield decoder.decode(first[len(bom) :]).encode("utf-8")
    for chunk in chunks:
        yield decoder.decode(chunk).encode("utf-8")
    yield decoder.decode(b"", final=True).encode("utf-8")


def _gunzip(stream: BinaryIO) -> Iterator[bytes]:
    decompressor = zlib.decompressobj(_GZIP_WINDOW)
    while chunk := _counted(stream.read(CHUNK_SIZE)):
        before = decompressor.copy()
        try:
            data = decompressor.decompress(chunk)
        except zlib.error:
            yield from _salvage(before, chunk)
            raise
        # Concatenated gzip members are one stream (what `cat a.gz b.gz` and `gzip -c >>` make).
        while decompressor.eof and decompressor.unused_data:
            rest = decompressor.unused_data
            decompressor = zlib.decompressobj(_GZIP_WINDOW)
            data += decompressor.decompress(rest)
        if data:
            yield data
    if not decompressor.eof:
        raise EOFError("the compressed data ends before the end-of-stream marker")


def _salvage(decompressor: Any, chunk: bytes, step: int = 1024) -> Iterator[bytes]:
    """Replay a chunk that failed in ever smaller steps, so every byte before the damage is delivered."""
    for start in range(0, len(chunk), step):
        piece = chunk[start : start + step]
        before = decompressor.copy()
        try:
            data = decompressor.decompress(piece)
        except zlib.error:
            if step > 1:
                yield from _salvage(before, piece, 1)
            return
        if data:
            yield data


def read_head(path: Path, size: int = HEAD_SIZE) -> bytes:
    """The first ``size`` bytes of the (decompressed) content, for sniffing; damage gives what was read."""
    head = b""
    chunks = byte_chunks(path)
    try:
        for chunk in chunks:
            head += chunk
            if len(head) >= size:
                break
    except GZIP_DAMAGE:
        pass
    finally:
        chunks.close()
    return head[:size]


def gzip_problem(error: BaseException) -> str:
    if isinstance(error, EOFError):
        return f"truncated gzip: {error}"
    return f"corrupt gzip: {error}"


def numbered_lines(path: Path, limit: int | None = None) -> Iterator[tuple[int, bytes | None]]:
    """Yield ``(line number, line)`` without the line end; ``None`` for a line longer than ``limit`` bytes,
    which is never held whole (its bytes are dropped as they arrive).

    Lines end with ``\\n`` (a ``\\r`` before it stays on the line), or with ``\\r`` in a file whose first
    chunk has no ``\\n`` but a ``\\r`` (old Mac line ends). Gzip damage raises
    ``InputError(record=<number of the line where it broke>)``.

    The partial line before a truncation is not yielded: it is the record where reading broke.
    """
    number = 0
    pending = b""
    separator = b""
    skipping = False  # the line being read is already over the limit
    try:
        for chunk in byte_chunks(path):
            separator = separator or (b"\r" if b"\n" not in chunk and b"\r" in chunk else b"\n")
            lines = chunk.split(separator)
            lines[0] = (
                b"" if skipping else pending + lines[0]
            )  # a skipped line's bytes are dropped to its end
            pending = lines.pop()
            for number, line in enumerate(lines, number + 1):
                yield number, None if skipping or (limit is not None and len(line) > limit) else line
                skipping = False
            if limit is not None and len(pending) > limit:
                skipping, pending = True, b""
    except GZIP_DAMAGE as error:
        raise InputError(gzip_problem(error), file=str(path), record=number + 1) from error
    except OSError as error:
        raise InputError(f"cannot read: {error}", file=str(path)) from error
    if skipping or pending:
        yield number + 1, None if skipping else pending


def too_long(limit: int) -> str:
    """Why a record over the size limit was rejected."""
    return f"record longer than the {limit:,}-byte cap (max_record_bytes)"


class ChunkReader:
    """A minimal binary file over byte chunks, for parsers that call ``read`` (``ElementTree.iterparse``)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks

    def read(self, size: int = -1) -> bytes:
        # Chunks may be longer than asked for; streaming parsers only need an empty answer to mean the end.
        return next(self._chunks, b"")


def repaired_utf8(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Chunks with invalid UTF-8 replaced by U+FFFD: the parser survives, the record with it is rejected."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    for chunk in chunks:
        if text := decoder.decode(chunk):
            yield text.encode("utf-8")
    if tail := decoder.decode(b"", final=True):
        yield tail.encode("utf-8")
