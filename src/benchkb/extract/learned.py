"""Attribution by a scorer learned from gold: for each number, which kind it is, and for each result which
phrase is its subject, benchmark, metric and baseline.

The rules (``build``, ``actors``, ``measure``, ``classify``) still run first and propose; here every proposal
is one candidate among the sentence's names and noun phrases, the paper's own names, what earlier sentences
named, and "none", each described by named features (``features``). A linear model per field, fitted by
``benchkb train`` and stored as validated data in ``extractors/attribution.json``, picks the best-scoring
candidate. Extraction needs no training library: a score is a sum of weights.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from operator import add
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from benchkb.errors import RuleFileError
from benchkb.extract.actors import NOTHING, Found, before_value, compared_value, named_after, named_for
from benchkb.extract.build import Draft
from benchkb.extract.candidates import FIELDS, RESULTS, Candidate, CandidateFinder, PaperState
from benchkb.extract.classify import direction_of, is_p_value
from benchkb.extract.features import kind_features
from benchkb.extract.frame import Frame, Lexicons
from benchkb.extract.measure import RELATIVE
from benchkb.extract.phrases import SentenceIndex
from benchkb.resources import extractors_dir

KINDS = ("score", "ratio", "change", "setup")
_LIST = re.compile(r",|\band\b|\bor\b")
WEIGHTS_FILE = "attribution.json"


class LinearScorer(BaseModel):
    """A logistic model over named binary features: score = intercept + the weights of the features that
    are on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    intercept: float
    weights: dict[str, float]
    keep_rule_margin: float = Field(
        default=0.0,
        ge=0.0,
        description=("how much a candidate must outscore the rules' choice to replace it (fields only)"),
    )

    def score(self, features: Iterable[str]) -> float:
        return self.intercept + self.sum(features)

    def sum(self, features: Iterable[str]) -> float:
        """The sum of the weights of ``features`` (without the intercept)."""
        return sum(map(self.weights.get, features, repeat(0.0)))  # a generator costs twice as much


class KindScorer(BaseModel):
    """One linear scorer per kind; the kind with the highest score among those the unit allows wins."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    classes: dict[str, LinearScorer]

    @model_validator(mode="after")
    def _known(self) -> KindScorer:
        unknown = set(self.classes) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown kinds {sorted(unknown)}")
        return self


class AttributionWeights(BaseModel):
    """``extractors/attribution.json``: what ``benchkb train`` learned, and from what."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = 1
    trained_on: list[str] = Field(
        description="the gold files, with how many papers and result claims of each"
    )
    seed: int
    kind: KindScorer
    fields: dict[str, LinearScorer] = Field(
        description="the fields decided by a scorer; the rules decide the rest"
    )

    @model_validator(mode="after")
    def _known_fields(self) -> AttributionWeights:
        unknown = set(self.fields) - set(FIELDS)
        if unknown:
            raise ValueError(f"weights for unknown fields {sorted(unknown)}")
        return self

    @classmethod
    def load(cls, path: Path | None = None) -> AttributionWeights | None:
        """The shipped weights, or None when there are none (extraction then keeps the rules' choices)."""
        path = path or extractors_dir() / WEIGHTS_FILE
        if not path.exists():
            return None
        try:
            return cls.model_validate_json(path.read_text(encoding="utf-8"))
        except (ValidationError, ValueError) as exc:
            raise RuleFileError([f"{path}: invalid attribution weights: {_first_line(exc)}"]) from exc

    def dump(self, path: Path) -> None:
        path.write_text(json.dumps(self.model_dump(), indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _first_line(exc: Exception) -> str:
    """What is wrong, in one line: the first problem pydantic found, with where it is."""
    if isinstance(exc, ValidationError) and exc.errors():
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}" if where else first["msg"]
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


@dataclass(slots=True)
class Observation:
    """A number as the learned layer sees it: the features of its kind and the candidates of each field."""

    draft: Draft
    sentence: str
    kind_features: list[str]
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)


