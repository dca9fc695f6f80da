"""Every tolerance, threshold and word pattern the audit rules use, in one settings object.

A rule reads its numbers from here and nowhere else, so a tolerance can be changed (or tested) in one place
and the findings say which setting they applied. Patterns are case-insensitive regular expressions in DuckDB's
(RE2) and Python's common syntax.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from benchkb.models import Severity


class RangeCheck(BaseModel):
    """A bound that a kind of claim must respect: e.g. a rate in percent lies within [0, 100]."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    describes: str = Field(description="what is bounded, for the message: 'a rate or accuracy in percent'")
    kinds: tuple[str, ...]
    units: tuple[str, ...] | None = Field(
        default=None, description="claim units it applies to; None: any unit"
    )
    metric_pattern: str | None = Field(default=None, description="regex the metric surface must match")
    direction: Literal["increase", "decrease"] | None = None
    minimum: float | None = None
    maximum: float | None = None
    minimum_inclusive: bool = True
    maximum_inclusive: bool = True
    severity: Severity = "error"


RATE_METRICS = (
    r"accura|(^|\W)acc($|\W)|rate($|\W)|precision|recall|(^|\W)f1|success|pass@|hit@|top-?\d|exact match|"
    r"win ?rate|agreement|coverage"
)
UTILIZATION_METRICS = r"utili[sz]ation|(^|\W)[mh]fu($|\W)|of (theoretical |hardware )?peak"

DEFAULT_RANGE_CHECKS: tuple[RangeCheck, ...] = (
    RangeCheck(
        name="ratio-positive",
        describes="a multiplicative factor",
        kinds=("ratio",),
        minimum=0.0,
        minimum_inclusive=False,
    ),
    RangeCheck(
        name="reduction-at-most-100",
        describes="a reduction in percent",
        kinds=("change",),
        units=("%",),
        direction="decrease",
        minimum=0.0,
        maximum=100.0,
    ),
    # Exactly 100% is possible: "eliminates", "~100% relative accuracy drop".
    RangeCheck(
        name="utilization-at-most-100",
        describes="a utilization in percent",
        kinds=("score",),
        units=("%",),
        metric_pattern=UTILIZATION_METRICS,
        minimum=0.0,
        maximum=100.0,
    ),
    RangeCheck(
        name="rate-within-0-100",
        describes="a rate or accuracy in percent",
        kinds=("score",),
        units=("%",),
        metric_pattern=RATE_METRICS,
        minimum=0.0,
        maximum=100.0,
    ),
)


