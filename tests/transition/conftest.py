from __future__ import annotations

import datetime

import pytest

from ausbildung.core import services as core_services
from ausbildung.core.models import Occupation, Organisation, TrainingContract, TrainingSite
from ausbildung.transition.models import Destination


@pytest.fixture
def lena_destination(demo) -> Destination:
    return Destination.objects.get(pupil=demo["schueler"])


def contract_for(
    pupil, *, start: datetime.date, status: str = TrainingContract.Status.DRAFT
) -> TrainingContract:
    """A training contract of the demo pupil at the demo Systemhaus (Fachinformatiker)."""
    company = Organisation.objects.get(name="Saar Systemhaus GmbH (Demo)")
    return core_services.contract_create(
        actor=None,
        apprentice=pupil,
        company=company,
        site=TrainingSite.objects.filter(company=company).first(),
        occupation=Occupation.objects.get(slug="fiausbv"),
        chamber=Organisation.objects.get(kind=Organisation.Kind.CHAMBER, chamber_kind="ihk"),
        start_date=start,
        end_date=start.replace(year=start.year + 3) - datetime.timedelta(days=1),
        probation_end=core_services.add_months(start, 4) - datetime.timedelta(days=1),
        status=status,
    )
