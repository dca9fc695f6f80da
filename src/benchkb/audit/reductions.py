"""Rule ``reduction-speedup``: "reduces time by 55%" is a 1/(1 - 0.55) = 2.22x speedup; a paper stating both
for the same comparison must agree.

A pair is a time reduction (a decrease in percent of a time-like metric) and a speedup (a factor of a
speedup-like metric) of one paper, in one sentence or for the same baseline, with the same qualifier,
measuring the same thing (the same metric, or a speedup named only as such: "2.2x faster"). When one names a
baseline the other does not, they may compare with different things ("by 16.4% [over the full schedule], a
12.6x acceleration over vanilla 3DGS") and are not paired. Extraction sometimes gives a number the metric of
its neighbour in a list ("reduces tokens by 78% and latency by 4x"); a number written "by N" must have its
metric in the words before it, and one followed by "more/fewer/lower/reduction in ..." in the words after it,
or the pair is skipped. A consistent pair is reported as ``info`` with the arithmetic, a disagreeing pair as
``warning``, unless the stated speedup is more than ``chained_speedup_factor`` times the implied one: then it
most likely measures from an earlier baseline, and the pair is info.
"""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any

from benchkb.audit.context import AuditContext, decimals_of, figure, finding, percent
from benchkb.audit.settings import AuditSettings
from benchkb.models import Finding

RULE = "reduction-speedup"

# Every candidate pair, nearest first, with the words between each claim and its neighbours in the sentence.
_PAIRS = """
WITH candidate_papers AS (
    SELECT DISTINCT paper_id FROM claims
    WHERE kind = 'change' AND unit = '%' AND direction = 'decrease'
      AND regexp_matches(coalesce(metric, ''), $time, 'i')
),
placed AS (
    SELECT c.*, p.abstract,
           greatest(c.sentence_start, coalesce(lag(c."end") OVER w, 0)) AS before_from,
           least(coalesce(lead(c."start") OVER w, c.sentence_end), c."end" + 100) AS after_to
    FROM claims c JOIN papers p USING (paper_id)
    WHERE c.paper_id IN (SELECT paper_id FROM candidate_papers)
    WINDOW w AS (PARTITION BY c.paper_id, c.sentence_start ORDER BY c."start", c."end")
),
windows AS (
    SELECT * EXCLUDE (abstract),
           substr(abstract, before_from + 1, "start" - before_from) AS before_text,
           substr(abstract, "end" + 1, greatest(after_to - "end", 0)) AS after_text
    FROM placed
),
reductions AS (
    SELECT * FROM windows
    WHERE kind = 'change' AND unit = '%' AND direction = 'decrease' AND value_max IS NULL
      AND abs(value) > 0 AND abs(value) < 100 AND regexp_matches(coalesce(metric, ''), $time, 'i')
),
speedups AS (
    SELECT * FROM windows
    WHERE kind = 'ratio' AND value > 1 AND value_max IS NULL
      AND regexp_matches(coalesce(metric, ''), $speedup, 'i')
)
SELECT r.claim_id, r.paper_id, r.text, abs(r.value) AS reduction, r.metric, r.baseline,
       r.before_text, r.after_text,
       s.claim_id AS speedup_id, s.text AS speedup_text, s.value AS speedup, s.metric AS speedup_metric,
       s.before_text AS speedup_before, s.after_text AS speedup_after,
       r.sentence_start = s.sentence_start AS same_sentence
FROM reductions r JOIN speedups s
  ON s.paper_id = r.paper_id AND s.qualifier IS NOT DISTINCT FROM r.qualifier
 AND ((r.baseline IS NULL AND s.baseline IS NULL) OR lower(r.baseline) = lower(s.baseline))
 AND (r.sentence_start = s.sentence_start OR lower(r.baseline) = lower(s.baseline))
ORDER BY r.claim_id, abs(s."start" - r."start"), s.claim_id
"""


