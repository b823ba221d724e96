"""Subject access (issue 8 section 8): everything held about a young person, found from the schema.

The export's tables are found by walking the foreign keys to the young person, and so is this test's
list of what it must cover: a table added later with a link to the young person fails
``test_export_covers_every_table_linked_to_the_young_person`` until the export includes it (it
will, without edits, since both walk the schema), and fails ``test_export_holds_rows_from_every_linked_table``
until ``full_record`` below puts a row in it, so the export of its rows is actually exercised.
"""

from __future__ import annotations

import io
import json

import pytest
import time_machine
from pypdf import PdfReader
from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import AuditEvent
from pathway.queries.personal_data import collect, is_secret_column, linked_tables
from pathway.services import subject_access
from tests.helpers import count_queries
from tests.plan_builders import BANK_TARGET_TEXT
from tests.rights_builders import HELP_MESSAGE, NOON, OTHER_MESSAGE, SESSION_HASH, TOKEN_HASH, build_full_record


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def walk_schema_from_young_person() -> set[str]:
    """This test's own walk: young_person and every table with a chain of foreign keys to it."""
    linked = {"young_person"}
    while True:
        more = {t.name for t in db.metadata.tables.values()
                if t.name not in linked and any(fk.column.table.name in linked for fk in t.foreign_keys)}
        if not more:
            return linked
        linked |= more


@pytest.fixture
def full_record(frozen, make, world):  # the clock first: the record is made at NOON
    build_full_record(make, world)
    return world


def export_for(world) -> dict:
    return subject_access.build_export(world.person, by=world.manager, today=NOON.date())


def test_export_covers_every_table_linked_to_the_young_person(app_ctx, full_record):
    export = export_for(full_record)
    missing = walk_schema_from_young_person() - set(export["tables"])
    assert not missing, f"tables linked to young_person missing from the export: {sorted(missing)}"
    # And the young person's account and what hangs off it.
    assert {"user", "auth_session", "one_time_token", "saved_form"} <= set(export["tables"])


def test_export_holds_rows_from_every_linked_table(app_ctx, full_record):
    """Every linked table has rows in the export, and exactly the rows that name the young person."""
    world = full_record
    export = export_for(world)
    empty = sorted(name for name in walk_schema_from_young_person() if not export["tables"][name]["rows"])
    assert not empty, f"put a row in these tables in build_full_record: {empty}"
    for table in db.metadata.tables.values():
        if "young_person_id" in table.c and table.name in export["tables"]:
            held = db.session.scalar(select(func.count()).select_from(table)
                                     .where(table.c.young_person_id == world.person.id))
            assert len(export["tables"][table.name]["rows"]) == held, table.name
    assert [r["id"] for r in export["tables"]["young_person"]["rows"]] == [world.person.id]
    assert [r["email"] for r in export["tables"]["user"]["rows"]] == [world.person_user.email]
    targets = export["tables"]["plan_target"]["rows"]
    assert BANK_TARGET_TEXT in [t["what"] for t in targets]
    assert [p["amount_pence"] for p in export["tables"]["payment"]["rows"]] == [5000]
    assert [h["message"] for h in export["tables"]["help_request"]["rows"]] == [HELP_MESSAGE]


def test_export_has_nothing_about_anyone_else(app_ctx, full_record):
    world = full_record
    text = subject_access.export_json(export_for(world))
    assert OTHER_MESSAGE not in text
    assert world.other_person.family_name not in text
    assert 7000 not in [c["approved_pence"] for c in json.loads(text)["tables"]["claim"]["rows"]]
    assert world.adviser.email not in text  # staff are named, but their accounts are not exported


def test_export_never_holds_secrets(app_ctx, full_record):
    world = full_record
    export = export_for(world)
    text = subject_access.export_json(export)
    assert world.person_user.password_hash not in text
    assert TOKEN_HASH not in text and SESSION_HASH not in text
    assert "password_hash" not in json.dumps(export["tables"])
    assert export["withheld_columns"]["user"] == ["password_hash"]
    assert export["withheld_columns"]["auth_session"] == ["token_hash"]
    assert export["withheld_columns"]["one_time_token"] == ["token_hash"]
    for table, columns in export["withheld_columns"].items():
        for row in export["tables"][table]["rows"]:
            assert not set(columns) & set(row), table


def test_export_includes_who_looked_at_the_record(client, full_record):
    world = full_record
    client.sign_in_as(world.adviser)
    client.get(f"/young-people/{world.person.id}")
    export = export_for(world)
    views = [e for e in export["audit_events"] if e["action"] == "view" and e["record_type"] == "young_person"]
    assert views and views[-1]["by"] == "Adviser One" and views[-1]["about_your_record"] is True
    assert export["people_named"][str(world.adviser.id)] == "Adviser One"
    assert export["retention"]["kept_until"] == "2082-05-17"


