"""The one exception hierarchy of benchkb.

The library raises these; the command line turns each into one line on stderr and an exit code.
"""

from __future__ import annotations


class BenchkbError(Exception):
    """Base of every error benchkb raises on purpose."""

    exit_code = 1


class InputError(BenchkbError):
    """An input file cannot be read, or one of its records is malformed."""

    def __init__(self, message: str, *, file: str | None = None, record: int | None = None) -> None:
        self.file = file
        self.record = record
        self.reason = message
        where = ""
        if file is not None:
            where = f"{file}: " if record is None else f"{file}, record {record}: "
        super().__init__(where + message)


class RuleFileError(BenchkbError):
    """A rule or catalog file under extractors/ is invalid; lists every problem with file and line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        head = (
            problems[0]
            if len(problems) == 1
            else f"{len(problems)} problems in rule data:\n  " + "\n  ".join(problems)
        )
        super().__init__(head)


class StoreError(BenchkbError):
    """The DuckDB knowledge base cannot be opened, written or queried."""


class QueryError(StoreError):
    """A user's SQL statement failed or was refused (for example a write in read-only mode)."""


class NotFoundError(BenchkbError):
    """A paper, report, rule or catalog entry named by the user does not exist."""


class EmptySelectionError(BenchkbError):
    """A report or query selected nothing to show."""


class ExtractionError(BenchkbError):
    """Extraction failed for some papers of a batch. ``failures`` maps each failed paper's row in the batch to
    the reason; ``claims`` holds the claims of every other paper, so a caller can keep them."""

    def __init__(self, failures: dict[int, str], claims: object) -> None:
        self.failures = failures
        self.claims = claims
        row, reason = next(iter(failures.items()))
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        super().__init__(f"extraction failed for row {row}: {reason}{more}")


class TimeBudgetExceeded(BenchkbError):
    """One record's extraction ran past its time budget (checked between sentences)."""


class TooManyNumbers(BenchkbError):
    """One record holds more numbers than an abstract ever does: a table or a data dump, not prose."""


class Interrupted(BenchkbError):
    """The user stopped a long command (Ctrl-C); what was committed before stays."""

    exit_code = 130
