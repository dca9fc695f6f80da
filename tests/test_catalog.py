"""The canonical catalog: its data, its validation, and resolution of surfaces and claims against it.

Resolution cases live in ``tests/data/catalog_aliases.jsonl`` (kind, surface, expected id or null); broken
catalog files for the validation tests in ``tests/fixtures/catalog_broken/``.
"""

from __future__ import annotations

import json
import shutil
import time
import unicodedata
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchkb.catalog import Catalog, normalize_name
from benchkb.errors import BenchkbError, RuleFileError
from benchkb.models import Claim
from benchkb.resources import extractors_dir, schemas_dir

HERE = Path(__file__).resolve().parent
CASES = [
    json.loads(line) for line in (HERE / "data" / "catalog_aliases.jsonl").read_text().splitlines() if line
]
BROKEN = HERE / "fixtures" / "catalog_broken"


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.load()


def _claim(**fields) -> Claim:
    base = {
        "paper_id": "2501.00001",
        "text": "1.3x",
        "start": 0,
        "end": 4,
        "value": 1.3,
        "unit": "x",
        "kind": "ratio",
        "rule": "number+unit",
        "sentence_start": 0,
        "sentence_end": 40,
    }
    return Claim(**(base | fields))


# resolution cases
# ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[f"{c['kind']}:{c['surface']}" for c in CASES])
def test_alias_resolution(cat: Catalog, case: dict) -> None:
    assert cat.resolve_id(case["kind"], case["surface"]) == case["expected"], case.get("note")


def test_cases_cover_every_kind_and_negatives() -> None:
    kinds = {c["kind"] for c in CASES}
    assert kinds == {"benchmark", "metric", "model", "hardware", "precision"}
    assert all(any(c["expected"] is None for c in CASES if c["kind"] == kind) for kind in kinds)


def test_expected_ids_exist(cat: Catalog) -> None:
    ids = {
        "benchmark": {b.id for b in cat.benchmarks},
        "metric": {m.id for m in cat.metrics},
        "model": {m.id for m in cat.models},
        "hardware": {h.id for h in cat.hardware_entries},
        "precision": {p.name for p in cat.precisions},
    }
    missing = [c for c in CASES if c["expected"] is not None and c["expected"] not in ids[c["kind"]]]
    assert missing == []


@pytest.mark.parametrize(
    ("surface", "key"),
    [
        ("SWE-bench-lite", "swebenchlite"),
        ("SWEBench-Lite", "swebenchlite"),
        ("the SWE-bench Verified benchmark", "swebenchverified"),
        ("SWE-Bench++", "swebenchplusplus"),
        ("HumanEval+", "humanevalplus"),
        ("Llama 3 8B", "llama3-8b"),
        ("Llama-3-8B", "llama3-8b"),
        ("Llama 38B", "llama38b"),
        ("GPT-4.1", "gpt4.1"),
        ("VQA v2.0", "vqav2"),
        ("version 2", "v2"),
        ("Terminal-Bench 2.0", "terminalbench2.0"),
        ("SWE-bench-lite (300 issues)", "swebenchlite"),
        ("benchmark", "benchmark"),
        ("  'GPT-4o'. ", "gpt4o"),
    ],
)
def test_normalize_name(surface: str, key: str) -> None:
    assert normalize_name(surface) == key


NAME_PIECES = st.sampled_from(
    ["a", "B", "7", "0", ".", ". ", "-", " ", "_", "/", ":", "\u2013", "version", "Version ", "v", "+", "&"]
    + ["(x)", "é", "²"]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(NAME_PIECES, max_size=10).map("".join))
def test_names_are_keyed_as_when_every_pattern_ran(surface: str) -> None:
    """normalize_name runs each pattern only where it can match; the key is the one running all gives."""
    from benchkb.catalog import normalize

    text = unicodedata.normalize("NFKC", surface).casefold().strip()
    text = text.strip(normalize._QUOTES).rstrip(normalize._TRAILING_PUNCT).strip(normalize._QUOTES).strip()
    text = normalize._PARENTHETICAL.sub("", text) or text
    text = " ".join(normalize.unwrap_words(text.split()))
    text = text.replace("\u00d7", "x").replace("+", "plus").replace("&", " and ")
    text = normalize._VERSION_WORD.sub("v", text)
    text = normalize._VERSION_ZERO.sub(r"v\1", text)
    text = normalize._DOT.sub("", text)
    text = normalize._DIGIT_SEP.sub(normalize._KEEP, text)
    text = normalize._ANY_SEP.sub("", text).replace(normalize._KEEP, "-")
    assert normalize_name(surface) == text


