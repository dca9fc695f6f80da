"""Finding number mentions in text: digits, ranges, fractions, magnitudes, units and spelled-out numbers.

The finder is compiled from the rule data (units, magnitudes, number words). It works on raw text and returns
character offsets into exactly the string it was given, so LaTeX escapes, line breaks and unicode stay as
written. It decides *what* is a quantity and its value and unit; what the quantity measures is decided later.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Container, Iterator, Sequence
from itertools import accumulate
from dataclasses import dataclass, replace
from typing import Any

from benchkb.extract.rules import RuleSet
from benchkb.extract.wordlist import trie_pattern

# Thousands may be grouped with LaTeX spacing as well as commas: '1,234', '1{,}234', '1,\!234'. A comma before
# one or two digits and a percent sign is a decimal comma ('73,6%'), never a thousands separator.
_NUMBER = (
    r"\d{1,3}(?:(?:,|\{,\}|,\\!|\\,)\d{3})+(?:\.\d+)?(?!\d)|\d{1,3},\d{1,2}(?=\s?\\?%)|\d+(?:\.\d+)?"
    r"|\.\d+"
)
_CANDIDATE = re.compile(rf"(?P<sign>\+/-|\+/−|\+-|±|\\pm|[+\-−–])?\s?(?P<num>{_NUMBER})")
_MATH_AFTER = re.compile(r"\s*(?:\$|\\|\^|_|\})")
_DIGIT = re.compile(r"\d")
_DIGIT_START = re.compile(r"\.?\d")
_SIGN_BEFORE = re.compile(r"(?:\+/-|\+/−|\+-|±|\\pm|[+\-−–])\s?$")
# The possessive '*+' and the 'to' branch of its own keep a long run of spaces from being rescanned from every
# position in it ('$1.4$--$18.5\%$' too).
_RANGE_SEP = re.compile(r"\s*+(?:\$--\$|--|-|–|—|~|\$?\\sim\$?)\s*+|\s+to\s+")
_FRACTION = re.compile(rf"/(?P<den>{_NUMBER})(?![\d/])")
_URL = re.compile(
    r"https?://\S+|www\.\S+|\b\S+\.(?:com|org|io|net|ai|edu)(?:/\S*)?|\S+@\S+\.\w+|\bgithub\.\S+"
)
_CITATION = re.compile(r"\[\s*\d+(?:\s*[,–-]\s*\d+)*\s*\]")
# The patterns below are scanned over whole sentences, so each alternative opens with a literal or a class
# that lets the engine skip ahead; what must precede it is checked by a look-behind placed after that first
# character. '(1)', '(ii)', '(a)' at the start or after a space or punctuation; '1)' opening the text or a
# clause.
_ENUMERATOR = re.compile(
    r"\((?<![^\s:;,.]\()\s*(?:\d{1,2}|[ivx]{1,4}|[a-h])\s*\)|\d(?:(?<=^\d)|(?<=[:;.]\s\d))\d?\)"
)
# '$K \geq 3$', '$O(1/N)$', '$T^{3/4}$' are formulas; '$46.2\%$' and '$2.5\times$' are quantities in math
# mode.
_MATH = re.compile(r"\$(?P<body>[^$]{1,300})\$")
_FORMULA = re.compile(
    r"[=^_{}<>|]|\b[OΩΘo]\(|\\(?!%|times\b|sim\b|approx\b|pm\b|textbf\b|mathbf\b|,|!)[A-Za-z]+"
)
_BIG_O = re.compile(
    r"(?:O(?<![\w\\]O)|Ω(?<![\w\\]Ω)|Θ(?<![\w\\]Θ)|\\(?<![\w\\]\\)(?:Omega|Theta|mathcal\{O\}))"
    r"\s?\([^()]{0,60}(?:\([^()]*\))?[^()]{0,60}\)"
)
_BARE_ENUMERATOR = re.compile(r"\d(?<=[\s;:,]\d)\d?\)(?=\s)")
_SHORT_YEAR = re.compile(r"['’]\d\d\b")
_SPACE = re.compile(r"[ \t\n\r\u00a0]?")
_MAX_LINKS = (
    16  # numbers chained by range separators read as one mention; '1-1-1-...' is no range of thousands
)
_CHANGE_REACH = (
    300  # characters: a verb and at most six words before 'from' (so a long sentence is not rescanned)
)
# 'from 67.0% to 74.6%' states a value before and after (two claims), unless it spans a range ('ranging
# from').
_FROM = re.compile(r"(?<![\w-])(?P<before>[\w-]+\s+)?from\s*$", re.I)
_DIMENSION = re.compile(r"\s?(?:[x×*]|\$?\\times\$?)\s?\d")
_METRIC_POINTS = re.compile(r"\s(?P<metric>[A-Za-z][\w@.\-]*)\s+(?:percentage points?|points?|pts|pp)\b")
_MONTHS = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s*$")
_YEAR = re.compile(r"(?:19|20)\d\d")
_NAME_BEFORE = re.compile(r"(?<![.!?]\s)(?<!^)\b(?P<name>[A-Za-z][\w.+-]*[A-Z][\w.+-]*|[A-Z][a-z]+)\s$")
_COMPOUND = re.compile(r"-(?P<noun>[a-z]{3,})\b(?!-)")
_WORD = re.compile(r"(?<=\s)[^\s.,;:!?()\[\]]+")
_PLURAL = re.compile(r"[a-z]{3,}s")
_BREAK = re.compile(r"[()\[\],;:.]")


@dataclass(frozen=True, slots=True)
class Mention:
    """One quantity as written: ``text[start:end]`` with its parsed value and canonical unit."""

    start: int
    end: int
    value: float
    unit: str
    unit_class: str
    rule: str
    value_max: float | None = None
    sign: str | None = None
    denominator: float | None = None
    qualifier: str | None = None
    direction: str | None = None


class MentionFinder:
    """Compiled from a :class:`RuleSet`; :meth:`find` lists the mentions of one text."""

    def __init__(self, rules: RuleSet) -> None:
        self._units_after = _SurfaceRegex({s: u for u in rules.units for s in u.after})
        self._units_before = {s: u for u in rules.units for s in u.before}
        self._magnitudes = {m.surface: m for m in rules.magnitudes}
        self._magnitude_regex = re.compile(
            r"(?P<sep>[ \-]?)(?P<mag>" + _alternation(self._magnitudes).pattern + r")(?![A-Za-z0-9])"
        )
        self._after_qualifiers = {s: q.qualifier for q in rules.qualifiers for s in q.after}
        self._after_qualifier_regex = _alternation(self._after_qualifiers)
        self._count_nouns = rules.count_nouns
        self._score_words = {w.lower() for w in rules.metric_heads}
        self._count_regex = _alternation({s: s for s in rules.count_nouns}, flags=re.I)
        # A preposition ends the number's phrase; "of" and "to" do not ("three of the tasks", "two to three
        # attempts").
        self._phrase_breaks = frozenset(rules.lexicons["preposition"].words) - {"of", "to"}
        self._not_counted = frozenset(
            rules.lexicons["not_counted"].words
        )  # '5 times', '3 less': no plural noun
        self._parameter_magnitudes = frozenset(rules.lexicons["parameter_magnitudes"].words)
        self._spans = frozenset(rules.lexicons["spanning_verbs"].words)  # 'ranging from 5 to 10' is a range
        changes = rules.lexicons["change_from"]
        # 'reduced the error from 12 to 3': a verb of change, at most six words, then 'from' right before the
        # number.
        self._change_from = re.compile(
            r"\b(?:"
            + "|".join(
                [re.escape(stem) + r"\w*" for stem in changes.prefixes]
                + [re.escape(word) for word in changes.words]
            )
            + r")\s+(?:\S+\s+){0,6}from\s*$",
            re.I,
        )
        self._reference = re.compile(  # 'Table 3', 'Sec. 4', 'v2': a number that names a part of the paper
            r"\b(?:" + "|".join(map(re.escape, rules.lexicons["reference_words"].words)) + r")\s*$"
        )
        words = {f.lower(): w for w in rules.number_words for f in w.forms}
        self._word_rules = words
        # Matching lower-cased text is twice as fast as matching with re.I; re.I is kept for the rare text
        # whose length lower-casing changes (offsets must stay those of the text).
        self._word_regex = re.compile(r"(?<![\w-])(?:" + trie_pattern(list(words)) + r")(?![\w])", re.I)
        self._lower_word_regex = re.compile(r"(?<![\w-])(?:" + trie_pattern(list(words)) + r")(?![\w])")
        self._word_unless = {
            f.lower(): re.compile("|".join(re.escape(p).replace(r"\ ", r"\s+") for p in w.unless), re.I)
            for w in rules.number_words
            if w.unless
            for f in w.forms
        }

    # public
    # --------------------------------------------------------------------------------------------------------

    def number_words(self, text: str) -> list[int]:
        """Offsets of the number words ('two', 'twice', 'halve') in ``text``. Cheap; run over a whole abstract
        so that only sentences holding a digit or one of these are looked at further."""
        return [m.start() for m in self._number_word_matches(text)]

    def _number_word_matches(self, text: str) -> Iterator[re.Match[str]]:
        lower = text.lower()
        if len(lower) != len(text):
            return self._word_regex.finditer(text)
        return self._lower_word_regex.finditer(lower)

    @staticmethod
    def has_digit(text: str, start: int, end: int) -> bool:
        return _DIGIT.search(text, start, end) is not None

    def find(
        self,
        text: str,
        *,
        names: Sequence[tuple[int, int]] = (),
        words: bool = True,
        limit: int | None = None,
    ) -> list[Mention]:
        """Mentions in ``text`` in order; ``names`` are spans (known names) whose digits are not quantities;
        ``words=False`` skips spelled-out numbers (when :meth:`candidates` found none). With a ``limit``, the
        search for digits and for words each stops past that many, so that a text holding too many numbers
        is known as such without reading them all."""
        spans = _blocked_spans(text) + list(names)
        blocked: Container[int] = _Covered(spans) if spans else ()
        mentions = self._digit_mentions(text, blocked, limit)
        if words:
            mentions += self._word_mentions(text, blocked, limit)
        mentions.sort(key=lambda m: m.start)
        # A number too large for a float (400 digits) reads as inf: not a quantity anyone claims, and not
        # storable.
        return _distribute_units(text, [m for m in mentions if _finite(m)])

    # digits
    # --------------------------------------------------------------------------------------------------------

    def _digit_mentions(self, text: str, blocked: Container[int], limit: int | None = None) -> list[Mention]:
        found: list[Mention] = []
        pos = 0
        while (digit := _DIGIT_START.search(text, pos)) is not None:
            if limit is not None and len(found) > limit:
                break
            sign_at = _SIGN_BEFORE.search(text, max(0, digit.start() - 5), digit.start())
            match = _CANDIDATE.match(text, sign_at.start() if sign_at else digit.start())
            if match is None:
                pos = digit.end()
                continue
            pos = match.end()
            sign = match.group("sign")
            start = match.start() if sign else match.start("num")
            if sign and not _sign_stands_alone(text, match.start()):
                sign, start = None, match.start("num")
            if start in blocked or _glued_to_name(text, start) or _exponent(text, match.start()):
                pos = _skip_token(text, match.end())
                continue
            mention = self._complete(text, start, match, sign)
            if mention is None:
                pos = _skip_token(text, match.end())
                continue
            found.append(mention)
            pos = mention.end
        return found

    def _complete(
        self, text: str, start: int, match: re.Match[str], sign: str | None, *, links: int = 0
    ) -> Mention | None:
        """The mention that starts with ``match``; ``links``: how many range separators lead to it
        ('1-2-3')."""
        value = _parse(match.group("num"))
        end = match.end("num")
        if text.startswith("/", end) and (frac := _FRACTION.match(text, end)):
            return self._fraction(text, start, frac, value, sign)
        if sign is None and (dims := _DIMENSION.match(text, end)):
            tail = _CANDIDATE.match(text, dims.end() - 1)
            stop = tail.end() if tail else dims.end()
            if _trailing_letters(text, stop):
                return None  # 'a 4x2B mixture' names a model
            return Mention(
                start=start, end=stop, value=value, unit="", unit_class="dimension", rule="dimension"
            )
        value, end, magnitude = self._magnitude(text, value, end)
        unit, unit_class, end = self._unit_after(text, end, magnitude)
        before = self._unit_before(text, start, end)
        if before is not None and not unit:
            unit, unit_class, start = before
        if not unit and sign in {"+", "-", "−"} and not magnitude:
            unit, unit_class = "points", "points"
        mention = Mention(
            start=start,
            end=end,
            value=value,
            unit=unit,
            unit_class=unit_class,
            rule="number+unit" if unit else "number",
            sign=_canonical_sign(sign),
        )
        mention = (self._range(text, mention, links) if links < _MAX_LINKS else None) or mention
        if _trailing_letters(text, mention.end) and not mention.unit:
            return None
        if self._is_reference(text, mention):
            return None
        return self._qualify_after(text, self._count_noun(text, mention))

    def _fraction(
        self, text: str, start: int, frac: re.Match[str], value: float, sign: str | None
    ) -> Mention | None:
        if sign is not None or _trailing_letters(text, frac.end()):
            return None
        mention = Mention(
            start=start,
            end=frac.end(),
            value=value,
            unit="",
            unit_class="count",
            rule="fraction",
            denominator=_parse(frac.group("den")),
        )
        return self._count_noun(text, mention)

    def _magnitude(self, text: str, value: float, end: int) -> tuple[float, int, str | None]:
        match = self._magnitude_regex.match(text, end)
        if match is None:
            return value, end, None
        rule = self._magnitudes[match.group("mag")]
        if rule.glued and match.group("sep"):
            return value, end, None
        return value * rule.factor, match.end(), match.group("mag")

    def _unit_after(self, text: str, end: int, magnitude: str | None) -> tuple[str, str, int]:
        if text.startswith("$", end):
            # LaTeX math around the unit or ending before it: '8.8$\%$', '$3.28$x'. A bare '30$' is dollars.
            inner = self._units_after.match(text, end + 1)
            after = text[inner.end() : inner.end() + 1] if inner else ""
            if inner and inner.end() > end + 1 and _unit_boundary(text, inner) and after not in {"^", "_"}:
                rule = self._units_after.lookup[inner.group(0)]
                return rule.unit, rule.unit_class, inner.end() + text.startswith("$", inner.end())
        gap = _SPACE.match(text, end)
        for at in (end, gap.end()) if gap and gap.end() > end else (end,):
            match = self._units_after.match(text, at)
            if match and _unit_boundary(text, match):
                rule = self._units_after.lookup[match.group(0)]
                return rule.unit, rule.unit_class, match.end()
        points = _METRIC_POINTS.match(text, end)
        if points and any(c.isupper() or c.isdigit() for c in points.group("metric")):
            return "pp", "points", points.end()  # '13 F1 points', '2.1 BLEU points'
        if magnitude in self._parameter_magnitudes:
            return "params", "size", end
        return "", "", end

    def _unit_before(self, text: str, start: int, end: int) -> tuple[str, str, int] | None:
        window = text[max(0, start - 4) : start]
        for surface, rule in self._units_before.items():
            at = start - len(surface)
            if window.endswith(surface) and not _letter_before(text, at):
                if surface == "$" and _latex_math(text, at, end):
                    return None
                return rule.unit, rule.unit_class, at
        return None

    def _range(self, text: str, first: Mention, links: int) -> Mention | None:
        sep = _RANGE_SEP.match(text, first.end)
        if sep is None or first.sign not in {None, "+"} or first.rule == "fraction":
            return None
        second_match = _CANDIDATE.match(text, sep.end())
        if second_match is None or second_match.group("sign") != first.sign:
            return None  # '+8.7 to +15.1 points' is a range of gains; '-2 to +3' is not read as one
        signed = first
        if first.sign and text[first.end - 1].isdigit():
            first = replace(first, unit="", unit_class="")  # its 'points' came from the sign, not the text
        if "to" not in sep.group(0) and first.unit and first.unit_class not in {"percent", "ratio"}:
            return None
        if "to" in sep.group(0) and (
            self._change_from.search(text, max(0, first.start - _CHANGE_REACH), first.start)
            or _before_after(text, first.start, self._spans)
        ):
            return None
        second = self._complete(text, second_match.start("num"), second_match, None, links=links + 1)
        if second is None or second.rule in {"fraction"} or second.value < first.value and not second.unit:
            return None
        if first.unit and second.unit and first.unit != second.unit:
            return None
        low = first.value
        if not first.unit and second.unit and second.value_max is None and first.value * 1000 <= second.value:
            return None
        unit, unit_class = (
            (second.unit, second.unit_class) if second.unit else (signed.unit, signed.unit_class)
        )
        return replace(
            second,
            start=first.start,
            value=low,
            value_max=second.value,
            unit=unit,
            unit_class=unit_class,
            rule="range",
            sign=first.sign,
        )

    def _count_noun(self, text: str, mention: Mention) -> Mention:
        """Attach the counted noun: '7/10 tasks', '120 valid programs', '24-layer', 'two test suites'."""
        if mention.unit and mention.unit_class != "size":
            return mention
        tail = text[mention.end : mention.end + 48]
        compound = _COMPOUND.match(tail)
        if compound and not mention.unit:
            noun = compound.group("noun")
            return replace(mention, unit=self._count_nouns.get(noun, _plural(noun)), unit_class="count")
        for i, word in enumerate(_WORD.finditer(tail)):
            if (
                i > 2
                or not word.group(0)[0].isalpha()
                or word.group(0) in self._phrase_breaks
                or _BREAK.search(tail, 0, word.start())
            ):
                # '0.998) on all datasets', '0.49 for all models': the noun must be in the number's own phrase
                break
            known = self._count_regex.match(tail, word.start())
            if known and not _continues_word(tail, known.end()):
                if mention.unit:
                    return mention
                unit = self._count_nouns[known.group(0).lower()]
                end = mention.end + known.end() if i == 0 and tail[: word.start()].isspace() else mention.end
                return replace(mention, unit=unit, unit_class="count", end=end)
            if (
                not mention.unit
                and _PLURAL.fullmatch(word.group(0))
                and word.group(0) not in self._not_counted
            ):
                # '143 bugs', '12 new vulnerabilities': a plural noun counted by the number
                end = mention.end + word.end() if i == 0 and tail[: word.start()].isspace() else mention.end
                return replace(mention, unit=word.group(0), unit_class="count", end=end)
        return mention

    def _qualify_after(self, text: str, mention: Mention) -> Mention:
        match = self._after_qualifier_regex.match(text, mention.end)
        if match and match.group(0) == "+" and not mention.unit:
            unit = self._units_after.match(text, match.end())
            if unit and _unit_boundary(text, unit):
                rule = self._units_after.lookup[unit.group(0)]
                return replace(
                    mention,
                    end=unit.end(),
                    unit=rule.unit,
                    unit_class=rule.unit_class,
                    qualifier=self._after_qualifiers["+"],
                )
        return mention

    def _is_reference(self, text: str, mention: Mention) -> bool:
        """Years, dates, figure and section references are not quantities."""
        if mention.unit or mention.rule == "range":
            return False
        before = text[max(0, mention.start - 14) : mention.start]
        if _MONTHS.search(before) or self._reference.search(before):
            return True
        # The name ends with a space right before the number: a number glued to what precedes it ('1,2',
        # '(5%') needs no search over the 40 characters before it.
        name = (
            _NAME_BEFORE.search(text, max(0, mention.start - 40), mention.start)
            if mention.start > 0 and text[mention.start - 1].isspace()
            else None
        )
        if name and mention.sign is None and name.group("name").lower() not in self._score_words:
            return True
        literal = text[mention.start : mention.end]
        return bool(_YEAR.fullmatch(literal))

    # words
    # --------------------------------------------------------------------------------------------------------

    def _word_mentions(self, text: str, blocked: Container[int], limit: int | None = None) -> list[Mention]:
        found: list[Mention] = []
        for match in self._number_word_matches(text):
            if limit is not None and len(found) > limit:
                break
            form = _SPACES.sub(" ", match.group(0).lower())
            if match.start() in blocked or self._is_term(text, match, form):
                continue
            rule = self._word_rules[form]
            unit, unit_class = {"multiplier": ("x", "ratio"), "fraction": ("fraction", "fraction")}.get(
                rule.role, ("", "count")
            )
            mention = Mention(
                start=match.start(),
                end=match.end(),
                value=rule.value,
                unit=unit,
                unit_class=unit_class,
                rule=f"word:{rule.role}",
                direction=rule.direction,
            )
            if rule.role in {"cardinal", "approximate"}:
                mention = self._count_noun(text, mention)
            found.append(mention)
        return found

    def _is_term(self, text: str, match: re.Match[str], form: str) -> bool:
        """'zero-shot', 'half precision', 'double descent': the number word is part of a term."""
        unless = self._word_unless.get(form)
        if unless is None:
            return False
        for term in unless.finditer(text, max(0, match.start() - 24), min(len(text), match.end() + 24)):
            if term.start() <= match.start() < term.end():
                return True
        return False


# helpers
# ----------------------------------------------------------------------------------------------------------


class _SurfaceRegex:
    """A longest-first alternation of surfaces with the rule each stands for."""

    def __init__(self, lookup: dict[str, Any]) -> None:
        self.pattern = _alternation(lookup)
        self.lookup = lookup

    def match(self, text: str, pos: int) -> re.Match[str] | None:
        return self.pattern.match(text, pos)


def _alternation(surfaces, *, flags: int = 0) -> re.Pattern[str]:
    ordered = sorted(surfaces, key=len, reverse=True)
    return re.compile("|".join(re.escape(s) for s in ordered) or r"(?!)", flags)


def _unit_boundary(text: str, match: re.Match[str]) -> bool:
    surface = match.group(0)
    after = text[match.end() : match.end() + 1]
    if surface[-1].isalpha() or surface[-1].isdigit():
        if after.isalnum() or after == "_":
            return False
    if surface in {"x", "X", "×"} and _DIGIT_AFTER.match(text[match.end() : match.end() + 2]):
        return False
    return True


def _finite(mention: Mention) -> bool:
    return (
        math.isfinite(mention.value or 0.0)
        and math.isfinite(mention.value_max or 0.0)
        and math.isfinite(mention.denominator or 0.0)
    )


def _parse(literal: str) -> float:
    if "," in literal and _DECIMAL_COMMA.fullmatch(literal):
        return float(literal.replace(",", "."))
    return float(_NOT_DIGITS.sub("", literal))


_DECIMAL_COMMA = re.compile(r"\d{1,3},\d{1,2}")
_NOT_DIGITS = re.compile(r"[^\d.]")
_SPACES = re.compile(r"\s+")
_DIGIT_AFTER = re.compile(r"\s?\d")


def _before_after(text: str, start: int, spans: frozenset[str]) -> bool:
    """'from 55.3% to 80.5%' (before and after), not 'ranging from 5 to 10'."""
    found = _FROM.search(text, max(0, start - 40), start)
    return found is not None and (found.group("before") or "").strip().lower() not in spans


def _exponent(text: str, start: int) -> bool:
    """'10^-6', '10^{3}', 'e^{-2}': a power's exponent is part of the number written before it."""
    i = start - 1
    while i >= 0 and text[i] in "{( ":
        i -= 1
    return i >= 0 and text[i] == "^"


