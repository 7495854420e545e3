"""The permission matrix: every URL pattern and API route × every role → the declared outcome.

The expectations here are written independently of `core.permissions` (they are the specification); a URL
that has no row here, or no rule there, fails `test_every_url_is_declared`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ausbildung.core import permissions
from ausbildung.core.models import Occupation, TrainingContract

from .matrix_clearing import CLEARING_MATRIX
from .matrix_outcomes import (
    ANON,
    CONTRACT_ROLES,
    LOGIN,
    OUTSIDER,
    ROLES,
    everyone,
    only,
    signed_in,
)
from .matrix_retention import RETENTION_MATRIX
from .matrix_staff import CAMPAIGNS_MATRIX, PATHWAYS_MATRIX, STAFF_MATRIX
from .matrix_transition import TRANSITION_MATRIX

# Run once per `make test`: on PostgreSQL when reachable (Makefile, docs/architecture.md "Databases").
pytestmark = pytest.mark.sweep


# view name → (kwargs builder, expected outcome per role)
def azubi_contract(demo) -> dict:
    return {"pk": TrainingContract.objects.get(apprentice=demo["azubi"]).pk}


def azubi2_contract(demo) -> dict:
    return {"pk": TrainingContract.objects.get(apprentice=demo["azubi2"]).pk}


def record_kwargs(demo) -> dict:
    return {"contract_id": azubi_contract(demo)["pk"]}


def period_kwargs(demo) -> dict:
    return {**record_kwargs(demo), "start": "2025-09-01"}


RECORD_READERS = CONTRACT_ROLES


def full_record(role: str) -> object:
    """Record pages with the whole content: the vocational school sees the school section only (404 here)."""
    if role == ANON:
        return LOGIN
    if role == "vocational_school_teacher":
        return 404
    return 200 if role in RECORD_READERS else 403


def examiner_share_kwargs(demo) -> dict:
    from ausbildung.records.services import examiner_share_create

    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    share, _token = examiner_share_create(actor=demo["kammer"], contract=contract, days=7)
    return {"share_id": share.pk}


def offer_kwargs(demo) -> dict:
    from tests.offers.conftest import demo_offer

    return {"offer_id": demo_offer().pk}


def application_kwargs(demo) -> dict:
    from tests.offers.conftest import sent_application

    return {"application_id": sent_application(demo).pk}


def document_kwargs(demo) -> dict:
    from tests.offers.conftest import document_of, sent_application

    return {"document_id": document_of(sent_application(demo)).pk}


def onboarding_kwargs(demo) -> dict:
    from tests.onboarding.helpers import submitted_request

    return {"request_id": submitted_request(demo).pk}


OFFER_COMPANY = {"company_admin", "trainer"}
# Roles that need the second factor (core.permissions.STAFF_ROLES).
STAFF = {
    "trainer",
    "company_admin",
    "teacher",
    "vocational_school_teacher",
    "counsellor",
    "chamber_officer",
    "monitor",
    "platform_admin",
}
APPLICATION_SIDES = {"pupil", *OFFER_COMPANY}


def interest_check_kwargs(demo) -> dict:
    from tests.orientation.check_helpers import completed_check

    return {"check_id": completed_check(demo["schueler"]).pk}


def interest_step_kwargs(demo) -> dict:
    from ausbildung.orientation.check.services import interest_check_start

    return {"check_id": interest_check_start(pupil=demo["schueler"]).pk, "step": 1}


def demo_class_kwargs(demo) -> dict:
    from ausbildung.orientation.models import SchoolClass

    return {"class_id": SchoolClass.objects.get(code="DEMO9B27").pk}


def demo_internship_kwargs(demo) -> dict:
    from tests.orientation.helpers import demo_internship

    return {"slot_id": demo_internship().pk}


def internship_application_kwargs(demo) -> dict:
    from tests.orientation.helpers import internship_application

    return {"application_id": internship_application(demo).pk}


def plan_step_kwargs(demo) -> dict:
    from ausbildung.orientation.models import PlanStep

    return {"step_id": PlanStep.objects.create(pupil=demo["schueler"], text="Praktikum suchen").pk}


INTERNSHIP_SIDES = {"pupil", *OFFER_COMPANY}


# The demo region's Land (Saarland): every demo monitoring role's region lies in it, and a former member who
# keeps the role elsewhere must not reach it (Germany's pages are every monitoring role's, so they prove nothing
# about a former membership).
DEMO_LAND = {"level": "land", "code": "10"}


def occupation_in_demo_land(demo) -> dict:
    """A monitoring occupation page: the demo's first occupation in Germany."""
    from ausbildung.core.models import Occupation

    return {**DEMO_LAND, "occupation_id": Occupation.objects.order_by("pk").first().pk}


