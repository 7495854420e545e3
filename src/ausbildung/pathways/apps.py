from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathwaysConfig(AppConfig):
    """Higher vocational training (höhere Berufsbildung): where an occupation can lead, from the shipped
    Fortbildungsordnungen, with an Aufstiegs-BAföG estimate (BBiG §§ 53–53e, HwO §§ 42–42f, 45–51a; AFBG)."""

    name = "ausbildung.pathways"
    label = "pathways"
    verbose_name = _("Higher vocational training")

    def ready(self) -> None:
        from . import access

        access.register()
