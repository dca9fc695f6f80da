"""The datasets and benchmarks an abstract says it evaluates on, anywhere in it, as candidates for a number's
benchmark.

Abstracts often name where they evaluate once ("Experiments on the Cityscapes dataset show ...") and give the
numbers in a later sentence that repeats no name ("... reaching 70.4% mIoU at 19 fps"). Each name found comes
with features of how it was written ("the X dataset", "on X", "X benchmark") and where (its offset); the
learned benchmark scorer weighs them against the sentence's own phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from benchkb.extract.frame import is_name_shaped

# A dot belongs to a name only inside it ('Wan2.1', 'v1.5'): 'on AlpacaEval. However, ...' names AlpacaEval,
# and the next sentence's first word is no part of it.
_WORD = r"(?:[\w+\-/]|\.(?=\w))*"
_NAME = rf"[A-Z]{_WORD}(?:[ -](?:[A-Z0-9]{_WORD}|v\d{_WORD}))*"
# Found from literal words with str.find, which is much faster than scanning every position with a pattern;
# the name is then matched right before or after the word.
_SET_WORDS = (
    "dataset",
    "benchmark",
    "corpus",
    "corpora",
    "test set",
    "testset",
    "test-set",
    "suite",
    "challenge",
    "leaderboard",
)
_ON_WORDS = (" on ", " across ", " over ")
_NAME_BEFORE = re.compile(rf"(?P<name>{_NAME})\s+$")  # 'the Cityscapes dataset', 'SPEC06 benchmark'
_NAME_AFTER = re.compile(rf"s?\s+(?:called\s+|named\s+)?(?P<name>{_NAME})")  # 'dataset VIPeR'
_NAME_ON = re.compile(rf"(?:the\s+)?(?:[a-z-]+\s+){{0,2}}?(?P<name>{_NAME})")  # 'on (the) (public) X'
_NOT_SETS = frozenset(
    {
        "We",
        "Our",
        "The",
        "This",
        "These",
        "In",
        "On",
        "Experiments",
        "Results",
        "Extensive",
        "It",
        "LLM",
        "LLMs",
        "GPU",
        "GPUs",
        "AI",
        "State",
        "SOTA",
        "Across",
        "Both",
        "All",
        "A",
        "An",
    }
)
_LOOKBACK = 60  # characters before a dataset word in which its name is looked for


@dataclass
class Dataset:
    name: str
    start: int  # offset of its first mention in the abstract
    features: list[str] = field(default_factory=list)


def datasets(abstract: str) -> list[Dataset]:
    """The names the abstract evaluates on, in order of first mention."""
    found: dict[str, Dataset] = {}

    def add(match: re.Match[str] | None, feature: str) -> None:
        if match is None:
            return
        name = match.group("name").rstrip(".,;:")
        if _plausible(name):
            entry = found.setdefault(name, Dataset(name, match.start("name")))
            entry.start = min(entry.start, match.start("name"))
            if feature not in entry.features:
                entry.features.append(feature)

    lower = abstract.lower()
    for word in _SET_WORDS:
        at = lower.find(word)
        while at >= 0:
            add(_NAME_BEFORE.search(abstract, max(0, at - _LOOKBACK), at), "set:named_set")
            add(_NAME_AFTER.match(abstract, at + len(word)), "set:set_named")
            at = lower.find(word, at + len(word))
    for word in _ON_WORDS:
        at = lower.find(word)
        while at >= 0:
            add(_NAME_ON.match(abstract, at + len(word)), "set:after_on")
            at = lower.find(word, at + len(word) - 1)
    for entry in found.values():
        entry.features.append(f"set:count:{min(abstract.count(entry.name), 3)}")
        if is_name_shaped(entry.name):
            entry.features.append("set:shaped")
    return sorted(found.values(), key=lambda d: d.start)


def _plausible(name: str) -> bool:
    words = name.split()
    return bool(words) and words[0] not in _NOT_SETS and len(name) > 1 and len(words) <= 5
