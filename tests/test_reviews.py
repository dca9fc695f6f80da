"""Reviews: stored beside the claims (never over them), the schema upgrade that adds them, the review form,
and the gold export that `benchkb eval` (and the lead's `benchkb train`) read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchkb.cli import app
from benchkb.errors import InputError, NotFoundError, StoreError
from benchkb.evaluate import GoldClaim
from benchkb.models import Claim, Paper, Review
from benchkb.reviews import GOLD_FIELDS, abstracts_path, current_reviews, gold_export
from benchkb.serve.forms import review_from_form
from benchkb.store import SCHEMA_VERSION, Store

from conftest import SHARED

runner = CliRunner()
ABSTRACT = (
    "We present Orca, which reaches 91.5% accuracy on HumanEval, 2.3x faster than GPT-4 with 8 GPUs. "
    "It also scores 77.0 on MBPP."
)
TITLE = "Orca: A Test Paper"


def _claim(text: str, value: float, kind: str, unit: str, **fields) -> Claim:
    start = ABSTRACT.index(text)
    return Claim(
        paper_id="p1",
        text=text,
        start=start,
        end=start + len(text),
        value=value,
        unit=unit,
        kind=kind,
        rule="test",
        sentence_start=0,
        sentence_end=len(ABSTRACT),
        **fields,
    )


CLAIMS = [
    _claim("91.5%", 91.5, "score", "%", metric="accuracy", benchmark="HumanEval", subject="Orca"),
    _claim(
        "2.3x", 2.3, "ratio", "x", metric="speedup", subject="Orca", baseline="GPT-4", direction="increase"
    ),
    _claim("8 GPUs", 8, "setup", "GPUs"),
]


def _span(text: str) -> dict:
    start = ABSTRACT.index(text)
    return {"paper_id": "p1", "start": start, "end": start + len(text), "text": text}


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "kb.duckdb"
    with Store(path) as store:
        store.write(
            [
                Paper(paper_id="p1", title=TITLE, abstract=ABSTRACT, source_format="test"),
                Paper(
                    paper_id="p2", title="Unreviewed", abstract="It reaches 50% on X.", source_format="test"
                ),
            ],
            CLAIMS,
            extracted=True,
        )
    return path


# the store --------------------------------------------------------------------------------------------------


def test_a_review_is_stored_beside_the_claim_not_over_it(db):
    with Store(db) as store:
        store.add_review(
            Review(**_span("2.3x"), verdict="corrected", corrections={"subject": "Orca-2", "baseline": None})
        )
        row = store.query("SELECT claim_id, verdict, corrections FROM reviews").row(0, named=True)
        claim = store.query("SELECT subject, baseline FROM claims WHERE text = '2.3x'").row(0, named=True)
    assert row["claim_id"] == CLAIMS[1].claim_id and row["verdict"] == "corrected"
    assert json.loads(row["corrections"]) == {"subject": "Orca-2", "baseline": None}
    assert claim == {"subject": "Orca", "baseline": "GPT-4"}


def test_a_review_must_name_the_abstracts_text(db):
    with Store(db) as store:
        with pytest.raises(InputError, match="not the abstract's text"):
            store.add_review(Review(**(_span("2.3x") | {"text": "2.4x"}), verdict="wrong"))
        with pytest.raises(NotFoundError):
            store.add_review(Review(**(_span("2.3x") | {"paper_id": "nope"}), verdict="wrong"))
    with Store(db, read_only=True) as store, pytest.raises(StoreError, match="read-only"):
        store.add_review(Review(**_span("2.3x"), verdict="wrong"))


def test_the_latest_review_of_a_span_counts(db):
    with Store(db) as store:
        store.add_review(Review(**_span("2.3x"), verdict="wrong"))
        store.add_review(Review(**_span("2.3x"), verdict="right"))
        assert [(r.verdict, stale) for r, stale in current_reviews(store)] == [("right", False)]
        assert store.scalar("SELECT count(*) FROM reviews") == 2  # the history stays


def test_an_older_knowledge_base_is_upgraded_on_a_writable_open(db):
    with Store(db) as store:  # make it a knowledge base of schema 2, written before reviews existed
        store.con.execute("DROP TABLE reviews; DROP SEQUENCE review_ids")
        store.con.execute("DELETE FROM schema_version")
        store.con.execute("INSERT INTO schema_version (version) VALUES (2)")
    with Store(db, read_only=True) as store:
        assert current_reviews(store) == [] and gold_export(store).lines == []  # read-only: readable as it is
    with Store(db) as store:
        assert store.scalar("SELECT max(version) FROM schema_version") == SCHEMA_VERSION == 3
        store.add_review(Review(**_span("2.3x"), verdict="wrong"))
        assert store.scalar("SELECT count(*) FROM claims") == 3  # the data survived the upgrade


def test_a_knowledge_base_from_a_newer_benchkb_is_refused(db):
    with Store(db) as store:
        store.con.execute("INSERT INTO schema_version (version) VALUES (?)", [SCHEMA_VERSION + 1])
    with pytest.raises(StoreError, match="newer benchkb"):
        Store(db)


# the review form --------------------------------------------------------------------------------------------


def _form(text: str, verdict: str, **fields: str) -> dict[str, str]:
    return {key: str(value) for key, value in _span(text).items()} | {"verdict": verdict} | fields


def test_a_correction_keeps_only_the_fields_that_differ():
    form = _form(
        "2.3x",
        "corrected",
        kind="ratio",
        value="2.3",
        unit="x",
        metric="speedup",
        benchmark="",
        subject="Orca-2",
        baseline="",
        direction="increase",
        qualifier="",
    )
    made = review_from_form(form, CLAIMS[1])
    assert made.corrections.model_dump(exclude_unset=True) == {"subject": "Orca-2", "baseline": None}


def test_a_missed_number_selected_where_a_claim_stands_corrects_that_claim():
    form = _form(
        "2.3x",
        "missed",
        kind="score",
        value="2.3",
        unit="x",
        metric="speedup",
        subject="Orca",
        baseline="GPT-4",
        direction="increase",
    )
    made = review_from_form(form, CLAIMS[1])
    assert made.verdict == "corrected"
    assert made.corrections.model_dump(exclude_unset=True) == {"kind": "score"}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            _form(
                "2.3x",
                "corrected",
                kind="ratio",
                value="2.3",
                unit="x",
                metric="speedup",
                subject="Orca",
                baseline="GPT-4",
                direction="increase",
            ),
            "no field differs",
        ),
        (_form("77.0", "missed", kind="score", value="seventy"), "not a number"),
        (_form("77.0", "missed", value="77"), "kind and value"),
        (_form("2.3x", "maybe"), "verdict"),
        ({"verdict": "wrong", "paper_id": "p1"}, "no span"),
    ],
)
def test_a_bad_form_is_one_clear_line(form, message):
    claim = next((c for c in CLAIMS if form.get("start") == str(c.start)), None)  # as the app looks it up
    with pytest.raises(InputError, match=message) as caught:
        review_from_form(form, claim)
    assert "\n" not in str(caught.value)


# the gold export --------------------------------------------------------------------------------------------


def _review_all(db: Path) -> None:
    with Store(db) as store:
        store.add_review(Review(**_span("91.5%"), verdict="right"))
        store.add_review(Review(**_span("8 GPUs"), verdict="wrong"))
        store.add_review(
            Review(**_span("2.3x"), verdict="corrected", corrections={"subject": "Orca-2", "kind": "score"})
        )
        store.add_review(
            Review(
                **_span("77.0"),
                verdict="missed",
                corrections={
                    "kind": "score",
                    "value": 77.0,
                    "unit": "",
                    "benchmark": "MBPP",
                    "subject": "Orca",
                },
            )
        )


def test_the_gold_export_applies_every_verdict(db):
    _review_all(db)
    with Store(db, read_only=True) as store:
        export = gold_export(store)
    assert [(line["text"], line["note"]) for line in export.lines] == [
        ("91.5%", "reviewed: right"),
        ("2.3x", "reviewed: corrected kind, subject"),
        ("77.0", "reviewed: missed by the extractor"),
    ]
    corrected = export.lines[1]
    assert corrected["subject"] == "Orca-2" and corrected["baseline"] == "GPT-4"  # other fields as extracted
    assert corrected["kind"] == "score" and corrected["direction"] is None  # the guide: none on scores
    assert export.lines[2] | {"note": None} == {
        "paper": TITLE,
        "text": "77.0",
        "value": 77.0,
        "value_max": None,
        "unit": "",
        "kind": "score",
        "metric": None,
        "benchmark": "MBPP",
        "subject": "Orca",
        "baseline": None,
        "direction": None,
        "qualifier": None,
        "conditions": [],
        "note": None,
    }
    assert export.abstracts == [{"id": "p1", "title": TITLE, "abstract": ABSTRACT}]  # p2 has no review


def test_claims_not_reviewed_in_a_reviewed_paper_stay_as_extracted(db):
    with Store(db) as store:
        store.add_review(Review(**_span("8 GPUs"), verdict="wrong"))
        lines = gold_export(store).lines
    assert [(line["text"], line["note"]) for line in lines] == [
        ("91.5%", "not reviewed"),
        ("2.3x", "not reviewed"),
    ]


def test_reviews_of_a_changed_abstract_are_stale(db):
    _review_all(db)
    changed = ABSTRACT.replace("We present", "Here we present")
    with Store(db) as store:
        store.write(
            [Paper(paper_id="p1", title=TITLE, abstract=changed, source_format="test")], [], extracted=True
        )
        export = gold_export(store)
    assert export.lines == [] and export.stale == 4


def test_gold_lines_have_the_seed_files_fields_and_validate(db):
    _review_all(db)
    with Store(db, read_only=True) as store:
        lines = gold_export(store).lines
    seed = SHARED / "gold" / "seed.jsonl"
    if seed.exists():
        assert set(GOLD_FIELDS) == set(json.loads(seed.read_text(encoding="utf-8").splitlines()[0]))
    for line in lines:
        assert ABSTRACT.count(line["text"]) >= 1
        assert GoldClaim.model_validate(line).model_dump() == line


def test_export_reviews_writes_gold_that_eval_reads(db, tmp_path):
    _review_all(db)
    gold = tmp_path / "reviews.jsonl"
    result = runner.invoke(
        app, ["export", "reviews", "--format", "gold", "--out", str(gold), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert "wrote 3 gold lines for 1 reviewed paper" in result.output
    assert abstracts_path(gold) == tmp_path / "reviews.abstracts.jsonl"
    assert [json.loads(line)["id"] for line in abstracts_path(gold).read_text().splitlines()] == ["p1"]
    scored = runner.invoke(app, ["eval", "--gold", str(gold), "--input", str(abstracts_path(gold)), "--json"])
    assert scored.exit_code == 0, scored.output
    report = json.loads(scored.output)
    assert report["unknown_papers"] == []  # eval found the paper by its title in the abstracts file
    assert report["tp"] + report["fn"] == 3  # every gold line is a result claim eval counted


def test_export_reviews_refuses_other_formats(db, tmp_path):
    result = runner.invoke(
        app, ["export", "reviews", "--format", "csv", "--out", str(tmp_path / "r.csv"), "--db", str(db)]
    )
    assert result.exit_code != 0 and "gold format only" in result.output
