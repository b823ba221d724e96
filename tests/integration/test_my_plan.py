"""The young person's plan on their phone: reading it, their own words, asking for a review."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import event, select

from pathway.extensions import db
from pathway.models import AuditEvent, OutboxEmail, PlanAreaEntry, ReviewRequest
from pathway.rules.plan_areas import PLAN_AREAS, PlanArea
from pathway.services import plans as plan_service
from tests.helpers import PageClient
from tests.plan_builders import BANK_TARGET_TEXT, CURRENT_SITUATION, LODGINGS_CONTINGENCY_TEXT, build_plan

PLAN_DATE = date(2026, 3, 2)
# 18 days after the plan date: the bank account target (14 days) is overdue, cooking (20 days) is not.
NOON = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def plan(make, world, frozen):
    return build_plan(make, world.person, world.adviser, world.manager, today=PLAN_DATE)


@pytest.fixture
def review(plan, world):
    """A review of the signed-off plan, in progress."""
    return plan_service.start_plan(world.person, by=world.adviser, today=date(2026, 3, 19))


@pytest.fixture
def me(client, world, frozen) -> PageClient:
    """Jordan, signed in inside the frozen clock (sessions time out after 30 idle minutes)."""
    return client.sign_in_as(world.person_user)


def _entry(plan, area: PlanArea) -> PlanAreaEntry:
    return db.session.scalar(select(PlanAreaEntry).where(PlanAreaEntry.plan_id == plan.id, PlanAreaEntry.area == area))


def _audits(action: str, record_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action,
                                                            AuditEvent.record_type == record_type)))


def _text(tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


# --- reading the plan --------------------------------------------------------------------------------

def test_what_you_need_to_do_next_comes_first_soonest_first_with_overdue_marked(me, plan):
    page = me.get("/me/plan")

    assert page.h1 == "Your pathway plan"
    headings = [_text(h) for h in page.soup.select("main h2")]
    assert headings[0] == "What you need to do next"
    steps = page.soup.select("#next-steps-list li")
    # Only their own open targets (not the adviser's or Mrs Patel's), by due date.
    assert [_text(li.p) for li in steps] == [
        "Open a bank account with a debit card",
        "Cook a meal for your lodgings family",
        "Book a dentist appointment",
        "Hand in your level 2 coursework",
        "Ask your manager for more hours in the summer holidays",
        "Plan a visit to your sister in Leeds",
    ]
    assert "By 16 March 2026 Overdue" in _text(steps[0])
    assert steps[0].select_one(".govuk-tag--red").get_text(strip=True) == "Overdue"
    assert [li for li in steps[1:] if li.select_one(".govuk-tag--red")] == []
    assert steps[0].find("a")["href"] == "#area-finance"


def test_done_targets_are_not_next_steps(me, plan):
    target = next(t for t in plan.targets if t.what == BANK_TARGET_TEXT)
    target.status = plan_service.TargetStatus.DONE
    db.session.commit()
    page = me.get("/me/plan")
    steps = [_text(li.p) for li in page.soup.select("#next-steps-list li")]
    assert BANK_TARGET_TEXT not in steps
    card = page.soup.find(id=f"target-{target.id}")
    assert "Done" in _text(card) and "Overdue" not in _text(card)


def test_every_area_is_there_in_plain_english_written_to_them(me, plan, world):
    page = me.get("/me/plan")

    sections = page.soup.select("section.app-plan-area")
    assert [s["id"] for s in sections] == [f"area-{a.value}" for a in PLAN_AREAS]
    contents = [a["href"] for a in page.soup.select("#contents a")]
    assert contents == [f"#area-{a.value}" for a in PLAN_AREAS]
    for section, area in zip(sections, PLAN_AREAS, strict=True):
        text = _text(section)
        assert section.h2.get_text(" ", strip=True).endswith(area.title)
        assert CURRENT_SITUATION[area] in text
        for heading in ("How things are now", "In your words", "If things go wrong"):
            assert heading in text

    finance = _text(page.soup.find(id="area-finance"))
    assert "Open a bank account with a debit card" in finance
    assert "Who You" in finance and "By when 16 March 2026 Overdue" in finance
    assert "How we will know You show your personal adviser your bank card" in finance
    assert "Status Not started" in finance
    assert "You run out of money before payday" in finance

    assert "Who Your personal adviser (Adviser One)" in _text(page.soup.find(id="area-contact_support"))
    assert "Who Mrs Patel" in _text(page.soup.find(id="area-identity"))
    accommodation = page.soup.find(id="area-accommodation")
    assert accommodation.select_one(".app-your-words").get_text(strip=True) == (
        "I like it at Mrs Patel's but I want my own flat by the time I am 19.")
    assert LODGINGS_CONTINGENCY_TEXT in _text(accommodation)
    # The contingency area points to the parts with plans for when things go wrong.
    assert [a["href"] for a in page.soup.find(id="area-contingency").select("ul a")] == [
        "#area-accommodation", "#area-finance"]


def test_plan_details_personal_adviser_and_the_pdf_link(me, plan, world):
    page = me.get("/me/plan")
    details = _text(page.soup.find(id="plan-details"))
    assert "Your personal adviser Adviser One" in details
    assert page.soup.find(id="plan-details").find("a", href=f"mailto:{world.adviser.email}") is not None
    assert "Plan date 2 March 2026" in details
    assert "Why we made this plan First pathway plan" in details
    assert "Signed off 2 March 2026 by Manager North" in details
    assert "Next review due By 2 September 2026" in details
    link = page.soup.find("a", href="/me/plan/pdf")
    assert link.get_text(strip=True) == "Download your plan (PDF)"
    assert page.soup.find(id="review-banner") is None
    assert page.soup.find("a", href="/me/plan/ask-for-review") is not None
    assert len(_audits("view", "pathway_plan")) == 1


def test_no_plan_yet(me, world):
    page = me.get("/me/plan")
    assert page.h1 == "Your pathway plan"
    assert "You do not have a signed-off pathway plan yet." in page.text
    assert "Your personal adviser will write it with you." in page.text
    assert page.soup.select("section.app-plan-area") == []
    assert page.soup.find("a", href="/me/plan/pdf") is None
    assert page.soup.find(id="review-banner") is None
    me.get("/me/plan/pdf", status=404)


def test_a_first_plan_being_written_asks_for_their_words_but_shows_no_draft(me, world):
    draft = plan_service.start_plan(world.person, by=world.adviser, today=PLAN_DATE)
    _entry(draft, PlanArea.HEALTH).current_situation = "Draft text from the adviser"
    db.session.commit()
    page = me.get("/me/plan")
    banner = page.soup.find(id="review-banner")
    assert "Your plan is being written" in _text(banner)
    assert len(banner.find_all("a")) == 10
    assert "Draft text from the adviser" not in page.text
    assert page.soup.find(id="your-words-health") is not None


def test_review_in_progress_banner_links_to_adding_their_words(me, review):
    page = me.get("/me/plan")
    banner = page.soup.find(id="review-banner")
    assert "Your plan is being reviewed" in _text(banner)
    assert [a["href"] for a in banner.find_all("a")] == [f"/me/plan/your-words/{a.value}" for a in PLAN_AREAS]
    # Each part has its own link to add their words, which htmx can open in place.
    link = page.soup.find(id="your-words-health").find("a")
    assert link["href"] == link["hx-get"] == "/me/plan/your-words/health"
    assert link["hx-target"] == "#your-words-health"
    # The signed-off plan is still the one shown.
    assert "Next review due By 2 September 2026" in _text(page.soup.find(id="plan-details"))


def test_they_only_ever_see_their_own_plan(app, make, world, plan, frozen):
    build_plan(make, world.other_person, world.other_adviser, world.other_manager, today=date(2026, 1, 5))
    aisha = PageClient(app).sign_in_as(world.other_person.user)
    page = aisha.get("/me/plan")
    assert "Adviser South" in _text(page.soup.find(id="plan-details"))
    assert "Plan date 5 January 2026" in page.text
    assert "Adviser One" not in page.text and "Jordan" not in page.text

    nobody = make.young_person(world.adviser, account=True, given_name="Rae")
    page = PageClient(app).sign_in_as(nobody.user).get("/me/plan")
    assert "You do not have a signed-off pathway plan yet." in page.text
    assert "Open a bank account" not in page.text


@pytest.mark.parametrize("who", ["adviser", "manager", "admin"])
def test_staff_cannot_use_the_young_persons_plan_pages(app, world, plan, who):
    client = PageClient(app).sign_in_as(getattr(world, who))
    for url in ("/me/plan", "/me/plan/pdf", "/me/plan/your-words/health", "/me/plan/ask-for-review"):
        client.get(url, status=404)


def test_the_page_takes_the_same_number_of_queries_however_big_the_plan(app, make, world, frozen):
    small = make.young_person(world.adviser, account=True)
    big = make.young_person(world.adviser, account=True)
    build_plan(make, small, world.adviser, world.manager, today=PLAN_DATE)
    build_plan(make, big, world.adviser, world.manager, today=PLAN_DATE, extra_targets=30)
    plan_service.start_plan(small, by=world.adviser, today=PLAN_DATE)
    plan_service.start_plan(big, by=world.adviser, today=PLAN_DATE)

    def count(person) -> int:
        client = PageClient(app).sign_in_as(person.user)
        statements = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            page = client.get("/me/plan")
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        assert page.soup.select("section.app-plan-area")
        return len(statements)

    small_count, big_count = count(small), count(big)
    assert small_count > 5
    assert small_count == big_count


# --- in your words ----------------------------------------------------------------------------------

def test_words_are_saved_audited_and_shown(me, review, world):
    page = me.get("/me/plan/your-words/health")
    assert page.title.startswith("In your words")
    form = page.soup.find("form", action="/me/plan/your-words/health")
    assert form.find("textarea", attrs={"name": "words"}).get_text() == "I hate the dentist but I know I need to go."
    assert not form.has_attr("hx-post")  # a full page posts the ordinary way
    version = form.find("input", attrs={"name": "version"})["value"]

    response = me.post("/me/plan/your-words/health", {
        "words": "I booked the dentist myself.\r\nStill scared though.", "version": version,
        "started_from": form.find("input", attrs={"name": "started_from"})["value"],
    }, status=303)
    assert response.response.headers["Location"] == "/me/plan#area-health"

    entry = _entry(review, PlanArea.HEALTH)
    assert entry.young_person_words == "I booked the dentist myself.\nStill scared though."
    assert entry.young_person_words_at is not None
    events = _audits("update", "plan_area")
    assert [(e.record_id, e.changed_fields, e.user_id) for e in events] == [
        (entry.id, "young_person_words", world.person_user.id)]

    page = me.get("/me/plan")
    assert "Your words about health and development, including mental health have been saved." in page.text
    mine = page.soup.find(id="your-words-health")
    assert "I booked the dentist myself." in _text(mine)
    assert mine.find("a").get_text(" ", strip=True).startswith("Change your words")


def test_words_render_as_text_not_html(me, review):
    version = _entry(review, PlanArea.IDENTITY).version
    me.post("/me/plan/your-words/identity", {"words": '<script>alert("x")</script><b>me</b>', "version": version},
            status=303)
    page = me.get("/me/plan")
    mine = page.soup.find(id="your-words-identity")
    assert mine.find("script") is None and mine.find("b") is None
    assert '<script>alert("x")</script><b>me</b>' in mine.get_text()


def test_words_that_are_too_long_or_hidden_characters_are_refused(me, review):
    entry = _entry(review, PlanArea.FINANCE)
    for words, message in (("x" * 5001, "Your words must be 5,000 characters or fewer"),
                           ("money\u202eevil", "Your words must not contain hidden or control characters")):
        page = me.post("/me/plan/your-words/finance", {"words": words, "version": entry.version}, status=200)
        assert page.title.startswith("Error: ")
        assert page.errors() == [message]
        assert page.soup.find("textarea", attrs={"name": "words"}).get_text() == words
    assert _entry(review, PlanArea.FINANCE).young_person_words == ""


def test_no_words_can_be_added_when_nothing_is_being_reviewed(me, plan):
    page = me.get("/me/plan/your-words/health")
    assert page.h1 == "You cannot add your words at the moment"
    assert "Your plan is not being written or reviewed at the moment" in page.text
    assert page.soup.find("textarea") is None
    assert page.soup.find("a", href="/me/plan/ask-for-review") is not None

    page = me.post("/me/plan/your-words/health", {"words": "Please keep this", "version": "1"}, status=409)
    assert "Nothing has been saved." in page.text
    assert page.soup.find(id="what-you-typed").get_text(strip=True) == "Please keep this"
    assert _entry(plan, PlanArea.HEALTH).young_person_words == "I hate the dentist but I know I need to go."
    assert _audits("update", "plan_area") == []


def test_unknown_area_is_not_found(me, review):
    me.get("/me/plan/your-words/astrology", status=404)
    me.post("/me/plan/your-words/astrology", {"words": "x", "version": "1"}, status=404)


def test_a_stale_version_shows_both_texts_and_loses_nothing(me, review, world):
    page = me.get("/me/plan/your-words/health")
    form = page.soup.find("form", action="/me/plan/your-words/health")
    stale = {name: form.find("input", attrs={"name": name})["value"] for name in ("version", "started_from")}
    # Meanwhile, on their other phone, they saved something else.
    entry = _entry(review, PlanArea.HEALTH)
    plan_service.update_young_person_words(entry, expected_version=entry.version, by=world.person_user,
                                           words="Saved from my other phone")

    page = me.post("/me/plan/your-words/health", {"words": "Typed on this phone", **stale}, status=409)

    assert page.h1 == "Your words were changed somewhere else"
    assert page.soup.find(id="saved-now-health").get_text(strip=True) == "Saved from my other phone"
    textarea = page.soup.find("textarea", attrs={"name": "words"})
    assert textarea.get_text() == "Typed on this phone"
    new_version = page.soup.find("input", attrs={"name": "version"})["value"]
    assert int(new_version) == _entry(review, PlanArea.HEALTH).version
    assert _entry(review, PlanArea.HEALTH).young_person_words == "Saved from my other phone"

    # Saving again from the conflict page keeps theirs.
    started_from = page.soup.find("input", attrs={"name": "started_from"})["value"]
    me.post("/me/plan/your-words/health", {"words": "Typed on this phone", "version": new_version,
                                           "started_from": started_from}, status=303)
    assert _entry(review, PlanArea.HEALTH).young_person_words == "Typed on this phone"


def test_their_adviser_saving_the_same_area_is_not_a_conflict(me, review, world):
    form = me.get("/me/plan/your-words/health").soup.find("form", action="/me/plan/your-words/health")
    fields = {name: form.find("input", attrs={"name": name})["value"] for name in ("version", "started_from")}
    entry = _entry(review, PlanArea.HEALTH)
    plan_service.update_area(entry, expected_version=entry.version, by=world.adviser,
                             current_situation="You saw the dentist in March.")

    me.post("/me/plan/your-words/health", {"words": "My words", **fields}, status=303)

    entry = _entry(review, PlanArea.HEALTH)
    assert (entry.current_situation, entry.young_person_words) == ("You saw the dentist in March.", "My words")


def test_young_person_cannot_change_adviser_fields(me, review):
    entry = _entry(review, PlanArea.HEALTH)
    me.post("/me/plan/your-words/health", {
        "words": "Mine", "version": entry.version, "current_situation": "Changed by the young person",
        "what": "A new target", "due_on": ["1", "1", "2027"],
    }, status=303)
    entry = _entry(review, PlanArea.HEALTH)
    assert entry.young_person_words == "Mine"
    assert entry.current_situation == CURRENT_SITUATION[PlanArea.HEALTH]
    assert "A new target" not in [t.what for t in review.targets]


def test_htmx_gets_the_form_fragment_and_the_page_gets_the_full_page(me, review):
    fragment = me.get("/me/plan/your-words/health", htmx=True)
    form = fragment.soup.find("form")
    assert fragment.soup.find(id="words-form-health") is not None
    assert form["action"] == form["hx-post"] == "/me/plan/your-words/health"
    assert form["hx-target"] == "#area-health"
    assert fragment.soup.find("textarea")["id"] == "words-health"

    page = me.get("/me/plan/your-words/health")
    assert page.soup.find("html") is not None
    assert page.h1 == "In your words"
    assert page.soup.find("form").get("hx-post") is None


def test_htmx_save_returns_the_updated_area(me, review):
    entry = _entry(review, PlanArea.HEALTH)
    section = me.post("/me/plan/your-words/health", {"words": "Saved in place", "version": entry.version},
                      htmx=True, status=200)
    area = section.soup.find("section", id="area-health")
    assert area is not None
    assert "Saved in place" in _text(area.find(id="your-words-health"))
    assert area.select_one(".app-saved") is not None
    assert "HX-Retarget" not in section.response.headers
    assert _entry(review, PlanArea.HEALTH).young_person_words == "Saved in place"


def test_htmx_errors_and_conflicts_go_back_in_place_of_the_form(me, review, world):
    entry = _entry(review, PlanArea.HEALTH)
    page = me.post("/me/plan/your-words/health", {"words": "x" * 5001, "version": entry.version},
                   htmx=True, status=200)
    assert page.response.headers["HX-Retarget"] == "#words-form-health"
    assert page.response.headers["HX-Reswap"] == "outerHTML"
    assert page.errors() == ["Your words must be 5,000 characters or fewer"]

    plan_service.update_young_person_words(entry, expected_version=entry.version, by=world.person_user,
                                           words="Somewhere else")
    page = me.post("/me/plan/your-words/health", {"words": "Here", "version": "1", "started_from": "stale"},
                   htmx=True, status=409)
    assert page.response.headers["HX-Retarget"] == "#words-form-health"
    assert page.soup.find(id="saved-now-health").get_text(strip=True) == "Somewhere else"
    assert page.soup.find("textarea").get_text() == "Here"


# --- asking for a review -------------------------------------------------------------------------------

def test_asking_for_a_review_is_stored_audited_and_their_adviser_is_emailed(me, plan, world):
    page = me.get("/me/plan/ask-for-review")
    assert page.h1 == "Ask for a review of your plan"
    assert page.soup.find("label", attrs={"for": "message"}).get_text(strip=True) == "Tell us why (optional)"

    response = me.post("/me/plan/ask-for-review", {"message": "I am moving to Leeds"}, status=303)
    assert response.response.headers["Location"] == "/me/plan/review-requested"

    request = db.session.scalars(select(ReviewRequest)).one()
    assert (request.young_person_id, request.message, request.resolved_at) == (world.person.id,
                                                                              "I am moving to Leeds", None)
    event_ = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "request_review")).one()
    assert (event_.record_id, event_.young_person_id, event_.user_id) == (request.id, world.person.id,
                                                                          world.person_user.id)
    email = db.session.scalars(select(OutboxEmail)).one()
    assert email.to == world.adviser.email
    assert email.subject == "Jordan Taylor has asked for a pathway plan review"
    assert f"/young-people/{world.person.id}" in email.body
    assert "I am moving to Leeds" not in email.body  # what they wrote stays in the service

    page = me.get("/me/plan/review-requested")
    assert page.soup.select_one(".govuk-panel__title").get_text(strip=True) == "We have told your personal adviser"
    assert "You asked for a review on 20 March 2026." in _text(page.soup.find(id="pending-requests"))
    assert "I am moving to Leeds" in page.text
    assert "You asked for a review on 20 March 2026." in me.get("/me/plan").text
    assert "You have already asked" in me.get("/me/plan/ask-for-review").text


def test_asking_for_a_review_without_a_message(me, world):
    me.post("/me/plan/ask-for-review", {"message": ""}, status=303)
    assert db.session.scalars(select(ReviewRequest)).one().message == ""


def test_a_review_message_that_is_too_long_is_refused(me):
    page = me.post("/me/plan/ask-for-review", {"message": "x" * 2001}, status=200)
    assert page.title.startswith("Error: ")
    assert page.errors() == ["Your message must be 2,000 characters or fewer"]
    assert db.session.scalars(select(ReviewRequest)).all() == []
    assert db.session.scalars(select(OutboxEmail)).all() == []


def test_asking_for_a_review_without_an_adviser(app, make, frozen):
    person = make.young_person(None, account=True, given_name="Rae")
    client = PageClient(app).sign_in_as(person.user)
    client.post("/me/plan/ask-for-review", {"message": ""}, status=303)
    page = client.get("/me/plan/review-requested")
    assert page.h1 == "We have saved your request"
    assert db.session.scalars(select(OutboxEmail)).all() == []
    assert db.session.scalars(select(ReviewRequest)).one().young_person_id == person.id


def test_the_confirmation_page_without_a_request_goes_to_the_form(me):
    response = me.get("/me/plan/review-requested", status=303)
    assert response.response.headers["Location"] == "/me/plan/ask-for-review"
