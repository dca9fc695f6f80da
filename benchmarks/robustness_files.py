"""Files of every input format built from papers, and their mutations (bit flips, truncation, bad records
inserted), with each clean record's byte span, so that benchmarks/robustness.py can tell which records a
mutation left whole and count those that were not stored (valid neighbours lost)."""

from __future__ import annotations

import csv
import io
import json
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from benchkb.models import Paper
from benchkb.sources import ReadOptions, read_records

FORMATS = ("jsonl", "arxiv-jsonl", "csv", "hf-page", "arxiv-atom", "hf-api", "parquet")
OVER_CAP = 1_100_000  # longer than the default max_record_bytes (1 MiB)
NINES = "9" * 400  # overflows a float

FEED_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom">\n<title>benchkb robustness</title>\n'
)

# Records that are wrong in every way seen in the wild or in the issue; each is one record of its format.
BAD_LINES = [
    b'{"id": "bad-sur", "title": "Sur \\ud800 rogate", "abstract": "x \\udfff 5% better"}',
    b'{"id": "bad-int", "title": "Big ints", "abstract": "12% up", "upvotes": 99999999999999, "authors": 5}',
    b'{"id": "bad-deep", "title": "Deep", "abstract": "y", "m": ' + b"[" * 3000 + b"]" * 3000 + b"}",
    b'{"id": "bad-broken", "title": "Broken',
    b'"just a string"',
    b"null",
    b'\xff\xfe{"title": "bytes"}',
    b'{"id": "bad-ctrl", "title": "\\u001b[31mRed\\u0007", "abstract": "\\u0000 3x faster \\u009b"}',
    b'{"id": "bad-inf", "title": "Overflow", "abstract": "We get ' + NINES.encode() + b'% of it."}',
    b'{"id": "bad-ver", "title": "Version", "abstract": "3x", "arxiv_id": "2401.00009v99999999999"}',
    b'{"id": "bad-nan", "title": "NaN", "abstract": "4x", "score": NaN, "n": ' + b"9" * 5000 + b"}",
    b'{"id": "bad-markup", "title": "[/INST] Tuning", "abstract": "5% better [bold]"}',
]
BAD_ROWS = [
    b'bad-quote,"unterminated quote,5% better',
    b"bad-fields,too,many,fields,here",
    b"\xff\xfe,bad bytes,x",
    b'bad-ctrl,"Red \x1b[31m",\x00 3x faster',
    b"bad-eq,=cmd|' /C calc'!A0,5% better",
    b"bad-inf,Overflow,We get " + NINES.encode() + b"% of it.",
    b"bad-empty,,",
]
BAD_ENTRIES = [
    b"Bad bytes \xff\xfe title\nAn abstract with a 5% gain.\n\n",
    b"Huge authors\nWe get 12% more.\n\xe2\x80\xa2 99999999999999 authors\n\xc2\xb7\n"
    b"Mar 5 99999999999999999999\n\n",
    b"Control \x1b[31m title\nWe get 3x \x00 faster.\n\n",
    b"Overflow title\nWe get " + NINES.encode() + b"% of it.\n\n",
    b"[/INST] title\n5% better [bold]\n\n",
]
BAD_XML = [
    b"<entry><id>http://arxiv.org/abs/2401.99999v1</id><title>Broken</titl><summary>x</summary></entry>\n",
    b"<entry><title>Entity</title><summary>&undefined; 5%</summary></entry>\n",
    b"<entry><title>Unclosed</title><summary>5% gain</summary>\n",
    b"<entry><title>Bytes \xff\xfe</title><summary>3x</summary></entry>\n",
    b"<entry><title>Char ref</title><summary>&#27;[31m 5%</summary></entry>\n",
    b"<entry><title>Overflow</title><summary>We get " + NINES.encode() + b"% of it</summary></entry>\n",
]
BAD_ITEMS: list[Any] = [
    {"paper": {"id": "2401.99999v99999999999", "title": "Big", "summary": "5%", "upvotes": 10**20}},
    5,
    "x",
    None,
    [1, 2],
    {"title": "Sur \ud800", "summary": "x"},
    {"title": "Deep", "summary": "y", "m": json.loads("[" * 500 + "]" * 500)},
    {"title": "Overflow", "summary": f"We get {NINES}% of it"},
    {"paper": "not an object", "title": "T"},
]
BAD_PARQUET_ROWS: list[dict[str, Any]] = [
    {"id": "bad-null", "title": None, "abstract": "5% better", "upvotes": 1},
    {"id": "bad-empty", "title": "Empty", "abstract": "", "upvotes": 1},
    {"id": "bad-ctrl", "title": "Red \x1b[31m", "abstract": "\x00 3x faster", "upvotes": 1},
    {"id": "bad-int", "title": "Big", "abstract": "12% up", "upvotes": 2**40},
    {"id": "bad-inf", "title": "Overflow", "abstract": f"We get {NINES}% of it.", "upvotes": 1},
]


