from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    """Preventing training dropouts (Verhinderung von Ausbildungsabbrüchen): notice early, explain why, act with
    consent."""

    name = "ausbildung.retention"
    label = "retention"
    verbose_name = _("Dropout prevention")

    def ready(self) -> None:
        from ausbildung.core.demo import register_demo

        from . import access, demo, privacy, waiting

        access.register()
        privacy.register()
        privacy.register_scores()
        waiting.register()
        register_demo(demo.load)
        register_demo(demo.assess_today)
        register_demo(demo.load_history, history=True)
