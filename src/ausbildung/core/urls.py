from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("mein-bereich/", views.home, name="home"),
    path("mein-bereich/rolle/", views.acting_as, name="acting_as"),
    path("mein-bereich/e-mail/", views.digest_settings, name="digest"),
    path("mein-bereich/zugriffe/", views.read_log, name="read_log"),
    path("vertraege/", views.contract_list, name="contract_list"),
    path("vertraege/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("vertraege/<int:pk>/ausbildungsplan/", views.contract_plan, name="contract_plan"),
    path("vertraege/<int:pk>/ausbildungszeit/", views.contract_terms, name="contract_terms"),
    path("berufe/", views.occupation_list, name="occupation_list"),
    path("berufe/<slug:slug>/", views.occupation_detail, name="occupation_detail"),
]
