"""Building pathway plans for tests through the real services.

    from tests.plan_builders import build_plan
    plan = build_plan(make, world.person, world.adviser, world.manager, today=date(2026, 3, 2))

gives a signed-off (ACTIVE) plan that passes the quality check: text in all ten areas, written
to the young person; one complete target in every area except "Contingency plans"; contingencies
in accommodation and finance; the young person's own words in three areas. Pass
signed_off=False for a submitted plan waiting for sign-off, extra_targets=n for a bigger plan.
"""

from __future__ import annotations

from datetime import date, timedelta

from pathway.extensions import db
from pathway.models import PathwayPlan, Responsible, TargetStatus, User, YoungPerson
from pathway.rules.plan_areas import PLAN_AREAS, PlanArea
from pathway.services import plans as plan_service

A = PlanArea

CURRENT_SITUATION = {
    A.CONTACT_SUPPORT: "You see your personal adviser every month and text them when you need to.",
    A.EDUCATION_TRAINING: "You are in your first year of a level 2 catering course at Northshire College.",
    A.EMPLOYMENT: "You work eight hours a week in a cafe at weekends and want more hours in the holidays.",
    A.CONTINGENCY: "We have agreed together what we will do if your money, your home or your course goes wrong.",
    A.ACCOMMODATION: "You live in supported lodgings with Mrs Patel. It is suitable: safe, close to college, and you like it.",
    A.FAMILY_RELATIONSHIPS: "You see your nan every Sunday and speak to your sister on the phone most weeks.",
    A.INDEPENDENT_LIVING: "You cook three meals a week and are learning to do a weekly food shop on a budget.",
    A.FINANCE: "You get a 16-19 bursary and your wages. You do not have a bank account of your own yet.",
    A.HEALTH: "You are registered with a GP. You have not seen a dentist for two years.",
    A.IDENTITY: "Your faith matters to you and you want to go to the mosque near your lodgings.",
}

YOUNG_PERSON_WORDS = {
    A.ACCOMMODATION: "I like it at Mrs Patel's but I want my own flat by the time I am 19.",
    A.EDUCATION_TRAINING: "College is good. I want to be a chef.",
    A.HEALTH: "I hate the dentist but I know I need to go.",
}

# (area, what, who, days after the plan date, how we will know)
TARGETS = [
    (A.CONTACT_SUPPORT, "Meet your personal adviser once a month at the youth hub", Responsible.ADVISER, 30,
     "The visits are recorded on your file"),
    (A.EDUCATION_TRAINING, "Hand in your level 2 coursework", Responsible.YOUNG_PERSON, 45,
     "Your tutor confirms it has been marked"),
    (A.EMPLOYMENT, "Ask your manager for more hours in the summer holidays", Responsible.YOUNG_PERSON, 60,
     "You tell your personal adviser what they said"),
    (A.ACCOMMODATION, "Visit two shared houses with your personal adviser", Responsible.ADVISER, 90,
     "You have seen two places and told us which you prefer"),
    (A.FAMILY_RELATIONSHIPS, "Plan a visit to your sister in Leeds", Responsible.YOUNG_PERSON, 75,
     "The train tickets are booked"),
    (A.INDEPENDENT_LIVING, "Cook a meal for your lodgings family", Responsible.YOUNG_PERSON, 20,
     "Mrs Patel tells your personal adviser it happened"),
    (A.FINANCE, "Open a bank account with a debit card", Responsible.YOUNG_PERSON, 14,
     "You show your personal adviser your bank card"),
    (A.HEALTH, "Book a dentist appointment", Responsible.YOUNG_PERSON, 28,
     "You have an appointment date"),
    (A.IDENTITY, "Find out the times of Friday prayers", Responsible.OTHER, 21,
     "Mrs Patel has shared the times with you"),
]

CONTINGENCIES = [
    (A.ACCOMMODATION, "Your lodgings break down", "We find you an emergency place with a supported lodgings carer",
     "Your personal adviser"),
    (A.FINANCE, "You run out of money before payday", "We give you an emergency payment and go through your budget",
     "Your personal adviser"),
]

BANK_TARGET_TEXT = "Open a bank account with a debit card"
LODGINGS_CONTINGENCY_TEXT = "Your lodgings break down"
MONEY_CONTINGENCY_TEXT = "We give you an emergency payment and go through your budget"


def build_plan(make_or_none, person: YoungPerson, adviser: User, manager: User | None, *, today: date,
               signed_off: bool = True, extra_targets: int = 0) -> PathwayPlan:
    """A good plan for ``person`` dated ``today``, written by ``adviser`` and signed off by ``manager``.

    ``make_or_none`` is the test's Factory: it is only used to make a manager for the adviser's
    team when ``manager`` is None and the plan is to be signed off.
    """
    plan = plan_service.start_plan(person, by=adviser, today=today)
    for entry in plan.areas:
        entry.current_situation = CURRENT_SITUATION[entry.area]
        entry.young_person_words = YOUNG_PERSON_WORDS.get(entry.area, "")
    db.session.commit()
    for area, what, responsible, days, how in TARGETS:
        plan_service.add_target(plan, plan_service.TargetFields(
            area=area, what=what, responsible=responsible,
            responsible_name="Mrs Patel" if responsible is Responsible.OTHER else None,
            due_on=today + timedelta(days=days), how_we_know=how, status=TargetStatus.NOT_STARTED, status_reason=None,
        ), by=adviser)
    for n in range(extra_targets):
        area = [a for a in PLAN_AREAS if a is not A.CONTINGENCY][n % 9]
        plan_service.add_target(plan, plan_service.TargetFields(
            area=area, what=f"Extra step {n + 1}", responsible=Responsible.YOUNG_PERSON, responsible_name=None,
            due_on=today + timedelta(days=10 + n), how_we_know=f"You tell us step {n + 1} is done",
            status=TargetStatus.IN_PROGRESS, status_reason=None,
        ), by=adviser)
    for area, wrong, do, who in CONTINGENCIES:
        plan_service.add_contingency(plan, plan_service.ContingencyFields(
            area=area, what_might_go_wrong=wrong, what_we_will_do=do, who=who), by=adviser)
    db.session.refresh(plan)
    plan_service.submit(plan, expected_version=plan.version, by=adviser, today=today)
    if signed_off:
        if manager is None:
            manager = make_or_none.manager(adviser.team) if adviser.team else make_or_none.manager()
        plan_service.sign_off(plan, expected_version=plan.version, manager=manager, today=today)
    return plan
