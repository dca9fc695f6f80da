"""The shapes of catalog entries, one pydantic model per file under ``extractors/catalog/``.

Every model rejects unknown fields and checks types strictly (``"true"`` is not a bool); every field is
required unless it says otherwise, so a forgotten key is reported instead of silently defaulted. Cross-entry
rules (unique ids, unique aliases, references between files) live in :mod:`benchkb.catalog.load`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[-.@][a-z0-9]+)*$")]
Surface = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False)]
Area = Literal[
    "nlp",
    "vision",
    "3d",
    "video",
    "code",
    "math",
    "agents",
    "rl",
    "robotics",
    "driving",
    "speech",
    "systems",
    "multimodal",
    "medical",
    "graph",
    "recsys",
    "science",
    "safety",
]
Kind = Literal["benchmark", "metric", "model", "hardware", "precision"]
KINDS: tuple[Kind, ...] = ("benchmark", "metric", "model", "hardware", "precision")
# The claim fields whose surfaces resolve to a catalog entry, and the kind of entry each names.
SURFACE_KINDS: dict[str, Kind] = {
    "benchmark": "benchmark",
    "metric": "metric",
    "subject": "model",
    "baseline": "model",
}


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: Slug = Field(
        description="stable slug, e.g. swe-bench-verified; the key other files and the database use"
    )
    name: Surface = Field(description="canonical name as usually written")
    aliases: list[Surface] = Field(
        description="other spellings; variants that normalise to the same key are not listed"
    )

    def surfaces(self) -> list[str]:
        """The canonical name, then the aliases, as written."""
        return [self.name, *self.aliases]


class BenchmarkEntry(_Entry):
    """A benchmark or dataset results are reported on."""

    family: Surface = Field(
        description="canonical name of the family's head benchmark; its own name when alone"
    )
    area: Area
    metrics: list[Slug] = Field(
        description="ids of the metrics usually reported on it (metrics.jsonl); a score "
        "that names no metric is the first of them in its unit"
    )
    metric_aliases: dict[Surface, Slug] = Field(
        default_factory=dict,
        description="what a metric's name means on this benchmark, where that differs from its general "
        "sense: 'pass@1' and 'resolution' on SWE-bench are its resolve rate, 'accuracy' on ImageNet is top-1",
    )
    url: str | None = Field(description="home page or paper")


class MetricEntry(_Entry):
    """A measured quantity, with its usual unit, direction and valid range."""

    unit: str | None = Field(description="usual unit ('%', 'x', '', 's', 'USD', ...); null when it varies")
    higher_is_better: bool
    min: float | None = Field(description="smallest valid value in that unit, or null")
    max: float | None = Field(description="largest valid value in that unit, or null")
    complement_of: Slug | None = Field(
        default=None,
        description="the metric this one is the complement of (top-1 error of top-1 accuracy): "
        "value = min + max - the other's value",
    )

    @model_validator(mode="after")
    def _range_is_ordered(self) -> MetricEntry:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self


class ModelEntry(_Entry):
    """A model, or a system, library or agent that results are reported for or compared against."""

    organization: str | None
    parameters: float | None = Field(gt=0, description="parameter count (7e9 for 7B) where public, else null")
    software: bool = Field(
        default=False,
        description="a software system whose releases are one entry: "
        "a trailing version ('cuDNN 9.13') resolves to it",
    )


class HardwareEntry(_Entry):
    """An accelerator with its dense peak throughput per precision, from the vendor's datasheet."""

    vendor: str
    peaks: dict[str, Annotated[float, Field(gt=0)]] = Field(
        min_length=1,
        description="precision name (precisions.jsonl) -> dense peak TFLOP/s (TOPS for integers)",
    )
    source: str = Field(min_length=1, description="the datasheet the peaks come from: title and URL")
    notes: str | None = Field(default=None, description="caveats on the figures")


class PrecisionEntry(BaseModel):
    """A numeric precision; its canonical name (BF16, FP8, ...) is its id."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]+$")]
    aliases: list[Surface]
    bits: int = Field(gt=0, le=64)

    @property
    def id(self) -> str:
        return self.name

    def surfaces(self) -> list[str]:
        return [self.name, *self.aliases]


Entry = BenchmarkEntry | MetricEntry | ModelEntry | HardwareEntry | PrecisionEntry
ENTRY_MODELS: dict[Kind, type[BaseModel]] = {
    "benchmark": BenchmarkEntry,
    "metric": MetricEntry,
    "model": ModelEntry,
    "hardware": HardwareEntry,
    "precision": PrecisionEntry,
}
FILES: dict[Kind, str] = {
    "benchmark": "benchmarks.jsonl",
    "metric": "metrics.jsonl",
    "model": "models.jsonl",
    "hardware": "hardware.jsonl",
    "precision": "precisions.jsonl",
}
