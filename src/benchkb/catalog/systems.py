"""Which subjects name a system: a leaderboard row must be a model, agent or method by name, not "our method",
"merged models", "STEM", a dataset or a GPU.

:func:`subject_kind` labels a subject surface (the catalog stage stores the label in ``claims.subject_kind``):

* ``model``     -- it resolves to a catalog model or system;
* ``benchmark`` -- it names the claim's own benchmark or a catalog benchmark ("ImageNet"), or ends in
  "benchmark", "dataset" and the like ("VIGOR benchmark");
* ``hardware``  -- it names a catalog accelerator ("A100");
* ``metric``    -- it is a catalog metric's name ("F1-scores");
* ``list``      -- it lists several ("GPT-4o and Claude"): no single system;
* ``name`` -- it is name-shaped: a word with a digit ("ReflexiCoder-8B"), a capital inside ("GraphDepth",
  "ViT") or all in capitals, alone or as part of a hyphenated name ("BATMAN", "Orchard-SWE"), other than the
  acronyms of fields and kinds ("STEM", "LLMs", "SOTA", "LLM-based"), plural acronyms ("PRMs": a kind of
  system) and levels of a setting ("HIGH"), or capitalised words with a version ("Claude 3.5 Sonnet");
* ``word`` -- capitalised words only ("Mirror", "Pale Transformer"): a name when the paper's title holds
  it (or its stem: "Interfaze" of "Interfaze-Beta"), which the views check, since an English word at a
  sentence's start looks the same;
* ``generic``   -- anything else: lower-case phrases ("our method", "merged models", "hierarchy"), pronouns,
  "Final", "Overall".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from benchkb.catalog.normalize import list_parts, normalize_name

SYSTEM_KINDS = ("model", "name")  # always a system; "word" is one when the paper's title names it

# Capitalised words and acronyms that stand for a field, a kind of model or a summary, never one system.
NOT_SYSTEMS = frozenset(
    {
        "stem",
        "sota",
        "llm",
        "llms",
        "mllm",
        "mllms",
        "vlm",
        "vlms",
        "lm",
        "lms",
        "slm",
        "slms",
        "ai",
        "agi",
        "ml",
        "nlp",
        "cv",
        "rl",
        "sft",
        "dl",
        "nn",
        "dnn",
        "dnns",
        "cnn",
        "cnns",
        "gnn",
        "gnns",
        "vit",
        "vits",
        "moe",
        "final",
        "overall",
        "average",
        "mean",
        "total",
        "ours",
        "baseline",
        "baselines",
        "human",
        "humans",
        "expert",
        "experts",
        "oracle",
        "random",
        "majority",
        "proposed",
        "table",
        "figure",
        "model",
        "models",
        "method",
        "methods",
        "approach",
        "system",
        "systems",
        "framework",
        "network",
        "networks",
        "agent",
        "agents",
        "hierarchy",
        "pipeline",
        "the",
        "this",
        "our",
        "it",
        "we",
        "they",
        "all",
        "both",
        "each",
        "ensemble",
        "teacher",
        "student",
        "reasoning",
        "training",
        "inference",
        "accuracy",
        "performance",
        "results",
        "ssl",
        "rag",
        "cot",
        "icl",
        "gpu",
        "cpu",
        "api",
        # levels of a setting ("60.4% on SWE Verified HIGH", "53.3% MEDIUM": reasoning effort), not systems
        "high",
        "medium",
        "low",
        "minimal",
    }
)
_NAME_TOKEN = re.compile(r"\d.*[A-Za-z]|[A-Za-z].*\d|[a-z][A-Z]")
_ACRONYM = re.compile(r"[A-Z]{2,}")
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")  # "PRMs", "GNNs": a kind of system, never one
_DATA_WORDS = frozenset(
    {
        "benchmark",
        "benchmarks",
        "dataset",
        "datasets",
        "corpus",
        "suite",
        "leaderboard",
        "split",
        "subset",
        "set",
    }
)
# Words a phrase, never a name, begins with: "our method", "the baseline", and title fragments the extraction
# may take for the paper's own name ("From 0-to-1 to 1-to-N: ...", "Towards ...", "When ... Meets ...").
_PHRASE_STARTS = frozenset(
    "our this the a an its their these such".split()
    + "from to towards toward beyond when how why what on in for with by".split()
)
_VERSION = re.compile(r"v?\d+(\.\d+)*")
_WORD = re.compile(r"[A-Za-z0-9][\w.+\-]*")


def subject_kind(
    subject: str | None, *, model_id: str | None, benchmark: str | None, resolves: Callable[[str, str], bool]
) -> str | None:
    """The kind of ``subject`` (see the module docstring); None without a subject. ``resolves(kind, surface)``
    says whether the catalog resolves a surface as a benchmark, hardware or (as a whole) a metric."""
    if subject is None or not subject.strip():
        return None
    if model_id is not None:
        return "model"
    if (
        benchmark is not None
        and normalize_name(subject) == normalize_name(benchmark)
        or resolves("benchmark", subject)
    ):
        return "benchmark"
    words = _WORD.findall(subject)
    if words and (words[-1].casefold() in _DATA_WORDS or words[-1].casefold().endswith("bench")):
        return "benchmark"  # "VIGOR benchmark", "AARRI-Bench"
    if resolves("hardware", subject):
        return "hardware"
    if resolves("metric", subject):
        return "metric"
    if len(list_parts(subject)) > 1:
        return "list"
    if not words or words[0].casefold() in _PHRASE_STARTS:
        return "generic"
    if any(_name_shaped(word) for word in words) or len(words) == 1 and _acronym_compound(words[0]):
        return "name"
    named = [word for word in words if not _VERSION.fullmatch(word)]
    if named and all(word[0].isupper() for word in named) and not all(_no_system(word) for word in named):
        return "name" if len(named) < len(words) else "word"  # a version makes a name: "Claude 3.5 Sonnet"
    return "generic"


def _no_system(word: str) -> bool:
    """A word that names a field, a kind of system or a summary: "STEM", "LLMs", "PRMs", "Final"."""
    key = word.casefold()
    return key in NOT_SYSTEMS or key.rstrip("s") in NOT_SYSTEMS or _PLURAL_ACRONYM.fullmatch(word) is not None


def _name_shaped(word: str) -> bool:
    """A word with a digit ("ReflexiCoder-8B"), a capital inside ("GraphDepth") or in capitals ("BATMAN")."""
    shaped = _NAME_TOKEN.search(word) is not None or _ACRONYM.fullmatch(word) is not None
    return shaped and not _no_system(word)


def _acronym_compound(word: str) -> bool:
    """Capitalised parts joined by hyphens, one an acronym: "Orchard-SWE", "SWE-Compressor" (not "LLM-Based").
    A name when it is the whole subject; inside a phrase it is mostly a technique ("CNN-LSTM models")."""
    parts = word.split("-")
    return (
        len(parts) > 1
        and all(part[:1].isupper() or part[:1].isdigit() for part in parts)
        and any(_ACRONYM.fullmatch(part) and not _no_system(part) for part in parts)
    )
