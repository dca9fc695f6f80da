"""Rule ``beat``: a paper says its system beats Y on a benchmark; does the knowledge base hold a better claim
for Y?

A beat claim is a system's absolute result (the ``absolute_scores`` view) with a baseline Y, in a sentence
with a comparison cue ("outperforms", "surpasses", ...: ``beat_cue_pattern``). Y's absolute results on the
same benchmark, metric and unit from other papers are the rivals, found by Y's catalog id or, for a system the
catalog lacks, by its normalised surface; Y's own paper (its title names Y) is preferred, and within it the
best value. A rival better than the beat claim under the same setting (``setting_pattern``) is a warning;
otherwise the check is reported as info (saying which settings differ, when they do), so users see which
comparisons hold against the knowledge base. Hedged rival claims ("up to") are best cases and are left out.
"""

from __future__ import annotations

from typing import Any

from benchkb.audit.context import AuditContext, figure, finding, name_key, own_paper_sql, setting_sql
from benchkb.models import Finding

RULE = "beat"

_PAIRS = f"""
WITH beats AS (
    SELECT a.claim_id, a.paper_id, a.text, a.value, a.unit, a.subject, a.benchmark, a.metric,
           a.higher_is_better, {name_key("c.baseline_id", "c.baseline")} AS rival_key,
           coalesce(y.name, c.baseline) AS rival, {setting_sql("a", "c")} AS setting
    FROM absolute_scores a JOIN claims c USING (claim_id) LEFT JOIN models y ON y.model_id = c.baseline_id
    WHERE c.baseline IS NOT NULL AND regexp_matches(a.sentence, $cue, 'i')
      AND a.subject_key IS DISTINCT FROM {name_key("c.baseline_id", "c.baseline")}
),
rivals AS (
    SELECT a.claim_id, a.paper_id, a.text, a.value, a.unit, a.subject_key, a.benchmark, a.metric,
           {own_paper_sql("a", "sm")} AS own_paper, {setting_sql("a", "c")} AS setting
    FROM absolute_scores a JOIN claims c USING (claim_id) LEFT JOIN models sm ON sm.model_id = c.subject_id
    WHERE NOT coalesce(a.hedged, false) AND a.subject_key IN (SELECT rival_key FROM beats)
)
SELECT b.claim_id, b.paper_id, b.text, b.value, b.unit, b.subject, b.rival, b.benchmark, b.higher_is_better,
       b.setting, r.setting AS rival_setting, r.claim_id AS rival_id, r.paper_id AS rival_paper,
       r.text AS rival_text, r.value AS rival_value, r.own_paper AS rival_own_paper
FROM beats b
JOIN rivals r ON r.subject_key = b.rival_key AND r.benchmark = b.benchmark
 AND r.metric IS NOT DISTINCT FROM b.metric AND r.unit = b.unit AND r.paper_id <> b.paper_id
QUALIFY row_number() OVER (PARTITION BY b.claim_id
                           ORDER BY r.own_paper DESC,
                                    CASE WHEN b.higher_is_better THEN -r.value ELSE r.value END,
                                    r.claim_id) = 1
ORDER BY b.claim_id
"""


def check_beat(ctx: AuditContext) -> list[Finding]:
    """Beat claims against the best claim for the beaten system held elsewhere in the knowledge base."""
    params = {"cue": ctx.settings.beat_cue_pattern, "setting": ctx.settings.setting_pattern}
    return [_beat(row) for row in ctx.query(_PAIRS, params).iter_rows(named=True)]


def _beat(row: dict[str, Any]) -> Finding:
    higher = row["higher_is_better"]
    rival_better = row["rival_value"] > row["value"] if higher else row["rival_value"] < row["value"]
    source = (
        f"{row['rival']}'s own paper {row['rival_paper']}"
        if row["rival_own_paper"]
        else f"paper {row['rival_paper']}"
    )
    claim = (
        f"Paper {row['paper_id']} says {row['subject']} beats {row['rival']} on {row['benchmark']} with "
        f"{row['text']}"
    )
    better = "higher" if higher else "lower"
    differ = sorted(row["setting"]) != sorted(row["rival_setting"])
    if rival_better and differ:
        message = (
            f"{claim}; {source} reports {row['rival']} at {row['rival_text']} there, "
            f"{figure(abs(row['rival_value'] - row['value']))} {better}, but in another setting "
            f"({', '.join(row['setting']) or 'none stated'} vs "
            f"{', '.join(row['rival_setting']) or 'none stated'})."
        )
    elif rival_better:
        message = (
            f"{claim}, but {source} reports {row['rival']} at {row['rival_text']} there, "
            f"{figure(abs(row['rival_value'] - row['value']))} {better}."
        )
    else:
        message = (
            f"{claim}; the best claim for {row['rival']} there, {row['rival_text']} from {source}, is not "
            f"{better}: consistent."
        )
    evidence = {
        "value": row["value"],
        "text": row["text"],
        "unit": row["unit"],
        "subject": row["subject"],
        "rival": row["rival"],
        "benchmark": row["benchmark"],
        "rival_value": row["rival_value"],
        "rival_text": row["rival_text"],
        "rival_paper": row["rival_paper"],
        "rival_is_own_paper": row["rival_own_paper"],
        "higher_is_better": higher,
        "setting": row["setting"],
        "rival_setting": row["rival_setting"],
    }
    claims = [row, {"claim_id": row["rival_id"], "paper_id": row["rival_paper"]}]
    return finding(RULE, "warning" if rival_better and not differ else "info", message, claims, evidence)
