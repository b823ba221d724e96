"""Accommodation: SSDA903 care leaver codes, suitability, staying put and registered providers.

Sources: DOMAIN.md "Accommodation" (SSDA903 care leaver accommodation codes, suffix 1 = suitable,
2 = unsuitable); Care Leavers (England) Regulations 2010 (CLR) Schedule 2 (matters to consider in
deciding whether accommodation is suitable); Children Act 1989 s23CZA (staying put, to the 21st
birthday); Supported Accommodation (England) Regulations 2023 (16 and 17 year olds in supported
accommodation need an Ofsted-registered provider); issue 5 section 1.

Choices made here (documented so they can be checked):

- A code may be given without its suffix ("U"): the type is known but suitability is not yet
  (``suitable`` is None). A suffix other than 1 or 2 is an error.
- Staying put (Z) is only for former relevant young people who were fostered when they turned 18
  (s23CZA), so a staying put move is refused when the young person is under 18 on the move-in date
  ("never at 17"), and from the 21st birthday, when the arrangement ends.
- Registration with Ofsted is asked for 16 and 17 year olds in C (community home or residential),
  D (semi-independent or transitional), E (supported lodgings) and T (foyer). D, E and T are the
  supported accommodation the 2023 regulations cover. C is included because a children's home must
  also be registered with Ofsted (Care Standards Act 2000 s11), so "is the provider registered?" is
  the same question with the same risk if the answer is no. Councils can pass their own ``codes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from pathway.rules.dates import birthday, long_date
from pathway.rules.offer import INDEPENDENT_ACCOMMODATION

ACCOMMODATION_TYPES: dict[str, str] = {
    "B": "With parents or relatives",
    "C": "Community home or other residential care",
    "D": "Semi-independent or transitional accommodation",
    "E": "Supported lodgings",
    "G": "Gone abroad",
    "H": "Deported",
    "K": "Ordinary lodgings",
    "R": "Residence not known",
    "S": "No fixed abode or homeless",
    "T": "Foyer",
    "U": "Independent living",
    "V": "Emergency accommodation",
    "W": "Bed and breakfast",
    "X": "In custody",
    "Y": "Other accommodation",
    "Z": "With former foster carers (staying put)",
}
"""SSDA903 care leaver accommodation type letters and what they mean (DOMAIN.md "Accommodation")."""

SUITABLE_SUFFIX = "1"
UNSUITABLE_SUFFIX = "2"

STAYING_PUT = "Z"
BED_AND_BREAKFAST = "W"
CUSTODY = "X"
STAYING_PUT_FROM_AGE = 18
STAYING_PUT_UNTIL_AGE = 21
"""Staying put lasts until the 21st birthday (Children Act 1989 s23CZA)."""

REGISTRATION_REQUIRED = frozenset({"C", "D", "E", "T"})
"""Accommodation types where a 16 or 17 year old's provider must be registered with Ofsted (see the
module docstring for why C is included)."""
REGISTRATION_AGES = (16, 18)
"""From the 16th birthday up to (not including) the 18th."""

SUITABILITY_FACTORS: dict[str, str] = {
    "safety": "safety",
    "state_of_repair": "state of repair",
    "facilities": "facilities",
    "location": "location",
    "support": "support",
    "tenancy": "tenancy",
    "affordability": "affordability",
    "young_persons_view": "the young person's view",
}
"""The Schedule 2 factors (CLR 2010 Sch 2; issue 5 section 1), key -> label, in the order asked."""


class AccommodationCode(NamedTuple):
    """A parsed code: the type letter and whether it is suitable (None if no suffix was given)."""

    type: str
    suitable: bool | None

    @property
    def code(self) -> str:
        """The code as stored and returned to the DfE, for example "U1" (just "U" if not assessed)."""
        return format_accommodation_code(self.type, self.suitable)

    @property
    def label(self) -> str:
        """For example "Independent living (suitable)"."""
        meaning = ACCOMMODATION_TYPES[self.type]
        if self.suitable is None:
            return meaning
        return f"{meaning} ({'suitable' if self.suitable else 'unsuitable'})"


def accommodation_choices() -> list[tuple[str, str]]:
    """Return every full code (B1, B2, ... Z2) with its label, for a form's choices."""
    return [
        (code.code, code.label)
        for letter in ACCOMMODATION_TYPES
        for code in (AccommodationCode(letter, True), AccommodationCode(letter, False))
    ]


