"""What leaderboards and progress charts take: a system's absolute result on a benchmark (the score_claims,
absolute_scores and leaderboard views), and whether a subject names a system (benchkb.catalog.systems)."""

from __future__ import annotations

import pytest

from benchkb.catalog import Catalog
from benchkb.models import Claim, Paper
from benchkb.store import Store


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.load()


@pytest.mark.parametrize(
    ("subject", "benchmark", "kind"),
    [
        ("GPT-4o", "MMLU", "model"),
        ("ReflexiCoder-8B", "HumanEval", "name"),
        ("GraphDepth", "NYU", "name"),
        ("BATMAN", "KITTI", "name"),
        ("Pale Transformer", "ImageNet", "word"),  # a name only when the paper's title holds it
        ("our method", "MMLU", "generic"),
        ("Our approach", "MMLU", "generic"),
        ("merged models", "MMLU", "generic"),
        ("final", "MMLU", "generic"),
        ("Final", "MMLU", "generic"),
        ("STEM", "MMLU", "generic"),
        ("LLMs", "MMLU", "generic"),
        ("hierarchy", "MMLU", "generic"),
        ("ImageNet", "COCO", "benchmark"),  # a catalog benchmark
        ("Polyglot", "Polyglot", "benchmark"),  # the claim's own benchmark
        ("VIGOR benchmark", "VIGOR", "benchmark"),
        ("A100", "MMLU", "hardware"),
        ("F1-scores", "FaceForensics++", "metric"),
        ("GPT-4o and a tuned Llama", "MMLU", "model"),  # the catalog resolves a list's first item
        ("FooNet and BarNet", "MMLU", "list"),
        (None, "MMLU", None),
        (
            "PRMs",
            "SWE-bench Verified",
            "generic",
        ),  # a plural acronym is a kind of system ("closed-source PRMs")
        ("GNNs", "Cora", "generic"),
        ("HIGH", "SWE-bench Verified", "generic"),  # a reasoning-effort level, not a system
        ("Orchard-SWE", "SWE-bench Verified", "name"),  # an acronym in a hyphenated name
        ("SWE-Compressor", "SWE-bench Verified", "name"),
        ("CNN-LSTM models", "MMLU", "generic"),  # inside a phrase, a technique
        ("BERT-based", "MMLU", "word"),  # lower-case part: no hyphenated name
        ("LLM-Based", "MMLU", "word"),  # the acronym is a field's: a name only if the title says so
        ("AARRI-Bench", "MMLU", "benchmark"),  # names ending in Bench are benchmarks
        ("From 0-to-1 to 1-to-N", "SWE-bench Verified", "generic"),  # a title fragment, not a name
        ("Towards Agent-7B", "MMLU", "generic"),
    ],
)
def test_subject_kind(cat: Catalog, subject, benchmark, kind) -> None:
    assert cat.subject_kind(subject, model_id=cat.resolve_id("model", subject), benchmark=benchmark) == kind


