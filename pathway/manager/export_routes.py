"""The DfE care leaver return (OC3) for a manager's teams (issue 6 section 5): the page and the downloads.

The collection year is named by the year it ends: ?year=2026 is 1 April 2025 to 31 March 2026 (the
default is the collection year containing today). Years from 2000 to next calendar year are
accepted; anything else is a 400 page with a GOV.UK error summary, for the CSV links too. The rules
are in pathway.rules.oc3; a manager's return covers only the young people they may see
(``visible_young_people``). The command line (``flask pathway export-care-leavers``) covers the council.
"""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request
from flask_login import current_user

from pathway.access import roles_required, visible_young_people
from pathway.extensions import htmx
from pathway.manager import bp
from pathway.models import Role
from pathway.rules import oc3 as rules
from pathway.services import care_leaver_return as service
from pathway.views.render import render_page_or_fragment

PAGE = "manager/care_leaver_return.html"
FRAGMENT = "manager/_care_leaver_return.html"
TITLE = "Care leaver return (OC3)"


def _year(today: date) -> tuple[int | None, str, str | None]:
    """The year asked for (None if it is wrong), the text as typed, and the error message if any."""
    if "year" not in request.args:
        year = rules.collection_year_containing(today)
        return year, str(year), None
    text = request.args.get("year", "")[:20]
    try:
        return rules.check_year(text, today), text.strip(), None
    except ValueError as error:
        return None, text, str(error)


def _bad_year(text: str, error: str):
    """The page with the error summary, as a full page: a 400 however it was asked for."""
    return render_template(PAGE, year=None, year_text=text, error=error, result=None, title=TITLE), 400


@bp.route("/manager/care-leaver-return")
@roles_required(Role.MANAGER)
def care_leaver_return():
    """The return for the manager's young people: counts, the records that fail its checks, and downloads."""
    today = date.today()
    year, text, error = _year(today)
    if year is None:
        if htmx:
            return render_template(FRAGMENT, year=None, year_text=text, error=error, result=None, title=TITLE), 400
        return _bad_year(text, error or "")
    result = service.build_return(year, people_select=visible_young_people(current_user), today=today)
    page = render_page_or_fragment(PAGE, FRAGMENT, year=year, year_text=text, error=None, result=result,
                                   title=TITLE)
    # The failures table names young people: a view of each of those records, audited after rendering.
    service.record_export(result.failed_person_ids, action="view")
    return page


def _csv_response(text: str, filename: str) -> Response:
    response = Response(text, mimetype="text/csv")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _download(kind: str):
    """One of the return's CSV files ("rows" or "failures"), audited for each young person in it."""
    today = date.today()
    year, text, error = _year(today)
    if year is None:
        return _bad_year(text, error or "")
    result = service.build_return(year, people_select=visible_young_people(current_user), today=today)
    if kind == "rows":
        body, people, filename = result.csv(), result.person_ids, f"care-leavers-{year}.csv"
    else:
        body, people, filename = result.failures_csv(), result.failed_person_ids, f"care-leavers-{year}-failures.csv"
    service.record_export(people)
    return _csv_response(body, filename)


@bp.route("/manager/care-leaver-return.csv")
@roles_required(Role.MANAGER)
def care_leaver_return_csv():
    """The return as the DfE CSV file (just the header for a year with no one in it)."""
    return _download("rows")


@bp.route("/manager/care-leaver-return-failures.csv")
@roles_required(Role.MANAGER)
def care_leaver_return_failures_csv():
    """The records that fail the return's checks, as CSV: CHILD, NAME, BIRTHDAY_AGE, REASON."""
    return _download("failures")
