"""Rule ``range``: values that cannot be true as stated.

The bounds are data (:class:`~benchkb.audit.settings.RangeCheck` in the settings: rates and utilizations in percent
within [0, 100], a reduction below 100%, a factor above 0), followed by each metric's valid range from the catalog
(``metrics.min_value``/``max_value``) for score claims in the metric's unit. A claim gets at most one finding: the
first check it fails, in that order.
"""

from __future__ import annotations

from typing import Any

from benchkb.audit.context import AuditContext, figure, finding
from benchkb.audit.settings import RangeCheck
from benchkb.models import Finding

RULE = "range"
_COLUMNS = 'c.claim_id, c.paper_id, c.text, c.value, c.value_max, c.unit, c.kind, c.metric, c.direction'
# The value and the top of a range, with the sign dropped for changes (a "-55%" reduction is a 55% reduction).
_LOW = "CASE WHEN c.kind = 'change' THEN abs(c.value) ELSE c.value END"
_HIGH = "CASE WHEN c.kind = 'change' THEN abs(coalesce(c.value_max, c.value)) ELSE coalesce(c.value_max, c.value) END"

_CATALOG_RANGE = f"""
SELECT {_COLUMNS}, m.name AS metric_name, m.min_value, m.max_value
FROM claims c JOIN metrics m USING (metric_id)
WHERE c.kind = 'score' AND (m.unit IS NULL OR m.unit = c.unit)
  AND ((m.min_value IS NOT NULL AND least({_LOW}, {_HIGH}) < m.min_value)
    OR (m.max_value IS NOT NULL AND greatest({_LOW}, {_HIGH}) > m.max_value))
ORDER BY c.claim_id
"""


def check_range(ctx: AuditContext) -> list[Finding]:
    """Claims outside the bounds of their kind, unit and metric."""
    findings: dict[str, Finding] = {}
    for check in ctx.settings.range_checks:
        sql, params = _check_sql(check)
        for row in ctx.query(sql, params).iter_rows(named=True):
            findings.setdefault(row["claim_id"], _out_of_bounds(check, row))
    for row in ctx.query(_CATALOG_RANGE).iter_rows(named=True):
        findings.setdefault(row["claim_id"], _outside_catalog_range(row))
    return list(findings.values())


def _check_sql(check: RangeCheck) -> tuple[str, list[Any]]:
    """The claims a check applies to and that break it; every value is bound as a parameter."""
    where = ["list_contains(?, c.kind)"]
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
    return f"SELECT {_COLUMNS} FROM claims c WHERE {' AND '.join(where)} ORDER BY c.claim_id", params


def _bounds(minimum: float | None, maximum: float | None, *, low_open: bool = False, high_open: bool = False) -> str:
    low = "(" if low_open else "["
    high = ")" if high_open else "]"
    return f"{low}{figure(minimum) if minimum is not None else '-inf'}, " \
           f"{figure(maximum) if maximum is not None else 'inf'}{high}"


def _stated(row: dict[str, Any]) -> str:
    """The claim as written and as stored: '220%' (stored as a score of success rates, value 220); an impossible
    value is often a relative change stored as a score, and the kind shown lets the reader see that."""
    value = figure(row["value"]) + (f" to {figure(row['value_max'])}" if row["value_max"] is not None else "")
    measured = f" of {row['metric']}" if row["metric"] else ""
    return f"'{row['text']}' (stored as a {row['kind']}{measured}, value {value})"


def _out_of_bounds(check: RangeCheck, row: dict[str, Any]) -> Finding:
    bounds = _bounds(check.minimum, check.maximum, low_open=not check.minimum_inclusive,
                     high_open=not check.maximum_inclusive)
    message = f"{_stated(row)} lies outside {bounds}, the valid range of {check.describes}."
    evidence = {"check": check.name, "value": row["value"], "value_max": row["value_max"], "unit": row["unit"],
                "kind": row["kind"], "metric": row["metric"], "minimum": check.minimum, "maximum": check.maximum,
                "minimum_inclusive": check.minimum_inclusive, "maximum_inclusive": check.maximum_inclusive}
    return finding(RULE, check.severity, message, [row], evidence)


def _outside_catalog_range(row: dict[str, Any]) -> Finding:
    bounds = _bounds(row["min_value"], row["max_value"])
    message = f"{_stated(row)} lies outside {bounds}, the catalog's valid range for {row['metric_name']}."
    evidence = {"check": "catalog-metric-range", "value": row["value"], "value_max": row["value_max"],
                "unit": row["unit"], "metric": row["metric"], "metric_name": row["metric_name"],
                "minimum": row["min_value"], "maximum": row["max_value"]}
    return finding(RULE, "error", message, [row], evidence)
