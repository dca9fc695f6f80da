"""The canonical catalog: which surfaces name the same benchmark, metric, model, accelerator or precision.

from benchkb.catalog import Catalog, normalize_name
cat = Catalog.load()                       # extractors/catalog, validated
cat.benchmark("SWEBench-Lite").id          # 'swe-bench-lite'
[b.name for b in cat.family_members("SWE-bench")]
claim = cat.resolve_claim(claim)           # *_id fields filled, surfaces untouched
"""

from benchkb.catalog.catalog import Catalog
from benchkb.catalog.entries import (
    SURFACE_KINDS,
    BenchmarkEntry,
    Entry,
    HardwareEntry,
    MetricEntry,
    ModelEntry,
    PrecisionEntry,
)
from benchkb.catalog.normalize import normalize_name

__all__ = [
    "SURFACE_KINDS",
    "BenchmarkEntry",
    "Catalog",
    "Entry",
    "HardwareEntry",
    "MetricEntry",
    "ModelEntry",
    "PrecisionEntry",
    "normalize_name",
]
