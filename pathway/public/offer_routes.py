"""The council's care leaver offer, published for everyone (Children and Social Work Act 2017 s2):
care leavers who have not signed in, their carers and other professionals. No sign-in; linkable
(each entitlement's id is its slug) and printable.

The page is the same for every signed-out visitor, so it is cache-friendly: it starts no session.
"""

from __future__ import annotations

from flask import g, make_response, render_template
from flask_login import current_user

from pathway.access import public
from pathway.models import EntitlementVersion, Scope
from pathway.public import bp
from pathway.rules.category import Category
from pathway.services.offer import council_area, list_catalogue

CATEGORY_WORDS = {
    Category.ELIGIBLE: "eligible care leavers (aged 16 or 17 and still in care)",
    Category.RELEVANT: "relevant care leavers (aged 16 or 17 who have left care)",
    Category.FORMER_RELEVANT: "former relevant care leavers (aged 18 or over who were in care at 16 or 17)",
    Category.QUALIFYING: ("qualifying care leavers (under 21 who left care, special guardianship or "
                          "other accommodation after they were 16)"),
}

ACTIVITY_WORDS = (
    (frozenset({"F1", "P1"}), "at university or on another higher education course"),
    (frozenset({"F2", "P2"}), "on a course at school or college"),
    (frozenset({"F4", "P4"}), "doing an apprenticeship"),
    (frozenset({"F5", "P5"}), "in training or work"),
    (frozenset({"G4", "G5", "G6"}), "not in education, training or work"),
)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def _codes(text: str | None) -> list[str]:
    return [value.strip() for value in (text or "").split(",") if value.strip()]


def _join(words: list[str], conjunction: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _ages(terms: EntitlementVersion) -> str | None:
    low, high = terms.age_from, terms.age_under
    if low is not None and high is not None:
        ages = f"aged {low} to {high - 1}"
    elif low is not None:
        ages = f"aged {low} or over"
    elif high is not None:
        ages = f"aged under {high}"
    else:
        return None
    reference = (terms.age_on_reference or "").strip()
    if reference:
        try:
            month, day = (int(part) for part in reference.split("-"))
            ages += f" on {day} {MONTHS[month - 1]}"
        except (ValueError, IndexError):
            pass
    return ages


def _activities(codes: list[str]) -> str | None:
    if not codes:
        return None
    rest = {code.upper() for code in codes}
    phrases = []
    for group, words in ACTIVITY_WORDS:
        if rest & group:
            phrases.append(words)
            rest -= group
    phrases += sorted(rest)
    return _join(phrases, "or")


def who_it_is_for(terms: EntitlementVersion, area_name: str) -> list[str]:
    """Who an entitlement is for, in plain English sentences, from its conditions (the same
    conditions pathway.rules.offer.decide checks for each young person)."""
    categories = [Category(code) for code in _codes(terms.categories) if code in Category._value2member_map_]
    who = _join([CATEGORY_WORDS[c] for c in Category if c in categories and c in CATEGORY_WORDS]) or "care leavers"
    ages = _ages(terms)
    sentences = [f"For {who}{', ' + ages if ages else ''}."]
    activities = _activities(_codes(terms.activities))
    if activities:
        sentences.append(f"Only if you are {activities}.")
    if terms.in_area_only:
        sentences.append(f"Only if you live in {area_name}.")
    if terms.needs_independent_move:
        sentences.append("When you move into your first home of your own.")
    days = terms.min_continuous_care_days
    if days:
        span = f"{days // 365 * 12} months" if days % 365 == 0 else f"{days} days"
        sentences.append(f"Only if you were looked after for {span} or more without a break.")
    if terms.needs_pa_decision:
        sentences.append("Your personal adviser decides this with you.")
    return sentences


@bp.route("/offer")
@public
def offer():
    area_name, _ = council_area()
    catalogue = list_catalogue()
    groups = [
        (scope, [(e, who_it_is_for(e.current, area_name)) for e in catalogue if e.current and e.current.scope is scope])
        for scope in (Scope.NATIONAL, Scope.LOCAL)
    ]
    signed_in = current_user.is_authenticated
    if not signed_in:
        # No form on this page for a signed-out visitor: an empty CSRF token (flask_wtf reads g first)
        # keeps base.html from starting a session, so the page sets no cookie and can be cached.
        g.csrf_token = ""  # nosec B105 # no token for a page with no form, not a password
    response = make_response(render_template("public/offer.html", groups=groups, area_name=area_name, empty=not catalogue,
                                             title="The care leaver offer"))
    if not signed_in:
        response.cache_control.public = True
        response.cache_control.max_age = 300
    # What is shown depends on the session cookie (signed-in pages are never cached: no-store).
    response.vary.add("Cookie")
    return response
