"""Normalised keys for catalog names: the one function that decides which surfaces are "the same name".

``normalize_name`` maps every spelling of a name to one key; the catalog indexes each canonical name and alias
by its key, and resolution looks surfaces up by theirs. The rules, in order:

1. Unicode NFKC, casefold, surrounding quotes and trailing punctuation dropped.
2. A trailing parenthetical is dropped ("SWE-bench-lite (300 issues)" -> "SWE-bench-lite").
3. Wrapping words are dropped when something else remains: a leading article ("the", "a", "an") and trailing
   "benchmark(s)", "dataset(s)", "suite(s)", "leaderboard", "corpus", "subset", "data set", "test set", ...
   ("the SWE-bench Verified benchmark" -> "SWE-bench Verified"). 4. "+" becomes "plus" and "&" becomes "and",
   so HumanEval+ differs from HumanEval and SWE-Bench++ from SWE-bench.
5. Versions: "version 2" becomes "v2" and "v2.0" becomes "v2". A bare "2.0" is kept as written, so
   "Terminal-Bench 2.0" stays apart from "Terminal-Bench"; "X 2.0" and "X v2" are equated only by listing an
   alias. 6. Separators (spaces, hyphens, underscores, slashes, apostrophes, colons) are dropped, except that
   a separator between two digits becomes one "-" ("Llama 3 8B" -> "llama3-8b", so it differs from "Llama
   38B"). Dots are dropped unless they stand between two digits ("GPT-4.1" keeps its dot, "U.S." loses them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

_LEADING = frozenset({"the", "a", "an"})
_TRAILING = frozenset(
    {
        "benchmark",
        "benchmarks",
        "dataset",
        "datasets",
        "suite",
        "suites",
        "leaderboard",
        "corpus",
        "subset",
    }
)
_TRAILING_PAIRS = frozenset(
    {
        ("data", "set"),
        ("test", "set"),
        ("dev", "set"),
        ("val", "set"),
        ("validation", "set"),
        ("test", "split"),
    }
)
_QUOTES = "\"'`\u2018\u2019\u201c\u201d\u00ab\u00bb"
_TRAILING_PUNCT = ".,;:!?"
_PARENTHETICAL = re.compile(r"\s*[(\[][^()\[\]]*[)\]]$")
_VERSION_WORD = re.compile(r"\bversion\s*(?=\d)")
_VERSION_ZERO = re.compile(r"v(\d+)\.0(?![\d.])")
_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")
_SEP = r"[\s\-_\u2010\u2011\u2012\u2013\u2014\u2212/'\u2019:\u2192\u00b7]+"
_DIGIT_SEP = re.compile(rf"(?<=\d){_SEP}(?=\d)")
_ANY_SEP = re.compile(_SEP)
_DIGIT = re.compile(r"\d")
_KEEP = "\x00"  # placeholder for the digit-digit separator while the others are removed


def normalize_name(surface: str) -> str:
    """The lookup key of a name: equal keys mean the same name (see the module docstring for the rules)."""
    text = unicodedata.normalize("NFKC", surface).casefold().strip()
    text = text.strip(_QUOTES).rstrip(_TRAILING_PUNCT).strip(_QUOTES).strip()
    stripped = _PARENTHETICAL.sub("", text)
    if stripped:
        text = stripped
    text = " ".join(unwrap_words(text.split()))
    text = text.replace("\u00d7", "x").replace("+", "plus").replace("&", " and ")
    # Each pattern runs only where it can match (a version word, a dot, a digit): resolving a claim's new
    # surfaces in the ingest's workers costs half as much.
    if "version" in text:
        text = _VERSION_WORD.sub("v", text)
    if "." in text:
        text = _VERSION_ZERO.sub(r"v\1", text)
        text = _DOT.sub("", text)
    if _DIGIT.search(text):
        text = _DIGIT_SEP.sub(_KEEP, text)
    text = _ANY_SEP.sub("", text)
    return text.replace(_KEEP, "-")


def unwrap_words(words: list[str]) -> list[str]:
    """Drop a leading article and trailing wrapper words ("benchmark", "test set", ...) while others
    remain."""
    words = list(words)
    if len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    while len(words) > 1:
        if len(words) > 2 and (words[-2], words[-1]) in _TRAILING_PAIRS:
            words = words[:-2]
        elif words[-1] in _TRAILING:
            words = words[:-1]
        else:
            break
    return words


_TOKEN_SPLIT = re.compile(r"[\s,;/()\[\]{}]+")
_TOKEN_EDGE = ".:!?\"'`\u2018\u2019\u201c\u201d"


def tokens(surface: str) -> list[str]:
    """Words of a surface for phrase scanning: split on spaces, list punctuation, slashes and brackets."""
    out = []
    for raw in _TOKEN_SPLIT.split(surface):
        word = raw.strip(_TOKEN_EDGE)
        if word:
            out.append(word)
    return out


_PARTS = re.compile(r"\s*(?:,|;|\band\b|\bor\b|&|\bvs\.?(?=\s)|\bversus\b)\s*", re.IGNORECASE)


def list_parts(surface: str) -> list[str]:
    """The items of a list-like surface ("A, B, and C" -> ["A", "B", "C"]), in order; [surface] when not a
    list."""
    parts = [p.strip() for p in _PARTS.split(surface)]
    return [p for p in parts if p] or [surface]


def split_parenthetical(surface: str) -> tuple[str, str | None]:
    """``"success rate (identifying bugs)"`` -> ``("success rate", "identifying bugs")``; no parenthesis ->
    None."""
    match = re.search(r"\(([^()]*)\)", surface)
    if match is None:
        return surface, None
    outer = (surface[: match.start()] + " " + surface[match.end() :]).strip()
    return " ".join(outer.split()), match.group(1).strip() or None


def index_names(
    entries: Iterable[tuple[str, list[str], int]], problem: Callable[[int, str], None]
) -> dict[str, str]:
    """Normalised key -> entry id for every canonical name and alias of ``entries`` (id, surfaces, line), the
    first entry to claim a key keeping it; ``problem(line, message)`` hears of every key that is empty, given
    twice by one entry or claimed by two. The catalog's loader and its pydantic-free benchmark names share it,
    so both index alike."""
    index: dict[str, str] = {}
    owner_line: dict[str, int] = {}
    for entry_id, surfaces, line in entries:
        own: dict[str, str] = {}
        for surface in surfaces:
            key = normalize_name(surface)
            if not key:
                problem(line, f"'{surface}' normalises to an empty key")
            elif key in own:
                problem(
                    line, f"alias '{surface}' equals '{own[key]}' after normalisation (key '{key}'); drop it"
                )
            elif key in index:
                claimed = f"'{index[key]}' at line {owner_line[key]}"
                problem(line, f"'{surface}' (key '{key}') is already claimed by {claimed}")
            else:
                own[key] = surface
                index[key] = entry_id
                owner_line[key] = line
    return index
