"""benchkb sql / papers / show / export."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Group, RenderableType
from rich.text import Text

from benchkb.cli.common import DbOption, fetch, handle_errors, out, out_file, table, write_frame
from benchkb.dates import date_shown
from benchkb.errors import BenchkbError, NotFoundError, QueryError
from benchkb.rows import Rows
from benchkb.sanitize import printable

if TYPE_CHECKING:
    from benchkb.models import Claim, Paper
    from benchkb.store import Store

FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, csv, json, jsonl or parquet.")]
OutOption = Annotated[
    Optional[Path],
    typer.Option("--out", "-o", show_default=False, help="Write to this file instead of stdout."),
]
# How DuckDB words a refusal of a read-only connection (see benchkb.store): worth a hint about --write.
_REFUSALS = (
    "read-only mode",
    "Permission Error",
    "configuration has been locked",
    "disabled through configuration",
)


@handle_errors
def sql(
    query: Annotated[
        str,
        typer.Argument(
            help="One SQL statement. The public surface is the results, leaderboard and speedups views.",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    fmt: FormatOption = "table",
    out_path: OutOption = None,
    write: Annotated[
        bool, typer.Option("--write", help="Allow statements that change the knowledge base.")
    ] = False,
) -> None:
    """Run SQL on the knowledge base (read-only unless --write).

    Example: benchkb sql "SELECT benchmark, subject, value FROM results WHERE benchmark_family = 'SWE-bench'"
    """
    from benchkb.store import Store  # the store alone: the catalog behind KB is not needed to run SQL

    out_file(out_path)
    with Store(db, read_only=not write) as store:
        try:
            result = fetch(store, query, None, fmt)
        except QueryError as exc:
            if write or not any(refusal in str(exc) for refusal in _REFUSALS):
                raise
            raise QueryError(
                f"{exc} (without --write, benchkb sql reads the knowledge base and nothing else)"
            ) from exc
    write_frame(result, fmt, out_path)


@handle_errors
def papers(
    benchmark: Annotated[
        str,
        typer.Option("--benchmark", "-b", help="Benchmark or family name (any alias).", show_default=False),
    ],
    db: DbOption = None,
    exact: Annotated[bool, typer.Option("--exact", help="Only the named benchmark, not its family.")] = False,
    fmt: FormatOption = "table",
    out_path: OutOption = None,
) -> None:
    """Papers with a numeric result on a benchmark or its family.

    Example: benchkb papers --benchmark SWE-bench
    """
    from benchkb.kb import KB

    out_file(out_path)
    with KB(db) as kb:
        result = fetch(kb.store, *kb.papers_query(benchmark=benchmark, exact=exact), fmt)
    if fmt == "table" and out_path is None and not result.values:
        out().print(Text(printable(f"no paper reports a numeric result on {benchmark!r}")))
        return
    write_frame(result, fmt, out_path)


_SHOW_COLUMNS = [
    "text",
    "kind",
    "value",
    "value_max",
    "unit",
    "metric",
    "benchmark",
    "subject",
    "baseline",
    "direction",
    "qualifier",
    "conditions",
]
WIDE_COLUMNS = 120  # narrower terminals get one block of fields per claim: a 12-column table would cut words


@handle_errors
def show(
    paper: Annotated[str, typer.Argument(help="Paper id, or a part of its title.", show_default=False)],
    db: DbOption = None,
) -> None:
    """Show an abstract with its claims highlighted.

    The claims' fields follow: a table on a terminal 120 columns wide or more, one block per claim on a
    narrower one.

    Example: benchkb show "FlashAttention-4"
    """
    from benchkb.store import Store

    # Rows as they are stored, not Paper and Claim models: they were validated when written, and showing
    # them needs no pydantic (0.1 s of start-up).
    with Store(db, read_only=True) as store:
        found = _stored_paper(store, paper) or _stored_paper(store, _by_title(store, paper))
        claims = store.rows('SELECT * FROM claims WHERE paper_id = ? ORDER BY "start"', [found.paper_id])
    console = out()
    shown = [SimpleNamespace(**claim) for claim in claims.dicts()]
    console.print(paper_view(found, shown, width=console.width))


def _stored_paper(store: Store, paper_id: str) -> SimpleNamespace | None:
    """The fields of a stored paper that ``paper_view`` shows, or None."""
    found = store.rows(
        "SELECT paper_id, title, abstract, published, published_precision, organization FROM papers "
        "WHERE paper_id = ?",
        [paper_id],
    ).dicts()
    return SimpleNamespace(**found[0]) if found else None


def paper_view(
    paper: Paper | SimpleNamespace, claims: list[Claim] | list[SimpleNamespace], *, width: int
) -> RenderableType:
    """Title, ids, the abstract with its claims highlighted, then the claims' fields: a table on a wide
    terminal, one block per claim on a narrow one. The paper and claims are models, or stored rows with the
    same field names."""
    shown_date = date_shown(paper.published, paper.published_precision)
    meta = ", ".join(str(x) for x in (paper.paper_id, shown_date, paper.organization) if x)
    parts: list[RenderableType] = [
        Text(printable(paper.title), style="bold"),
        Text(printable(meta), style="dim"),
        _highlighted(paper.abstract, claims),
    ]
    if claims and width >= WIDE_COLUMNS:
        fields = Rows(
            _SHOW_COLUMNS,
            [name in {"value", "value_max"} for name in _SHOW_COLUMNS],
            [tuple(getattr(claim, name) for name in _SHOW_COLUMNS) for claim in claims],
        )
        parts.append(table(fields, title=f"{len(claims)} claims"))
    elif claims:
        parts.append(Text(f"\n{len(claims)} claims", style="italic"))
        parts.extend(_claim_block(claim) for claim in claims)
    return Group(*parts)


def _claim_block(claim: Claim) -> Text:
    """One claim as lines of 'field  value', the mention first, in its highlight."""
    block = Text("\n")
    block.append(printable(claim.text), style=_STYLES.get(claim.kind, "bold"))
    for name in _SHOW_COLUMNS[1:]:
        value = getattr(claim, name)
        if value not in (None, [], ""):
            shown = ", ".join(value) if isinstance(value, list) else value
            shown = f"{shown:g}" if isinstance(shown, float) else shown
            block.append(f"\n  {name:<11}", style="dim")
            block.append(printable(str(shown)))
    return block


def _by_title(store: Store, text: str) -> str:
    """The id of the paper whose title is ``text``, or the one paper whose title holds it."""
    rows = store.rows(
        "SELECT paper_id, title FROM papers WHERE title ILIKE ? ORDER BY title LIMIT 6", [f"%{text}%"]
    ).values
    if not rows:
        raise NotFoundError(f"no paper with id or title like {text!r}")
    if len(rows) > 1 and not any(title.lower() == text.lower() for _, title in rows):
        choices = "; ".join(f"{pid} ({title[:50]})" for pid, title in rows[:5])
        raise NotFoundError(f"{text!r} matches several papers: {choices}")
    return next((pid for pid, title in rows if title.lower() == text.lower()), rows[0][0])


_STYLES = {"score": "bold green", "ratio": "bold magenta", "change": "bold yellow", "setup": "cyan"}


def _highlighted(abstract: str, claims: list[Claim]) -> Text:
    text = Text(printable(abstract))  # as long as the abstract: the claims' offsets hold
    for claim in claims:
        text.stylize(_STYLES.get(claim.kind, "bold"), claim.start, claim.end)
    return text


@handle_errors
def export_claims(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet.")] = "jsonl",
    out_path: OutOption = None,
) -> None:
    """Export every claim with its paper title and offsets.

    text == abstract[start:end] holds for each claim. Parquet is the typed format (numbers, lists, ids as
    text). CSV has no types: readers guess that arXiv ids are numbers, so read paper_id as text, in polars
    with schema_overrides={"paper_id": pl.String}, in DuckDB with read_csv(FILE, types={'paper_id':
    'VARCHAR'}).

    Example: benchkb export claims --format jsonl --out claims.jsonl
    """
    from benchkb.store import Store

    if fmt not in {"jsonl", "csv", "parquet"}:
        raise BenchkbError(f"export formats are jsonl, csv and parquet, not {fmt!r}")
    out_file(out_path)
    with Store(db, read_only=True) as store:
        frame = store.query(EXPORT_QUERY)
    write_frame(frame, fmt, out_path)


EXPORT_QUERY = """
SELECT c.paper_id, p.title, c.text, c."start", c."end", c.value, c.value_max, c.unit, c.kind, c.metric,
       c.benchmark, c.subject, c.baseline, c.direction, c.qualifier, c.conditions,
       c.claim_id, c.uncertainty, c.rule, c.sentence_start, c.sentence_end,
       c.benchmark_id, c.metric_id, c.subject_id, c.baseline_id, c.hardware_id, c.precision
FROM claims c JOIN papers p USING (paper_id)
ORDER BY c.paper_id, c."start"
"""
