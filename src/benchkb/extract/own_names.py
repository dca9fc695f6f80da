"""The names a paper gives its own work, each with the evidence for it, as candidates for whose result a
number is.

Papers name what they propose in a few ways: the title's prefix ("Faster R-CNN: Towards ..."), an acronym
defined in parentheses ("Hybrid Quantum-Classical Neural Networks (HQNNs)"), "called X" / "dubbed X", "we
implement X", "X, a framework that ...". None of these is proof (an acronym may name a baseline, a title
prefix a dataset), so each name comes with named features of its evidence and the learned subject scorer
weighs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from benchkb.extract.frame import is_name_shaped, occurrences

_WORD = r"[A-Za-z][\w+\-/.]*[\w+]|[A-Za-z]"
_ACRONYM = re.compile(r"\((?P<name>[A-Z][A-Za-z0-9+\-]*[A-Z0-9][a-z]?)\)")
# The patterns open with a literal, not \b, so that the engine skips to where one can match; the word boundary
# before them is checked in code (:func:`_starts_word`).
_CALLED_WORDS = ("called", "named", "dubbed", "termed", "coined")  # found with str.find, the fastest scan
_CALLED = re.compile(
    rf"\s+(?P<name>(?:{_WORD})(?:\s+(?:{_WORD})){{0,5}})(?:\s*,\s*(?P<short>[A-Z][\w+-]*[A-Z0-9]\w*)\s*[,.;(])?"
)
_WE_VERB = re.compile(
    rf"[WwTt](?:e|his (?:paper|work))\s+(?:also\s+|further\s+|then\s+)?(?:propose|present|introduce|create|"
    rf"implement|develop|design|build|release|construct|curate)[sd]?\s+(?P<name>(?:{_WORD})(?:\s+(?:{_WORD})){{0,5}})"
)
# 'X, a framework that ...': found from the literal ', a' (a pattern opening with a name would be tried at
# every position of the abstract), then the name before it is read backwards.
_APPOSITION = re.compile(
    r",\s+an?\s+(?:[\w-]+\s+){0,4}?(?:framework|system|method|approach|model|tool|pipeline|"
    r"benchmark|dataset|agent|architecture|algorithm|technique)s?\b"
)
_NAME_BEFORE = re.compile(rf"(?P<name>{_WORD})$")
_INTRODUCING = re.compile(r"propose|present|introduce|develop|design|call|name|dub|term|create|implement")
_TITLE_PREFIX = re.compile(r"^\s*(?P<name>[^:]{2,40}?)\s*:\s*\S")  # 'FastMesh:Efficient ...' too
_NOT_OWN = frozenset(
    {
        "We",
        "Our",
        "The",
        "This",
        "In",
        "A",
        "An",
        "It",
        "LLM",
        "LLMs",
        "AI",
        "GPU",
        "GPUs",
        "CNN",
        "CNNs",
        "RL",
        "NLP",
        "ML",
        "SOTA",
        "API",
        "QA",
        "MLLM",
        "MLLMs",
        "VLM",
        "VLMs",
    }
)
_LETTERS = re.compile(r"[A-Za-z][A-Za-z]*")
_LOOKBACK = 160  # characters before a defined acronym in which an introducing verb counts


@dataclass
class OwnName:
    name: str
    features: list[str] = field(default_factory=list)

    @property
    def strength(self) -> int:
        """How many of the strong ways of naming one's own work name it ('called X', '(X)' after 'we
        propose')."""
        return sum(feature in _STRONG for feature in self.features)


