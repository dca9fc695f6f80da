"""The DuckDB knowledge base: papers, claims, the catalog, ingest bookkeeping and audit findings.

Writes are batched and transactional (a paper and its claims land together or not at all); values are always bound
as parameters or passed as Arrow data, never formatted into SQL. The schema lives in ``schemas/schema.sql``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from benchkb.errors import QueryError, StoreError
from benchkb.models import Claim, Finding, Paper, Reject
from benchkb.resources import schemas_dir

SCHEMA_VERSION = 1
DEFAULT_DB = "benchkb.duckdb"

_PAPER_COLUMNS = (
    "paper_id", "arxiv_id", "version", "title", "abstract", "abstract_sha", "published", "authors", "author_count",
    "organization", "upvotes", "categories", "venue", "source_format", "metadata", "extracted",
)
PAPER_FIELDS = tuple(name for name in _PAPER_COLUMNS if name in Paper.model_fields)
_CLAIM_COLUMNS = ("claim_id",) + tuple(Claim.model_fields)
_CATALOG_TABLES = ("benchmarks", "metrics", "models", "hardware", "hardware_peaks")
Claims = Iterable[Claim | dict[str, Any]] | pa.Table  # what write and replace_claims accept


def default_db_path() -> Path:
    """``BENCHKB_DB`` when set, else ``./benchkb.duckdb``."""
    return Path(os.environ.get("BENCHKB_DB") or DEFAULT_DB)


def text_sha(paper: Paper) -> str:
    """Fingerprint of what extraction reads: a change of title or abstract means re-extraction."""
    return hashlib.sha1(f"{paper.title}\x00{paper.abstract}".encode()).hexdigest()


def papers_table(papers: Sequence[Paper], shas: Sequence[str], *, extracted: bool) -> pa.Table:
    """Papers as an Arrow batch of the papers table (without ``ingested_at``), read straight off the models, column
    by column."""
    columns: dict[str, list[Any]] = {name: [getattr(p, name) for p in papers] for name in PAPER_FIELDS}
    columns["abstract_sha"] = list(shas)
    columns["metadata"] = [json.dumps(m, ensure_ascii=False, default=str) if m else None for m in columns["metadata"]]
    columns["extracted"] = [extracted] * len(papers)
    return pa.table({name: columns[name] for name in _PAPER_COLUMNS}, schema=PAPER_ARROW)


def claim_row(claim: Claim) -> dict[str, Any]:
    """A claim as a row of the claims table (its fields as they are: ``model_dump`` would copy each one)."""
    row = dict(claim.__dict__)
    row["claim_id"] = claim.claim_id
    return row


# Batches travel to DuckDB as Arrow tables built column by column: several times faster than building data frames
# from row dicts, which matters on the ingest's main process.
_TYPES = {"version": pa.int32(), "author_count": pa.int32(), "upvotes": pa.int32(), "published": pa.date32(),
          "authors": pa.list_(pa.string()), "categories": pa.list_(pa.string()), "extracted": pa.bool_(),
          "start": pa.int32(), "end": pa.int32(), "sentence_start": pa.int32(), "sentence_end": pa.int32(),
          "value": pa.float64(), "value_max": pa.float64(), "uncertainty": pa.float64(),
          "conditions": pa.list_(pa.string())}
PAPER_ARROW = pa.schema([(name, _TYPES.get(name, pa.string())) for name in _PAPER_COLUMNS])
CLAIM_ARROW = pa.schema([(name, _TYPES.get(name, pa.string())) for name in _CLAIM_COLUMNS])


@dataclass(frozen=True)
class RunCounts:
    """What an ingest run has committed so far: its ``ingest_runs`` row, kept current batch by batch."""

    run_id: int
    read: int = 0
    stored: int = 0
    unchanged: int = 0
    rejected: int = 0
    claims: int = 0


class Store:
    """An open knowledge base. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"no knowledge base at {self.path}: run `benchkb ingest FILE` first (or pass --db)")
        if not read_only and not self.path.parent.exists():
            raise StoreError(f"cannot create {self.path}: directory {self.path.parent} does not exist")
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
            # DuckDB would draw its own progress bar on stdout for long queries; output is ours to decide.
            self.con.execute("SET enable_progress_bar = false")
        except duckdb.Error as exc:
            raise StoreError(f"cannot open {self.path}: {_first_line(exc)}") from exc
        if not read_only:
            self._apply_schema()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # schema -------------------------------------------------------------------------------------------------------

    def _apply_schema(self) -> None:
        ddl = (schemas_dir() / "schema.sql").read_text(encoding="utf-8")
        try:
            self.con.execute(ddl)
            found = self.scalar("SELECT max(version) FROM schema_version")
            if found is None:
                self.con.execute("INSERT INTO schema_version (version) VALUES (?)", [SCHEMA_VERSION])
            elif found != SCHEMA_VERSION:
                raise StoreError(f"{self.path} has schema version {found}; this benchkb expects {SCHEMA_VERSION}")
        except duckdb.Error as exc:
            raise StoreError(f"cannot write {self.path}: {_first_line(exc)}") from exc

    # queries ------------------------------------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pl.DataFrame:
        """Run one statement and return its rows (an empty frame for statements without rows)."""
        try:
            relation = self.con.sql(sql, params=params)
            if relation is None:
                return pl.DataFrame()
            return pl.from_arrow(relation.to_arrow_table())
        except duckdb.Error as exc:
            raise QueryError(_first_line(exc)) from exc

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """The first value of the first row (the whole result is read, so the connection is free afterwards)."""
        try:
            rows = self.con.execute(sql, params or []).fetchall()
        except duckdb.Error as exc:
            raise QueryError(_first_line(exc)) from exc
        return rows[0][0] if rows else None

    # papers and claims --------------------------------------------------------------------------------------------

    def stored_shas(self, paper_ids: Sequence[str]) -> dict[str, str]:
        """The text fingerprints of those of ``paper_ids`` that are stored."""
        if not paper_ids:
            return {}
        self._register("ids", pl.DataFrame({"paper_id": list(paper_ids)}, schema={"paper_id": pl.String}))
        rows = self.con.execute("SELECT p.paper_id, p.abstract_sha FROM papers p JOIN ids USING (paper_id)").fetchall()
        self.con.unregister("ids")
        return dict(rows)

    def write(self, papers: Sequence[Paper], claims: Claims, *, extracted: bool, new: bool = False,
              shas: Sequence[str] | None = None, rejects: Sequence[Reject] = (), run: RunCounts | None = None) -> int:
        """Insert or replace ``papers`` and replace their claims (models, :func:`claim_row` rows or a
        :func:`claims_table`), in one transaction, with ``rejects`` and the run's counts after this write.
        ``new=True`` promises none of the papers is stored yet (no deletes needed); ``shas`` are the papers'
        :func:`text_sha` when already computed. Returns the number of claims written."""
        if not papers and not rejects and run is None:
            return 0
        shas = shas or [text_sha(p) for p in papers]
        paper_table = papers_table(papers, shas, extracted=extracted)
        claim_table = claims_table(claims)
        with self._transaction():
            if papers:
                self.con.register("batch_papers", paper_table)
                self.con.register("batch_claims", claim_table)
                if not new:
                    self.con.execute("DELETE FROM claims WHERE paper_id IN (SELECT paper_id FROM batch_papers)")
                    self.con.execute("DELETE FROM papers WHERE paper_id IN (SELECT paper_id FROM batch_papers)")
                self.con.execute(f"INSERT INTO papers ({_cols(_PAPER_COLUMNS)}) SELECT {_cols(_PAPER_COLUMNS)} FROM batch_papers")
                self.con.execute(f"INSERT INTO claims ({_cols(_CLAIM_COLUMNS)}) SELECT {_cols(_CLAIM_COLUMNS)} FROM batch_claims")
                self.con.unregister("batch_papers")
                self.con.unregister("batch_claims")
            if rejects:
                self._insert_rejects(run.run_id if run else None, rejects)
            if run is not None:
                self._set_counts(run)
        return claim_table.num_rows if papers else 0

    def replace_claims(self, paper_ids: Sequence[str], claims: Claims) -> int:
        """Replace the claims of already stored papers (re-extraction), in one transaction."""
        ids = pl.DataFrame({"paper_id": list(paper_ids)}, schema={"paper_id": pl.String})
        claim_table = claims_table(claims)
        with self._transaction():
            self._register("batch_ids", ids)
            self.con.register("batch_claims", claim_table)
            self.con.execute("DELETE FROM claims WHERE paper_id IN (SELECT paper_id FROM batch_ids)")
            self.con.execute(f"INSERT INTO claims ({_cols(_CLAIM_COLUMNS)}) SELECT {_cols(_CLAIM_COLUMNS)} FROM batch_claims")
            self.con.execute("UPDATE papers SET extracted = true WHERE paper_id IN (SELECT paper_id FROM batch_ids)")
        self.con.unregister("batch_ids")
        self.con.unregister("batch_claims")
        return claim_table.num_rows

    def defer_checkpoints(self) -> None:
        """For bulk loads: let the write-ahead log grow before DuckDB folds it into the file (checkpointing after
        every batch's commit cost more than the inserts), and bound DuckDB's memory. What is not yet folded in is
        held in memory, and DuckDB caches the blocks it reads up to its limit (by default most of the machine's
        memory), so without a limit the process grew with the store: 1.7 GB after a million abstracts."""
        self.con.execute("SET checkpoint_threshold = '512MB'")
        self.con.execute("SET memory_limit = '1GB'")

    def count_papers(self, *, only_unextracted: bool = False) -> int:
        where = " WHERE NOT extracted" if only_unextracted else ""
        return int(self.scalar(f"SELECT count(*) FROM papers{where}"))

    def iter_papers(self, *, batch_size: int = 2000, only_unextracted: bool = False) -> Iterator[list[Paper]]:
        """Stored papers in batches ordered by id. Each batch is its own query (keyset paging), so writing between
        batches is safe and memory stays at one batch."""
        extra = " AND NOT extracted" if only_unextracted else ""
        last = ""
        while True:
            rows = self.con.execute(
                f"SELECT {_cols(PAPER_FIELDS)} FROM papers WHERE paper_id > ?{extra} ORDER BY paper_id LIMIT ?",
                [last, batch_size],
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [_paper_from_row(row) for row in rows]

    def paper(self, paper_id: str) -> Paper | None:
        rows = self.con.execute(f"SELECT {_cols(PAPER_FIELDS)} FROM papers WHERE paper_id = ?", [paper_id]).fetchall()
        return _paper_from_row(rows[0]) if rows else None

    def claims_of(self, paper_id: str | None = None) -> list[Claim]:
        """The claims of one paper in text order; of every paper (ordered by paper) when ``paper_id`` is None."""
        where, params = ("WHERE paper_id = ?", [paper_id]) if paper_id is not None else ("", [])
        frame = self.query(f"SELECT * EXCLUDE (claim_id) FROM claims {where} ORDER BY paper_id, \"start\"", params)
        return [Claim(**row) for row in frame.iter_rows(named=True)]

    def set_resolution(self, surfaces: dict[str, list[tuple[str, str | None]]],
                       conditions: list[tuple[list[str], str | None, str | None]]) -> None:
        """Set the catalog ids of stored claims from (surface, id) pairs per column ('benchmark' -> benchmark_id)
        and from (conditions, hardware_id, precision) triples, in one transaction."""
        with self._transaction():
            for column, pairs in surfaces.items():
                frame = pl.DataFrame(pairs, schema={"surface": pl.String, "id": pl.String}, orient="row")
                self._register("resolution", frame)
                self.con.execute(f"UPDATE claims SET {column}_id = NULL")
                self.con.execute(f"UPDATE claims SET {column}_id = r.id FROM resolution r "
                                 f"WHERE claims.{column} = r.surface")
                self.con.unregister("resolution")
            frame = pl.DataFrame(conditions, orient="row", schema={
                "conditions": pl.List(pl.String), "hardware_id": pl.String, "precision": pl.String})
            self._register("resolution", frame)
            self.con.execute("UPDATE claims SET hardware_id = NULL, precision = NULL")
            self.con.execute("UPDATE claims SET hardware_id = r.hardware_id, precision = r.precision "
                             "FROM resolution r WHERE claims.conditions = r.conditions")
            self.con.unregister("resolution")

    # catalog ------------------------------------------------------------------------------------------------------

    def replace_catalog(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Replace the catalog tables with ``tables`` (name -> rows), all in one transaction."""
        unknown = set(tables) - set(_CATALOG_TABLES)
        if unknown:
            raise StoreError(f"not catalog tables: {sorted(unknown)}")
        with self._transaction():
            for name, rows in tables.items():
                self.con.execute(f"DELETE FROM {name}")
                if rows:
                    frame = pl.DataFrame(rows, infer_schema_length=None)
                    self._register("catalog_rows", frame)
                    self.con.execute(f"INSERT INTO {name} ({_cols(frame.columns)}) SELECT * FROM catalog_rows")
                    self.con.unregister("catalog_rows")

    # ingest bookkeeping -------------------------------------------------------------------------------------------

    def start_run(self, file: str, fmt: str | None) -> int:
        return int(self.scalar("INSERT INTO ingest_runs (file, format, started_at) VALUES (?, ?, ?) RETURNING run_id",
                               [file, fmt, dt.datetime.now()]))

    def finish_run(self, counts: RunCounts) -> None:
        with self._transaction():
            self._set_counts(counts)
            self.con.execute("UPDATE ingest_runs SET finished_at = ? WHERE run_id = ?", [dt.datetime.now(), counts.run_id])

    def _set_counts(self, counts: RunCounts) -> None:
        values = asdict(counts)
        run_id = values.pop("run_id")
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.con.execute(f"UPDATE ingest_runs SET {assignments} WHERE run_id = ?", [*values.values(), run_id])

    def add_rejects(self, run_id: int, rejects: Sequence[Reject]) -> None:
        if rejects:
            with self._transaction():
                self._insert_rejects(run_id, rejects)

    def _insert_rejects(self, run_id: int | None, rejects: Sequence[Reject]) -> None:
        table = pa.table({"run_id": pa.array([run_id] * len(rejects), pa.int32()),
                          "file": [r.file for r in rejects], "record": pa.array([r.record for r in rejects], pa.int64()),
                          "reason": [r.reason for r in rejects], "raw": [r.raw for r in rejects]})
        self.con.register("batch_rejects", table)
        self.con.execute("INSERT INTO rejects (run_id, file, record, reason, raw) SELECT * FROM batch_rejects")
        self.con.unregister("batch_rejects")

    # audit findings -----------------------------------------------------------------------------------------------

    def replace_findings(self, findings: Sequence[Finding], *, rules: Sequence[str]) -> None:
        """Replace the findings of ``rules`` with ``findings``, in one transaction."""
        frame = pl.DataFrame(
            [{"finding_id": f.finding_id, "rule": f.rule, "severity": f.severity, "message": f.message,
              "claim_ids": f.claim_ids, "paper_ids": f.paper_ids,
              "evidence": json.dumps(f.evidence, ensure_ascii=False, default=str)} for f in findings],
            schema={"finding_id": pl.String, "rule": pl.String, "severity": pl.String, "message": pl.String,
                    "claim_ids": pl.List(pl.String), "paper_ids": pl.List(pl.String), "evidence": pl.String},
        )
        with self._transaction():
            self.con.execute("DELETE FROM findings WHERE list_contains(?, rule)", [list(rules)])
            self._register("batch_findings", frame)
            self.con.execute(f"INSERT INTO findings ({_cols(frame.columns)}) SELECT * FROM batch_findings")
        self.con.unregister("batch_findings")

    # plumbing -----------------------------------------------------------------------------------------------------

    def _register(self, name: str, frame: pl.DataFrame) -> None:
        self.con.register(name, frame.to_arrow())

    def _transaction(self) -> _Transaction:
        return _Transaction(self)


class _Transaction:
    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> None:
        if self.store.read_only:
            raise StoreError(f"{self.store.path} is open read-only")
        self.store.con.execute("BEGIN TRANSACTION")

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if exc_type is None:
            try:
                self.store.con.execute("COMMIT")
            except duckdb.Error as error:
                raise StoreError(f"cannot write {self.store.path}: {_first_line(error)}") from error
        else:
            self.store.con.execute("ROLLBACK")
            if isinstance(exc, duckdb.Error):
                raise StoreError(f"cannot write {self.store.path}: {_first_line(exc)}") from exc


def claims_table(claims: Claims) -> pa.Table:
    """Claims as an Arrow batch in the claims table's shape (a table passes through)."""
    if isinstance(claims, pa.Table):
        return claims
    return _arrow([c if isinstance(c, dict) else claim_row(c) for c in claims], CLAIM_ARROW)


def _arrow(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    return pa.table({name: [row[name] for row in rows] for name in schema.names}, schema=schema)


def _paper_from_row(values: tuple[Any, ...]) -> Paper:
    """A Paper from the values of the PAPER_FIELDS columns."""
    row = dict(zip(PAPER_FIELDS, values))
    row["metadata"] = json.loads(row["metadata"]) if row["metadata"] else {}
    row["authors"] = row["authors"] or []
    row["categories"] = row["categories"] or []
    return Paper(**row)


def _cols(names: Iterable[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
