"""A realistic care leaver offer for tests: national entitlements and Northshire's local offer.

build_catalogue() creates the entitlements through the service (as an admin or a loaded file would)
and commits. Amounts are in pence. The council's area is the default: Northshire, TS1-TS8.
"""

from __future__ import annotations

from datetime import date

from pathway.extensions import db
from pathway.models import CareEpisode, Claim, ClaimStatus, Entitlement, Frequency, Payment, Scope, YoungPerson
from pathway.services.offer import create_entitlement

SETTING_UP_HOME = "setting-up-home-allowance"
COUNCIL_TAX = "council-tax-reduction"
DRIVING = "driving-lessons"
HE_BURSARY = "higher-education-bursary"
BURSARY_16_19 = "bursary-16-19"
EMERGENCY = "emergency-payment"
DEPOSIT = "deposit-and-bond"

CATALOGUE = [
    dict(
        slug=SETTING_UP_HOME, name="Setting up home allowance", scope=Scope.NATIONAL,
        description="Money for the things you need when you move into your first home of your own.",
        amount_pence=300_000, cap_pence=300_000, frequency=Frequency.ONE_OFF,
        how_to_claim="Your personal adviser goes through what you need with you and orders it or pays the shop.",
        age_from=16, age_under=25, categories="relevant,former_relevant", needs_independent_move=True,
    ),
    dict(
        slug=HE_BURSARY, name="Higher education bursary", scope=Scope.NATIONAL,
        description="A bursary of £2,000 if you go to university as part of your pathway plan.",
        amount_pence=200_000, cap_pence=200_000, frequency=Frequency.ONE_OFF,
        how_to_claim="Tell your personal adviser when you have a confirmed place.",
        age_under=25, categories="former_relevant", activities="F1,P1",
    ),
    dict(
        slug=BURSARY_16_19, name="16 to 19 bursary", scope=Scope.NATIONAL,
        description="Up to £1,200 a year to help with the costs of a course.",
        amount_pence=120_000, frequency=Frequency.YEARLY,
        how_to_claim="Ask the student support office at your school or college.",
        age_from=16, age_under=19, age_on_reference="08-31",
    ),
    dict(
        slug=COUNCIL_TAX, name="Council tax reduction", scope=Scope.LOCAL,
        description="You pay no council tax until you are 25 if you live in Northshire.",
        amount_pence=None, frequency=Frequency.YEARLY,
        how_to_claim="Your personal adviser tells the council tax team when you move in.",
        age_from=18, age_under=25, in_area_only=True,
    ),
    dict(
        slug=DRIVING, name="Driving lessons", scope=Scope.LOCAL,
        description="Up to £250 towards driving lessons or your theory test.",
        amount_pence=25_000, cap_pence=25_000, frequency=Frequency.ONE_OFF,
        how_to_claim="Ask your personal adviser. They pay the driving school directly.",
        age_from=17, age_under=25,
    ),
    dict(
        slug=EMERGENCY, name="Emergency payment", scope=Scope.LOCAL,
        description="Help on the same day if you run out of money for food, gas or electricity.",
        amount_pence=None, frequency=Frequency.PER_CLAIM,
        how_to_claim="Call your personal adviser, or the leaving care duty line.",
        age_from=16, age_under=25, needs_pa_decision=True,
    ),
]


def build_catalogue(*, only: tuple[str, ...] | None = None) -> dict[str, Entitlement]:
    """Create the catalogue (or only the named slugs), in order, and commit."""
    made = {}
    for position, terms in enumerate(CATALOGUE):
        terms = dict(terms)
        slug = terms.pop("slug")
        if only is not None and slug not in only:
            continue
        made[slug] = create_entitlement(slug=slug, by=None, position=position, **terms)
    db.session.commit()
    return made


def make_former_relevant(person: YoungPerson, *, dob: date) -> None:
    """In care on a full care order from 15 to 18: former relevant from 18."""
    db.session.add(CareEpisode(young_person_id=person.id, start_date=date(dob.year + 15, dob.month, 1),
                               end_date=date(dob.year + 18, dob.month, 28), legal_status="C2"))
    db.session.flush()


def record_claim(person: YoungPerson, entitlement: Entitlement, *, requested_on: date,
                 status: ClaimStatus = ClaimStatus.APPROVED, approved_pence: int | None = None,
                 decline_reason: str | None = None, payments: tuple[tuple[date, int], ...] = ()) -> Claim:
    """A claim (and its payments) as the adviser's pages would record them."""
    claim = Claim(young_person_id=person.id, entitlement_id=entitlement.id,
                  entitlement_version_id=entitlement.current_version_id, status=status, requested_on=requested_on,
                  decided_on=requested_on if status is not ClaimStatus.REQUESTED else None,
                  approved_pence=approved_pence, decline_reason=decline_reason)
    db.session.add(claim)
    db.session.flush()
    for paid_on, amount in payments:
        db.session.add(Payment(claim_id=claim.id, paid_on=paid_on, amount_pence=amount))
    db.session.commit()
    return claim
