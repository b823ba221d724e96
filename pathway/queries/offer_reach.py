"""Offer reach for a manager's teams: who can get each entitlement, who has claimed it, what was paid,
and who misses out only because they live outside the council's area (the inspection's gap).

Decisions come from pathway.rules.offer.decide, person by person, in Python; the data is loaded
set-based in a fixed number of queries however many young people, claims and payments there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from pathway.access import visible_young_people
from pathway.extensions import db
from pathway.models import CareEpisode, Claim, Entitlement, EntitlementVersion, User, YoungPerson
from pathway.rules import offer as rules
from pathway.services.offer import conditions_of, council_area, list_catalogue, person_facts

CAN_GET_NOW = (rules.Outcome.ELIGIBLE, rules.Outcome.NEEDS_PA_DECISION)
WOULD_GET_IN_AREA = (rules.Outcome.ELIGIBLE, rules.Outcome.LATER, rules.Outcome.NEEDS_PA_DECISION)


@dataclass
class ReachRow:
    entitlement: Entitlement
    terms: EntitlementVersion
    eligible: int = 0
    claimed: int = 0
    paid_pence: int = 0
    out_of_area: int = 0


@dataclass(frozen=True)
class GapEntry:
    person: YoungPerson
    entitlement: Entitlement
    terms: EntitlementVersion
    would_be: rules.Outcome


@dataclass
class OfferReach:
    area_name: str
    people_count: int
    rows: list[ReachRow] = field(default_factory=list)
    gap: list[GapEntry] = field(default_factory=list)

    @property
    def gap_people_count(self) -> int:
        return len({entry.person.id for entry in self.gap})


def misses_only_because_out_of_area(conditions: rules.Conditions, facts: rules.PersonFacts,
                                    decision: rules.Decision, today: date) -> rules.Outcome | None:
    """If living outside the area is the only thing stopping them, the outcome they would have in the area."""
    if decision.outcome is not rules.Outcome.NOT_ELIGIBLE or facts.lives_in_area is not False:
        return None
    if not conditions.in_area_only:
        return None
    would_be = rules.decide(conditions, replace(facts, lives_in_area=True), today).outcome
    return would_be if would_be in WOULD_GET_IN_AREA else None


def get_offer_reach(manager: User, today: date) -> OfferReach:
    """Offer reach for the young people this manager's teams support. A fixed number of queries."""
    visible = visible_young_people(manager)
    people = list(db.session.scalars(
        visible.order_by(func.lower(YoungPerson.family_name), func.lower(YoungPerson.given_name), YoungPerson.id)))
    visible_ids = visible.with_only_columns(YoungPerson.id)
    episodes: dict[int, list[CareEpisode]] = defaultdict(list)
    for episode in db.session.scalars(select(CareEpisode).where(CareEpisode.young_person_id.in_(visible_ids))):
        episodes[episode.young_person_id].append(episode)
    claims = list(db.session.scalars(
        select(Claim).where(Claim.young_person_id.in_(visible_ids)).options(selectinload(Claim.payments))))
    catalogue = list_catalogue()
    area = council_area()

    rows = {e.id: ReachRow(e, e.current) for e in catalogue}
    conditions = {e.id: conditions_of(e.current) for e in catalogue}
    claimants: dict[int, set[int]] = defaultdict(set)
    for claim in claims:
        row = rows.get(claim.entitlement_id)
        if row is None:  # no longer in the offer
            continue
        claimants[claim.entitlement_id].add(claim.young_person_id)
        row.paid_pence += sum(p.amount_pence for p in claim.payments)
    for entitlement_id, who in claimants.items():
        rows[entitlement_id].claimed = len(who)

    gap: list[GapEntry] = []
    for person in people:
        if person.date_of_birth > today:
            continue
        facts = person_facts(person, episodes.get(person.id, []), today, area)
        for entitlement in catalogue:
            row = rows[entitlement.id]
            decision = rules.decide(conditions[entitlement.id], facts, today)
            if decision.outcome in CAN_GET_NOW:
                row.eligible += 1
            would_be = misses_only_because_out_of_area(conditions[entitlement.id], facts, decision, today)
            if would_be is not None:
                row.out_of_area += 1
                gap.append(GapEntry(person, entitlement, entitlement.current, would_be))
    return OfferReach(area_name=area[0], people_count=len(people), rows=list(rows.values()), gap=gap)
