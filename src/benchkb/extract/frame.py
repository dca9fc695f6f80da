"""A sentence as the claim builder sees it: tokens, the mentions and names placed on them, and word classes.

Built once per sentence from a spaCy ``Doc``; the attribution rules (``actors``, ``measure``, ``classify``,
``build``) read it and never touch spaCy.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from benchkb.extract.numbers import Mention
from benchkb.extract.rules import RuleSet

FUNCTION = "function"  # a derived class: any of the function-word lexicons
_FUNCTION_LEXICONS = frozenset({"determiner", "preposition", "conjunction", "auxiliary"})
PUNCT = frozenset(",;:()[]{}.!?\"'`“”‘’")
CLAUSE_BREAKS = frozenset({";", ":"})
_VERB_LEXICONS = frozenset({"verb", "result_verb", "count_result"})
_NOUN_LEXICONS = frozenset(
    {"change_nouns", "noun_forms"}
)  # forms that are nouns too: 'gains', 'boost', 'sets'
NOUN_OR_VERB = "noun or verb"
GO_ON = object()  # what a walk's step returns where it does not decide: look at the next token


class Lexicons:
    """Fast membership tests for the word lists of extractors/cues.jsonl and extractors/words.jsonl."""

    def __init__(self, rules: RuleSet) -> None:
        self._words = {name: frozenset(x.words) | inflections(x.bases) for name, x in rules.lexicons.items()}
        self.bases = {
            form: base for x in rules.lexicons.values() for base in x.bases for form in inflections([base])
        }
        self.base_forms = frozenset(self.bases.values())
        self.past = {base: past for x in rules.lexicons.values() for base, past in x.irregular.items()}
        self._prefixes = {name: tuple(x.prefixes) for name, x in rules.lexicons.items()}
        self.phrases = {
            name: [p.split() for p in x.phrases] for name, x in rules.lexicons.items() if x.phrases
        }
        self.phrases_by_first = {name: _by_word(phrases, 0) for name, phrases in self.phrases.items()}
        self.phrases_by_last = {name: _by_word(phrases, -1) for name, phrases in self.phrases.items()}
        self._suffixes = {
            name: (tuple(x.suffixes), frozenset(x.unless)) for name, x in rules.lexicons.items() if x.suffixes
        }
        self.metric_heads = frozenset(w.lower() for w in rules.metric_heads)
        self.count_nouns = frozenset(rules.count_nouns)
        self._exact: dict[str, set[str]] = {}
        for name, words in self._words.items():
            for word in words:
                self._exact.setdefault(word, set()).add(name)
        self._by_prefix = [(name, prefixes) for name, prefixes in self._prefixes.items() if prefixes]
        self._memo: dict[str, frozenset[str]] = {}
        self._verb_memo: dict[str, bool | str] = {}

    def words(self, name: str) -> frozenset[str]:
        """Every word of a lexicon, inflections included."""
        return self._words.get(name, frozenset())

    def classes(self, lower: str) -> frozenset[str]:
        """The lexicons ``lower`` belongs to (memoised: the same words recur in every abstract)."""
        found = self._memo.get(lower)
        if found is None:
            if len(self._memo) > 200_000:
                self._memo.clear()
            names = set(self._exact.get(lower, ()))
            names.update(name for name, prefixes in self._by_prefix if lower.startswith(prefixes))
            names.update(
                name
                for name, (endings, unless) in self._suffixes.items()
                if len(lower) > 4 and lower.endswith(endings) and lower not in unless
            )
            if names & _FUNCTION_LEXICONS:
                names.add(FUNCTION)
            found = self._memo[lower] = frozenset(names)
        return found

    def classes_of(self, lowers: list[str]) -> list[frozenset[str]]:
        """:meth:`classes` of each word (the memo read here: most words of a sentence are in it)."""
        memo = self._memo
        return [memo[lower] if lower in memo else self.classes(lower) for lower in lowers]

    def has(self, name: str, lower: str) -> bool:
        return name in self.classes(lower)

    def verb_form(self, lower: str) -> bool | str:
        """Whether a word is a verb form by itself: True, False, or NOUN_OR_VERB when its neighbours decide
        (memoised like :meth:`classes`)."""
        found = self._verb_memo.get(lower)
        if found is None:
            if len(self._verb_memo) > 200_000:
                self._verb_memo.clear()
            found = self._verb_memo[lower] = self._verb_form(lower)
        return found

    def _verb_form(self, lower: str) -> bool | str:
        classes = self.classes(lower)
        if lower in self.metric_heads or "generic" in classes or "self_heads" in classes:
            return False
        if classes.isdisjoint(_VERB_LEXICONS):
            return False
        return NOUN_OR_VERB if not classes.isdisjoint(_NOUN_LEXICONS) else True


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
    classes: list[frozenset[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.n = len(self.words)
        self.classes = self.lex.classes_of(self.lowers)
        self.clause = _clauses(self.lowers, self.classes)
        self._verbs: dict[int, bool] = {}
        self._phrase_starts: dict[str, dict[int, int]] = {}
        self.derived: dict[Any, Any] = {}  # what rules work out once per sentence and reuse for each mention
        for name in self.names:
            for i in range(name.start, name.end):
                self.name_at[i] = name
        for k, placed in enumerate(self.mentions):
            for i in range(placed.start, placed.end):
                self.mention_at[i] = k

    def __len__(self) -> int:
        return self.n

    def clause_end(self, i: int) -> int:
        """The token after the last one of token i's clause."""
        return bisect_right(self.clause, self.clause[i])

    def clause_start(self, i: int) -> int:
        """The first token of token i's clause."""
        return bisect_left(self.clause, self.clause[i])

    def span_text(self, start: int, end: int) -> str:
        """The sentence text covering tokens [start, end), as written."""
        return self.text[self.starts[start] : self.ends[end - 1]] if end > start else ""

    def is_(self, lexicon: str, i: int) -> bool:
        return lexicon in self.classes[i] if 0 <= i < self.n else False

    def is_punct(self, i: int) -> bool:
        return self.words[i] in PUNCT

    def is_function(self, i: int) -> bool:
        return FUNCTION in self.classes[i] if 0 <= i < self.n else False

    def phrase_at(self, lexicon: str, i: int) -> int:
        """Length in tokens of a phrase of ``lexicon`` starting at token i (0 when none)."""
        return self.phrase_starts(lexicon).get(i, 0)

    def phrase_starts(self, lexicon: str) -> dict[int, int]:
        """Token index -> length of each phrase of ``lexicon`` in the sentence (found once per lexicon)."""
        starts = self._phrase_starts.get(lexicon)
        if starts is None:
            starts = self._phrase_starts[lexicon] = self._find_phrases(lexicon)
        return starts

    def _find_phrases(self, lexicon: str) -> dict[int, int]:
        by_first = self.lex.phrases_by_first.get(lexicon, {})
        lowers = self.lowers
        longest: dict[int, int] = {}  # the words that open a phrase of the lexicon, and how long it runs
        for i in [i for i, lower in enumerate(lowers) if lower in by_first]:
            for phrase in by_first[lowers[i]]:
                if lowers[i : i + len(phrase)] == phrase:
                    longest[i] = max(longest.get(i, 0), len(phrase))
        words = [i for i, classes in enumerate(self.classes) if lexicon in classes]
        if not longest:
            return dict.fromkeys(words, 1)
        return {i: longest.get(i, 1) for i in sorted({*longest, *words})}

    def phrase_ending(self, lexicon: str, i: int) -> int:
        """Length in tokens of a phrase of ``lexicon`` ending at token i (0 when none)."""
        last = self.lowers[i] if 0 <= i < self.n else None
        for phrase in self.lex.phrases_by_last.get(lexicon, {}).get(last, ()):
            start = i - len(phrase) + 1
            if start >= 0 and self.lowers[start : i + 1] == phrase:
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

    def walk(self, tokens: range, step: Callable[[Frame, int], Any], default: Any = None) -> Any:
        """What ``step(frame, j)`` decides at the first j of ``tokens`` where it decides (returns anything but
        GO_ON), else ``default``. The outcome is remembered for every token passed, so that the mentions of a
        long sentence, walking over the same tokens, each step on a token once: extraction stays linear in
        sentence length. So a ``step`` must depend on the token only, and all its walks must run the same way
        to the same limit (the sentence's start or end, or the token's clause boundary)."""
        memo = self.derived.setdefault(step, {})
        passed = []
        outcome = default
        for j in tokens:
            if j in memo:
                outcome = memo[j]
                break
            decided = step(self, j)
            if decided is not GO_ON:
                outcome = decided
                break
            passed.append(j)
        for j in passed:
            memo[j] = outcome
        return outcome

    def skip_left(self, i: int, member: Callable[[Frame, int], bool]) -> int:
        """``while i >= 0 and member(frame, i): i -= 1``, remembered as :meth:`walk` does."""
        return self._skip(i, -1, member)

    def skip_right(self, i: int, member: Callable[[Frame, int], bool]) -> int:
        """``while i < len(frame) and member(frame, i): i += 1``, remembered as :meth:`walk` does."""
        return self._skip(i, 1, member)

    def _skip(self, i: int, way: int, member: Callable[[Frame, int], bool]) -> int:
        if not 0 <= i < self.n or not member(self, i):
            return i  # most runs are empty: nothing to remember
        memo = self.derived.setdefault((member, way), {})
        passed = [i]
        j = i + way
        while 0 <= j < self.n:
            if j in memo:
                j = memo[j]
                break
            if not member(self, j):
                break
            passed.append(j)
            j += way
        for k in passed:
            memo[k] = j
        return j

    def is_verb(self, i: int) -> bool:
        """A verb form that is not also a noun of the domain ('scores', 'gains', 'results' are nouns here)."""
        known = self._verbs.get(i)
        if known is None:
            known = self._verbs[i] = self._is_verb(i)
        return known

    def _is_verb(self, i: int) -> bool:
        if self.name_at.get(i) is not None or i in self.mention_at:
            return False
        verb_form = self.lex.verb_form(self.lowers[i])
        if verb_form is False:
            return self._metric_word_as_verb(i)
        if verb_form is not NOUN_OR_VERB:
            return verb_form
        # 'NovaNet boosts recall', 'and sets a new record' are verbs; 'a 35% boost', 'performance gains',
        # 'test sets' are nouns.
        return i > 0 and (
            self.name_at.get(i - 1) is not None
            or self.words[i - 1][:1].isupper()
            or self.is_("pronoun", i - 1)
            or self.is_("adverb", i - 1)
            or self.is_("noun_forms", i)
            and self.lowers[i - 1] in {"and", "or"}
        )

    def _metric_word_as_verb(self, i: int) -> bool:
        """'VST-7B scores 79.5%', 'our model scores 80.1%': a metric word that is also a verb form, between
        whoever did it and the number ('BLEU scores 28.1' stays a metric)."""
        if i < 1 or self.lowers[i] not in self.lex.metric_heads or not self.is_("noun_forms", i):
            return False
        if (i + 2 if self.is_("adverb", i + 1) else i + 1) not in self.mention_at:  # 'scores only 35.06%'
            return False
        before = self.name_at.get(i - 1)
        if before is not None:
            return before.label not in {"METRIC", "BENCHMARK"}
        return self.is_("self_heads", i - 1) or self.is_("pronoun", i - 1)


