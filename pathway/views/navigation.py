"""Each role's service navigation."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for

from pathway.models import Role


@dataclass(frozen=True)
class NavItem:
    text: str
    endpoint: str
    prefixes: tuple[str, ...] = ()


NAVIGATION: dict[Role, tuple[NavItem, ...]] = {
    Role.ADVISER: (
        NavItem("Caseload", "adviser.home", ("adviser.", "records.", "plans.", "passport.", "offer.")),
        NavItem("Cover for a colleague", "adviser.search_cover", ("adviser.search_cover", "adviser.request_cover")),
        NavItem("Account", "auth.account", ("auth.account",)),
    ),
    Role.MANAGER: (
        NavItem("Overdue", "manager.home", ("manager.home", "records.", "plans.view", "passport.", "offer.",
                                            "contacts.", "moves.", "flags.")),
        NavItem("Indicators", "manager.indicators", ("manager.indicator", "manager.service_summary")),
        NavItem("Caseloads", "manager.caseloads", ("manager.caseloads", "manager.adviser_caseload",
                                                   "manager.reallocate", "manager.add_oversight_note")),
        NavItem("Sign-off", "manager.sign_off_queue", ("manager.sign_off_queue", "plans.decide")),
        NavItem("Supervision", "manager.supervision", ("manager.supervision", "manager.record_supervision")),
        NavItem("Offer reach", "manager.offer_reach", ("manager.offer_reach",)),
        NavItem("Care leaver return", "manager.care_leaver_return", ("manager.care_leaver_return",)),
        NavItem("Account", "auth.account", ("auth.account",)),
    ),
    Role.YOUNG_PERSON: (
        NavItem("Home", "me.home", ("me.home", "me.about_me")),
        NavItem("Your plan", "me.my_plan", ("me.my_plan", "me.edit_words", "me.request_review", "me.review_requested")),
        NavItem("Your offer", "me.my_offer", ("me.my_offer", "me.ask_about", "me.asked_about")),
        NavItem("Your money", "me.money", ("me.money",)),
        NavItem("I need help", "me.need_help", ("me.need_help", "me.help_sent")),
        NavItem("Your passport", "me.passport", ("me.passport", "me.update_passport_item", "me.edit_passport_document")),
        NavItem("Who has seen my record", "me.access_log", ("me.access_log",)),
        NavItem("Account", "auth.account", ("auth.account",)),
    ),
    Role.ADMIN: (
        NavItem("Users", "admin.list_users", ("admin.list_users", "admin.invite_staff", "admin.edit_user", "admin.home")),
        NavItem("Teams", "admin.list_teams", ("admin.list_teams", "admin.create_team")),
        NavItem("Offer", "admin.list_offer", ("admin.list_offer", "admin.add_entitlement", "admin.edit_entitlement",
                                              "admin.council_area")),
        NavItem("Supervision standard", "admin.supervision_standard", ("admin.supervision_standard",)),
        NavItem("Passport items", "admin.list_passport_items",
                ("admin.list_passport_items", "admin.add_passport_item", "admin.edit_passport_item")),
        NavItem("Account", "auth.account", ("auth.account",)),
    ),
}


def navigation_for(user) -> list[dict]:
    """govukServiceNavigation items for this user, with the current section marked."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    items = list(NAVIGATION.get(user.role, ()))
    if user.role is Role.ADMIN and current_app.config.get("SHOW_OUTBOX"):
        items.insert(2, NavItem("Outbox", "admin.outbox", ("admin.outbox",)))
    endpoint = request.endpoint or ""
    result = []
    for item in items:
        active = endpoint == item.endpoint or endpoint.startswith(item.prefixes)
        result.append({"text": item.text, "href": url_for(item.endpoint), "active": active})
    # Only one item is current: prefer an exact match.
    exact = [r for r, i in zip(result, items, strict=True) if endpoint == i.endpoint]
    if exact:
        for r in result:
            r["active"] = r is exact[0]
    else:
        # The item whose matching prefix is the most specific ("adviser.request_cover" beats "adviser.");
        # on a tie, the first.
        def specificity(item: NavItem) -> int:
            return max((len(p) for p in item.prefixes if endpoint.startswith(p)), default=-1)

        best = max(range(len(items)), key=lambda i: (specificity(items[i]), -i), default=None)
        for i, r in enumerate(result):
            r["active"] = r["active"] and i == best
    return result


def home_endpoint(user) -> str:
    return {
        Role.ADVISER: "adviser.home",
        Role.MANAGER: "manager.home",
        Role.YOUNG_PERSON: "me.home",
        Role.ADMIN: "admin.home",
    }[user.role]