# One sentence per case; the claim is the first occurrence of its text. Expected: why it is left out (None:
# kept).
BOARD_CASES = [
    ("FooNet reaches 71.2% accuracy on MMLU.", "71.2%", "FooNet", "accuracy", None),
    ("Our method reaches 71.2% accuracy on MMLU.", "71.2%", "Our method", "accuracy", "no system"),
    ("FooNet reaches 71.2% accuracy on MMLU.", "71.2%", None, "accuracy", "no system"),
    (
        "Pale Transformer reaches 84.9% top-1 accuracy on ImageNet.",
        "84.9%",
        "Pale Transformer",
        "top-1 accuracy",
        None,
    ),
    ("FooNet retains 99.1% of the teacher's accuracy on MMLU.", "99.1%", "FooNet", "accuracy", "relative"),
    ("FooNet maintains 99.9% performance on MMLU.", "99.9%", "FooNet", "accuracy", "relative"),
    ("FooNet reaches 93.0% relative accuracy on MMLU.", "93.0%", "FooNet", "relative accuracy", "relative"),
    ("FooNet improves accuracy by 4.2% on MMLU.", "4.2%", "FooNet", "accuracy", "change"),
    ("FooNet is 2.1% higher than BarNet on MMLU.", "2.1%", "FooNet", "accuracy", "change"),
    (
        "FooNet improves accuracy by up to 1.7% over BarNet and up to 0.5% over BazNet on MMLU.",
        "0.5%",
        "FooNet",
        "accuracy",
        "change",
    ),
    ("FooNet reaches 21.2% top-1 error on ImageNet.", "21.2%", "FooNet", "top-1 accuracy", "error rate"),
    ("FooNet reaches 71.0% vs. 56.7% on MMLU.", "56.7%", "FooNet", "accuracy", "compared value"),
    ("FooNet raises accuracy from 40.0% to 50.6% on MMLU.", "40.0%", "FooNet", "accuracy", "compared value"),
    ("FooNet keeps accuracy under 50% sparsity on MMLU.", "50%", "FooNet", "accuracy", "setting"),
    (
        "FooNet reaches 88.3% vs. 68.3% on Polyglot and more on MMLU.",
        "88.3%",
        "FooNet",
        "accuracy",
        "other benchmark",
    ),
    ("FooNet reaches 112.5% accuracy on MMLU.", "112.5%", "FooNet", "accuracy", "out of range"),
    ("FooNet reaches 0.71 accuracy on MMLU.", "0.71", "FooNet", "accuracy", "unit"),
    (
        "FooNet reaches 90.5% routing accuracy on MMLU.",
        "90.5%",
        "FooNet",
        "routing accuracy",
        "other measure",
    ),
    (
        "FooNet reaches 90.5% average zero-shot accuracy on MMLU.",
        "90.5%",
        "FooNet",
        "average zero-shot accuracy",
        None,
    ),
    # a metric as written away from the number is not its metric; the benchmark's usual one is taken
    (
        "FooNet achieves strong performance across agentic, reasoning and coding tasks, scoring 70.1% on "
        "TAU-Bench and 64.2% on SWE-bench Verified.",
        "64.2%",
        "FooNet",
        "performance",
        None,
        {"benchmark": "SWE-bench Verified"},
    ),
    (
        "FooNet reaches 48.5% PQ on MMLU.",
        "48.5%",
        "FooNet",
        None,
        "other measure",
    ),  # the word after names one
    (
        "FooNet reaches 79.6% on MMLU (vs. Claude Opus 4.6 at 80.8%).",
        "80.8%",
        "FooNet",
        None,
        "compared value",
    ),
    (
        "FooNet reaches 83.5%, beating the previous record of 83.1% on MMLU.",
        "83.1%",
        "FooNet",
        None,
        "compared value",
    ),
    ("FooNet reaches 90.1%, higher than BarNet's 88.0% on MMLU.", "88.0%", "FooNet", None, "compared value"),
    # the comparison names the claim's own subject, or the number is the first of a pair
    (
        "FooNet surpasses the previous state-of-the-art pipeline BarNet (31.98%) on MMLU.",
        "31.98%",
        "BarNet",
        None,
        None,
    ),
    ("FooNet exceeds the strong BarNet baseline (75.4% vs. 74.2%) on MMLU.", "75.4%", "FooNet", None, None),
    ("FooNet sets a new baseline of 41.3% on MMLU.", "41.3%", "FooNet", None, None),
    ("FooNet scores +0.7% on MMLU.", "0.7%", "FooNet", None, "change"),
    ("FooNet reduces up to 5.2x (81%) parameters on MMLU.", "81%", "FooNet", None, "change"),
    ("FooNet improves by +6.6 points (42.5 vs. 35.9) on MMLU.", "42.5", "FooNet", "accuracy", None),
    ("FooNet outperforms BarNet by $\\ge$ 1.1% on MMLU.", "1.1%", "FooNet", None, "change"),
    ("FooNet brings 2.44% and 2.63% accuracy gains on MMLU and BarBench.", "2.44%", "FooNet", None, "change"),
    ("FooNet yields an increase over the base model of 12.5% on MMLU.", "12.5%", "FooNet", None, "change"),
    (
        "With FooNet, 33 models achieve over 95% on MMLU and several surpassing 96%.",
        "96%",
        "FooNet",
        None,
        "several systems",
    ),
    ("ResNeXt-101 achieved 78.4% accuracy on MMLU.", "78.4%", "ResNeXt-101", "accuracy", None),
    (
        "Benchmarks such as MMLU suggest flagship models approach saturation, with scores above 90%.",
        "90%",
        "FooNet",
        None,
        "several systems",
    ),
    (
        "FooNet yields absolute improvements of $3.0$, $5.1$ and $6.6$ on MMLU, BarBench and BazBench.",
        "6.6",
        "FooNet",
        None,
        "change",
    ),
    (
        "FooNet reaches 65.5%, 96.5% and 90.0% on MATH, GSM8K and MMLU.",
        "96.5%",
        "FooNet",
        None,
        "several benchmarks",
        {"benchmark": "GSM8K and MMLU"},
    ),
    (
        "FooNet improves accuracy from 39.02 to 42.68 on MMLU.",
        "42.68",
        "FooNet",
        "accuracy",
        None,
    ),  # a bare %
    # the benchmark as written is part of a longer name ("HumanEval" read inside "mHumanEval")
    (
        "FooNet reaches 94.0% pass@1 on the mHumanEval dataset.",
        "94.0%",
        "FooNet",
        "pass@1",
        "longer name",
        {"benchmark": "HumanEval"},
    ),
    (
        "FooNet reaches 94.0% pass@1 on HumanEval+.",
        "94.0%",
        "FooNet",
        "pass@1",
        "longer name",
        {"benchmark": "HumanEval"},
    ),
    # a hyphen ends a name: "ImageNet" of "ImageNet-1K" is ImageNet
    ("FooNet reaches 84.0% top-1 accuracy on ImageNet-1K.", "84.0%", "FooNet", "top-1 accuracy", None),
    # capitalised words count when the title holds them or their stem
    (
        "Interfaze-Beta reaches 91.4% on MMLU.",
        "91.4%",
        "Interfaze-Beta",
        None,
        None,
        {"title": "Interfaze: models"},
    ),
    ("Interfaze-Beta reaches 91.4% on MMLU.", "91.4%", "Interfaze-Beta", None, "no system"),
]