@dataclass
class Mutated:
    kind: str  # flips, truncation or inserted
    content: bytes
    suffix: str
    positions: list[int]  # the bytes flipped, or where the file was cut


@dataclass
class CleanFile:
    fmt: str
    head: bytes
    records: list[bytes]
    tail: bytes
    joiner: bytes
    ids: list[str]  # the paper each record reads as
    rows: list[dict[str, Any]] | None = None  # Parquet's records

    @property
    def content(self) -> bytes:
        if self.rows is not None:
            return parquet_bytes(self.rows)
        return self.head + self.joiner.join(self.records) + self.tail

    def spans(self) -> list[tuple[int, int]]:
        """Each record's bytes, from where damage reaches it (the separator before it, and the closing of the
        record before; for the positional Daily Papers page, the whole previous entry) to the end of the
        separator after it: a broken line end merges two records, and no reader can tell them apart again."""
        closing = {"arxiv-atom": len(b"</entry>"), "hf-api": len(b"}")}.get(self.fmt, 0)
        spans, at, previous = [], len(self.head), len(self.head)
        for record in self.records:
            reach = previous if self.fmt == "hf-page" else max(0, at - len(self.joiner) - closing)
            spans.append((reach, at + len(record) + len(self.joiner)))
            previous = at
            at += len(record) + len(self.joiner)
        return spans

    def ids_untouched(self, mutated: Mutated) -> set[str] | None:
        """The papers of the records the mutation left whole; None when that cannot be told (Parquet's
        bytes)."""
        if mutated.kind == "inserted":
            return set(self.ids)
        if self.rows is not None:
            return None
        spans = self.spans()
        if mutated.kind == "truncation":
            return {pid for pid, (_, end) in zip(self.ids, spans) if end <= mutated.positions[0]}
        return {
            pid
            for pid, (reach, end) in zip(self.ids, spans)
            if not any(reach <= position < end for position in mutated.positions)
        }


def build_file(fmt: str, papers: list[Paper], tag: str, rng: random.Random) -> CleanFile:
    ids = [f"{tag}-{number}" for number in range(len(papers))]
    if fmt == "parquet":
        rows = [
            {"id": pid, "title": p.title, "abstract": p.abstract, "upvotes": rng.randint(0, 500)}
            for pid, p in zip(ids, papers)
        ]
        clean = CleanFile(fmt, b"", [], b"", b"", [], rows=rows)
    else:
        head, records, tail, joiner = _layout(fmt, papers, ids)
        clean = CleanFile(fmt, head, records, tail, joiner, [])
    clean.ids = _paper_ids(clean)
    return clean


