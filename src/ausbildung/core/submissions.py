"""Each rendered form is handled at most once: double clicks, a reload of a POST or a browser that sends the
form again do not repeat its action (no second consent, case contact, note, examiner link, acknowledgement or
clearing round).

How: a form that changes state carries `{% form_token %}` next to `{% csrf_token %}`, a random one-time
token made at each render (nothing is stored on render). `FormTokenMiddleware` is the one place it is
checked: for a POST carrying a token it runs the view in a transaction that first inserts the token's SHA-256
hash into `core.FormSubmission` (a unique column). The first request wins; a second one with the same token
waits on the unique index until the first has committed (PostgreSQL; SQLite lets one writer in at a time),
then finds the row, does not call the view and redirects to where the first request led, with the message
"Already saved". The token is consumed only when the view answers with a redirect (post/redirect/get after
success), or with a page that marks itself as the result of a success (`mark_form_result`: a result shown only
once, such as a new examiner link's secret; a repeat then leads to the URL it names); a form with errors, a refusal or an exception releases it (the insert is undone with the rest), so
a corrected form can be sent again. A token consumed by another person is refused (400), as is a malformed
one. A POST without a token is handled as before (an API client, a form that changes nothing). A person's
consumed tokens are kept for 30 days (`KEEP`) and deleted when they send their next form.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from collections.abc import Callable
from typing import Any

from django import template
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .models import FormSubmission

FIELD = "form_token"
# How long a consumed token is remembered: a page older than this, sent again, counts as a new form.
KEEP = datetime.timedelta(days=30)
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")

register = template.Library()


def new_token() -> str:
    return secrets.token_urlsafe(32)


@register.simple_tag
def form_token() -> str:
    """The hidden one-time token of a state-changing form (a template builtin: no `{% load %}` needed)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


RESULT_ATTRIBUTE = "form_result_url"


def mark_form_result(response: HttpResponse, url: str) -> HttpResponse:
    """Mark a non-redirect answer as the success of its form: the token is consumed, and a repeat of the form
    is led to `url` (for results shown once that must not be kept in a redirect message)."""
    setattr(response, RESULT_ATTRIBUTE, url)
    return response


class FormTokenMiddleware:
    """Runs a POST that carries a form token once (see the module docstring); after the permission check."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST" or FIELD not in request.POST:
            return None
        token = request.POST[FIELD]
        if not TOKEN_PATTERN.fullmatch(token):
            return HttpResponseBadRequest(_("The form is damaged; please reload the page."))
        digest = token_hash(token)
        user = request.user if request.user.is_authenticated else None
        match = request.resolver_match
        with transaction.atomic():
            try:
                with transaction.atomic():
                    submission = FormSubmission.objects.create(
                        token_hash=digest, user=user, view=match.view_name if match else request.path
                    )
            except IntegrityError:
                return self._again(request, digest, user)
            response = view(request, *args, **kwargs)
            if 300 <= response.status_code < 400 and response.has_header("Location"):
                result_url = response["Location"]
            else:
                result_url = getattr(response, RESULT_ATTRIBUTE, "")
            if result_url:
                submission.result_url = result_url[:2000]
                submission.save(update_fields=["result_url"])
                if user is not None:  # the person's own old tokens go (no cron needed; one indexed delete)
                    FormSubmission.objects.filter(user=user, created_at__lt=timezone.now() - KEEP).delete()
            else:
                submission.delete()
            return response

    @staticmethod
    def _again(request: HttpRequest, digest: str, user: Any) -> HttpResponse:
        """The form was handled already: lead to its result instead of repeating its action."""
        first = FormSubmission.objects.filter(token_hash=digest).first()
        if first is None or first.user_id != getattr(user, "pk", None) or not first.result_url:
            # Someone else's token (it was never shown to this person): not a repeat of theirs.
            return HttpResponseBadRequest(_("The form is damaged; please reload the page."))
        messages.info(request, _("Already saved: the form had been sent before, it was not saved twice."))
        return redirect(first.result_url)
