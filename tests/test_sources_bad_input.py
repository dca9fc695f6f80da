"""Bad input: each bad record becomes a Reject naming its number, and its good neighbours are still read."""

from __future__ import annotations

import gzip
import json
import random
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.sources import ReadOptions, read_records

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
BAD_UTF8 = b"caf\xe9 \xff\xfe"


def read(path: Path, **options: object) -> list[Paper | Reject]:
    return list(read_records(path, ReadOptions(**options)))


def summary(records: list[Paper | Reject]) -> list[str | tuple[int, str]]:
    """Papers by title, rejects by (record, reason)."""
    return [r.title if isinstance(r, Paper) else (r.record, r.reason) for r in records]


def test_bad_json_lines() -> None:
    records = read(FIXTURES / "bad.jsonl")
    assert summary(records) == [
        "First Good",
        (2, "invalid JSON: Expecting ',' delimiter (column 69)"),
        (3, "record is not a JSON object but an array"),
        (4, "missing abstract ('abstract')"),
        (5, "empty abstract ('abstract')"),
        (6, "missing title ('title')"),
        "Second Good",
    ]
    reject = records[1]
    assert isinstance(reject, Reject)
    assert reject.file == str(FIXTURES / "bad.jsonl")
    assert reject.raw == '{"id": "broken", "title": "Broken JSON", "abstract": "missing brace"'


def test_blank_lines_count_but_are_not_records(tmp_path: Path) -> None:
    path = tmp_path / "gaps.jsonl"
    path.write_text('\n{"title": "A", "abstract": "x"}\n   \n{"title": "B"}\n', encoding="utf-8")
    assert summary(read(path)) == ["A", (4, "missing abstract ('abstract')")]


def test_bad_csv_rows() -> None:
    assert summary(read(FIXTURES / "bad.csv")) == [
        "Good Row",
        (2, "row has 4 fields, the header has 3"),
        (3, "empty abstract ('abstract')"),
        (4, "row has 2 fields, the header has 3"),
        "Last Good Row",
    ]


def test_raw_is_cut_to_200_characters(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"title": "T" * 500}) + "\n", encoding="utf-8")
    (reject,) = read(path)
    assert isinstance(reject, Reject) and reject.raw is not None and len(reject.raw) == 200


# --- undecodable bytes: only the record holding them is rejected ---


def test_invalid_utf8_in_one_json_line(tmp_path: Path) -> None:
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(
        b'{"title": "Before", "abstract": "ok"}\n'
        b'{"title": "' + BAD_UTF8 + b'", "abstract": "bad"}\n'
        b'{"title": "After", "abstract": "ok"}\n'
    )
    assert summary(read(path)) == ["Before", (2, "invalid UTF-8 at byte 14"), "After"]


def test_invalid_utf8_in_one_csv_row(tmp_path: Path) -> None:
    path = tmp_path / "bytes.csv"
    path.write_bytes(b"title,abstract\nBefore,ok\n" + BAD_UTF8 + b",bad\nAfter,ok\n")
    assert summary(read(path)) == ["Before", (2, "invalid UTF-8 in row"), "After"]


def test_invalid_utf8_in_one_page_entry(tmp_path: Path) -> None:
    path = tmp_path / "bytes.txt"
    path.write_bytes(b"Before\n\nok abstract\n\n" + BAD_UTF8 + b"\n\nbad abstract\n\nAfter\n\nok abstract\n")
    assert summary(read(path)) == ["Before", (2, "invalid UTF-8 in entry"), "After"]


def test_invalid_utf8_in_one_atom_entry(tmp_path: Path) -> None:
    entry = "<entry><id>http://arxiv.org/abs/2401.0000{n}v1</id><title>{title}</title><summary>ok</summary></entry>"
    path = tmp_path / "bytes.xml"
    path.write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        + entry.format(n=1, title="Before").encode()
        + entry.format(n=2, title="BAD").encode().replace(b"BAD", BAD_UTF8)
        + entry.format(n=3, title="After").encode()
        + b"</feed>"
    )
    assert summary(read(path)) == ["Before", (2, "invalid UTF-8 in entry"), "After"]


def test_invalid_utf8_in_one_api_record(tmp_path: Path) -> None:
    path = tmp_path / "bytes.json"
    path.write_bytes(
        b'[{"id": "2401.00001", "title": "Before", "summary": "ok"},'
        b' {"id": "2401.00002", "title": "' + BAD_UTF8 + b'", "summary": "bad"},'
        b' {"id": "2401.00003", "title": "After", "summary": "ok"}]'
    )
    assert summary(read(path)) == ["Before", (2, "invalid UTF-8 in record"), "After"]


# --- damage that ends the stream ---


def _numbered_jsonl(count: int) -> bytes:
    # Random words compress badly, so a cut in the middle of the gzip lands in the middle of the records.
    words = random.Random(7)
    lines = []
    for n in range(1, count + 1):
        abstract = " ".join(f"{words.random():.6f}" for _ in range(30))
        lines.append(json.dumps({"id": f"r{n}", "title": f"Record {n}", "abstract": abstract}))
    return ("\n".join(lines) + "\n").encode()


def _complete_lines_before(truncated: bytes) -> int:
    available = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(truncated)
    return available.count(b"\n")


