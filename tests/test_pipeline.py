"""The spaCy pipeline's components, one Doc at a time, and the Python API over a knowledge base."""

from __future__ import annotations

from benchkb.ingest import IngestSettings, ingest_file
from benchkb.kb import KB
from benchkb.sources import ReadOptions
from benchkb.store import Store

from conftest import SEED_PAGE


def test_components_leave_spans_and_drafts_on_the_doc(extractor):
    title = "KernelX: Fast Kernels"
    abstract = "We study kernels. KernelX reaches up to 2.1x speedup over cuDNN 9.13 on H100 GPUs with BF16."
    ((span, doc),) = extractor.sentence_docs(title, abstract)
    assert abstract[span[0] : span[1]] == doc.text
    assert [s.text for s in doc.spans["mentions"]] == ["2.1x"]  # 9.13, H100, BF16 are names, not quantities
    labels = {s.text: s.label_ for s in doc.spans["names"]}
    assert labels["H100"] == "HARDWARE" and labels["BF16"] == "PRECISION" and "KernelX" in labels
    (draft,) = doc.user_data["benchkb.drafts"]
    assert (draft.kind, draft.qualifier, draft.baseline.text) == ("ratio", "up to", "cuDNN 9.13")


def test_kb_results_and_papers(tmp_path, annotator):
    db = tmp_path / "kb.duckdb"
    with Store(db) as store:
        store.replace_catalog(annotator.catalog.table_rows())
        ingest_file(store, SEED_PAGE, IngestSettings(read=ReadOptions(year=2026), workers=1), annotator)
    with KB(db) as kb:
        humaneval = kb.results(benchmark="HumanEval", exact=True)
        assert set(humaneval["benchmark"]) == {"HumanEval"} and humaneval.height >= 2
        family = kb.results(benchmark="HumanEval")  # the family's head names the family: HumanEval+ too
        assert set(family["benchmark"]) == {"HumanEval", "HumanEval+"}
        assert kb.results(family="HumanEval").height == family.height
        lite = kb.results(benchmark="SWE-bench Lite", kind="score")
        assert set(lite["value"]) == {19.0, 44.66}
        assert 44.66 in set(kb.results(benchmark="SWE-bench Lite", metric="resolve rate")["value"])
        assert kb.papers(benchmark="SWE-bench").height == 3
        assert kb.sql("SELECT count(*) AS n FROM papers")["n"][0] == 64


def test_name_patterns_match_only_sentences_holding_their_required_strings():
    """'requires' lets a pattern skip sentences; it must never skip one the pattern would have matched."""
    import re

    from benchkb.extract.rules import RuleSet
    from benchkb.extract.sentences import sentence_spans

    text = SEED_PAGE.read_text(encoding="utf-8") + (
        " Results on the MMLU-Pro benchmark. On tau-Bench and kBench. The Foo Bar dataset. "
        "SciEval+ and GSM8K-Gym. R@1, Hits@10, mAP50 and top-5. Pass@k rises."
    )
    sentences = [text[start:end] for start, end in sentence_spans(text)]
    rules = RuleSet.load()
    assert all(p.requires for p in rules.name_patterns)
    matched = 0
    for rule in rules.name_patterns:
        for sentence in sentences:
            if re.search(rule.pattern, sentence):
                matched += 1
                assert any(literal in sentence for literal in rule.requires), (rule.pattern, sentence)
    assert matched > 50


def test_tokenizer_records_each_token_offset_as_spacy_does(extractor):
    from benchkb.extract.tokenizer import STARTS, WORDS

    for text in [
        "FlashAttention-4 reaches 1613 TFLOPs/s (71% utilization) on B200, e.g. with BF16.",
        "  Two  spaces, a\ttab and  trailing space ",
        "x",
        "Llama's 46\\% vs. GPT-4o's 1.3$\\times$.",
    ]:
        doc = extractor.nlp.make_doc(text)
        assert doc.user_data[STARTS] == [token.idx for token in doc]
        assert doc.user_data[WORDS] == [token.text for token in doc]
        assert doc.text == text


def test_broken_rule_data_is_named_by_file_and_line(tmp_path):
    """Every problem of the extractor's rule files is reported at once, each with its file and line."""
    import shutil

    import pytest

    from benchkb.errors import RuleFileError
    from benchkb.extract.rules import RuleSet
    from benchkb.resources import extractors_dir

    rules = tmp_path / "extractors"
    shutil.copytree(extractors_dir(), rules)
    with (rules / "cues.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"lexicon": "extra", "words": ["same", "same"]}\n{"lexicon": "extra2", "wrods": []}\n')
    lines = len((rules / "cues.jsonl").read_text(encoding="utf-8").splitlines())
    with (rules / "words.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(
            '{"lexicon": "adverb", "words": ["again"]}\n'
        )  # a lexicon's name is unique across both files
    words = len((rules / "words.jsonl").read_text(encoding="utf-8").splitlines())
    adverb = next(
        number
        for number, line in enumerate((rules / "cues.jsonl").read_text().splitlines(), start=1)
        if '"lexicon": "adverb"' in line
    )
    with pytest.raises(RuleFileError) as caught:
        RuleSet.load(rules)
    message = str(caught.value)
    assert f"cues.jsonl:{lines - 1}: " in message and "'same' more than once" in message
    assert f"cues.jsonl:{lines}: unknown field 'wrods'" in message
    assert (
        f"words.jsonl:{words}: duplicate lexicon 'adverb' (first at {rules / 'cues.jsonl'}:{adverb})"
        in message
    )
