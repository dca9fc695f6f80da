"""`catalog unknown`: unresolved benchmark names worth a catalog entry, without modality and task words or
fragments of names."""

from __future__ import annotations

import pytest

from benchkb.catalog.unknown import worth_cataloguing
from benchkb.kb import KB
from benchkb.models import Claim, Paper
from benchkb.store import Store


@pytest.mark.parametrize(
    ("name", "example", "worth"),
    [
        ("FooBench", "FooBench reaches 71.2%", True),
        ("Video-Holmes", None, True),
        ("MRI", "on an MRI dataset", False),
        ("CT", None, False),
        ("X-ray", None, False),
        ("IQA", None, False),
        ("VideoQA", None, False),
        ("v2", "93.3 PDMS on v1 and 87.1 on v2", False),
        ("V1.5", None, False),
        ("SE", "equivariant to SE(3) with 12 layers", False),
        ("SO", "on SO(3), 2.1 degrees", False),
        (
            "SEAL",
            "SEAL(3 layers) reaches",
            True,
        ),  # a name that happens to sit before "(": long names are kept
        ("GNN-based", None, False),
    ],
)
def test_worth_cataloguing(name, example, worth):
    assert worth_cataloguing(name, example) is worth


def test_unknown_names_leave_out_task_words_and_fragments_and_rank_by_papers(tmp_path):
    sentences = {
        "a": "On MRI we reach 71.2% and on FooBench 73.0% and 75.0%.",
        "b": "SE(3) equivariance gives 12.5% on SE and 80.1% on BarBench.",
        "c": "It scores 64.0% on BarBench v2.",
    }
    papers, claims = [], []
    for paper_id, sentence in sentences.items():
        papers.append(Paper(paper_id=paper_id, title="T", abstract=sentence, source_format="test"))
        for number, name in [
            ("71.2%", "MRI"),
            ("73.0%", "FooBench"),
            ("75.0%", "FooBench"),
            ("12.5%", "SE"),
            ("80.1%", "BarBench"),
            ("64.0%", "BarBench"),
        ]:
            if number in sentence:
                start = sentence.index(number)
                claims.append(
                    Claim(
                        paper_id=paper_id,
                        text=number,
                        start=start,
                        end=start + len(number),
                        value=float(number[:-1]),
                        unit="%",
                        kind="score",
                        benchmark=name,
                        rule="hand",
                        sentence_start=0,
                        sentence_end=len(sentence),
                    )
                )
    with Store(tmp_path / "kb.duckdb") as store:
        store.write(papers, claims, extracted=True)
    with KB(tmp_path / "kb.duckdb") as kb:
        names = kb.unknown_names("benchmark", limit=10)["name"].to_list()
    assert names == ["BarBench", "FooBench"]  # two papers before one; MRI and SE left out
