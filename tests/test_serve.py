"""The web app's pages and review requests through Starlette's test client (the browser tests drive the real
thing): search, paper pages, charts whose marks link to papers, audit filters, reviews, and escaping of paper
text."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from test_reports import CLAIMS, PAPERS, make_kb

from benchkb.models import Claim, Paper
from benchkb.reporting import available_reports, build_report, chart_spec
from benchkb.serve import create_app
from benchkb.serve.pages import Mention, linked_spec, paper_url, segments
from benchkb.store import Store

# Starlette's test client still runs on httpx, which this Starlette asks to replace; the app does not use it.
pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")

HOSTILE_TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
HOSTILE_ABSTRACT = (
    'Our model <b onmouseover="alert(1)">X</b> reaches 91.5% accuracy on HumanEval. </script><script>'
)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = make_kb(tmp_path_factory.mktemp("serve") / "kb.duckdb")
    start = HOSTILE_ABSTRACT.index("91.5%")
    with Store(path) as store:
        store.write(
            [
                Paper(
                    paper_id="hep-th/9901001",
                    title=HOSTILE_TITLE,
                    abstract=HOSTILE_ABSTRACT,
                    source_format="test",
                )
            ],
            [
                Claim(
                    paper_id="hep-th/9901001",
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
                )
            ],  # a system's name: boards leave out subjects that are none
            extracted=True,
        )
    return path


@pytest.fixture(scope="module")
def client(db):
    from starlette.testclient import TestClient

    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as opened:
        yield opened


def _no_live_markup(page: str) -> None:
    assert "<script>window.__pwned" not in page and "<img src=x" not in page and "<b onmouseover" not in page


def test_search_by_title_and_by_abstract_words(client):
    by_title = client.get("/", params={"q": "agentless"}).text
    assert "Agentless: Demystifying" in by_title
    by_abstract = client.get("/", params={"q": "harness GPT-4o"}).text  # words of 2505.00006's abstract only
    assert "CodeAct 2" in by_abstract and "Agentless" not in by_abstract
    newest = client.get("/").text
    assert newest.index("CodeAct 2") < newest.index("Agentless")  # 2025-05 before 2024-03


def test_a_paper_page_marks_each_claim_and_lists_its_fields(client):
    page = client.get(paper_url("2505.00006")).text
    assert re.search(r'<a class="mention kind-score status-unreviewed" href="#c-\d+-\d+"[^>]*>55%</a>', page)
    assert 'name="subject" value="CodeAct"' in page and 'value="more than"' in page


def test_paper_ids_with_slashes_and_hostile_text_render_as_text(client):
    response = client.get(paper_url("hep-th/9901001"))
    assert response.status_code == 200
    _no_live_markup(response.text)
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in response.text
    assert "&lt;b onmouseover=&#34;alert(1)&#34;&gt;X&lt;/b&gt;" in response.text
    _no_live_markup(client.get("/", params={"q": "pwned"}).text)


def test_a_review_is_stored_and_leads_back_to_the_claim(client, db):
    start = HOSTILE_ABSTRACT.index("91.5%")
    form = {
        "paper_id": "hep-th/9901001",
        "start": str(start),
        "end": str(start + 5),
        "text": "91.5%",
        "verdict": "corrected",
        "kind": "score",
        "value": "91.5",
        "unit": "%",
        "metric": "pass@1",
        "benchmark": "HumanEval",
        "subject": HOSTILE_TITLE,
        "baseline": "",
        "direction": "",
        "qualifier": "",
    }
    response = client.post("/review", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/paper/hep-th%2F9901001?saved=corrected#c-{start}-{start + 5}"
    with Store(db, read_only=True) as store:
        assert store.query("SELECT verdict, corrections FROM reviews").rows() == [
            ("corrected", '{"metric": "pass@1"}')
        ]
    page = client.get(response.headers["location"]).text
    assert "corrected: metric" in page and 'class="corrected"' in page


def test_a_review_posted_from_another_site_is_refused(client, db):
    with Store(db, read_only=True) as store:
        before = store.scalar("SELECT count(*) FROM reviews")
    for origin in ("http://evil.example", "null", "http://127.0.0.1:9999"):
        response = client.post(
            "/review",
            headers={"Origin": origin},
            follow_redirects=False,
            data={"paper_id": "2505.00006", "start": "0", "end": "3", "text": "Cod", "verdict": "wrong"},
        )
        assert response.status_code == 400 and "refused" in response.text
    with Store(db, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM reviews") == before


def test_a_bad_review_is_a_clear_page_not_a_crash(client):
    response = client.post(
        "/review",
        data={"paper_id": "2505.00006", "start": "0", "end": "4", "text": "nope", "verdict": "wrong"},
    )
    assert response.status_code == 400 and "is not the abstract&#39;s text" in response.text


def test_charts_list_selections_and_link_marks_to_papers(client):
    listing = client.get("/charts").text
    assert "/charts/leaderboard?benchmark=SWE-bench+Verified&amp;metric=%25+resolved" in listing
    page = client.get("/charts/leaderboard", params={"benchmark": "SWE-bench Verified"}).text
    assert '"href": {"field": "paper_link"' in page and "window.vegaEmbed" in page  # the bundle is inlined
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', page)  # nothing fetched from the net
    assert client.get("/charts/progress", params={"benchmark": "SWE-bench Verified"}).status_code == 200
    missing = client.get("/charts/leaderboard", params={"benchmark": "No Such Bench"})
    assert missing.status_code == 404 and "no score claims" in missing.text


def test_every_chart_the_list_links_to_draws(tmp_path):
    from starlette.testclient import TestClient

    path = make_kb(tmp_path / "kb.duckdb")
    abstract = "Our method reaches 70.0% on GSM8K."  # a score, but no system's: GSM8K has no board
    with Store(path) as store:
        store.write(
            [
                Paper(
                    paper_id="2507.00099",
                    title="A Method",
                    abstract=abstract,
                    source_format="test",
                    published=dt.date(2025, 7, 1),
                )
            ],
            [
                Claim(
                    paper_id="2507.00099",
                    text="70.0%",
                    start=19,
                    end=24,
                    value=70.0,
                    unit="%",
                    kind="score",
                    metric="accuracy",
                    benchmark="GSM8K",
                    subject="Our method",
                    subject_kind="generic",
                    rule="test",
                    sentence_start=0,
                    sentence_end=len(abstract),
                )
            ],
            extracted=True,
        )
    with TestClient(create_app(path), base_url="http://127.0.0.1:8000") as client:
        listing = client.get("/charts").text
        links = [html.unescape(link) for link in re.findall(r'href="(/charts/[a-z]+\?[^"]+)"', listing)]
        pages = {link: client.get(link) for link in links}
    assert links and "GSM8K" not in listing
    assert [link for link, page in pages.items() if page.status_code != 200] == []


def test_pages_give_a_year_only_date_as_its_year(year_only_kb):
    from starlette.testclient import TestClient

    with TestClient(create_app(year_only_kb), base_url="http://127.0.0.1:8000") as client:
        pages = [client.get("/").text, client.get(paper_url("aistats2019-abc")).text]
    assert all("aistats2019-abc · 2019 ·" in page and "2019-01-01" not in page for page in pages)


def test_a_hostile_subject_in_a_chart_cannot_end_its_script(client):
    page = client.get("/charts/leaderboard", params={"benchmark": "HumanEval"}).text
    assert "</script><script>" not in page.split("const spec = ")[1].split("\n")[0]
    assert "\\u003cscript\\u003ewindow.__pwned" in page


def test_linked_spec_links_only_views_whose_rows_name_a_paper(db):
    from benchkb.kb import KB

    with KB(db) as kb:
        built = build_report(kb, available_reports()["progress"], benchmark="SWE-bench Verified")
    spec = chart_spec(built.chart)
    linked = linked_spec(spec)
    steps, points = linked["layer"]
    assert "href" not in steps.get("encoding", {}) and points["encoding"]["href"]["field"] == "paper_link"
    assert "href" not in str(spec)  # the report's own spec is left alone


def test_audit_findings_filter_by_rule_and_severity(client):
    everything = client.get("/audit").text
    assert everything.count('<span class="sev sev-') >= 3
    warnings = client.get("/audit", params={"severity": "warning"}).text
    assert "sev-warning" in warnings and "sev-info" not in warnings.split("<table")[1]
    hedge = client.get("/audit", params={"rule": "hedge"}).text
    assert all(rule == "hedge" for rule in re.findall(r"</span></td><td>([a-z-]+)</td>", hedge))


def test_segments_are_the_abstract_cut_at_its_mentions():
    abstract = "It reaches 91.5% and 2x; 2x again."
    mentions = [
        Mention(11, 16, "91.5%"),
        Mention(13, 16, ".5%"),
        Mention(21, 23, "2x"),
        Mention(25, 27, "2x"),
    ]
    pieces = segments(abstract, mentions)
    assert "".join(text for text, _ in pieces) == abstract
    marked = [text for text, mention in pieces if mention is not None]
    assert marked == ["91.5%", "2x", "2x"]  # the overlapping '.5%' stays unmarked


def test_a_missing_knowledge_base_is_an_error_not_a_new_file(tmp_path):
    from benchkb.errors import StoreError

    with pytest.raises(StoreError, match="no knowledge base"):
        create_app(tmp_path / "none.duckdb")
    assert not (tmp_path / "none.duckdb").exists()


def test_every_paper_of_the_fixture_opens(client):
    for paper_id in PAPERS:
        assert client.get(paper_url(paper_id)).status_code == 200
    assert len(CLAIMS) > 10
