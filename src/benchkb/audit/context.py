"""What every rule is given, and how it words a finding.

Rules read the knowledge base through SQL on the store (claims, papers and the catalog tables copied into it),
never around it; they return :class:`~benchkb.models.Finding` objects and leave writing to
:func:`benchkb.audit.run_audit`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from benchkb.audit.settings import AuditSettings
from benchkb.catalog import Catalog
from benchkb.models import Finding, Severity, Suspect
from benchkb.store import Store


@dataclass
class AuditContext:
    """The knowledge base under audit, the settings, and the optional inputs of some rules."""

    store: Store
    settings: AuditSettings = field(default_factory=AuditSettings)
    catalog: Catalog | None = None
    reference: pl.DataFrame | None = (
        None  # rows of a leaderboard export (benchkb.audit.reference.read_reference)
    )
    notes: list[str] = field(default_factory=list)  # what a rule could not do, for the summary

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pl.DataFrame:
        return self.store.query(sql, params)


def figure(value: float | None, digits: int = 4) -> str:
    """A number as a reader wants it in a message: ``2272.3`` not ``2272.3239436619715``, ``19`` not
    ``19.0``."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "?"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    magnitude = math.floor(math.log10(abs(value))) if value else 0
    decimals = max(0, digits - 1 - magnitude)
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if decimals else text


def percent(fraction: float) -> str:
    """A signed relative gap: 0.0098 -> '+0.98%'."""
    return f"{fraction * 100:+.2f}%"


def finding(
    rule: str,
    severity: Severity,
    message: str,
    claims: Sequence[dict[str, Any]],
    evidence: dict[str, Any],
    *,
    suspect: Suspect = "paper",
) -> Finding:
    """A finding about ``claims`` (rows with claim_id and paper_id); ids are sorted so the same claims give
    the same finding id whatever order a rule met them in. ``suspect`` says who is likely wrong; an info
    finding (a check that holds, a note) suspects no one."""
    claim_ids = sorted({c["claim_id"] for c in claims})
    paper_ids = sorted({c["paper_id"] for c in claims})
    return Finding(
        rule=rule,
        severity=severity,
        message=message,
        suspect=None if severity == "info" else suspect,
        claim_ids=claim_ids,
        paper_ids=paper_ids,
        evidence=evidence,
    )


def decimals_of(text: str) -> int:
    """Digits after the decimal point of the first number in ``text``: '86.4%' -> 1, '19/22' -> 0."""
    digits = ""
    seen_digit = False
    for char in text:
        if char.isdigit():
            seen_digit = True
            digits += char
        elif char == "." and seen_digit and "." not in digits:
            digits += char
        elif seen_digit:
            break
    return len(digits.split(".", 1)[1]) if "." in digits else 0


def title_names(title: str, model: str) -> str:
    """SQL: whether paper title ``title`` names the catalog model row ``model`` (its name or an alias) as a
    word: such a paper is taken to be the model's own paper. A plain substring test runs first, so that the
    regular expression (compiled per row) runs only for the few titles that contain a name at all."""
    surfaces = f"list_prepend({model}.name, coalesce({model}.aliases, []))"
    contains = f"list_bool_or(list_transform({surfaces}, lambda s: contains(lower({title}), lower(s))))"
    word = (
        f"regexp_matches({title}, '(?i)(^|[^A-Za-z0-9])(' || array_to_string(list_transform({surfaces}, "
        f"lambda s: regexp_escape(s)), '|') || ')($|[^A-Za-z0-9])')"
    )
    return f"coalesce(CASE WHEN {contains} THEN {word} ELSE false END, false)"


# SQL: the key under which two claims measure the same thing: the catalog metric, else the surface as written.
METRIC_KEY = "coalesce(c.metric_id, lower(c.metric), '')"


def name_key(catalog_id: str, surface: str) -> str:
    """SQL: the key a system is known by: its catalog id, else its surface without case, spaces, hyphens and
    underscores (as the absolute_scores view's subject_key), so uncatalogued names compare by what they say.
    """
    return f"coalesce({catalog_id}, lower(regexp_replace({surface}, '[\\s\\-_]+', '', 'g')))"


def own_paper_sql(scores: str, model: str) -> str:
    """SQL: whether the paper of an absolute_scores row ``scores`` is its system's own: the title names the
    catalog model row ``model`` (name or alias), or, for a system the catalog lacks, the name or its stem
    before a hyphen ("DaViT" of DaViT-Giant) when the stem has four characters or more."""
    stem = (
        f"CASE WHEN length(split_part({scores}.subject, '-', 1)) >= 4 "
        f"THEN split_part({scores}.subject, '-', 1) ELSE {scores}.subject END"
    )
    named = (
        f"regexp_matches({scores}.title, '(?i)(^|[^A-Za-z0-9])' || regexp_escape({stem}) "
        f"|| '($|[^A-Za-z0-9])')"
    )
    return (
        f"(CASE WHEN {model}.model_id IS NOT NULL THEN {title_names(f'{scores}.title', model)} "
        f"ELSE {named} END)"
    )


def setting_sql(scores: str, claim: str) -> str:
    """SQL: the setting a claim states, as a sorted list: its conditions and the setting words of its sentence
    (``$setting``, the settings' setting_pattern: shots, split, fine-tuning, pre-training, ...), normalised.
    """
    words = (
        f"list_transform(regexp_extract_all(lower({scores}.sentence), $setting), "
        "lambda w: regexp_replace(w, '[\\s\\-]+', '', 'g'))"
    )
    conditions = f"list_transform({claim}.conditions, lambda w: lower(w))"
    return f"list_sort(list_distinct(list_concat({conditions}, {words})))"