def parse_accommodation_code(text: str | None) -> AccommodationCode:
    """Read an SSDA903 care leaver accommodation code such as "U1" into ``("U", True)``.

    Case and surrounding spaces are ignored. A bare letter ("U") gives ``suitable`` None. Raises
    ``ValueError`` with a GOV.UK-style message for an empty or unknown code.
    """
    code = (text or "").strip().upper()
    if not code:
        raise ValueError("Select the type of accommodation")
    if len(code) > 2:
        raise ValueError(
            "Enter an accommodation code as a letter and 1 (suitable) or 2 (unsuitable), like U1"
        )
    letter, suffix = code[0], code[1:]
    if letter not in ACCOMMODATION_TYPES:
        raise ValueError(
            f'"{code}" is not an accommodation code: use a letter from the list, such as U for '
            "independent living"
        )
    if suffix == "":
        return AccommodationCode(letter, None)
    if suffix == SUITABLE_SUFFIX:
        return AccommodationCode(letter, True)
    if suffix == UNSUITABLE_SUFFIX:
        return AccommodationCode(letter, False)
    raise ValueError(
        f'"{code}" is not an accommodation code: after the letter, use 1 for suitable or 2 for '
        "unsuitable"
    )


def format_accommodation_code(letter: str, suitable: bool | None) -> str:
    """Write the code: ``("U", True)`` -> "U1", ``("U", False)`` -> "U2", ``("U", None)`` -> "U"."""
    letter = letter.strip().upper()
    if letter not in ACCOMMODATION_TYPES:
        raise ValueError(f'"{letter}" is not an accommodation type')
    if suitable is None:
        return letter
    return letter + (SUITABLE_SUFFIX if suitable else UNSUITABLE_SUFFIX)


def accommodation_type(code: str) -> str:
    """Return the type letter of a code ("U1" -> "U"); raises ``ValueError`` if unknown."""
    return parse_accommodation_code(code).type


def is_independent(code: str, codes: frozenset[str] = INDEPENDENT_ACCOMMODATION) -> bool:
    """Return True if the code is independent accommodation (``offer.INDEPENDENT_ACCOMMODATION``)."""
    return accommodation_type(code) in codes


@dataclass(frozen=True)
class SuitabilityResult:
    """The outcome of a suitability assessment.

    ``suitable`` is True only when every factor was judged suitable. ``complete`` is False when
    some factor was not yet assessed; the accommodation then cannot be called suitable, but it has
    not been found unsuitable either (``suitability`` is None in that case).
    """

    suitable: bool
    reasons: tuple[str, ...]
    unsuitable_factors: tuple[str, ...] = ()
    unassessed_factors: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """True when every factor has been assessed."""
        return not self.unassessed_factors

    @property
    def suitability(self) -> bool | None:
        """True (suitable), False (a factor is unsuitable) or None (not yet fully assessed).

        This is what the SSDA903 suffix records: 1, 2, or no suffix yet.
        """
        if self.unsuitable_factors:
            return False
        return None if self.unassessed_factors else True