def check_reduction_speedup(ctx: AuditContext) -> list[Finding]:
    """'reduces time by 55%' and '2.2x faster' for the same comparison: 1/(1 - 0.55) = 2.22x must match."""
    settings = ctx.settings
    params = {"time": settings.time_metric_pattern, "speedup": settings.speedup_metric_pattern}
    rows = ctx.query(_PAIRS, params).iter_rows(named=True)
    findings = []
    for _, pairs in groupby(rows, key=lambda row: row["claim_id"]):
        chosen = next((row for row in pairs if _same_measure(row, settings)), None)
        if chosen is not None:
            findings.append(_reduction_speedup(settings, chosen))
    return findings


def _same_measure(row: dict[str, Any], settings: AuditSettings) -> bool:
    """Both numbers measure the same time: the same metric or a bare speedup, each standing by its metric."""
    generic = re.fullmatch(settings.generic_speedup_metric, row["speedup_metric"], re.IGNORECASE)
    same = generic or row["speedup_metric"].lower() == row["metric"].lower()
    return (
        bool(same)
        and _stands_by_metric(row["metric"], row["before_text"], row["after_text"], settings)
        and (
            bool(generic)
            or _stands_by_metric(row["speedup_metric"], row["speedup_before"], row["speedup_after"], settings)
        )
    )


def _stands_by_metric(metric: str, before: str, after: str, settings: AuditSettings) -> bool:
    """'reduces latency by 55%' has its metric before it, 'a 55% reduction in latency' after it."""
    if re.search(settings.by_before_pattern, before, re.IGNORECASE):
        return metric.lower() in " ".join(before.lower().split())
    cue = re.match(settings.cue_after_pattern, after, re.IGNORECASE)
    if cue:
        phrase = re.split(settings.clause_break_pattern, after[cue.end() :], maxsplit=1)[0]
        return metric.lower() in " ".join((cue.group(0) + phrase).lower().split())
    return True


def _reduction_speedup(settings: AuditSettings, row: dict[str, Any]) -> Finding:
    reduction, stated = row["reduction"], row["speedup"]
    implied = 100.0 / (100.0 - reduction)
    allowed = max(
        settings.rounding_slack * 10.0 ** -decimals_of(row["speedup_text"]),
        settings.speedup_tolerance * stated,
    )
    consistent = abs(implied - stated) <= allowed + 1e-9
    # Mixing up a reduction and a speedup (1 + r for 1/(1 - r)) states less than the implied factor; one far
    # above it measures from an earlier baseline ('by 16.4% [over FastGS], a 12.6x acceleration over vanilla
    # 3DGS'), whatever baseline the extraction gave the reduction.
    chained = stated > settings.chained_speedup_factor * implied
    arithmetic = (
        f"A {figure(reduction)}% reduction in {row['metric']} ('{row['text']}') implies a "
        f"1/(1 - {figure(reduction / 100)}) = {figure(implied, 3)}x speedup"
    )
    if consistent:
        message = f"{arithmetic}, consistent with the stated '{row['speedup_text']}'."
    elif chained:
        message = (
            f"{arithmetic}; the paper states '{row['speedup_text']}', more than "
            f"{figure(settings.chained_speedup_factor)} times that: the speedup likely compares with "
            "something else (an earlier baseline), not the reduction's."
        )
    else:
        message = (
            f"{arithmetic}, but the paper states '{row['speedup_text']}' "
            f"({percent(stated / implied - 1)} off)."
        )
    evidence = {
        "reduction_percent": reduction,
        "reduction_text": row["text"],
        "implied_speedup": implied,
        "stated_speedup": stated,
        "speedup_text": row["speedup_text"],
        "allowed_difference": allowed,
        "same_sentence": row["same_sentence"],
        "baseline": row["baseline"],
    }
    claims = [row, {"claim_id": row["speedup_id"], "paper_id": row["paper_id"]}]
    return finding(RULE, "info" if consistent or chained else "warning", message, claims, evidence)
