"""benchkb eval."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from benchkb.cli.common import DbOption, handle_errors, out, require_files
from benchkb.cli.train import GoldOption, gold_sets
from benchkb.errors import InputError

if TYPE_CHECKING:
    from benchkb.evaluate import EvalReport
    from benchkb.train import FoldReport

TARGETS = {
    "f1": 0.95,
    "benchmark": 0.90,
    "baseline": 0.85,
    "metric": 0.80,
    "subject": 0.80,
    "qualifier": 0.95,
    "direction": 0.95,
    "kind": 0.95,
}


@handle_errors
def evaluate(
    gold: GoldOption,
    inputs: Annotated[
        Optional[list[Path]],
        typer.Option(
            "--input",
            help="Extract fresh from this file (one per --gold, same order) instead of reading the "
            "knowledge base.",
            show_default=False,
        ),
    ] = None,
    folds: Annotated[
        int,
        typer.Option(
            "--folds",
            help="Cross-validate the learned attribution: fit on all but one of N folds of the papers of "
            "every set, score the held-out fold (needs --input and scikit-learn).",
            min=0,
        ),
    ] = 0,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    misses: Annotated[bool, typer.Option("--misses/--no-misses", help="List the misses per paper.")] = True,
) -> None:
    """Score extraction against gold: precision, recall, F1.

    Also the accuracy of each field (kind, benchmark, metric, ...) on the matched claims. Each gold file is
    scored on its own. With --folds N no paper is scored by a model that saw it: the report
    gives each set over all held-out folds together, and the mean and spread over the folds.

    Example: benchkb eval --gold ../shared/gold/seed.jsonl --input ../shared/seed/hf-daily-papers.txt
    --gold ../shared/gold/corpus-dev.jsonl --input ../shared/gold/corpus-dev.abstracts.jsonl --folds 5
    """
    from benchkb.evaluate import dumps

    require_files(gold)
    if folds:
        if not inputs:
            raise InputError("--folds extracts fresh: give an --input for each --gold")
        _cross_validated(gold_sets(gold, inputs), folds, as_json=as_json, misses=misses)
        return
    reports = _scored(gold, inputs, db)
    if as_json:
        body = reports[0][1] if len(reports) == 1 else None
        text = (
            dumps(body)
            if body is not None
            else "{" + ", ".join(f'"{name}": {dumps(report)}' for name, report in reports) + "}"
        )
        out().print(text, highlight=False, soft_wrap=True, markup=False)
        return
    for name, report in reports:
        if len(reports) > 1:
            out().print(f"== {name}", highlight=False, markup=False)
        _print(report, misses=misses)


def _scored(gold: list[Path], inputs: list[Path] | None, db: Path | None) -> list[tuple[str, EvalReport]]:
    from benchkb.annotate import Annotator
    from benchkb.evaluate import Scorer, load_gold, predictions_from_file, predictions_from_store
    from benchkb.store import Store

    if inputs:
        sets = gold_sets(gold, inputs)
        require_files([gold_set.input for gold_set in sets])
        annotator = Annotator()
        scorer = Scorer(annotator.catalog, annotator.extractor.rules)
        return [
            (s.name, scorer.score(load_gold(s.gold), predictions_from_file(s.input, annotator))) for s in sets
        ]
    with Store(db, read_only=True) as store:
        predicted = predictions_from_store(store)
    scorer = Scorer()  # the same catalog and rules, without compiling an extractor
    return [(path.name.removesuffix(".jsonl"), scorer.score(load_gold(path), predicted)) for path in gold]


def _cross_validated(sets, folds: int, *, as_json: bool, misses: bool) -> None:
    import json

    from benchkb.annotate import Annotator
    from benchkb.train import cross_validate, require_sklearn

    require_sklearn()
    report = cross_validate(sets, Annotator(), folds=folds)
    if as_json:
        out().print(
            json.dumps(_fold_summary(report), indent=2), highlight=False, soft_wrap=True, markup=False
        )
        return
    console = out()
    for name, pooled in report.pooled.items():
        console.print(
            f"== {name}, {folds}-fold cross-validation over papers (held-out folds together)",
            highlight=False,
            markup=False,
        )
        _print(pooled, misses=misses)
        summary = _fold_summary(report)[name]
        console.print("per fold, mean ± standard deviation (min-max):", highlight=False, markup=False)
        for key, stats in summary["folds"].items():
            console.print(
                f"  {key:<10} {stats['mean']:.3f} ± {stats['sd']:.3f} "
                f"({stats['min']:.3f}-{stats['max']:.3f})",
                highlight=False,
                markup=False,
            )


def _fold_summary(report: FoldReport) -> dict:
    """Each set's pooled figures, and the mean, spread and range of each figure over the folds."""
    summary = {}
    for name, pooled in report.pooled.items():
        per_fold = [fold[name] for fold in report.folds if name in fold]
        figures = {"f1": [r.f1 for r in per_fold], "recall": [r.recall for r in per_fold]}
        for field in pooled.fields:
            figures[field] = [
                r.fields[field].lenient / r.fields[field].n for r in per_fold if r.fields[field].n
            ]
        summary[name] = {
            "pooled": pooled.as_dict(),
            "folds": {
                key: {
                    "mean": statistics.fmean(values),
                    "sd": statistics.pstdev(values),
                    "min": min(values),
                    "max": max(values),
                }
                for key, values in figures.items()
                if values
            },
        }
    return summary


def _print(report: EvalReport, *, misses: bool) -> None:
    console = out()

    def say(text: str) -> None:
        console.print(text, highlight=False, markup=False)

    if misses:
        for paper in report.papers:
            if paper.missed or paper.extra or paper.wrong:
                say(paper.title)
                for line in paper.missed:
                    say(f"  missed {line}")
                for line in paper.extra:
                    say(f"  extra  {line}")
                for line in paper.wrong:
                    say(f"  field  {line}")
    if report.unknown_papers:
        say(f"{len(report.unknown_papers)} gold papers not found in the predictions")
    say(
        f"result claims: precision {report.precision:.3f}  recall {report.recall:.3f}  F1 {report.f1:.3f}  "
        f"(tp {report.tp}, fp {report.fp}, fn {report.fn}; target F1 >= {TARGETS['f1']})"
    )
    say("field accuracy on matched claims (lenient / exact; target):")
    for name, score in report.fields.items():
        lenient = score.lenient / score.n if score.n else 0.0
        exact = score.exact / score.n if score.n else 0.0
        mark = "ok" if lenient >= TARGETS[name] else "below target"
        say(f"  {name:<10} {lenient:.3f} / {exact:.3f}   (>= {TARGETS[name]:.2f}: {mark})")