def signup_token_kwargs(purpose: str) -> Callable:
    def build(demo) -> dict:
        from ausbildung.core.accounts.services import signup_token
        from tests.core.account_helpers import pending_signup

        return {"token": signup_token(pending_signup(guardian=True), purpose)}

    return build


def invitation_kwargs(demo) -> dict:
    from ausbildung.core.accounts.services import invitation_create

    _invitation, secret = invitation_create(
        actor=demo["betrieb"],
        email="neu@example.org",
        target_key=trainer_target(demo),
        site="http://testserver/",
    )
    return {"token": secret}


def trainer_target(demo) -> str:
    from ausbildung.core.models import Organisation

    return f"org-{Organisation.objects.get(name='Saar Systemhaus GmbH (Demo)').pk}-trainer"


def open_invitation_kwargs(demo) -> dict:
    from ausbildung.core.models import Invitation

    return {"pk": Invitation.objects.get(email="neue.ausbilderin@demo.invalid").pk}


def unverified_company_kwargs(demo) -> dict:
    from tests.core.account_helpers import unverified_company

    return {"pk": unverified_company().pk}


def own_membership_kwargs(demo) -> dict:
    """A membership of the trainer: the trainer may leave it (POST), nobody else finds it (404)."""
    from ausbildung.core.models import Membership

    return {"pk": Membership.objects.get(user=demo["ausbilder"], role="trainer").pk}


def leave_outcome(role: str) -> object:
    if role == ANON:
        return LOGIN
    return 405  # POST only; the scope (own memberships) is tested in test_leaving


def join_outcome(role: str) -> object:
    """Pupils, and a signed-in person without any role (a new sign-up joins their first class)."""
    if role == ANON:
        return LOGIN
    return 200 if role in {"pupil", OUTSIDER} else 403


