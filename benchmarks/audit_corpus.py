"""Run the audit over a corpus knowledge base and print the seconds and the counts per rule.

    .venv/bin/python benchmarks/audit_corpus.py /tmp/corpus.duckdb [--write] [--rule NAME ...] [--examples N]
    .venv/bin/python benchmarks/audit_corpus.py /tmp/corpus.duckdb --sample 30 --seed 1

By default the findings are only collected (the knowledge base is opened read-only, so a KB someone else is
using is left alone); ``--write`` stores them as `benchkb audit` does. ``--examples N`` prints N findings per
rule and severity, to read and judge by hand. ``--sample N --seed S`` draws N errors and warnings at random
(the same N for the same seed and findings) and prints each with its claims and their sentences, to judge
whether it is right. A benchmark script: it prints figures and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from benchkb.audit import SEVERITIES, collect_findings, run_audit
from benchkb.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--write", action="store_true", help="store the findings (opens the KB read-write)")
    parser.add_argument("--rule", action="append", help="run only this rule or family (repeatable)")
    parser.add_argument("--examples", type=int, default=0, help="findings to print per rule and severity")
    parser.add_argument("--sample", type=int, default=0, help="errors and warnings to draw and print")
    parser.add_argument("--seed", type=int, default=0, help="seed of the --sample draw")
    args = parser.parse_args()

    began = time.perf_counter()
    with Store(args.db, read_only=not args.write) as store:
        claims = store.query("SELECT count(*) AS n FROM claims")["n"][0]
        papers = store.query("SELECT count(*) AS n FROM papers")["n"][0]
        opened = time.perf_counter()
        if args.write:
            summary = run_audit(store, rules=args.rule)
            findings = []
        else:
            findings, summary = collect_findings(store, rules=args.rule)
        finished = time.perf_counter()
        drawn = _draw(findings, args.sample, args.seed)
        sentences = _sentences(store, drawn)

    print(f"{args.db}: {papers} papers, {claims} claims")
    print(f"audit: {finished - opened:.2f}s ({finished - began:.2f}s with opening)")
    print(f"{'rule':<20}{'error':>8}{'warning':>9}{'info':>8}{'total':>8}{'seconds':>9}")
    for rule in summary.rules:
        counts = summary.counts[rule]
        print(
            f"{rule:<20}"
            + "".join(f"{counts[s]:>{w}}" for s, w in zip(SEVERITIES, (8, 9, 8)))
            + f"{sum(counts.values()):>8}{summary.seconds[rule]:>9.2f}"
        )
    print(summary.line())
    for note in summary.notes:
        print(f"note: {note}")
    if args.examples:
        shown: dict[tuple[str, str], int] = {}
        for finding in findings:
            key = (finding.rule, finding.severity)
            if shown.get(key, 0) < args.examples:
                shown[key] = shown.get(key, 0) + 1
                print(f"\n[{finding.rule} {finding.severity}] {finding.claim_ids}\n  {finding.message}")
    for number, finding in enumerate(drawn, 1):
        print(f"\n#{number} [{finding.rule} {finding.severity}, suspects the {finding.suspect}]")
        print(f"  {finding.message}")
        for claim_id in finding.claim_ids:
            print(f"  {claim_id}: {sentences.get(claim_id, '(claim not found)')}")


def _draw(findings: list, size: int, seed: int) -> list:
    """``size`` errors and warnings drawn with ``seed`` (findings come sorted by id, so a draw repeats)."""
    flagged = [f for f in findings if f.severity in ("error", "warning")]
    return random.Random(seed).sample(flagged, min(size, len(flagged))) if size else []


def _sentences(store: Store, findings: list) -> dict[str, str]:
    """Each drawn claim as stored (text, kind, metric, benchmark, subject, baseline) and its sentence."""
    ids = sorted({claim_id for f in findings for claim_id in f.claim_ids})
    if not ids:
        return {}
    rows = store.query(
        "SELECT c.claim_id, c.text, c.kind, c.metric, c.benchmark, c.subject, c.baseline, c.qualifier, "
        "substr(p.abstract, c.sentence_start + 1, c.sentence_end - c.sentence_start) AS sentence "
        "FROM claims c JOIN papers p USING (paper_id) WHERE list_contains(?, c.claim_id)",
        [ids],
    )
    return {
        row["claim_id"]: (
            f"'{row['text']}' {row['kind']} metric={row['metric']!r} benchmark={row['benchmark']!r} "
            f"subject={row['subject']!r} baseline={row['baseline']!r} qualifier={row['qualifier']!r}\n"
            f"    | {' '.join(row['sentence'].split())}"
        )
        for row in rows.iter_rows(named=True)
    }


if __name__ == "__main__":
    main()
