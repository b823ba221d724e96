"""Bad-input battery (issue 8 section 2): every form in the app gets nasty values, and
- every answer is 200, 302/303, 400, 404, 409 or 413: never a 500;
- a rejected post (400/404/409/413, or the form shown again with a GOV.UK error summary) changes no
  row in any table (row counts and a checksum of every row, bookkeeping tables aside: world.py);
- accepted text renders inert: no live script, event handler, htmx attribute or javascript: link
  from the payload, and {{7*7}} is not evaluated.

The forms are DISCOVERED: every URL rule that accepts POST (or PUT/PATCH/DELETE) is one test. Its URL
parameters are filled from the world (world.py fails by name on a parameter it does not know), the page
that shows its form is read (the route's own GET page, else the pages above it in the URL), and each
field's valid default is replaced in turn by the payloads of its kind (text, date, money, number, and
tampered hidden and choice values). A route whose form cannot be found is posted with plausible field
names. So a form added later is covered without editing this file.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from pathway import create_app
from pathway.extensions import db
from tests.security import battery
from tests.security.world import TODAY, build_url, snapshot, who_for

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# The list, exactly: a form shown again with its errors answers 200 or 400.
ALLOWED = {200, 302, 303, 400, 404, 409, 413}
REJECTED = {400, 404, 409, 413}

# Routes whose form the world cannot show, and why: they are posted with plausible field names instead.
# Any other route whose form cannot be found fails the test, so the battery never passes vacuously:
# give the world the record the form needs (world.py), or add the route here with the reason.
KNOWN_FORMLESS = {
    "admin.delete_record": "only for a record past its retention date (the 75th birthday); the world has none",
    "auth.enter_code": "the second sign-in step: only shown between the password and the code",
    "auth.enter_recovery_code": "the second sign-in step: only shown between the password and the code",
    "auth.set_up_at_sign_in": "two-factor set-up during sign-in: only shown between the password and the code",
    "auth.turn_off_two_factor": "only when the council lets this role sign in without a second step",
}


def battery_params(w) -> dict[tuple[str, str], object]:
    """URL parameters for the battery on top of world.py's (which the access matrix shares)."""
    return {("adviser.request_cover", "person_id"): w.colleague_person}  # cover is for a colleague's person


def _state_changing_endpoints(application) -> list[str]:
    return sorted({rule.endpoint for rule in application.url_map.iter_rules() if rule.methods & STATE_CHANGING})


