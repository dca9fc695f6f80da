"""Record shapes: the one place where a paper, a claim, a reject, a finding and a review are defined.

`schemas/*.schema.json` are generated from these models (``python -m benchkb.jsonschema``) and a test fails
when they are stale. The DuckDB tables in ``schemas/schema.sql`` hold the same fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from benchkb.dates import date_shown

ClaimKind = Literal["score", "ratio", "change", "setup"]
Direction = Literal["increase", "decrease"]
Severity = Literal["info", "warning", "error"]
Suspect = Literal["paper", "extraction"]
DatePrecision = Literal["day", "month", "year"]
RESULT_KINDS: frozenset[str] = frozenset({"score", "ratio", "change"})


class Paper(BaseModel):
    """One abstract with what its source says about it."""

    model_config = ConfigDict(extra="forbid")

    paper_id: str = Field(
        description="arXiv id when known (without version), else the record's id, else t:<hash of title>"
    )
    arxiv_id: str | None = Field(
        default=None, description="normalised arXiv id, e.g. 2503.11731 or hep-th/9901001"
    )
    version: int | None = Field(default=None, description="arXiv version number split off the id (v2 -> 2)")
    title: str
    abstract: str
    published: dt.date | None = None
    published_precision: DatePrecision | None = Field(
        default=None,
        description="how much of the date the source gives: a year-only date is stored as 1 January "
        "and shown as its year; null means day when published is set",
    )
    authors: list[str] = Field(default_factory=list)
    author_count: int | None = None
    organization: str | None = None
    upvotes: int | None = None
    categories: list[str] = Field(default_factory=list)
    venue: str | None = None
    source_format: str = Field(description="reader that produced the record, e.g. hf-page, arxiv-atom, jsonl")
    metadata: dict[str, Any] = Field(default_factory=dict, description="other fields of the source record")
    record: int | None = Field(
        default=None,
        description="1-based number of the record in the file it was read from "
        "(for messages about it; not stored)",
    )

    @property
    def date_shown(self) -> str | None:
        return date_shown(self.published, self.published_precision)


class Claim(BaseModel):
    """One number mention in an abstract, grounded to its characters: ``abstract[start:end] == text``."""

    model_config = ConfigDict(extra="forbid")

    paper_id: str
    text: str = Field(description="the mention exactly as written, with its unit when attached or adjacent")
    start: int = Field(ge=0, description="character offset of the mention in the stored abstract")
    end: int = Field(ge=0)
    value: float
    value_max: float | None = Field(
        default=None, description="upper bound of a range; value is the lower bound"
    )
    uncertainty: float | None = Field(default=None, description="the x of '+/- x' when stated")
    unit: str = Field(
        default="", description="canonical unit from extractors/units.jsonl; '' when dimensionless"
    )
    kind: ClaimKind
    metric: str | None = None
    benchmark: str | None = None
    subject: str | None = None
    baseline: str | None = None
    direction: Direction | None = None
    qualifier: str | None = None
    conditions: list[str] = Field(default_factory=list)
    rule: str = Field(description="the pattern that found the mention, e.g. number+unit")
    sentence_start: int = Field(ge=0, description="offsets of the sentence holding the mention")
    sentence_end: int = Field(ge=0)
    benchmark_id: str | None = Field(
        default=None, description="catalog id of the benchmark, when it resolves"
    )
    metric_id: str | None = None
    metric_inferred: str | None = Field(
        default=None,
        description="how the benchmark decided the metric: 'benchmark alias' ('resolution' on "
        "SWE-bench is its resolve rate) or 'benchmark default' (no metric named); null "
        "when the metric is as named",
    )
    subject_id: str | None = None
    subject_kind: str | None = Field(
        default=None,
        description="whether the subject names a system: model (catalog), name (name-shaped), word "
        "(capitalised words), generic, list, benchmark or hardware (benchkb.catalog.systems)",
    )
    baseline_id: str | None = None
    hardware_id: str | None = Field(
        default=None, description="catalog id of an accelerator named in the conditions"
    )
    precision: str | None = Field(
        default=None, description="numeric precision named in the conditions, e.g. BF16"
    )

    @property
    def claim_id(self) -> str:
        return claim_id(self.paper_id, self.start, self.end)


def claim_id(paper_id: str, start: int, end: int) -> str:
    """Claims are identified by where they stand, so re-extraction keeps their ids."""
    return f"{paper_id}#{start}-{end}"


class Reject(BaseModel):
    """A record that could not be read, kept with the reason so nothing is silently lost."""

    model_config = ConfigDict(extra="forbid")

    file: str
    record: int = Field(description="1-based record number in the file (line for line-based formats)")
    reason: str
    raw: str | None = Field(default=None, description="the start of the offending record, when there is one")


class Finding(BaseModel):
    """What an audit rule concluded about one or more claims."""

    model_config = ConfigDict(extra="forbid")

    rule: str
    severity: Severity
    message: str = Field(description="one sentence, with the numbers used")
    suspect: Suspect | None = Field(
        default=None,
        description="who is likely wrong: the paper as written, or benchkb's reading of it (a gain "
        "stored as a rate, a value given the wrong metric)",
    )
    claim_ids: list[str]
    paper_ids: list[str]
    evidence: dict[str, Any] = Field(default_factory=dict)

    @property
    def finding_id(self) -> str:
        return f"{self.rule}:{','.join(sorted(self.claim_ids))}"


ReviewVerdict = Literal["right", "wrong", "corrected", "missed"]
# The fields of a Claim a reviewer can correct, in the order a form shows them.
CORRECTABLE_FIELDS = (
    "kind",
    "value",
    "unit",
    "metric",
    "benchmark",
    "subject",
    "baseline",
    "direction",
    "qualifier",
)
_KEPT_FIELDS = ("kind", "value", "unit")  # a claim always has these: they can be corrected, not removed


class _CorrectionRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _kept_fields_stay(self) -> _CorrectionRules:
        emptied = [
            name for name in _KEPT_FIELDS if name in self.model_fields_set and getattr(self, name) is None
        ]
        if emptied:
            raise ValueError(f"{', '.join(emptied)} can be corrected but not removed")
        return self


# The corrected fields, each optional with Claim's type; only those set are corrections
# (``model_fields_set``), so that setting a field to null (no baseline after all) differs from leaving it
# alone.
Corrections = create_model(
    "Corrections",
    __base__=_CorrectionRules,
    __doc__="The fields of a claim a reviewer corrected.",
    **{name: (Claim.model_fields[name].annotation | None, None) for name in CORRECTABLE_FIELDS},
)


class Review(BaseModel):
    """A person's verdict on one mention of a paper: the extracted claim there is right, wrong (not a claim),
    or corrected; or a number the extractor missed, at the span the person selected. Stored beside the claims
    in the ``reviews`` table, never over them; the latest review of a span counts."""

    model_config = ConfigDict(extra="forbid")

    paper_id: str
    start: int = Field(ge=0, description="offsets of the mention in the abstract as reviewed")
    end: int = Field(gt=0)
    text: str = Field(description="abstract[start:end] when reviewed")
    verdict: ReviewVerdict
    corrections: Corrections = Field(default_factory=Corrections)
    review_id: int | None = Field(default=None, description="set by the store")
    reviewed_at: dt.datetime | None = Field(default=None, description="set by the store")

    @model_validator(mode="after")
    def _corrections_fit_the_verdict(self) -> Review:
        given = self.corrections.model_fields_set
        if self.verdict in ("right", "wrong") and given:
            raise ValueError(f"a review marking a claim {self.verdict} corrects no field")
        if self.verdict == "corrected" and not given:
            raise ValueError("a correction names at least one field")
        if self.verdict == "missed" and not {"kind", "value"} <= given:
            raise ValueError("a missed number needs its kind and value")
        if self.end <= self.start:
            raise ValueError("end must come after start")
        return self

    @property
    def claim_id(self) -> str:
        return claim_id(self.paper_id, self.start, self.end)
