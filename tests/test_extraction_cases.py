"""Extraction cases as data: tests/data/extraction_cases.jsonl holds sentences and the claims they must give.

Each expected claim is found by its text; only the fields a case lists are checked. "absent" lists texts that
must not be claims (names, versions, years...). Add a case for every extraction bug fixed. A case with
"known_miss" is a known weakness of today's extractor, said in a few words: it is expected to fail, and the
test fails when it starts passing, so that the note is removed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "extraction_cases.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]


def _marked(case: dict) -> object:
    if "known_miss" in case:
        return pytest.param(
            case, marks=pytest.mark.xfail(reason=case["known_miss"], strict=True), id=case["id"]
        )
    return pytest.param(case, id=case["id"])


@pytest.mark.parametrize("case", [_marked(c) for c in CASES])
def test_case(case, annotator):
    from benchkb.models import Paper

    paper = Paper(
        paper_id="case", title=case.get("title", "A study"), abstract=case["sentence"], source_format="test"
    )
    claims = annotator.claims(paper)
    for claim in claims:
        assert case["sentence"][claim.start : claim.end] == claim.text
    by_text = {claim.text: claim for claim in claims}
    for expected in case["claims"]:
        assert expected["text"] in by_text, f"no claim {expected['text']!r}; got {sorted(by_text)}"
        claim = by_text[expected["text"]]
        for field, value in expected.items():
            if field == "text":
                continue
            got = getattr(claim, field)
            if isinstance(value, float):
                assert got == pytest.approx(value), field
            elif field == "conditions":
                assert set(value) <= set(got), field
            else:
                assert got == value, f"{field} of {expected['text']!r}"
    for text in case.get("absent", []):
        assert text not in by_text, f"{text!r} is not a quantity"
