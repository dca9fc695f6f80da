"""The values each field of a number may take, with their features: the candidates the learned scorer chooses
from.

For each number: the sentence's phrases near it (where each stands, from :mod:`phrases`), the values known
without reading the sentence (the rules' choice, the paper's own names, what earlier sentences gave) and
"none". A phrase that is also a known value carries that too ('src:rule', 'own:acronym'); 'our method' and
'we' stand for the paper's own system by its name; 'our method' is also a candidate as written (the name
found may not be the system's).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from benchkb.extract.build import Draft
from benchkb.extract.context import PaperContext, extends
from benchkb.extract.datasets import Dataset, datasets
from benchkb.extract.frame import Lexicons, is_name_shaped
from benchkb.extract.own_names import OwnName, own_names
from benchkb.extract.phrases import Phrase, SentenceIndex, relative_features

FIELDS = ("subject", "benchmark", "metric", "baseline")  # the fields a number's candidates can be found for
RESULTS = frozenset({"score", "ratio", "change"})
_TEXT_LEXICONS = ("self_heads", "generic", "evidence", "abstract_noun")
MAX_SETS = 8  # the datasets of an abstract each number may take (the dev sets' abstracts name at most 5)
_OPENERS = frozenset({"our", "ours", "we", "it", "they", "this", "the"})
_AGREEING = frozenset(
    {
        "src:rule",
        "src:previous",
        "src:self_reference",
        "src:paper",
        "own_rank",
        "names_own",
        "in_rule",
        "own_literal",
    }
)
_SET_COMBINED = frozenset(
    {
        "set:here",
        "set:earlier",
        "set:later",
        "set:nearest_earlier",
        "set:only",
        "set:named_set",
        "set:after_on",
        "set:set_named",
    }
)


@dataclass(slots=True)
class Candidate:
    """A value a field may take (None: the field stays empty) with the features that describe it; a phrase of
    the sentence brings its own features too (kept on the phrase, shared by every number of the sentence)."""

    text: str | None
    features: list[str]  # where a phrase stands (shared by the candidates of every field), or all of them
    phrase: Phrase | None = None
    extra: list[str] = field(default_factory=list)  # what this field knows of the phrase ('src:rule')

    @property
    def all_features(self) -> list[str]:
        static = self.phrase.static if self.phrase is not None else []
        return [*static, *self.features, *self.extra]


@dataclass(slots=True)
class Memory:
    """What earlier sentences of the abstract gave their results (the rules' choices, so that candidates never
    depend on a model)."""

    subject: str | None = None
    benchmark: str | None = None
    metric: str | None = None

    def remember(self, drafts: list[Draft]) -> None:
        for draft in drafts:
            if draft.kind in RESULTS:
                self.subject = draft.subject.text or self.subject
                self.benchmark = draft.benchmark.text or self.benchmark
                self.metric = draft.metric.text or self.metric


class PaperState:
    """What is known of the abstract as it is read: the paper's own names, the datasets it names, and what
    earlier sentences gave. The names are read from the abstract only when a result first needs them."""

    def __init__(self, context: PaperContext, abstract: str) -> None:
        self.context = context
        self.abstract = abstract
        self.memory = Memory()
        self.sentence = (0, 0)  # where the sentence being read stands in the abstract
        self._own: list[OwnName] | None = None
        self._sets: list[Dataset] | None = None
        self._self_keys: tuple[str, ...] | None = None
        self._set_keys: frozenset[str] | None = None
        self._starts: list[int] | None = None  # where each of the datasets is first named
        # What CandidateFinder read of the paper for a field, by field, place, kind, sentence and memory.
        self.known: dict[tuple, dict[str, tuple[str, list[str]]]] = {}

    @classmethod
    def read(cls, context: PaperContext, abstract: str) -> PaperState:
        return cls(context, abstract)

    @property
    def own(self) -> list[OwnName]:
        if self._own is None:
            self._own = own_names(self.context.title, self.abstract)
        return self._own

    @property
    def sets(self) -> list[Dataset]:
        if self._sets is None:
            self._sets = datasets(self.abstract)
        return self._sets

    def set_features(self, at: int) -> list[tuple[str, list[str]]]:
        """The abstract's datasets first named nearest to character ``at`` (at most ``MAX_SETS``, so that an
        abstract naming hundreds costs each number the same), each with where it is first named: before this
        sentence (the nearest one marked), in it, or after it."""
        starts = self._starts
        if starts is None:
            starts = self._starts = [entry.start for entry in self.sets]
        left = right = bisect.bisect_left(starts, at)
        while right - left < min(MAX_SETS, len(starts)):  # widen towards the nearer side
            if left > 0 and (right >= len(starts) or at - starts[left - 1] <= starts[right] - at):
                left -= 1
            else:
                right += 1
        start, end = self.sentence
        nearest_earlier = bisect.bisect_left(starts, start) - 1
        out = []
        for i in range(left, right):
            entry = self.sets[i]
            where = "set:earlier" if entry.start < start else "set:here" if entry.start < end else "set:later"
            features = [*entry.features, where]
            if i == nearest_earlier:
                features.append("set:nearest_earlier")
            if len(starts) == 1:
                features.append("set:only")
            # how they combine matters ('the only dataset, named as one, in the last sentence that named
            # one' is usually a number's benchmark; each alone is not): one feature for the combination
            features.append("set:" + "+".join(f[4:] for f in sorted(features) if f in _SET_COMBINED))
            out.append((entry.name, features))
        return out

    def sets_near(self, at: int) -> int | None:
        """What :meth:`set_features` reads of ``at``: nothing when the abstract names no more than
        ``MAX_SETS`` datasets (each number takes them all), else ``at`` itself."""
        return at if len(self.sets) > MAX_SETS else None

    @property
    def set_keys(self) -> frozenset[str]:
        """The abstract's datasets, normalised."""
        if self._set_keys is None:
            self._set_keys = frozenset(_key(entry.name) for entry in self.sets)
        return self._set_keys

    @property
    def self_keys(self) -> tuple[str, ...]:
        """Every way the abstract calls its unnamed work ('our method', 'our approach'), normalised."""
        if self._self_keys is None:
            self._self_keys = tuple(dict.fromkeys(_key(text) for text in self.context.self_references))
        return self._self_keys

    @property
    def system(self) -> str | None:
        """The paper's own system by its best supported name, when it is named plainly ('called X', 'we
        propose X (Y)', a title prefix); else what the context found, if anything."""
        best = self.own[0] if self.own and self.own[0].strength else None
        if best is not None and extends(best.name, self.context.benchmarks):
            # 'VisGym: ...' introduces a benchmark (and 'VisGym Lite' is a setting of it): 'we find' and 'our
            # results' are no system's
            best = None
        return best.name if best is not None else self.context.system