def _by_word(phrases: list[list[str]], at: int) -> dict[str, list[list[str]]]:
    """Phrases grouped by their word at index ``at`` (first or last), each group in the lexicon's order."""
    grouped: dict[str, list[list[str]]] = {}
    for phrase in phrases:
        grouped.setdefault(phrase[at], []).append(phrase)
    return grouped


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
        double = (
            base + base[-1] if re.fullmatch(r".*[^aeiou][aeiou][bdgmnprt]", base) and len(base) <= 4 else base
        )
        past = (
            base[:-1] + "ied"
            if re.fullmatch(r".*[^aeiou]y", base)
            else (stem + "ed" if base.endswith("e") else double + "ed")
        )
        forms.update({base, _third_person(base), past, (stem if base.endswith("e") else double) + "ing"})
    return frozenset(forms)


def _third_person(base: str) -> str:
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return base + "es"
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return base[:-1] + "ies"
    return base + "s"


def _clauses(lowers: list[str], classes: list[frozenset[str]]) -> list[int]:
    """Clause number of each token: ';' and ':' and contrastive words ('while', ', but') start a new
    clause."""
    ids = []
    current = 0
    for i, lower in enumerate(lowers):
        if (
            lower in CLAUSE_BREAKS
            or "clause_openers" in classes[i]
            or ("clause_contrasts" in classes[i] and (i == 0 or lowers[i - 1] == ","))
        ):
            current += 1
        ids.append(current)
    return ids


