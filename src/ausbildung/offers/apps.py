from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "ausbildung.offers"
    label = "offers"
    verbose_name = _("Training places and applications")

    def ready(self) -> None:
        from . import access, privacy, waiting

        access.register()
        privacy.register()
        waiting.register()
