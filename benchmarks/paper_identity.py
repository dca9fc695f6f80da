"""Measure paper identity on the corpus: how many arXiv/venue pairs each rule and threshold merges, and
borderline pairs to read.

    .venv/bin/python benchmarks/paper_identity.py [--borderline 20] [--lsh]

Reads ``../shared/corpus`` into an in-memory DuckDB table, computes the blocking keys benchkb stores
(``benchkb.paper_identity``), compares every candidate pair (an arXiv listing and a venue record sharing a
key), and prints: same-title pairs before merging, candidate pairs, pairs per abstract-similarity band and
title agreement, what ``MatchRule`` merges, the time each step takes, and the borderline pairs. With ``--lsh``
it also runs MinHash LSH (``datasketch``, ``pip install '.[bench]'``) over every abstract and reports how many
of the pairs LSH finds at similarity >= 0.3 the blocking keys find too. It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow as pa

from benchkb.paper_identity import _KEYS_SQL, MatchRule, similarity, words

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
BANDS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)

CANDIDATES = """
WITH usable AS (SELECT key FROM keys GROUP BY key HAVING count(*) BETWEEN 2 AND $max_key_papers)
SELECT DISTINCT a.paper_id AS preprint, b.paper_id AS venue_record
FROM keys a JOIN keys b ON a.key = b.key AND a.paper_id <> b.paper_id
JOIN batch_papers p ON p.paper_id = a.paper_id JOIN batch_papers q ON q.paper_id = b.paper_id
WHERE a.key IN (SELECT key FROM usable) AND p.venue IS NULL AND q.venue IS NOT NULL
  AND NOT (p.arxiv IS NOT NULL AND q.arxiv IS NOT NULL AND p.arxiv <> q.arxiv)
