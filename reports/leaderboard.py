"""Leaderboard: every value claimed on one benchmark and metric, by model or system, one mark per claim.

Marks are coloured by paper, so that one paper's numbers read together, and hedged claims ("up to", "more
than") are triangles: a reader sees at a glance which numbers are bounds rather than plain results.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from benchkb.kb import KB
from benchkb.reporting import (
    HEDGE_FIELD, HEDGE_LEGEND, HEDGE_SHAPES, Report, ScoreSelection, chart_data, counted, select_scores,
)

NAME = "leaderboard"
TITLE = "Leaderboard"
DESCRIPTION = ("Claimed values on one benchmark and metric by model or system, one mark per claim, coloured "
               "by paper; hedged claims (up to, more than) are triangles.")
NEEDS = ("benchmark", "metric")

TOP_SYSTEMS = 25     # rows of the chart: the systems with the best claimed values
PER_SYSTEM = 100     # marks per row at most (the best claim always among them); a row past that is a smear
LEGEND_PAPERS = 12   # past this the colour legend outgrows the chart; the tooltip names the paper anyway


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
        chart=_chart(drawn, shown["system"].to_list(), scores, systems=ranking.height, claims=rows.height),
        description=_description(scores, drawn, systems=ranking.height),
        table=shown,
    )


def _with_system(claims: pl.DataFrame, *, higher_is_better: bool) -> pl.DataFrame:
    """Per claim: a row label (the subject or, for a claim that names none, its paper, usually the paper's own
    method), a short paper title for the colour, a jitter from the paper's id that keeps equal values of
    different papers apart, and its place within its row (best claim first, the rest in hash order)."""
    unnamed = pl.lit("(unnamed) ") + _shortened(pl.col("title"), 40)
    labelled = claims.with_columns(
        system=pl.coalesce(pl.col("subject"), unnamed),
        paper=_shortened(pl.col("title"), 70),
        jitter=(pl.col("paper_id").hash(seed=7) % 1000).cast(pl.Float64) / 1000.0,
    )
    best = pl.col("value").max() if higher_is_better else pl.col("value").min()
    order = pl.when(pl.col("value") == best.over("system")).then(0).otherwise(
        1 + pl.col("claim_id").hash(seed=3) // 2)
    return (labelled.with_columns(order=order)
            .with_columns(place=pl.col("order").rank("ordinal").over("system") - 1)
            .sort(["value", "published", "claim_id"], descending=[higher_is_better, True, False],
                  nulls_last=True)
            .drop("order"))


def _shortened(title: pl.Expr, limit: int) -> pl.Expr:
    return pl.when(title.str.len_chars() <= limit).then(title).otherwise(
        title.str.slice(0, limit - 1).str.strip_chars_end() + "…")


def _ranking(claims: pl.DataFrame) -> pl.DataFrame:
    """One row per system with its best claim, best first (``claims`` come sorted best first)."""
    return (
        claims.group_by("system", maintain_order=True)
        .agg(best=pl.col("value").first(), claimed=pl.col("text").first(),
             qualifier=pl.col("qualifier").first(), claims=pl.len(), papers=pl.col("paper_id").n_unique(),
             paper=pl.col("title").first(), published=pl.col("published").first())
    )


def _chart(rows: pl.DataFrame, order: list[str], scores: ScoreSelection, *, systems: int,
           claims: int) -> alt.Chart:
    papers = rows["paper_id"].n_unique()
    better = "higher is better" if scores.higher_is_better else "lower is better"
    legend = alt.Legend(title="paper", orient="bottom", columns=1) if papers <= LEGEND_PAPERS else None
    title = alt.Title(f"{scores.label}: claimed values by system", subtitle=_subtitle(rows, systems, claims))
    return alt.Chart(chart_data(rows), title=title).mark_point(
        filled=True, size=120, opacity=0.85, stroke="#333", strokeWidth=0.5,
    ).encode(
        x=alt.X("value:Q", title=f"{scores.metric or 'value'}{scores.unit_suffix}, {better}",
                scale=alt.Scale(zero=False)),
        y=alt.Y("system:N", sort=order, title=None, axis=alt.Axis(labelLimit=280)),
        yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[0, 1], range=[6, 20])),
        color=alt.Color("paper:N", legend=legend,
                        scale=alt.Scale(scheme="tableau10" if papers <= 10 else "tableau20")),
        shape=alt.Shape(f"{HEDGE_FIELD}:N", scale=HEDGE_SHAPES, legend=HEDGE_LEGEND),
        tooltip=[alt.Tooltip("system:N"), alt.Tooltip("text:N", title="claimed"), alt.Tooltip("qualifier:N"),
                 alt.Tooltip("title:N", title="paper"), alt.Tooltip("date:N", title="published"),
                 alt.Tooltip("sentence:N")],
    ).properties(width=640, height=alt.Step(26))


def _subtitle(rows: pl.DataFrame, systems: int, claims: int) -> list[str]:
    hedged = rows.filter(pl.col(HEDGE_FIELD) == "hedged").height
    papers = counted(rows["paper_id"].n_unique(), "paper")
    lines = [f"{counted(rows.height, 'claim')} from {papers}; {hedged} hedged (triangles)"]
    if systems > TOP_SYSTEMS:
        lines.append(f"the {TOP_SYSTEMS} systems with the best claimed values, of {systems:,}")
    if claims > rows.height:
        lines.append(f"at most {PER_SYSTEM} claims per system (each system's best among them), of {claims:,}")
    return lines


def _description(scores: ScoreSelection, rows: pl.DataFrame, *, systems: int) -> str:
    text = (f"Score claims on {scores.benchmark} with metric {scores.metric or '(none named)'}: "
            f"{counted(rows.height, 'claim')} by {counted(min(systems, TOP_SYSTEMS), 'system')}, one mark "
            "per claim, coloured by paper; hedged claims are triangles. Hover a mark for its sentence, paper "
            "and date.")
    if scores.left_out:
        text += (f" {counted(scores.left_out, 'claim')} in another unit than {scores.unit or 'none'} or "
                 "outside the metric's range are left out.")
    return text
