"""`benchkb serve` as a person uses it: the real command on a free port, driven by headless Chromium.

One test searches the demo knowledge base, opens a paper, marks a claim wrong, fixes another's subject, adds a
missed number by selecting it, and checks the reviews table and the exported gold lines; another opens every
kind of page over a paper whose title and abstract hold <script> and onerror= markup and checks that nothing
ran.

Needs Debian's chromium and chromium-driver (scripts/install-browser.sh); skips without them, except in CI.
The browser reaches the app on 127.0.0.1 and nothing else: every other host name fails to resolve and every
other request goes to a closed port.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from test_reports_browser import CHROMEDRIVER, CHROMIUM, _require_browser
from typer.testing import CliRunner

from benchkb.cli import app
from benchkb.models import Claim, Paper
from benchkb.store import Store

pytestmark = pytest.mark.slow

WAIT_SECONDS = 60
HOSTILE_TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> Orca'
HOSTILE_ABSTRACT = (
    'Our model <img src=x onerror="window.__pwned = 3"> reaches 91.5% accuracy on HumanEval. '
    "</p><script>window.__pwned = 4</script>"
)
runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """`benchkb serve --db DB --port PORT` in its own process, stopped by its pid at the end."""

    def __init__(self, db: Path, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        command = [
            str(Path(sys.executable).with_name("benchkb")),
            "serve",
            "--db",
            str(db),
            "--port",
            str(self.port),
        ]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"benchkb serve exited: {log.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"benchkb serve did not answer in {WAIT_SECONDS} s: {log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1100",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=127.0.0.1",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT_SECONDS)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    out_dir = tmp_path_factory.mktemp("demo")
    result = runner.invoke(app, ["demo", "--out", str(out_dir)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out_dir / "benchkb.duckdb"


@pytest.fixture(scope="module")
def demo_app(demo_db, tmp_path_factory):
    served = Served(demo_db, tmp_path_factory.mktemp("logs") / "serve.log")
    yield served
    served.stop()


def _wait(browser, condition):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, WAIT_SECONDS).until(condition)


def _card(browser, text: str):
    from selenium.webdriver.common.by import By

    return browser.find_element(
        By.XPATH,
        f"//section[contains(@class, 'claim')][header/span[contains(@class, 'mention') and text()='{text}']]",
    )


def _errors(browser) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


SELECT_FIRST_UNMARKED_NUMBER = """
const abstract = document.getElementById('abstract');
for (const node of abstract.childNodes) {
  if (node.nodeType !== Node.TEXT_NODE) continue;
  const found = /\\d+(?:\\.\\d+)?/.exec(node.textContent);
  if (!found) continue;
  const range = document.createRange();
  range.setStart(node, found.index);
  range.setEnd(node, found.index + found[0].length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  abstract.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
  return found[0];
}
return null;
"""


def test_search_open_review_and_export_as_a_person_does(browser, demo_app, demo_db, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    browser.get_log("browser")
    browser.get(demo_app.url + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("FlashAttention", Keys.ENTER)
    _wait(browser, lambda b: "q=FlashAttention" in b.current_url)
    browser.find_element(By.PARTIAL_LINK_TEXT, "FlashAttention-4: Algorithm").click()
    _wait(browser, lambda b: "/paper/" in b.current_url)
    title = browser.find_element(By.TAG_NAME, "h1").text
    # A claim's fields stand in columns: a select as wide as an input, the second row under the first.
    fields = _card(browser, "1.3times").find_elements(By.CSS_SELECTOR, ".fields input, .fields select")
    assert len({field.size["width"] for field in fields}) == 1, [field.size for field in fields]

    _card(browser, "1.3times").find_element(By.CSS_SELECTOR, "button[value=wrong]").click()
    _wait(browser, lambda b: "saved=wrong" in b.current_url)
    assert "marked wrong" in _card(browser, "1.3times").text

    subject = _card(browser, "2.7times").find_element(By.NAME, "subject")
    subject.clear()
    subject.send_keys("FA-4")
    _card(browser, "2.7times").find_element(By.CSS_SELECTOR, "button[value=corrected]").click()
    _wait(browser, lambda b: "saved=corrected" in b.current_url)
    assert "corrected: subject" in _card(browser, "2.7times").text

    selected = browser.execute_script(SELECT_FIRST_UNMARKED_NUMBER)
    assert selected, "the abstract holds a number the extractor left unmarked"
    panel = browser.find_element(By.ID, "missed")
    assert panel.is_displayed() and panel.find_element(By.NAME, "value").get_attribute("value") == selected
    Select(panel.find_element(By.NAME, "kind")).select_by_visible_text("setup")
    panel.find_element(By.CSS_SELECTOR, "button[value=missed]").click()
    _wait(browser, lambda b: "saved=missed" in b.current_url)
    assert "added as missed" in _card(browser, selected).text
    assert _errors(browser) == []

    with Store(demo_db, read_only=True) as store:  # the app holds no connection between requests
        rows = store.query("SELECT text, verdict, corrections FROM reviews ORDER BY review_id").rows()
        paper_id = store.scalar("SELECT paper_id FROM papers WHERE title = ?", [title])
    assert rows == [
        ("1.3times", "wrong", "{}"),
        ("2.7times", "corrected", '{"subject": "FA-4"}'),
        (selected, "missed", json.dumps({"kind": "setup", "value": float(selected), "unit": ""})),
    ]

    gold = tmp_path / "reviews.jsonl"
    assert runner.invoke(app, ["export", "reviews", "--out", str(gold), "--db", str(demo_db)]).exit_code == 0
    lines = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
    assert {line["paper"] for line in lines} == {title} and paper_id
    texts = [line["text"] for line in lines]
    assert "1.3times" not in texts and selected in texts
    fixed = next(line for line in lines if line["text"] == "2.7times")
    assert fixed["subject"] == "FA-4" and fixed["baseline"] == "Triton"
    assert fixed["note"] == "reviewed: corrected subject"


def test_chart_marks_open_their_papers(browser, demo_app):
    from selenium.webdriver.common.by import By

    browser.get(demo_app.url + "/charts")
    browser.find_element(By.LINK_TEXT, "leaderboard").click()
    _wait(browser, lambda b: b.execute_script("return document.body.dataset.chart"))
    assert browser.execute_script("return document.body.dataset.chart") == "rendered", _errors(browser)
    mark = browser.find_element(By.CSS_SELECTOR, "#chart svg g.mark-symbol path")
    mark.click()
    _wait(browser, lambda b: "/paper/" in b.current_url)
    assert browser.find_element(By.ID, "abstract").text and len(browser.window_handles) == 1


def test_the_browser_reaches_only_the_app(browser, demo_app):
    browser.get(demo_app.url + "/")
    outcome = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch('https://cdn.jsdelivr.net/npm/vega@6').then(() => done('reached'), () => done('blocked'));
    """)
    browser.get_log("browser")
    assert outcome == "blocked"


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    directory = tmp_path_factory.mktemp("hostile")
    db = directory / "kb.duckdb"
    start = HOSTILE_ABSTRACT.index("91.5%")
    claim = Claim(
        paper_id="p1",
        text="91.5%",
        start=start,
        end=start + 5,
        value=91.5,
        unit="%",
        kind="score",
        metric="accuracy",
        benchmark="HumanEval",
        subject=HOSTILE_TITLE,
        rule="test",
        sentence_start=0,
        sentence_end=len(HOSTILE_ABSTRACT),
        subject_kind="name",
    )  # a system's name: the boards leave out subjects that are none
    with Store(db) as store:
        store.write(
            [
                Paper(
                    paper_id="p1",
                    title=HOSTILE_TITLE,
                    abstract=HOSTILE_ABSTRACT,
                    source_format="test",
                    published=dt.date(2026, 1, 2),
                )
            ],
            [claim],
            extracted=True,
        )
    assert runner.invoke(app, ["audit", "--db", str(db)]).exit_code == 0
    served = Served(db, directory / "serve.log")
    yield served
    served.stop()


@pytest.mark.parametrize(
    "page",
    [
        "/?q=pwned",
        "/paper/p1",
        "/charts/leaderboard?benchmark=HumanEval",
        "/charts/progress?benchmark=HumanEval",
        "/audit",
        "/charts",
    ],
)
def test_a_hostile_title_and_abstract_do_not_execute(browser, hostile_app, page):
    from selenium.webdriver.common.by import By

    browser.get_log("browser")
    browser.get(hostile_app.url + page)
    if page.startswith("/charts/"):
        _wait(browser, lambda b: b.execute_script("return document.body.dataset.chart"))
        assert browser.execute_script("return document.body.dataset.chart") == "rendered"
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.find_elements(By.CSS_SELECTOR, "main img") == []
    if page == "/paper/p1":
        assert browser.find_element(By.TAG_NAME, "h1").text == HOSTILE_TITLE
        assert browser.find_element(By.ID, "abstract").text == HOSTILE_ABSTRACT
    elif page == "/?q=pwned":
        assert browser.find_element(By.PARTIAL_LINK_TEXT, "<script>").text == HOSTILE_TITLE
