"""The canonical catalog: which surfaces name the same benchmark, metric, model, accelerator or precision.

from benchkb.catalog import Catalog, normalize_name
cat = Catalog.load()                       # extractors/catalog, validated
cat.benchmark("SWEBench-Lite").id          # 'swe-bench-lite'
[b.name for b in cat.family_members("SWE-bench")]
claim = cat.resolve_claim(claim)           # *_id fields filled, surfaces untouched
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from benchkb.catalog.normalize import normalize_name

if TYPE_CHECKING:
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

# The catalog and its entry models load pydantic: imported when first named, so that what needs only names
# (``benchkb.catalog.benchmark_names``, ``normalize_name``) starts without it (issue 15).
_DEFINED_IN = {
    "Catalog": "benchkb.catalog.catalog",
    **dict.fromkeys(
        (
            "SURFACE_KINDS",
            "BenchmarkEntry",
            "Entry",
            "HardwareEntry",
            "MetricEntry",
            "ModelEntry",
            "PrecisionEntry",
        ),
        "benchkb.catalog.entries",
    ),
}


def __getattr__(name: str) -> Any:
    if name in _DEFINED_IN:
        return getattr(importlib.import_module(_DEFINED_IN[name]), name)
    raise AttributeError(f"module 'benchkb.catalog' has no attribute {name!r}")


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
