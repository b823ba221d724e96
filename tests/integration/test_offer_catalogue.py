"""The offer catalogue: loading a council's file, admin changes that keep history, the council's area."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import AuditEvent, Claim, ClaimStatus, CouncilSetting, Entitlement, EntitlementVersion
from pathway.services import offer as offer_service
from pathway.services.offer_file import DEFAULT_OFFER, OfferFileError, load_offer, read_offer_file


def run_cli(app, *args):
    return app.test_cli_runner().invoke(args=["pathway", *args])


def test_shipped_offer_loads_with_national_and_local_entitlements(app, db_transaction):
    entries = read_offer_file(DEFAULT_OFFER)
    created, changed = load_offer(entries, by=None)
    assert (created, changed) == (11, 0)
    slugs = set(db.session.scalars(select(Entitlement.slug)))
    assert {"setting-up-home-allowance", "higher-education-bursary", "16-to-19-bursary", "apprenticeship-bursary",
            "junior-isa", "council-tax-reduction", "driving-lessons", "birthday-allowance", "emergency-payment",
            "deposit-and-bond"} <= slugs
    suha = db.session.scalar(select(Entitlement).where(Entitlement.slug == "setting-up-home-allowance"))
    assert (suha.current.amount_pence, suha.current.cap_pence, suha.current.needs_independent_move) == (300_000, 300_000, True)
    ctr = db.session.scalar(select(Entitlement).where(Entitlement.slug == "council-tax-reduction")).current
    assert (ctr.age_from, ctr.age_under, ctr.in_area_only, ctr.amount_pence) == (18, 25, True, None)


def test_loading_twice_changes_nothing_and_a_change_makes_a_new_version(app, db_transaction, tmp_path):
    load_offer(read_offer_file(DEFAULT_OFFER), by=None)
    assert load_offer(read_offer_file(DEFAULT_OFFER), by=None) == (0, 0)
    changed = tmp_path / "offer.yaml"
    changed.write_text(DEFAULT_OFFER.read_text().replace("amount: 250\n", "amount: 300\n"))
    assert load_offer(read_offer_file(changed), by=None) == (0, 1)
    driving = db.session.scalar(select(Entitlement).where(Entitlement.slug == "driving-lessons"))
    versions = db.session.scalars(select(EntitlementVersion.amount_pence).where(
        EntitlementVersion.entitlement_id == driving.id).order_by(EntitlementVersion.number)).all()
    assert versions == [25_000, 30_000]


def test_a_malformed_file_reports_every_problem_by_line_and_loads_nothing(app, db_transaction, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- slug: good-one\n  name: Fine\n  scope: local\n  description: ok\n  frequency: one_off\n  how_to_claim: ask\n"
        "- slug: Bad Slug\n  name: x\n  scope: regional\n  amount: -5\n  frequency: often\n"
        "  description: d\n  how_to_claim: h\n  conditions: {categories: [nobody], age_from: old}\n"
    )
    with pytest.raises(OfferFileError) as failure:
        read_offer_file(bad)
    assert failure.value.errors == [
        "Line 7: slug must be lower-case letters, numbers and hyphens, like driving-lessons",
        "Line 7: scope must be national or local",
        "Line 7: frequency must be one_off, yearly or per_claim",
        "Line 7: amount: Enter an amount more than £0",
        "Line 7: age_from must be a whole number",
        "Line 7: unknown category 'nobody' (use eligible, former_relevant, qualifying, relevant)",
    ]
    result = run_cli(app, "load-offer", str(bad))
    assert result.exit_code != 0 and "Nothing was loaded" in result.output
    assert db.session.scalar(select(func.count()).select_from(Entitlement)) == 0


@pytest.mark.parametrize("text", ["", "just a string", "- [not, a, mapping]", "key: {unclosed"])
def test_files_that_are_not_an_offer_list_get_a_clear_error(tmp_path, text):
    path = tmp_path / "offer.yaml"
    path.write_text(text)
    with pytest.raises(OfferFileError) as failure:
        read_offer_file(path)
    assert failure.value.errors and all(e.startswith("Line") or "no entitlements" in e for e in failure.value.errors)


def test_csv_offer_file(app, db_transaction, tmp_path):
    path = tmp_path / "offer.csv"
    path.write_text(
        "slug,name,scope,description,amount,cap,frequency,how_to_claim,age_from,age_under,categories,in_area_only\n"
        "laptop,Laptop,local,A laptop for your course,\"£450\",450,one_off,Ask your PA,16,25,relevant;former_relevant,yes\n"
    )
    assert load_offer(read_offer_file(path), by=None) == (1, 0)
    laptop = db.session.scalar(select(Entitlement).where(Entitlement.slug == "laptop")).current
    assert (laptop.amount_pence, laptop.categories, laptop.in_area_only) == (45_000, "relevant,former_relevant", True)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(OfferFileError, match="no such file"):
        read_offer_file(tmp_path / "nope.yaml")


@pytest.fixture
def admin(client, world):
    return client.sign_in_as(world.admin)


def form_data(**overrides):
    data = {"name": "Laptop", "slug": "laptop", "description": "A laptop for your course", "scope": "local",
            "amount": "£450", "cap": "450", "frequency": "one_off", "how_to_claim": "Ask your personal adviser",
            "age_from": "16", "age_under": "25"}
    data.update(overrides)
    return data


def test_admin_adds_an_entitlement(admin):
    admin.get("/admin/offer/new")
    admin.post("/admin/offer/new", form_data(categories=["relevant", "former_relevant"], in_area_only="y"), status=303)
    laptop = db.session.scalar(select(Entitlement).where(Entitlement.slug == "laptop"))
    terms = laptop.current
    assert (terms.name, terms.amount_pence, terms.cap_pence, terms.age_from, terms.age_under, terms.categories,
            terms.in_area_only) == ("Laptop", 45_000, 45_000, 16, 25, "relevant,former_relevant", True)
    page = admin.get("/admin/offer")
    assert "Laptop" in page.soup.select_one("#entitlements").text and "£450" in page.text


@pytest.mark.parametrize(("overrides", "message"), [
    ({"name": ""}, "Enter the name"),
    ({"slug": ""}, "Enter a short name for links"),
    ({"slug": "Not OK"}, "Short name must be lower-case letters, numbers and hyphens, like driving-lessons"),
    ({"amount": "-1"}, None),
    ({"amount": "abc"}, None),
    ({"amount": "0.001"}, None),
    ({"age_from": "18", "age_under": "16"}, "Under age must be more than the from age"),
    ({"age_from": "old"}, "From age must be a whole number of years, like 18"),
    ({"scope": ""}, "Select national or local"),
    ({"description": "x\x00y"}, "Description must not contain hidden or control characters"),
])
def test_admin_bad_input_gets_a_message_and_saves_nothing(admin, overrides, message):
    admin.get("/admin/offer/new")
    page = admin.post("/admin/offer/new", form_data(**overrides), status=200)
    errors = page.errors()
    assert errors, page.text[:500]
    if message:
        assert message in errors
    assert page.title.startswith("Error: ")
    assert db.session.scalar(select(func.count()).select_from(Entitlement)) == 0


def test_changing_terms_keeps_the_terms_an_award_was_made_under(admin, world):
    load_offer(read_offer_file(DEFAULT_OFFER), by=None)
    suha = db.session.scalar(select(Entitlement).where(Entitlement.slug == "setting-up-home-allowance"))
    old_version_id = suha.current_version_id
    db.session.add(Claim(young_person_id=world.person.id, entitlement_id=suha.id, entitlement_version_id=old_version_id,
                         status=ClaimStatus.APPROVED, requested_on=date(2026, 1, 5), approved_pence=100_000))
    db.session.commit()
    page = admin.get(f"/admin/offer/{suha.id}")
    assert page.soup.find("input", attrs={"name": "amount"})["value"] == "3000.00"
    data = form_data(name="Setting up home allowance", amount="3500", cap="3500", frequency="one_off", scope="national",
                     categories=["relevant", "former_relevant"], needs_independent_move="y", age_from="16", age_under="25",
                     version=str(suha.current.number))
    admin.post(f"/admin/offer/{suha.id}", data, status=303)
    db.session.refresh(suha)
    assert suha.current_version_id != old_version_id and suha.current.amount_pence == 350_000
    claim = db.session.scalars(select(Claim)).one()
    assert claim.terms.amount_pence == 300_000  # the award shows the terms that applied
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "entitlement",
                                                        AuditEvent.action == "update")).one()
    assert {"amount_pence", "cap_pence"} <= set(event.changed_field_list)
    history = admin.get(f"/admin/offer/{suha.id}").soup.select("#versions li")
    assert len(history) == 2


def test_withdrawing_an_entitlement_hides_it_from_the_catalogue(admin):
    load_offer(read_offer_file(DEFAULT_OFFER), by=None)
    driving = db.session.scalar(select(Entitlement).where(Entitlement.slug == "driving-lessons"))
    admin.post(f"/admin/offer/{driving.id}/withdraw", status=303)
    assert "driving-lessons" not in {e.slug for e in offer_service.list_catalogue()}
    admin.post(f"/admin/offer/{driving.id}/withdraw", status=303)
    assert "driving-lessons" in {e.slug for e in offer_service.list_catalogue()}


def test_council_area_is_a_setting(admin, app):
    version = admin.get("/admin/council-area").soup.find("input", attrs={"name": "version"})["value"]
    page = admin.post("/admin/council-area", {"name": "Northshire", "districts": "TS1-TS8, X9-Q", "version": version},
                      status=200)
    assert page.errors() and db.session.get(CouncilSetting, offer_service.AREA_DISTRICTS) is None
    admin.post("/admin/council-area", {"name": "Northshire", "districts": "TS1-TS8, DL1", "version": version},
               status=303)
    with app.test_request_context():
        name, districts = offer_service.council_area()
    assert name == "Northshire" and {"TS1", "TS8", "DL1"} <= districts


def test_other_roles_cannot_reach_the_catalogue_admin(app, world):
    from tests.helpers import PageClient

    for who in (world.adviser, world.manager, world.person_user):
        client = PageClient(app).sign_in_as(who)
        client.get("/admin/offer", status=404)
        client.get("/admin/council-area", status=404)


def test_lives_in_area_uses_the_postcode_unless_overridden(world, app_ctx):
    person = world.person
    districts = frozenset({"TS1", "TS2"})
    assert offer_service.lives_in_area(person, districts) is None
    person.home_postcode = "ts1 3bx"
    assert offer_service.lives_in_area(person, districts) is True
    person.home_postcode = "LS1 4AP"
    assert offer_service.lives_in_area(person, districts) is False
    person.in_area_override = True
    assert offer_service.lives_in_area(person, districts) is True


def test_longest_continuous_care_joins_back_to_back_episodes():
    from types import SimpleNamespace

    episodes = [SimpleNamespace(start_date=date(2020, 1, 1), end_date=date(2020, 7, 1)),
                SimpleNamespace(start_date=date(2020, 7, 1), end_date=date(2021, 1, 1)),
                SimpleNamespace(start_date=date(2022, 1, 1), end_date=None)]
    assert offer_service.longest_continuous_care_days(episodes, date(2022, 3, 1)) == 366


def test_shipped_national_offer_matches_the_rules_defaults():
    """The rules module keeps the national amounts for its own tests; the shipped file must agree with it."""
    from pathway.rules.offer import NATIONAL_OFFER

    shipped = {e.slug: e.terms for e in read_offer_file(DEFAULT_OFFER)}
    for default in NATIONAL_OFFER:
        terms = shipped[default.slug]
        assert (terms["amount_pence"], terms["cap_pence"], terms["frequency"].value) == (
            default.amount_pence, default.cap_pence, str(default.frequency)), default.slug