def test_lookups_return_entries(cat: Catalog) -> None:
    assert cat.benchmark("SWEBench-Lite").name == "SWE-bench Lite"
    assert cat.metric("Pass@1 accuracy").unit == "%"
    assert cat.model("DeepSeek R1 671B").parameters == 671e9
    assert cat.hardware("B200 GPUs").peaks["FP8"] == 4500
    assert cat.precision("bfloat16") == "BF16"
    assert cat.benchmark(None) is None and cat.model("   ") is None
    with pytest.raises(BenchkbError):
        cat.resolve_id("subject", "GPT-4o")  # type: ignore[arg-type]


# families
# --------------------------------------------------------------------------------------------------------


def test_swe_bench_family(cat: Catalog) -> None:
    members = {b.id for b in cat.family_members("SWE-bench")}
    assert {
        "swe-bench",
        "swe-bench-lite",
        "swe-bench-verified",
        "swe-bench-multimodal",
        "swe-bench-multilingual",
    } <= members
    assert "swe-bench-pro" not in members and "swe-bench-plusplus" not in members
    assert cat.benchmark("SWE-bench Lite").family == "SWE-bench"
    assert {b.id for b in cat.family_members("SWEBench-Lite")} == members


def test_other_families(cat: Catalog) -> None:
    assert {"humaneval", "humaneval-plus", "humaneval-x"} <= {b.id for b in cat.family_members("HumanEval+")}
    assert {"imagenet", "imagenet-21k"} <= {b.id for b in cat.family_members("ImageNet-2012")}
    assert {"aime-2024", "aime-2025"} <= {b.id for b in cat.family_members("AIME")}
    assert [b.id for b in cat.family_members("PolyBench")] == ["polybench"]
    assert cat.family_members("no such benchmark") == []


def test_every_family_names_a_head_that_heads_itself(cat: Catalog) -> None:
    heads = {b.name: b for b in cat.benchmarks}
    for entry in cat.benchmarks:
        assert heads[entry.family].family == entry.family


# claims
# ----------------------------------------------------------------------------------------------------------


def test_resolve_claim_fills_ids_and_keeps_surfaces(cat: Catalog) -> None:
    claim = _claim(
        metric="speedup",
        benchmark=None,
        subject="FlashAttention-4",
        baseline="cuDNN 9.13",
        conditions=["B200", "BF16"],
    )
    resolved = cat.resolve_claim(claim)
    assert (resolved.metric_id, resolved.subject_id, resolved.baseline_id) == (
        "speedup",
        "flashattention-4",
        "cudnn",
    )
    assert (resolved.hardware_id, resolved.precision, resolved.benchmark_id) == ("b200", "BF16", None)
    assert resolved.subject_kind == "model"
    filled = {"metric_id", "subject_id", "subject_kind", "baseline_id", "hardware_id", "precision"}
    assert resolved.model_dump(exclude=filled) == claim.model_dump(exclude=filled)
    assert claim.subject_id is None  # the input is not modified


def test_resolve_claim_conditions_take_the_first_naming_one(cat: Catalog) -> None:
    claim = _claim(
        kind="score",
        unit="%",
        metric="Pass@1",
        benchmark="SWE-bench-lite",
        subject="agents",
        conditions=["unified scaffold", "2,048 A100 GPUs", "H100", "mixed precision", "bfloat16", "FP8"],
    )
    resolved = cat.resolve_claim(claim)
    # Pass@1 on SWE-bench is its resolve rate: the benchmark decides, and says so.
    assert (resolved.benchmark_id, resolved.metric_id, resolved.subject_id) == (
        "swe-bench-lite",
        "resolve-rate",
        None,
    )
    assert resolved.metric_inferred == "benchmark alias"
    assert (resolved.hardware_id, resolved.precision) == ("a100", "BF16")


