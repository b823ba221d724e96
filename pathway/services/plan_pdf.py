"""The young person's copy of a pathway plan as a PDF: "Your pathway plan", written to them.

Used by the young person's download (me.plan_pdf) and by staff downloads. It only renders:
the caller audits the download and commits, for example

    pdf = plan_pdf(plan, person, adviser, today=date.today())
    audit.record("download_pdf", "pathway_plan", plan.id, young_person_id=person.id)
    db.session.commit()

Give it a plan loaded with its contents (pathway.queries.plans.get_active_plan / get_plan):
rendering then runs no queries, whatever the size of the plan.
"""

from __future__ import annotations

from datetime import date

from flask import current_app

from pathway.models import PathwayPlan, PlanStatus, User, YoungPerson
from pathway.pdf import render_pdf
from pathway.views.plan_copy import build_plan_copy

TEMPLATE = "pdf/plan.html"
FILENAME = "your-pathway-plan.pdf"


def plan_html(plan: PathwayPlan, person: YoungPerson, adviser: User | None, *, today: date) -> str:
    """The HTML the PDF is made from (also handy for looking at the layout in a browser)."""
    # The template is rendered straight from the Jinja environment: no request is needed, and
    # nothing from the page templates' context (navigation, CSRF tokens) leaks into the PDF.
    # Autoescaping is on for .html templates, so whatever anyone typed renders as text.
    template = current_app.jinja_env.get_template(TEMPLATE)
    return template.render(
        plan=plan,
        person=person,
        adviser=adviser,
        copy=build_plan_copy(plan, today=today),
        today=today,
        signed_off=plan.status in (PlanStatus.ACTIVE, PlanStatus.SUPERSEDED),
        council_name=current_app.config["COUNCIL_NAME"],
        service_name=current_app.config["SERVICE_NAME"],
    )


def plan_pdf(plan: PathwayPlan, person: YoungPerson, adviser: User | None, *, today: date) -> bytes:
    """Render the plan as a PDF/UA-1 document ("Your pathway plan") and return its bytes."""
    return render_pdf(plan_html(plan, person, adviser, today=today))