MATRIX: dict[str, tuple[Callable | None, Callable[[str], object]]] = {
    "core:signup": (None, lambda role: 200 if role == ANON else 302),  # signed in: on to "Mein Bereich"
    "core:signup_sent": (None, everyone(200)),
    "core:signup_confirm": (signup_token_kwargs("email"), everyone(200)),
    "core:signup_guardian": (signup_token_kwargs("guardian"), everyone(200)),
    "core:company_register": (None, everyone(200)),
    "core:company_verification_list": (None, only({"chamber_officer", "platform_admin"})),
    "core:company_verification": (unverified_company_kwargs, only({"chamber_officer", "platform_admin"})),
    "core:invitations": (None, only({"company_admin", "apprentice", "platform_admin"})),
    "core:invitation_revoke": (
        open_invitation_kwargs,
        only({"company_admin", "apprentice", "platform_admin"}, status=405),  # POST only
    ),
    "core:invitation_accept": (invitation_kwargs, everyone(200)),
    "core:my_organisations": (None, signed_in(200)),
    "core:membership_leave": (own_membership_kwargs, leave_outcome),
    "core:member_remove": (own_membership_kwargs, only({"company_admin"}, status=405)),  # POST only
    "core:landing": (None, everyone(200)),
    "offers:search": (None, everyone(200)),
    "offers:detail": (offer_kwargs, everyone(200)),
    "offers:apply": (offer_kwargs, only({"pupil"})),
    "offers:profile": (None, only({"pupil"})),
    "offers:my_applications": (None, only({"pupil"})),
    "offers:application": (application_kwargs, only(APPLICATION_SIDES)),
    "offers:application_step": (application_kwargs, only(APPLICATION_SIDES, status=405)),  # POST only
    "offers:interview": (application_kwargs, only(APPLICATION_SIDES, status=405)),  # POST only
    "offers:document_upload": (application_kwargs, only({"pupil"}, status=405)),
    "offers:note": (application_kwargs, only(OFFER_COMPANY, status=405)),
    "offers:document": (document_kwargs, only(APPLICATION_SIDES)),
    "offers:document_delete": (document_kwargs, only({"pupil"}, status=405)),
    "offers:company_offers": (None, only(OFFER_COMPANY)),
    "offers:create": (None, only(OFFER_COMPANY)),
    "offers:specialisations": (None, only(OFFER_COMPANY)),
    "offers:edit": (offer_kwargs, only(OFFER_COMPANY)),
    "offers:status": (offer_kwargs, only(OFFER_COMPANY, status=405)),
    "offers:copy": (offer_kwargs, only(OFFER_COMPANY, status=405)),
    "offers:inbox": (offer_kwargs, only(OFFER_COMPANY)),
    "onboarding:start": (None, only({"company_admin"})),
    "onboarding:site": (None, only({"company_admin"}, status=302)),  # step 1 first
    "onboarding:result": (None, only({"company_admin"}, status=302)),  # steps 1 and 2 first
    "onboarding:requests": (None, only({"company_admin"})),
    "onboarding:request": (onboarding_kwargs, only({"company_admin"})),
    "onboarding:pdf": (onboarding_kwargs, only({"company_admin", "chamber_officer"})),
    "onboarding:chamber_list": (None, only({"chamber_officer"})),
    "onboarding:chamber_request": (onboarding_kwargs, only({"chamber_officer"})),
    "api:offers_search": (None, everyone(200)),
    "api:offers_detail": (offer_kwargs, everyone(200)),
    "api:offers_apply": (offer_kwargs, only({"pupil"}, status=405)),  # POST only
    "api:offers_application_list": (None, only({"pupil"})),
    "api:offers_application_detail": (application_kwargs, only(APPLICATION_SIDES)),
    "api:offers_application_step": (application_kwargs, only(APPLICATION_SIDES, status=405)),  # POST only
    "api:offers_company_applications": (offer_kwargs, only(OFFER_COMPANY)),
    "orientation:check": (None, only({"pupil"})),
    "orientation:check_step": (interest_step_kwargs, only({"pupil"})),
    "orientation:check_result": (interest_check_kwargs, only({"pupil"})),
    "orientation:class_list": (None, only({"teacher"})),
    "orientation:class_detail": (demo_class_kwargs, only({"teacher"})),
    "orientation:class_csv": (demo_class_kwargs, only({"teacher"})),
    "orientation:join": (None, join_outcome),
    "orientation:field_sharing": (None, only({"pupil"}, status=405)),  # POST only
    "orientation:internships": (None, everyone(200)),
    "orientation:internship_detail": (demo_internship_kwargs, everyone(200)),
    "orientation:internship_apply": (demo_internship_kwargs, only({"pupil"})),
    "orientation:my_internships": (None, only({"pupil"})),
    "orientation:internship_application": (internship_application_kwargs, only(INTERNSHIP_SIDES)),
    "orientation:internship_step": (internship_application_kwargs, only(INTERNSHIP_SIDES, status=405)),
    "orientation:internship_feedback": (internship_application_kwargs, only(INTERNSHIP_SIDES, status=405)),
    "orientation:company_internships": (None, only(OFFER_COMPANY)),
    "orientation:internship_create": (None, only(OFFER_COMPANY)),
    "orientation:internship_status": (demo_internship_kwargs, only(OFFER_COMPANY, status=405)),
    "orientation:internship_inbox": (demo_internship_kwargs, only(OFFER_COMPANY)),
    "orientation:explorer": (None, everyone(200)),
    "orientation:occupation": (lambda demo: {"slug": "fiausbv"}, everyone(200)),
    "orientation:compare": (None, everyone(302)),  # two or three occupations needed: back to the list
    "orientation:save_occupation": (lambda demo: {"slug": "fiausbv"}, only({"pupil"}, status=405)),  # POST
    "orientation:plan": (None, only({"pupil"})),
    "orientation:plan_pdf": (None, only({"pupil"})),
    "orientation:plan_step_toggle": (plan_step_kwargs, only({"pupil"}, status=405)),  # POST only
    "orientation:plan_step_delete": (plan_step_kwargs, only({"pupil"}, status=405)),  # POST only
    "core:login": (None, lambda role: 200 if role == ANON else 302),  # signed in: on to "Mein Bereich"
    "core:logout": (None, everyone(405)),  # POST only
    "core:home": (None, signed_in(200)),
    "core:acting_as": (None, signed_in(405)),  # POST only
    "core:digest": (None, signed_in(200)),  # one's own e-mail digest
    "core:my_data": (None, signed_in(200)),  # one's own data: copy and erasure (DSGVO Art. 15, 17, 20)
    "core:my_data_export": (None, signed_in(405)),  # POST only
    "core:my_data_erase": (None, signed_in(405)),  # POST only
    "core:privacy_staff_export": (None, only({"platform_admin"})),  # the copy for a paper request
    "core:read_log": (None, signed_in(200)),  # reads of one's own data (and current wards')
    "core:contract_list": (None, only(CONTRACT_ROLES)),
    "core:contract_detail": (azubi_contract, only(CONTRACT_ROLES)),
    "core:contract_plan": (azubi_contract, only({"trainer", "company_admin"})),
    "core:contract_terms": (azubi_contract, only({"trainer", "company_admin"}, status=405)),  # POST only
    "core:occupation_list": (None, everyone(200)),
    "core:occupation_detail": (lambda demo: {"slug": "fiausbv"}, everyone(200)),
    "core:password_reset": (None, everyone(200)),
    "core:password_reset_done": (None, everyone(200)),
    # A malformed link: the page says it is no longer valid.
    "core:password_reset_confirm": (lambda demo: {"uidb64": "MQ", "token": "x-y"}, everyone(200)),
    "core:password_reset_complete": (None, everyone(200)),
    "core:security": (None, signed_in(200)),  # one's own account only
    "core:password_change": (None, signed_in(200)),
    # Staff sessions of the matrix are verified (tests/conftest.py): the code step sends them on.
    "core:two_factor_verify": (None, signed_in(302)),
    # Staff sessions of the matrix have a device already (back to the security page); others see the setup.
    "core:two_factor_setup": (None, lambda role: LOGIN if role == ANON else (302 if role in STAFF else 200)),
    "core:two_factor_disable": (
        None,
        lambda role: LOGIN if role == ANON else (200 if role in STAFF else 302),
    ),
    "core:recovery_codes": (None, signed_in(200)),
    "set_language": (None, everyone(302)),
    "api:records_period_list": (record_kwargs, only(RECORD_READERS)),
    "api:records_period_detail": (period_kwargs, only(RECORD_READERS)),
    "api:records_period_submit": (period_kwargs, only({"apprentice"}, status=405)),  # POST only
    "api:records_period_sign": (period_kwargs, only({"trainer"}, status=405)),  # POST only
    "api:records_period_return": (period_kwargs, only({"trainer"}, status=405)),  # POST only
    "api:records_queue": (None, only({"trainer"})),
    "records:mine": (None, only({"apprentice"}, status=302)),  # on to the apprentice's own book
    "records:book": (record_kwargs, only(RECORD_READERS)),
    "records:period": (period_kwargs, only(RECORD_READERS)),
    "records:coverage": (record_kwargs, full_record),
    "records:findings": (
        record_kwargs,
        full_record,
    ),  # working-time findings; former members: test_former_members
    "records:pdf": (record_kwargs, full_record),
    "records:export_json": (record_kwargs, full_record),
    "records:review": (period_kwargs, only({"trainer"}, status=405)),  # POST only
    "records:queue": (None, only({"trainer"})),
    "records:overview": (None, only({"trainer", "company_admin"})),
    "records:chamber": (None, only({"chamber_officer"})),
    "records:share": (record_kwargs, only({"chamber_officer"}, status=405)),  # POST only
    "records:share_revoke": (examiner_share_kwargs, only({"chamber_officer"}, status=405)),  # POST only
    "records:shared": (None, everyone(200)),  # without an opened link: the form for the link's access code
    "records:verify": (None, everyone(200)),  # the public check of an export; names no one
    "records:acknowledge": (record_kwargs, only({"guardian"}, status=405)),  # POST only
    "api:api-root": (None, everyone(404)),  # ninja's root has no page; the rule still says public
    "api:openapi-json": (None, everyone(200)),
    "api:openapi-view": (None, everyone(200)),
    "api:health": (None, everyone(200)),
    "api:me": (None, signed_in(200)),
    "api:contract_list": (None, only(CONTRACT_ROLES)),
    "api:occupation_list": (None, everyone(200)),
    "api:occupation_detail": (lambda demo: {"slug": "fiausbv"}, everyone(200)),
    "api:contract_detail": (lambda demo: {"contract_id": azubi_contract(demo)["pk"]}, only(CONTRACT_ROLES)),
    **TRANSITION_MATRIX,
    **CLEARING_MATRIX,
    **RETENTION_MATRIX,
    **STAFF_MATRIX,
    **PATHWAYS_MATRIX,
    **CAMPAIGNS_MATRIX,
    # monitoring (issue #19): aggregate figures of the own district, no persons
    "monitoring:index": (None, only({"monitor", "chamber_officer", "counsellor"})),
    "monitoring:export": (
        # the key figures of the demo region's Land (Saarland, key 10): a former officer now elsewhere has other Länder
        lambda demo: {"table": "kennzahlen-10", "fmt": "xlsx"},
        only({"monitor", "chamber_officer", "counsellor"}),
    ),
    "monitoring:export_all": (None, only({"monitor", "chamber_officer", "counsellor"})),
    # the area pages: Germany is open to every monitoring role (a Land or Kreis only within the own region)
    "monitoring:area": (lambda demo: DEMO_LAND, only({"monitor", "chamber_officer", "counsellor"})),
    "monitoring:area_export": (
        lambda demo: {**DEMO_LAND, "table": "kennzahlen", "fmt": "csv"},
        only({"monitor", "chamber_officer", "counsellor"}),
    ),
    "monitoring:area_export_all": (
        lambda demo: DEMO_LAND,
        only({"monitor", "chamber_officer", "counsellor"}),
    ),
    "monitoring:occupation": (occupation_in_demo_land, only({"monitor", "chamber_officer", "counsellor"})),
    "monitoring:occupation_export": (
        lambda demo: {**occupation_in_demo_land(demo), "table": "kennzahlen", "fmt": "xlsx"},
        only({"monitor", "chamber_officer", "counsellor"}),
    ),
    "monitoring:occupation_export_all": (
        occupation_in_demo_land,
        only({"monitor", "chamber_officer", "counsellor"}),
    ),
    "api:monitoring_area_tables": (
        lambda demo: DEMO_LAND,
        only({"monitor", "chamber_officer", "counsellor"}),
    ),
    "api:monitoring_area_table": (
        lambda demo: {**DEMO_LAND, "key": "kennzahlen"},
        only({"monitor", "chamber_officer", "counsellor"}),
    ),
    "api:monitoring_occupation_tables": (
        occupation_in_demo_land,
        only({"monitor", "chamber_officer", "counsellor"}),
    ),
    "api:monitoring_occupation_table": (
        lambda demo: {**occupation_in_demo_land(demo), "key": "jahre"},
        only({"monitor", "chamber_officer", "counsellor"}),
    ),
    "api:monitoring_tables": (None, only({"monitor", "chamber_officer", "counsellor"})),
    # the key figures of the demo region's Land: a former officer now elsewhere has other Länder (404 is not theirs)
    "api:monitoring_table": (
        lambda demo: {"key": "kennzahlen-10"},
        only({"monitor", "chamber_officer", "counsellor"}),
    ),
}

