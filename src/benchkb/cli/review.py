"""benchkb serve / export reviews: the review page in the browser, and its reviews as gold."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer

from benchkb.cli.common import DbOption, err, handle_errors, out
from benchkb.errors import BenchkbError


@handle_errors
def serve(
    db: DbOption = None,
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on; another than 127.0.0.1 opens the app (and its review forms) to the "
            "network."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Browse, chart and review the knowledge base in a browser.

    Search papers, read each abstract with its claims highlighted, see leaderboards, progress charts and audit
    findings, and review claims: mark one right or wrong, correct its fields, or select a number the extractor
    missed. Reviews go to the reviews table (the claims stay as extracted); `benchkb export reviews` writes
    them as gold. Works offline: nothing is fetched from the network.

    Example: benchkb serve --db benchkb-demo/benchkb.duckdb --port 8000
    """
    import uvicorn

    from benchkb.serve import create_app

    app = create_app(db)
    listening = _listen(host, port)  # bound before the address is printed: a port in use is a one-line error
    err.print(f"benchkb serve: http://{host}:{port}/ over {app.state.db} (Ctrl-C stops it)", highlight=False)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listening])


def _listen(host: str, port: int) -> socket.socket:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        listening = socket.socket(family, kind, proto)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(address)
    except OSError as exc:
        raise BenchkbError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return listening


@handle_errors
def export_reviews(
    out_path: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="The gold file (JSON Lines); the abstracts go beside it, FILE.abstracts.jsonl.",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="gold: ../shared/gold/GUIDE.md's format.")
    ] = "gold",
) -> None:
    """Export reviewed claims as gold, for eval and train.

    For each reviewed paper, every mention as corrected: right claims as extracted, wrong ones left out,
    corrections applied, missed numbers added; claims not reviewed stay as extracted, noted "not reviewed".

    Example: benchkb export reviews --format gold --out reviews.jsonl
    """
    from benchkb.reviews import abstracts_path, write_gold
    from benchkb.store import Store

    if fmt != "gold":
        raise BenchkbError(f"reviews are exported in the gold format only, not {fmt!r}")
    with Store(db, read_only=True) as store:
        export = write_gold(store, out_path)
    left_out = [
        f"{count} {what}"
        for count, what in (
            (export.stale, "stale (the abstract changed since)"),
            (export.orphaned, "of claims no longer extracted"),
        )
        if count
    ]
    note = f"; reviews left out: {', '.join(left_out)}" if left_out else ""
    papers = len(export.abstracts)
    noun = "paper" if papers == 1 else "papers"
    out().print(
        f"wrote {len(export.lines)} gold lines for {papers} reviewed {noun} to {out_path}, their "
        f"abstracts to {abstracts_path(out_path)}{note}",
        highlight=False,
    )
