"""Progress over time: each system's absolute result on one benchmark and metric at its paper's date, with a
step line of the best value claimed so far (higher or lower is better as the catalog says for the metric).

A date is drawn as precise as its source gives it: a paper known only by its year (most venue records) is a
bar across that year, never a point on 1 January, and counts for the best-so-far line from the end of its
year.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl

from benchkb.errors import EmptySelectionError
from benchkb.kb import KB
from benchkb.reporting import (
    HEDGE_COLOURS,
    HEDGE_FIELD,
    HEDGE_LEGEND,
    HEDGE_SHAPES,
    Report,
    ScoreSelection,
    chart_data,
    counted,
    select_scores,
)

NAME = "progress"
TITLE = "Progress over time"
DESCRIPTION = (
    "Systems' absolute results on one benchmark and metric at their papers' dates (a year-only date as "
    "a bar across its year), with a step line of the best value claimed so far."
)
NEEDS = ("benchmark", "metric")

MAX_POINTS = 1500  # beyond this the points are thinned (record-setting claims are always kept)


def build(kb: KB, *, benchmark: str | None = None, metric: str | None = None) -> Report:
    scores = select_scores(kb, benchmark=benchmark, metric=metric)
    dated = _spans(scores.claims.filter(pl.col("published").is_not_null()))
    if dated.is_empty():
        raise EmptySelectionError(
            f"none of the {counted(scores.claims.height, 'score claim')} on {scores.label} has a date"
        )
    frontier = best_so_far(dated, higher_is_better=scores.higher_is_better)
    points = _thin(dated, frontier)
    return Report(
        name=NAME,
        title=f"Progress: {scores.label}",
        chart=_chart(points, frontier, scores, dated=dated.height),
        description=_description(scores, dated=dated.height, shown=points.height),
        table=frontier.filter(pl.col("record")).select("date", "best", "subject", "text", "title"),
    )


def _spans(claims: pl.DataFrame) -> pl.DataFrame:
    """Each claim's date as the interval its precision allows (``start``, ``end``: a day, a month or a year)
    and ``known_by``, the interval's last day, by which the claim was public."""
    rows = claims.with_columns(start=pl.col("published"))
    ends = [_interval_end(day, precision) for day, precision in zip(rows["published"], rows["precision"])]
    return rows.with_columns(end=pl.Series(ends, dtype=pl.Date)).with_columns(known_by=pl.col("end"))


def _interval_end(day: dt.date, precision: str) -> dt.date:
    if precision == "year":
        return dt.date(day.year, 12, 31)
    if precision == "month":
        following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return day


def best_so_far(claims: pl.DataFrame, *, higher_is_better: bool) -> pl.DataFrame:
    """One row per date by which claims were public: the best value claimed up to that date, and whether that
    date set a new record (with the claim that did). A year-only claim counts from the end of its year."""
    per_date = (
        claims.sort(["value", "claim_id"], descending=[higher_is_better, False])
        .group_by("known_by", maintain_order=True)
        .agg(
            pl.col("value").first().alias("day_best"),
            pl.col("subject").first(),
            pl.col("text").first(),
            pl.col("title").first(),
            pl.col("date").first(),
        )
        .sort("known_by")
    )
    running = pl.col("day_best").cum_max() if higher_is_better else pl.col("day_best").cum_min()
    frontier = per_date.with_columns(best=running)
    return frontier.with_columns(record=pl.col("best") != pl.col("best").shift(1).fill_null(float("nan")))


def _thin(claims: pl.DataFrame, frontier: pl.DataFrame) -> pl.DataFrame:
    """Every claim when few; else the record-setting ones plus a deterministic sample of the rest."""
    if claims.height <= MAX_POINTS:
        return claims
    records = frontier.filter(pl.col("record")).select("known_by", pl.col("best").alias("value"))
    setters = claims.join(records, on=["known_by", "value"], how="semi")
    others = claims.join(setters, on="claim_id", how="anti")
    sample = (
        others.with_columns(key=pl.col("claim_id").hash(seed=11))
        .sort("key")
        .head(max(MAX_POINTS - setters.height, 0))
        .drop("key")
    )
    return pl.concat([setters, sample]).sort("published")


def _chart(
    points: pl.DataFrame, frontier: pl.DataFrame, scores: ScoreSelection, *, dated: int
) -> alt.LayerChart:
    better = "higher is better" if scores.higher_is_better else "lower is better"

    def x(field: str) -> alt.X:
        return alt.X(
            f"{field}:T",
            title="paper date (a bar: known only to the month or year)",
            scale=alt.Scale(type="utc"),
            axis=alt.Axis(format="%Y", labelAngle=0, tickCount="year"),
        )

    y = alt.Y(
        "value:Q",
        title=f"{scores.metric or 'value'}{scores.unit_suffix}, {better}",
        scale=alt.Scale(zero=False, nice=True),
    )
    tooltip = [
        alt.Tooltip("subject:N", title="system"),
        alt.Tooltip("text:N", title="claimed"),
        alt.Tooltip("converted_from:N", title="converted from"),
        alt.Tooltip("title:N", title="paper"),
        alt.Tooltip("date:N", title="published"),
        alt.Tooltip("sentence:N"),
    ]
    hedge_colour = alt.Color(f"{HEDGE_FIELD}:N", scale=HEDGE_COLOURS, legend=HEDGE_LEGEND)
    steps = (
        alt.Chart(
            chart_data(frontier.select(pl.col("known_by").alias("date"), pl.col("best").alias("value")))
        )
        .mark_line(interpolate="step-after", color="#222", strokeWidth=2, opacity=0.7)
        .encode(x=x("date"), y=y)
    )
    days = (
        alt.Chart(chart_data(points.filter(pl.col("precision") == "day")))
        .mark_point(filled=True, size=90, opacity=0.8)
        .encode(
            x=x("start"),
            y=y,
            shape=alt.Shape(f"{HEDGE_FIELD}:N", scale=HEDGE_SHAPES, legend=HEDGE_LEGEND),
            color=hedge_colour,
            tooltip=tooltip,
        )
    )
    spans = (
        alt.Chart(chart_data(points.filter(pl.col("precision") != "day")))
        .mark_rule(strokeWidth=3, opacity=0.6)
        .encode(x=x("start"), x2="end:T", y=y, color=hedge_colour, tooltip=tooltip)
    )
    subtitle = (
        f"{points.height:,} of {counted(dated, 'dated claim')}; line: best value claimed so far "
        f"({better}); {scores.left_out_line}".rstrip("; ")
    )
    title = alt.Title(f"{scores.label}: claimed values over time", subtitle=subtitle)
    layers = [steps] + [
        layer
        for layer, rows in (
            (spans, points.filter(pl.col("precision") != "day")),
            (days, points.filter(pl.col("precision") == "day")),
        )
        if not rows.is_empty()
    ]  # an empty layer would make Vega warn of an infinite extent
    return alt.layer(*layers).properties(width=700, height=380, title=title)


def _description(scores: ScoreSelection, *, dated: int, shown: int) -> str:
    text = (
        f"Score claims on {scores.benchmark} with metric {scores.metric or '(none named)'} at their "
        f"papers' dates ({shown:,} of {dated:,} shown); the step line is the best value claimed so far. "
        "Hedged claims are red triangles; a paper dated only by its year is a bar across that year."
    )
    undated = scores.claims.height - dated
    if undated:
        text += f" {counted(undated, 'claim')} from papers without a date are left out."
    if scores.left_out_line:
        text += f" Score claims {scores.left_out_line} (the score_claims view says why, claim by claim)."
    return text
