"""What the pages show, read through the knowledge base: plain values for the templates, which escape them.

No HTML is built here; the templates autoescape every value, so a title holding ``<script>`` renders as text.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from benchkb.errors import NotFoundError
from benchkb.kb import KB
from benchkb.models import CORRECTABLE_FIELDS, Claim, Paper, Review
from benchkb.reviews import current_reviews

FIELDS = CORRECTABLE_FIELDS
KINDS = ("score", "ratio", "change", "setup")
DIRECTIONS = ("increase", "decrease")
FINDINGS_SHOWN = 500  # rows of the audit page; the filters narrow the rest


def paper_url(paper_id: str) -> str:
    """The paper's page; ids hold '/', '#' and ':' (hep-th/9901001, t:<hash>): every character is quoted."""
    return "/paper/" + quote(paper_id, safe="")


@dataclass
class Mention:
    """A span of the abstract the page marks: an extracted claim, or a number a reviewer added as missed."""

    start: int
    end: int
    text: str
    claim: Claim | None = None
    review: Review | None = None
    stale: bool = False  # the review was made on an earlier text of the abstract

    @property
    def anchor(self) -> str:
        return f"c-{self.start}-{self.end}"

    @property
    def kind(self) -> str:
        fields = self.fields
        return fields.get("kind") or "setup"

    @property
    def status(self) -> str:
        """'right', 'wrong', 'corrected', 'missed' or 'unreviewed' (a stale review counts as none)."""
        return self.review.verdict if self.review is not None and not self.stale else "unreviewed"

    @property
    def fields(self) -> dict[str, Any]:
        """The claim's fields as the reviewer left them: the extracted values with the corrections applied."""
        values = {name: getattr(self.claim, name) for name in FIELDS} if self.claim is not None else {}
        if self.review is not None and not self.stale:
            values |= self.review.corrections.model_dump(exclude_unset=True)
        return {name: values.get(name) for name in FIELDS}

    @property
    def corrected(self) -> set[str]:
        if self.review is None or self.stale:
            return set()
        return set(self.review.corrections.model_fields_set)


@dataclass
class PaperPage:
    paper: Paper
    mentions: list[Mention]
    segments: list[tuple[str, Mention | None]]  # the abstract cut at the marked spans, in order
    findings: list[dict[str, Any]] = field(default_factory=list)


def paper_page(kb: KB, paper_id: str) -> PaperPage:
    paper = kb.store.paper(paper_id)
    if paper is None:
        raise NotFoundError(f"no paper with id {paper_id!r}")
    claims = kb.store.claims_of(paper_id)
    mentions = {(c.start, c.end): Mention(c.start, c.end, c.text, claim=c) for c in claims}
    for review, stale in current_reviews(kb.store, paper_id):
        mention = mentions.get((review.start, review.end))
        if mention is None:
            if review.verdict != "missed" or stale:
                continue  # a review of a claim no longer extracted, or of an earlier text
            mention = mentions[(review.start, review.end)] = Mention(review.start, review.end, review.text)
        mention.review, mention.stale = review, stale
    ordered = sorted(mentions.values(), key=lambda m: (m.start, m.end))
    findings = kb.findings(paper_id=paper_id).to_dicts()
    return PaperPage(paper, ordered, segments(paper.abstract, ordered), findings)


def segments(abstract: str, mentions: list[Mention]) -> list[tuple[str, Mention | None]]:
    """The abstract as consecutive pieces, each plain (None) or one mention's text; together they are exactly
    the abstract. A mention overlapping an earlier one stays unmarked in the text (it is still listed)."""
    pieces: list[tuple[str, Mention | None]] = []
    at = 0
    for mention in mentions:
        if mention.start < at or abstract[mention.start : mention.end] != mention.text:
            continue
        if mention.start > at:
            pieces.append((abstract[at : mention.start], None))
        pieces.append((mention.text, mention))
        at = mention.end
    if at < len(abstract):
        pieces.append((abstract[at:], None))
    return pieces


def linked_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of a report's Vega-Lite spec whose marks link to their papers: every view whose rows carry a
    paper_id gets a paper_link field and an ``href`` encoding of it (a click on the mark opens the paper)."""
    linked = copy.deepcopy(spec)
    _link_views(linked, linked.get("datasets", {}), inherited=None)
    return linked


def _link_views(view: dict[str, Any], datasets: dict[str, list[dict[str, Any]]], inherited: Any) -> None:
    data = view.get("data", inherited)
    rows = (
        datasets.get(data.get("name"), [])
        if isinstance(data, dict) and "name" in data
        else (data.get("values", []) if isinstance(data, dict) else [])
    )
    if "mark" in view and rows and isinstance(rows[0], dict) and "paper_id" in rows[0]:
        for row in rows:  # Vega's expressions cannot quote a URL, so the link travels with the data
            row["paper_link"] = paper_url(row["paper_id"])
        view.setdefault("encoding", {})["href"] = {"field": "paper_link", "type": "nominal"}
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in view.get(key, []):
            _link_views(child, datasets, data)
    if isinstance(view.get("spec"), dict):
        _link_views(view["spec"], datasets, data)


def table_rows(frame: Any, limit: int) -> tuple[list[str], list[list[Any]]]:
    """A polars frame's columns and its first ``limit`` rows, lists joined, for an HTML table."""
    shown = frame.head(limit)
    rows = [["; ".join(map(str, v)) if isinstance(v, list) else v for v in row] for row in shown.iter_rows()]
    return list(shown.columns), rows
