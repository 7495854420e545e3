from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """Monitoring for the Alliance and the Länder-Pakte: the platform's figures beside the official ones."""

    name = "ausbildung.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from ausbildung.core.demo import register_demo
        from ausbildung.core.privacy import register_not_personal

        from . import access, demo, shipped

        access.register()

        register_not_personal({"monitoring.OfficialFigure": "published aggregate statistics, no persons"})
        register_demo(shipped.demo_load)
        register_demo(demo.load_history, history=True)
