"""Clearing rounds (Nachvermittlung): a chamber or a guidance agency matches unplaced applicants to unfilled
training places of its region in one stable assignment (anchor: the DoSV of hochschulstart.de).

A round runs through a timeline: draft → open (applicants join and rank offers, companies add offers and
rank applicants or choose the scoring rule) → ranking closed → computed (the `matching` engine,
applicant-proposing deferred acceptance, seeded lottery for ties, verified) → published (each match becomes an
`offers.Application` in state "offered"). The scopes (who runs or sees which round) live in
`clearing.access`. Pupils are mostly minors: companies see only the applicants who listed
one of their offers, and of them only name, certificate and message (DSGVO Art. 5 Abs. 1 lit. c, Art. 8).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ausbildung.core.models import Organisation, Region
from ausbildung.offers.models import Application, Certificate, Offer


class ClearingRound(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for ranking")
        RANKING_CLOSED = "ranking_closed", _("Ranking closed")
        COMPUTED = "computed", _("Result computed")
        PUBLISHED = "published", _("Result published")

    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="clearing_rounds",
        help_text=_("A chamber or a guidance agency; its chamber officers or counsellors run the round."),
    )
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A Land or a Kreis. Empty: the organiser's district."),
    )
    opens_on = models.DateField(_("opens on"))
    ranking_closes_on = models.DateField(_("ranking closes on"))
    result_published_on = models.DateField(_("result published on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # The lottery that breaks ties in the companies' rankings (recorded, so the result can be reproduced).
    seed = models.PositiveIntegerField(_("lottery seed"))
    # The stored report of the computation (placed, unplaced, places left, rank distribution, verification).
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    ranking_closed_at = models.DateTimeField(_("ranking closed"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("clearing round")
        verbose_name_plural = _("clearing rounds")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_on__lte=models.F("ranking_closes_on"))
                & models.Q(ranking_closes_on__lte=models.F("result_published_on")),
                name="clearing_round_timeline_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RoundOffer(models.Model):
    """An offer taking part in a round with the places that were free when it joined."""

    class Ranking(models.TextChoices):
        COMPANY = "company", _("The company ranks the applicants")
        SCORE = "score", _("Scoring rule (fit score bands)")

    round = models.ForeignKey(
        ClearingRound, verbose_name=_("clearing round"), on_delete=models.CASCADE, related_name="offers"
    )
    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.PROTECT, related_name="clearing_entries"
    )
    capacity = models.PositiveSmallIntegerField(_("places in the round"))
    ranking = models.CharField(
        _("ranking of applicants"), max_length=10, choices=Ranking.choices, default=Ranking.COMPANY
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("offer in a clearing round")
        verbose_name_plural = _("offers in clearing rounds")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "offer"], name="clearing_offer_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.offer} ({self.round})"


class Participant(models.Model):
    """A pupil who signed up for a round, with what the companies may see of them."""

    round = models.ForeignKey(
        ClearingRound, verbose_name=_("clearing round"), on_delete=models.CASCADE, related_name="participants"
    )
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="clearing_participations",
    )
    certificate = models.CharField(
        _("school-leaving certificate (achieved or expected)"),
        max_length=4,
        choices=Certificate.choices,
        blank=True,
    )
    message = models.TextField(_("message to the companies"), blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("applicant in a clearing round")
        verbose_name_plural = _("applicants in clearing rounds")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "pupil"], name="clearing_participant_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} ({self.round})"


class ApplicantChoice(models.Model):
    """One entry of an applicant's strict ranking of the round's offers (1 = most wanted)."""

    participant = models.ForeignKey(
        Participant, verbose_name=_("applicant"), on_delete=models.CASCADE, related_name="choices"
    )
    round_offer = models.ForeignKey(
        RoundOffer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="choices"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("applicant's choice")
        verbose_name_plural = _("applicants' choices")
        ordering = ["participant", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "rank"], name="clearing_choice_rank_unique"),
            models.UniqueConstraint(
                fields=["participant", "round_offer"], name="clearing_choice_offer_unique"
            ),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="clearing_choice_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} #{self.rank}: {self.round_offer}"


class CompanyRanking(models.Model):
    """The company's (weak) ranking of an applicant for one offer: equal ranks are ties; an applicant
    without a row is not acceptable to the offer. For offers on the scoring rule the rows are written by the
    computation (with the fit score they came from)."""

    round_offer = models.ForeignKey(
        RoundOffer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="rankings"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("applicant"), on_delete=models.CASCADE, related_name="rankings"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.PositiveSmallIntegerField(_("fit score"), null=True, blank=True)

    class Meta:
        verbose_name = _("company's ranking")
        verbose_name_plural = _("companies' rankings")
        ordering = ["round_offer", "rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round_offer", "participant"], name="clearing_ranking_once_per_pair"
            ),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="clearing_ranking_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.round_offer}: {self.participant} #{self.rank}"


class Result(models.Model):
    """The computed outcome for one applicant: the offer (or none), and after publication the application."""

    round = models.ForeignKey(
        ClearingRound, verbose_name=_("clearing round"), on_delete=models.CASCADE, related_name="results"
    )
    participant = models.OneToOneField(
        Participant, verbose_name=_("applicant"), on_delete=models.CASCADE, related_name="result"
    )
    round_offer = models.ForeignKey(
        RoundOffer,
        verbose_name=_("offer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="results",
    )
    choice = models.PositiveSmallIntegerField(_("choice of the applicant"), null=True, blank=True)
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Why not a higher choice, stored at computation: one entry per offer the applicant ranked above the one
    # they got (all of them when unplaced), in their order: {"round_offer": id, "choice": n, "reason": …}
    # with the reason names of the engine's report (matching.engine.report.REASONS).
    why_not_higher = models.JSONField(_("why not a higher choice"), default=list, blank=True)

    class Meta:
        verbose_name = _("clearing result")
        verbose_name_plural = _("clearing results")
        ordering = ["round", "participant"]

    def __str__(self) -> str:
        return f"{self.participant}: {self.round_offer or '–'}"

    @property
    def placed(self) -> bool:
        return self.round_offer_id is not None
