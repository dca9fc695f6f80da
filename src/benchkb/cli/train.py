"""benchkb train."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from benchkb.cli.common import handle_errors
from benchkb.errors import InputError

GoldOption = Annotated[
    list[Path],
    typer.Option(
        "--gold",
        help="A gold file (../shared/gold/GUIDE.md); repeat for several sets, each with its --input.",
        show_default=False,
    ),
]
InputOption = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--input",
        help="The file each --gold file's abstracts are read from, in the same order "
        "[default: GOLD with .abstracts.jsonl for .jsonl].",
        show_default=False,
    ),
]


def gold_sets(gold: list[Path], inputs: list[Path] | None):
    """Pair each --gold with its --input (or the '<name>.abstracts.jsonl' beside it)."""
    from benchkb.train import GoldSet

    inputs = list(inputs or [])
    if inputs and len(inputs) != len(gold):
        raise InputError(
            f"{len(gold)} --gold files but {len(inputs)} --input files: give one --input per --gold, "
            "or none to read each gold file's .abstracts.jsonl"
        )
    if not inputs:
        inputs = [g.with_name(g.name.removesuffix(".jsonl") + ".abstracts.jsonl") for g in gold]
    return [GoldSet(g, i) for g, i in zip(gold, inputs)]


@handle_errors
def train(
    gold: GoldOption,
    inputs: InputOption = None,
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the weights.")] = Path(
        "extractors/attribution.json"
    ),
    seed: Annotated[int, typer.Option(help="Seed of the fit (the fit is deterministic for a seed).")] = 13,
) -> None:
    """Fit the learned attribution on gold sets; write its weights.

    Needs scikit-learn (pip install 'benchkb[train]'). Extraction reads the weights without it.

    Example: benchkb train --gold ../shared/gold/seed.jsonl --input ../shared/seed/hf-daily-papers.txt
    --gold ../shared/gold/corpus-dev.jsonl --input ../shared/gold/corpus-dev.abstracts.jsonl
    """
    from benchkb.annotate import Annotator
    from benchkb.cli.common import out
    from benchkb.train import require_sklearn, train_weights

    require_sklearn()
    sets = gold_sets(gold, inputs)
    if out_file.is_dir():
        raise InputError(f"--out {out_file} is a directory; give the weights file's path")
    if not out_file.parent.exists():
        raise InputError(f"--out {out_file}: no such directory {out_file.parent}")
    weights = train_weights(sets, Annotator(), seed=seed)
    weights.dump(out_file)
    console = out()
    console.print(f"trained on {'; '.join(weights.trained_on)}", highlight=False)
    fields = ", ".join(f"{name} ({len(scorer.weights)} features)" for name, scorer in weights.fields.items())
    console.print(f"kind ({len(weights.kind.classes)} kinds) and {fields}; wrote {out_file}", highlight=False)
