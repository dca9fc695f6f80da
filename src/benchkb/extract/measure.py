"""What a number measures (its metric) and how it is hedged (its qualifier)."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from benchkb.extract.frame import Frame, is_determiner, np_left, past_participle
from benchkb.extract.numbers import Mention
from benchkb.extract.rules import RuleSet

_UNIT_METRICS = {"throughput": "throughput", "money": "cost", "power": "power", "energy": "energy"}


@dataclass(frozen=True, slots=True)
class Qualified:
    qualifier: str | None
    start: int  # token index where the qualifier phrase starts (the mention's start when there is none)


class QualifierFinder:
    """Compiled from extractors/qualifiers.jsonl."""

    def __init__(self, rules: RuleSet) -> None:
        before = {s.lower(): q.qualifier for q in rules.qualifiers for s in q.before}
        self._before = before
        words = sorted(before, key=len, reverse=True)
        # Matched on the reversed text before the number, anchored where the number starts: a search for a
        # pattern ending at '$' would try every one of the 48 positions.
        self._before_reversed = re.compile(
            r"\$?(?:\s+(?:a|na))?\s*(?P<q>" + "|".join(_loose(w[::-1]) for w in words) + r")(?=[\s(\[,;:]|$)",
            re.IGNORECASE,
        )
        self._symbol_regex = re.compile(
            r"(?P<q>~|≈|∼|\$\\sim\$|\\sim|\$\\approx\$|\\approx|\$\\sim|\$\\approx)\s*$"
        )
        after = {s.lower(): q.qualifier for q in rules.qualifiers for s in q.after if s != "+"}
        self._after = after
        self._after_regex = re.compile(
            r"\s*(?P<q>" + "|".join(_loose(w) for w in sorted(after, key=len, reverse=True)) + r")\b",
            re.IGNORECASE,
        )
        self._span = {s.lower(): q.qualifier for q in rules.qualifiers for s in q.span}

    def find(self, frame: Frame, k: int) -> Qualified:
        placed = frame.mentions[k]
        start = frame.starts[placed.start]
        end = frame.ends[placed.end - 1] if placed.end - 1 < frame.n else start
        found, at = self.written(frame.text, start, end, placed.mention)
        if found is not None:
            return Qualified(found, placed.start if at is None else _token_at(frame, at))
        return Qualified(self._spanning(frame, k), placed.start)

    def written(self, text: str, start: int, end: int, mention: Mention) -> tuple[str | None, int | None]:
        """The qualifier written right before ``text[start:end]`` (with where it starts) or right after it."""
        head = text[max(0, start - 48) : start]
        offset = start - len(head)
        symbol = self._symbol_regex.search(head)
        scope = head[: symbol.start()] if symbol else head
        word = self._before_reversed.match(scope[::-1])
        if word:
            return self._before[_squash(word.group("q")[::-1])], offset + len(scope) - word.end("q")
        if mention.qualifier:
            return mention.qualifier, None
        after = self._after_regex.match(text, end)
        if after:
            return self._after[_squash(after.group("q"))], None
        if symbol:
            return "approximately", offset + symbol.start()
        return None, None

    def _spanning(self, frame: Frame, k: int) -> str | None:
        """'average relative gains of 1.6x': the qualifier heads the phrase the number ends."""
        placed = frame.mentions[k]
        i = placed.start - 1
        while i >= 0 and i > placed.start - 7:
            if frame.words[i] in {",", ";", ":", "(", ")", "by"} or i in frame.mention_at or frame.is_verb(i):
                return (
                    None  # 'reduce median agent events by 20%': 'median' belongs to the metric, not the 20%
                )
            two = f"{frame.lowers[i - 1]} {frame.lowers[i]}" if i > 0 else ""
            if two in self._span:
                return self._span[two]
            if frame.lowers[i] in self._span:
                return self._span[frame.lowers[i]]
            i -= 1
        return None


RELATIVE = "relative "  # how the metric of a relative figure begins ('relative accuracy')
_RELATIVE_REACH = 7  # words after 'of' in which the measure of a relative figure is looked for


def metric_of(frame: Frame, k: int, mention: Mention, qualifier_start: int, verb: str | None) -> str | None:
    """The metric a number measures, as written: right after it, in a parenthesis, or in the phrase before it;
    for a count or share governed by a verb, what the verb did ('19/22 tasks' solved: 'tasks solved')."""
    placed = frame.mentions[k]
    if mention.unit == "%" and (relative := _relative_of(frame, placed.end)):
        return relative
    right = _right_phrase(frame, placed.end, k)
    if (
        right
        and _next_is_number(frame, placed.end)
        and placed.start > 0
        and _metric_word(frame, placed.start - 1)
    ):
        right = None  # 'PSNR 51 SSIM 0.998': a name before the number is its metric, the one after the next's
    own = right or _in_phrase(frame, placed.end) or _left_phrase(frame, qualifier_start)
    if own:
        return own
    share = _share_of(frame, placed.end)
    if verb and share and share.lower() not in frame.lex.count_nouns:
        return f"{share} {past_participle(verb, frame.lex.past)}"  # 'pass over 40% of the unit tests'
    return (
        (verb_metric(verb, mention, frame.lex.past) if verb else None)
        or share
        or _unit_metric(frame, mention, placed.end)
    )


def _next_is_number(frame: Frame, end: int) -> bool:
    i = end
    while i < len(frame) and i not in frame.mention_at and _metric_word(frame, i):
        i += 1
    return i < len(frame) and i in frame.mention_at


def verb_metric(verb: str, mention: Mention, irregular: dict[str, str]) -> str | None:
    """What a result verb measures: 'solving 7/10 tasks' -> 'tasks solved'; 'solves 48.5% of problems' ->
    'solve rate'."""
    if mention.unit_class == "count" and mention.unit:
        return f"{mention.unit} {past_participle(verb, irregular)}"
    if mention.unit_class == "percent":
        return f"{verb} rate"
    return None


def sentence_metric(frame: Frame, k: int) -> str | None:
    """A metric named elsewhere in the clause, nearest first ('exact-match accuracy on ..., e.g., 71.5% on
    SQuAD')."""
    placed = frame.mentions[k]
    clause = frame.clause[placed.start]
    heads = _metric_heads(frame)
    at = bisect_left(heads, placed.start)
    left = heads[at - 1] if at > 0 and frame.clause[heads[at - 1]] == clause else None
    right = heads[at] if at < len(heads) and frame.clause[heads[at]] == clause else None
    if left is None and right is None:
        return None
    nearest = (
        left if right is None or left is not None and placed.start - left <= right - placed.start else right
    )
    phrases = frame.derived.setdefault("metric phrases", {})
    if nearest not in phrases:
        end = nearest + 1
        while (
            end < len(frame)
            and end not in frame.mention_at
            and (frame.lowers[end] in frame.lex.metric_heads or _metric_name(frame, end))
        ):
            end += 1
        phrases[nearest] = _clean(frame, np_left(frame, nearest + 1), end)
    return phrases[nearest]


def _metric_heads(frame: Frame) -> list[int]:
    """The tokens that can head a metric named away from its number: metric words and names that are no number
    and not used as a verb (found once per sentence)."""
    heads = frame.derived.get("metric heads")
    if heads is None:
        heads = frame.derived["metric heads"] = [
            i
            for i, lower in enumerate(frame.lowers)
            if (lower in frame.lex.metric_heads or _metric_name(frame, i))
            and i not in frame.mention_at
            and not frame.is_verb(i)
        ]
    return heads


def _relative_of(frame: Frame, end: int) -> str | None:
    """'retains 99% of the teacher's accuracy', '97% of its performance', '88% of full fine-tuning
    performance': a share of another result is a relative figure, 'relative accuracy', never the plain
    metric."""
    if end + 1 >= len(frame) or frame.lowers[end] != "of":
        return None
    for i in range(end + 1, min(end + 1 + _RELATIVE_REACH, len(frame))):
        if frame.is_("relative_heads", i):
            return RELATIVE + frame.lowers[i]
        word = frame.words[i]
        if frame.is_punct(i) and word not in {"-", "'s", "’s"} or frame.is_verb(i):
            return None
        if frame.is_function(i) and not is_determiner(frame, i) and frame.lowers[i] not in {"its", "their"}:
            return None  # '40% of the data on MMLU': the share is of something else
    return None


def _share_of(frame: Frame, end: int) -> str | None:
    """'60% of the peak training throughput' measures a share of that throughput."""
    if end + 1 < len(frame) and frame.lowers[end] == "of":
        start = end + 1
        stop = start
        while (
            stop < len(frame)
            and stop < start + 6
            and (frame.is_("determiner", stop) or _metric_word(frame, stop))
        ):
            stop += 1
        return _clean(frame, start, stop)
    return None


# right of the number
# ---------------------------------------------------------------------------------------------


def _right_phrase(frame: Frame, start: int, k: int) -> str | None:
    """'38% task success rate', '1.7x throughput gain', '5-10times faster build times'."""
    if frame.mentions[k].mention.unit_class == "ratio" and frame.lowers[start : start + 2] in (
        ["as", "many"],
        ["as", "much"],
    ):
        start += 2
    i = start
    while i < len(frame) and i < start + 6 and _metric_word(frame, i):
        i += 1
    end = i
    while (
        end > start
        and frame.is_("change_nouns", end - 1)
        and frame.lowers[end - 1] not in frame.lex.metric_heads
    ):
        end -= 1
    begin = start
    while (
        begin < end and frame.is_("change_nouns", begin) and frame.lowers[begin] not in frame.lex.metric_heads
    ):
        begin += 1
    if begin < end and _has_head(frame, begin, end):
        return _clean(frame, begin, _trim_to_head(frame, begin, end))
    return None


def _in_phrase(frame: Frame, start: int) -> str | None:
    """'1.6x in latency', '31% (top-1)', 'a 40% reduction in labelling time'."""
    if (
        start + 1 < len(frame)
        and frame.is_("change_nouns", start)
        and frame.lowers[start + 1] in {"in", "of"}
    ):
        return _metric_after(frame, start + 1)  # the change noun names no metric; what it changes does
    if start < len(frame) and frame.words[start] in {"in", "("}:
        i = start + 1
        while i < len(frame) and _metric_word(frame, i):
            i += 1
        if (
            i > start + 1
            and _has_head(frame, start + 1, i)
            and (frame.words[start] == "in" or (i < len(frame) and frame.words[i] == ")"))
        ):
            return _clean(frame, start + 1, _trim_to_head(frame, start + 1, i))
    return None


# left of the number
# ----------------------------------------------------------------------------------------------


def _left_phrase(frame: Frame, qualifier_start: int) -> str | None:
    """'top-1 accuracy of 79.3%', 'reduces peak memory usage by 30%', 'success rates below 15%'."""
    link = qualifier_start - 1
    while link >= 0 and frame.is_("determiner", link) and frame.lowers[link] in {"a", "an", "the"}:
        link -= 1
    end = link if link >= 0 and frame.is_("metric_links", link) else link + 1
    if end <= 0:
        return None
    start = np_left(frame, end)
    while (
        start < end
        and frame.is_("change_nouns", end - 1)
        and frame.lowers[end - 1] not in frame.lex.metric_heads
    ):
        end -= 1
    if start < end and _has_head(frame, start, end) and not frame.is_("vague_heads", end - 1):
        return _clean(frame, start, end)
    if start < end and link >= 0 and frame.lowers[link] == "by" and _changed_by_verb(frame, start):
        return _clean(
            frame, start, end
        )  # 'improves goodput by 28%': what a change verb changes is the metric
    if start < end and start >= 2 and frame.lowers[start - 1] == "of":
        outer = np_left(frame, start - 1)
        if outer < start - 1 and _has_head(frame, outer, start - 1):
            return _clean(frame, outer, end)
    if start < end and _has_head(frame, start, end):
        return _clean(frame, start, end)
    return None


def _changed_by_verb(frame: Frame, start: int) -> bool:
    """'improves goodput by 28%'; also the next item of the list: 'reduce X by 20% and Y by 42%'."""
    i = frame.skip_left(start - 1, is_determiner)
    if i >= 0 and frame.lowers[i] in {"and", ","} and i > 0 and i - 1 in frame.mention_at:
        i = frame.mentions[frame.mention_at[i - 1]].start - 1  # the previous 'X by N': look before its X
        i = frame.skip_left(i, _before_verb)
    return (
        i >= 0
        and frame.is_verb(i)
        and (frame.is_("increase", i) or frame.is_("decrease", i))
        and not (frame.is_("baseline_before", i))
    )


def _before_verb(frame: Frame, i: int) -> bool:
    return not frame.is_verb(i) and frame.words[i] not in {";", ":"}


def _unit_metric(frame: Frame, mention: Mention, end: int) -> str | None:
    """The metric a unit implies; ``end``: the token after the number."""
    if mention.unit_class in _UNIT_METRICS:
        return _UNIT_METRICS[mention.unit_class]
    if mention.unit_class == "ratio" and end < len(frame) and frame.is_("speed_comparatives", end):
        return "speed"  # '3.5x faster' (a noun after it, 'faster compile times', is read before this)
    if mention.unit_class == "ratio" and _speaks_of_speed(frame):
        return "speedup"
    return None


def _speaks_of_speed(frame: Frame) -> bool:
    if "speed" not in frame.derived:
        frame.derived["speed"] = any("speed_words" in classes for classes in frame.classes)
    return frame.derived["speed"]


# helpers
# ---------------------------------------------------------------------------------------------------------


def _metric_after(frame: Frame, preposition: int) -> str | None:
    i = preposition + 1
    while i < len(frame) and _metric_word(frame, i):
        i += 1
    if i > preposition + 1 and _has_head(frame, preposition + 1, i):
        return _clean(frame, preposition + 1, _trim_to_head(frame, preposition + 1, i))
    return None


def _metric_word(frame: Frame, i: int) -> bool:
    if i in frame.mention_at or frame.is_punct(i) and frame.words[i] not in {"-", "/"}:
        return False
    if _metric_name(frame, i):
        return True
    if frame.is_function(i) or frame.is_("adverb", i) or frame.is_("baseline_before", i):
        return False
    if frame.is_verb(i) and frame.lowers[i] not in frame.lex.base_forms:
        return False
    name = frame.name_at.get(i)
    return name is None or name.label == "METRIC"


def _metric_name(frame: Frame, i: int) -> bool:
    name = frame.name_at.get(i)
    return name is not None and name.label == "METRIC"


def _has_head(frame: Frame, start: int, end: int) -> bool:
    return any(frame.lowers[i] in frame.lex.metric_heads or _metric_name(frame, i) for i in range(start, end))


def _trim_to_head(frame: Frame, start: int, end: int) -> int:
    """End the phrase at its last metric word ('accuracy on' -> 'accuracy')."""
    while end > start + 1 and not (
        frame.lowers[end - 1] in frame.lex.metric_heads or _metric_name(frame, end - 1)
    ):
        end -= 1
    return end


def _clean(frame: Frame, start: int, end: int) -> str | None:
    while start < end and (frame.is_("determiner", start) or frame.is_("not_metric_words", start)):
        start += 1
    text = frame.span_text(start, end).strip(" ,.;:-")
    return text or None


def _token_at(frame: Frame, char: int) -> int:
    """The first token starting at or after character ``char`` (the last token when none does)."""
    return min(bisect_left(frame.starts, char), len(frame) - 1)


def _loose(surface: str) -> str:
    return re.escape(surface).replace(r"\ ", r"\s+")


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text.lower())


_SPACES = re.compile(r"\s+")
