"""Demo pathway plans: a strong plan, plans in every state, and weak plans that show the quality check at work."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from pathway.extensions import db
from pathway.models import (
    Contingency,
    PathwayPlan,
    PlanAreaEntry,
    PlanStatus,
    Responsible,
    ReviewReason,
    ReviewRequest,
    Target,
    TargetStatus,
    User,
    YoungPerson,
)
from pathway.models.types import utcnow
from pathway.rules.plan_areas import PLAN_AREAS, PlanArea

# Written to the young person, as a good plan is.
SITUATION = {
    PlanArea.CONTACT_SUPPORT: "We meet every two weeks, usually at the café near your flat. You like a text the day before to remind you.",
    PlanArea.EDUCATION_TRAINING: "You started a level 2 course in motor vehicle maintenance at Northshire College in September and your attendance is 92%.",
    PlanArea.EMPLOYMENT: "You work eight hours a week at a garage on Saturdays and would like more hours in the holidays.",
    PlanArea.CONTINGENCY: "We have talked about what could go wrong with college, money, your health and your flat, and what you and I will do.",
    PlanArea.ACCOMMODATION: "You live in a supported flat with Northshire Housing. It is warm and safe and you feel settled. Your support worker visits weekly.",
    PlanArea.FAMILY_RELATIONSHIPS: "You see your younger sister every month and speak to your nan most weeks. Contact with your mum is on your terms.",
    PlanArea.INDEPENDENT_LIVING: "You cook most evenings and do your own washing. Budgeting for gas and electricity is the part you want help with.",
    PlanArea.FINANCE: "You get a 16-19 bursary and your wages. Your setting up home allowance has paid for your bed and kitchen things.",
    PlanArea.HEALTH: "You are registered with Dr Ahmed's surgery. You have not got a dentist yet. You told me your sleep has been better.",
    PlanArea.IDENTITY: "You are proud of your Irish heritage and want to get an Irish passport. You do not follow a religion.",
}
WORDS = {
    PlanArea.EDUCATION_TRAINING: "I like college more than school. I want to be a mechanic.",
    PlanArea.ACCOMMODATION: "My flat is mine. I don't want to move until I've finished my course.",
    PlanArea.FINANCE: "Bills scare me a bit. I want to know what's left each week.",
    PlanArea.IDENTITY: "My grandad was from Cork. Getting the passport means a lot.",
}
TARGETS = {
    PlanArea.CONTACT_SUPPORT: ("Meet every two weeks; {pa} texts the day before", Responsible.ADVISER, 1, "The visits are on your calendar and in your record"),
    PlanArea.EDUCATION_TRAINING: ("Finish the first year of your course", Responsible.YOUNG_PERSON, 7, "You get your end-of-year report"),
    PlanArea.EMPLOYMENT: ("Ask your manager for extra hours over Easter", Responsible.YOUNG_PERSON, 4, "You have a rota with the extra hours"),
    PlanArea.ACCOMMODATION: ("Renew your licence agreement for another year", Responsible.ADVISER, 3, "You have signed the new agreement"),
    PlanArea.FAMILY_RELATIONSHIPS: ("Arrange a day out with your sister in the half term", Responsible.YOUNG_PERSON, 2, "The date is agreed with your sister's carers"),
    PlanArea.INDEPENDENT_LIVING: ("Set up a weekly budget for gas, electricity and food", Responsible.YOUNG_PERSON, 1, "You show {pa} your budget on your phone"),
    PlanArea.FINANCE: ("Open a savings pot and put £5 a week in it", Responsible.YOUNG_PERSON, 2, "Your banking app shows the pot growing"),
    PlanArea.HEALTH: ("Register with a dentist", Responsible.YOUNG_PERSON, -1, "You have had a check-up"),
    PlanArea.IDENTITY: ("Apply for an Irish passport with help from {pa}", Responsible.ADVISER, 5, "The passport arrives"),
}
CONTINGENCIES = [
    (PlanArea.EDUCATION_TRAINING, "your college place ends or you stop going", "{pa} helps you look at apprenticeships with Northshire Works within two weeks", "Your personal adviser"),
    (PlanArea.FINANCE, "your money runs out before payday", "You call {pa}, who arranges an emergency payment and a food bank voucher the same day", "Your personal adviser"),
    (PlanArea.HEALTH, "you feel low for more than a couple of weeks", "You tell {pa} or your GP; {pa} helps you get a Northshire Minds appointment", "You and your personal adviser"),
    (PlanArea.ACCOMMODATION, "your flat breaks down", "The leaving care team finds you emergency supported accommodation the same day, never bed and breakfast", "Leaving care duty worker"),
]


def _plan(person: YoungPerson, number: int, status: PlanStatus, plan_date: date, *, reason: ReviewReason,
          adviser: User, manager: User | None = None) -> PathwayPlan:
    plan = PathwayPlan(young_person_id=person.id, number=number, status=status, reason=reason, plan_date=plan_date,
                       created_by_id=adviser.id, participants="You, your personal adviser and your support worker",
                       young_person_view="You said the plan is fair and you want more help with money.")
    if status in (PlanStatus.ACTIVE, PlanStatus.SUPERSEDED) and manager:
        plan.signed_off_on = plan_date + relativedelta(days=5)
        plan.signed_off_at = utcnow()
        plan.signed_off_by_id = manager.id
        plan.decided_by_id = manager.id
        plan.submitted_by_id = adviser.id
        plan.submitted_at = utcnow()
    if status is PlanStatus.SUBMITTED:
        plan.submitted_by_id = adviser.id
        plan.submitted_at = utcnow()
    db.session.add(plan)
    db.session.flush()
    return plan


def _fill(plan: PathwayPlan, today: date, *, situations=SITUATION, words=WORDS, targets=TARGETS,
          contingencies=CONTINGENCIES, pa: str = "your personal adviser") -> None:
    for position, area in enumerate(PLAN_AREAS):
        db.session.add(PlanAreaEntry(plan_id=plan.id, area=area, position=position,
                                     current_situation=situations.get(area, ""), young_person_words=words.get(area, ""),
                                     young_person_words_at=utcnow() if words.get(area) else None))
    for position, (area, (what, who, months, how)) in enumerate(targets.items()):
        due = plan.plan_date + relativedelta(months=months) if months > 0 else today - relativedelta(days=10)
        db.session.add(Target(plan_id=plan.id, area=area, position=position, what=what.format(pa=pa), responsible=who,
                              due_on=due, how_we_know=how.format(pa=pa), status=TargetStatus.IN_PROGRESS if position % 3 == 0 else TargetStatus.NOT_STARTED))
    for area, wrong, do, who in contingencies:
        db.session.add(Contingency(plan_id=plan.id, area=area, what_might_go_wrong=wrong,
                                   what_we_will_do=do.format(pa=pa), who=who))


def load_demo_plans(people: list[YoungPerson], advisers_by_person: dict[int, User], manager: User, today: date) -> int:
    """Plans in every state. Returns how many plan versions were made."""
    made = 0
    for i, person in enumerate(people):
        adviser = advisers_by_person[person.id]
        if i == 0:
            # Jo: a strong plan signed off two months ago, with an earlier version to compare.
            first = _plan(person, 1, PlanStatus.SUPERSEDED, today - relativedelta(months=8), reason=ReviewReason.FIRST_PLAN,
                          adviser=adviser, manager=manager)
            _fill(first, today, pa=adviser.name.split()[0], situations={**SITUATION, PlanArea.HEALTH: "You are registered with Dr Ahmed's surgery. You find it hard to sleep."})
            current = _plan(person, 2, PlanStatus.ACTIVE, today - relativedelta(months=2), reason=ReviewReason.SIX_MONTHLY,
                            adviser=adviser, manager=manager)
            current.based_on_id = first.id
            _fill(current, today, pa=adviser.name.split()[0])
            made += 2
        elif i in (3, 6, 9, 12, 15, 18):
            # Signed off; the last two are overdue for review (more than six months ago).
            months = 8 if i in (15, 18) else 3
            plan = _plan(person, 1, PlanStatus.ACTIVE, today - relativedelta(months=months),
                         reason=ReviewReason.FIRST_PLAN, adviser=adviser, manager=manager)
            _fill(plan, today, pa=adviser.name.split()[0], words={})
            made += 1
        elif i == 2:
            # Awaiting sign-off, with soft warnings: written about, not to, the young person; housing-only contingency; no words of theirs.
            plan = _plan(person, 1, PlanStatus.SUBMITTED, today - relativedelta(days=6), reason=ReviewReason.FIRST_PLAN,
                         adviser=adviser)
            third_person = {area: text.replace("You ", "He ").replace(" you ", " he ").replace("your", "his")
                            for area, text in SITUATION.items()}
            _fill(plan, today, pa=adviser.name.split()[0], situations=third_person, words={}, contingencies=[CONTINGENCIES[3]])
            made += 1
        elif i == 4:
            # A draft with hard gaps: empty areas, a target missing how we will know, no contingency.
            plan = _plan(person, 1, PlanStatus.DRAFT, today - relativedelta(days=3), reason=ReviewReason.FIRST_PLAN,
                         adviser=adviser)
            partial = {a: t for a, t in SITUATION.items() if a in (PlanArea.ACCOMMODATION, PlanArea.FINANCE)}
            incomplete = {PlanArea.FINANCE: ("Sort out money", Responsible.YOUNG_PERSON, 1, "")}
            _fill(plan, today, pa=adviser.name.split()[0], situations=partial, words={}, targets=incomplete, contingencies=[])
            made += 1
        elif i == 5:
            # Returned by the manager with comments, now a draft again.
            plan = _plan(person, 1, PlanStatus.DRAFT, today - relativedelta(days=12), reason=ReviewReason.FIRST_PLAN,
                         adviser=adviser)
            plan.returned_at = utcnow()
            plan.decided_by_id = manager.id
            plan.return_comments = "Good plan. Add what happens if the apprenticeship ends, and put the dentist target in."
            _fill(plan, today, pa=adviser.name.split()[0], words={PlanArea.EMPLOYMENT: "I start my apprenticeship in January."})
            made += 1
        elif i == 7:
            # A young person has asked for a review of their signed-off plan.
            plan = _plan(person, 1, PlanStatus.ACTIVE, today - relativedelta(months=4), reason=ReviewReason.FIRST_PLAN,
                         adviser=adviser, manager=manager)
            _fill(plan, today, pa=adviser.name.split()[0])
            db.session.add(ReviewRequest(young_person_id=person.id,
                                         message="I've been offered a place at uni so my plan needs changing."))
            made += 1
    return made
