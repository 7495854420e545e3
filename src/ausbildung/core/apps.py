from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ausbildung.core"
    label = "core"
    verbose_name = _("Platform foundation")

    def ready(self) -> None:
        from . import checks
        from .areas import register_areas
        from .privacy import accounts_data, core_data
        from .signin import audit as signin_audit

        checks.register()
        core_data.register()
        accounts_data.register()
        signin_audit.connect()  # audit rows of logins, failed logins and logouts

        register_areas(
            [
                (
                    "contracts",
                    _("Training contracts"),
                    _("Contract facts: occupation, training company, period, trainers, chamber."),
                    "core:contract_list",
                    50,
                ),
                (
                    "occupations",
                    _("Training occupations"),
                    _(
                        "All recognised training occupations with their training regulation and framework plan."
                    ),
                    "core:occupation_list",
                    20,
                ),
                (
                    "invitations",
                    _("Invitations"),
                    _("Invite people into your organisation, or a parent or guardian."),
                    "core:invitations",
                    800,
                ),
                (
                    "company_verification",
                    _("Companies to verify"),
                    _("Verify companies that registered themselves before they publish training places."),
                    "core:company_verification_list",
                    810,
                ),
                (
                    "privacy_requests",
                    _("Data protection requests"),
                    _(
                        "Produce the copy of a person's data for a request received on paper (DSGVO Art. 15, 20)."
                    ),
                    "core:privacy_staff_export",
                    910,
                ),
                (
                    "administration",
                    _("Administration"),
                    _("Manage organisations, people, memberships, occupations and contracts."),
                    "admin:index",
                    900,
                ),
            ]
        )
