"""benchkb sql / papers / show / export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import polars as pl
import typer
from rich.text import Text

from benchkb.cli.common import DbOption, handle_errors, out, out_file, table, write_frame
from benchkb.errors import BenchkbError, NotFoundError, QueryError
from benchkb.kb import KB
from benchkb.sanitize import printable
from benchkb.store import Store

FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, csv, json, jsonl or parquet.")]
OutOption = Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of stdout.", show_default=False)]
# How DuckDB words a refusal of a read-only connection (see benchkb.store): worth a hint about --write.
_REFUSALS = ("read-only mode", "Permission Error", "configuration has been locked", "disabled through configuration")


@handle_errors
def sql(
    query: Annotated[str, typer.Argument(help="One SQL statement. The public surface is the results, leaderboard and speedups views.", show_default=False)],
    db: DbOption = None,
    fmt: FormatOption = "table",
    out_path: OutOption = None,
    write: Annotated[bool, typer.Option("--write", help="Allow statements that change the knowledge base.")] = False,
) -> None:
    """Run SQL against the knowledge base (read-only unless --write).

    Example: benchkb sql "SELECT benchmark, subject, value, unit FROM results WHERE benchmark_family = 'SWE-bench'"
    """
    out_file(out_path)
    with KB(db, read_only=not write) as kb:
        try:
            frame = kb.sql(query)
        except QueryError as exc:
            if write or not any(refusal in str(exc) for refusal in _REFUSALS):
                raise
            raise QueryError(f"{exc} (without --write, benchkb sql reads the knowledge base and nothing else)") from exc
    write_frame(frame, fmt, out_path)


@handle_errors
def papers(
    benchmark: Annotated[str, typer.Option("--benchmark", "-b", help="Benchmark or family name (any alias).", show_default=False)],
    db: DbOption = None,
    exact: Annotated[bool, typer.Option("--exact", help="Only the named benchmark, not its family.")] = False,
    fmt: FormatOption = "table",
    out_path: OutOption = None,
) -> None:
    """Papers that report a numeric result on a benchmark or benchmark family.

    Example: benchkb papers --benchmark SWE-bench
    """
    out_file(out_path)
    with KB(db) as kb:
        frame = kb.papers(benchmark=benchmark, exact=exact)
    if frame.is_empty() and fmt == "table" and out_path is None:
        out().print(Text(printable(f"no paper reports a numeric result on {benchmark!r}")))
        return
    write_frame(frame, fmt, out_path)


_SHOW_COLUMNS = ["text", "kind", "value", "value_max", "unit", "metric", "benchmark", "subject", "baseline",
                 "direction", "qualifier", "conditions"]


@handle_errors
def show(
    paper: Annotated[str, typer.Argument(help="Paper id, or a part of its title.", show_default=False)],
    db: DbOption = None,
) -> None:
    """Show an abstract with each claim highlighted and its fields listed.

    Example: benchkb show "FlashAttention-4"
    """
    with Store(db, read_only=True) as store:
        found = store.paper(paper) or _by_title(store, paper)
        claims = store.claims_of(found.paper_id)
    console = out()
    console.print(Text(printable(found.title), style="bold"))
    meta = ", ".join(str(x) for x in (found.paper_id, found.published, found.organization) if x)
    console.print(Text(printable(meta), style="dim"))
    console.print(_highlighted(found.abstract, claims))
    if claims:
        frame = pl.DataFrame([c.model_dump() for c in claims]).select(_SHOW_COLUMNS)
        console.print(table(frame, title=f"{len(claims)} claims"))


def _by_title(store: Store, text: str):
    rows = store.query("SELECT paper_id, title FROM papers WHERE title ILIKE ? ORDER BY title LIMIT 6",
                       [f"%{text}%"]).rows()
    if not rows:
        raise NotFoundError(f"no paper with id or title like {text!r}")
    if len(rows) > 1 and not any(title.lower() == text.lower() for _, title in rows):
        choices = "; ".join(f"{pid} ({title[:50]})" for pid, title in rows[:5])
        raise NotFoundError(f"{text!r} matches several papers: {choices}")
    chosen = next((pid for pid, title in rows if title.lower() == text.lower()), rows[0][0])
    return store.paper(chosen)


_STYLES = {"score": "bold green", "ratio": "bold magenta", "change": "bold yellow", "setup": "cyan"}


def _highlighted(abstract: str, claims) -> Text:
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
    """Export every claim with its paper title; text == abstract[start:end] holds for each.

    Example: benchkb export claims --format jsonl --out claims.jsonl
    """
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
