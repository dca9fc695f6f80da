"""Rule ``count-percent``: a count out of a total and the percentage next to it must agree by arithmetic.

"solving 19/22 tasks, 86.4%": 19/22 = 86.36%, which rounds to the stated 86.4%. A consistent pair is reported
as ``info`` with the arithmetic, so users see what was verified; a disagreeing pair as ``warning``. A stated
percentage agrees when it is the exact one rounded or truncated to the digits it is written with
(``rounding_slack``).
"""

from __future__ import annotations

import re
from typing import Any

from benchkb.audit.context import AuditContext, decimals_of, figure, finding
from benchkb.models import Finding

RULE = "count-percent"
_LIST = re.compile(r"\d\s*/\s*\d+\s*/\s*\d")  # '0/1/2': values listed with slashes

_FRACTION_PAIRS = """
WITH ordered AS (
    SELECT claim_id, paper_id, text, value, value_max, unit, metric, subject, "start", "end", sentence_start,
           lead(claim_id) OVER w AS next_id, lag(claim_id) OVER w AS previous_id
    FROM claims
    WHERE paper_id IN (SELECT paper_id FROM claims WHERE regexp_matches(text, $pattern))
    WINDOW w AS (PARTITION BY paper_id ORDER BY "start", "end")
),
fractions AS (
    SELECT *, regexp_extract(text, $pattern, ['numerator', 'denominator']) AS parts
    FROM ordered WHERE regexp_matches(text, $pattern)
)
SELECT f.claim_id, f.paper_id, f.text, f.parts.numerator AS numerator, f.parts.denominator AS denominator,
       p.claim_id AS percent_id, p.text AS percent_text, p.value AS percent_value, p.metric AS percent_metric
FROM fractions f
JOIN ordered p ON p.paper_id = f.paper_id AND p.sentence_start = f.sentence_start AND p.unit = '%'
  AND p.value_max IS NULL
  AND ((p.claim_id = f.next_id AND p."start" - f."end" <= $gap)
    OR (p.claim_id = f.previous_id AND f."start" - p."end" <= $gap))
JOIN papers a ON a.paper_id = f.paper_id
WHERE regexp_matches(substr(a.abstract, least(f."end", p."end") + 1,
                            greatest(f."start", p."start") - least(f."end", p."end")), $joiner)
  AND NOT regexp_matches(substr(a.abstract, p."end" + 1, 30), $not_a_share)
QUALIFY row_number() OVER (PARTITION BY f.claim_id
                           ORDER BY greatest(f."start", p."start") - least(f."end", p."end"),
                                    (p.claim_id = f.next_id) DESC) = 1
ORDER BY f.claim_id
"""


def check_count_percent(ctx: AuditContext) -> list[Finding]:
    """'19/22 tasks, 86.4%': the percentage next to a count out of a total must be that fraction."""
    params = {
        "pattern": ctx.settings.fraction_pattern,
        "gap": ctx.settings.fraction_percent_gap,
        "joiner": ctx.settings.fraction_percent_joiner,
        "not_a_share": ctx.settings.not_a_share_after,
    }
    findings = []
    for row in ctx.query(_FRACTION_PAIRS, params).iter_rows(named=True):
        if _is_count(row["text"], row["numerator"], row["denominator"], ctx.settings.rating_scale_max):
            numerator = float(row["numerator"].replace(",", ""))
            denominator = float(row["denominator"].replace(",", ""))
            findings.append(_count_percent(ctx, row, numerator, denominator))
    return findings


def _is_count(text: str, numerator: str, denominator: str, rating_scale_max: float) -> bool:
    """'19/22' is a count out of a total; '80/20' (a split), '3.24/4' and '1.08/3.0' (mean ratings) and
    '0/1/2' (a list) are not."""
    top, bottom = float(numerator.replace(",", "")), float(denominator.replace(",", ""))
    if bottom <= 0 or top > bottom or "." in denominator or _LIST.search(text):
        return False
    return "." not in numerator or bottom > rating_scale_max


def _count_percent(ctx: AuditContext, row: dict[str, Any], numerator: float, denominator: float) -> Finding:
    exact = 100 * numerator / denominator
    stated = row["percent_value"]
    decimals = decimals_of(row["percent_text"])
    allowed = ctx.settings.rounding_slack * 10.0**-decimals
    gap = stated - exact
    consistent = abs(gap) <= allowed + 1e-9
    fraction = f"{figure(numerator)}/{figure(denominator)} = {figure(exact)}%"
    if consistent:
        message = (
            f"{fraction}, consistent with the stated {row['percent_text']} "
            f"(written to {decimals} decimal{'s' if decimals != 1 else ''})."
        )
    else:
        message = f"{fraction}, but the paper states {row['percent_text']} next to it ({gap:+.2f} points)."
    evidence = {
        "fraction_text": row["text"],
        "numerator": numerator,
        "denominator": denominator,
        "computed_percent": exact,
        "stated_percent": stated,
        "stated_text": row["percent_text"],
        "difference": gap,
        "allowed_difference": allowed,
    }
    claims = [row, {"claim_id": row["percent_id"], "paper_id": row["paper_id"]}]
    return finding(RULE, "info" if consistent else "warning", message, claims, evidence)
