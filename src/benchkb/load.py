"""Loading an extract-many directory (the Parquet interchange) into the knowledge base.

Each batch is validated before anything of it is stored: a papers row must make a valid Paper whose
``abstract_sha`` matches its text; a claims row a valid Claim of a paper of the same batch, with its own
``claim_id`` and grounded (``text == abstract[start:end]``, inside its sentence). A bad papers row is rejected
with its file and row; a paper with a bad claims row is rejected whole, with the claims file and row, so a
paper is stored with all its claims or not at all. Loading then goes the way of ingest
(:mod:`benchkb.batches`): unchanged papers are skipped, so loading the same directory twice changes nothing,
and Ctrl-C keeps what is committed.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import ValidationError

from benchkb.batches import RAW_LIMIT, IngestRun
from benchkb.errors import InputError, Interrupted
from benchkb.ingest import FileSummary, IngestInterrupted
from benchkb.interchange import CLAIMS, CLAIMS_ARROW, PAPERS_ARROW, REJECTS, batch_files
from benchkb.models import Claim, Paper, Reject, claim_id
from benchkb.sources.record import reason_of
from benchkb.store import RunCounts, Store, paper_fields, text_sha

LOAD_FORMAT = "benchkb-parquet"


def load_directory(
    store: Store,
    directory: Path,
    *,
    progress: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
    write_size: int = 10_000,
) -> FileSummary:
    """Load the papers, claims and rejects of an extract-many directory."""
    started = time.perf_counter()
    papers_files = batch_files(directory)
    summary = FileSummary(file=str(directory), format=LOAD_FORMAT)
    sources: dict[str, str] = {}  # paper id -> its input file, for papers not yet committed
    run = IngestRun(
        store,
        RunCounts(store.start_run(str(directory), LOAD_FORMAT)),
        file=str(directory),
        extracted=True,
        batch_size=1 << 30,
        write_size=write_size,
        file_of=lambda paper: sources.get(paper.paper_id, str(directory)),
    )
    store.defer_checkpoints()
    try:
        for path in papers_files:
            if stop is not None and stop.is_set():
                raise Interrupted("interrupted")
            records, claims, files = read_batch(path, directory / CLAIMS / path.name)
            sources.update(files)
            for batch in run.batches(iter(records)):
                ids = pa.array([paper.paper_id for paper in batch.papers], pa.string())
                batch.claims = claims.filter(pc.is_in(claims["paper_id"], value_set=ids))
                run.add(batch)
            if not run.gathered:
                sources.clear()
            if progress is not None:
                progress(len(records))
        for path in sorted((directory / REJECTS).glob("*.parquet")):
            rejects = [Reject(**row) for row in pq.read_table(path).to_pylist()]
            for batch in run.batches(iter(rejects)):
                run.add(batch)
        run.flush()
    except Interrupted:
        run.flush()
        summary.take(run.counts)
        raise IngestInterrupted(summary) from None
    summary.take(run.counts)
    summary.seconds = time.perf_counter() - started
    store.finish_run(run.counts)
    return summary


def read_batch(papers_path: Path, claims_path: Path) -> tuple[list[Paper | Reject], pa.Table, dict[str, str]]:
    """The records of one batch (valid papers, and a Reject for every bad row), the claims of its valid papers
    and each paper's input file."""
    papers_table = _read(papers_path, PAPERS_ARROW)
    records, papers = _papers(papers_table, papers_path)
    ids, sources = papers_table["paper_id"].to_pylist(), papers_table["source_file"].to_pylist()
    files = dict(zip(ids, sources, strict=True))
    if not claims_path.exists():
        missing = Reject(file=str(papers_path), record=0, reason="no claims file for this batch")
        return (
            [
                missing.model_copy(update={"record": i}) if isinstance(r, Paper) else r
                for i, r in enumerate(records, 1)
            ],
            CLAIMS_ARROW.empty_table(),
            files,
        )
    claims = _read(claims_path, CLAIMS_ARROW)
    bad = _bad_claims(claims, papers, set(files), claims_path)
    records = [
        Reject(file=str(claims_path), record=bad[r.paper_id][0], reason=bad[r.paper_id][1])
        if isinstance(r, Paper) and r.paper_id in bad
        else r
        for r in records
    ]
    keep = pa.array(sorted(set(papers) - set(bad)), pa.string())
    return records, _unique_claims(claims.filter(pc.is_in(claims["paper_id"], value_set=keep))), files


