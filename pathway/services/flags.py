"""Risk flags for pages and emails: the rules' flags, flags raised by hand, and closures by hand.

Automatic flags come from pathway.rules.flags.risk_flags, recomputed from the history on every page,
so they are right on any date. A FlagAction "raise" adds a flag by hand (key "manual:<id>"); a
FlagAction "close" closes any flag by its key with a reason. Nothing is ever deleted.

Also here: the worklist rows (one per young person), the young person's "I need help" request and
the adviser's reply, and the daily reminder digest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from pathway.extensions import db
from pathway.integrity import check_not_saved, flush_once
from pathway.models import User, YoungPerson
from pathway.models.contact import FlagAction, HelpRequest, ReminderSent
from pathway.models.types import utcnow
from pathway.queries.flags import History, list_active_advisers
from pathway.rules import flags as flag_rules
from pathway.rules.contacts import local_date
from pathway.rules.dates import long_date
from pathway.rules.flags import FlagKind, days_overdue
from pathway.rules.worklist import DUE_SOON_DAYS, next_contact_due, next_visit_due, worklist_order
from pathway.services import audit
from pathway.services.email import external_url, send_email

log = logging.getLogger(__name__)

MANUAL_PREFIX = "manual:"
HANDOVER_NEW_DAYS = 28


@dataclass(frozen=True)
class ShownFlag:
    """A flag as pages show it: automatic or raised by hand, open or resolved."""

    key: str
    kind: FlagKind | None  # None for a flag raised by hand
    title: str
    due: date
    raised_on: date
    rule: str
    resolved_on: date | None = None
    resolution: str | None = None
    detail: str | None = None
    help_request_id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.resolution is None

    @property
    def kind_label(self) -> str:
        return self.kind.label if self.kind is not None else "Raised by hand"

    def days_overdue(self, today: date) -> int:
        return days_overdue(self, today)  # type: ignore[arg-type]

    def due_soon(self, today: date) -> bool:
        return self.is_open and 0 <= (self.due - today).days <= DUE_SOON_DAYS


def _help_key(made_at: datetime) -> str:
    return f"{FlagKind.HELP_REQUEST}:{made_at.isoformat()}"


def flags_for(history: History, today: date) -> list[ShownFlag]:
    """Every flag of one young person on ``today``, open and resolved, by due date."""
    requests = [r for r in history.help_requests if r.created_at is not None]
    request_ids = {_help_key(r.created_at): r.id for r in requests}
    computed = flag_rules.risk_flags(
        history.person.date_of_birth, history.moves, history.contacts, today,
        reviews=history.reviews,
        help_requests=[flag_rules.HelpRequest(r.created_at, unsafe=r.unsafe, answered_at=r.replied_at)
                       for r in requests],
    )
    closures = {a.flag_key: a for a in history.actions if a.action == "close"}
    shown: list[ShownFlag] = []
    for flag in computed:
        shown.append(ShownFlag(
            key=flag.key, kind=flag.kind, title=flag.title, due=flag.due, raised_on=flag.raised_on, rule=flag.rule,
            resolved_on=flag.resolved_on, resolution=flag.resolution, detail=flag.detail,
            help_request_id=request_ids.get(flag.key) if flag.kind is FlagKind.HELP_REQUEST else None,
        ))
    for action in history.actions:
        if action.action == "raise" and action.due is not None:
            raised_on = local_date(action.created_at) if action.created_at else action.due
            if raised_on > today:
                continue
            shown.append(ShownFlag(
                key=action.flag_key, kind=None, title=action.title or "Flag raised by hand", due=action.due,
                raised_on=raised_on, rule=f"Raised by hand: {action.reason}",
            ))
    result = []
    for flag in shown:
        closure = closures.get(flag.key)
        if flag.is_open and closure is not None:
            closed_on = local_date(closure.created_at) if closure.created_at else today
            flag = replace(flag, resolved_on=closed_on,
                           resolution=f"Closed by hand: {closure.reason}")
        result.append(flag)
    result.sort(key=lambda f: (f.due, f.raised_on, f.title))
    return result


@dataclass(frozen=True)
class WorklistEntry:
    """One young person on the worklist. ``name`` is the sort name (family name first)."""

    person: YoungPerson
    name: str
    flags: tuple[ShownFlag, ...] = ()
    next_visit_due: date | None = None
    next_contact_due: date | None = None
    open_flags: tuple[ShownFlag, ...] = field(default=())
    allocated_on: date | None = None
    has_handover_note: bool = False

    def new_handover_note(self, today: date) -> bool:
        """A handover note from a reallocation in the last 28 days: the new adviser should read it first."""
        return self.has_handover_note and self.allocated_on is not None and (
            0 <= (today - self.allocated_on).days <= HANDOVER_NEW_DAYS)

    @property
    def has_open_help_request(self) -> bool:
        return any(f.kind is FlagKind.HELP_REQUEST for f in self.open_flags)


def worklist_entry(history: History, today: date) -> WorklistEntry:
    flags = tuple(flags_for(history, today))
    visit = next_visit_due(history.moves, history.contacts, history.reviews, today, since=history.allocated_on)
    contact = next_contact_due(history.contacts, today, since=history.allocated_on)
    person = history.person
    return WorklistEntry(
        person=person,
        name=f"{person.family_name} {person.preferred_name or person.given_name}",
        flags=flags,
        next_visit_due=visit.on if visit else None,
        next_contact_due=contact.on if contact else None,
        open_flags=tuple(f for f in flags if f.is_open),
        allocated_on=history.allocated_on,
    )


def worklist_for(adviser: User, today: date, *, overdue_only: bool = False, kind: str | None = None,
                 search: str = "") -> list[WorklistEntry]:
    """The adviser's worklist in order: open help requests first, then the rules' worklist order.

    A young person asking for help goes to the top whatever else is overdue (issue 5 section 4).
    """
    from pathway.services.flag_cache import entries_for_adviser  # the cache builds on this module

    entries = entries_for_adviser(adviser, today)
    if search:
        needle = search.casefold()
        entries = [e for e in entries
                   if needle in f"{e.person.display_name} {e.person.legal_name}".casefold()]
    if overdue_only:
        entries = [e for e in entries if any(f.days_overdue(today) > 0 for f in e.open_flags)]
    if kind:
        entries = [e for e in entries if any(f.kind == kind for f in e.open_flags)]
    ordered = worklist_order(entries, today)  # type: ignore[type-var]
    return sorted(ordered, key=lambda e: not e.has_open_help_request)


# --- Raising and closing by hand ------------------------------------------------------------------------

def raise_flag(person: YoungPerson, *, by: User, title: str, due: date, reason: str) -> FlagAction:
    """Raise a flag by hand. Commits."""
    action = FlagAction(young_person_id=person.id, flag_key="manual:new", action="raise", title=title, due=due,
                        reason=reason, by_id=by.id)
    db.session.add(action)
    db.session.flush()
    action.flag_key = f"{MANUAL_PREFIX}{action.id}"
    audit.record("create", "flag_action", action.id, young_person_id=person.id,
                 fields=["title", "due", "reason"], user=by)
    db.session.commit()
    return action


def close_flag(person: YoungPerson, flag: ShownFlag, *, by: User, reason: str) -> FlagAction:
    """Close an open flag by hand with a reason. Commits. The flag stays on the list as resolved."""
    action = FlagAction(young_person_id=person.id, flag_key=flag.key, action="close", reason=reason, by_id=by.id)
    db.session.add(action)
    db.session.flush()
    audit.record("create", "flag_action", action.id, young_person_id=person.id, fields=["flag_key", "reason"],
                 user=by)
    db.session.commit()
    return action


# --- "I need help" ---------------------------------------------------------------------------------------

HELP_TOPICS = {
    "money": "Money",
    "housing": "Housing",
    "unsafe": "I don't feel safe",
    "health": "Health",
    "other": "Something else",
}


def help_due(request: HelpRequest) -> date:
    return flag_rules.help_request_due(local_date(request.created_at), request.unsafe)


def ask_for_help(person: YoungPerson, *, by: User, topic: str, how_to_reach: str, message: str,
                 adviser: User | None, form_token: str | None = None) -> HelpRequest:
    """Store the request (one commit), then email their personal adviser (a second).

    The same form sent twice (same ``form_token``: a double tap) raises pathway.integrity.AlreadySaved:
    one request, one email."""
    check_not_saved(HelpRequest, form_token)
    request = HelpRequest(young_person_id=person.id, topic=topic, unsafe=topic == "unsafe",
                          how_to_reach=how_to_reach or None, message=message or "", created_at=utcnow(),
                          form_token=form_token)
    db.session.add(request)
    flush_once(HelpRequest, form_token)
    audit.record("create", "help_request", request.id, young_person_id=person.id,
                 fields=["topic", "how_to_reach", "message"], user=by)
    db.session.commit()
    if adviser is not None and adviser.active:
        try:
            send_email(adviser.email, help_subject(person, request), _help_body(person, adviser, request))
            db.session.commit()
        except Exception:  # noqa: BLE001 - the request is saved and at the top of the worklist
            db.session.rollback()
            log.exception("could not email the personal adviser about help request %s", request.id)
    return request


def help_subject(person: YoungPerson, request: HelpRequest) -> str:
    if request.unsafe:
        return f"Urgent: {person.display_name} says they do not feel safe"
    return f"{person.display_name} has asked for help"


def _help_body(person: YoungPerson, adviser: User, request: HelpRequest) -> str:
    # What they wrote stays in the service: email is not the place for it.
    link = external_url("flags.list_flags", person_id=person.id)
    reply_by = "today" if request.unsafe else f"by {long_date(help_due(request))}"
    return (
        f"Dear {adviser.name},\n\n"
        f"{person.display_name} has asked for help with: {HELP_TOPICS.get(request.topic, request.topic)}.\n"
        f"Please reply {reply_by}.\n\n"
        f"Read their request and reply in {current_app.config['SERVICE_NAME']}:\n{link}\n"
    )



def reply_to_help(request: HelpRequest, *, by: User, reply: str) -> None:
    """Store the adviser's reply; the help request flag resolves. Commits."""
    request.reply = reply
    request.replied_at = utcnow()
    request.replied_by_id = by.id
    audit.record("update", "help_request", request.id, young_person_id=request.young_person_id,
                 fields=["reply", "replied_at"], user=by)
    db.session.commit()