def occurrences(name: str, text: str) -> int:
    """How often the text writes the name as a word of its own: 'MPC' inside 'LMPC' is not it."""
    count, at = 0, text.find(name)
    while at >= 0:
        end = at + len(name)
        if not (at and _in_word(text[at - 1]) or end < len(text) and _in_word(text[end])):
            count += 1
        at = text.find(name, at + 1)
    return count


def _in_word(char: str) -> bool:
    return char.isalnum() or char in "_-"


def is_name_shaped(word: str) -> bool:
    """'DeepLab-3', 'NeRF', 'gpt-4o', 'H100', 'BERT': capitals inside, digits with letters, or all caps."""
    if len(word) > _LONG_WORD:
        return _shaped_by_runs(word) and any(c.isalpha() for c in word)
    return _short_name_shaped(word)


@lru_cache(maxsize=100_000)
def _short_name_shaped(word: str) -> bool:
    """:func:`is_name_shaped` of a word of at most ``_LONG_WORD`` characters (remembered: the same words recur
    in every abstract, and a pure function's memo needs no resetting)."""
    return _NAME_SHAPE.search(word) is not None and any(c.isalpha() for c in word)


_NAME_SHAPE = re.compile(
    r"^[A-Za-z][a-z0-9]*[A-Z]|^[A-Z]{2,}|[A-Za-z][\w.\-/]*\d|\d[\w.\-]*[A-Za-z]|^[A-Z][a-z]+-[A-Z0-9]"
)
# The same test for long words, where the search above would rescan the rest of the word from each letter or
# digit: the anchored alternatives, and 'a letter, then a digit later in the same run of word characters' (or
# the reverse) read once per run.
_LONG_WORD = 64
_NAME_SHAPE_START = re.compile(r"[A-Za-z][a-z0-9]*[A-Z]|[A-Z]{2,}|[A-Z][a-z]+-[A-Z0-9]")
_RUN = re.compile(r"[\w.\-/]+")
_RUN_NO_SLASH = re.compile(r"[\w.\-]+")
_LETTER = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")