"""


def read_corpus() -> dict[str, dict]:
    records = {}
    for path in sorted(CORPUS.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                arxiv = row.get("arxiv") or (row["id"][6:] if row["id"].startswith("arXiv:") else None)
                records[row["id"]] = {
                    "title": row["title"],
                    "abstract": row["abstract"],
                    "venue": row.get("venue"),
                    "year": row.get("year") or (row.get("date") or "")[:4],
                    "arxiv": arxiv.split("v")[0] if arxiv else None,
                }
    return records


def band(value: float) -> float:
    return max(low for low in BANDS if value >= low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--borderline", type=int, default=20, help="borderline pairs to print")
    parser.add_argument("--lsh", action="store_true", help="compare with MinHash LSH (datasketch; minutes)")
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"no corpus at {CORPUS}")
    rule = MatchRule()
    records = read_corpus()
    ids = list(records)
    table = pa.table(
        {
            "paper_id": ids,
            **{field: [records[i][field] for i in ids] for field in ("title", "abstract", "venue", "arxiv")},
        }
    )
    con = duckdb.connect()
    con.register("batch_papers", table)
    same_title = con.execute(
        "WITH t AS (SELECT paper_id, venue, lower(regexp_replace(title, '[^A-Za-z0-9]+', ' ', 'g')) AS k "
        "FROM batch_papers) SELECT count(*) FROM t a JOIN t b ON a.k = b.k "
        "WHERE a.venue IS NULL AND b.venue IS NOT NULL"
    ).fetchall()[0][0]
    print(f"{len(ids):,} records; arXiv/venue pairs with the same title: {same_title}")

    started = time.perf_counter()
    con.execute(f"CREATE TABLE keys AS {_KEYS_SQL.format(papers='batch_papers')}")
    keyed = time.perf_counter() - started
    started = time.perf_counter()
    pairs = con.execute(CANDIDATES, {"max_key_papers": rule.max_key_papers}).fetchall()
    joined = time.perf_counter() - started
    started = time.perf_counter()
    rows = []
    for preprint, venue_record in pairs:
        a, b = records[preprint], records[venue_record]
        a_words, b_words = words(a["title"]), words(b["title"])
        shorter = min(len(set(a_words)), len(set(b_words))) or 1
        rows.append(
            {
                "pair": (preprint, venue_record),
                "text": similarity(a["abstract"], b["abstract"]),
                "title_equal": a_words == b_words,
                "title_overlap": len(set(a_words) & set(b_words)) / shorter,
                "match": rule.same_paper(a["title"], a["abstract"], b["title"], b["abstract"]),
            }
        )
    compared = time.perf_counter() - started
    print(
        f"blocking keys for every record: {keyed:.2f}s; candidate pairs: {len(pairs):,} in {joined:.2f}s; "
        f"compared in {compared:.2f}s"
    )

    print("\nabstract similarity (word trigrams, Jaccard) by title agreement:")
    print(f"{'from':>6} {'equal title':>12} {'overlap>=.5':>12} {'other':>8} {'merged':>8}")
    table_rows = Counter()
    for row in rows:
        overlapping = row["title_overlap"] >= rule.min_title_overlap
        kind = "equal" if row["title_equal"] else "overlap" if overlapping else "other"
        table_rows[(band(row["text"]), kind)] += 1
        table_rows[(band(row["text"]), "merged")] += row["match"] is not None
    for low in BANDS:
        print(
            f"{low:>6.2f} {table_rows[(low, 'equal')]:>12} {table_rows[(low, 'overlap')]:>12} "
            f"{table_rows[(low, 'other')]:>8} {table_rows[(low, 'merged')]:>8}"
        )
    merged = [row for row in rows if row["match"] is not None]
    by_rule = Counter(row["match"].matched_by for row in merged)
    venues = {row["pair"][1] for row in merged}
    print(f"\nmerged: {len(venues)} venue records into arXiv listings ({dict(by_rule)})")

    near = sorted(
        (
            row
            for row in rows
            if (not row["title_equal"] and abs(row["text"] - rule.min_text) < 0.3)
            or (row["title_equal"] and row["text"] < 0.15)
        ),
        key=lambda row: (row["title_equal"], row["text"]),
    )
    print(
        f"\n{min(args.borderline, len(near))} borderline pairs of {len(near)} (titles differ and the "
        f"abstracts are near {rule.min_text} alike, then equal titles over rewritten abstracts):"
    )
    for row in near[: args.borderline]:
        a, b = (records[i] for i in row["pair"])
        verdict = row["match"].matched_by if row["match"] else "kept apart"
        print(
            f"- {row['text']:.2f} overlap {row['title_overlap']:.2f} -> {verdict}: "
            f"{row['pair'][0]} ({a['year']}) {a['title'][:70]!r} | "
            f"{row['pair'][1]} ({b['venue']} {b['year']}) {b['title'][:70]!r}"
        )
    if args.lsh:
        compare_with_lsh(records, {row["pair"] for row in rows}, rule)


def compare_with_lsh(records: dict[str, dict], candidates: set[tuple[str, str]], rule: MatchRule) -> None:
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        print("datasketch is not installed (pip install '.[bench]'): no LSH comparison")
        return
    started = time.perf_counter()
    lsh, hashes = MinHashLSH(threshold=0.3, num_perm=64), {}
    for paper_id, record in records.items():
        tokens = words(record["abstract"])
        minhash = MinHash(num_perm=64)
        minhash.update_batch([" ".join(tokens[i : i + 3]).encode() for i in range(max(1, len(tokens) - 2))])
        lsh.insert(paper_id, minhash)
        hashes[paper_id] = minhash
    found = set()
    for paper_id, minhash in hashes.items():
        if records[paper_id]["venue"] is None:
            found.update(
                (paper_id, other) for other in lsh.query(minhash) if records[other]["venue"] is not None
            )
    matched = {
        pair
        for pair in found
        if rule.same_paper(
            records[pair[0]]["title"],
            records[pair[0]]["abstract"],
            records[pair[1]]["title"],
            records[pair[1]]["abstract"],
        )
    }
    print(
        f"\nMinHash LSH (64 permutations, threshold 0.3): {time.perf_counter() - started:.0f}s; "
        f"{len(found)} arXiv/venue pairs, {len(matched)} of them the same paper by MatchRule; "
        f"the blocking keys find {len(matched & candidates)} of those"
    )


if __name__ == "__main__":
    main()
