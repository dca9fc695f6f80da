"""The sources stage: every input format read from small fixtures, paper identity, and format detection.

Bad input is in test_sources_bad_input.py, the Hugging Face page in test_sources_hf_page.py.
"""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.sources import FORMATS, ReadOptions, detect_format, read_records
from benchkb.sources.identity import normalise_title, paper_identity, parse_arxiv_id, title_id

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
# ../shared/corpus next to the repository checkout.
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def read(path: Path, **options: object) -> tuple[list[Paper], list[Reject]]:
    records = list(read_records(path, ReadOptions(**options)))
    return [r for r in records if isinstance(r, Paper)], [r for r in records if isinstance(r, Reject)]


def by_title(papers: list[Paper]) -> dict[str, Paper]:
    return {paper.title: paper for paper in papers}


# --- formats ---


def test_generic_jsonl_fills_known_fields_and_keeps_the_rest() -> None:
    papers, rejects = read(FIXTURES / "papers.jsonl")
    assert rejects == []
    daily, conference, with_arxiv, no_id, numeric = papers
    assert (daily.paper_id, daily.arxiv_id, daily.version) == ("2503.11731", "2503.11731", 3)
    assert daily.abstract == "We improve mAP by 2.3 points."
    assert daily.categories == ["cs.CV", "cs.RO"]
    assert daily.published == dt.date(2025, 3, 18)
    assert daily.source_format == "jsonl" and daily.metadata == {}

    assert (conference.paper_id, conference.arxiv_id) == ("3dv2025-287197f3e1", None)
    assert conference.venue == "3dv"
    assert (conference.published, conference.published_precision) == (dt.date(2025, 1, 1), "year")
    assert conference.metadata == {}

    # An arXiv column names the paper; the record's own id is kept.
    assert (with_arxiv.paper_id, with_arxiv.version) == ("1612.00496", 2)
    assert with_arxiv.metadata == {"id": "cvpr2017-4c54db6d84"}

    assert no_id.paper_id == title_id("No Id Here") and no_id.title == "No Id Here"
    assert no_id.authors == ["Ada Lovelace", "Alan Turing", "Grace Hopper"] and no_id.author_count == 3
    assert no_id.categories == ["cs.LG", "stat.ML"]
    assert no_id.published == dt.date(2024, 6, 1)  # a date column wins over year, which is kept
    assert no_id.metadata == {"source": "manual", "year": 2023}

    assert numeric.paper_id == "42"
    assert numeric.published is None and numeric.metadata == {"date": "not a date"}