def _store(path, cat: Catalog, cases) -> Store:
    """One paper per case: (sentence, text, subject, metric, expected[, {"benchmark": .., "title": ..}])."""
    papers, claims = [], []
    for number, (sentence, text, subject, metric, _, *extra) in enumerate(cases):
        given = extra[0] if extra else {}
        paper = Paper(
            paper_id=f"p{number}",
            title=given.get("title", "Pale Transformer: a study" if "Pale" in sentence else "A study"),
            abstract=sentence,
            source_format="test",
        )
        start = sentence.index(text)
        value = float(text.rstrip("%"))
        claim = Claim(
            paper_id=paper.paper_id,
            text=text,
            start=start,
            end=start + len(text),
            value=value,
            unit="%" if text.endswith("%") else "",
            kind="score",
            metric=metric,
            benchmark=given.get("benchmark", "ImageNet" if "ImageNet" in sentence else "MMLU"),
            subject=subject,
            rule="hand",
            sentence_start=0,
            sentence_end=len(sentence),
        )
        papers.append(paper)
        claims.append(cat.resolve_claim(claim))
    store = Store(path)
    store.write(papers, claims, extracted=True)
    store.replace_catalog(cat.table_rows())
    return store


def test_score_claims_say_why_a_claim_is_no_absolute_result(cat: Catalog, tmp_path) -> None:
    with _store(tmp_path / "kb.duckdb", cat, BOARD_CASES) as store:
        found = dict(store.query("SELECT paper_id, left_out FROM score_claims").rows())
        kept = set(store.query("SELECT paper_id FROM absolute_scores")["paper_id"])
    for number, case in enumerate(BOARD_CASES):
        assert found[f"p{number}"] == case[4], case[0]
        assert (f"p{number}" in kept) == (case[4] is None)


