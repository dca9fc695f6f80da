"""Opening input files: gzip is known by its magic bytes and read transparently; decoding is left to readers.

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


@dataclass
class ByteMeter:
    """Bytes of input files read from disk (compressed bytes for gzip) while it is current: how far a reader is
    through its file, for a progress bar with a total. Readers need not know it exists."""

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
        yield from _gunzip(stream) if compressed else iter(lambda: _counted(stream.read(CHUNK_SIZE)), b"")


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


def numbered_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Yield ``(line number, line)`` without the ``\\n``.

    Gzip damage raises ``InputError(record=<number of the line where it broke>)``.

    The partial line before a truncation is not yielded: it is the record where reading broke.
    """
    number = 0
    pending = b""
    try:
        for chunk in byte_chunks(path):
            lines = chunk.split(b"\n")
            lines[0] = pending + lines[0]
            pending = lines.pop()
            first = number + 1
            for number, line in enumerate(lines, first):
                yield number, line
    except GZIP_DAMAGE as error:
        raise InputError(gzip_problem(error), file=str(path), record=number + 1) from error
    except OSError as error:
        raise InputError(f"cannot read: {error}", file=str(path)) from error
    if pending:
        yield number + 1, pending


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