def _shaped_by_runs(word: str) -> bool:
    """``_NAME_SHAPE.search(word)``, in time linear in the word's length."""
    return (
        _NAME_SHAPE_START.match(word) is not None
        or _before_in_run(word, _RUN, _LETTER, _DIGIT)
        or (_before_in_run(word, _RUN_NO_SLASH, _DIGIT, _LETTER))
    )


def _before_in_run(word: str, run: re.Pattern[str], first: re.Pattern[str], then: re.Pattern[str]) -> bool:
    for found in run.finditer(word):
        at = first.search(word, found.start(), found.end())
        if at is not None and then.search(word, at.end(), found.end()) is not None:
            return True
    return False


def np_left(
    frame: Frame, end: int, *, floor: int = 0, allow_mentions: bool = False, names_joined: bool = False
) -> int:
    """Start of the noun phrase that ends just before token ``end`` (== end when there is none)."""
    i = end
    listed = (
        False  # a comma joins names only in a list closed by a conjunction: not 'On GenVideo, D3 beats ...'
    )
    while i - 1 >= floor:
        if _np_word(frame, i - 1, allow_mentions=allow_mentions):
            i -= 1
        elif names_joined and _joins_names_left(frame, i - 1, floor, comma=listed):
            listed = listed or frame.lowers[i - 1] != ","
            i -= 1
        else:
            break
    return i


_CONJUNCTIONS = frozenset({"and", "or", "&"})
_JOINS = _CONJUNCTIONS | {","}


def _joins_names_left(frame: Frame, i: int, floor: int, *, comma: bool) -> bool:
    if frame.lowers[i] not in (_JOINS if comma else _CONJUNCTIONS):
        return False
    after = frame.skip_right(i + 1, _joins)  # 'Claude-3, and Gemini-1.5'
    if after >= len(frame) or frame.name_at.get(after) is None:
        return False
    before = frame.skip_left(i - 1, _joins)
    return before >= floor and frame.name_at.get(before) is not None


def _joins(frame: Frame, i: int) -> bool:
    return frame.lowers[i] in _JOINS


def is_determiner(frame: Frame, i: int) -> bool:
    return frame.is_("determiner", i)


def _np_word(frame: Frame, i: int, *, allow_mentions: bool = False) -> bool:
    if frame.name_at.get(i) is not None:
        return True
    if i in frame.mention_at:
        return allow_mentions and frame.mentions[frame.mention_at[i]].mention.unit in {"params"}
    word = frame.words[i]
    if word in PUNCT or frame.is_function(i) or frame.is_("adverb", i) or frame.is_("personal_pronouns", i):
        return word == "'s"
    if frame.is_verb(i):
        # The bare form of a result verb before a noun modifies it: 'pass rates', 'solve rate'.
        return (
            frame.lowers[i] in frame.lex.base_forms
            and frame.is_("count_result", i)
            and i + 1 < frame.n
            and _np_word(frame, i + 1)
        )
    return any(c.isalpha() for c in word) or word in {"-", "/", "'s"}
