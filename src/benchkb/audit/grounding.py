"""Rule ``grounding``: a claim's text is exactly the abstract at its offsets, and its value parses back from
it.

Both checks run in DuckDB over every claim; only the claims whose value is not one of the plain numerals in
their text (magnitudes such as '1.5k', words such as 'twice', exponents) come back to Python, where the
numerals are read again with the extractor's own magnitude and number-word data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import polars as pl

from benchkb.audit.context import AuditContext, figure, finding
from benchkb.extract.rules import RuleSet
from benchkb.models import Finding

RULE = "grounding"

# Claims that fail a check in SQL. The second check compares the value (and value_max) with the plain numerals
# of the text; claims that fail it are re-read in Python before anything is reported.
_SUSPECTS = r"""
WITH grounded AS (
    SELECT c.claim_id, c.paper_id, c.text, c.value, c.value_max, c."start", c."end",
           p.paper_id IS NULL AS orphan,
           length(p.abstract) AS abstract_length,
           substr(p.abstract, c."start" + 1, c."end" - c."start") AS at_offsets,
           list_transform(regexp_extract_all(c.text, '\d+(?:(?:,|\{,\}|\\,|,\\!)\d{3})*(?:\.\d+)?|\.\d+'),
                          lambda x: TRY_CAST(regexp_replace(x, '[^0-9.]', '', 'g') AS DOUBLE)) AS numerals
    FROM claims c LEFT JOIN papers p USING (paper_id)
), placed AS (
    SELECT *, orphan OR "end" < "start" OR "end" > abstract_length
              OR at_offsets IS DISTINCT FROM text AS misplaced
    FROM grounded
)
SELECT *
FROM placed
WHERE misplaced
   OR NOT list_contains(numerals, abs(value))
   OR (value_max IS NOT NULL AND NOT list_contains(numerals, abs(value_max)))
