"""The Python API over a knowledge base: queries return polars DataFrames.

from benchkb import KB
kb = KB("benchkb.duckdb")
kb.papers(benchmark="SWE-bench")          # papers with a numeric result on any SWE-bench benchmark
kb.results(benchmark="HumanEval", metric="pass@1")
kb.sql("SELECT benchmark, count(*) FROM results GROUP BY ALL")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchkb.store import Store

if TYPE_CHECKING:
    import polars as pl  # imported by the store when a query runs; the command line starts faster without it

    from benchkb.catalog import Catalog  # loaded on first use: SQL alone needs no catalog
    from benchkb.catalog.benchmark_names import BenchmarkNames


class KB:
    """Read access to a knowledge base (``read_only=False`` for statements that write)."""

    def __init__(
        self, path: str | Path | None = None, *, read_only: bool = True, catalog: Catalog | None = None
    ) -> None:
        self.store = Store(path, read_only=read_only)
        self._catalog = catalog
        self._benchmark_names: Catalog | BenchmarkNames | None = None

    def __enter__(self) -> KB:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            from benchkb.catalog import Catalog

            self._catalog = Catalog.load()
        return self._catalog

    @property
    def _benchmarks(self) -> Catalog | BenchmarkNames:
        """What resolves a benchmark's name: the catalog when given or loaded, else its benchmark names alone,
        which answer alike without loading the rest (0.1 s of a command's start)."""
        if self._catalog is not None:
            return self._catalog
        if self._benchmark_names is None:
            from benchkb.catalog.benchmark_names import BenchmarkNames

            self._benchmark_names = BenchmarkNames.load()
        return self._benchmark_names

    def sql(self, query: str, params: list[Any] | dict[str, Any] | None = None) -> pl.DataFrame:
        return self.store.query(query, params)

    def results(
        self,
        *,
        benchmark: str | None = None,
        family: str | None = None,
        metric: str | None = None,
        subject: str | None = None,
        kind: str | None = None,
        exact: bool = False,
    ) -> pl.DataFrame:
        """Result claims (score, ratio, change). A family's name as ``benchmark`` covers the family unless
        ``exact``; names match
        canonical catalog names or, for names the catalog does not know, the surface as written."""
        where, params = [], []
        if benchmark is not None:
            clause, values = self._benchmark_filter(benchmark, exact=exact)
            where.append(clause)
            params += values
        if family is not None:
            where.append("lower(benchmark_family) = lower(?)")
            params.append(self._family_name(family))
        if metric is not None:
            where.append("(lower(metric) = lower(?) OR lower(metric_surface) = lower(?))")
            params += [self._metric_name(metric), metric]
        if subject is not None:
            where.append("(lower(subject) = lower(?) OR lower(subject_surface) = lower(?))")
            params += [subject, subject]
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        condition = " AND ".join(where) or "true"
        return self.sql(
            f'SELECT * FROM results WHERE {condition} ORDER BY published NULLS LAST, paper_id, "start"',
            params,
        )

    def papers(self, *, benchmark: str, exact: bool = False) -> pl.DataFrame:
        """Papers that report a numeric result on ``benchmark``; a family's name covers the family unless
        ``exact``."""
        return self.sql(*self.papers_query(benchmark=benchmark, exact=exact))

    def papers_query(self, *, benchmark: str, exact: bool = False) -> tuple[str, list[Any]]:
        """The SQL and parameters of :meth:`papers` (the command line reads them as plain rows)."""
        clause, params = self._benchmark_filter(benchmark, exact=exact)
        return (
            "SELECT paper_id, any_value(title) AS title, any_value(published) AS published, "
            "string_agg(DISTINCT benchmark, '; ' ORDER BY benchmark) AS benchmarks, count(*) AS results "
            f"FROM results WHERE {clause} GROUP BY paper_id ORDER BY published NULLS LAST, paper_id",
            params,
        )

    def _benchmark_filter(self, name: str, *, exact: bool) -> tuple[str, list[Any]]:
        entry = self._benchmarks.benchmark(name)
        if entry is None:
            return "lower(benchmark_surface) = lower(?)", [name]
        if exact or entry.name != entry.family:
            return "benchmark_id = ?", [entry.id]
        # The family's head ("SWE-bench") stands for the whole family (Lite, Verified, ...).
        members = [member.id for member in self._benchmarks.family_members(name)] or [entry.id]
        return "list_contains(?, benchmark_id)", [members]

    def _family_name(self, name: str) -> str:
        entry = self._benchmarks.benchmark(name)
        return entry.family if entry is not None else name

    def _metric_name(self, name: str) -> str:
        entry = self.catalog.metric(name)
        return entry.name if entry is not None else name

    def unknown_names(self, column: str, *, limit: int = 20) -> pl.DataFrame:
        """The surfaces of ``column`` (benchmark, metric, subject, baseline) the catalog does not resolve,
        used by the most papers first, with one sentence that uses each. For benchmarks, modality and task
        words and fragments of names ("MRI", "VideoQA", "v2", "SE" of SE(3)) are left out
        (benchkb.catalog.unknown)."""
        from benchkb.catalog import SURFACE_KINDS
        from benchkb.catalog.unknown import worth_cataloguing

        if column not in SURFACE_KINDS:
            raise ValueError(f"not a resolvable column: {column}")
        found = self._unknown(column, limit=None if column == "benchmark" else limit)
        if column == "benchmark":
            import polars as pl

            keep = [
                worth_cataloguing(name, example) for name, example in zip(found["name"], found["example"])
            ]
            found = found.filter(pl.Series(keep, dtype=pl.Boolean)).head(limit)
        return found

    def _unknown(self, column: str, *, limit: int | None) -> pl.DataFrame:
        # The example is the part of the sentence around the name, on one line, '…' where it is cut.
        return self.sql(
            f"WITH found AS (SELECT c.{column} AS name, c.paper_id, "
            "substr(p.abstract, c.sentence_start + 1, c.sentence_end - c.sentence_start) AS sentence "
            "FROM claims c JOIN papers p USING (paper_id) "
            f"WHERE c.{column} IS NOT NULL AND c.{column}_id IS NULL), "
            "placed AS (SELECT *, greatest(strpos(sentence, name), 1) AS pos FROM found), "
            "framed AS (SELECT *, greatest(pos - $reach, 1) AS lo, pos + length(name) + $reach AS hi "
            "FROM placed) "
            "SELECT name, count(*) AS claims, count(DISTINCT paper_id) AS papers, any_value("
            "CASE WHEN lo > 1 THEN '…' ELSE '' END"
            " || trim(regexp_replace(substr(sentence, lo, hi - lo), '\\s+', ' ', 'g'))"
            " || CASE WHEN hi <= length(sentence) THEN '…' ELSE '' END) AS example "
            "FROM framed GROUP BY name ORDER BY papers DESC, claims DESC, name LIMIT $limit",
            {"reach": _EXAMPLE_REACH, "limit": limit if limit is not None else 1 << 62},
        )

    def search(self, text: str, *, limit: int = 50) -> pl.DataFrame:
        """Papers whose title or abstract holds every word of ``text`` (case-insensitive), title matches
        first, then the newest; the newest papers when ``text`` is blank. With the number of claims of each.
        """
        words = [word.lower() for word in text.split()]
        every = " AND ".join("(contains(lower(p.title), ?) OR contains(lower(p.abstract), ?))" for _ in words)
        in_title = " + ".join("contains(lower(p.title), ?)::INTEGER" for _ in words) or "0"
        return self.sql(
            f"SELECT p.paper_id, p.title, p.published, p.published_precision, ({in_title}) AS title_words, "
            "(SELECT count(*) FROM claims c WHERE c.paper_id = p.paper_id) AS claims "
            f"FROM papers p WHERE {every or 'true'} "
            "ORDER BY title_words DESC, p.published DESC NULLS LAST, p.paper_id LIMIT ?",
            [*(word for word in words for _ in range(2)), *words, limit],
        ).drop("title_words")

    def score_selections(self, *, limit: int = 100) -> pl.DataFrame:
        """The benchmark and metric pairs with systems' absolute results (the absolute_scores view), the most
        claimed first: what leaderboard and progress charts show."""
        return self.sql(
            "SELECT benchmark, metric, count(*) AS claims, count(DISTINCT paper_id) AS papers "
            "FROM absolute_scores GROUP BY benchmark, metric "
            "ORDER BY claims DESC, benchmark, metric NULLS LAST LIMIT ?",
            [limit],
        )

    def findings(
        self, *, rule: str | None = None, severity: str | None = None, paper_id: str | None = None
    ) -> pl.DataFrame:
        """Audit findings, optionally of one rule, one severity or about one paper; errors first."""
        return self.sql(
            "SELECT rule, severity, message, claim_ids, paper_ids FROM findings "
            "WHERE ($rule IS NULL OR rule = $rule) AND ($severity IS NULL OR severity = $severity) "
            "AND ($paper IS NULL OR list_contains(paper_ids, $paper)) "
            "ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, rule, finding_id",
            {"rule": rule, "severity": severity, "paper": paper_id},
        )


_EXAMPLE_REACH = 60  # characters of context kept on each side of a name in `catalog unknown` examples


def flat_lists(frame: pl.DataFrame) -> pl.DataFrame:
    """List columns joined with '; ', for outputs whose cells hold text (CSV, HTML tables, chart data)."""
    import polars as pl

    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns(pl.col(name).list.join("; ") for name in lists) if lists else frame
