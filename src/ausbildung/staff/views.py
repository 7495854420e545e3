"""Pages of the training staff (issue #21). Page access: `access.RULES`; which company, contract or evidence a
person reaches: `access` scopes (404 outside them)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ausbildung.core import exports
from ausbildung.core.audit import note_read
from ausbildung.core.forms import add_service_errors
from ausbildung.core.models import Occupation, Organisation, Role, TrainingSite, User
from ausbildung.core.params import parse_id, parse_int
from ausbildung.core.types import AuthenticatedRequest

from . import access, aevo, forms, selectors, services
from .models import Course, CourseRecord, Qualification

STAFF_READERS = (Role.COMPANY_ADMIN, Role.CHAMBER_OFFICER, Role.PLATFORM_ADMIN)
CHAMBER_ROWS = 200


def _company(request: AuthenticatedRequest) -> Organisation:
    """The company the page is about: `?betrieb=<id>` among those the person administers, else the first."""
    companies = access.companies(request.user).order_by("name", "pk")
    wanted = parse_id(request.GET.get("betrieb") or request.POST.get("betrieb"))
    if wanted is not None:
        return get_object_or_404(companies, pk=wanted)
    company = companies.first()
    if company is None:
        raise Http404
    return company


def _crafts() -> list[Occupation]:
    return list(Occupation.objects.filter(is_active=True).order_by("name").only("pk", "name"))


def _company_page(
    request: AuthenticatedRequest,
    company: Organisation,
    form: forms.QualificationForm | None = None,
    staffing_form: forms.StaffingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The company's page; `staffing_form` is a bound form of one site that did not validate."""
    today = timezone.localdate()
    trainers = selectors.trainer_rows(company, today=today)
    contracts = list(selectors.company_contracts(company))
    findings = selectors.contract_findings(contracts, today=today)
    flagged = [(c, findings[c.pk]) for c in contracts if findings[c.pk]]
    candidates = [row.trainer for row in trainers]
    if request.user not in candidates and request.user.is_authenticated:
        candidates.append(request.user)  # an administrator who trains themselves
    note_read(request, [c.apprentice_id for c, _f in flagged], "staff.company", roles=STAFF_READERS)
    return render(
        request,
        "staff/company.html",
        {
            "company": company,
            "companies": access.companies(request.user).order_by("name", "pk"),
            "trainers": trainers,
            "flagged": flagged,
            "contracts": len(contracts),
            "sites": [
                (
                    row,
                    staffing_form
                    if staffing_form is not None and staffing_form.prefix == _prefix(row.site)
                    else forms.StaffingForm(
                        prefix=_prefix(row.site),
                        initial={
                            "as_of": today,
                            "skilled_staff": row.staffing.skilled_staff if row.staffing else None,
                        },
                    ),
                )
                for row in selectors.site_rows(selectors.company_sites(company))
            ],
            "form": form or forms.QualificationForm(trainers=candidates, crafts=_crafts()),
        },
        status=status,
    )


def _prefix(site: TrainingSite) -> str:
    return f"standort{site.pk}"


def company(request: AuthenticatedRequest) -> HttpResponse:
    return _company_page(request, _company(request))


