"""The local offer: the catalogue (with versioned terms), each young person's eligibility, claims.

Eligibility itself is decided by pathway.rules.offer (pure); this module gathers the facts
about a person from the database and records what people do, with the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from pathway.extensions import db
from pathway.models import (
    CareEpisode,
    Claim,
    ClaimStatus,
    Entitlement,
    EntitlementVersion,
    Frequency,
    Scope,
    User,
    YoungPerson,
)
from pathway.queries.settings import get_settings
from pathway.rules import offer as rules
from pathway.rules.category import care_leaver_category
from pathway.rules.postcodes import in_area, parse_districts
from pathway.services import audit
from pathway.services.settings import save_settings

AREA_NAME = "area_name"
AREA_DISTRICTS = "area_districts"

TERM_FIELDS = (
    "name", "description", "scope", "amount_pence", "cap_pence", "frequency", "how_to_claim", "age_from", "age_under",
    "categories", "in_area_only", "activities", "needs_independent_move", "needs_pa_decision", "age_on_reference",
    "min_continuous_care_days", "starts_on", "ends_on",
)


# --- council settings ----------------------------------------------------------------------------

def get_setting(key: str) -> str | None:
    return get_settings([key]).get(key)


def council_area() -> tuple[str, frozenset[str]]:
    """The council's area name (for messages) and its postcode districts."""
    name = get_setting(AREA_NAME) or current_app.config["COUNCIL_AREA_NAME"]
    districts = get_setting(AREA_DISTRICTS) or current_app.config["COUNCIL_AREA_DISTRICTS"]
    return name, parse_districts(districts)


def set_council_area(*, name: str, districts: str, by: User, expected_version: int | None = None) -> None:
    parse_districts(districts)  # raises ValueError with a message for a malformed list
    save_settings({AREA_NAME: name, AREA_DISTRICTS: districts}, by=by, expected_version=expected_version)


# --- the catalogue -------------------------------------------------------------------------------

class OfferProblem(Exception):
    pass


def create_entitlement(*, slug: str, by: User | None, position: int | None = None, **terms) -> Entitlement:
    """A new entitlement with its first version of terms. No commit (callers commit, so a file loads whole)."""
    if db.session.scalar(select(Entitlement).where(Entitlement.slug == slug)) is not None:
        raise OfferProblem(f"There is already an entitlement called {slug}")
    entitlement = Entitlement(slug=slug, position=position if position is not None else 0)
    db.session.add(entitlement)
    db.session.flush()
    version = EntitlementVersion(entitlement_id=entitlement.id, number=1, created_by_id=by.id if by else None, **terms)
    db.session.add(version)
    db.session.flush()
    entitlement.current_version_id = version.id
    audit.record("create", "entitlement", entitlement.id, fields=list(terms), user=by)
    return entitlement


class TermsConflict(Exception):
    """Someone else changed the terms after this form was loaded (a newer version exists). Nothing was saved."""


def change_terms(entitlement: Entitlement, *, by: User, expected_number: int | None = None,
                 **terms) -> EntitlementVersion | None:
    """A change of terms makes a new version; past claims keep pointing at the terms that applied.

    ``expected_number`` is the version number the editor started from (the edit form always sends it;
    None only for loaders and scripts). If the terms moved on since, TermsConflict and nothing is saved;
    two saves at the same moment both make version n + 1, and the unique (entitlement, number) refuses
    the second.
    """
    current = entitlement.current
    if expected_number is not None and current.number != expected_number:
        raise TermsConflict
    changed = [name for name in TERM_FIELDS if getattr(current, name) != terms.get(name, getattr(current, name))]
    if not changed:
        return None
    data = {name: terms.get(name, getattr(current, name)) for name in TERM_FIELDS}
    version = EntitlementVersion(entitlement_id=entitlement.id, number=current.number + 1, created_by_id=by.id, **data)
    db.session.add(version)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise TermsConflict from None
    entitlement.current_version_id = version.id
    audit.record("update", "entitlement", entitlement.id, fields=changed, user=by)
    db.session.commit()
    return version


