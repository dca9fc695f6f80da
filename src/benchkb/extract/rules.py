"""The extractor's rule data (extractors/*.jsonl) as validated pydantic models.

Each file is read with :func:`benchkb.ruledata.read_jsonl`; unknown fields, wrong types and duplicate surfaces
are reported together, each with its file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from benchkb.resources import extractors_dir
from benchkb.ruledata import check_unique, raise_if, read_jsonl


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="after")
    def _no_repeats(self) -> _Rule:
        """A word listed twice in one list is a slip in the data (the second one can never matter)."""
        for name, value in self:
            if isinstance(value, list):
                repeated = sorted({item for item in value if isinstance(item, str) and value.count(item) > 1})
                if repeated:
                    raise ValueError(f"{name} lists {', '.join(map(repr, repeated))} more than once")
        return self


class UnitRule(_Rule):
    unit: str
    unit_class: str = Field(alias="class")
    after: list[str] = Field(default_factory=list)
    before: list[str] = Field(default_factory=list)


class MagnitudeRule(_Rule):
    surface: str
    factor: float
    glued: bool = False


class NumberWordRule(_Rule):
    forms: list[str] = Field(min_length=1)
    value: float
    role: Literal["cardinal", "multiplier", "fraction", "approximate"]
    direction: Literal["increase", "decrease"] | None = None
    unless: list[str] = Field(
        default_factory=list, description="phrases in which a form is a term, not a number"
    )


class QualifierRule(_Rule):
    qualifier: str
    before: list[str] = Field(default_factory=list)
    after: list[str] = Field(default_factory=list)
    span: list[str] = Field(default_factory=list)


class Lexicon(_Rule):
    lexicon: str
    words: list[str] = Field(default_factory=list)
    prefixes: list[str] = Field(default_factory=list)
    phrases: list[str] = Field(default_factory=list)
    bases: list[str] = Field(
        default_factory=list, description="verbs listed once; their inflections are added"
    )
    irregular: dict[str, str] = Field(
        default_factory=dict, description="base -> past participle when not regular"
    )
    suffixes: list[str] = Field(
        default_factory=list, description="word endings that put a word in the lexicon"
    )
    unless: list[str] = Field(
        default_factory=list, description="words with such an ending that are not in it"
    )


class NamePattern(_Rule):
    label: Literal["BENCHMARK", "SYSTEM", "HARDWARE", "PRECISION", "METRIC", "SETTING"]
    pattern: str = Field(description="a Python regular expression over the sentence text")
    requires: list[str] = Field(
        default_factory=list,
        description="strings (case-sensitive) without one of which in a sentence the pattern cannot match "
        "it: the pattern is tried only on sentences holding one, as scanning every sentence is slow",
    )
    note: str | None = None


# Cue words (what marks a comparison, a change, a setting) and the word classes the attribution rules read.
LEXICON_FILES = ("cues.jsonl", "words.jsonl")


class RuleSet(BaseModel):
    """All rule data the extractor reads."""

    model_config = ConfigDict(frozen=True)

    units: list[UnitRule]
    magnitudes: list[MagnitudeRule]
    number_words: list[NumberWordRule]
    qualifiers: list[QualifierRule]
    lexicons: dict[str, Lexicon]
    name_patterns: list[NamePattern]
    metric_heads: list[str]
    count_nouns: dict[str, str]

    @classmethod
    def load(cls, directory: Path | None = None) -> RuleSet:
        root = directory or extractors_dir()
        problems: list[str] = []
        units = read_jsonl(root / "units.jsonl", UnitRule, problems)
        check_unique(
            ((n, u) for n, u in units),
            lambda u: [u.unit],
            path=root / "units.jsonl",
            what="unit",
            problems=problems,
        )
        check_unique(
            units,
            lambda u: [f"after:{s}" for s in u.after] + [f"before:{s}" for s in u.before],
            path=root / "units.jsonl",
            what="unit surface",
            problems=problems,
        )
        magnitudes = read_jsonl(root / "magnitudes.jsonl", MagnitudeRule, problems)
        check_unique(
            magnitudes,
            lambda m: [m.surface],
            path=root / "magnitudes.jsonl",
            what="magnitude",
            problems=problems,
        )
        words = read_jsonl(root / "number_words.jsonl", NumberWordRule, problems)
        check_unique(
            words,
            lambda w: [f.lower() for f in w.forms],
            path=root / "number_words.jsonl",
            what="number word",
            problems=problems,
        )
        qualifiers = read_jsonl(root / "qualifiers.jsonl", QualifierRule, problems)
        check_unique(
            qualifiers,
            lambda q: [q.qualifier],
            path=root / "qualifiers.jsonl",
            what="qualifier",
            problems=problems,
        )
        check_unique(
            qualifiers,
            lambda q: [f"before:{s}" for s in q.before] + [f"after:{s}" for s in q.after],
            path=root / "qualifiers.jsonl",
            what="qualifier surface",
            problems=problems,
        )
        lexicons: list[tuple[int, Lexicon]] = []
        named: dict[str, str] = {}  # a lexicon's name is unique across both files
        for name in LEXICON_FILES:
            entries = read_jsonl(root / name, Lexicon, problems)
            check_unique(
                entries,
                lambda x: [x.lexicon],
                path=root / name,
                what="lexicon",
                problems=problems,
                seen=named,
            )
            lexicons += entries
        patterns = read_jsonl(root / "name_patterns.jsonl", NamePattern, problems)
        heads = read_jsonl(root / "metric_heads.jsonl", _WordList, problems)
        counts = read_jsonl(root / "count_nouns.jsonl", _CountNoun, problems)
        check_unique(
            counts,
            lambda c: [s.lower() for s in c.surfaces],
            path=root / "count_nouns.jsonl",
            what="count noun",
            problems=problems,
        )
        raise_if(problems)
        return cls(
            units=[u for _, u in units],
            magnitudes=[m for _, m in magnitudes],
            number_words=[w for _, w in words],
            qualifiers=[q for _, q in qualifiers],
            lexicons={x.lexicon: x for _, x in lexicons},
            name_patterns=[p for _, p in patterns],
            metric_heads=[w for _, entry in heads for w in entry.words],
            count_nouns={s.lower(): c.unit for _, c in counts for s in c.surfaces},
        )


class _WordList(_Rule):
    words: list[str]
    note: str | None = None


class _CountNoun(_Rule):
    unit: str
    surfaces: list[str]
