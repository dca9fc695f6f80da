"""Reports as data: each chart's Vega-Lite spec (encodings, scales, filters), the selections behind it, empty
selections, the files a run writes, and that the HTML needs no network.

The knowledge base is built by hand (a dozen papers and their claims, with its own small catalog) so that
every count below can be checked against the table in ``PAPERS`` and ``CLAIMS``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from benchkb.catalog.systems import subject_kind
from benchkb.errors import EmptySelectionError, NotFoundError
from benchkb.kb import KB
from benchkb.models import Claim, Finding, Paper
from benchkb.reporting import (
    Report,
    available_reports,
    build_report,
    chart_spec,
    find_report,
    render,
    run_reports,
    write_reports,
)
from benchkb.store import Store

# paper id -> (date, title)
PAPERS = {
    "2403.00001": (dt.date(2024, 3, 1), "Agentless: Demystifying LLM-based Software Engineering Agents"),
    "2406.00002": (dt.date(2024, 6, 10), "OpenHands: An Open Platform for AI Software Developers"),
    "2409.00003": (dt.date(2024, 9, 20), "SWE-Agent Revisited"),
    "2412.00004": (dt.date(2024, 12, 1), "A Study of GPT-4o on Repository-Level Coding"),
    "2502.00005": (dt.date(2025, 2, 15), "Scaling Test-Time Compute for Software Agents"),
    "2505.00006": (dt.date(2025, 5, 1), "CodeAct 2: Executable Actions for Agents"),
    "2401.00007": (dt.date(2024, 1, 5), "A Noisy Abstract With Odd Numbers"),
    "2404.00008": (dt.date(2024, 4, 2), "Llama 3 Evaluated"),
    "2407.00009": (dt.date(2024, 7, 7), "Serving Large Models Faster"),
    "2402.00010": (dt.date(2024, 2, 14), "FlashAttention-3: Fast Attention on Hopper"),
    "2408.00011": (dt.date(2024, 8, 30), "Fused Kernels for Transformer Inference"),
    "2501.00012": (dt.date(2025, 1, 20), "Compiling PyTorch Programs"),
}

# (paper, sentence, mention, value, kind, unit, fields)
CLAIMS = [
    (
        "2403.00001",
        "Agentless resolves 27.3% of SWE-bench Verified issues.",
        "27.3%",
        27.3,
        "score",
        "%",
        {"benchmark": "SWE-bench Verified", "metric": "resolve rate", "subject": "Agentless"},
    ),
    ("2403.00001", "We train on 8 H100 GPUs.", "8", 8, "setup", "", {"conditions": ["H100"]}),
    (
        "2406.00002",
        "With Claude 3.5 Sonnet it resolves 41.2% on SWE-bench Verified.",
        "41.2%",
        41.2,
        "score",
        "%",
        {"benchmark": "SWE-bench Verified", "metric": "resolve rate", "subject": "Claude 3.5 Sonnet"},
    ),
    (
        "2409.00003",
        "Our agent reaches up to 49.0% on SWE-bench Verified.",
        "49.0%",
        49.0,
        "score",
        "%",
        {
            "benchmark": "SWE-bench Verified",
            "metric": "resolve rate",
            "subject": "SWE-agent",
            "qualifier": "up to",
        },
    ),
    (
        "2412.00004",
        "GPT-4o resolves 33.2% on SWE-bench Verified.",
        "33.2%",
        33.2,
        "score",
        "%",
        {"benchmark": "SWE-bench Verified", "metric": "resolve rate", "subject": "GPT-4o"},
    ),
    (
        "2502.00005",
        "Claude 3.5 Sonnet reaches 50.8% on SWE-bench Verified.",
        "50.8%",
        50.8,
        "score",
        "%",
        {"benchmark": "SWE-bench Verified", "metric": "resolve rate", "subject": "Claude 3.5 Sonnet"},
    ),
    (
        "2505.00006",
        "CodeAct resolves more than 55% of SWE-bench Verified.",
        "55%",
        55.0,
        "score",
        "%",
        {
            "benchmark": "SWE-bench Verified",
            "metric": "resolve rate",
            "subject": "CodeAct",
            "qualifier": "more than",
        },
    ),
    (
        "2505.00006",
        "GPT-4o reaches 38.4% on SWE-bench Verified in our harness.",
        "38.4%",
        38.4,
        "score",
        "%",
        {"benchmark": "SWE-bench Verified", "metric": "resolve rate", "subject": "GPT-4o"},
    ),
    # left out of the leaderboard: another unit, and a value outside the metric's range (a misreading)
    (
        "2401.00007",
        "The resolve rate on SWE-bench Verified is 0.42.",
        "0.42",
        0.42,
        "score",
        "",
        {"benchmark": "SWE-bench Verified", "metric": "resolve rate"},
    ),
    (
        "2401.00007",
        "It resolves 312% of SWE-bench Verified issues.",
        "312%",
        312.0,
        "score",
        "%",
        {"benchmark": "SWE-bench Verified", "metric": "resolve rate"},
    ),
    (
        "2404.00008",
        "Llama 3 70B scores 79.5% accuracy on MMLU.",
        "79.5%",
        79.5,
        "score",
        "%",
        {"benchmark": "MMLU", "metric": "accuracy", "subject": "Llama 3 70B"},
    ),
    (
        "2412.00004",
        "GPT-4o scores 88.7% accuracy on MMLU.",
        "88.7%",
        88.7,
        "score",
        "%",
        {"benchmark": "MMLU", "metric": "accuracy", "subject": "GPT-4o"},
    ),
    (
        "2404.00008",
        "It improves MMLU by 5.2 points over Llama 2.",
        "5.2 points",
        5.2,
        "change",
        "pp",
        {
            "benchmark": "MMLU",
            "metric": "accuracy",
            "subject": "Llama 3 70B",
            "baseline": "Llama 2",
            "direction": "increase",
        },
    ),
    # lower is better: latency on MLPerf
    (
        "2402.00010",
        "Latency on MLPerf Inference is 12.5 ms.",
        "12.5 ms",
        12.5,
        "score",
        "ms",
        {"benchmark": "MLPerf Inference", "metric": "latency", "subject": "FlashAttention-3"},
    ),
    (
        "2408.00011",
        "Our kernels reach a latency of 9.1 ms on MLPerf Inference.",
        "9.1 ms",
        9.1,
        "score",
        "ms",
        {"benchmark": "MLPerf Inference", "metric": "latency", "subject": "FusedKernels"},
    ),
    (
        "2501.00012",
        "The compiled model has 10.3 ms latency on MLPerf Inference.",
        "10.3 ms",
        10.3,
        "score",
        "ms",
        {"benchmark": "MLPerf Inference", "metric": "latency", "subject": "TorchInductor"},
    ),
    # factors
    (
        "2402.00010",
        "FlashAttention-3 is 1.5x faster than FlashAttention-2 on H100 in FP8.",
        "1.5x",
        1.5,
        "ratio",
        "x",
        {
            "subject": "FlashAttention-3",
            "baseline": "FlashAttention-2",
            "direction": "increase",
            "conditions": ["H100", "FP8"],
        },
    ),
    (
        "2408.00011",
        "Our kernels are up to 2.3x faster than FlashAttention-2.",
        "2.3x",
        2.3,
        "ratio",
        "x",
        {
            "subject": "our kernels",
            "baseline": "FlashAttention-2",
            "direction": "increase",
            "qualifier": "up to",
        },
    ),
    (
        "2408.00011",
        "They run 3.1x faster than cuDNN on A100.",
        "3.1x",
        3.1,
        "ratio",
        "x",
        {"subject": "our kernels", "baseline": "cuDNN", "direction": "increase", "conditions": ["A100"]},
    ),
    (
        "2501.00012",
        "Compilation gives up to 12x speedup over PyTorch eager.",
        "12x",
        12.0,
        "ratio",
        "x",
        {"baseline": "PyTorch eager", "direction": "increase", "qualifier": "up to"},
    ),
    (
        "2501.00012",
        "It uses 0.8x the memory of PyTorch eager.",
        "0.8x",
        0.8,
        "ratio",
        "x",
        {"baseline": "PyTorch eager", "direction": "decrease"},
    ),
    (
        "2407.00009",
        "Serving is 4x faster than vLLM.",
        "4x",
        4.0,
        "ratio",
        "x",
        {"subject": "our server", "baseline": "vLLM", "direction": "increase"},
    ),
    ("2407.00009", "Batching alone is 2x faster.", "2x", 2.0, "ratio", "x", {"direction": "increase"}),
]

SWE_VERIFIED_SHOWN = 7  # score claims in % within 0-100 on SWE-bench Verified
SWE_VERIFIED_HEDGED = 2
SPEEDUPS_SHOWN = 6  # ratio claims that name a baseline

CATALOG = {
    "benchmarks": [
        {
            "benchmark_id": "swe-bench-verified",
            "name": "SWE-bench Verified",
            "family": "SWE-bench",
            "area": "code",
            "aliases": ["SWE-Bench-Verified"],
            "metrics": ["resolve-rate"],
            "url": None,
        },
        {
            "benchmark_id": "mmlu",
            "name": "MMLU",
            "family": "MMLU",
            "area": "knowledge",
            "aliases": [],
            "metrics": ["accuracy"],
            "url": None,
        },
        {
            "benchmark_id": "mlperf-inference",
            "name": "MLPerf Inference",
            "family": "MLPerf",
            "area": "systems",
            "aliases": [],
            "metrics": ["latency"],
            "url": None,
        },
    ],
    "metrics": [
        {
            "metric_id": "resolve-rate",
            "name": "% resolved",
            "aliases": ["resolve rate"],
            "unit": "%",
            "higher_is_better": True,
            "min_value": 0.0,
            "max_value": 100.0,
        },
        {
            "metric_id": "accuracy",
            "name": "accuracy",
            "aliases": ["acc"],
            "unit": "%",
            "higher_is_better": True,
            "min_value": 0.0,
            "max_value": 100.0,
        },
        {
            "metric_id": "latency",
            "name": "latency",
            "aliases": [],
            "unit": None,
            "higher_is_better": False,
            "min_value": 0.0,
            "max_value": None,
        },
    ],
}
IDS = {
    "benchmark": {
        "SWE-bench Verified": "swe-bench-verified",
        "MMLU": "mmlu",
        "MLPerf Inference": "mlperf-inference",
    },
    "metric": {"resolve rate": "resolve-rate", "accuracy": "accuracy", "latency": "latency"},
}

FINDINGS = [
    Finding(
        rule="range",
        severity="error",
        message="312% is outside 0-100 for % resolved",
        claim_ids=["2401.00007#x"],
        paper_ids=["2401.00007"],
    ),
    Finding(
        rule="hedge",
        severity="warning",
        message="'up to 12x' is the paper's headline",
        claim_ids=["2501.00012#a"],
        paper_ids=["2501.00012"],
    ),
    Finding(
        rule="hedge",
        severity="info",
        message="'up to 2.3x' is hedged",
        claim_ids=["2408.00011#b"],
        paper_ids=["2408.00011"],
    ),
    Finding(
        rule="hedge",
        severity="warning",
        message="'more than 55%' is hedged",
        claim_ids=["2505.00006#c"],
        paper_ids=["2505.00006"],
    ),
]


def make_kb(path: Path, *, findings: bool = True) -> Path:
    """Write the papers, claims, catalog and (optionally) findings above into a new knowledge base."""
    sentences: dict[str, list[str]] = {paper_id: [] for paper_id in PAPERS}
    for paper_id, sentence, *_ in CLAIMS:
        if sentence not in sentences[paper_id]:
            sentences[paper_id].append(sentence)
    abstracts = {paper_id: " ".join(parts) or "No numbers here." for paper_id, parts in sentences.items()}
    papers = [
        Paper(
            paper_id=paper_id,
            title=title,
            abstract=abstracts[paper_id],
            published=date,
            source_format="jsonl",
        )
        for paper_id, (date, title) in PAPERS.items()
    ]
    claims = [_claim(abstracts[row[0]], *row) for row in CLAIMS]
    with Store(path) as store:
        store.replace_catalog(CATALOG)
        store.write(papers, claims, extracted=True)
        if findings:
            store.replace_findings(FINDINGS, rules=["range", "hedge"])
    return path


def _claim(
    abstract: str,
    paper_id: str,
    sentence: str,
    mention: str,
    value: float,
    kind: str,
    unit: str,
    fields: dict,
) -> Claim:
    sentence_start = abstract.index(sentence)
    start = sentence_start + sentence.index(mention)
    ids = {f"{column}_id": IDS[column].get(fields.get(column)) for column in IDS}
    kind_of_subject = subject_kind(
        fields.get("subject"),
        model_id=None,
        benchmark=fields.get("benchmark"),
        resolves=lambda kind, surface: False,
    )
    return Claim(
        paper_id=paper_id,
        text=mention,
        start=start,
        end=start + len(mention),
        value=value,
        unit=unit,
        kind=kind,
        rule="test",
        sentence_start=sentence_start,
        sentence_end=sentence_start + len(sentence),
        subject_kind=kind_of_subject,
        **fields,
        **ids,
    )


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    path = make_kb(tmp_path_factory.mktemp("reports") / "kb.duckdb")
    with KB(path) as opened:
        yield opened


@pytest.fixture(scope="module")
def empty_kb(tmp_path_factory):
    path = tmp_path_factory.mktemp("empty") / "kb.duckdb"
    Store(path).close()
    with KB(path) as opened:
        yield opened


def build(kb: KB, name: str, **selection) -> Report:
    return build_report(kb, find_report(name), **selection)


def layers(spec: dict) -> list[dict]:
    """Every unit spec in a (possibly layered or concatenated) spec."""
    if "mark" in spec:
        return [spec]
    children = spec.get("layer", []) + spec.get("vconcat", []) + spec.get("hconcat", [])
    return [unit for child in children for unit in layers(child)]


def marked(spec: dict, mark: str) -> dict:
    found = [
        unit
        for unit in layers(spec)
        if (unit["mark"] if isinstance(unit["mark"], str) else unit["mark"]["type"]) == mark
    ]
    assert len(found) == 1, f"expected one {mark} layer, found {len(found)}"
    return found[0]


# finding reports --------------------------------------------------------------------------------------------


def test_every_report_script_is_found_with_its_metadata():
    scripts = available_reports()
    assert list(scripts) == ["audit", "leaderboard", "overview", "progress", "speedups"]
    for name, script in scripts.items():
        assert script.NAME == name and script.TITLE and script.DESCRIPTION
        assert set(script.NEEDS) <= {"benchmark", "metric"}


def test_an_unknown_report_names_the_known_ones():
    with pytest.raises(NotFoundError, match="leaderboard"):
        find_report("leaderbord")


# leaderboard ------------------------------------------------------------------------------------------------


def test_leaderboard_defaults_to_the_most_reported_benchmark_and_metric(kb):
    report = build(kb, "leaderboard")
    assert report.title == "Leaderboard: SWE-bench Verified, % resolved"
    spec = report.chart.to_dict()
    assert len(spec["data"]["values"]) == SWE_VERIFIED_SHOWN  # one mark per claim; 0.42 and 312% are left out
    assert "left out: 1 out of range, 1 unit" in report.description  # 0.42 and 312%, with their reasons


def test_leaderboard_encodes_one_mark_per_claim_by_system_coloured_by_who_claims_it(kb):
    spec = build(kb, "leaderboard", benchmark="swe-bench-verified", metric="resolve rate").chart.to_dict()
    assert spec["mark"]["type"] == "point"
    encoding = spec["encoding"]
    assert encoding["x"]["field"] == "value" and encoding["x"]["scale"]["zero"] is False
    low, high = encoding["x"]["scale"]["domain"]  # the systems' best values, 27.3 to 55, with a margin
    assert 25 < low < 27.3 and 55 < high < 58
    assert encoding["y"]["field"] == "system"
    # best claimed value first (higher is better for % resolved)
    assert encoding["y"]["sort"][:3] == ["CodeAct", "Claude 3.5 Sonnet", "SWE-agent"]
    assert encoding["color"]["field"] == "claimed_by"
    claimed = {(row["system"], row["claimed_by"]) for row in spec["data"]["values"]}
    assert ("CodeAct", "its own paper") in claimed and ("GPT-4o", "another paper") in claimed
    assert {"sentence", "title", "date"} <= {item["field"] for item in encoding["tooltip"]}


def test_leaderboard_colours_a_system_its_own_papers_when_the_title_names_it():
    import polars as pl

    own_paper = find_report("leaderboard").own_paper
    frame = pl.DataFrame(
        {
            "title": [
                "DaViT: Dual Attention",
                "Guarded Repair for Harm-Aware Repair",
                "Notes on Scaling",
                "A Study",
            ],
            "subject": ["DaViT-Giant", "GuardedRepair", "NoT", "GPT-4o"],
        }
    )
    found = frame.select(own_paper(pl.col("title"), pl.col("subject"))).to_series().to_list()
    # "NoT" is no word of "Notes on Scaling", and too short to be looked for with the spaces gone
    assert found == [True, True, False, False]


def test_leaderboard_marks_hedged_claims_apart(kb):
    spec = build(kb, "leaderboard").chart.to_dict()
    shape = spec["encoding"]["shape"]
    assert shape["field"] == "claim"
    assert shape["scale"] == {"domain": ["plain", "hedged"], "range": ["circle", "triangle-right"]}
    hedged = [row for row in spec["data"]["values"] if row["claim"] == "hedged"]
    assert sorted(row["qualifier"] for row in hedged) == ["more than", "up to"]
    assert len(hedged) == SWE_VERIFIED_HEDGED


def test_leaderboard_table_has_the_best_claim_per_system(kb):
    table = build(kb, "leaderboard").table
    claude = table.filter(pl.col("system") == "Claude 3.5 Sonnet").row(0, named=True)
    assert claude["best"] == 50.8 and claude["claims"] == 2
    assert table["system"][0] == "CodeAct"


def test_leaderboard_finds_a_benchmark_by_alias_and_another_metric(kb):
    report = build(kb, "leaderboard", benchmark="mmlu", metric="acc")
    assert report.title.startswith("Leaderboard: MMLU, accuracy")
    assert len(report.chart.to_dict()["data"]["values"]) == 2


def test_an_empty_selection_says_what_was_asked(kb):
    asked = "no score claims on benchmark 'HumanEval' with metric 'pass@1'"
    with pytest.raises(EmptySelectionError, match=asked):
        build(kb, "leaderboard", benchmark="HumanEval", metric="pass@1")


# progress ---------------------------------------------------------------------------------------------------


def test_progress_draws_claims_and_a_step_line_of_the_best_so_far(kb):
    spec = build(kb, "progress").chart.to_dict()
    line = marked(spec, "line")
    assert line["mark"]["interpolate"] == "step-after"
    assert [row["value"] for row in line["data"]["values"]] == [27.3, 41.2, 49.0, 49.0, 50.8, 55.0]
    points = marked(spec, "point")
    assert len(points["data"]["values"]) == SWE_VERIFIED_SHOWN
    assert points["encoding"]["x"]["field"] == "start" and points["encoding"]["x"]["type"] == "temporal"
    assert points["encoding"]["shape"]["field"] == "claim"


def test_progress_draws_a_year_only_date_as_its_year(tmp_path):
    path = make_kb(tmp_path / "kb.duckdb", findings=False)
    with Store(path) as store:  # Agentless known only by its year, as a venue record dates a paper
        store.con.execute(
            "UPDATE papers SET published_precision = 'year', published = DATE '2024-01-01' "
            "WHERE paper_id = '2403.00001'"
        )
    with KB(path) as kb:
        spec = build(kb, "progress").chart.to_dict()
    spans = marked(spec, "rule")["data"]["values"]
    assert [(row["start"], row["end"], row["date"]) for row in spans] == [
        ("2024-01-01", "2024-12-31", "2024")
    ]
    assert all(row["precision"] == "day" for row in marked(spec, "point")["data"]["values"])
    # the best-so-far line counts it from the end of its year, not from 1 January
    line = marked(spec, "line")["data"]["values"]
    assert {"date": "2024-12-31", "value": 49.0} in line and line[0]["date"] != "2024-01-01"


def test_progress_follows_the_catalog_when_lower_is_better(kb):
    report = build(kb, "progress", benchmark="MLPerf Inference")
    line = marked(report.chart.to_dict(), "line")
    assert [row["value"] for row in line["data"]["values"]] == [12.5, 9.1, 9.1]
    assert "lower is better" in marked(report.chart.to_dict(), "point")["encoding"]["y"]["title"]
    assert report.table["best"].to_list() == [12.5, 9.1]  # the dates that set a record


# speedups ---------------------------------------------------------------------------------------------------


def test_speedups_are_on_a_log_scale_by_baseline_one_panel_per_measure(kb):
    report = build(kb, "speedups")
    spec = report.chart.to_dict()
    panels = {panel["title"]["text"].split(" ")[0]: panel for panel in spec["vconcat"]}
    assert list(panels) == [
        "speed",
        "memory",
    ]  # '0.8x the memory' is no speedup; no factor here measures cost
    speed, memory = (marked(panels[name], "point") for name in ("speed", "memory"))
    assert speed["encoding"]["x"]["scale"]["type"] == "log"
    assert speed["encoding"]["y"]["field"] == "baseline"
    assert speed["encoding"]["y"]["sort"][:2] == ["FlashAttention-2", "PyTorch eager"]
    # the factor without a baseline is not drawn
    assert len(speed["data"]["values"]) + len(memory["data"]["values"]) == SPEEDUPS_SHOWN
    assert [row["value"] for row in memory["data"]["values"]] == [0.8]
    ticks = speed["encoding"]["x"]["axis"]["values"]
    assert {0.5, 1, 2, 5, 10} <= set(ticks) and min(ticks) < 0.8  # the axis reads below 1x too
    assert speed["encoding"]["shape"]["field"] == "claim"
    tooltip = {item["field"] for item in speed["encoding"]["tooltip"]}
    assert {"subject", "conditions", "sentence"} <= tooltip
    flash = next(row for row in speed["data"]["values"] if row["value"] == 1.5)
    assert flash["conditions"] == "H100, FP8"
    assert marked(panels["speed"], "rule")["data"]["values"] == [{"value": 1}]


# overview and audit -----------------------------------------------------------------------------------------


def test_overview_counts_kinds_months_families_and_benchmarks(kb):
    report = build(kb, "overview")
    spec = report.chart.to_dict()
    units = layers(spec)
    assert len(units) == 4
    kinds = {row["kind"]: row["claims"] for row in units[0]["data"]["values"]}
    assert kinds == {"score": 14, "ratio": 7, "change": 1, "setup": 1}
    months = units[2]  # the fixture's papers span 17 months: one bar per month (and kind)
    assert months["encoding"]["x"]["timeUnit"] == "utcyearmonth"
    assert sum(row["claims"] for row in months["data"]["values"]) == len(CLAIMS)
    assert report.table["benchmark"].to_list()[0] == "SWE-bench Verified"


def test_audit_counts_findings_by_rule_and_severity(kb):
    report = build(kb, "audit")
    spec = report.chart.to_dict()
    bars = marked(spec, "bar")
    assert bars["encoding"]["y"]["sort"] == ["hedge", "range"]
    assert bars["encoding"]["color"]["scale"]["domain"] == ["error", "warning", "info"]
    rows = {(row["rule"], row["severity"]): row["findings"] for row in spec["data"]["values"]}
    assert rows == {("hedge", "warning"): 2, ("hedge", "info"): 1, ("range", "error"): 1}
    assert marked(spec, "text")["encoding"]["text"]["aggregate"] == "sum"  # each rule's total is written
    assert report.table.columns == ["rule", "severity", "findings", "papers", "example"]


def test_reports_on_an_empty_knowledge_base_say_why(empty_kb):
    for name, message in [
        ("audit", "no audit findings yet: run `benchkb audit`"),
        ("overview", "no claims in this knowledge base"),
        ("speedups", "no speedup claims"),
        ("leaderboard", "no score claims on any benchmark"),
        ("progress", "no score claims on any benchmark"),
    ]:
        with pytest.raises(EmptySelectionError, match=re.escape(message)):
            build(empty_kb, name)


# writing ----------------------------------------------------------------------------------------------------


def test_a_run_writes_every_report_and_an_index_linking_them(kb, tmp_path):
    written = write_reports(kb, tmp_path)
    assert sorted(path.name for path in written) == [f"{name}.html" for name in sorted(available_reports())]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    for path in written:
        assert f'href="{path.name}"' in index


def test_an_empty_report_is_listed_in_the_index_with_its_message(empty_kb, tmp_path):
    outcomes = run_reports(empty_kb, tmp_path, names=["audit", "overview"])
    assert [outcome.path for outcome in outcomes] == [None, None]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "no audit findings yet: run `benchkb audit`" in index
    assert not list(tmp_path.glob("audit.*"))


def test_html_is_self_contained(kb, tmp_path):
    path = render(build(kb, "speedups"), tmp_path / "speedups.html", "html")
    page = path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc=", page), "no script is loaded from anywhere"
    assert not re.search(r"<link[^>]*\bhref=\"?https?:", page)
    assert "vegaEmbed(" in page and "window.vegaEmbed" in page  # vega-embed is inlined
    assert '"renderer": "svg"' in page


def test_sentences_cannot_break_out_of_the_page_script(kb, tmp_path):
    report = build(kb, "overview")
    evil = Report(name="x", title="x", chart=report.chart.properties(description="</script><b>"))
    page = render(evil, tmp_path / "x.html", "html").read_text(encoding="utf-8")
    assert "</script><b>" not in page


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("svg", b"<svg")])
def test_png_and_svg_are_rendered_with_a_csv_of_the_table(kb, tmp_path, fmt, magic):
    written = write_reports(kb, tmp_path, names=["leaderboard"], fmt=fmt)
    assert written == [tmp_path / f"leaderboard.{fmt}"]
    assert written[0].read_bytes()[:4].startswith(magic[:4])
    assert (tmp_path / "leaderboard.csv").exists()
    assert 'src="leaderboard.' in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_the_house_style_is_applied_when_rendering(kb):
    spec = chart_spec(build(kb, "audit").chart)
    assert spec["config"]["axis"]["labelLimit"] == 260


# command line -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli():
    import typer
    from typer.testing import CliRunner

    from benchkb.cli import report

    app = typer.Typer()
    app.command("report")(report.report)
    app.command("unused")(lambda: None)  # with two commands typer keeps the name "report" on the command line
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["report", *args])


def test_cli_lists_the_reports(cli):
    result = cli("--list")
    assert result.exit_code == 0
    for name in available_reports():
        assert name in result.output


def test_cli_writes_all_reports_and_says_which_were_not_drawn(cli, kb, tmp_path):
    db = str(kb.store.path)
    result = cli("all", "--db", db, "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "index.html").exists() and (tmp_path / "leaderboard.html").exists()
    result = cli(
        "leaderboard", "--db", db, "--out", str(tmp_path / "png"), "--format", "png", "--benchmark", "MMLU"
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "png" / "leaderboard.png").exists()


def test_cli_turns_an_empty_selection_into_one_error_line(cli, kb, tmp_path):
    result = cli("progress", "--db", str(kb.store.path), "--out", str(tmp_path), "--benchmark", "HumanEval")
    assert result.exit_code == 1
    assert "no score claims on benchmark 'HumanEval'" in result.output
    result = cli("nope", "--db", str(kb.store.path), "--out", str(tmp_path))
    assert result.exit_code == 1 and "no report named 'nope'" in result.output
    result = cli("speedups", "--db", str(kb.store.path), "--out", str(tmp_path), "--metric", "latency")
    assert result.exit_code == 1 and "the speedups report takes no --metric" in result.output
