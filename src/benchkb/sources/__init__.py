"""Reading input files into ``Paper`` records, with a ``Reject`` for every record that cannot be one.

    from benchkb.sources import ReadOptions, read_records

    for record in read_records(Path("papers.jsonl.gz"), ReadOptions()):
        ...  # a Paper, or a Reject saying which record failed and why

File-level problems (missing file, unknown format, not readable as its format) raise ``InputError``;
record-level problems never raise: the record becomes a ``Reject`` naming its 1-based number, and reading goes
on. Every paper leaves through ``normalised`` (text mended, out-of-range integers dropped with a reason), so
whatever a file holds, what is read can be stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from benchkb.models import Paper, Reject
from benchkb.sources.arxiv_atom import read_arxiv_atom
from benchkb.sources.detection import detect_format
from benchkb.sources.hf_api import read_hf_api
from benchkb.sources.hf_page import read_hf_page
from benchkb.sources.normalise import normalised
from benchkb.sources.opening import check_readable
from benchkb.sources.options import FORMATS, ReadOptions, check_format
from benchkb.sources.tabular import read_arxiv_jsonl, read_csv, read_jsonl, read_parquet

__all__ = ["FORMATS", "ReadOptions", "detect_format", "read_records"]

Reader = Callable[[Path, ReadOptions], Iterator[Paper | Reject]]
READERS: dict[str, Reader] = {
    "hf-page": read_hf_page,
    "hf-api": read_hf_api,
    "arxiv-atom": read_arxiv_atom,
    "arxiv-jsonl": read_arxiv_jsonl,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "parquet": read_parquet,
}


def read_records(path: Path, options: ReadOptions) -> Iterator[Paper | Reject]:
    """Stream the papers of ``path`` in file order, a ``Reject`` in place of each record that cannot be read.

    The file and its format are checked before this returns; problems found while reading the content of the
    file as a whole (e.g. a CSV without an abstract column) raise ``InputError`` from the iteration.
    """
    path = Path(path)
    check_readable(path)
    name = check_format(options.format) if options.format is not None else detect_format(path)
    return _normalised(READERS[name](path, options))


def _normalised(records: Iterator[Paper | Reject]) -> Iterator[Paper | Reject]:
    for record in records:
        yield normalised(record) if isinstance(record, Paper) else record
