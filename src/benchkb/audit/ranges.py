"""Rule ``range``: values that cannot be true as stated.

The bounds are data (:class:`~benchkb.audit.settings.RangeCheck` in the settings: rates and utilizations in
percent within [0, 100], a reduction of at most 100% ("~100%" is allowed), a factor above 0), followed by each
metric's valid range from the catalog (``metrics.min_value``/``max_value``) for score claims in the metric's
unit; correlations (``scaled_metrics``) are also reported x100 ("Spearman 48.18"), and such values are in
range. A claim gets at most one finding: the first check it fails, in that order.

Each finding says whom it suspects. An impossible score next to words of a gain, a share or a difference ("up
to 144.1% improvement", "102.7% of the original accuracy", "within 0.10 perplexity"), after another metric's
name or a parameter ("a StreamLAAL of 1837.86 and 3343.73", "λ = 0.6"), followed by another measure's unit
("20.71 dB" as SSIM), or far outside any scale of its metric, is the extraction's misreading; an impossible
reduction next to words of an increase or a degradation ("error rates surge by 600%") too. Otherwise the paper
states it ("reduces latency by 130%"). A value the paper itself says is not a proportion is left alone.
"""

from __future__ import annotations

import re
from typing import Any

from benchkb.audit.context import AuditContext, figure, finding
from benchkb.audit.settings import AuditSettings, RangeCheck
from benchkb.models import Finding

RULE = "range"
# The claim, and its sentence before and after it (for whom to suspect).
_COLUMNS = (
    "c.claim_id, c.paper_id, c.text, c.value, c.value_max, c.unit, c.kind, c.metric, c.direction, "
    'substr(p.abstract, c.sentence_start + 1, c."start" - c.sentence_start) AS before_text, '
    'substr(p.abstract, c."end" + 1, c.sentence_end - c."end") AS after_text'
)
# The value and the top of a range, with the sign dropped for changes (a "-55%" reduction is a 55% reduction).
_LOW = "CASE WHEN c.kind = 'change' THEN abs(c.value) ELSE c.value END"
_HIGH = (
    "CASE WHEN c.kind = 'change' THEN abs(coalesce(c.value_max, c.value)) "
    "ELSE coalesce(c.value_max, c.value) END"
)

_CATALOG_RANGE = f"""
SELECT {_COLUMNS}, m.name AS metric_name, m.min_value, m.max_value
FROM claims c JOIN metrics m USING (metric_id) JOIN papers p USING (paper_id)
WHERE c.kind = 'score' AND (m.unit IS NULL OR m.unit = c.unit)
  AND ((m.min_value IS NOT NULL AND least({_LOW}, {_HIGH}) < m.min_value)
    OR (m.max_value IS NOT NULL AND greatest({_LOW}, {_HIGH}) > m.max_value))
  AND NOT (list_contains($scaled, m.metric_id) AND least({_LOW}, {_HIGH}) >= 100 * coalesce(m.min_value, 0)
           AND greatest({_LOW}, {_HIGH}) <= 100 * m.max_value)
ORDER BY c.claim_id
"""


def check_range(ctx: AuditContext) -> list[Finding]:
    """Claims outside the bounds of their kind, unit and metric."""
    findings: dict[str, Finding] = {}
    settings = ctx.settings
    for check in settings.range_checks:
        sql, params = _check_sql(check)
        for row in ctx.query(sql, params).iter_rows(named=True):
            if not _said_unbounded(row, settings):
                findings.setdefault(row["claim_id"], _out_of_bounds(check, row, settings))
    for row in ctx.query(_CATALOG_RANGE, {"scaled": list(settings.scaled_metrics)}).iter_rows(named=True):
        if not _said_unbounded(row, settings):
            findings.setdefault(row["claim_id"], _outside_catalog_range(row, settings))
    return list(findings.values())


def _said_unbounded(row: dict[str, Any], settings: AuditSettings) -> bool:
    """The paper says by the number that it is not a proportion ('246.5% (a leak-event count, not a
    proportion)'): the bound the rule would apply is not the paper's."""
    return bool(re.search(settings.not_a_proportion_after, row["after_text"], re.IGNORECASE))


