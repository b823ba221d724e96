"""Claims on the local offer, recorded by staff: a request, a decision, payments; and the facts the
offer's decisions rest on (where a young person lives, what they are doing, when they moved).

Each function is one user action: it checks the rules, writes the change and its audit event, and
commits, or raises with nothing saved. Amounts are whole pence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from pathway.extensions import db
from pathway.integrity import check_not_saved, flush_once
from pathway.models import Claim, ClaimStatus, Entitlement, Payment, User, YoungPerson
from pathway.rules.offer import claimable_remaining, format_pounds
from pathway.services import audit

FACT_FIELDS = ("home_postcode", "in_area_override", "in_area_override_reason", "main_activity", "independent_move_on")
ALREADY_WAITING = "There is already a request for this waiting for a decision"


class ClaimProblem(Exception):
    """What the user asked for breaks a rule. ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class Conflict(Exception):
    """Someone else saved this since the form was opened. Nothing was saved."""

    current_version: int | None = None


def _lock_person(person_id: int) -> None:
    """Serialise claim changes for one young person (a PostgreSQL row lock; SQLite locks on write)."""
    db.session.execute(select(YoungPerson.id).where(YoungPerson.id == person_id).with_for_update())


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict() from None


def _fail(problem: ClaimProblem):
    db.session.rollback()
    raise problem


# --- the facts ------------------------------------------------------------------------------------

def update_facts(person: YoungPerson, *, expected_version: int | None, by: User, facts: dict) -> list[str]:
    """Save the offer facts if the record is still at ``expected_version``. Commits.

    Returns the names of the fields that changed (none: nothing is written or audited).
    """
    if expected_version is None or person.version != expected_version:
        raise Conflict(person.version)
    changed = audit.changed_fields(person, {name: facts.get(name) for name in FACT_FIELDS})
    if not changed:
        return []
    audit.record("update", "young_person", person.id, young_person_id=person.id, fields=changed, user=by)
    _commit()  # UPDATE ... WHERE version = expected: a save in between is a conflict
    return changed


# --- claims ---------------------------------------------------------------------------------------

def get_claim_for(person: YoungPerson, claim_id: int) -> Claim | None:
    """One of this young person's claims, with its terms and payments; None if it is not theirs."""
    return db.session.scalar(
        select(Claim).where(Claim.id == claim_id, Claim.young_person_id == person.id)
        .options(selectinload(Claim.payments), selectinload(Claim.terms))
    )


def list_claims_outside(person: YoungPerson, entitlement_ids: set[int]) -> list[Claim]:
    """This young person's claims for entitlements not in ``entitlement_ids`` (no longer in the offer),
    with their terms and payments. Two queries."""
    query = select(Claim).where(Claim.young_person_id == person.id)
    if entitlement_ids:
        query = query.where(Claim.entitlement_id.not_in(entitlement_ids))
    return list(db.session.scalars(query.options(selectinload(Claim.payments), joinedload(Claim.terms))
                                   .order_by(Claim.requested_on, Claim.id)).unique())


def open_claim_for(person_id: int, entitlement_id: int) -> Claim | None:
    return db.session.scalar(select(Claim).where(
        Claim.young_person_id == person_id, Claim.entitlement_id == entitlement_id,
        Claim.status == ClaimStatus.REQUESTED))


def approved_for(person_id: int, entitlement_id: int) -> list[int]:
    """The amounts approved so far on this young person's claims for one entitlement."""
    return [amount or 0 for amount in db.session.scalars(select(Claim.approved_pence).where(
        Claim.young_person_id == person_id, Claim.entitlement_id == entitlement_id,
        Claim.status == ClaimStatus.APPROVED))]


def request_claim(person: YoungPerson, entitlement: Entitlement, *, by: User, requested_on: date,
                  note: str | None, form_token: str | None = None) -> Claim:
    """Record that the young person asked for an entitlement. The claim keeps the terms that apply now.

    The same form posted again (same ``form_token``) raises pathway.integrity.AlreadySaved."""
    check_not_saved(Claim, form_token)
    if entitlement.current_version_id is None or not entitlement.active:
        raise ClaimProblem("This is no longer part of the offer", "entitlement")
    _lock_person(person.id)
    check_not_saved(Claim, form_token)  # again under the lock: a double post waits here for the first
    if open_claim_for(person.id, entitlement.id) is not None:
        _fail(ClaimProblem(ALREADY_WAITING, "entitlement"))
    claim = Claim(young_person_id=person.id, entitlement_id=entitlement.id,
                  entitlement_version_id=entitlement.current_version_id, status=ClaimStatus.REQUESTED,
                  requested_on=requested_on, request_note=note or None, recorded_by_id=by.id, form_token=form_token)
    db.session.add(claim)
    flush_once(Claim, form_token)
    audit.record("create", "claim", claim.id, young_person_id=person.id, user=by,
                 fields=["entitlement_id", "entitlement_version_id", "requested_on", "status"]
                 + (["request_note"] if note else []))
    _commit()
    return claim


