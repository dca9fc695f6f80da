"""Paper identity across sources: an arXiv listing and a venue's record of the same paper are one paper.

Every record read is a *source* (``paper_sources``), keyed by its own id plus, for a venue's record, the
venue: ``2504.07164`` (the arXiv listing) and ``colm:colm2025-42eb6f079d`` (COLM's record). A paper is stored
once, with the title and abstract of its best-ranked source (an arXiv listing, then a venue record carrying an
arXiv id, then any other; ties by source key), so its claims are stored once; its date is the earliest any
source gives, with that source's precision, and its venue the venue's. Two sources are the same paper when

* they carry the same arXiv id (they have the same paper id; :meth:`benchkb.store.Store.write` keeps the text
  of the better-ranked one), or
* one is a preprint (no venue), the other a venue's record, they carry no conflicting arXiv ids, and
  :meth:`MatchRule.same_paper` holds: the titles are equal after normalisation (ignoring case and punctuation,
  at least ``min_title_words`` words) and the abstracts share something (``min_text_for_equal_title``), or the
  abstracts are near-duplicates (``min_text``) and the titles overlap (``min_title_overlap``). Titles change
  between versions ("Procedural Environment Generation" at COLM, "Procedural Environments" on arXiv) and
  abstracts get rewritten; both rules were set by reading corpus pairs (``benchmarks/paper_identity.py``
  prints them).

Two arXiv listings are never merged (different arXiv ids are different papers, even when one reuses the
other's abstract), and neither are two venue records (a journal version or a follow-up often keeps the title).

Candidates come from blocking keys stored per paper (``paper_keys``: the normalised title, the first and the
last eight words of the abstract), computed in SQL when papers are written; keys shared by more than
``max_key_papers`` papers ("large language models llms have demonstrated remarkable ...") are skipped. Only
candidate pairs are compared in Python, so a pass over a corpus costs one join and a few thousand comparisons.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from benchkb.models import Paper

if TYPE_CHECKING:
    import pyarrow as pa

    from benchkb.store import Store

# Ranks of a source for keeping its text: an arXiv listing (no venue, an arXiv id) first.
PRIORITY_ARXIV, PRIORITY_VENUE_WITH_ARXIV, PRIORITY_OTHER = 3, 2, 1

SOURCE_COLUMNS = (
    "source_key",
    "paper_id",
    "is_primary",
    "priority",
    "matched_by",
    "similarity",
    "source_format",
    "venue",
    "year",
    "arxiv_id",
    "version",
    "published",
    "published_precision",
    "title",
    "abstract_sha",
)

# Blocking keys of papers (``{papers}`` is a relation with paper_id, title and abstract), computed in SQL when
# papers are written: DuckDB runs it vectorised on the batch in memory, off the ingest's main Python thread.
# Only the first and last 100 characters of an abstract are read.
_KEYS_SQL = """
SELECT paper_id, key FROM (
    SELECT paper_id, unnest([
        CASE WHEN len(t) > 0 THEN 't:' || array_to_string(t, ' ') END,
        CASE WHEN len(h) >= 8 THEN 'h:' || array_to_string(h[1:8], ' ') END,
        CASE WHEN len(e) >= 8 THEN 'e:' || array_to_string(e[-8:], ' ') END]) AS key
    FROM (SELECT paper_id, regexp_extract_all(lower(title), '[a-z0-9]+') AS t,
                 regexp_extract_all(lower(left(abstract, 100)), '[a-z0-9]+') AS h,
                 regexp_extract_all(lower(right(abstract, 100)), '[a-z0-9]+') AS e
          FROM {papers}))
