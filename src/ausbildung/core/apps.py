from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ausbildung.core"
    label = "core"
    verbose_name = _("Platform foundation")

    def ready(self) -> None:
        from .areas import Area, register_area

        register_area(
            Area(
                key="contracts",
                title=_("Training contracts"),
                description=_("Contract facts: occupation, training company, period, trainers, chamber."),
                url_name="core:contract_list",
                order=50,
            )
        )
        register_area(
            Area(
                key="occupations",
                title=_("Training occupations"),
                description=_(
                    "All recognised training occupations with their training regulation and framework plan."
                ),
                url_name="core:occupation_list",
                order=20,
            )
        )
        register_area(
            Area(
                key="administration",
                title=_("Administration"),
                description=_("Manage organisations, people, memberships, occupations and contracts."),
                url_name="admin:index",
                order=900,
            )
        )