def test_truncated_gzip_json_lines(tmp_path: Path) -> None:
    packed = gzip.compress(_numbered_jsonl(3000))
    truncated = packed[: len(packed) * 3 // 5]
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(truncated)
    complete = _complete_lines_before(truncated)
    records = read(path)
    papers, last = records[:-1], records[-1]
    assert complete > 1000
    assert [p.paper_id for p in papers] == [f"r{n}" for n in range(1, complete + 1)]
    assert isinstance(last, Reject) and last.record == complete + 1
    assert last.reason.startswith("truncated gzip: ")


def test_truncated_gzip_csv(tmp_path: Path) -> None:
    noise = random.Random(3)
    rows = ["id,title,abstract"]
    rows += [f"c{n},Row {n}," + " ".join(f"{noise.random():.6f}" for _ in range(20)) for n in range(1, 2001)]
    packed = gzip.compress(("\n".join(rows) + "\n").encode())
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(packed[: len(packed) // 2])
    records = read(path)
    papers, last = records[:-1], records[-1]
    assert papers and all(isinstance(p, Paper) for p in papers)
    assert [p.paper_id for p in papers] == [f"c{n}" for n in range(1, len(papers) + 1)]
    assert (
        isinstance(last, Reject)
        and last.record == len(papers) + 1
        and last.reason.startswith("truncated gzip")
    )


def test_truncated_gzip_page_and_atom(tmp_path: Path) -> None:
    for name, year in (("hf-page.txt", 2026), ("arxiv-atom.xml", None)):
        content = (FIXTURES / name).read_bytes()
        path = tmp_path / (name + ".gz")
        path.write_bytes(gzip.compress(content)[:-12])  # lose the end of the stream
        records = read(path, format="hf-page" if name.endswith(".txt") else "arxiv-atom", year=year)
        assert isinstance(records[-1], Reject) and records[-1].reason.startswith("truncated gzip"), name
        assert any(isinstance(r, Paper) for r in records[:-1])


def test_truncated_gzip_api_json_keeps_the_items_before(tmp_path: Path) -> None:
    path = tmp_path / "cut.json.gz"
    path.write_bytes(gzip.compress((FIXTURES / "hf-api.json").read_bytes())[:-12])
    records = read(path)
    assert any(isinstance(r, Paper) for r in records[:-1])
    assert isinstance(records[-1], Reject) and records[-1].reason.startswith("truncated gzip")


def test_corrupt_gzip_ends_with_a_reject(tmp_path: Path) -> None:
    packed = bytearray(gzip.compress(_numbered_jsonl(2000)))
    packed[-8:-4] = b"\x00\x00\x00\x00"  # a wrong CRC in the trailer
    path = tmp_path / "corrupt.jsonl.gz"
    path.write_bytes(bytes(packed))
    records = read(path)
    # The data itself is intact, so every record is read before the bad checksum is reported.
    assert sum(isinstance(r, Paper) for r in records) == 2000
    assert isinstance(records[-1], Reject) and records[-1].record == 2001
    assert records[-1].reason.startswith("corrupt gzip")


def test_corrupt_gzip_in_the_middle_keeps_the_records_before(tmp_path: Path) -> None:
    packed = bytearray(gzip.compress(_numbered_jsonl(2000)))
    middle = len(packed) // 2
    packed[middle : middle + 64] = bytes(64)
    path = tmp_path / "corrupt.jsonl.gz"
    path.write_bytes(bytes(packed))
    records = read(path)
    assert sum(isinstance(r, Paper) for r in records) > 500
    assert isinstance(records[-1], Reject)


def test_xml_broken_midway(tmp_path: Path) -> None:
    content = (FIXTURES / "arxiv-atom.xml").read_text(encoding="utf-8")
    cut = content.index("<title>The Last Entry")
    path = tmp_path / "cut.xml"
    path.write_text(content[:cut], encoding="utf-8")
    records = read(path)
    assert summary(records)[:2] == [
        "Industrial-Grade Sensor Simulation via Gaussian Splatting: A Modular Framework",
        "An Old-Style Identifier",
    ]
    assert (
        isinstance(records[-1], Reject)
        and records[-1].record == 4
        and "XML parse error" in records[-1].reason
    )


# --- file-level problems raise ---


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        (b"{[", "hf-api", "invalid JSON"),
        (b'{"a": 1}', "hf-api", "expected a JSON array"),
        (b"plain words", "arxiv-atom", "not XML"),
        (b"<html><body/></html>", "arxiv-atom", "not an Atom feed"),
        (b"not parquet", "parquet", "not a readable Parquet file"),
    ],
)
def test_unreadable_file_as_its_format(tmp_path: Path, content: bytes, fmt: str, message: str) -> None:
    path = tmp_path / "input"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        read(path, format=fmt)
    assert caught.value.file == str(path)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=80), max_size=12))
def test_reading_json_lines_never_raises(
    tmp_path_factory: pytest.TempPathFactory, lines: list[bytes]
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.jsonl"
    path.write_bytes(b"\n".join(lines))
    for record in read_records(path, ReadOptions()):
        assert isinstance(record, (Paper, Reject))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_reading_a_page_never_raises(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.txt"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    for record in read_records(path, ReadOptions(format="hf-page", year=2026)):
        assert isinstance(record, (Paper, Reject))
