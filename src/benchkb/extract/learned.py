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
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from benchkb.errors import RuleFileError
from benchkb.extract.actors import Found
from benchkb.extract.build import Draft
from benchkb.extract.classify import direction_of
from benchkb.extract.context import PaperContext
from benchkb.extract.features import Phrase, SentenceIndex, kind_features, relative_features
from benchkb.extract.frame import Frame, Lexicons, is_name_shaped
from benchkb.extract.own_names import OwnName, own_names
from benchkb.resources import extractors_dir

FIELDS = ("subject", "benchmark", "metric", "baseline")
KINDS = ("score", "ratio", "change", "setup")
RESULTS = frozenset({"score", "ratio", "change"})
WEIGHTS_FILE = "attribution.json"


class LinearScorer(BaseModel):
    """A logistic model over named binary features: score = intercept + sum of the weights of the features on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    intercept: float
    weights: dict[str, float]

    def score(self, features: Iterable[str]) -> float:
        weights = self.weights
        return self.intercept + sum(weights.get(f, 0.0) for f in features)


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
    fields: dict[str, LinearScorer]

    @model_validator(mode="after")
    def _all_fields(self) -> AttributionWeights:
        missing = set(FIELDS) - set(self.fields)
        if missing:
            raise ValueError(f"no weights for {sorted(missing)}")
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
            raise RuleFileError(f"{path}: invalid attribution weights: {_first_line(exc)}") from exc

    def dump(self, path: Path) -> None:
        path.write_text(json.dumps(self.model_dump(), indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


@dataclass(slots=True)
class Candidate:
    """A value a field may take (None: the field stays empty) with the features that describe it."""

    text: str | None
    features: list[str]


@dataclass(slots=True)
class Observation:
    """A number as the learned layer sees it: the features of its kind and the candidates of each field."""

    draft: Draft
    sentence: str
    kind_features: list[str]
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)


@dataclass(slots=True)
class Memory:
    """What earlier sentences of the abstract gave their results (the rules' choices, so that candidates never
    depend on a model)."""

    subject: str | None = None
    benchmark: str | None = None
    metric: str | None = None

    def remember(self, drafts: list[Draft]) -> None:
        for draft in drafts:
            if draft.kind in RESULTS:
                self.subject = draft.subject.text or self.subject
                self.benchmark = draft.benchmark.text or self.benchmark
                self.metric = draft.metric.text or self.metric


@dataclass(slots=True)
class PaperState:
    """What the learned attribution knows of the abstract as it reads it: the paper's own names (from the title and
    abstract) and what earlier sentences gave their results."""

    context: PaperContext
    own: list[OwnName]
    memory: Memory = field(default_factory=Memory)

    @classmethod
    def read(cls, context: PaperContext, abstract: str) -> PaperState:
        return cls(context, own_names(context.title, abstract))

    @property
    def system(self) -> str | None:
        """The paper's own system by its best supported name."""
        return self.own[0].name if self.own else self.context.system