def own_names(title: str, abstract: str) -> list[OwnName]:
    """The candidate names of the paper's own work, with their evidence, most supported first."""
    found: dict[str, OwnName] = {}

    def add(name: str, feature: str) -> None:
        name = name.strip(" ,.;:")
        if not _plausible(name):
            return
        entry = found.setdefault(name, OwnName(name))
        if feature not in entry.features:
            entry.features.append(feature)

    lower = abstract.lower()
    prefix = _TITLE_PREFIX.match(title)
    if prefix and len(prefix.group("name").split()) <= 5:
        add(prefix.group("name"), "own:title_prefix")
    for match in _ACRONYM.finditer(abstract):
        name = match.group("name")
        singular = name[:-1] if name.endswith("s") and name[:-1].isupper() else name
        add(singular, "own:acronym")
        if _INTRODUCING.search(lower, max(0, match.start() - _LOOKBACK), match.start()):
            add(singular, "own:acronym_introduced")
        if _initials_match(abstract[max(0, match.start() - 120) : match.start()], singular):
            add(singular, "own:acronym_spelled")
    for word in _CALLED_WORDS:
        at = lower.find(word)
        while at >= 0:
            match = _CALLED.match(abstract, at + len(word))
            if match and _starts_word(abstract, at):
                add(_leading_name(match.group("name")), "own:called")
                if match.group("short"):  # 'called Locally Aligned CNN, LACNN, that ...'
                    add(match.group("short"), "own:called")
            at = lower.find(word, at + 1)
    for match in _WE_VERB.finditer(abstract):
        if _starts_word(abstract, match.start()):
            add(_leading_name(match.group("name")), "own:we_verb")
    for match in _APPOSITION.finditer(abstract):
        name = _NAME_BEFORE.search(abstract, max(0, match.start() - 60), match.start())
        if name:
            add(name.group("name"), "own:apposition")
    for word in title.replace(":", " ").split():
        word = word.strip(",.;()")
        if is_name_shaped(word) and len(word) > 2:
            add(word, "own:in_title")
    _mark_long_forms(found, abstract)
    lowered_title = title.lower()
    for entry in found.values():
        count = occurrences(entry.name, abstract)
        entry.features.append(f"own:count:{min(count, 3)}")
        if entry.name.lower() in lowered_title:
            entry.features.append("own:title_has")
        if is_name_shaped(entry.name):
            entry.features.append("own:shaped")
    return sorted(found.values(), key=_support, reverse=True)


def _mark_long_forms(found: dict[str, OwnName], abstract: str) -> None:
    """'Locally Aligned Convolutional Neural Network, LACNN' or 'Chain-of-Anomaly-Thoughts (CoAT)': a paper
    that gives its work a short name goes on to use it, and readers cite it by it, so the long form is the
    short one's spelling out ('own:long_form'), ranked after it."""
    for long, entry in found.items():
        at = abstract.find(long)
        while at >= 0:
            short = _SHORT_AFTER.match(abstract, at + len(long))
            name = short and short.group(1)
            if name and (name in found or name[:-1] in found) and len(name) + 3 < len(long):
                entry.features.append("own:long_form")
                break
            at = abstract.find(long, at + 1)


_SHORT_AFTER = re.compile(r"\s*[(,]\s*([^\s(),;]+)")


_STRONG = frozenset({"own:acronym_introduced", "own:called", "own:title_prefix", "own:we_verb"})


def _support(entry: OwnName) -> tuple[int, bool, int]:
    return entry.strength, "own:long_form" not in entry.features, len(entry.features)


def _starts_word(text: str, at: int) -> bool:
    return at == 0 or not text[at - 1].isalnum()


def _leading_name(text: str) -> str:
    """'CAST that takes' -> 'CAST': a name runs while its words are capitalised or name-shaped."""
    words = text.split()
    kept = [words[0]]
    for word in words[1:]:
        if not (word[:1].isupper() or is_name_shaped(word)):
            break
        kept.append(word)
    return " ".join(kept)


def _initials_match(before: str, acronym: str) -> bool:
    """'Hybrid Quantum-Classical Neural Networks' spells 'HQNN' (hyphenated parts may count once or twice)."""
    words = _LETTERS.findall(before)
    letters = [c for c in acronym.upper() if c.isalpha()]
    if not letters:
        return False
    for size in range(len(letters), len(letters) + 3):
        tail = words[-size:] if size <= len(words) else []
        initials = "".join(w[0].upper() for w in tail)
        if initials.endswith("".join(letters)) or "".join(letters) in initials and initials[0] == letters[0]:
            return True
    return False


def _plausible(name: str) -> bool:
    words = name.split()
    return (
        bool(words)
        and len(name) > 1
        and words[0] not in _NOT_OWN
        and name[0].isalpha()
        and (name[0].isupper() or is_name_shaped(name))
        and len(words) <= 5
    )