def _canonical_sign(sign: str | None) -> str | None:
    if sign is None:
        return None
    return {"-": "-", "−": "-", "–": "-", "+": "+"}.get(
        sign, "±"
    )  # '+/-', '+-', '±', '\pm' give an uncertainty


def _sign_stands_alone(text: str, pos: int) -> bool:
    """A sign counts only where a token starts: '+17.0' and '(-3%)', not the hyphen of 'GPT-4' nor the minus
    of '(ml - 1)', an operator between two operands."""
    if pos == 0:
        return True
    if text[pos - 1].isalnum() or text[pos - 1] in "-_./@":
        return False
    return not (
        text[pos - 1] == " "
        and text[pos + 1 : pos + 2] == " "
        and pos > 1
        and (text[pos - 2].isalnum() or text[pos - 2] in ")]}")
    )


def _glued_to_name(text: str, start: int) -> bool:
    """'GPT-4', 'H100', 'pass@1', 'ModelA-2.5-7B', 'seq2seq', 'v1.2': digits that are part of a name."""
    if start == 0:
        return False
    before = text[start - 1]
    if before.isalpha() or before in "_@#" or (before == "." and start > 1 and text[start - 2].isalnum()):
        return True
    if before in "-/" and start > 1 and (text[start - 2].isalnum() or text[start - 2] in ")]"):
        return True
    return False


