"""Overview: what the knowledge base holds. Claims per kind, per month, per benchmark family, and the
benchmarks the most papers report."""

from __future__ import annotations

import altair as alt
import polars as pl

from benchkb.errors import EmptySelectionError
from benchkb.kb import KB
from benchkb.reporting import COUNT_AXIS, Report, chart_data, counted

NAME = "overview"
TITLE = "Overview"
DESCRIPTION = "Claims per kind, per month and per benchmark family; the most reported benchmarks."
NEEDS: tuple[str, ...] = ()

TOP = 15  # bars in the family and benchmark panels
KIND_ORDER = ["score", "ratio", "change", "setup"]
KINDS = alt.Scale(domain=KIND_ORDER, range=["#4c78a8", "#f58518", "#54a24b", "#b6b6b6"])
CATALOG = alt.Scale(domain=["in the catalog", "not in the catalog"], range=["#4c78a8", "#bab0ac"])

# Every panel is an aggregate computed in SQL: a corpus has a million claims, the chart a few hundred marks.
KINDS_SQL = "SELECT kind, count(*) AS claims FROM claims GROUP BY kind ORDER BY claims DESC"
PERIODS_SQL = """
SELECT strftime(date_trunc($grain, p.published), '%Y-%m-%d') AS period, c.kind,
       list_position(['score', 'ratio', 'change', 'setup'], c.kind) AS kind_rank, count(*) AS claims
FROM claims c JOIN papers p USING (paper_id)
WHERE p.published IS NOT NULL
GROUP BY ALL ORDER BY period, c.kind
"""
SPAN_SQL = "SELECT date_diff('month', min(published), max(published)) AS months FROM papers"
# The period of the time panel: months while they stay wide enough to see, else quarters or years
# (a corpus of conference abstracts reaches back to the 1980s).
GRAINS = [
    (72, "month", "utcyearmonth", "%b %Y"),
    (240, "quarter", "utcyearquarter", "Q%q %Y"),
    (None, "year", "utcyear", "%Y"),
]
FAMILIES_SQL = """
SELECT benchmark_family AS family, count(*) AS claims, count(DISTINCT paper_id) AS papers
FROM results WHERE benchmark_id IS NOT NULL
GROUP BY ALL ORDER BY claims DESC, family LIMIT $top
"""
BENCHMARKS_SQL = """
SELECT benchmark, any_value(benchmark_family) AS family, count(DISTINCT paper_id) AS papers,
       count(*) AS claims,
       CASE WHEN bool_or(benchmark_id IS NOT NULL) THEN 'in the catalog' ELSE 'not in the catalog' END
           AS catalog
FROM results WHERE benchmark IS NOT NULL
GROUP BY benchmark ORDER BY papers DESC, claims DESC, benchmark LIMIT $top
"""


def build(kb: KB) -> Report:
    kinds = kb.sql(KINDS_SQL)
    if kinds.is_empty():
        raise EmptySelectionError("no claims in this knowledge base yet: run `benchkb ingest FILE` first")
    families = kb.sql(FAMILIES_SQL, {"top": TOP})
    grain = _grain(kb.sql(SPAN_SQL)["months"][0])
    periods = kb.sql(PERIODS_SQL, {"grain": grain[1]})
    benchmarks = kb.sql(BENCHMARKS_SQL, {"top": TOP})
    holdings = (
        f"{counted(int(kinds['claims'].sum()), 'claim')} in "
        f"{counted(int(kb.sql('SELECT count(*) AS n FROM papers')['n'][0]), 'paper')}"
    )
    family_panel = (
        _families(families)
        if families.height
        else _note(
            "Result claims per catalog benchmark family",
            "no result claim names a benchmark of the catalog",
            360,
        )
    )
    period_panel = (
        _periods(periods, grain)
        if periods.height
        else _note("Claims by date of publication", "no paper has a publication date", 760)
    )
    benchmark_panel = (
        _benchmarks(benchmarks)
        if benchmarks.height
        else _note("Most reported benchmarks", "no result claim names a benchmark", 640)
    )
    chart = alt.vconcat(
        alt.hconcat(_kinds(kinds), family_panel, spacing=60),
        period_panel,
        benchmark_panel,
        spacing=40,
        title=alt.Title("What the knowledge base holds", subtitle=holdings),
    )
    return Report(
        name=NAME,
        title=TITLE,
        chart=chart.resolve_scale(color="independent"),
        description=f"{holdings}: by kind, by {grain[1]} of publication, by benchmark family (top {TOP} of "
        f"the catalog's), and the {TOP} benchmarks the most papers report.",
        table=benchmarks,
    )


