"""Loading rule and catalog data: JSON Lines files validated line by line by pydantic models.

Every problem of every line is collected before anything is raised, so one run shows all that is wrong, each
with its file and line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from benchkb.errors import RuleFileError

Entry = TypeVar("Entry", bound=BaseModel)


Report = Callable[[int, str], None]  # takes (line, message) of one problem of a file; line 0: the whole file


def read_jsonl(
    path: Path,
    model: type[Entry],
    problems: list[str] | Report,
    *,
    seen: Callable[[dict[str, Any]], None] | None = None,
    missing: str = "file is missing",
) -> list[tuple[int, Entry]]:
    """Validate each non-blank, non-comment ('//') line of ``path`` as ``model``, collecting problems instead
    of raising: appended to a list as 'path:line: message', or given to a :data:`Report`. ``seen`` is shown
    every JSON object, valid or not (to check references against what was meant)."""
    if isinstance(problems, list):
        written = problems

        def report(number: int, message: str) -> None:
            written.append(f"{path}:{number}: {message}")
    else:
        report = problems
    entries: list[tuple[int, Entry]] = []
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        report(0, missing)
        return entries
    except (OSError, UnicodeDecodeError) as exc:
        report(0, f"cannot read: {exc}")
        return entries
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            report(number, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            report(number, f"expected a JSON object, got {type(obj).__name__}")
            continue
        if seen is not None:
            seen(obj)
        try:
            entries.append((number, model.model_validate(obj)))
        except ValidationError as exc:
            for error in exc.errors():
                report(number, describe(error))
    return entries


def describe(error: Any) -> str:
    """One pydantic complaint in words: 'unknown field 'x'', 'missing field 'y'', 'field 'z': ...'."""
    where = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"unknown field '{where}'"
    if error["type"] == "missing":
        return f"missing field '{where}'"
    message = error["msg"].removeprefix("Value error, ")
    return f"field '{where}': {message}" if where else message


def check_unique(
    entries: Iterable[tuple[int, Entry]],
    keys: Callable[[Entry], Iterable[str]],
    *,
    path: Path,
    what: str,
    problems: list[str],
    seen: dict[str, str] | None = None,
) -> dict[str, str]:
    """Report keys (ids, normalised aliases) given by two entries; returns key -> where first given."""
    seen = {} if seen is None else seen
    for number, entry in entries:
        for key in set(keys(entry)):
            here = f"{path}:{number}"
            if key in seen and seen[key] != here:
                problems.append(f"{here}: duplicate {what} {key!r} (first at {seen[key]})")
            else:
                seen.setdefault(key, here)
    return seen


def raise_if(problems: list[str]) -> None:
    if problems:
        raise RuleFileError(problems)
