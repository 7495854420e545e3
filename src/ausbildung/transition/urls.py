from django.urls import include, path

from . import views

app_name = "transition"

urlpatterns = [
    path("verbleib/", views.leavers, name="leavers"),
    path("verbleib/<int:destination_id>/", views.destination_edit, name="destination_edit"),
    path("uebersicht/", views.dashboard, name="dashboard"),
    path("einwilligung/<int:destination_id>/", views.consent, name="consent"),
    path("einwilligung/widerruf/<int:consent_id>/", views.consent_withdraw, name="consent_withdraw"),
    path("einwilligung/bestaetigen/<int:consent_id>/", views.consent_confirm, name="consent_confirm"),
    path("einwilligung/formular/<int:consent_id>/", views.consent_form, name="consent_form"),
    path("meine-einwilligungen/", views.my_consents, name="my_consents"),
    path("faelle/", views.cases, name="cases"),
    path("faelle/eroeffnen/<int:person_id>/", views.case_open, name="case_open"),
    path("faelle/<int:case_id>/", views.case_detail, name="case_detail"),
    path("faelle/<int:case_id>/angebote/", views.case_offer_choices, name="case_offer_choices"),
    path("nachvermittlung/", include("ausbildung.transition.clearing.urls")),
]