# Object scope: the carpentry apprentice's contract (other company, other chamber, same vocational school).
SCOPE_AZUBI2 = {
    "apprentice": 404,
    "guardian": 404,
    "trainer": 404,
    "company_admin": 404,
    "chamber_officer": 404,
    "vocational_school_teacher": 200,
    "platform_admin": 200,
}


def walk(patterns, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            )
            yield from walk(pattern.url_patterns, inner or namespace)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def all_view_names() -> list[str]:
    return sorted({name for name, _pattern in walk(get_resolver().url_patterns)})


def admin_kwargs(name: str) -> dict | None:
    """URL kwargs for an admin view: an existing object of the model, or the app label."""
    short = name.split(":", 1)[1]
    if short == "app_list":
        return {"app_label": "core"}
    if short == "auth_user_password_change":
        from ausbildung.core.models import User

        return {"id": User.objects.get(username="azubi").pk}
    for model, _model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if short.startswith(prefix) and short[len(prefix) :] in {"change", "delete", "history"}:
            obj = model.objects.order_by("pk").first()
            return {"object_id": obj.pk} if obj else None
    return {}


def login(client_for, role: str, outsider):
    if role == OUTSIDER:
        from django.test import Client

        client = Client()
        client.force_login(outsider)
        return client
    return client_for(None if role == ANON else role)