def test_a_number_away_from_its_metric_takes_the_benchmarks_and_a_bare_percentage_its_unit(
    cat: Catalog, tmp_path
) -> None:
    cases = [
        case
        for case in BOARD_CASES
        if case[1] in ("64.2%", "42.68")  # the metric elsewhere in the sentence; a % written without its sign
    ] + [
        # a metric the catalog does not know, right by the number: the number's own, kept as written
        ("FooNet outperforms self-evolving methods (71.0% on MMLU).", "71.0%", "FooNet", "methods", None),
        # one attached to another number is shared by the numbers coordinated with it
        (
            "FooNet fools the defense in 80% of attacks on ImageNet, and nearly 100% with a larger budget.",
            "100%",
            "FooNet",
            "attacks",
            None,
        ),
        # a bare fraction stays a fraction
        ("FooNet reaches 0.71 accuracy on MMLU.", "0.71", "FooNet", "accuracy", "unit"),
        # a piece of the benchmark's name is no metric
        (
            "FooNet resolves 74.6% on SWE-bench Verified.",
            "74.6%",
            "FooNet",
            "Verified",
            None,
            {"benchmark": "SWE-bench Verified"},
        ),
    ]
    with _store(tmp_path / "kb.duckdb", cat, cases) as store:
        rows = store.query(
            "SELECT text, metric, metric_surface, metric_inferred, unit, unit_inferred FROM score_claims "
            "ORDER BY text"
        ).rows()
    assert rows == [
        ("0.71", "accuracy", "accuracy", None, "", False),
        ("100%", "attacks", "attacks", None, "%", False),
        ("42.68", "accuracy", "accuracy", None, "%", True),
        ("64.2%", "resolve rate", "performance", "metric elsewhere", "%", False),
        ("71.0%", "methods", "methods", None, "%", False),
        ("74.6%", "resolve rate", "Verified", "benchmark default", "%", False),
    ]


def test_an_error_rate_the_catalog_complements_is_converted(cat: Catalog, tmp_path) -> None:
    cases = [("FooNet reaches a top-1 error of 21.2% on ImageNet.", "21.2%", "FooNet", "top-1 error", None)]
    with _store(tmp_path / "kb.duckdb", cat, cases) as store:
        row = store.query("SELECT metric, converted_from, value, higher_is_better FROM leaderboard").row(0)
    assert row == ("top-1 accuracy", "top-1 error", pytest.approx(78.8), True)


def test_leaderboard_groups_a_name_by_its_normalised_surface(cat: Catalog, tmp_path) -> None:
    cases = [
        ("FooNet-7B reaches 71.2% accuracy on MMLU.", "71.2%", "FooNet-7B", "accuracy", None),
        ("FooNet 7B reaches 73.0% accuracy on MMLU.", "73.0%", "FooNet 7B", "accuracy", None),
        ("GPT-4o reaches 88.7% accuracy on MMLU.", "88.7%", "GPT-4o", "accuracy", None),
    ]
    with _store(tmp_path / "kb.duckdb", cat, cases) as store:
        board = store.query("SELECT subject, value, claims FROM leaderboard ORDER BY value DESC").rows()
    assert board == [("GPT-4o", 88.7, 1), ("FooNet 7B", 73.0, 2)]


def _percent_scores(sentence: str, specs: list[tuple]) -> list[Claim]:
    """Score claims of paper "p" in one sentence, from (text, metric, benchmark, subject) of percentages."""
    return [
        Claim(
            paper_id="p",
            text=text,
            start=sentence.index(text),
            end=sentence.index(text) + len(text),
            value=float(text[:-1]),
            unit="%",
            kind="score",
            metric=metric,
            benchmark=benchmark,
            subject=subject,
            rule="hand",
            sentence_start=0,
            sentence_end=len(sentence),
        )
        for text, metric, benchmark, subject in specs
    ]


