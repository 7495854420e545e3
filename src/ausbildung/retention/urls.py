from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("check-in/", views.checkin, name="checkin"),
    path("gespraech/", views.talk, name="talk"),
    path("einwilligung/", views.consent, name="consent"),
    path("eltern/", views.guardian, name="guardian"),
    path("betrieb/", views.company, name="company"),
    path("vertrag/<int:contract_id>/", views.contract, name="contract"),
    path("vertrag/<int:contract_id>/schritt/", views.intervention, name="intervention"),
    path("schritt/<int:intervention_id>/wiedervorlage/", views.follow_up, name="follow_up"),
    path("gespraech/<int:talk_id>/erledigt/", views.talk_close, name="talk_close"),
    path("vertrag/<int:contract_id>/loesung/", views.dissolution, name="dissolution"),
    path("kammer/", views.chamber, name="chamber"),
    path("beratung/", views.guidance, name="guidance"),
    path("berufsschule/", views.school, name="school"),
    path("berufsschule/notiz/", views.school_note, name="school_note"),
    path(
        "berufsschule/notiz/<int:note_id>/zurueckziehen/",
        views.school_note_withdraw,
        name="school_note_withdraw",
    ),
]
