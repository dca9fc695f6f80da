"""The routes of `benchkb serve`: each opens the knowledge base, reads through KB, and renders a template.

Every request opens and closes its own connection (read-only to read), so that `benchkb sql` and the tests can
read the file while the app runs; the handlers are plain coroutines that do their DuckDB work in turn on the
event loop, which also keeps a writing request from meeting a reading one in the same process. A local,
one-person tool.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from benchkb.catalog import Catalog
from benchkb.dates import date_shown
from benchkb.errors import BenchkbError, EmptySelectionError, InputError, NotFoundError
from benchkb.kb import KB
from benchkb.reviews import current_reviews
from benchkb.serve.forms import review_from_form
from benchkb.serve.pages import (
    DIRECTIONS,
    FIELDS,
    FINDINGS_SHOWN,
    KINDS,
    linked_spec,
    paper_page,
    paper_url,
    table_rows,
)
from benchkb.store import Store

HERE = Path(__file__).parent
CHARTS = ("leaderboard", "progress")  # the report scripts drawn per benchmark and metric
SEVERITIES = ("error", "warning", "info")
SEARCH_LIMIT = 50


def create_app(db: str | Path | None = None) -> Starlette:
    """The web app over the knowledge base at ``db`` (``BENCHKB_DB`` or ./benchkb.duckdb by default). Upgrades
    an older knowledge base's schema once, so that reviews can be stored."""
    with Store(db, read_only=True) as store:  # a missing file is an error, not a new empty knowledge base
        path = store.path
    Store(path).close()  # a writable open applies the schema, upgrading an older knowledge base
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    env.filters["paper_url"] = paper_url
    env.filters["date_shown"] = date_shown
    env.filters["number"] = lambda value: "" if value is None else f"{value:g}"
    app = Starlette(
        routes=[
            Route("/", search),
            Route("/paper/{paper_id:path}", paper),
            Route("/review", review, methods=["POST"]),
            Route("/reviews", reviews),
            Route("/charts", charts),
            Route("/charts/{name}", chart),
            Route("/audit", audit),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        exception_handlers={BenchkbError: _error_page},
    )
    app.state.db = path
    app.state.templates = Jinja2Templates(env=env)
    app.state.catalog = Catalog.load()
    app.state.vega = None  # the chart scripts, read from vl-convert on the first chart page
    return app


def _kb(request: Request) -> KB:
    return KB(request.app.state.db, catalog=request.app.state.catalog)


def _page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


async def search(request: Request) -> Response:
    query = request.query_params.get("q", "")
    with _kb(request) as kb:
        found = kb.search(query, limit=SEARCH_LIMIT).to_dicts()
    return _page(request, "search.html", query=query, papers=found, limit=SEARCH_LIMIT)


async def paper(request: Request) -> Response:
    with _kb(request) as kb:
        page = paper_page(kb, request.path_params["paper_id"])
    return _page(
        request,
        "paper.html",
        page=page,
        fields=FIELDS,
        kinds=KINDS,
        directions=DIRECTIONS,
        saved=request.query_params.get("saved"),
    )


async def review(request: Request) -> Response:
    _refuse_other_sites(request)
    form = {
        key: values[-1]
        for key, values in parse_qs((await request.body()).decode("utf-8"), keep_blank_values=True).items()
    }
    paper_id = form.get("paper_id", "")
    with Store(request.app.state.db) as store:
        claims = {(c.start, c.end): c for c in store.claims_of(paper_id)}
        try:
            span = (int(form.get("start", "")), int(form.get("end", "")))
        except ValueError:
            span = (-1, -1)
        made = review_from_form(form, claims.get(span))
        store.add_review(made)
    target = f"{paper_url(paper_id)}?saved={made.verdict}#c-{made.start}-{made.end}"
    return RedirectResponse(target, status_code=303)


def _refuse_other_sites(request: Request) -> None:
    """A page on another site must not post reviews here: browsers send the posting page's origin ("null" from
    a file or a sandboxed frame, refused too)."""
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
        raise InputError(f"a review posted from {origin} is refused: post it from this app's own pages")


async def reviews(request: Request) -> Response:
    with _kb(request) as kb:
        found = current_reviews(kb.store)
        titles = (
            dict(
                kb.store.rows(
                    "SELECT paper_id, title FROM papers WHERE paper_id IN (SELECT paper_id FROM reviews)"
                ).values
            )
            if found
            else {}
        )
    return _page(request, "reviews.html", reviews=found, titles=titles)


async def charts(request: Request) -> Response:
    with _kb(request) as kb:
        selections = kb.score_selections().to_dicts()
    for selection in selections:
        selection["query"] = _selection_query(selection["benchmark"], selection["metric"])
    return _page(request, "charts.html", selections=selections, charts=CHARTS)


async def chart(request: Request) -> Response:
    from benchkb.reporting import available_reports, build_report, chart_spec, vega_bundle

    name = request.path_params["name"]
    if name not in CHARTS:
        raise NotFoundError(f"no chart named {name!r}: choose {' or '.join(CHARTS)}")
    benchmark = request.query_params.get("benchmark") or None
    metric = request.query_params.get("metric") or None
    script = available_reports()[name]
    with _kb(request) as kb:
        built = build_report(kb, script, benchmark=benchmark, metric=metric)
    if request.app.state.vega is None:
        request.app.state.vega = vega_bundle()
    columns, rows = table_rows(built.table, 100) if built.table is not None else ([], [])
    return _page(
        request,
        "chart.html",
        report=built,
        spec=linked_spec(chart_spec(built.chart)),
        vega=request.app.state.vega,
        columns=columns,
        rows=rows,
        name=name,
        query=_selection_query(benchmark, metric),
    )


def _selection_query(benchmark: str | None, metric: str | None) -> str:
    return urlencode({key: value for key, value in (("benchmark", benchmark), ("metric", metric)) if value})


async def audit(request: Request) -> Response:
    rule = request.query_params.get("rule") or None
    severity = request.query_params.get("severity") or None
    with _kb(request) as kb:
        found = kb.findings(rule=rule, severity=severity)
        rules = [rule for (rule,) in kb.store.rows("SELECT DISTINCT rule FROM findings ORDER BY 1").values]
    return _page(
        request,
        "audit.html",
        findings=found.head(FINDINGS_SHOWN).to_dicts(),
        total=found.height,
        rules=rules,
        severities=SEVERITIES,
        rule=rule,
        severity=severity,
    )


async def _error_page(request: Request, exc: Exception) -> Response:
    status = 404 if isinstance(exc, (NotFoundError, EmptySelectionError)) else 400
    return _page(request, "error.html", status_code=status, message=str(exc).strip() or type(exc).__name__)
