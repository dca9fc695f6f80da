"""The learned attribution: `benchkb train` fits it deterministically on gold sets, `benchkb eval --folds`
scores it only on papers its model did not see, and extraction reads the weights as validated data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SEED_PAGE, SHARED

SEED_GOLD = SHARED / "gold" / "seed.jsonl"
needs_gold = pytest.mark.skipif(
    not SEED_GOLD.exists(), reason="../shared/gold/seed.jsonl is not beside the checkout"
)


@pytest.fixture(scope="module")
def seed_set():
    from benchkb.train import GoldSet

    return [GoldSet(SEED_GOLD, SEED_PAGE)]


@needs_gold
def test_training_is_deterministic_and_gives_valid_weights(seed_set, annotator, tmp_path):
    from benchkb.extract.learned import AttributionWeights
    from benchkb.train import LEARNED_FIELDS, train_weights

    first, second = tmp_path / "a.json", tmp_path / "b.json"
    train_weights(seed_set, annotator).dump(first)
    train_weights(seed_set, annotator).dump(second)
    assert first.read_bytes() == second.read_bytes()
    weights = AttributionWeights.load(first)
    assert set(weights.fields) == set(LEARNED_FIELDS)
    assert set(weights.kind.classes) == {"score", "ratio", "change", "setup"}
    assert weights.trained_on == ["seed: 57 papers, 132 result claims"]


@needs_gold
def test_cross_validation_scores_every_gold_result_once_with_a_model_that_did_not_see_its_paper(
    seed_set, annotator
):
    from benchkb.evaluate import load_gold
    from benchkb.models import RESULT_KINDS
    from benchkb.train import cross_validate

    report = cross_validate(seed_set, annotator, folds=3)
    gold_results = sum(1 for claim in load_gold(SEED_GOLD) if claim.kind in RESULT_KINDS)
    pooled = report.pooled["seed"]
    assert pooled.tp + pooled.fn == gold_results
    assert (
        sum(fold["seed"].tp + fold["seed"].fn for fold in report.folds) == gold_results
    )  # folds are disjoint
    assert len(report.folds) == 3
    assert pooled.f1 > 0.9
    assert annotator.extractor.attribution.weights is not None  # the shipped weights are back after the folds


@needs_gold
def test_cli_train_then_eval_with_folds(tmp_path):
    from benchkb.cli import app
    from benchkb.extract.learned import AttributionWeights

    runner = CliRunner()
    weights = tmp_path / "attribution.json"
    result = runner.invoke(
        app, ["train", "--gold", str(SEED_GOLD), "--input", str(SEED_PAGE), "--out", str(weights)]
    )
    assert result.exit_code == 0, result.output
    assert "trained on seed: 57 papers" in result.output
    assert AttributionWeights.load(weights) is not None
    result = runner.invoke(
        app, ["eval", "--gold", str(SEED_GOLD), "--input", str(SEED_PAGE), "--folds", "3", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)["seed"]
    assert set(summary["folds"]["f1"]) == {"mean", "sd", "min", "max"}
    assert summary["folds"]["f1"]["min"] <= summary["folds"]["f1"]["mean"] <= summary["folds"]["f1"]["max"]
    assert summary["pooled"]["f1"] > 0.9


def test_cli_eval_pairs_each_gold_with_its_input(tmp_path):
    from benchkb.cli import app

    gold = tmp_path / "a.jsonl"
    gold.write_text("", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["eval", "--gold", str(gold), "--gold", str(gold), "--input", str(SEED_PAGE)]
    )
    assert result.exit_code != 0
    assert "2 --gold files but 1 --input files" in result.output


def test_invalid_weights_are_one_error_naming_the_file(tmp_path):
    from benchkb.errors import RuleFileError
    from benchkb.extract.learned import AttributionWeights

    broken = tmp_path / "attribution.json"
    broken.write_text(
        json.dumps(
            {
                "version": 1,
                "trained_on": [],
                "seed": 1,
                "kind": {"classes": {}},
                "fields": {"colour": {"intercept": 0, "weights": {}}},
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match="attribution.json: invalid attribution weights"):
        AttributionWeights.load(broken)


def test_the_shipped_weights_load_and_decide_subject_and_metric():
    from benchkb.extract.learned import AttributionWeights

    weights = AttributionWeights.load()
    assert weights is not None and {"subject", "metric"} <= set(weights.fields)


def test_without_weights_the_rules_decide(annotator):
    from benchkb.extract.pipeline import Extractor

    rules_only = Extractor(gazetteer=None, weights=None)
    assert rules_only.attribution.weights is None
    claims = rules_only.extract("x", "T", "Our model reaches 81.2% top-1 accuracy on ImageNet.")
    assert [(c.text, c.kind) for c in claims] == [("81.2%", "score")]


def test_own_names_read_acronyms_called_and_title_prefixes():
    from benchkb.extract.own_names import own_names

    found = own_names(
        "FastKGE: Continual Knowledge Graph Embedding",
        "We propose a fast continual KGE framework (FastKGE). We also build a tool called Lens Kit.",
    )
    features = {entry.name: entry.features for entry in found}
    assert found[0].name == "FastKGE"
    assert {"own:title_prefix", "own:acronym", "own:acronym_introduced"} <= set(features["FastKGE"])
    assert "own:called" in features["Lens Kit"]


def test_an_own_name_is_counted_as_a_word_not_inside_a_longer_one():
    from benchkb.extract.own_names import own_names

    found = own_names(
        "Teaching Robots with Language",
        "Model predictive control (MPC) is common. We propose Language Model Predictive Control (LMPC). "
        "LMPC improves success rates, and LMPC adapts.",
    )
    features = {entry.name: entry.features for entry in found}
    assert "own:count:1" in features["MPC"]
    assert "own:count:3" in features["LMPC"]


def test_a_long_name_spelled_out_by_its_acronym_ranks_after_it():
    from benchkb.extract.own_names import own_names

    found = own_names(
        "Predicting Landslides Using Locally Aligned Convolutional Neural Networks",
        "We propose a model called Locally Aligned Convolutional Neural Network, LACNN, that follows the "
        "ground. Our model achieves 2-7% improvement.",
    )
    features = {entry.name: entry.features for entry in found}
    assert found[0].name == "LACNN"
    assert "own:long_form" in features["Locally Aligned Convolutional Neural Network"]
    assert "own:long_form" not in features["LACNN"]


def test_a_paper_that_introduces_a_benchmark_has_no_system_of_its_own(annotator):
    from benchkb.extract.candidates import PaperState

    extractor = annotator.extractor
    title = "VisGym: Diverse, Customizable, Scalable Environments for Multimodal Agents"
    abstract = "We introduce VisGym, a benchmark of 17 environments. Frontier models reach only 46.6%."
    paper = PaperState.read(extractor.paper_context(title, abstract), abstract)
    assert "VisGym" in paper.context.benchmarks
    assert paper.system is None
    title = "FastKGE: Continual Knowledge Graph Embedding"
    abstract = "We propose FastKGE, a framework. FastKGE reduces training time by 34%."
    paper = PaperState.read(extractor.paper_context(title, abstract), abstract)
    assert paper.system == "FastKGE"


@pytest.mark.parametrize(
    ("title", "abstract", "system"),
    [
        # the short name in parentheses after the head noun, or a word after the name
        ("Fast and Continual KGE", "We propose a fast CKGE framework (FastKGE), with an adapter.", "FastKGE"),
        ("Interaction for Action", "We propose the Interaction Aggregation network (IAN) that helps.", "IAN"),
        ("Learning", "This gives rise to Model Predictive Control (LMPC), a framework that helps.", "LMPC"),
        # 'new' or 'novel' opens a description, not a name
        ("Automated CPU Design", "We propose a new AI approach to generate the CPU design.", None),
        # plain words are a name when the title opens with them; a title prefix needs no space after ':'
        ("Angle Alignment for X", "We introduce Angle Alignment, which aligns.", "Angle Alignment"),
        ("FastMesh:Efficient Mesh Generation", "Our method is fast. FastMesh wins.", "FastMesh"),
    ],
)
def test_the_paper_context_reads_the_name_a_paper_gives_its_work(annotator, title, abstract, system):
    assert annotator.extractor.paper_context(title, abstract).system == system


def test_a_name_introduced_by_we_verb_runs_over_its_capitalised_words():
    from benchkb.extract.own_names import own_names

    found = own_names("Angle Alignment for Detection", "We introduce Angle Alignment, which aligns angles.")
    assert [entry.name for entry in found] == ["Angle Alignment"]
    assert "own:we_verb" in found[0].features


def test_a_dataset_name_ends_at_its_sentence_and_keeps_its_inner_dots():
    from benchkb.extract.datasets import datasets

    abstract = (
        "We evaluate on AlpacaEval. However, prior methods lag. "
        "Results on Wan2.1 and the LLaMA v3.1 benchmark."
    )
    assert [entry.name for entry in datasets(abstract)] == ["AlpacaEval", "Wan2.1", "LLaMA v3.1"]


def test_weights_file_path_is_data_in_extractors():
    from benchkb.resources import extractors_dir

    assert (Path(extractors_dir()) / "attribution.json").exists()
