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
def fragile(annotator, monkeypatch):
    """The session's annotator, made to raise ``error`` (by default a RuntimeError) for abstracts containing BOOM."""

    def make(error: Exception | None = None):
        real = annotator.extractor.claim_fields

        def claim_fields(paper_id, title, abstract, **options):
            if "BOOM" in abstract:
                raise error or RuntimeError("boom\nsecond line")
            return real(paper_id, title, abstract, **options)

        monkeypatch.setattr(annotator.extractor, "claim_fields", claim_fields)
        return annotator

    return make
