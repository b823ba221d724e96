"""The local offer: who can get each entitlement, and money in whole pence.

Sources: Children and Social Work Act 2017 s2 (each council publishes its local offer for care
leavers); DOMAIN.md "Entitlements (the local offer...)" for the national entitlements and the kinds of
condition an entitlement has; DOMAIN.md "In touch and activity" for the SSDA903 activity codes and
"Accommodation" for the SSDA903 accommodation codes; issue 4 sections 1 and 2.

``decide`` answers "can this young person get this, today, and if not, why?" It checks every
condition and gives every reason that stops them, in this order, written to the young person:

1. the offer's own dates (``starts_on`` / ``ends_on``);
2. care leaver category;
3. age (today, or on a reference date such as the last 31 August);
4. living in the council's area;
5. activity (SSDA903 code);
6. moving into a first independent home;
7. continuous time looked after;
8. a personal adviser's decision.

The outcome is NOT_ELIGIBLE if any condition fails; otherwise LATER if a condition will be met on a
known date (an age not reached yet, a planned move); otherwise NEEDS_PA_DECISION if something is
unknown (where they live, what they are doing) or the entitlement is at the adviser's discretion;
otherwise ELIGIBLE. Residence is the condition the inspection found leaves young people living out of
the area without help, so its reason names the area plainly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum, StrEnum

from pathway.rules.category import Category
from pathway.rules.dates import age_on, birthday, long_date

MAX_PENCE = 10_000_000
"""The largest amount that can be entered: £100,000."""

INDEPENDENT_ACCOMMODATION = frozenset({"U"})
"""SSDA903 accommodation codes that count as moving into a first independent home (DOMAIN.md
"Accommodation"): U, independent living. K (ordinary lodgings) is sometimes treated as independent
too; a council that does so passes ``{"U", "K"}`` to ``first_independent_move``."""

ACTIVITY_CODES = frozenset({"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6"})
"""SSDA903 activity codes (DOMAIN.md "In touch and activity"): F = full time, P = part time."""

APPRENTICESHIP_BURSARY_HIGHER_FROM = date(2023, 8, 1)
APPRENTICESHIP_BURSARY_HIGHER_PENCE = 300_000
APPRENTICESHIP_BURSARY_LOWER_PENCE = 100_000

_ONE_DAY = timedelta(days=1)
_CARE_LEAVER_CATEGORIES = frozenset(c for c in Category if c is not Category.NOT_CARE_LEAVER)


class Outcome(StrEnum):
    """What ``decide`` found."""

    ELIGIBLE = "eligible"
    LATER = "later"
    """Not yet, but will be on a known date (``Decision.available_from``)."""
    NEEDS_PA_DECISION = "needs_pa_decision"
    NOT_ELIGIBLE = "not_eligible"


class Frequency(StrEnum):
    """How often an entitlement is paid (same values as ``pathway.models.offer.Frequency``)."""

    ONE_OFF = "one_off"
    YEARLY = "yearly"
    PER_CLAIM = "per_claim"


def _codes(value: str | Iterable[str] | None) -> frozenset[str] | None:
    """Read a set of codes from an iterable or from comma-separated text; empty means None."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else value
    codes = frozenset(item.strip() for item in items if item and item.strip())
    return codes or None


def parse_month_day(text: str) -> tuple[int, int]:
    """Read a stored reference day such as "08-31" (31 August) into ``(8, 31)``.

    Raises ``ValueError`` if it is not a day that occurs every year (29 February is refused).
    """
    match = re.fullmatch(r"\s*([0-9]{1,2})-([0-9]{1,2})\s*", text)
    if match is None:
        raise ValueError(f'"{text}" is not a month and day like 08-31')
    month_day = (int(match[1]), int(match[2]))
    _check_month_day(month_day)
    return month_day


def format_month_day(month_day: tuple[int, int]) -> str:
    """Write ``(8, 31)`` as "08-31", the stored form read by ``parse_month_day``."""
    return f"{month_day[0]:02d}-{month_day[1]:02d}"


def _check_month_day(month_day: tuple[int, int]) -> None:
    month, day = month_day
    if (month, day) == (2, 29):
        raise ValueError("the reference day must occur every year: 29 February does not")
    try:
        date(2001, month, day)
    except ValueError:
        raise ValueError(f"{month}-{day} is not a month and day") from None


