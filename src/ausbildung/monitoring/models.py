"""The official figures the platform's own figures are shown beside (issue #19): published aggregate statistics
of BIBB, BA, Destatis and the statistical offices of the Länder, each with its source and year. No persons."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficialFigure(models.Model):
    """One published value: an indicator for one area (and optionally one Zuständigkeitsbereich or occupation)
    in one year, as one source printed it. Several sources may report the same value (kept for traceability)."""

    class AreaLevel(models.TextChoices):
        GERMANY = "de", _("Germany")
        LAND = "land", _("Land")
        KREIS = "kreis", _("district (Kreis)")
        AGENCY = "agentur", _("employment agency district (Agenturbezirk)")

    class YearKind(models.TextChoices):
        # BIBB survey and BA statistics: 1 October of the previous year to 30 September of `year`.
        REPORTING_YEAR = "reporting_year", _("reporting year (1 October to 30 September)")
        # Berufsbildungsstatistik (Destatis and the Länder offices): the calendar year.
        CALENDAR_YEAR = "calendar_year", _("calendar year")
        STOCK_3112 = "stock_3112", _("stock on 31 December")
        STAND_0110 = "stand_0110", _("as of 1 October")
        # The source does not say which count it is (kept apart from every series).
        UNSTATED = "unstated", _("not stated by the source")

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("official (published by the office)")
        SECONDARY = "secondary", _("secondary (a report quoting the office)")
        DERIVED = "derived", _("derived (computed from other figures, never official)")

    indicator = models.CharField(_("indicator"), max_length=100)
    area_level = models.CharField(_("area level"), max_length=10, choices=AreaLevel.choices)
    # "DE", the Land key "01"–"16", the Kreis AGS (5 digits) or the agency district's code.
    area_code = models.CharField(_("area code"), max_length=12)
    area_name = models.CharField(_("area"), max_length=120, blank=True)
    responsibility_area = models.CharField(
        _("area of responsibility (Zuständigkeitsbereich)"), max_length=60, blank=True
    )
    occupation_code = models.CharField(_("occupation code"), max_length=20, blank=True)
    occupation_name = models.CharField(_("occupation"), max_length=250, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    year_kind = models.CharField(_("kind of year"), max_length=20, choices=YearKind.choices)
    # None when the office did not publish a number; `sign` then holds the office's sign (".", "x", "/" …).
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3, null=True, blank=True)
    sign = models.CharField(_("sign in the source"), max_length=3, blank=True)
    # 3 for BIBB's Länder tables (absolute values rounded to multiples of 3 for data protection), kept as published.
    rounded_to = models.PositiveSmallIntegerField(_("rounded to multiples of"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=40)
    source_url = models.CharField(_("source URL"), max_length=500)
    source_title = models.CharField(_("source"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    derived_formula = models.CharField(_("formula"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("imported at"))
    import_batch = models.CharField(_("import batch"), max_length=120)

    class Meta:
        verbose_name = _("official figure")
        verbose_name_plural = _("official figures")
        ordering = ["indicator", "area_level", "area_code", "year", "source_url"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "indicator",
                    "area_level",
                    "area_code",
                    "responsibility_area",
                    "occupation_code",
                    "year",
                    "year_kind",
                    "source_url",
                ],
                name="monitoring_official_figure_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="derived") | ~models.Q(derived_formula=""),
                name="monitoring_official_figure_derived_has_formula",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "area_level", "year"])]

    def __str__(self) -> str:
        shown = self.sign if self.value is None else self.value
        return f"{self.indicator} {self.area_code} {self.year}: {shown}"


class MarketCell(models.Model):
    """One count of the monitoring cube (`monitoring.cube`): a platform measure for one area, year (and month),
    optionally one occupation or one Zuständigkeitsbereich. Rebuilt as a whole by `cube.refresh`; never
    edited. Counts of the platform's own records only, no persons (small cells are suppressed when shown)."""

    measure = models.CharField(_("measure"), max_length=60)
    # The reporting year or the calendar year, as the measure's definition says (docs/domain.md).
    year = models.PositiveSmallIntegerField(_("year"))
    # The first day of the month for a monthly series, empty for the whole year.
    month = models.DateField(_("month"), null=True, blank=True)
    area_level = models.CharField(_("area level"), max_length=10, choices=OfficialFigure.AreaLevel.choices)
    area_code = models.CharField(_("area code"), max_length=12)
    # 0: all occupations.
    occupation_id = models.PositiveIntegerField(_("occupation"), default=0)
    # "": all Zuständigkeitsbereiche; else the chamber kind (ihk, hwk, …).
    responsibility = models.CharField(_("area of responsibility"), max_length=20, blank=True)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("monitoring cell")
        verbose_name_plural = _("monitoring cells")
        indexes = [
            models.Index(
                fields=["area_level", "area_code", "occupation_id", "responsibility", "measure", "year"],
                name="monitoring_cell_lookup",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.area_code} {self.year} {self.month or ''}: {self.count}"


class CubeRefresh(models.Model):
    """One rebuild of the cube: when, how long, how much (the pages say how fresh their figures are)."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    facts = models.PositiveIntegerField(_("facts read"))
    cells = models.PositiveIntegerField(_("cells written"))

    class Meta:
        verbose_name = _("monitoring refresh")
        verbose_name_plural = _("monitoring refreshes")
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} ({self.cells})"
