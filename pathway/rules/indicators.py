"""The indicators a leaving care manager is judged on (DOMAIN.md "Indicators managers are judged on";
Ofsted ILACS, DfE SSDA903 returns), for a manager's teams on any date ``on`` (issue 6 section 2).

Pure: no database, no clock. ``pathway.queries.indicators`` loads the facts; ``compute`` and
``series`` work them out for one date or for each of the last 12 months.

The cohort on date D
    Young people aged 16 to under 25 on D (from the 16th birthday up to the day before the 25th)
    whose allocation covering D (start_date <= D and (end_date is null or end_date > D)) is to an
    adviser in the teams chosen (the adviser's current team, ``User.team_id``).

Indicators (percentages are numerator / denominator x 100; no figure when the denominator is 0):

1. Pathway plan in date: cohort members whose latest signed-off plan or review (status active or
   superseded) dated on or before D has plan_date + 6 calendar months >= D (``reviews.next_review_due``).
   Denominator: the cohort, leaving out anyone with no signed-off plan whose first plan is not yet
   due (D before the 16th birthday + 3 months, ``reviews.needs_assessment_due``).
2. In touch: the latest contact on or before D that recorded an SSDA903 in touch status says YES.
   No status recorded counts as not in touch. Denominator: the cohort.
3. Suitable accommodation: the latest move with move_in <= D is suitable (``flags.Move.unsuitable``
   is False: the suitability assessment, else the code's suffix). No move recorded counts as not
   suitable. Denominator: the cohort.
4. EET aged 19 to 21 (the national basis) and 5. EET all ages: the activity on D is the latest
   contact on or before D that recorded an activity, else the main activity on the record (which is
   recorded without a date, so it is used for every date). EET = SSDA903 codes starting F or P.
   Indicator 4's denominator is the cohort members aged 19, 20 or 21 on D; indicator 5's the cohort.
6. PA allocated: the allocation covering D is to an adviser whose account is active. An allocation
   to an adviser whose account is inactive counts as not allocated. Denominator: the cohort.
   (Whether an account is active is known only as it is now, not as it was on D.)
7. Seen within the contact standard: a visit that saw them (``contacts.is_visit``) on or after
   D - 56 days and on or before D (``visits.CONTACT_STANDARD_DAYS``). Denominator: the cohort.
8. Post-move visit within 7 days: the moves of cohort members with D - 12 months < move_in and
   move_in + 7 days <= D (due by D), leaving out moves into custody (X, which has its own rule).
   Numerator: the moves with a visit that saw them on move_in <= visit date <= move_in + 7 days.
   Counted in moves, not people.
9. Average caseload: young people (any age) allocated on D to active advisers in the teams, divided
   by the number of active advisers in the teams (advisers with none count), to one decimal place.
10. Largest caseload: the most young people allocated on D to one active adviser, with their name.
11. PA changes: cohort members with 3 or more allocations starting in (D - 12 months, D] that are
   changes (not the young person's first allocation ever). A count out of the cohort; lower is better.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from calendar import monthrange
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache, lru_cache
from operator import itemgetter
from typing import NamedTuple

from pathway.rules.accommodation import CUSTODY
from pathway.rules.contacts import InTouch, is_visit
from pathway.rules.dates import add_days
from pathway.rules.flags import Move
from pathway.rules.reviews import NEEDS_ASSESSMENT_MONTHS, REVIEW_INTERVAL_MONTHS
from pathway.rules.visits import CONTACT_STANDARD_DAYS, POST_MOVE_VISIT_DAYS

COHORT_FROM_AGE = 16
COHORT_UNTIL_AGE = 25
"""The cohort is aged 16 to under 25 on the date."""
EET_NATIONAL_AGES = (19, 21)
"""The national basis for EET: aged 19, 20 or 21 on the date."""
EET_PREFIXES = ("F", "P")
"""SSDA903 activity codes for education, employment or training (NEET codes start G)."""
PA_CHANGES_THRESHOLD = 3
IN_TOUCH_YES = InTouch.YES.value
LOOKBACK_MONTHS = 12
SERIES_MONTHS = 12

COHORT_DEFINITION = (
    "Young people aged 16 to 24 on the date who are allocated on that date to a personal adviser in the team."
)


class Key:
    """The indicators' slugs (used in URLs)."""

    PLAN_IN_DATE = "plan-in-date"
    IN_TOUCH = "in-touch"
    SUITABLE_ACCOMMODATION = "suitable-accommodation"
    EET_19_21 = "eet-19-21"
    EET_ALL = "eet-all-ages"
    PA_ALLOCATED = "pa-allocated"
    SEEN = "seen-within-standard"
    POST_MOVE_VISIT = "post-move-visit"
    AVERAGE_CASELOAD = "average-caseload"
    LARGEST_CASELOAD = "largest-caseload"
    PA_CHANGES = "pa-changes"


