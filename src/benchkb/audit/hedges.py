"""Rule ``hedge``: leaderboard positions that rest on a best case ("up to", "more than").

The ``leaderboard`` view keeps each subject's best claim per benchmark, metric and unit; a hedged claim is a
best case or a bound, not a typical result, so an entry resting on one is flagged: a warning when it leads a
board of two or more subjects, info otherwise. Which qualifiers count is ``hedge_qualifiers`` in the settings.
"""

from __future__ import annotations

from typing import Any

from benchkb.audit.context import AuditContext, finding
from benchkb.models import Finding

RULE = "hedge"

_HEDGED_ENTRIES = """
WITH board AS (
    SELECT *,
           rank() OVER (PARTITION BY benchmark, metric, unit
                        ORDER BY CASE WHEN higher_is_better THEN -value ELSE value END) AS position,
           count(*) OVER (PARTITION BY benchmark, metric, unit) AS entries
    FROM leaderboard
)
SELECT claim_id, paper_id, benchmark, metric, unit, subject, value, text, qualifier, position, entries,
       higher_is_better
FROM board
WHERE list_contains($hedges, qualifier)
ORDER BY claim_id
"""


def check_hedge(ctx: AuditContext) -> list[Finding]:
    """Leaderboard entries whose best claim is hedged."""
    rows = ctx.query(_HEDGED_ENTRIES, {"hedges": list(ctx.settings.hedge_qualifiers)})
    return [_hedged(row) for row in rows.iter_rows(named=True)]


def _hedged(row: dict[str, Any]) -> Finding:
    leads = row["position"] == 1 and row["entries"] > 1
    board = f"{row['benchmark']}" + (f" ({row['metric']})" if row["metric"] else "")
    place = "leads" if leads else f"is at position {row['position']} of {row['entries']} on"
    message = (
        f"{row['subject']} {place} the {board} leaderboard with '{row['text']}', "
        f"{_article(row['qualifier'])} '{row['qualifier']}' claim from paper {row['paper_id']}: "
        "a best case, not a typical result."
    )
    evidence = {
        "subject": row["subject"],
        "benchmark": row["benchmark"],
        "metric": row["metric"],
        "unit": row["unit"],
        "value": row["value"],
        "qualifier": row["qualifier"],
        "position": row["position"],
        "entries": row["entries"],
        "higher_is_better": row["higher_is_better"],
    }
    return finding(RULE, "warning" if leads else "info", message, [row], evidence)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
