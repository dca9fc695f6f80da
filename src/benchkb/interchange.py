"""The Parquet interchange: what ``benchkb extract-many`` writes, ``benchkb load`` reads and DuckDB queries in
place.

    DIR/papers/<batch>.parquet    the papers table's columns (but ingested_at), and source_file, source_record
    DIR/claims/<batch>.parquet    the claims table's columns, for exactly the papers of the same batch
    DIR/rejects/<batch>.parquet   file, record, reason, raw: input records that could not be read or extracted

A batch is named by its input file and first record, so a batch done again (a retried Ray task) overwrites
itself. Its claims are written before its papers, each file under a temporary name then renamed: a papers file
that is there means its batch is whole.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from benchkb.batches import RAW_LIMIT, chunks
from benchkb.catalog import Catalog
from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.resources import schemas_dir
from benchkb.sources import ReadOptions, read_records
from benchkb.store import claims_schema, papers_schema, papers_table, text_sha

PAPERS, CLAIMS, REJECTS = "papers", "claims", "rejects"
CLAIMS_ARROW = claims_schema()
PAPERS_ARROW = (
    papers_schema().append(pa.field("source_file", pa.string())).append(pa.field("source_record", pa.int64()))
)
REJECTS_ARROW = pa.schema(
    [("file", pa.string()), ("record", pa.int64()), ("reason", pa.string()), ("raw", pa.string())]
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def batch_key(file: str, first_record: int) -> str:
    """``<file name>-<hash of its path>-<first record>``: readable, unique, the same when the batch is
    redone."""
    name = _UNSAFE.sub("_", Path(file).name)[:60]
    return f"{name}-{hashlib.sha1(file.encode()).hexdigest()[:8]}-{first_record:010d}"


def interchange_papers(papers: list[Paper], file: str) -> pa.Table:
    table = papers_table(papers, [text_sha(p) for p in papers], extracted=True)
    return table.append_column("source_file", pa.array([file] * len(papers), pa.string())).append_column(
        "source_record", pa.array([p.record or 0 for p in papers], pa.int64())
    )


def rejects_table(rejects: list[Reject]) -> pa.Table:
    return pa.table(
        {
            "file": [r.file for r in rejects],
            "record": [r.record for r in rejects],
            "reason": [r.reason for r in rejects],
            "raw": [r.raw for r in rejects],
        },
        schema=REJECTS_ARROW,
    )


def read_shard(path: Path, options: ReadOptions, directory: Path, batch_size: int) -> Iterator[pa.Table]:
    """The papers of one input file in tables of up to ``batch_size`` records; its unreadable records are
    written to ``DIR/rejects`` as they come."""
    for part in chunks(read_records(path, options), batch_size):
        papers = [item for item in part if isinstance(item, Paper)]
        rejects = [item for item in part if isinstance(item, Reject)]
        if rejects:
            key = batch_key(str(path), rejects[0].record) + "-read"
            write_atomically(directory / REJECTS / f"{key}.parquet", rejects_table(rejects))
        if papers:
            yield interchange_papers(papers, str(path))


def finish_batch(
    directory: Path, papers: pa.Table, claims: pa.Table, failures: dict[int, str]
) -> dict[str, int]:
    """Write one extracted batch: papers whose extraction failed become rejects, the others go with their
    claims. Returns what was written."""
    key = batch_key(papers.column("source_file")[0].as_py(), papers.column("source_record")[0].as_py())
    failed = []
    if failures:
        rows = papers.take(pa.array(sorted(failures), pa.int64())).to_pylist()
        failed = [
            Reject(
                file=row["source_file"],
                record=row["source_record"],
                reason=failures[index],
                raw=f"{row['paper_id']}: {row['abstract']}"[:RAW_LIMIT],
            )
            for index, row in zip(sorted(failures), rows, strict=True)
        ]
        keep = pc.invert(pc.is_in(pa.array(range(papers.num_rows)), value_set=pa.array(sorted(failures))))
        papers = papers.filter(keep)
    write_atomically(directory / CLAIMS / f"{key}.parquet", claims.cast(CLAIMS_ARROW))
    if failed:
        write_atomically(directory / REJECTS / f"{key}.parquet", rejects_table(failed))
    write_atomically(directory / PAPERS / f"{key}.parquet", papers.cast(PAPERS_ARROW))
    return {"papers": papers.num_rows, "claims": claims.num_rows, "rejected": len(failed)}


def write_atomically(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    pq.write_table(table, partial, compression="zstd")
    partial.replace(path)


def batch_files(directory: Path) -> list[Path]:
    """The papers files of an interchange directory, in name order; an error when it is not one."""
    if not (directory / PAPERS).is_dir():
        raise InputError("not a benchkb extract-many directory (no papers/ in it)", file=str(directory))
    return sorted((directory / PAPERS).glob("*.parquet"))


def connect(directory: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose ``papers``, ``claims`` and ``rejects`` are views over the Parquet files of an
    interchange directory (nothing is loaded), with the catalog tables and the knowledge base's views:
    ``results``, ``leaderboard`` and ``speedups`` are queried as in a knowledge base."""
    batch_files(directory)
    con = duckdb.connect()
    con.execute((schemas_dir() / "schema.sql").read_text(encoding="utf-8"))
    for name in (PAPERS, CLAIMS, REJECTS):
        con.execute(f"DROP TABLE {name}")
        files = directory / name / "*.parquet"
        if any((directory / name).glob("*.parquet")):
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{_quoted(files)}')")
        else:  # no rejects (or nothing at all): an empty table of the right shape
            schema = {PAPERS: PAPERS_ARROW, CLAIMS: CLAIMS_ARROW, REJECTS: REJECTS_ARROW}[name]
            con.register(f"empty_{name}", schema.empty_table())
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM empty_{name}")
    for table, rows in Catalog.load().table_rows().items():
        if rows:
            con.register("catalog_rows", pa.Table.from_pylist(rows))
            columns = ", ".join(f'"{c}"' for c in rows[0])
            con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM catalog_rows")
            con.unregister("catalog_rows")
    return con


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