def test_arxiv_snapshot_jsonl() -> None:
    papers, rejects = read(FIXTURES / "arxiv-snapshot.jsonl")
    assert rejects == []
    first, old_style = papers
    assert first.source_format == "arxiv-jsonl"
    assert (first.paper_id, first.arxiv_id, first.version) == ("0704.0001", "0704.0001", 2)
    assert (
        first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert first.abstract.startswith("A fully differential calculation") and first.abstract.endswith(
        "colliders."
    )
    assert first.published == dt.date(2007, 4, 2)  # v1, not the update date
    assert first.authors == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"]
    assert first.categories == ["hep-ph"]
    assert first.metadata["journal-ref"] == "Phys.Rev.D76:013009,2007"
    assert first.metadata["update_date"] == "2008-11-13"
    assert "versions" not in first.metadata and "license" not in first.metadata

    assert (old_style.paper_id, old_style.version) == ("hep-th/9901001", None)
    assert old_style.authors == ["A. Author", "B. Author"]
    assert old_style.categories == ["hep-th", "math.AG"]
    assert old_style.published == dt.date(2009, 10, 31)


def test_arxiv_atom() -> None:
    papers, rejects = read(FIXTURES / "arxiv-atom.xml")
    first, old_style, last = papers
    assert (first.paper_id, first.arxiv_id, first.version) == ("2503.11731", "2503.11731", 2)
    assert first.title == "Industrial-Grade Sensor Simulation via Gaussian Splatting: A Modular Framework"
    # The abstract keeps its inner line breaks (claims point into it); only the ends are stripped.
    assert first.abstract == "Sensor simulation is pivotal.\nWe reduce latency by 35%."
    assert first.published == dt.date(2025, 3, 14)
    assert first.authors == ["Ada Lovelace", "Alan Turing"] and first.author_count == 2
    assert first.categories == ["cs.CV", "cs.RO"]
    assert first.metadata == {
        "updated": "2025-03-19T10:00:00Z",
        "comment": "12 pages",
        "primary_category": "cs.CV",
    }
    assert (old_style.paper_id, old_style.version) == ("hep-th/9901001", 1)
    assert (last.paper_id, last.version) == ("2401.00003", 3)
    assert [(r.record, r.reason) for r in rejects] == [(3, "missing abstract (empty <summary>)")]


def test_hf_api_wrapped_and_bare_items() -> None:
    papers, rejects = read(FIXTURES / "hf-api.json")
    wrapped, bare = papers
    assert (wrapped.paper_id, wrapped.arxiv_id) == ("2503.11731", "2503.11731")
    assert wrapped.title == "Gaussian Splatting for Sensors"
    assert wrapped.abstract == "We simulate sensors 3x faster."
    assert wrapped.authors == ["Ada Lovelace", "Alan Turing"]
    assert wrapped.published == dt.date(2025, 3, 14)  # the paper's date, not the day it was listed
    assert wrapped.upvotes == 12
    assert wrapped.metadata == {
        "numComments": 2,
        "ai_keywords": ["gaussian splatting"],
        "listedAt": "2025-03-17T03:00:00.000Z",
    }
    assert (bare.paper_id, bare.organization, bare.upvotes) == ("2401.00001", "NVIDIA", 0)
    assert [(r.record, r.reason) for r in rejects] == [
        (3, "record is not a JSON object but a string"),
        (4, "missing abstract ('summary')"),
    ]


def test_csv_with_quoted_fields_over_lines() -> None:
    papers, rejects = read(FIXTURES / "papers.csv")
    assert rejects == []
    one, two = papers
    assert (one.paper_id, one.title, one.venue) == ("P1", "CSV Paper One", "ICML")
    assert one.abstract == "We reach 90.1% accuracy, a new best."
    assert one.authors == ["Ada Lovelace", "Alan Turing"]
    assert (one.published, one.published_precision) == (dt.date(2024, 1, 1), "year")
    assert one.metadata == {"pages": "8"}
    assert two.title == "CSV Paper, Two"
    assert two.abstract == "An abstract\nover two lines with 5 GPUs."
    assert two.metadata == {}  # empty cells are absent values


def test_renamed_columns(tmp_path: Path) -> None:
    path = tmp_path / "renamed.csv"
    path.write_text("key,name,summary\nK1,Renamed,It has 7 layers.\n", encoding="utf-8")
    papers, rejects = read(path, id_col="key", title_col="name", abstract_col="summary")
    assert rejects == []
    assert (papers[0].paper_id, papers[0].title, papers[0].abstract) == ("K1", "Renamed", "It has 7 layers.")


def test_parquet(tmp_path: Path) -> None:
    path = tmp_path / "papers.parquet"
    table = pa.table(
        {
            "id": ["arXiv:2401.00001v2", "pq-2", "pq-3"],
            "title": ["Parquet One", "Parquet Two", "Parquet Three"],
            "abstract": ["It is 2x faster.", None, "It is 9% better."],
            "categories": [["cs.LG"], [], ["cs.CL", "cs.AI"]],
            "published": [dt.date(2024, 1, 2), None, dt.date(2024, 3, 4)],
            "score": [1.5, 2.0, 3.5],
        }
    )
    pq.write_table(table, path, row_group_size=2)
    papers, rejects = read(path)
    assert detect_format(path) == "parquet"
    one, three = papers
    assert (one.paper_id, one.version, one.categories, one.published) == (
        "2401.00001",
        2,
        ["cs.LG"],
        dt.date(2024, 1, 2),
    )
    assert one.metadata == {"score": 1.5}
    assert three.categories == ["cs.CL", "cs.AI"]
    assert [(r.record, r.reason) for r in rejects] == [(2, "missing abstract ('abstract')")]


def test_table_without_abstract_column_is_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "no-abstract.csv"
    path.write_text("id,title\n1,A\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column 'abstract'"):
        list(read_records(path, ReadOptions()))


def test_gzip_is_read_transparently_for_every_text_format(tmp_path: Path) -> None:
    for name in (
        "papers.jsonl",
        "papers.csv",
        "arxiv-atom.xml",
        "hf-api.json",
        "hf-page.txt",
        "arxiv-snapshot.jsonl",
    ):
        plain = list(read_records(FIXTURES / name, ReadOptions(year=2026)))
        packed = tmp_path / (name + ".gz")
        packed.write_bytes(gzip.compress((FIXTURES / name).read_bytes()))
        assert list(read_records(packed, ReadOptions(year=2026))) == [
            r.model_copy(update={"file": str(packed)}) if isinstance(r, Reject) else r for r in plain
        ], name


def test_concatenated_gzip_members_are_one_stream(tmp_path: Path) -> None:
    path = tmp_path / "two-members.jsonl.gz"
    lines = (FIXTURES / "papers.jsonl").read_bytes().splitlines(keepends=True)
    path.write_bytes(gzip.compress(b"".join(lines[:2])) + gzip.compress(b"".join(lines[2:])))
    assert [p.title for p in read(path)[0]] == [p.title for p in read(FIXTURES / "papers.jsonl")[0]]


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    for name in ("papers.jsonl", "papers.csv", "hf-page.txt"):
        marked = tmp_path / name
        marked.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / name).read_bytes())
        assert read(marked, year=2026) == read(FIXTURES / name, year=2026), name


