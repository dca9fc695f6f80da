"""The built wheel carries everything benchkb needs: installed (not editable) into a clean virtualenv,
`benchkb demo` runs from another directory."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import benchkb
from conftest import ROOT

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


def test_wheel_installs_and_runs_the_demo(tmp_path):
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, ROOT)
    wheel = next(dist.glob("benchkb-*.whl"))
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    for packaged in (
        "benchkb/_data/extractors/units.jsonl",
        "benchkb/_data/extractors/catalog/benchmarks.jsonl",
        "benchkb/_data/schemas/schema.sql",
        "benchkb/_data/schemas/migrate-3.sql",
        "benchkb/_data/reports/leaderboard.py",
        "benchkb/_data/examples/hf-daily-papers.txt",
        "benchkb/serve/templates/paper.html",
        "benchkb/serve/static/review.js",
    ):
        assert packaged in names, f"{packaged} is not in the wheel"

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run(env_dir / "bin" / "benchkb", "demo", "--out", "out", cwd=elsewhere)
    assert "64 papers stored" in result.stdout
    assert "SemAgent" in result.stdout  # the SWE-bench answer
    assert (elsewhere / "out" / "reports" / "index.html").exists()
    assert (
        ROOT not in Path(run(python, "-c", "import benchkb; print(benchkb.__file__)").stdout.strip()).parents
    )
    assert run(env_dir / "bin" / "benchkb", "--version").stdout.strip() == f"benchkb {benchkb.__version__}"
    run(python, "-c", "import starlette, uvicorn, jinja2")  # serve's dependencies came from the registry
