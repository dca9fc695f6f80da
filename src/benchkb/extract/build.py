"""Turning the mentions of one sentence into draft claims, then letting coordinated mentions share what the
sentence states once ("up to 1.8x over LibX and 2.4x over LibY"; "by 20% and 15%, respectively")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from benchkb.extract.actors import (
    NOTHING,
    Found,
    baseline_of,
    benchmark_of,
    benchmarks_named_after,
    sentence_conditions,
    subject_of,
)
from benchkb.extract.classify import direction_of, governing_verb, infer_unit, kind_of
from benchkb.extract.frame import Frame
from benchkb.extract.measure import QualifierFinder, metric_of, sentence_metric, verb_metric
from benchkb.extract.numbers import Mention

_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+")
_SETUP_CLASSES = frozenset({"count", "size", "dimension"})


@dataclass
class Draft:
    """A claim before paper-level resolution; each field remembers where it came from."""

    k: int
    mention: Mention
    kind: str
    qualifier: str | None
    direction: str | None
    metric: Found
    subject: Found
    baseline: Found
    benchmark: Found
    verb: str | None = None
    qualifier_start: int = (
        0  # token where the qualifier phrase starts (the mention's start when there is none)
    )
    conditions: list[str] = field(default_factory=list)
    uncertainty: float | None = None  # the x of a '± x' written right after this number


def draft_claims(frame: Frame, qualifiers: QualifierFinder) -> list[Draft]:
    rights = benchmarks_named_after(frame)
    conditions = sentence_conditions(frame)
    drafts = []
    for k in range(len(frame.mentions)):
        mention = infer_unit(frame, k)
        qualified = qualifiers.find(frame, k)
        verb = governing_verb(frame, qualified.start)
        metric = metric_of(frame, k, mention, qualified.start, verb)
        kind = kind_of(frame, k, mention, qualified.start, metric, verb)
        drafts.append(
            Draft(
                k=k,
                mention=mention,
                kind=kind,
                qualifier=qualified.qualifier,
                direction=direction_of(frame, k, mention, kind, qualified.start),
                metric=Found(metric, "own") if metric else NOTHING,
                subject=subject_of(frame, k, qualified.start),
                baseline=baseline_of(frame, k, qualified.start),
                benchmark=benchmark_of(frame, k, rights),
                verb=verb,
                qualifier_start=qualified.start,
                conditions=[
                    c for c in conditions if c.lower() != (metric or "").lower()
                ],  # not its own metric
            )
        )
    _share_across_coordination(frame, drafts)
    _pair_respectively(frame, drafts)
    for draft in drafts:
        if draft.baseline.text and draft.baseline.text == draft.subject.text:
            draft.baseline = NOTHING  # 'X outperforms Y (15/22)': Y's own numbers are not compared with Y
    for draft in drafts:
        if draft.metric.text is None and draft.kind != "setup":
            fallback = sentence_metric(frame, draft.k)
            draft.metric = Found(fallback, "sentence") if fallback else NOTHING
    return drafts


def setup_drafts(text: str, mentions: list[Mention], qualifiers: QualifierFinder) -> list[Draft]:
    """Drafts for a sentence that only counts things ('We release 1,140 tasks in 139 libraries'): every claim
    is setup, so none needs the token-level attribution that results get (see :func:`counts_only`)."""
    return [
        Draft(
            k=k,
            mention=m,
            kind="setup",
            qualifier=qualifiers.written(text, m.start, m.end, m)[0],
            direction=None,
            metric=NOTHING,
            subject=NOTHING,
            baseline=NOTHING,
            benchmark=NOTHING,
        )
        for k, m in enumerate(mentions)
    ]


def counts_only(text: str, mentions: list[Mention], result_verbs: re.Pattern[str]) -> bool:
    """Whether every mention counts things or gives a size, and no verb turns a count into a result ('solving
    19/22 tasks', 'constructs 269 instances')."""
    return all(m.unit and m.unit_class in _SETUP_CLASSES and m.rule != "fraction" for m in mentions) and (
        result_verbs.search(text) is None
    )


def _share_across_coordination(frame: Frame, drafts: list[Draft]) -> None:
    score_units = {d.mention.unit for d in drafts[:1] if d.kind == "score"}  # units of the scores so far
    for k in range(1, len(drafts)):
        if drafts[k].mention.sign == "±":
            _uncertainty(frame, drafts[k - 1], drafts[k])
        else:
            p = _partner(drafts, k)
            link = _link(frame, p, k)
            if link is not None:
                _share_forward(frame, drafts[p], drafts[k], link, score_units)
        if drafts[k].kind == "score":
            score_units.add(drafts[k].mention.unit)
    for run in _runs(frame, drafts):
        _share_backward(frame, run)
    for draft in drafts:
        if draft.direction is None and draft.kind in {"ratio", "change"} and draft.mention.sign != "±":
            draft.direction = "increase"


def _partner(drafts: list[Draft], k: int) -> int:
    """The mention a result is coordinated with: the previous one, skipping setup numbers in between
    ('by 3% under 10-fold cross-validation and 7% under LOSO')."""
    if drafts[k].kind != "setup":
        for p in range(k - 1, -1, -1):
            if drafts[p].kind != "setup":
                return p
    return k - 1


def _uncertainty(frame: Frame, previous: Draft, current: Draft) -> None:
    """'90.85 +- 2.22%', '+20% (+/-3%)': the ± number is the spread of the one before it, and is the same
    kind."""
    gap = range(frame.mentions[previous.k].end, frame.mentions[current.k].start)
    if len(gap) <= 2 and all(frame.words[i] in {"(", ","} for i in gap):
        current.kind = previous.kind
        current.direction = None
        current.metric, current.subject, current.benchmark = (
            previous.metric,
            previous.subject,
            previous.benchmark,
        )
        current.baseline = previous.baseline
        previous.uncertainty = current.mention.value


def _share_forward(frame: Frame, previous: Draft, current: Draft, link: str, score_units: set[str]) -> None:
    """What a later conjunct leaves unsaid it shares with the one before: '1.6x in latency and 2.1x in
    throughput' (qualifier), '7/10 tasks, 70%' (what was solved), '950 TFLOP/s (48% ...)' (everything but the
    metric)."""
    left_bare = _left_elliptical(frame, current.k)
    direct = _directly_coordinated(frame, previous.k, current.k)
    if current.qualifier is None and (
        link == "paren" or left_bare and (_right_elliptical(frame, current.k) or direct)
    ):
        current.qualifier = previous.qualifier
    if current.metric.text is None and link != "paren" and left_bare:
        current.metric = Found(previous.metric.text, "shared") if previous.metric.text else NOTHING
    if current.subject.text is None:
        current.subject = previous.subject
    if (
        current.benchmark.source in {"", "sentence"}
        and previous.benchmark.text
        and (link == "paren" or not _has_on_phrase(frame, current.k))
    ):
        current.benchmark = Found(previous.benchmark.text, "shared")
    if current.baseline.text is None and (previous.baseline.source == "left" or link == "paren"):
        current.baseline = previous.baseline
    if (
        current.direction is None
        and {previous.kind, current.kind} <= {"ratio", "change"}
        and current.mention.sign != "±"
    ):
        current.direction = previous.direction
    if current.verb is None and left_bare and previous.verb:
        current.verb = previous.verb
        implied = verb_metric(current.verb, current.mention, frame.lex.past)
        if current.metric.source == "shared" and implied:
            current.metric = Found(implied, "shared")
    if (
        current.mention.unit_class == previous.mention.unit_class == "percent"
        and left_bare
        and (current.kind == "score" and previous.kind == "change")
    ):
        current.kind = "change"
    if (
        current.kind == "setup"
        and current.mention.unit_class == "count"
        and left_bare
        and (current.mention.unit in score_units)
    ):
        current.kind = "score"
    if (
        current.kind == "setup"
        and not current.mention.unit
        and previous.kind == "score"
        and direct
        and (not previous.mention.unit)
    ):
        current.kind = "score"  # 'an error of 0.038 and 0.037'
        if current.metric.text is None:
            current.metric = previous.metric


def _runs(frame: Frame, drafts: list[Draft]) -> list[list[Draft]]:
    """Maximal chains of mentions coordinated in a list."""
    runs: list[list[Draft]] = []
    for k, draft in enumerate(drafts):
        if k and _link(frame, k - 1, k) == "list":
            runs[-1].append(draft)
        else:
            runs.append([draft])
    return runs


def _share_backward(frame: Frame, run: list[Draft]) -> None:
    """'+5.1 on MBPP and +4.2 on HumanEval compared to the base model': a comparison written after the last
    conjunct covers the earlier ones; '1.4x and 1.9x speedup': so does a metric."""
    last = run[-1]
    for draft in run[:-1]:
        # Only comparative claims need a baseline; a score listed before them keeps none.
        if draft.baseline.text is None and last.baseline.text and draft.kind in {"ratio", "change"}:
            draft.baseline = last.baseline
    for previous, current in zip(reversed(run[:-1]), reversed(run[1:])):
        if (
            previous.metric.text is None
            and current.metric.text
            and _directly_coordinated(frame, previous.k, current.k)
        ):
            previous.metric = Found(current.metric.text, "shared")
        if (
            _unit_from_sign(frame, previous)
            and current.mention.unit_class == "points"
            and (_directly_coordinated(frame, previous.k, current.k))
        ):
            # '+25 and +20 percentage points', '+20.2 / +17.1 points': the unit is written once, after the
            # last
            previous.mention = replace(previous.mention, unit=current.mention.unit)


def _unit_from_sign(frame: Frame, draft: Draft) -> bool:
    """'+25': a signed number whose unit (points) came from its sign, not from a word."""
    mention = draft.mention
    return (
        mention.sign in {"+", "-"}
        and mention.unit_class == "points"
        and frame.text[mention.end - 1].isdigit()
    )


def _link(frame: Frame, p: int, k: int) -> str | None:
    """How mention k hangs on mention p: 'paren' ('950 TFLOP/s (48% ...'), 'list' (joined by and/,), or
    None."""
    first, second = frame.mentions[p], frame.mentions[k]
    if frame.clause[first.start] != frame.clause[second.start]:
        return None
    gap = range(first.end, second.start)
    words = [frame.lowers[i] for i in gap]
    if words[:1] == ["("] and "(" not in words[1:] and ")" not in words:
        return "paren"
    if any(frame.is_verb(i) and not frame.lowers[i].endswith("ing") for i in gap):
        return None
    return "list" if any(frame.is_("list_links", i) for i in gap) else None


def _right_elliptical(frame: Frame, k: int) -> bool:
    """'... and 2.7x over Triton': no noun phrase of its own after the number."""
    end = frame.mentions[k].end
    return (
        end >= len(frame)
        or frame.is_punct(end)
        or frame.is_function(end)
        or bool(frame.phrase_at("baseline_after", end))
    )


def _left_elliptical(frame: Frame, k: int) -> bool:
    """'... and 2.4x', ', a 35% improvement': nothing of its own between the coordinator and the number."""
    i = frame.mentions[k].start - 1
    while i >= 0 and i not in frame.mention_at:
        if frame.is_("elliptic_links", i):
            return True
        if not (frame.is_("determiner", i) or frame.is_("adverb", i) or frame.is_("qualifier_words", i)):
            return False
        i -= 1
    return True


def _directly_coordinated(frame: Frame, p: int, k: int) -> bool:
    """'1.4x and 1.9x speedup', '0.5% and 3.1%': nothing but a coordinator between the two numbers."""
    gap = range(frame.mentions[p].end, frame.mentions[k].start)
    return bool(gap) and all(frame.is_("direct_links", i) or frame.is_("qualifier_words", i) for i in gap)


def _has_on_phrase(frame: Frame, k: int) -> bool:
    end = frame.mentions[k].end
    for i in range(end, min(end + 5, len(frame))):
        if i in frame.mention_at or frame.words[i] in {",", ";", ")"}:
            return False
        if frame.is_("own_phrase", i):
            return True
    return False


def _pair_respectively(frame: Frame, drafts: list[Draft]) -> None:
    """'... by 38% and 29% respectively': a coordinated list of n names pairs with n coordinated numbers."""
    if "respectively" not in frame.lowers:
        return
    at = frame.lowers.index("respectively")
    group = [d for d in drafts if frame.mentions[d.k].end <= at]
    run = _trailing_run(frame, group)
    if len(run) < 2:
        return
    benchmarks = _split_list(run[-1].benchmark.text)
    if len(benchmarks) == len(run) and all(not d.benchmark.text for d in run[:-1]):
        for draft, item in zip(run, benchmarks):  # '2.1%, 2.7% and 2.4% on A, B and C, respectively'
            draft.benchmark = Found(item, "respectively")
    for field_name in ("baseline", "subject"):
        listed = next((getattr(d, field_name) for d in run if getattr(d, field_name).text), NOTHING)
        items = _split_list(listed.text)
        if len(items) == len(run):
            for draft, item in zip(run, items):
                setattr(draft, field_name, Found(item, listed.source))
            return
    in_run = {d.k for d in run}
    earlier = [d for d in drafts if d.k not in in_run and d.kind == "score" and d.metric.text]
    if len(earlier) >= len(run) and all(d.metric.source != "own" for d in run):
        for draft, source in zip(run, earlier[-len(run) :]):
            draft.metric = Found(source.metric.text, "respectively")


def _trailing_run(frame: Frame, group: list[Draft]) -> list[Draft]:
    backwards: list[Draft] = []
    for draft in reversed(group):
        if backwards and _link(frame, draft.k, backwards[-1].k) != "list":
            break
        backwards.append(draft)
    return backwards[::-1]


def _split_list(text: str | None) -> list[str]:
    if not text:
        return []
    return [item for item in _LIST_SPLIT.split(text) if item]
