"""Extraction work grows linearly with sentence length.

Work is counted, not timed: the lines of ``benchkb.extract`` executed (``sys.settrace``) for a long sentence
and for one four times as long. Linear work gives a ratio of about 4; rules that rescan the sentence for every
mention gave 12 to 14 on these shapes. The regular expressions rewritten to run in linear time are checked
against the ones they replace.
"""

from __future__ import annotations

import re
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchkb.errors import TooManyNumbers
from benchkb.extract import frame as frame_module
from benchkb.extract import numbers
from benchkb.extract.pipeline import MAX_NUMBERS

SHAPES = {
    "numbers": lambda n: "5% " * n,
    "ratios over baselines": lambda n: "It is " + ", ".join(f"{i}.3x over Sys{i}" for i in range(n)) + ".",
    "scores on benchmarks": lambda n: "It reaches " + ", ".join(f"{i}% on Bench{i}" for i in range(n)) + ".",
    "changes by": lambda n: "improves accuracy " + " and ".join("by 5%" for _ in range(n)) + ".",
    "fractions": lambda n: "solves " + ", ".join("1/2" for _ in range(n)) + " tasks.",
    "respectively": lambda n: (
        " and ".join(f"{i}%" for i in range(n))
        + " on "
        + " and ".join(f"B{i}" for i in range(n))
        + " respectively."
    ),
    "parentheses": lambda n: "GPT-4 reaches " + " , ".join("(5%" for _ in range(n)) + ".",
    "metric far away": lambda n: "accuracy " + "5% " * n,
    "settings": lambda n: " ".join(f"w{i} setting 5%" for i in range(n)),
    "citations": lambda n: "[1] 5% " * n,
    "sentences naming datasets": lambda n: " ".join(
        f"Sys{i} reaches {i}% on the Bench{i} dataset." for i in range(n)
    ),
}