WHERE key IS NOT NULL
"""
BATCH_KEYS_SQL = "INSERT INTO paper_keys " + _KEYS_SQL.format(papers="batch_papers")
# Papers without keys: those of a knowledge base migrated from schema 1.
UNKEYED_SQL = "SELECT count(*) FROM papers WHERE paper_id NOT IN (SELECT paper_id FROM paper_keys)"
MISSING_KEYS_SQL = "INSERT INTO paper_keys " + _KEYS_SQL.format(
    papers="(SELECT paper_id, title, abstract FROM papers "
    "WHERE paper_id NOT IN (SELECT paper_id FROM paper_keys))"
)

# Pairs (a paper whose text is a preprint's, a paper whose text is a venue record's) sharing a usable key,
# without conflicting arXiv ids.
CANDIDATES_SQL = """
WITH usable AS (SELECT key FROM paper_keys GROUP BY key HAVING count(*) BETWEEN 2 AND $max_key_papers),
shared AS (
    SELECT DISTINCT a.paper_id AS preprint_id, b.paper_id AS venue_id
    FROM paper_keys a JOIN paper_keys b ON a.key = b.key AND a.paper_id <> b.paper_id
    WHERE a.key IN (SELECT key FROM usable)
)
SELECT s.preprint_id, s.venue_id, p.title AS preprint_title, p.abstract AS preprint_abstract,
       q.title AS venue_title, q.abstract AS venue_abstract
FROM shared s JOIN papers p ON p.paper_id = s.preprint_id JOIN papers q ON q.paper_id = s.venue_id
JOIN paper_sources ps ON ps.paper_id = p.paper_id AND ps.is_primary
JOIN paper_sources qs ON qs.paper_id = q.paper_id AND qs.is_primary
WHERE ps.venue IS NULL AND qs.venue IS NOT NULL
  AND NOT (p.arxiv_id IS NOT NULL AND q.arxiv_id IS NOT NULL AND p.arxiv_id <> q.arxiv_id)
ORDER BY s.preprint_id, s.venue_id
"""

# A paper of several sources is dated by the earliest, in that source's precision: a year counts as its year,
# so 2019 is earlier than 2025-03-01 while 2025 is not (the day then says more). ``{paper_ids}`` selects the
# papers.
DATE_FROM_SOURCES_SQL = """
UPDATE papers SET published = s.published, published_precision = s.published_precision,
                  venue = coalesce(papers.venue, s.venue)
FROM (SELECT paper_id, arg_min(published, ordering) AS published,
             arg_min(published_precision, ordering) AS published_precision, min(venue) AS venue
      FROM (SELECT *, (year(published),
                       CASE published_precision WHEN 'day' THEN 0 WHEN 'month' THEN 1 ELSE 2 END,
                       published, source_key) AS ordering
            FROM paper_sources WHERE published IS NOT NULL AND paper_id IN ({paper_ids}))
      GROUP BY paper_id) s
WHERE papers.paper_id = s.paper_id
"""

_NON_WORD = re.compile(r"[^0-9a-z]+")


class MatchRule(BaseModel):
    """When a preprint and a venue's record are the same paper (thresholds measured on the corpus)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_title_words: int = Field(default=3, description="an equal title this short ('Preface') says nothing")
    min_text_for_equal_title: float = Field(
        default=0.03,
        description="abstract similarity an equal title still needs (rewritten abstracts reach 0.06)",
    )
    min_text: float = Field(default=0.6, description="abstract similarity that makes a near-duplicate")
    min_title_overlap: float = Field(
        default=0.5,
        description="share of the shorter title's words the other title holds, for near-duplicates: "
        "an arXiv listing whose abstract is another paper's has an unrelated title",
    )
    max_key_papers: int = Field(default=8, description="a blocking key shared by more papers is boilerplate")

    def same_paper(self, a_title: str, a_abstract: str, b_title: str, b_abstract: str) -> Match | None:
        """The match of two records when they are the same paper, else None."""
        a_words, b_words = words(a_title), words(b_title)
        text = similarity(a_abstract, b_abstract)
        if (
            a_words == b_words
            and len(a_words) >= self.min_title_words
            and text >= self.min_text_for_equal_title
        ):
            return Match("title", text)
        shorter = min(len(set(a_words)), len(set(b_words)))
        overlap = len(set(a_words) & set(b_words)) / shorter if shorter else 0.0
        if text >= self.min_text and overlap >= self.min_title_overlap:
            return Match("text", text)
        return None


@dataclass(frozen=True)
class Match:
    matched_by: str  # 'title' or 'text'
    similarity: float  # of the abstracts


