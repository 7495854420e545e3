"""Training staff (issue #21) through its pages: the training lead sees the contract whose trainer has no evidence
of aptitude on record, records the AEVO certificate with a copy, and the flag is gone; the chamber confirms it;
bad input is refused in German with nothing saved; the copy is opened only by those who may; the site's ratio
warns before a place is offered."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import AuditLog, TrainingContract
from ausbildung.staff import selectors
from ausbildung.staff.models import Qualification, SiteStaffing, TrainerRole

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n158\n%%EOF\n"
)


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def jonas(demo) -> TrainingContract:
    return TrainingContract.objects.get(apprentice=demo["azubi"])


def evidence_post(demo, **changes) -> dict:
    data = {
        "trainer": demo["ausbilder"].pk,
        "kind": "aevo",
        "passed_on": "2019-05-14",
        "issued_by": "IHK Saarland",
        "vocational": "Fachinformatikerin Anwendungsentwicklung, IHK 2012",
        "document": SimpleUploadedFile("aevo.pdf", PDF, content_type="application/pdf"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_lead_sees_the_flag_records_the_evidence_and_the_flag_is_gone(client_for, demo, jonas):
    lead = client_for("company_admin")
    page = text(lead.get(reverse("staff:company")))
    assert "Jonas Becker" in page
    assert "Für Miriam Klein ist keine Ausbildereignung nachgewiesen" in page
    assert "BBiG § 28 Abs. 1, § 30 Abs. 1 und 5 mit AusbEignV §§ 4–7" in page
    response = lead.post(reverse("staff:qualification_add"), evidence_post(demo))
    assert response.status_code == 302
    qualification = Qualification.objects.get(trainer=demo["ausbilder"])
    assert (qualification.kind, qualification.passed_on) == ("aevo", datetime.date(2019, 5, 14))
    assert qualification.document_type == "application/pdf" and len(qualification.document_sha256) == 64
    assert AuditLog.objects.filter(action="staff.qualification_add", target_id=str(qualification.pk)).exists()
    page = text(lead.get(reverse("staff:company")))
    assert "keine Ausbildereignung nachgewiesen" not in page
    assert "noch nicht bestätigt" in page
    # a wrong entry is withdrawn, not deleted: the flag comes back, the row stays
    lead.post(reverse("staff:qualification_withdraw", args=[qualification.pk]))
    qualification.refresh_from_db()
    assert qualification.withdrawn_at is not None
    assert "Für Miriam Klein ist keine Ausbildereignung nachgewiesen" in text(
        lead.get(reverse("staff:company"))
    )


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"passed_on": "2999-01-01"}, "nicht in der Zukunft datiert"),
        ({"kind": "before_2009", "passed_on": "2015-01-01"}, "vor dem 1. August 2009"),
        ({"craft": "1", "kind": "aevo"}, "nur bei einer Meisterprüfung"),
        (
            {
                "document": SimpleUploadedFile(
                    "aevo.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
                )
            },
            "",
        ),
        ({"issued_by": ""}, "Dieses Feld ist zwingend erforderlich"),
    ],
)
def test_bad_evidence_is_refused_in_german_and_nothing_is_saved(client_for, demo, changes, field_error):
    response = client_for("company_admin").post(
        reverse("staff:qualification_add"), evidence_post(demo, **changes)
    )
    assert response.status_code == 400
    assert field_error in text(response)
    assert not Qualification.objects.filter(trainer=demo["ausbilder"]).exists()


def test_evidence_for_someone_outside_the_company_is_refused(client_for, demo):
    response = client_for("company_admin").post(
        reverse("staff:qualification_add"), evidence_post(demo, trainer=demo["meister"].pk)
    )
    assert response.status_code == 400
    assert not Qualification.objects.filter(company__name__contains="Systemhaus").exists()


def test_the_chamber_sees_its_flags_and_confirms_the_evidence(client_for, demo, jonas):
    chamber = client_for("chamber_officer")  # the demo IHK, Jonas's chamber
    page = text(chamber.get(reverse("staff:chamber")))
    assert "Jonas Becker" in page and "keine Ausbildereignung nachgewiesen" in page
    assert "Lukas Meyer" not in page  # another chamber's contract
    client_for("company_admin").post(reverse("staff:qualification_add"), evidence_post(demo))
    qualification = Qualification.objects.get(trainer=demo["ausbilder"])
    page = text(chamber.get(reverse("staff:chamber")))
    assert "keine Ausbildereignung" not in page and "Miriam Klein" in page
    assert chamber.post(reverse("staff:confirm", args=[qualification.pk])).status_code == 302
    qualification.refresh_from_db()
    assert qualification.confirmed_at is not None and qualification.confirmed_by == demo["kammer"]
    # the HWK's officer is not the chamber of any contract Miriam trains: not found
    from django.test import Client

    hwk = Client()
    hwk.force_login(demo["hwk"])  # past the second factor (tests/conftest.py)
    assert hwk.post(reverse("staff:confirm", args=[qualification.pk])).status_code == 404


def test_the_copy_is_opened_only_by_those_who_may(client_for, demo):
    client_for("company_admin").post(reverse("staff:qualification_add"), evidence_post(demo))
    qualification = Qualification.objects.get(trainer=demo["ausbilder"])
    url = reverse("staff:document", args=[qualification.pk])
    for role in ("company_admin", "trainer", "chamber_officer"):
        response = client_for(role).get(url)
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    # the carpenter's trainer is a trainer too, but neither of this company nor this person
    from django.test import Client

    other = Client()
    other.force_login(demo["meister"])
    assert other.get(url).status_code == 404


def test_the_demo_has_a_qualified_and_an_unqualified_trainer(demo):
    weber = Qualification.objects.get(trainer=demo["meister"])
    assert weber.kind == "fortbildung" and weber.confirmed_at is not None
    lukas = TrainingContract.objects.select_related("chamber").get(apprentice=demo["azubi2"])
    assert selectors.contract_findings([lukas])[lukas.pk] == []
    jonas = TrainingContract.objects.select_related("chamber").get(apprentice=demo["azubi"])
    assert [f.key for f in selectors.contract_findings([jonas])[jonas.pk]] == ["no_aptitude"]


def test_the_load_warning_follows_the_full_time_flag(client_for, demo, jonas):
    lead = client_for("company_admin")
    lead.post(reverse("staff:role", args=[demo["ausbilder"].pk]), {"full_time": "on"})
    assert TrainerRole.objects.get(trainer=demo["ausbilder"]).full_time is True
    lead.post(reverse("staff:role", args=[demo["ausbilder"].pk]), {})
    assert TrainerRole.objects.get(trainer=demo["ausbilder"]).full_time is False
    company = jonas.company
    row = next(r for r in selectors.trainer_rows(company) if r.trainer == demo["ausbilder"])
    assert len(row.contracts) == 1 and row.findings == []


def test_the_site_ratio_warns_before_a_place_is_offered(client_for, demo, jonas):
    """Jonas's site states 2 skilled staff in the demo: the guidance allows 1 apprentice, he is it."""
    check = selectors.site_check_before_new_contract(jonas.site)
    assert (check.apprentices, check.skilled_staff, check.allowed, check.exceeded) == (1, 2, 1, True)
    lead = client_for("company_admin")
    site_prefix = f"standort{jonas.site_id}"
    response = lead.post(
        reverse("staff:site", args=[jonas.site_id]),
        {f"{site_prefix}-skilled_staff": "3", f"{site_prefix}-as_of": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert (
        selectors.site_check_before_new_contract(jonas.site).exceeded is False
    )  # 3–5 skilled: 2 apprentices
    response = lead.post(
        reverse("staff:site", args=[jonas.site_id]),
        {f"{site_prefix}-skilled_staff": "-1", f"{site_prefix}-as_of": "2999-01-01"},
    )
    assert response.status_code == 400
    assert SiteStaffing.objects.filter(site=jonas.site).count() == 2


def test_the_trainer_sees_her_own_evidence_and_apprentices(client_for, demo, jonas):
    page = text(client_for("trainer").get(reverse("staff:mine")))
    assert "Jonas Becker" in page and "Noch ist kein Nachweis für Sie erfasst" in page


def test_nobody_confirms_their_own_evidence(demo):
    from django.core.exceptions import PermissionDenied

    from ausbildung.staff import services

    weber = Qualification.objects.get(trainer=demo["meister"])
    with pytest.raises(PermissionDenied):
        services.qualification_confirm(actor=demo["meister"], qualification=weber)


def test_the_sql_candidates_are_exactly_the_flagged_contracts(client_for, demo, jonas):
    """The chamber page reads only the contracts SQL finds without a qualified main trainer; they must be the
    contracts the rules flag, before and after Miriam's evidence is recorded."""
    from ausbildung.staff import rules

    def both() -> tuple[set[int], set[int]]:
        contracts = TrainingContract.objects.filter(status="active").select_related("chamber")
        flagged = {
            pk
            for pk, found in selectors.contract_findings(contracts).items()
            if any(f.level == rules.FLAG for f in found)
        }
        sql = set(
            selectors.lacking_qualified_trainer(contracts, today=timezone.localdate()).values_list(
                "pk", flat=True
            )
        )
        return sql, flagged

    sql, flagged = both()
    assert sql == flagged and jonas.pk in sql
    client_for("company_admin").post(reverse("staff:qualification_add"), evidence_post(demo))
    sql, flagged = both()
    assert sql == flagged and jonas.pk not in sql
