"""Benchmark: extraction time against sentence length, on long and pathological single-sentence abstracts.

    .venv/bin/python benchmarks/extraction_scaling.py [--repeat 3]

For each shape of input at growing sizes it prints characters, claims, the best of ``--repeat`` runs in CPU
seconds (this process's; wall time swings with the load of a shared machine) and microseconds per claim, so
that growth faster than linear shows as a rising last column. A text of more numbers than an abstract holds
(``MAX_NUMBERS``) is refused, and the claims column says so. Extraction only (``Extractor.claim_fields``, one
process); it prints figures and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from benchkb.annotate import Annotator
from benchkb.errors import TooManyNumbers

RICH = (
    "Our proposed system SysNet{i} reaches {i}.5% accuracy on the challenging Bench{i} dataset and the "
    "ZorbQA{i} benchmark, beating GPT-4o and Claude-3. "
)
SHAPES: list[tuple[str, Callable[[int], str], list[int]]] = [
    ("'5% ' * n", lambda n: "5% " * n, [75, 150, 300, 4000, 33000]),
    ("'5%. ' * n (sentences)", lambda n: "5%. " * n, [75, 150, 300, 25000]),
    ("'GPT-4 reaches 5% on MMLU. ' * n", lambda n: "GPT-4 reaches 5% on MMLU. " * n, [75, 150, 300, 3800]),
    ("'1,' * n", lambda n: "1," * n, [75, 150, 300, 40000]),
    ("n spaces after a number", lambda n: "5%" + " " * n + "5%.", [10_000, 100_000]),
    ("n spaces before a number", lambda n: " " * n + "5%", [10_000, 100_000]),
    (
        "a list of n names, one number",
        lambda n: "We compare " + ", ".join(f"Model{i}" for i in range(n)) + " and reach 5%.",
        [1000, 3000, 9000],
    ),
    ("n words, one number", lambda n: "the model " * (n // 2) + "reaches 5%.", [5000, 15000, 20000]),
    (
        "n ratios over n baselines",
        lambda n: "It is " + ", ".join(f"{i}.3x over Sys{i}" for i in range(n)) + ".",
        [75, 150, 300, 4000],
    ),
    (
        "n scores on n benchmarks",
        lambda n: "It reaches " + ", ".join(f"{i}% on Bench{i}" for i in range(n)) + ".",
        [75, 150, 300, 4000],
    ),
    (
        "'by 5% and' * n",
        lambda n: "improves accuracy " + " and ".join("by 5%" for _ in range(n)) + ".",
        [75, 150, 300, 9000],
    ),
    ("n auxiliaries before a verb", lambda n: "GPT-4 " + "is " * n + "reaching 5%.", [5000, 30000]),
    ("n opening parentheses", lambda n: "(" * n + "5%", [20_000, 90_000]),
    ("a word of n characters after a number", lambda n: "We reach 5% " + "a." * (n // 2), [10_000, 90_000]),
    ("'1-' * n (a chain of ranges)", lambda n: "1-" * n, [1000, 30_000]),
    (  # the most per number of these shapes: a system, two datasets and two baselines for each
        "n sentences as rich as an abstract's",
        lambda n: "".join(RICH.format(i=i) for i in range(n)),
        [75, 150, 300, 678],
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    extractor = Annotator().extractor
    extractor.claim_fields("p", "T", "We reach 5% on HumanEval.")  # warm up
    print(f"{'input':34} {'n':>7} {'chars':>8} {'claims':>7} {'cpu s':>8} {'us/claim':>9}")
    for name, make, sizes in SHAPES:
        for n in sizes:
            text = make(n)
            best = float("inf")
            for _ in range(args.repeat):
                started = time.process_time()
                try:
                    claims = len(extractor.claim_fields("p", "FuzzNet: A Title", text))
                except TooManyNumbers:
                    claims = 0
                best = min(best, time.process_time() - started)
            print(
                f"{name:34} {n:>7} {len(text):>8} {claims or 'refused':>7} {best:>8.3f} "
                f"{best / max(claims, 1) * 1e6:>9.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
