"""The reports as a person sees them: a real headless Chromium opens each HTML file from disk with the network
off, and the chart must render with the expected number of marks and no console errors.

Needs Debian's ``chromium`` and ``chromium-driver`` (``scripts/install-browser.sh`` installs them). Without
them the tests skip, except in CI (``CI=true``), where a missing browser fails: CI is where they must run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_reports import CLAIMS, PAPERS, SPEEDUPS_SHOWN, SWE_VERIFIED_SHOWN, make_kb

from benchkb.kb import KB
from benchkb.reporting import write_reports

pytestmark = pytest.mark.slow

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or next(
    (path for path in ("/usr/bin/chromedriver",) if Path(path).exists()), None
)
RENDER_SECONDS = 30

# Network off twice over: every host name fails to resolve and every request goes to a closed local port.
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def _months_by_kind() -> int:
    """Bars of the overview's month panel: one per (month, kind) with claims."""
    return len({(PAPERS[paper][0].strftime("%Y-%m"), kind) for paper, _, _, _, kind, *_ in CLAIMS})


# report -> mark type -> marks drawn (counted from the fixture's tables, not from the specs)
EXPECTED_MARKS = {
    "leaderboard": {"symbol": SWE_VERIFIED_SHOWN},
    "progress": {"symbol": SWE_VERIFIED_SHOWN, "line": 1},
    "speedups": {"symbol": SPEEDUPS_SHOWN, "rule": 2},  # the 1x line of each panel (speed, memory)
    "overview": {"rect": 4 + 3 + _months_by_kind() + 3},  # kinds, families, months x kinds, benchmarks
    "audit": {"rect": 3},  # (rule, severity) pairs with findings
}

COUNT_MARKS = """
const counts = {};
for (const group of document.querySelectorAll('#chart svg g.role-mark')) {
  const type = Array.from(group.classList).find(c => c.startsWith('mark-')).slice(5);
  counts[type] = (counts[type] || 0) + group.childElementCount;
}
return counts;
"""


def _require_browser() -> None:
    found = {"chromium": CHROMIUM, "chromedriver": CHROMEDRIVER}
    missing = [name for name, path in found.items() if path is None]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install -e '.[test]')")
    if missing:
        reason = f"missing {', '.join(missing)}: run scripts/install-browser.sh"
        if IN_CI:
            pytest.fail(f"the browser test must run in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(RENDER_SECONDS)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {
            "offline": True,
            "latency": 0,
            "downloadThroughput": 0,
            "uploadThroughput": 0,
        },
    )
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("html")
    with KB(make_kb(directory / "kb.duckdb")) as kb:
        write_reports(kb, directory)
    return directory


def _open(browser, path: Path) -> str:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("browser")  # start each page with an empty console
    browser.get(path.as_uri())
    WebDriverWait(browser, RENDER_SECONDS).until(
        lambda driver: driver.execute_script("return document.body && document.body.dataset.chart")
    )
    return browser.execute_script("return document.body.dataset.chart")


def _console_problems(browser) -> list[str]:
    """Errors of any source, and warnings the page itself logged (Vega warns about a flawed spec)."""
    return [
        f"{entry['level']}: {entry['message']}"
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE"
        or (entry["level"] == "WARNING" and entry.get("source") == "console-api")
    ]


def test_the_browser_cannot_reach_the_network(browser, pages):
    _open(browser, pages / "audit.html")
    outcome = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch('https://cdn.jsdelivr.net/npm/vega@6').then(() => done('reached'), () => done('blocked'));
    """)
    browser.get_log("browser")  # the blocked request logs an error of its own
    assert outcome == "blocked"


@pytest.mark.parametrize("name", sorted(EXPECTED_MARKS))
def test_each_report_renders_offline_with_its_marks_and_a_clean_console(browser, pages, name):
    state = _open(browser, pages / f"{name}.html")
    problems = _console_problems(browser)
    assert state == "rendered", f"{name}: vega-embed failed: {problems}"
    assert browser.execute_script("return typeof window.vegaView.scenegraph") == "function"
    counts = browser.execute_script(COUNT_MARKS)
    for mark, expected in EXPECTED_MARKS[name].items():
        assert counts.get(mark) == expected, f"{name}: {counts}"
    assert problems == []


def test_the_index_links_every_report(browser, pages):
    browser.get((pages / "index.html").as_uri())
    links = browser.execute_script("return Array.from(document.querySelectorAll('a')).map(a => a.href)")
    assert sorted(Path(link.removeprefix("file://")).name for link in links) == sorted(
        f"{name}.html" for name in EXPECTED_MARKS
    )
    assert all(Path(link.removeprefix("file://")).exists() for link in links)
    assert _console_problems(browser) == []