@require_POST
def qualification_add(request: AuthenticatedRequest) -> HttpResponse:
    company = _company(request)
    trainers = [row.trainer for row in selectors.trainer_rows(company)]
    candidates = [*trainers, request.user] if request.user not in trainers else trainers
    form = forms.QualificationForm(request.POST, request.FILES, trainers=candidates, crafts=_crafts())
    if form.is_valid():
        data = form.cleaned_data
        trainer = next((t for t in candidates if t.pk == data["trainer"]), None)
        craft = Occupation.objects.filter(pk=data["craft"]).first() if data["craft"] else None
        try:
            if trainer is None:
                raise ValidationError({"trainer": _("This person is not a trainer of your company.")})
            services.qualification_add(
                actor=request.user,
                company=company,
                trainer=trainer,
                kind=data["kind"],
                passed_on=data["passed_on"],
                issued_by=data["issued_by"],
                vocational=data["vocational"],
                craft=craft,
                document=data.get("document"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The evidence is recorded."))
            return redirect(f"{reverse('staff:company')}?betrieb={company.pk}")
    return _company_page(request, company, form=form, status=400)


def _qualification_of_company(request: AuthenticatedRequest, qualification_id: int) -> Qualification:
    return get_object_or_404(
        Qualification.objects.filter(company__in=access.companies(request.user)), pk=qualification_id
    )


@require_POST
def qualification_withdraw(request: AuthenticatedRequest, qualification_id: int) -> HttpResponse:
    qualification = _qualification_of_company(request, qualification_id)
    services.qualification_withdraw(actor=request.user, qualification=qualification)
    messages.success(request, _("The evidence is withdrawn; it stays on record with the date."))
    return redirect(f"{reverse('staff:company')}?betrieb={qualification.company_id}")


@require_POST
def role(request: AuthenticatedRequest, trainer_id: int) -> HttpResponse:
    company = _company(request)
    trainer = get_object_or_404(selectors.trainers_of(company), pk=trainer_id)
    form = forms.RoleForm(request.POST)
    if form.is_valid():
        try:
            services.role_set(
                actor=request.user, company=company, trainer=trainer, full_time=form.cleaned_data["full_time"]
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Saved."))
    return redirect(f"{reverse('staff:company')}?betrieb={company.pk}")


@require_POST
def site(request: AuthenticatedRequest, site_id: int) -> HttpResponse:
    found = get_object_or_404(
        TrainingSite.objects.filter(company__in=access.companies(request.user)), pk=site_id
    )
    form = forms.StaffingForm(request.POST, prefix=_prefix(found))
    if form.is_valid():
        try:
            services.staffing_add(actor=request.user, site=found, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The skilled staff of the site is recorded."))
            return redirect(f"{reverse('staff:company')}?betrieb={found.company_id}")
    return _company_page(request, found.company, staffing_form=form, status=400)


def document(request: AuthenticatedRequest, qualification_id: int) -> FileResponse:
    qualification = get_object_or_404(
        access.qualifications_visible(request.user).exclude(document=""), pk=qualification_id
    )
    note_read(request, [qualification.trainer_id], "staff.document", qualification, roles=STAFF_READERS)
    return exports.stored_file(
        qualification.document,
        content_type=qualification.document_type,
        file_name=qualification.document_name,
    )


def mine(request: AuthenticatedRequest) -> HttpResponse:
    """A trainer's own evidence, their contracts as main trainer and their load, per company."""
    today = timezone.localdate()
    companies = Organisation.objects.filter(
        memberships__user=request.user, memberships__role=Role.TRAINER, memberships__is_active=True
    ).distinct()
    rows = []
    for company_ in companies:
        row = next(
            (r for r in selectors.trainer_rows(company_, today=today) if r.trainer.pk == request.user.pk),
            None,
        )
        if row is not None:
            rows.append((company_, row))
    evidence = Qualification.objects.filter(trainer=request.user).order_by("-passed_on", "-pk")
    return render(request, "staff/mine.html", {"rows": rows, "evidence": evidence})


def chamber(request: AuthenticatedRequest) -> HttpResponse:
    """The chamber's contracts that lack a trainer or evidence, and evidence of its contracts' trainers waiting
    for its confirmation."""
    today = timezone.localdate()
    scope = access.chamber_contracts(request.user)
    # only the contracts SQL finds without a qualified main trainer are read (a chamber has tens of thousands),
    # then the rules word their findings; at most CHAMBER_ROWS are listed, with the total
    candidates = list(
        selectors.lacking_qualified_trainer(scope, today=today)
        .select_related("apprentice", "occupation", "chamber", "company", "site")
        .order_by("company__name", "apprentice__last_name", "pk")[: CHAMBER_ROWS + 1]
    )
    findings = selectors.contract_findings(candidates[:CHAMBER_ROWS], today=today)
    flagged = [(c, findings[c.pk]) for c in candidates[:CHAMBER_ROWS] if findings[c.pk]]
    to_confirm = list(
        access.qualifications_visible(request.user)
        .filter(withdrawn_at__isnull=True, confirmed_at__isnull=True)
        .exclude(company__in=access.companies(request.user))
        .exclude(trainer=request.user)
        .select_related("trainer", "company", "craft")
        .order_by("company__name", "trainer__last_name", "pk")
    )
    note_read(request, [c.apprentice_id for c, _f in flagged], "staff.chamber", roles=STAFF_READERS)
    return render(
        request,
        "staff/chamber.html",
        {
            "flagged": flagged,
            "more": len(candidates) > CHAMBER_ROWS,
            "contracts": scope.count(),
            "to_confirm": to_confirm,
        },
    )


@require_POST
def confirm(request: AuthenticatedRequest, qualification_id: int) -> HttpResponse:
    qualification = get_object_or_404(
        access.qualifications_visible(request.user)
        .exclude(company__in=access.companies(request.user))
        .exclude(trainer=request.user),
        pk=qualification_id,
    )
    try:
        services.qualification_confirm(actor=request.user, qualification=qualification)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The evidence is confirmed."))
    return redirect("staff:chamber")


# --- continuing education ----------------------------------------------------------------------------------


def _log_candidates(request: AuthenticatedRequest) -> list[User]:
    """Whose courses the person may log: their own (when a trainer) and their companies' trainers."""
    people: dict[int, User] = {}
    if selectors.trains_anywhere(request.user):
        people[request.user.pk] = request.user
    for company_ in access.companies(request.user).filter(kind=Organisation.Kind.COMPANY):
        for row in selectors.trainer_rows(company_):
            people.setdefault(row.trainer.pk, row.trainer)
    return list(people.values())


def courses(
    request: AuthenticatedRequest,
    form: forms.RecordForm | None = None,
    course_form: forms.CourseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The chambers' upcoming courses for training staff; the person's log (and that of their companies'
    trainers) with the hours of the last 12 months; a chamber officer offers and cancels courses here."""
    upcoming = list(selectors.upcoming_courses())
    loggable = [c for c in upcoming if c.starts_on <= timezone.localdate()] + list(selectors.recent_courses())
    candidates = _log_candidates(request)
    chambers = list(access.chambers(request.user).filter(kind=Organisation.Kind.CHAMBER))
    by_person = selectors.logs_of(candidates)
    logs = [(person, by_person.get(person.pk, [])) for person in candidates]
    hours = selectors.hours_in_last_year(person.pk for person in candidates)
    return render(
        request,
        "staff/courses.html",
        {
            "upcoming": upcoming,
            "own_chambers": {c.pk for c in chambers},
            "logs": [(person, records, hours.get(person.pk, 0)) for person, records in logs],
            "form": form
            or (
                forms.RecordForm(
                    trainers=candidates, courses=loggable, initial={"attended_on": timezone.localdate()}
                )
                if candidates
                else None
            ),
            "course_form": course_form or (forms.CourseForm(chambers=chambers) if chambers else None),
            "chambers": chambers,
        },
        status=status,
    )


@require_POST
def record_add(request: AuthenticatedRequest) -> HttpResponse:
    candidates = _log_candidates(request)
    upcoming = list(selectors.upcoming_courses()) + list(selectors.recent_courses())
    form = forms.RecordForm(request.POST, trainers=candidates, courses=upcoming)
    if form.is_valid():
        data = form.cleaned_data
        trainer = next(person for person in candidates if person.pk == data["trainer"])
        course = next((c for c in upcoming if c.pk == data["course"]), None)
        try:
            services.record_add(
                actor=request.user,
                trainer=trainer,
                title=data["title"],
                provider=data["provider"],
                attended_on=data["attended_on"],
                hours=data["hours"],
                course=course,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The course is logged."))
            return redirect("staff:courses")
    return courses(request, form=form, status=400)


@require_POST
def record_withdraw(request: AuthenticatedRequest, record_id: int) -> HttpResponse:
    people = [person.pk for person in _log_candidates(request)]
    record = get_object_or_404(CourseRecord.objects.filter(trainer_id__in=people), pk=record_id)
    services.record_withdraw(actor=request.user, record=record)
    messages.success(request, _("The entry is withdrawn; it stays on record with the date."))
    return redirect("staff:courses")


@require_POST
def course_add(request: AuthenticatedRequest) -> HttpResponse:
    chambers = list(access.chambers(request.user).filter(kind=Organisation.Kind.CHAMBER))
    form = forms.CourseForm(request.POST, chambers=chambers)
    if form.is_valid() and chambers:
        data = dict(form.cleaned_data)
        chosen = data.pop("chamber")
        chamber = next((c for c in chambers if c.pk == chosen), chambers[0])
        try:
            services.course_add(actor=request.user, chamber=chamber, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The course is published."))
            return redirect("staff:courses")
    return courses(request, course_form=form, status=400)


@require_POST
def course_cancel(request: AuthenticatedRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(Course.objects.filter(chamber__in=access.chambers(request.user)), pk=course_id)
    services.course_cancel(actor=request.user, course=course)
    messages.success(request, _("The course is cancelled."))
    return redirect("staff:courses")


# --- the AEVO self-check -------------------------------------------------------------------------------------


def self_check(request: AuthenticatedRequest) -> HttpResponse:
    bank = aevo.load()
    return render(
        request,
        "staff/self_check.html",
        {"bank": bank, "progress": selectors.self_check_progress(request.user)},
    )


def self_check_field(request: AuthenticatedRequest) -> HttpResponse:
    """One question of a field (`?feld=1…4`) at a time: the next not yet answered right (or `&frage=<id>`); a POST
    shows the result with the explanation and the paragraph, then the next question."""
    bank = aevo.load()
    field_number = parse_int(request.GET.get("feld"), minimum=1, maximum=4) or 0
    field_ = bank.field(field_number)
    if field_ is None:
        raise Http404
    result = None
    status = 200
    if request.method == "POST":
        question = bank.question(str(request.POST.get("frage", ""))[:20])
        if question is None or question.field != field_number:
            raise Http404
        chosen = parse_int(request.POST.get("antwort"), minimum=0, maximum=aevo.OPTIONS - 1)
        try:
            if chosen is None:
                raise ValidationError({"chosen": _("Choose one of the answers.")})
            question, result = services.self_check_answer(
                person=request.user, question_id=question.id, chosen=chosen
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
    else:
        wanted = request.GET.get("frage")
        question = (
            bank.question(str(wanted)[:20]) if wanted else selectors.next_question(request.user, field_number)
        )
        if (wanted and question is None) or (question is not None and question.field != field_number):
            raise Http404
    progress = next(p for p in selectors.self_check_progress(request.user) if p.field.number == field_number)
    return render(
        request,
        "staff/self_check_field.html",
        {
            "bank": bank,
            "field": field_,
            "question": question,
            "result": result,
            "progress": progress,
            "next": selectors.next_question(request.user, field_number) if result is not None else None,
            "questions": bank.of_field(field_number),
        },
        status=status,
    )
