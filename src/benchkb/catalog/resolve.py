"""Surface -> catalog id, per kind: an exact key lookup, then one bounded, documented fallback per kind.

Every kind first looks the whole surface up by :func:`normalize_name`. When that misses:

* **benchmark** -- the leftmost, then longest, run of up to six words that is a catalog name, provided the run
  is *distinctive as written*: it holds a digit, a "+", or a capital after a word's first letter ("GSM8K",
  "MATH", "ImageNet", "SWE-bench"), or it is several words that begin and end capitalised ("Tanks and
  Temples"). So a list "HumanEval, MBPP, and TransCoder" resolves to its first resolvable item, HumanEval, and
  "SWE-bench Verified subset" to SWE-bench Verified; plain words ("math", "spider", "Atari") inside a longer
  phrase never do. * **metric** -- unless the surface counts or divides something else ("number of ...",
  "fraction of ...", "share of ..."): the longest run of words that is a metric name; among equally long runs
  the rightmost, because the head of an English noun phrase comes last ("latency speedup" is a speedup, "crash
  resolution rate" a resolve rate). A parenthesis that is itself a metric name glosses the phrase and wins
  over a run found outside it ("latency gain (speedup)"); a run inside the parenthesis is the last resort
  ("efficacy in solving GitHub issues (resolve rate)").
* **model** -- the surface without a provider prefix ("gemini/gemini-2.5-pro") or a release date
  ("gpt-5-2025-08-07"); for software entries without a trailing version ("cuDNN 9.13"); then the first item of
  a list ("DeepSeek R1 671B and OpenAI o1"; a parenthesis of examples is not split, so "LLM architectures
  (GPT-J, LLaMA)" names a group, not GPT-J); then a model name inside a longer surface only when every other
  word is neutral ("GPT-4o backbone", "the vanilla Llama-3.1-8B"). A derived model is not its base:
  "Llama-3.1-8B with SwallowCode" and "Qwen2.5-Coder-Instruct-C" resolve to nothing, and so do generic words
  ("agents", "LLMs"). * **hardware, precision** -- the leftmost, then longest, run of words naming one, with
  hyphens also splitting words, a count prefix dropped and a plural "s" after a digit dropped ("2,048 A100
  GPUs", "8xH100", "H100-SXM5", "bf16-mixed").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from benchkb.catalog.normalize import list_parts, normalize_name, split_parenthetical, tokens

MAX_WORDS = 6  # longest catalog name, in words, a scan tries
MAX_TOKENS = 40  # words of a surface a scan looks at
_QUANTITY_OF = re.compile(
    r"^\s*(?:the\s+)?(?:number|fraction|share|percentage|percent|proportion|ratio|amount|count|size|portion|%)\s+of\b",
    re.IGNORECASE,
)
_NEUTRAL = frozenset(
    {
        "the",
        "a",
        "an",
        "model",
        "models",
        "backbone",
        "backbones",
        "baseline",
        "base",
        "api",
        "agent",
        "checkpoint",
        "original",
        "vanilla",
        "default",
        "official",
        "standard",
        "pretrained",
        "pre-trained",
        "llm",
        "family",
        "series",
    }
)
_RELEASE_DATE = re.compile(r"[-_ @]?20\d{2}-?[01]\d-?[0-3]\d$")
_SOFTWARE_VERSION = re.compile(r"^v?\d+(?:\.\d+)*[a-z]?$", re.IGNORECASE)
_DEVICE_SPLIT = re.compile(r"[\s,;/()\[\]{}\-_]+")
_COUNT_PREFIX = re.compile(r"^\d+[x\u00d7](?=[A-Za-z])")
_PLURAL_AFTER_DIGIT = re.compile(r"(?<=\d)([A-Za-z]?)s$")

Index = dict[str, str]


def exact(index: Index, surface: str) -> str | None:
    return index.get(normalize_name(surface))


def scan_leftmost(
    index: Index, words: list[str], accept: Callable[[list[str]], bool] | None = None
) -> str | None:
    """The id of the leftmost, then longest, run of words whose key is in ``index`` (and that ``accept``
    allows)."""
    words = words[:MAX_TOKENS]
    for start in range(len(words)):
        for size in range(min(MAX_WORDS, len(words) - start), 0, -1):
            run = words[start : start + size]
            if accept is not None and not accept(run):
                continue
            hit = index.get(normalize_name(" ".join(run)))
            if hit is not None:
                return hit
    return None


def scan_longest_rightmost(index: Index, words: list[str]) -> str | None:
    """The id of the longest, then rightmost, run of words whose key is in ``index``."""
    words = words[:MAX_TOKENS]
    for size in range(min(MAX_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size, -1, -1):
            hit = index.get(normalize_name(" ".join(words[start : start + size])))
            if hit is not None:
                return hit
    return None


def _distinctive(run: list[str]) -> bool:
    if len(run) > 1 and run[0][:1].isupper() and run[-1][:1].isupper():
        return True  # a multi-word proper name: "Tanks and Temples", "Natural Questions"
    for word in run:
        if "+" in word or any(ch.isdigit() for ch in word) or any(ch.isupper() for ch in word[1:]):
            return True
    return False


def resolve_benchmark(index: Index, surface: str) -> str | None:
    return exact(index, surface) or scan_leftmost(index, tokens(surface), _distinctive)


def resolve_metric(index: Index, surface: str) -> str | None:
    hit = exact(index, surface)
    if hit is not None or _QUANTITY_OF.match(surface):
        return hit
    outer, inner = split_parenthetical(surface)
    if inner is not None and _QUANTITY_OF.match(inner):
        inner = None
    hit = exact(index, outer) or (exact(index, inner) if inner else None)
    if hit is None:
        hit = scan_longest_rightmost(index, tokens(outer))
    if hit is None and inner:
        hit = scan_longest_rightmost(index, tokens(inner))
    return hit


def resolve_model(index: Index, software: frozenset[str], surface: str) -> str | None:
    parts = list_parts(split_parenthetical(surface)[0])
    candidates = [surface, *parts] if len(parts) > 1 else [surface]
    for candidate in candidates:
        hit = _model_exact(index, software, candidate)
        if hit is not None:
            return hit
    for part in parts:
        hit = _model_among_neutral_words(index, software, part)
        if hit is not None:
            return hit
    return None


def _model_exact(index: Index, software: frozenset[str], surface: str) -> str | None:
    hit = exact(index, surface)
    if hit is not None:
        return hit
    text = surface.strip()
    if "/" in text and not any(ch.isspace() for ch in text):
        text = text.rsplit("/", 1)[1]
    text = _RELEASE_DATE.sub("", text) or text
    hit = exact(index, text)
    if hit is not None:
        return hit
    words = text.split()
    if len(words) > 1 and _SOFTWARE_VERSION.match(words[-1]):
        hit = exact(index, " ".join(words[:-1]))
        if hit in software:
            return hit
    return None


def _model_among_neutral_words(index: Index, software: frozenset[str], surface: str) -> str | None:
    words = tokens(surface)
    if len(words) > 8:
        return None
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            rest = words[:start] + words[start + size :]
            if all(word.casefold() in _NEUTRAL for word in rest):
                hit = _model_exact(index, software, " ".join(words[start : start + size]))
                if hit is not None:
                    return hit
    return None


def device_words(surface: str) -> list[str]:
    """Words of a hardware/precision surface: hyphens split too, "8x" prefixes and plural "s" after digits
    go."""
    words = []
    for raw in _DEVICE_SPLIT.split(surface):
        word = raw.strip(".:!?\"'")
        word = _COUNT_PREFIX.sub("", word)
        word = _PLURAL_AFTER_DIGIT.sub(r"\1", word)
        if word:
            words.append(word)
    return words


def resolve_device(index: Index, surface: str) -> str | None:
    """Hardware or precision: exact, else the leftmost-longest run of device words."""
    return exact(index, surface) or scan_leftmost(index, device_words(surface))
