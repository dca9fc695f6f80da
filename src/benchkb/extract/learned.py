"""Attribution by a scorer learned from gold: for each number, which kind it is, and for each result which phrase
is its subject, benchmark, metric and baseline.

The rules (``build``, ``actors``, ``measure``, ``classify``) still run first and propose; here every proposal is one
candidate among the sentence's names and noun phrases, the paper's own names, what earlier sentences named, and
"none", each described by named features (``features``). A linear model per field, fitted by ``benchkb train``
and stored as validated data in ``extractors/attribution.json``, picks the best-scoring candidate. Extraction needs
no training library: a score is a sum of weights.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from benchkb.errors import RuleFileError
from benchkb.extract.actors import NOTHING, Found
from benchkb.extract.build import Draft
from benchkb.extract.candidates import FIELDS, RESULTS, Candidate, CandidateFinder, PaperState
from benchkb.extract.classify import direction_of
from benchkb.extract.features import kind_features
from benchkb.extract.frame import Frame, Lexicons
from benchkb.extract.phrases import SentenceIndex
from benchkb.resources import extractors_dir

KINDS = ("score", "ratio", "change", "setup")
WEIGHTS_FILE = "attribution.json"


class LinearScorer(BaseModel):
    """A logistic model over named binary features: score = intercept + sum of the weights of the features on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    intercept: float
    weights: dict[str, float]
    keep_rule_margin: float = Field(default=0.0, ge=0.0, description=(
        "how much a candidate must outscore the rules' choice to replace it (fields only)"))

    def score(self, features: Iterable[str]) -> float:
        weights = self.weights
        return self.intercept + sum(weights.get(f, 0.0) for f in features)

    def rank(self, candidate: Candidate, shared: dict[int, float]) -> float:
        """A candidate's score. What several candidates share is summed once: a phrase's own features once per
        sentence (kept on the phrase), where it stands once per number (kept in ``shared``)."""
        weights = self.weights
        total = self.intercept + sum(weights.get(f, 0.0) for f in candidate.extra)
        key = id(candidate.features)
        part = shared.get(key)
        if part is None:
            part = shared[key] = sum(weights.get(f, 0.0) for f in candidate.features)
        total += part
        phrase = candidate.phrase
        if phrase is not None:
            static = phrase.scores.get(id(self))
            if static is None:
                static = phrase.scores[id(self)] = sum(weights.get(f, 0.0) for f in phrase.static)
            total += static
        return total


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
    trained_on: list[str] = Field(description="the gold files, with how many papers and result claims of each")
    seed: int
    kind: KindScorer
    fields: dict[str, LinearScorer] = Field(description="the fields decided by a scorer; the rules decide the rest")

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
    """Proposes candidates for a sentence's numbers (:meth:`observe`) and, given weights, decides (:meth:`apply`)."""

    def __init__(self, lex: Lexicons, weights: AttributionWeights | None) -> None:
        self.finder = CandidateFinder(lex)
        self.weights = weights

    def observe(self, frame: Frame, drafts: list[Draft], paper: PaperState) -> list[Observation]:
        index = SentenceIndex(frame)
        return [Observation(draft, frame.text, _kind_features(frame, draft), self.finder.find(index, draft, paper))
                for draft in drafts]

    def apply(self, frame: Frame, drafts: list[Draft], paper: PaperState) -> None:
        """Re-decide each draft's kind and, for results, its fields (in place)."""
        weights = self.weights
        if weights is not None:
            index = None
            for draft in drafts:
                kind = decide_kind(weights.kind, _kind_features(frame, draft), draft)
                if kind != draft.kind:
                    _rekind(frame, draft, kind)
                if kind in RESULTS and weights.fields:
                    index = index or SentenceIndex(frame)
                    for name, candidates in self.finder.find(index, draft, paper, tuple(weights.fields)).items():
                        chosen = choose(weights.fields[name], candidates)
                        setattr(draft, name, Found(chosen, "learned") if chosen else NOTHING)
        paper.memory.remember(drafts)


def _kind_features(frame: Frame, draft: Draft) -> list[str]:
    return kind_features(frame, draft.k, draft.kind, draft.qualifier, draft.verb, draft.qualifier_start)


def choose(scorer: LinearScorer, candidates: list[Candidate]) -> str | None:
    """The best-scoring candidate, unless it beats the rules' choice (or "none" when the rules chose nothing) by
    less than the scorer's margin: the rules are kept where the model is not clearly surer."""
    shared: dict[int, float] = {}
    scores = [scorer.rank(c, shared) for c in candidates]
    best = max(range(len(candidates)), key=scores.__getitem__)
    rule = next((i for i, c in enumerate(candidates) if "src:rule" in c.extra), len(candidates) - 1)
    return candidates[best if scores[best] - scores[rule] > scorer.keep_rule_margin else rule].text


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
        draft.direction = draft.direction or direction_of(frame, draft.k, draft.mention, kind,
                                                          draft.qualifier_start) or "increase"
        if draft.mention.sign == "±":
            draft.direction = None
    else:
        draft.direction = None

