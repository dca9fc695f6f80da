"""Reviews: a person's verdicts on the extracted claims, read back from the store and turned into gold.

    from benchkb.reviews import current_reviews, gold_export, write_gold
    with Store("benchkb.duckdb", read_only=True) as store:
        reviews = current_reviews(store, "2503.11731")     # the latest review of each span of one paper
        export = write_gold(store, Path("reviews.jsonl"))  # + reviews.abstracts.jsonl beside it

The gold format is ``../shared/gold/GUIDE.md``'s: for each reviewed paper every mention as corrected, one line
each in the order of the text. Claims marked right stay as extracted, wrong ones are dropped, corrections
replace the fields they name, missed numbers are added from their selected text, and claims nobody reviewed in
a reviewed paper stay as extracted with the note "not reviewed" (a reviewer reads the whole abstract; leaving
them out would call them wrong). Reviews of an abstract that has changed since are stale and left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchkb.errors import BenchkbError
from benchkb.models import Claim, Paper, Review
from benchkb.store import Store

GOLD_FIELDS = (
    "paper",
    "text",
    "value",
    "value_max",
    "unit",
    "kind",
    "metric",
    "benchmark",
    "subject",
    "baseline",
    "direction",
    "qualifier",
    "conditions",
    "note",
)
DIRECTED_KINDS = ("ratio", "change")  # the guide gives a direction to these kinds only

_CURRENT = """
SELECT r.review_id, r.paper_id, r."start", r."end", r.text, r.verdict, r.corrections, r.reviewed_at,
       r.abstract_sha <> p.abstract_sha AS stale
FROM reviews r JOIN papers p USING (paper_id)
WHERE {where}
QUALIFY row_number() OVER (PARTITION BY r.paper_id, r."start", r."end" ORDER BY r.review_id DESC) = 1
ORDER BY r.paper_id, r."start", r."end"
"""


@dataclass
class GoldExport:
    """What an export holds: gold lines, the abstracts they belong to, and what was left out."""

    lines: list[dict[str, Any]] = field(default_factory=list)
    abstracts: list[dict[str, str]] = field(default_factory=list)
    stale: int = 0  # reviews of an abstract that changed since
    orphaned: int = 0  # reviews of a claim re-extraction no longer finds (nothing to mark right or correct)


def has_reviews_table(store: Store) -> bool:
    """False for a knowledge base written before reviews existed and opened read-only (not yet upgraded)."""
    return bool(store.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'reviews'"))


def current_reviews(store: Store, paper_id: str | None = None) -> list[tuple[Review, bool]]:
    """The latest review of each span (of one paper, or of all) with whether it is stale, in text order."""
    if not has_reviews_table(store):
        return []
    where, params = ("r.paper_id = ?", [paper_id]) if paper_id is not None else ("true", [])
    rows = store.rows(_CURRENT.format(where=where), params).dicts()
    found = []
    for row in rows:
        stale = row.pop("stale")
        row["corrections"] = json.loads(row["corrections"])
        found.append((Review(**row), stale))
    return found


def gold_claims(paper: Paper, claims: list[Claim], reviews: list[Review]) -> tuple[list[dict[str, Any]], int]:
    """One paper's mentions as corrected by its (current, not stale) reviews, as gold lines in text order; and
    how many reviews named a claim that is no longer extracted."""
    by_span = {(review.start, review.end): review for review in reviews}
    placed: list[tuple[int, dict[str, Any]]] = []
    for claim in claims:
        review = by_span.pop((claim.start, claim.end), None)
        if review is not None and review.verdict == "wrong":
            continue
        line = _line(paper, claim.text, claim.model_dump())
        if review is None:
            line["note"] = "not reviewed"
        elif review.verdict == "right":
            line["note"] = "reviewed: right"
        else:
            line |= review.corrections.model_dump(exclude_unset=True)
            line["note"] = f"reviewed: corrected {', '.join(sorted(review.corrections.model_fields_set))}"
        placed.append((claim.start, line))
    orphaned = 0
    for (start, _), review in by_span.items():
        if review.verdict == "missed":
            fields = review.corrections.model_dump(exclude_unset=True)
            line = _line(paper, review.text, fields) | {"note": "reviewed: missed by the extractor"}
            placed.append((start, line))
        elif review.verdict != "wrong":
            orphaned += 1
    lines = [line for _, line in sorted(placed, key=lambda item: item[0])]
    for line in lines:
        if line["kind"] not in DIRECTED_KINDS:
            line["direction"] = None
    return lines, orphaned


def _line(paper: Paper, text: str, fields: dict[str, Any]) -> dict[str, Any]:
    line: dict[str, Any] = {name: fields.get(name) for name in GOLD_FIELDS}
    line["paper"] = paper.title
    line["text"] = text
    line["unit"] = fields.get("unit") or ""
    line["conditions"] = list(fields.get("conditions") or [])
    return line


def gold_export(store: Store) -> GoldExport:
    """Every reviewed paper's mentions as gold lines, with the papers' abstracts."""
    export = GoldExport()
    by_paper: dict[str, list[Review]] = {}
    for review, stale in current_reviews(store):
        if stale:
            export.stale += 1
        else:
            by_paper.setdefault(review.paper_id, []).append(review)
    for paper_id, reviews in sorted(by_paper.items()):
        paper = store.paper(paper_id)
        if paper is None:  # reviews join papers, so only a paper deleted meanwhile can be missing
            continue
        lines, orphaned = gold_claims(paper, store.claims_of(paper_id), reviews)
        export.lines += lines
        export.orphaned += orphaned
        export.abstracts.append({"id": paper.paper_id, "title": paper.title, "abstract": paper.abstract})
    return export


def abstracts_path(gold_path: Path) -> Path:
    """``reviews.jsonl`` -> ``reviews.abstracts.jsonl``: the file ``benchkb eval --input`` reads beside it."""
    stem = gold_path.name.removesuffix(".jsonl")
    return gold_path.with_name(f"{stem}.abstracts.jsonl")


def write_gold(store: Store, path: Path) -> GoldExport:
    """Write the gold lines to ``path`` and the reviewed papers' abstracts beside it (see abstracts_path)."""
    export = gold_export(store)
    try:
        _write_jsonl(path, export.lines)
        _write_jsonl(abstracts_path(path), export.abstracts)
    except OSError as exc:
        raise BenchkbError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return export


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
