"""Extraction never raises and stays grounded, whatever the text: inputs that once crashed it, plus random text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchkb.models import Paper

CRASHERS = (Path(__file__).parent / "data" / "extraction_crashers.txt").read_text(encoding="utf-8").split("\n---\n")

# Text made of the pieces that trouble extractors: digits, signs, units, LaTeX, unicode, brackets, breaks.
PIECES = st.sampled_from([
    "0", "1", "12", "3.5", "1,234", "-", "+", "±", "+/-", "%", "\\%", "x", "×", "times", "-fold", "$\\times$", "$",
    "K", "M", "B", "billion", " ", "\n", ".", ",", "(", ")", "[", "]", "/", "~", "≈", "–", "--", "up to", "over",
    "than", "by", "on", "SWE-bench", "GPT-4o", "pass@1", "our method", "It", "respectively", "and", "e.g.", "vs.",
    "accuracy", "speedup", "reduces", "TFLOPs/s", "two", "half", "twice", "\\textbf{", "}", "é", "İ", "\u00a0",
])


def _check(annotator, text: str) -> None:
    paper = Paper(paper_id="p", title="FuzzNet: A Title", abstract=text or " ", source_format="test")
    for claim in annotator.claims(paper):
        assert 0 <= claim.start < claim.end <= len(paper.abstract)
        assert paper.abstract[claim.start:claim.end] == claim.text


def test_known_crashers(annotator):
    for text in CRASHERS:
        _check(annotator, text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PIECES, max_size=40).map("".join))
def test_never_raises_on_abstract_like_text(annotator, text):
    _check(annotator, text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_never_raises_on_arbitrary_text(annotator, text):
    _check(annotator, text)
