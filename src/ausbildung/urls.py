from django.contrib import admin
from django.urls import include, path

from ausbildung.api.urls import api

handler500 = "ausbildung.core.views.server_error"

urlpatterns = [
    path("", include("ausbildung.core.urls")),
    path("nachweis/", include("ausbildung.records.urls")),
    path("ausbildungsplaetze/", include("ausbildung.offers.urls")),
    # "Ausbildungsbetrieb werden" is its own app; its pages keep the addresses they had under the offers.
    path("ausbildungsplaetze/ausbildungsbetrieb-werden/", include("ausbildung.onboarding.urls")),
    path("orientierung/", include("ausbildung.orientation.urls")),
    path("uebergang/", include("ausbildung.transition.urls")),
    path("bindung/", include("ausbildung.retention.urls")),
    path("ausbildungspersonal/", include("ausbildung.staff.urls")),
    path("wege/", include("ausbildung.pathways.urls")),
    path("veranstaltungen/", include("ausbildung.campaigns.urls")),
    path("monitoring/", include("ausbildung.monitoring.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("verwaltung/", admin.site.urls),
    path("api/v1/", api.urls),
]
