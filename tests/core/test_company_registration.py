"""Company registration and verification (#18): a registered company is unverified until its competent
chamber (or a platform administrator) verifies it, and cannot publish training places until then."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.accounts import services
from ausbildung.core.models import AuditLog, Membership, Occupation, Organisation, TrainingSite, User
from ausbildung.offers import services as offer_services
from ausbildung.offers.models import Offer
from tests.conftest import verify_second_factor

from .account_helpers import link_in_mail, unverified_company

pytestmark = pytest.mark.django_db


def ihk():
    return Organisation.objects.get(chamber_kind=Organisation.ChamberKind.IHK)


FORM = {
    "username": "chefin",
    "email": "chefin@example.org",
    "first_name": "Clara",
    "last_name": "Chef",
    "password1": "ein-langes-Passwort-2026",
    "password2": "ein-langes-Passwort-2026",
    "name": "Clara Chef Kommunikation GmbH",
    "street": "Bahnhofstraße 5",
    "postcode": "66111",
    "city": "Saarbrücken",
    "company_email": "",
}


def test_register_confirm_and_administer(demo):
    client = Client()
    response = client.post(reverse("core:company_register"), {**FORM, "competent_chamber": ihk().pk})
    assert response.status_code == 302
    company = Organisation.objects.get(name=FORM["name"])
    assert company.kind == "company" and not company.is_verified and company.competent_chamber == ihk()
    assert company.region is not None and company.latitude is not None  # from the postcode
    person = User.objects.get(username="chefin")
    assert not person.is_active
    assert Membership.objects.filter(user=person, organisation=company, role="company_admin").exists()
    assert AuditLog.objects.filter(action="company.register", target_id=str(company.pk)).exists()
    client.post(link_in_mail("chefin@example.org", "/registrieren/bestaetigen/"))
    person.refresh_from_db()
    assert person.is_active
    # A company administrator is staff: the second factor comes first (STAFF_TWO_FACTOR, core.signin).
    response = client.get(reverse("core:my_organisations"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:two_factor_verify"))
    verify_second_factor(client, person)
    page = client.get(reverse("core:my_organisations")).content.decode()
    assert "noch nicht bestätigt" in page


def test_signed_in_person_registers_a_company(demo, client_for):
    data = {key: FORM[key] for key in ("name", "street", "postcode", "city")}
    response = client_for("trainer").post(
        reverse("core:company_register"), {**data, "competent_chamber": ihk().pk}
    )
    assert response.status_code == 302
    company = Organisation.objects.get(name=FORM["name"])
    assert Membership.objects.filter(
        user=demo["ausbilder"], organisation=company, role="company_admin"
    ).exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"postcode": "1234"},
        {"postcode": "abcde"},
        {"competent_chamber": "999999999999"},
        {"competent_chamber": "x"},
        {"name": ""},
    ],
)
def test_bad_company_input_is_no_error(demo, changes):
    response = Client().post(
        reverse("core:company_register"), {**FORM, "competent_chamber": ihk().pk, **changes}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not Organisation.objects.filter(name=FORM["name"]).exists()


def draft_offer(company: Organisation) -> Offer:
    site = TrainingSite.objects.create(
        company=company, name="Hauptsitz", postcode="66111", city="Saarbrücken", region=company.region
    )
    data = offer_services.OfferInput(
        site=site,
        occupation=Occupation.objects.get(slug="fiausbv"),
        start_date=timezone.localdate() + datetime.timedelta(days=200),
        places=1,
        pay_year1=Decimal(1100),
        pay_year2=Decimal(1200),
        pay_year3=Decimal(1300),
        description="Wir bilden aus.",
    )
    return offer_services.offer_create(actor=None, company=company, data=data)


def test_unverified_company_cannot_publish_until_verified(demo, client_for):
    company = unverified_company()
    admin = User.objects.get(username="baecker")
    offer = draft_offer(company)
    with pytest.raises(ValidationError, match="nicht bestätigt"):
        offer_services.offer_set_status(actor=admin, offer=offer, status=Offer.Status.PUBLISHED)
    # the page shows the German reason
    client = Client()
    admin.is_active = True
    admin.save(update_fields=["is_active"])
    client.force_login(admin)
    response = client.post(
        reverse("offers:status", kwargs={"offer_id": offer.pk}), {"status": "published"}, follow=True
    )
    assert "noch nicht bestätigt" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT
    # the IHK's officer verifies it
    chamber = client_for("chamber_officer")
    assert company.name in chamber.get(reverse("core:company_verification_list")).content.decode()
    url = reverse("core:company_verification", kwargs={"pk": company.pk})
    assert chamber.post(url, {"action": "verify", "note": "Handelsregister HRB 1234"}).status_code == 302
    company.refresh_from_db()
    assert company.is_verified and company.verification == "chamber" and company.verified_by == demo["kammer"]
    assert AuditLog.objects.filter(action="company.verify", target_id=str(company.pk)).exists()
    offer_services.offer_set_status(actor=admin, offer=offer, status=Offer.Status.PUBLISHED)
    # verified companies leave the list
    assert chamber.get(url).status_code == 404


def test_another_chamber_does_not_see_the_company(demo):
    company = unverified_company()
    hwk_officer = User.objects.get(username="hwk")
    client = Client()
    client.force_login(hwk_officer)
    assert client.get(reverse("core:company_verification", kwargs={"pk": company.pk})).status_code == 404
    assert company.name not in client.get(reverse("core:company_verification_list")).content.decode()


def test_reject_needs_a_reason_and_tells_the_company(demo, client_for):
    company = unverified_company()
    url = reverse("core:company_verification", kwargs={"pk": company.pk})
    response = client_for("platform_admin").post(url, {"action": "reject", "reason": ""})
    assert response.status_code == 200 and response.context["reject_form"].errors
    response = client_for("platform_admin").post(url, {"action": "reject", "reason": "Kein Registereintrag"})
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.rejected_at is not None and not company.is_verified
    assert company.verification_note == "Kein Registereintrag"


def test_platform_admin_verifies_as_documented_check(demo, client_for):
    company = unverified_company()
    url = reverse("core:company_verification", kwargs={"pk": company.pk})
    client_for("platform_admin").post(url, {"action": "verify", "note": "Gewerbeanmeldung gesehen"})
    company.refresh_from_db()
    assert company.verification == "documented"


def test_demo_companies_are_verified(demo):
    assert (
        not Organisation.objects.filter(kind="company", verified_at__isnull=True)
        .exclude(name="Neue Bäckerei GmbH")
        .exists()
    )


def test_service_refuses_verifying_twice(demo):
    company = unverified_company()
    services.company_verify(actor=demo["kammer"], company=company, how="chamber")
    with pytest.raises(ValidationError):
        services.company_verify(actor=demo["kammer"], company=company, how="chamber")
