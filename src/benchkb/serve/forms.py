"""The review form: what a person submitted, checked and turned into a Review."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from benchkb.errors import InputError
from benchkb.models import Claim, Review
from benchkb.serve.pages import FIELDS


def review_from_form(form: dict[str, str], claim: Claim | None) -> Review:
    """A Review from the submitted form. For a correction, the fields that differ from the extracted ``claim``
    are the corrections (an emptied field is a correction to none); for a missed number, every field filled in
    (a "missed" number where a claim stands corrects that claim). Raises InputError with one line for the
    person to read."""
    verdict = form.get("verdict", "")
    if verdict == "missed" and claim is not None:
        verdict = "corrected"  # selected where a claim stands: what differs corrects that claim
    try:
        start, end = int(form.get("start", "")), int(form.get("end", ""))
    except ValueError:
        raise InputError("the form names no span of the abstract") from None
    given = {name: _field(name, form[name]) for name in FIELDS if name in form}
    if verdict == "corrected":
        if claim is None:
            raise InputError("there is no extracted claim at this span to correct")
        corrections = {name: value for name, value in given.items() if value != getattr(claim, name)}
        if not corrections:
            raise InputError("no field differs from the extracted claim: mark it right instead")
    elif verdict == "missed":
        corrections = {name: value for name, value in given.items() if value is not None}
        corrections.setdefault("unit", "")
    else:
        corrections = {}
    try:
        return Review(
            paper_id=form.get("paper_id", ""),
            start=start,
            end=end,
            text=form.get("text", ""),
            verdict=verdict,
            corrections=corrections,
        )
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        message = problem["msg"].removeprefix("Value error, ")
        raise InputError(f"{where + ': ' if where else ''}{message}") from None


def _field(name: str, raw: str) -> Any:
    text = raw.strip()
    if name == "unit":
        return text  # '' is a unit: dimensionless
    if not text:
        return None
    if name == "value":
        try:
            return float(text.replace(",", ""))
        except ValueError:
            raise InputError(f"value: {text!r} is not a number") from None
    return text
