"""Reports: find the scripts in ``reports/`` by name, build their charts from a knowledge base, write them.

A report script is a module with ``NAME``, ``TITLE``, ``DESCRIPTION``, ``NEEDS`` (the selection options it
uses: "benchmark", "metric") and ``build(kb, *, benchmark=None, metric=None) -> Report``. Scripts are found by
file name, a plain dict of name to module. HTML pages inline the Vega, Vega-Lite and vega-embed scripts that
vl-convert ships, so a report opens offline; PNG and SVG come from vl-convert too.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import altair as alt
import polars as pl
import vl_convert

from benchkb.errors import BenchkbError, EmptySelectionError, NotFoundError
from benchkb.kb import KB, flat_lists
from benchkb.resources import reports_dir
from benchkb.sanitize import csv_column, printable

FORMATS = ("html", "png", "svg")
TABLE_ROWS = 100  # rows of a report's table shown in its HTML page; the chart already summarises the rest
PNG_SCALE = 2.0  # sharp on high-density screens and in documents

# One look for every report, applied when rendering so that the scripts only say what to draw.
STYLE = {
    "font": "Helvetica, Arial, sans-serif",
    "title": {
        "fontSize": 16,
        "anchor": "start",
        "offset": 10,
        "subtitleFontSize": 12,
        "subtitleColor": "#555",
    },
    "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 260, "titlePadding": 8},
    "legend": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 260, "symbolLimit": 24},
    "header": {"labelFontSize": 12, "titleFontSize": 12},
    "view": {"stroke": None},
}

# SVG so that marks are elements a browser test can count; no action that opens the online editor.
EMBED_OPTIONS = {
    "renderer": "svg",
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
}


@dataclass(frozen=True)
class Report:
    """What a report script builds: a chart, the selection it shows, and optionally the rows behind it."""

    name: str
    title: str
    chart: Any  # an Altair top-level chart
    description: str = ""
    table: pl.DataFrame | None = None


@dataclass(frozen=True)
class Outcome:
    """One report of a run: the file written, or why there was nothing to draw."""

    name: str
    title: str
    description: str
    path: Path | None = None
    message: str | None = None


# finding reports --------------------------------------------------------------------------------------------


def available_reports(directory: Path | None = None) -> dict[str, ModuleType]:
    """Every report script in ``directory`` (default: the shipped ``reports/``) by name."""
    found: dict[str, ModuleType] = {}
    for path in sorted((directory or reports_dir()).glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = _load_script(path)
        found[module.NAME] = module
    return found


def _load_script(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchkb_report_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise BenchkbError(f"cannot load report script {path}")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # a broken script is a packaging bug: name the file
        raise BenchkbError(f"report script {path} failed to load: {exc}") from exc
    required = ("NAME", "TITLE", "DESCRIPTION", "NEEDS", "build")
    missing = [name for name in required if not hasattr(module, name)]
    if missing:
        raise BenchkbError(f"report script {path} lacks {', '.join(missing)}")
    return module


def find_report(name: str, scripts: dict[str, ModuleType] | None = None) -> ModuleType:
    scripts = scripts if scripts is not None else available_reports()
    if name not in scripts:
        raise NotFoundError(f"no report named {name!r}: choose one of {', '.join(scripts)} (or 'all')")
    return scripts[name]


def build_report(
    kb: KB, script: ModuleType, *, benchmark: str | None = None, metric: str | None = None
) -> Report:
    """Run one script, passing only the selection options it uses."""
    options = {"benchmark": benchmark, "metric": metric}
    return script.build(kb, **{key: value for key, value in options.items() if key in script.NEEDS})


# writing ----------------------------------------------------------------------------------------------------


def run_reports(
    kb: KB,
    out_dir: Path,
    *,
    names: list[str] | None = None,
    fmt: str = "html",
    benchmark: str | None = None,
    metric: str | None = None,
) -> list[Outcome]:
    """Build and write the named reports (default: all) into ``out_dir`` with an ``index.html`` linking them.

    A report whose selection is empty does not stop the run: it is listed in the index with its message."""
    _check_format(fmt)
    scripts = available_reports()
    chosen = [find_report(name, scripts) for name in (names or list(scripts))]
    writable_directory(out_dir)
    outcomes = []
    for script in chosen:
        try:
            report = build_report(kb, script, benchmark=benchmark, metric=metric)
        except EmptySelectionError as exc:
            outcomes.append(Outcome(script.NAME, script.TITLE, script.DESCRIPTION, message=str(exc)))
            continue
        path = render(report, out_dir / f"{report.name}.{fmt}", fmt)
        if fmt != "html" and report.table is not None:
            _write(out_dir / f"{report.name}.csv", _csv(report.table))
        outcomes.append(Outcome(report.name, report.title, report.description, path=path))
    write_index(outcomes, out_dir)
    return outcomes


def writable_directory(path: Path) -> Path:
    """``path`` as a directory to write into, made when missing (with its parents); one clear error when it
    cannot be one (a file, a place that cannot be written)."""
    if path.exists() and not path.is_dir():
        raise BenchkbError(f"cannot write to {path}: it is not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BenchkbError(f"cannot write to {path}: {exc.strerror or exc}") from exc
    return path


def _csv(frame: pl.DataFrame) -> str:
    frame = flat_lists(frame)
    return frame.with_columns(
        csv_column(pl.col(name)) for name, dtype in frame.schema.items() if dtype == pl.String
    ).write_csv()


def _write(path: Path, content: str) -> None:
    try:
        path.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise BenchkbError(f"cannot write {path}: {exc.strerror or exc}") from exc


def write_reports(
    kb: KB,
    out_dir: Path,
    *,
    names: list[str] | None = None,
    fmt: str = "html",
    benchmark: str | None = None,
    metric: str | None = None,
) -> list[Path]:
    """Write the reports and their ``index.html``; return the report files written (empty selections have
    none)."""
    outcomes = run_reports(kb, out_dir, names=names, fmt=fmt, benchmark=benchmark, metric=metric)
    return [outcome.path for outcome in outcomes if outcome.path is not None]


def render(report: Report, path: Path, fmt: str = "html") -> Path:
    """Write ``report`` to ``path`` as a self-contained HTML page, a PNG or an SVG."""
    _check_format(fmt)
    spec = chart_spec(report.chart)
    try:
        if fmt == "html":
            path.write_text(report_page(report, spec), encoding="utf-8")
        elif fmt == "png":
            path.write_bytes(vl_convert.vegalite_to_png(spec, vl_version=_vl_version(), scale=PNG_SCALE))
        else:
            path.write_text(vl_convert.vegalite_to_svg(spec, vl_version=_vl_version()), encoding="utf-8")
    except (OSError, ValueError) as exc:  # vl-convert reports a spec it cannot render as ValueError
        raise BenchkbError(f"cannot write the {report.name} report to {path}: {exc}") from exc
    return path


def chart_spec(chart: Any) -> dict[str, Any]:
    """The chart's Vega-Lite spec with the house style under its own settings, every string in it printable:
    the PNG and SVG renderer aborts the whole process on a control character in any label (an ESC in a title).
    """
    spec = _printable(chart.to_dict())
    config = {key: dict(value) if isinstance(value, dict) else value for key, value in STYLE.items()}
    for key, value in spec.get("config", {}).items():
        if isinstance(value, dict) and isinstance(config.get(key), dict):
            config[key].update(value)
        else:
            config[key] = value
    spec["config"] = config
    return spec


def _printable(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {_printable(key): _printable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_printable(item) for item in value]
    return value


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise BenchkbError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")


def _vl_version() -> str | None:
    """The Vega-Lite version Altair writes specs for ("v6.4.1" -> "6.4"), when vl-convert has it."""
    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return wanted if wanted in vl_convert.get_vegalite_versions() else None


# HTML -------------------------------------------------------------------------------------------------------

_PAGE_STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .3rem; } p.lead { color: #444; margin-top: 0; }
nav a, td a { color: #1f5fa8; } table { border-collapse: collapse; margin-top: 1.5rem; font-size: .85rem; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.empty { color: #8a4b00; } .note { color: #666; font-size: .85rem; }
"""

