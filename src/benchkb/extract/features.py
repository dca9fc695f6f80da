"""Named features of a number that decide its kind (a result: score, ratio or change; or a setting).

One function serves training (``benchkb train``) and extraction, so a model is always scored on the features
it was fitted on; the rules' kind is one of them. What the sentence says as a whole (is there a result verb)
is read once per sentence.
"""

from __future__ import annotations

from bisect import bisect_left

from benchkb.extract.frame import Frame
from benchkb.extract.phrases import ROLE_WORDS

_LEXICONS = (
    "result_verb",
    "change_nouns",
    "ratio_cues",
    "increase",
    "decrease",
    "setup_after",
    "count_result",
    "determiner",
    "adverb",
    "verb",
)


def kind_features(
    frame: Frame, k: int, rule_kind: str, qualifier: str | None, verb: str | None, qualifier_start: int
) -> list[str]:
    """What decides whether a number is a result (score, ratio, change) or describes the setup."""
    placed = frame.mentions[k]
    mention = placed.mention
    out = [
        f"rule:{rule_kind}",
        f"class:{mention.unit_class or 'none'}",
        f"rule:{rule_kind}:{mention.unit_class}",
        f"found:{mention.rule.split(':')[0]}",
    ]
    if not mention.unit:
        out.append("bare")
    if mention.sign:
        out.append(f"sign:{mention.sign}")
    if qualifier:
        out.append(f"qualifier:{qualifier}")
    if verb:
        out.append("result_verb")
    if mention.value_max is not None:
        out.append("range")
    value = abs(mention.value)
    out.append(
        "magnitude:" + ("<1" if value < 1 else "<10" if value < 10 else "<100" if value <= 100 else ">100")
    )
    if value == int(value):
        out.append("integer")
    if 1900 <= value <= 2100 and value == int(value) and not mention.unit:
        out.append("year-like")
    left = qualifier_start - 1
    for offset in (1, 2):
        i = qualifier_start - offset
        out.append(f"left{offset}:{_word_class(frame, i)}")
    for offset in (0, 1):
        i = placed.end + offset
        out.append(f"right{offset}:{_word_class(frame, i)}")
    if left >= 0 and frame.lowers[left] in {"from", "to"}:
        out.append(f"pair:{frame.lowers[left]}")
    marks = _marks(frame)
    if _near(marks.metrics, placed.start - 6, placed.start):
        out.append("metric_left")
    if _near(marks.metrics, placed.end, placed.end + 3):
        out.append("metric_right")
    if marks.result_verb:
        out.append("sentence_result_verb")
    if _near(marks.compares, placed.start - 8, placed.start):
        out.append("compared_left")
    return out


class _Marks:
    """Where a sentence names metrics and comparisons, and whether it has a result verb (read once)."""

    def __init__(self, frame: Frame) -> None:
        heads = frame.lex.metric_heads
        self.metrics = [i for i, lower in enumerate(frame.lowers) if lower in heads]
        compare = frame.phrase_starts("baseline_after")
        self.compares = [
            i for i, classes in enumerate(frame.classes) if i in compare or "baseline_before" in classes
        ]
        self.result_verb = any("result_verb" in classes for classes in frame.classes)


def _marks(frame: Frame) -> _Marks:
    found = frame.derived.get("kind_marks")
    if found is None:
        found = frame.derived["kind_marks"] = _Marks(frame)
    return found


def _near(positions: list[int], start: int, end: int) -> bool:
    """Whether one of the sorted ``positions`` lies in [start, end)."""
    at = bisect_left(positions, start)
    return at < len(positions) and positions[at] < end


def _word_class(frame: Frame, i: int) -> str:
    """A word as a kind feature: frequent function words as themselves, others by their lexicon."""
    if i < 0:
        return "START"
    if i >= len(frame):
        return "END"
    lower = frame.lowers[i]
    if lower in ROLE_WORDS or frame.is_punct(i):
        return lower
    if i in frame.mention_at:
        return "NUMBER"
    if lower in frame.lex.metric_heads:
        return "metric"
    name = frame.name_at.get(i)
    if name is not None:
        return f"name:{name.label}"
    classes = frame.classes[i]
    for lexicon in _LEXICONS:
        if lexicon in classes:
            return lexicon
    return "word"
