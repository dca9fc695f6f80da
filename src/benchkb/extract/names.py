"""Finding names in a sentence: catalog gazetteers first, then discovery patterns, then name-shaped words.

New benchmarks and systems appear every week, so a name need not be in the catalog to be found: a word shaped
like a name ("NeRF", "model-a-2.5-mini", "Nova-Bench") is one, and the paper's own names (from its context)
are known too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from benchkb.extract.frame import Lexicons, is_name_shaped
from benchkb.extract.rules import RuleSet
from benchkb.extract.tokenizer import WORDS

LABELS = ("BENCHMARK", "MODEL", "HARDWARE", "PRECISION", "METRIC")
# A run of name-shaped words no gazetteer or pattern knows: a system unless where it stands says otherwise.
SHAPED = "NAME"
# Names with digits or punctuation inside match in any casing ('squad-v2', 'MMLU-Pro'); plain words, even
# CamelCase ones ('DaVinci'), only as written, so that 'core' or 'math' in running text is not a benchmark.
_DISTINCTIVE = re.compile(r"[\d\-+@/_.]")


class Gazetteer:
    """Phrase matchers over catalog surfaces: distinctive names match any casing, plain words only as
    written."""

    def __init__(self, vocab: Vocab, make_doc, surfaces: dict[str, Iterable[str]]) -> None:
        self.exact = PhraseMatcher(vocab, attr="ORTH")
        self.folded = PhraseMatcher(vocab, attr="LOWER")
        for label in LABELS:
            names = sorted({s.strip() for s in surfaces.get(label, ()) if _matchable(s.strip())})
            folded = [make_doc(s) for s in names if _DISTINCTIVE.search(s) and len(s) > 3]
            exact = [make_doc(s) for s in names if not (_DISTINCTIVE.search(s) and len(s) > 3)]
            if folded:
                self.folded.add(label, folded)
            if exact:
                self.exact.add(label, exact)

    def __call__(self, doc: Doc) -> list[Span]:
        spans = self.exact(doc, as_spans=True) + self.folded(doc, as_spans=True)
        return spans


class NameFinder:
    """Compiled once; :meth:`find` returns non-overlapping labelled spans of one sentence ``Doc``."""

    def __init__(self, rules: RuleSet, lex: Lexicons, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.patterns = [(p.label, re.compile(p.pattern), tuple(p.requires)) for p in rules.name_patterns]
        self.not_names = lex.words("not_names")
        self.not_name_starts = lex.words("not_name_starts")
        # A capitalised sentence opener a pattern can take for the first word of a name.
        self.leading_words = lex.words("preposition") | lex.words("conjunction")
        self.metric_heads = lex.metric_heads
        self._shape_memo: dict[str, int] = {}

    def find(
        self, doc: Doc, text: str, *, blocked: Sequence[tuple[int, int]], own: dict[str, str]
    ) -> list[Span]:
        """``text`` is ``doc.text``; ``blocked``: token spans of number mentions; ``own``: the paper's names
        (surface -> label)."""
        numbers = {t for start, end in blocked for t in range(start, end)}
        found = [s for s in self.gazetteer(doc) if not _overlaps(s, numbers)]
        found += self._own(doc, text, own, numbers)
        found += self._patterns(doc, text, numbers)
        chosen = filter_spans(found)
        covered = {i for span in chosen for i in range(span.start, span.end)}
        chosen += self._shaped(doc, covered, numbers)
        return sorted(chosen, key=lambda s: s.start)

    def _own(self, doc: Doc, text: str, own: dict[str, str], numbers: set[int]) -> list[Span]:
        spans = []
        for surface, label in own.items():
            at = text.find(surface)
            while at >= 0:
                end = at + len(surface)
                if not _continues(text, at - 1) and not _continues(text, end):
                    span = doc.char_span(at, end, label=label, alignment_mode="expand")
                    if span is not None and not _overlaps(span, numbers):
                        spans.append(span)
                at = text.find(surface, end)
        return spans

    def _patterns(self, doc: Doc, text: str, numbers: set[int]) -> list[Span]:
        spans = []
        for label, pattern, requires in self.patterns:
            if requires and not any(literal in text for literal in requires):
                continue
            for match in pattern.finditer(text):
                span = doc.char_span(match.start(), match.end(), label=label, alignment_mode="contract")
                if span is not None and len(span) > 1 and span[0].lower_ in self.leading_words:
                    span = Span(doc, span.start + 1, span.end, label=label)  # 'On COCO dataset': 'COCO'
                if span is not None and len(span) and not _overlaps(span, numbers) and self._plausible(span):
                    spans.append(span)
        return spans

    def _plausible(self, span: Span) -> bool:
        first = span[0].text
        return first not in self.not_names and first.lower() not in self.not_name_starts

    def _shaped(self, doc: Doc, covered: set[int], blocked_tokens: set[int]) -> list[Span]:
        """Runs of name-shaped words, with a trailing version number: 'LibX 2.1', 'Nova 2 Large'."""
        spans = []
        words = doc.user_data.get(WORDS) or [t.text for t in doc]
        memo = self._shape_memo
        shapes = [memo[word] if word in memo else self._shape(word) for word in words]
        i = 0
        while i < len(words):
            if not shapes[i] or i in covered or not _name_word(words, shapes, i, blocked_tokens):
                i += 1
                continue
            j = i + 1
            while (
                j < len(words)
                and j not in covered
                and j not in blocked_tokens
                and (_name_word(words, shapes, j, blocked_tokens) or _VERSION.fullmatch(words[j]))
            ):
                j += 1
            spans.append(Span(doc, i, j, label=SHAPED))
            i = j
        return spans

    def _shape(self, word: str) -> int:
        """_SHAPED for name-shaped words, _CAPITALISED for plain capitalised words, 0 for neither
        (memoised)."""
        if len(self._shape_memo) > 200_000:
            self._shape_memo.clear()
        if (
            word in self.not_names
            or not word[0].isalpha()
            or word.lower() in self.metric_heads
            or "@" in word
        ):
            shape = 0
        elif is_name_shaped(word):
            shape = _SHAPED
        else:
            shape = _CAPITALISED if word[0].isupper() and word[1:].islower() and len(word) > 2 else 0
        self._shape_memo[word] = shape
        return shape


_SHAPED, _CAPITALISED = 2, 1
_INITIAL_AFTER = frozenset({".", ":", ";", '"', "-", "–"})
_VERSION = re.compile(r"v?\d+(?:\.\d+)*")


def _name_word(words: list[str], shapes: list[int], i: int, blocked_tokens: set[int]) -> bool:
    if not shapes[i] or i in blocked_tokens:
        return False
    if shapes[i] == _SHAPED:
        return True
    # A capitalised word is a name unless it starts the sentence ('Triton', 'Pluto' vs. 'Results').
    return i > 0 and words[i - 1] not in _INITIAL_AFTER


def _continues(text: str, i: int) -> bool:
    """Whether the character at i (if any) would make a name found by ``str.find`` part of a longer word."""
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "_-")


def _matchable(surface: str) -> bool:
    """Two-letter aliases ('LM', 'QA') are too ambiguous to find in running text."""
    return len(surface) > 2 or any(c.isdigit() for c in surface)


def _overlaps(span: Span, numbers: set[int]) -> bool:
    """Whether the span holds a token of a number mention (tested per token: a long sentence has many
    mentions)."""
    return any(i in numbers for i in range(span.start, span.end))
