"""From papers to storable claims: extract, then resolve against the catalog.

:func:`extract_table` is the one batch function every engine calls (the local worker pool, Ray actors): papers
as an Arrow table in, rows of the claims table out, with no database. The extractor it uses is built once per
process.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa

from benchkb.catalog import Catalog
from benchkb.errors import BenchkbError, ExtractionError, InputError, StoreError
from benchkb.extract.pipeline import Extractor
from benchkb.models import Claim, Paper, claim_id
from benchkb.store import claims_table

Text = tuple[str, str, str]  # paper_id, title, abstract: what extraction reads
DEFAULT_BUDGET = 2.0  # CPU seconds of extraction per record before it is rejected


class Annotator:
    """Extractor + catalog. Building one compiles the rules and gazetteers (about a second)."""

    def __init__(self, catalog: Catalog | None = None, extractor: Extractor | None = None) -> None:
        self.catalog = catalog or Catalog.load()
        gazetteer = {kind.upper(): surfaces for kind, surfaces in self.catalog.gazetteer().items()}
        self.extractor = extractor or Extractor(gazetteer=gazetteer)

    def claims(self, paper: Paper) -> list[Claim]:
        found = self.extractor.extract(paper.paper_id, paper.title, paper.abstract)
        return self.catalog.resolve_claims(found)

    def table(self, texts: Iterable[Text], *, budget: float | None = None) -> pa.Table:
        """The resolved claims of (paper_id, title, abstract) texts as a claims-table batch, without the
        copies ``claims`` makes. A text whose extraction fails, or runs past ``budget`` CPU seconds, raises
        ``ExtractionError`` (with the claims of the others)."""
        claims, failures = self.table_with_failures(texts, budget=budget)
        if failures:
            raise ExtractionError(failures, claims)
        return claims

    def table_with_failures(
        self, texts: Iterable[Text], *, budget: float | None = None
    ) -> tuple[pa.Table, dict[int, str]]:
        """What :meth:`table` returns, and the reason of each text (by position) whose extraction failed: that
        text gives no claims, the others are unaffected."""
        found: list[tuple[int, list[dict[str, Any]]]] = []
        failures: dict[int, str] = {}
        for index, (paper_id, title, abstract) in enumerate(texts):
            deadline = time.thread_time() + budget if budget is not None else None
            try:
                rows = self.extractor.claim_fields(paper_id, title, abstract, deadline=deadline)
                for row in rows:
                    row["claim_id"] = claim_id(paper_id, row["start"], row["end"])
                    row.update(self.catalog.resolution(row))
            except Exception as error:  # noqa: BLE001 - one paper's failure must not cost its neighbours theirs
                failures[index] = failure_reason(error)
                continue
            found.append((index, rows))
        try:
            return claims_table([row for _, rows in found for row in rows]), failures
        except (pa.ArrowException, OverflowError, ValueError, TypeError, StoreError):
            return _tables_apart(found, failures), failures


def _tables_apart(found: list[tuple[int, list[dict[str, Any]]]], failures: dict[int, str]) -> pa.Table:
    """A batch whose claims do not convert as a whole: convert paper by paper, failing only the papers at
    fault."""
    tables = [claims_table([])]
    for index, rows in found:
        try:
            tables.append(claims_table(rows))
        except (pa.ArrowException, OverflowError, ValueError, TypeError, StoreError) as error:
            failures[index] = failure_reason(error)
    return pa.concat_tables(tables)


def failure_reason(error: BaseException) -> str:
    if isinstance(error, BenchkbError):
        return str(error)
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"extraction failed: {type(error).__name__}" + (f": {first}" if first else "")


# The annotator of this process, built on first use; a WorkerPool sets it before forking so workers inherit
# it.
_PROCESS_ANNOTATOR: Annotator | None = None


def process_annotator() -> Annotator:
    global _PROCESS_ANNOTATOR
    if _PROCESS_ANNOTATOR is None:
        _PROCESS_ANNOTATOR = Annotator()
    return _PROCESS_ANNOTATOR


def set_process_annotator(annotator: Annotator | None) -> Annotator | None:
    """Make ``annotator`` the process's; returns the one it replaces."""
    global _PROCESS_ANNOTATOR
    before, _PROCESS_ANNOTATOR = _PROCESS_ANNOTATOR, annotator
    return before


def extract_table(
    papers: pa.Table, *, budget: float | None = DEFAULT_BUDGET, annotator: Annotator | None = None
) -> pa.Table:
    """The claims of ``papers`` (columns ``paper_id`` or ``id``, ``title``, ``abstract``; others are ignored)
    as rows of the claims table: the columns and values the store holds, resolved against the catalog.

    A paper whose extraction fails or runs past ``budget`` CPU seconds raises ``ExtractionError``, which
    carries the claims of all the other papers and each failure's row and reason."""
    return (annotator or process_annotator()).table(paper_texts(papers), budget=budget)


def paper_texts(papers: pa.Table) -> Iterator[Text]:
    names = set(papers.column_names)
    id_column = "paper_id" if "paper_id" in names else "id"
    missing = [name for name in (id_column, "title", "abstract") if name not in names]
    if missing:
        raise InputError(
            f"a papers table needs the columns paper_id (or id), title and abstract; missing: "
            f"{', '.join(missing)}"
        )
    ids, titles, abstracts = (papers.column(name).to_pylist() for name in (id_column, "title", "abstract"))
    return zip((str(i) for i in ids), (t or "" for t in titles), (a or "" for a in abstracts), strict=True)


def texts_table(papers: list[Paper]) -> pa.Table:
    """What extraction reads of ``papers``, as the table :func:`extract_table` takes (cheap to send to a
    worker)."""
    return pa.table(
        {
            "paper_id": [p.paper_id for p in papers],
            "title": [p.title for p in papers],
            "abstract": [p.abstract for p in papers],
        }
    )
