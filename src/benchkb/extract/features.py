"""Named features of a number and of the phrases that may fill its fields, read off a :class:`Frame`.

One set of functions serves training (``benchkb train``) and extraction, so a model is always scored on the
features it was fitted on. Every feature is something a reader can check against the sentence ("the phrase is
right after 'on'", "a verb stands between the phrase and the number"); today's rules enter as features too ("the
rule chose this phrase"). What does not depend on the number (a phrase's words, its label) is computed once per
sentence in :class:`SentenceIndex`; what does (side, distance, what stands between) per number.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import accumulate

from benchkb.extract.frame import Frame, Name, is_name_shaped

_BUCKETS = (0, 1, 2, 4, 8, 16)
# Words right before a phrase that say what role it plays: where something was measured, whose it is, what it is
# compared against.
_ROLE_WORDS = frozenset({"on", "in", "across", "for", "at", "of", "by", "with", "from", "to", "than", "over",
                         "against", "vs", "vs.", "versus", "like", "as", "under", "via", "using", "between", "among",
                         "and", "or", ",", "(", ":", "including", "e.g.", "i.e.", "both"})
_AFTER_WORDS = frozenset({"dataset", "datasets", "benchmark", "benchmarks", "suite", "corpus", "task", "tasks",
                          "split", "set", "test", "model", "models", "method", "methods", "baseline", "baselines",
                          "(", ")", ",", "and", "on", "of", "with", "by", "achieves", "achieved", "score", "scores"})
_SELF = frozenset({"our", "ours", "we", "proposed", "this", "it", "its"})
_SELF_PRONOUNS = frozenset({"we"})
_LEADING = frozenset({"the", "a", "an", "our", "their", "its", "this", "these", "those", "both", "all", "each"})
_MAX_PHRASE = 6  # tokens: longer runs are descriptions, not names of a system, metric or benchmark
WINDOW = 24  # tokens on each side of a number in which its phrases are looked for


def bucket(distance: int) -> int:
    """0, 1, 2, 4, 8 or 16: the largest bucket not above ``distance``."""
    found = 0
    for edge in _BUCKETS:
        if distance >= edge:
            found = edge
    return found


@dataclass(slots=True)
class Phrase:
    """A stretch of the sentence that could fill a field: a name the name finder found, or a noun phrase."""

    start: int
    end: int
    text: str
    static: list[str] = field(default_factory=list)  # features that do not depend on the number
    owned: bool = False  # how a paper names its own work: 'our method', 'the proposed framework', 'we'


class SentenceIndex:
    """What every number of a sentence shares: its phrases and running counts of verbs, comparison words,
    commas and parentheses, so that 'how many verbs between' is a subtraction, not a scan."""

    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        n = len(frame)
        compare = frame.phrase_starts("baseline_after")
        self.verbs = _running(frame.is_verb(i) for i in range(n))
        self.compares = _running(i in compare or frame.is_("baseline_before", i) for i in range(n))
        self.commas = _running(frame.words[i] == "," for i in range(n))
        self.opens = _running(frame.words[i] == "(" for i in range(n))
        self.closes = _running(frame.words[i] == ")" for i in range(n))
        self.mentions = _running(i in frame.mention_at for i in range(n))
        self.phrases = _phrases(frame)
        self._verb_at = [i for i in range(n) if frame.is_verb(i)]

    def verb_after(self, i: int) -> int | None:
        """The first verb at or after token i, past adverbs and auxiliaries only ('X has also achieved')."""
        frame = self.frame
        while i < len(frame) and (frame.is_("adverb", i) or frame.is_("auxiliary", i)) and not frame.is_verb(i):
            i += 1
        return i if i < len(frame) and frame.is_verb(i) else None

    def verb_before(self, i: int) -> int | None:
        """The last verb before token i."""
        at = bisect_left(self._verb_at, i)
        return self._verb_at[at - 1] if at else None

    def between(self, counts: list[int], a: int, b: int) -> int:
        """How many tokens of [a, b) are counted by ``counts`` (one of the running counts)."""
        return counts[max(b, a)] - counts[a] if b > a else 0

    def near(self, start: int, end: int) -> list[Phrase]:
        """The phrases within :data:`WINDOW` tokens of tokens [start, end)."""
        return [p for p in self.phrases if p.end > start - WINDOW and p.start < end + WINDOW]


def _running(flags) -> list[int]:
    return [0, *accumulate(int(flag) for flag in flags)]


def _phrases(frame: Frame) -> list[Phrase]:
    """The sentence's names, and its noun phrases (maximal runs of content words) of up to six tokens with their
    trailing heads ('custom CNN', 'top-1 accuracy', 'SWE-agent'); a phrase found both ways is kept once."""
    found: dict[tuple[int, int], Phrase] = {}
    for name in frame.names:
        found[(name.start, name.end)] = Phrase(name.start, name.end, name.text, [f"label:{name.label}"])
    i = 0
    n = len(frame)
    while i < n:
        if not _content(frame, i):
            i += 1
            continue
        j = i
        while j < n and _content(frame, j):
            j += 1
        start = max(i, j - _MAX_PHRASE)
        for s in sorted({start, max(start, j - 2), j - 1}):
            if (s, j) not in found and any(c.isalpha() for c in frame.span_text(s, j)):
                found[(s, j)] = Phrase(s, j, frame.span_text(s, j), ["label:NP"])
        i = j
    for i, lower in enumerate(frame.lowers):
        if lower in _SELF_PRONOUNS:
            found.setdefault((i, i + 1), Phrase(i, i + 1, frame.words[i], ["label:PRONOUN"]))
    phrases = sorted(found.values(), key=lambda p: (p.start, p.end))
    for phrase in phrases:
        phrase.static.extend(_phrase_features(frame, phrase))
        phrase.owned = _owned(frame, phrase)
    return phrases


def _owned(frame: Frame, phrase: Phrase) -> bool:
    """'we', 'our method', 'the proposed framework', 'our 7B model': how a paper names its own work."""
    if phrase.end - phrase.start == 1 and frame.lowers[phrase.start] == "we":
        return True
    if not frame.is_("self_heads", phrase.end - 1) or frame.name_at.get(phrase.end - 1) is not None:
        return False
    before = phrase.start - 1
    while before >= 0 and frame.lowers[before] in {"the", "proposed", "this", "new", "novel"}:
        if frame.lowers[before] == "proposed":
            return True
        before -= 1
    return before >= 0 and frame.lowers[before] in {"our", "proposed"}


def _content(frame: Frame, i: int) -> bool:
    """A word a noun phrase may hold: not punctuation (but '-', '/', '+'), a function word, an adverb, a pronoun, a
    verb or a number (a model's size may be: 'our 7B model' is one phrase)."""
    if frame.name_at.get(i) is not None:
        return True
    word = frame.words[i]
    if i in frame.mention_at:
        return frame.mentions[frame.mention_at[i]].mention.unit == "params"
    if word in {"-", "/", "+"}:
        return True
    if not any(c.isalnum() for c in word) or frame.is_function(i) or frame.is_("adverb", i):
        return False
    return frame.lowers[i] not in _SELF and not frame.is_verb(i) and not _ENUMERATOR.fullmatch(frame.lowers[i])


_ENUMERATOR = re.compile(r"i{1,3}|iv|vi{0,3}|ix|x|[a-h]")


def _phrase_features(frame: Frame, phrase: Phrase) -> list[str]:
    """What a phrase is, whatever number it is read for."""
    words = frame.words[phrase.start:phrase.end]
    lowers = frame.lowers[phrase.start:phrase.end]
    head = phrase.end - 1
    out = [f"len:{min(len(words), 4)}"]
    labels = {frame.name_at[i].label for i in range(phrase.start, phrase.end) if frame.name_at.get(i) is not None}
    out.extend(f"has:{label}" for label in sorted(labels))
    if any(is_name_shaped(w) for w in words):
        out.append("shaped")
    if words[0][:1].isupper():
        out.append("capital")
    for lexicon in ("self_heads", "generic", "evidence", "abstract_noun", "change_nouns", "ratio_metrics"):
        if frame.is_(lexicon, head):
            out.append(f"head:{lexicon}")
    if lowers[-1] in frame.lex.metric_heads:
        out.append("head:metric")
    if any(w in frame.lex.metric_heads for w in lowers):
        out.append("metric_word")
    if lowers[-1].endswith("s") and not is_name_shaped(words[-1]) and len(lowers[-1]) > 3:
        out.append("plural")
    if lowers[-1] in _AFTER_WORDS:
        out.append(f"head={lowers[-1]}")
    before = phrase.start - 1
    while before >= 0 and frame.lowers[before] in _LEADING:
        if frame.lowers[before] in {"our", "their", "its"}:
            out.append(f"owner:{frame.lowers[before]}")
        before -= 1
    out.append(f"prev:{_role(frame, before)}")
    if before >= 0 and frame.lowers[before] in {"than", "over"} or frame.phrase_ending("baseline_after", before):
        out.append("compared")
    if before >= 0 and frame.is_("baseline_before", before):
        out.append("beaten")
    after = phrase.end
    out.append(f"next:{_next(frame, after)}")
    if before < 0 or frame.is_punct(before) and frame.words[before] not in {"(", ")"}:
        out.append("opens")
    return out


def _role(frame: Frame, i: int) -> str:
    if i < 0:
        return "START"
    lower = frame.lowers[i]
    if lower in _ROLE_WORDS:
        return lower
    if i in frame.mention_at:
        return "NUMBER"
    if frame.is_verb(i):
        return "VERB"
    return "OTHER"


def _next(frame: Frame, i: int) -> str:
    if i >= len(frame):
        return "END"
    lower = frame.lowers[i]
    if lower in _AFTER_WORDS or lower in {"achieves", "reaches", "attains", "obtains", "scores"}:
        return lower
    if i in frame.mention_at:
        return "NUMBER"
    if frame.is_verb(i):
        return "VERB"
    if frame.is_punct(i):
        return "PUNCT"
    return "OTHER"


def relative_features(index: SentenceIndex, start: int, end: int, phrase: Phrase, kind: str, rank: int) -> list[str]:
    """Where a phrase stands with respect to the number at tokens [start, end); ``rank``: how many phrases of the
    same side stand nearer to the number."""
    frame = index.frame
    if phrase.end <= start:
        side, a, b = "left", phrase.end, start
    elif phrase.start >= end:
        side, a, b = "right", end, phrase.start
    else:
        return ["side:inside"]
    near = bucket(b - a)
    place = f"{side}:{min(rank, 3)}"
    out = [f"side:{side}", f"dist:{side}:{near}", f"rank:{place}", f"kind:{kind}:{side}"]
    out.extend(f"{feature}@{place}" for feature in phrase.static if feature.startswith(_CROSSED))
    verbs = index.between(index.verbs, a, b)
    out.append(f"verbs:{side}:{min(verbs, 2)}")
    if side == "left" and verbs and index.verb_after(phrase.end) == index.verb_before(start):
        out.append("subject_of_verb")  # 'the custom CNN (then) achieved 84%'
    if index.between(index.compares, a, b):
        out.append(f"compare_between:{side}")
    if index.between(index.mentions, a, b):
        out.append(f"number_between:{side}")
    if index.between(index.commas, a, b):
        out.append(f"comma_between:{side}")
    opens, closes = index.between(index.opens, a, b), index.between(index.closes, a, b)
    if side == "left" and opens > closes:
        out.append("number_in_parens_after")  # 'SegResNet (0.7555 ...)'
    if side == "right" and closes > opens:
        out.append("phrase_outside_parens")  # '(71.1%) than previous methods'
    if side == "left" and opens < closes or side == "right" and opens > closes:
        out.append(f"phrase_in_parens:{side}")
    if frame.clause[phrase.start] != frame.clause[start]:
        out.append("other_clause")
    return out


_CROSSED = ("prev:", "next:", "label:", "compared", "beaten")


# the number itself --------------------------------------------------------------------------------------------


def kind_features(frame: Frame, k: int, rule_kind: str, qualifier: str | None, verb: str | None,
                  qualifier_start: int) -> list[str]:
    """What decides whether a number is a result (score, ratio, change) or describes the setup."""
    placed = frame.mentions[k]
    mention = placed.mention
    out = [f"rule:{rule_kind}", f"class:{mention.unit_class or 'none'}", f"rule:{rule_kind}:{mention.unit_class}",
           f"found:{mention.rule.split(':')[0]}"]
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
    out.append("magnitude:" + ("<1" if value < 1 else "<10" if value < 10 else "<100" if value <= 100 else
                               ">100"))
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
    if _near(frame, placed.start - 6, placed.start, lambda i: frame.lowers[i] in frame.lex.metric_heads):
        out.append("metric_left")
    if _near(frame, placed.end, placed.end + 3, lambda i: frame.lowers[i] in frame.lex.metric_heads):
        out.append("metric_right")
    if _near(frame, 0, len(frame), lambda i: frame.is_("result_verb", i)):
        out.append("sentence_result_verb")
    if _near(frame, max(0, placed.start - 8), placed.start, lambda i: frame.is_("baseline_before", i) or bool(
            frame.phrase_at("baseline_after", i))):
        out.append("compared_left")
    return out


def _near(frame: Frame, start: int, end: int, test) -> bool:
    return any(test(i) for i in range(max(0, start), min(end, len(frame))))


def _word_class(frame: Frame, i: int) -> str:
    """A word as a kind feature: frequent function words as themselves, others by their lexicon."""
    if i < 0:
        return "START"
    if i >= len(frame):
        return "END"
    lower = frame.lowers[i]
    if lower in _ROLE_WORDS or frame.is_punct(i):
        return lower
    if i in frame.mention_at:
        return "NUMBER"
    if lower in frame.lex.metric_heads:
        return "metric"
    name = frame.name_at.get(i)
    if name is not None:
        return f"name:{name.label}"
    for lexicon in ("result_verb", "change_nouns", "ratio_cues", "increase", "decrease", "setup_after",
                    "count_result", "determiner", "adverb", "verb"):
        if frame.is_(lexicon, i):
            return lexicon
    return "word"


def name_text(name: Name) -> str:
    return name.text
