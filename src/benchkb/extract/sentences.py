"""Sentence boundaries in abstracts, by rule: fast, and aware of the abbreviations and decimals papers use.

Offsets index the original text. Hard line breaks inside arXiv abstracts are not boundaries.
"""

from __future__ import annotations

import re

# A boundary is end punctuation (with a closing quote or bracket) followed by space and something that can
# start a sentence. The punctuation is matched, not looked behind for: a literal first character lets the
# engine skip ahead.
_BOUNDARY = re.compile(r"[.!?](?P<closing>[\"')\]]?)\s+(?=[\"'(\[]?[A-Z0-9\\$])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|vs|cf|et al|etc|Fig|Figs|Eq|Eqs|Sec|Tab|No|approx|resp|Ref|Refs|Dr|Mr|Ms|Prof|St|"
    r"Inc|Ltd|Co|Corp|Jr|Sr|al|incl|w\.r\.t|a\.k\.a|viz|ca|Ph\.D|U\.S|v|Vol|pp)\.|\b[A-Z]\.)$"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, leading and trailing whitespace excluded."""
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        stop = match.start() + 1  # just after the punctuation
        if _ABBREVIATION.search(text, max(start, stop - 12), stop):
            continue
        spans.append(_trim(text, start, stop + len(match.group("closing"))))
        start = match.end()
    if start < len(text):
        spans.append(_trim(text, start, len(text)))
    return [span for span in spans if span[1] > span[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
