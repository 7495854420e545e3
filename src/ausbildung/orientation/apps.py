from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrientationConfig(AppConfig):
    name = "ausbildung.orientation"
    label = "orientation"
    verbose_name = _("Career orientation (Berufsorientierung)")

    def ready(self) -> None:
        from . import access, privacy, waiting

        access.register()
        privacy.register()
        waiting.register()
