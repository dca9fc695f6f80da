"""Rule ``reference``: claims compared with an official leaderboard export.

The export is CSV or JSON Lines with the columns benchmark, model, metric, value and source (metric and source
may be empty; other columns are ignored). Its names are resolved with the catalog (or, without one, by exact
name or alias in the knowledge base's catalog tables); each score claim of a listed model on a listed
benchmark is compared with the entry: a gap beyond the tolerance is a warning, agreement is info. A
leaderboard value of at most 1 set against claims in percent is read as a fraction
(``reference_fraction_as_percent``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from benchkb.audit.context import AuditContext, figure, finding
from benchkb.errors import InputError
from benchkb.models import Finding

RULE = "reference"
_COLUMNS = {
    "benchmark": pl.String,
    "model": pl.String,
    "metric": pl.String,
    "value": pl.Float64,
    "source": pl.String,
    "line": pl.Int64,
}


class ReferenceEntry(BaseModel):
    """One row of a leaderboard export."""

    model_config = ConfigDict(extra="ignore")

    benchmark: str
    model: str
    metric: str | None = None
    value: float
    source: str | None = None

    @field_validator("benchmark", "model")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("must not be empty")
        return text.strip()

    @field_validator("metric", "source", mode="before")
    @classmethod
    def _blank_is_none(cls, text: Any) -> Any:
        return None if isinstance(text, str) and not text.strip() else text


def read_reference(path: Path) -> pl.DataFrame:
    """The entries of a leaderboard export, with their line numbers; raise InputError listing every bad
    row."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".jsonl", ".ndjson", ".json"}:
        raise InputError("a reference leaderboard must be .csv or .jsonl", file=str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", file=str(path)) from exc
    rows = _csv_rows(text) if suffix == ".csv" else _jsonl_rows(text)
    entries, problems = [], []
    for line, raw in rows:
        if isinstance(raw, str):
            problems.append(f"line {line}: {raw}")
            continue
        try:
            entries.append({**ReferenceEntry.model_validate(raw).model_dump(), "line": line})
        except ValidationError as exc:
            problems.extend(
                f"line {line}: {'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}" for e in exc.errors()
            )
    if problems:
        raise InputError(
            "; ".join(problems[:20]) + (f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""),
            file=str(path),
        )
    if not entries:
        raise InputError("no leaderboard entries", file=str(path))
    return pl.DataFrame(entries, schema=_COLUMNS)


def _csv_rows(text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    reader = csv.DictReader(text.splitlines())
    missing = {"benchmark", "model", "value"} - set(reader.fieldnames or [])
    if missing:
        yield 1, f"missing column(s) {', '.join(sorted(missing))}"
        return
    for row in reader:
        yield reader.line_num, {key: value for key, value in row.items() if key is not None}


def _jsonl_rows(text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"invalid JSON: {exc.msg}"
            continue
        yield number, obj if isinstance(obj, dict) else f"expected an object, got {type(obj).__name__}"


# Score claims of the listed models on the listed benchmarks.
_CLAIMS = """
SELECT c.claim_id, c.paper_id, c.text, c.value, c.unit, c.subject_id, c.benchmark_id, c.metric_id
FROM claims c
WHERE c.kind = 'score' AND c.value_max IS NULL
  AND list_contains($models, c.subject_id) AND list_contains($benchmarks, c.benchmark_id)
ORDER BY c.claim_id
"""


def check_reference(ctx: AuditContext) -> list[Finding]:
    """Claims that deviate from (warning) or agree with (info) the reference leaderboard."""
    if ctx.reference is None:
        return []
    entries = _resolved(ctx, ctx.reference)
    if entries.is_empty():
        return []
    claims = ctx.query(
        _CLAIMS,
        {
            "models": entries["model_id"].unique().to_list(),
            "benchmarks": entries["benchmark_id"].unique().to_list(),
        },
    )
    pairs = claims.join(
        entries, left_on=["subject_id", "benchmark_id"], right_on=["model_id", "benchmark_id"]
    )
    pairs = pairs.filter(pl.col("metric_ref_id").is_null() | (pl.col("metric_ref_id") == pl.col("metric_id")))
    findings: dict[str, Finding] = {}
    for row in pairs.sort(["claim_id", "line"]).iter_rows(named=True):
        candidate = _compare(ctx, row)
        current = findings.get(row["claim_id"])
        if current is None or candidate.evidence["gap"] < current.evidence["gap"]:
            findings[row["claim_id"]] = candidate
    return list(findings.values())


def _resolved(ctx: AuditContext, reference: pl.DataFrame) -> pl.DataFrame:
    """Entries with benchmark_id, model_id and metric_ref_id; entries that do not resolve are noted and
    dropped."""
    resolve = _Resolver(ctx)
    rows = []
    for entry in reference.iter_rows(named=True):
        ids = (resolve("benchmark", entry["benchmark"]), resolve("model", entry["model"]))
        metric_id = resolve("metric", entry["metric"]) if entry["metric"] else None
        if None in ids or (entry["metric"] and metric_id is None):
            continue
        rows.append({**entry, "benchmark_id": ids[0], "model_id": ids[1], "metric_ref_id": metric_id})
    dropped = reference.height - len(rows)
    if dropped:
        ctx.notes.append(
            f"{dropped} of {reference.height} reference entries name a benchmark, model or metric the "
            "catalog does not know; they were not compared"
        )
    schema = {**_COLUMNS, "benchmark_id": pl.String, "model_id": pl.String, "metric_ref_id": pl.String}
    return pl.DataFrame(rows, schema=schema).rename(
        {"value": "reference_value", "metric": "reference_metric"}
    )


_CATALOG_TABLES = {
    "benchmark": ("benchmarks", "benchmark_id"),
    "model": ("models", "model_id"),
    "metric": ("metrics", "metric_id"),
}


class _Resolver:
    """Name -> catalog id: the catalog's own resolution when there is a catalog, else exact names and
    aliases."""

    def __init__(self, ctx: AuditContext) -> None:
        self.catalog = ctx.catalog
        self.names: dict[str, dict[str, str]] = {}
        if self.catalog is None:
            for kind, (table, key) in _CATALOG_TABLES.items():
                rows = ctx.query(f"SELECT {key} AS id, name, aliases FROM {table} ORDER BY {key}")
                names: dict[str, str] = {}
                for row in rows.iter_rows(named=True):
                    for surface in [row["id"], row["name"], *(row["aliases"] or [])]:
                        names.setdefault(surface.lower(), row["id"])
                self.names[kind] = names

    def __call__(self, kind: str, name: str) -> str | None:
        if self.catalog is not None:
            return self.catalog.resolve_id(kind, name)  # type: ignore[arg-type]
        return self.names[kind].get(name.strip().lower())


def _compare(ctx: AuditContext, row: dict[str, Any]) -> Finding:
    reference = row["reference_value"]
    scaled = (
        ctx.settings.reference_fraction_as_percent
        and row["unit"] == "%"
        and abs(reference) <= 1 < row["value"]
    )
    if scaled:
        reference *= 100
    gap = abs(row["value"] - reference)
    allowed = ctx.settings.tolerance(row["unit"], reference)
    agrees = gap <= allowed
    source = row["source"] or "the reference leaderboard"
    what = f"{row['model']} on {row['benchmark']}" + (
        f" ({row['reference_metric']})" if row["reference_metric"] else ""
    )
    if agrees:
        message = (
            f"Paper {row['paper_id']} states {row['text']} for {what}; {source} lists {figure(reference)}: "
            f"within the tolerance of {figure(allowed)}."
        )
    else:
        message = (
            f"Paper {row['paper_id']} states {row['text']} for {what}, but {source} lists "
            f"{figure(reference)}: a gap of {figure(gap)} beyond the tolerance of {figure(allowed)}."
        )
    evidence = {
        "value": row["value"],
        "text": row["text"],
        "unit": row["unit"],
        "reference_value": reference,
        "reference_value_as_written": row["reference_value"],
        "read_as_fraction": scaled,
        "reference_line": row["line"],
        "source": row["source"],
        "gap": gap,
        "tolerance": allowed,
        "model": row["model"],
        "benchmark": row["benchmark"],
        "metric": row["reference_metric"],
    }
    return finding(RULE, "info" if agrees else "warning", message, [row], evidence)
