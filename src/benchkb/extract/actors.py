"""Who a number is about (subject), what it is compared against (baseline), where it was measured (benchmark)
and under which conditions."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from benchkb.extract.frame import GO_ON, Frame, Name, is_determiner, is_name_shaped, np_left
from benchkb.extract.names import SHAPED

SYSTEMS = frozenset({"MODEL", "SYSTEM", SHAPED})
BENCHMARKS = frozenset({"BENCHMARK"})
_CONDITION_LABELS = frozenset({"HARDWARE", "PRECISION"})
_EVALUATED_ON = BENCHMARKS | {SHAPED}  # labels of names that can be what something was evaluated on
_MODEL_SIZE = re.compile(r"\d(?:\.\d+)?[BMT]\b")  # '8B', '2.7B', '350M': a model's parameter count
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")  # 'NPUs', 'LLMs': a kind of thing, not one dataset
_SUCH_AS = re.compile(r"\bsuch\s+as\b")


@dataclass(frozen=True, slots=True)
class Found:
    """A field value with where it came from; the source decides what coordinated mentions may share."""

    text: str | None
    source: str = ""

    def __post_init__(self) -> None:
        if self.text is not None and not self.text.strip(" ,;:()"):
            object.__setattr__(self, "text", None)


NOTHING = Found(None)


# subject
# ---------------------------------------------------------------------------------------------------------


def subject_of(frame: Frame, k: int, qualifier_start: int) -> Found:
    """The name written right before the number, else the subject of the verb that governs it."""
    placed = frame.mentions[k]
    adjacent = _adjacent_name(frame, qualifier_start)
    if adjacent is not None:
        return Found(adjacent.text, "adjacent")
    clause = frame.clause[placed.start]
    i = qualifier_start - 1
    if i >= 0 and frame.clause[i] == clause:
        # The nearest verb of the clause with a subject: every number of a long clause walks back over its
        # tokens.
        found = frame.walk(range(i, frame.clause_start(i) - 1, -1), _verb_subject)
        if found is not None:
            return found
    if frame.is_("preposition", 0):
        return _subject_after_fronted_phrase(frame, placed.end, clause)
    return NOTHING


def _verb_subject(frame: Frame, i: int) -> Found | object:
    if frame.is_verb(i) and not _infinitive(frame, i):
        found = _subject_of_verb(frame, i)
        if found is not None:
            return found
    return GO_ON


def _subject_of_verb(frame: Frame, verb: int) -> Found | None:
    if frame.lowers[verb].endswith("ing"):
        # 'with ModelA reaching the best score': a participle whose subject is written right before it.
        name = frame.name_ending(verb - 1, SYSTEMS)
        return Found(name.text, "verb") if name is not None and not _is_compared(frame, name.start) else None
    return _subject_before(frame, verb)


def _infinitive(frame: Frame, i: int) -> bool:
    return i > 0 and frame.lowers[i - 1] == "to"


def _adjacent_name(frame: Frame, start: int) -> Name | None:
    """'model-a 41.2%', 'model-b-2.0 (7/10, 70.0%)': a name written right before the number."""
    i = frame.walk(range(start - 1, -1, -1), _adjacent_step, -1)
    if i is None or i < 0:
        return None
    parenthesized = i < start - 1 and _opens_between(frame, i + 1, start)
    name = frame.name_ending(i, SYSTEMS)
    # 'outperforming model-b-2.0 (7/10, 70.0%)': the numbers in parentheses are the compared model's own.
    if name is None or not parenthesized and _is_compared(frame, name.start):
        return None
    return name


def _adjacent_step(frame: Frame, j: int) -> int | object | None:
    """Walking back from a number over numbers, '(' and ':' (and ',' inside parentheses): None at a comma that
    ends the way back, else the first token of another kind."""
    word = frame.words[j]
    if word in {"(", ",", ":"} or j in frame.mention_at:
        return None if word == "," and not _inside_parens(frame, j) else GO_ON
    return j


def _opens_between(frame: Frame, start: int, end: int) -> bool:
    """Whether a '(' is among tokens [start, end)."""
    opening = frame.derived.get("openings")
    if opening is None:
        opening = frame.derived["openings"] = [i for i, word in enumerate(frame.words) if word == "("]
    at = bisect_left(opening, start)
    return at < len(opening) and opening[at] < end


def _inside_parens(frame: Frame, i: int) -> bool:
    """Whether a '(' at or before token i is still open at i: the parentheses' depth after token i is above
    its lowest point at or before i (worked out once per sentence)."""
    depths = frame.derived.get("paren depths")
    if depths is None:
        depth, lowest = [0], [0]
        for word in frame.words:
            depth.append(depth[-1] + (word == "(") - (word == ")"))
            lowest.append(min(lowest[-1], depth[-1]))
        depths = frame.derived["paren depths"] = (depth, lowest)
    depth, lowest = depths
    return depth[i + 1] > lowest[i]


def _subject_before(frame: Frame, verb: int) -> Found | None:
    i = frame.skip_left(verb - 1, _auxiliary)
    if i < 0:
        return None
    if frame.words[i] == ",":
        # 'our system, NovaNet, achieves' / 'NovaNet, the strongest variant, achieves': an apposition.
        name = frame.name_ending(i - 1, SYSTEMS) or _before_apposition(frame, i)
        return Found(name.text, "verb") if name is not None else None
    if frame.lowers[i] in {"and", "or"}:
        return None
    if frame.is_("relative_pronouns", i):
        return _antecedent(frame, i) or Found(frame.words[i], "pronoun")
    start = np_left(frame, i + 1, allow_mentions=True, names_joined=True)
    if start > i:
        return Found(frame.words[i], "pronoun") if frame.is_("pronoun", i) else None
    if _is_metric_phrase(frame, start, i + 1) or _only_benchmarks(frame, start, i + 1):
        return None  # 'latency dropped from ...', 'accuracy on MMLU-Pro stays': not who
    before = _before_determiners(frame, start - 1)
    if (
        before >= 0
        and frame.is_("preposition", before)
        and not any(frame.name_at.get(j) is not None for j in range(start, i + 1))
    ):
        return None  # 'Training them on target datasets improves ...', 'On the test set was': not who
    if (
        before >= 0
        and frame.is_("measured_on", before)
        and all(frame.name_at[j].label in _EVALUATED_ON for j in range(start, i + 1) if j in frame.name_at)
    ):
        return None  # 'evaluations on MPE and MAMuJoCo establish ...': what was evaluated on, not who
    return Found(_subject_text(frame, _owner_start(frame, start), i + 1), "verb")


def _auxiliary(frame: Frame, i: int) -> bool:
    return frame.is_("before_verb", i) or frame.is_("adverb", i)


def _before_determiners(frame: Frame, i: int) -> int:
    return frame.skip_left(i, is_determiner)


def _before_apposition(frame: Frame, comma: int) -> Name | None:
    j = comma - 1
    while j >= 0 and j > comma - 8 and frame.words[j] != "," and not frame.is_verb(j):
        j -= 1
    return frame.name_ending(j - 1, SYSTEMS) if j > 0 and frame.words[j] == "," else None


def _owner_start(frame: Frame, start: int) -> int:
    """'Our image, audio, and text encoders': reach back over a coordination to the 'our' that heads it."""
    i = start - 1
    comma = conjunction = (
        False  # a comma alone is no coordination: 'In the Bloomington network, AlphaTransit'
    )
    while i >= 0 and i > start - 8 and (frame.lowers[i] in {",", "and", "or"} or frame.words[i].isalpha()):
        if frame.is_("owning_determiners", i):
            return i if conjunction or not comma else start
        if frame.is_verb(i) or frame.is_("preposition", i):
            break
        comma = comma or frame.lowers[i] == ","
        conjunction = conjunction or frame.lowers[i] in {"and", "or"}
        i -= 1
    return start


def _antecedent(frame: Frame, relative: int) -> Found | None:
    """'Nova 2 Base and Nova 2 Large, models that outperform ...': the names the clause is about."""
    i = np_left(frame, relative)
    if i > 0 and frame.words[i - 1] == ",":
        i -= 1
    start = np_left(frame, i, names_joined=True)
    if start < i and any(frame.name_at.get(j) for j in range(start, i)):
        return Found(_subject_text(frame, start, i), "verb")
    direct = np_left(frame, relative)
    if (
        direct < relative
        and frame.words[relative - 1] != ","
        and not _is_metric_phrase(frame, direct, relative)
    ):
        return Found(_subject_text(frame, direct, relative), "verb")
    return None


def _subject_after_fronted_phrase(frame: Frame, end: int, clause: int) -> Found:
    """'With a median latency of 40 ms per query, the cached pipeline is ...': the subject follows."""
    clause_end = bisect_right(frame.clause, clause)
    i = end if end >= clause_end else min(clause_end, frame.skip_right(end, _not_comma))
    if i >= len(frame) or frame.words[i] != ",":
        return NOTHING
    start = i + 1
    stop = start
    while stop < len(frame) and not frame.is_verb(stop) and not frame.is_punct(stop) and stop < start + 6:
        stop += 1
    if stop < len(frame) and frame.is_verb(stop) and stop > start and not frame.is_("conjunction", start):
        return Found(_subject_text(frame, start, stop), "verb")
    return NOTHING  # ', but also requires': no subject written


def _not_comma(frame: Frame, i: int) -> bool:
    return frame.words[i] != ","


def _subject_text(frame: Frame, start: int, end: int) -> str:
    """The named part of a subject phrase: 'NovaNet's caching scheme' -> 'NovaNet'; a list of names or a name
    with its modifiers ('ModelA-7B with NovaData') stays whole."""
    names = [
        frame.name_at[i]
        for i in range(start, end)
        if frame.name_at.get(i) and frame.name_at[i].label in SYSTEMS
    ]
    if names:
        if len({n.start for n in names}) == 1:
            return names[0].text
        return frame.span_text(names[0].start, end)
    while start < end and frame.is_("not_subject_words", start):
        start += 1
    return frame.span_text(start, end)


def _only_benchmarks(frame: Frame, start: int, end: int) -> bool:
    names = [frame.name_at.get(i) for i in range(start, end) if frame.name_at.get(i) is not None]
    return bool(names) and all(n.label in BENCHMARKS for n in names)


def _is_metric_phrase(frame: Frame, start: int, end: int) -> bool:
    head = frame.lowers[end - 1]
    return (head in frame.lex.metric_heads or _abstract(frame, start, end - 1)) and not any(
        frame.name_at.get(i) is not None and frame.name_at[i].label in SYSTEMS for i in range(start, end)
    )


def _abstract(frame: Frame, start: int, head: int) -> bool:
    """'erosion', 'verbosity': a quality or process, unless it is how the paper names its own work ('our
    learned representations', 'the solution', 'the evaluation shows')."""
    return frame.is_("abstract_noun", head) and not (
        frame.lowers[start] == "our" or frame.is_("self_heads", head) or frame.is_("evidence", head)
    )


def before_value(frame: Frame, k: int, qualifier_start: int) -> bool:
    """'from 40.0% to 50.6%', 'from 33.7% (StateFlow) to 0.67%': the number a change started from."""
    if qualifier_start < 1 or frame.lowers[qualifier_start - 1] != "from":
        return False
    i = frame.mentions[k].end
    if i < len(frame) and frame.words[i] == "(":  # an aside naming whose value it was
        while i < len(frame) and frame.words[i] != ")" and i not in frame.mention_at:
            i += 1
        i += 1
    return i + 1 < len(frame) and frame.lowers[i] == "to" and i + 1 in frame.mention_at


def compared_value(frame: Frame, k: int, qualifier_start: int) -> bool:
    """'54.0 vs. 44.9', '(71.0% vs. 56.7%)': the number after 'vs.' is what the one before it is compared
    with."""
    i = qualifier_start - 1
    return i >= 1 and frame.is_("versus", i) and i - 1 in frame.mention_at


def named_for(frame: Frame, k: int) -> str | None:
    """'44.9 for the ReAct baseline': whose a compared number is, named after 'for'."""
    i = frame.mentions[k].end
    if i + 1 >= len(frame) or frame.lowers[i] != "for":
        return None
    name = frame.name_starting(i + 1)
    if name is not None:
        return name.text
    words = end = i + 1 + int(is_determiner(frame, i + 1))  # 'for the ReAct baseline': past 'the'
    while end < len(frame) and end < i + 7 and not frame.is_punct(end) and not frame.is_function(end):
        end += 1
    return frame.span_text(i + 1, end) if end > words else None


def named_after(frame: Frame, k: int) -> str | None:
    """'33.7% (StateFlow)': the name in parentheses right after a number."""
    i = frame.mentions[k].end
    if (
        i + 2 < len(frame)
        and frame.words[i] == "("
        and frame.words[i + 2] == ")"
        or (i + 1 < len(frame) and frame.words[i] == "(" and frame.name_starting(i + 1) is not None)
    ):
        name = frame.name_starting(i + 1)
        return name.text if name is not None else frame.words[i + 1]
    return None


# baseline
# --------------------------------------------------------------------------------------------------------


def baseline_of(frame: Frame, k: int, qualifier_start: int) -> Found:
    return (
        _times_the(frame, k)
        or _baseline_right(frame, k)
        or _baseline_left(frame, qualifier_start)
        or _baseline_fronted(frame)
        or NOTHING
    )


def _times_the(frame: Frame, k: int) -> Found | None:
    """'2.5x the best baseline (ModelB)', '0.4x the reference speedup', '10x other baselines'."""
    placed = frame.mentions[k]
    if (
        placed.mention.unit_class != "ratio"
        or placed.mention.rule.startswith("word:")
        or placed.end >= len(frame)
    ):
        return None
    if not frame.is_("after_times", placed.end):
        return None
    return _baseline_phrase(frame, placed.end, "own")


def _baseline_right(frame: Frame, k: int) -> Found | None:
    """'1.8x over LibX 2.1', '... and ~6% as compared to ModelB', '52.3% ..., beating X'."""
    placed = frame.mentions[k]
    points, decisions = _comparison_points(frame)
    at = bisect_left(points, placed.end)  # the first point after the number decides
    if at == len(points) or points[at] >= frame.clause_end(placed.start) or decisions[at] is None:
        return None
    how, start = decisions[at]
    # A comparison right after the number is its own; one further on may be shared by a list before it.
    return _baseline_phrase(
        frame, start, "own" if how == "marker" and points[at] - placed.end < 2 else "right"
    )


def _comparison_points(frame: Frame) -> tuple[list[int], list[tuple[str, int] | None]]:
    """The tokens where :func:`_baseline_right` decides, in order, and what each decides: a later number that
    owns the comparison after it (None: no baseline), a comparison marker ('over', 'compared to') or a
    comparing participle ('beating') with where its baseline starts. Found once per sentence: every number of
    a long list looks from it."""
    found = frame.derived.get("comparison_points")
    if found is None:
        participles = (
            i
            for i, lower in enumerate(frame.lowers)
            if lower.endswith("ing") and _comparing_participle(frame, i)
        )
        points = sorted({*frame.mention_at, *frame.phrase_starts("baseline_after"), *participles})
        decided = [(i, decision) for i in points if (decision := _comparison_at(frame, i)) is not GO_ON]
        found = frame.derived["comparison_points"] = ([i for i, _ in decided], [d for _, d in decided])
    return found


def _comparison_at(frame: Frame, i: int) -> tuple[str, int] | None | object:
    if i in frame.mention_at and _owns_comparison(frame, frame.mention_at[i]):
        return None
    marker = frame.phrase_at("baseline_after", i)
    if marker and not _quantity_follows(frame, i + marker):
        return "marker", i + marker
    if _comparing_participle(frame, i) and not _quantified(frame, i + 1):
        return "participle", i + 1
    return GO_ON


def _comparing_participle(frame: Frame, i: int) -> bool:
    return frame.is_("baseline_before", i) and frame.lowers[i].endswith("ing")


def _owns_comparison(frame: Frame, other: int) -> bool:
    """'2.1x over LibY', 'a 35% improvement over X': a comparison right after a later number is that
    number's."""
    end = frame.mentions[other].end
    for i in range(end, min(end + 2, len(frame))):
        if frame.phrase_at("baseline_after", i) and not _quantity_follows(
            frame, i + frame.phrase_at("baseline_after", i)
        ):
            return True
        if frame.is_punct(i) or i in frame.mention_at:
            return False
    return False


def _follows_mention(frame: Frame, i: int) -> bool:
    return any(j in frame.mention_at for j in range(max(0, i - 2), i))


def _quantified(frame: Frame, start: int) -> bool:
    """'exceeding ModelB by 12.5 ...': the comparison belongs to the number after 'by'."""
    end = _phrase_end(frame, start)
    return end < len(frame) and frame.lowers[end] == "by"


def _baseline_left(frame: Frame, qualifier_start: int) -> Found | None:
    """'outperform X by 20%', 'surpasses X, reaching 1.6x', 'improvements over X, reaching up to 64.0%'."""
    return frame.walk(range(qualifier_start - 1, -1, -1), _baseline_left_at)


def _baseline_left_at(frame: Frame, i: int) -> Found | None | object:
    if i in frame.mention_at and _owns_comparison(frame, frame.mention_at[i]):
        return None
    if frame.is_("baseline_before", i) and frame.is_verb(i):
        return _baseline_phrase(frame, i + 1, "left")
    if frame.lowers[i] == "over" and i > 0 and frame.is_("change_nouns", i - 1):
        if _follows_mention(frame, i - 1):
            return None  # 'a 35% improvement over X': X is the 35%'s baseline
        return _baseline_phrase(frame, i + 1, "left")
    if frame.is_verb(i) and not frame.lowers[i].endswith("ing"):
        return None  # the number's own verb: comparisons further left belong to another clause
    return GO_ON


def _baseline_fronted(frame: Frame) -> Found | None:
    """'Compared with prior methods, ...' at the head of the sentence applies to all its numbers."""
    if "fronted baseline" not in frame.derived:
        frame.derived["fronted baseline"] = _fronted_comparison(frame)
    return frame.derived["fronted baseline"]


def _fronted_comparison(frame: Frame) -> Found | None:
    for i in range(min(len(frame), 3)):
        if frame.is_("fronted_comparison", i):
            marker = frame.phrase_at("baseline_after", i)
            start = i + (marker or 1)
            if start < len(frame) and frame.lowers[start] in {"to", "with"}:
                start += 1
            return _baseline_phrase(frame, start, "left")
    return None


def _baseline_phrase(frame: Frame, start: int, source: str) -> Found | None:
    """The baseline written from token ``start`` (worked out once per sentence for each start and source)."""
    phrases = frame.derived.setdefault("baseline phrases", {})
    key = (start, source)
    if key not in phrases:
        phrases[key] = _read_baseline_phrase(frame, start, source)
    return phrases[key]


def _read_baseline_phrase(frame: Frame, start: int, source: str) -> Found | None:
    while start < len(frame) and (frame.is_("before_baseline", start) or frame.is_("adverb", start)):
        start += 1
    if start < len(frame) and frame.is_("self_comparison", start):
        return None
    end = _phrase_end(frame, start)
    if all(frame.is_("determiner", i) for i in range(start, end)):
        return None  # 'surpassing the 94.1% state of the art': no baseline before the number
    if end + 2 < len(frame) and frame.words[end] == "(" and frame.name_starting(end + 1, SYSTEMS) is not None:
        return Found(frame.name_starting(end + 1, SYSTEMS).text, source)  # 'the best baseline (ModelB)'
    of = next((i for i in range(start, end) if frame.lowers[i] == "of"), None)
    if of is not None and of + 1 < end and frame.lowers[of - 1] in frame.lex.metric_heads:
        start = of + 1  # 'than the accuracy of ModelB': the thing measured, not its metric
    names = [i for i in range(start, end) if frame.name_at.get(i) is not None]
    if names and all(
        frame.is_("determiner", i) or frame.is_("adverb", i) or frame.lowers[i].endswith("ed")
        for i in range(start, names[0])
    ):
        start = names[0]  # 'the widely used ModelB'
    text = frame.span_text(start, end)
    listed = _SUCH_AS.split(text, maxsplit=1)
    if len(listed) == 2 and listed[1].strip():
        text = listed[1]  # 'larger models such as ModelB and ModelC': the models named
    return Found(text.strip(" ,"), source)


def _phrase_end(frame: Frame, start: int) -> int:
    """A baseline phrase runs to the next preposition, clause break, number or verb; names may be listed
    (worked out once per sentence for each start)."""
    ends = frame.derived.setdefault("phrase ends", {})
    if start not in ends:
        ends[start] = _read_phrase_end(frame, start)
    return ends[start]


def _read_phrase_end(frame: Frame, start: int) -> int:
    i = start
    depth = 0
    while i < len(frame):
        word, lower = frame.words[i], frame.lowers[i]
        if (
            word == "("
            and frame.name_at.get(i - 1) is not None
            and i + 1 < len(frame)
            and i + 1 not in frame.mention_at
        ):
            depth += 1
        elif word == ")" and depth:
            depth -= 1
        elif depth:
            pass
        elif lower in {"such", "as"} and frame.lowers[i : i + 2] == ["such", "as"]:
            i += 2
            continue
        elif i in frame.mention_at and frame.mentions[frame.mention_at[i]].mention.unit not in {"params"}:
            break
        elif frame.is_("phrase_stops", i) or word in {";", ":", ".", "(", ")"}:
            break
        elif frame.is_("adverb", i) and (
            i + 1 >= len(frame) or frame.is_punct(i + 1) or frame.is_function(i + 1)
        ):
            break
        elif word == "," or lower in {"and", "or"}:
            if not _list_continues(frame, i):
                break
        elif frame.is_verb(i) and frame.name_at.get(i) is None and _acts_as_verb(frame, i):
            break
        i += 1
    return i


def _list_continues(frame: Frame, i: int) -> bool:
    """Between two names (or a name and its size: 'ModelB 70B and ModelC') a list goes on."""
    before = frame.skip_left(i - 1, _comma_or_number)
    after = frame.skip_right(i + 1, _coordinator)
    return (
        before >= 0
        and frame.name_at.get(before) is not None
        and after < len(frame)
        and (frame.name_at.get(after) is not None)
    )


def _comma_or_number(frame: Frame, i: int) -> bool:
    return frame.lowers[i] == "," or i in frame.mention_at


def _coordinator(frame: Frame, i: int) -> bool:
    return frame.lowers[i] in {"and", "or", ","}


def _acts_as_verb(frame: Frame, i: int) -> bool:
    """'serving systems' and 'finetuned models' are modifiers; 'achieving 59%' and 'reduces the' act as
    verbs."""
    lower = frame.lowers[i]
    if not lower.endswith(("ing", "ed")):
        return True
    nxt = i + 1
    return nxt >= len(frame) or nxt in frame.mention_at or frame.is_("determiner", nxt) or frame.is_punct(nxt)


def _is_compared(frame: Frame, start: int) -> bool:
    i = _before_determiners(frame, start - 1)
    return i >= 0 and (bool(frame.phrase_ending("baseline_after", i)) or frame.is_("baseline_before", i))


def _quantity_follows(frame: Frame, i: int) -> bool:
    while i < len(frame) and frame.lowers[i] in {"a", "an", "the"}:
        i += 1
    return i < len(frame) and i in frame.mention_at


# benchmark
# -------------------------------------------------------------------------------------------------------


def benchmark_of(frame: Frame, k: int, rights: list[Found | None]) -> Found:
    """'71.5% on HumanEval'; else a benchmark the sentence frames all its numbers with ('On BenchX, ...').
    ``rights`` is :func:`benchmarks_named_after` of the frame."""
    placed = frame.mentions[k]
    if rights[k] is not None:
        return rights[k]
    aside = _benchmark_before_aside(frame, placed.start)
    if aside is not None:
        return Found(aside.text, "left")
    free, starts, ends = _free_benchmarks(frame, rights)
    before = bisect_right(ends, placed.start) - 1  # the nearest one ending before the number
    if before >= 0:
        return Found(_with_list(frame, free[before]), "left")
    after = bisect_right(starts, placed.end)
    if after < len(free) and frame.clause[free[after].start] == frame.clause[placed.start]:
        return Found(_with_list(frame, free[after]), "sentence")
    fronted = _fronted_benchmark(frame)
    if fronted is not None and fronted.end <= placed.start and placed.mention.unit_class != "ratio":
        return Found(_with_list(frame, fronted), "left")
    return NOTHING


def _benchmark_before_aside(frame: Frame, start: int) -> Name | None:
    """'on the Chinese SLR500 (reaching 97.1%) and ...': a number in parentheses right after an unknown
    dataset-shaped name that follows 'on' was measured on it."""
    opening = next(
        (j for j in range(start - 1, max(start - 4, -1), -1) if frame.words[j] in {"(", ")"}), None
    )
    if opening is None or frame.words[opening] != "(" or opening < 2:
        return None
    name = frame.name_ending(opening - 1)
    if name is None:
        return None
    before = name.start - 1
    if before >= 0 and frame.lowers[before] == "the":
        before -= 1
    return name if before >= 0 and frame.is_("measured_on", before) and _dataset_shaped(frame, name) else None


def _fronted_benchmark(frame: Frame) -> Name | None:
    """'Notably, on the AIME-24, our method ...': an unknown dataset-shaped name the sentence opens with
    frames its numbers, as a known benchmark does."""
    for i in range(min(len(frame), 4)):
        if frame.is_("measured_on", i) and (i == 0 or frame.words[i - 1] == ","):
            name = _unknown_benchmark(frame, i)
            return (
                name if name is not None and name.end < len(frame) and frame.words[name.end] == "," else None
            )
    return None


def benchmarks_named_after(frame: Frame) -> list[Found | None]:
    """For each mention, the benchmark it names right after itself ('63.0% on MBPP'), if any."""
    return [_benchmark_right(frame, k) for k in range(len(frame.mentions))]


def _free_benchmarks(frame: Frame, rights: list[Found | None]) -> tuple[list[Name], list[int], list[int]]:
    """The benchmark names that belong to no mention, so that they can frame others, with their starts and
    ends (found once per sentence)."""
    found = frame.derived.get("free benchmarks")
    if found is None:
        texts = [found.text for found in rights if found is not None and found.text]
        joined = "\n".join(
            texts
        )  # a name holds no line break (the Doc's whitespace is spaces): none spans two

        def owned(name: Name) -> bool:
            if "\n" in name.text:
                return any(name.text in t for t in texts)
            return bool(texts) and name.text in joined

        free = [name for name in frame.names if name.label in BENCHMARKS and not owned(name)]
        found = frame.derived["free benchmarks"] = (free, [n.start for n in free], [n.end for n in free])
    return found


def _benchmark_right(frame: Frame, k: int) -> Found | None:
    placed = frame.mentions[k]
    i = placed.end
    limit = min(len(frame), placed.end + 9)
    while i < limit:
        if (i in frame.mention_at and frame.mention_at[i] != k) or frame.words[i] in {",", ";", ":"}:
            return None
        if frame.is_("benchmark_after", i):
            unknown = _unknown_benchmark(frame, i) if placed.mention.unit_class != "ratio" else None
            if unknown is not None:
                return Found(_with_list(frame, unknown), "right")
            j = i + 1
            while (
                j < len(frame)
                and j < i + 8
                and frame.name_starting(j, BENCHMARKS) is None
                and not (frame.is_punct(j) or j in frame.mention_at or frame.is_verb(j))
            ):
                j += 1
            name = frame.name_starting(j, BENCHMARKS) if j < len(frame) else None
            if name is not None:
                return Found(_with_list(frame, name), "right")
        i += 1
    return None


def _unknown_benchmark(frame: Frame, preposition: int) -> Name | None:
    """'0.73 F1 on HateMM': a dataset-shaped name no list knows, right after 'on' or 'across' after a number,
    is what the number was measured on. Not a model ('on Qwen3-8B' carries its size), not where a speedup ran
    ('2x faster on Gaudi2'), not a subset of tasks ('on Long-Context tasks')."""
    if not frame.is_("measured_on", preposition):
        return None
    j = preposition + 1
    if j < len(frame) and frame.lowers[j] == "the":
        j += 1
    name = frame.name_starting(j)
    return name if name is not None and _dataset_shaped(frame, name) else None


def _dataset_shaped(frame: Frame, name: Name) -> bool:
    """An unknown name that can be a dataset: name-shaped, without a model size, not followed by a subset noun
    ('Long-Context tasks') and not a plural acronym ('Ascend NPUs')."""
    if (
        name.label != SHAPED
        or _MODEL_SIZE.search(name.text)
        or not any(is_name_shaped(word) for word in frame.words[name.start : name.end])
    ):
        return False
    return not (
        name.end < len(frame)
        and frame.is_("subset_nouns", name.end)
        or _PLURAL_ACRONYM.fullmatch(frame.words[name.end - 1])
    )


def _with_list(frame: Frame, name: Name) -> str:
    """'GSM8K, MATH, and SVAMP': a benchmark heading a coordinated list of benchmarks brings the list along
    (an unknown name taken for a benchmark brings the unknown names listed with it). Read once per sentence
    and name."""
    lists = frame.derived.setdefault("benchmark lists", {})
    if name not in lists:
        lists[name] = _read_with_list(frame, name)
    return lists[name]


def _read_with_list(frame: Frame, name: Name) -> str:
    labels = BENCHMARKS | {name.label}
    end = name.end
    i = name.end
    while i < len(frame):
        if frame.lowers[i] in {",", "and", "or"}:
            i += 1
            continue
        nxt = frame.name_starting(i, labels)
        if nxt is None:
            break
        end = i = nxt.end
    start = name.start
    j = name.start - 1
    while j >= 0:
        if frame.lowers[j] in {",", "and", "or"}:
            j -= 1
            continue
        prev = frame.name_ending(j, labels)
        if prev is None:
            break
        start = prev.start
        j = prev.start - 1
    return frame.span_text(start, end)


# conditions
# ------------------------------------------------------------------------------------------------------


def sentence_conditions(frame: Frame) -> list[str]:
    """Hardware and precision named in the sentence, and settings such as 'pass@50' or 'assisted setting'."""
    found: dict[str, None] = {}  # in order, each once
    for name in frame.names:
        if name.label in _CONDITION_LABELS:
            found.setdefault(name.text)
    for i, lower in enumerate(frame.lowers):
        if lower.startswith("pass@"):
            found.setdefault(frame.words[i])
        if (
            lower in {"setting", "settings"}
            and i > 0
            and frame.words[i - 1].isalpha()
            and (not frame.is_function(i - 1))
        ):
            found.setdefault(f"{frame.words[i - 1]} setting")
    return list(found)