class AuditSettings(BaseModel):
    """Tolerances and patterns for every rule; the defaults are what `benchkb audit` uses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # range
    # --------------------------------------------------------------------------------------------------------
    range_checks: tuple[RangeCheck, ...] = DEFAULT_RANGE_CHECKS
    scaled_metrics: tuple[str, ...] = Field(
        default=("srcc", "plcc", "kendall-tau", "mcc"),
        description="catalog ids of correlations, which papers also report x100 ('Spearman 48.18'): values "
        "within 100 times their range are in range (not SSIM: an SSIM of 32.01 is a PSNR)",
    )
    extraction_cues: str = Field(
        default=r"\b(improv\w*|gains?|increas\w*|boost\w*|lifts?|rais\w*|higher|more|better|accelerat\w*|"
        r"speed-?ups?|faster|relative|surg\w*|ris(e|es|ing)|grow\w*|reduc\w*|decreas\w*|drops?|lower|"
        r"less|fewer|within|shift|delta|gap|by|outperform\w*|exceed\w*|surpass\w*|times|x)\b",
        description="words in the sentence of an impossible score that show it is a gain, a share or a "
        "difference: the extraction stored it as a value",
    )
    other_metric_before: str = Field(
        default=r"\(?\b([A-Z][A-Za-z0-9@\-]{1,15})\)?\s*(of|:|=|is|was)?\s*[$\\(]*"
        r"([\d.,]+\s*\\?%?[$)]*\s*(,|and|or|,\s*and)\s*[$\\(]*){0,4}$",
        description="'(FID): 5.18' stored as SSIM, 'a StreamLAAL of 1837.86 and 3343.73' stored as BLEU: the "
        "name just before the number, or before the list it ends, is another metric's",
    )
    parameter_before: str = Field(
        default=r"(\\[A-Za-z]+|(^|[^A-Za-z])[A-Za-z]_?)\}?\$?\s*=\s*[$\\{(]*$",
        description="'{\\lambda} = 0.6', '$k=5$': the number is a setting of a parameter, not the metric's "
        "value",
    )
    unit_after: str = Field(
        default=r"^[\s~$\\,]*(dB|ms|sec|seconds|minutes|hours|[KMGT]i?B|FPS|fps|Hz|[kMG]Hz|W|mm|cm|px|"
        r"TFLOPs?|GFLOPs?)\b",
        description="'20.71~dB / 0.683 SSIM': a unitless score followed by another measure's unit is that "
        "measure's value",
    )
    not_a_proportion_after: str = Field(
        default=r"^[^.;]{0,80}?\bnot an? (proportion|percentage|fraction|probability|share|rate)\b|"
        r"^[^.;]{0,80}?\b(can|may|might) exceed 100",
        description="'246.5% (a per-scenario leak-event count, not a proportion)': the paper says the value "
        "is not bounded by 100%, so a rate's range does not apply",
    )
    cue_reach: int = Field(
        default=30, description="characters on each side of a reduction searched for increase_cues"
    )
    increase_cues: str = Field(
        default=r"\b(surg\w*|increas\w*|ris(e|es|ing)|grow\w*|higher|more|improv\w*|boost\w*|gains?|"
        r"degrad\w*|deteriorat\w*|worsen\w*)\b",
        description="words by an impossible reduction that show it is an increase the extraction read as "
        "one; a degradation by more than 100% ('degraded performance by over 37,000%') is a rise of an error "
        "or a loss, not a reduction of something positive",
    )
    share_after: str = Field(
        default=r"^\s*\\?%?\$?\s*(of|the)\b",
        description="'102.7% of the original accuracy': a share of another result",
    )
    # grounding
    # -----------------------------------------------------------------------------------------------------
    value_relative_tolerance: float = Field(
        default=1e-6, description="a parsed number equals the stored value"
    )
    # count-percent
    # -------------------------------------------------------------------------------------------------
    fraction_pattern: str = r"(\d[\d,]*(?:\.\d+)?)\s*(?:/|out of|of)\s*(\d[\d,]*(?:\.\d+)?)"
    fraction_percent_gap: int = Field(
        default=16, description="most characters between '19/22' and its '86.4%'"
    )
    fraction_percent_joiner: str = Field(
        default=r"^[\s,:(\[)\]]*((i\.e\.|or|=|which is|that is|for|a total of)[\s,:(\[]*)?$"
        r"|^\s*[A-Za-z-]+\s*[(\[]\s*$",
        description="what may stand between a fraction and its percentage: punctuation, brackets, 'i.e.', or "
        "the metric before a bracket ('87.5% accuracy (105/120)')",
    )
    rating_scale_max: float = Field(
        default=10,
        description="a fraction with a decimal numerator over at most this is a rating ('3.24/4'), or "
        "with a decimal denominator ('1.08/3.0'), is a mean score, not a count",
    )
    not_a_share_after: str = Field(
        default=r"^\s*(CI|C\.I\.|confidence|credible|prediction interval|significance)",
        description="a percentage followed by this is a confidence level, not the share a fraction gives",
    )
    rounding_slack: float = Field(
        default=1.0,
        description="stated figures may differ from the exact one by this many units of their last "
        "digit (1.0 allows both rounding and truncation)",
    )
    # peak-utilization
    # ----------------------------------------------------------------------------------------------
    throughput_units: dict[str, float] = Field(
        default={"GFLOP/s": 1e-3, "TFLOP/s": 1.0, "PFLOP/s": 1e3, "EFLOP/s": 1e6},
        description="FLOP/s units and their factor to TFLOP/s",
    )
    utilization_metric_pattern: str = UTILIZATION_METRICS
    utilization_after_pattern: str = (
        r"^\W{0,3}(utili[sz]ation|[mh]fu($|\W)|model flops utili|of (the )?(theoretical |hardware |peak |"
        r"device |maximum |achievable )*(peak|maximum))"
    )
    device_units: tuple[str, ...] = ("GPUs", "GPU", "TPUs", "TPU", "devices", "chips", "accelerators", "NPUs")
    per_device_after_pattern: str = r"^\W{0,2}(per|/|each)[ -]?(gpu|device|chip|accelerator|tpu|npu)"
    peak_tolerance: float = Field(
        default=0.02,
        description="relative gap allowed between the implied and the datasheet peak; covers a "
        "utilization rounded to a whole percent",
    )
    # reduction-speedup
    # ---------------------------------------------------------------------------------------------
    time_metric_pattern: str = r"time|latency|runtime|duration|wall-?clock|seconds|hours|delay|makespan"
    speedup_metric_pattern: str = r"speed|faster|acceleration|time|latency|runtime"
    speedup_tolerance: float = Field(
        default=0.05, description="relative gap allowed between implied and stated"
    )
    chained_speedup_factor: float = Field(
        default=3.0,
        description="a stated speedup more than this many times the one a reduction implies compares with "
        "an earlier baseline ('reducing training time by 16.4%, corresponding to a 12.6x acceleration over "
        "vanilla 3DGS'): info, not a warning",
    )
    generic_speedup_metric: str = Field(
        default=r"speed|speed-?ups?|faster|acceleration",
        description="a speedup named only as such measures whatever it is paired with",
    )
    by_before_pattern: str = Field(
        default=r"\bby\s*(up to|over|about|nearly|approximately|more than|almost|roughly|around|"
        r"on average)?\s*[$\\(~]*$",
        description="'reduces latency by 55%': the metric stands in the words before the number",
    )
    cue_after_pattern: str = Field(
        default=r"^[\s$\\{}()a-z]{0,12}?\b(reductions?|decreases?|drops?|cuts?|fewer|less|lower|more|higher|"
        r"faster|slower|shorter|smaller|larger|speed-?ups?|improvements?|increases?)\b",
        description="'a 55% reduction in latency', '3.7x lower latency': "
        "the metric stands in the words after it",
    )
    clause_break_pattern: str = Field(
        default=r"[,;:.]|\s(and|while|with|but|whereas|compared)\s",
        description="where the phrase after a number ends",
    )
    # contradiction and beat
    # ----------------------------------------------------------------------------------------
    absolute_tolerance: dict[str, float] = Field(
        default={"%": 1.0, "pp": 1.0, "points": 1.0},
        description="per unit, values closer than this agree; other units use relative_tolerance",
    )
    relative_tolerance: float = 0.02
    technique_models: tuple[str, ...] = Field(
        default=("chain-of-thought", "self-consistency", "react"),
        description="catalog models that are methods run on a base model: two papers' values for one differ "
        "with the model it runs on, so a gap between them is no contradiction",
    )
    short_name_length: int = Field(
        default=5,
        description="an uncatalogued name whose normalised key is this short is one system in two papers "
        "only when both write it alike ('D-AR' and 'DAR' may be two)",
    )
    setting_pattern: str = Field(
        default=r"\b(zero|one|few|\d+)[- ]?shot|\bfine-?tun|\blinear[- ]prob|\bfrom scratch|\bpre-?train|"
        r"\b(test|val|validation|dev)[- ](set|split)|\bchain[- ]of[- ]thought|\bcot\b|\bmaj@\d+|"
        r"\bpass@\d+|\bdistill|\bimagenet-?2[12]k|\bjft|\bself-consistency|\bwith tools",
        description="words of a sentence that name the setting of its numbers: two values of one system on "
        "one benchmark contradict only under the same setting",
    )
    beat_cue_pattern: str = (
        r"outperform|surpass|beat|exceed|better than|ahead of|improv|over |higher than|superior|"
        r"state-of-the-art|\bsota\b"
    )
    # hedge
    # --------------------------------------------------------------------------------------------------------
    hedge_qualifiers: tuple[str, ...] = ("up to", "more than", "over", "at least", "exceeding")
    # reference
    # -----------------------------------------------------------------------------------------------------
    reference_fraction_as_percent: bool = Field(
        default=True, description="a leaderboard value <= 1 compared with a claim in % is read as a fraction"
    )

    def tolerance(self, unit: str, reference: float) -> float:
        """How far a value in ``unit`` may be from ``reference`` and still agree with it."""
        if unit in self.absolute_tolerance:
            return self.absolute_tolerance[unit]
        return abs(reference) * self.relative_tolerance