@dataclass(frozen=True)
class Conditions:
    """The conditions of one entitlement (issue 4 section 1). The defaults mean "no condition".

    - ``age_from`` / ``age_under``: from the ``age_from``-th birthday, up to (not including) the
      ``age_under``-th birthday. Birthdays use ``rules.dates.birthday`` (29 February -> 28 February).
    - ``categories``: ``Category`` values allowed; None means any care leaver category. Text such as
      "relevant,former_relevant" (the stored form) is accepted.
    - ``in_area_only``: only for young people living in the council's area.
    - ``activities``: SSDA903 activity codes, for example ``{"F1", "P1"}`` for higher education.
    - ``needs_independent_move``: only once they have moved into a first independent home
      (``INDEPENDENT_ACCOMMODATION``).
    - ``needs_pa_decision``: the personal adviser decides, with the young person.
    - ``age_on_reference``: ``(month, day)``; when set, the ages are measured on the most recent such
      day on or before today, for example ``(8, 31)`` for the 16 to 19 Bursary Fund rule "aged 16 to
      18 on 31 August". "08-31" is accepted.
    - ``min_continuous_care_days``: looked after for at least this many days without a break (Junior
      ISA: 12 months, 365 days).
    - ``starts_on`` / ``ends_on``: the first and last day the offer runs (both included).

    Raises ``ValueError`` for conditions that could never be met or codes that do not exist.
    """

    age_from: int | None = None
    age_under: int | None = None
    categories: frozenset[str] | None = None
    in_area_only: bool = False
    activities: frozenset[str] | None = None
    needs_independent_move: bool = False
    needs_pa_decision: bool = False
    age_on_reference: tuple[int, int] | None = None
    min_continuous_care_days: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None

    def __post_init__(self) -> None:
        categories = _codes(self.categories)
        if categories is not None:
            unknown = sorted(c for c in categories if c not in _CARE_LEAVER_CATEGORIES)
            if unknown:
                raise ValueError(f"not a care leaver category: {', '.join(unknown)}")
            categories = frozenset(Category(c) for c in categories)
        object.__setattr__(self, "categories", categories)
        activities = _codes(self.activities)
        if activities is not None:
            activities = frozenset(a.upper() for a in activities)
            unknown = sorted(activities - ACTIVITY_CODES)
            if unknown:
                raise ValueError(f"not an SSDA903 activity code: {', '.join(unknown)}")
        object.__setattr__(self, "activities", activities)
        reference = self.age_on_reference
        if isinstance(reference, str):
            reference = parse_month_day(reference) if reference.strip() else None
        if reference is not None:
            reference = (int(reference[0]), int(reference[1]))
            _check_month_day(reference)
        object.__setattr__(self, "age_on_reference", reference)
        for name in ("age_from", "age_under"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} must be 0 or more, not {value}")
        if self.age_from is not None and self.age_under is not None and self.age_from >= self.age_under:
            raise ValueError(f"age_from ({self.age_from}) must be less than age_under ({self.age_under})")
        if self.min_continuous_care_days is not None and self.min_continuous_care_days < 1:
            raise ValueError(f"min_continuous_care_days must be 1 or more, not {self.min_continuous_care_days}")
        if self.starts_on is not None and self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValueError(f"the offer ends ({self.ends_on}) before it starts ({self.starts_on})")


@dataclass(frozen=True)
class PersonFacts:
    """What ``decide`` needs to know about a young person.

    ``lives_in_area`` None means not known (no postcode, or not a postcode): never read as "out of
    area". ``area_name`` is the council's area, for messages ("Northshire"). ``activity`` is their
    SSDA903 activity code, None if not recorded. ``independent_move_on`` is the day they moved (or
    will move) into a first independent home, None if they have not. ``longest_continuous_care_days``
    is their longest time looked after without a break.
    """

    date_of_birth: date
    category: str
    lives_in_area: bool | None
    area_name: str
    activity: str | None = None
    independent_move_on: date | None = None
    longest_continuous_care_days: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "category", Category(self.category))
        activity = (self.activity or "").strip().upper() or None
        object.__setattr__(self, "activity", activity)


