from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """ "Ausbildungsbetrieb werden": winning companies without apprentices as new training companies."""

    name = "ausbildung.onboarding"
    label = "onboarding"
    verbose_name = _("Become a training company")

    def ready(self) -> None:
        from . import access, privacy, waiting

        access.register()
        privacy.register()
        waiting.register()
