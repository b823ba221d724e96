"""Checks on a draft pathway plan before it is submitted.

Blockers are gaps that stop the plan meeting CLR 2010 Schedule 1 (CPPCR 2010 reg 43 for
eligible children): each of the ten areas needs a description of the current situation and a
target (area 4, contingency plans, is met by contingency plans instead of targets), every target
must say what, who, by when and how we will know, and there must be at least one contingency
plan.

Warnings answer inspection findings (Ofsted monitoring visit, Middlesbrough, November 2022):
targets not tight enough or overdue, contingency planning only about accommodation, the young
person's voice missing, and plans written about the young person rather than to them ("you").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from pathway.rules.dates import long_date
from pathway.rules.plan_areas import PLAN_AREAS, PlanArea

AREAS_WITHOUT_TARGETS = frozenset({PlanArea.CONTINGENCY})
"""Areas met by contingency plans rather than targets (Schedule 1 area 4)."""
CLOSED_TARGET_STATUSES = frozenset({"done", "not_needed"})
"""Target statuses that are never overdue."""

MISSING_CURRENT_SITUATION = "missing_current_situation"
NO_TARGET = "no_target"
TARGET_INCOMPLETE = "target_incomplete"
NO_CONTINGENCY = "no_contingency"
CONTINGENCY_INCOMPLETE = "contingency_incomplete"
CONTINGENCY_ONLY_ACCOMMODATION = "contingency_only_accommodation"
NO_YOUNG_PERSON_WORDS = "no_young_person_words"
THIRD_PERSON = "third_person"
TARGET_OVERDUE = "target_overdue"

_PRONOUNS = re.compile(r"\b(he|she|his|hers?|him|himself|herself)\b", re.IGNORECASE)
_YOUNG_PERSON = re.compile(r"\b(?:the\s+)?young\s+person\b", re.IGNORECASE)
_YP = re.compile(r"\bYP\b")
_NO_CONTINGENCY_MESSAGE = (
    "Add a contingency plan: what might go wrong, what we will do and who will do it."
)
_HIGHER_EDUCATION = "HE"
"""Upper-case "HE" is read as "higher education", not a pronoun."""


_Drafted = TypeVar("_Drafted", "TargetDraft", "ContingencyDraft")


class Severity(StrEnum):
    """How serious an issue is: blockers stop the plan being submitted."""

    BLOCKER = "blocker"
    WARNING = "warning"


def _as_area(value: PlanArea | str) -> PlanArea:
    return value if isinstance(value, PlanArea) else PlanArea(value)


@dataclass(frozen=True)
class AreaDraft:
    """What the plan says about one area. ``area`` may be given as its string value."""

    area: PlanArea
    current_situation: str = ""
    young_person_words: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "area", _as_area(self.area))


@dataclass(frozen=True)
class TargetDraft:
    """One target: what will happen, who will do it, by when, and how we will know."""

    area: PlanArea
    what: str = ""
    who: str = ""
    due: date | None = None
    how_we_know: str = ""
    status: str = "not_started"

    def __post_init__(self) -> None:
        object.__setattr__(self, "area", _as_area(self.area))

    @property
    def is_closed(self) -> bool:
        """True when the target is done or no longer needed."""
        status = self.status.strip().lower().replace(" ", "_").replace("-", "_")
        return status in CLOSED_TARGET_STATUSES


@dataclass(frozen=True)
class ContingencyDraft:
    """One contingency plan: what might go wrong, what we will do, and who will do it."""

    area: PlanArea
    what_might_go_wrong: str = ""
    what_we_will_do: str = ""
    who: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "area", _as_area(self.area))


@dataclass(frozen=True)
class Issue:
    """One finding. ``word`` is the offending word for third-person issues."""

    code: str
    severity: Severity
    message: str
    area: PlanArea | None = None
    word: str | None = None


@dataclass(frozen=True)
class QualityReport:
    """All issues found, blockers first, each group in Schedule 1 area order."""

    issues: tuple[Issue, ...]

    @property
    def blockers(self) -> list[Issue]:
        """Issues that must be fixed before the plan can be submitted."""
        return [issue for issue in self.issues if issue.severity is Severity.BLOCKER]

    @property
    def warnings(self) -> list[Issue]:
        """Issues to consider; they do not stop submission."""
        return [issue for issue in self.issues if issue.severity is Severity.WARNING]

    @property
    def can_submit(self) -> bool:
        """True when there are no blockers."""
        return not self.blockers


def check_plan_quality(
    areas: Sequence[AreaDraft],
    targets: Sequence[TargetDraft],
    contingencies: Sequence[ContingencyDraft],
    today: date,
) -> QualityReport:
    """Check a draft pathway plan and return its blockers and warnings."""
    blockers = [
        *_area_gaps(areas, targets),
        *_incomplete_targets(targets),
        *_missing_contingency(contingencies),
    ]
    warnings = [
        *_contingency_warnings(contingencies),
        *_voice_warnings(areas),
        *third_person_issues(areas, targets, contingencies),
        *_overdue_targets(targets, today),
    ]
    return QualityReport(tuple(blockers + warnings))


def third_person_words(text: str) -> list[str]:
    """Return the words in ``text`` that talk about the young person instead of to them.

    Matches whole words, ignoring case: he, she, his, her, hers, him, himself, herself, "young
    person" and "the young person". "YP" matches only in capitals. "They" is not matched (it is
    ambiguous) and neither is upper-case "HE" (higher education). Each word is listed once, in
    order of first appearance, in lower case except "YP".
    """
    found: list[tuple[int, str]] = []
    for match in _PRONOUNS.finditer(text):
        if match.group(0) != _HIGHER_EDUCATION:
            found.append((match.start(), match.group(0).lower()))
    for match in _YOUNG_PERSON.finditer(text):
        found.append((match.start(), " ".join(match.group(0).lower().split())))
    for match in _YP.finditer(text):
        found.append((match.start(), "YP"))
    words: list[str] = []
    for _, word in sorted(found):
        if word not in words:
            words.append(word)
    return words


def third_person_issues(
    areas: Sequence[AreaDraft],
    targets: Sequence[TargetDraft],
    contingencies: Sequence[ContingencyDraft],
) -> list[Issue]:
    """Warn once per area and word where the plan says "she", "the young person" and so on.

    Checks the current situation, each target's what and how-we-will-know, and each contingency's
    what-might-go-wrong and what-we-will-do. The young person's own words and "who" are not
    checked.
    """
    texts: list[tuple[PlanArea, str, str]] = []
    texts += [(a.area, "the current situation", a.current_situation) for a in areas]
    for t in targets:
        texts += [(t.area, "a target", t.what), (t.area, "a target", t.how_we_know)]
    for c in contingencies:
        texts += [
            (c.area, "a contingency plan", c.what_might_go_wrong),
            (c.area, "a contingency plan", c.what_we_will_do),
        ]
    places: dict[tuple[PlanArea, str], list[str]] = {}
    for area, place, text in texts:
        for word in third_person_words(text):
            seen = places.setdefault((area, word), [])
            if place not in seen:
                seen.append(place)
    issues = []
    for (area, word), where in sorted(places.items(), key=lambda i: i[0][0].number):
        message = (
            f'{area.title}: "{word}" is used in {_join(where)}. Write the plan to the '
            'young person, using "you".'
        )
        issues.append(Issue(THIRD_PERSON, Severity.WARNING, message, area, word))
    return issues


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _target_name(target: TargetDraft) -> str:
    area = target.area.title
    if _filled(target.what):
        return f'The target "{target.what.strip()}" in {area}'
    return f"A target in {area}"


def _area_gaps(
    areas: Sequence[AreaDraft], targets: Sequence[TargetDraft]
) -> Iterable[Issue]:
    described = {a.area for a in areas if _filled(a.current_situation)}
    with_targets = {t.area for t in targets}
    for area in PLAN_AREAS:
        if area not in described:
            message = f"Describe the current situation for {area.title}."
            yield Issue(MISSING_CURRENT_SITUATION, Severity.BLOCKER, message, area)
        if area not in with_targets and area not in AREAS_WITHOUT_TARGETS:
            message = f"Add at least one target for {area.title}."
            yield Issue(NO_TARGET, Severity.BLOCKER, message, area)


def _incomplete_targets(targets: Sequence[TargetDraft]) -> Iterable[Issue]:
    for target in _in_area_order(targets):
        missing = [
            label
            for label, present in (
                ("what will happen", _filled(target.what)),
                ("who will do it", _filled(target.who)),
                ("when it is due", target.due is not None),
                ("how we will know it is done", _filled(target.how_we_know)),
            )
            if not present
        ]
        if missing:
            message = f"{_target_name(target)} does not say {_join(missing)}."
            yield Issue(TARGET_INCOMPLETE, Severity.BLOCKER, message, target.area)


def _real_contingencies(
    contingencies: Sequence[ContingencyDraft],
) -> list[ContingencyDraft]:
    return [
        c
        for c in contingencies
        if _filled(c.what_might_go_wrong) or _filled(c.what_we_will_do)
    ]


def _missing_contingency(contingencies: Sequence[ContingencyDraft]) -> Iterable[Issue]:
    if not _real_contingencies(contingencies):
        yield Issue(
            NO_CONTINGENCY,
            Severity.BLOCKER,
            _NO_CONTINGENCY_MESSAGE,
            PlanArea.CONTINGENCY,
        )


def _contingency_warnings(contingencies: Sequence[ContingencyDraft]) -> Iterable[Issue]:
    real = _real_contingencies(contingencies)
    for c in _in_area_order(real):
        missing = [
            label
            for label, present in (
                ("what might go wrong", _filled(c.what_might_go_wrong)),
                ("what we will do", _filled(c.what_we_will_do)),
                ("who will do it", _filled(c.who)),
            )
            if not present
        ]
        if missing:
            message = (
                f"A contingency plan in {c.area.title} does not say {_join(missing)}."
            )
            yield Issue(CONTINGENCY_INCOMPLETE, Severity.WARNING, message, c.area)
    if real and all(c.area is PlanArea.ACCOMMODATION for c in real):
        message = (
            "Every contingency plan is about accommodation. Plan for other things that might "
            "go wrong too, such as money, education, health or losing contact."
        )
        yield Issue(
            CONTINGENCY_ONLY_ACCOMMODATION,
            Severity.WARNING,
            message,
            PlanArea.CONTINGENCY,
        )


def _voice_warnings(areas: Sequence[AreaDraft]) -> Iterable[Issue]:
    if not any(_filled(a.young_person_words) for a in areas):
        message = "No area has the young person's own words. Add what they said, in their words."
        yield Issue(NO_YOUNG_PERSON_WORDS, Severity.WARNING, message)


def _overdue_targets(targets: Sequence[TargetDraft], today: date) -> Iterable[Issue]:
    for target in _in_area_order(targets):
        if target.due is not None and target.due < today and not target.is_closed:
            message = f"{_target_name(target)} was due on {long_date(target.due)}."
            yield Issue(TARGET_OVERDUE, Severity.WARNING, message, target.area)


def _in_area_order(items: Sequence[_Drafted]) -> list[_Drafted]:
    return sorted(items, key=lambda item: item.area.number)
