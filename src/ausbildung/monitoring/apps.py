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

        from . import (
            access,
            cube,
            platform,  # noqa: F401  (registers the platform's indicators on import)
            providers,
            shipped,
        )

        access.register()
        providers.register()

        register_not_personal(
            {
                "monitoring.OfficialFigure": "published aggregate statistics, no persons",
                "monitoring.MarketCell": "counts of the platform's records per area and year, no persons",
                "monitoring.CubeRefresh": "when the counts were rebuilt, no persons",
            }
        )
        register_demo(shipped.demo_load)
        register_demo(cube.demo_refresh)  # last: after every other demo loader
