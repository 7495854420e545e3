"""Retention of the sign-up and invitation rows (core.privacy.accounts_data): a sign-up never confirmed goes
with its inactive account after 30 days; a closed invitation after 90 days; open and recent ones stay."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from ausbildung.core.accounts import selectors, services
from ausbildung.core.models import Invitation, Signup, User
from ausbildung.core.privacy import accounts_data, erasure

from .account_helpers import pending_signup

pytestmark = pytest.mark.django_db


def _days_later(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def test_an_unconfirmed_signup_goes_with_its_account_after_30_days(demo):
    signup = pending_signup()
    user_id = signup.user_id
    with time_machine.travel(_days_later(accounts_data.UNCONFIRMED_SIGNUP_DAYS - 1), tick=False):
        erasure.erase_expired()
    assert User.objects.filter(pk=user_id).exists()
    with time_machine.travel(_days_later(accounts_data.UNCONFIRMED_SIGNUP_DAYS + 1), tick=False):
        report = erasure.erase_expired()
    assert not User.objects.filter(pk=user_id).exists()
    assert not Signup.objects.filter(pk=signup.pk).exists()
    assert report.erased.get("core.signup") == 1


def test_a_confirmed_signup_stays(demo):
    signup = pending_signup()
    services.signup_confirm_email(token=services.signup_token(signup, services.EMAIL_CONFIRM))
    with time_machine.travel(_days_later(400), tick=False):
        erasure.erase_expired()
    assert Signup.objects.filter(pk=signup.pk, user__is_active=True).exists()


def test_closed_invitations_go_after_90_days_open_ones_until_they_close(demo):
    actor = demo["betrieb"]
    target = selectors.invitation_targets_for(actor)[0]
    invitation, _secret = services.invitation_create(
        actor=actor, email="neu@example.org", target_key=target.key, site="http://testserver/"
    )
    # Expired after 14 days, kept 90 days after that.
    with time_machine.travel(_days_later(14 + accounts_data.CLOSED_INVITATION_DAYS - 1), tick=False):
        erasure.erase_expired()
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    with time_machine.travel(_days_later(14 + accounts_data.CLOSED_INVITATION_DAYS + 1), tick=False):
        erasure.erase_expired()
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


def test_the_daily_job_erases_reads_after_two_years(demo):
    from ausbildung.core import audit
    from ausbildung.core.models import ReadAccess

    read = ReadAccess.objects.create(
        reader=demo["ausbilder"], subject=demo["azubi"], what="records.book", path="/nachweis/1/"
    )
    with time_machine.travel(_days_later(audit.READ_RETENTION_DAYS - 1), tick=False):
        erasure.erase_expired()
    assert ReadAccess.objects.filter(pk=read.pk).exists()
    with time_machine.travel(_days_later(audit.READ_RETENTION_DAYS + 1), tick=False):
        report = erasure.erase_expired()
    assert not ReadAccess.objects.filter(pk=read.pk).exists()
    assert report.erased.get("core.reads") == 1
