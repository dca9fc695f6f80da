"""Speedups: the multiplicative factors papers claim ("3.1x faster than cuDNN"), by baseline, on a log scale,
one panel per thing the factor measures (speed, memory, cost), so a kernel's 1.5x is not read against a 100x
cheaper API.

Hedged factors ("up to 12x") are marked apart from plain ones: the headline number of a paper is often its
best case, and the chart shows how much of a baseline's reputation rests on such ceilings.
"""

from __future__ import annotations

import math

import altair as alt
import polars as pl

from benchkb.errors import EmptySelectionError
from benchkb.kb import KB
from benchkb.reporting import (
    DATE_SQL,
    HEDGE_COLOURS,
    HEDGE_FIELD,
    HEDGE_LEGEND,
    HEDGE_SHAPES,
    HEDGE_SQL,
    Report,
    chart_data,
    counted,
)

NAME = "speedups"
TITLE = "Speedups by baseline"
DESCRIPTION = (
    "Claimed factors by baseline on a log scale, one panel per thing they measure (speed, memory, "
    "cost), hedged vs. plain, with subject and conditions in the tooltip."
)
NEEDS: tuple[str, ...] = ()

MEASURES = {
    "speed": "speed (faster, lower latency, higher throughput)",
    "memory": "memory (smaller, less memory, fewer parameters)",
    "cost": "cost (cheaper, less energy, fewer FLOPs or tokens)",
}
TOP_BASELINES = 10  # rows per panel: the most compared-against baselines
PER_BASELINE = 80  # marks per row at most: the most recent claims
LOG_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)

# Ranked and limited in SQL: a corpus holds tens of thousands of factors. Named baselines ("cuDNN", "GPT-4o",
# anything with a capital or a digit) come before generic ones ("existing methods"), which say little on a
# chart.
CLAIMS_SQL = f"""
WITH factors AS (
    SELECT *, row_number() OVER (PARTITION BY measures, baseline ORDER BY published DESC NULLS LAST, claim_id)
              AS recent
    FROM speedups
    WHERE baseline IS NOT NULL AND value > 0 AND measures IN ('speed', 'memory', 'cost')
),
counted AS (
    SELECT measures, baseline, count(*) AS claims,
           row_number() OVER (PARTITION BY measures ORDER BY regexp_matches(baseline, '[A-Z0-9]') DESC,
                                                          count(*) DESC, baseline) AS place
    FROM factors GROUP BY measures, baseline
)
SELECT f.claim_id, f.paper_id, f.title, {DATE_SQL}, f.subject, f.baseline, f.measures, f.metric, f.value,
       f.direction, f.qualifier, {HEDGE_SQL}, array_to_string(f.conditions, ', ') AS conditions,
       f.hardware_id AS hardware, f.precision, f.text, f.sentence, t.claims AS baseline_claims,
       (hash(f.paper_id) % 1000) / 1000.0 AS jitter
FROM factors f JOIN counted t USING (measures, baseline)
WHERE t.place <= $top AND f.recent <= $per_baseline
ORDER BY f.measures, t.place, f.value
"""

COUNTS_SQL = """
SELECT measures, count(*) AS factors, count(baseline) AS with_baseline, count(DISTINCT baseline) AS baselines
FROM speedups WHERE value > 0 GROUP BY measures
"""


def build(kb: KB) -> Report:
    counts = {row["measures"]: row for row in kb.sql(COUNTS_SQL).iter_rows(named=True)}
    rows = kb.sql(CLAIMS_SQL, {"top": TOP_BASELINES, "per_baseline": PER_BASELINE})
    if rows.is_empty():
        factors = sum(row["factors"] for row in counts.values())
        raise EmptySelectionError(
            f"no speedup claims with a baseline that measure speed, memory or cost "
            f"({counted(factors, 'claimed factor')} in all)"
        )
    table = rows.group_by(["measures", "baseline"], maintain_order=True).agg(
        claims=pl.col("baseline_claims").first(),
        median=pl.col("value").median(),
        largest=pl.col("value").max(),
        hedged=(pl.col(HEDGE_FIELD) == "hedged").sum(),
    )
    return Report(
        name=NAME,
        title=TITLE,
        chart=_chart(rows, counts),
        description=_description(rows, counts),
        table=table,
    )