# --- identity ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2503.11731", ("2503.11731", None)),
        ("arXiv:2503.11731", ("2503.11731", None)),
        ("arxiv:2503.11731v2", ("2503.11731", 2)),
        ("https://arxiv.org/abs/2503.11731v2", ("2503.11731", 2)),
        ("http://arxiv.org/pdf/2503.11731v3.pdf", ("2503.11731", 3)),
        ("https://arxiv.org/pdf/2503.11731", ("2503.11731", None)),
        ("  0704.0001  ", ("0704.0001", None)),
        ("hep-th/9901001v1", ("hep-th/9901001", 1)),
        ("http://arxiv.org/abs/math.AG/0601001v12", ("math.AG/0601001", 12)),
        ("3dv2025-287197f3e1", None),
        ("not an id", None),
        ("", None),
    ],
)
def test_arxiv_id_normalisation(text: str, expected: tuple[str, int | None] | None) -> None:
    assert parse_arxiv_id(text) == expected


def test_title_hash_ignores_case_and_punctuation_and_is_stable() -> None:
    assert normalise_title("  FlashAttention-4: Fast   Kernels! ") == "flashattention 4 fast kernels"
    assert title_id("FlashAttention-4: Fast Kernels") == title_id("flashattention 4 -- FAST kernels")
    assert title_id("FlashAttention-4: Fast Kernels") != title_id("FlashAttention-3: Fast Kernels")
    # Pinned: ids are stored, so the hash must never change between versions.
    assert title_id("Hello, World!") == "t:2aae6c35c94fcfb4"


def test_identity_prefers_arxiv_then_own_id_then_title() -> None:
    assert paper_identity(title="T", own_id="x-1", arxiv="2401.00001v4") == ("2401.00001", "2401.00001", 4)
    assert paper_identity(title="T", own_id="arXiv:2401.00001") == ("2401.00001", "2401.00001", None)
    assert paper_identity(title="T", own_id=" x-1 ", arxiv="not arxiv") == ("x-1", None, None)
    assert paper_identity(title="T", own_id=7) == ("7", None, None)
    assert paper_identity(title="T", own_id="  ") == (title_id("T"), None, None)


def test_reading_twice_gives_the_same_records() -> None:
    for name in ("papers.jsonl", "hf-page.txt", "arxiv-atom.xml"):
        assert list(read_records(FIXTURES / name, ReadOptions(year=2026))) == list(
            read_records(FIXTURES / name, ReadOptions(year=2026))
        )


# --- detection ---


# Fixtures whose format can be told from their content (CSV only by its extension).
SELF_DESCRIBING = [
    ("hf-page.txt", "hf-page"),
    ("hf-api.json", "hf-api"),
    ("arxiv-atom.xml", "arxiv-atom"),
    ("arxiv-snapshot.jsonl", "arxiv-jsonl"),
    ("papers.jsonl", "jsonl"),
]


