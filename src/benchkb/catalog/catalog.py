"""The catalog: canonical benchmarks, metrics, models, hardware and precisions, and claim resolution against
them.

Resolution sits between extraction and storage: it fills a claim's ``*_id`` fields from its raw surfaces and
never changes the surfaces. Each lookup is a dict access plus a bounded fallback
(:mod:`benchkb.catalog.resolve`), and its result is cached per surface on the instance, so resolving a corpus
costs about one dict lookup per field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchkb.catalog.entries import (
    KINDS,
    SURFACE_KINDS,
    BenchmarkEntry,
    Entry,
    HardwareEntry,
    Kind,
    MetricEntry,
    ModelEntry,
    PrecisionEntry,
)
from benchkb.catalog.load import CatalogData, load_catalog
from benchkb.catalog.normalize import normalize_name
from benchkb.catalog.resolve import resolve_benchmark, resolve_device, resolve_metric, resolve_model
from benchkb.catalog.systems import subject_kind
from benchkb.errors import BenchkbError
from benchkb.resources import extractors_dir

if TYPE_CHECKING:  # resolution reads claims' fields; `benchkb papers` resolves a name and builds no claim
    from benchkb.models import Claim

_RELATIVE = re.compile(r"relative\s", re.IGNORECASE)  # 'relative accuracy' (the guide's relative figures)

CACHE_LIMIT = 1_000_000  # cached surfaces per kind; past it, lookups still work but are no longer remembered


class Catalog:
    """A loaded, validated catalog. Build it with :meth:`load`."""

    def __init__(self, data: CatalogData) -> None:
        self.benchmarks: list[BenchmarkEntry] = data.entries["benchmark"]
        self.metrics: list[MetricEntry] = data.entries["metric"]
        self.models: list[ModelEntry] = data.entries["model"]
        self.hardware_entries: list[HardwareEntry] = data.entries["hardware"]
        self.precisions: list[PrecisionEntry] = data.entries["precision"]
        self._entries = data.entries
        self._index = data.index
        self._by_id: dict[Kind, dict[str, Any]] = {
            kind: {e.id: e for e in data.entries[kind]} for kind in KINDS
        }
        self._software = frozenset(m.id for m in self.models if m.software)
        self._cache: dict[Kind, dict[str, str | None]] = {kind: {} for kind in KINDS}
        self._metric_aliases = self._benchmark_metric_aliases()
        self._metric_cache: dict[tuple[Any, ...], Any] = {}  # metric_on and subject_kind answers

    def _benchmark_metric_aliases(self) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
        """Per benchmark id, its metric aliases (a benchmark without its own takes its family's) as two maps:
        general metric id -> the metric it means here, for aliases that name a general metric ('pass@1',
        'accuracy'), and normalised key -> metric, for the rest ('resolution'), which only a surface no
        general metric matches uses."""
        heads = {b.name: b for b in self.benchmarks if b.name == b.family}
        found = {}
        for entry in self.benchmarks:
            aliases = entry.metric_aliases or (
                heads[entry.family].metric_aliases if entry.family in heads else {}
            )
            remapped, local = {}, {}
            for surface, metric in aliases.items():
                general = resolve_metric(self._index["metric"], surface)
                if general is not None:
                    remapped[general] = metric
                else:
                    local[normalize_name(surface)] = metric
            if aliases:
                found[entry.id] = (remapped, local)
        return found

    @classmethod
    def load(cls, directory: Path | str | None = None) -> Catalog:
        """Load ``directory`` (default: the shipped ``extractors/catalog``); raise RuleFileError on any
        problem."""
        path = Path(directory) if directory is not None else extractors_dir() / "catalog"
        return cls(load_catalog(path))

    # surface -> id
    # --------------------------------------------------------------------------------------------------

    def resolve_id(self, kind: Kind, surface: str | None) -> str | None:
        """The id ``surface`` resolves to as a ``kind`` (a precision's id is its canonical name), or None."""
        if surface is None or not surface.strip():
            return None
        cache = self._cache.get(kind)
        if cache is None:
            raise BenchkbError(f"no catalog kind {kind!r}; use one of {', '.join(KINDS)}")
        if surface in cache:
            return cache[surface]
        found = self._resolve_uncached(kind, surface)
        if len(cache) < CACHE_LIMIT:
            cache[surface] = found
        return found

    def _resolve_uncached(self, kind: Kind, surface: str) -> str | None:
        index = self._index[kind]
        if kind == "benchmark":
            return resolve_benchmark(index, surface)
        if kind == "metric":
            return resolve_metric(index, surface)
        if kind == "model":
            return resolve_model(index, self._software, surface)
        return resolve_device(index, surface)

    def _entry(self, kind: Kind, surface: str | None) -> Any:
        found = self.resolve_id(kind, surface)
        return None if found is None else self._by_id[kind][found]

    def benchmark(self, surface: str | None) -> BenchmarkEntry | None:
        return self._entry("benchmark", surface)

    def metric(self, surface: str | None) -> MetricEntry | None:
        return self._entry("metric", surface)

    def model(self, surface: str | None) -> ModelEntry | None:
        return self._entry("model", surface)

    def hardware(self, surface: str | None) -> HardwareEntry | None:
        return self._entry("hardware", surface)

    def precision(self, surface: str | None) -> str | None:
        """The canonical precision name (BF16, FP8, ...) ``surface`` names, or None."""
        return self.resolve_id("precision", surface)

    # claims
    # --------------------------------------------------------------------------------------------------------

    def resolve_claim(self, claim: Claim) -> Claim:
        """A copy of ``claim`` with benchmark_id, metric_id, subject_id, baseline_id, hardware_id, precision
        set.

        The hardware is the first condition naming an accelerator, the precision the first naming a precision.
        """
        return claim.model_copy(update=self.resolution(claim.__dict__))

    def resolution(self, fields: Mapping[str, Any]) -> dict[str, str | None]:
        """The catalog ids of a claim's surfaces (given its fields), as the fields of Claim they fill."""
        found = {f"{field}_id": self.resolve_id(kind, fields[field]) for field, kind in SURFACE_KINDS.items()}
        found["metric_id"], found["metric_inferred"] = self.metric_on(
            found["benchmark_id"], fields["metric"], unit=fields["unit"], kind=fields["kind"]
        )
        found["subject_kind"] = self.subject_kind(
            fields["subject"], model_id=found["subject_id"], benchmark=fields["benchmark"]
        )
        found["hardware_id"], found["precision"] = self.hardware_and_precision(fields["conditions"])
        return found

    def metric_on(
        self, benchmark_id: str | None, surface: str | None, *, unit: str, kind: str
    ) -> tuple[str | None, str | None]:
        """The metric a claim on benchmark ``benchmark_id`` measures, and how the benchmark decided it: None
        when the surface names it in general, ``benchmark alias`` when the surface means it on this benchmark
        ('resolution' on SWE-bench Verified is its resolve rate), ``benchmark default`` for a score that names
        no metric, in the unit of one of the benchmark's usual metrics (the first such: a bare '46%' on
        SWE-bench Verified)."""
        key = (benchmark_id, surface, unit, kind)
        if key not in self._metric_cache:
            self._metric_cache[key] = self._metric_on(benchmark_id, surface, unit, kind)
        return self._metric_cache[key]

    def subject_kind(self, subject: str | None, *, model_id: str | None, benchmark: str | None) -> str | None:
        """Whether a claim's subject names a system (:func:`benchkb.catalog.systems.subject_kind`)."""
        key = ("subject", subject, model_id, benchmark)
        if key not in self._metric_cache:
            self._metric_cache[key] = subject_kind(
                subject, model_id=model_id, benchmark=benchmark, resolves=self._names
            )
        return self._metric_cache[key]

    def _names(self, kind: Kind, surface: str) -> bool:
        """Whether ``surface`` names a ``kind``; a metric only as a whole, singular or plural
        ("F1-scores")."""
        if kind != "metric":
            return self.resolve_id(kind, surface) is not None
        key = normalize_name(surface)
        return key in self._index["metric"] or key.rstrip("s") in self._index["metric"]

    def _metric_on(
        self, benchmark_id: str | None, surface: str | None, unit: str, kind: str
    ) -> tuple[str | None, str | None]:
        if surface and _RELATIVE.match(surface) and normalize_name(surface) not in self._index["metric"]:
            return None, None  # 'relative accuracy': a share of another system's result, no metric of its own
        general = self.resolve_id("metric", surface)
        benchmark = self._by_id["benchmark"].get(benchmark_id) if benchmark_id else None
        if benchmark is None:
            return general, None
        if surface is not None and surface.strip():
            remapped, local = self._metric_aliases.get(benchmark.id, ({}, {}))
            here = (
                remapped.get(general)
                if general is not None
                else (resolve_metric(local, surface) if local else None)
            )
            return (here, "benchmark alias") if here is not None and here != general else (general, None)
        if kind == "score" and unit:
            for metric_id in benchmark.metrics:
                if self._by_id["metric"][metric_id].unit == unit:
                    return metric_id, "benchmark default"
        return None, None

    def hardware_and_precision(self, conditions: Iterable[str]) -> tuple[str | None, str | None]:
        """The accelerator and the precision named first among a claim's conditions (ids, or None)."""
        conditions = list(conditions)
        return self.first_id("hardware", conditions), self.first_id("precision", conditions)

    def resolve_claims(self, claims: Iterable[Claim]) -> list[Claim]:
        return [self.resolve_claim(claim) for claim in claims]

    def first_id(self, kind: Kind, surfaces: Iterable[str]) -> str | None:
        """The id of the first of ``surfaces`` that resolves."""
        for surface in surfaces:
            found = self.resolve_id(kind, surface)
            if found is not None:
                return found
        return None

    # browsing
    # -------------------------------------------------------------------------------------------------------

    def family_members(self, name: str) -> list[BenchmarkEntry]:
        """Every benchmark of the family that ``name`` (a family name or any member's name or alias) belongs
        to."""
        entry = self.benchmark(name)
        if entry is None:
            return []
        return [b for b in self.benchmarks if b.family == entry.family]

    def find(self, name: str) -> list[tuple[str, Entry]]:
        """``(kind, entry)`` for every kind where ``name`` is an id or resolves, in the order of KINDS."""
        found: list[tuple[str, Entry]] = []
        for kind in KINDS:
            entry = self._by_id[kind].get(name.strip()) or self._entry(kind, name)
            if entry is not None:
                found.append((kind, entry))
        return found

    # export
    # --------------------------------------------------------------------------------------------------------

    def table_rows(self) -> dict[str, list[dict[str, Any]]]:
        """Rows for the DuckDB tables benchmarks, metrics, models, hardware and hardware_peaks
        (schemas/schema.sql)."""
        return {
            "benchmarks": [
                {
                    "benchmark_id": b.id,
                    "name": b.name,
                    "family": b.family,
                    "area": b.area,
                    "aliases": list(b.aliases),
                    "metrics": list(b.metrics),
                    "url": b.url,
                }
                for b in self.benchmarks
            ],
            "metrics": [
                {
                    "metric_id": m.id,
                    "name": m.name,
                    "aliases": list(m.aliases),
                    "unit": m.unit,
                    "higher_is_better": m.higher_is_better,
                    "min_value": m.min,
                    "max_value": m.max,
                    "complement_of": m.complement_of,
                }
                for m in self.metrics
            ],
            "models": [
                {
                    "model_id": m.id,
                    "name": m.name,
                    "aliases": list(m.aliases),
                    "organization": m.organization,
                    "parameters": m.parameters,
                }
                for m in self.models
            ],
            "hardware": [
                {"hardware_id": h.id, "name": h.name, "vendor": h.vendor, "aliases": list(h.aliases)}
                for h in self.hardware_entries
            ],
            "hardware_peaks": [
                {"hardware_id": h.id, "precision": precision, "tflops": tflops, "source": h.source}
                for h in self.hardware_entries
                for precision, tflops in h.peaks.items()
            ],
        }

    def gazetteer(self) -> dict[str, list[str]]:
        """Surface forms per kind, canonical names and aliases as written, for a phrase matcher."""
        return {
            kind: list(dict.fromkeys(s for e in self._entries[kind] for s in e.surfaces())) for kind in KINDS
        }