def test_resolve_claims_batch_is_fast_and_cached(cat: Catalog) -> None:
    claims = [
        _claim(
            metric=f"metric {i % 50}",
            benchmark="SWE-bench Verified",
            subject="gpt-4o",
            baseline="Claude Code",
            conditions=["H100"],
        )
        for i in range(20_000)
    ]
    started = time.perf_counter()
    resolved = cat.resolve_claims(claims)
    assert time.perf_counter() - started < 5
    assert {r.benchmark_id for r in resolved} == {"swe-bench-verified"}
    assert cat.resolve_id("benchmark", "SWE-bench Verified") == "swe-bench-verified"


@pytest.mark.parametrize(
    ("benchmark", "surface", "unit", "kind", "expected"),
    [
        # what a metric's name means on a benchmark: one board for SWE-bench Verified
        ("swe-bench-verified", "resolve rate", "%", "score", ("resolve-rate", None)),
        ("swe-bench-verified", "resolution", "%", "score", ("resolve-rate", "benchmark alias")),
        ("swe-bench-verified", "% resolved", "%", "score", ("resolve-rate", None)),
        ("swe-bench-verified", "pass@1 performance", "%", "score", ("resolve-rate", "benchmark alias")),
        (
            "swe-bench-lite",
            "accuracy",
            "%",
            "score",
            ("resolve-rate", "benchmark alias"),
        ),  # the family's aliases
        (
            "swe-bench-verified",
            None,
            "%",
            "score",
            ("resolve-rate", "benchmark default"),
        ),  # a bare percentage
        (
            "swe-bench-verified",
            None,
            "USD",
            "score",
            ("cost", "benchmark default"),
        ),  # the first usual metric in its unit
        ("swe-bench-verified", None, "%", "change", (None, None)),  # a change names no metric of its own
        (
            "swe-bench-verified",
            None,
            "ms",
            "score",
            (None, None),
        ),  # no usual metric in that unit: nothing invented
        (
            "swe-bench-verified",
            "first time",
            "%",
            "score",
            (None, None),
        ),  # a named non-metric stays unresolved
        ("imagenet", "accuracy", "%", "score", ("top-1-accuracy", "benchmark alias")),
        ("imagenet", "error", "%", "score", (None, None)),  # "error" alone may be top-5: no alias
        (
            "imagenet",
            "top-5 accuracy",
            "%",
            "score",
            ("top-5-accuracy", None),
        ),  # a named metric is no alias's
        ("imagenet", "top-5 test error", "%", "score", ("top-5-error", None)),
        ("swe-bench-verified", "SOTA-level performance", "%", "score", (None, None)),
        ("humaneval", None, "%", "score", ("pass@1", "benchmark default")),
        ("mmlu", "accuracy", "%", "score", ("accuracy", None)),
        (None, "resolution", "%", "score", (None, None)),  # without a benchmark, 'resolution' is no metric
        ("humaneval", "relative performance", "%", "score", (None, None)),  # a share of another's result
        ("mmlu", "relative accuracy", "%", "score", (None, None)),
        # on MMLU an "exact match rate" is a contamination test's (guessing missing options), not its accuracy
        ("mmlu", "exact match rate", "%", "score", ("exact-match", None)),
        ("gsm8k", "exact match", "%", "score", ("accuracy", "benchmark alias")),  # GSM8K is scored by it
    ],
)
def test_metric_on_a_benchmark(cat: Catalog, benchmark, surface, unit, kind, expected) -> None:
    assert cat.metric_on(benchmark, surface, unit=unit, kind=kind) == expected


def test_find_any_kind(cat: Catalog) -> None:
    assert [(kind, entry.id) for kind, entry in cat.find("SWEBench-Lite")] == [
        ("benchmark", "swe-bench-lite")
    ]
    assert ("hardware", "a100") in [(kind, entry.id) for kind, entry in cat.find("A100")]
    assert ("precision", "BF16") in [(kind, entry.id) for kind, entry in cat.find("bfloat16")]
    assert ("model", "gpt-4o") in [(kind, entry.id) for kind, entry in cat.find("gpt-4o")]
    assert cat.find("agents") == []