@pytest.mark.parametrize(("name", "expected"), [*SELF_DESCRIBING, ("papers.csv", "csv")])
def test_detect_by_extension_and_through_gzip(name: str, expected: str, tmp_path: Path) -> None:
    assert detect_format(FIXTURES / name) == expected
    packed = tmp_path / (name + ".gz")
    packed.write_bytes(gzip.compress((FIXTURES / name).read_bytes()))
    assert detect_format(packed) == expected
    # Gzip is known by its magic bytes, not its name.
    disguised = tmp_path / name
    disguised.write_bytes(packed.read_bytes())
    assert detect_format(disguised) == expected
    assert read(disguised, year=2026)[0] == read(FIXTURES / name, year=2026)[0]


@pytest.mark.parametrize(("name", "expected"), SELF_DESCRIBING)
def test_detect_by_content_without_extension(name: str, expected: str, tmp_path: Path) -> None:
    bare = tmp_path / "input"
    shutil.copy(FIXTURES / name, bare)
    assert detect_format(bare) == expected


def test_detect_parquet_by_magic(tmp_path: Path) -> None:
    path = tmp_path / "table.bin"
    pq.write_table(pa.table({"title": ["T"], "abstract": ["A"]}), path)
    assert detect_format(path) == "parquet"


def test_json_extension_holding_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "papers.json"
    shutil.copy(FIXTURES / "papers.jsonl", path)
    assert detect_format(path) == "jsonl"


def test_format_option_overrides_detection(tmp_path: Path) -> None:
    path = tmp_path / "papers.txt"  # .txt would mean hf-page
    shutil.copy(FIXTURES / "papers.jsonl", path)
    assert detect_format(path) == "hf-page"
    papers, rejects = read(path, format="jsonl")
    assert len(papers) == 5 and rejects == []


def test_undetectable_and_unknown_formats_are_input_errors(tmp_path: Path) -> None:
    path = tmp_path / "notes"
    path.write_text("just some words\nnothing to see\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot tell the format") as caught:
        detect_format(path)
    assert caught.value.file == str(path)
    with pytest.raises(InputError, match="cannot tell the format"):
        read_records(path, ReadOptions())
    with pytest.raises(InputError, match="unknown format 'yaml'"):
        ReadOptions(format="yaml")
    with pytest.raises(InputError, match="unknown format 'yaml'"):
        read_records(path, ReadOptions.model_construct(format="yaml"))
    assert set(FORMATS) == {
        "hf-page",
        "hf-api",
        "arxiv-atom",
        "arxiv-jsonl",
        "jsonl",
        "csv",
        "parquet",
        "openalex",
        "s2-papers",
        "s2-abstracts",
    }


def test_missing_file_and_directory_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as caught:
        read_records(tmp_path / "absent.jsonl", ReadOptions())
    assert caught.value.file == str(tmp_path / "absent.jsonl")
    with pytest.raises(InputError, match="is a directory"):
        read_records(tmp_path, ReadOptions())
    with pytest.raises(InputError, match="no such file"):
        detect_format(tmp_path / "absent.jsonl")


def test_options_are_strict_and_frozen() -> None:
    with pytest.raises(ValueError):
        ReadOptions(colour="red")  # type: ignore[call-arg]
    options = ReadOptions()
    with pytest.raises(ValueError):
        options.year = 2020  # type: ignore[misc]


# --- the real corpus ---


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["arxiv-daily.jsonl.gz", "conference-abstracts.jsonl.gz"])
def test_corpus_head_reads_without_rejects(name: str) -> None:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    assert detect_format(path) == "jsonl"
    records = list(itertools.islice(read_records(path, ReadOptions()), 2000))
    assert len(records) == 2000
    assert [r for r in records if isinstance(r, Reject)] == []
    ids = [r.paper_id for r in records]
    assert len(set(ids)) == len(ids)
    if name.startswith("arxiv"):
        assert all(r.arxiv_id == r.paper_id and r.published and r.categories for r in records)
    else:
        assert all(r.venue and r.published and r.published_precision == "year" for r in records)
