from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClearingConfig(AppConfig):
    """Clearing rounds (Nachvermittlung): part of the transition area, its own app for its own tables."""

    name = "ausbildung.transition.clearing"
    label = "clearing"
    verbose_name = _("Clearing rounds (Nachvermittlung)")

    def ready(self) -> None:
        from . import access, privacy

        access.register()
        privacy.register()
