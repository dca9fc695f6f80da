"""benchkb demo: the bundled Hugging Face Daily Papers page, end to end."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from benchkb.cli.common import handle_errors, out, table

SWE_BENCH_QUESTION = """
SELECT paper_id, any_value(title) AS title,
       string_agg(benchmark || ': ' || text, '; ' ORDER BY "start") AS results
FROM results
WHERE benchmark_family = 'SWE-bench'
GROUP BY paper_id
ORDER BY title
""".strip()

CLAIMS_TABLE = """
SELECT left(title, 28) AS paper, text, kind, metric, benchmark, subject, baseline, qualifier
FROM results
ORDER BY published DESC NULLS LAST, title, "start"
""".strip()


@handle_errors
def demo(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Where the demo knowledge base and reports go.")
    ] = Path("benchkb-demo"),
    year: Annotated[int, typer.Option(help="Year of the page's dates written without one.")] = 2026,
    rows: Annotated[int, typer.Option(help="Claims to print.")] = 25,
) -> None:
    """Run the bundled Daily Papers page end to end.

    Ingest the page, audit it, show its claims, answer "which papers report SWE-bench results?" and write the
    charts.

    Example: benchkb demo --out benchkb-demo
    """
    from benchkb.annotate import Annotator
    from benchkb.audit import run_audit
    from benchkb.ingest import IngestSettings, ingest_file
    from benchkb.kb import KB
    from benchkb.reporting import writable_directory, write_reports
    from benchkb.resources import example_page
    from benchkb.sources import ReadOptions
    from benchkb.store import Store

    console = out()
    writable_directory(out_dir)
    db = out_dir / "benchkb.duckdb"
    page = example_page()
    annotator = Annotator()
    with Store(db) as store:
        store.replace_catalog(annotator.catalog.table_rows())
        summary = ingest_file(store, page, IngestSettings(read=ReadOptions(year=year), workers=1), annotator)
        audited = run_audit(store, catalog=annotator.catalog)
    console.print(f"[bold]1. Ingest[/] {escape(summary.line())}", highlight=False)
    console.print(f"   Audit: {audited.line()}", highlight=False, markup=False)
    with KB(db) as kb:
        claims = kb.sql(CLAIMS_TABLE)
        shown = min(rows, claims.height)
        console.print(f"\n[bold]2. Claims[/] ({claims.height} result claims; the first {shown}):")
        console.print(table(claims.head(rows)))
        answer = kb.sql(SWE_BENCH_QUESTION)
        console.print("\n[bold]3. Which papers report SWE-bench results?[/]")
        console.print(f"[dim]{SWE_BENCH_QUESTION}[/]", highlight=False)
        console.print(table(answer))
        written = write_reports(kb, out_dir / "reports")
    console.print(
        f"\n[bold]4. Charts[/] {len(written)} reports in {escape(str(out_dir / 'reports'))}; open "
        f"{escape(str(out_dir / 'reports' / 'index.html'))}",
        highlight=False,
    )
    benchkb = invoked_as()
    console.print("\n[bold]5. Explore[/] (each line runs as printed):")
    console.print(f'{benchkb} sql "SELECT * FROM leaderboard" --db {db}', highlight=False, markup=False)
    console.print(
        f"{benchkb} serve --db {db}    # search, charts and the review page on http://127.0.0.1:8000/",
        highlight=False,
        markup=False,
    )


def invoked_as() -> str:
    """How to run benchkb again from this shell: `benchkb` when that name finds this program, else the path it
    was started by (`make demo` runs .venv/bin/benchkb, which a shell without the venv activated does not
    find)."""
    program = Path(sys.argv[0])
    if program.name == "__main__.py":
        return f"{sys.executable} -m benchkb"
    found = shutil.which("benchkb")
    if found is not None and Path(found).resolve() == program.resolve():
        return "benchkb"
    return str(program)