class CandidateFinder:
    """Builds the candidates of a number's fields."""

    def __init__(self, lex: Lexicons) -> None:
        self.lex = lex
        self._text_memo: dict[str, list[str]] = {}

    def find(self, index: SentenceIndex, draft: Draft, paper: PaperState) -> dict[str, list[Candidate]]:
        """The candidates of every field."""
        placed = self.place(index, draft)
        return {name: self.field(placed, draft, name, paper) for name in FIELDS}

    def place(self, index: SentenceIndex, draft: Draft) -> list[tuple[Phrase, list[str]]]:
        """The sentence's phrases near the number, each with where it stands (the same for every field)."""
        start, end = draft.qualifier_start, index.frame.mentions[draft.k].end
        return [
            (phrase, relative_features(index, start, end, side, rank, phrase, draft.kind))
            for side, rank, phrase in index.ranked(start, end)
        ]

    def field(
        self, placed: list[tuple[Phrase, list[str]]], draft: Draft, name: str, paper: PaperState
    ) -> list[Candidate]:
        """One field's candidates: first the placed phrases, in their order, then the values known from
        elsewhere, then "none"."""
        known = self._known(draft, name, paper)
        used: set[str] = set()
        candidates = []
        own = paper.system if name == "subject" else None
        rule = getattr(draft, name).text
        lowered = rule.casefold() if rule else None
        literal = []  # 'the proposed framework' as written, beside the own name it stands for
        for phrase, features in placed:
            text, key = phrase.text, phrase.key
            extra = []
            if name == "subject" and phrase.owned and phrase.label != "PRONOUN":
                if own is None:
                    text, key = phrase.owned, _key(phrase.owned)  # 'the proposed approach', not 'approach'
                    extra.extend(self._same_work(key, known, used, paper))
                else:
                    literal.append((phrase, features))
            if own is not None and phrase.owned:
                text, key = own, _key(own)
                extra.append("names_own")
            if name != "benchmark" and key in paper.set_keys:
                extra.append("names_set")  # 'BraTS2020' is where a score was measured, not what or whose
            candidates.append(
                Candidate(text, features, phrase, self._extra(key, known, used, lowered, extra))
            )
        for phrase, features in literal:
            key = _key(phrase.owned)
            if key not in used:
                extra = self._extra(key, known, used, lowered, ["own_literal"])
                candidates.append(Candidate(phrase.owned, [*phrase.static, *features], extra=extra))
        for key, (text, features) in known.items():
            if key not in used:
                candidates.append(Candidate(text, self._text_features(text), extra=["elsewhere", *features]))
        if name == "metric":
            for candidate in candidates:
                candidate.text = candidate.text and singular_metric(candidate.text, self.lex)
        if name == "benchmark":  # cross-validated: helps the benchmark, not the subject or the metric
            for candidate in candidates:
                candidate.extra.append(_agreement(candidate))
        candidates.append(
            Candidate(
                None,
                [],
                extra=["none", f"none:kind:{draft.kind}", "none:rule:set" if rule else "none:rule:empty"],
            )
        )
        return candidates

    @staticmethod
    def _same_work(
        key: str, known: dict[str, tuple[str, list[str]]], used: set[str], paper: PaperState
    ) -> list[str]:
        """An unnamed work is one work however it is called: 'our method' in the number's sentence is the
        'Our approach' the abstract began with or the last sentence's subject, so it takes their evidence
        instead of competing with them."""
        found = []
        for other in paper.self_keys:
            if other != key and other not in used and other in known:
                used.add(other)
                found.extend(known[other][1])
        return ["same_work", *found] if found else []

    @staticmethod
    def _extra(
        key: str,
        known: dict[str, tuple[str, list[str]]],
        used: set[str],
        lowered: str | None,
        extra: list[str],
    ) -> list[str]:
        """What the field knows of a phrase: the sources that gave it too, and whether it is part of the
        rules' choice."""
        also = known.get(key)
        if also is not None:
            extra.extend(also[1])
            used.add(key)
        if lowered and key != lowered and key in lowered:
            extra.append("in_rule")  # 'HumanEval' of the rules' 'HumanEval and MBPP'
        return extra

    def _known(self, draft: Draft, name: str, paper: PaperState) -> dict[str, tuple[str, list[str]]]:
        """Values of the field known without reading the sentence, by normalised text: the rules' choice
        first, then what the paper gives (the same for every number of a sentence of one kind but where it
        stands, so read once per sentence, kind and place; its feature lists are shared, never changed).
        The key holds all that :meth:`_elsewhere` reads of the draft and the paper's state."""
        known: dict[str, tuple[str, list[str]]] = {}
        rule = getattr(draft, name)
        _add(known, rule.text, ["src:rule", f"rule_src:{rule.source or 'none'}"])
        memory = paper.memory
        place = (
            paper.sets_near(draft.mention.start)
            if name == "benchmark"
            else draft.mention.unit_class == "ratio"
            if name == "metric"
            else None
        )
        key = (name, place, draft.kind, paper.sentence, memory.subject, memory.benchmark, memory.metric)
        elsewhere = paper.known.get(key)
        if elsewhere is None:
            elsewhere = paper.known[key] = self._elsewhere(draft, name, paper)
        for key, (text, features) in elsewhere.items():
            entry = known.get(key)
            if entry is None:
                known[key] = (text, features)
            else:
                entry[1].extend(f for f in features if f not in entry[1])
        return known

    def _elsewhere(self, draft: Draft, name: str, paper: PaperState) -> dict[str, tuple[str, list[str]]]:
        """The values of the field that the paper gives, by normalised text."""
        known: dict[str, tuple[str, list[str]]] = {}
        context = paper.context
        listed = (
            context.systems[:2]
            if name == "subject"
            else context.benchmarks[:1]
            if name == "benchmark"
            else ()
        )
        for rank, text in enumerate(listed):
            _add(known, text, [f"src:paper:{rank}"])
        if name in {"subject", "benchmark"}:
            for rank, entry in enumerate(paper.own[:4]):
                _add(known, entry.name, [f"own_rank:{rank}", *entry.features])
        if name == "benchmark":
            for text, features in paper.set_features(draft.mention.start):
                _add(known, text, features)
        if name == "subject":
            _add(known, context.self_reference, ["src:self_reference"])
        _add(known, getattr(paper.memory, name, None), ["src:previous"])
        if name == "metric" and draft.mention.unit_class == "ratio":
            _add(known, "speedup", ["src:unit_metric"])
        if name == "metric":  # the gold's metric of 'outperforms X by 10%', which names none
            _add(known, "performance", ["src:unnamed", f"unnamed:kind:{draft.kind}"])
        return known

    def _text_features(self, text: str) -> list[str]:
        """Features of a candidate known only by its text (memoised: the same names recur in every
        sentence)."""
        found = self._text_memo.get(text)
        if found is None:
            if len(self._text_memo) > 100_000:
                self._text_memo.clear()
            found = self._text_memo[text] = _text_features(text, self.lex)
        return found