# Collected from a throwaway app: the test below checks the real app has the same routes.
ENDPOINTS = _state_changing_endpoints(create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://"))


def test_every_state_changing_route_is_in_the_battery(app):
    assert ENDPOINTS, "no POST routes discovered"
    assert _state_changing_endpoints(app) == ENDPOINTS
    assert len(ENDPOINTS) >= 50  # the app had 60 when this was written: discovery must not silently shrink


def variants(app, endpoint: str, form: battery.FormSpec):
    """(label, replacements, is_markup) for every nasty value this form's fields can take."""
    text_fields = [f for f in form.fields if f.kind == "text"]
    tamperable = [f for f in form.fields if f.kind in ("hidden", "choice", "checkbox")]
    targets = text_fields or tamperable
    out = []
    # Lengths: max length + 1 per field, 1 MB and empty in every text field at once.
    for f in text_fields:
        limit = f.maxlength or battery.max_length_for(app, endpoint, f.name)
        if limit:
            out.append((f"{f.name}: max length {limit} + 1", {f.name: "x" * (limit + 1)}, False))
    for name, value in battery.LENGTH_PAYLOADS.items():
        out.append((f"all text: {name}", {f.name: value for f in targets}, False))
    for group in ("characters",):
        for name, value in battery.TEXT_GROUPS[group].items():
            out.append((f"all text: {name}", {f.name: value for f in targets}, False))
    # Markup and injection: one text field at a time (a field with a strict format, an email address or a
    # time, would refuse the post and hide whether the others store the payload inert).
    for group in ("markup", "injection"):
        for f in targets:
            for name, value in battery.TEXT_GROUPS[group].items():
                out.append((f"{f.name}: {name}", {f.name: value}, group == "markup"))
    # Dates, money and numbers.
    for f in form.fields:
        if f.kind == "date":
            for name, value in battery.date_payloads(TODAY).items():
                out.append((f"{f.name}: date {name}", {f.name: value}, False))
        elif f.kind == "money":
            for name, value in battery.MONEY_PAYLOADS.items():
                out.append((f"{f.name}: money {name}", {f.name: value}, False))
        elif f.kind == "number":
            for name, value in battery.NUMBER_PAYLOADS.items():
                out.append((f"{f.name}: number {name}", {f.name: value}, False))
    # Tampered hidden fields (version counters, ids) and choices (radios, selects, checkboxes).
    if text_fields and tamperable:
        for name, value in {"script": battery.MARKUP_PAYLOADS["script"], "minus-one": "-1", "huge": "9" * 40,
                            "empty": "", "lone-surrogate": "1\ud800", "nul": "1\x00"}.items():
            out.append((f"hidden and choices: {name}", {f.name: value for f in tamperable}, False))
    return out


def shows_errors(html: str) -> bool:
    return BeautifulSoup(html, "html.parser").select_one(".govuk-error-summary") is not None


def send_and_check(clients, who: str, form: battery.FormSpec, replace: dict, *, before, connection,
                   check_pages: bool, host: str | None = None) -> list[str]:
    """Post the form with some fields replaced, in a savepoint rolled back afterwards, and say what is
    wrong with the answer: a status outside ALLOWED, a refusal that changed rows, or (check_pages) a
    payload that is live on the answer, the page it redirects to or the form's page."""
    with battery.rolled_back(connection):
        pairs = battery.pairs_for(form, replace)
        response = battery.post(clients(who), form.action, pairs, token=clients(who).token())
        if battery.needs_fresh_client(response, signed_in=who != "anonymous"):
            # An earlier post signed this client out or in (sign-out, a new password): start afresh, resend.
            clients.forget(who)
            db.session.commit()
            response = battery.post(clients(who), form.action, pairs, token=clients(who).token())
        status = response.status_code
        html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        if status not in ALLOWED:
            return [f"answered {status} {BeautifulSoup(html, 'html.parser').title}"]
        if status in REJECTED or (status == 200 and shows_errors(html)):
            changed = before.changed_tables(snapshot())
            return [f"refused ({status}) but changed {changed}"] if changed else []
        if not check_pages:
            return []
        pages = [("the answer", html)]
        location = response.headers.get("Location")
        if location and urlsplit(location).path.startswith("/"):
            pages.append((location, clients(who).request("get", location).get_data(as_text=True)))
        if host:
            pages.append((host, clients(who).request("get", host).get_data(as_text=True)))
        return [f"live payload on {where}: {live}" for where, page in pages if (live := battery.live_payload(page))]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_nasty_values_are_refused_or_stored_inert(app, clients, full_world, module_connection, endpoint):
    rule = battery.rule_for(app, endpoint)
    url = build_url(app, rule, full_world, battery_params(full_world))
    who = who_for(app, endpoint)
    clients.fresh_token(who)  # (and a client signed in afresh if an earlier test signed it out)
    form, host = battery.find_form(clients(who), endpoint, url, rule, TODAY)
    assert form is not None or endpoint in KNOWN_FORMLESS, (
        f"{endpoint}: no page shows {who} a form posting to {url}; give the world what the form needs "
        "(tests/security/world.py) or list the route in KNOWN_FORMLESS with the reason")
    form = form or battery.plausible_form(url)
    before = snapshot()
    problems: list[str] = []
    for label, replace, markup in variants(app, endpoint, form):
        problems += [f"{label}: {p}" for p in send_and_check(clients, who, form, replace, before=before,
                                                              connection=module_connection, check_pages=markup,
                                                              host=host)]
    assert not problems, f"{endpoint} ({form.action}, form from {host or 'plausible names'}):\n" + "\n".join(problems)


# --- Accepted text is inert in the plan PDF and the CSV exports ---------------------------------

def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def test_markup_typed_into_a_plan_is_plain_text_in_its_pdf(app, clients, full_world, module_connection):
    """The adviser writes markup into the draft review, the manager signs it off; the PDFs (staff and the
    young person's own) show it as the text it is, with nothing evaluated and no script in the file."""
    w = full_world
    adviser, manager, me = clients("adviser"), clients("manager"), clients("young_person")
    clients.fresh_token("adviser")
    situation = f"Lives with Mrs Patel <script>alert('{battery.MARK}')</script> {{{{7*7}}}}{battery.MARK}"
    base = f"/young-people/{w.person}/plan"
    page = adviser.get(f"{base}/areas/accommodation")
    version = page.soup.find("input", attrs={"name": "version"})["value"]
    adviser.post(f"{base}/areas/accommodation", {"version": version, "current_situation": situation}, status=303)
    page = adviser.get(f"{base}/submit")
    version = page.soup.find("input", attrs={"name": "version"})["value"]
    adviser.post(f"{base}/submit", {"version": version}, status=303)
    clients.fresh_token("manager")
    page = manager.get(f"{base}/decision")
    version = page.soup.find("input", attrs={"name": "version"})["value"]
    manager.post(f"{base}/decision", {"version": version, "decision": "sign_off", "comments": ""}, status=303)

    for client, url in ((adviser, f"{base}/versions/2/pdf"), (me, "/me/plan/pdf")):
        response = client.request("get", url)
        assert response.status_code == 200 and response.mimetype == "application/pdf", url
        data = response.get_data()
        assert b"/JavaScript" not in data and b"/JS " not in data, f"{url}: the PDF carries script"
        text = " ".join(_pdf_text(data).split())
        assert f"<script>alert('{battery.MARK}')</script>" in text, f"{url}: the typed text is not shown as typed"
        assert f"{{{{7*7}}}}{battery.MARK}" in text and f"49{battery.MARK}" not in text
        for page_url in (base, "/me/plan"):
            html = (adviser if page_url == base else me).request("get", page_url).get_data(as_text=True)
            assert battery.MARK in html and not battery.live_payload(html), page_url


@pytest.mark.parametrize("formula", ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2+3", "@SUM(1+1)",
                                     "\t=1+1", "\r=1+1"])
