"""ruff, configured in pyproject.toml ([tool.ruff]: 110 columns, pycodestyle and pyflakes), over the code."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from conftest import ROOT

CODE = ["src", "tests", "benchmarks", "reports", "scripts"]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ruff_passes_on_the_whole_code_base():
    result = _ruff(".")
    assert result.returncode == 0, result.stdout[-2000:]


def test_ruff_holds_every_file_to_110_columns():
    # Passing must not come from switching the line length off or leaving files out.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]
    lint = config.get("lint", {})
    assert config["line-length"] == 110
    assert "E" in lint["select"] or "E501" in lint["select"]
    ignored = [*lint.get("ignore", []), *lint.get("extend-ignore", [])]
    ignored += [code for codes in lint.get("per-file-ignores", {}).values() for code in codes]
    assert not [code for code in ignored if "E501".startswith(code)], ignored
    shown = _ruff("--show-files", ".")
    assert shown.returncode == 0, shown.stderr
    checked = {line.strip() for line in shown.stdout.splitlines()}
    code = {str(path) for folder in CODE for path in (ROOT / folder).rglob("*.py")}
    assert code and code <= checked, sorted(code - checked)[:10]