KEYS = (
    Key.PLAN_IN_DATE, Key.IN_TOUCH, Key.SUITABLE_ACCOMMODATION, Key.EET_19_21, Key.EET_ALL, Key.PA_ALLOCATED,
    Key.SEEN, Key.POST_MOVE_VISIT, Key.AVERAGE_CASELOAD, Key.LARGEST_CASELOAD, Key.PA_CHANGES,
)

LABELS = {
    Key.PLAN_IN_DATE: "Pathway plan in date",
    Key.IN_TOUCH: "In touch",
    Key.SUITABLE_ACCOMMODATION: "In suitable accommodation",
    Key.EET_19_21: "In education, employment or training, aged 19 to 21",
    Key.EET_ALL: "In education, employment or training, all ages",
    Key.PA_ALLOCATED: "Personal adviser allocated",
    Key.SEEN: "Seen within the contact standard",
    Key.POST_MOVE_VISIT: "Visited within 7 days of a move",
    Key.AVERAGE_CASELOAD: "Average caseload",
    Key.LARGEST_CASELOAD: "Largest caseload",
    Key.PA_CHANGES: "3 or more changes of personal adviser in 12 months",
}

DEFINITIONS = {
    Key.PLAN_IN_DATE: "Latest signed-off plan or review no more than 6 calendar months old. Young people "
                      "whose first plan is not yet due (16th birthday + 3 months) are left out.",
    Key.IN_TOUCH: "Latest in touch status recorded at a contact is YES. No status recorded counts as not in touch.",
    Key.SUITABLE_ACCOMMODATION: "Latest accommodation recorded is suitable (the suitability assessment, else the "
                                "code ending 1). No accommodation recorded counts as not suitable.",
    Key.EET_19_21: "Aged 19, 20 or 21 (the national basis) with a main activity coded F or P: the latest recorded "
                   "at a contact, else the one on their record, which has no date.",
    Key.EET_ALL: "Main activity coded F or P: the latest recorded at a contact, else the one on their record, "
                 "which has no date.",
    Key.PA_ALLOCATED: "Allocated to a personal adviser whose account is active. An adviser whose account is "
                      "inactive counts as not allocated.",
    Key.SEEN: f"Seen on a visit in the {CONTACT_STANDARD_DAYS} days up to the date (the local contact "
              "standard). Attempted visits do not count.",
    Key.POST_MOVE_VISIT: "Moves in the last 12 months due a visit by the date where a visit saw the young "
                         "person within 7 days of moving in. Counted in moves; moves into custody are left out.",
    Key.AVERAGE_CASELOAD: "Young people of any age allocated on the date, divided by the active advisers in "
                          "the team (advisers with no young people count).",
    Key.LARGEST_CASELOAD: "The most young people of any age allocated on the date to one active adviser.",
    Key.PA_CHANGES: "Young people with 3 or more new personal advisers (not counting their first) in the "
                    "12 months up to the date. Lower is better.",
}

