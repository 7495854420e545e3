"""Writes of the offers app: offers, applications and their steps, documents, the seeker profile.

Every service is keyword-only, atomic and writes the audit row itself. Domain checks raise
`ValidationError` with German messages keyed by form field, so views can show them beside the field.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ausbildung.core.accounts.services import company_can_publish
from ausbildung.core.chambers import competent_chambers
from ausbildung.core.mail import mail_queue
from ausbildung.core.models import (
    Membership,
    Occupation,
    Organisation,
    Role,
    Specialisation,
    TrainingContract,
    TrainingSite,
    User,
)
from ausbildung.core.schools import Certificate
from ausbildung.core.search import normalise
from ausbildung.core.services import (
    PROBATION_MAX_MONTHS,
    add_months,
    audit_record,
    contract_create,
    contract_part_time_errors,
    part_time_months,
    training_end,
)
from ausbildung.core.uploads import document_type

from . import pay
from .models import Application, ApplicationDocument, ApplicationEvent, ApplicationNote, Offer, SeekerProfile

# --- offers --------------------------------------------------------------------------------------------------


@dataclass
class OfferInput:
    site: TrainingSite
    occupation: Occupation
    start_date: datetime.date
    places: int
    pay_year1: Decimal | None
    pay_year2: Decimal | None
    pay_year3: Decimal | None = None
    pay_year4: Decimal | None = None
    collective_agreement: bool = False
    specialisation: Specialisation | None = None
    title: str = ""
    certificate: str = ""
    description: str = ""
    requirements: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    deadline: datetime.date | None = None
    internship_possible: bool = False
    trial_day_possible: bool = False
    weekly_hours: Decimal | None = None
    full_time_weekly_hours: Decimal | None = None

    FIELDS = (
        "site",
        "occupation",
        "specialisation",
        "title",
        "start_date",
        "places",
        "certificate",
        "description",
        "requirements",
        "pay_year1",
        "pay_year2",
        "pay_year3",
        "pay_year4",
        "collective_agreement",
        "weekly_hours",
        "full_time_weekly_hours",
        "contact_name",
        "contact_email",
        "contact_phone",
        "deadline",
        "internship_possible",
        "trial_day_possible",
    )

    @classmethod
    def from_offer(cls, offer: Offer) -> OfferInput:
        return cls(**{name: getattr(offer, name) for name in cls.FIELDS})

    @property
    def part_time_reduction(self) -> Decimal | None:
        """The cut of the training time in percent for a part-time place (BBiG § 7a Abs. 1), else None."""
        if self.weekly_hours is None or not self.full_time_weekly_hours:
            return None
        return (self.full_time_weekly_hours - self.weekly_hours) * 100 / self.full_time_weekly_hours


def _euro(amount: Decimal) -> str:
    return f"{amount:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


def _percent(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".").replace(".", ",")


def offer_validate(*, company: Organisation, data: OfferInput, today: datetime.date) -> Organisation | None:
    """Check an offer; return the chamber competent for it. Raises ValidationError keyed by field.

    - the site belongs to the company, the specialisation to the occupation (a Fachrichtung or Schwerpunkt, not
      an Einsatzgebiet);
    - start date not in the past, deadline not after the start;
    - at least one place;
    - pay per training year at least the statutory minimum for the start year (BBiG § 17 Abs. 2), unless a
      binding collective agreement applies (§ 17 Abs. 3), and rising every year (§ 17 Abs. 1 Satz 2);
      a year is required for each year the training lasts;
    - a chamber on the platform covers the occupation in the site's district (BBiG § 71, HwO § 91);
      `core.chambers` decides which chamber is competent.
    """
    errors: dict[str, str] = {}
    if company.kind != Organisation.Kind.COMPANY:
        errors["site"] = _("Only a company can offer training places.")
    if data.site.company_id != company.pk:
        errors["site"] = _("Please choose one of your company's training sites.")
    if data.specialisation is not None and data.specialisation.occupation_id != data.occupation.pk:
        errors["specialisation"] = _("This specialisation belongs to another occupation.")
    elif data.specialisation is not None and data.specialisation.kind == Specialisation.Kind.EINSATZGEBIET:
        # The accepted offer becomes the contract's draft, whose specialisation is a Fachrichtung or
        # Schwerpunkt (core.services refuses an Einsatzgebiet there).
        errors["specialisation"] = _(
            "An Einsatzgebiet is a field of deployment, not a Fachrichtung or Schwerpunkt of the training place."
        )
    if data.start_date < today:
        errors["start_date"] = _("The start of training must not lie in the past.")
    if data.deadline is not None and data.deadline > data.start_date:
        errors["deadline"] = _("The application deadline must not be after the start of training.")
    if data.places < 1:
        errors["places"] = _("Please offer at least one place.")

    part_time_errors = contract_part_time_errors(
        weekly_hours=data.weekly_hours, full_time_weekly_hours=data.full_time_weekly_hours
    )
    errors.update(part_time_errors)
    reduction = None if part_time_errors else data.part_time_reduction

    years = pay_years(data.occupation)
    if years is None:
        errors["occupation"] = _(
            "The duration of this occupation could not be read from its training regulation (BBiG § 5 Abs. 1 "
            "Nr. 2), so the pay per training year and the contract cannot be set up here. Please tell the "
            "platform's administrators."
        )
        years = 2
    amounts = [data.pay_year1, data.pay_year2, data.pay_year3, data.pay_year4]
    for number in range(1, years + 1):
        if amounts[number - 1] is None:
            errors[f"pay_year{number}"] = _(
                "The training lasts %(years)d years: please state the pay for this year too."
            ) % {"years": years}
    minimum = pay.minimum_pay(data.start_date.year)
    if minimum is not None and minimum.is_known and not data.collective_agreement:
        for number, amount in enumerate(amounts, start=1):
            if amount is None or number > len(minimum.amounts):
                continue
            full_floor = minimum.amounts[number - 1]
            floor = pay.part_time_floor(full_floor, reduction)
            if amount >= floor:
                continue
            values = {"floor": _euro(floor), "year": number, "start": data.start_date.year}
            if reduction is None:
                errors[f"pay_year{number}"] = (
                    _(
                        "Below the statutory minimum training pay of %(floor)s for training year %(year)d when "
                        "training starts in %(start)d (BBiG § 17 Abs. 2). A company bound by a collective "
                        "agreement may pay less (§ 17 Abs. 3): then tick that box."
                    )
                    % values
                )
            else:
                errors[f"pay_year{number}"] = _(
                    "Below %(floor)s for training year %(year)d when training starts in %(start)d: part-time "
                    "pay may be cut by at most the %(cut)s percent cut of the training time (BBiG § 17 Abs. 5) "
                    "from the minimum of %(full)s (§ 17 Abs. 2). A company bound by a collective agreement "
                    "may pay less (§ 17 Abs. 3): then tick that box."
                ) % (values | {"cut": _percent(reduction), "full": _euro(full_floor)})
    for number in range(2, years + 1):  # the training years the regulation has (BBiG § 5 Abs. 1 Nr. 2)
        previous, amount = amounts[number - 2], amounts[number - 1]
        if (
            previous is not None
            and amount is not None
            and amount <= previous
            and f"pay_year{number}" not in errors
        ):
            # Flat pay is refused like falling pay: "mindestens jährlich" means a rise every year.
            errors[f"pay_year{number}"] = _(
                "The pay rises as the training progresses, at least every year (BBiG § 17 Abs. 1 Satz 2): "
                "training year %(year)d must pay more than year %(previous)d."
            ) % {"year": number, "previous": number - 1}

    chamber = None
    if "site" not in errors:
        chambers = competent_chambers(occupation=data.occupation, region=data.site.region)
        if chambers:
            chamber = chambers[0]
        else:
            errors["occupation"] = _(
                "No chamber on this platform is competent for this occupation at the chosen training site "
                "(BBiG § 71, HwO § 91). Please check the occupation or ask your chamber's training adviser."
            )
    if errors:
        raise ValidationError(errors)
    return chamber


@transaction.atomic
def seeker_occupation_save(*, user: User, occupation: Occupation) -> bool:
    """Add the occupation to the person's saved occupations; False when it was saved already."""
    profile, _created = SeekerProfile.objects.get_or_create(user=user)
    if profile.interests.filter(pk=occupation.pk).exists():
        return False
    profile.interests.add(occupation)
    audit_record(
        actor=user,
        action="seeker_profile.save_occupation",
        target=profile,
        summary=f"saved {occupation.name}",
        changes={"occupation": occupation.slug},
    )
    return True


