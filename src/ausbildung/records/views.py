from __future__ import annotations

import datetime
import secrets
import time
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ausbildung.core.audit import note_read
from ausbildung.core.models import Role, TrainingContract, User
from ausbildung.core.params import parse_date, parse_ids
from ausbildung.core.services import add_months
from ausbildung.core.submissions import mark_form_result
from ausbildung.core.types import AuthenticatedRequest

from . import access, exporters, forms, rules, selectors, services, verification
from .models import RecordDay, RecordEvent, RecordPeriod

# The staff roles through which a record book is read (core.audit records the reader in one of them).
READER_ROLES = (
    Role.TRAINER,
    Role.COMPANY_ADMIN,
    Role.VOCATIONAL_SCHOOL_TEACHER,
    Role.CHAMBER_OFFICER,
    Role.PLATFORM_ADMIN,
)


def _note_book_read(request: HttpRequest, contract: TrainingContract, what: str) -> None:
    """A staff member opened this apprentice's record book (core.audit; own and guardians' reads are not)."""
    note_read(request, [contract.apprentice_id], what, contract, roles=READER_ROLES)


# --- helpers ---------------------------------------------------------------------------------------------------


def _date_or_404(raw: str) -> datetime.date:
    day = parse_date(raw)
    if day is None:
        raise Http404
    return day


def _plan_positions(contract: TrainingContract):
    return selectors.taggable_positions(contract).prefetch_related("items")


def _confirmed(request: HttpRequest) -> bool:
    """The signer ticked "I have seen the working-time findings" (records.services.record_period_sign)."""
    return request.POST.get("confirm_findings") in {"on", "1", "true"}


