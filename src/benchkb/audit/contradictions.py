"""Rule ``contradiction``: one system, benchmark and metric, claimed with different values by different
papers.

Only systems' absolute results take part (the ``absolute_scores`` view: no gains, shares or error rates read
as values, no "our method"), grouped by system, benchmark, metric and unit; a system the catalog does not know
is grouped by its normalised surface ("Foo-Net 7B" and "FooNet-7B" are one). In each group one paper is the
reference: the system's own paper (its title names it) if the knowledge base holds it, else the earliest.
Every other paper is compared with it through its closest pair of values, so a paper quoting the reference's
number among other settings does not contradict it. A gap beyond the tolerance (``absolute_tolerance`` per
unit, else ``relative_tolerance``) is:

* a warning when the reference is the system's own paper and both claims state the same setting (conditions,
  shots, split, fine-tuning or pre-training data: ``setting_pattern``): the other paper reports the system
  differently; * info otherwise, saying which settings differ, or that neither paper is the system's own (two
  reruns may differ), or that the two may not be one system: a method run on base models
  (``technique_models``: Self-Consistency's values are its base model's), or a short uncatalogued name the
  papers write differently ("D-AR" and "DAR": ``short_name_length``).

When each paper's sentence also holds the other's number (a list "respectively" paired with the wrong
benchmark,
91.69% written as 0.9169), the finding suspects the extraction rather than the paper.

Hedged claims ("up to") are best cases and take no part.
"""

from __future__ import annotations

import re
from typing import Any

from benchkb.audit.context import AuditContext, figure, finding, own_paper_sql, setting_sql
from benchkb.audit.settings import AuditSettings
from benchkb.models import Finding

RULE = "contradiction"

_PAIRS = f"""
WITH candidates AS (
    SELECT a.claim_id, a.paper_id, a.text, a.value, a.unit, a.subject, a.subject_key, a.benchmark, a.metric,
           a.published, a.sentence, c.subject_id, {own_paper_sql("a", "sm")} AS own_paper,
           {setting_sql("a", "c")} AS setting
    FROM absolute_scores a JOIN claims c USING (claim_id) LEFT JOIN models sm ON sm.model_id = c.subject_id
    WHERE NOT coalesce(a.hedged, false)
),
grouped AS (
    SELECT *,
           first_value(paper_id) OVER (PARTITION BY subject_key, benchmark, metric, unit
                                       ORDER BY own_paper DESC, published NULLS LAST, paper_id)
             AS reference_paper,
           count(DISTINCT paper_id) OVER (PARTITION BY subject_key, benchmark, metric, unit) AS papers
    FROM candidates
)
SELECT o.claim_id, o.paper_id, o.text, o.value, o.unit, o.subject AS subject_name,
       r.subject AS reference_subject, o.subject_id, o.subject_key, o.benchmark AS benchmark_name,
       o.metric AS metric_name, o.setting, r.setting AS reference_setting,
       o.sentence, r.sentence AS reference_sentence,
       r.claim_id AS reference_id, r.paper_id AS reference_paper, r.text AS reference_text,
       r.value AS reference_value, r.own_paper AS reference_is_own, r.published AS reference_published,
       o.published, abs(o.value - r.value) AS gap
FROM grouped o JOIN grouped r
  ON r.paper_id = o.reference_paper AND r.subject_key = o.subject_key AND r.benchmark = o.benchmark
 AND r.metric IS NOT DISTINCT FROM o.metric AND r.unit = o.unit
WHERE o.papers > 1 AND o.paper_id <> o.reference_paper
QUALIFY row_number() OVER (PARTITION BY o.paper_id, o.subject_key, o.benchmark, o.metric, o.unit
                           ORDER BY abs(o.value - r.value), o.claim_id, r.claim_id) = 1
ORDER BY o.claim_id
"""


def check_contradiction(ctx: AuditContext) -> list[Finding]:
    """Papers whose value for a system on a benchmark differs from the reference paper's beyond the
    tolerance."""
    rows = ctx.query(_PAIRS, {"setting": ctx.settings.setting_pattern})
    findings = []
    for row in rows.iter_rows(named=True):
        allowed = ctx.settings.tolerance(row["unit"], row["reference_value"])
        if row["gap"] > allowed:
            findings.append(_contradiction(row, allowed, _not_one_system(row, ctx.settings)))
    return findings


