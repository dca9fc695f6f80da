"""The audit: rules run over the knowledge base that say which claims hold up, written to the ``findings``
table.

    from benchkb.audit import RULES, run_audit
    with Store("benchkb.duckdb") as store:
        summary = run_audit(store)                      # every rule but `reference`
        summary = run_audit(store, rules=["arithmetic"])  # a family: count-percent, peak-utilization, ...
        summary = run_audit(store, reference=Path("leaderboard.csv"))

Each rule is a function ``AuditContext -> list[Finding]`` that reads claims through SQL on the store. Running
a set of rules replaces exactly their findings, in one transaction, so a run is idempotent; findings are
sorted by id and ids come from content (rule + claim ids), so the same knowledge base always gives the same
findings.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from benchkb.audit.beats import check_beat
from benchkb.audit.context import AuditContext
from benchkb.audit.contradictions import check_contradiction
from benchkb.audit.counts import check_count_percent
from benchkb.audit.grounding import check_grounding
from benchkb.audit.hedges import check_hedge
from benchkb.audit.peaks import check_peak_utilization
from benchkb.audit.ranges import check_range
from benchkb.audit.reductions import check_reduction_speedup
from benchkb.audit.reference import check_reference, read_reference
from benchkb.audit.settings import AuditSettings, RangeCheck
from benchkb.catalog import Catalog
from benchkb.errors import BenchkbError, NotFoundError
from benchkb.models import Finding
from benchkb.store import Store

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    """An audit rule: its name, the family it belongs to, the check and one line saying what it checks."""

    name: str
    family: str
    check: Callable[[AuditContext], list[Finding]]
    summary: str
    needs_reference: bool = False


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "grounding",
            "grounding",
            check_grounding,
            "the text is the abstract at its offsets and the value parses",
        ),
        Rule(
            "range",
            "range",
            check_range,
            "rates and utilizations within [0, 100]%, reductions below 100%, "
            "ratios above 0, the catalog's metric ranges",
        ),
        Rule(
            "count-percent",
            "arithmetic",
            check_count_percent,
            "'19/22 tasks, 86.4%': the percentage is the fraction",
        ),
        Rule(
            "peak-utilization",
            "arithmetic",
            check_peak_utilization,
            "throughput / utilization (per device) against the datasheet peak",
        ),
        Rule(
            "reduction-speedup",
            "arithmetic",
            check_reduction_speedup,
            "a 55% time reduction is a 2.2x speedup: both stated must agree",
        ),
        Rule(
            "contradiction",
            "contradiction",
            check_contradiction,
            "one subject, benchmark and metric claimed with different values by different papers",
        ),
        Rule(
            "beat",
            "beat",
            check_beat,
            "a claim to beat Y on B against the knowledge base's best claim for Y on B",
        ),
        Rule("hedge", "hedge", check_hedge, "leaderboard positions resting on 'up to' or 'more than' claims"),
        Rule(
            "reference",
            "reference",
            check_reference,
            "claims against an official leaderboard export (--reference)",
            needs_reference=True,
        ),
    )
}


@dataclass
class AuditSummary:
    """What a run did: findings per rule and severity, the seconds each rule took, and notes on what it could
    not do."""

    rules: list[str]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    suspects: dict[str, int] = field(default_factory=dict)  # errors and warnings by whom they suspect

    @property
    def total(self) -> int:
        return sum(sum(by_severity.values()) for by_severity in self.counts.values())

    def count(self, severity: str) -> int:
        return sum(by_severity.get(severity, 0) for by_severity in self.counts.values())

    def frame(self) -> pl.DataFrame:
        """One row per rule run: error, warning, info and total counts, and seconds."""
        rows = [
            {
                "rule": rule,
                **{s: self.counts[rule].get(s, 0) for s in SEVERITIES},
                "total": sum(self.counts[rule].values()),
                "seconds": round(self.seconds[rule], 3),
            }
            for rule in self.rules
        ]
        schema = {
            "rule": pl.String,
            **{s: pl.Int64 for s in SEVERITIES},
            "total": pl.Int64,
            "seconds": pl.Float64,
        }
        return pl.DataFrame(rows, schema=schema)

    def line(self) -> str:
        counts = ", ".join(f"{self.count(s)} {s}" for s in SEVERITIES)
        rules = f"{len(self.rules)} rule" + ("s" if len(self.rules) != 1 else "")
        findings = f"{self.total} finding" + ("s" if self.total != 1 else "")
        suspects = "".join(
            f"; {count} suspect the {who}" for who, count in sorted(self.suspects.items()) if count
        )
        return f"{rules}, {findings} ({counts}{suspects}) in {sum(self.seconds.values()):.1f}s"


def select_rules(names: Sequence[str] | None = None, *, with_reference: bool = False) -> list[str]:
    """Rule names in run order for ``names`` (rule or family names); all rules when None, ``reference`` only
    when a reference is given."""
    if names is None:
        return [name for name, rule in RULES.items() if with_reference or not rule.needs_reference]
    families = {rule.family for rule in RULES.values()}
    unknown = [n for n in names if n not in RULES and n not in families]
    if unknown:
        raise NotFoundError(
            f"no audit rule {', '.join(map(repr, unknown))}: choose from "
            f"{', '.join(RULES)} or the family 'arithmetic'"
        )
    chosen = [name for name, rule in RULES.items() if name in names or rule.family in names]
    if not with_reference and any(RULES[name].needs_reference for name in chosen):
        raise BenchkbError(
            "the reference rule compares claims with a leaderboard export: give --reference FILE"
        )
    return chosen


def collect_findings(
    store: Store,
    *,
    rules: Sequence[str] | None = None,
    reference: Path | pl.DataFrame | None = None,
    catalog: Catalog | None = None,
    settings: AuditSettings | None = None,
) -> tuple[list[Finding], AuditSummary]:
    """Run the rules without writing: their findings (sorted by id, one per id) and the summary."""
    selected = select_rules(rules, with_reference=reference is not None)
    table = read_reference(reference) if isinstance(reference, Path) else reference
    ctx = AuditContext(store=store, settings=settings or AuditSettings(), catalog=catalog, reference=table)
    summary = AuditSummary(rules=selected)
    _note_missing_catalog(ctx, selected)
    found: dict[str, Finding] = {}
    for name in selected:
        began = time.perf_counter()
        produced = _one_per_id(RULES[name].check(ctx))
        summary.seconds[name] = time.perf_counter() - began
        summary.counts[name] = {s: sum(f.severity == s for f in produced) for s in SEVERITIES}
        for f in produced:
            if f.suspect is not None:
                summary.suspects[f.suspect] = summary.suspects.get(f.suspect, 0) + 1
        found.update((f.finding_id, f) for f in produced)
    summary.notes.extend(ctx.notes)
    return [found[key] for key in sorted(found)], summary


def run_audit(
    store: Store,
    *,
    rules: Sequence[str] | None = None,
    reference: Path | pl.DataFrame | None = None,
    catalog: Catalog | None = None,
    settings: AuditSettings | None = None,
) -> AuditSummary:
    """Run the rules and replace their findings in the knowledge base (one transaction); return the
    summary."""
    findings, summary = collect_findings(
        store, rules=rules, reference=reference, catalog=catalog, settings=settings
    )
    store.replace_findings(findings, rules=summary.rules)
    return summary


def _one_per_id(findings: list[Finding]) -> list[Finding]:
    """A rule reports each set of claims once; should it not, the most severe finding is kept."""
    kept: dict[str, Finding] = {}
    for f in findings:
        current = kept.get(f.finding_id)
        if current is None or SEVERITIES.index(f.severity) < SEVERITIES.index(current.severity):
            kept[f.finding_id] = f
    return list(kept.values())


_CATALOG_NEEDS = {
    "range": "metrics",
    "peak-utilization": "hardware_peaks",
    "contradiction": "models",
    "beat": "models",
    "reference": "models",
}


def _note_missing_catalog(ctx: AuditContext, selected: list[str]) -> None:
    for table in sorted({_CATALOG_NEEDS[name] for name in selected if name in _CATALOG_NEEDS}):
        if ctx.query(f"SELECT count(*) AS n FROM {table}")["n"][0] == 0:
            ctx.notes.append(
                f"the knowledge base's {table} table is empty (re-run `benchkb ingest` to copy the "
                "catalog in): rules that need it compare less"
            )


__all__ = [
    "RULES",
    "AuditContext",
    "AuditSettings",
    "AuditSummary",
    "RangeCheck",
    "Rule",
    "collect_findings",
    "run_audit",
    "select_rules",
]