def assess_suitability(
    answers: Mapping[str, bool | None], notes: Mapping[str, str] | None = None
) -> SuitabilityResult:
    """Judge accommodation against the Schedule 2 factors (CLR 2010 Sch 2).

    ``answers`` maps a key of ``SUITABILITY_FACTORS`` to True (suitable), False (unsuitable) or
    None (not yet assessed); a factor left out is not yet assessed. ``notes`` holds the worker's
    reason for a factor, added to its line. Any factor judged unsuitable makes the accommodation
    unsuitable ("Not suitable: state of repair (damp in the bedroom)"); any unanswered factor means
    it cannot be judged suitable ("Not yet assessed: tenancy"). Reasons follow the factor order.
    Raises ``ValueError`` for a key that is not a factor.
    """
    notes = notes or {}
    unknown = sorted(set(answers) - set(SUITABILITY_FACTORS))
    unknown += sorted(set(notes) - set(SUITABILITY_FACTORS) - set(unknown))
    if unknown:
        raise ValueError(f"Not a suitability factor: {', '.join(unknown)}")
    unsuitable: list[str] = []
    unassessed: list[str] = []
    for key in SUITABILITY_FACTORS:
        answer = answers.get(key)
        if answer is False:
            unsuitable.append(key)
        elif answer is None:
            unassessed.append(key)
    reasons = [_unsuitable_reason(key, notes.get(key)) for key in unsuitable]
    reasons += [f"Not yet assessed: {SUITABILITY_FACTORS[key]}" for key in unassessed]
    return SuitabilityResult(
        suitable=not reasons,
        reasons=tuple(reasons),
        unsuitable_factors=tuple(unsuitable),
        unassessed_factors=tuple(unassessed),
    )


def _unsuitable_reason(key: str, note: str | None) -> str:
    note = (note or "").strip()
    return f"Not suitable: {SUITABILITY_FACTORS[key]}" + (f" ({note})" if note else "")


def staying_put_ends(dob: date) -> date:
    """Return the 21st birthday, when a staying put arrangement ends (Children Act 1989 s23CZA)."""
    return birthday(dob, STAYING_PUT_UNTIL_AGE)


def staying_put_allowed(dob: date, move_in: date) -> bool:
    """Return True if a staying put move (Z) may start on ``move_in``.

    Staying put is for young people who were fostered when they turned 18 (s23CZA): never at 17
    (DOMAIN.md), so the move-in date must be on or after the 18th birthday and before the 21st.
    """
    return birthday(dob, STAYING_PUT_FROM_AGE) <= move_in < staying_put_ends(dob)


def needs_registered_provider(
    dob: date, move_in: date, code: str, codes: frozenset[str] = REGISTRATION_REQUIRED
) -> bool:
    """Return True if the provider must be Ofsted-registered: 16 or 17 on ``move_in`` in ``codes``.

    Supported Accommodation (England) Regulations 2023; see the module docstring for the codes.
    """
    low, high = REGISTRATION_AGES
    aged_16_or_17 = birthday(dob, low) <= move_in < birthday(dob, high)
    return aged_16_or_17 and accommodation_type(code) in codes


def validate_move(dob: date, move_in: date | None, code: str | None, today: date) -> list[str]:
    """Check a move before it is saved; return GOV.UK-style error messages (empty if it is fine).

    Refuses a missing date, a move before the date of birth or in the future, an unknown code and
    staying put (Z) outside the 18th to 21st birthdays (issue 5 "Bad input").
    """
    errors: list[str] = []
    letter: str | None = None
    try:
        letter = accommodation_type(code or "")
    except ValueError as error:
        errors.append(str(error))
    if move_in is None:
        errors.append("Enter the date of the move")
        return errors
    if move_in < dob:
        errors.append(
            f"The date of the move must be on or after their date of birth ({long_date(dob)})"
        )
        return errors
    if move_in > today:
        errors.append("The date of the move must be today or in the past")
    if letter == STAYING_PUT and not staying_put_allowed(dob, move_in):
        d18 = birthday(dob, STAYING_PUT_FROM_AGE)
        if move_in < d18:
            errors.append(
                "Staying put can only start from their 18th birthday "
                f"({long_date(d18)}): choose another type of accommodation"
            )
        else:
            errors.append(
                "Staying put ends on their 21st birthday "
                f"({long_date(staying_put_ends(dob))}): choose another type of accommodation"
            )
    return errors