def _layout(fmt: str, papers: list[Paper], ids: list[str]) -> tuple[bytes, list[bytes], bytes, bytes]:
    if fmt == "jsonl":
        lines = [
            json.dumps(
                {
                    "id": pid,
                    "title": p.title,
                    "abstract": p.abstract,
                    "authors": p.authors,
                    "published": str(p.published),
                }
            )
            for pid, p in zip(ids, papers)
        ]
        return b"", [line.encode() for line in lines], b"\n", b"\n"
    if fmt == "arxiv-jsonl":
        lines = [
            json.dumps(
                {
                    "id": f"2401.{number:05d}",
                    "title": p.title,
                    "abstract": p.abstract,
                    "categories": "cs.CL cs.AI",
                    "authors": ", ".join(p.authors) or "A. Author",
                    "versions": [{"version": "v1", "created": "Mon, 1 Jan 2024 00:00:00 GMT"}],
                    "update_date": "2024-01-02",
                    "submitter": pid,
                }
            )
            for number, (pid, p) in enumerate(zip(ids, papers))
        ]
        return b"", [line.encode() for line in lines], b"\n", b"\n"
    if fmt == "csv":
        rows = []
        for pid, p in zip(ids, papers):
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="").writerow([pid, p.title, " ".join(p.abstract.split())])
            rows.append(buffer.getvalue().encode())
        return b"id,title,abstract\n", rows, b"\n", b"\n"
    if fmt == "hf-page":
        entries = [
            f"{p.title}\n{' '.join(p.abstract.split())}\n\u2022 {len(p.authors) or 3} authors\n\u00b7\n"
            f"Mar {number % 28 + 1}\n".encode()
            for number, p in enumerate(papers)
        ]
        return b"Daily Papers\n\n", entries, b"\n", b"\n"
    if fmt == "arxiv-atom":
        entries = [
            (
                f"<entry><id>http://arxiv.org/abs/2401.{number:05d}v1</id><title>{_xml(p.title)}</title>"
                f"<summary>{_xml(p.abstract)}</summary><published>2024-01-01T00:00:00Z</published>"
                f"<author><name>A. Author</name></author></entry>"
            ).encode()
            for number, p in enumerate(papers)
        ]
        return FEED_HEAD.encode(), entries, b"\n</feed>\n", b"\n"
    if fmt == "hf-api":
        items = [
            json.dumps(
                {
                    "paper": {
                        "id": f"2401.{number:05d}",
                        "title": p.title,
                        "summary": p.abstract,
                        "authors": [{"name": a} for a in p.authors],
                        "upvotes": 3,
                    }
                }
            )
            for number, p in enumerate(papers)
        ]
        return b"[\n", [item.encode() for item in items], b"\n]\n", b",\n"
    raise ValueError(fmt)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def parquet_bytes(rows: list[dict[str, Any]]) -> bytes:
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), sink)
    return sink.getvalue()


def _paper_ids(clean: CleanFile) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".input") as handle:
        Path(handle.name).write_bytes(clean.content)
        records = list(read_records(Path(handle.name), ReadOptions(format=clean.fmt, year=2026)))
    missing = [r for r in records if not isinstance(r, Paper)]
    if missing or len(records) != len(clean.records or clean.rows or []):
        raise RuntimeError(f"the clean {clean.fmt} file does not read whole: {missing[:2]}")
    return [paper.paper_id for paper in records]


def mutate(clean: CleanFile, rng: random.Random) -> Mutated:
    kind = rng.choice(["flips", "truncation", "inserted"])
    if kind == "inserted":
        return _inserted(clean, rng)
    content = bytearray(clean.content)
    if kind == "flips":
        positions = rng.sample(range(len(content)), rng.randint(1, 8))
        for position in positions:
            content[position] ^= 1 << rng.randrange(8)
    else:
        positions = [rng.randrange(1, len(content))]
        del content[positions[0] :]
    return Mutated(kind, bytes(content), "", positions)


def _inserted(clean: CleanFile, rng: random.Random) -> Mutated:
    suffix = ".gz" if rng.random() < 0.25 else ""
    count = rng.randint(1, 5)
    if clean.rows is not None:
        rows = list(clean.rows)
        for _ in range(count):
            rows.insert(rng.randint(0, len(rows)), dict(rng.choice(BAD_PARQUET_ROWS)))
        return Mutated("inserted", parquet_bytes(rows), "", [])
    pool = {
        "csv": BAD_ROWS,
        "hf-page": BAD_ENTRIES,
        "arxiv-atom": BAD_XML,
        "hf-api": [json.dumps(item).encode() for item in BAD_ITEMS],
    }.get(clean.fmt, BAD_LINES)
    records = list(clean.records)
    for _ in range(count):
        bad = rng.choice(pool)
        if rng.random() < 0.05:  # now and then a record over the size cap
            bad = _over_cap(clean.fmt)
        records.insert(rng.randint(0, len(records)), bad.rstrip(b"\n") if clean.fmt != "hf-page" else bad)
    return Mutated("inserted", clean.head + clean.joiner.join(records) + clean.tail, suffix, [])


def _over_cap(fmt: str) -> bytes:
    filler = b"z " * (OVER_CAP // 2)
    return {
        "csv": b"huge,Huge," + filler,
        "hf-page": b"Huge line\n" + filler + b"\n\n",
        "arxiv-atom": b"<entry><title>Huge</title><summary>" + filler + b"</summary></entry>",
        "hf-api": b'{"title": "Huge", "summary": "' + filler + b'"}',
    }.get(fmt, b'{"id": "bad-huge", "title": "Huge", "abstract": "' + filler + b'"}')