def test_resolving_stored_claims_again_sets_the_metric_a_benchmark_decides_and_the_subject_kind(
    cat, tmp_path
):
    from benchkb.ingest import resolve_stored

    sentence = "FooNet-7B resolves 46.0% on SWE-bench Verified and our method 40.0%."
    claims = _percent_scores(
        sentence,
        [
            ("46.0%", None, "SWE-bench Verified", "FooNet-7B"),
            ("40.0%", "resolution", "SWE-bench Verified", "our method"),
        ],
    )
    with Store(tmp_path / "kb.duckdb") as store:
        store.write(
            [Paper(paper_id="p", title="T", abstract=sentence, source_format="test")], claims, extracted=True
        )
        store.replace_catalog(cat.table_rows())
        resolve_stored(store, cat)
        rows = store.query(
            "SELECT text, metric_id, metric_inferred, subject_kind FROM claims ORDER BY text"
        ).rows()
    assert rows == [
        ("40.0%", "resolve-rate", "benchmark alias", "generic"),
        ("46.0%", "resolve-rate", "benchmark default", "name"),
    ]


def test_resolving_stored_claims_again_decides_every_metric_as_ingest_does(cat, tmp_path):
    from benchkb.ingest import resolve_stored

    sentence = "FooNet keeps 93.0% relative accuracy on MMLU and 91.0% relative accuracy overall."
    claims = _percent_scores(
        sentence,
        [("93.0%", "relative accuracy", "MMLU", "FooNet"), ("91.0%", "relative accuracy", None, "FooNet")],
    )
    with Store(tmp_path / "kb.duckdb") as store:
        store.write(
            [Paper(paper_id="p", title="T", abstract=sentence, source_format="test")],
            [cat.resolve_claim(claim) for claim in claims],
            extracted=True,
        )
        store.replace_catalog(cat.table_rows())
        at_ingest = store.query("SELECT text, metric_id, metric_inferred FROM claims ORDER BY text").rows()
        resolve_stored(store, cat)
        again = store.query("SELECT text, metric_id, metric_inferred FROM claims ORDER BY text").rows()
    # 'relative accuracy' is a share of another result, no metric of its own, with or without a benchmark
    assert at_ingest == again == [("91.0%", None, None), ("93.0%", None, None)]


def test_a_benchmark_list_pairs_its_first_item_with_the_first_number_respectively(
    cat: Catalog, tmp_path
) -> None:
    paired = "On MMLU and BarBench, FooNet achieves 51.9% and 44.9% accuracy, respectively."
    unpaired = "On MMLU and BarBench, FooNet achieves 61.9% and 54.9% accuracy."
    too_many = "On MATH, MMLU and BarBench, FooNet achieves 71.9%, 74.9% and 70.1% accuracy, respectively."
    papers, claims = [], []
    for number, (sentence, surface) in enumerate(
        [(paired, "MMLU and BarBench"), (unpaired, "MMLU and BarBench"), (too_many, "MMLU and BarBench")]
    ):
        texts = [word.rstrip(",") for word in sentence.split() if word.rstrip(",").endswith("%")]
        made = _percent_scores(sentence, [(text, "accuracy", surface, "FooNet") for text in texts])
        claims += [claim.model_copy(update={"paper_id": f"p{number}"}) for claim in made]
        papers.append(Paper(paper_id=f"p{number}", title="T", abstract=sentence, source_format="test"))
    with Store(tmp_path / "kb.duckdb") as store:
        store.write(papers, [cat.resolve_claim(claim) for claim in claims], extracted=True)
        store.replace_catalog(cat.table_rows())
        rows = dict(store.query("SELECT text, left_out FROM score_claims").rows())
    # the first of as many numbers as the list names is on its first item; the rest, and lists that do not
    # pair ("respectively" missing, or three numbers for two names), are not known to be on it
    assert rows == {
        "51.9%": None,
        "44.9%": "several benchmarks",
        "61.9%": "several benchmarks",
        "54.9%": "several benchmarks",
        "71.9%": "several benchmarks",
        "74.9%": "several benchmarks",
        "70.1%": "several benchmarks",
    }
