"""The audit rules, each with a firing and a non-firing case (tests/data/audit_cases.jsonl), on small
abstracts written for the test, extracted with the real extractor and catalog; plus the seed page, idempotence
and the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchkb.audit import RULES, collect_findings, run_audit, select_rules
from benchkb.errors import BenchkbError, NotFoundError
from benchkb.models import Claim, Finding, Paper
from benchkb.store import Store

DATA = Path(__file__).parent / "data"
SEED_PAGE = Path(__file__).resolve().parents[1] / "examples" / "hf-daily-papers.txt"
CASES = [
    json.loads(line)
    for line in (DATA / "audit_cases.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def build_store(path: Path, annotator, papers: list[dict[str, Any]]) -> Store:
    """A knowledge base of ``papers`` (id, title, abstract, published?, claims?): extracted, or with the
    hand-built claims given, resolved against the catalog, with the catalog tables copied in."""
    built, claims = [], []
    for spec in papers:
        paper = Paper(
            paper_id=spec["id"],
            title=spec["title"],
            abstract=spec["abstract"],
            published=spec.get("published"),
            source_format="test",
        )
        built.append(paper)
        if "claims" in spec:
            hand = [
                Claim(
                    paper_id=paper.paper_id,
                    rule="hand",
                    sentence_start=0,
                    sentence_end=len(paper.abstract),
                    **claim,
                )
                for claim in spec["claims"]
            ]
            claims += annotator.catalog.resolve_claims(hand)
        else:
            claims += annotator.claims(paper)
    store = Store(path)
    store.write(built, claims, extracted=True)
    store.replace_catalog(annotator.catalog.table_rows())
    return store


def describe(findings: list[Finding]) -> str:
    return "\n".join(f"  {f.severity}: {f.message}" for f in findings) or "  (none)"


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_rule_case(case, annotator, tmp_path):
    with build_store(tmp_path / "kb.duckdb", annotator, case["papers"]) as store:
        findings, summary = collect_findings(store, rules=[case["rule"]])
    assert summary.rules == [case["rule"]]
    assert len(findings) == len(case["expect"]), f"{case['id']} gave:\n{describe(findings)}"
    for found, expected in zip(findings, case["expect"]):
        assert found.rule == case["rule"]
        assert found.severity == expected["severity"], describe([found])
        missing = [part for part in expected["contains"] if part not in found.message]
        assert not missing, f"{missing} not in: {found.message}"
        assert found.evidence, "every finding carries its inputs and computed values"
        assert found.suspect in ({None} if found.severity == "info" else {"paper", "extraction"})
    if "suspect" in case:
        assert [found.suspect for found in findings] == case["suspect"]


def test_every_rule_has_a_firing_and_a_quiet_case():
    fires = {case["rule"] for case in CASES if case["expect"]}
    quiet = {
        case["rule"]
        for case in CASES
        if not case["expect"] or all(e["severity"] == "info" for e in case["expect"])
    }
    cased = set(RULES) - {"reference"}  # reference needs a leaderboard file: see test_audit_reference.py
    assert cased <= fires, f"no firing case for {cased - fires}"
    assert cased <= quiet, f"no non-firing case for {cased - quiet}"


# the seed page
# ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_findings(annotator, tmp_path_factory):
    from benchkb.ingest import IngestSettings, ingest_file
    from benchkb.sources import ReadOptions

    path = tmp_path_factory.mktemp("seed") / "kb.duckdb"
    with Store(path) as store:
        store.replace_catalog(annotator.catalog.table_rows())
        ingest_file(store, SEED_PAGE, IngestSettings(read=ReadOptions(year=2026), workers=1), annotator)
        run_audit(store)
        return store.query(
            "SELECT f.*, p.title FROM findings f, unnest(f.paper_ids) AS u(paper_id) "
            "JOIN papers p ON p.paper_id = u.paper_id ORDER BY finding_id"
        )


def _about(findings, rule: str, title: str) -> list[dict[str, Any]]:
    return [row for row in findings.iter_rows(named=True) if row["rule"] == rule and title in row["title"]]


def test_seed_flashattention4_utilization_is_consistent(seed_findings):
    [found] = _about(seed_findings, "peak-utilization", "FlashAttention-4")
    assert found["severity"] == "info"
    assert "1613/0.71 = 2272 TFLOP/s" in found["message"]
    assert "B200 BF16" in found["message"] and "2250 TFLOP/s" in found["message"]
    assert "consistent within" in found["message"] and "not consistent" not in found["message"]


def test_seed_megatron_utilization_matches_a100(seed_findings):
    [found] = _about(seed_findings, "peak-utilization", "Megatron-LM")
    assert found["severity"] == "info"
    assert "502000/3072 = 163.4 TFLOP/s per device" in found["message"]
    assert "names no accelerator" in found["message"] and "A100 BF16 (312 TFLOP/s" in found["message"]
    evidence = json.loads(found["evidence"])
    assert evidence["hardware_source"] == "none"
    assert abs(evidence["implied_peak_tflops"] - 314.25) < 0.1


def test_seed_swe_agi_fraction_is_consistent(seed_findings):
    found = _about(seed_findings, "count-percent", "SWE-AGI")
    by_fraction = {json.loads(row["evidence"])["fraction_text"]: row for row in found}
    row = next(row for text, row in by_fraction.items() if text.startswith("19/22"))
    assert row["severity"] == "info"
    assert "19/22 = 86.36%, consistent with the stated 86.4%" in row["message"]


def test_seed_has_no_grounding_errors(seed_findings):
    assert not [row["message"] for row in seed_findings.iter_rows(named=True) if row["rule"] == "grounding"]


# running, selecting, writing
# -------------------------------------------------------------------------------------

ALL_PAPERS = [
    paper for case in CASES if not any("claims" in p for p in case["papers"]) for paper in case["papers"]
]


def _distinct_papers() -> list[dict[str, Any]]:
    """One paper per abstract from all cases, renumbered so that ids do not collide."""
    seen: dict[str, dict[str, Any]] = {}
    for paper in ALL_PAPERS:
        seen.setdefault(paper["abstract"], {**paper, "id": f"c{len(seen) + 1}"})
    return list(seen.values())


def test_audit_is_idempotent_and_deterministic(annotator, tmp_path):
    with build_store(tmp_path / "a.duckdb", annotator, _distinct_papers()) as store:
        first = run_audit(store)
        rows_once = store.query(
            "SELECT finding_id, rule, severity, message, claim_ids, evidence FROM findings "
            "ORDER BY finding_id"
        )
        second = run_audit(store)
        rows_twice = store.query(
            "SELECT finding_id, rule, severity, message, claim_ids, evidence FROM findings "
            "ORDER BY finding_id"
        )
    assert first.counts == second.counts
    assert rows_once.equals(rows_twice)
    assert rows_twice["finding_id"].n_unique() == rows_twice.height > 0
    with build_store(tmp_path / "b.duckdb", annotator, _distinct_papers()) as other:
        run_audit(other)
        rows_elsewhere = other.query(
            "SELECT finding_id, rule, severity, message, claim_ids, evidence FROM findings "
            "ORDER BY finding_id"
        )
    assert rows_elsewhere.equals(rows_once)


def test_one_rule_replaces_only_its_own_findings(annotator, tmp_path):
    with build_store(tmp_path / "kb.duckdb", annotator, _distinct_papers()) as store:
        run_audit(store)
        before = store.query("SELECT rule, count(*) AS n FROM findings GROUP BY rule ORDER BY rule")
        summary = run_audit(store, rules=["count-percent"])
        after = store.query("SELECT rule, count(*) AS n FROM findings GROUP BY rule ORDER BY rule")
    assert summary.rules == ["count-percent"]
    assert before.equals(after)


def test_summary_counts_rules_and_severities(annotator, tmp_path):
    with build_store(tmp_path / "kb.duckdb", annotator, _distinct_papers()) as store:
        summary = run_audit(store)
        stored = store.query("SELECT rule, severity, count(*) AS n FROM findings GROUP BY ALL")
    assert summary.rules == [name for name in RULES if name != "reference"]
    for row in stored.iter_rows(named=True):
        assert summary.counts[row["rule"]][row["severity"]] == row["n"]
    frame = summary.frame()
    assert frame["total"].sum() == summary.total == stored["n"].sum()
    assert summary.line().startswith(f"{len(summary.rules)} rules, {summary.total} findings")


def test_rule_selection():
    assert select_rules(["arithmetic"]) == ["count-percent", "peak-utilization", "reduction-speedup"]
    assert select_rules(["hedge", "grounding"]) == ["grounding", "hedge"]
    assert "reference" not in select_rules()
    assert "reference" in select_rules(with_reference=True)
    with pytest.raises(NotFoundError, match="no audit rule 'typo'"):
        select_rules(["typo"])
    with pytest.raises(BenchkbError, match="--reference"):
        select_rules(["reference"])


def test_the_hedged_column_and_the_hedge_rule_count_the_same_qualifiers(tmp_path):
    """The results view's `hedged` and the audit's hedge rule must agree on what a best-case hedge is."""
    from benchkb.audit.settings import AuditSettings

    with Store(tmp_path / "kb.duckdb") as store:
        store.write(
            [Paper(paper_id="p", title="T", abstract="x", source_format="test")],
            [
                Claim(
                    paper_id="p",
                    text="x",
                    start=i,
                    end=i + 1,
                    value=1.0,
                    kind="score",
                    qualifier=q,
                    rule="number",
                    sentence_start=0,
                    sentence_end=1,
                )
                for i, q in enumerate(
                    [
                        "up to",
                        "more than",
                        "over",
                        "at least",
                        "exceeding",
                        "nearly",
                        "about",
                        "average",
                        "only",
                        "below",
                    ]
                )
            ],
            extracted=True,
        )
        hedged = set(store.query("SELECT qualifier FROM results WHERE hedged")["qualifier"].to_list())
    assert hedged == set(AuditSettings().hedge_qualifiers)


def test_the_summary_counts_whom_findings_suspect(annotator, tmp_path):
    case = next(case for case in CASES if case["id"] == "range-gain-stored-as-a-rate-suspects-extraction")
    with build_store(tmp_path / "kb.duckdb", annotator, case["papers"]) as store:
        _, summary = collect_findings(store, rules=["range"])
    assert summary.suspects == {"extraction": 1}
    assert "(1 error, 0 warning, 0 info; 1 suspect the extraction)" in summary.line()
