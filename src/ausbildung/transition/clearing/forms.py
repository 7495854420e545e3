"""Forms of the clearing pages. They parse input; the rules (timeline, strict ranks, places) are the
services' and come back as German field errors (`core.forms.add_service_errors`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ausbildung.core.forms import DateInput, PlatformForm, input_from
from ausbildung.core.models import Organisation, Region
from ausbildung.offers.models import Certificate, Offer

from .models import RoundOffer
from .selectors import ApplicantRow
from .services import MAX_CHOICES, RoundInput


class RoundForm(PlatformForm):
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=Organisation.objects.none())
    name = forms.CharField(
        label=_("Name of the round"),
        max_length=200,
        help_text=_("For example “Nachvermittlung Herbst 2026”."),
        error_messages={"required": _("Please give the round a name.")},
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("The organiser's whole district"),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    ranking_closes_on = forms.DateField(
        label=_("Ranking closes on"),
        widget=DateInput(),
        help_text=_("Until this day applicants and companies rank."),
    )
    result_published_on = forms.DateField(
        label=_("Result published on"),
        widget=DateInput(),
        help_text=_("From this day the result can be published; matched places become offers."),
    )

    def __init__(self, *args, organisers: QuerySet[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organiser_field = cast(forms.ModelChoiceField, self.fields["organiser"])
        organiser_field.queryset = organisers
        if organisers.count() == 1:
            organiser_field.initial = organisers.first()
        district = Region.objects.filter(responsible_organisations__in=organisers)
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = (
            Region.objects.filter(Q(pk__in=district.values("pk")) | Q(children__in=district))
            .distinct()
            .order_by("code")
        )

    def to_input(self) -> RoundInput:
        return input_from(self, RoundInput)


class JoinForm(PlatformForm):
    certificate = forms.ChoiceField(
        label=_("Your school-leaving certificate (achieved or expected)"),
        choices=[("", "–"), *Certificate.choices],
        error_messages={"required": _("Choose your school-leaving certificate (achieved or expected).")},
    )
    message = forms.CharField(
        label=_("Your message to the companies"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "A few sentences about you. The companies see your name, your certificate and this text."
        ),
    )


def _rank_choices(count: int, empty: str) -> list[tuple[str, str]]:
    return [("", empty)] + [(str(number), str(number)) for number in range(1, count + 1)]


class ChoicesForm(PlatformForm):
    """The applicant's ranking: one select per offer (1 = most wanted); works without JavaScript."""

    def __init__(self, *args, round_offers: Iterable[RoundOffer], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.round_offers = list(round_offers)
        choices = _rank_choices(min(MAX_CHOICES, len(self.round_offers)), str(_("not chosen")))
        for round_offer in self.round_offers:
            offer = round_offer.offer
            self.fields[f"offer_{round_offer.pk}"] = forms.TypedChoiceField(
                label=_("Your rank for %(offer)s at %(company)s")
                % {"offer": offer.display_title, "company": offer.company.name},
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
            )

    def rows(self) -> list[tuple[RoundOffer, forms.BoundField]]:
        return [(round_offer, self[f"offer_{round_offer.pk}"]) for round_offer in self.round_offers]

    def ranks(self) -> dict[int, int | None]:
        return {
            round_offer.pk: self.cleaned_data[f"offer_{round_offer.pk}"] for round_offer in self.round_offers
        }


class RankingForm(PlatformForm):
    """The company's ranking of the applicants of one offer: equal ranks are allowed (ties)."""

    def __init__(self, *args, rows: list[ApplicantRow], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.applicant_rows = rows
        choices = _rank_choices(len(rows), str(_("not suitable")))
        for row in rows:
            self.fields[f"applicant_{row.participant_id}"] = forms.TypedChoiceField(
                label=_("Rank for %(name)s") % {"name": row.name},
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(row.rank) if row.rank else "",
            )

    def rows(self) -> list[tuple[ApplicantRow, forms.BoundField]]:
        return [(row, self[f"applicant_{row.participant_id}"]) for row in self.applicant_rows]

    def ranks(self) -> dict[int, int | None]:
        return {
            row.participant_id: self.cleaned_data[f"applicant_{row.participant_id}"]
            for row in self.applicant_rows
        }


class RankingModeForm(PlatformForm):
    ranking = forms.ChoiceField(
        label=_("How are the applicants ranked?"),
        choices=RoundOffer.Ranking.choices,
        widget=forms.RadioSelect,
    )


class OfferChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Offer) -> str:
        free = _("%(count)d free") % {"count": obj.free_places}
        return f"{obj.display_title} – {obj.company.name} ({obj.start_date:%d.%m.%Y}, {free})"


class OfferAddForm(PlatformForm):
    offer = OfferChoiceField(
        label=_("Training place"),
        queryset=Offer.objects.none(),
        error_messages={"required": _("Choose one of your training places.")},
    )
    ranking = forms.ChoiceField(
        label=_("Ranking of the applicants"),
        choices=RoundOffer.Ranking.choices,
        initial=RoundOffer.Ranking.COMPANY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, offers: QuerySet[Offer], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["offer"]).queryset = offers