_HEADINGS = {
    Key.PLAN_IN_DATE: ("Plan in date", "Plan overdue or missing"),
    Key.IN_TOUCH: ("In touch", "Not in touch or not recorded"),
    Key.SUITABLE_ACCOMMODATION: ("In suitable accommodation", "Unsuitable or not recorded"),
    Key.EET_19_21: ("In education, employment or training", "Not in education, employment or training, or not recorded"),
    Key.EET_ALL: ("In education, employment or training", "Not in education, employment or training, or not recorded"),
    Key.PA_ALLOCATED: ("Adviser active", "Adviser's account inactive"),
    Key.SEEN: ("Seen in time", "Not seen in time"),
    Key.POST_MOVE_VISIT: ("Visited within 7 days of every move", "A move without a visit within 7 days"),
    Key.AVERAGE_CASELOAD: ("Allocated to an active adviser", "Allocated to an inactive adviser"),
    Key.LARGEST_CASELOAD: ("On the largest caseload", ""),
    Key.PA_CHANGES: ("3 or more changes of adviser", "Fewer than 3 changes"),
}


# --- Facts ---------------------------------------------------------------------------------------


# Facts loaded in thousands are named tuples (immutable, and several times quicker to build than dataclasses).


class AllocationFact(NamedTuple):
    """One allocation of the young person, to any adviser, ever."""

    id: int
    adviser_id: int
    start_date: date
    end_date: date | None = None

    def covers(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date > on)


class ContactFact(NamedTuple):
    """A contact: its date in England, kind, whether it reached them, and the SSDA903 codes it recorded."""

    day: date
    kind: str
    reached: bool = True
    in_touch: str | None = None
    activity: str | None = None


class MoveFact(NamedTuple):
    """A move into accommodation (SSDA903 code such as "U1"; ``suitable`` from the assessment, or None)."""

    move_in: date
    code: str
    suitable: bool | None = None


@dataclass(frozen=True)
class PersonFacts:
    """What the indicators of one young person are worked out from.

    ``contacts`` need only cover the dates asked about (oldest first); ``in_touch_before`` and
    ``activity_before`` are the latest (date, code) recorded before them, if any.
    ``main_activity`` is the activity on the record, which has no date.
    """

    id: int
    name: str
    date_of_birth: date
    allocations: tuple[AllocationFact, ...] = ()
    plan_dates: tuple[date, ...] = ()
    moves: tuple[MoveFact, ...] = ()
    contacts: tuple[ContactFact, ...] = ()
    in_touch_before: tuple[date, str] | None = None
    activity_before: tuple[date, str] | None = None
    main_activity: str | None = None