def test_gazetteer(cat: Catalog) -> None:
    gazetteer = cat.gazetteer()
    assert set(gazetteer) == {"benchmark", "metric", "model", "hardware", "precision"}
    assert {"SWE-bench Verified", "SWE-Bench++", "ILSVRC-2012"} <= set(gazetteer["benchmark"])
    assert {"BF16", "bfloat16"} <= set(gazetteer["precision"])
    assert all(len(surfaces) == len(set(surfaces)) for surfaces in gazetteer.values())


# data
# ------------------------------------------------------------------------------------------------------------


def test_catalog_sizes(cat: Catalog) -> None:
    assert len(cat.benchmarks) >= 300
    assert len(cat.metrics) >= 60
    assert len(cat.models) >= 150
    assert len(cat.hardware_entries) >= 20
    assert all(h.peaks and h.source for h in cat.hardware_entries)
    names = {p.name for p in cat.precisions}
    assert {"FP64", "FP32", "TF32", "BF16", "FP16", "FP8", "FP4", "INT8"} <= names
    assert all(set(h.peaks) <= names for h in cat.hardware_entries)


def test_benchmarks_span_the_areas(cat: Catalog) -> None:
    areas = {b.area for b in cat.benchmarks}
    assert {"nlp", "vision", "code", "math", "agents", "rl", "speech", "systems", "multimodal"} <= areas


@pytest.mark.parametrize(
    ("hardware", "precision", "tflops"),
    [
        ("A100", "BF16", 312),
        ("A100", "TF32", 156),
        ("A100", "FP32", 19.5),
        ("A100", "FP64", 9.7),
        ("H100 SXM", "BF16", 989.4),
        ("H100", "FP8", 1978.9),
        ("B200", "BF16", 2250),
        ("B200", "FP8", 4500),
        ("B200", "FP4", 9000),
        ("MI300X", "BF16", 1307.4),
        ("TPU v4", "BF16", 275),
    ],
)
def test_datasheet_peaks(cat: Catalog, hardware: str, precision: str, tflops: float) -> None:
    assert cat.hardware(hardware).peaks[precision] == pytest.approx(tflops)


def test_table_rows_fit_the_schema(cat: Catalog) -> None:
    con = duckdb.connect()
    con.execute((schemas_dir() / "schema.sql").read_text())
    rows = cat.table_rows()
    assert set(rows) == {"benchmarks", "metrics", "models", "hardware", "hardware_peaks"}
    for table, table_rows in rows.items():
        columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        assert all(list(row) == columns for row in table_rows), table
        con.register("rows", pa.Table.from_pylist(table_rows))
        con.execute(f"INSERT INTO {table} SELECT * FROM rows")
        con.unregister("rows")
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(table_rows)
    family = con.execute(
        "SELECT count(DISTINCT benchmark_id) FROM benchmarks WHERE family = 'SWE-bench'"
    ).fetchone()
    assert family[0] >= 4


def test_loading_is_fast() -> None:
    started = time.perf_counter()
    Catalog.load()
    assert time.perf_counter() - started < 1.0


# validation
# ------------------------------------------------------------------------------------------------------


def _problems(directory: Path) -> list[str]:
    with pytest.raises(RuleFileError) as caught:
        Catalog.load(directory)
    return caught.value.problems


def _find(problems: list[str], file: str, line: int, text: str) -> bool:
    return any(p.startswith(f"{BROKEN / file}:{line}: ") and text in p for p in problems)


