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

        from . import (  # noqa: F401 - platform registers its indicators when imported
            access,
            cube,
            demo,
            platform,
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
        # The cube is rebuilt last: after every other demo loader, and again after the history when it is loaded
        # (history loaders run after all others; this app is ready after the areas whose history it counts).
        register_demo(cube.demo_refresh)
        register_demo(demo.load_history, history=True)
        register_demo(cube.demo_refresh, history=True)