def outcome_of(response, api: bool) -> object:
    if api and response.status_code == 401:
        return LOGIN
    if not api and response.status_code == 302 and "/anmelden/" in response.get("Location", ""):
        return LOGIN
    return response.status_code


def test_every_url_is_declared():
    """Each URL has a rule in core.permissions and a row in this matrix (or is an admin view)."""
    names = all_view_names()
    no_rule = [name for name in names if permissions.rule_for(name) is None]
    no_row = [name for name in names if name not in MATRIX and not name.startswith("admin:")]
    assert no_rule == [], f"URLs without an access rule in core.permissions: {no_rule}"
    assert no_row == [], f"URLs without a row in the permission matrix test: {no_row}"


@pytest.mark.parametrize("view_name", sorted(MATRIX))
def test_matrix(view_name, demo, client_for, outsider):
    kwargs_builder, expected = MATRIX[view_name]
    url = reverse(view_name, kwargs=kwargs_builder(demo) if kwargs_builder else None)
    api = url.startswith("/api/")
    mismatches = []
    for role in ROLES:
        response = login(client_for, role, outsider).get(url)
        got, want = outcome_of(response, api), expected(role)
        if got != want:
            mismatches.append(f"{role}: got {got}, expected {want}")
    assert mismatches == [], f"{view_name} ({url}):\n" + "\n".join(mismatches)


