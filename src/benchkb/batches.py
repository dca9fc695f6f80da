"""From records to committed batches: what happens to each record, decided and stored batch by batch.

Every record read is counted once, as stored, unchanged or rejected, and a batch's papers, claims, rejects and
the run's counts are committed in one transaction: after any commit (or a kill) the ``ingest_runs`` row says
what the run has done, and ``read = stored + unchanged + rejected`` holds.

Records are taken as if ingested one at a time, in order: a record whose paper id and text are already stored,
or came earlier in the same input, is unchanged; a record whose id is known with another text replaces it (and
counts as stored, also when an earlier record of the same input is the one replaced). A record that fails in
extraction or storage is rejected alone with its file, record number and reason; its neighbours are stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TypeVar

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from benchkb.errors import InputError, StoreError
from benchkb.models import Paper, Reject
from benchkb.store import RunCounts, Store, claims_table, text_sha

Item = TypeVar("Item")
RAW_LIMIT = 200
COMMIT_SECONDS = 2.0  # at most this long between commits: a killed run loses little, and its row says so
# Errors that a record's own values cause when its batch is stored; any other error is the store's, and stops.
_RECORD_ERRORS = (pa.ArrowException, OverflowError, ValueError, TypeError, UnicodeEncodeError)
_RECORD_DB_ERRORS = (
    duckdb.ConstraintException,
    duckdb.ConversionException,
    duckdb.OutOfRangeException,
    duckdb.InvalidInputException,
)


@dataclass
class Batch:
    """Records read together, with what became of each; committed together."""

    read: int
    rejects: list[Reject]
    unchanged: int
    papers: list[Paper]  # to store: one per paper id
    shas: list[str]
    superseded: int = 0  # records replaced by a later record of this batch (they count as stored)
    new: bool = True  # none of the papers is stored, or about to be
    claims: pa.Table | None = None
    failures: dict[int, str] = field(default_factory=dict)  # position in papers -> why it could not be stored


class IngestRun:
    """One input's run: splits its records into batches, then commits the batches in the order they were
    made."""

    def __init__(
        self,
        store: Store,
        counts: RunCounts,
        *,
        file: str,
        extracted: bool,
        on_error: str = "skip",
        batch_size: int = 1000,
        write_size: int = 10_000,
        file_of: Callable[[Paper], str] | None = None,
    ) -> None:
        self.store = store
        self.counts = counts  # what is committed
        self.file = file
        self.file_of = file_of or (lambda paper: file)  # the file a paper was read from, for its reject
        self.extracted = extracted
        self.on_error = on_error
        self.batch_size = batch_size
        self.write_size = write_size
        self.pending: dict[str, str] = {}  # paper id -> text sha, for papers sent on but not yet committed
        self.gathered: list[Batch] = []
        self.last_commit = time.monotonic()

    # reading ------------------------------------------------------------------------------------------------

    def batches(
        self, records: Iterator[Paper | Reject], on_read: Callable[[int], None] | None = None
    ) -> Iterator[Batch]:
        """Batches of ``batch_size`` records. Stored texts are looked up once per ``write_size`` records: one
        scan of the papers table costs about the same for ten thousand ids as for one thousand."""
        for block in chunks(records, self.write_size):
            papers = [r for r in block if isinstance(r, Paper) and r.paper_id not in self.pending]
            known = self.store.stored_shas(papers) if papers else {}
            known.update(self.pending)
            for part in chunks(block, self.batch_size):
                yield self._classify(part, known)
                if on_read is not None:
                    on_read(len(part))

    def _classify(self, part: list[Paper | Reject], known: dict[str, str]) -> Batch:
        batch = Batch(read=len(part), rejects=[], unchanged=0, papers=[], shas=[])
        todo: dict[str, tuple[Paper, str]] = {}
        for item in part:
            if isinstance(item, Reject):
                if self.on_error == "raise":
                    raise InputError(item.reason, file=item.file, record=item.record)
                batch.rejects.append(item)
                continue
            sha = text_sha(item)
            before = known.get(item.paper_id)
            if before == sha:
                batch.unchanged += 1
                continue
            if item.paper_id in todo:
                batch.superseded += 1
            batch.new = batch.new and before is None
            todo[item.paper_id] = (item, sha)
            known[item.paper_id] = self.pending[item.paper_id] = sha
        batch.papers = [paper for paper, _ in todo.values()]
        batch.shas = [sha for _, sha in todo.values()]
        return batch

    # committing ---------------------------------------------------------------------------------------------

    def add(self, batch: Batch) -> None:
        """Commit ``batch`` (its claims and failures filled in): batches of new papers are gathered into
        transactions of about ``write_size`` records, or what came in ``COMMIT_SECONDS``; a batch that
        replaces papers is written on its own, after what was gathered."""
        failed = [(batch.papers[i].paper_id, batch.shas[i]) for i in batch.failures]
        _settle_failures(batch, self.file_of)
        self._forget(failed)  # not stored: a later record with the same id is not "unchanged"
        if not batch.new:
            self.flush()
            self._commit([batch], new=False)
            return
        self.gathered.append(batch)
        if (
            sum(b.read for b in self.gathered) >= self.write_size
            or time.monotonic() - self.last_commit >= COMMIT_SECONDS
        ):
            self.flush()

    def flush(self) -> None:
        gathered, self.gathered = self.gathered, []
        if gathered:
            self._commit(gathered, new=True)

    def _commit(self, batches: list[Batch], *, new: bool) -> None:
        papers = [paper for batch in batches for paper in batch.papers]
        shas = [sha for batch in batches for sha in batch.shas]
        rejects = [reject for batch in batches for reject in batch.rejects]
        tables = [batch.claims if batch.claims is not None else claims_table([]) for batch in batches]
        claims = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
        after = replace(
            self.counts,
            read=self.counts.read + sum(b.read for b in batches),
            stored=self.counts.stored + len(papers) + sum(b.superseded for b in batches),
            unchanged=self.counts.unchanged + sum(b.unchanged for b in batches),
            rejected=self.counts.rejected + len(rejects),
            claims=self.counts.claims + claims.num_rows,
        )
        try:
            self.store.write(
                papers, claims, extracted=self.extracted, new=new, shas=shas, rejects=rejects, run=after
            )
        except Exception as error:  # noqa: BLE001 - sorted below: a record's fault, or the store's
            if not _record_level(error) or not papers:
                raise
            after = self._commit_apart(papers, shas, claims, new=new, rejects=rejects, after=after)
        self.counts = after
        self.last_commit = time.monotonic()
        self._forget((paper.paper_id, sha) for paper, sha in zip(papers, shas, strict=True))

    def _forget(self, papers: Iterable[tuple[str, str]]) -> None:
        """Papers committed (now found in the store) or failed (not stored) are no longer pending."""
        for paper_id, sha in papers:
            if self.pending.get(paper_id) == sha:
                del self.pending[paper_id]

    def _commit_apart(
        self,
        papers: list[Paper],
        shas: list[str],
        claims: pa.Table,
        *,
        new: bool,
        rejects: list[Reject],
        after: RunCounts,
    ) -> RunCounts:
        """A batch that cannot be stored as a whole: halve it until the records at fault stand alone, reject
        those, store the rest; then record the rejects and the counts."""
        failed: list[Reject] = []
        stored_claims = 0

        def attempt(part: list[int]) -> None:
            nonlocal stored_claims
            ids = pa.array([papers[i].paper_id for i in part])
            own = claims.filter(pc.is_in(claims["paper_id"], value_set=ids))
            try:
                stored_claims += self.store.write(
                    [papers[i] for i in part],
                    own,
                    extracted=self.extracted,
                    new=new,
                    shas=[shas[i] for i in part],
                )
            except Exception as error:  # noqa: BLE001 - as in _commit
                if not _record_level(error):
                    raise
                if len(part) == 1:
                    paper = papers[part[0]]
                    failed.append(paper_reject(paper, self.file_of(paper), f"cannot be stored: {error}"))
                    return
                attempt(part[: len(part) // 2])
                attempt(part[len(part) // 2 :])

        attempt(list(range(len(papers))))
        after = replace(
            after,
            stored=after.stored - len(failed),
            rejected=after.rejected + len(failed),
            claims=after.claims - claims.num_rows + stored_claims,
        )
        self.store.write([], [], extracted=self.extracted, rejects=rejects + failed, run=after)
        return after


def _settle_failures(batch: Batch, file_of: Callable[[Paper], str]) -> None:
    """Papers whose extraction failed become rejects; their claims are not in the batch's claims."""
    if not batch.failures:
        return
    batch.rejects.extend(
        paper_reject(batch.papers[i], file_of(batch.papers[i]), reason)
        for i, reason in sorted(batch.failures.items())
    )
    keep = [i for i in range(len(batch.papers)) if i not in batch.failures]
    batch.papers = [batch.papers[i] for i in keep]
    batch.shas = [batch.shas[i] for i in keep]
    batch.failures = {}


def paper_reject(paper: Paper, file: str, reason: str) -> Reject:
    return Reject(
        file=file,
        record=paper.record or 0,
        reason=reason,
        raw=f"{paper.paper_id}: {paper.abstract}"[:RAW_LIMIT],
    )


def _record_level(error: BaseException) -> bool:
    """A record's own values are at fault: Arrow or DuckDB refused them, or the store did (a value that is not
    a finite number: a StoreError of its own, with no cause)."""
    if isinstance(error, _RECORD_ERRORS):
        return True
    cause = error.__cause__
    record_causes = _RECORD_ERRORS + _RECORD_DB_ERRORS
    return isinstance(error, StoreError) and (cause is None or isinstance(cause, record_causes))


def chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
