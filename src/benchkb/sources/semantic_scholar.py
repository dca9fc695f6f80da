"""Semantic Scholar dataset files (the Datasets API's ``papers`` and ``abstracts``): JSON Lines, usually gzip.

An abstract and its paper's title live in different datasets, joined on ``corpusid``, and the two datasets'
shards are not partitioned alike: any abstracts shard may need any papers shard. So the papers files are
indexed first (:func:`build_index`: DuckDB reads them into a table on disk, ``corpusid`` -> title and
metadata; memory stays flat however many there are), and each abstracts file is then read as the records,
joined with the index ten thousand lines at a time. A record is an abstracts line: it is rejected with its
file and line number when it is broken or when no papers line has its ``corpusid``. A papers line DuckDB
cannot read is left out of the index, so its abstract is rejected that way.

The paper id is the arXiv id when ``externalids`` has one, else ``CorpusId:<n>`` (how the S2 API names a paper
by its corpus id).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.sources.identity import paper_identity
from benchkb.sources.openalex import arxiv_from_doi
from benchkb.sources.opening import check_readable, is_gzip
from benchkb.sources.options import ReadOptions
from benchkb.sources.record import (
    RECORD_ERRORS,
    numbered,
    parse_date,
    reader_paper,
    reason_of,
    reject,
    required_text,
    split_authors,
)
from benchkb.sources.tabular import json_objects

JOIN_LINES = 10_000
# The papers fields the index keeps; JSON columns stay JSON text until a paper is built.
PAPER_COLUMNS = {
    "corpusid": "BIGINT",
    "title": "VARCHAR",
    "externalids": "JSON",
    "authors": "JSON",
    "venue": "VARCHAR",
    "year": "INTEGER",
    "publicationdate": "VARCHAR",
    "journal": "JSON",
    "url": "VARCHAR",
    "publicationtypes": "JSON",
}


def is_papers_record(record: object) -> bool:
    return isinstance(record, dict) and "corpusid" in record and "title" in record and "externalids" in record


def is_abstracts_record(record: object) -> bool:
    return (
        isinstance(record, dict) and "corpusid" in record and "abstract" in record and "title" not in record
    )


def build_index(papers_files: Sequence[Path], index: Path) -> int:
    """Index the papers files into a new DuckDB file at ``index``; returns the papers indexed."""
    columns = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in PAPER_COLUMNS.items()) + "}"
    with duckdb.connect(str(index)) as con:
        con.execute(f"CREATE TABLE papers ({', '.join(f'{n} {k}' for n, k in PAPER_COLUMNS.items())})")
        for path in papers_files:
            check_readable(path)
            compression = "gzip" if is_gzip(path) else "none"
            try:
                con.execute(
                    f"INSERT INTO papers SELECT * FROM read_json(?, format = 'newline_delimited', "
                    f"columns = {columns}, ignore_errors = true, compression = '{compression}')",
                    [str(path)],
                )
            except duckdb.Error as error:
                raise InputError(
                    f"not a readable Semantic Scholar papers file: {error}", file=str(path)
                ) from error
        con.execute("DELETE FROM papers WHERE corpusid IS NULL")  # lines DuckDB could not read
        return con.execute("SELECT count(*) FROM papers").fetchone()[0]


def read_s2_papers(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    raise InputError(
        "a Semantic Scholar papers file holds no abstracts: give it in the same command as the "
        "abstracts files it belongs to (benchkb ingest PAPERS... ABSTRACTS...)",
        file=str(path),
    )


def read_s2_abstracts(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    if options.s2_index is None:
        raise InputError(
            "a Semantic Scholar abstracts file needs the papers files that hold its titles: give "
            "them in the same command (benchkb ingest PAPERS... ABSTRACTS...)",
            file=str(path),
        )
    return _joined(path, options.s2_index, options.max_record_bytes)


def _joined(path: Path, index: Path, limit: int) -> Iterator[Paper | Reject]:
    with duckdb.connect(str(index), read_only=True) as con:
        block: list[Any] = []
        for item in json_objects(path, limit):
            block.append(item)
            if len(block) >= JOIN_LINES:
                yield from _papers(path, block, con)
                block = []
        yield from _papers(path, block, con)


def _papers(path: Path, block: list[Any], con: duckdb.DuckDBPyConnection) -> Iterator[Paper | Reject]:
    ids = [item[2].get("corpusid") for item in block if not isinstance(item, Reject)]
    found = _lookup(con, [i for i in ids if type(i) is int])
    for item in block:
        if isinstance(item, Reject):
            yield item
            continue
        number, text, record = item
        try:
            yield numbered(paper_from_s2(record, found.get(record.get("corpusid"))), number)
        except RECORD_ERRORS as error:
            yield reject(path, number, reason_of(error), text)


def _lookup(con: duckdb.DuckDBPyConnection, corpus_ids: list[int]) -> dict[int, dict[str, Any]]:
    if not corpus_ids:
        return {}
    con.register("wanted", pa.table({"corpusid": pa.array(corpus_ids, pa.int64())}))
    cursor = con.execute(
        "SELECT p.* FROM papers p JOIN (SELECT DISTINCT corpusid FROM wanted) USING (corpusid) "
        "QUALIFY row_number() OVER (PARTITION BY corpusid) = 1"
    )
    names = [column[0] for column in cursor.description]
    rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    con.unregister("wanted")
    return {row["corpusid"]: row for row in rows}


def paper_from_s2(abstract_record: dict[str, Any], paper: dict[str, Any] | None) -> Paper:
    """A Paper from an abstracts line and the indexed papers line with its ``corpusid``."""
    corpus_id = abstract_record.get("corpusid")
    if type(corpus_id) is not int:
        raise InputError(f"corpusid is not a number but {json.dumps(corpus_id)[:40]}")
    abstract = required_text(abstract_record, "abstract", "abstract").strip()
    if paper is None:
        raise InputError(f"no papers line with corpusid {corpus_id} in the papers files given")
    title = required_text(paper, "title", "title")
    external = _json(paper.get("externalids")) or {}
    doi = external.get("DOI")
    arxiv = external.get("ArXiv") or arxiv_from_doi(doi)
    identity = paper_identity(title=title, own_id=f"CorpusId:{corpus_id}", arxiv=arxiv)
    authors = split_authors(_json(paper.get("authors")) or [])
    published = parse_date(paper.get("publicationdate")) or parse_date(paper.get("year"))
    journal = _json(paper.get("journal")) or {}
    access = abstract_record.get("openaccessinfo")
    metadata = {
        "corpusid": corpus_id,
        "doi": doi.lower() if isinstance(doi, str) else None,
        "url": paper.get("url"),
        "publicationtypes": _json(paper.get("publicationtypes")),
        "license": access.get("license") if isinstance(access, dict) else None,
    }
    venue = paper.get("venue") or (journal.get("name") if isinstance(journal, dict) else None)
    return reader_paper(
        identity,
        title=title,
        abstract=abstract,
        published=published,
        authors=authors,
        source_format="s2-abstracts",
        venue=venue,
        metadata=metadata,
    )


def _json(text: object) -> Any:
    """The value of a JSON column of the index (None for SQL or JSON null)."""
    return json.loads(text) if isinstance(text, str) else None
