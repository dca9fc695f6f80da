"""Loading rule and catalog data: JSON Lines files validated line by line by pydantic models.

Every problem of every line is collected before anything is raised, so one run shows all that is wrong, each with
its file and line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from benchkb.errors import RuleFileError

Entry = TypeVar("Entry", bound=BaseModel)


def read_jsonl(path: Path, model: type[Entry], problems: list[str]) -> list[tuple[int, Entry]]:
    """Validate each non-blank, non-comment line of ``path`` as ``model``; append problems instead of raising."""
    entries: list[tuple[int, Entry]] = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}:0: cannot read: {exc}")
        return entries
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            entries.append((number, model.model_validate(json.loads(line))))
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: invalid JSON: {exc.msg} (column {exc.colno})")
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(part) for part in error["loc"]) or "entry"
                problems.append(f"{path}:{number}: {field}: {error['msg']}")
    return entries


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
