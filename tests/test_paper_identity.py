"""Paper identity across sources: an arXiv listing and a venue's record of the same paper are one paper.

The fixtures hold both kinds of record: ``arxiv.jsonl`` (arXiv listings, day dates) and ``venue.jsonl`` (venue
records, year only, some with an arXiv id), with pairs that are one paper (a renamed title with the same
abstract, the same title over a rewritten abstract, a shared arXiv id) and pairs that are not (an arXiv
listing carrying another paper's abstract, a follow-up with a similar title, two venue records, two arXiv
listings).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from benchkb.ingest import IngestSettings, ingest_file
from benchkb.models import Paper
from benchkb.paper_identity import MatchRule, merge_same_papers, similarity, source_key
from benchkb.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "identity"
ARXIV, VENUE = FIXTURES / "arxiv.jsonl", FIXTURES / "venue.jsonl"
SETTINGS = IngestSettings(workers=1)


def ingest(store: Store, annotator, *paths: Path) -> list:
    return [ingest_file(store, path, SETTINGS, annotator) for path in paths]


def snapshot(store: Store) -> dict:
    """Everything identity decides: papers with their text and dates, sources, claims."""
    return {
        "papers": store.query(
            "SELECT paper_id, title, published, published_precision, venue FROM papers ORDER BY paper_id"
        ).rows(),
        "sources": store.query(
            "SELECT source_key, paper_id, is_primary, matched_by, abstract_sha FROM paper_sources "
            "ORDER BY source_key"
        ).rows(),
        "claims": store.query("SELECT claim_id, text FROM claims ORDER BY claim_id").rows(),
    }


@pytest.fixture(scope="module")
def merged(tmp_path_factory, annotator):
    path = tmp_path_factory.mktemp("identity") / "kb.duckdb"
    with Store(path) as store:
        summaries = ingest(store, annotator, ARXIV, VENUE)
        yield store, summaries


def test_same_papers_from_two_files_are_stored_once(merged):
    store, (arxiv, venue) = merged
    assert (arxiv.stored, arxiv.merged) == (6, 0)
    assert venue.merged == 2  # R2E-Gym by its abstract, OpenCity3D by its title; the arXiv id needs no merge
    sources = dict(store.query("SELECT source_key, paper_id FROM paper_sources").rows())
    assert sources["colm:colm2025-42eb6f079d"] == "2504.07164"
    assert sources["wacv:wacv2025-0f242384c3"] == "2503.16776"
    assert sources["cvpr:1612.00496"] == "1612.00496"
    assert store.scalar("SELECT count(*) FROM papers") == 13 - 3
    same_title = store.scalar(
        "SELECT count(*) - count(DISTINCT lower(title)) FROM papers WHERE venue IS NULL "
        "OR paper_id NOT LIKE 'icra%'"
    )
    assert same_title == 0


def test_a_paper_keeps_the_arxiv_text_and_the_venue(merged):
    store, _ = merged
    row = store.query(
        "SELECT title, venue, published, published_precision FROM papers WHERE paper_id = '2504.07164'"
    ).row(0, named=True)
    assert row["title"].startswith("R2E-Gym: Procedural Environments and")  # the arXiv listing's title
    assert row["venue"] == "colm"
    assert (row["published"], row["published_precision"]) == (dt.date(2025, 4, 9), "day")  # the day says more
    primary = store.query(
        "SELECT source_key, matched_by, similarity FROM paper_sources "
        "WHERE paper_id = '2504.07164' ORDER BY is_primary DESC"
    ).rows()
    assert primary[0] == ("2504.07164", None, None)
    assert primary[1][:2] == ("colm:colm2025-42eb6f079d", "text") and primary[1][2] > 0.9


def test_an_earlier_year_dates_the_paper_as_a_year(merged):
    store, _ = merged
    # arXiv listed it in December 2016; CVPR 2017 is later: the day stands. The venue record keeps its year.
    row = store.query(
        "SELECT venue, published, published_precision FROM papers WHERE paper_id = '1612.00496'"
    )
    assert row.row(0) == ("cvpr", dt.date(2016, 12, 1), "day")
    source = store.query(
        "SELECT year, published_precision, matched_by, is_primary FROM paper_sources "
        "WHERE source_key = 'cvpr:1612.00496'"
    ).row(0)
    assert source == (2017, "year", "arxiv id", False)


def test_claims_are_stored_once(merged):
    store, _ = merged
    r2e = store.query("SELECT text FROM claims WHERE paper_id = '2504.07164' AND kind = 'score'")[
        "text"
    ].to_list()
    assert r2e.count("34.4%") == 1
    assert (
        store.scalar("SELECT count(*) FROM claims WHERE paper_id LIKE 'colm2025%' OR paper_id LIKE 'wacv%'")
        == 0
    )


def test_different_papers_are_not_merged(merged):
    store, _ = merged
    ids = set(store.query("SELECT paper_id FROM papers")["paper_id"])
    # an arXiv listing carrying another paper's abstract under an unrelated title; a follow-up whose title
    # holds the earlier one's; two venue records of one title; two arXiv listings of one abstract
    assert {
        "2510.17504",
        "acl2022-365cb08930",
        "2507.17054",
        "aaai2022-b48f17ada4",
        "icra2010-8db147f389",
        "icra2010-d9462a63cb",
        "2504.99999",
        "2504.07164",
    } <= ids


def test_reingesting_either_source_changes_nothing(merged):
    store, _ = merged
    before = snapshot(store)
    for again in ingest(store, None, VENUE, ARXIV):
        assert (again.stored, again.merged, again.unchanged) == (0, 0, again.read)
    assert snapshot(store) == before


def test_the_order_of_the_files_does_not_matter(merged, tmp_path, annotator):
    store, _ = merged
    with Store(tmp_path / "reversed.duckdb") as other:
        ingest(other, annotator, VENUE, ARXIV)
        reversed_order = snapshot(other)
    expected = snapshot(store)
    assert reversed_order["papers"] == expected["papers"]
    assert reversed_order["claims"] == expected["claims"]
    assert [row[:3] for row in reversed_order["sources"]] == [row[:3] for row in expected["sources"]]


def test_a_changed_venue_record_is_merged_again(tmp_path, annotator):
    changed = tmp_path / "venue.jsonl"
    changed.write_text(VENUE.read_text().replace("(solving GITHUB issues)", "(resolving GitHub issues)"))
    with Store(tmp_path / "kb.duckdb") as store:
        ingest(store, annotator, ARXIV, VENUE)
        again = ingest(store, annotator, changed)[0]
        assert (again.stored, again.merged) == (1, 1)
        assert store.scalar("SELECT count(*) FROM papers WHERE paper_id = 'colm2025-42eb6f079d'") == 0
        assert (
            store.scalar("SELECT paper_id FROM paper_sources WHERE source_key = 'colm:colm2025-42eb6f079d'")
            == "2504.07164"
        )


def test_merging_is_idempotent(merged):
    store, _ = merged
    assert merge_same_papers(store) == 0


def test_a_knowledge_base_of_schema_1_is_migrated(tmp_path):
    path = tmp_path / "old.duckdb"
    with Store(path) as store:
        store.write(
            [
                Paper(
                    paper_id="p1",
                    title="A Paper",
                    abstract="We reach 91.5% accuracy.",
                    venue="icml",
                    published=dt.date(2019, 1, 1),
                    published_precision="year",
                    source_format="jsonl",
                )
            ],
            [],
            extracted=True,
        )
        store.con.execute(
            "DROP TABLE paper_sources; DROP TABLE paper_keys; DROP VIEW speedups; "
            "DROP VIEW leaderboard; DROP VIEW results; ALTER TABLE papers DROP published_precision; "
            'UPDATE papers SET metadata = \'{"date_precision": "year"}\'; DELETE FROM schema_version; '
            "INSERT INTO schema_version (version) VALUES (1)"
        )
    with Store(path) as store:
        assert store.scalar("SELECT max(version) FROM schema_version") == 3
        assert store.scalar("SELECT published_precision FROM papers") == "year"
        assert store.query("SELECT source_key, paper_id, is_primary FROM paper_sources").rows() == [
            ("icml:p1", "p1", True)
        ]


@pytest.mark.parametrize(
    ("a", "b", "matched_by"),
    [
        # a renamed title over the same abstract
        (
            (
                "R2E-Gym: Procedural Environments and Hybrid Verifiers",
                "x x x same words in the same order here",
            ),
            (
                "R2E-Gym: Procedural Environment Generation and Hybrid Verifiers",
                "x x x same words in the same order here",
            ),
            "text",
        ),
        # the same title over a rewritten abstract (case and punctuation do not count)
        (
            (
                "OpenCity3D: What do VLMs know about Urban Environments?",
                "vision language models show great promise",
            ),
            (
                "OpenCity3D: What Do VLMs Know About Urban Environments",
                "the rise of vision language models enables",
            ),
            "title",
        ),
        # another paper's abstract under an unrelated title
        (
            ("Lingua Custodi at WMT 2025", "while bert is an effective method for sentence embeddings"),
            (
                "Language-agnostic BERT Sentence Embedding",
                "while bert is an effective method for sentence embeddings",
            ),
            None,
        ),
        # a short title says nothing
        (
            ("Preface", "preface to the proceedings of the eleventh conference"),
            ("Preface", "preface to the proceedings of the twelfth conference"),
            None,
        ),
        # a follow-up whose title holds the earlier one's, over a different abstract
        (
            (
                "New Mechanisms in Flex Distribution for Path Finding",
                "we propose new mechanisms that raise success",
            ),
            ("Flex Distribution for Path Finding", "flex distribution improves the success rate of eecbs"),
            None,
        ),
    ],
)
def test_match_rule(a, b, matched_by):
    match = MatchRule().same_paper(a[0], a[1], b[0], b[1])
    assert (match.matched_by if match else None) == matched_by


def test_similarity_and_source_keys():
    assert similarity("One two three four", "one, two; three four!") == 1.0
    assert similarity("one two three four", "five six seven eight") == 0.0
    assert 0 < similarity("one two three four five", "one two three four six") < 1
    venue = Paper(
        paper_id="1612.00496",
        arxiv_id="1612.00496",
        title="T",
        abstract="A",
        venue="cvpr",
        source_format="jsonl",
    )
    assert source_key(venue) == "cvpr:1612.00496"
    assert source_key(venue.model_copy(update={"venue": None})) == "1612.00496"
