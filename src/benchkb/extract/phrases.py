"""The phrases of a sentence that may fill a number's fields, and their named features.

A phrase is a name the name finder found or a noun phrase (a run of content words). What does not depend on
the number (its words, its label, the word before it) is computed once per sentence in :class:`SentenceIndex`;
what does (side, distance, what stands between) per number in :func:`relative_features`, from running counts,
so that "how many verbs stand between" is a subtraction, not a scan. Every feature is something a reader can
check against the sentence ("the phrase is right after 'on'", "a verb stands between the phrase and the
number").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from benchkb.extract.frame import Frame, is_name_shaped

# Words right before a phrase that say what role it plays: where something was measured, whose it is, what it
# is compared against.
ROLE_WORDS = frozenset(
    {
        "on",
        "in",
        "across",
        "for",
        "at",
        "of",
        "by",
        "with",
        "from",
        "to",
        "than",
        "over",
        "against",
        "vs",
        "vs.",
        "versus",
        "like",
        "as",
        "under",
        "via",
        "using",
        "between",
        "among",
        "and",
        "or",
        ",",
        "(",
        ":",
        "including",
        "e.g.",
        "i.e.",
        "both",
    }
)
_AFTER_WORDS = frozenset(
    {
        "dataset",
        "datasets",
        "benchmark",
        "benchmarks",
        "suite",
        "corpus",
        "task",
        "tasks",
        "split",
        "set",
        "test",
        "model",
        "models",
        "method",
        "methods",
        "baseline",
        "baselines",
        "(",
        ")",
        ",",
        "and",
        "on",
        "of",
        "with",
        "by",
        "achieves",
        "achieved",
        "score",
        "scores",
        "reaches",
        "attains",
        "obtains",
    }
)
_SELF = frozenset({"our", "ours", "we", "proposed", "this", "it", "its"})
_LEADING = frozenset(
    {"the", "a", "an", "our", "their", "its", "this", "these", "those", "both", "all", "each"}
)
_OWNERS = frozenset({"our", "their", "its"})
_OWN_MARKS = frozenset({"the", "proposed", "this", "new", "novel"})
_HEAD_LEXICONS = ("self_heads", "generic", "evidence", "abstract_noun", "change_nouns", "ratio_metrics")
_CROSSED = (
    "prev:",
    "next:",
    "label:",
    "compared",
    "beaten",
)  # phrase features also read with where it stands
_ENUMERATOR = re.compile(r"i{1,3}|iv|vi{0,3}|ix|x|[a-h]")
_ALNUM = re.compile(r"[^\W_]")  # a character for which str.isalnum() holds
_MAX_PHRASE = 6  # tokens: longer runs are descriptions, not names of a system, metric or benchmark
WINDOW = 16  # tokens on each side of a number in which its phrases are looked for
_BUCKETS = (0, 1, 2, 4, 8, 16)
_BUCKET = [max(edge for edge in _BUCKETS if d >= edge) for d in range(_BUCKETS[-1] + 1)]
_MAX_RANK = 2  # phrase edges on each side of a number that are candidates (the nearest first)
_SUBJECT_VERBS = 3  # verbs before a number whose subjects are candidates however far they stand


@dataclass(slots=True, eq=False)
class Phrase:
    """A stretch of the sentence that could fill a field."""

    start: int
    end: int
    text: str
    label: str  # the name finder's label, NP for a noun phrase, PRONOUN for 'we'
    static: list[str] = field(default_factory=list)  # features that do not depend on the number (once needed)
    key: str = ""  # the text normalised: case-folded, single spaces
    owned: str | None = None  # how the paper names its own work here, as written: 'our method', 'the proposed
    # framework', 'we'
    crossed: list[str] = field(default_factory=list)  # static features also read with the phrase's place
    scores: dict[int, list[float]] = field(
        default_factory=dict
    )  # its features' weights by scorer, once a sentence
    placed: dict[str, list[str]] = field(default_factory=dict)  # crossed features by place, once per sentence

    def at(self, place: str) -> list[str]:
        found = self.placed.get(place)
        if found is None:
            found = self.placed[place] = [f"{feature}@{place}" for feature in self.crossed]
        return found


class SentenceIndex:
    """What every number of a sentence shares: its phrases, and running counts of verbs, comparison words,
    commas, parentheses and numbers."""

    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        n = len(frame)
        compare = frame.phrase_starts("baseline_after")
        self.compare_ends = {start + length - 1 for start, length in compare.items()}  # 'than', 'compared to'
        verbs = list(map(frame.is_verb, range(n)))
        self.verbs = _running(verbs)
        self.compares = _running(
            [i in compare or "baseline_before" in classes for i, classes in enumerate(frame.classes)]
        )
        self.commas = _running(map(",".__eq__, frame.words))
        self.opens = _running(map("(".__eq__, frame.words))
        self.closes = _running(map(")".__eq__, frame.words))
        self.mentions = _running(map(frame.mention_at.__contains__, range(n)))
        self._verb_at = [i for i, verb in enumerate(verbs) if verb]
        self.phrases = _phrases(frame)
        self._by_end = sorted(self.phrases, key=lambda p: p.end)
        self._ends = [p.end for p in self._by_end]
        self._starts = [p.start for p in self.phrases]

    def between(self, counts: list[int], a: int, b: int) -> int:
        """How many tokens of [a, b) are counted by ``counts`` (one of the running counts)."""
        return counts[b] - counts[a] if b > a else 0

    def verb_after(self, i: int) -> int | None:
        """The first verb at or after token i, past adverbs and auxiliaries only ('X has also achieved')."""
        frame = self.frame
        while (
            i < len(frame) and (frame.is_("adverb", i) or frame.is_("auxiliary", i)) and not frame.is_verb(i)
        ):
            i += 1
        return i if i < len(frame) and frame.is_verb(i) else None

    def verb_before(self, i: int) -> int | None:
        """The last verb before token i."""
        at = bisect_left(self._verb_at, i)
        return self._verb_at[at - 1] if at else None

    def ranked(self, start: int, end: int) -> list[tuple[str, int, Phrase]]:
        """The phrases of the number's clause within :data:`WINDOW` tokens of it (at tokens [start, end)),
        each with its side and how many phrase edges of that side are nearer to the number (the nearest
        first). A phrase of another clause ('X reaches 80% while our model reaches 85%') fills none of its
        fields."""
        clause = self.frame.clause
        own = clause[min(start, len(clause) - 1)]
        out: list[tuple[str, int, Phrase]] = []
        low = bisect_left(self._ends, start - WINDOW + 1)
        high = bisect_right(self._ends, start)
        rank, last = -1, None
        for phrase in reversed(self._by_end[low:high]):
            if clause[phrase.start] != own:
                break
            if phrase.end != last:
                rank, last = rank + 1, phrase.end
                if rank > _MAX_RANK:
                    break
            out.append(("left", rank, phrase))
        out.extend(self._verb_subjects(start, out))
        low = bisect_left(self._starts, end)
        high = bisect_left(self._starts, end + WINDOW)
        rank, last = -1, None
        for phrase in self.phrases[low:high]:
            if clause[phrase.start] != own:
                break
            if phrase.start != last:
                rank, last = rank + 1, phrase.start
                if rank > _MAX_RANK:
                    break
            out.append(("right", rank, phrase))
        for _, _, phrase in out:
            if not phrase.static:
                _describe(self.frame, phrase, self.compare_ends)
        return out

    def _verb_subjects(
        self, start: int, near: list[tuple[str, int, Phrase]]
    ) -> list[tuple[str, int, Phrase]]:
        """The subjects of the verbs before the number at token ``start``, nearest verb first, when they
        stand beyond the nearest phrases: 'the proposed framework achieves an R2 of 0.78, an F1 of 84% and
        ...' (the verb governing the number), 'our detector surpasses existing methods, achieving 34.3 AP'
        (a participle's subject is the verb's before it). Each is ranked past the near phrases, one rank
        per verb."""
        seen = {id(phrase) for _, _, phrase in near}
        out: list[tuple[str, int, Phrase]] = []
        verb = self.verb_before(start)
        clause_start = self.frame.clause_start(start)
        for distance in range(_SUBJECT_VERBS):
            if verb is None or verb < clause_start:
                break
            at = bisect_right(self._ends, verb) - 1
            while at >= 0 and self.verb_after(self._by_end[at].end) == verb:  # 'X (has also) achieved'
                phrase = self._by_end[at]
                if id(phrase) not in seen:
                    seen.add(id(phrase))
                    out.append(("left", _MAX_RANK + 1 + distance, phrase))
                at -= 1
            verb = self.verb_before(verb)
        return out


def _running(flags) -> list[int]:
    return list(accumulate(flags, initial=0))  # True counts 1: the running counts are ints


def _phrases(frame: Frame) -> list[Phrase]:
    """The sentence's names, 'we', and its noun phrases (maximal runs of content words, up to six tokens) with
    their trailing heads ('custom CNN', 'CNN'); a phrase found both ways is kept once."""
    found: dict[tuple[int, int], Phrase] = {}
    for name in frame.names:
        found[(name.start, name.end)] = Phrase(name.start, name.end, name.text, name.label)
    i = 0
    n = len(frame)
    content = [_content(frame, i) for i in range(n)]  # each token once: a run's end is looked at twice
    while i < n:
        if not content[i]:
            i += 1
            continue
        j = i
        while j < n and content[j]:
            j += 1
        start = max(i, j - _MAX_PHRASE)
        for s in sorted({start, max(start, j - 2), j - 1}):
            if (s, j) not in found:
                text = frame.span_text(s, j)
                if any(c.isalpha() for c in text):
                    found[(s, j)] = Phrase(s, j, text, "NP")
        i = j
    for i in [i for i, lower in enumerate(frame.lowers) if lower == "we"]:
        found.setdefault((i, i + 1), Phrase(i, i + 1, frame.words[i], "PRONOUN"))
    return sorted(found.values(), key=lambda p: (p.start, p.end))


def _describe(frame: Frame, phrase: Phrase, compare_ends: set[int]) -> None:
    """Work out what a phrase is, once, when it first stands near a number."""
    phrase.static = [f"label:{phrase.label}", *_phrase_features(frame, phrase, compare_ends)]
    phrase.key = " ".join(phrase.text.casefold().split())
    phrase.crossed = [f for f in phrase.static if f.startswith(_CROSSED)]
    owned = _owned(frame, phrase)
    # as written, but on one line: 'our multi-agent\nsystem' of a wrapped abstract is 'our multi-agent system'
    phrase.owned = " ".join(frame.span_text(owned, phrase.end).split()) if owned is not None else None


def _content(frame: Frame, i: int) -> bool:
    """A word a noun phrase may hold: not punctuation (but '-', '/', '+'), a function word, an adverb, a
    pronoun, a verb, an enumerator or a number (a model's size may: 'our 7B model' is one phrase)."""
    if frame.name_at.get(i) is not None:
        return True
    word = frame.words[i]
    if i in frame.mention_at:
        return frame.mentions[frame.mention_at[i]].mention.unit == "params"
    if word in {"-", "/", "+"}:
        return True
    if _ALNUM.search(word) is None or frame.is_function(i) or frame.is_("adverb", i):
        return False
    return (
        frame.lowers[i] not in _SELF and not frame.is_verb(i) and not _ENUMERATOR.fullmatch(frame.lowers[i])
    )


def _owned(frame: Frame, phrase: Phrase) -> int | None:
    """Where 'we', 'our method', 'the proposed framework', 'our 7B model' begins, when the phrase is how a
    paper names its own work."""
    if phrase.end - phrase.start == 1 and frame.lowers[phrase.start] == "we":
        return phrase.start
    if not frame.is_("self_heads", phrase.end - 1) or frame.name_at.get(phrase.end - 1) is not None:
        return None
    before = phrase.start - 1
    proposed = False
    while before >= 0 and frame.lowers[before] in _OWN_MARKS:
        proposed = proposed or frame.lowers[before] == "proposed"
        before -= 1
    if before >= 0 and frame.lowers[before] == "our":
        return before
    return before + 1 if proposed or before >= 0 and frame.lowers[before] == "proposed" else None


def _phrase_features(frame: Frame, phrase: Phrase, compare_ends: set[int]) -> list[str]:
    """What a phrase is, whatever number it is read for; ``compare_ends``: where comparison markers end."""
    words = frame.words[phrase.start : phrase.end]
    lowers = frame.lowers[phrase.start : phrase.end]
    head = phrase.end - 1
    out = [f"len:{min(len(words), 4)}"]
    names = [frame.name_at.get(i) for i in range(phrase.start, phrase.end)]
    labels = {name.label for name in names if name is not None}
    out.extend(f"has:{label}" for label in sorted(labels))
    if any(is_name_shaped(w) for w in words):
        out.append("shaped")
    if words[0][:1].isupper():
        out.append("capital")
    head_classes = frame.classes[head]
    out.extend(f"head:{lexicon}" for lexicon in _HEAD_LEXICONS if lexicon in head_classes)
    if lowers[-1] in frame.lex.metric_heads:
        out.append("head:metric")
    if not frame.lex.metric_heads.isdisjoint(lowers):
        out.append("metric_word")
    if lowers[-1].endswith("s") and not is_name_shaped(words[-1]) and len(lowers[-1]) > 3:
        out.append("plural")
    if lowers[-1] in _AFTER_WORDS:
        out.append(f"head={lowers[-1]}")
    before = phrase.start - 1
    while before >= 0 and frame.lowers[before] in _LEADING:
        if frame.lowers[before] in _OWNERS:
            out.append(f"owner:{frame.lowers[before]}")
        before -= 1
    out.append(f"prev:{_role(frame, before)}")
    if before in compare_ends:
        out.append("compared")
    if before >= 0 and frame.is_("baseline_before", before):
        out.append("beaten")
    out.append(f"next:{_next(frame, phrase.end)}")
    if before < 0 or frame.is_punct(before) and frame.words[before] not in {"(", ")"}:
        out.append("opens")
    return out


def _role(frame: Frame, i: int) -> str:
    if i < 0:
        return "START"
    lower = frame.lowers[i]
    if lower in ROLE_WORDS:
        return lower
    if i in frame.mention_at:
        return "NUMBER"
    return "VERB" if frame.is_verb(i) else "OTHER"


def _next(frame: Frame, i: int) -> str:
    if i >= len(frame):
        return "END"
    lower = frame.lowers[i]
    if lower in _AFTER_WORDS:
        return lower
    if i in frame.mention_at:
        return "NUMBER"
    if frame.is_verb(i):
        return "VERB"
    return "PUNCT" if frame.is_punct(i) else "OTHER"


def relative_features(
    index: SentenceIndex, start: int, end: int, side: str, rank: int, phrase: Phrase, kind: str
) -> list[str]:
    """Where a phrase stands with respect to the number at tokens [start, end)."""
    if side == "left":
        a, b = phrase.end, start
    else:
        a, b = end, phrase.start
    gap = b - a
    place = f"{side}:{rank}"
    out = [
        f"side:{side}",
        f"dist:{side}:{_BUCKET[min(gap, _BUCKETS[-1])]}",
        f"rank:{place}",
        f"kind:{kind}:{side}",
    ]
    out.extend(phrase.at(place))
    if b <= a:  # nothing stands between: no verb, comparison, number, comma or parenthesis
        out.append(f"verbs:{side}:0")
        return out
    verbs = index.verbs[b] - index.verbs[a]
    out.append(f"verbs:{side}:{min(verbs, 2)}")
    if verbs and side == "left" and index.verb_after(phrase.end) == index.verb_before(start):
        out.append("subject_of_verb")  # 'the custom CNN (then) achieved 84%'
    if index.compares[b] - index.compares[a]:
        out.append(f"compare_between:{side}")
    if index.mentions[b] - index.mentions[a]:
        out.append(f"number_between:{side}")
    if index.commas[b] - index.commas[a]:
        out.append(f"comma_between:{side}")
    opens, closes = index.opens[b] - index.opens[a], index.closes[b] - index.closes[a]
    if opens != closes:
        if side == "left":
            out.append("number_in_parens_after" if opens > closes else "phrase_in_parens:left")
        else:
            out.append("phrase_outside_parens" if closes > opens else "phrase_in_parens:right")
    return out
