"""Speedups: the multiplicative factors papers claim ("3.1x faster than cuDNN"), by baseline, on a log scale.

Hedged factors ("up to 12x") are marked apart from plain ones: the headline number of a paper is often its
best case, and the chart shows how much of a baseline's reputation rests on such ceilings.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from benchkb.errors import EmptySelectionError
from benchkb.kb import KB
from benchkb.reporting import (
    HEDGE_COLOURS, HEDGE_FIELD, HEDGE_LEGEND, HEDGE_SHAPES, HEDGE_SQL, Report, chart_data, counted,
)

NAME = "speedups"
TITLE = "Speedups by baseline"
DESCRIPTION = ("Claimed factors (x faster, x smaller) by baseline on a log scale, hedged vs. plain, with "
               "subject and conditions in the tooltip.")
NEEDS: tuple[str, ...] = ()

TOP_BASELINES = 20   # rows of the chart: the most compared-against baselines
PER_BASELINE = 80    # marks per row at most: the most recent claims

# Ranked and limited in SQL: a corpus holds tens of thousands of factors. Named baselines ("cuDNN", "GPT-4o",
# anything with a capital or a digit) come before generic ones ("existing methods"), which say little on a chart.
CLAIMS_SQL = f"""
WITH factors AS (
    SELECT *, row_number() OVER (PARTITION BY baseline ORDER BY published DESC NULLS LAST, claim_id) AS recent
    FROM speedups
    WHERE baseline IS NOT NULL AND value > 0
),
top AS (
    SELECT baseline, count(*) AS claims FROM factors
    GROUP BY baseline ORDER BY regexp_matches(baseline, '[A-Z0-9]') DESC, claims DESC, baseline LIMIT $top
)
SELECT f.claim_id, f.paper_id, f.title, strftime(f.published, '%Y-%m-%d') AS date, f.subject, f.baseline,
       f.metric, f.value, f.direction, f.qualifier, {HEDGE_SQL},
       array_to_string(f.conditions, ', ') AS conditions, f.hardware_id AS hardware, f.precision, f.text,
       f.sentence, t.claims AS baseline_claims, (hash(f.paper_id) % 1000) / 1000.0 AS jitter
FROM factors f JOIN top t USING (baseline)
WHERE f.recent <= $per_baseline
ORDER BY t.claims DESC, f.baseline, f.value
"""

COUNTS_SQL = """
SELECT count(*) AS factors, count(baseline) AS with_baseline, count(DISTINCT baseline) AS baselines
FROM speedups WHERE value > 0
"""


def build(kb: KB) -> Report:
    counts = kb.sql(COUNTS_SQL).row(0, named=True)
    if counts["with_baseline"] == 0:
        raise EmptySelectionError(f"no speedup claims with a baseline "
                                  f"({counted(counts['factors'], 'claimed factor')}, none naming a baseline)")
    rows = kb.sql(CLAIMS_SQL, {"top": TOP_BASELINES, "per_baseline": PER_BASELINE})
    order = rows.unique("baseline", maintain_order=True)["baseline"].to_list()
    table = (rows.group_by("baseline", maintain_order=True)
             .agg(claims=pl.col("baseline_claims").first(), median=pl.col("value").median(),
                  largest=pl.col("value").max(), hedged=(pl.col(HEDGE_FIELD) == "hedged").sum()))
    return Report(name=NAME, title=TITLE, chart=_chart(rows, order, counts),
                  description=_description(rows, counts), table=table)


def _chart(rows: pl.DataFrame, order: list[str], counts: dict) -> alt.LayerChart:
    x = alt.X("value:Q", title="claimed factor (×, log scale)",
              scale=alt.Scale(type="log", nice=False, padding=14), axis=alt.Axis(format="~g"))
    factors = alt.Chart(chart_data(rows)).mark_point(filled=True, size=90, opacity=0.75).encode(
        x=x,
        y=alt.Y("baseline:N", sort=order, title="baseline", axis=alt.Axis(labelLimit=240)),
        yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[0, 1], range=[5, 19])),
        shape=alt.Shape(f"{HEDGE_FIELD}:N", scale=HEDGE_SHAPES, legend=HEDGE_LEGEND),
        color=alt.Color(f"{HEDGE_FIELD}:N", scale=HEDGE_COLOURS, legend=HEDGE_LEGEND),
        tooltip=[alt.Tooltip("text:N", title="claimed"), alt.Tooltip("subject:N"), alt.Tooltip("baseline:N"),
                 alt.Tooltip("direction:N"), alt.Tooltip("metric:N"), alt.Tooltip("conditions:N"),
                 alt.Tooltip("hardware:N"), alt.Tooltip("precision:N"), alt.Tooltip("title:N", title="paper"),
                 alt.Tooltip("date:N", title="published"), alt.Tooltip("sentence:N")],
    )
    # 1x marks "no change": factors left of it are claims below parity (e.g. 0.8x the memory).
    parity = alt.Chart(alt.Data(values=[{"value": 1}])).mark_rule(color="#999", strokeDash=[4, 3]).encode(x=x)
    subtitle = (f"{counted(rows.height, 'claim')} against the {len(order)} most compared-against baselines "
                f"(of {counts['baselines']:,}); triangles: hedged (up to, more than)")
    return alt.layer(parity, factors).properties(
        width=640, height=alt.Step(26), title=alt.Title("Claimed factors by baseline", subtitle=subtitle),
    )


def _description(rows: pl.DataFrame, counts: dict) -> str:
    return (f"{counted(counts['factors'], 'claimed factor')}, {counts['with_baseline']:,} of them against a "
            f"named baseline. Shown: {counted(rows.height, 'claim')} against the "
            f"{rows['baseline'].n_unique()} most frequent baselines (at most the {PER_BASELINE} most recent "
            "per baseline), on a log scale; hedged claims are red triangles. Hover a mark for subject, "
            "conditions and sentence.")
