from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/all.xlsx", views.export_all, name="export_all"),
    path("export/<slug:table>.<str:fmt>", views.export, name="export"),
]
