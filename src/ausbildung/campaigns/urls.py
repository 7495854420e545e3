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
]