def test_a_name_that_looks_like_a_formula_is_neutralised_in_the_csv_exports(app, clients, full_world,
                                                                             module_connection, formula):
    """Names are typed by people and appear in the care leaver return's failures file: a name that a
    spreadsheet would run as a formula is written with a quote in front (pathway/services/csv_export.py)."""
    import csv
    import io

    from pathway.extensions import db
    from pathway.models import YoungPerson

    url = f"/young-people/{full_world.person}/profile"
    adviser = clients("adviser")
    clients.fresh_token("adviser")
    form, _ = battery.find_form(adviser, "records.edit_profile", url, battery.rule_for(app, "records.edit_profile"),
                                TODAY)
    dob = TODAY.replace(year=TODAY.year - 19)  # in this year's return
    response = battery.post(adviser, url, battery.pairs_for(form, {
        "given_name": formula, "preferred_name": "", "date_of_birth": (str(dob.day), str(dob.month), str(dob.year))}),
        token=adviser.token())
    assert response.status_code == 303, f"the profile form refused {formula!r}"
    name = db.session.get(YoungPerson, full_world.person).display_name
    assert name.startswith(formula.strip())  # the form trims spaces, tabs and line breaks around a name
    clients.fresh_token("manager")
    cells = []
    for export in ("/manager/care-leaver-return.csv", "/manager/care-leaver-return-failures.csv"):
        response = clients("manager").request("get", export)
        assert response.status_code == 200, export
        cells += [cell for row in csv.reader(io.StringIO(response.get_data(as_text=True), newline="")) for cell in row]
    assert "'" + name in cells, "the name is not in the failures file as neutralised text"
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or _is_number(cell), cell


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


