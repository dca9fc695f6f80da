"""Shared fixtures: one extractor for the whole run (building it compiles the rules and gazetteers)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEED_PAGE = ROOT / "examples" / "hf-daily-papers.txt"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def annotator():
    from benchkb.annotate import Annotator

    return Annotator()


@pytest.fixture(scope="session")
def extractor(annotator):
    return annotator.extractor


@pytest.fixture
def year_only_kb(tmp_path) -> Path:
    """A knowledge base of one paper, aistats2019-abc, that its source dates by its year only (2019)."""
    import datetime as dt

    from benchkb.models import Paper
    from benchkb.store import Store

    path = tmp_path / "year-only.duckdb"
    with Store(path) as store:
        store.write(
            [
                Paper(
                    paper_id="aistats2019-abc",
                    title="A paper of a year",
                    abstract="It reaches 71%.",
                    published=dt.date(2019, 1, 1),
                    published_precision="year",
                    source_format="test",
                )
            ],
            [],
            extracted=True,
        )
    return path


@pytest.fixture
def fragile(annotator, monkeypatch):
    """The session's annotator, made to raise ``error`` (by default a RuntimeError) for abstracts containing
    BOOM."""

    def make(error: Exception | None = None):
        real = annotator.extractor.claim_fields

        def claim_fields(paper_id, title, abstract, **options):
            if "BOOM" in abstract:
                raise error or RuntimeError("boom\nsecond line")
            return real(paper_id, title, abstract, **options)

        monkeypatch.setattr(annotator.extractor, "claim_fields", claim_fields)
        return annotator

    return make