@pytest.mark.parametrize("view_name", ["core:contract_detail", "api:contract_detail"])
def test_contract_scope(view_name, demo, client_for):
    """Roles that see contracts see only those in their scope; others' contracts are not found (404)."""
    pk = azubi2_contract(demo)["pk"]
    url = reverse(view_name, kwargs={"pk": pk} if view_name.startswith("core") else {"contract_id": pk})
    got = {role: client_for(role).get(url).status_code for role in SCOPE_AZUBI2}
    assert got == SCOPE_AZUBI2


RECORD_SCOPE_AZUBI2 = {
    "apprentice": 404,
    "guardian": 404,
    "trainer": 404,
    "company_admin": 404,
    "chamber_officer": 404,
    "vocational_school_teacher": 200,  # the same vocational school: school section only
    "platform_admin": 200,
}


@pytest.mark.parametrize(
    "view_name", ["records:book", "records:period", "api:records_period_list", "api:records_period_detail"]
)
def test_record_scope(view_name, demo, client_for):
    """An apprentice never sees another's record; a trainer only their apprentices'; a chamber only its own."""
    kwargs = {"contract_id": azubi2_contract(demo)["pk"]}
    if view_name.endswith(("period", "period_detail")):
        kwargs["start"] = "2024-09-02"
    url = reverse(view_name, kwargs=kwargs)
    got = {role: client_for(role).get(url).status_code for role in RECORD_SCOPE_AZUBI2}
    assert got == RECORD_SCOPE_AZUBI2