def _text_features(text: str, lex: Lexicons) -> list[str]:
    words = text.split()
    lowers = [w.lower() for w in words]
    out = [f"len:{min(len(words), 4)}"]
    if any(is_name_shaped(w) for w in words):
        out.append("shaped")
    if words[0][:1].isupper():
        out.append("capital")
    if lowers[0] in _OPENERS:
        out.append(f"starts:{lowers[0]}")
    if lowers[-1] in lex.metric_heads:
        out.append("head:metric")
    out.extend(f"head:{lexicon}" for lexicon in _TEXT_LEXICONS if lex.has(lexicon, lowers[-1]))
    return out


def _add(known: dict[str, tuple[str, list[str]]], text: str | None, features: list[str]) -> None:
    """Add a value with its features to ``known``; a value known already gains the features it lacks."""
    if text and text.strip(" ,;:()"):
        entry = known.setdefault(_key(text), (text.strip(), []))
        entry[1].extend(f for f in features if f not in entry[1])


def _agreement(candidate: Candidate) -> str:
    """Which sources give the candidate, as one feature: sources that agree say more together than each
    alone."""
    parts = set()
    for feature in candidate.extra:
        head = feature.split(":", 2)
        key = ":".join(head[:2]) if head[0] == "src" else head[0]
        if key in _AGREEING:
            parts.add(key)
    if candidate.phrase is not None:
        parts.add("placed")
    return "agree:" + "+".join(sorted(parts))


def singular_metric(text: str, lex: Lexicons) -> str:
    """A metric named in the plural, in the singular ('accuracies' -> 'accuracy', 'detection rates' ->
    'detection rate'): one metric, however a sentence counts it. Only heads whose singular is a metric head
    change."""
    head = text.rsplit(None, 1)[-1]
    lower = head.lower()
    for ending, replacement in (("ies", "y"), ("s", "")):
        if lower.endswith(ending) and lower[: -len(ending)] + replacement in lex.metric_heads:
            return text[: len(text) - len(ending)] + replacement
    return text


def _key(text: str) -> str:
    return " ".join(text.casefold().split())