# Marks the page once the view has rendered (or failed), so that a browser test can wait for it.
_EMBED_SCRIPT = """
vegaEmbed("#chart", spec, options)
  .then(function (result) { window.vegaView = result.view; document.body.dataset.chart = "rendered"; })
  .catch(function (error) { document.body.dataset.chart = "failed"; console.error(error); });
"""


def report_page(report: Report, spec: dict[str, Any]) -> str:
    """A self-contained page: heading, chart, table; the chart libraries are inlined, nothing is fetched."""
    bundle = vega_bundle()
    table = "" if report.table is None else html_table(report.table)
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_html(report.title)}</title>\n<style>{_PAGE_STYLE}</style>\n"
        f"<script>{bundle}</script>\n</head>\n<body>\n"
        f'<nav><a href="index.html">All reports</a></nav>\n<h1>{_html(report.title)}</h1>\n'
        f'<p class="lead">{_html(report.description)}</p>\n<div id="chart"></div>\n{table}\n'
        f"<script>\nconst spec = {_script_json(spec)};\nconst options = {_script_json(EMBED_OPTIONS)};\n"
        f"{_EMBED_SCRIPT}</script>\n</body>\n</html>\n"
    )


def vega_bundle() -> str:
    """The Vega, Vega-Lite and vega-embed scripts (as one script defining ``vegaEmbed``), from vl-convert:
    pages inline them so that nothing is fetched from the network."""
    return vl_convert.javascript_bundle(vl_version=_vl_version())