def pay_years(occupation: Occupation) -> int | None:
    """Training years for which pay must be stated: the regulation's duration (BBiG § 5 Abs. 1 Nr. 2) in
    years, rounded up (2 to 4); None when the duration was not read from the regulation."""
    months = occupation.duration_months
    if not months:
        return None
    return max(2, min(4, -(-months // 12)))


def offer_search_text(offer: Offer) -> str:
    occupation = offer.occupation
    parts = [
        offer.title,
        occupation.name,
        occupation.name_male,
        occupation.name_female,
        occupation.search_terms,
        offer.specialisation.name if offer.specialisation else "",
        offer.company.name,
        offer.city,
        offer.description,
        offer.requirements,
    ]
    return normalise(" ".join(part for part in parts if part))


def _apply(offer: Offer, data: OfferInput, chamber: Organisation | None) -> None:
    for name in OfferInput.FIELDS:
        setattr(offer, name, getattr(data, name))
    offer.chamber = chamber
    site = data.site
    offer.postcode, offer.city = site.postcode, site.city
    offer.latitude, offer.longitude = site.latitude, site.longitude
    offer.search_text = offer_search_text(offer)


def offer_publish_check(company: Organisation) -> None:
    """Only a verified company publishes training places: one that registered itself waits for its
    competent chamber (or a platform administrator) to verify it (core.accounts)."""
    if not company_can_publish(company):
        raise ValidationError(
            _(
                "Your company is not verified yet, so its training places cannot be published. The competent "
                "chamber verifies companies that registered themselves; you can prepare the offer as a draft."
            ),
            code="unverified",
        )


@transaction.atomic
def offer_create(
    *, actor: User | None, company: Organisation, data: OfferInput, publish: bool = False
) -> Offer:
    chamber = offer_validate(company=company, data=data, today=timezone.localdate())
    offer = Offer(company=company, created_by=actor)
    _apply(offer, data, chamber)
    if publish:
        offer_publish_check(company)
        offer.status = Offer.Status.PUBLISHED
        offer.published_at = timezone.now()
    offer.save()
    audit_record(actor=actor, action="offer.create", target=offer, summary=offer.display_title)
    return offer


@transaction.atomic
def offer_update(*, actor: User | None, offer: Offer, data: OfferInput) -> Offer:
    if offer.status == Offer.Status.CLOSED:
        raise ValidationError(_("A closed offer cannot be changed. Copy it to offer the place again."))
    chamber = offer_validate(company=offer.company, data=data, today=timezone.localdate())
    before = {name: str(getattr(offer, name)) for name in OfferInput.FIELDS}
    _apply(offer, data, chamber)
    offer.save()
    after = {name: str(getattr(offer, name)) for name in OfferInput.FIELDS}
    changes = {name: [before[name], after[name]] for name in OfferInput.FIELDS if before[name] != after[name]}
    audit_record(
        actor=actor, action="offer.update", target=offer, summary=offer.display_title, changes=changes
    )
    return offer


# Status changes a company may make: (from, to).
OFFER_STATUS_STEPS = {
    (Offer.Status.DRAFT, Offer.Status.PUBLISHED),
    (Offer.Status.PUBLISHED, Offer.Status.PAUSED),
    (Offer.Status.PAUSED, Offer.Status.PUBLISHED),
    (Offer.Status.DRAFT, Offer.Status.CLOSED),
    (Offer.Status.PUBLISHED, Offer.Status.CLOSED),
    (Offer.Status.PAUSED, Offer.Status.CLOSED),
}


@transaction.atomic
def offer_set_status(*, actor: User | None, offer: Offer, status: str) -> Offer:
    """Publish, pause, resume or close an offer. Publishing checks the offer again (e.g. a start date that
    has passed in the meantime)."""
    if (offer.status, status) not in OFFER_STATUS_STEPS:
        raise ValidationError(
            _("An offer cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Offer.Status(offer.status).label, "to": Offer.Status(status).label}
        )
    if status == Offer.Status.PUBLISHED:
        if offer.source != Offer.Source.PLATFORM:
            raise ValidationError(_("Imported offers are published by their source."))
        offer_publish_check(offer.company)
        offer.chamber = offer_validate(
            company=offer.company, data=OfferInput.from_offer(offer), today=timezone.localdate()
        )
        offer.published_at = offer.published_at or timezone.now()
    before = offer.status
    offer.status = status
    offer.save(update_fields=["status", "chamber", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="offer.status",
        target=offer,
        summary=offer.display_title,
        changes={"status": [before, status]},
    )
    return offer


@transaction.atomic
def offer_copy(*, actor: User | None, offer: Offer) -> Offer:
    """A new draft with the same facts; a start date in the past moves on by whole years."""
    copy = Offer.objects.get(pk=offer.pk)
    copy.pk = None
    copy.status = Offer.Status.DRAFT
    copy.places_taken = 0
    copy.published_at = None
    copy.created_by = actor
    copy.source = Offer.Source.PLATFORM
    copy.external_ref = ""
    copy.external_url = ""
    today = timezone.localdate()
    years = 0
    while add_months(offer.start_date, 12 * years) < today:
        years += 1
    if years:
        copy.start_date = add_months(offer.start_date, 12 * years)
        copy.deadline = add_months(offer.deadline, 12 * years) if offer.deadline else None
    copy.save()
    audit_record(actor=actor, action="offer.copy", target=copy, summary=f"copy of offer {offer.pk}")
    return copy


# --- seeker profile ------------------------------------------------------------------------------------------


@transaction.atomic
def seeker_profile_save(
    *, user: User, postcode: str, certificate: str, interests: list[Occupation] | None = None
) -> SeekerProfile:
    profile, _created = SeekerProfile.objects.get_or_create(user=user)
    profile.postcode = postcode
    profile.certificate = certificate
    profile.save()
    if interests is not None:
        profile.interests.set(interests)
    return profile


def seeker_certificate_set(*, actor: User, user: User, certificate: str) -> SeekerProfile:
    """Set a person's school-leaving certificate (achieved or expected). It is kept in one place, the person's
    seeker profile: the pupil edits it there, the school through the leaver's destination (transition), and
    both read the same value. A change by someone else than the person is audited."""
    if certificate and certificate not in Certificate.values:
        raise ValueError(f"unknown school-leaving certificate {certificate!r}")  # the forms offer the list
    profile, _created = SeekerProfile.objects.get_or_create(user=user)
    if profile.certificate != certificate:
        before = profile.certificate
        profile.certificate = certificate
        profile.save(update_fields=["certificate", "updated_at"])
        if actor.pk != user.pk:
            audit_record(
                actor=actor,
                action="seeker.certificate",
                target=profile,
                changes={"certificate": [before, certificate]},
            )
    return profile


# --- applications --------------------------------------------------------------------------------------------

S = Application.State
APPLICANT = "applicant"
COMPANY = "company"

# The state machine: (from, to) → who may take the step. "declined" is the end for both sides: the company
# turns the application down, or the applicant turns down an offered place.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SENT): APPLICANT,
    (S.SENT, S.INVITED): COMPANY,
    (S.SENT, S.OFFERED): COMPANY,
    (S.SENT, S.DECLINED): COMPANY,
    (S.INVITED, S.OFFERED): COMPANY,
    (S.INVITED, S.DECLINED): COMPANY,
    (S.OFFERED, S.ACCEPTED): APPLICANT,
    (S.OFFERED, S.DECLINED): APPLICANT,
    (S.SENT, S.WITHDRAWN): APPLICANT,
    (S.INVITED, S.WITHDRAWN): APPLICANT,
    (S.OFFERED, S.WITHDRAWN): COMPANY,
}


def allowed_steps(application: Application, side: str) -> list[str]:
    return [to for (frm, to), who in TRANSITIONS.items() if frm == application.state and who == side]


@transaction.atomic
def application_create(*, actor: User, offer: Offer, message: str) -> Application:
    if not offer.accepts_applications:
        raise ValidationError(_("This offer does not take applications on the platform."))
    if offer.deadline is not None and offer.deadline < timezone.localdate():
        raise ValidationError(_("The application deadline has passed."))
    if Application.objects.filter(offer=offer, applicant=actor).exists():
        raise ValidationError(_("You have already applied for this offer."))
    try:
        # One application per offer and pupil is a unique constraint: a second request at the same moment
        # (a double click, a retried API call) waits for the first and is then told so.
        with transaction.atomic():
            application = Application.objects.create(offer=offer, applicant=actor, message=message.strip())
    except IntegrityError:
        raise ValidationError(_("You have already applied for this offer.")) from None
    audit_record(actor=actor, action="application.create", target=application, summary=str(offer.pk))
    return application


@transaction.atomic
def application_document_add(
    *, actor: User, application: Application, upload: UploadedFile
) -> ApplicationDocument:
    if application.applicant_id != actor.pk:
        raise ValidationError(_("Only the applicant can add documents."))
    if application.state not in {S.DRAFT, S.SENT, S.INVITED}:
        raise ValidationError(_("Documents can be added until a place is offered."))
    if application.documents.count() >= settings.APPLICATION_DOCUMENT_MAX_COUNT:
        raise ValidationError(
            _("At most %(count)d documents per application.")
            % {"count": settings.APPLICATION_DOCUMENT_MAX_COUNT}
        )
    content_type = document_type(upload, max_bytes=settings.APPLICATION_DOCUMENT_MAX_BYTES)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original = (upload.name or "document").replace("\x00", "")[-200:]
    document = ApplicationDocument(
        application=application,
        original_name=original,
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
    )
    document.file.save(original, upload, save=False)
    document.save()
    audit_record(actor=actor, action="application.document", target=application, summary=document.sha256)
    return document


@transaction.atomic
def application_document_delete(*, actor: User, document: ApplicationDocument) -> None:
    application = document.application
    if application.applicant_id != actor.pk or application.state not in {S.DRAFT}:
        raise ValidationError(_("A document can only be removed before the application is sent."))
    name = document.file.name
    document.delete()
    transaction.on_commit(lambda: document.file.storage.delete(name))
    audit_record(actor=actor, action="application.document_delete", target=application, summary=name)


def _notify(application: Application, event: ApplicationEvent) -> None:
    """A German message to the applicant about the step, through the outbox (console backend by default)."""
    applicant = application.applicant
    if not applicant.email:
        return
    with translation.override("de"):
        context = {
            "application": application,
            "offer": application.offer,
            "event": event,
            "applicant": applicant,
        }
        subject = render_to_string("offers/mail/step_subject.txt", context).strip()
        body = render_to_string("offers/mail/step_body.txt", context)
    # Written in the transaction of the step, sent after its commit and retried until it goes out (the outbox
    # of core.mail); the subject is made header-safe there (an offer title may hold a line break from before
    # single-line inputs were checked, or from an import).
    mail_queue(to=applicant.email, subject=subject, body=body)


def _contract_draft(*, actor: User, application: Application) -> TrainingContract:
    """The contract draft with the facts of the offer (BBiG § 11): the company completes it before signing.

    The duration is the regulation's (BBiG § 5 Abs. 1 Nr. 2); for a part-time place extended by § 7a Abs. 2
    (`core.services.part_time_months`), with the offer's weekly hours.
    """
    offer = application.offer
    if offer.chamber is None:
        raise ValidationError(
            _("No competent chamber is known for this offer; the contract cannot be drafted.")
        )
    regular = offer.occupation.duration_months
    if not regular:
        raise ValidationError(
            _(
                "The duration of this occupation could not be read from its training regulation (BBiG § 5 "
                "Abs. 1 Nr. 2); the contract cannot be drafted."
            )
        )
    reduction = OfferInput.from_offer(offer).part_time_reduction
    months = part_time_months(regular, reduction) if reduction is not None else regular
    start = offer.start_date
    return contract_create(
        actor=actor,
        apprentice=application.applicant,
        company=offer.company,
        site=offer.site,
        occupation=offer.occupation,
        specialisation=offer.specialisation,
        chamber=offer.chamber,
        start_date=start,
        end_date=training_end(start, months),
        # BBiG § 20: at most four months; the draft proposes the maximum, the parties may shorten it.
        probation_end=add_months(start, PROBATION_MAX_MONTHS) - datetime.timedelta(days=1),
        status=TrainingContract.Status.DRAFT,
        weekly_hours=offer.weekly_hours,
        full_time_weekly_hours=offer.full_time_weekly_hours if reduction is not None else None,
        duration_reason=(
            TrainingContract.DurationReason.PART_TIME
            if reduction is not None
            else TrainingContract.DurationReason.NONE
        ),
    )


@dataclass
class StepResult:
    application: Application
    contract: TrainingContract | None = None
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def application_transition(
    *, actor: User, side: str, application: Application, to: str, message: str = ""
) -> StepResult:
    """Take one step of the state machine (`TRANSITIONS`), write the event, tell the applicant.

    `side` is decided by the caller's access check (the applicant, or a member of the offering company).
    Accepting a place takes one of the offer's free places and creates the contract draft.
    """
    application = (
        Application.objects.select_for_update().select_related("offer", "applicant").get(pk=application.pk)
    )
    frm = application.state
    who = TRANSITIONS.get((frm, to))
    if who is None or who != side:
        raise ValidationError(
            _("This step is not possible: the application is “%(state)s”.") % {"state": S(frm).label}
        )
    result = StepResult(application=application)
    offer = Offer.objects.select_for_update().get(pk=application.offer_id)
    if to == S.SENT:
        if not offer.accepts_applications:
            raise ValidationError(_("This offer does not take applications at the moment."))
        if offer.deadline is not None and offer.deadline < timezone.localdate():
            raise ValidationError(_("The application deadline has passed."))
        application.sent_at = timezone.now()
    if to == S.OFFERED and offer.free_places == 0:
        raise ValidationError(_("All places of this offer are taken."))
    if to == S.ACCEPTED:
        if offer.free_places == 0:
            raise ValidationError(
                _("All places of this offer are taken in the meantime. Please contact the company.")
            )
        Offer.objects.filter(pk=offer.pk).update(places_taken=F("places_taken") + 1)
        application.offer = offer
        result.contract = _contract_draft(actor=actor, application=application)
        application.contract = result.contract
    application.state = to
    application.save(update_fields=["state", "sent_at", "contract", "updated_at"])
    event = ApplicationEvent.objects.create(
        application=application, actor=actor, from_state=frm, to_state=to, message=message.strip()
    )
    audit_record(
        actor=actor,
        action="application.step",
        target=application,
        summary=message[:200],
        changes={"state": [frm, to]},
    )
    if side == COMPANY or to in {S.SENT, S.ACCEPTED}:
        _notify(application, event)
    return result


@transaction.atomic
def application_offer_matched(
    *, actor: User | None, offer: Offer, applicant: User, message: str = "", note: str = ""
) -> tuple[Application, bool]:
    """Offer a place that a clearing round matched (`transition.clearing`): both sides ranked each other
    there, so the application goes straight to "offered", outside the usual steps of `TRANSITIONS`.

    Creates the application (with the applicant's `message` to the company) or moves an existing one to
    "offered" (also a declined or withdrawn one: the round's ranks are the newer word of both sides), writes
    the event with `note` and tells the applicant. Idempotent: an application already offered or accepted
    stays as it is (returns changed=False). Like the company's own step to "offered", it needs a free place.
    """
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    application = Application.objects.select_for_update().filter(offer=offer, applicant=applicant).first()
    if application is not None and application.state in {S.OFFERED, S.ACCEPTED}:
        return application, False
    if offer.free_places == 0:
        raise ValidationError(_("All places of this offer are taken."))
    if application is None:
        application = Application.objects.create(offer=offer, applicant=applicant, message=message.strip())
        audit_record(actor=actor, action="application.create", target=application, summary=str(offer.pk))
    frm = application.state
    application.state = S.OFFERED
    application.sent_at = application.sent_at or timezone.now()
    application.save(update_fields=["state", "sent_at", "updated_at"])
    event = ApplicationEvent.objects.create(
        application=application, actor=actor, from_state=frm, to_state=S.OFFERED, message=note.strip()
    )
    audit_record(
        actor=actor,
        action="application.step",
        target=application,
        summary=note[:200],
        changes={"state": [frm, S.OFFERED]},
    )
    _notify(application, event)
    return application, True


@transaction.atomic
def application_note_add(*, actor: User, application: Application, text: str) -> ApplicationNote:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Please write a note.")})
    note = ApplicationNote.objects.create(application=application, author=actor, text=text)
    audit_record(actor=actor, action="application.note", target=application, summary="")
    return note


# --- the interview of an invitation ------------------------------------------------------------------------------

IS = Application.InterviewStatus

# Who may take which step of the interview date, from which status; the application must be INVITED (a
# company's proposal on a SENT application invites at the same time). Declining the invitation is the
# applicant's step INVITED → WITHDRAWN of `TRANSITIONS`, with the reason as its message.
INTERVIEW_STEPS: dict[str, tuple[str, set[str]]] = {
    "propose": (COMPANY, {IS.NONE, IS.PROPOSED, IS.COUNTER, IS.AGREED}),
    "accept": (APPLICANT, {IS.PROPOSED}),
    "counter": (APPLICANT, {IS.NONE, IS.PROPOSED, IS.AGREED}),
    "confirm": (COMPANY, {IS.COUNTER}),
}


def interview_steps(application: Application, side: str) -> list[str]:
    """The interview steps open to `side` now (for the page's buttons and forms)."""
    if application.state not in {S.INVITED} and not (application.state == S.SENT and side == COMPANY):
        return []
    steps = [
        step
        for step, (who, statuses) in INTERVIEW_STEPS.items()
        if who == side and application.interview_status in statuses
    ]
    if application.state == S.SENT:
        return [step for step in steps if step == "propose"]
    if side == APPLICANT:
        steps.append("decline")
    return steps


def interview_text(application: Application) -> str:
    if application.interview_at is None:
        return ""
    when = timezone.localtime(application.interview_at).strftime("%d.%m.%Y %H:%M")
    where = _("online") if application.interview_online else application.interview_place
    return f"{when}, {where}" if where else when


def company_recipients(offer: Offer) -> list[str]:
    """Where mail for the company about an application goes: the offer's contact address, else the company's
    administrators."""
    if offer.contact_email:
        return [offer.contact_email]
    return sorted(
        set(
            Membership.objects.filter(
                organisation_id=offer.company_id, role=Role.COMPANY_ADMIN, is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _interview_mail(application: Application, *, to_side: str, what: str, message: str) -> None:
    """Tell the other side about an interview step, through the outbox (German)."""
    offer = application.offer
    with translation.override("de"):
        title = offer.display_title
        name = application.applicant.get_full_name() or application.applicant.username
        subject = _("Interview for “%(title)s”: %(what)s") % {"title": title, "what": what}
        lines = [
            _("Interview for “%(title)s” at %(company)s, applicant %(name)s: %(what)s")
            % {"title": title, "company": offer.company.name, "name": name, "what": what}
        ]
        if application.interview_at is not None:
            lines.append(_("Date: %(when)s") % {"when": interview_text(application)})
        if message:
            lines += ["", message]
        lines += ["", _("Please answer on the platform, on the page of the application.")]
        body = "\n".join(lines) + "\n"
    if to_side == APPLICANT:
        recipients = [application.applicant.email] if application.applicant.email else []
    else:
        recipients = company_recipients(offer)
    for address in recipients:
        mail_queue(to=address, subject=subject, body=body)


def _interview_check(application: Application, side: str, step: str) -> None:
    who, statuses = INTERVIEW_STEPS[step]
    allowed_state = application.state == S.INVITED or (step == "propose" and application.state == S.SENT)
    if who != side or not allowed_state or application.interview_status not in statuses:
        raise ValidationError(
            _("This step is not possible: the application is “%(state)s”, its interview date “%(date)s”.")
            % {"state": S(application.state).label, "date": IS(application.interview_status).label}
        )


def _interview_event(application: Application, actor: User, frm: str, note: str) -> None:
    ApplicationEvent.objects.create(
        application=application, actor=actor, from_state=frm, to_state=application.state, message=note
    )


def _future(at: datetime.datetime) -> None:
    if at <= timezone.now():
        raise ValidationError({"at": _("Please choose a date and time in the future.")})


@transaction.atomic
def interview_propose(
    *,
    actor: User,
    side: str,
    application: Application,
    at: datetime.datetime,
    place: str = "",
    online: bool = False,
    message: str = "",
) -> Application:
    """The company proposes an interview date (invites a sent application at the same time)."""
    application = (
        Application.objects.select_for_update().select_related("offer", "applicant").get(pk=application.pk)
    )
    _interview_check(application, side, "propose")
    _future(at)
    place = place.strip()
    if not online and not place:
        raise ValidationError({"place": _("Please name the place of the interview, or tick “online”.")})
    frm, before = application.state, application.interview_status
    application.state = S.INVITED
    application.interview_status = IS.PROPOSED
    application.interview_at, application.interview_place, application.interview_online = at, place, online
    application.save(
        update_fields=[
            "state",
            "interview_status",
            "interview_at",
            "interview_place",
            "interview_online",
            "updated_at",
        ]
    )
    note = _("Interview proposed: %(when)s") % {"when": interview_text(application)}
    _interview_event(application, actor, frm, f"{note}\n{message.strip()}".strip())
    audit_record(
        actor=actor,
        action="application.interview",
        target=application,
        summary="propose",
        changes={"state": [frm, application.state], "interview_status": [before, IS.PROPOSED]},
    )
    _interview_mail(application, to_side=APPLICANT, what=_("a date is proposed"), message=message.strip())
    return application


@transaction.atomic
def interview_accept(*, actor: User, side: str, application: Application) -> Application:
    """The applicant accepts the company's proposed date."""
    application = (
        Application.objects.select_for_update().select_related("offer", "applicant").get(pk=application.pk)
    )
    _interview_check(application, side, "accept")
    return _interview_agree(actor, application, what=_("the applicant accepted the date"), to_side=COMPANY)


@transaction.atomic
def interview_confirm(*, actor: User, side: str, application: Application) -> Application:
    """The company confirms the date the applicant proposed."""
    application = (
        Application.objects.select_for_update().select_related("offer", "applicant").get(pk=application.pk)
    )
    _interview_check(application, side, "confirm")
    return _interview_agree(actor, application, what=_("the company confirmed your date"), to_side=APPLICANT)


def _interview_agree(actor: User, application: Application, *, what: str, to_side: str) -> Application:
    before = application.interview_status
    application.interview_status = IS.AGREED
    application.save(update_fields=["interview_status", "updated_at"])
    _interview_event(
        application,
        actor,
        application.state,
        _("Interview date agreed: %(when)s") % {"when": interview_text(application)},
    )
    audit_record(
        actor=actor,
        action="application.interview",
        target=application,
        summary="agree",
        changes={"interview_status": [before, IS.AGREED]},
    )
    _interview_mail(application, to_side=to_side, what=what, message="")
    return application


@transaction.atomic
def interview_counter(
    *, actor: User, side: str, application: Application, at: datetime.datetime, message: str = ""
) -> Application:
    """The applicant proposes another date; the company sees it and can confirm it (or propose again).
    The place stays the company's."""
    application = (
        Application.objects.select_for_update().select_related("offer", "applicant").get(pk=application.pk)
    )
    _interview_check(application, side, "counter")
    _future(at)
    before = application.interview_status
    application.interview_status = IS.COUNTER
    application.interview_at = at
    application.save(update_fields=["interview_status", "interview_at", "updated_at"])
    note = _("Other date proposed by the applicant: %(when)s") % {"when": interview_text(application)}
    _interview_event(application, actor, application.state, f"{note}\n{message.strip()}".strip())
    audit_record(
        actor=actor,
        action="application.interview",
        target=application,
        summary="counter",
        changes={"interview_status": [before, IS.COUNTER]},
    )
    _interview_mail(
        application, to_side=COMPANY, what=_("the applicant proposes another date"), message=message.strip()
    )
    return application


@transaction.atomic
def interview_decline(*, actor: User, side: str, application: Application, reason: str = "") -> Application:
    """The applicant declines the invitation: the application is withdrawn (INVITED → WITHDRAWN), with the
    optional reason as the step's message; the company is told."""
    if side != APPLICANT or application.state != S.INVITED:
        raise ValidationError(
            _("This step is not possible: the application is “%(state)s”.")
            % {"state": S(application.state).label}
        )
    result = application_transition(
        actor=actor, side=side, application=application, to=S.WITHDRAWN, message=reason
    )
    _interview_mail(
        result.application,
        to_side=COMPANY,
        what=_("the applicant declined the invitation"),
        message=reason.strip(),
    )
    return result.application