@dataclass(frozen=True)
class Decision:
    """The outcome, the reasons (plain English, to the young person) and the dates that matter.

    ``reasons`` lists every condition not met (or not known), in ``decide``'s order; it is empty when
    ELIGIBLE. ``available_from`` is set for LATER: the day they can get it. ``ends_on`` is the first
    day they can no longer get it (for example the 25th birthday), None when there is no end or they
    cannot get it; ``last_day`` is the day before.
    """

    outcome: Outcome
    reasons: tuple[str, ...] = ()
    available_from: date | None = None
    ends_on: date | None = None

    @property
    def last_day(self) -> date | None:
        """The last day they can get it, for "until 2 May 2030"."""
        return None if self.ends_on is None else self.ends_on - _ONE_DAY


class _Kind(Enum):
    FAIL = "fail"
    LATER = "later"
    ASK = "ask"


@dataclass(frozen=True)
class _Finding:
    kind: _Kind
    reason: str
    available_from: date | None = None


def reference_date(today: date, month: int, day: int) -> date:
    """Return the most recent ``day`` of ``month`` on or before ``today`` (31 August 2026 for any
    day from 31 August 2026 to 30 August 2027)."""
    _check_month_day((month, day))
    this_year = date(today.year, month, day)
    return this_year if this_year <= today else date(today.year - 1, month, day)


def _reference_on_or_after(d: date, month: int, day: int) -> date:
    this_year = date(d.year, month, day)
    return this_year if this_year >= d else date(d.year + 1, month, day)


def age_on_reference_date(dob: date, today: date, month: int, day: int) -> int:
    """Return the age on the most recent ``day`` of ``month`` on or before ``today``.

    The 16 to 19 Bursary Fund counts age on 31 August (DOMAIN.md "Entitlements": "aged 16-18 on
    31 August"): ``age_on_reference_date(dob, today, 8, 31)``. Raises ``ValueError`` if that day is
    before ``dob``.
    """
    return age_on(dob, reference_date(today, month, day))


def decide(conditions: Conditions, person: PersonFacts, today: date) -> Decision:
    """Decide whether ``person`` can get an entitlement with ``conditions`` on ``today``.

    Every condition is checked and every reason collected, in the order in the module docstring.
    Raises ``ValueError`` if ``today`` is before the date of birth.
    """
    c = conditions
    findings = [
        *_offer_period(c, today),
        *_category(c, person),
        *_age(c, person, today),
        *_area(c, person),
        *_activity(c, person),
        *_independent_move(c, person, today),
        *_care(c, person),
        *_pa_decision(c),
    ]
    reasons = tuple(f.reason for f in findings)
    kinds = {f.kind for f in findings}
    if _Kind.FAIL in kinds:
        return Decision(Outcome.NOT_ELIGIBLE, reasons)
    ends_on = _ends_on(c, person)
    later = [f.available_from for f in findings if f.kind is _Kind.LATER and f.available_from is not None]
    if later:
        available_from = max(later)
        if ends_on is not None and available_from >= ends_on:
            closed = f"This ends on {long_date(ends_on - _ONE_DAY)}, before you could get it"
            return Decision(Outcome.NOT_ELIGIBLE, (*reasons, closed))
        return Decision(Outcome.LATER, reasons, available_from, ends_on)
    if _Kind.ASK in kinds:
        return Decision(Outcome.NEEDS_PA_DECISION, reasons, None, ends_on)
    return Decision(Outcome.ELIGIBLE, (), None, ends_on)


def _ends_on(c: Conditions, person: PersonFacts) -> date | None:
    """The first day the entitlement is no longer available: the age limit or the offer's end."""
    ends: list[date] = []
    if c.age_under is not None:
        limit = birthday(person.date_of_birth, c.age_under)
        if c.age_on_reference is not None:
            limit = _reference_on_or_after(limit, *c.age_on_reference)
        ends.append(limit)
    if c.ends_on is not None:
        ends.append(c.ends_on + _ONE_DAY)
    return min(ends) if ends else None


def _offer_period(c: Conditions, today: date) -> list[_Finding]:
    if c.starts_on is not None and today < c.starts_on:
        return [_Finding(_Kind.FAIL, f"This offer starts on {long_date(c.starts_on)}")]
    if c.ends_on is not None and today > c.ends_on:
        return [_Finding(_Kind.FAIL, f"This offer ended on {long_date(c.ends_on)}")]
    return []


