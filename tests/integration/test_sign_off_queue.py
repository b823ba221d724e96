"""The manager's sign-off queue (issue 6 section 4): submitted plans, oldest first, with their quality check."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from pathway.extensions import db
from pathway.models import PlanStatus
from pathway.services import plans as plan_service
from tests.helpers import PageClient, count_queries
from tests.plan_builders import BANK_TARGET_TEXT, build_plan

QUEUE = "/manager/sign-off"
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


def submit_on(when: datetime, make, person, adviser):
    """A good plan for ``person`` sent for sign-off at ``when``."""
    with time_machine.travel(when, tick=False):
        return build_plan(make, person, adviser, None, today=when.date(), signed_off=False)


def rows(page) -> list[str]:
    return [row.find("th").get_text(" ", strip=True) for row in page.soup.select("#sign-off-table tbody tr")]


def test_oldest_submission_first_with_who_sent_it_and_days_waiting(client: PageClient, make, world):
    submit_on(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), make, world.person, world.adviser)
    submit_on(datetime(2026, 11, 2, 9, 0, tzinfo=UTC), make, world.colleague_person, world.colleague)
    submit_on(datetime(2026, 11, 1, 9, 0, tzinfo=UTC), make, world.other_person, world.other_adviser)  # South
    client.sign_in_as(world.manager)
    page = client.get(QUEUE)
    assert page.h1 == "Plans waiting for sign-off"
    names = rows(page)
    assert len(names) == 2  # not the other team's plan
    assert names[0].startswith("Callum Robson") and names[1].startswith("Jordan Taylor")
    first = page.soup.select("#sign-off-table tbody tr")[0].get_text(" ", strip=True)
    assert "Adviser Two" in first
    assert "2 November 2026" in first and "20 days waiting" in first
    assert "First plan" in first
    link = page.soup.select_one("#sign-off-table tbody tr th a")
    assert link["href"] == f"/young-people/{world.colleague_person.id}/plan/decision"
    assert "Aisha" not in page.text


def test_quality_check_results_are_shown(client: PageClient, make, world):
    # Sent on 2 November: by 22 November the bank account target (due 14 days after) is overdue.
    submit_on(datetime(2026, 11, 2, 9, 0, tzinfo=UTC), make, world.person, world.adviser)
    # A plan with hard gaps (sent for sign-off before the check existed): nothing written yet.
    gappy = plan_service.start_plan(world.colleague_person, by=world.colleague, today=date(2026, 11, 10))
    gappy.status = PlanStatus.SUBMITTED
    gappy.submitted_at = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    gappy.submitted_by_id = world.colleague.id
    db.session.commit()
    client.sign_in_as(world.manager)
    page = client.get(QUEUE)
    good, bad = page.soup.select("#sign-off-table tbody tr")
    good_text = good.get_text(" ", strip=True)
    assert "1 warning" in good_text and "hard gap" not in good_text
    assert f'The target "{BANK_TARGET_TEXT}" in Financial support was due on 16 November 2026.' in good_text
    bad_text = bad.get_text(" ", strip=True)
    # 10 areas with no text, 9 with no target (not contingency plans), no contingency; no young person's words.
    assert "20 hard gaps" in bad_text and "1 warning" in bad_text
    assert "Describe the current situation for Contact and personal support." in bad_text
    assert "and 18 more" in bad_text  # the first three of 21 messages are shown


def test_passing_plan_says_so(client: PageClient, make, world):
    submit_on(datetime(2026, 11, 21, 9, 0, tzinfo=UTC), make, world.person, world.adviser)
    client.sign_in_as(world.manager)
    page = client.get(QUEUE)
    assert "Passes" in page.soup.select_one("#sign-off-table tbody tr").get_text(" ", strip=True)
    assert "Review" not in rows(page)[0]


def test_review_is_labelled(client: PageClient, make, world):
    with time_machine.travel(datetime(2026, 5, 1, 9, 0, tzinfo=UTC), tick=False):
        build_plan(make, world.person, world.adviser, world.manager, today=date(2026, 5, 1))
    with time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), tick=False):
        review = plan_service.start_plan(world.person, by=world.adviser, today=date(2026, 11, 20))
        plan_service.submit(review, expected_version=review.version, by=world.adviser, today=date(2026, 11, 20))
    client.sign_in_as(world.manager)
    page = client.get(QUEUE)
    assert "Review (version 2)" in rows(page)[0]


def test_empty_queue_and_htmx_fragment_with_filter(client: PageClient, make, world):
    client.sign_in_as(world.manager)
    assert "No plans are waiting for sign-off." in client.get(QUEUE).text
    submit_on(datetime(2026, 11, 2, 9, 0, tzinfo=UTC), make, world.person, world.adviser)
    submit_on(datetime(2026, 11, 3, 9, 0, tzinfo=UTC), make, world.colleague_person, world.colleague)
    page = client.get(QUEUE)
    assert page.soup.select_one("select#adviser") is not None  # two advisers: a filter
    fragment = client.get(f"{QUEUE}?adviser={world.colleague.id}", htmx=True)
    full = client.get(f"{QUEUE}?adviser={world.colleague.id}")
    unknown = client.get(f"{QUEUE}?adviser=99999", htmx=True)
    assert fragment.soup.find("h1") is None
    assert [r.split(" ")[0] for r in rows(fragment)] == ["Callum"]
    assert [r.split(" ")[0] for r in rows(full)] == ["Callum"]
    assert len(rows(unknown)) == 2  # an unknown adviser shows everyone


def test_query_count_does_not_grow_with_the_queue(client: PageClient, make, world):
    submit_on(datetime(2026, 11, 2, 9, 0, tzinfo=UTC), make, world.person, world.adviser)
    client.sign_in_as(world.manager)
    client.get(QUEUE)
    small = count_queries(lambda: client.get(QUEUE))
    submit_on(datetime(2026, 11, 3, 9, 0, tzinfo=UTC), make, world.colleague_person, world.colleague)
    for n in range(3):
        person = make.young_person(world.adviser, given_name=f"Extra{n}")
        db.session.commit()
        submit_on(datetime(2026, 11, 4 + n, 9, 0, tzinfo=UTC), make, person, world.adviser)
    assert len(rows(client.get(QUEUE))) == 5
    large = count_queries(lambda: client.get(QUEUE))
    assert large == small


def test_advisers_and_others_cannot_see_the_queue(client: PageClient, world):
    client.sign_in_as(world.adviser)
    client.get(QUEUE, status=404)
    other = PageClient(client.app).sign_in_as(world.admin)
    other.get(QUEUE, status=404)


def test_other_teams_manager_sees_only_their_own(client: PageClient, make, world):
    submit_on(datetime(2026, 11, 2, 9, 0, tzinfo=UTC), make, world.person, world.adviser)
    client.sign_in_as(world.other_manager)
    page = client.get(QUEUE)
    assert "Jordan" not in page.text
    assert "No plans are waiting for sign-off." in page.text
