from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("kalender.ics", views.feed, name="feed"),
    path("<int:event_id>/", views.event, name="event"),
    path("<int:event_id>.ics", views.event_ics, name="event_ics"),
    path("meine/", views.mine, name="mine"),
    path("meine/veroeffentlichen/", views.publish, name="publish"),
    path("<int:event_id>/absagen/", views.cancel, name="cancel"),
    path("<int:event_id>/anmelden/", views.register, name="register"),
    path("anmeldung/<int:registration_id>/abmelden/", views.unregister, name="unregister"),
    path("anmeldung/<int:registration_id>/annehmen/", views.accept, name="accept"),
    path("<int:event_id>/teilnehmende/", views.participants, name="participants"),
    path("<int:event_id>/teilnehmende/einlass/", views.check_in, name="check_in"),
    path("<int:event_id>/teilnehmende.csv", views.participants_csv, name="participants_csv"),
]
