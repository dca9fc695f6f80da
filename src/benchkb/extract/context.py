"""What a whole abstract says about itself: the system it proposes and the benchmark it introduces.

Claims use this to resolve "our method" / "it" to the paper's named system, and to attach a benchmark paper's
results to its benchmark when a sentence only implies it ("the best model solves 48.5%"). Each candidate name
collects evidence (how it is introduced, whether the title leads with it, how often it recurs); the best
supported wins.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from benchkb.extract.frame import Lexicons
from benchkb.extract.wordlist import trie_pattern

_NAME = (
    r"[A-Za-z][\w+\-/]*(?:\.[\w+\-/]+)*(?:\+\+|\+)?"  # dots only inside a name: 'Symbolics.jl', not 'X. This'
)
_SHAPED = re.compile(r"[A-Z][a-z]*[A-Z]|[A-Z]{2,}|[a-z][A-Z]|\d|^[A-Z][a-z]+-[A-Z]")
# 'X: Y' and 'X:Y'
_TITLE_PREFIX = re.compile(rf"^\s*(?P<name>{_NAME}(?:[ -]{_NAME}){{0,2}}?)\s*:\s*(?P<rest>\S.+)$")
_COMMA_ARTICLE = re.compile(r",\s+an?\s+")
# 'Language Model Predictive Control (LMPC), a framework': the short name in parentheses is the one the paper
# goes on to use, else the word before the comma.
_NAME_BEFORE = re.compile(
    rf"(?<![\w-])(?P<name>{_NAME})\s*(?:\((?:(?P<acronym>[A-Z][\w+-]*[A-Z0-9]\w*)|[^)]*)\)\s*)?$"
)
# 'we propose a fast CKGE framework (FastKGE), ...', 'the Asynchronous Interaction Aggregation network (AIA)':
# the short name given in parentheses a word or two after the name or the head noun.
_HEAD_ACRONYM = re.compile(r"(?:\s+[a-z][\w-]*){0,2}?\s*\((?P<acronym>[A-Z][\w+-]*[A-Z0-9]\w*)\)")
_INTRODUCTION_WINDOW = 250  # characters after "we propose" in which "a framework ..., NAME" is looked for
_NAME_AHEAD = re.compile(
    rf"(?:\s+[\w-]+){{0,5}},\s+(?P<name>{_NAME})(?=\s*[,.;(]|\s+(?:which|that|to|for|with)\b)"
)


@dataclass(frozen=True, slots=True)
class PaperContext:
    """Names the abstract introduces, best supported first."""

    title: str
    systems: tuple[str, ...] = ()
    benchmarks: tuple[str, ...] = ()
    self_reference: str | None = None  # 'our method', when the paper never names its system
    self_references: tuple[str, ...] = ()  # every 'our method', 'our approach' in order

    @property
    def system(self) -> str | None:
        return self.systems[0] if self.systems else None

    @property
    def benchmark(self) -> str | None:
        return self.benchmarks[0] if self.benchmarks else None


class ContextReader:
    """Reads a paper's context from its title and abstract; compiled once from the word lists of
    extractors/words.jsonl (the nouns that name a system or a benchmark, the verbs that introduce one)."""

    def __init__(self, lex: Lexicons) -> None:
        systems = trie_pattern(sorted(lex.words("system_nouns")))
        benchmarks = trie_pattern(sorted(lex.words("benchmark_nouns")))
        self.benchmark_nouns = lex.words("benchmark_nouns")
        self.head_words = lex.words("system_nouns") | self.benchmark_nouns | lex.words("head_word_forms")
        self.not_names = lex.words("not_context_names")
        self.not_starts = lex.words("not_subject_words")  # 'a new AI approach' names nothing
        title_nouns = trie_pattern(sorted(lex.words("benchmark_title_nouns")))
        title_openers = trie_pattern(sorted(lex.words("benchmark_title_openers")))
        self.benchmark_title = re.compile(
            rf"^(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){{0,3}}?(?:{title_nouns})s?\b|^(?:{title_openers})\b", re.I
        )
        self.benchmark_name = re.compile(  # matched as written: 'SWE-Bench', 'HumanEval', 'TriviaQA'
            r"(?:"
            + "|".join(map(re.escape, sorted(lex.words("benchmark_name_endings"))))
            + r")(?:\+\+|\+)?(?:[- ][A-Z][a-z]+)?$"
        )
        # Each pattern is found from a cheap trigger, then matched from there: scanning every position of
        # every abstract with the full patterns would cost more than all of number extraction. The trigger
        # opens with a character class so that the engine skips ahead to the letters that can start it (a
        # pattern opening with \b is tried at every position); the look-behinds then say which letter it was,
        # and that it starts a word.
        self.introduce = re.compile(
            r"[WwTt](?<!\w.)(?:(?<=[Ww])e|(?<=[Tt])h(?:is (?:paper|work|study)|e paper))"
            r"\s+(?:(?:" + trie_pattern(sorted(lex.words("introducing_adverbs"))) + r")\s+)?"
            r"(?:" + trie_pattern(sorted(lex.words("introducing_verbs"))) + r")[sd]?\s+"
        )
        naming = trie_pattern(sorted(lex.words("naming_verbs")))
        self.introduced = re.compile(
            rf"(?:(?:a|an|the)\s+(?:[\w-]+\s+){{0,6}}?(?:{naming})?\s*)?"
            rf"(?P<name>{_NAME}(?:\s+[A-Z][\w-]*){{0,4}})(?P<acronym>\s*\([A-Z][\w+-]*\))?"
            rf"(?P<tail>\s*,\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,5}}?(?P<head>{systems}|{benchmarks})s?\b)?"
        )
        self.head_ahead = re.compile(rf"(?:[\w-]+\s+){{0,4}}?(?P<head>{systems}|{benchmarks})s?\b")
        self.head = re.compile(rf"\b(?P<head>{benchmarks}|{systems})s?\b")
        self.our = re.compile(rf"[Oo]ur\s+(?:{systems})\b(?:\s*,\s*(?P<name>{_NAME}))?")

    def __call__(self, title: str, abstract: str) -> PaperContext:
        """Read the paper's own system and benchmark from its title and abstract."""
        evidence: dict[str, dict[str, float]] = {
            "system": defaultdict(float),
            "benchmark": defaultdict(float),
        }
        ours = list(self._our(abstract))
        for name, kind, weight in self._introductions(title, abstract, ours):
            evidence[kind][name] += weight
        prefix = _TITLE_PREFIX.match(title) if ":" in title else None
        if prefix and prefix.group("name").split()[0] not in self.not_names:
            name = _as_written(prefix.group("name"), abstract)
            benchmark = self.benchmark_name.search(name) or self.benchmark_title.search(prefix.group("rest"))
            # A one-word, name-shaped title prefix ("NovaNet:") is strong evidence; "Memory-Aware query
            # planning:" is not.
            weight = 2.5 if " " not in name and (_SHAPED.search(name) or name in abstract) else 1.0
            evidence["benchmark" if benchmark else "system"][name] += weight + (1.0 if benchmark else 0.0)
        for kind in evidence:
            for name in evidence[kind]:
                evidence[kind][name] += min(abstract.count(name), 6) * 0.5
        benchmarks = _ranked(evidence["benchmark"])
        # 'VideoGameBench Lite' of a paper introducing VideoGameBench is a setting of its benchmark
        systems = [s for s in _ranked(evidence["system"]) if not extends(s, benchmarks)]
        own = ours[0] if ours else None
        return PaperContext(
            title=title,
            systems=tuple(systems),
            benchmarks=tuple(benchmarks),
            self_reference=own.group(0).split(",")[0].strip() if own else None,
            self_references=tuple(match.group(0).split(",")[0].strip() for match in ours),
        )

    def _introductions(
        self, title: str, abstract: str, ours: list[re.Match[str]]
    ) -> list[tuple[str, str, float]]:
        """Names the abstract introduces, with their kind and weight; ``ours``: its 'our method(, X)'
        phrases."""
        found: list[tuple[str, str, float]] = []
        for match in ours:
            if match.group("name"):
                found.append((_strip(match.group("name")), "system", 4.0))
        for trigger in self.introduce.finditer(abstract):
            for head in self.head.finditer(abstract, trigger.end(), trigger.end() + _INTRODUCTION_WINDOW):
                name = _NAME_AHEAD.match(abstract, head.end())
                if name:
                    found.append((_strip(name.group("name")), self._kind(head.group("head")), 1.5))
            headed = self.head_ahead.match(abstract, trigger.end())
            acronym = headed and _HEAD_ACRONYM.match(abstract, headed.end())
            if acronym and not _abbreviates(abstract[trigger.end() : acronym.end()], acronym["acronym"]):
                # weaker than a name right before its parentheses: 'we introduce a perspective correction
                # network (PTN)' may name a part of the system the title names
                found.append((acronym.group("acronym"), self._kind(headed.group("head")), 2.0))
                continue
            match = self.introduced.match(abstract, trigger.end())
            if match is None:
                continue
            name = _strip(match.group("name"))
            ahead = _HEAD_ACRONYM.match(abstract, match.end("name"))
            short = match.group("acronym") and match.group("acronym").strip(" ()")
            end = match.end("acronym")
            if not short and ahead:
                short, end = ahead.group("acronym"), ahead.end()
            weight = 3.0 if match.group("head") else 2.0
            if short and not _abbreviates(abstract[match.start("name") : end], short):
                name, weight = short, weight if match.group("acronym") else 2.0
            head = match.group("head")
            if head is None and not _SHAPED.search(name) and not _titled(name, title):
                continue
            found.append((name, self._kind(head or "system"), weight))
        for comma in _COMMA_ARTICLE.finditer(abstract):
            head = self.head_ahead.match(abstract, comma.end())
            if head is None:  # most ', a' are not followed by a system or benchmark noun: no name to look for
                continue
            name = _NAME_BEFORE.search(abstract, max(0, comma.start() - 80), comma.start())
            if name:
                text = name.group("acronym") or name.group("name")
                found.append((_strip(text), self._kind(head.group("head")), 1.5))
        trimmed = ((self._trim(name), kind, weight) for name, kind, weight in found)
        return [(name, kind, weight) for name, kind, weight in trimmed if self._is_name(name)]

    def _trim(self, name: str) -> str:
        """'novel SRAG-MAV' -> 'SRAG-MAV', 'new AI' -> 'AI' (no name): the words that open a description."""
        words = name.split()
        while len(words) > 1 and words[0] in self.not_starts:
            words.pop(0)
        return " ".join(words)

    def _our(self, abstract: str) -> Iterator[re.Match[str]]:
        """'our method', 'our framework, X': found from the literal 'our', which is much faster than a regex
        scan."""
        lower = abstract.lower()
        at = lower.find("our ")
        while at >= 0:
            if at == 0 or not lower[at - 1].isalnum():
                match = self.our.match(abstract, at)
                if match:
                    yield match
            at = lower.find("our ", at + 4)

    def _kind(self, head: str) -> str:
        return "benchmark" if head.lower() in self.benchmark_nouns else "system"

    def _is_name(self, name: str) -> bool:
        words = name.split()
        return (
            len(name) > 1
            and bool(words)
            and words[0] not in self.not_names
            and name[0].isalpha()
            and (name[0].isupper() or bool(_SHAPED.search(name)))
            and name.lower() not in self.head_words
        )


