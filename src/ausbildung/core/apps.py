from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ausbildung.core"
    label = "core"
    verbose_name = _("Platform foundation")

    def ready(self) -> None:
        from . import checks
        from .areas import register_areas
        from .signin import audit as signin_audit

        checks.register()
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
                    "administration",
                    _("Administration"),
                    _("Manage organisations, people, memberships, occupations and contracts."),
                    "admin:index",
                    900,
                ),
            ]
        )
