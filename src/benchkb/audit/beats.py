"""Rule ``beat``: a paper says its system beats Y on a benchmark; does the knowledge base hold a better claim for Y?

A beat claim is a score claim with a baseline Y and a benchmark, in a sentence with a comparison cue ("outperforms",
"surpasses", ...: ``beat_cue_pattern``). Y's claims on the same benchmark, metric and unit from other papers are the
rivals; Y's own paper (its title names Y) is preferred, and within it the best value. A rival better than the beat
claim is a warning; otherwise the check is reported as info, so users see which comparisons hold against the
knowledge base. Hedged rival claims ("up to") are best cases and are left out.
"""

from __future__ import annotations

from typing import Any

from benchkb.audit.context import METRIC_KEY, AuditContext, figure, finding, title_names
from benchkb.models import Finding

RULE = "beat"

_PAIRS = f"""
WITH beats AS (
    SELECT c.claim_id, c.paper_id, c.text, c.value, c.unit, c.subject, c.baseline_id, c.benchmark_id,
           {METRIC_KEY} AS metric_key, c.metric_id
    FROM claims c JOIN papers p USING (paper_id)
    WHERE c.kind = 'score' AND c.baseline_id IS NOT NULL AND c.benchmark_id IS NOT NULL AND c.value_max IS NULL
      AND c.subject_id IS DISTINCT FROM c.baseline_id
      AND regexp_matches(substr(p.abstract, c.sentence_start + 1, c.sentence_end - c.sentence_start), $cue, 'i')
),
rivals AS (
    SELECT c.claim_id, c.paper_id, c.text, c.value, c.unit, c.subject_id, c.benchmark_id, {METRIC_KEY} AS metric_key,
           {title_names('p.title', 'sm')} AS own_paper
    FROM claims c JOIN papers p USING (paper_id) LEFT JOIN models sm ON sm.model_id = c.subject_id
    WHERE c.kind = 'score' AND c.value_max IS NULL AND NOT list_contains($hedges, coalesce(c.qualifier, ''))
      AND c.subject_id IN (SELECT baseline_id FROM beats)
)
SELECT b.claim_id, b.paper_id, b.text, b.value, b.unit, coalesce(b.subject, 'the paper''s system') AS subject,
       coalesce(y.name, b.baseline_id) AS rival, coalesce(bm.name, b.benchmark_id) AS benchmark,
       coalesce(m.higher_is_better, true) AS higher_is_better,
       r.claim_id AS rival_id, r.paper_id AS rival_paper, r.text AS rival_text, r.value AS rival_value,
       r.own_paper AS rival_own_paper
FROM beats b
JOIN rivals r ON r.subject_id = b.baseline_id AND r.benchmark_id = b.benchmark_id AND r.metric_key = b.metric_key
 AND r.unit = b.unit AND r.paper_id <> b.paper_id
LEFT JOIN models y ON y.model_id = b.baseline_id
LEFT JOIN benchmarks bm ON bm.benchmark_id = b.benchmark_id
LEFT JOIN metrics m ON m.metric_id = b.metric_id
QUALIFY row_number() OVER (PARTITION BY b.claim_id
                           ORDER BY r.own_paper DESC,
                                    CASE WHEN coalesce(m.higher_is_better, true) THEN -r.value ELSE r.value END,
                                    r.claim_id) = 1
ORDER BY b.claim_id
"""


def check_beat(ctx: AuditContext) -> list[Finding]:
    """Beat claims against the best claim for the beaten system held elsewhere in the knowledge base."""
    params = {"cue": ctx.settings.beat_cue_pattern, "hedges": list(ctx.settings.hedge_qualifiers)}
    return [_beat(row) for row in ctx.query(_PAIRS, params).iter_rows(named=True)]


def _beat(row: dict[str, Any]) -> Finding:
    higher = row["higher_is_better"]
    rival_better = row["rival_value"] > row["value"] if higher else row["rival_value"] < row["value"]
    source = f"{row['rival']}'s own paper {row['rival_paper']}" if row["rival_own_paper"] else \
        f"paper {row['rival_paper']}"
    claim = (f"Paper {row['paper_id']} says {row['subject']} beats {row['rival']} on {row['benchmark']} with "
             f"{row['text']}")
    better = "higher" if higher else "lower"
    if rival_better:
        message = (f"{claim}, but {source} reports {row['rival']} at {row['rival_text']} there, "
                   f"{figure(abs(row['rival_value'] - row['value']))} {better}.")
    else:
        message = (f"{claim}; the best claim for {row['rival']} there, {row['rival_text']} from {source}, is not "
                   f"{better}: consistent.")
    evidence = {"value": row["value"], "text": row["text"], "unit": row["unit"], "subject": row["subject"],
                "rival": row["rival"], "benchmark": row["benchmark"], "rival_value": row["rival_value"],
                "rival_text": row["rival_text"], "rival_paper": row["rival_paper"],
                "rival_is_own_paper": row["rival_own_paper"], "higher_is_better": higher}
    claims = [row, {"claim_id": row["rival_id"], "paper_id": row["rival_paper"]}]
    return finding(RULE, "warning" if rival_better else "info", message, claims, evidence)
