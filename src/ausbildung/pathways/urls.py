from django.urls import path

from . import views

app_name = "pathways"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<slug:slug>/", views.occupation, name="occupation"),
]
