from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """Training staff (Ausbildungspersonal): who trains with which aptitude, their load, the sites' skilled
    staff, and what the chamber sees of it (BBiG §§ 27–30, 32, 34; AusbEignV; HwO §§ 21–22b)."""

    name = "ausbildung.staff"
    label = "staff"
    verbose_name = _("Training staff")

    def ready(self) -> None:
        from ausbildung.core.demo import register_demo

        from . import access, demo, privacy

        access.register()
        privacy.register()
        privacy.register_self_check()
        register_demo(demo.load)
        register_demo(demo.load_courses)
