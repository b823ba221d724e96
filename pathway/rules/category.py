"""Who is a care leaver, and in which category.

Sources: Children Act 1989 Sch 2 para 19B (eligible), s23A (relevant), s23C (former relevant),
s24(1A)-(1B) (qualifying), s23CZB (personal adviser support from 21 to 25); Care Planning,
Placement and Case Review (England) Regulations 2010 (CPPCR) regs 40 and 48 (13 weeks after 14,
short breaks); Care Leavers (England) Regulations 2010 (CLR) reg 3 (living with a parent).

How care is read from the episodes:

- An episode covers the days from ``start`` up to but not including ``end``; an open episode
  (``end`` is None) covers every day up to the date the question is asked about.
- Episodes with legal status V3 or V4 (pre-planned short breaks) are ignored entirely: they do not
  count towards the 13 weeks and do not make the young person "looked after" here (CPPCR reg 48).
- Adoption (end reason E11 or E12) ends care-leaver status: care up to the most recent adoption is
  disregarded, and only care after it (if the young person came back into care) counts.
- Care that counts (CPPCR reg 40): at least 91 days (13 weeks) looked after on or after the 14th
  birthday, and some of those days on or after the 16th birthday.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from pathway.rules.dates import add_months, age_on, birthday, long_date

CARE_THAT_COUNTS_DAYS = 91
"""13 weeks (CPPCR 2010 reg 40(1))."""
CARE_COUNTS_FROM_AGE = 14
SHORT_BREAK_LEGAL_STATUSES = frozenset({"V3", "V4"})
ADOPTION_END_REASONS = frozenset({"E11", "E12"})
LIVING_WITH_PARENT_MONTHS = 6
"""Living with a parent for a continuous 6 months ends relevant status (CLR 2010 reg 3)."""

_ONE_DAY = timedelta(days=1)


class Category(StrEnum):
    """Care leaver categories, with the values used in the database and the SSDA903 return."""

    ELIGIBLE = "eligible"
    RELEVANT = "relevant"
    FORMER_RELEVANT = "former_relevant"
    QUALIFYING = "qualifying"
    NOT_CARE_LEAVER = "not_care_leaver"

    @property
    def label(self) -> str:
        """Human name, for example "Former relevant"."""
        return _LABELS[self]


_LABELS = {
    Category.ELIGIBLE: "Eligible",
    Category.RELEVANT: "Relevant",
    Category.FORMER_RELEVANT: "Former relevant",
    Category.QUALIFYING: "Qualifying",
    Category.NOT_CARE_LEAVER: "Not a care leaver",
}


@dataclass(frozen=True)
class CareEpisode:
    """One period of being looked after.

    ``end`` is exclusive (the day care ended); None means the episode is still open.
    """

    start: date
    end: date | None = None
    legal_status: str = "C2"
    end_reason: str | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(
                f"episode ends ({self.end}) before it starts ({self.start})"
            )


@dataclass(frozen=True)
class CategoryResult:
    """The category and the plain-English reasons for it, addressed to the young person."""

    category: Category
    reasons: tuple[str, ...]
    days_of_care: int = 0
    looked_after_now: bool = False


_Span = tuple[date, date | None]


def _code(value: str | None) -> str:
    return (value or "").strip().upper()


def _is_short_break(episode: CareEpisode) -> bool:
    return _code(episode.legal_status) in SHORT_BREAK_LEGAL_STATUSES


def _adoption_date(episodes: Sequence[CareEpisode]) -> date | None:
    """Return the most recent date care ended through adoption (E11/E12), if any."""
    ends = [
        ep.end
        for ep in episodes
        if ep.end is not None and _code(ep.end_reason) in ADOPTION_END_REASONS
    ]
    return max(ends) if ends else None


def _spans(episodes: Sequence[CareEpisode]) -> list[_Span]:
    """Merge the episodes that count into non-overlapping spans.

    Short breaks and care up to the latest adoption are left out.
    """
    adopted = _adoption_date(episodes)
    raw: list[_Span] = []
    for ep in episodes:
        if _is_short_break(ep):
            continue
        start = ep.start if adopted is None else max(ep.start, adopted)
        if ep.end is not None and ep.end <= start:
            continue
        raw.append((start, ep.end))
    raw.sort(key=lambda span: span[0])
    merged: list[_Span] = []
    for start, end in raw:
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None or start <= last_end:
                new_end = (
                    None if last_end is None or end is None else max(last_end, end)
                )
                merged[-1] = (last_start, new_end)
                continue
        merged.append((start, end))
    return merged


def looked_after_on(episodes: Sequence[CareEpisode], day: date) -> bool:
    """Return True if an episode that counts covers ``day`` (not short breaks or pre-adoption)."""
    return any(
        start <= day and (end is None or day < end) for start, end in _spans(episodes)
    )


def last_day_looked_after(
    episodes: Sequence[CareEpisode], on_or_before: date
) -> date | None:
    """Return the last day, on or before ``on_or_before``, the young person was looked after."""
    days = [
        on_or_before if end is None else min(end - _ONE_DAY, on_or_before)
        for start, end in _spans(episodes)
        if start <= on_or_before
    ]
    return max(days) if days else None


def days_of_care_that_counts(
    dob: date, episodes: Sequence[CareEpisode], as_of: date
) -> int:
    """Return the days looked after from the 14th birthday up to and including ``as_of``.

    CPPCR 2010 reg 40(1): periods that began after the age of 14. Overlapping episodes are
    counted once.
    """
    from_day = birthday(dob, CARE_COUNTS_FROM_AGE)
    to_day = as_of + _ONE_DAY
    total = 0
    for start, end in _spans(episodes):
        low = max(start, from_day)
        high = to_day if end is None else min(end, to_day)
        if high > low:
            total += (high - low).days
    return total


def care_counts(dob: date, episodes: Sequence[CareEpisode], as_of: date) -> bool:
    """Return True if, as at ``as_of``, the young person has care that counts.

    At least 13 weeks (91 days) looked after since the 14th birthday, some of it on or after the
    16th birthday (Children Act 1989 Sch 2 para 19B(2); CPPCR 2010 reg 40).
    """
    if days_of_care_that_counts(dob, episodes, as_of) < CARE_THAT_COUNTS_DAYS:
        return False
    last = last_day_looked_after(episodes, as_of)
    return last is not None and last >= birthday(dob, 16)


def eligible_from(
    dob: date, episodes: Sequence[CareEpisode], as_of: date
) -> date | None:
    """Return the first day, on or before ``as_of``, the young person was an eligible child.

    That is the first day aged 16 or 17, looked after, with care that counts. None if never.
    Useful as ``became_eligible`` for ``reviews.needs_assessment_due``.
    """
    d16 = birthday(dob, 16)
    limit = min(birthday(dob, 18), as_of + _ONE_DAY)
    for start, end in _spans(episodes):
        low = max(start, d16)
        high = limit if end is None else min(end, limit)
        if high <= low:
            continue
        shortfall = CARE_THAT_COUNTS_DAYS - days_of_care_that_counts(dob, episodes, low)
        first = low + timedelta(days=max(0, shortfall))
        if first < high:
            return first
    return None


def _living_with_parent_long_enough(since: date | None, today: date) -> bool:
    return since is not None and add_months(since, LIVING_WITH_PARENT_MONTHS) <= today


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _care_sentence(days: int) -> str:
    return (
        f"You have been looked after for {_days(days)} since your 14th birthday "
        "(13 weeks are needed)."
    )


def _past_care_sentence(days: int) -> str:
    return (
        f"By then you had been looked after for {_days(days)} since your 14th birthday "
        "(13 weeks are needed)."
    )


_LEFT_AFTER_16 = (
    "You left care after your 16th birthday, so you qualify for advice and help."
)


@dataclass(frozen=True)
class _Context:
    dob: date
    episodes: tuple[CareEpisode, ...]
    today: date
    age: int
    d16: date
    d18: date
    d21: date
    living_with_parent_since: date | None
    left_other_after_16: bool
    adopted: date | None

    def opening(self) -> list[str]:
        reasons = [f"You are {self.age}."]
        if any(_is_short_break(ep) for ep in self.episodes):
            reasons.append(
                "Pre-planned short breaks (legal status V3 or V4) do not count as care here."
            )
        if self.adopted is not None:
            reasons.append(
                f"You were adopted on {long_date(self.adopted)}, so only care after that counts."
            )
        return reasons

    def days(self, as_of: date) -> int:
        return days_of_care_that_counts(self.dob, self.episodes, as_of)

    def counts(self, as_of: date) -> bool:
        return care_counts(self.dob, self.episodes, as_of)

    def living_with_parent_6_months(self) -> bool:
        return _living_with_parent_long_enough(
            self.living_with_parent_since, self.today
        )

    def parent_sentence(self) -> str:
        since = self.living_with_parent_since
        if since is None:  # not an assert: those vanish under python -O
            raise ValueError("parent_sentence() needs living_with_parent_since")
        return (
            f"You have lived with a parent since {long_date(since)}, a continuous 6 months or "
            "more, so you are not a relevant child while that lasts."
        )


def care_leaver_category(
    dob: date,
    episodes: Sequence[CareEpisode],
    today: date,
    *,
    living_with_parent_since: date | None = None,
    left_special_guardianship_or_other_after_16: bool = False,
) -> CategoryResult:
    """Return the care leaver category on ``today`` and the reasons for it.

    ``living_with_parent_since``: the start of the current, continuous period living with a parent
    (or someone with parental responsibility); after 6 months the young person is not a relevant
    child while it lasts (CLR 2010 reg 3). ``left_special_guardianship_or_other_after_16``: they
    were under a special guardianship order, or accommodated or fostered in another way, after
    their 16th birthday (Children Act 1989 s24(1A)-(1B)), which makes them qualifying if under 21.
    """
    episodes = tuple(episodes)
    d16, d18, d21, d25 = (birthday(dob, years) for years in (16, 18, 21, 25))
    if today < d16:
        return CategoryResult(
            Category.NOT_CARE_LEAVER,
            (
                "You are under 16.",
                f"Care-leaver status can only start on your 16th birthday ({long_date(d16)}).",
            ),
            looked_after_now=looked_after_on(episodes, today),
        )
    age = age_on(dob, today)
    if today >= d25:
        return CategoryResult(
            Category.NOT_CARE_LEAVER,
            (
                f"You are {age}.",
                f"Leaving care support ends at 25. You turned 25 on {long_date(d25)}.",
            ),
        )
    adopted = _adoption_date(episodes)
    if (
        adopted is not None
        and not _spans(episodes)
        and not left_special_guardianship_or_other_after_16
    ):
        return CategoryResult(
            Category.NOT_CARE_LEAVER,
            (
                f"You are {age}.",
                (
                    f"You left care through adoption on {long_date(adopted)}, and adoption "
                    "ends care-leaver status. You have not been looked after since."
                ),
            ),
        )
    context = _Context(
        dob,
        episodes,
        today,
        age,
        d16,
        d18,
        d21,
        living_with_parent_since,
        left_special_guardianship_or_other_after_16,
        adopted,
    )
    if today < d18:
        return _under_18(context)
    return _from_18(context)


def _under_18(c: _Context) -> CategoryResult:
    """Eligible (Sch 2 para 19B), relevant (s23A, CLR reg 3) or qualifying (s24) at 16 or 17."""
    reasons = c.opening()
    if looked_after_on(c.episodes, c.today):
        days = c.days(c.today)
        reasons.append("You are looked after now.")
        if c.counts(c.today):
            reasons.append(_care_sentence(days))
            return CategoryResult(Category.ELIGIBLE, tuple(reasons), days, True)
        shortfall = CARE_THAT_COUNTS_DAYS - days
        reasons.append(
            f"You have been looked after for {_days(days)} since your 14th birthday, but 13 weeks "
            f"(91 days) are needed to be an eligible child: {_days(shortfall)} more."
        )
        if c.today + timedelta(days=shortfall) < c.d18:
            reasons.append(
                "If you stay looked after, you will become eligible on "
                f"{long_date(c.today + timedelta(days=shortfall))}."
            )
        return CategoryResult(Category.NOT_CARE_LEAVER, tuple(reasons), days, True)

    reasons.append("You are not looked after now.")
    last = last_day_looked_after(c.episodes, c.today)
    if last is None or last < c.d16:
        return _not_looked_after_since_16(c, reasons, last)
    days = c.days(last)
    reasons.append(f"You left care on {long_date(last + _ONE_DAY)}.")
    if not c.counts(last):
        reasons.append(
            f"When you left you had been looked after for {_days(days)} since your 14th birthday, "
            "fewer than the 13 weeks (91 days) needed, so you were not an eligible child and are "
            "not a relevant child."
        )
        reasons.append(_LEFT_AFTER_16)
        return CategoryResult(Category.QUALIFYING, tuple(reasons), days)
    reasons.append(
        f"You were an eligible child when you left. {_past_care_sentence(days)}"
    )
    if c.living_with_parent_6_months():
        reasons.append(c.parent_sentence())
        reasons.append(_LEFT_AFTER_16)
        return CategoryResult(Category.QUALIFYING, tuple(reasons), days)
    if c.living_with_parent_since is not None:
        ends = add_months(c.living_with_parent_since, LIVING_WITH_PARENT_MONTHS)
        reasons.append(
            f"You have lived with a parent since {long_date(c.living_with_parent_since)}. If that "
            f"lasts until {long_date(ends)}, you will stop being a relevant child."
        )
    return CategoryResult(Category.RELEVANT, tuple(reasons), days)


def _from_18(c: _Context) -> CategoryResult:
    """Former relevant (s23C, to 25 under s23CZB) or qualifying (s24, under 21) from 18."""
    reasons = c.opening()
    eve = c.d18 - _ONE_DAY
    last = last_day_looked_after(c.episodes, eve)
    if last is None or last < c.d16:
        return _not_looked_after_since_16(c, reasons, last)
    days = c.days(last)
    if last == eve:
        reasons.append("You were looked after when you turned 18.")
    else:
        reasons.append(
            f"You left care on {long_date(last + _ONE_DAY)}, before your 18th birthday."
        )
    if c.counts(last):
        if last == eve:
            reasons.append(
                f"You were an eligible child then. {_past_care_sentence(days)}"
            )
            return _former_relevant(c, reasons, days)
        reasons.append(
            f"You were an eligible child when you left, so you were a relevant child. "
            f"{_past_care_sentence(days)}"
        )
        if not c.living_with_parent_6_months():
            return _former_relevant(c, reasons, days)
        reasons.append(c.parent_sentence())
    else:
        reasons.append(
            f"You had been looked after for {_days(days)} since your 14th birthday, fewer than "
            "the 13 weeks (91 days) needed to be an eligible child."
        )
    return _qualifying_until_21(c, reasons, days, _LEFT_AFTER_16)


def _former_relevant(c: _Context, reasons: list[str], days: int) -> CategoryResult:
    if c.today >= c.d21:
        reasons.append(
            "You are over 21: you can ask for support from a personal adviser and a pathway plan "
            "until you are 25."
        )
    return CategoryResult(Category.FORMER_RELEVANT, tuple(reasons), days)


def _qualifying_until_21(
    c: _Context, reasons: list[str], days: int, why: str
) -> CategoryResult:
    """Qualifying for advice and assistance under 21 (Children Act 1989 s24(1A)-(1B))."""
    if c.today < c.d21:
        reasons.append(why)
        return CategoryResult(Category.QUALIFYING, tuple(reasons), days)
    reasons.append(
        f"Qualifying care leavers are under 21, and you turned 21 on {long_date(c.d21)}."
    )
    return CategoryResult(Category.NOT_CARE_LEAVER, tuple(reasons), days)


def _not_looked_after_since_16(
    c: _Context, reasons: list[str], last: date | None
) -> CategoryResult:
    if last is None:
        reasons.append("There is no record of you being looked after.")
    else:
        reasons.append(
            f"You were last looked after on {long_date(last)}, before your 16th birthday, so you "
            "did not leave care after 16."
        )
    if c.left_other_after_16:
        why = (
            "You left special guardianship, or accommodation or fostering arranged another way, "
            "after your 16th birthday, so you qualify for advice and help."
        )
        return _qualifying_until_21(c, reasons, 0, why)
    return CategoryResult(Category.NOT_CARE_LEAVER, tuple(reasons))