def _lines_executed(extractor, text: str, *, refused: bool = False) -> int:
    """Lines of ``benchkb.extract`` run to extract ``text``; ``refused``: the text may be refused for holding
    too many numbers."""
    count = 0

    def line(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return line

    def call(frame, event, arg):
        return line if "benchkb/extract" in frame.f_code.co_filename.replace("\\", "/") else None

    sys.settrace(call)
    try:
        extractor.claim_fields("p", "FuzzNet: A Title", text)
    except TooManyNumbers:
        if not refused:
            raise
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("shape", SHAPES)
def test_work_grows_linearly_with_sentence_length(extractor, shape):
    make = SHAPES[shape]
    extractor.claim_fields("p", "FuzzNet: A Title", make(100))  # the word memos are warm for both counts
    small = _lines_executed(extractor, make(25))
    large = _lines_executed(extractor, make(100))
    assert large / small < 5, f"{shape}: {small} lines for 25 items, {large} for 100"


@pytest.mark.parametrize("dump", ["1,", "5% ", "two "])
def test_work_stops_growing_past_the_numbers_an_abstract_may_hold(extractor, dump):
    """A text of thousands of numbers is a table or a dump: it is refused once it holds more than
    MAX_NUMBERS, so six thousand cost what fifteen hundred do ('1,' * 40000 read whole took 4 s)."""
    small = _lines_executed(extractor, dump * 1500, refused=True)
    large = _lines_executed(extractor, dump * 6000, refused=True)
    assert large / small < 1.5, f"{dump!r}: {small} lines for 1500 numbers, {large} for 6000"


def test_a_dump_of_short_sentences_is_refused_before_any_is_read(extractor):
    """Numbers were counted sentence by sentence as each was read, so a dump of short sentences was refused
    only after its first MAX_NUMBERS numbers had been read (0.7-1.0 s of CPU for 'GPT-4 reaches 5% on MMLU. '
    * 3800): refusing it must cost a small part of reading the most an abstract may hold."""
    sentence = "GPT-4 reaches 5% on MMLU. "
    read = _lines_executed(extractor, sentence * MAX_NUMBERS)
    refused = _lines_executed(extractor, sentence * (MAX_NUMBERS + 1), refused=True)
    assert refused < read / 5, (
        f"{refused} lines to refuse {MAX_NUMBERS + 1} sentences, {read} to read one fewer"
    )


# Sentences as rich as an abstract's (a system, two datasets, two baselines for every number): about 2 ms a
# number on this 2-core machine under load, the most per number of the shapes in benchmarks/robustness.py.
RICH = (
    "Our proposed system SysNet{i} reaches {i}.5% accuracy on the challenging Bench{i} dataset and the "
    "ZorbQA{i} benchmark, beating GPT-4o and Claude-3. "
)


def test_the_most_numbers_an_abstract_may_hold_are_all_read(extractor):
    """Issue 14's bound (any input under 100 KB in under 1 s of CPU) rests on MAX_NUMBERS: extraction is
    linear, so the worst input holds as many numbers as it may, in the richest sentences. How long that takes
    is benchmarks/robustness.py's to print (0.46-0.67 s on the shared machine; 678 numbers, when 1,000 were
    allowed, took 1.35 s), not a timed test's; here: every one of them is read, and one more is refused."""
    sentences = [RICH.format(i=i) for i in range(MAX_NUMBERS)]
    assert sum(map(len, sentences)) < 100_000
    claims = extractor.claim_fields("p", "FuzzNet: A Title", "".join(sentences))
    assert len(claims) == MAX_NUMBERS
    with pytest.raises(TooManyNumbers):
        extractor.claim_fields("p", "FuzzNet: A Title", "".join(sentences) + RICH.format(i=MAX_NUMBERS))


def test_a_long_chain_of_ranges_is_read_without_deep_recursion(extractor):
    claims = extractor.claim_fields("p", "T", "1-" * 3000 + "1%")
    assert claims and all(c["end"] - c["start"] < 100 for c in claims)


@pytest.mark.parametrize(
    "text",
    ["5% " + " " * 100_000 + " 3x faster.", "5%" + "\n" * 100_000 + "3x"],
    ids=["spaces", "newlines"],
)
def test_a_long_run_of_whitespace_costs_little(extractor, text):
    """The separators after a number backtracked over whitespace inside a regular expression, which the line
    count cannot see: a 100 KB gap between two numbers took 33 s of CPU. Linear, it takes well under 0.1 s;
    the bound leaves room for a loaded machine (CPU time, not wall time)."""
    begun = time.process_time()
    extractor.claim_fields("p", "FuzzNet: A Title", text)
    assert time.process_time() - begun < 1.0


WORD_PIECES = st.sampled_from(["a", "A", "Z", "b", "1", "9", ".", "-", "/", "_", "@", "+", "#", "é", "٣"])


@settings(max_examples=1000, deadline=None)
@given(st.lists(WORD_PIECES, min_size=1, max_size=14).map("".join))
def test_long_words_are_name_shaped_as_short_ones(word):
    assert frame_module._shaped_by_runs(word) == (frame_module._NAME_SHAPE.search(word) is not None)


SEPARATOR_PIECES = st.sampled_from(
    [
        " ",
        "  ",
        "\n",
        "-",
        "--",
        "$--$",
        "$",
        "–",
        "—",
        "~",
        "$\\sim$",
        "\\sim",
        "to",
        "t",
        "o",
        ",",
        "and",
        "or",
        "/",
        "x",
        "1",
    ]
)
_OLD_RANGE_SEP = re.compile(r"\s*(?:\$--\$|--|-|–|—|~|\$?\\sim\$?|\s+to\s+)\s*")
_OLD_LIST_GAP = re.compile(r"\s*(?:,|and|or|,\s*and|/)?\s*")


@settings(max_examples=1000, deadline=None)
@given(st.lists(SEPARATOR_PIECES, max_size=8).map("".join))
def test_linear_separators_match_as_the_backtracking_ones_did(text):
    old, new = _OLD_RANGE_SEP.match(text), numbers._RANGE_SEP.match(text)
    assert (old and old.group(0)) == (new and new.group(0))
    assert bool(_OLD_LIST_GAP.fullmatch(text)) == bool(numbers._LIST_GAP.fullmatch(text))