# --- Reminders -------------------------------------------------------------------------------------------

def due_items(adviser: User, today: date) -> list[tuple[YoungPerson, ShownFlag]]:
    """The adviser's open flags due today or overdue, most overdue first."""
    items = [(entry.person, flag) for entry in worklist_for(adviser, today)
             for flag in entry.open_flags if flag.due <= today]
    return sorted(items, key=lambda item: (item[1].due, item[0].display_name.casefold()))


def send_reminders(today: date) -> int:
    """Email each active adviser a digest of their flags due today or overdue, once a day at most.

    Returns how many digests were sent. Each digest commits with its ReminderSent row, so a second run
    the same day (or a run after a failure part-way) sends nothing twice.
    """
    sent = 0
    for adviser in list_active_advisers():
        already = db.session.scalar(
            select(ReminderSent.id).where(ReminderSent.adviser_id == adviser.id, ReminderSent.sent_on == today)
        )
        if already is not None:
            continue
        items = due_items(adviser, today)
        if not items:
            continue
        db.session.add(ReminderSent(adviser_id=adviser.id, sent_on=today, flag_count=len(items)))
        try:
            db.session.flush()
            send_email(adviser.email, _digest_subject(items), _digest_body(adviser, items, today))
            db.session.commit()
        except Exception:  # noqa: BLE001 - one adviser's failure must not stop the others
            db.session.rollback()
            log.exception("could not send the reminder digest to adviser %s", adviser.id)
            continue
        sent += 1
    return sent


def _digest_subject(items) -> str:
    n = len(items)
    return f"{n} flag{'s' if n != 1 else ''} due today or overdue"


def _digest_body(adviser: User, items, today: date) -> str:
    lines = [f"Dear {adviser.name},", "", f"These flags are due today or overdue ({long_date(today)}):", ""]
    for person, flag in items:
        late = flag.days_overdue(today)
        when = f"{late} day{'s' if late != 1 else ''} overdue" if late else "due today"
        lines.append(f"- {person.display_name}: {flag.title} (due {long_date(flag.due)}, {when})")
    lines += ["", f"Your worklist: {external_url('adviser.home')}"]
    return "\n".join(lines) + "\n"