def test_contract_list_shows_only_scope(demo, client_for):
    response = client_for("trainer").get(reverse("api:contract_list"))
    names = {item["apprentice"] for item in response.json()["items"]}
    assert names == {"Jonas Becker"}
    response = client_for("vocational_school_teacher").get(reverse("api:contract_list"))
    assert {item["apprentice"] for item in response.json()["items"]} == {"Jonas Becker", "Lukas Meyer"}


def test_date_of_birth_hidden_from_vocational_school(demo, client_for):
    url = reverse("core:contract_detail", kwargs=azubi_contract(demo))
    assert "20.05.2009" in client_for("chamber_officer").get(url).content.decode()
    assert "20.05.2009" not in client_for("vocational_school_teacher").get(url).content.decode()


# Admin views refused even to platform administrators: logs are written by the platform, never by hand
# (the audit log cannot be edited or deleted), and autocomplete needs its query parameters.
ADMIN_REFUSED_TO_ALL = {
    "admin:autocomplete",
    "admin:axes_accessattempt_add",
    "admin:axes_accessfailurelog_add",
    "admin:axes_accesslog_add",
    "admin:core_auditlog_add",
    "admin:core_auditlog_delete",
    # The mail outbox is written by core.mail only; the admin lists it.
    "admin:core_outgoingmail_add",
    "admin:core_outgoingmail_delete",
    # The audit of reads is written by core.audit and erased by its retention only; the admin lists it.
    "admin:core_readaccess_add",
    "admin:core_readaccess_delete",
    "admin:django_tasks_database_dbtaskresult_add",
    # Records change only through their services (signature chain, audit log); the admin only reads them.
    "admin:records_recordperiod_add",
    "admin:records_recordperiod_delete",
    "admin:records_recordsignature_add",
    "admin:records_recordsignature_delete",
    "admin:records_examinershare_add",
    "admin:core_apitoken_add",  # tokens are created by their service, which shows the secret once
}


ADMIN_SHARDS = 4


@pytest.mark.parametrize("shard", range(ADMIN_SHARDS))
def test_admin_matrix(shard, demo, client_for, outsider):
    """Every named admin view: platform administrators only; others 403; anonymous to the login page.

    Split in shards so that the parallel test workers share the work."""
    Occupation.objects.first()  # the catalogue must hold something for the change views
    mismatches = []
    names = [n for n in all_view_names() if n.startswith("admin:") and n != "admin:view_on_site"]
    assert len(names) > 50
    # One signed-in client per role for the shard's pages (GET requests; signing in is most of the cost).
    clients = {role: login(client_for, role, outsider) for role in ROLES}
    for name in names[shard::ADMIN_SHARDS]:
        kwargs = admin_kwargs(name)
        if kwargs is None:
            continue  # model without rows: no object to open
        url = reverse(name, kwargs=kwargs or None)
        for role in ROLES:
            got = outcome_of(clients[role].get(url), api=False)
            if role == ANON:
                ok = got == LOGIN
            elif role == "platform_admin" and name not in ADMIN_REFUSED_TO_ALL:
                ok = got in {200, 302, 405}  # logout is POST only; login redirects a signed-in admin
            else:
                ok = got == 403
            if not ok:
                mismatches.append(f"{name} {url} {role}: {got}")
    assert mismatches == [], "\n".join(mismatches)


def test_undeclared_url_is_refused(rf, demo):
    """Fail closed: a view without a rule is refused even for a platform administrator."""
    from django.urls import ResolverMatch

    request = rf.get("/neu/")
    request.user = demo["admin"]
    request.resolver_match = ResolverMatch(lambda r: None, (), {}, url_name="undeclared", app_names=["neu"])
    middleware = permissions.PermissionMiddleware(lambda r: None)
    with pytest.raises(permissions.PermissionDenied):
        middleware.process_view(request, lambda r: None, (), {})
