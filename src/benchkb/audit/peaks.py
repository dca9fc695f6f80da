"""Rule ``peak-utilization``: a throughput and a utilization stated together imply the hardware's peak.

"1613 TFLOPs/s (71% utilization)" on B200 with BF16 implies a peak of 1613 / 0.71 = 2272 TFLOP/s, against the
datasheet's 2250 (``hardware_peaks``). An aggregate figure is divided by the device count of the same sentence
first: "502 petaFLOP/s on 3072 GPUs ... 52% of theoretical peak" is 163.4 TFLOP/s per GPU and implies a 314
TFLOP/s peak.

The accelerator and precision come from the claims' conditions, else from names anywhere in the abstract. When
the abstract names none, the implied peak is compared with every peak in the catalog and the matches are
reported (info): the paper cannot be wrong about hardware it does not name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import polars as pl

from benchkb.audit.context import AuditContext, figure, finding, percent
from benchkb.models import Finding

RULE = "peak-utilization"

_PAIRS = """
WITH utilization AS (
    SELECT c.claim_id, c.paper_id, c.text, c.value, c."start", c.sentence_start, c.hardware_id, c.precision
    FROM claims c JOIN papers p USING (paper_id)
    WHERE c.unit = '%' AND c.kind <> 'change' AND c.value_max IS NULL AND c.value > 0
      AND (regexp_matches(coalesce(c.metric, ''), $metric, 'i')
        OR regexp_matches(substr(p.abstract, c."end" + 1, 60), $after, 'i'))
),
throughput AS (
    SELECT c.claim_id, c.paper_id, c.text, c.value, c.unit, c."start", c.sentence_start, c.hardware_id,
           c.precision, regexp_matches(substr(p.abstract, c."end" + 1, 30), $per_device, 'i') AS per_device
    FROM claims c JOIN papers p USING (paper_id)
    WHERE list_contains($units, c.unit) AND c.value_max IS NULL AND c.value > 0
      AND c.paper_id IN (SELECT paper_id FROM utilization)
),
devices AS (
    SELECT claim_id, paper_id, text, value, "start", sentence_start FROM claims
    WHERE list_contains($devices, unit) AND value >= 1 AND value_max IS NULL
      AND paper_id IN (SELECT paper_id FROM utilization)
),
pairs AS (
    SELECT u.claim_id, u.paper_id, u.text AS utilization_text, u.value AS utilization,
           t.claim_id AS throughput_id, t.text AS throughput_text, t.value AS throughput,
           t.unit AS throughput_unit, t."start" AS throughput_start, t.sentence_start, t.per_device,
           coalesce(t.hardware_id, u.hardware_id) AS hardware_id,
           coalesce(t.precision, u.precision) AS precision
    FROM utilization u JOIN throughput t ON t.paper_id = u.paper_id AND t.sentence_start = u.sentence_start
    QUALIFY row_number() OVER (PARTITION BY u.claim_id
                               ORDER BY (t."start" < u."start") DESC, abs(t."start" - u."start"),
                                        t.claim_id) = 1
)
SELECT pairs.*, d.claim_id AS devices_id, d.text AS devices_text, d.value AS devices, p.abstract
FROM pairs JOIN papers p USING (paper_id)
LEFT JOIN devices d ON d.paper_id = pairs.paper_id AND d.sentence_start = pairs.sentence_start
QUALIFY row_number() OVER (PARTITION BY pairs.claim_id
                           ORDER BY abs(d."start" - pairs.throughput_start) NULLS LAST, d.claim_id) = 1
ORDER BY pairs.claim_id
"""

_PEAKS = """
SELECT k.hardware_id, coalesce(h.name, k.hardware_id) AS hardware, k.precision, k.tflops, k.source
FROM hardware_peaks k LEFT JOIN hardware h USING (hardware_id)
ORDER BY k.hardware_id, k.precision
"""

_HARDWARE_NAMES = "SELECT hardware_id, name, aliases FROM hardware ORDER BY hardware_id"


@dataclass(frozen=True)
class Peak:
    hardware_id: str
    hardware: str
    precision: str
    tflops: float
    source: str

    @property
    def label(self) -> str:
        return f"{self.hardware} {self.precision}"


@dataclass(frozen=True)
class Setting:
    """The accelerators and precisions a pair is compared against, and where they came from."""

    hardware: tuple[str, ...]  # hardware ids; empty when none is named
    precisions: tuple[str, ...]
    source: str  # 'conditions', 'abstract' or 'none'


def check_peak_utilization(ctx: AuditContext) -> list[Finding]:
    """Throughput / utilization = implied peak, compared with the catalog's datasheet peak."""
    settings = ctx.settings
    params = {
        "metric": settings.utilization_metric_pattern,
        "after": settings.utilization_after_pattern,
        "per_device": settings.per_device_after_pattern,
        "units": list(settings.throughput_units),
        "devices": list(settings.device_units),
    }
    pairs = ctx.query(_PAIRS, params)
    if pairs.is_empty():
        return []
    peaks = [Peak(**row) for row in ctx.query(_PEAKS).iter_rows(named=True)]
    names = _NameFinder.build(ctx.query(_HARDWARE_NAMES), peaks, ctx)
    return [_check_pair(ctx, row, peaks, names) for row in pairs.iter_rows(named=True)]