def _messages(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        return {
            key: " ".join(str(m) for e in value for m in e.messages)
            for key, value in error.error_dict.items()
        }
    return {"__all__": " ".join(error.messages)}


# --- apprentice: the book and a period -------------------------------------------------------------------------


def mine(request: HttpRequest) -> HttpResponse:
    contract = selectors.active_contract_of(request.user)
    if contract is None:
        messages.info(request, _("You have no active training contract on the platform yet."))
        return redirect("core:home")
    return redirect("records:book", contract_id=contract.pk)


def book(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract, level = selectors.get_record_contract_for(request.user, contract_id)
    today = timezone.localdate()
    _note_book_read(request, contract, "records.book")
    rows = selectors.book_rows(contract, until=today)
    summary = selectors.summarise(
        contract,
        rows,
        today=today,
        last_review=max((r.period.signed_at for r in rows if r.period and r.period.signed_at), default=None),
    )
    status_filter = request.GET.get("status", "")
    # The current period, still empty, is not "missing" yet (it is shown as open, and not under that filter).
    shown = [
        r
        for r in rows
        if not status_filter
        or (r.status == status_filter and (r.ended or status_filter != selectors.MISSING))
    ]
    page = Paginator(list(reversed(shown)), 26).get_page(request.GET.get("page"))
    next_start = None
    if access.can_write_record(request.user, contract):
        current = rules.period_bounds(contract, min(max(today, contract.start_date), contract.end_date))[0]
        next_start = current
    context = {
        "contract": contract,
        "level": level,
        "summary": summary,
        "page": page,
        "status_filter": status_filter,
        "statuses": [("missing", _("Missing")), *RecordPeriod.State.choices],
        "can_write": access.can_write_record(request.user, contract),
        "can_acknowledge": access.can_acknowledge_record(request.user, contract),
        "can_share": access.can_share_record(request.user, contract),
        "next_start": next_start,
        "rules": rules.rules_for(contract),
        "guardian_due": selectors.guardian_acknowledgement_due(contract, today=today),
        # in the last six months of the training the book points to what can follow it (pathways)
        "ends_soon": contract.end_date <= add_months(today, LAST_MONTHS) and contract.end_date >= today,
    }
    return render(request, "records/book.html", context)


LAST_MONTHS = 6


# Reading or writing a saved period needs the apprentice only; a new period (prefilled public holidays) needs
# the site's Land too, fetched then (selectors.load_site_region) instead of joined into every page view.
PERIOD_RELATED = ("apprentice",)
# Choice labels for the week page, mapped once (lazy: translated when shown) instead of get_FOO_display per row.
PLACE_LABELS = dict(RecordDay.Place.choices)
ACTION_LABELS = dict(RecordEvent.Action.choices)


def period(request: AuthenticatedRequest, contract_id: int, start: str) -> HttpResponse:
    """The week page: one period of the record, to read, to write (the apprentice) or to review (trainers)."""
    contract, level = selectors.get_record_contract_for(request.user, contract_id, related=PERIOD_RELATED)
    _note_book_read(request, contract, "records.period")
    day = _date_or_404(start)
    try:
        period_start, period_end = rules.period_bounds(contract, day)
    except ValidationError:
        # Not the generic 404: say why there is no such period, and where the contract's term lies.
        explained = {"contract": contract, "day": day, "message": rules.outside_contract_message(contract)}
        return render(request, "records/outside_contract.html", explained, status=404)
    if period_start != day:
        return redirect("records:period", contract_id=contract.pk, start=period_start.isoformat())
    existing = selectors.get_period(contract, period_start)
    can_write = access.can_write_record(request.user, contract) and not (existing and existing.is_locked)
    form = None
    conflict = None
    if request.method == "POST":
        access.require_record_write(request.user, contract, existing)
        form = forms.PeriodForm(request.POST, dates=rules.dates_of(period_start, period_end))
        if form.is_valid():
            try:
                saved = services.record_period_write(
                    actor=request.user, contract=contract, start=period_start, **form.write_arguments()
                )
            except services.Superseded:
                # An autosave overtaken by a newer write of the same page: the newer text stays; no conflict.
                current = selectors.get_period(contract, period_start)
                return _written(request, current, "autosave") if current else HttpResponse(status=204)
            except services.StaleVersion:
                # A real conflict (another device, tab or person saved in between): the page keeps what was
                # typed in the form and shows the other version beside it; the next save replaces it.
                conflict = selectors.get_period(contract, period_start)
                form.add_error(None, str(CONFLICT_MESSAGE))
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return _written(request, saved, form.cleaned_data["action"])
        if getattr(request, "htmx", False):
            return render(
                request,
                "records/_autosave.html",
                {"errors": form.page_errors(), "conflict": conflict is not None},
                status=409 if conflict is not None else 422,
            )
    shown = form.saved if form is not None and form.saved is not None else existing
    if conflict is not None:
        shown = conflict
    context = _period_page(request, contract, level, period_start, shown, can_write)
    if conflict is not None:
        # The other version's texts, read before the form's entries are put onto the shown period.
        context["conflict_record"] = SimpleNamespace(
            company_work=conflict.company_work, instruction=conflict.instruction, school=conflict.school
        )
    context["edit_session"] = secrets.token_hex(16)
    context["edit_seq"] = "0"
    if form is not None:
        # Shown again with the errors, as entered instead of as stored: nothing typed is lost.
        form.show_entered(context["record"], context["days"])
        context.update(
            errors=form.page_errors(),
            selected_items=form.entered_items(),
            version=str(conflict.version) if conflict is not None else form.shown_version(),
        )
        token, seq = form.shown_session()
        if token:
            context.update(edit_session=token, edit_seq=seq)
    if context["can_write"]:
        context["submit_from"] = (
            None
            if rules.period_has_ended(context["record"].end, timezone.localdate())
            else context["record"].end
        )
    return render(request, "records/period.html", context)


CONFLICT_MESSAGE = gettext_lazy(
    "This period was changed elsewhere in the meantime (on another device or by someone else). Your text is "
    "still in the form; the version saved elsewhere is shown beside it. Keep what you want from both and save "
    "again: your save then replaces the other version."
)


def _period_page(
    request: HttpRequest,
    contract: TrainingContract,
    level: str,
    period_start: datetime.date,
    existing: RecordPeriod | None,
    can_write: bool,
) -> dict[str, Any]:
    """What the week page shows: the saved period (`existing`) or, not yet written, the prefilled one."""
    # The previous period: its days prefill a new period, and the writer may copy its texts. Read once.
    previous = (
        selectors.previous_period(contract, period_start, with_days=existing is None)
        if can_write or existing is None
        else None
    )
    if existing is not None:
        record, days = existing, list(existing.days.all())
    else:
        selectors.load_site_region(contract)  # the Land, for its public holidays
        record, days = rules.new_period(contract, period_start, previous=previous)
    may_review = existing is not None and access.can_review_record(request.user, contract)
    return {
        "contract": contract,
        "level": level,
        "record": record,
        "saved": existing is not None,
        "days": days,
        "version": record.version,
        "places": RecordDay.Place.choices,
        "place_labels": PLACE_LABELS,
        "action_labels": ACTION_LABELS,
        "errors": {},
        "can_write": can_write,
        "can_review": may_review and record.state == RecordPeriod.State.SUBMITTED,
        # What was signed before a reopening, read only for periods that were reopened (no query otherwise).
        "signed_versions": selectors.signed_versions(existing)
        if existing is not None
        and any(e.action == RecordEvent.Action.REOPENED for e in existing.events.all())
        else [],
        "can_reopen": may_review and record.state == RecordPeriod.State.SIGNED,
        # After signing (or returning) a period, the trainer goes on with the most urgent one left.
        "next_in_queue": selectors.next_in_queue(request.user, after=existing)
        if may_review and record.state != RecordPeriod.State.SUBMITTED
        else None,
        "own_record": request.user.pk == contract.apprentice_id,
        "positions": _plan_positions(contract) if level == access.RECORD_FULL else [],
        "selected_items": {item.pk for item in existing.items.all()} if existing is not None else set(),
        "repeated": services.repeated_sections(existing) if existing is not None and can_write else [],
        "previous": previous if can_write else None,
        "training_year": rules.training_year(contract.start_date, period_start),
        # Working-time findings (JArbSchG, ArbZG): shown to everyone who reads the whole record.
        "working_time": selectors.working_time_of_period(existing, contract)
        if level == access.RECORD_FULL
        else None,
    }


def _written(request: HttpRequest, saved: RecordPeriod, action: str) -> HttpResponse:
    """The answer once the form is saved: the autosave's status line, the book after a submission, otherwise
    the page again (post/redirect/get) with a warning when a section repeats an earlier period."""
    if action == "autosave" and getattr(request, "htmx", False):
        return render(request, "records/_autosave.html", {"record": saved, "saved_at": timezone.localtime()})
    findings = saved.working_time_findings.count()
    if findings:
        messages.warning(
            request,
            ngettext(
                "The recorded hours exceed a legal working-time limit (%(count)s finding). They were saved as you "
                "entered them; your trainer, your company and the chamber see the finding.",
                "The recorded hours exceed legal working-time limits (%(count)s findings). They were saved as you "
                "entered them; your trainer, your company and the chamber see the findings.",
                findings,
            )
            % {"count": findings},
        )
    if action == "submit":
        messages.success(request, _("Submitted. Your trainer has been informed."))
        return redirect("records:book", contract_id=saved.contract_id)
    repeated = services.repeated_sections(saved)
    if repeated:
        messages.warning(
            request,
            _(
                "The text of %(sections)s repeats an earlier period word for word. Please record what you actually did and learned this time."
            )
            % {"sections": ", ".join(repeated)},
        )
    messages.success(request, _("Draft saved."))
    return redirect("records:period", contract_id=saved.contract_id, start=saved.start.isoformat())


# --- trainer ---------------------------------------------------------------------------------------------------


@require_POST
def review(request: AuthenticatedRequest, contract_id: int, start: str) -> HttpResponse:
    record = selectors.get_period_to_review_for(request.user, contract_id, _date_or_404(start))
    contract = record.contract
    action = request.POST.get("action")
    try:
        if action == "sign":
            services.record_period_sign(
                actor=request.user, period=record, confirm_findings=_confirmed(request)
            )
            messages.success(request, _("Period signed."))
        elif action == "return":
            services.record_period_return(
                actor=request.user, period=record, comment=request.POST.get("comment", "")
            )
            messages.success(request, _("Period returned to the apprentice."))
        elif action == "reopen":
            services.record_period_reopen(
                actor=request.user, period=record, reason=request.POST.get("comment", "")
            )
            messages.success(request, _("Period reopened for correction."))
        else:
            raise Http404
    except ValidationError as error:
        for message in _messages(error).values():
            messages.error(request, message)
        return redirect("records:period", contract_id=contract.pk, start=record.start.isoformat())
    if request.POST.get("next") == reverse("records:queue"):
        return redirect("records:queue")
    return redirect("records:period", contract_id=contract.pk, start=record.start.isoformat())


def queue(request: AuthenticatedRequest) -> HttpResponse:
    """The trainer's review queue, most urgent first, overdue periods marked; several periods are signed in two
    steps: choose (one by one or "select all"), then confirm the list (nothing chosen is a field error)."""
    form = None
    if request.method == "POST":
        form = forms.BulkSignForm(request.POST, queue=selectors.review_queue(request.user))
        if form.is_valid():
            chosen = list(form.cleaned_data["periods"])
            if not form.cleaned_data["confirmed"]:
                return _bulk_confirm_page(request, chosen)
            return _bulk_sign(request, chosen, confirmed=form.cleaned_data["confirm_findings"])
    return _queue_page(request, form)


def _bulk_confirm_page(request: AuthenticatedRequest, chosen: list[RecordPeriod]) -> HttpResponse:
    """The second step of bulk signing: the chosen periods listed, to be confirmed (or changed)."""
    findings = selectors.period_finding_counts([p.pk for p in chosen])
    names = sorted({str(p.contract.apprentice) for p in chosen})
    if len(names) == 1:
        heading = ngettext(
            "Sign %(count)s period of %(name)s?", "Sign %(count)s periods of %(name)s?", len(chosen)
        ) % {"count": len(chosen), "name": names[0]}
    else:
        heading = _("Sign %(count)s periods of %(people)s apprentices?") % {
            "count": len(chosen),
            "people": len(names),
        }
    rows = [
        {"period": p, "name": str(p.contract.apprentice), "findings": findings.get(p.pk, 0)} for p in chosen
    ]
    return render(
        request,
        "records/queue_confirm.html",
        {"heading": heading, "rows": rows, "any_findings": any(findings.values())},
    )


def _bulk_sign(request: AuthenticatedRequest, chosen: list[RecordPeriod], *, confirmed: bool) -> HttpResponse:
    signed = services.record_periods_sign(actor=request.user, periods=chosen, confirm_findings=confirmed)
    if signed:
        messages.success(
            request,
            ngettext("%(count)s period signed.", "%(count)s periods signed.", len(signed))
            % {"count": len(signed)},
        )
    signed_ids = {p.pk for p in signed}
    unconfirmed = (
        0 if confirmed else len(set(selectors.period_finding_counts([p.pk for p in chosen])) - signed_ids)
    )
    if unconfirmed:
        messages.error(
            request,
            ngettext(
                "%(count)s period with working-time findings was not signed: please confirm that you have "
                "seen the findings.",
                "%(count)s periods with working-time findings were not signed: please confirm that you have "
                "seen the findings.",
                unconfirmed,
            )
            % {"count": unconfirmed},
        )
    return redirect("records:queue")


def _queue_page(request: AuthenticatedRequest, form: forms.BulkSignForm | None) -> HttpResponse:
    book_url_prefix = reverse("records:mine")
    today = timezone.localdate()
    # "Select all" without a script: the page again with every box ticked (records/queue.js ticks them in
    # place); after an invalid choice, the boxes that were ticked stay ticked.
    select_all = request.GET.get("alle") == "1"
    ticked = set(parse_ids(request.POST.getlist("periods")) or []) if form is not None else set()
    # The rows as plain values, not model instances: what they show and nothing more (no section texts, no
    # contract or person fields beyond the name). A page of 50 rows prints ~400 values, and escaping and
    # localising each costs the template more than the query: what is made only of digits, dates and the
    # reversed URL prefix is marked safe here (nothing to escape); names are escaped by the template.
    periods = (
        selectors.review_queue(request.user)
        .select_related(None)
        .values_list(
            "pk",
            "start",
            "end",
            "submitted_at",
            "contract_id",
            "contract__chamber_id",
            "contract__apprentice__username",
            "contract__apprentice__first_name",
            "contract__apprentice__last_name",
            "contract__apprentice_id",
        )
    )
    page = Paginator(periods, 50).get_page(request.GET.get("page"))
    finding_counts = selectors.period_finding_counts([row[0] for row in page.object_list])
    note_read(request, {row[9] for row in page.object_list}, "records.queue", roles=READER_ROLES)
    intervals = selectors.review_intervals(row[5] for row in page.object_list)
    rows = []
    for (
        pk,
        start_date,
        end_date,
        submitted_at,
        contract_id,
        chamber_id,
        username,
        first_name,
        last_name,
        _apprentice_id,
    ) in page.object_list:
        name = str(User(username=username, first_name=first_name, last_name=last_name))  # User.__str__
        start = start_date.strftime("%d.%m.%Y")
        label = start if end_date == start_date else f"{start} – {end_date.strftime('%d.%m.%Y')}"
        rows.append(
            {
                "pk": mark_safe(str(pk)),  # noqa: S308 - digits only
                "name": name,
                "label": mark_safe(label),  # noqa: S308 - dates only
                "url": mark_safe(f"{book_url_prefix}{contract_id}/{start_date.isoformat()}/"),  # noqa: S308 - reversed URL, digits, date
                "submitted": mark_safe(  # noqa: S308 - a date and time only
                    timezone.localtime(submitted_at).strftime("%d.%m.%Y %H:%M") if submitted_at else ""
                ),
                "overdue": selectors.review_overdue(submitted_at, intervals[chamber_id], today=today),
                "checked": select_all or pk in ticked,
                "select_label": _("Select %(name)s, %(start)s") % {"name": name, "start": start},
                "findings": finding_counts.get(pk, 0),
            }
        )
    page_query = f"page={page.number}&" if page.number > 1 else ""
    all_checked = bool(rows) and all(row["checked"] for row in rows)
    return render(
        request,
        "records/queue.html",
        {
            "page": page,
            "rows": rows,
            "form": form,
            "any_overdue": any(row["overdue"] for row in rows),
            "all_checked": all_checked,
            "select_all_url": f"?{page_query}" if all_checked else f"?{page_query}alle=1",
            "intervals": sorted(set(intervals.values())),
        },
        status=400 if form is not None else 200,
    )


def overview(request: HttpRequest) -> HttpResponse:
    contracts = list(selectors.overview_contracts(request.user))
    note_read(request, [c.apprentice_id for c in contracts], "records.overview", roles=READER_ROLES)
    today = timezone.localdate()
    summaries = selectors.summaries(contracts, today=today)
    rows = [(contract, summaries[contract.pk]) for contract in contracts]
    findings = selectors.working_time_finding_counts([c.pk for c in contracts])
    return render(request, "records/overview.html", {"rows": rows, "findings": findings})


def findings(request: HttpRequest, contract_id: int) -> HttpResponse:
    """The working-time findings of one contract (JArbSchG, ArbZG), week by week: for the apprentice, the
    trainers, the company and the chamber of the contract."""
    contract = selectors.get_findings_contract_for(request.user, contract_id)
    _note_book_read(request, contract, "records.findings")
    rows = list(selectors.working_time_findings(contracts=[contract.pk]))
    return render(
        request,
        "records/findings.html",
        {"contract": contract, "rows": rows, "age_unknown": contract.apprentice.date_of_birth is None},
    )


def coverage(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = selectors.get_full_record_contract_for(request.user, contract_id)
    _note_book_read(request, contract, "records.coverage")
    rows = selectors.coverage(contract)
    additional = selectors.coverage(contract, additional=True)
    chart = {
        "labels": [f"{r.position.section_label} {r.position.number}".strip() for r in rows],
        "recorded": [float(r.recorded_weeks) for r in rows],
        "guideline": [r.guideline_weeks or 0 for r in rows],
    }
    context = {"contract": contract, "rows": rows, "additional": additional, "chart": chart}
    return render(request, "records/coverage.html", context)


# --- chamber, guardian, examiner ---------------------------------------------------------------------------------


def chamber(request: HttpRequest) -> HttpResponse:
    raw_cutoff = request.GET.get("stichtag", "")
    cutoff_invalid = bool(raw_cutoff) and parse_date(raw_cutoff) is None  # shown, not silently today
    cutoff = parse_date(raw_cutoff) or timezone.localdate()
    contracts = list(selectors.chamber_contracts(request.user))
    note_read(request, [c.apprentice_id for c in contracts], "records.chamber", roles=READER_ROLES)
    summaries = selectors.summaries(contracts, today=cutoff)
    rows = [(c, summaries[c.pk]) for c in contracts]
    ready = [r for r in rows if r[1].complete]
    not_ready = [r for r in rows if not r[1].complete]
    shares = list(selectors.chamber_examiner_shares(request.user)[:SHARES_SHOWN])
    context = {
        "cutoff": cutoff,
        "cutoff_invalid": cutoff_invalid,
        "ready": ready,
        "not_ready": not_ready,
        "shares": shares,
        "now": timezone.now(),
        "findings": selectors.working_time_finding_counts([c.pk for c in contracts]),
    }
    return render(request, "records/chamber.html", context)


SHARES_SHOWN = 100
# The session key that holds the examiner link opened in this browser: {"id": …, "until": unix time}.
EXAMINER_SESSION_KEY = "records_examiner_share"


@require_POST
def share(request: AuthenticatedRequest, contract_id: int) -> HttpResponse:
    contract = selectors.get_contract_to_share_for(request.user, contract_id)
    form = forms.ExaminerShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The validity must be a number of days from 1 to 90; no link was created."))
        return redirect("records:book", contract_id=contract.pk)
    link, token = services.examiner_share_create(
        actor=request.user, contract=contract, days=form.cleaned_data["days"]
    )
    # The secret is in the fragment: browsers do not send it, so it reaches no server log. It is shown only here
    # (not in a redirect message, which would keep it in the session or a cookie).
    url = request.build_absolute_uri(reverse("records:shared")) + "#" + token
    response = render(request, "records/share_created.html", {"contract": contract, "link": link, "url": url})
    response["Cache-Control"] = "no-store"
    return mark_form_result(response, reverse("records:book", kwargs={"contract_id": contract.pk}))


@require_POST
def share_revoke(request: AuthenticatedRequest, share_id: int) -> HttpResponse:
    link = selectors.get_examiner_share_for(request.user, share_id)
    services.examiner_share_revoke(actor=request.user, share=link)
    messages.success(request, _("The examiner link was revoked."))
    return redirect("records:chamber")


def shared(request: HttpRequest) -> HttpResponse:
    """The examiner's read-only view. The link's secret comes by POST (from the page's script reading the URL
    fragment, or pasted); the session then holds the opened link for EXAMINER_GRANT_SECONDS."""
    if request.method == "POST":
        form = forms.ExaminerTokenForm(request.POST)
        link = services.examiner_share_valid(token=form.cleaned_data["token"]) if form.is_valid() else None
        if link is not None:
            request.session.cycle_key()
            until = min(link.expires_at.timestamp(), time.time() + services.EXAMINER_GRANT_SECONDS)
            request.session[EXAMINER_SESSION_KEY] = {"id": link.pk, "until": until}
            services.examiner_share_access(share=link, what="opened")
            return redirect("records:shared")
        if form.is_valid():
            form.add_error("token", _("This link is invalid, has expired or was revoked."))
        return render(request, "records/shared_open.html", {"form": form}, status=400)
    grant = request.session.get(EXAMINER_SESSION_KEY) or {}
    link = None
    if grant.get("until", 0) > time.time():
        link = services.examiner_share_valid(grant.get("id"))
    if link is None:
        request.session.pop(EXAMINER_SESSION_KEY, None)
        return render(request, "records/shared_open.html", {"form": forms.ExaminerTokenForm()})
    services.examiner_share_access(share=link, what="viewed signed periods")
    contract = link.contract
    periods = RecordPeriod.objects.filter(
        contract=contract, state=RecordPeriod.State.SIGNED
    ).prefetch_related("days")
    # A period signed before it ended (older data) is shown as recorded, flagged as not countable.
    context = {"contract": contract, "periods": periods, "link": link, "today": timezone.localdate()}
    response = render(request, "records/shared.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def acknowledge(request: AuthenticatedRequest, contract_id: int) -> HttpResponse:
    contract = selectors.get_contract_to_acknowledge_for(request.user, contract_id)
    services.record_acknowledge(actor=request.user, contract=contract, up_to=timezone.localdate())
    messages.success(request, _("Thank you: you have confirmed that you have seen the record."))
    return redirect("records:book", contract_id=contract.pk)


# --- exports ---------------------------------------------------------------------------------------------------


def pdf(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = selectors.get_full_record_contract_for(request.user, contract_id)
    _note_book_read(request, contract, "records.pdf")
    return exporters.PdfExporter().response(request, contract)


def export_json(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = selectors.get_full_record_contract_for(request.user, contract_id)
    _note_book_read(request, contract, "records.json")
    return exporters.JsonExporter().response(request, contract)


# --- the public check of an export ------------------------------------------------------------------------------


def verify(request: HttpRequest) -> HttpResponse:
    """Anyone holding an exported book checks it: the PDF's code (typed, or from its QR code: ?code=…) or the
    JSON file. The answer names periods and signature numbers only (records.verification)."""
    data = request.POST if request.method == "POST" else (request.GET if "code" in request.GET else None)
    form = forms.VerifyForm(data, request.FILES or None)
    result = None
    if data is not None and form.is_valid():
        if form.cleaned_data["file"] is not None:
            try:
                result = verification.check_export(form.cleaned_data["file"])
            except verification.NotAnExport:
                form.add_error("file", _("The file is not a record book exported from this platform."))
        else:
            result = verification.check_code(form.cleaned_data["code"])
    response = render(request, "records/verify.html", {"form": form, "result": result})
    response["Cache-Control"] = "private, no-store"
    return response
