"""The extractor's word lists are data (extractors/cues.jsonl and extractors/words.jsonl): every list the code
reads is defined there, every list defined there is read, and problems are reported with their file and line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from benchkb.errors import RuleFileError
from benchkb.extract.rules import RuleSet
from benchkb.resources import extractors_dir

EXTRACT = Path(__file__).resolve().parents[1] / "src" / "benchkb" / "extract"


def _lexicons_named_in_code() -> set[str]:
    source = "\n".join(path.read_text(encoding="utf-8") for path in EXTRACT.glob("*.py"))
    named = set(
        re.findall(r'(?:\bis_|\.has|\.words|phrase_at|phrase_ending|phrase_starts)\(\s*"([a-z_]+)"', source)
    )
    named |= set(re.findall(r'lexicons\["([a-z_]+)"\]', source))
    named |= set(re.findall(r'"([a-z_]+)" in (?:self\.)?classes', source))
    for listed in re.findall(r"_[A-Z]+_LEXICONS = frozenset\(\{([^}]*)\}\)", source):
        named |= set(re.findall(r'"([a-z_]+)"', listed))
    return named


def test_every_lexicon_the_code_reads_is_defined_and_every_defined_one_is_read():
    named = _lexicons_named_in_code()
    defined = set(RuleSet.load().lexicons)
    assert len(named) > 60
    assert named - defined == set(), "read by the extractor but defined in no lexicon file"
    assert defined - named == set(), "defined but read by no rule"


def _copy_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "extractors"
    shutil.copytree(extractors_dir(), rules)
    return rules


def test_a_missing_lexicon_file_is_named(tmp_path):
    rules = _copy_rules(tmp_path)
    (rules / "words.jsonl").unlink()
    with pytest.raises(RuleFileError, match=r"words\.jsonl:0: file is missing"):
        RuleSet.load(rules)


def test_a_word_list_edited_in_data_changes_extraction(tmp_path):
    """The lists are read, not copies: taking 'across' out of what a number is measured on changes the
    rules' benchmark (the rules alone: the learned attribution may find it without them)."""
    from benchkb.extract.pipeline import Extractor

    sentence = "Our model reaches 71.2% across HateMM-v2."
    assert Extractor(weights=False).extract("p", "T", sentence)[0].benchmark == "HateMM-v2"
    rules = _copy_rules(tmp_path)
    words = rules / "words.jsonl"
    text = words.read_text(encoding="utf-8")
    assert '{"lexicon": "measured_on", "words": ["on", "across"]}' in text
    words.write_text(
        text.replace('"measured_on", "words": ["on", "across"]', '"measured_on", "words": ["on"]'),
        encoding="utf-8",
    )
    edited = Extractor(rules=RuleSet.load(rules), weights=False)
    assert edited.extract("p", "T", sentence)[0].benchmark != "HateMM-v2"