class Attribution:
    """Proposes candidates for a sentence's numbers (:meth:`observe`) and, given weights, decides
    (:meth:`apply`)."""

    def __init__(self, lex: Lexicons, weights: AttributionWeights | None) -> None:
        self.finder = CandidateFinder(lex)
        self.weights = weights

    @property
    def weights(self) -> AttributionWeights | None:
        return self._weights

    @weights.setter
    def weights(self, weights: AttributionWeights | None) -> None:
        self._weights = weights
        self._fields = _FieldScorers(weights.fields) if weights is not None else None

    def observe(self, frame: Frame, drafts: list[Draft], paper: PaperState) -> list[Observation]:
        index = SentenceIndex(frame)
        return [
            Observation(
                draft, frame.text, _kind_features(frame, draft), self.finder.find(index, draft, paper)
            )
            for draft in drafts
        ]

    def apply(self, frame: Frame, drafts: list[Draft], paper: PaperState) -> None:
        """Re-decide each draft's kind and, for results, its fields (in place)."""
        weights = self.weights
        if weights is not None:
            index = None
            for draft in drafts:
                if is_p_value(frame, draft.qualifier_start):
                    continue  # a significance level is never a result, whatever the scorer says
                kind = decide_kind(weights.kind, _kind_features(frame, draft), draft)
                if kind != draft.kind:
                    _rekind(frame, draft, kind)
                if kind in RESULTS and weights.fields:
                    index = index or SentenceIndex(frame)
                    self._decide_fields(index, draft, paper)
        for draft in drafts:
            if draft.kind not in RESULTS:
                continue
            if before_value(frame, draft.k, draft.qualifier_start):
                # 'improves X from 40.0% to 50.6%': the first number is what came before, not the subject's
                draft.subject = Found(named_after(frame, draft.k) or draft.baseline.text, "before")
            elif compared_value(frame, draft.k, draft.qualifier_start):
                # 'outperforms B (71.0% vs. 56.7%)', '54.0 vs. 44.9 for ReAct': the second number is B's
                whose = named_for(frame, draft.k) or named_after(frame, draft.k) or draft.baseline.text
                if whose:
                    draft.subject, draft.baseline = Found(whose, "compared"), NOTHING
        paper.memory.remember(drafts)

    def _decide_fields(self, index: SentenceIndex, draft: Draft, paper: PaperState) -> None:
        """Each learned field's best candidate. A phrase's features are summed for every field at once (they
        are the same for every field; only the weights differ), its own features once per sentence."""
        scorers = self._fields
        assert scorers is not None  # noqa: S101 - only called with weights
        placed = self.finder.place(index, draft)
        sums = []
        for phrase, features in placed:
            static = phrase.scores.get(id(scorers))
            if static is None:
                static = phrase.scores[id(scorers)] = scorers.sums(phrase.static)
            sums.append(list(map(add, static, scorers.sums(features))))
        for j, (name, scorer) in enumerate(scorers.items()):
            if _read_from_structure(draft, name):
                continue
            candidates = self.finder.field(placed, draft, name, paper)
            intercept, weigh = scorer.intercept, scorer.sum
            # The sentence's phrases come first, their features summed above; then the values known from
            # elsewhere.
            scores = [
                intercept + (weigh(c.extra) if c.extra else 0) + phrase[j]
                for c, phrase in zip(candidates, sums)
            ]
            scores += [intercept + weigh(c.extra) + weigh(c.features) for c in candidates[len(sums) :]]
            chosen = choose(scores, candidates, scorer.keep_rule_margin)
            setattr(draft, name, Found(chosen, "learned") if chosen else NOTHING)


class _FieldScorers:
    """The learned fields' scorers side by side: one look-up of a feature gives its weight in every field."""

    def __init__(self, fields: dict[str, LinearScorer]) -> None:
        self.fields = fields
        zero = (0.0,) * len(fields)
        names = set().union(*(scorer.weights for scorer in fields.values()))
        self.weights = {f: tuple(scorer.weights.get(f, 0.0) for scorer in fields.values()) for f in names}
        self.zero = zero

    def items(self):
        return self.fields.items()

    def sums(self, features: list[str]) -> list[float]:
        total = list(self.zero)
        fields = range(len(total))
        for found in filter(None, map(self.weights.get, features)):  # the features some field weighs
            for j in fields:
                total[j] += found[j]
        return total


def _kind_features(frame: Frame, draft: Draft) -> list[str]:
    return kind_features(frame, draft.k, draft.kind, draft.qualifier, draft.verb, draft.qualifier_start)


# Where the rules read a field from the sentence's structure, which no candidate feature sees, the scorer
# keeps it: 'surpassing Claude Opus (80.8%)' (a name right before the number is whose it is), 'a, b and c
# on A, B and C, respectively' (the rules paired the lists in order), '97% of its performance' (a relative
# figure).
STRUCTURAL_SOURCES = frozenset({"adjacent", "respectively"})


def _read_from_structure(draft: Draft, name: str) -> bool:
    found = getattr(draft, name)
    return found.source in STRUCTURAL_SOURCES or name == "metric" and (found.text or "").startswith(RELATIVE)


def choose(scores: list[float], candidates: list[Candidate], margin: float) -> str | None:
    """The best-scoring candidate, unless it beats the rules' choice by less than ``margin``: the rules are
    kept where the model is not clearly surer. When the rules chose nothing, "none" is one candidate among
    the others (cross-validated: giving it the margin too, or half of it, lost corpus-dev benchmark 0.772 ->
    0.756 or 0.759)."""
    best = max(range(len(candidates)), key=scores.__getitem__)
    rule = next((i for i, c in enumerate(candidates) if "src:rule" in c.extra), None)
    if rule is None:
        return candidates[best].text  # the rules chose nothing: no choice of theirs to keep
    if (
        scores[best] - scores[rule] <= margin
        or "in_rule" in candidates[best].extra
        and _LIST.search(candidates[rule].text or "")
    ):
        return candidates[
            rule
        ].text  # one name of the rules' list ('MMLU' of 'MMLU, GSM8K and ARC') is that list
    return candidates[best].text


def decide_kind(scorer: KindScorer, features: list[str], draft: Draft) -> str:
    allowed = _allowed_kinds(draft)
    scores = {kind: scorer.classes[kind].score(features) for kind in allowed if kind in scorer.classes}
    return max(scores, key=scores.__getitem__) if scores else draft.kind


def _allowed_kinds(draft: Draft) -> tuple[str, ...]:
    """A factor ('1.3x') is a ratio or a setting; anything else is a score, a change or a setting."""
    return ("ratio", "setup") if draft.mention.unit == "x" else ("score", "change", "setup")


def _rekind(frame: Frame, draft: Draft, kind: str) -> None:
    draft.kind = kind
    if kind in {"ratio", "change"}:
        draft.direction = (
            draft.direction
            or direction_of(frame, draft.k, draft.mention, kind, draft.qualifier_start)
            or "increase"
        )
        if draft.mention.sign == "±":
            draft.direction = None
    else:
        draft.direction = None
