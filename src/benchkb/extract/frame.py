"""A sentence as the claim builder sees it: tokens, the mentions and names placed on them, and word classes.

Built once per sentence from a spaCy ``Doc``; the attribution rules in ``fields.py`` read it and never touch spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from benchkb.extract.numbers import Mention
from benchkb.extract.rules import RuleSet

PUNCT = frozenset(",;:()[]{}.!?\"'`“”‘’")
CLAUSE_BREAKS = frozenset({";", ":"})
_CLAUSE_WORDS = frozenset({"while", "whereas", "whilst", "but", "although", "though"})


class Lexicons:
    """Fast membership tests for the word lists of extractors/cues.jsonl."""

    def __init__(self, rules: RuleSet) -> None:
        self._words = {name: frozenset(x.words) | inflections(x.bases) for name, x in rules.lexicons.items()}
        self.bases = {form: base for x in rules.lexicons.values() for base in x.bases for form in inflections([base])}
        self.past = {base: past for x in rules.lexicons.values() for base, past in x.irregular.items()}
        self._prefixes = {name: tuple(x.prefixes) for name, x in rules.lexicons.items()}
        self.phrases = {name: [p.split() for p in x.phrases] for name, x in rules.lexicons.items() if x.phrases}
        self._suffixes = {name: (tuple(x.suffixes), frozenset(x.unless)) for name, x in rules.lexicons.items()
                          if x.suffixes}
        self.metric_heads = frozenset(w.lower() for w in rules.metric_heads)
        self.count_nouns = frozenset(rules.count_nouns)

    def has(self, name: str, lower: str) -> bool:
        if lower in self._words.get(name, ()) or (bool(self._prefixes.get(name)) and lower.startswith(
                self._prefixes[name])):
            return True
        suffixes = self._suffixes.get(name)
        return bool(suffixes) and len(lower) > 4 and lower.endswith(suffixes[0]) and lower not in suffixes[1]


@dataclass(frozen=True, slots=True)
class Name:
    """A named thing in the sentence: a benchmark, model or system, hardware, precision or metric."""

    label: str
    start: int  # token index
    end: int  # token index, exclusive
    text: str


@dataclass(frozen=True, slots=True)
class Placed:
    """A mention with the token span that covers it."""

    mention: Mention
    start: int
    end: int


@dataclass
class Frame:
    text: str
    words: list[str]
    lowers: list[str]
    starts: list[int]
    ends: list[int]
    mentions: list[Placed]
    names: list[Name]
    lex: Lexicons
    clause: list[int] = field(default_factory=list)
    name_at: dict[int, Name] = field(default_factory=dict)
    mention_at: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.clause = _clauses(self.lowers)
        for name in self.names:
            for i in range(name.start, name.end):
                self.name_at[i] = name
        for k, placed in enumerate(self.mentions):
            for i in range(placed.start, placed.end):
                self.mention_at[i] = k

    def __len__(self) -> int:
        return len(self.words)

    def span_text(self, start: int, end: int) -> str:
        """The sentence text covering tokens [start, end), as written."""
        return self.text[self.starts[start]:self.ends[end - 1]] if end > start else ""

    def is_(self, lexicon: str, i: int) -> bool:
        return 0 <= i < len(self.lowers) and self.lex.has(lexicon, self.lowers[i])

    def is_punct(self, i: int) -> bool:
        return self.words[i] in PUNCT

    def is_function(self, i: int) -> bool:
        return any(self.is_(name, i) for name in ("determiner", "preposition", "conjunction", "auxiliary"))

    def phrase_at(self, lexicon: str, i: int) -> int:
        """Length in tokens of a phrase of ``lexicon`` starting at token i (0 when none)."""
        for phrase in self.lex.phrases.get(lexicon, ()):
            if self.lowers[i:i + len(phrase)] == phrase:
                return len(phrase)
        return 1 if self.is_(lexicon, i) else 0

    def phrase_ending(self, lexicon: str, i: int) -> int:
        """Length in tokens of a phrase of ``lexicon`` ending at token i (0 when none)."""
        for phrase in self.lex.phrases.get(lexicon, ()):
            start = i - len(phrase) + 1
            if start >= 0 and self.lowers[start:i + 1] == phrase:
                return len(phrase)
        return 1 if self.is_(lexicon, i) else 0

    def name_ending(self, i: int, labels: frozenset[str] | None = None) -> Name | None:
        name = self.name_at.get(i)
        if name is not None and name.end - 1 == i and (labels is None or name.label in labels):
            return name
        return None

    def name_starting(self, i: int, labels: frozenset[str] | None = None) -> Name | None:
        name = self.name_at.get(i)
        if name is not None and name.start == i and (labels is None or name.label in labels):
            return name
        return None

    def is_verb(self, i: int) -> bool:
        """A verb form that is not also a noun of the domain ('scores', 'gains', 'results' are nouns here)."""
        if self.name_at.get(i) is not None or i in self.mention_at:
            return False
        lower = self.lowers[i]
        if lower in self.lex.metric_heads or self.is_("generic", i) or self.is_("self_heads", i):
            return False
        if not (self.is_("verb", i) or self.is_("result_verb", i) or self.is_("count_result", i)):
            return False
        if self.is_("change_nouns", i):
            # 'SwallowCode boosts pass@1' is a verb; 'a 57% boost', 'performance gains' are nouns.
            return i > 0 and (self.name_at.get(i - 1) is not None or self.words[i - 1][:1].isupper()
                              or self.is_("pronoun", i - 1) or self.is_("adverb", i - 1))
        return True


def past_participle(base: str, irregular: dict[str, str]) -> str:
    if base in irregular:
        return irregular[base]
    if re.fullmatch(r".*[^aeiou]y", base):
        return base[:-1] + "ied"
    return base + "d" if base.endswith("e") else base + "ed"


def inflections(bases: list[str]) -> frozenset[str]:
    """reduce -> reduce, reduces, reduced, reducing; cut -> cuts, cutting; outperform -> outperformed ..."""
    forms = set()
    for base in bases:
        stem = base[:-1] if base.endswith("e") and not base.endswith("ee") else base
        double = base + base[-1] if re.fullmatch(r".*[^aeiou][aeiou][bdgmnprt]", base) and len(base) <= 4 else base
        past = base[:-1] + "ied" if re.fullmatch(r".*[^aeiou]y", base) else (
            stem + "ed" if base.endswith("e") else double + "ed")
        forms.update({base, _third_person(base), past, (stem if base.endswith("e") else double) + "ing"})
    return frozenset(forms)


def _third_person(base: str) -> str:
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return base + "es"
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return base[:-1] + "ies"
    return base + "s"


def _clauses(lowers: list[str]) -> list[int]:
    """Clause number of each token: ';' and ':' and contrastive words ('while', ', but') start a new clause."""
    ids = []
    current = 0
    for i, lower in enumerate(lowers):
        if lower in CLAUSE_BREAKS or (lower in _CLAUSE_WORDS and (i == 0 or lowers[i - 1] == ",")):
            current += 1
        ids.append(current)
    return ids


def is_name_shaped(word: str) -> bool:
    """'FlashAttention-4', 'SkVM', 'gpt-4o', 'B200', 'CODEX': capitals inside, digits with letters, or all caps."""
    return bool(_NAME_SHAPE.search(word)) and any(c.isalpha() for c in word)


_NAME_SHAPE = re.compile(
    r"^[A-Za-z][a-z0-9]*[A-Z]|^[A-Z]{2,}|[A-Za-z][\w.\-/]*\d|\d[\w.\-]*[A-Za-z]|^[A-Z][a-z]+-[A-Z0-9]")


def np_left(frame: Frame, end: int, *, floor: int = 0, allow_mentions: bool = False, names_joined: bool = False) -> int:
    """Start of the noun phrase that ends just before token ``end`` (== end when there is none)."""
    i = end
    while i - 1 >= floor and (_np_word(frame, i - 1, allow_mentions=allow_mentions) or (
            names_joined and _joins_names_left(frame, i - 1, floor))):
        i -= 1
    return i


def _joins_names_left(frame: Frame, i: int, floor: int) -> bool:
    if frame.lowers[i] not in {",", "and", "or", "&"} or i + 1 >= len(frame) or frame.name_at.get(i + 1) is None:
        return False
    before = i - 1
    while before >= floor and frame.lowers[before] in {",", "and", "or"}:
        before -= 1
    return before >= floor and frame.name_at.get(before) is not None


def np_right(frame: Frame, start: int, *, ceiling: int | None = None, names_joined: bool = True) -> int:
    """End (exclusive) of the noun phrase starting at token ``start``; 'X, Y and Z' joins when all are names."""
    ceiling = len(frame) if ceiling is None else ceiling
    i = start
    while i < ceiling and frame.is_("determiner", i) and frame.lowers[i] not in {"that", "this"}:
        i += 1
    while i < ceiling:
        if _np_word(frame, i):
            i += 1
        elif names_joined and _joins_names(frame, i, ceiling):
            i += 1
        else:
            break
    return i


def _joins_names(frame: Frame, i: int, ceiling: int) -> bool:
    """',' / 'and' / ', and' between two names keeps a coordinated list of names together."""
    if frame.lowers[i] not in {",", "and", "or", "&"} or i == 0 or i + 1 >= ceiling:
        return False
    before = frame.name_at.get(i - 1) is not None or (frame.lowers[i - 1] == "," and i >= 2
                                                      and frame.name_at.get(i - 2) is not None)
    after = i + 1
    while after < ceiling and frame.lowers[after] in {"and", "or", ","}:
        after += 1
    return before and after < ceiling and frame.name_at.get(after) is not None


def _np_word(frame: Frame, i: int, *, allow_mentions: bool = False) -> bool:
    if frame.name_at.get(i) is not None:
        return True
    if i in frame.mention_at:
        return allow_mentions and frame.mentions[frame.mention_at[i]].mention.unit in {"params"}
    word = frame.words[i]
    if word in PUNCT or frame.is_function(i) or frame.is_("adverb", i):
        return word == "'s"
    if frame.is_verb(i) and not frame.is_("change_nouns", i) and frame.lowers[i] not in frame.lex.metric_heads:
        return False
    return any(c.isalpha() for c in word) or word in {"-", "/", "'s"}
