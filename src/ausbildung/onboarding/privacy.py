"""The personal data of "Ausbildungsbetrieb werden" (core.privacy registry): a company's request to its chamber
names the company administrator who sent it; the request itself is the company's."""

from __future__ import annotations

from ausbildung.core.privacy import PersonalData, register_personal_data
from ausbildung.core.privacy.rows import links

from .models import OnboardingRequest


def register() -> None:
    register_personal_data(
        PersonalData(
            key="onboarding.requests",
            models=("onboarding.OnboardingRequest",),
            label="Requests of a company to become a training company: the company administrator who sent it",
            label_de="Anfragen „Ausbildungsbetrieb werden“ (wer sie gesendet hat)",
            purpose="The chamber advises the company on becoming a training company (BBiG §§ 27-30, § 76)",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. b (at the company's request) and lit. e (BBiG § 76: the "
            "chamber's advice)",
            seen_by="company_admin of the company; chamber_officer of the addressed chamber",
            retention="as long as the company and the chamber keep the request",
            retention_source="the company's and the chamber's decision",
            link="request.created_by",
            export_how="the requests the person sent are listed by id",
            erase_how="kept with the company's request; the link names the anonymised account after erasure",
            count=lambda person: OnboardingRequest.objects.filter(created_by=person).count(),
            export=lambda person: links(person, [(OnboardingRequest, "created_by")]),
            order=70,
        )
    )