def _with_article(label: str) -> str:
    return f"an {label}" if label[0] in "aeiou" else f"a {label}"


def _category(c: Conditions, person: PersonFacts) -> list[_Finding]:
    category = Category(person.category)
    if category is Category.NOT_CARE_LEAVER:
        return [_Finding(_Kind.FAIL, "You are not a care leaver: this is for care leavers")]
    if c.categories is None or category in c.categories:
        return []
    allowed = [k.label.lower() for k in Category if k in c.categories]
    return [
        _Finding(
            _Kind.FAIL,
            f"You are {_with_article(category.label.lower())} care leaver: "
            f"this is for {_join(allowed, 'or')} care leavers",
        )
    ]


def _join(words: list[str], conjunction: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _age_range(c: Conditions) -> str:
    if c.age_from is not None and c.age_under is not None:
        return f"aged {c.age_from} to {c.age_under - 1}"
    if c.age_from is not None:
        return f"aged {c.age_from} or over"
    return f"aged under {c.age_under}"


def _age(c: Conditions, person: PersonFacts, today: date) -> list[_Finding]:
    if c.age_from is None and c.age_under is None:
        return []
    dob = person.date_of_birth
    if c.age_on_reference is None:
        age = age_on(dob, today)
        if c.age_from is not None and age < c.age_from:
            return [_Finding(_Kind.LATER, f"You are {age}: this starts at {c.age_from}", birthday(dob, c.age_from))]
        if c.age_under is not None and age >= c.age_under:
            return [_Finding(_Kind.FAIL, f"You are {age}: this is for people under {c.age_under}")]
        return []
    month, day = c.age_on_reference
    on = reference_date(today, month, day)
    age = age_on(dob, on)
    reason = f"You were {age} on {long_date(on)}: this is for people {_age_range(c)} on {day} {on:%B}"
    if c.age_from is not None and age < c.age_from:
        return [_Finding(_Kind.LATER, reason, _reference_on_or_after(birthday(dob, c.age_from), month, day))]
    if c.age_under is not None and age >= c.age_under:
        return [_Finding(_Kind.FAIL, reason)]
    return []


def _area(c: Conditions, person: PersonFacts) -> list[_Finding]:
    if not c.in_area_only or person.lives_in_area is True:
        return []
    if person.lives_in_area is None:
        return [_Finding(_Kind.ASK, "We do not know where you live: your personal adviser will check")]
    area = person.area_name.strip() or "the council's area"
    return [_Finding(_Kind.FAIL, f"You live outside {area}: this is only for people living in {area}")]


_ACTIVITY_GROUPS: tuple[tuple[frozenset[str], str, str], ...] = (
    (frozenset({"F1", "P1"}), "in higher education", "at university"),
    (frozenset({"F2", "P2"}), "on a school or college course", "on a course at school or college"),
    (frozenset({"F4", "P4"}), "doing an apprenticeship", "on an apprenticeship"),
    (frozenset({"F5", "P5"}), "in training or work", "in training or employment"),
    (frozenset({"G4", "G5", "G6"}), "out of education, training or work", "not in education, training or work"),
)
"""(codes, "You are not ...", "this is for people ...") for each SSDA903 activity group."""

_CODE_LABELS = {
    "F1": "in full-time higher education",
    "P1": "in part-time higher education",
    "F2": "in full-time education at school or college",
    "P2": "in part-time education at school or college",
    "F4": "on a full-time apprenticeship",
    "P4": "on a part-time apprenticeship",
    "F5": "in full-time training or work",
    "P5": "in part-time training or work",
    "G4": "not in education, training or work because of illness or disability",
    "G5": "not in education, training or work",
    "G6": "not in education, training or work because of pregnancy or parenting",
}
"""Each code on its own, for a set of codes that does not make up whole groups."""


def _activity_phrases(codes: frozenset[str]) -> tuple[str, str, str]:
    """Return ("in higher education", "at university", "F1/P1") for a set of activity codes.

    Whole groups (F1 and P1) use the group's words; any other code uses its own label.
    """
    states: list[str] = []
    for_whom: list[str] = []
    rest = set(codes)
    for group, state, who in _ACTIVITY_GROUPS:
        if group <= rest:
            states.append(state)
            for_whom.append(who)
            rest -= group
    for code in _CODE_LABELS:
        if code in rest:
            states.append(_CODE_LABELS[code])
            for_whom.append(_CODE_LABELS[code])
    code_list = "/".join(code for code in _CODE_LABELS if code in codes)
    return _join(states, "or"), _join(for_whom, "or"), code_list


def _activity(c: Conditions, person: PersonFacts) -> list[_Finding]:
    if c.activities is None or person.activity in c.activities:
        return []
    state, for_whom, codes = _activity_phrases(c.activities)
    if person.activity is None:
        return [_Finding(_Kind.ASK, f"We do not know if you are {state}: your personal adviser will check")]
    return [_Finding(_Kind.FAIL, f"You are not {state}: this is for people {for_whom} ({codes})")]


def _independent_move(c: Conditions, person: PersonFacts, today: date) -> list[_Finding]:
    if not c.needs_independent_move:
        return []
    moved = person.independent_move_on
    rule = "this is for when you move into your first home of your own"
    if moved is None:
        return [_Finding(_Kind.FAIL, f"You have not moved into your own home yet: {rule}")]
    if moved > today:
        return [_Finding(_Kind.LATER, f"You move into your own home on {long_date(moved)}: {rule}", moved)]
    return []


def _duration(days: int) -> str:
    return f"{days // 365 * 12} months" if days % 365 == 0 else f"{days} days"


def _care(c: Conditions, person: PersonFacts) -> list[_Finding]:
    needed = c.min_continuous_care_days
    if needed is None or person.longest_continuous_care_days >= needed:
        return []
    span = _duration(needed)
    return [
        _Finding(
            _Kind.FAIL,
            f"You were not looked after for {span} without a break: "
            f"this is for people looked after for {span} or more without a break",
        )
    ]


def _pa_decision(c: Conditions) -> list[_Finding]:
    if not c.needs_pa_decision:
        return []
    return [_Finding(_Kind.ASK, "Your personal adviser decides this with you")]


def first_independent_move(
    moves: Iterable[tuple[date, str]], codes: frozenset[str] = INDEPENDENT_ACCOMMODATION
) -> date | None:
    """Return the first day they moved into independent accommodation, or None.

    ``moves`` are ``(moved_on, accommodation_code)`` pairs with SSDA903 care leaver codes; the
    suitability suffix is ignored ("U1" and "U2" are both U, DOMAIN.md "Accommodation").
    """
    days = [moved_on for moved_on, code in moves if (code or "").strip().upper()[:1] in codes]
    return min(days) if days else None


def apprenticeship_bursary_amount(started_on: date) -> int:
    """Return the apprenticeship care leaver bursary in pence for an apprenticeship started on
    ``started_on``: £3,000 from 1 August 2023, £1,000 before (DOMAIN.md "Entitlements").

    The bursary also needs the apprentice to be under 25 when they start; ``decide`` can only check
    the age today, so the adviser confirms the start date and age when recording the claim.
    """
    if started_on >= APPRENTICESHIP_BURSARY_HIGHER_FROM:
        return APPRENTICESHIP_BURSARY_HIGHER_PENCE
    return APPRENTICESHIP_BURSARY_LOWER_PENCE


# Money ---------------------------------------------------------------------------------------

ENTER_AN_AMOUNT = "Enter an amount"
AMOUNT_NOT_A_NUMBER = "Enter an amount in pounds, like £12.50 or £1,000"
AMOUNT_NOT_MORE_THAN_ZERO = "Enter an amount more than £0"
AMOUNT_PART_OF_A_PENNY = "Enter an amount in pounds and pence, with no more than 2 numbers after the decimal point"

_MONEY = re.compile(r"(?P<pounds>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.(?P<pence>[0-9]*))?")
_MINUS = "-\u2212"


def _too_much() -> str:
    return f"Enter an amount of {format_pounds(MAX_PENCE)} or less"


def parse_money(text: str) -> int:
    """Read an amount typed in pounds into whole pence: "£1,000" -> 100000, " 12.5 " -> 1250.

    Accepts an optional £ sign, commas between thousands and up to 2 numbers of pence (more only
    if they are zeros: "1.500"). Raises ``ValueError`` with a GOV.UK-style error message for an empty
    amount, anything that is not a plain number (including "NaN", "inf" and "1e309"), an amount of
    £0 or less, part of a penny ("0.001") or more than ``MAX_PENCE`` (£100,000).
    """
    s = text.strip()
    negative = False
    if s[:1] and s[0] in _MINUS:
        negative, s = True, s[1:].lstrip()
    if s.startswith("£"):
        s = s[1:].lstrip()
    if s[:1] and s[0] in _MINUS and not negative:
        negative, s = True, s[1:].lstrip()
    if not s:
        raise ValueError(ENTER_AN_AMOUNT)
    match = _MONEY.fullmatch(s)
    if match is None or not any(ch.isdigit() for ch in s):
        raise ValueError(AMOUNT_NOT_A_NUMBER)
    pounds = match["pounds"].replace(",", "").lstrip("0")
    pence = (match["pence"] or "").rstrip("0")
    if negative or (not pounds and not pence):
        raise ValueError(AMOUNT_NOT_MORE_THAN_ZERO)
    if len(pence) > 2:
        raise ValueError(AMOUNT_PART_OF_A_PENNY)
    if len(pounds) > len(str(MAX_PENCE // 100)):
        raise ValueError(_too_much())
    total = int(pounds or "0") * 100 + int(pence.ljust(2, "0"))
    if total > MAX_PENCE:
        raise ValueError(_too_much())
    return total


def format_pounds(pence: int) -> str:
    """Write whole pence as pounds: 184000 -> "£1,840", 1250 -> "£12.50", -500 -> "-£5"."""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}" if rest == 0 else f"{sign}£{pounds:,}.{rest:02d}"


def claimable_remaining(cap_pence: int | None, claimed_pence: Iterable[int]) -> int | None:
    """Return how much of a capped entitlement is left, never below 0; None when there is no cap.

    ``claimed_pence`` are the amounts already approved or paid. Raises ``ValueError`` for a
    negative cap or amount.
    """
    amounts = list(claimed_pence)
    if any(amount < 0 for amount in amounts):
        raise ValueError("claimed amounts must be 0 or more")
    if cap_pence is None:
        return None
    if cap_pence < 0:
        raise ValueError(f"the cap must be 0 or more, not {cap_pence}")
    return max(0, cap_pence - sum(amounts))


# National entitlements -----------------------------------------------------------------------


@dataclass(frozen=True)
class OfferDefault:
    """An entitlement the catalogue ships with. Amounts are data (DOMAIN.md: "as at 2026").

    ``amount_pence`` None means it varies; ``cap_pence`` is the most that can be claimed in all
    (None: no cap, or a cap per year handled by the provider).
    """

    slug: str
    name: str
    description: str
    amount_pence: int | None
    frequency: Frequency
    how_to_claim: str
    conditions: Conditions = field(default_factory=Conditions)
    cap_pence: int | None = None
    scope: str = "national"
    source: str = ""


NATIONAL_OFFER: tuple[OfferDefault, ...] = (
    OfferDefault(
        slug="setting-up-home-allowance",
        name="Setting up home allowance",
        description=(
            "Money to set up your first home of your own: furniture, a cooker or fridge, bedding, "
            "pots and pans. The government recommends at least £3,000. You do not have to spend it "
            "all at once."
        ),
        amount_pence=300_000,
        cap_pence=300_000,
        frequency=Frequency.ONE_OFF,
        how_to_claim=(
            "Talk to your personal adviser before you move. They will make a list with you of what "
            "you need and arrange the payments."
        ),
        # DOMAIN.md says "on moving into a first independent home" without a category. Relevant and
        # former relevant young people are the ones the council accommodates or supports when they
        # leave care (Children Act 1989 ss23B, 23C); eligible children are still looked after, and
        # qualifying care leavers get advice and assistance only, so a council that pays them too
        # adds "qualifying" to its own version.
        conditions=Conditions(
            categories=frozenset({Category.RELEVANT, Category.FORMER_RELEVANT}),
            needs_independent_move=True,
        ),
        source="DOMAIN.md Entitlements: recommended minimum £3,000 on moving into a first independent home",
    ),
    OfferDefault(
        slug="higher-education-bursary",
        name="Higher education bursary",
        description=(
            "£2,000 from the council if you go to university or do another higher education course "
            "as part of your pathway plan."
        ),
        amount_pence=200_000,
        cap_pence=200_000,
        frequency=Frequency.ONE_OFF,
        how_to_claim=(
            "Tell your personal adviser when you get a place. They will add it to your pathway plan "
            "and arrange the payments with you."
        ),
        conditions=Conditions(
            categories=frozenset({Category.FORMER_RELEVANT}),
            activities=frozenset({"F1", "P1"}),
        ),
        source=(
            "Children Act 1989 s23C(5A); Children Act 1989 (Higher Education Bursary) (England) "
            "Regulations 2009; DOMAIN.md Entitlements"
        ),
    ),
    OfferDefault(
        slug="16-to-19-bursary",
        name="16 to 19 Bursary Fund (vulnerable group)",
        description=(
            "Up to £1,200 a year towards the costs of a course at school or college, such as travel, "
            "books, equipment and lunches, if you were 16, 17 or 18 on 31 August."
        ),
        amount_pence=120_000,
        frequency=Frequency.YEARLY,
        how_to_claim="Ask the student support team at your school, college or training provider.",
        # "Publicly funded course": read as other education (F2/P2). Apprentices (F4/P4) are paid
        # a wage and university students (F1/P1) have their own support, so neither is included.
        conditions=Conditions(
            age_from=16,
            age_under=19,
            age_on_reference=(8, 31),
            activities=frozenset({"F2", "P2"}),
        ),
        source="16 to 19 Bursary Fund guidance (DfE), vulnerable groups; DOMAIN.md Entitlements",
    ),
    OfferDefault(
        slug="apprenticeship-bursary",
        name="Apprenticeship care leaver bursary",
        description=(
            "£3,000 if you started an apprenticeship on or after 1 August 2023 (£1,000 if you "
            "started before then), if you were under 25 when you started."
        ),
        amount_pence=APPRENTICESHIP_BURSARY_HIGHER_PENCE,
        cap_pence=APPRENTICESHIP_BURSARY_HIGHER_PENCE,
        frequency=Frequency.ONE_OFF,
        how_to_claim=(
            "Tell your training provider you are a care leaver; they claim it and pay it to you. "
            "Your personal adviser can give you a letter confirming you are a care leaver."
        ),
        # The amount depends on the start date: apprenticeship_bursary_amount(started_on).
        conditions=Conditions(age_under=25, activities=frozenset({"F4", "P4"})),
        source="Apprenticeship funding rules (DfE), care leaver bursary; DOMAIN.md Entitlements",
    ),
    OfferDefault(
        slug="junior-isa",
        name="Junior ISA",
        description=(
            "If you were looked after for 12 months or more without a break, the government opened a "
            "Junior ISA savings account for you. You can take control of it at 16 and take the money "
            "out from your 18th birthday."
        ),
        amount_pence=None,
        frequency=Frequency.ONE_OFF,
        how_to_claim=(
            "Ask your personal adviser to help you find your account. The Share Foundation runs "
            "these accounts for young people who have been in care."
        ),
        # age_from is 18, when the money can be taken out; control of the account from 16 is
        # explained in the description rather than being a second entitlement.
        conditions=Conditions(age_from=18, min_continuous_care_days=365),
        source="DOMAIN.md Entitlements: looked after 12+ months continuously; controls at 16, withdraws at 18",
    ),
    OfferDefault(
        slug="universal-credit-shared-accommodation-rate-exemption",
        name="Universal Credit: help with rent at the one-bedroom rate",
        description=(
            "If you rent from a private landlord and get Universal Credit, care leavers under 25 get "
            "help with rent at the one-bedroom rate, not the lower shared-accommodation rate."
        ),
        amount_pence=None,
        frequency=Frequency.PER_CLAIM,
        how_to_claim=(
            "Tell Universal Credit you are a care leaver when you claim. Your personal adviser can "
            "give you a letter confirming it."
        ),
        conditions=Conditions(age_under=25),
        source="DOMAIN.md Entitlements: Universal Credit shared-accommodation-rate exemption, care leavers under 25",
    ),
)
"""The national entitlements from DOMAIN.md "Entitlements", with amounts as at 2026."""
