"""OpenAlex works and Semantic Scholar dataset files: detected by content, read into papers, bad records
rejected."""

from __future__ import annotations

import gzip
import json
import shutil

import pytest
from conftest import ROOT

from benchkb.errors import InputError
from benchkb.ingest import IngestSettings, ingest_file
from benchkb.models import Paper, Reject
from benchkb.sources import ReadOptions, detect_format, plan_inputs, read_records
from benchkb.sources.openalex import abstract_from_inverted_index
from benchkb.sources.semantic_scholar import build_index
from benchkb.store import Store

FIXTURES = ROOT / "tests" / "fixtures" / "sources"
OPENALEX = FIXTURES / "openalex-works.jsonl"
S2_PAPERS = FIXTURES / "s2-papers.jsonl"
S2_ABSTRACTS = FIXTURES / "s2-abstracts.jsonl"


def gzipped_without_extension(source, target):
    """The snapshots' shards: gzip, named without .jsonl (part_000.gz, or no suffix at all)."""
    target.write_bytes(gzip.compress(source.read_bytes()))
    return target


def test_an_inverted_index_gives_the_words_back_in_order():
    assert (
        abstract_from_inverted_index({"accuracy.": [3], "We": [0], "get": [1], "90%": [2]})
        == "We get 90% accuracy."
    )
    with pytest.raises(InputError, match="no abstract"):
        abstract_from_inverted_index(None)
    with pytest.raises(InputError, match="not a word position"):
        abstract_from_inverted_index({"a": [-1]})


@pytest.mark.parametrize("name", ["part_000.gz", "works", "works.jsonl.gz"])
def test_openalex_works_are_detected_by_content_through_gzip(tmp_path, name):
    assert detect_format(OPENALEX) == "openalex"
    assert detect_format(gzipped_without_extension(OPENALEX, tmp_path / name)) == "openalex"


def test_an_openalex_work_longer_than_the_sniffed_head_is_still_a_work(tmp_path):
    work = json.loads(OPENALEX.read_text().splitlines()[0])
    work["referenced_works"] = [f"https://openalex.org/W{i}" for i in range(10_000)]  # a 300 KB line
    path = tmp_path / "part_001"
    path.write_text(json.dumps(work) + "\n")
    assert detect_format(path) == "openalex"


def test_openalex_works_become_papers_with_arxiv_ids_dates_and_venues():
    records = list(read_records(OPENALEX, ReadOptions()))
    papers = {r.record: r for r in records if isinstance(r, Paper)}
    rejects = {r.record: r.reason for r in records if isinstance(r, Reject)}
    assert sorted(papers) == [1, 2, 3, 6] and sorted(rejects) == [4, 5]
    assert rejects[4] == "no abstract ('abstract_inverted_index' is null)"
    assert rejects[5].startswith("invalid JSON")
    preprint, proceedings, journal, year_only = papers[1], papers[2], papers[3], papers[6]
    assert (preprint.paper_id, preprint.venue, str(preprint.published)) == (
        "2406.01234",
        "arXiv (Cornell University)",
        "2024-06-03",
    )
    assert preprint.abstract.startswith(
        "We introduce LoRA-Lite, a parameter-efficient fine-tuning method that updates "
        "0.1% of the weights. On GSM8K,"
    )
    assert preprint.authors == ["Mina Park", "Jonas Weber"] and preprint.source_format == "openalex"
    assert (proceedings.paper_id, proceedings.version) == ("2310.05678", 2)  # from its arXiv location
    assert proceedings.venue == "Neural Information Processing Systems"
    assert proceedings.metadata["openalex_id"] == "W4388765432"
    assert (journal.paper_id, journal.arxiv_id) == ("W4321098765", None)
    assert journal.metadata["doi"] == "10.1109/tpami.2022.3200001"
    assert str(year_only.published) == "2018-01-01" and year_only.published_precision == "year"


