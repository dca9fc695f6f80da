"""Rule ``contradiction``: one subject, benchmark and metric, claimed with different values by different papers.

Claims are grouped by subject, benchmark, metric and unit (catalog ids; a metric the catalog does not know by its
surface). In each group one paper is the reference: the subject's own paper (its title names the model) if the
knowledge base holds it, else the earliest. Every other paper is compared with it through its closest pair of values,
so a paper quoting the reference's number among other settings does not contradict it; a gap beyond the tolerance
(``absolute_tolerance`` per unit, else ``relative_tolerance``) is a warning. Hedged claims ("up to") are best cases
and take no part.
"""

from __future__ import annotations

from typing import Any

from benchkb.audit.context import METRIC_KEY, AuditContext, figure, finding, title_names
from benchkb.models import Finding

RULE = "contradiction"

_PAIRS = f"""
WITH candidates AS (
    SELECT c.claim_id, c.paper_id, c.text, c.value, c.unit, c.subject_id, c.benchmark_id, {METRIC_KEY} AS metric_key,
           p.published, coalesce(sm.name, c.subject_id) AS subject_name, coalesce(b.name, c.benchmark_id) AS benchmark_name,
           coalesce(m.name, c.metric) AS metric_name, {title_names('p.title', 'sm')} AS own_paper
    FROM claims c JOIN papers p USING (paper_id)
    LEFT JOIN models sm ON sm.model_id = c.subject_id
    LEFT JOIN benchmarks b ON b.benchmark_id = c.benchmark_id
    LEFT JOIN metrics m ON m.metric_id = c.metric_id
    WHERE c.kind = 'score' AND c.subject_id IS NOT NULL AND c.benchmark_id IS NOT NULL AND c.value_max IS NULL
      AND NOT list_contains($hedges, coalesce(c.qualifier, ''))
),
grouped AS (
    SELECT *,
           first_value(paper_id) OVER (PARTITION BY subject_id, benchmark_id, metric_key, unit
                                       ORDER BY own_paper DESC, published NULLS LAST, paper_id) AS reference_paper,
           count(DISTINCT paper_id) OVER (PARTITION BY subject_id, benchmark_id, metric_key, unit) AS papers
    FROM candidates
)
SELECT o.claim_id, o.paper_id, o.text, o.value, o.unit, o.subject_name, o.benchmark_name, o.metric_name,
       r.claim_id AS reference_id, r.paper_id AS reference_paper, r.text AS reference_text,
       r.value AS reference_value, r.own_paper AS reference_is_own, r.published AS reference_published,
       o.published, abs(o.value - r.value) AS gap
FROM grouped o JOIN grouped r
  ON r.paper_id = o.reference_paper AND r.subject_id = o.subject_id AND r.benchmark_id = o.benchmark_id
 AND r.metric_key = o.metric_key AND r.unit = o.unit
WHERE o.papers > 1 AND o.paper_id <> o.reference_paper
QUALIFY row_number() OVER (PARTITION BY o.paper_id, o.subject_id, o.benchmark_id, o.metric_key, o.unit
                           ORDER BY abs(o.value - r.value), o.claim_id, r.claim_id) = 1
ORDER BY o.claim_id
"""


def check_contradiction(ctx: AuditContext) -> list[Finding]:
    """Papers whose value for a subject on a benchmark differs from the reference paper's beyond the tolerance."""
    rows = ctx.query(_PAIRS, {"hedges": list(ctx.settings.hedge_qualifiers)})
    findings = []
    for row in rows.iter_rows(named=True):
        allowed = ctx.settings.tolerance(row["unit"], row["reference_value"])
        if row["gap"] > allowed:
            findings.append(_contradiction(row, allowed))
    return findings


def _contradiction(row: dict[str, Any], allowed: float) -> Finding:
    what = f"{row['subject_name']} on {row['benchmark_name']}" + (
        f" ({row['metric_name']})" if row["metric_name"] else "")
    if row["reference_is_own"]:
        reference = f"its own paper {row['reference_paper']} claims {row['reference_text']}"
    else:
        dated = f", {row['reference_published']}" if row["reference_published"] else ""
        reference = f"the earliest paper in the knowledge base ({row['reference_paper']}{dated}) claims " \
                    f"{row['reference_text']}"
    message = (f"Paper {row['paper_id']} states {row['text']} for {what}, but {reference}: a gap of "
               f"{figure(row['gap'])} {_unit_word(row['unit'])} beyond the tolerance of {figure(allowed)}.")
    evidence = {"value": row["value"], "text": row["text"], "reference_value": row["reference_value"],
                "reference_text": row["reference_text"], "reference_paper": row["reference_paper"],
                "reference_is_own_paper": row["reference_is_own"], "unit": row["unit"], "gap": row["gap"],
                "tolerance": allowed, "subject": row["subject_name"], "benchmark": row["benchmark_name"],
                "metric": row["metric_name"]}
    claims = [row, {"claim_id": row["reference_id"], "paper_id": row["reference_paper"]}]
    return finding(RULE, "warning", message, claims, evidence)


def _unit_word(unit: str) -> str:
    return "points" if unit in {"%", "pp", "points"} else unit