def _script_json(value: Any) -> str:
    """JSON that cannot end the surrounding <script> element, whatever an abstract's text contains."""
    return json.dumps(value, ensure_ascii=False, default=str).replace("</", "<\\/").replace("<!--", "<\\!--")


def html_table(frame: pl.DataFrame) -> str:
    shown = flat_lists(frame.head(TABLE_ROWS))
    numeric = {name for name, dtype in shown.schema.items() if dtype.is_numeric()}
    head = "".join(f"<th>{_html(name)}</th>" for name in shown.columns)
    rows = []
    for row in shown.iter_rows(named=True):
        cells = "".join(
            f'<td class="num">{_cell(value)}</td>' if name in numeric else f"<td>{_cell(value)}</td>"
            for name, value in row.items()
        )
        rows.append(f"<tr>{cells}</tr>")
    note = ""
    if frame.height > TABLE_ROWS:
        note = f'<p class="note">The first {TABLE_ROWS} of {frame.height} rows.</p>'
    body = "\n".join(rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>{note}"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return _html(str(value))


def _html(text: str) -> str:
    """Text as HTML: escaped, and printable (control characters in a page are noise, never meant)."""
    return html.escape(printable(text))


INDEX_MANIFEST = (
    "index.json"  # the reports index.html lists, so that a later run into the folder adds to them
)


def write_index(outcomes: list[Outcome], out_dir: Path) -> Path:
    """``index.html``: every report in ``out_dir`` (from this run and earlier ones) with its title and
    description, linked to its file; and the reports of this run that were not drawn, with the reason."""
    drawn = _earlier_reports(out_dir)
    for outcome in outcomes:
        if outcome.path is not None:
            drawn[outcome.path.name] = Outcome(
                outcome.name, outcome.title, outcome.description, path=outcome.path
            )
    manifest = [
        {"file": name, "name": o.name, "title": o.title, "description": o.description}
        for name, o in sorted(drawn.items())
    ]
    (out_dir / INDEX_MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    items = []
    for outcome in [*(drawn[name] for name in sorted(drawn)), *(o for o in outcomes if o.path is None)]:
        title = _html(outcome.title)
        if outcome.path is not None:
            link = _html(outcome.path.name)
            extra = ""
            if outcome.path.suffix in {".png", ".svg"}:
                extra = f'<br><a href="{link}"><img src="{link}" alt="{title}" width="480"></a>'
                if (out_dir / f"{outcome.name}.csv").exists():
                    extra += f' <a href="{outcome.name}.csv">table (CSV)</a>'
            items.append(f'<li><a href="{link}">{title}</a>: {_html(outcome.description)}{extra}</li>')
        else:
            reason = _html(outcome.message or "")
            items.append(f'<li>{title}: <span class="empty">not drawn: {reason}</span></li>')
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>benchkb reports</title>\n'
        f"<style>{_PAGE_STYLE}</style>\n</head>\n<body>\n<h1>benchkb reports</h1>\n"
        "<ul>\n" + "\n".join(items) + "\n</ul>\n</body>\n</html>\n"
    )
    path = out_dir / "index.html"
    _write(path, page)
    return path


def _earlier_reports(out_dir: Path) -> dict[str, Outcome]:
    """The reports an earlier run listed in ``out_dir``'s manifest whose files are still there, by file name.
    A missing or unreadable manifest lists none: the index is rebuilt from this run."""
    try:
        entries = json.loads((out_dir / INDEX_MANIFEST).read_text(encoding="utf-8"))
        found = {
            entry["file"]: Outcome(
                entry["name"], entry["title"], entry["description"], path=out_dir / entry["file"]
            )
            for entry in entries
        }
    except (OSError, ValueError, TypeError, KeyError):
        return {}
    return {
        name: outcome
        for name, outcome in found.items()
        if Path(name).name == name and (out_dir / name).is_file()
    }


# what report scripts share ----------------------------------------------------------------------------------

# Hedged claims ("up to", "more than") get their own shape and colour in every chart that shows single claims.
HEDGE_FIELD = "claim"
HEDGE_DOMAIN = ["plain", "hedged"]
HEDGE_SHAPES = alt.Scale(domain=HEDGE_DOMAIN, range=["circle", "triangle-right"])
HEDGE_COLOURS = alt.Scale(domain=HEDGE_DOMAIN, range=["#4c78a8", "#e45756"])
HEDGE_LEGEND = alt.Legend(
    title="claim", labelExpr="datum.label == 'hedged' ? 'hedged (up to, more than, ...)' : 'plain'"
)
COUNT_AXIS = alt.Axis(format=",d", tickMinStep=1, tickCount=4)  # whole counts, few enough not to crowd
HEDGE_SQL = "CASE WHEN coalesce(hedged, false) THEN 'hedged' ELSE 'plain' END AS claim"


def chart_data(frame: pl.DataFrame) -> alt.Data:
    """Rows inlined into the spec (no pandas): dates as ISO strings, lists joined."""
    rows = flat_lists(frame).to_dicts()
    for row in rows:
        for key, value in row.items():
            if isinstance(value, (dt.date, dt.datetime)):
                row[key] = value.isoformat()
    return alt.Data(values=rows)


def counted(number: int, noun: str) -> str:
    """ "1 paper", "1,562 papers"."""
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


@dataclass(frozen=True)
class ScoreSelection:
    """The absolute results of systems on one benchmark and metric (the absolute_scores view), in the unit
    most of them use, and why the other score claims there are left out."""

    benchmark: str
    metric: str | None
    unit: str
    higher_is_better: bool
    claims: pl.DataFrame
    left_out: int  # claims in other units, or outside the metric's range in the catalog
    reasons: dict[str, int] = field(
        default_factory=dict
    )  # score_claims.left_out -> claims, for the same board

    @property
    def left_out_line(self) -> str:
        """ "left out: 12 no system, 3 relative" (the largest first), or ''."""
        parts = [f"{count:,} {reason}" for reason, count in self.reasons.items()]
        if self.left_out:
            parts.append(f"{self.left_out:,} in another unit or outside the metric's range")
        return "left out: " + ", ".join(parts) if parts else ""

    @property
    def label(self) -> str:
        metric = self.metric or "no metric named"
        return f"{self.benchmark}, {metric}" + self.unit_suffix

    @property
    def unit_suffix(self) -> str:
        """ " (ms)" after a metric's name, unless the name already says it ("% resolved")."""
        return f" ({self.unit})" if self.unit and self.unit not in (self.metric or "") else ""


_BENCHMARK_MATCH = (
    "(lower(benchmark) = lower($benchmark) OR lower(benchmark_surface) = lower($benchmark) "
    "OR benchmark_id IN "
    "(SELECT benchmark_id FROM benchmarks "
    "WHERE list_contains(list_transform(aliases, lambda a: lower(a)), lower($benchmark))))"
)
_METRIC_MATCH = (
    "(lower(metric) = lower($metric) OR lower(metric_surface) = lower($metric) OR metric IN "
    "(SELECT name FROM metrics "
    "WHERE list_contains(list_transform(aliases, lambda a: lower(a)), lower($metric))))"
)
# A date says what its source knows: a year-only date is its year, never 1 January.
DATE_SQL = (
    "CASE published_precision WHEN 'year' THEN strftime(published, '%Y') WHEN 'month' "
    "THEN strftime(published, '%Y-%m') ELSE strftime(published, '%Y-%m-%d') END AS date"
)
_SCORE_COLUMNS = (
    f"claim_id, paper_id, title, published, coalesce(published_precision, 'day') AS precision, {DATE_SQL}, "
    f"benchmark, metric, converted_from, metric_inferred, value, unit, unit_inferred, subject, subject_kind, "
    f"qualifier, {HEDGE_SQL}, text, sentence"
)


def select_scores(kb: KB, *, benchmark: str | None, metric: str | None) -> ScoreSelection:
    """Systems' absolute results on ``benchmark`` with ``metric``; when either is omitted, the most reported
    one (preferring benchmarks the catalog knows). Raises EmptySelectionError when there are none."""
    where = ["true"]
    params: dict[str, Any] = {}
    if benchmark is not None:
        where.append(_BENCHMARK_MATCH)
        params["benchmark"] = benchmark
    if metric is not None:
        where.append(_METRIC_MATCH)
        params["metric"] = metric
    pick = kb.sql(
        "SELECT benchmark, metric, count(*) AS claims, bool_or(benchmark_id IS NOT NULL) AS known "
        f"FROM absolute_scores WHERE {' AND '.join(where)} GROUP BY benchmark, metric "
        "ORDER BY known DESC, metric IS NULL, claims DESC, benchmark, metric LIMIT 1",
        params or None,
    )
    if pick.is_empty():
        raise EmptySelectionError(_no_scores(benchmark, metric))
    chosen_benchmark, chosen_metric = pick["benchmark"][0], pick["metric"][0]
    chosen = {"benchmark": chosen_benchmark, "metric": chosen_metric}
    claims = kb.sql(
        f"SELECT {_SCORE_COLUMNS} FROM absolute_scores WHERE benchmark = $benchmark "
        "AND metric IS NOT DISTINCT FROM $metric ORDER BY published NULLS LAST, claim_id",
        chosen,
    )
    reasons = kb.sql(
        "SELECT left_out, count(*) AS claims FROM score_claims WHERE left_out IS NOT NULL "
        "AND benchmark = $benchmark AND metric IS NOT DISTINCT FROM $metric "
        "GROUP BY left_out ORDER BY claims DESC, left_out",
        chosen,
    )
    unit = claims.group_by("unit").len().sort(["len", "unit"], descending=[True, False])["unit"][0]
    kept = claims.filter(pl.col("unit") == unit)
    higher_is_better, kept = _apply_catalog_metric(kb, chosen_metric, unit, kept)
    if kept.is_empty():
        raise EmptySelectionError(
            f"all {claims.height} score claims on {chosen_benchmark!r} lie outside the "
            f"range the catalog gives for {chosen_metric!r}"
        )
    left_out = claims.height - kept.height
    return ScoreSelection(
        chosen_benchmark, chosen_metric, unit, higher_is_better, kept, left_out, dict(reasons.rows())
    )


def _no_scores(benchmark: str | None, metric: str | None) -> str:
    if benchmark is None and metric is None:
        return "no score claims on any benchmark in this knowledge base"
    where = f" on benchmark {benchmark!r}" if benchmark is not None else " on any benchmark"
    return f"no score claims{where}" + (f" with metric {metric!r}" if metric is not None else "")


def _apply_catalog_metric(
    kb: KB, metric: str | None, unit: str, claims: pl.DataFrame
) -> tuple[bool, pl.DataFrame]:
    """Whether higher is better (true unless the catalog says otherwise), and the claims inside the metric's
    range when the catalog gives one in this unit: a 450% accuracy is a misreading the audit reports, and
    would squash every real value into one corner of the chart."""
    if metric is None:
        return True, claims
    found = kb.sql(
        "SELECT higher_is_better, min_value, max_value, unit FROM metrics WHERE name = $metric LIMIT 1",
        {"metric": metric},
    )
    if found.is_empty():
        return True, claims
    row = found.row(0, named=True)
    higher = row["higher_is_better"] is not False
    if row["unit"] not in (None, unit):
        return higher, claims
    if row["min_value"] is not None:
        claims = claims.filter(pl.col("value") >= row["min_value"])
    if row["max_value"] is not None:
        claims = claims.filter(pl.col("value") <= row["max_value"])
    return higher, claims