def _latex_math(text: str, dollar: int, end: int) -> bool:
    """'$4$~dB', '$>$100K', '$256\\times256$': a dollar sign that delimits LaTeX math is not money."""
    if dollar > 0 and not (text[dollar - 1].isspace() or text[dollar - 1] in "(["):
        return True
    return bool(_MATH_AFTER.match(text, end))


def _letter_before(text: str, pos: int) -> bool:
    return pos > 0 and text[pos - 1].isalpha()


def _trailing_letters(text: str, end: int) -> bool:
    """'3D', '2nd', '4o', '1080p', '2-GPU': letters glued to the digits make a name or an ordinal."""
    if end < len(text) and (text[end].isalpha() or text[end] == "_"):
        return True
    return text.startswith("-", end) and end + 1 < len(text) and text[end + 1].isupper()


def _skip_token(text: str, pos: int) -> int:
    while pos < len(text) and not text[pos].isspace():
        pos += 1
    return pos


class _Covered:
    """Character spans (URLs, citations, formulas, names): ``pos in covered`` is whether one holds ``pos``,
    found by bisection, as a long sentence can have many spans and many numbers."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.reach = list(
            accumulate((end for _, end in ordered), max)
        )  # the furthest end of the spans so far

    def __contains__(self, pos: int) -> bool:
        at = bisect_right(self.starts, pos) - 1  # spans [0, at] start at or before pos
        return at >= 0 and self.reach[at] > pos


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    """URLs, citations, list enumerators, formulas and '17-style years: digits there are not quantities. Each
    regex runs only when its telltale character is present."""
    spans = []
    if "." in text and ("/" in text or "@" in text or "www" in text):
        spans += [m.span() for m in _URL.finditer(text)]
    if "[" in text:
        spans += [m.span() for m in _CITATION.finditer(text)]
    if "(" in text or ")" in text:
        spans += [m.span() for m in _ENUMERATOR.finditer(text)]
        spans += [m.span() for m in _BIG_O.finditer(text)]
        spans += [m.span() for m in _BARE_ENUMERATOR.finditer(text) if _unopened(text, m.start())]
    if "$" in text:
        spans += [m.span() for m in _MATH.finditer(text) if _FORMULA.search(m.group("body"))]
    if "'" in text or "’" in text:
        spans += [m.span() for m in _SHORT_YEAR.finditer(text)]
    return spans


def _unopened(text: str, at: int) -> bool:
    """'... to 1) use X and 2) apply Y': a closing parenthesis no opening one precedes."""
    before = text[max(0, at - 80) : at]
    return before.count("(") <= before.count(")")


def _plural(noun: str) -> str:
    return noun if noun.endswith("s") else noun + "s"


def _continues_word(text: str, pos: int) -> bool:
    return pos < len(text) and (text[pos].isalnum() or text[pos] in "-_")


def _distribute_units(text: str, mentions: list[Mention]) -> list[Mention]:
    """A bare number coordinated with a unit-bearing one shares its unit: '4.1 and 6.3 percentage points',
    '7/10 tasks ... (5/10, ...)'."""
    out = list(mentions)
    fractions: dict[float | None, Mention] = {}  # the first fraction with a unit, by denominator
    for i, mention in enumerate(out):
        if not (mention.unit or mention.rule.startswith("word")):
            out[i] = _shared_unit(text, mention, out[i + 1] if i + 1 < len(out) else None, fractions)
        if out[i].rule == "fraction" and out[i].unit:
            fractions.setdefault(out[i].denominator, out[i])
    return out


def _shared_unit(
    text: str, mention: Mention, nxt: Mention | None, fractions: dict[float | None, Mention]
) -> Mention:
    if nxt is not None and mention.rule != "fraction":
        between = text[mention.end : nxt.start]
        comparable = (mention.value <= 1) == (nxt.value <= 1)  # '0.97, 95% CI' are not one list
        if (
            nxt.unit
            and nxt.unit_class in {"percent", "points", "ratio"}
            and (comparable or nxt.sign == "±")
            and (_LIST_GAP.fullmatch(between))
        ):
            return replace(mention, unit=nxt.unit, unit_class=nxt.unit_class, rule="number+shared-unit")
    if mention.rule == "fraction" and mention.denominator in fractions:
        other = fractions[mention.denominator]
        return replace(mention, unit=other.unit, unit_class=other.unit_class)
    return mention


_LIST_GAP = re.compile(r"\s*+(?:,|and|or|,\s*and|/)?\s*+")