def conditions_of(version: EntitlementVersion) -> rules.Conditions:
    def codes(text: str | None) -> frozenset[str] | None:
        values = frozenset(v.strip() for v in (text or "").split(",") if v.strip())
        return values or None

    reference = None
    if version.age_on_reference:
        month, day = version.age_on_reference.split("-")
        reference = (int(month), int(day))
    return rules.Conditions(
        age_from=version.age_from, age_under=version.age_under, categories=codes(version.categories),
        in_area_only=version.in_area_only, activities=codes(version.activities),
        needs_independent_move=version.needs_independent_move, needs_pa_decision=version.needs_pa_decision,
        age_on_reference=reference, min_continuous_care_days=version.min_continuous_care_days,
        starts_on=version.starts_on, ends_on=version.ends_on,
    )


def list_catalogue(*, include_inactive: bool = False) -> list[Entitlement]:
    """Entitlements with their current terms, in order. One query."""
    query = select(Entitlement).options(joinedload(Entitlement.current)).order_by(Entitlement.position, Entitlement.id)
    if not include_inactive:
        query = query.where(Entitlement.active.is_(True))
    return list(db.session.scalars(query).unique())


# --- a young person's offer ------------------------------------------------------------------------

def longest_continuous_care_days(episodes, today: date) -> int:
    """The longest run of care, joining episodes that follow on from each other."""
    spans = sorted((e.start_date, e.end_date or today) for e in episodes)
    best = run_days = 0
    run_start = run_end = None
    for start, end in spans:
        if run_end is not None and start <= run_end:
            run_end = max(run_end, end)
        else:
            run_start, run_end = start, end
        run_days = (run_end - run_start).days
        best = max(best, run_days)
    return best


def lives_in_area(person: YoungPerson, districts: frozenset[str]) -> bool | None:
    if person.in_area_override is not None:
        return person.in_area_override
    if not person.home_postcode:
        return None
    return in_area(person.home_postcode, districts)


def person_facts(person: YoungPerson, episodes, today: date, area: tuple[str, frozenset[str]]) -> rules.PersonFacts:
    name, districts = area
    category = care_leaver_category(person.date_of_birth, [e.as_rule() for e in episodes], today).category
    return rules.PersonFacts(
        date_of_birth=person.date_of_birth, category=category.value, lives_in_area=lives_in_area(person, districts),
        area_name=name, activity=person.main_activity, independent_move_on=person.independent_move_on,
        longest_continuous_care_days=longest_continuous_care_days(episodes, today),
    )


@dataclass
class OfferLine:
    entitlement: Entitlement
    terms: EntitlementVersion
    decision: rules.Decision
    claims: list[Claim] = field(default_factory=list)

    @property
    def approved_pence(self) -> int:
        return sum(c.approved_pence or 0 for c in self.claims if c.status is ClaimStatus.APPROVED)

    @property
    def paid_pence(self) -> int:
        return sum(p.amount_pence for c in self.claims for p in c.payments)

    @property
    def remaining_pence(self) -> int | None:
        return rules.claimable_remaining(self.terms.cap_pence, [self.approved_pence])

    @property
    def open_claim(self) -> Claim | None:
        return next((c for c in self.claims if c.status is ClaimStatus.REQUESTED), None)


def offer_for(person: YoungPerson, today: date) -> list[OfferLine]:
    """Every active entitlement decided for this person, with their claims. A fixed number of queries."""
    area = council_area()
    episodes = list(db.session.scalars(select(CareEpisode).where(CareEpisode.young_person_id == person.id)))
    facts = person_facts(person, episodes, today, area)
    claims = list(db.session.scalars(
        select(Claim).where(Claim.young_person_id == person.id)
        .options(selectinload(Claim.payments), joinedload(Claim.terms))
        .order_by(Claim.requested_on, Claim.id)
    ).unique())
    by_entitlement: dict[int, list[Claim]] = {}
    for claim in claims:
        by_entitlement.setdefault(claim.entitlement_id, []).append(claim)
    return [
        OfferLine(e, e.current, rules.decide(conditions_of(e.current), facts, today), by_entitlement.get(e.id, []))
        for e in list_catalogue()
    ]


__all__ = [
    "AREA_DISTRICTS", "AREA_NAME", "Frequency", "OfferLine", "OfferProblem", "Scope", "change_terms", "conditions_of",
    "council_area", "create_entitlement", "get_setting", "list_catalogue", "lives_in_area", "longest_continuous_care_days",
    "offer_for", "person_facts", "set_council_area",
]
