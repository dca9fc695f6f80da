"""What kind of number a mention is (score, ratio, change or setup), in which direction it goes, and the unit
that context implies for a bare number ("1.4 throughput improvement" is a factor; "0.02 per query" next to
"cost" is money)."""

from __future__ import annotations

from dataclasses import replace

from benchkb.extract.frame import Frame, np_left
from benchkb.extract.numbers import Mention

_SCORE_CLASSES = frozenset(
    {
        "throughput",
        "money",
        "time",
        "memory",
        "power",
        "energy",
        "score",
        "compute",
        "force",
        "frequency",
        "speed",
    }
)
_SETUP_CLASSES = frozenset({"size"})


def infer_unit(frame: Frame, k: int) -> Mention:
    """A bare number takes the unit its context implies."""
    placed = frame.mentions[k]
    mention = placed.mention
    if mention.unit or mention.rule != "number":
        return mention
    right = _window(frame, placed.end, 3, k)
    if (
        right
        and _is_metric(frame, right[0])
        and not frame.is_("ratio_metrics", right[0])
        and any(frame.is_("change_nouns", i) for i in right[1:])
    ):
        # '3.7 mAP gain', '2.1 BLEU improvement': a difference of scores, in the metric's own points (but '1.4
        # throughput improvement' is a factor)
        return replace(mention, unit="points", unit_class="points", rule="number+implied-unit")
    if any(frame.is_("ratio_cues", i) for i in right[:2]) or (
        len(right) >= 2 and frame.is_("ratio_metrics", right[0]) and frame.is_("ratio_cues", right[1])
    ):
        if not any(frame.is_("points", i) for i in right):
            return replace(mention, unit="x", unit_class="ratio", rule="number+implied-unit")
    if "money" not in frame.derived:
        frame.derived["money"] = any(frame.is_("money_context", i) for i in range(len(frame)))
    money = frame.derived["money"]
    follows_per = bool(right) and frame.lowers[right[0]] == "per"
    if money and (follows_per or _price_before(frame, placed.start, 2)):
        return replace(mention, unit="USD", unit_class="money", rule="number+implied-unit")
    return mention


def kind_of(
    frame: Frame, k: int, mention: Mention, qualifier_start: int, metric: str | None, verb: str | None
) -> str:
    """score | ratio | change | setup, from the unit class and the words around the mention; ``metric`` is the
    metric written right next to it, if any, and ``verb`` the result verb governing it
    (:func:`governing_verb`)."""
    placed = frame.mentions[k]
    cls = mention.unit_class
    if is_p_value(frame, qualifier_start):
        return "setup"
    if cls == "ratio":
        setup = _counts_hardware(frame, placed.end) or _folds(frame, placed.end)
        return "setup" if setup else "ratio"
    if cls == "dimension":
        return "setup"
    if cls == "points":
        return "change"
    if cls == "percent":
        return _percent_kind(frame, k, mention, qualifier_start)
    if cls in _SCORE_CLASSES:
        return "setup" if _setup_context(frame, placed.end, qualifier_start) else "score"
    if cls in _SETUP_CLASSES:
        return "setup"
    if cls == "count" and mention.unit:
        governed = not mention.rule.startswith("word:") and verb is not None
        return "score" if mention.rule == "fraction" or governed else "setup"
    if cls == "fraction":
        return "score" if _share(frame, placed.end) else "setup"
    if metric and not mention.rule.startswith("word:"):
        return "score"
    return _bare_kind(frame, k, mention, qualifier_start)


def direction_of(frame: Frame, k: int, mention: Mention, kind: str, qualifier_start: int) -> str | None:
    """increase | decrease for ratio and change claims: the sign, the nearest cue word, else increase."""
    if kind not in {"ratio", "change"}:
        return None
    if mention.direction:
        return mention.direction
    if mention.sign in {"+", "-"}:
        return "increase" if mention.sign == "+" else "decrease"
    if mention.sign == "±":
        return None
    if kind == "ratio" and mention.value < 1 and mention.value_max is None:
        return "decrease"
    placed = frame.mentions[k]
    for i in _window(frame, placed.end, 3, k) + _left_window(frame, qualifier_start, k):
        if frame.is_("decrease", i):
            return "decrease"
        if frame.is_("increase", i):
            return "increase"
    return None


# percent
# ----------------------------------------------------------------------------------------------------------


