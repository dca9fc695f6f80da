"""extract-many and load: the Parquet interchange gives what ingest gives, row for row; load validates every
row."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from conftest import IN_CI, ROOT, SEED_PAGE

from benchkb.catalog import Catalog
from benchkb.errors import InputError
from benchkb.ingest import IngestSettings, ingest_file
from benchkb.interchange import CLAIMS, PAPERS, connect
from benchkb.load import load_directory
from benchkb.many import ManySettings, extract_many
from benchkb.models import Paper
from benchkb.sources import ReadOptions, plan_inputs, read_records
from benchkb.store import Store

FIXTURES = ROOT / "tests" / "fixtures" / "sources"
COPIES = 5  # of the 64 seed abstracts under new ids: 320 abstracts


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """A few hundred abstracts in JSON Lines, a Parquet shard of the same papers under other ids, OpenAlex
    works and a Semantic Scholar pair."""
    directory = tmp_path_factory.mktemp("many-inputs")
    seed = [r for r in read_records(SEED_PAGE, ReadOptions(year=2026)) if isinstance(r, Paper)]
    rows = [
        {"id": f"s{copy}-{n}", "title": p.title, "abstract": p.abstract, "date": str(p.published)}
        for copy in range(COPIES)
        for n, p in enumerate(seed)
    ]
    jsonl = directory / "seed.jsonl"
    jsonl.write_text("".join(json.dumps(row) + "\n" for row in rows) + "{broken\n")
    import pyarrow as pa

    shard = directory / "shard-0.parquet"
    pq.write_table(pa.Table.from_pylist([{**row, "id": "p" + row["id"]} for row in rows[:64]]), shard)
    return [
        jsonl,
        shard,
        FIXTURES / "openalex-works.jsonl",
        FIXTURES / "s2-papers.jsonl",
        FIXTURES / "s2-abstracts.jsonl",
    ]


@pytest.fixture(scope="module")
def ingested(inputs, tmp_path_factory, annotator):
    """The same inputs through `ingest`: what the interchange must give."""
    from benchkb.sources.semantic_scholar import build_index

    directory = tmp_path_factory.mktemp("ingested")
    plan = plan_inputs(inputs)
    build_index(plan.s2_papers, directory / "index.duckdb")
    settings = IngestSettings(read=ReadOptions(s2_index=directory / "index.duckdb"), workers=1)
    with Store(directory / "kb.duckdb") as store:
        store.replace_catalog(annotator.catalog.table_rows())
        for path, fmt in plan.files:
            ingest_file(
                store,
                path,
                settings.model_copy(update={"read": settings.read.model_copy(update={"format": fmt})}),
                annotator,
            )
        return contents(store)


def contents(store):
    papers = store.query("SELECT * EXCLUDE (ingested_at) FROM papers ORDER BY paper_id")
    claims = store.query("SELECT * FROM claims ORDER BY claim_id")
    rejects = store.query("SELECT file, record, reason FROM rejects ORDER BY file, record")
    return papers, claims, rejects


def extract_and_load(inputs, tmp_path, engine="local", **options):
    plan = plan_inputs(inputs)
    out = tmp_path / "out"
    settings = ManySettings(engine=engine, workers=2, batch_size=100, **options)
    summary = extract_many(plan.files, out, settings, s2_papers=plan.s2_papers)
    with Store(tmp_path / "loaded.duckdb") as store:
        store.replace_catalog(Catalog.load().table_rows())
        loaded = load_directory(store, out)
        return summary, loaded, contents(store), out


def test_local_extract_many_then_load_equals_ingest(inputs, ingested, tmp_path):
    summary, loaded, (papers, claims, rejects), out = extract_and_load(inputs, tmp_path)
    assert (summary.papers, summary.claims, summary.rejected) == (
        loaded.stored,
        loaded.claims,
        loaded.rejected,
    )
    assert loaded.read == loaded.stored + loaded.rejected and loaded.rejected == 6
    assert papers.equals(ingested[0])
    assert claims.equals(ingested[1])
    assert rejects.equals(ingested[2])


def test_loading_again_changes_nothing(inputs, tmp_path):
    _, first, before, out = extract_and_load(inputs, tmp_path)
    with Store(tmp_path / "loaded.duckdb") as store:
        again = load_directory(store, out)
        assert (again.read, again.stored, again.unchanged, again.claims) == (first.read, 0, first.stored, 0)
        after = contents(store)
    assert after[0].equals(before[0]) and after[1].equals(before[1])


def test_results_can_be_queried_over_the_parquet_without_loading(inputs, tmp_path):
    _, _, _, out = extract_and_load(inputs, tmp_path)
    query = (
        "SELECT claim_id, benchmark, benchmark_family, metric, value, hedged, sentence FROM results "
        "ORDER BY claim_id"
    )
    over_parquet = connect(out).execute(query).fetchall()
    with Store(tmp_path / "loaded.duckdb", read_only=True) as store:
        assert over_parquet == store.con.execute(query).fetchall()
    assert len(over_parquet) > 500


def test_the_output_directory_must_be_new_or_empty(inputs, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x").write_text("")
    with pytest.raises(InputError, match="new or empty directory"):
        extract_many(plan_inputs(inputs[:1]).files, tmp_path / "out", ManySettings())


def test_load_rejects_bad_rows_with_their_file_and_row(inputs, tmp_path):
    out = tmp_path / "out"
    extract_many(plan_inputs(inputs[:1]).files, out, ManySettings(workers=1, batch_size=100))
    papers_file = sorted((out / PAPERS).glob("*.parquet"))[0]
    claims_file = out / CLAIMS / papers_file.name
    papers, claims = pq.read_table(papers_file), pq.read_table(claims_file)
    texts = claims["text"].to_pylist()
    texts[0] += "!"
    first_paper = claims["paper_id"][0].as_py()
    claims = claims.set_column(claims.schema.get_field_index("text"), "text", [texts])
    pq.write_table(claims, claims_file)  # the first paper's claims no longer ground in its abstract
    titles = papers["title"].to_pylist()
    titles[5] = "Another title"  # the sha no longer matches
    pq.write_table(papers.set_column(papers.schema.get_field_index("title"), "title", [titles]), papers_file)
    with Store(tmp_path / "kb.duckdb") as store:
        summary = load_directory(store, out)
        rejects = {
            (r[0], r[1]): r[2] for r in store.query("SELECT file, record, reason FROM rejects").iter_rows()
        }
        assert store.scalar("SELECT count(*) FROM papers WHERE paper_id = ?", [first_paper]) == 0
        assert store.scalar("SELECT count(*) FROM claims WHERE paper_id = ?", [first_paper]) == 0
    assert (
        rejects[(str(claims_file), 1)].startswith("text ")
        and "is not abstract[" in rejects[(str(claims_file), 1)]
    )
    assert rejects[(str(papers_file), 6)] == "abstract_sha is not the fingerprint of the title and abstract"
    assert (
        summary.read == summary.stored + summary.rejected and summary.rejected == 3
    )  # and the broken JSON line


def test_load_of_a_directory_that_is_not_an_output_is_one_error(tmp_path):
    with (
        Store(tmp_path / "kb.duckdb") as store,
        pytest.raises(InputError, match="not a benchkb extract-many"),
    ):
        load_directory(store, tmp_path)


@pytest.fixture(scope="module")
def local_ray():
    """Ray started once for the module, on two CPUs; its start-up cost stays out of every other test. `make
    install` installs the Ray extra, so in CI a missing Ray fails rather than skips."""
    if IN_CI:
        import ray
    else:
        ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    yield ray
    ray.shutdown()


@pytest.mark.ray
@pytest.mark.slow
def test_ray_extract_many_then_load_equals_ingest_row_for_row(inputs, ingested, tmp_path, local_ray):
    summary, loaded, (papers, claims, rejects), out = extract_and_load(inputs, tmp_path, engine="ray")
    assert summary.papers == loaded.stored == ingested[0].height > 300
    assert papers.equals(ingested[0])
    assert claims.equals(ingested[1])
    assert rejects.equals(ingested[2])


def test_the_commands_print_one_summary_line_each(inputs, tmp_path):
    from typer.testing import CliRunner

    from benchkb.cli import app

    runner = CliRunner()
    out, db = tmp_path / "out", tmp_path / "kb.duckdb"
    made = runner.invoke(app, ["extract-many", *map(str, inputs), "--out", str(out), "--workers", "1"])
    assert made.exit_code == 0, made.output
    assert f"4 files -> {out}: 391 papers, " in made.output and " 6 rejected (" in made.output
    loaded = runner.invoke(app, ["load", str(out), "--db", str(db)])
    assert loaded.exit_code == 0, loaded.output
    assert f"{out}: 397 records read, 391 papers stored, 0 unchanged, 6 rejected, " in loaded.output
    again = runner.invoke(app, ["extract-many", str(inputs[0]), "--out", str(out)])
    assert again.exit_code == 1 and "new or empty directory" in again.output


def test_the_command_line_imports_neither_ray_nor_the_extractor_until_a_command_runs():
    """`benchkb --help` and `benchkb extract-many --help` stay fast: Ray, scikit-learn, spaCy and Arrow are
    imported inside the commands that use them."""
    import subprocess
    import sys

    heavy = ("ray", "sklearn", "spacy", "pyarrow", "polars", "numpy", "benchkb.many", "benchkb.load")
    code = (
        "import sys\nfrom benchkb.cli import main\nsys.argv = ['benchkb', 'extract-many', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"sys.stderr.write(','.join(m for m in {heavy!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "--engine" in done.stdout and done.stderr == ""