class _NameFinder:
    """Finds accelerators and precisions named anywhere in an abstract, by catalog name or alias."""

    def __init__(
        self, hardware: list[tuple[str, re.Pattern[str]]], precisions: list[tuple[str, re.Pattern[str]]]
    ):
        self.hardware = hardware
        self.precisions = precisions

    @classmethod
    def build(cls, hardware: pl.DataFrame, peaks: list[Peak], ctx: AuditContext) -> _NameFinder:
        hardware_surfaces = [
            (row["hardware_id"], [row["name"], *(row["aliases"] or [])])
            for row in hardware.iter_rows(named=True)
        ]
        precision_surfaces = {p.precision: [p.precision] for p in peaks}
        if ctx.catalog is not None:
            for entry in ctx.catalog.precisions:
                precision_surfaces.setdefault(entry.name, [entry.name]).extend(entry.aliases)
        return cls(
            [(key, _surface_pattern(s)) for key, s in hardware_surfaces],
            [(key, _surface_pattern(s)) for key, s in sorted(precision_surfaces.items())],
        )

    def named(self, abstract: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (
            tuple(key for key, pattern in self.hardware if pattern.search(abstract)),
            tuple(key for key, pattern in self.precisions if pattern.search(abstract)),
        )


def _surface_pattern(surfaces: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(s) for s in sorted(set(surfaces), key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])", re.IGNORECASE)


def _setting(row: dict[str, Any], names: _NameFinder) -> Setting:
    hardware_named, precisions_named = names.named(row["abstract"])
    precisions = (row["precision"],) if row["precision"] else precisions_named
    if row["hardware_id"] is not None:
        return Setting((row["hardware_id"],), precisions, "conditions")
    return Setting(hardware_named, precisions, "abstract" if hardware_named else "none")


def _candidates(setting: Setting, peaks: list[Peak]) -> list[Peak]:
    """The datasheet peaks the setting allows; a named precision the catalog lacks for that hardware widens to
    all."""
    on_hardware = [p for p in peaks if not setting.hardware or p.hardware_id in setting.hardware]
    in_precision = [p for p in on_hardware if p.precision in setting.precisions]
    return in_precision or on_hardware


def _check_pair(ctx: AuditContext, row: dict[str, Any], peaks: list[Peak], names: _NameFinder) -> Finding:
    settings = ctx.settings
    throughput_tflops = row["throughput"] * settings.throughput_units[row["throughput_unit"]]
    aggregate = row["devices"] is not None and not row["per_device"]
    per_device = throughput_tflops / row["devices"] if aggregate else throughput_tflops
    implied = per_device / (row["utilization"] / 100.0)
    setting = _setting(row, names)
    ranked = sorted(_candidates(setting, peaks), key=lambda p: (abs(implied / p.tflops - 1), p.label))
    matches = [p for p in ranked if abs(implied / p.tflops - 1) <= settings.peak_tolerance]
    consistent = bool(matches)
    severity = "info" if consistent or setting.source == "none" or not ranked else "warning"
    message = (
        f"{_arithmetic(row, throughput_tflops, per_device, implied, aggregate)}; "
        f"{_verdict(setting, ranked, matches, implied, settings.peak_tolerance)}."
    )
    evidence = {
        "throughput": row["throughput"],
        "throughput_unit": row["throughput_unit"],
        "throughput_tflops": throughput_tflops,
        "devices": row["devices"] if aggregate else None,
        "per_device_tflops": per_device,
        "utilization_percent": row["utilization"],
        "implied_peak_tflops": implied,
        "hardware_source": setting.source,
        "hardware_ids": list(setting.hardware),
        "precisions": list(setting.precisions),
        "tolerance": settings.peak_tolerance,
        "compared": [
            {
                "hardware_id": p.hardware_id,
                "precision": p.precision,
                "peak_tflops": p.tflops,
                "relative_gap": implied / p.tflops - 1,
                "source": p.source,
            }
            for p in ranked[:5]
        ],
        "consistent": consistent,
    }
    claims = [row, {"claim_id": row["throughput_id"], "paper_id": row["paper_id"]}]
    if aggregate:
        claims.append({"claim_id": row["devices_id"], "paper_id": row["paper_id"]})
    return finding(RULE, severity, message, claims, evidence)


def _arithmetic(
    row: dict[str, Any], tflops: float, per_device: float, implied: float, aggregate: bool
) -> str:
    utilization = figure(row["utilization"] / 100)
    if aggregate:
        return (
            f"{row['throughput_text']} on {row['devices_text']} is "
            f"{figure(tflops)}/{figure(row['devices'])} = {figure(per_device)} TFLOP/s per device, "
            f"which at {row['utilization_text']} of peak implies a peak of "
            f"{figure(per_device)}/{utilization} = {figure(implied)} TFLOP/s"
        )
    return (
        f"{row['throughput_text']} at {row['utilization_text']} utilization implies a peak of "
        f"{figure(per_device)}/{utilization} = {figure(implied)} TFLOP/s per device"
    )


def _verdict(
    setting: Setting, ranked: list[Peak], matches: list[Peak], implied: float, tolerance: float
) -> str:
    within = f"within {figure(tolerance * 100)}%"
    if not ranked:
        return "the catalog holds no datasheet peak to compare it with"
    if setting.source == "none":
        if not matches:
            best = ranked[0]
            return (
                f"the abstract names no accelerator, and no catalog peak is {within} "
                f"(closest: {best.label} at {figure(best.tflops)} TFLOP/s, "
                f"{percent(implied / best.tflops - 1)})"
            )
        listed = ", ".join(
            f"{p.label} ({figure(p.tflops)} TFLOP/s, {percent(implied / p.tflops - 1)})" for p in matches[:4]
        )
        return f"the abstract names no accelerator, and this matches {listed} {within}"
    best = (matches or ranked)[0]
    where = (
        "as named in the claim's conditions" if setting.source == "conditions" else "named in the abstract"
    )
    comparison = (
        f"the datasheet peak of {best.label} ({where}) is {figure(best.tflops)} TFLOP/s "
        f"({percent(implied / best.tflops - 1)})"
    )
    return f"{comparison}: consistent {within}" if matches else f"{comparison}: not consistent {within}"