def _percent_kind(frame: Frame, k: int, mention: Mention, qualifier_start: int) -> str:
    placed = frame.mentions[k]
    if _setup_context(frame, placed.end, qualifier_start):
        return "setup"
    if mention.sign in {"+", "-", "±"}:
        return "change"
    if _share(frame, placed.end):
        return "score"
    if _after_by(frame, qualifier_start):
        return "change"
    right = _window(frame, placed.end, 2, k)
    if any(frame.is_("change_nouns", i) or _compares(frame, i) for i in right[:1]) or (
        len(right) == 2 and frame.is_("change_nouns", right[1]) and not frame.is_("preposition", right[0])
    ):
        return "change"
    return "change" if _change_of(frame, qualifier_start) else "score"


def _after_by(frame: Frame, start: int) -> bool:
    """'by 12%', 'by a dramatic 88%'."""
    if start > 0 and frame.lowers[start - 1] == "by":
        return True
    return start > 2 and frame.lowers[start - 3] == "by" and frame.lowers[start - 2] in {"a", "an"}


def _folds(frame: Frame, end: int) -> bool:
    """'5-fold cross-validation' sets up an experiment."""
    return any(frame.is_("fold_setups", i) for i in range(end, min(end + 2, len(frame))))


def _compares(frame: Frame, i: int) -> bool:
    """'35% over the baseline' compares; '61% vs. 66%' only sets two numbers side by side."""
    marker = frame.phrase_at("baseline_after", i)
    return bool(marker) and i + marker < len(frame) and i + marker not in frame.mention_at


def _change_of(frame: Frame, qualifier_start: int) -> bool:
    """'improvement of 4.2%', 'accuracy gain of up to ~6%', 'a rise in loss of only 3%'."""
    i = qualifier_start - 1
    if i < 0 or frame.lowers[i] != "of":
        return False
    j = i - 1
    while j >= 0 and j > i - 6 and not frame.is_punct(j):
        if frame.is_("change_nouns", j) and not frame.is_("change_modifiers", j):
            return True
        if frame.is_verb(j) or frame.is_("determiner", j):
            return False
        j -= 1
    return False


def _share(frame: Frame, end: int) -> bool:
    """'60% of the peak bandwidth', 'in 40% to 55% of cases', 'half of the workload': a share, so a score."""
    return (
        end < len(frame)
        and frame.lowers[end] == "of"
        and not (end + 1 < len(frame) and frame.is_("change_nouns", end + 1))
    )


def _setup_context(frame: Frame, end: int, qualifier_start: int) -> bool:
    if end < len(frame) and frame.phrase_at("setup_after", end):
        return True  # '90% dropout', '90% ERK sparsity', '50 GPU-hour budget' describe the setting
    for back in range(1, 4):
        i = qualifier_start - back
        if i < 0 or frame.is_punct(i) and frame.words[i] not in {"("}:
            break
        if frame.phrase_ending("setup_before", i):
            return True
    if (
        qualifier_start > 0
        and frame.is_("used_with", qualifier_start - 1)
        and (end < len(frame) and frame.lowers[end] == "of")
    ):
        return True  # 'with 1% of annotated images', 'using 10% of the labels': how much of the data was used
    return qualifier_start > 0 and frame.is_("setup_left", qualifier_start - 1)


# counts and bare numbers
# ------------------------------------------------------------------------------------------


def is_p_value(frame: Frame, qualifier_start: int) -> bool:
    """'p < 0.001', 'p = 0.012', 'a p-value of 0.03': a test's significance, not a result."""
    i = qualifier_start - 1
    while i >= 0 and frame.words[i] in _P_LINKS:
        i -= 1
    return i >= 0 and frame.words[i] in _P_WORDS


_P_LINKS = frozenset(
    {
        "<",
        ">",
        "=",
        "≤",
        "≥",
        "<=",
        ">=",
        "~",
        "≈",
        "of",
        "approx",
        "approximately",
        "$",
        "\\leq",
        "\\approx",
        "\\ll",
    }
)
_P_WORDS = frozenset({"p", "P", "p-value", "p-values", "P-value", "$p", "$p$"})


def governing_verb(frame: Frame, qualifier_start: int) -> str | None:
    """The base of a result verb right before the number: 'solving 7/10 tasks', 'generates 120 valid
    programs', 'solves 48.5% of problems'."""
    i = qualifier_start - 1
    while i >= 0 and (frame.is_("adverb", i) or frame.is_("before_object", i)):
        i -= 1
    if frame.is_("reduced_relative", i):
        i = np_left(frame, i) - 1  # 'yields programs averaging 2K lines': the verb that yielded them
        while i >= 0 and frame.is_("determiner", i):
            i -= 1
    if i >= 0 and frame.is_("count_result", i) and not frame.is_("adverb", i):
        if i > 0 and frame.is_("determiner", i - 1):
            return None  # 'a fixed 10 billion token budget': a participle used as an adjective
        return frame.lex.bases.get(frame.lowers[i])
    return None


