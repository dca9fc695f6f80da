"""The DuckDB knowledge base: papers, claims, the catalog, ingest bookkeeping and audit findings.

Writes are batched and transactional (a paper and its claims land together or not at all); values are always
bound as parameters or passed as Arrow data, never formatted into SQL. The schema lives in
``schemas/schema.sql``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from benchkb.errors import InputError, NotFoundError, QueryError, StoreError
from benchkb.resources import schemas_dir
from benchkb.rows import Rows

# polars and pyarrow are imported where they are used: `benchkb sql` and `benchkb show` read plain rows and
# start faster without them (about 0.3 s of imports). So are the record models and paper identity, which
# only writing and reading papers or claims as models need: `benchkb sql` and `papers` never build one.
if TYPE_CHECKING:
    import polars as pl
    import pyarrow as pa

    from benchkb.models import Claim, Finding, Paper, Reject, Review

# An older knowledge base is upgraded on a writable open by schemas/migrate-<version>.sql, version by version.
SCHEMA_VERSION = 3
DEFAULT_DB = "benchkb.duckdb"

_PAPER_COLUMNS = (
    "paper_id",
    "arxiv_id",
    "version",
    "title",
    "abstract",
    "abstract_sha",
    "published",
    "published_precision",
    "authors",
    "author_count",
    "organization",
    "upvotes",
    "categories",
    "venue",
    "source_format",
    "metadata",
    "extracted",
)
_CATALOG_TABLES = ("benchmarks", "metrics", "models", "hardware", "hardware_peaks")
_NUMBER_COLUMNS = ("value", "value_max", "uncertainty")
Claims = "Iterable[Claim | dict[str, Any]] | pa.Table"  # what write and replace_claims accept


@functools.cache
def paper_fields() -> tuple[str, ...]:
    """The papers table's columns that are fields of Paper: what reading a paper selects."""
    from benchkb.models import Paper

    return tuple(name for name in _PAPER_COLUMNS if name in Paper.model_fields)


@functools.cache
def _claim_columns() -> tuple[str, ...]:
    """The claims table's columns: the claim's id and the fields of Claim."""
    from benchkb.models import Claim

    return ("claim_id", *Claim.model_fields)


def default_db_path() -> Path:
    """``BENCHKB_DB`` when set, else ``./benchkb.duckdb``."""
    return Path(os.environ.get("BENCHKB_DB") or DEFAULT_DB)


def text_sha(paper: Paper) -> str:
    """Fingerprint of what extraction reads: a change of title or abstract means re-extraction."""
    return hashlib.sha1(f"{paper.title}\x00{paper.abstract}".encode()).hexdigest()


def papers_table(papers: Sequence[Paper], shas: Sequence[str], *, extracted: bool) -> pa.Table:
    """Papers as an Arrow batch of the papers table (without ``ingested_at``), read straight off the models,
    column by column."""
    import pyarrow as pa

    from benchkb.paper_identity import precision_of

    columns: dict[str, list[Any]] = {name: [getattr(p, name) for p in papers] for name in paper_fields()}
    columns["abstract_sha"] = list(shas)
    columns["metadata"] = [
        json.dumps(m, ensure_ascii=False, default=str) if m else None for m in columns["metadata"]
    ]
    columns["published_precision"] = [precision_of(p) for p in papers]
    columns["extracted"] = [extracted] * len(papers)
    try:
        return pa.table({name: columns[name] for name in _PAPER_COLUMNS}, schema=papers_schema())
    except (
        pa.ArrowException,
        OverflowError,
        UnicodeEncodeError,
    ) as exc:  # what benchkb.sources mends on reading
        raise StoreError(f"cannot store this batch of papers: {_first_line(exc)}") from exc


def claim_row(claim: Claim) -> dict[str, Any]:
    """A claim as a row of the claims table (its fields as they are: ``model_dump`` would copy each one)."""
    row = dict(claim.__dict__)
    row["claim_id"] = claim.claim_id
    return row