def _papers(table: pa.Table, path: Path) -> tuple[list[Paper | Reject], dict[str, Paper]]:
    """A Paper or a Reject for each row, and the valid papers by id. A paper id listed again with another text
    is rejected: which claims belong to which text could not be told."""
    records: list[Paper | Reject] = []
    papers: dict[str, Paper] = {}
    for row_number, row in enumerate(table.to_pylist(), 1):
        try:
            paper = _paper(row)
        except (InputError, ValidationError, ValueError, TypeError) as error:
            raw = json.dumps(row, default=str)[:RAW_LIMIT]
            records.append(Reject(file=str(path), record=row_number, reason=reason_of(error), raw=raw))
            continue
        earlier = papers.setdefault(paper.paper_id, paper)
        if earlier is not paper and earlier.abstract != paper.abstract:
            reason = f"paper id {paper.paper_id} is in the batch twice, with different texts"
            records.append(Reject(file=str(path), record=row_number, reason=reason))
            continue
        records.append(paper)
    return records, papers


def _read(path: Path, schema: pa.Schema) -> pa.Table:
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as error:
        raise InputError(f"not a readable Parquet file: {error}", file=str(path)) from error
    missing = [name for name in schema.names if name not in table.column_names]
    if missing:
        raise InputError(f"not an extract-many file: no column {', '.join(missing)}", file=str(path))
    try:
        return table.select(schema.names).cast(schema)
    except (pa.ArrowException, ValueError) as error:
        raise InputError(f"columns of the wrong type: {error}", file=str(path)) from error


def _paper(row: dict) -> Paper:
    fields = {name: row[name] for name in paper_fields()}
    fields["metadata"] = json.loads(row["metadata"]) if row["metadata"] else {}
    fields["authors"] = fields["authors"] or []
    fields["categories"] = fields["categories"] or []
    paper = Paper.model_validate(fields)
    paper.record = row["source_record"]
    if row["abstract_sha"] != text_sha(paper):
        raise InputError("abstract_sha is not the fingerprint of the title and abstract")
    return paper


def _bad_claims(
    claims: pa.Table, papers: dict[str, Paper], listed: set[str], path: Path
) -> dict[str, tuple[int, str]]:
    """The first bad claims row of each valid paper that has one: paper id -> (row, reason). Claims of a paper
    rejected already are passed over; a claim of a paper the batch does not list means the files do not belong
    together."""
    bad: dict[str, tuple[int, str]] = {}
    for row_number, row in enumerate(claims.to_pylist(), 1):
        paper = papers.get(row["paper_id"])
        if row["paper_id"] not in listed:
            raise InputError(
                f"claims row {row_number} is of paper {row['paper_id']!r}, which is not in the batch",
                file=str(path),
            )
        if paper is None or row["paper_id"] in bad:
            continue
        problem = _claim_problem(row, paper.abstract)
        if problem:
            bad[row["paper_id"]] = (row_number, f"{problem}; paper {row['paper_id']} not loaded")
    return bad


def _claim_problem(row: dict, abstract: str) -> str | None:
    try:
        Claim.model_validate({name: value for name, value in row.items() if name != "claim_id"})
    except ValidationError as error:
        return reason_of(error)
    start, end = row["start"], row["end"]
    if row["claim_id"] != claim_id(row["paper_id"], start, end):
        return f"claim_id {row['claim_id']!r} is not <paper_id>#<start>-<end>"
    if abstract[start:end] != row["text"]:
        return f"text {row['text']!r} is not abstract[{start}:{end}]"
    if not row["sentence_start"] <= start < end <= row["sentence_end"] <= len(abstract):
        return "the claim is not inside its sentence"
    if not all(
        math.isfinite(value)
        for value in (row["value"], row["value_max"], row["uncertainty"])
        if value is not None
    ):
        return "a value is not a finite number"
    return None


def _unique_claims(claims: pa.Table) -> pa.Table:
    """A paper listed twice in a batch (with the same text) has its claims twice: keep one of each."""
    ids = claims["claim_id"]
    if pc.count_distinct(ids).as_py() == claims.num_rows:
        return claims
    rows = pa.table({"claim_id": ids, "row": pa.array(range(claims.num_rows))})
    first = rows.group_by("claim_id").aggregate([("row", "min")])["row_min"].to_pylist()
    return claims.take(pa.array(sorted(first)))
