"""ruff, configured in pyproject.toml ([tool.ruff]: 110 columns, pycodestyle and pyflakes), over the code."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

# Kept clean now: the command line (but the lead's eval and train, which wait for the lead's one clean-up),
# and the modules of the review page and its exports.
LEADS = {"evaluate.py", "train.py"}
CLI = [
    str(path.relative_to(ROOT))
    for path in sorted((ROOT / "src/benchkb/cli").glob("*.py"))
    if path.name not in LEADS
]
CLEAN = [
    *CLI,
    "src/benchkb/serve",
    "src/benchkb/reviews.py",
    "src/benchkb/rows.py",
    "benchmarks/startup.py",
    "tests/test_cli_front.py",
    "tests/test_reviews.py",
    "tests/test_serve.py",
    "tests/test_serve_browser.py",
    "tests/test_lint.py",
]


def _ruff(*paths: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ruff_passes_on_the_command_line_and_the_review_modules():
    result = _ruff(*CLEAN)
    assert result.returncode == 0, result.stdout


@pytest.mark.xfail(
    strict=True,
    reason="the lead wraps the long lines of the whole code base once, after "
    "every branch has merged; then this passes and the mark goes",
)
def test_ruff_passes_on_the_whole_code_base():
    result = _ruff(".")
    assert result.returncode == 0, result.stdout[-2000:]
