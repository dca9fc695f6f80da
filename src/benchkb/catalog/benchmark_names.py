"""The catalog's benchmark names alone, read without pydantic: what ``benchkb papers`` needs to turn a name
into the benchmarks it covers.

A :class:`~benchkb.catalog.Catalog` validates all five files with pydantic and indexes every kind: about
0.1 s of CPU at start-up (issue 15: ``papers`` starts in under 0.4 s), of which a benchmark look-up uses
one file's names. Here ``benchmarks.jsonl`` is read as plain JSON and its names and aliases are indexed as
the catalog indexes them (:func:`~benchkb.catalog.normalize.index_names`, the loader's own index),
so :meth:`BenchmarkNames.benchmark` and :meth:`BenchmarkNames.family_members` answer as the catalog's
methods of the same names. A file the catalog would reject for what a look-up reads (not JSON, a missing
or mistyped field, a duplicate id, a key two entries claim) is not read here: :meth:`BenchmarkNames.load`
then loads the whole catalog, which reports every problem with its line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from benchkb.catalog.normalize import index_names
from benchkb.catalog.resolve import resolve_benchmark
from benchkb.resources import extractors_dir

if TYPE_CHECKING:
    from benchkb.catalog.catalog import Catalog


@dataclass(frozen=True)
class BenchmarkName:
    """A benchmark's id, canonical name and family, as in its catalog entry."""

    id: str
    name: str
    family: str


class _Unreadable(Exception):
    """The file holds something the catalog's validation would reject."""


class BenchmarkNames:
    """Benchmark look-ups of the catalog (:meth:`benchmark`, :meth:`family_members`) over its benchmark
    names alone. Build it with :meth:`load`."""

    def __init__(self, benchmarks: list[BenchmarkName], index: dict[str, str]) -> None:
        self.benchmarks = benchmarks
        self._index = index
        self._by_id = {entry.id: entry for entry in benchmarks}

    @classmethod
    def load(cls, directory: Path | str | None = None) -> BenchmarkNames | Catalog:
        """The benchmark names of ``directory`` (default: the shipped ``extractors/catalog``); the whole
        :class:`~benchkb.catalog.Catalog`, validated, when the file holds anything it would reject."""
        path = Path(directory) if directory is not None else extractors_dir() / "catalog"
        try:
            return cls(*_read(path / "benchmarks.jsonl"))
        except (OSError, UnicodeDecodeError, ValueError, _Unreadable):
            from benchkb.catalog.catalog import Catalog

            return Catalog.load(path)  # raises RuleFileError naming each problem, or answers alike

    def benchmark(self, surface: str | None) -> BenchmarkName | None:
        if surface is None or not surface.strip():
            return None
        found = resolve_benchmark(self._index, surface)
        return None if found is None else self._by_id[found]

    def family_members(self, name: str) -> list[BenchmarkName]:
        """Every benchmark of the family that ``name`` (a family name or any member's name or alias) belongs
        to, in catalog order."""
        entry = self.benchmark(name)
        if entry is None:
            return []
        return [b for b in self.benchmarks if b.family == entry.family]


def _read(path: Path) -> tuple[list[BenchmarkName], dict[str, str]]:
    benchmarks: list[BenchmarkName] = []
    named: list[tuple[str, list[str], int]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        entry = json.loads(line)
        fields = (entry.get("id"), entry.get("name"), entry.get("family")) if isinstance(entry, dict) else ()
        aliases = entry.get("aliases") if isinstance(entry, dict) else None
        surfaces = [fields[1], *aliases] if fields and isinstance(aliases, list) else []
        if not surfaces or not all(isinstance(text, str) and text for text in (*fields, *surfaces)):
            raise _Unreadable
        benchmarks.append(BenchmarkName(*fields))
        named.append((fields[0], surfaces, number))
    if len({b.id for b in benchmarks}) < len(benchmarks):
        raise _Unreadable
    return benchmarks, index_names(named, _refuse)


def _refuse(line: int, message: str) -> None:
    raise _Unreadable(message)
