"""Hypothesis-driven bad input (issue 8 section 2): generated text, dates and amounts against the pure
helpers that read them, and against a few forms end to end (the contact form's text, the move and plan
dates, a payment's amount), with the battery's checks (test_bad_input.send_and_check)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms.validators import ValidationError

from pathway.forms import GovDateField, SafeText, _bad_characters
from pathway.rules.dates import age_on, birthday
from pathway.rules.offer import MAX_PENCE, parse_money
from pathway.services.csv_export import DANGEROUS_STARTS, NEUTRALISER, safe_cell
from tests.security import battery
from tests.security.strategies import date_parts, free_text, money_text
from tests.security.test_bad_input import send_and_check
from tests.security.world import TODAY, snapshot

PURE = settings(max_examples=200, deadline=None, database=None)
HTTP = settings(max_examples=15, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


# --- Pure helpers ---------------------------------------------------------------------------------

@PURE
@given(money_text())
def test_an_amount_is_whole_pence_in_range_or_a_message(text):
    try:
        pence = parse_money(text)
    except ValueError as problem:
        assert str(problem)  # a GOV.UK-style message for the error summary
    else:
        assert isinstance(pence, int) and 0 < pence <= MAX_PENCE


@PURE
@given(date_parts())
def test_the_date_boxes_give_a_real_date_or_a_problem_and_never_raise(app, parts):
    from flask_wtf import FlaskForm

    class OneDate(FlaskForm):
        class Meta:
            csrf = False

        when = GovDateField("When")

    with app.test_request_context(method="POST"):
        form = OneDate(formdata=MultiDict([("when", p) for p in parts]))
        form.validate()
    if form.when.data is not None:
        day, month, year = (int(p) for p in parts)
        assert form.when.data == date(year, month, day)
        assert not form.when.errors
    elif any(p.strip() for p in parts):
        assert form.when.errors, f"{parts!r} was neither a date nor a problem"


@PURE
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_age_is_the_number_of_birthdays_passed(dob, today):
    if today < dob:
        with pytest.raises(ValueError):
            age_on(dob, today)
        return
    age = age_on(dob, today)
    assert birthday(dob, age) <= today < birthday(dob, age + 1)


@PURE
@given(st.one_of(free_text(), st.integers(), st.floats(allow_nan=False), st.none()))
def test_no_csv_cell_starts_like_a_formula(value):
    cell = safe_cell(value)
    if isinstance(value, str) and value.startswith(DANGEROUS_STARTS):
        assert cell == NEUTRALISER + value
    elif isinstance(value, str) or value is None:
        assert cell == (value or "")
        assert not cell.startswith(DANGEROUS_STARTS)


@PURE
@given(free_text(), st.booleans())
def test_safe_text_refuses_exactly_the_hidden_and_control_characters(text, multiline):
    check = SafeText("Notes", multiline=multiline)
    field = type("Field", (), {"data": text})()
    allowed = {"\n", "\r", "\t"} if multiline else set()
    hidden = any((ord(c) < 32 or 127 <= ord(c) < 160) and c not in allowed for c in text) or \
        any("\u202a" <= c <= "\u202e" or "\ud800" <= c <= "\udfff" for c in text)
    assert _bad_characters(text, multiline=multiline) == hidden
    if hidden:
        with pytest.raises(ValidationError):
            check(None, field)
    else:
        check(None, field)


# --- Forms, end to end -----------------------------------------------------------------------------

def _form(app, clients, w, endpoint: str, url: str) -> battery.FormSpec:
    who = "manager" if endpoint.startswith("manager.") else "adviser"
    clients.fresh_token(who)
    form, _ = battery.find_form(clients(who), endpoint, url, battery.rule_for(app, endpoint), TODAY)
    assert form is not None, f"no form for {endpoint} on {url}"
    return form


@pytest.fixture
def contact_form(app, clients, full_world):
    url = f"/young-people/{full_world.person}/contacts/new"
    return _form(app, clients, full_world, "contacts.record_contact", url), url


@HTTP
@given(data=st.data())
def test_generated_text_in_the_contact_form_is_refused_cleanly_or_stored_inert(clients, module_connection,
                                                                               contact_form, data):
    form, url = contact_form
    text_fields = [f.name for f in form.fields if f.kind == "text" and "time" not in f.name]
    name = data.draw(st.sampled_from(text_fields), label="field")
    value = data.draw(free_text(), label="value")
    problems = send_and_check(clients, "adviser", form, {name: value}, before=snapshot(), connection=module_connection,
                              check_pages=True, host=url)
    assert not problems, f"{name}={value!r}: {problems}"


@HTTP
@given(parts=date_parts(), which=st.sampled_from(["move", "plan"]))
def test_generated_dates_in_the_move_and_plan_forms_are_refused_cleanly_or_stored(app, clients, full_world,
                                                                                  module_connection, parts, which):
    endpoint, url, field = {
        "move": ("moves.record_move", f"/young-people/{full_world.person}/accommodation/new", "move_in"),
        "plan": ("plans.edit_details", f"/young-people/{full_world.person}/plan/details", "plan_date"),
    }[which]
    form = _form(app, clients, full_world, endpoint, url)
    problems = send_and_check(clients, "adviser", form, {field: parts}, before=snapshot(),
                              connection=module_connection, check_pages=False)
    assert not problems, f"{which} {field}={parts!r}: {problems}"


@HTTP
@given(amount=money_text())
def test_generated_amounts_in_the_payment_form_are_refused_cleanly_or_stored(app, clients, full_world,
                                                                            module_connection, amount):
    url = f"/young-people/{full_world.person}/offer/claims/{full_world.approved_claim}/payments/new"
    form = _form(app, clients, full_world, "offer.record_payment", url)
    problems = send_and_check(clients, "adviser", form, {"amount": amount}, before=snapshot(),
                              connection=module_connection, check_pages=False)
    assert not problems, f"amount={amount!r}: {problems}"
