from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitionConfig(AppConfig):
    name = "ausbildung.transition"
    label = "transition"
    verbose_name = _("Transition from school to training (Übergang Schule–Beruf)")

    def ready(self) -> None:
        from . import access, privacy, signals, waiting  # noqa: F401  (signals: destinations follow their contracts)

        access.register()
        privacy.register()
        waiting.register()
