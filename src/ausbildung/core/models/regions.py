from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A Land or a Kreis, keyed by its official Regionalschlüssel (ARS; 2 digits for a Land, 5 for a Kreis).

    At Land and Kreis level the ARS equals the Amtlicher Gemeindeschlüssel (AGS). Source of the codes:
    `data/regions.json` (Statistisches Bundesamt, Gemeindeverzeichnis).
    """

    class Level(models.TextChoices):
        LAND = "land", _("Federal state (Land)")
        KREIS = "kreis", _("District (Kreis / kreisfreie Stadt)")

    code = models.CharField(_("regional code (ARS)"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # ISO 3166-2 subdivision (e.g. "SL"), used for public holidays of a Land.
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=6, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def land_code(self) -> str:
        return self.code[:2]
