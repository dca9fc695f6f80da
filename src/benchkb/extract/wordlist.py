"""Compiling word lists into fast regular expressions."""

from __future__ import annotations

import re


def trie_pattern(words: list[str]) -> str:
    """One regular expression for many literal words, factored by common prefixes: Python's engine tries the
    alternatives of a flat alternation one by one at every position."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    end = "" in node
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_regex(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if end else body