def _not_one_system(row: dict[str, Any], settings: AuditSettings) -> str:
    """Why the two claims may not be about one system, or '': a method run on base models ('Self-Consistency'
    with GPT-4o in one paper, with Gemma in another), or a short name the catalog lacks written differently by
    the two papers ('D-AR' and 'DAR' share a normalised key, but in so short a name the hyphen tells two
    systems apart; 'FooNet-7B' and 'FooNet 7B' are one)."""
    if row["subject_id"] in settings.technique_models:
        return f"{row['subject_name']} is a method run on a base model, whose values depend on that model"
    if (
        row["subject_id"] is None
        and len(row["subject_key"]) <= settings.short_name_length
        and row["subject_name"].lower() != row["reference_subject"].lower()
    ):
        return (
            f"the papers write the name differently ({row['subject_name']}, {row['reference_subject']}) "
            "and the catalog does not know it: they may be two systems"
        )
    return ""


def _contradiction(row: dict[str, Any], allowed: float, doubt: str) -> Finding:
    what = f"{row['subject_name']} on {row['benchmark_name']}" + (
        f" ({row['metric_name']})" if row["metric_name"] else ""
    )
    if row["reference_is_own"]:
        reference = f"its own paper {row['reference_paper']} claims {row['reference_text']}"
    else:
        dated = f", {row['reference_published']}" if row["reference_published"] else ""
        reference = (
            f"the earliest paper in the knowledge base ({row['reference_paper']}{dated}) claims "
            f"{row['reference_text']}"
        )
    gap = f"a gap of {figure(row['gap'])} {_unit_word(row['unit'])} beyond the tolerance of {figure(allowed)}"
    differ = _setting_difference(row["setting"], row["reference_setting"])
    if doubt:
        verdict = f"; {doubt}."
    elif differ:
        verdict = f"; the settings differ ({differ}), so both may hold."
    elif not row["reference_is_own"]:
        verdict = "; neither is the system's own paper, and two runs of it may differ."
    else:
        verdict = "."
    message = f"Paper {row['paper_id']} states {row['text']} for {what}, but {reference}: {gap}{verdict}"
    evidence = {
        "value": row["value"],
        "text": row["text"],
        "reference_value": row["reference_value"],
        "reference_text": row["reference_text"],
        "reference_paper": row["reference_paper"],
        "reference_is_own_paper": row["reference_is_own"],
        "unit": row["unit"],
        "gap": row["gap"],
        "tolerance": allowed,
        "subject": row["subject_name"],
        "benchmark": row["benchmark_name"],
        "metric": row["metric_name"],
        "setting": row["setting"],
        "reference_setting": row["reference_setting"],
    }
    claims = [row, {"claim_id": row["reference_id"], "paper_id": row["reference_paper"]}]
    severity = "warning" if row["reference_is_own"] and not differ and not doubt else "info"
    if _states(row["reference_sentence"], row["value"], row["unit"]) or _states(
        row["sentence"], row["reference_value"], row["unit"]
    ):
        # each paper's sentence holds the other's number: the values were paired with the wrong benchmark or
        # system when extracted ("50.1%, 92.4%, and 67.7% on A, B and C, respectively")
        message += (
            " Each paper's sentence also holds the other's number: "
            "the extraction may have paired them wrongly."
        )
        return finding(RULE, severity, message, claims, evidence, suspect="extraction")
    return finding(RULE, severity, message, claims, evidence)


def _states(sentence: str, value: float, unit: str) -> bool:
    """Whether ``sentence`` writes ``value`` (or, for a percentage, the same as a fraction: 91.69% as
    0.9169)."""
    written = {figure(value, 6)} | ({figure(value / 100, 6)} if unit == "%" else set())
    return any(re.search(rf"(?<![\d.]){re.escape(number)}(?!\d)", sentence) for number in written)


def _setting_difference(setting: list[str], reference: list[str]) -> str:
    """'fine-tuning vs none': what one claim's setting names that the other's does not, or ''."""
    if sorted(setting) == sorted(reference):
        return ""
    return f"{', '.join(setting) or 'none stated'} vs {', '.join(reference) or 'none stated'}"


def _unit_word(unit: str) -> str:
    return "points" if unit in {"%", "pp", "points"} else unit
