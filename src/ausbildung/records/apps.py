from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "ausbildung.records"
    label = "records"
    verbose_name = _("Training record (Ausbildungsnachweis)")

    def ready(self) -> None:
        from . import access, backup, checks, privacy, waiting

        access.register()
        backup.register()
        checks.register()
        privacy.register()
        waiting.register()

        from ausbildung.core.signals import contract_terms_changed

        from .services import working_time_after_terms_changed

        contract_terms_changed.connect(working_time_after_terms_changed, dispatch_uid="records-working-time")
