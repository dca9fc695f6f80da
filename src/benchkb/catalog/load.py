"""Read and validate the catalog files; report every problem at once, each with its file and line.

A catalog directory holds ``benchmarks.jsonl``, ``metrics.jsonl``, ``models.jsonl``, ``hardware.jsonl`` and
``precisions.jsonl`` (one JSON object per line, blank lines allowed). Problems found, all collected before one
:class:`~benchkb.errors.RuleFileError` is raised, each as ``"<path>:<line>: <message>"`` (line 0 = the whole
file):

* a missing file, a line that is not JSON or not an object;
* an unknown or missing field, a value of the wrong type (per :mod:`benchkb.catalog.entries`);
* a duplicate id within a file;
* a name or alias whose normalised key another entry of the same kind already claims, or that repeats a
  surface of its own entry after normalisation (list only variants that normalisation does not already
  equate); * a dangling reference: a benchmark's ``metrics`` or ``metric_aliases`` naming an unknown metric
  id, a metric's ``complement_of`` naming an unknown metric or one without both bounds, a ``family`` naming no
  benchmark's ``name`` (or naming a benchmark that is not its own family head), a hardware peak precision not
  in precisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchkb.catalog.entries import (
    ENTRY_MODELS,
    FILES,
    KINDS,
    BenchmarkEntry,
    HardwareEntry,
    Kind,
)
from benchkb.catalog.normalize import index_names, normalize_name
from benchkb.errors import RuleFileError
from benchkb.ruledata import read_jsonl


@dataclass(frozen=True)
class Located:
    """A valid entry with the line it came from."""

    entry: Any
    line: int


@dataclass
class _Problems:
    items: list[tuple[int, int, str]] = field(default_factory=list)  # kind order, line, "path:line: message"

    def add(self, kind: Kind, path: Path, line: int, message: str) -> None:
        self.items.append((KINDS.index(kind), line, f"{path}:{line}: {message}"))

    def raise_if_any(self) -> None:
        if self.items:
            raise RuleFileError([text for _, _, text in sorted(self.items, key=lambda item: item[:2])])


@dataclass(frozen=True)
class CatalogData:
    """Validated entries per kind and, per kind, the index from normalised key to entry id."""

    entries: dict[Kind, list[Any]]
    index: dict[Kind, dict[str, str]]


def load_catalog(directory: Path) -> CatalogData:
    """Read every catalog file in ``directory``; raise RuleFileError listing all problems, if any."""
    problems = _Problems()
    paths = {kind: directory / FILES[kind] for kind in KINDS}
    located: dict[Kind, list[Located]] = {}
    raw_ids: dict[Kind, set[str]] = {}
    for kind in KINDS:
        located[kind], raw_ids[kind] = _read_entries(kind, paths[kind], problems)
        located[kind] = _drop_duplicate_ids(kind, paths[kind], located[kind], problems)
    index = {kind: _build_index(kind, paths[kind], located[kind], problems) for kind in KINDS}
    _check_benchmark_references(paths["benchmark"], located["benchmark"], raw_ids["metric"], problems)
    _check_complements(paths["metric"], located["metric"], problems)
    _check_peak_precisions(
        paths["hardware"], located["hardware"], located["precision"], index["precision"], problems
    )
    problems.raise_if_any()
    return CatalogData(entries={kind: [item.entry for item in located[kind]] for kind in KINDS}, index=index)


def _read_entries(kind: Kind, path: Path, problems: _Problems) -> tuple[list[Located], set[str]]:
    """Valid entries of one file, and the ids of every object in it (valid or not) for reference checks."""
    ids: set[str] = set()

    def note_id(obj: dict[str, Any]) -> None:
        key = obj.get("name" if kind == "precision" else "id")
        if isinstance(key, str):
            ids.add(key)

    entries = read_jsonl(
        path,
        ENTRY_MODELS[kind],
        lambda line, message: problems.add(kind, path, line, message),
        seen=note_id,
        missing=f"file is missing (the catalog needs {', '.join(FILES.values())})",
    )
    return [Located(entry, number) for number, entry in entries], ids


def _drop_duplicate_ids(kind: Kind, path: Path, located: list[Located], problems: _Problems) -> list[Located]:
    first: dict[str, int] = {}
    kept: list[Located] = []
    for item in located:
        entry_id = item.entry.id
        if entry_id in first:
            problems.add(
                kind, path, item.line, f"duplicate id '{entry_id}' (first at line {first[entry_id]})"
            )
            continue
        first[entry_id] = item.line
        kept.append(item)
    return kept


def _build_index(kind: Kind, path: Path, located: list[Located], problems: _Problems) -> dict[str, str]:
    """Normalised key -> entry id for every canonical name and alias; report keys claimed twice."""
    return index_names(
        ((item.entry.id, item.entry.surfaces(), item.line) for item in located),
        lambda line, message: problems.add(kind, path, line, message),
    )


def _check_benchmark_references(
    path: Path, benchmarks: list[Located], metric_ids: set[str], problems: _Problems
) -> None:
    by_name: dict[str, BenchmarkEntry] = {item.entry.name: item.entry for item in benchmarks}
    name_by_key = {normalize_name(name): name for name in by_name}
    for item in benchmarks:
        entry: BenchmarkEntry = item.entry
        for metric_id in [*entry.metrics, *entry.metric_aliases.values()]:
            if metric_id not in metric_ids:
                problems.add(
                    "benchmark", path, item.line, f"unknown metric id '{metric_id}' (not in metrics.jsonl)"
                )
        head = by_name.get(entry.family)
        if head is None:
            hint = name_by_key.get(normalize_name(entry.family))
            suffix = f" (did you mean '{hint}'?)" if hint else ""
            problems.add("benchmark", path, item.line, f"family '{entry.family}' names no benchmark{suffix}")
        elif head.family != head.name:
            problems.add(
                "benchmark",
                path,
                item.line,
                f"family '{entry.family}' is benchmark '{head.id}', whose own "
                f"family is '{head.family}'; a family head must be its own family",
            )


def _check_peak_precisions(
    path: Path,
    hardware: list[Located],
    precisions: list[Located],
    precision_index: dict[str, str],
    problems: _Problems,
) -> None:
    names = {item.entry.name for item in precisions}
    for item in hardware:
        entry: HardwareEntry = item.entry
        for precision in entry.peaks:
            if precision not in names:
                hint = precision_index.get(normalize_name(precision))
                suffix = f" (did you mean '{hint}'?)" if hint else ""
                problems.add(
                    "hardware",
                    path,
                    item.line,
                    f"peak precision '{precision}' is not a precision name in precisions.jsonl{suffix}",
                )


def _check_complements(path: Path, metrics: list[Located], problems: _Problems) -> None:
    by_id = {item.entry.id: item.entry for item in metrics}
    for item in metrics:
        other = item.entry.complement_of
        if other is None:
            continue
        if other not in by_id:
            problems.add("metric", path, item.line, f"complement_of '{other}' is not a metric id")
        elif None in (item.entry.min, item.entry.max) or (item.entry.min, item.entry.max) != (
            by_id[other].min,
            by_id[other].max,
        ):
            problems.add(
                "metric",
                path,
                item.line,
                f"complement_of '{other}' needs both metrics to have the same finite range",
            )