def suspect(row: dict[str, Any], settings: AuditSettings, maximum: float | None) -> str:
    """Whom an out-of-range claim incriminates: the extraction when the words by it show a gain, a share or a
    difference (or an increase, for a reduction), or the value fits no scale of its metric; else the paper."""
    if row["kind"] == "change":
        reach = settings.cue_reach
        window = (
            f"{row['before_text'][-reach:]} {row['text']} {row['after_text'][:reach]} | {row['metric'] or ''}"
        )
        return "extraction" if re.search(settings.increase_cues, window, re.IGNORECASE) else "paper"
    sentence = f"{row['before_text']} {row['text']} {row['after_text']}"
    if re.search(settings.share_after, row["after_text"], re.IGNORECASE) or re.search(
        settings.extraction_cues, sentence, re.IGNORECASE
    ):
        return "extraction"
    named = re.search(settings.other_metric_before, row["before_text"])
    if named and named.group(1).lower() not in (row["metric"] or "").lower():
        return "extraction"  # another metric's name stands just before the number or its list
    if re.search(settings.parameter_before, row["before_text"]):
        return "extraction"  # 'λ = 0.6': a parameter's setting
    if not row["unit"] and re.search(settings.unit_after, row["after_text"]):
        return "extraction"  # '20.71 dB' stored as a unitless SSIM
    if any(mark in (row["metric"] or "") for mark in "/,") or (
        maximum is not None and maximum > 0 and abs(row["value"]) > 100 * maximum
    ):
        return "extraction"  # a list of metrics given one value, or no scale of the metric fits
    return "paper"


def _check_sql(check: RangeCheck) -> tuple[str, list[Any]]:
    """The claims a check applies to and that break it; every value is bound as a parameter."""
    where = ["list_contains(?, c.kind)", "p.paper_id = c.paper_id"]
    params: list[Any] = [list(check.kinds)]
    if check.units is not None:
        where.append("list_contains(?, c.unit)")
        params.append(list(check.units))
    if check.metric_pattern is not None:
        where.append("regexp_matches(coalesce(c.metric, ''), ?, 'i')")
        params.append(check.metric_pattern)
    if check.direction is not None:
        where.append("c.direction = ?")
        params.append(check.direction)
    broken = []
    if check.minimum is not None:
        broken.append(f"least({_LOW}, {_HIGH}) {'<' if check.minimum_inclusive else '<='} ?")
        params.append(check.minimum)
    if check.maximum is not None:
        broken.append(f"greatest({_LOW}, {_HIGH}) {'>' if check.maximum_inclusive else '>='} ?")
        params.append(check.maximum)
    where.append("(" + " OR ".join(broken or ["false"]) + ")")
    return (
        f"SELECT {_COLUMNS} FROM claims c, papers p WHERE {' AND '.join(where)} ORDER BY c.claim_id",
        params,
    )


def _bounds(
    minimum: float | None, maximum: float | None, *, low_open: bool = False, high_open: bool = False
) -> str:
    low = "(" if low_open else "["
    high = ")" if high_open else "]"
    return (
        f"{low}{figure(minimum) if minimum is not None else '-inf'}, "
        f"{figure(maximum) if maximum is not None else 'inf'}{high}"
    )


def _stated(row: dict[str, Any]) -> str:
    """The claim as written and as stored: '220%' (stored as a score of success rates, value 220); an
    impossible value is often a relative change stored as a score, and the kind shown lets the reader see
    that."""
    value = figure(row["value"]) + (f" to {figure(row['value_max'])}" if row["value_max"] is not None else "")
    measured = f" of {row['metric']}" if row["metric"] else ""
    return f"'{row['text']}' (stored as a {row['kind']}{measured}, value {value})"


def _out_of_bounds(check: RangeCheck, row: dict[str, Any], settings: AuditSettings) -> Finding:
    bounds = _bounds(
        check.minimum,
        check.maximum,
        low_open=not check.minimum_inclusive,
        high_open=not check.maximum_inclusive,
    )
    message = f"{_stated(row)} lies outside {bounds}, the valid range of {check.describes}."
    evidence = {
        "check": check.name,
        "value": row["value"],
        "value_max": row["value_max"],
        "unit": row["unit"],
        "kind": row["kind"],
        "metric": row["metric"],
        "minimum": check.minimum,
        "maximum": check.maximum,
        "minimum_inclusive": check.minimum_inclusive,
        "maximum_inclusive": check.maximum_inclusive,
    }
    blamed = suspect(row, settings, check.maximum)
    return finding(RULE, check.severity, _blame(message, blamed), [row], evidence, suspect=blamed)


def _outside_catalog_range(row: dict[str, Any], settings: AuditSettings) -> Finding:
    bounds = _bounds(row["min_value"], row["max_value"])
    message = f"{_stated(row)} lies outside {bounds}, the catalog's valid range for {row['metric_name']}."
    evidence = {
        "check": "catalog-metric-range",
        "value": row["value"],
        "value_max": row["value_max"],
        "unit": row["unit"],
        "metric": row["metric"],
        "metric_name": row["metric_name"],
        "minimum": row["min_value"],
        "maximum": row["max_value"],
    }
    blamed = suspect(row, settings, row["max_value"])
    return finding(RULE, "error", _blame(message, blamed), [row], evidence, suspect=blamed)


def _blame(message: str, blamed: str) -> str:
    if blamed == "extraction":
        return message + " The words by it say it is a gain, a share or a difference: an extraction error."
    return message
