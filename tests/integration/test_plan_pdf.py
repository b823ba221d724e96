"""The young person's copy as a PDF: "Your pathway plan", written to them, PDF/UA, audited."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from pypdf import PdfReader
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import AuditEvent, PlanAreaEntry
from pathway.rules.plan_areas import PLAN_AREAS, PlanArea
from pathway.services.plan_pdf import plan_html, plan_pdf
from tests.plan_builders import BANK_TARGET_TEXT, LODGINGS_CONTINGENCY_TEXT, MONEY_CONTINGENCY_TEXT, build_plan

PLAN_DATE = date(2026, 3, 2)
NOON = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def plan(make, world, frozen):
    return build_plan(make, world.person, world.adviser, world.manager, today=PLAN_DATE)


def pdf_text(data: bytes) -> str:
    """All the text, with runs of white space made single spaces (lines wrap where they like)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def test_download_is_the_plan_written_to_them(client, world, plan, frozen):
    client.sign_in_as(world.person_user)
    response = client.request("get", "/me/plan/pdf")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="your-pathway-plan.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.startswith(b"%PDF")

    text = pdf_text(response.data)
    assert text.startswith("Your pathway plan Jordan Taylor Northshire Council")
    assert "Hello Jordan. This is your pathway plan." in text
    for area in PLAN_AREAS:
        assert f"{area.number}. {area.title}" in text, area
    assert BANK_TARGET_TEXT in text
    assert "You show your personal adviser your bank card" in text
    assert "Who will do it Your personal adviser (Adviser One)" in text
    assert "Who will do it You" in text
    assert "By 16 March 2026 (overdue)" in text
    assert LODGINGS_CONTINGENCY_TEXT in text and MONEY_CONTINGENCY_TEXT in text
    assert "I hate the dentist but I know I need to go." in text
    assert "Plan date 2 March 2026" in text
    assert "Why we made this plan First pathway plan" in text
    assert "Signed off 2 March 2026 by Manager North" in text
    assert "Next review due By 2 September 2026" in text
    assert f"Adviser One, {world.adviser.email}" in text
    assert "Page 1 of" in text
    pages = len(PdfReader(io.BytesIO(response.data)).pages)
    assert f"Page {pages} of {pages}" in text


def test_download_is_audited(client, world, plan, frozen):
    client.sign_in_as(world.person_user)
    assert client.request("get", "/me/plan/pdf").status_code == 200
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "download_pdf")).all()
    assert [(e.record_type, e.record_id, e.young_person_id, e.user_id) for e in events] == [
        ("pathway_plan", plan.id, world.person.id, world.person_user.id)]


def test_the_pdf_is_pdf_ua_with_a_title_and_language(client, world, plan, frozen):
    client.sign_in_as(world.person_user)
    reader = PdfReader(io.BytesIO(client.request("get", "/me/plan/pdf").data))
    root = reader.trailer["/Root"]
    # WeasyPrint compresses the XMP stream, so read it through the PDF's structure.
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"' in xmp
    assert re.search(r'pdfuaid:part="1"', xmp)
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged, so screen readers can follow it
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == "Your pathway plan: Jordan Taylor"
    assert reader.pdf_header == "%PDF-1.7"


def test_what_people_typed_is_text_in_the_pdf(app_ctx, world, plan):
    entry = db.session.scalar(select(PlanAreaEntry).where(PlanAreaEntry.plan_id == plan.id,
                                                          PlanAreaEntry.area == PlanArea.IDENTITY))
    entry.young_person_words = '<img src="file:///etc/passwd"><b>Bold?</b> & </style>'
    html = plan_html(plan, world.person, world.adviser, today=date(2026, 3, 20))
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;&lt;b&gt;Bold?&lt;/b&gt; &amp; &lt;/style&gt;" in html
    text = pdf_text(plan_pdf(plan, world.person, world.adviser, today=date(2026, 3, 20)))
    assert '<img src="file:///etc/passwd"><b>Bold?</b> & </style>' in text
    db.session.rollback()


def test_staff_can_make_the_same_pdf_without_a_request(app_ctx, world, plan):
    """plan_pdf is what the staff download calls too."""
    data = plan_pdf(plan, world.person, None, today=date(2026, 3, 20))
    text = pdf_text(data)
    assert text.startswith("Your pathway plan Jordan Taylor")
    assert "You do not have a personal adviser at the moment." in text


def test_no_plan_no_pdf(client, world):
    client.sign_in_as(world.person_user)
    assert client.get("/me/plan/pdf", status=404).h1 == "Page not found"
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "download_pdf")).all() == []
