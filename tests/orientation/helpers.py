"""Objects the orientation tests (and the permission matrix) build on: the demo class and internship."""

from __future__ import annotations

from ausbildung.orientation.models import InternshipApplication, InternshipSlot, SchoolClass
from ausbildung.orientation.school_demo import DEMO_CLASS_CODE, DEMO_INTERNSHIP_TITLE


def demo_class() -> SchoolClass:
    return SchoolClass.objects.get(code=DEMO_CLASS_CODE)


def demo_internship() -> InternshipSlot:
    return InternshipSlot.objects.get(title=DEMO_INTERNSHIP_TITLE)


def internship_application(demo, slot: InternshipSlot | None = None) -> InternshipApplication:
    application, _created = InternshipApplication.objects.get_or_create(
        slot=slot or demo_internship(), pupil=demo["schueler"], defaults={"message": "Hallo"}
    )
    return application
