"""benchkb's tokenizer: one regular expression, made for how papers write names and numbers.

Hyphens, dots, slashes and '@' inside a word keep it whole ('SWE-bench', 'model-a-2.5-mini', 'pass@1',
'org/model-b-7b', 'TFLOP/s'), as do the abbreviations that end in a period ('e.g.', 'vs.'); other punctuation
is a token of its own and a possessive 's is split off. It is several times faster than spaCy's rule-based
English tokenizer on abstracts and builds the same kind of ``Doc``.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.vocab import Vocab

_TOKEN = re.compile(
    r"(?:e\.g|i\.e|vs|cf|etc|approx|resp|et al|Fig|Figs|Eq|Eqs|Sec|w\.r\.t|a\.k\.a|viz)\.(?!\w)"
    r"|['’]s\b"
    r"|\$\\[A-Za-z]+\$"
    r"|\\[A-Za-z]+|\\."
    r"|[\w@#](?:[\w@#+\-./]*[\w@#+%])?"
    r"|\S"
)

_SURROGATE = re.compile(r"[\ud800-\udfff]")

WORDS = "benchkb.words"
STARTS = "benchkb.starts"  # character offset of each token


class RegexTokenizer:
    """A callable ``str -> Doc`` for ``nlp.tokenizer``."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        if "  " in text or text[:1].isspace() or text[-1:].isspace():
            words, spaces = self._with_whitespace_tokens(text)
            starts = _starts(words, spaces)
        else:
            # Where every character that is not a space belongs to a token, single spaces are the only gaps
            # and each token starts where the one before it and its space end (findall makes no match
            # objects); other whitespace (a tab, a no-break space) is a gap no token covers.
            words = _TOKEN.findall(text)
            starts, spaces = _packed(text, words)
            if starts is None:
                matches = list(_TOKEN.finditer(text))
                starts = [m.start() for m in matches]
                size = len(text)
                spaces = [m.end() < size and text[m.end()] == " " for m in matches]
        # spaCy's vocabulary cannot hold a lone surrogate (a JSON '\ud800'): U+FFFD is as long, so offsets
        # hold.
        if not text.isascii() and _SURROGATE.search(text):
            words = [_SURROGATE.sub("\ufffd", word) for word in words]
        doc = Doc(self.vocab, words=words, spaces=spaces)
        # The components read tokens as strings and offsets; reading them back from the Doc costs more.
        doc.user_data[WORDS] = words
        doc.user_data[STARTS] = starts
        return doc

    def _with_whitespace_tokens(self, text: str) -> tuple[list[str], list[bool]]:
        words: list[str] = []
        spaces: list[bool] = []
        position = 0
        for match in _TOKEN.finditer(text):
            start = match.start()
            if start > position:
                _whitespace(text[position:start], words, spaces)
            words.append(match.group())
            spaces.append(False)
            position = match.end()
        if position < len(text):
            _whitespace(text[position:], words, spaces)
        return words, spaces


def _packed(text: str, words: list[str]) -> tuple[list[int], list[bool]] | tuple[None, None]:
    """Where each token starts and whether a space follows it, when the text is its tokens and single spaces
    (else None: a gap of other whitespace leaves characters over). A token holds no space but '\\ ', a
    LaTeX space, whose text is read the slow way."""
    if "\\ " in text:
        return None, None
    starts, spaces = [], []
    at = 0
    for word in words:
        starts.append(at)
        at += len(word)
        space = text.startswith(" ", at)
        spaces.append(space)
        at += space
    return (starts, spaces) if at == len(text) else (None, None)


def _starts(words: list[str], spaces: list[bool]) -> list[int]:
    starts = []
    at = 0
    for word, space in zip(words, spaces):
        starts.append(at)
        at += len(word) + space
    return starts


def _whitespace(gap: str, words: list[str], spaces: list[bool]) -> None:
    """One space after a token is its trailing space; any other whitespace is a token, as spaCy writes it."""
    if words and gap.startswith(" ") and not spaces[-1]:
        spaces[-1] = True
        gap = gap[1:]
    if gap:
        words.append(gap)
        spaces.append(False)
