"""benchkb eval."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from benchkb.cli.common import DbOption, handle_errors, out
from benchkb.errors import InputError

if TYPE_CHECKING:
    from benchkb.evaluate import EvalReport

TARGETS = {"f1": 0.95, "benchmark": 0.90, "baseline": 0.85, "metric": 0.80, "subject": 0.80,
           "qualifier": 0.95, "direction": 0.95, "kind": 0.95}


@handle_errors
def evaluate(
    gold: Annotated[Path, typer.Option(
        "--gold", help="Gold claims, JSON Lines (see ../shared/gold/GUIDE.md).", show_default=False)],
    input_file: Annotated[Optional[Path], typer.Option(
        "--input", help="Extract fresh from this file instead of reading the knowledge base.",
        show_default=False)] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    misses: Annotated[bool, typer.Option("--misses/--no-misses", help="List the misses per paper.")] = True,
) -> None:
    """Score extraction against gold: precision, recall, F1.

    Also the accuracy of each field (kind, benchmark, metric, ...) on the matched claims.

    Example: benchkb eval --gold ../shared/gold/seed.jsonl --input ../shared/seed/hf-daily-papers.txt
    """
    from benchkb.annotate import Annotator  # imported here: spaCy is slow to import and only eval needs it
    from benchkb.evaluate import Scorer, dumps, load_gold, predictions_from_file, predictions_from_store
    from benchkb.store import Store

    if not gold.exists():
        raise InputError(f"no such file: {gold}")
    claims = load_gold(gold)
    if input_file is not None:
        if not input_file.exists():
            raise InputError(f"no such file: {input_file}")
        annotator = Annotator()
        predicted = predictions_from_file(input_file, annotator)
        scorer = Scorer(annotator.catalog, annotator.extractor.rules)
    else:
        with Store(db, read_only=True) as store:
            predicted = predictions_from_store(store)
        scorer = Scorer()  # the same catalog and rules, without compiling an extractor
    report = scorer.score(claims, predicted)
    if as_json:
        out().print(dumps(report), highlight=False, soft_wrap=True)
        return
    _print(report, misses=misses)


def _print(report: EvalReport, *, misses: bool) -> None:
    console = out()
    if misses:
        for paper in report.papers:
            if paper.missed or paper.extra or paper.wrong:
                console.print(f"[bold]{paper.title}[/]", highlight=False)
                for line in paper.missed:
                    console.print(f"  missed {line}", highlight=False)
                for line in paper.extra:
                    console.print(f"  extra  {line}", highlight=False)
                for line in paper.wrong:
                    console.print(f"  field  {line}", highlight=False)
    if report.unknown_papers:
        console.print(f"{len(report.unknown_papers)} gold papers not found in the predictions",
                      highlight=False)
    console.print(
        f"result claims: precision {report.precision:.3f}  recall {report.recall:.3f}  F1 {report.f1:.3f}  "
        f"(tp {report.tp}, fp {report.fp}, fn {report.fn}; target F1 >= {TARGETS['f1']})", highlight=False)
    console.print("field accuracy on matched claims (lenient / exact; target):", highlight=False)
    for name, score in report.fields.items():
        lenient = score.lenient / score.n if score.n else 0.0
        exact = score.exact / score.n if score.n else 0.0
        mark = "ok" if lenient >= TARGETS[name] else "below target"
        console.print(f"  {name:<10} {lenient:.3f} / {exact:.3f}   (>= {TARGETS[name]:.2f}: {mark})",
                      highlight=False)
