"""The extraction pipeline: ``spacy.blank("en")`` with benchkb's tokenizer and three components.

``benchkb_mentions`` finds number mentions, ``benchkb_names`` finds names (both only *match*), and
``benchkb_claims`` builds draft claims from them. Only sentences that hold a digit or a number word are tokenised;
paper-level resolution and grounding to the abstract's offsets happen in :class:`Extractor`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from benchkb.extract.build import Draft, draft_claims
from benchkb.extract.context import PaperContext, paper_context
from benchkb.extract.discourse import Discourse
from benchkb.extract.frame import Frame, Lexicons, Name, Placed
from benchkb.extract.measure import QualifierFinder
from benchkb.extract.names import Gazetteer, NameFinder
from benchkb.extract.numbers import MentionFinder
from benchkb.extract.rules import RuleSet
from benchkb.extract.sentences import CANDIDATE, sentence_spans
from benchkb.models import Claim

MENTIONS = "benchkb.mentions"
CONTEXT = "benchkb.context"
DRAFTS = "benchkb.drafts"
FRAME = "benchkb.frame"


def make_tokenizer(nlp: Language) -> Tokenizer:
    """English rules, except that hyphens and slashes inside words do not split them: 'SWE-bench', 'gpt-4o-mini',
    'gemini/gemini-2.5-pro', 'gpt-5-2025-08-07' stay one token, as names are written. Number mentions are found on
    the characters, so their tokens need no special treatment."""
    defaults = nlp.Defaults
    infixes = [p for p in defaults.infixes if "-|–|—" not in p and ":<>=/" not in p and r"[+\-\*^]" not in p]
    return Tokenizer(
        nlp.vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(defaults.prefixes).search,
        suffix_search=compile_suffix_regex(defaults.suffixes).search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        url_match=None,
    )


class MentionComponent:
    def __init__(self, rules: RuleSet) -> None:
        self.finder = MentionFinder(rules)

    def __call__(self, doc: Doc) -> Doc:
        mentions = self.finder.find(doc.text)
        placed = []
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None and len(span):
                placed.append(Placed(mention, span.start, span.end))
        doc.user_data[MENTIONS] = _without_overlaps(placed)
        doc.spans["mentions"] = [doc[p.start:p.end] for p in doc.user_data[MENTIONS]]
        return doc


class NameComponent:
    def __init__(self, rules: RuleSet, gazetteer: Gazetteer) -> None:
        self.finder = NameFinder(rules, gazetteer)

    def __call__(self, doc: Doc) -> Doc:
        context: PaperContext | None = doc.user_data.get(CONTEXT)
        own = {}
        if context is not None:
            own = {name: "MODEL" for name in context.systems} | {name: "BENCHMARK" for name in context.benchmarks}
        blocked = [(p.start, p.end) for p in doc.user_data.get(MENTIONS, [])]
        doc.spans["names"] = self.finder.find(doc, blocked=blocked, own=own)
        return doc


class ClaimComponent:
    def __init__(self, rules: RuleSet) -> None:
        self.lex = Lexicons(rules)
        self.qualifiers = QualifierFinder(rules)

    def __call__(self, doc: Doc) -> Doc:
        frame = Frame(
            text=doc.text,
            words=[t.text for t in doc],
            lowers=[t.lower_ for t in doc],
            starts=[t.idx for t in doc],
            ends=[t.idx + len(t.text) for t in doc],
            mentions=doc.user_data.get(MENTIONS, []),
            names=[Name(s.label_, s.start, s.end, s.text) for s in doc.spans.get("names", [])],
            lex=self.lex,
        )
        doc.user_data[FRAME] = frame
        doc.user_data[DRAFTS] = draft_claims(frame, self.qualifiers) if frame.mentions else []
        return doc


class Extractor:
    """Claims from abstracts. Build once (rules compile in well under a second), reuse for every paper."""

    def __init__(self, *, rules: RuleSet | None = None, gazetteer: dict[str, list[str]] | None = None,
                 rules_dir: Path | None = None) -> None:
        self.rules = rules or RuleSet.load(rules_dir)
        self.nlp = spacy.blank("en")
        self.nlp.tokenizer = make_tokenizer(self.nlp)
        self.lex = Lexicons(self.rules)
        self.components = [
            ("benchkb_mentions", MentionComponent(self.rules)),
            ("benchkb_names", NameComponent(self.rules, Gazetteer(self.nlp.vocab, self.nlp.make_doc, gazetteer or {}))),
            ("benchkb_claims", ClaimComponent(self.rules)),
        ]

    def extract(self, paper_id: str, title: str, abstract: str) -> list[Claim]:
        return next(self.extract_many([(paper_id, title, abstract)]))

    def extract_many(self, papers: Iterable[tuple[str, str, str]], *, batch_size: int = 256) -> Iterator[list[Claim]]:
        """Claims of each (paper_id, title, abstract), in input order."""
        for paper_id, title, abstract in papers:
            yield self._paper(paper_id, title, abstract)

    def sentence_docs(self, title: str, abstract: str) -> list[tuple[tuple[int, int], Doc]]:
        """The processed Doc of every sentence that holds a quantity, with its offsets in the abstract."""
        context = paper_context(title, abstract)
        docs = []
        for start, end in sentence_spans(abstract):
            if CANDIDATE.search(abstract, start, end) is None:
                continue
            doc = self.nlp.make_doc(abstract[start:end])
            doc.user_data[CONTEXT] = context
            for _, component in self.components:
                doc = component(doc)
            docs.append(((start, end), doc))
        return docs

    def _paper(self, paper_id: str, title: str, abstract: str) -> list[Claim]:
        docs = self.sentence_docs(title, abstract)
        if not docs:
            return []
        discourse = Discourse(docs[0][1].user_data[CONTEXT], self.lex)
        claims = []
        for (start, end), doc in docs:
            drafts: list[Draft] = doc.user_data[DRAFTS]
            discourse.resolve(drafts)
            claims.extend(_claim(paper_id, abstract, start, end, draft) for draft in drafts)
        return claims


def _claim(paper_id: str, abstract: str, start: int, end: int, draft: Draft) -> Claim:
    m = draft.mention
    return Claim(
        paper_id=paper_id, text=abstract[start + m.start:start + m.end], start=start + m.start, end=start + m.end,
        value=m.value, value_max=m.value_max, unit=m.unit, kind=draft.kind, metric=draft.metric.text,
        benchmark=draft.benchmark.text, subject=draft.subject.text, baseline=draft.baseline.text,
        direction=draft.direction, qualifier=draft.qualifier, conditions=draft.conditions, rule=m.rule,
        sentence_start=start, sentence_end=end,
        uncertainty=m.value if m.sign == "±" else None,
    )


def _without_overlaps(placed: list[Placed]) -> list[Placed]:
    out: list[Placed] = []
    for item in placed:
        if out and item.start < out[-1].end:
            continue
        out.append(item)
    return out