# --- The detectors themselves ------------------------------------------------------------------

@pytest.mark.parametrize(("html", "live"), [
    (f"<p>&lt;script&gt;window.{battery.MARK}=1&lt;/script&gt;</p>", False),
    (f"<p><script>window.{battery.MARK}=1</script></p>", True),
    (f'<p>"&gt;&lt;svg onload=alert("{battery.MARK}")&gt;</p>', False),
    (f'<p>"><svg onload=alert("{battery.MARK}")></p>', True),
    (f'<a href="javascript:alert(\'{battery.MARK}\')">x</a>', True),
    (f"<p>javascript:alert('{battery.MARK}')</p>", False),
    (f'<a hx-get="/admin/users" hx-trigger="load" data-{battery.MARK}="1">x</a>', True),
    (f'<p>&lt;a hx-get="/admin/users" data-{battery.MARK}="1"&gt;</p>', False),
    (f"<p>49{battery.MARK}</p>", True),
    (f"<p>{{{{7*7}}}}{battery.MARK}</p>", False),
])
def test_the_inert_check_tells_live_markup_from_text(html, live):
    assert bool(battery.live_payload(html)) is live


def test_the_snapshot_sees_a_changed_row(app, full_world):
    from pathway.models import YoungPerson

    before = snapshot()
    db.session.get(YoungPerson, full_world.person).preferred_name = "Jo"
    db.session.flush()
    changed = before.changed_tables(snapshot())
    # (cache_version: the page cache's counters, bumped in the same transaction as any change)
    assert "young_person" in changed and set(changed) <= {"young_person", "cache_version"}


# --- Accepted markup is inert on every page ------------------------------------------------------

SHOWCASE = f'<script>window.{battery.MARK}=1</script>"><svg onload=alert(1) data-{battery.MARK}>{{{{7*7}}}}{battery.MARK}'
# Posts that would end the session or take records away from the people crawling afterwards.
NOT_IN_SHOWCASE = ("sign_out", "account", "password", "two_factor", "deactivate", "delete", "remove", "reallocate",
                   "move_adviser", "set_managed_teams", "enter_code", "recovery_code")


def test_markup_accepted_anywhere_is_text_on_every_page(app, clients, full_world, module_connection):
    """Store markup through every form that takes it (kept, not rolled back, one field at a time),
    then read every page as every kind of user: the markup shows as text and is never live."""
    from tests.security.test_writes_only_where_they_belong import get_urls

    stored = 0
    for endpoint in ENDPOINTS:
        who = who_for(app, endpoint)
        if who == "anonymous" or any(word in endpoint for word in NOT_IN_SHOWCASE):
            continue
        rule = battery.rule_for(app, endpoint)
        url = build_url(app, rule, full_world, battery_params(full_world))
        clients.fresh_token(who)
        form, _ = battery.find_form(clients(who), endpoint, url, rule, TODAY)
        for field in [f for f in (form.fields if form else []) if f.kind == "text"]:
            form, _ = battery.find_form(clients(who), endpoint, url, rule, TODAY)  # (fresh version counters)
            if form is None:
                break
            response = battery.post(clients(who), form.action, battery.pairs_for(form, {field.name: SHOWCASE}),
                                    token=clients(who).token())
            assert response.status_code < 500, f"{endpoint} {field.name}: {response.status_code}"
            stored += response.status_code in (302, 303)
    assert stored >= 20, f"only {stored} posts stored the markup: the showcase would prove little"
    shown, problems = 0, []
    for who in ("young_person", "adviser", "manager", "admin"):
        clients.fresh_token(who)
        for url in get_urls(app, full_world):
            response = clients(who).request("get", url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            html = response.get_data(as_text=True)
            shown += battery.MARK in html
            problems += [f"{who} GET {url}: {live}" for live in battery.live_payload(html)]
    assert shown >= 10, f"the stored markup showed on only {shown} pages"
    assert not problems, "\n".join(problems)