# Batches travel to DuckDB as Arrow tables built column by column: several times faster than building data
# frames from row dicts, which matters on the ingest's main process.
def _arrow_schema(names: Sequence[str]) -> pa.Schema:
    """The Arrow schema of those columns of the papers or claims table (text unless listed)."""
    import pyarrow as pa

    types = {
        "version": pa.int32(),
        "author_count": pa.int32(),
        "upvotes": pa.int32(),
        "published": pa.date32(),
        "authors": pa.list_(pa.string()),
        "categories": pa.list_(pa.string()),
        "extracted": pa.bool_(),
        "start": pa.int32(),
        "end": pa.int32(),
        "sentence_start": pa.int32(),
        "sentence_end": pa.int32(),
        "value": pa.float64(),
        "value_max": pa.float64(),
        "uncertainty": pa.float64(),
        "conditions": pa.list_(pa.string()),
    }
    return pa.schema([(name, types.get(name, pa.string())) for name in names])


def papers_schema() -> pa.Schema:
    """The papers table's columns (but ``ingested_at``) as an Arrow schema."""
    return _arrow_schema(_PAPER_COLUMNS)


def claims_schema() -> pa.Schema:
    """The claims table's columns as an Arrow schema."""
    return _arrow_schema(_claim_columns())


@dataclass(frozen=True)
class RunCounts:
    """What an ingest run has committed so far: its ``ingest_runs`` row, kept current batch by batch."""

    run_id: int
    read: int = 0
    stored: int = 0
    unchanged: int = 0
    rejected: int = 0
    claims: int = 0


# Nothing is ever downloaded (a SQLite file makes DuckDB fetch its sqlite extension), and a read-only
# knowledge base reads nothing but itself: no files, no extensions, no ATTACH, no COPY TO. DuckDB enforces
# this, not a keyword list; `lock_configuration` (set after the progress bar, see Store) keeps any statement
# from turning it back on.
_NO_DOWNLOADS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
_CONFIG = {False: _NO_DOWNLOADS, True: {**_NO_DOWNLOADS, "enable_external_access": False}}
_DUCKDB_MAGIC = b"DUCK"  # at byte 8 of every DuckDB database file
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _check_duckdb_file(path: Path) -> None:
    """A file that exists must be a DuckDB database: anything else is refused before DuckDB touches it."""
    try:
        with path.open("rb") as stream:
            head = stream.read(16)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"cannot open {path}: {exc.strerror or exc}") from exc
    if head[8:12] == _DUCKDB_MAGIC:
        return
    if head.startswith(_SQLITE_MAGIC):
        raise StoreError(f"{path} is a SQLite database, not a benchkb knowledge base (DuckDB)")
    if not head:
        raise StoreError(f"{path} is empty, not a DuckDB database: remove it, or pass another --db")
    raise StoreError(f"{path} is not a DuckDB database")


