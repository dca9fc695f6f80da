"""Paper-level resolution of draft claims: 'it', 'we' and 'our method' become the paper's named system, and a
benchmark paper's results fall back to its benchmark."""

from __future__ import annotations

import re
from dataclasses import dataclass

from benchkb.extract.actors import Found
from benchkb.extract.build import Draft
from benchkb.extract.context import PaperContext
from benchkb.extract.frame import Lexicons, is_name_shaped

_OWN = re.compile(r"^(?:our|the proposed|this|the|these|ours)\s+", re.IGNORECASE)


@dataclass
class Discourse:
    """What the paper has said so far, read in order of appearance."""

    context: PaperContext
    lex: Lexicons
    last_named: str | None = None

    def resolve(self, drafts: list[Draft]) -> None:
        for draft in drafts:
            draft.subject = Found(self._subject(draft), draft.subject.source)
            if draft.benchmark.text is None and draft.kind != "setup" and self.context.benchmark:
                draft.benchmark = Found(self.context.benchmark, "paper")
            if draft.subject.text and _named(draft.subject.text):
                self.last_named = draft.subject.text

    def _subject(self, draft: Draft) -> str | None:
        text = (draft.subject.text or "").strip() or None
        system = self.context.system or self.context.self_reference
        if text is None:
            return system if draft.kind != "setup" else None
        lower = text.lower()
        if self.lex.has("anaphors", lower) or draft.subject.source == "pronoun" and lower != "we":
            return self.last_named or system
        words = lower.split()
        if (
            lower == "we"
            or all(self.lex.has("evidence", w) or not w.isalpha() for w in words[-1:])
            and not _named(text)
        ):
            if self.lex.has("self_heads", words[-1]) and _OWN.match(text) and system is None:
                return text
            return system
        if _OWN.match(text) and not _named(text):
            stripped = _OWN.sub("", text)
            if self.lex.has("benchmark_self_nouns", stripped.split()[-1]) and self.context.benchmark:
                return self.context.benchmark
            if self.lex.has("self_heads", stripped.split()[-1]) and system:
                return system
            return (
                text
                if lower.startswith(("our ", "ours ")) and self.lex.has("self_heads", words[-1])
                else stripped
            )
        return text


def _named(text: str) -> bool:
    """'NovaNet', 'Model Builder', 'the ModelB-2' name something; 'Extensive experiments' does not."""
    words = text.split()
    return any(is_name_shaped(word) for word in words) or any(word[:1].isupper() for word in words[1:])
