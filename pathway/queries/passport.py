"""Loading the passport to independence for pages, in a fixed number of queries.

The current answer for an item is its newest row (latest created_at, then highest id):
answers are only ever added, never changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from pathway.extensions import db
from pathway.models import PassportAnswer, PassportGroup, PassportItem, PassportStatus
from pathway.rules.passport import expiry_state

DONE = (PassportStatus.CAN_DO, PassportStatus.NOT_RELEVANT)


@dataclass
class ItemView:
    item: PassportItem
    history: list[PassportAnswer] = field(default_factory=list)  # oldest first

    def is_confirmation(self, answer: PassportAnswer) -> bool:
        """An adviser's answer that agreed with the young person's answer just before it."""
        if answer.by_role.value != "adviser":
            return False
        index = next((n for n, a in enumerate(self.history) if a is answer), 0)
        before = self.history[index - 1] if index > 0 else None
        return before is not None and before.by_role.value == "young_person" and before.status is answer.status

    @property
    def current(self) -> PassportAnswer | None:
        return self.history[-1] if self.history else None

    @property
    def status(self) -> PassportStatus:
        return self.current.status if self.current else PassportStatus.NOT_STARTED

    @property
    def is_done(self) -> bool:
        return self.status.is_done

    def expiry(self, today) -> str | None:
        """"expired", "expires_soon" or None for a document's current expiry date."""
        return expiry_state(self.current.expires_on if self.current else None, today)

    @property
    def awaiting_confirmation(self) -> bool:
        """The young person answered and their adviser has not confirmed it yet."""
        current = self.current
        return current is not None and not current.confirmed and current.by_role.value == "young_person"


@dataclass
class GroupView:
    group: PassportGroup
    items: list[ItemView]  # active items first, then retired items that have answers

    @property
    def active_items(self) -> list[ItemView]:
        return [i for i in self.items if i.item.active]

    @property
    def retired_items(self) -> list[ItemView]:
        return [i for i in self.items if not i.item.active]

    @property
    def total(self) -> int:
        return len(self.active_items)

    @property
    def done(self) -> int:
        return sum(1 for i in self.active_items if i.is_done)


@dataclass
class GroupCount:
    group: PassportGroup
    done: int
    total: int


def list_items(*, include_retired: bool = False) -> list[PassportItem]:
    """The council's list in group and position order. One query."""
    query = select(PassportItem)
    if not include_retired:
        query = query.where(PassportItem.active.is_(True))
    items = list(db.session.scalars(query.order_by(PassportItem.position, PassportItem.id)))
    order = {g: n for n, g in enumerate(PassportGroup)}
    return sorted(items, key=lambda i: order[i.group])


def get_item(item_id: int, *, include_retired: bool = False) -> PassportItem | None:
    item = db.session.get(PassportItem, item_id)
    if item is None or (not item.active and not include_retired):
        return None
    return item


def get_passport(person_id: int) -> list[GroupView]:
    """Every group with its items and each item's whole history. Two queries however many answers."""
    items = list_items(include_retired=True)
    answers = db.session.scalars(
        select(PassportAnswer)
        .where(PassportAnswer.young_person_id == person_id)
        .order_by(PassportAnswer.created_at, PassportAnswer.id)
        .options(joinedload(PassportAnswer.answered_by))
    ).all()
    by_item: dict[int, list[PassportAnswer]] = {}
    for answer in answers:
        by_item.setdefault(answer.item_id, []).append(answer)
    groups = []
    for group in PassportGroup:
        views = [ItemView(item, by_item.get(item.id, [])) for item in items if item.group is group]
        views = [v for v in views if v.item.active] + [v for v in views if not v.item.active and v.history]
        if views:
            groups.append(GroupView(group, views))
    return groups


def get_item_view(person_id: int, item: PassportItem) -> ItemView:
    """One item with its history, for the fragment htmx swaps in. One query."""
    history = db.session.scalars(
        select(PassportAnswer)
        .where(PassportAnswer.young_person_id == person_id, PassportAnswer.item_id == item.id)
        .order_by(PassportAnswer.created_at, PassportAnswer.id)
        .options(joinedload(PassportAnswer.answered_by))
    ).all()
    return ItemView(item, list(history))


def get_latest_answer(person_id: int, item_id: int) -> PassportAnswer | None:
    return db.session.scalar(
        select(PassportAnswer)
        .where(PassportAnswer.young_person_id == person_id, PassportAnswer.item_id == item_id)
        .order_by(PassportAnswer.created_at.desc(), PassportAnswer.id.desc())
        .limit(1)
    )


def get_group_count(person_id: int, group: PassportGroup) -> GroupCount:
    counts = {c.group: c for c in get_passport_summary(person_id)}
    return counts.get(group, GroupCount(group, 0, 0))


def get_passport_summary(person_id: int) -> list[GroupCount]:
    """Done and total active items per group (groups with no active items left out). One query."""
    ranked = (
        select(
            PassportAnswer.item_id,
            PassportAnswer.status,
            func.row_number().over(
                partition_by=PassportAnswer.item_id,
                order_by=(PassportAnswer.created_at.desc(), PassportAnswer.id.desc()),
            ).label("n"),
        )
        .where(PassportAnswer.young_person_id == person_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            PassportItem.group,
            func.count(PassportItem.id),
            func.sum(case((ranked.c.status.in_(DONE), 1), else_=0)),
        )
        .select_from(PassportItem)
        .outerjoin(ranked, (ranked.c.item_id == PassportItem.id) & (ranked.c.n == 1))
        .where(PassportItem.active.is_(True))
        .group_by(PassportItem.group)
    ).all()
    found = {group: GroupCount(group, int(done or 0), int(total)) for group, total, done in rows}
    return [found[g] for g in PassportGroup if g in found]
