"""The Hugging Face Daily Papers page saved as text: the real seed page and the variants it shows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from benchkb.models import Paper, Reject
from benchkb.sources import ReadOptions, detect_format, read_records
from benchkb.sources.hf_page import PAGE_FURNITURE, organization_name
from benchkb.sources.identity import title_id

SEED = Path(__file__).resolve().parents[1] / "examples" / "hf-daily-papers.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def read(path: Path, **options: object) -> tuple[list[Paper], list[Reject]]:
    records = list(read_records(path, ReadOptions(**options)))
    return [r for r in records if isinstance(r, Paper)], [r for r in records if isinstance(r, Reject)]


@pytest.fixture(scope="module")
def seed() -> dict[str, Paper]:
    papers, rejects = read(SEED, year=2026)
    assert rejects == []
    assert len(papers) == 64
    return {paper.title.split(":")[0]: paper for paper in papers}


def test_seed_page_has_64_papers_and_no_page_furniture(seed: dict[str, Paper]) -> None:
    assert detect_format(SEED) == "hf-page"
    titles = {paper.title for paper in seed.values()}
    assert len(titles) == 64
    assert not {title.casefold() for title in titles} & PAGE_FURNITURE
    assert "Apr 23" not in titles
    assert all(len(paper.abstract) > 200 for paper in seed.values())
    assert all(
        paper.paper_id == title_id(paper.title) and paper.source_format == "hf-page"
        for paper in seed.values()
    )


def test_seed_authors_line_and_year_less_date(seed: dict[str, Paper]) -> None:
    flash = seed["FlashAttention-4"]
    assert flash.title.startswith("FlashAttention-4: Algorithm and Kernel Pipelining Co-Design")
    assert flash.abstract.startswith("Attention, as a core layer") and flash.abstract.endswith(
        "full expressivity."
    )
    assert (flash.author_count, flash.published, flash.upvotes) == (6, dt.date(2026, 3, 5), None)
    assert flash.organization is None
    assert flash.metadata == {"year_assumed": True}


def test_seed_organisation_lines(seed: dict[str, Paper]) -> None:
    skip_pipe = seed["SkipPipe"]
    assert (skip_pipe.organization, skip_pipe.published, skip_pipe.author_count) == (
        "Gensyn",
        dt.date(2025, 2, 27),
        None,
    )
    data_flow = seed["DataFlow"]
    assert (data_flow.organization, data_flow.published, data_flow.upvotes) == (
        "Peking University",
        dt.date(2025, 12, 18),
        4,
    )
    assert (seed["BigCodeBench"].organization, seed["BigCodeBench"].upvotes) == ("BigCode", 8)
    assert seed["SWE-Bench++"].organization == "Turing Inc."


def test_seed_upvotes_after_date(seed: dict[str, Paper]) -> None:
    rewriting = seed["Rewriting Pre-Training Data Boosts LLM Performance in Math and Code"]
    assert (rewriting.upvotes, rewriting.author_count, rewriting.published) == (4, 16, dt.date(2025, 5, 5))
    long_cli = seed["LongCLI-Bench"]  # "Feb 15 3": a year-less date with upvotes
    assert (long_cli.published, long_cli.upvotes) == (dt.date(2026, 2, 15), 3)
    assert seed["RPG"].upvotes == 23


def test_seed_entries_without_metadata(seed: dict[str, Paper]) -> None:
    for name in ("SlopCodeBench", "SkVM"):
        paper = seed[name]
        assert (paper.author_count, paper.organization, paper.published, paper.upvotes) == (
            None,
            None,
            None,
            None,
        )
    # The entry after one without metadata is not swallowed by it.
    assert seed["Opus"].author_count == 4 and seed["Opus"].published == dt.date(2024, 11, 30)


def test_year_defaults_to_the_current_year() -> None:
    papers, _ = read(FIXTURES / "hf-page.txt")
    assert papers[0].published == dt.date(dt.date.today().year, 3, 5)


def test_crlf_and_stray_whitespace_change_nothing(tmp_path: Path) -> None:
    messy = tmp_path / "messy.txt"
    lines = SEED.read_text(encoding="utf-8").splitlines()
    messy.write_bytes("\r\n".join(f"  {line}\t" if line else " " for line in lines).encode("utf-8"))
    assert read(messy, year=2026) == read(SEED, year=2026)


def test_small_page_fixture() -> None:
    papers, rejects = read(FIXTURES / "hf-page.txt", year=2030)
    assert rejects == []
    assert [(p.title, p.author_count, p.organization, p.published, p.upvotes) for p in papers] == [
        ("Sparse Kernels: Fast Attention on Small GPUs", 3, None, dt.date(2030, 3, 5), None),
        ("OrgPaper: A Benchmark from an Organisation", None, "Peking University", dt.date(2025, 12, 18), 4),
        ("Lowercase Handle Paper", None, "BigCode", dt.date(2024, 6, 22), 8),
        ("Upvotes Without Year", 19, None, dt.date(2030, 2, 15), 3),
        ("No Metadata At All", None, None, None, None),
        ("Last Paper", 1, None, dt.date(2024, 11, 30), None),
    ]


def test_impossible_year_less_date_keeps_the_paper(tmp_path: Path) -> None:
    page = tmp_path / "leap.txt"
    page.write_text(
        "Leap Paper\n\nAn abstract with 3 numbers.\n\n  • 2 authors\n·\nFeb 29 5\n", encoding="utf-8"
    )
    papers, rejects = read(page, year=2025)
    assert rejects == []
    assert (papers[0].published, papers[0].upvotes, papers[0].metadata) == (None, 5, {"date": "Feb 29 5"})
    assert read(page, year=2024)[0][0].published == dt.date(2024, 2, 29)


def test_title_without_abstract_is_rejected(tmp_path: Path) -> None:
    page = tmp_path / "cut.txt"
    page.write_text(
        "Good Paper\n\nIts abstract.\n\n  • 2 authors\n·\nMar 1, 2025\n\nA Lonely Title\n", encoding="utf-8"
    )
    papers, rejects = read(page)
    assert [p.title for p in papers] == ["Good Paper"]
    assert [(r.record, r.raw) for r in rejects] == [(2, "A Lonely Title")]
    assert "missing abstract" in rejects[0].reason


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Gensyn Gensyn", "Gensyn"),
        ("PekingUniversity Peking University", "Peking University"),
        ("bigcode BigCode", "BigCode"),
        ("TuringEnterprises Turing Inc.", "Turing Inc."),
        ("meta-llama Meta Llama", "Meta Llama"),
        ("openai", "openai"),
        ("xyz Unrelated Name", "xyz Unrelated Name"),
    ],
)
def test_organization_name(line: str, expected: str) -> None:
    assert organization_name(line) == expected
