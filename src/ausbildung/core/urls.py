from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .privacy import views as privacy_views
from .signin import urls as signin_urls

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("mein-bereich/", views.home, name="home"),
    path("mein-bereich/rolle/", views.acting_as, name="acting_as"),
    path("mein-bereich/e-mail/", views.digest_settings, name="digest"),
    path("mein-bereich/meine-daten/", privacy_views.my_data, name="my_data"),
    path("mein-bereich/meine-daten/kopie/", privacy_views.my_data_export, name="my_data_export"),
    path("mein-bereich/meine-daten/loeschen/", privacy_views.my_data_erase, name="my_data_erase"),
    path("mein-bereich/datenschutz/auskunft/", privacy_views.staff_export, name="privacy_staff_export"),
    path("mein-bereich/zugriffe/", views.read_log, name="read_log"),
    path("vertraege/", views.contract_list, name="contract_list"),
    path("vertraege/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("vertraege/<int:pk>/ausbildungsplan/", views.contract_plan, name="contract_plan"),
    path("vertraege/<int:pk>/ausbildungszeit/", views.contract_terms, name="contract_terms"),
    path("berufe/", views.occupation_list, name="occupation_list"),
    path("berufe/<slug:slug>/", views.occupation_detail, name="occupation_detail"),
    path("", include("ausbildung.core.accounts.urls")),
    *signin_urls.urlpatterns,
]
