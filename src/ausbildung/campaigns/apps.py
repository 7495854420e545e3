from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    """The "Sommer der Berufsausbildung": one calendar of the campaign's events (issue #22)."""

    name = "ausbildung.campaigns"
    label = "campaigns"
    verbose_name = _("Summer of vocational training")

    def ready(self) -> None:
        from ausbildung.core.demo import register_demo

        from . import access, demo, privacy

        access.register()
        privacy.register()
        register_demo(demo.load)
