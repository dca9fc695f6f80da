"""extract_table: the one batch function of every engine equals the per-paper path, and fails paper by
paper."""

from __future__ import annotations

import pyarrow as pa
import pytest
from conftest import SEED_PAGE

import benchkb
from benchkb.annotate import extract_table, texts_table
from benchkb.errors import ExtractionError, InputError
from benchkb.models import Paper
from benchkb.sources import ReadOptions, read_records
from benchkb.store import claim_row, claims_table


@pytest.fixture(scope="module")
def seed_papers():
    return [r for r in read_records(SEED_PAGE, ReadOptions(year=2026)) if isinstance(r, Paper)]


def test_extract_table_equals_the_per_paper_path_row_for_row(seed_papers, annotator):
    expected = claims_table([claim_row(c) for paper in seed_papers for c in annotator.claims(paper)])
    found = extract_table(texts_table(seed_papers), annotator=annotator)
    assert found.schema == expected.schema
    assert found.num_rows == expected.num_rows > 250
    assert found.to_pylist() == expected.to_pylist()


def test_the_package_level_function_reads_id_or_paper_id_and_ignores_other_columns(annotator):
    papers = pa.table(
        {
            "id": ["a", "b"],
            "title": ["A", "B"],
            "abstract": ["We reach 45.5% on MMLU.", "No numbers."],
            "venue": ["X", "Y"],
        }
    )
    claims = benchkb.extract_table(papers, annotator=annotator)
    assert claims.select(["claim_id", "text", "benchmark_id"]).to_pylist() == [
        {"claim_id": "a#9-14", "text": "45.5%", "benchmark_id": "mmlu"}
    ]


def test_a_table_without_the_needed_columns_is_one_clear_error(annotator):
    with pytest.raises(InputError, match="missing: abstract"):
        extract_table(pa.table({"paper_id": ["a"], "title": ["A"]}), annotator=annotator)


def test_a_failing_paper_fails_alone(fragile):
    annotator = fragile()
    papers = pa.table(
        {
            "paper_id": ["a", "b", "c"],
            "title": ["A", "B", "C"],
            "abstract": ["It gets 10% more.", "BOOM at 5%.", "A 2x speedup."],
        }
    )
    with pytest.raises(ExtractionError) as caught:
        extract_table(papers, annotator=annotator)
    assert caught.value.failures == {1: "extraction failed: RuntimeError: boom"}
    assert caught.value.claims.column("paper_id").to_pylist() == ["a", "c"]


def test_the_time_budget_is_checked_between_sentences(annotator):
    papers = pa.table(
        {
            "paper_id": ["n", "q"],
            "title": ["N", "Q"],
            "abstract": ["Nothing is counted here.", "It gets 10% more. Then 20% more."],
        }
    )
    with pytest.raises(ExtractionError) as caught:
        extract_table(papers, annotator=annotator, budget=-1.0)  # a deadline already past
    assert list(caught.value.failures) == [1]
    assert "ran past its time budget" in caught.value.failures[1]
    assert extract_table(papers, annotator=annotator, budget=None).num_rows == 2


def test_a_record_holding_more_numbers_than_an_abstract_is_refused_with_its_reason(annotator):
    """'1,' * 40000 is a dump, not an abstract (reading it took 4 s): it is refused with its reason, its
    neighbours keep their claims, and an abstract of exactly MAX_NUMBERS numbers is read whole."""
    from benchkb.extract.pipeline import MAX_NUMBERS

    papers = pa.table(
        {
            "paper_id": ["dump", "n", "edge"],
            "title": ["D", "N", "E"],
            "abstract": ["1," * 40_000, "It gets 10% more.", "1," * (MAX_NUMBERS - 1) + "1"],
        }
    )
    with pytest.raises(ExtractionError) as caught:
        extract_table(papers, annotator=annotator, budget=None)
    assert caught.value.failures == {
        0: f"more than {MAX_NUMBERS} numbers in one abstract: a table or a data dump, not prose"
    }
    counts = caught.value.claims.group_by("paper_id").aggregate([("text", "count")]).to_pylist()
    assert sorted((row["paper_id"], row["text_count"]) for row in counts) == [("edge", MAX_NUMBERS), ("n", 1)]


def test_the_time_budget_counts_cpu_time_not_time_spent_waiting(annotator, monkeypatch):
    """On a machine shared with other jobs a record waits for a core; the wait must not cost it its claims, or
    the same input would give other rejects under another load."""
    import time

    real = annotator.extractor._drafted

    def waiting(title, abstract):
        for item in real(title, abstract):
            time.sleep(0.3)  # waiting for a core: no CPU time of this thread
            yield item

    monkeypatch.setattr(annotator.extractor, "_drafted", waiting)
    papers = pa.table({"paper_id": ["q"], "title": ["Q"], "abstract": ["It gets 10% more. Then 20% more."]})
    assert extract_table(papers, annotator=annotator, budget=0.2).num_rows == 2
