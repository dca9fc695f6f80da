"""Leaderboard: the absolute results of systems on one benchmark and metric, one row per system, one mark per
claim.

Only a system's absolute result counts (the ``absolute_scores`` view: no relative figures, no gains, no error
rates read as accuracies, no "our method"); what is left out is counted in the subtitle. Colour says who
claims the number: the system's own paper (its title names it) or another paper, which reruns or quotes it.
Hedged claims ("up to", "more than") are triangles: bounds, not plain results.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from benchkb.kb import KB
from benchkb.reporting import (
    HEDGE_FIELD,
    HEDGE_LEGEND,
    HEDGE_SHAPES,
    Report,
    ScoreSelection,
    chart_data,
    counted,
    select_scores,
)

NAME = "leaderboard"
TITLE = "Leaderboard"
DESCRIPTION = (
    "Systems' absolute results on one benchmark and metric, one row per system (the best first), one "
    "mark per claim, coloured by who claims it (the system's own paper or another); hedged claims (up "
    "to, more than) are triangles."
)
NEEDS = ("benchmark", "metric")

TOP_SYSTEMS = 15  # rows of the chart: the systems with the best claimed values; the rest are counted
PER_SYSTEM = 100  # marks per row at most (the best claim always among them); a row past that is a smear
CLAIMED_BY = alt.Scale(domain=["its own paper", "another paper"], range=["#1f77b4", "#ff7f0e"])


def build(kb: KB, *, benchmark: str | None = None, metric: str | None = None) -> Report:
    scores = select_scores(kb, benchmark=benchmark, metric=metric)
    claims = _with_system(scores.claims, higher_is_better=scores.higher_is_better)
    ranking = _ranking(claims)
    shown = ranking.head(TOP_SYSTEMS)
    rows = claims.join(shown.select("system"), on="system", how="semi")
    drawn = rows.filter(pl.col("place") < PER_SYSTEM).drop("place")
    return Report(
        name=NAME,
        title=f"Leaderboard: {scores.label}",
        chart=_chart(
            drawn,
            shown["system"].to_list(),
            scores,
            systems=ranking.height,
            claims=rows.height,
            domain=axis_domain(shown["best"]),
        ),
        description=_description(scores, drawn, systems=ranking.height),
        table=shown,
    )


def _with_system(claims: pl.DataFrame, *, higher_is_better: bool) -> pl.DataFrame:
    """Per claim: a row label (the system), a short paper title, who claims it (the system's own paper when
    its title names the system or its stem, "DaViT" for DaViT-Giant; else another paper), a jitter from the
    paper's id that keeps equal values of different papers apart, and its place within its row (best claim
    first, the rest in hash order)."""
    labelled = claims.with_columns(
        system=pl.col("subject"),
        paper=_shortened(pl.col("title"), 70),
        claimed_by=pl.when(own_paper(pl.col("title"), pl.col("subject")))
        .then(pl.lit("its own paper"))
        .otherwise(pl.lit("another paper")),
        jitter=(pl.col("paper_id").hash(seed=7) % 1000).cast(pl.Float64) / 1000.0,
    )
    best = pl.col("value").max() if higher_is_better else pl.col("value").min()
    order = (
        pl.when(pl.col("value") == best.over("system"))
        .then(0)
        .otherwise(1 + pl.col("claim_id").hash(seed=3) // 2)
    )
    return (
        labelled.with_columns(order=order)
        .with_columns(place=pl.col("order").rank("ordinal").over("system") - 1)
        .sort(["value", "published", "claim_id"], descending=[higher_is_better, True, False], nulls_last=True)
        .drop("order")
    )


def own_paper(title: pl.Expr, subject: pl.Expr) -> pl.Expr:
    """Whether the title names the system: its stem as a word ("DaViT" of DaViT-Giant; not "NoT" in
    "Notes"), or the whole name without spaces and hyphens when it is long enough not to hide in other words
    ("GuardedRepair" in "Guarded Repair for ...")."""
    stem = subject.str.to_lowercase().str.split("-").list.first().str.split(" ").list.first()
    key = subject.str.to_lowercase().str.replace_all(r"[^a-z0-9]", "")
    title_key = title.str.to_lowercase().str.replace_all(r"[^a-z0-9]", "")
    stem_as_word = pl.lit(r"(^|[^a-z0-9])") + stem.str.escape_regex() + pl.lit(r"($|[^a-z0-9])")
    return title.str.to_lowercase().str.contains(stem_as_word) | (
        (key.str.len_chars() >= 6) & title_key.str.contains(key, literal=True)
    )


def _shortened(title: pl.Expr, limit: int) -> pl.Expr:
    return (
        pl.when(title.str.len_chars() <= limit)
        .then(title)
        .otherwise(title.str.slice(0, limit - 1).str.strip_chars_end() + "…")
    )


def _ranking(claims: pl.DataFrame) -> pl.DataFrame:
    """One row per system with its best claim, best first (``claims`` come sorted best first)."""
    return claims.group_by("system", maintain_order=True).agg(
        best=pl.col("value").first(),
        claimed=pl.col("text").first(),
        qualifier=pl.col("qualifier").first(),
        claims=pl.len(),
        papers=pl.col("paper_id").n_unique(),
        paper=pl.col("title").first(),
        published=pl.col("published").first(),
    )


def axis_domain(best: pl.Series) -> list[float]:
    """The value axis spans the shown systems' best values with a margin, not the metric's whole range: a
    board of results between 84 and 98 is drawn across 84-98, not crowded into a corner of 0-100."""
    low, high = float(best.min()), float(best.max())
    margin = max((high - low) * 0.08, abs(high) * 0.01, 0.5)
    return [low - margin, high + margin]


def _chart(
    rows: pl.DataFrame,
    order: list[str],
    scores: ScoreSelection,
    *,
    systems: int,
    claims: int,
    domain: list[float],
) -> alt.Chart:
    better = "higher is better" if scores.higher_is_better else "lower is better"
    outside = rows.filter((pl.col("value") < domain[0]) | (pl.col("value") > domain[1])).height
    title = alt.Title(
        f"{scores.label}: claimed values by system",
        subtitle=_subtitle(rows, systems, claims, scores.left_out_line, outside),
    )
    return (
        alt.Chart(chart_data(rows), title=title)
        .mark_point(
            filled=True,
            size=120,
            opacity=0.85,
            stroke="#333",
            strokeWidth=0.5,
            clip=True,
        )
        .encode(
            x=alt.X(
                "value:Q",
                title=f"{scores.metric or 'value'}{scores.unit_suffix}, {better}",
                scale=alt.Scale(zero=False, domain=domain, nice=False),
            ),
            y=alt.Y("system:N", sort=order, title=None, axis=alt.Axis(labelLimit=280)),
            yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[0, 1], range=[6, 20])),
            color=alt.Color("claimed_by:N", scale=CLAIMED_BY, legend=alt.Legend(title="claimed by")),
            shape=alt.Shape(f"{HEDGE_FIELD}:N", scale=HEDGE_SHAPES, legend=HEDGE_LEGEND),
            tooltip=[
                alt.Tooltip("system:N"),
                alt.Tooltip("text:N", title="claimed"),
                alt.Tooltip("qualifier:N"),
                alt.Tooltip("converted_from:N", title="converted from"),
                alt.Tooltip("metric_inferred:N", title="metric inferred"),
                alt.Tooltip("unit_inferred:N", title="written without its unit"),
                alt.Tooltip("claimed_by:N"),
                alt.Tooltip("title:N", title="paper"),
                alt.Tooltip("date:N", title="published"),
                alt.Tooltip("sentence:N"),
            ],
        )
        .properties(width=640, height=alt.Step(26))
    )


def _subtitle(rows: pl.DataFrame, systems: int, claims: int, left_out: str, outside: int) -> list[str]:
    hedged = rows.filter(pl.col(HEDGE_FIELD) == "hedged").height
    papers = counted(rows["paper_id"].n_unique(), "paper")
    lines = [f"{counted(rows.height, 'claim')} from {papers}; {hedged} hedged (triangles)"]
    if systems > TOP_SYSTEMS:
        lines.append(
            f"the {TOP_SYSTEMS} systems with the best claimed values; {systems - TOP_SYSTEMS:,} more "
            "systems not shown"
        )
    if outside:
        lines.append(
            f"{counted(outside, 'lesser claim')} of these systems beyond the axis, which spans their best "
            "values"
        )
    if left_out:
        lines.append(left_out)
    if claims > rows.height:
        lines.append(f"at most {PER_SYSTEM} claims per system (each system's best among them), of {claims:,}")
    return lines


def _description(scores: ScoreSelection, rows: pl.DataFrame, *, systems: int) -> str:
    text = (
        f"Absolute results of systems on {scores.benchmark} with metric {scores.metric or '(none named)'}: "
        f"{counted(rows.height, 'claim')} by {counted(min(systems, TOP_SYSTEMS), 'system')} of "
        f"{systems:,}, one mark per claim, coloured by who claims it; hedged claims are triangles. Hover a "
        "mark for its sentence, paper and date."
    )
    if scores.left_out_line:
        text += f" Score claims {scores.left_out_line} (the score_claims view says why, claim by claim)."
    return text
