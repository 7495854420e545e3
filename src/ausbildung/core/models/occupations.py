"""The catalogue of recognised training occupations (anerkannte Ausbildungsberufe, BBiG § 4 / HwO § 25).

Every field is read from the federal training regulation (Ausbildungsordnung) by the importer in
`ausbildung.core.regulations`; nothing here is typed in by hand.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Occupation(models.Model):
    """A recognised training occupation, one per occupation a training regulation recognises."""

    class RecognisedUnder(models.TextChoices):
        # The law the regulation recognises the occupation under (see `ausbildung.core.chambers`): BBiG § 4
        # (industry, trade, agriculture, liberal professions, public service …), HwO § 25 (crafts), or both.
        BBIG = "bbig", _("Vocational Training Act (BBiG § 4)")
        HWO = "hwo", _("Crafts Code (HwO § 25)")
        BBIG_AND_HWO = "bbig+hwo", _("Vocational Training Act and Crafts Code (BBiG § 4, HwO § 25)")
        UNKNOWN = "", _("not stated in the regulation")

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    # Occupation name without gender forms and spaces, lower case: the key that recognises new versions.
    name_key = models.CharField(_("name key"), max_length=250, db_index=True, blank=True)
    name = models.CharField(_("official name"), max_length=250)
    name_male = models.CharField(_("male form"), max_length=200, blank=True)
    name_female = models.CharField(_("female form"), max_length=200, blank=True)
    # Other names people search for (earlier names, common short forms) from data/occupation_aliases.json.
    search_terms = models.TextField(_("search terms"), blank=True)
    # Everything a search matches against, normalised (lower case, umlauts spelled out); see selectors.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    jurabk = models.CharField(_("abbreviation of the regulation"), max_length=60, blank=True)
    regulation_title = models.CharField(_("training regulation"), max_length=500, blank=True)
    issued_on = models.DateField(_("issued on (Ausfertigungsdatum)"), null=True, blank=True)
    fundstelle = models.CharField(_("Fundstelle (BGBl.)"), max_length=120, blank=True)
    regulation_status = models.TextField(_("status of the text (Stand)"), blank=True)
    duration_months = models.PositiveSmallIntegerField(_("duration in months"), null=True, blank=True)
    amended_by = models.TextField(_("amended by"), blank=True)
    source_file = models.CharField(_("source file"), max_length=200, blank=True)
    source_sha256 = models.CharField(_("checksum of the source text"), max_length=64, blank=True)
    # Read from the recognition paragraph (§ 1) or, failing that, the Eingangsformel of the regulation; "" when
    # the text names neither BBiG § 4 (§ 25 in the BBiG of 1969) nor HwO § 25 (e.g. the SeeBAV, based on the
    # Seearbeitsgesetz). Decides which kind of chamber can be competent (`chambers.chamber_covers`).
    recognised_under = models.CharField(
        _("recognised under"), max_length=20, choices=RecognisedUnder.choices, blank=True, default=""
    )
    # How many Wahlqualifikationen the contract chooses, where the regulation's structure paragraph names one
    # number ("vier vom Ausbildenden festzulegende Wahlqualifikationen", ChemikAusbV § 3 Nr. 2); null where it
    # names none or one per list (then no upper limit is checked).
    elective_count = models.PositiveSmallIntegerField(_("number of electives"), null=True, blank=True)
    # What the importer could not read in this regulation (shown to administrators, never guessed).
    import_problems = models.JSONField(_("import problems"), default=list, blank=True)
    is_active = models.BooleanField(_("current"), default=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("training occupation")
        verbose_name_plural = _("training occupations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Specialisation(models.Model):
    """A Fachrichtung or Schwerpunkt of an occupation, or an Einsatzgebiet (field of deployment) it names."""

    class Kind(models.TextChoices):
        FACHRICHTUNG = "fachrichtung", _("Fachrichtung")
        SCHWERPUNKT = "schwerpunkt", _("Schwerpunkt")
        EINSATZGEBIET = "einsatzgebiet", _("Einsatzgebiet")
        OTHER = "other", _("Other specialisation")

    occupation = models.ForeignKey(
        Occupation, verbose_name=_("occupation"), on_delete=models.CASCADE, related_name="specialisations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=250)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("specialisation")
        verbose_name_plural = _("specialisations")
        ordering = ["occupation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["occupation", "kind", "name"], name="specialisation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class ProfilePosition(models.Model):
    """One line of the Ausbildungsberufsbild (the list of skills the regulation names, BBiG § 5 Abs. 1 Nr. 3)."""

    occupation = models.ForeignKey(
        Occupation, verbose_name=_("occupation"), on_delete=models.CASCADE, related_name="profile_positions"
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    text = models.TextField(_("text"))
    group = models.CharField(_("group"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("profile position")
        verbose_name_plural = _("profile positions (Ausbildungsberufsbild)")
        ordering = ["occupation", "position"]

    def __str__(self) -> str:
        return f"{self.number} {self.text}".strip()


class FrameworkPlan(models.Model):
    """The Ausbildungsrahmenplan (BBiG § 5 Abs. 1 Nr. 4): the annex table of the training regulation."""

    occupation = models.OneToOneField(
        Occupation, verbose_name=_("occupation"), on_delete=models.CASCADE, related_name="framework_plan"
    )
    # Labels of the periods the zeitliche Richtwerte refer to, as printed (e.g. "1. bis 18. Monat").
    periods = models.JSONField(_("periods"), default=list)
    # Unit of the Richtwerte: "weeks", "months", "hours", "marks" or "" where the plan does not say.
    time_unit = models.CharField(_("unit of the time guidance"), max_length=10, blank=True)
    time_header = models.CharField(_("heading of the time guidance"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("framework plan")
        verbose_name_plural = _("framework plans")

    def __str__(self) -> str:
        return str(_("Framework plan: %(occupation)s") % {"occupation": self.occupation})


class FrameworkPosition(models.Model):
    """A Berufsbildposition of the framework plan with its zeitliche Richtwerte."""

    class Kind(models.TextChoices):
        # Part of every apprentice's plan (of their specialisation, BBiG § 5 Abs. 1 Nr. 3 and 4).
        COMPULSORY = "compulsory", _("compulsory")
        # One of the regulation's Wahlqualifikationen: part of the plan once chosen in the contract.
        ELECTIVE = "elective", _("elective (Wahlqualifikation)")
        # A Zusatzqualifikation (BBiG § 5 Abs. 2 Nr. 5, examined separately under § 49): optional.
        ADDITIONAL = "additional", _("additional qualification (Zusatzqualifikation)")

    plan = models.ForeignKey(
        FrameworkPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="positions"
    )
    section_label = models.CharField(_("section"), max_length=60, blank=True)
    section_title = models.CharField(_("section title"), max_length=500, blank=True)
    specialisation = models.ForeignKey(
        Specialisation, verbose_name=_("specialisation"), null=True, blank=True, on_delete=models.SET_NULL
    )
    number = models.CharField(_("no."), max_length=20)
    title = models.TextField(_("position"))
    paragraph_ref = models.CharField(_("paragraph"), max_length=120, blank=True)
    # The periods of this position's table (sections of one plan can differ), and per period the weeks or
    # months of the zeitliche Richtwert; null where the plan gives no figure. time_raw keeps the cells as printed.
    periods = models.JSONField(_("periods"), default=list)
    weeks = models.JSONField(_("weeks per period"), default=list)
    months = models.JSONField(_("months per period"), default=list)
    time_raw = models.JSONField(_("time guidance as printed"), default=list)
    intro = models.TextField(_("introduction"), blank=True)
    throughout = models.BooleanField(_("taught throughout the training"), default=False)
    # Part of an optional additional qualification (Zusatzqualifikation), not of the compulsory plan.
    optional = models.BooleanField(_("additional qualification"), default=False)
    # Compulsory, elective or additional, as the annex section says (`optional` is kind == ADDITIONAL).
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMPULSORY)
    # A heading of numbered sub-positions (1 → 1.1, 1.2) without items of its own.
    is_group = models.BooleanField(_("group heading"), default=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("framework plan position")
        verbose_name_plural = _("framework plan positions")
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return f"{self.section_label} {self.number} {self.title}".strip()


class FrameworkItem(models.Model):
    """A lettered skill item (a), b), …) of a framework plan position."""

    framework_position = models.ForeignKey(
        FrameworkPosition, verbose_name=_("position"), on_delete=models.CASCADE, related_name="items"
    )
    letter = models.CharField(_("letter"), max_length=8)
    text = models.TextField(_("skill"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("framework plan item")
        verbose_name_plural = _("framework plan items")
        ordering = ["framework_position", "position"]

    def __str__(self) -> str:
        return f"{self.letter}) {self.text}"