@pytest.mark.parametrize(
    ("file", "line", "text"),
    [
        ("benchmarks.jsonl", 2, "invalid JSON"),
        ("benchmarks.jsonl", 3, "unknown field 'homepage'"),
        ("benchmarks.jsonl", 4, "missing field 'area'"),
        ("benchmarks.jsonl", 5, "field 'aliases'"),
        ("benchmarks.jsonl", 6, "duplicate id 'alpha'"),
        ("benchmarks.jsonl", 7, "'ALPHA 1' (key 'alpha1') is already claimed by 'alpha' at line 1"),
        ("benchmarks.jsonl", 8, "unknown metric id 'no-such-metric'"),
        ("benchmarks.jsonl", 9, "family 'Gamma Family' names no benchmark"),
        ("benchmarks.jsonl", 10, "did you mean 'Alpha'?"),
        ("benchmarks.jsonl", 11, "a family head must be its own family"),
        ("benchmarks.jsonl", 12, "unknown metric id 'no-such-alias-metric'"),
        ("metrics.jsonl", 2, "min 100.0 is greater than max 0.0"),
        ("metrics.jsonl", 4, "complement_of 'no-such-metric' is not a metric id"),
        ("metrics.jsonl", 5, "complement_of 'acc' needs both metrics to have the same finite range"),
        ("metrics.jsonl", 3, "field 'higher_is_better'"),
        ("models.jsonl", 1, "alias 'gpt4o' equals 'GPT-4o' after normalisation"),
        ("models.jsonl", 2, "field 'id'"),
        ("models.jsonl", 2, "field 'parameters'"),
        ("hardware.jsonl", 1, "peak precision 'bf16' is not a precision name"),
        ("hardware.jsonl", 2, "field 'peaks'"),
        ("hardware.jsonl", 2, "missing field 'source'"),
        ("precisions.jsonl", 2, "expected a JSON object"),
    ],
)
def test_broken_catalog_problem(file: str, line: int, text: str) -> None:
    problems = _problems(BROKEN)
    assert _find(problems, file, line, text), "\n".join(problems)


def test_broken_catalog_reports_everything_at_once() -> None:
    problems = _problems(BROKEN)
    assert len(problems) >= 22
    files = {p.split(":", 1)[0] for p in problems}
    assert files == {
        str(BROKEN / f)
        for f in ("benchmarks.jsonl", "metrics.jsonl", "models.jsonl", "hardware.jsonl", "precisions.jsonl")
    }
    assert all(p.split(":")[1].isdigit() for p in problems)


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    for name in ("benchmarks.jsonl", "metrics.jsonl", "models.jsonl", "precisions.jsonl"):
        shutil.copy(extractors_dir() / "catalog" / name, tmp_path / name)
    problems = _problems(tmp_path)
    assert problems == [
        f"{tmp_path / 'hardware.jsonl'}:0: file is missing (the catalog needs benchmarks.jsonl, "
        "metrics.jsonl, models.jsonl, hardware.jsonl, precisions.jsonl)"
    ]


def test_load_accepts_a_directory_argument(tmp_path: Path) -> None:
    for name in ("benchmarks.jsonl", "metrics.jsonl", "models.jsonl", "hardware.jsonl", "precisions.jsonl"):
        shutil.copy(extractors_dir() / "catalog" / name, tmp_path / name)
    with (tmp_path / "models.jsonl").open("a") as handle:
        handle.write(
            "\n"
            + json.dumps(
                {
                    "id": "my-model",
                    "name": "My Model",
                    "aliases": [],
                    "organization": None,
                    "parameters": None,
                }
            )
            + "\n"
        )
    assert Catalog.load(str(tmp_path)).model("my model").id == "my-model"


# benchmark names without the catalog (what `benchkb papers` reads) -----------------------------------------

_PHRASES = [
    "SWE-bench Verified subset",
    "HumanEval, MBPP, and TransCoder",
    "swebench lite",
    "the ImageNet validation set",
    "math",
    "no such benchmark",
    "",
    "   ",
]


def test_benchmark_names_answer_as_the_catalog(cat: Catalog) -> None:
    from benchkb.catalog.benchmark_names import BenchmarkNames

    names = BenchmarkNames.load()
    assert isinstance(names, BenchmarkNames)
    surfaces = [s for b in cat.benchmarks for s in (b.id, *b.surfaces(), b.name.upper())] + _PHRASES
    surfaces += [case["surface"] for case in CASES if case["kind"] == "benchmark"]

    def answers(source, surface):
        entry = source.benchmark(surface)
        members = [(m.id, m.name, m.family) for m in source.family_members(surface)]
        return (entry and (entry.id, entry.name, entry.family)), members

    assert [answers(names, s) for s in surfaces] == [answers(cat, s) for s in surfaces]


def test_benchmark_names_of_a_broken_file_are_the_catalogs_errors() -> None:
    from benchkb.catalog.benchmark_names import BenchmarkNames

    with pytest.raises(RuleFileError) as raised:
        BenchmarkNames.load(BROKEN)
    assert "is already claimed by 'alpha'" in str(raised.value)
