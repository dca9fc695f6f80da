"""Audit summary: what the audit rules found, by rule and severity (reads the findings table that
`benchkb audit` writes)."""

from __future__ import annotations

import altair as alt
import polars as pl

from benchkb.errors import EmptySelectionError
from benchkb.kb import KB
from benchkb.reporting import COUNT_AXIS, Report, chart_data, counted

NAME = "audit"
TITLE = "Audit summary"
DESCRIPTION = "Audit findings by rule and severity, with an example message for each."
NEEDS: tuple[str, ...] = ()

SEVERITY_ORDER = ["error", "warning", "info"]
SEVERITIES = alt.Scale(domain=SEVERITY_ORDER, range=["#d62728", "#ff9f1c", "#9ecae9"])

FINDINGS_SQL = """
WITH counted AS (
    SELECT rule, severity, count(*) AS findings, arg_min(message, finding_id) AS example
    FROM findings GROUP BY rule, severity
),
named AS (
    SELECT rule, severity, count(DISTINCT paper_id) AS papers
    FROM (SELECT rule, severity, unnest(paper_ids) AS paper_id FROM findings)
    GROUP BY rule, severity
)
SELECT c.rule, c.severity, c.findings, coalesce(n.papers, 0) AS papers, c.example
FROM counted c LEFT JOIN named n USING (rule, severity)
ORDER BY c.rule, list_position(['error', 'warning', 'info'], c.severity)
"""


def build(kb: KB) -> Report:
    table = kb.sql(FINDINGS_SQL)
    if table.is_empty():
        raise EmptySelectionError("no audit findings yet: run `benchkb audit` to check the claims")
    total = int(table["findings"].sum())
    rules = (
        table.group_by("rule")
        .agg(pl.col("findings").sum())
        .sort(["findings", "rule"], descending=[True, False])["rule"]
        .to_list()
    )
    return Report(
        name=NAME,
        title=TITLE,
        chart=_chart(table, rules, total),
        description=f"{counted(total, 'finding')} of the audit rules, by rule and severity; the table gives "
        "an example message for each.",
        table=table,
    )


def _chart(table: pl.DataFrame, rules: list[str], total: int) -> alt.LayerChart:
    subtitle = f"{counted(total, 'finding')} from {counted(len(rules), 'rule')}"
    title = alt.Title("Audit findings by rule and severity", subtitle=subtitle)
    base = alt.Chart(chart_data(table))
    y = alt.Y("rule:N", sort=rules, title="rule", axis=alt.Axis(labelLimit=200))
    bars = (
        base.transform_calculate(severity_rank="indexof(['error', 'warning', 'info'], datum.severity)")
        .mark_bar()
        .encode(
            x=alt.X("findings:Q", title="findings", stack="zero", axis=COUNT_AXIS),
            y=y,
            color=alt.Color("severity:N", scale=SEVERITIES, legend=alt.Legend(title="severity")),
            order=alt.Order("severity_rank:Q"),
            tooltip=[
                "rule:N",
                "severity:N",
                alt.Tooltip("findings:Q", format=","),
                alt.Tooltip("papers:Q", format=","),
                alt.Tooltip("example:N", title="for example"),
            ],
        )
    )
    # The count at the end of each bar: a rule with 2 findings next to one with 400 is still readable.
    totals = base.mark_text(align="left", dx=4, fontSize=11, color="#333").encode(
        x=alt.X("sum(findings):Q"),
        y=y,
        text=alt.Text("sum(findings):Q", format=","),
    )
    return alt.layer(bars, totals).properties(width=600, height=alt.Step(28), title=title)
