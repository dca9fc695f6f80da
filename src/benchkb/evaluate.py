"""Scoring extracted claims against a hand-labelled gold file (format: ../shared/gold/GUIDE.md).

Matching: within one paper (by title), a predicted result claim (kind score, ratio or change) matches a gold
result claim with the same value (relative tolerance 1e-6) and the same unit; each claim matches at most once,
gold claims taken in order, preferring a prediction with the same text. Unmatched predictions are false
positives, unmatched gold claims false negatives.

Fields are compared on matched pairs. kind and direction must be equal; qualifiers are compared after mapping
both sides through extractors/qualifiers.jsonl ("on average" is "average"). benchmark, metric, subject and
baseline are scored twice: *exact* (equal after case-folding and whitespace) and *lenient*: equal after
normalisation (articles, possessives, punctuation, plural/-ed/-ing endings), or resolving to the same catalog
entry, or one's words being a subset of the other's ("speedup" vs "latency speedup"). Both null counts as
agreement; one null does not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from benchkb.catalog import SURFACE_KINDS, Catalog
from benchkb.extract.rules import RuleSet
from benchkb.models import RESULT_KINDS, Claim, Paper
from benchkb.ruledata import raise_if, read_jsonl
from benchkb.sources import ReadOptions, read_records

if TYPE_CHECKING:
    from benchkb.annotate import Annotator
    from benchkb.store import Store

FIELDS = ("kind", "benchmark", "metric", "subject", "baseline", "qualifier", "direction")
_DROP = {"the", "a", "an", "our", "its", "their", "this", "these"}


class GoldClaim(BaseModel):
    """One line of a gold file."""

    model_config = ConfigDict(extra="ignore")

    paper: str
    text: str
    value: float
    value_max: float | None = None
    unit: str = ""
    kind: str
    metric: str | None = None
    benchmark: str | None = None
    subject: str | None = None
    baseline: str | None = None
    direction: str | None = None
    qualifier: str | None = None
    conditions: list[str] = []
    note: str | None = None


@dataclass
class FieldScore:
    n: int = 0
    exact: int = 0
    lenient: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n, "exact": _ratio(self.exact, self.n), "lenient": _ratio(self.lenient, self.n)}


@dataclass
class PaperReport:
    title: str
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


@dataclass
class EvalReport:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    fields: dict[str, FieldScore] = field(default_factory=lambda: {f: FieldScore() for f in FIELDS})
    papers: list[PaperReport] = field(default_factory=list)
    unknown_papers: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "fields": {name: score.as_dict() for name, score in self.fields.items()},
            "papers": [vars(p) for p in self.papers if p.missed or p.extra or p.wrong],
            "unknown_papers": self.unknown_papers,
        }


def load_gold(path: Path) -> list[GoldClaim]:
    problems: list[str] = []
    entries = read_jsonl(path, GoldClaim, problems)
    raise_if(problems)
    return [entry for _, entry in entries]


class Scorer:
    """Compares predictions with gold; holds the catalog and qualifier table used to compare fields."""

    def __init__(self, catalog: Catalog | None = None, rules: RuleSet | None = None) -> None:
        self.catalog = catalog or Catalog.load()
        rules = rules or RuleSet.load()
        self.qualifiers = {
            s.lower(): q.qualifier for q in rules.qualifiers for s in (*q.before, *q.after, *q.span)
        }
        self.qualifiers.update({q.qualifier: q.qualifier for q in rules.qualifiers})

    def score(self, gold: Iterable[GoldClaim], predicted: Mapping[str, list[Claim]]) -> EvalReport:
        """``predicted``: claims by paper title."""
        report = EvalReport()
        by_title: dict[str, list[GoldClaim]] = {}
        for claim in gold:
            by_title.setdefault(_squash(claim.paper), []).append(claim)
        predictions = {_squash(title): claims for title, claims in predicted.items()}
        for key, claims in by_title.items():
            if key not in predictions:
                report.unknown_papers.append(claims[0].paper)
            self._paper(claims, predictions.get(key, []), report)
        return report

    def _paper(self, gold: list[GoldClaim], predicted: list[Claim], report: EvalReport) -> None:
        paper = PaperReport(title=gold[0].paper)
        wanted = [g for g in gold if g.kind in RESULT_KINDS]
        offered = [p for p in predicted if p.kind in RESULT_KINDS]
        used: set[int] = set()
        for item in wanted:
            match = _best_match(item, offered, used)
            if match is None:
                report.fn += 1
                paper.missed.append(f"{item.text!r} ({item.kind}, {item.unit or 'no unit'})")
                continue
            used.add(match)
            report.tp += 1
            self._fields(item, offered[match], report, paper)
        for index, claim in enumerate(offered):
            if index not in used:
                report.fp += 1
                paper.extra.append(f"{claim.text!r} ({claim.kind}, {claim.unit or 'no unit'})")
        report.papers.append(paper)

    def _fields(self, gold: GoldClaim, claim: Claim, report: EvalReport, paper: PaperReport) -> None:
        for name in FIELDS:
            expected, got = getattr(gold, name), getattr(claim, name)
            score = report.fields[name]
            score.n += 1
            if name == "qualifier":
                expected, got = self._qualifier(expected), self._qualifier(got)
            exact = _squash(expected) == _squash(got)
            lenient = exact or (name in SURFACE_KINDS and self.same(name, expected, got))
            score.exact += exact
            score.lenient += lenient
            if not lenient:
                paper.wrong.append(f"{gold.text!r} {name}: gold {expected!r}, got {got!r}")

    def _qualifier(self, value: str | None) -> str | None:
        return None if value is None else self.qualifiers.get(value.lower(), value.lower())

    def same(self, name: str, expected: str | None, got: str | None) -> bool:
        """Whether two values of a name field agree leniently (see the module's docstring)."""
        if expected is None or got is None:
            return expected is got
        a, b = _words(expected), _words(got)
        if a == b or (a and b and (a <= b or b <= a)):
            return True
        kind = SURFACE_KINDS[name]
        first = self.catalog.resolve_id(kind, expected)
        return first is not None and first == self.catalog.resolve_id(kind, got)


def _best_match(gold: GoldClaim, offered: list[Claim], used: set[int]) -> int | None:
    candidates = [
        i
        for i, claim in enumerate(offered)
        if i not in used
        and claim.unit == gold.unit
        and abs(claim.value - gold.value) <= 1e-6 * max(1.0, abs(gold.value))
    ]
    if not candidates:
        return None
    same_text = [i for i in candidates if offered[i].text == gold.text]
    return (same_text or candidates)[0]


def _words(text: str) -> frozenset[str]:
    tokens = re.sub(r"[^\w@+.%]+", " ", text.casefold()).split()
    return frozenset(_stem(t) for t in tokens if t not in _DROP)


def _stem(token: str) -> str:
    for ending in ("ing", "ed", "es", "s"):
        if len(token) > 4 and token.endswith(ending):
            return token[: -len(ending)]
    return token


def _squash(value: str | None) -> str | None:
    return None if value is None else " ".join(value.casefold().split())


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def dumps(report: EvalReport) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False)


def predictions_from_file(
    path: Path, annotator: Annotator, options: ReadOptions | None = None
) -> dict[str, list[Claim]]:
    """Extract fresh from an input file: claims by paper title. Bad records are skipped (they have no
    claims)."""
    found: dict[str, list[Claim]] = {}
    for record in read_records(path, options or ReadOptions()):
        if isinstance(record, Paper):
            found[record.title] = annotator.claims(record)
    return found


def predictions_from_store(store: Store) -> dict[str, list[Claim]]:
    """The claims a knowledge base holds, by paper title."""
    found: dict[str, list[Claim]] = {}
    titles = dict(store.query("SELECT paper_id, title FROM papers").rows())
    for claim in store.claims_of():
        found.setdefault(titles[claim.paper_id], []).append(claim)
    for title in titles.values():
        found.setdefault(title, [])
    return found