class Store:
    """An open knowledge base. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(
                f"no knowledge base at {self.path}: run `benchkb ingest FILE` first (or pass --db)"
            )
        if not read_only and not self.path.parent.exists():
            raise StoreError(f"cannot create {self.path}: directory {self.path.parent} does not exist")
        _check_duckdb_file(self.path)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only, config=_CONFIG[read_only])
            # The user's SQL may run on a read-only store: no statement may undo its settings. (A second
            # connection in this process shares the first one's database, already locked.)
            if not self.scalar("SELECT current_setting('lock_configuration')"):
                # DuckDB would draw its own progress bar on stdout for long queries; output is ours to decide.
                self.con.execute("SET enable_progress_bar = false")
                if read_only:
                    self.con.execute("SET lock_configuration = true")
        except duckdb.Error as exc:
            raise StoreError(f"cannot open {self.path}: {_first_line(exc)}") from exc
        self._check_schema_version()
        if not read_only:
            self._apply_schema()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # schema
    # -------------------------------------------------------------------------------------------------------

    def _check_schema_version(self) -> None:
        """Refuse a knowledge base of a newer schema before anything (views included) is written to it; an
        older one is migrated (``_migrate``) when opened for writing."""
        try:
            found = self._stored_schema_version()
        except StoreError:
            self.close()
            raise
        if found is not None and found > SCHEMA_VERSION:
            self.close()
            raise StoreError(
                f"{self.path} has schema version {found}, written by a newer benchkb; this one knows "
                f"up to {SCHEMA_VERSION}"
            )

    def _stored_schema_version(self) -> int | None:
        exists = self.scalar(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = 'schema_version'"
        )
        return self.scalar("SELECT max(version) FROM schema_version") if exists else None

    def _apply_schema(self) -> None:
        ddl = (schemas_dir() / "schema.sql").read_text(encoding="utf-8")
        try:
            self._migrate()
            self.con.execute(ddl)
            if self.scalar("SELECT max(version) FROM schema_version") is None:
                self.con.execute("INSERT INTO schema_version (version) VALUES (?)", [SCHEMA_VERSION])
        except duckdb.Error as exc:
            raise StoreError(f"cannot write {self.path}: {_first_line(exc)}") from exc

    def _migrate(self) -> None:
        """Bring a knowledge base of an older schema up to this one (``schemas/migrate-<version>.sql``),
        before the schema's views, which need the new columns, are created."""
        found = self._stored_schema_version()
        while found is not None and found < SCHEMA_VERSION:
            found += 1
            with self._transaction():
                self.con.execute((schemas_dir() / f"migrate-{found}.sql").read_text(encoding="utf-8"))
                self.con.execute("INSERT INTO schema_version (version) VALUES (?)", [found])

    # queries
    # ------------------------------------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pl.DataFrame:
        """Run one statement and return its rows (an empty frame for statements without rows)."""
        import polars as pl

        try:
            relation = self._relation(sql, params)
            return pl.DataFrame() if relation is None else pl.DataFrame(relation)
        except duckdb.Error as exc:
            raise QueryError(_first_line(exc)) from exc

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Rows:
        """Run one statement and return its rows as Python values (none for statements without rows)."""
        try:
            relation = self._relation(sql, params)
            if relation is None:
                return Rows([], [], [])
            numeric = [_is_numeric(str(kind)) for kind in relation.types]
            return Rows(list(relation.columns), numeric, relation.fetchall())
        except duckdb.Error as exc:
            raise QueryError(_first_line(exc)) from exc

    def _relation(
        self, sql: str, params: Sequence[Any] | dict[str, Any] | None
    ) -> duckdb.DuckDBPyRelation | None:
        statements = self.con.extract_statements(sql)
        if len(statements) > 1:
            # DuckDB would run them all and return the last result: a reader sees one table and misses the
            # rest.
            raise QueryError(
                f"one SQL statement at a time: this text holds {len(statements)} (separated by ';')"
            )
        return self.con.sql(sql, params=params)

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """The first value of the first row (the whole result is read, so the connection is free
        afterwards)."""
        try:
            rows = self.con.execute(sql, params or []).fetchall()
        except duckdb.Error as exc:
            raise QueryError(_first_line(exc)) from exc
        return rows[0][0] if rows else None

    # papers and claims
    # --------------------------------------------------------------------------------------------

    def stored_shas(self, papers: Sequence[Paper]) -> dict[str, str]:
        """By paper id, the stored text fingerprint of each of ``papers``' sources (the same record read
        before); '' for a paper stored from another source only (the arXiv listing of a venue record's arXiv
        id)."""
        if not papers:
            return {}
        import polars as pl

        from benchkb.paper_identity import source_key

        keys = {source_key(p): p.paper_id for p in papers}
        self._register("ids", pl.DataFrame({"source_key": list(keys)}, schema={"source_key": pl.String}))
        rows = self.con.execute(
            "SELECT s.source_key, s.abstract_sha FROM paper_sources s JOIN ids USING (source_key)"
        ).fetchall()
        self.con.unregister("ids")
        found = {keys[key]: sha for key, sha in rows}
        unseen = [paper_id for paper_id in keys.values() if paper_id not in found]
        if unseen:  # a record not read before may still be of a paper stored from another source
            self._register("ids", pl.DataFrame({"paper_id": unseen}, schema={"paper_id": pl.String}))
            found.update(
                (paper_id, "")
                for (paper_id,) in self.con.execute(
                    "SELECT p.paper_id FROM papers p JOIN ids USING (paper_id)"
                ).fetchall()
            )
            self.con.unregister("ids")
        return found

    def write(
        self,
        papers: Sequence[Paper],
        claims: Claims,
        *,
        extracted: bool,
        new: bool = False,
        shas: Sequence[str] | None = None,
        rejects: Sequence[Reject] = (),
        run: RunCounts | None = None,
    ) -> int:
        """Insert or replace ``papers`` and replace their claims (models, :func:`claim_row` rows or a
        :func:`claims_table`), in one transaction, with ``rejects`` and the run's counts after this write.
        ``new=True`` promises none of the papers is stored yet (no deletes needed); ``shas`` are the papers'
        :func:`text_sha` when already computed. Returns the number of claims written."""
        if not papers and not rejects and run is None:
            return 0
        shas = list(shas or [text_sha(p) for p in papers])
        claim_table = claims_table(claims)
        with self._transaction():
            if papers:
                claim_table = self._write_papers(papers, shas, claim_table, extracted=extracted, new=new)
            if rejects:
                self._insert_rejects(run.run_id if run else None, rejects)
            if run is not None:
                self._set_counts(run)
        return claim_table.num_rows if papers else 0

    def _write_papers(
        self, papers: Sequence[Paper], shas: list[str], claim_table: pa.Table, *, extracted: bool, new: bool
    ) -> pa.Table:
        """The papers and claims part of :meth:`write`, inside its transaction; returns the claims written."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from benchkb.paper_identity import BATCH_KEYS_SQL, SOURCE_COLUMNS, sources_table

        outranked = {} if new else self._outranked(papers)
        if outranked:  # another source of the same paper keeps its text: only the record is kept
            self._add_secondary_sources([(p, sha) for p, sha in zip(papers, shas) if p.paper_id in outranked])
            kept = [i for i, p in enumerate(papers) if p.paper_id not in outranked]
            papers, shas = [papers[i] for i in kept], [shas[i] for i in kept]
            claim_table = claim_table.filter(
                pc.invert(pc.is_in(claim_table["paper_id"], pa.array(list(outranked))))
            )
        self.con.register("batch_papers", papers_table(papers, shas, extracted=extracted))
        self.con.register("batch_claims", claim_table)
        self.con.register("batch_sources", sources_table(papers, shas))
        if not new:
            for table in ("claims", "papers", "paper_keys"):
                self.con.execute(f"DELETE FROM {table} WHERE paper_id IN (SELECT paper_id FROM batch_papers)")
            self.con.execute(
                "DELETE FROM paper_sources WHERE source_key IN (SELECT source_key FROM batch_sources)"
            )
            self.con.execute(
                "UPDATE paper_sources SET is_primary = false "
                "WHERE paper_id IN (SELECT paper_id FROM batch_papers)"
            )
        self.con.execute(
            f"INSERT INTO papers ({_cols(_PAPER_COLUMNS)}) SELECT {_cols(_PAPER_COLUMNS)} FROM batch_papers"
        )
        claim_columns = _cols(_claim_columns())
        self.con.execute(f"INSERT INTO claims ({claim_columns}) SELECT {claim_columns} FROM batch_claims")
        self.con.execute(
            f"INSERT INTO paper_sources ({_cols(SOURCE_COLUMNS)}) "
            f"SELECT {_cols(SOURCE_COLUMNS)} FROM batch_sources"
        )
        self.con.execute(BATCH_KEYS_SQL)
        if not new:
            self._date_from_sources("SELECT paper_id FROM batch_papers")
        for name in ("batch_papers", "batch_claims", "batch_sources"):
            self.con.unregister(name)
        return claim_table

    def _outranked(self, papers: Sequence[Paper]) -> dict[str, str]:
        """Paper id -> the stored source that keeps its text, for those of ``papers`` (records) whose paper is
        stored from a better-ranked other source (by priority, then source key)."""
        import polars as pl

        from benchkb.paper_identity import priority, source_key

        self._register(
            "ids", pl.DataFrame({"paper_id": [p.paper_id for p in papers]}, schema={"paper_id": pl.String})
        )
        rows = self.con.execute(
            "SELECT paper_id, source_key, priority FROM paper_sources "
            "WHERE is_primary AND paper_id IN (SELECT paper_id FROM ids)"
        ).fetchall()
        self.con.unregister("ids")
        stored = {paper_id: (key, rank) for paper_id, key, rank in rows}
        outranked = {}
        for paper in papers:
            key, rank = stored.get(paper.paper_id, (None, None))
            if (
                key is not None
                and key != source_key(paper)
                and (-rank, key) < (-priority(paper), source_key(paper))
            ):
                outranked[paper.paper_id] = key
        return outranked

    def _add_secondary_sources(self, records: list[tuple[Paper, str]]) -> None:
        """Keep records (with their text fingerprints) of stored papers as their secondary sources (matched by
        their arXiv id)."""
        from benchkb.paper_identity import SOURCE_COLUMNS, sources_table

        table = sources_table(
            [paper for paper, _ in records], [sha for _, sha in records], matched_by="arxiv id"
        )
        self.con.register("secondary_sources", table)
        self.con.execute(
            "DELETE FROM paper_sources WHERE source_key IN (SELECT source_key FROM secondary_sources)"
        )
        self.con.execute(
            f"INSERT INTO paper_sources ({_cols(SOURCE_COLUMNS)}) "
            f"SELECT {_cols(SOURCE_COLUMNS)} FROM secondary_sources"
        )
        self._date_from_sources("SELECT paper_id FROM secondary_sources")
        self.con.unregister("secondary_sources")

    def merge_papers(self, merges: Sequence[tuple[str, str, str, float]]) -> None:
        """Merge papers into others, in one transaction: for each (merged paper, kept paper, matched_by,
        similarity) the merged paper's sources move to the kept one as secondary sources, and its row, claims
        and keys go. The kept paper's date becomes the earliest its sources give, its venue theirs."""
        import polars as pl

        frame = pl.DataFrame(
            merges,
            orient="row",
            schema={
                "merged": pl.String,
                "kept": pl.String,
                "matched_by": pl.String,
                "similarity": pl.Float64,
            },
        )
        with self._transaction():
            self._register("merges", frame)
            self.con.execute(
                "UPDATE paper_sources SET paper_id = m.kept, is_primary = false, "
                "matched_by = m.matched_by, similarity = m.similarity "
                "FROM merges m WHERE paper_sources.paper_id = m.merged"
            )
            for table in ("claims", "paper_keys", "papers"):
                self.con.execute(f"DELETE FROM {table} WHERE paper_id IN (SELECT merged FROM merges)")
            self._date_from_sources("SELECT kept FROM merges")
            self.con.unregister("merges")

    def _date_from_sources(self, paper_ids_sql: str) -> None:
        """Papers (``paper_ids_sql`` selects them) take the earliest date and a venue from their sources."""
        from benchkb.paper_identity import DATE_FROM_SOURCES_SQL

        self.con.execute(DATE_FROM_SOURCES_SQL.format(paper_ids=paper_ids_sql))

    def replace_claims(self, paper_ids: Sequence[str], claims: Claims) -> int:
        """Replace the claims of already stored papers (re-extraction), in one transaction."""
        import polars as pl

        ids = pl.DataFrame({"paper_id": list(paper_ids)}, schema={"paper_id": pl.String})
        claim_table = claims_table(claims)
        with self._transaction():
            self._register("batch_ids", ids)
            self.con.register("batch_claims", claim_table)
            self.con.execute("DELETE FROM claims WHERE paper_id IN (SELECT paper_id FROM batch_ids)")
            claim_columns = _cols(_claim_columns())
            self.con.execute(f"INSERT INTO claims ({claim_columns}) SELECT {claim_columns} FROM batch_claims")
            self.con.execute(
                "UPDATE papers SET extracted = true WHERE paper_id IN (SELECT paper_id FROM batch_ids)"
            )
        self.con.unregister("batch_ids")
        self.con.unregister("batch_claims")
        return claim_table.num_rows

    def defer_checkpoints(self) -> None:
        """For bulk loads: let the write-ahead log grow before DuckDB folds it into the file (checkpointing
        after every batch's commit cost more than the inserts), and bound DuckDB's memory. What is not yet
        folded in is held in memory, and DuckDB caches the blocks it reads up to its limit (by default most of
        the machine's memory), so without a limit the process grew with the store: 1.7 GB after a million
        abstracts; with 1 GB and 512 MB of log, 0.66 GB at 100k and 1.39 GB at 1M; with these, 0.60, 0.53 and
        0.65 GB at 100k, 300k and 1M at the same speed (``benchmarks/scale.py``)."""
        self.con.execute("SET checkpoint_threshold = '128MB'")
        self.con.execute("SET memory_limit = '384MB'")

    def count_papers(self, *, only_unextracted: bool = False) -> int:
        where = " WHERE NOT extracted" if only_unextracted else ""
        return int(self.scalar(f"SELECT count(*) FROM papers{where}"))

    def iter_papers(self, *, batch_size: int = 2000, only_unextracted: bool = False) -> Iterator[list[Paper]]:
        """Stored papers in batches ordered by id. Each batch is its own query (keyset paging), so writing
        between batches is safe and memory stays at one batch."""
        extra = " AND NOT extracted" if only_unextracted else ""
        last = ""
        while True:
            rows = self.con.execute(
                f"SELECT {_cols(paper_fields())} FROM papers WHERE paper_id > ?{extra} "
                "ORDER BY paper_id LIMIT ?",
                [last, batch_size],
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [_paper_from_row(row) for row in rows]

    def paper(self, paper_id: str) -> Paper | None:
        rows = self.con.execute(
            f"SELECT {_cols(paper_fields())} FROM papers WHERE paper_id = ?", [paper_id]
        ).fetchall()
        return _paper_from_row(rows[0]) if rows else None

    def claims_of(self, paper_id: str | None = None) -> list[Claim]:
        """The claims of one paper in text order; of every paper (ordered by paper) when ``paper_id`` is
        None."""
        from benchkb.models import Claim

        where, params = ("WHERE paper_id = ?", [paper_id]) if paper_id is not None else ("", [])
        found = self.rows(
            f'SELECT * EXCLUDE (claim_id) FROM claims {where} ORDER BY paper_id, "start"', params
        )
        return [Claim(**row) for row in found.dicts()]

    def set_resolution(
        self,
        surfaces: dict[str, list[tuple[str, str | None]]],
        conditions: list[tuple[list[str], str | None, str | None]],
    ) -> None:
        """Set the catalog ids of stored claims from (surface, id) pairs per column ('benchmark' ->
        benchmark_id) and from (conditions, hardware_id, precision) triples, in one transaction."""
        import polars as pl

        with self._transaction():
            for column, pairs in surfaces.items():
                frame = pl.DataFrame(pairs, schema={"surface": pl.String, "id": pl.String}, orient="row")
                self._register("resolution", frame)
                self.con.execute(f"UPDATE claims SET {column}_id = NULL")
                self.con.execute(
                    f"UPDATE claims SET {column}_id = r.id FROM resolution r "
                    f"WHERE claims.{column} = r.surface"
                )
                self.con.unregister("resolution")
            frame = pl.DataFrame(
                conditions,
                orient="row",
                schema={"conditions": pl.List(pl.String), "hardware_id": pl.String, "precision": pl.String},
            )
            self._register("resolution", frame)
            self.con.execute("UPDATE claims SET hardware_id = NULL, precision = NULL")
            self.con.execute(
                "UPDATE claims SET hardware_id = r.hardware_id, precision = r.precision "
                "FROM resolution r WHERE claims.conditions = r.conditions"
            )
            self.con.unregister("resolution")

    def set_claim_context(self, metrics: list[tuple], subjects: list[tuple]) -> None:
        """Set what the catalog decides from a claim's context, in one transaction: the metric (as named, or
        as the benchmark decides it), from (benchmark_id, metric, unit, kind, metric_id, metric_inferred)
        rows, and whether the subject is a system, from (subject, subject_id, benchmark, subject_kind)
        rows."""
        import polars as pl

        inferred = pl.DataFrame(
            metrics,
            orient="row",
            schema={
                "benchmark_id": pl.String,
                "metric": pl.String,
                "unit": pl.String,
                "kind": pl.String,
                "metric_id": pl.String,
                "metric_inferred": pl.String,
            },
        )
        kinds = pl.DataFrame(
            subjects,
            orient="row",
            schema={
                "subject": pl.String,
                "subject_id": pl.String,
                "benchmark": pl.String,
                "subject_kind": pl.String,
            },
        )
        with self._transaction():
            self._register("inferred", inferred)
            self._register("kinds", kinds)
            self.con.execute("UPDATE claims SET metric_inferred = NULL, subject_kind = NULL")
            self.con.execute(
                "UPDATE claims SET metric_id = r.metric_id, metric_inferred = r.metric_inferred "
                "FROM inferred r WHERE claims.benchmark_id IS NOT DISTINCT FROM r.benchmark_id "
                "AND claims.unit = r.unit AND claims.kind = r.kind "
                "AND claims.metric IS NOT DISTINCT FROM r.metric"
            )
            self.con.execute(
                "UPDATE claims SET subject_kind = k.subject_kind FROM kinds k "
                "WHERE claims.subject = k.subject AND claims.subject_id IS NOT DISTINCT FROM k.subject_id "
                "AND claims.benchmark IS NOT DISTINCT FROM k.benchmark"
            )
            self.con.unregister("inferred")
            self.con.unregister("kinds")

    # catalog
    # ------------------------------------------------------------------------------------------------------

    def replace_catalog(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Replace the catalog tables with ``tables`` (name -> rows), all in one transaction."""
        unknown = set(tables) - set(_CATALOG_TABLES)
        if unknown:
            raise StoreError(f"not catalog tables: {sorted(unknown)}")
        import polars as pl

        with self._transaction():
            for name, rows in tables.items():
                self.con.execute(f"DELETE FROM {name}")
                if rows:
                    frame = pl.DataFrame(rows, infer_schema_length=None)
                    self._register("catalog_rows", frame)
                    self.con.execute(
                        f"INSERT INTO {name} ({_cols(frame.columns)}) SELECT * FROM catalog_rows"
                    )
                    self.con.unregister("catalog_rows")

    # ingest bookkeeping
    # -------------------------------------------------------------------------------------------

    def start_run(self, file: str, fmt: str | None) -> int:
        return int(
            self.scalar(
                "INSERT INTO ingest_runs (file, format, started_at) VALUES (?, ?, ?) RETURNING run_id",
                [file, fmt, dt.datetime.now()],
            )
        )

    def finish_run(self, counts: RunCounts) -> None:
        with self._transaction():
            self._set_counts(counts)
            self.con.execute(
                "UPDATE ingest_runs SET finished_at = ? WHERE run_id = ?", [dt.datetime.now(), counts.run_id]
            )

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
        import pyarrow as pa

        table = pa.table(
            {
                "run_id": pa.array([run_id] * len(rejects), pa.int32()),
                "file": [r.file for r in rejects],
                "record": pa.array([r.record for r in rejects], pa.int64()),
                "reason": [r.reason for r in rejects],
                "raw": [r.raw for r in rejects],
            }
        )
        self.con.register("batch_rejects", table)
        self.con.execute(
            "INSERT INTO rejects (run_id, file, record, reason, raw) SELECT * FROM batch_rejects"
        )
        self.con.unregister("batch_rejects")

    # audit findings
    # -----------------------------------------------------------------------------------------------

    def replace_findings(self, findings: Sequence[Finding], *, rules: Sequence[str]) -> None:
        """Replace the findings of ``rules`` with ``findings``, in one transaction."""
        import polars as pl

        frame = pl.DataFrame(
            [
                {
                    "finding_id": f.finding_id,
                    "rule": f.rule,
                    "severity": f.severity,
                    "message": f.message,
                    "suspect": f.suspect,
                    "claim_ids": f.claim_ids,
                    "paper_ids": f.paper_ids,
                    "evidence": json.dumps(f.evidence, ensure_ascii=False, default=str),
                }
                for f in findings
            ],
            schema={
                "finding_id": pl.String,
                "rule": pl.String,
                "severity": pl.String,
                "message": pl.String,
                "suspect": pl.String,
                "claim_ids": pl.List(pl.String),
                "paper_ids": pl.List(pl.String),
                "evidence": pl.String,
            },
        )
        with self._transaction():
            self.con.execute("DELETE FROM findings WHERE list_contains(?, rule)", [list(rules)])
            self._register("batch_findings", frame)
            self.con.execute(f"INSERT INTO findings ({_cols(frame.columns)}) SELECT * FROM batch_findings")
        self.con.unregister("batch_findings")

    # reviews
    # ------------------------------------------------------------------------------------------------------

    def add_review(self, review: Review) -> int:
        """Store a review of the paper's current text and return its id. Raises NotFoundError for an unknown
        paper and InputError when the span is not the text it names."""
        found = self.con.execute(
            "SELECT abstract, abstract_sha FROM papers WHERE paper_id = ?", [review.paper_id]
        ).fetchall()
        if not found:
            raise NotFoundError(f"no paper {review.paper_id!r} to review")
        abstract, sha = found[0]
        if abstract[review.start : review.end] != review.text:
            raise InputError(
                f"review of {review.claim_id}: {review.text!r} is not the abstract's text at "
                f"{review.start}-{review.end}"
            )
        corrections = json.dumps(review.corrections.model_dump(exclude_unset=True), ensure_ascii=False)
        with self._transaction():
            return int(
                self.scalar(
                    'INSERT INTO reviews (claim_id, paper_id, "start", "end", text, verdict, corrections, '
                    "abstract_sha) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING review_id",
                    [
                        review.claim_id,
                        review.paper_id,
                        review.start,
                        review.end,
                        review.text,
                        review.verdict,
                        corrections,
                        sha,
                    ],
                )
            )

    # plumbing
    # -----------------------------------------------------------------------------------------------------

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
    """Claims as an Arrow batch in the claims table's shape (a table passes through). A value that is not a
    finite number is refused here, whatever produced it: JSON, the audit and SQL comparisons all break on inf
    and nan."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(claims, pa.Table):
        table = claims
    else:
        rows = [c if isinstance(c, dict) else claim_row(c) for c in claims]
        try:
            table = pa.table(
                {name: [row[name] for row in rows] for name in _claim_columns()},
                schema=_arrow_schema(_claim_columns()),
            )
        except (
            pa.ArrowException,
            OverflowError,
            UnicodeEncodeError,
        ) as exc:  # a lone surrogate, an int over 32 bits
            raise StoreError(f"cannot store this batch: {_first_line(exc)}") from exc
    for column in _NUMBER_COLUMNS:
        values = table.column(column)
        bad = pc.invert(pc.is_finite(values))
        if pc.any(bad).as_py():
            index = pc.index(bad, True).as_py()
            raise StoreError(
                f"claim {table.column('claim_id')[index].as_py()}: {column} "
                f"{values[index].as_py()} is not a finite number"
            )
    return table


def _paper_from_row(values: tuple[Any, ...]) -> Paper:
    """A Paper from the values of the :func:`paper_fields` columns."""
    from benchkb.models import Paper

    row = dict(zip(paper_fields(), values))
    row["metadata"] = json.loads(row["metadata"]) if row["metadata"] else {}
    row["authors"] = row["authors"] or []
    row["categories"] = row["categories"] or []
    return Paper(**row)


_NUMBER_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
)


def _is_numeric(duckdb_type: str) -> bool:
    return duckdb_type.startswith(_NUMBER_TYPES) and not duckdb_type.endswith("]")  # INTEGER[] is a list


def _cols(names: Iterable[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