ORDER BY claim_id
"""

_NUMERAL = re.compile(
    r"(?<![\d.])(\d+(?:(?:,|\{,\}|\\,|,\\!)\d{3})*(?:\.\d+)?|\.\d+)"  # thousands grouped as in LaTeX too
    r"(?:\s?[eE]([-+−]?\d+)|\s?[x×·]\s?10\s?\^?\s?\{?([-+−]?\d+)\}?|\^\{?(\d+)\}?)?"
)


_DECIMAL_COMMA = re.compile(r"(?<![\d,])(\d{1,3}),(\d{1,2})(?=\s?\\?%)")  # '73,6%': a comma for the point


@dataclass(frozen=True)
class NumeralReader:
    """Reads every number a claim's text can stand for, with the extractor's magnitudes and number words."""

    glued: re.Pattern[str]  # magnitudes written against the digits: '1.5k', '7B'
    spaced: re.Pattern[str]  # magnitudes that may follow a space or hyphen: '16.1 billion'
    factors: dict[str, float]
    words: re.Pattern[str]
    word_values: dict[str, tuple[float, str]]  # lower-cased form -> (value, role)

    @classmethod
    def from_rules(cls, rules: RuleSet) -> NumeralReader:
        factors = {m.surface: m.factor for m in rules.magnitudes}
        glued = [m.surface for m in rules.magnitudes if m.glued]
        spaced = [m.surface for m in rules.magnitudes if not m.glued]
        values = {form.lower(): (w.value, w.role) for w in rules.number_words for form in w.forms}
        # A phrase may break across lines in an abstract: 'tens of\nthousands'.
        forms = "|".join(
            r"\s+".join(map(re.escape, form.split())) for form in sorted(values, key=len, reverse=True)
        )
        return cls(
            glued=re.compile(rf"({_alternatives(glued)})(?![a-z])"),
            spaced=re.compile(rf"[\s-]?({_alternatives(spaced)})(?![a-z])"),
            factors=factors,
            words=re.compile(rf"(?<![\w-])(?:{forms})(?!\w)", re.IGNORECASE),
            word_values=values,
        )

    def numbers(self, text: str) -> list[float]:
        found: list[float] = []
        for match in _NUMERAL.finditer(text):
            base = float(re.sub(r"[^\d.]", "", match.group(1)))
            exponent = match.group(2) or match.group(3)
            if exponent is not None:
                base *= _power(10.0, int(exponent.replace("−", "-")))
            if match.group(4) is not None:
                found.append(_power(base, int(match.group(4))))
            found.append(base)
            for pattern in (self.glued, self.spaced):
                magnitude = pattern.match(text, match.end())
                if magnitude:
                    found.append(base * self.factors[magnitude.group(1)])
        found += [float(f"{whole}.{fraction}") for whole, fraction in _DECIMAL_COMMA.findall(text)]
        for match in self.words.finditer(text):
            value, role = self.word_values[" ".join(match.group(0).lower().split())]
            found.append(value)
            if role == "fraction":
                found.append(value * 100)
        return found


def _power(base: float, exponent: int) -> float:
    """``base ** exponent``, infinite rather than an error when it overflows ('1e999' in a text)."""
    try:
        return base**exponent
    except OverflowError:
        return math.inf


def _alternatives(surfaces: list[str]) -> str:
    return "|".join(re.escape(s) for s in sorted(surfaces, key=len, reverse=True)) or "(?!)"


def check_grounding(ctx: AuditContext) -> list[Finding]:
    """Claims whose text is not the abstract at their offsets (error), or whose value is not read from it
    (error)."""
    suspects = ctx.query(_SUSPECTS)
    if suspects.is_empty():
        return []
    findings = [_misplaced(row) for row in suspects.filter(pl.col("misplaced")).iter_rows(named=True)]
    # Most suspects are number words and magnitudes ('three', '7B') that do parse; each distinct text is read
    # once.
    reader = NumeralReader.from_rules(RuleSet.load())
    tolerance = ctx.settings.value_relative_tolerance
    placed = suspects.filter(~pl.col("misplaced"))
    readings = placed.select("text", "value", "value_max").unique()
    unparsed = []
    for text, value, value_max in readings.iter_rows():
        numbers = reader.numbers(text)
        missing = [v for v in (value, value_max) if v is not None and not _among(abs(v), numbers, tolerance)]
        if missing:
            unparsed.append(
                {
                    "text": text,
                    "value": value,
                    "value_max": value_max,
                    "missing": missing,
                    "numbers": list(dict.fromkeys(numbers)),
                }
            )
    if unparsed:
        failing = pl.DataFrame(
            unparsed,
            schema={
                "text": pl.String,
                "value": pl.Float64,
                "value_max": pl.Float64,
                "missing": pl.List(pl.Float64),
                "numbers": pl.List(pl.Float64),
            },
        )
        rows = placed.join(failing, on=["text", "value", "value_max"], nulls_equal=True)
        findings += [_unparsed(row) for row in rows.sort("claim_id").iter_rows(named=True)]
    return findings


def _among(value: float, numbers: list[float], tolerance: float) -> bool:
    return any(math.isclose(value, n, rel_tol=tolerance, abs_tol=1e-12) for n in numbers)


def _misplaced(row: dict[str, Any]) -> Finding:
    evidence = {
        "text": row["text"],
        "start": row["start"],
        "end": row["end"],
        "at_offsets": row["at_offsets"],
        "abstract_length": row["abstract_length"],
    }
    if row["orphan"]:
        message = f"Claim '{row['text']}' belongs to paper {row['paper_id']}, which is not stored."
    elif row["at_offsets"] is None or row["end"] > row["abstract_length"] or row["end"] < row["start"]:
        message = (
            f"Claim '{row['text']}' has offsets {row['start']}-{row['end']} outside the abstract's "
            f"{row['abstract_length']} characters."
        )
    else:
        message = (
            f"Claim text '{row['text']}' is not what the abstract holds at {row['start']}-{row['end']}, "
            f"which reads '{row['at_offsets']}'."
        )
    return finding(RULE, "error", message, [row], evidence, suspect="extraction")


def _unparsed(row: dict[str, Any]) -> Finding:
    read = ", ".join(figure(n) for n in row["numbers"]) or "no number"
    stored = " and ".join(figure(v) for v in row["missing"])
    message = f"The stored value {stored} does not parse back from '{row['text']}', which reads {read}."
    evidence = {
        "text": row["text"],
        "value": row["value"],
        "value_max": row["value_max"],
        "unparsed": row["missing"],
        "numbers_in_text": row["numbers"],
    }
    return finding(RULE, "error", message, [row], evidence, suspect="extraction")
