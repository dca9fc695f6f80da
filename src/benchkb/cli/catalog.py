"""benchkb catalog unknown / show."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from benchkb.cli.common import FORMATS, DbOption, handle_errors, out, write_frame
from benchkb.errors import BenchkbError, NotFoundError

app = typer.Typer(help="The catalog of benchmarks, metrics, models and hardware.", no_args_is_help=True)

_KINDS = {
    "benchmark": "benchmark",
    "metric": "metric",
    "subject": "subject",
    "baseline": "baseline",
    "model": "subject",
}


@app.command("unknown")
@handle_errors
def unknown(
    db: DbOption = None,
    kind: Annotated[
        str, typer.Option(help="benchmark, metric, model (subject), subject or baseline.")
    ] = "benchmark",
    limit: Annotated[int, typer.Option(help="How many names to list.")] = 20,
    fmt: Annotated[str, typer.Option("--format", "-f", help=", ".join(FORMATS))] = "table",
) -> None:
    """The most frequent names the catalog does not resolve.

    Names in the knowledge base's claims that resolve to no catalog entry, most frequent first, with a
    sentence that uses each: the names worth adding to extractors/catalog/.

    Example: benchkb catalog unknown --kind benchmark --limit 20
    """
    column = _KINDS.get(kind)
    if column is None:
        raise BenchkbError(f"--kind must be one of {', '.join(_KINDS)}, not {kind!r}")
    from benchkb.kb import KB

    with KB(db) as kb:
        frame = kb.unknown_names(column, limit=limit)
    write_frame(frame, fmt, title=f"unresolved {kind} names")


@app.command("show")
@handle_errors
def show(name: Annotated[str, typer.Argument(help="A name, alias or id.", show_default=False)]) -> None:
    """Show the catalog entries a name resolves to.

    Each entry with its kind, id, aliases and other fields.

    Example: benchkb catalog show "SWEBench-Lite"
    """
    from benchkb.catalog import Catalog

    found = Catalog.load().find(name)
    if not found:
        raise NotFoundError(
            f"{name!r} is not in the catalog (benchkb catalog unknown lists names worth adding)"
        )
    console = out()
    for kind, entry in found:
        console.print(f"[bold]{escape(entry.name)}[/] ({kind}, id {escape(entry.id)})", highlight=False)
        for key, value in entry.model_dump().items():
            if key not in {"id", "name"} and value not in (None, [], {}):
                console.print(f"  {key}: {_show(value)}", highlight=False, markup=False)


def _show(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value)