def extends(name: str, benchmarks: list[str]) -> bool:
    """Whether ``name`` is one of ``benchmarks`` or one of them with words after it."""
    return any(name == other or name.startswith(other + " ") for other in benchmarks)


def _abbreviates(text: str, acronym: str) -> bool:
    """Whether ``acronym`` (in parentheses at the end of ``text``) only shortens the plain words before it:
    'an efficient neural network (NN)' names no system; 'the Interaction Aggregation network (IAN)' and 'a
    fast CKGE framework (FastKGE)' do."""
    letters = [c for c in acronym.upper() if c.isalpha()]
    words = re.findall(r"[A-Za-z]+", text[: text.rfind("(")])[-len(letters) :] if letters else []
    return (
        len(words) == len(letters)
        and all(word.islower() for word in words)
        and "".join(word[0] for word in words).upper() == "".join(letters)
    )


def _titled(name: str, title: str) -> bool:
    """'we introduce Fourier Angle Alignment, which ...' in a paper titled 'Fourier Angle Alignment for ...':
    words that are no name alone are one when the title opens with them."""
    return " " in name and title.startswith(name)


def _ranked(scores: dict[str, float]) -> list[str]:
    return [name for name, score in sorted(scores.items(), key=lambda item: -item[1]) if score >= 2.0]


def _as_written(name: str, abstract: str) -> str:
    """The abstract's spelling of a title name ("NOVABENCH" is written "NovaBench")."""
    at = abstract.lower().find(name.lower())
    return abstract[at : at + len(name)] if at >= 0 else name


def _strip(name: str) -> str:
    return name.strip().rstrip(".,;:")