def _kinds(kinds: pl.DataFrame) -> alt.Chart:
    return (
        alt.Chart(chart_data(kinds), title="Claims per kind")
        .mark_bar()
        .encode(
            x=alt.X("claims:Q", title="claims", axis=COUNT_AXIS),
            y=alt.Y("kind:N", sort="-x", title=None),
            color=alt.Color("kind:N", scale=KINDS, legend=None),
            tooltip=["kind:N", alt.Tooltip("claims:Q", format=",")],
        )
        .properties(width=220, height=alt.Step(24))
    )


def _families(families: pl.DataFrame) -> alt.Chart:
    title = f"Result claims per catalog benchmark family (top {TOP})"
    return (
        alt.Chart(chart_data(families), title=title)
        .mark_bar(color="#4c78a8")
        .encode(
            x=alt.X("claims:Q", title="result claims", axis=COUNT_AXIS),
            y=alt.Y("family:N", sort="-x", title=None, axis=alt.Axis(labelLimit=200)),
            tooltip=["family:N", alt.Tooltip("claims:Q", format=","), alt.Tooltip("papers:Q", format=",")],
        )
        .properties(width=360, height=alt.Step(18))
    )


def _grain(months: int | None) -> tuple:
    return next(grain for grain in GRAINS if grain[0] is None or (months or 0) <= grain[0])


def _periods(periods: pl.DataFrame, grain: tuple) -> alt.Chart:
    _, name, time_unit, label = grain
    period = alt.X("period:T", title=name, timeUnit=time_unit, axis=alt.Axis(format=label, labelAngle=0))
    return (
        alt.Chart(chart_data(periods), title=f"Claims per {name} of publication")
        .mark_bar()
        .encode(
            x=period,
            y=alt.Y("sum(claims):Q", title="claims", axis=COUNT_AXIS),
            color=alt.Color("kind:N", scale=KINDS, legend=alt.Legend(title="kind", orient="right")),
            order=alt.Order("kind_rank:Q"),
            tooltip=[
                alt.Tooltip("period:T", timeUnit=time_unit, title=name),
                "kind:N",
                alt.Tooltip("sum(claims):Q", title="claims", format=","),
            ],
        )
        .properties(width=760, height=200)
    )


def _benchmarks(benchmarks: pl.DataFrame) -> alt.Chart:
    title = f"Most reported benchmarks (top {TOP} by papers)"
    return (
        alt.Chart(chart_data(benchmarks), title=title)
        .mark_bar()
        .encode(
            x=alt.X("papers:Q", title="papers reporting a result", axis=COUNT_AXIS),
            y=alt.Y("benchmark:N", sort="-x", title=None, axis=alt.Axis(labelLimit=240)),
            color=alt.Color("catalog:N", title=None, scale=CATALOG),
            tooltip=[
                "benchmark:N",
                "family:N",
                alt.Tooltip("papers:Q", format=","),
                alt.Tooltip("claims:Q", format=","),
            ],
        )
        .properties(width=640, height=alt.Step(18))
    )


def _note(title: str, text: str, width: int) -> alt.Chart:
    """A panel that says why it is empty, rather than an empty frame a reader must puzzle over."""
    return (
        alt.Chart(alt.Data(values=[{"note": text}]), title=title)
        .mark_text(
            align="left",
            x=0,
            y=20,
            fontSize=13,
            color="#8a4b00",
        )
        .encode(text="note:N")
        .properties(width=width, height=40)
    )
