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

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchkb.errors import InputError
from benchkb.models import Paper, Reject
from benchkb.sources.arxiv_atom import read_arxiv_atom
from benchkb.sources.detection import detect_format
from benchkb.sources.hf_api import read_hf_api
from benchkb.sources.hf_page import read_hf_page
from benchkb.sources.normalise import normalised
from benchkb.sources.opening import check_readable
from benchkb.sources.openalex import read_openalex
from benchkb.sources.options import FORMATS, ReadOptions, check_format
from benchkb.sources.semantic_scholar import read_s2_abstracts, read_s2_papers
from benchkb.sources.tabular import read_arxiv_jsonl, read_csv, read_jsonl, read_parquet

__all__ = ["FORMATS", "ReadOptions", "detect_format", "plan_inputs", "read_records"]

Reader = Callable[[Path, ReadOptions], Iterator[Paper | Reject]]
READERS: dict[str, Reader] = {
    "hf-page": read_hf_page,
    "hf-api": read_hf_api,
    "arxiv-atom": read_arxiv_atom,
    "arxiv-jsonl": read_arxiv_jsonl,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "parquet": read_parquet,
    "openalex": read_openalex,
    "s2-papers": read_s2_papers,
    "s2-abstracts": read_s2_abstracts,
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


@dataclass
class Inputs:
    """The files of one command: those read as records, each with its format (None when it cannot be told:
    reading it reports why), and the Semantic Scholar papers files, which only give the abstracts files their
    titles."""

    files: list[tuple[Path, str | None]] = field(default_factory=list)
    s2_papers: list[Path] = field(default_factory=list)


def plan_inputs(paths: Sequence[Path], fmt: str | None = None) -> Inputs:
    inputs = Inputs()
    for path in paths:
        try:
            found = fmt or detect_format(path)
        except InputError:
            found = None
        if found == "s2-papers":
            inputs.s2_papers.append(path)
        else:
            inputs.files.append((path, found))
    return inputs
