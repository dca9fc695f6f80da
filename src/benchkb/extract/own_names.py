"""The names a paper gives its own work, each with the evidence for it, as candidates for whose result a number is.

Papers name what they propose in a few ways: the title's prefix ("Faster R-CNN: Towards ..."), an acronym defined in
parentheses ("Hybrid Quantum-Classical Neural Networks (HQNNs)"), "called X" / "dubbed X", "we implement X", "X, a
framework that ...". None of these is proof (an acronym may name a baseline, a title prefix a dataset), so each
name comes with named features of its evidence and the learned subject scorer weighs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from benchkb.extract.frame import is_name_shaped

_WORD = r"[A-Za-z][\w+\-/.]*[\w+]|[A-Za-z]"
_ACRONYM = re.compile(r"\((?P<name>[A-Z][A-Za-z0-9+\-]*[A-Z0-9][a-z]?)\)")
_CALLED = re.compile(rf"\b(?:called|named|dubbed|termed|coined)\s+(?P<name>(?:{_WORD})(?:\s+(?:{_WORD})){{0,3}})")
_WE_VERB = re.compile(
    rf"\b(?:[Ww]e|[Tt]his (?:paper|work))\s+(?:also\s+|further\s+|then\s+)?(?:propose|present|introduce|create|"
    rf"implement|develop|design|build|release|construct|curate)[sd]?\s+(?P<name>{_WORD})")
_APPOSITION = re.compile(rf"(?P<name>{_WORD}),\s+(?:a|an)\s+(?:[\w-]+\s+){{0,4}}?(?:framework|system|method|approach|"
                         r"model|tool|pipeline|benchmark|dataset|agent|architecture|algorithm|technique)\b")
_INTRODUCING = re.compile(r"\b(?:propose|present|introduce|develop|design|call|name|dub|term|create|implement)",
                          re.IGNORECASE)
_TITLE_PREFIX = re.compile(r"^\s*(?P<name>[^:]{2,40}?)\s*:\s+\S")
_NOT_OWN = frozenset({"We", "Our", "The", "This", "In", "A", "An", "It", "LLM", "LLMs", "AI", "GPU", "GPUs", "CNN",
                      "CNNs", "RL", "NLP", "ML", "SOTA", "API", "QA", "MLLM", "MLLMs", "VLM", "VLMs"})
_LOOKBACK = 160  # characters before a defined acronym in which an introducing verb counts


@dataclass
class OwnName:
    name: str
    features: list[str] = field(default_factory=list)


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

    prefix = _TITLE_PREFIX.match(title)
    if prefix and len(prefix.group("name").split()) <= 5:
        add(prefix.group("name"), "own:title_prefix")
    for match in _ACRONYM.finditer(abstract):
        name = match.group("name")
        singular = name[:-1] if name.endswith("s") and name[:-1].isupper() else name
        add(singular, "own:acronym")
        if _INTRODUCING.search(abstract, max(0, match.start() - _LOOKBACK), match.start()):
            add(singular, "own:acronym_introduced")
        if _initials_match(abstract[max(0, match.start() - 120):match.start()], singular):
            add(singular, "own:acronym_spelled")
    for pattern, feature in ((_CALLED, "own:called"), (_WE_VERB, "own:we_verb"), (_APPOSITION, "own:apposition")):
        for match in pattern.finditer(abstract):
            add(_leading_name(match.group("name")), feature)
    for word in title.replace(":", " ").split():
        word = word.strip(",.;()")
        if is_name_shaped(word) and len(word) > 2:
            add(word, "own:in_title")
    lowered_title = title.lower()
    for entry in found.values():
        count = abstract.count(entry.name)
        entry.features.append(f"own:count:{min(count, 3)}")
        if entry.name.lower() in lowered_title:
            entry.features.append("own:title_has")
        if is_name_shaped(entry.name):
            entry.features.append("own:shaped")
    return sorted(found.values(), key=_support, reverse=True)


def _support(entry: OwnName) -> tuple[int, int]:
    strong = sum(f in {"own:acronym_introduced", "own:called", "own:title_prefix", "own:we_verb"} for f in entry.features)
    return strong, len(entry.features)


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
    words = re.findall(r"[A-Za-z][A-Za-z]*", before)
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
    return bool(words) and len(name) > 1 and words[0] not in _NOT_OWN and name[0].isalpha() and (
        name[0].isupper() or is_name_shaped(name)) and len(words) <= 5