@dataclass(frozen=True)
class AdviserFacts:
    """An adviser in the teams (active or not)."""

    id: int
    name: str
    active: bool = True
    team_id: int | None = None


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator on one date.

    ``value``: a percentage (0 to 100) for percentage indicators (``unit`` "%"), or a number of
    young people (``unit`` ""); None when there is nothing to divide by. ``display`` is ``value``
    formatted ("75%", "12.5", "No figure"); ``summary`` explains the numbers ("45 of 60 young people").
    ``numerator_ids`` / ``denominator_ids`` / ``not_met_ids`` are young people's ids for the drill-down
    (``not_met_ids`` are those in the denominator the indicator counts against; for the post-move
    visit, anyone with a move missed). ``met_heading`` / ``not_met_heading`` name those two lists.
    Caseloads: ``numerator`` is the young people (the largest caseload's, for the largest) and
    ``denominator`` the active advisers; ``not_met_ids`` of the average are those allocated to an
    inactive adviser. PA changes: ``value`` is the count (``numerator``) out of the cohort.
    ``series`` is filled by ``report``: the last 12 months' (date, value), oldest first.
    """

    key: str
    label: str
    definition: str
    numerator: int
    denominator: int
    value: float | None
    display: str
    summary: str
    unit: str
    higher_is_better: bool
    numerator_ids: tuple[int, ...] = ()
    denominator_ids: tuple[int, ...] = ()
    not_met_ids: tuple[int, ...] = ()
    met_heading: str = ""
    not_met_heading: str = ""
    series: tuple[tuple[date, float | None], ...] = field(default=(), compare=False)

    @property
    def is_percentage(self) -> bool:
        return self.unit == "%"


# --- Preparing facts once for many dates -------------------------------------------------------------
# The page works out 11 indicators on 12 dates for hundreds of young people: each person's facts are
# sorted once (for bisecting), and the date arithmetic and code parsing that repeat are cached.


@lru_cache(maxsize=16384)
def _plus_months(d: date, months: int) -> date:
    """``dates.add_months`` (calendar months, clamped to a shorter month's end) without relativedelta's cost:
    the page does this thousands of times. tests/unit/test_indicator_rules.py checks they agree."""
    years, month0 = divmod(d.month - 1 + months, 12)
    year, month = d.year + years, month0 + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def _birthdays(dob: date) -> tuple[date, date, date, date, date]:
    """16th, 19th, 22nd and 25th birthdays (``dates.birthday``: 29 February falls on 28 February in other
    years), and when the first plan is due (``reviews.needs_assessment_due``: 16th birthday + 3 months)."""
    b16 = _plus_months(dob, 12 * COHORT_FROM_AGE)
    return (b16, _plus_months(dob, 12 * EET_NATIONAL_AGES[0]), _plus_months(dob, 12 * (EET_NATIONAL_AGES[1] + 1)),
            _plus_months(dob, 12 * COHORT_UNTIL_AGE), _plus_months(b16, NEEDS_ASSESSMENT_MONTHS))


@cache
def _is_visit(kind: str, reached: bool) -> bool:
    try:
        return is_visit(kind, reached)
    except ValueError:  # an unknown kind never meets a visit duty
        return False


@cache
def _suitable(code: str, suitable: bool | None) -> bool:
    """Suitable: ``flags.Move.unsuitable`` is False. An unreadable code is not known to be suitable."""
    try:
        return not Move(date.min, code, suitable=suitable).unsuitable
    except ValueError:
        return False


@cache
def _is_custody(code: str) -> bool:
    return code.strip().upper().startswith(CUSTODY)


_FIRST = itemgetter(0)


class _Prepared:
    """One person's facts, sorted for bisecting, so 12 dates cost little more than one."""

    __slots__ = (
        "id", "main_activity_eet", "b16", "b19", "b22", "b25", "first_plan_due", "allocations", "change_starts",
        "plan_dates", "plan_dues", "move_days", "move_suitable", "move_custody", "visit_days", "touch_days",
        "touch_yes", "activity_days", "activity_eet",
    )

    def __init__(self, facts: PersonFacts):
        self.id = facts.id
        self.main_activity_eet = is_eet(facts.main_activity)
        self.b16, self.b19, self.b22, self.b25, self.first_plan_due = _birthdays(facts.date_of_birth)
        allocations = sorted(facts.allocations, key=lambda a: (a.start_date, a.id))
        self.allocations = [(a.start_date, a.end_date, a.adviser_id) for a in allocations]
        self.change_starts = sorted(a.start_date for a in allocations[1:])
        self.plan_dates = sorted(facts.plan_dates)
        self.plan_dues = [_plus_months(d, REVIEW_INTERVAL_MONTHS) for d in self.plan_dates]
        moves = sorted(facts.moves, key=_FIRST)  # by move-in date; stable, so same-day order is kept
        self.move_days = [m.move_in for m in moves]
        self.move_suitable = [_suitable(m.code, m.suitable) for m in moves]
        self.move_custody = [_is_custody(m.code) for m in moves]
        contacts = sorted(facts.contacts, key=_FIRST)  # by day; stable
        self.visit_days = [c.day for c in contacts if _is_visit(c.kind, c.reached)]
        touch = [(c.day, c.in_touch) for c in contacts if c.in_touch]
        activity = [(c.day, c.activity) for c in contacts if c.activity]
        if facts.in_touch_before:
            touch.insert(0, facts.in_touch_before)
            touch.sort(key=_FIRST)
        if facts.activity_before:
            activity.insert(0, facts.activity_before)
            activity.sort(key=_FIRST)
        self.touch_days, self.touch_yes = [d for d, _ in touch], [c == IN_TOUCH_YES for _, c in touch]
        self.activity_days, self.activity_eet = [d for d, _ in activity], [is_eet(c) for _, c in activity]

    def adviser_on(self, on: date) -> int | None:
        """The adviser of the (latest) allocation covering ``on``."""
        found = None
        for start, end, adviser_id in self.allocations:
            if start > on:
                break
            if end is None or end > on:
                found = adviser_id
        return found


@cache
def is_eet(activity: str | None) -> bool:
    """True for SSDA903 activity codes meaning education, employment or training (F* and P*)."""
    return bool(activity) and activity.strip().upper().startswith(EET_PREFIXES)


# --- Working out -------------------------------------------------------------------------------------


def _percent(key: str, met: Sequence[int], counted: Sequence[int], not_met: Sequence[int], *,
             numerator: int | None = None, denominator: int | None = None,
             noun: tuple[str, str] = ("young person", "young people")) -> IndicatorResult:
    n = len(met) if numerator is None else numerator
    d = len(counted) if denominator is None else denominator
    value = _ratio(n, d)
    return IndicatorResult(
        key=key, label=LABELS[key], definition=DEFINITIONS[key], numerator=n, denominator=d, value=value,
        display=format_value(value, "%"), summary=f"{n} of {d} {noun[0] if d == 1 else noun[1]}", unit="%",
        higher_is_better=True, numerator_ids=tuple(met), denominator_ids=tuple(counted), not_met_ids=tuple(not_met),
        met_heading=_HEADINGS[key][0], not_met_heading=_HEADINGS[key][1],
    )


def _ratio(numerator: int, denominator: int) -> float | None:
    return 100 * numerator / denominator if denominator else None


def format_value(value: float | None, unit: str) -> str:
    """Format an indicator's value: "75%" (whole percent), "12.5" or "12" (one decimal place at most)."""
    if value is None:
        return "No figure"
    if unit == "%":
        return f"{round(value)}%"
    text = f"{round(value, 1):.1f}".removesuffix(".0")
    return f"{text} {unit}" if unit else text


class _Row(NamedTuple):
    """One young person allocated on the date to an adviser in the teams: what each indicator counts.

    ``in_cohort`` False (outside the ages): only the caseloads count them. None: not counted.
    """

    id: int
    adviser_id: int
    active: bool
    in_cohort: bool
    plan: bool | None = None
    in_touch: bool | None = None
    suitable: bool | None = None
    eet_19_21: bool | None = None
    eet: bool | None = None
    seen: bool | None = None
    moves_met: int = 0
    moves_missed: int = 0
    changes: bool | None = None


def _rows(prepared: Sequence[_Prepared], active_by_id: dict[int, bool], on: date) -> list[_Row]:
    """Evaluate every young person allocated on ``on`` to one of the advisers (the hot loop: kept flat)."""
    year_ago = _plus_months(on, -LOOKBACK_MONTHS)
    standard_from = add_days(on, -CONTACT_STANDARD_DAYS)
    moves_due_by = add_days(on, -POST_MOVE_VISIT_DAYS)
    visit_within = timedelta(days=POST_MOVE_VISIT_DAYS)
    right, left = bisect_right, bisect_left
    rows = []
    for person in prepared:
        adviser_id = person.adviser_on(on)
        if adviser_id is None or adviser_id not in active_by_id:
            continue
        active = active_by_id[adviser_id]
        if not person.b16 <= on < person.b25:
            rows.append(_Row(person.id, adviser_id, active, False))
            continue
        i = right(person.plan_dates, on)
        plan = person.plan_dues[i - 1] >= on if i else (False if on >= person.first_plan_due else None)
        i = right(person.touch_days, on)
        in_touch = i > 0 and person.touch_yes[i - 1]
        move_days = person.move_days
        last_move = right(move_days, on)
        suitable = last_move > 0 and person.move_suitable[last_move - 1]
        i = right(person.activity_days, on)
        eet = person.activity_eet[i - 1] if i else person.main_activity_eet
        days = person.visit_days
        i = left(days, standard_from)
        seen = i < len(days) and days[i] <= on
        met = missed = 0
        first = right(move_days, year_ago, 0, last_move)
        for m in range(first, right(move_days, moves_due_by, first, last_move)):
            if person.move_custody[m]:
                continue
            move_in = move_days[m]
            i = left(days, move_in)
            if i < len(days) and days[i] <= move_in + visit_within:
                met += 1
            else:
                missed += 1
        starts = person.change_starts
        changes = bool(starts) and right(starts, on) - right(starts, year_ago) >= PA_CHANGES_THRESHOLD
        rows.append(_Row(person.id, adviser_id, active, True, plan, in_touch, suitable,
                         eet if person.b19 <= on < person.b22 else None, eet, seen, met, missed, changes))
    return rows


_PERSON_FLAGS = (
    (Key.PLAN_IN_DATE, "plan"), (Key.IN_TOUCH, "in_touch"), (Key.SUITABLE_ACCOMMODATION, "suitable"),
    (Key.EET_19_21, "eet_19_21"), (Key.EET_ALL, "eet"), (Key.PA_ALLOCATED, "active"), (Key.SEEN, "seen"),
)


def _values(rows: list[_Row], advisers: Sequence[AdviserFacts]) -> dict[str, float | None]:
    """Each indicator's value alone (for the chart's earlier months): the same figures ``_results`` gives."""
    cohort = [r for r in rows if r.in_cohort]
    columns = dict(zip(_Row._fields, zip(*cohort, strict=True), strict=True)) if cohort else {}
    values: dict[str, float | None] = {}
    for key, name in _PERSON_FLAGS:
        column = columns.get(name, ())
        values[key] = _ratio(column.count(True), len(column) - column.count(None))
    met, missed = sum(columns.get("moves_met", ())), sum(columns.get("moves_missed", ()))
    values[Key.POST_MOVE_VISIT] = _ratio(met, met + missed)
    caseloads = _caseload_counts(rows, advisers)
    values[Key.AVERAGE_CASELOAD] = round(sum(caseloads.values()) / len(caseloads), 1) if caseloads else None
    values[Key.LARGEST_CASELOAD] = float(max(caseloads.values())) if caseloads else None
    values[Key.PA_CHANGES] = float(columns.get("changes", ()).count(True))
    return values


def _caseload_counts(rows: list[_Row], advisers: Sequence[AdviserFacts]) -> dict[int, int]:
    counts = {a.id: 0 for a in advisers if a.active}
    for r in rows:
        if r.active:
            counts[r.adviser_id] += 1
    return counts


def _results(rows: list[_Row], advisers: Sequence[AdviserFacts]) -> list[IndicatorResult]:
    cohort = [r for r in rows if r.in_cohort]
    results = []
    for key, name in _PERSON_FLAGS:
        counted = [r for r in cohort if getattr(r, name) is not None]
        results.append(_percent(key, [r.id for r in counted if getattr(r, name)], [r.id for r in counted],
                                [r.id for r in counted if not getattr(r, name)]))
    moved = [r for r in cohort if r.moves_met or r.moves_missed]
    met, missed = sum(r.moves_met for r in moved), sum(r.moves_missed for r in moved)
    results.append(_percent(
        Key.POST_MOVE_VISIT, [r.id for r in moved if not r.moves_missed], [r.id for r in moved],
        [r.id for r in moved if r.moves_missed], numerator=met, denominator=met + missed, noun=("move", "moves"),
    ))
    results.extend(_caseloads(rows, advisers))
    changed = [r.id for r in cohort if r.changes]
    n, d = len(changed), len(cohort)
    results.append(IndicatorResult(
        key=Key.PA_CHANGES, label=LABELS[Key.PA_CHANGES], definition=DEFINITIONS[Key.PA_CHANGES],
        numerator=n, denominator=d, value=float(n), display=str(n),
        summary=f"{n} of {d} young {'person' if d == 1 else 'people'}", unit="", higher_is_better=False,
        numerator_ids=tuple(changed), denominator_ids=tuple(r.id for r in cohort),
        not_met_ids=tuple(r.id for r in cohort if not r.changes),
        met_heading=_HEADINGS[Key.PA_CHANGES][0], not_met_heading=_HEADINGS[Key.PA_CHANGES][1],
    ))
    return results


def _caseloads(rows: list[_Row], advisers: Sequence[AdviserFacts]) -> list[IndicatorResult]:
    counts = _caseload_counts(rows, advisers)
    active = len(counts)
    people = [r.id for r in rows if r.active]
    inactive = [r.id for r in rows if not r.active]
    average = round(len(people) / active, 1) if active else None
    adviser_word = "active adviser" if active == 1 else "active advisers"
    person_word = "young person" if len(people) == 1 else "young people"
    heading = _HEADINGS[Key.AVERAGE_CASELOAD]
    results = [IndicatorResult(
        key=Key.AVERAGE_CASELOAD, label=LABELS[Key.AVERAGE_CASELOAD], definition=DEFINITIONS[Key.AVERAGE_CASELOAD],
        numerator=len(people), denominator=active, value=average,
        display=format_value(average, "") if active else "No active advisers",
        summary=f"{len(people)} {person_word}, {active} {adviser_word}", unit="", higher_is_better=False,
        numerator_ids=tuple(people), denominator_ids=tuple(people + inactive),
        not_met_ids=tuple(inactive), met_heading=heading[0], not_met_heading=heading[1],
    )]
    largest = max(counts.values(), default=None)
    names = {a.id: a.name for a in advisers}
    top = {aid for aid, n in counts.items() if n == largest}
    top_names = sorted((names[aid] for aid in top), key=str.lower)
    if top_names:
        others = len(top_names) - 1
        who = top_names[0] + (f" and {others} other{'s' if others > 1 else ''}" if others else "")
        summary = f"{largest} young {'person' if largest == 1 else 'people'}: {who}"
    else:
        summary = "No active advisers"
    results.append(IndicatorResult(
        key=Key.LARGEST_CASELOAD, label=LABELS[Key.LARGEST_CASELOAD], definition=DEFINITIONS[Key.LARGEST_CASELOAD],
        numerator=largest or 0, denominator=active, value=float(largest) if largest is not None else None,
        display=str(largest) if largest is not None else "No active advisers", summary=summary, unit="",
        higher_is_better=False, numerator_ids=tuple(r.id for r in rows if r.active and r.adviser_id in top),
        denominator_ids=tuple(people), met_heading=_HEADINGS[Key.LARGEST_CASELOAD][0], not_met_heading="",
    ))
    return results


def _active_by_id(advisers: Sequence[AdviserFacts]) -> dict[int, bool]:
    return {a.id: a.active for a in advisers}


def compute(people_facts: Iterable[PersonFacts], advisers: Sequence[AdviserFacts], on: date) -> list[IndicatorResult]:
    """Every indicator on ``on``, in the order of ``KEYS``.

    ``advisers`` are the advisers of the teams chosen, active or not: the cohort is the young people
    whose allocation covering ``on`` is to one of them.
    """
    prepared = [_Prepared(p) for p in people_facts]
    return _results(_rows(prepared, _active_by_id(advisers), on), advisers)


def series_dates(on: date, months: int = SERIES_MONTHS) -> list[date]:
    """The chart's dates, oldest first: ``on`` minus months-1 ... 1 calendar months, then ``on``."""
    return [_plus_months(on, -i) for i in range(months - 1, -1, -1)]


def series(people_facts: Iterable[PersonFacts], advisers: Sequence[AdviserFacts], on: date,
           months: int = SERIES_MONTHS) -> dict[str, list[tuple[date, float | None]]]:
    """Each indicator's value on each of ``series_dates(on, months)``: {key: [(date, value), ...]}."""
    prepared = [_Prepared(p) for p in people_facts]
    active_by_id = _active_by_id(advisers)
    points: dict[str, list[tuple[date, float | None]]] = {key: [] for key in KEYS}
    for day in series_dates(on, months):
        for key, value in _values(_rows(prepared, active_by_id, day), advisers).items():
            points[key].append((day, value))
    return points


def report(people_facts: Iterable[PersonFacts], advisers: Sequence[AdviserFacts], on: date,
           months: int = SERIES_MONTHS) -> list[IndicatorResult]:
    """``compute`` on ``on``, each result with its ``series`` (``months`` points, the last on ``on``)."""
    prepared = [_Prepared(p) for p in people_facts]
    active_by_id = _active_by_id(advisers)
    points: dict[str, list[tuple[date, float | None]]] = {key: [] for key in KEYS}
    for day in series_dates(on, max(months, 1))[:-1]:
        for key, value in _values(_rows(prepared, active_by_id, day), advisers).items():
            points[key].append((day, value))
    results = _results(_rows(prepared, active_by_id, on), advisers)
    return [replace(result, series=(*points[result.key], (on, result.value))) for result in results]