def log_ticks(values: pl.Series) -> list[float]:
    """1-2-5 ticks spanning ``values`` (and 1x), so a log axis reads below 1 as well as above."""
    low, high = min(values.min(), 1.0), max(values.max(), 1.0)
    ticks = [tick for tick in LOG_TICKS if low / 2.5 <= tick <= high * 2.5]
    return ticks if len(ticks) <= 12 else [tick for tick in ticks if math.log10(tick) % 1 == 0]


def _chart(rows: pl.DataFrame, counts: dict) -> alt.VConcatChart:
    x = alt.X(
        "value:Q",
        title="claimed factor (×, log scale; left of 1×: below the baseline)",
        scale=alt.Scale(
            type="log",
            nice=False,
            padding=14,
            domain=[min(rows["value"].min(), 0.8), max(rows["value"].max(), 1.25)],
        ),
        axis=alt.Axis(values=log_ticks(rows["value"]), format="~g", grid=True),
    )
    panels = []
    for measure, label in MEASURES.items():
        part = rows.filter(pl.col("measures") == measure)
        if part.is_empty():
            continue
        order = part.unique("baseline", maintain_order=True)["baseline"].to_list()
        factors = (
            alt.Chart(chart_data(part))
            .mark_point(filled=True, size=80, opacity=0.75)
            .encode(
                x=x,
                y=alt.Y("baseline:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)),
                yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[0, 1], range=[5, 19])),
                shape=alt.Shape(f"{HEDGE_FIELD}:N", scale=HEDGE_SHAPES, legend=HEDGE_LEGEND),
                color=alt.Color(f"{HEDGE_FIELD}:N", scale=HEDGE_COLOURS, legend=HEDGE_LEGEND),
                tooltip=[
                    alt.Tooltip("text:N", title="claimed"),
                    alt.Tooltip("subject:N"),
                    alt.Tooltip("baseline:N"),
                    alt.Tooltip("direction:N"),
                    alt.Tooltip("metric:N"),
                    alt.Tooltip("conditions:N"),
                    alt.Tooltip("hardware:N"),
                    alt.Tooltip("precision:N"),
                    alt.Tooltip("title:N", title="paper"),
                    alt.Tooltip("date:N", title="published"),
                    alt.Tooltip("sentence:N"),
                ],
            )
        )
        # 1x marks "no change": factors left of it are claims below parity (e.g. 0.8x the memory).
        parity = (
            alt.Chart(alt.Data(values=[{"value": 1}])).mark_rule(color="#999", strokeDash=[4, 3]).encode(x=x)
        )
        known = counts.get(measure, {})
        subtitle = (
            f"{counted(part.height, 'claim')} against the {len(order)} most compared-against baselines "
            f"(of {known.get('baselines', 0):,})"
        )
        panels.append(
            alt.layer(parity, factors).properties(
                width=640, height=alt.Step(24), title=alt.Title(label, subtitle=subtitle, fontSize=14)
            )
        )
    other = counts.get("other", {}).get("factors", 0)
    title = alt.Title(
        "Claimed factors by baseline",
        subtitle=(
            "triangles: hedged (up to, more than); "
            f"{counted(other, 'factor')} measuring something else not shown"
        ),
    )
    return alt.vconcat(*panels, title=title).resolve_scale(x="shared")


def _description(rows: pl.DataFrame, counts: dict) -> str:
    factors = sum(row["factors"] for row in counts.values())
    by_measure = ", ".join(f"{counts[m]['factors']:,} {m}" for m in MEASURES if m in counts)
    return (
        f"{counted(factors, 'claimed factor')} ({by_measure}, "
        f"{counts.get('other', {}).get('factors', 0):,} other). Shown: {counted(rows.height, 'claim')} "
        f"against the {TOP_BASELINES} most frequent baselines of each measure (at most the {PER_BASELINE} "
        "most recent per baseline), on a log scale; hedged claims are red triangles. Hover a mark for "
        "subject, conditions and sentence."
    )