def _bare_kind(frame: Frame, k: int, mention: Mention, qualifier_start: int) -> str:
    placed = frame.mentions[k]
    if mention.rule == "fraction":
        return "score"
    if mention.rule.startswith("word:"):
        right = _window(frame, placed.end, 1, k)
        return "score" if right and frame.lowers[right[0]] in frame.lex.metric_heads else "setup"
    left = qualifier_start - 1
    if (
        left >= 0
        and frame.lowers[left] in {"to", "->", "→"}
        and k > 0
        and frame.mentions[k - 1].end >= left - 3
        and (_metric_before(frame, frame.mentions[k - 1].start))
    ):
        return "score"  # 'FID from 113 to 365', 'F1: 0.209->0.233': the value a score changed to
    if left >= 0 and frame.is_("score_links", left):
        left -= 1
    while left >= 0 and frame.is_("determiner", left):
        left -= 1
    if left >= 1 and frame.words[left] == ")":
        left -= 1  # 'Frechet Inception Distance (FID) from 113'
    if left >= 0 and (frame.lowers[left] in frame.lex.metric_heads or _is_metric_name(frame, left)):
        return "score"
    right = _window(frame, placed.end, 1, k)
    if right and (frame.lowers[right[0]] in frame.lex.metric_heads or _is_metric_name(frame, right[0])):
        return "score"
    return "setup"


def _metric_before(frame: Frame, start: int) -> bool:
    """A metric named just before a number ('AUC improving from 0.72', 'FID (from) 113')."""
    return any(
        frame.lowers[i] in frame.lex.metric_heads or _is_metric_name(frame, i)
        for i in range(max(0, start - 5), start)
    )


def _is_metric_name(frame: Frame, i: int) -> bool:
    name = frame.name_at.get(i)
    return name is not None and name.label == "METRIC"


def _counts_hardware(frame: Frame, end: int) -> bool:
    """'8x A100 GPUs' counts devices."""
    return end < len(frame) and (
        frame.name_at.get(end) is not None
        and frame.name_at[end].label == "HARDWARE"
        or frame.is_("device_nouns", end)
    )


# windows
# ----------------------------------------------------------------------------------------------------------


def _window(frame: Frame, start: int, size: int, k: int) -> list[int]:
    """Up to ``size`` word tokens after ``start``, stopping at punctuation, a conjunction, a verb or the next
    mention."""
    out = []
    i = _past_aside(frame, start)
    while i < len(frame) and len(out) < size:
        if (
            frame.is_punct(i)
            or (i in frame.mention_at and frame.mention_at[i] != k)
            or frame.is_("conjunction", i)
            or frame.is_("window_stops", i)
            or (frame.is_verb(i) and not frame.is_("change_nouns", i) and not frame.is_("ratio_cues", i))
        ):
            break
        out.append(i)
        i += 1
    return out


def _past_aside(frame: Frame, i: int) -> int:
    """Where the words after a number go on: past a short aside ('26% (relative) improvement'). A parenthesis
    the number closes is not skipped: '(71.1%) than previous methods' is not the 71.1%'s comparison."""
    if i < len(frame) and frame.words[i] == "(":
        for j in range(i + 1, min(i + 5, len(frame))):
            if frame.words[j] == ")":
                return j + 1
            if j in frame.mention_at or frame.is_punct(j):
                break
    return i


def _left_window(frame: Frame, start: int, k: int) -> list[int]:
    """Tokens before ``start`` back to the previous mention or clause start, nearest first."""
    out = []
    i = start - 1
    clause = frame.clause[start] if start < len(frame) else frame.clause[-1]
    while i >= 0 and frame.clause[i] == clause:
        if i in frame.mention_at and frame.mention_at[i] != k:
            break
        out.append(i)
        i -= 1
    return out


def _price_before(frame: Frame, start: int, size: int) -> bool:
    """'cost 0.02 per query': a price word among the ``size`` words before the number."""
    return any(frame.is_("price_words", i) for i in range(start - 1, max(-1, start - 1 - size), -1))


def _is_metric(frame: Frame, i: int) -> bool:
    return frame.lowers[i] in frame.lex.metric_heads or _is_metric_name(frame, i)
