"""Facts about German schools that several areas share: the school year (classes, leaving cohorts) and the
school-leaving certificates (offers ask for one, schools record the expected one, clearing rounds rank by it)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def current_school_year() -> str:
    """The school year of today, e.g. "2026/27": it starts on 1 August (the Länder start between late July and
    mid-September; August is the month in which every Land's year has begun or is about to)."""
    today = timezone.localdate()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


class Certificate(models.TextChoices):
    """School-leaving certificates in ascending order (KMK terms since 2023 with the traditional names)."""

    NONE = "none", _("No school-leaving certificate")
    ESA = "esa", _("First school-leaving certificate (Hauptschulabschluss)")
    MSA = "msa", _("Intermediate school-leaving certificate (Realschulabschluss)")
    FHR = "fhr", _("Entrance qualification for universities of applied sciences (Fachhochschulreife)")
    AHR = "ahr", _("General higher education entrance qualification (Abitur)")


CERTIFICATE_LEVEL = {value: level for level, value in enumerate(Certificate.values)}