def test_openalex_ingest_is_grounded_in_the_rebuilt_abstract(tmp_path, annotator):
    with Store(tmp_path / "kb.duckdb") as store:
        summary = ingest_file(store, OPENALEX, IngestSettings(workers=1), annotator)
        assert (summary.read, summary.stored, summary.rejected) == (6, 4, 2)
        assert (
            store.scalar("SELECT text FROM claims WHERE paper_id = '2406.01234' AND benchmark = 'GSM8K'")
            == "74.3%"
        )
        assert (
            store.scalar(
                "SELECT count(*) FROM claims c JOIN papers p USING (paper_id) "
                'WHERE substr(p.abstract, c."start" + 1, c."end" - c."start") <> c.text'
            )
            == 0
        )


def test_semantic_scholar_files_are_detected_and_planned_apart(tmp_path):
    papers = gzipped_without_extension(S2_PAPERS, tmp_path / "20241105_papers_00")
    abstracts = gzipped_without_extension(S2_ABSTRACTS, tmp_path / "20241105_abstracts_00")
    assert (detect_format(papers), detect_format(abstracts)) == ("s2-papers", "s2-abstracts")
    plan = plan_inputs([abstracts, OPENALEX, papers])
    assert plan.s2_papers == [papers] and plan.files == [(abstracts, "s2-abstracts"), (OPENALEX, "openalex")]


def test_semantic_scholar_abstracts_are_joined_with_their_papers_on_corpusid(tmp_path):
    index = tmp_path / "index.duckdb"
    assert (
        build_index([gzipped_without_extension(S2_PAPERS, tmp_path / "papers.gz")], index) == 4
    )  # 1 line broken
    records = list(read_records(S2_ABSTRACTS, ReadOptions(s2_index=index)))
    papers = {r.record: r for r in records if isinstance(r, Paper)}
    rejects = {r.record: r.reason for r in records if isinstance(r, Reject)}
    assert sorted(papers) == [1, 2, 5]
    assert rejects == {
        3: "no papers line with corpusid 230000000 in the papers files given",
        4: "invalid JSON: Unterminated string starting at (column 37)",
        6: "no papers line with corpusid 211000002 in the papers files given",
    }
    drafts, kv_cache, molecules = papers[1], papers[2], papers[5]
    assert (drafts.paper_id, drafts.title, str(drafts.published)) == (
        "2405.12345",
        "Speculative Decoding with Draft Trees",
        "2024-05-20",
    )
    assert drafts.abstract.startswith("Speculative decoding drafts several tokens") and drafts.authors == [
        "Hana Kim",
        "P. Novak",
    ]
    assert kv_cache.paper_id == "2306.00001"  # from its arXiv DOI
    assert (molecules.paper_id, molecules.venue) == (
        "CorpusId:199876543",
        "Journal of Chemical Information and Modeling",
    )
    assert molecules.metadata["doi"] == "10.1021/acs.jcim.8b00999" and molecules.metadata["license"] == "ACS"


def test_semantic_scholar_abstracts_without_papers_and_papers_alone_are_clear_errors():
    with pytest.raises(InputError, match="needs the papers files"):
        read_records(S2_ABSTRACTS, ReadOptions())
    with pytest.raises(InputError, match="holds no abstracts"):
        read_records(S2_PAPERS, ReadOptions())


def test_the_command_line_takes_papers_and_abstracts_files_together(tmp_path):
    from typer.testing import CliRunner

    from benchkb.cli import app

    abstracts = shutil.copy(S2_ABSTRACTS, tmp_path / "abstracts-0.jsonl")
    result = CliRunner().invoke(
        app, ["ingest", str(S2_PAPERS), str(abstracts), "--db", str(tmp_path / "kb.duckdb")]
    )
    assert result.exit_code == 0, result.output
    assert f"{S2_PAPERS}: Semantic Scholar papers, 4 indexed for the abstracts files" in result.output
    assert f"{abstracts}: 6 records read, 3 papers stored, 0 unchanged, 3 rejected" in result.output