def words(text: str) -> list[str]:
    """Lower-case alphanumeric words: what titles and abstracts are compared on."""
    return _NON_WORD.sub(" ", text.lower()).split()


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the word trigrams of two texts (1.0 for the same words in the same order)."""
    a_grams, b_grams = _trigrams(words(a)), _trigrams(words(b))
    union = len(a_grams | b_grams)
    return len(a_grams & b_grams) / union if union else 0.0


def _trigrams(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + 3]) for i in range(max(1, len(tokens) - 2))}


def source_key(paper: Paper) -> str:
    """The source a record is: its paper id, prefixed by the venue for a venue's record
    ('colm:colm2025-...')."""
    return f"{paper.venue}:{paper.paper_id}" if paper.venue else paper.paper_id


def priority(paper: Paper) -> int:
    """Whose text a paper keeps: an arXiv listing, then a venue record with an arXiv id, then any other."""
    if paper.arxiv_id is None:
        return PRIORITY_OTHER
    return PRIORITY_ARXIV if not paper.venue else PRIORITY_VENUE_WITH_ARXIV


def sources_table(papers: Sequence[Paper], shas: Sequence[str], *, matched_by: str | None = None) -> pa.Table:
    """The ``paper_sources`` rows of records: each its paper's primary source, or, ``matched_by`` given, a
    secondary source of a paper stored from another record."""
    import pyarrow as pa  # here: benchkb.store imports this module, and `benchkb sql` starts without pyarrow

    columns: dict[str, list[Any]] = {
        "source_key": [source_key(p) for p in papers],
        "paper_id": [p.paper_id for p in papers],
        "is_primary": [matched_by is None] * len(papers),
        "priority": [priority(p) for p in papers],
        "matched_by": [matched_by] * len(papers),
        "similarity": [None] * len(papers),
        "source_format": [p.source_format for p in papers],
        "venue": [p.venue for p in papers],
        "year": [p.published.year if p.published else None for p in papers],
        "arxiv_id": [p.arxiv_id for p in papers],
        "version": [p.version for p in papers],
        "published": [p.published for p in papers],
        "published_precision": [precision_of(p) for p in papers],
        "title": [p.title for p in papers],
        "abstract_sha": list(shas),
    }
    return pa.table(
        columns,
        schema=pa.schema(
            [
                ("source_key", pa.string()),
                ("paper_id", pa.string()),
                ("is_primary", pa.bool_()),
                ("priority", pa.int32()),
                ("matched_by", pa.string()),
                ("similarity", pa.float64()),
                ("source_format", pa.string()),
                ("venue", pa.string()),
                ("year", pa.int32()),
                ("arxiv_id", pa.string()),
                ("version", pa.int32()),
                ("published", pa.date32()),
                ("published_precision", pa.string()),
                ("title", pa.string()),
                ("abstract_sha", pa.string()),
            ]
        ),
    )


def precision_of(paper: Paper) -> str | None:
    """The precision of a paper's date: None without a date, 'day' when the source gives a full date."""
    if paper.published is None:
        return None
    return paper.published_precision or "day"


def merge_same_papers(store: Store, rule: MatchRule | None = None) -> int:
    """Merge each venue paper into the preprint it is the same paper as; return how many papers were merged
    away.

    The preprint keeps its text and claims (it outranks a venue's record); the venue paper's sources move to
    it, its claims and keys go. Idempotent: a second pass finds nothing to merge."""
    rule = rule or MatchRule()
    if store.scalar(UNKEYED_SQL):
        store.query(MISSING_KEYS_SQL)
    candidates = store.query(CANDIDATES_SQL, {"max_key_papers": rule.max_key_papers})
    merges: dict[str, tuple[str, Match]] = {}  # venue paper -> (preprint, match)
    for row in candidates.iter_rows(named=True):
        match = rule.same_paper(
            row["preprint_title"], row["preprint_abstract"], row["venue_title"], row["venue_abstract"]
        )
        current = merges.get(row["venue_id"])
        if match is not None and (current is None or match.similarity > current[1].similarity):
            merges[row["venue_id"]] = (row["preprint_id"], match)
    if merges:
        store.merge_papers(
            [
                (venue_id, preprint_id, match.matched_by, match.similarity)
                for venue_id, (preprint_id, match) in sorted(merges.items())
            ]
        )
    return len(merges)