class Attribution:
    """Proposes candidates for a sentence's numbers (:meth:`observe`) and, given weights, decides (:meth:`apply`)."""

    def __init__(self, lex: Lexicons, weights: AttributionWeights | None) -> None:
        self.lex = lex
        self.weights = weights

    def observe(self, frame: Frame, drafts: list[Draft], paper: PaperState) -> list[Observation]:
        index = SentenceIndex(frame)
        observed = []
        for draft in drafts:
            features = kind_features(frame, draft.k, draft.kind, draft.qualifier, draft.verb, draft.qualifier_start)
            observation = Observation(draft, frame.text, features)
            observation.candidates = {name: self._candidates(index, draft, name, paper) for name in FIELDS}
            observed.append(observation)
        return observed

    def apply(self, frame: Frame, drafts: list[Draft], paper: PaperState) -> None:
        """Re-decide each draft's kind and, for results, its fields (in place)."""
        weights = self.weights
        if weights is None or not drafts:
            paper.memory.remember(drafts)
            return
        index = None
        for draft in drafts:
            features = kind_features(frame, draft.k, draft.kind, draft.qualifier, draft.verb, draft.qualifier_start)
            kind = decide_kind(weights.kind, features, draft)
            if kind != draft.kind:
                _rekind(frame, draft, kind)
            if kind not in RESULTS:
                continue
            index = index or SentenceIndex(frame)
            for name in FIELDS:
                chosen = choose(weights.fields[name], self._candidates(index, draft, name, paper))
                setattr(draft, name, Found(chosen, "learned") if chosen else Found(None))
        paper.memory.remember(drafts)

    def _own_name(self, phrase: Phrase, name: str, paper: PaperState) -> str | None:
        """'our method', 'our framework', 'the proposed approach': the paper's own system, by its name."""
        if name != "subject" or not phrase.owned:
            return None
        return paper.system

    def _candidates(self, index: SentenceIndex, draft: Draft, name: str, paper: PaperState) -> list[Candidate]:
        """The sentence's phrases near the number, each where it stands, and the values known from elsewhere (the
        rule's choice, the paper's own names, what earlier sentences gave) that the sentence does not write; a
        phrase that is also one of those carries that too ('src:rule', 'own:acronym')."""
        frame = index.frame
        placed = frame.mentions[draft.k]
        start, end = draft.qualifier_start, placed.end
        known = self._known(draft, name, paper)
        candidates = []
        for rank, phrase in _ranked(index, start, end):
            features = phrase.static + relative_features(index, start, end, phrase, draft.kind, rank)
            text = self._own_name(phrase, name, paper)
            if text is not None:
                features.append("names_own")
            text = text or phrase.text
            extra = known.get(_key(text))
            if extra is not None:
                features.extend(extra[1])
                extra[2] = True
            candidates.append(Candidate(text, features))
        rule = getattr(draft, name).text
        if rule:
            _mark_parts(candidates, rule)
        candidates.extend(Candidate(text, [*_text_features(text, self.lex), "elsewhere", *features])
                          for text, features, placed_here in known.values() if not placed_here)
        candidates.append(Candidate(None, ["none", f"none:kind:{draft.kind}", f"none:rule:{'set' if rule else 'empty'}"]))
        return candidates

    def _known(self, draft: Draft, name: str, paper: PaperState) -> dict[str, list]:
        """Values of the field known without reading the sentence, by normalised text: [text, features, placed]."""
        known: dict[str, list] = {}

        def add(text: str | None, features: list[str]) -> None:
            if text and text.strip(" ,;:()"):
                entry = known.setdefault(_key(text), [text.strip(), [], False])
                entry[1].extend(f for f in features if f not in entry[1])

        rule = getattr(draft, name)
        add(rule.text, ["src:rule", f"rule_src:{rule.source or 'none'}"])
        context = paper.context
        for rank, text in enumerate({"subject": context.systems[:2], "benchmark": context.benchmarks[:1]}.get(name, ())):
            add(text, [f"src:paper:{rank}"])
        if name in {"subject", "benchmark"}:
            for rank, entry in enumerate(paper.own[:4]):
                add(entry.name, [f"own_rank:{rank}", *entry.features])
        if name == "subject":
            add(context.self_reference, ["src:self_reference"])
        add(getattr(paper.memory, name, None), ["src:previous"])
        if name == "metric" and draft.mention.unit_class == "ratio":
            add("speedup", ["src:unit_metric"])
        return known


def _ranked(index: SentenceIndex, start: int, end: int) -> Iterator[tuple[int, Phrase]]:
    """The phrases near the number at tokens [start, end) with how many phrase edges of their side are nearer."""
    near = index.near(start, end)
    left = sorted((p for p in near if p.end <= start), key=lambda p: -p.end)
    right = sorted((p for p in near if p.start >= end), key=lambda p: p.start)
    for side, edge in ((left, lambda p: p.end), (right, lambda p: p.start)):
        rank, last = -1, None
        for phrase in side:
            if edge(phrase) != last:
                rank, last = rank + 1, edge(phrase)
            yield rank, phrase


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _mark_parts(candidates: list[Candidate], text: str) -> None:
    """Phrases inside the rule's choice ('HumanEval' of 'HumanEval and MBPP') are partly what the rule chose."""
    lowered = text.casefold()
    for candidate in candidates:
        if candidate.text and candidate.text.casefold() != lowered and candidate.text.casefold() in lowered:
            candidate.features.append("in_rule")


def _text_features(text: str, lex: Lexicons) -> list[str]:
    """Features of a candidate known only by its text (the rule's choice, the paper's names)."""
    words = text.split()
    lowers = [w.lower() for w in words]
    out = [f"len:{min(len(words), 4)}"]
    if any(is_name_shaped(w) for w in words):
        out.append("shaped")
    if words[0][:1].isupper():
        out.append("capital")
    if lowers[0] in {"our", "ours", "we", "it", "they", "this", "the"}:
        out.append(f"starts:{lowers[0]}")
    if lowers[-1] in lex.metric_heads:
        out.append("head:metric")
    for lexicon in ("self_heads", "generic", "evidence", "abstract_noun"):
        if lex.has(lexicon, lowers[-1]):
            out.append(f"head:{lexicon}")
    return out


def choose(scorer: LinearScorer, candidates: list[Candidate]) -> str | None:
    best = max(candidates, key=lambda c: scorer.score(c.features))
    return best.text


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


def probability(score: float) -> float:
    return 1.0 / (1.0 + math.exp(-score))
