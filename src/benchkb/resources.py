"""Where the shipped data lives: rule data, schemas, report scripts and example input.

In a wheel they are packaged under ``benchkb/_data``; in a development checkout they sit at the repository
root.
"""

from __future__ import annotations

from pathlib import Path

from benchkb.errors import BenchkbError

_PACKAGED = Path(__file__).resolve().parent / "_data"
_CHECKOUT = Path(__file__).resolve().parents[2]


def resource_dir(name: str) -> Path:
    """Return the directory ``name`` (``extractors``, ``schemas``, ``reports``, ``examples``)."""
    for root in (_PACKAGED, _CHECKOUT):
        candidate = root / name
        if candidate.is_dir():
            return candidate
    raise BenchkbError(
        f"benchkb is installed without its {name}/ directory (looked in {_PACKAGED} and {_CHECKOUT})"
    )


def extractors_dir() -> Path:
    return resource_dir("extractors")


def schemas_dir() -> Path:
    return resource_dir("schemas")


def reports_dir() -> Path:
    return resource_dir("reports")


def example_page() -> Path:
    return resource_dir("examples") / "hf-daily-papers.txt"
