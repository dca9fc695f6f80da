"""The extraction pipeline: ``spacy.blank("en")`` with benchkb's tokenizer and three components.

``benchkb_mentions`` finds number mentions, ``benchkb_names`` finds names (both only *match*), and
``benchkb_claims`` builds draft claims from them. Only sentences that hold a digit or a number word are
tokenised; paper-level resolution and grounding to the abstract's offsets happen in :class:`Extractor`.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from operator import add
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import spacy
from spacy.attrs import IDX, LOWER
from spacy.tokens import Doc

from benchkb.errors import TimeBudgetExceeded, TooManyNumbers
from benchkb.extract.build import Draft, counts_only, draft_claims, setup_drafts
from benchkb.extract.context import ContextReader, PaperContext
from benchkb.extract.discourse import Discourse
from benchkb.extract.frame import Frame, Lexicons, Name, Placed
from benchkb.extract.candidates import PaperState
from benchkb.extract.learned import Attribution, AttributionWeights, Observation
from benchkb.extract.measure import QualifierFinder
from benchkb.extract.names import Gazetteer, NameFinder
from benchkb.extract.numbers import Mention, MentionFinder
from benchkb.extract.rules import RuleSet
from benchkb.extract.sentences import sentence_spans
from benchkb.extract.tokenizer import STARTS, WORDS, RegexTokenizer
from benchkb.extract.wordlist import trie_pattern
from benchkb.models import Claim

_WHITESPACE = re.compile(r"\s")
# Numbers one abstract may hold. The 166,526 abstracts of the corpus hold at most 197 (the next most 86); a
# record holding more is a table or a dump: past this many it is refused (TooManyNumbers) rather than read
# for seconds. A number in a sentence as rich as an abstract's costs about 2 ms to read on a loaded 2-core
# machine, so 300 keeps any input within issue 14's second of CPU (1,000 took 2.1 s, and the 678 that fit in
# 100 KB 1.35 s).
MAX_NUMBERS = 300
TEXT = "benchkb.text"
FOUND = "benchkb.found"
MENTIONS = "benchkb.mentions"
CONTEXT = "benchkb.context"
DRAFTS = "benchkb.drafts"
FRAME = "benchkb.frame"


class MentionComponent:
    """Places the sentence's number mentions on its tokens (found on the characters, before tokenising, so
    that a sentence without one is never tokenised), in ``user_data``; :meth:`Extractor.sentence_docs` also
    gives them as the span group "mentions"."""

    def __init__(self, finder: MentionFinder) -> None:
        self.finder = finder

    def __call__(self, doc: Doc) -> Doc:
        mentions = doc.user_data.get(FOUND)
        if mentions is None:
            mentions = self.finder.find(text_of(doc))
        words = doc.user_data.get(WORDS) or [t.text for t in doc]
        starts = doc.user_data.get(STARTS) or [t.idx for t in doc]
        placed = []
        for mention in mentions:
            start, end = _covering_tokens(starts, words, len(text_of(doc)), mention.start, mention.end)
            if start < end:
                if start > 0 and end < len(words) and words[start - 1] == "$" and words[end] == "$":
                    start, end = start - 1, end + 1  # '$72\%$': the math delimiters belong to the number
                placed.append(Placed(mention, start, end))
        doc.user_data[MENTIONS] = _without_overlaps(placed)
        return doc


class NameComponent:
    def __init__(self, rules: RuleSet, lex: Lexicons, gazetteer: Gazetteer) -> None:
        self.finder = NameFinder(rules, lex, gazetteer)

    def __call__(self, doc: Doc) -> Doc:
        context: PaperContext | None = doc.user_data.get(CONTEXT)
        own = {}
        if context is not None:
            own = {name: "MODEL" for name in context.systems} | {
                name: "BENCHMARK" for name in context.benchmarks
            }
        blocked = [(p.start, p.end) for p in doc.user_data.get(MENTIONS, [])]
        doc.spans["names"] = self.finder.find(doc, text_of(doc), blocked=blocked, own=own)
        return doc


class ClaimComponent:
    def __init__(self, lex: Lexicons, qualifiers: QualifierFinder) -> None:
        self.lex = lex
        self.qualifiers = qualifiers

    def __call__(self, doc: Doc) -> Doc:
        words = doc.user_data.get(WORDS) or [t.text for t in doc]
        starts = doc.user_data.get(STARTS) or [int(idx) for idx in doc.to_array([IDX])]
        frame = Frame(
            text=text_of(doc),
            words=words,
            lowers=list(map(str.lower, words)),
            starts=starts,
            ends=list(map(add, starts, map(len, words))),
            mentions=doc.user_data.get(MENTIONS, []),
            names=[Name(s.label_, s.start, s.end, s.text) for s in doc.spans.get("names", [])],
            lex=self.lex,
        )
        doc.user_data[DRAFTS] = draft_claims(frame, self.qualifiers) if frame.mentions else []
        doc.user_data[FRAME] = frame
        return doc


class Extractor:
    """Claims from abstracts. Build once (rules compile in well under a second), reuse for every paper."""

    def __init__(
        self,
        *,
        rules: RuleSet | None = None,
        gazetteer: dict[str, list[str]] | None = None,
        rules_dir: Path | None = None,
        weights: AttributionWeights | None | bool = True,
    ) -> None:
        """``weights``: the learned attribution (True: the shipped ``extractors/attribution.json``; None or
        False: the rules' choices alone)."""
        self.rules = rules or RuleSet.load(rules_dir)
        self.nlp = spacy.blank("en")
        # Only the lower-case form is read; computing spaCy's other lexical attributes for every new word
        # would cost more than tokenising.
        self.nlp.vocab.lex_attr_getters = {LOWER: self.nlp.vocab.lex_attr_getters[LOWER]}
        self.nlp.tokenizer = RegexTokenizer(self.nlp.vocab)
        self.lex = Lexicons(self.rules)
        self.paper_context = ContextReader(self.lex)
        self.mentions = MentionFinder(self.rules)
        self.qualifiers = QualifierFinder(self.rules)
        if weights is True:
            weights = AttributionWeights.load(rules_dir / "attribution.json" if rules_dir else None)
        self.attribution = Attribution(self.lex, weights or None)
        self.result_verbs = re.compile(
            r"\b(?:" + trie_pattern(sorted(self.lex.words("count_result"))) + r")\b", re.IGNORECASE
        )
        self.components = [
            ("benchkb_mentions", MentionComponent(self.mentions)),
            (
                "benchkb_names",
                NameComponent(
                    self.rules, self.lex, Gazetteer(self.nlp.vocab, self.nlp.make_doc, gazetteer or {})
                ),
            ),
            ("benchkb_claims", ClaimComponent(self.lex, self.qualifiers)),
        ]

    def extract(self, paper_id: str, title: str, abstract: str) -> list[Claim]:
        return next(self.extract_many([(paper_id, title, abstract)]))

    def extract_many(self, papers: Iterable[tuple[str, str, str]]) -> Iterator[list[Claim]]:
        """Claims of each (paper_id, title, abstract), in input order."""
        for paper_id, title, abstract in papers:
            yield [Claim(**fields) for fields in self.claim_fields(paper_id, title, abstract)]

    def sentence_docs(self, title: str, abstract: str) -> list[tuple[tuple[int, int], Doc]]:
        """The processed Doc of every sentence that holds a quantity, with its offsets in the abstract (for
        looking inside the pipeline; extraction itself skips the Doc of sentences that only count things)."""
        context = self.paper_context(title, abstract)
        docs = [(span, self._doc(text, found, context)) for span, text, found in self._quantified(abstract)]
        for _, doc in docs:  # for looking at only: extraction reads the mentions from user_data
            doc.spans["mentions"] = [doc[p.start : p.end] for p in doc.user_data[MENTIONS]]
        return docs

    def _quantified(self, abstract: str) -> list[tuple[tuple[int, int], str, list[Mention]]]:
        """Sentences holding a number mention, found on the characters: most sentences are never tokenised.
        Past ``MAX_NUMBERS`` numbers it raises ``TooManyNumbers``, before any sentence is read further: found
        sentence by sentence as they were read, a dump of short sentences was refused only after its first
        thousand numbers had been read (0.7-1.0 s of CPU)."""
        words = self.mentions.number_words(abstract)
        if not words and not self.mentions.has_digit(abstract, 0, len(abstract)):
            return []  # most abstracts hold no number at all: not even split into sentences
        quantified = []
        left = MAX_NUMBERS
        for start, end in sentence_spans(abstract):
            at = bisect_left(words, start)
            has_words = at < len(words) and words[at] < end
            if not has_words and not self.mentions.has_digit(abstract, start, end):
                continue
            text = abstract[start:end]
            found = self.mentions.find(text, words=has_words, limit=left)
            left -= len(found)
            if left < 0:
                raise TooManyNumbers(
                    f"more than {MAX_NUMBERS} numbers in one abstract: a table or a data dump, not prose"
                )
            if found:
                quantified.append(((start, end), text, found))
        return quantified

    def _doc(self, text: str, found: list[Mention], context: PaperContext) -> Doc:
        doc = self.nlp.make_doc(_WHITESPACE.sub(" ", text))  # same length: offsets stay those of the text
        doc.user_data[TEXT] = text
        doc.user_data[FOUND] = found
        doc.user_data[CONTEXT] = context
        for _, component in self.components:
            doc = component(doc)
        return doc

    def claim_fields(
        self, paper_id: str, title: str, abstract: str, *, deadline: float | None = None
    ) -> list[dict[str, Any]]:
        """What :meth:`extract` returns, as the field dicts of unvalidated Claims: the bulk path, where
        building and validating a model per claim cost several percent of the time. The fields are made by the
        extractor, never read from input; a test checks they validate. Past ``deadline`` (a
        ``time.thread_time()`` value: CPU time, so a busy machine does not cost a record its claims), checked
        between sentences, it raises ``TimeBudgetExceeded``."""
        claims: list[dict[str, Any]] = []
        for (start, end), drafted in self._drafted(title, abstract):
            if deadline is not None and time.thread_time() > deadline:
                raise TimeBudgetExceeded(
                    f"extraction ran past its time budget (at character {start} of {len(abstract)})"
                )
            if drafted.frame is not None:
                self.attribution.apply(drafted.frame, drafted.drafts, drafted.paper)
            claims.extend(_claim(paper_id, abstract, start, end, draft) for draft in drafted.drafts)
        return claims

    def observe(self, title: str, abstract: str) -> list[tuple[int, Observation]]:
        """Every number of an abstract that the learned attribution would decide, with its features and
        candidates (what ``benchkb train`` fits on), each with the offset of its sentence in the abstract."""
        observed: list[tuple[int, Observation]] = []
        for (start, _), drafted in self._drafted(title, abstract):
            if drafted.frame is not None:
                found = self.attribution.observe(drafted.frame, drafted.drafts, drafted.paper)
                observed.extend((start, observation) for observation in found)
                drafted.paper.memory.remember(drafted.drafts)
        return observed

    def _drafted(self, title: str, abstract: str) -> Iterator[tuple[tuple[int, int], _Drafted]]:
        """The rules' draft claims of each sentence that holds a number, resolved against the paper."""
        discourse: Discourse | None = None  # read from the abstract only once a sentence needs it
        paper: PaperState | None = None
        for span, text, found in self._quantified(abstract):
            if counts_only(text, found, self.result_verbs):
                yield span, _Drafted(setup_drafts(text, found, self.qualifiers))  # nothing to resolve
                continue
            if discourse is None or paper is None:
                paper = PaperState.read(self.paper_context(title, abstract), abstract)
                discourse = Discourse(paper.context, self.lex)
            paper.sentence = span
            doc = self._doc(text, found, discourse.context)
            drafts = doc.user_data[DRAFTS]
            discourse.resolve(drafts)
            yield span, _Drafted(drafts, doc.user_data[FRAME], paper)


@dataclass(slots=True)
class _Drafted:
    """One sentence's drafts; a sentence that only counts things has no frame (its claims are all setup)."""

    drafts: list[Draft]
    frame: Frame | None = None
    paper: PaperState | None = None


def _claim(paper_id: str, abstract: str, start: int, end: int, draft: Draft) -> dict[str, Any]:
    m = draft.mention
    return {
        "paper_id": paper_id,
        "text": abstract[start + m.start : start + m.end],
        "start": start + m.start,
        "end": start + m.end,
        "value": m.value,
        "value_max": m.value_max,
        "unit": m.unit,
        "kind": draft.kind,
        "metric": draft.metric.text,
        "benchmark": draft.benchmark.text,
        "subject": draft.subject.text,
        "baseline": draft.baseline.text,
        "direction": draft.direction,
        "qualifier": draft.qualifier,
        "conditions": draft.conditions,
        "rule": m.rule,
        "sentence_start": start,
        "sentence_end": end,
        "uncertainty": draft.uncertainty,
    }


def text_of(doc: Doc) -> str:
    """The sentence text; kept beside the Doc because ``Doc.text`` is rebuilt from its tokens on every
    access."""
    return doc.user_data.get(TEXT) or doc.text


def _covering_tokens(starts: list[int], words: list[str], size: int, start: int, end: int) -> tuple[int, int]:
    """The tokens [first, last) that characters [start, end) touch, as ``Doc.char_span(start, end,
    alignment_mode="expand")`` finds them (a token's trailing space is its own, but a span starting there does
    not take the token), found by bisection on the token starts: spaCy's own costs a Span per mention, which
    is a third of the placing of 40,000 mentions. (0, 0) when the characters lie outside the text. Tokens and
    their spaces tile the text, so the token holding character c is the last one starting at or before c."""
    if not (0 <= start < size and 0 < end <= size):
        return 0, 0
    first = bisect_right(starts, start) - 1
    last = bisect_right(starts, end - 1)
    if start == starts[first] + len(words[first]):
        first += 1
    return first, last


def _without_overlaps(placed: list[Placed]) -> list[Placed]:
    out: list[Placed] = []
    for item in placed:
        if out and item.start < out[-1].end:
            continue
        out.append(item)
    return out
