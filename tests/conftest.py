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