def test_manager_page_and_downloads(client, full_record):
    world = full_record
    client.sign_in_as(world.manager)
    record = client.get(f"/young-people/{world.person.id}")
    link = record.soup.find(id="open-subject-access")
    assert link["href"] == f"/manager/young-people/{world.person.id}/subject-access"

    page = client.get(link["href"])
    assert page.h1 == "Subject access: a copy of everything we hold"
    contents = page.soup.find(id="subject-access-contents").get_text(" ", strip=True)
    assert "Pathway plan targets" in contents and "Requests for help 1" in contents

    response = client.request("get", page.soup.find(id="download-subject-access-json")["href"])
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="subject-access-{world.person.id}-2026-03-20.json"')
    data = json.loads(response.data)
    assert data["generated_by"] == "Manager North"
    assert data["tables"]["young_person"]["rows"][0]["given_name"] == "Jordan"

    response = client.request("get", page.soup.find(id="download-subject-access-pdf")["href"])
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
    assert text.startswith("Everything we hold about you Jordan Taylor, record number")
    assert "Pathway plan targets" in text and BANK_TARGET_TEXT in text
    assert HELP_MESSAGE in text
    assert "Who has looked at or changed your record" in text
    assert "which is 17 May 2082" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.metadata.title == "Everything we hold about you: Jordan Taylor"

    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.user_id, AuditEvent.young_person_id)
        .where(AuditEvent.action.in_(["subject_access_json", "subject_access_pdf"])).order_by(AuditEvent.id)
    ).all()
    assert events == [("subject_access_json", world.manager.id, world.person.id),
                      ("subject_access_pdf", world.manager.id, world.person.id)]


@pytest.mark.parametrize("suffix", ["", ".json", ".pdf"])
def test_other_teams_manager_and_advisers_get_404(client, world, suffix):
    url = f"/manager/young-people/{world.person.id}/subject-access{suffix}"
    client.sign_in_as(world.other_manager)
    client.get(url, status=404)
    other = type(client)(client.app)
    other.sign_in_as(world.adviser)
    other.get(url, status=404)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action.like("subject_access%"))) == 0


def test_adviser_record_page_has_no_subject_access_link(client, world):
    client.sign_in_as(world.adviser)
    page = client.get(f"/young-people/{world.person.id}")
    assert page.soup.find(id="open-subject-access") is None


def test_command_writes_json_and_pdf(app, full_record, tmp_path):
    world = full_record
    runner = app.test_cli_runner()
    out, pdf = tmp_path / "export.json", tmp_path / "export.pdf"
    result = runner.invoke(args=["pathway", "export-person", str(world.person.id), "--output", str(out),
                                 "--pdf", str(pdf)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["young_person"]["id"] == world.person.id
    assert data["generated_by"].startswith("Command line")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "Exported record" in result.stderr
    events = db.session.execute(select(AuditEvent.action, AuditEvent.user_id)
                                .where(AuditEvent.young_person_id == world.person.id,
                                       AuditEvent.action.like("subject_access%"))).all()
    assert sorted(events) == [("subject_access_json", None), ("subject_access_pdf", None)]


def test_command_writes_to_standard_output_and_refuses_unknown_ids(app, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["pathway", "export-person", str(world.person.id)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["young_person"]["name"] == "Jordan Taylor"
    result = runner.invoke(args=["pathway", "export-person", "999999"])
    assert result.exit_code == 1
    assert "There is no young person with record number 999999" in result.output


def test_collecting_a_record_asks_each_table_a_few_times_at_most(app_ctx, full_record):
    """The schema walk queries each linked table once per round, not once per row."""
    world = full_record
    queries = count_queries(lambda: collect(world.person))
    assert queries <= 3 * len(linked_tables())


def test_a_table_added_later_is_found_by_the_walk():
    """linked_tables reads the schema: a new table two links away from young_person is included."""
    from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

    metadata = MetaData()
    Table("user", metadata, Column("id", Integer, primary_key=True))
    Table("young_person", metadata, Column("id", Integer, primary_key=True),
          Column("user_id", ForeignKey("user.id")))
    Table("tenancy", metadata, Column("id", Integer, primary_key=True),
          Column("young_person_id", ForeignKey("young_person.id")))
    Table("rent_payment", metadata, Column("id", Integer, primary_key=True),
          Column("tenancy_id", ForeignKey("tenancy.id")))
    Table("sign_in_key", metadata, Column("id", Integer, primary_key=True), Column("user_id", ForeignKey("user.id")),
          Column("key_hash", String(64)))
    Table("council_fact", metadata, Column("id", Integer, primary_key=True))

    names = [t.name for t in linked_tables(metadata)]
    assert set(names) == {"user", "young_person", "tenancy", "rent_payment", "sign_in_key"}
    assert names.index("tenancy") < names.index("rent_payment")  # parents first: deleted last


@pytest.mark.parametrize(("column", "secret"), [
    ("password_hash", True), ("token_hash", True), ("secret", True), ("totp_secret", True), ("code_hash", True),
    ("recovery_codes", True), ("email", False), ("notes", False), ("hashtag", False), ("created_at", False),
])
def test_secret_columns_are_recognised(column, secret):
    assert is_secret_column(column) is secret