def _lowered(name: str) -> str:
    first = name.split(" ", 1)[0]
    return name if first.isupper() and len(first) > 1 else name[:1].lower() + name[1:]


def remaining_for(claim: Claim) -> int | None:
    """What is left of the capped entitlement this claim is for (under the terms it was made on)."""
    return claimable_remaining(claim.terms.cap_pence, approved_for(claim.young_person_id, claim.entitlement_id))


def _check_decidable(claim: Claim, expected_version: int | None) -> None:
    if claim.status is not ClaimStatus.REQUESTED:
        raise ClaimProblem("This request has already been decided")
    if expected_version is None or claim.version != expected_version:
        raise Conflict(claim.version)


def approve_claim(claim: Claim, *, expected_version: int | None, by: User, amount_pence: int, today: date) -> None:
    """Approve a request for an amount, which cannot be more than is left of a capped entitlement."""
    _check_decidable(claim, expected_version)
    if amount_pence <= 0:
        raise ClaimProblem("Enter an amount more than £0", "amount")
    _lock_person(claim.young_person_id)
    remaining = remaining_for(claim)
    if remaining is not None and amount_pence > remaining:
        cap = format_pounds(claim.terms.cap_pence)
        what = _lowered(claim.terms.name)
        if remaining == 0:
            _fail(ClaimProblem(f"Nothing is left of the {cap} {what}: do not approve this request", "amount"))
        _fail(ClaimProblem(f"The amount must be {format_pounds(remaining)} or less: "
                           f"that is what is left of the {cap} {what}", "amount"))
    claim.status = ClaimStatus.APPROVED
    claim.approved_pence = amount_pence
    claim.decided_on = today
    claim.decided_by_id = by.id
    audit.record("approve", "claim", claim.id, young_person_id=claim.young_person_id, user=by,
                 fields=["status", "approved_pence", "decided_on", "decided_by_id"])
    _commit()


def decline_claim(claim: Claim, *, expected_version: int | None, by: User, reason: str, today: date) -> None:
    """Decline a request with a reason, which the young person sees."""
    _check_decidable(claim, expected_version)
    if not reason.strip():
        raise ClaimProblem("Enter why it is not approved", "decline_reason")
    claim.status = ClaimStatus.DECLINED
    claim.decline_reason = reason.strip()
    claim.decided_on = today
    claim.decided_by_id = by.id
    audit.record("decline", "claim", claim.id, young_person_id=claim.young_person_id, user=by,
                 fields=["status", "decline_reason", "decided_on", "decided_by_id"])
    _commit()


def unpaid_pence(claim: Claim) -> int:
    return max(0, (claim.approved_pence or 0) - sum(p.amount_pence for p in claim.payments))


def record_payment(claim: Claim, *, by: User, paid_on: date, amount_pence: int, note: str | None) -> Payment:
    """Record a payment on an approved claim. Payments cannot add up to more than was approved."""
    if claim.status is not ClaimStatus.APPROVED:
        raise ClaimProblem("Payments can only be recorded on an approved request")
    if amount_pence <= 0:
        raise ClaimProblem("Enter an amount more than £0", "amount")
    # Lock the claim row and re-read its payments, so two payments at once cannot both fit.
    db.session.execute(select(Claim.id).where(Claim.id == claim.id).with_for_update())
    paid = sum(db.session.scalars(select(Payment.amount_pence).where(Payment.claim_id == claim.id)))
    left = max(0, (claim.approved_pence or 0) - paid)
    if amount_pence > left:
        approved = format_pounds(claim.approved_pence or 0)
        if left == 0:
            _fail(ClaimProblem(f"All of the {approved} approved has been paid", "amount"))
        _fail(ClaimProblem(f"The amount must be {format_pounds(left)} or less: "
                           f"that is what is left to pay of the {approved} approved", "amount"))
    payment = Payment(claim_id=claim.id, paid_on=paid_on, amount_pence=amount_pence, note=note or None,
                      recorded_by_id=by.id)
    db.session.add(payment)
    db.session.flush()
    audit.record("create", "payment", payment.id, young_person_id=claim.young_person_id, user=by,
                 fields=["claim_id", "paid_on", "amount_pence"] + (["note"] if note else []))
    _commit()
    return payment


__all__ = [
    "ALREADY_WAITING", "ClaimProblem", "Conflict", "FACT_FIELDS", "approve_claim", "approved_for", "decline_claim",
    "get_claim_for", "list_claims_outside", "open_claim_for", "record_payment", "remaining_for", "request_claim", "unpaid_pence",
    "update_facts",
]
