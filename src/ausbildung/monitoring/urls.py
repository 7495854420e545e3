from django.urls import path

from . import views

app_name = "monitoring"

AREA = "gebiet/<str:level>/<str:code>/"
OCCUPATION = AREA + "beruf/<int:occupation_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/all.xlsx", views.export_all, name="export_all"),
    path("export/<slug:table>.<str:fmt>", views.export, name="export"),
    path(AREA, views.area, name="area"),
    path(AREA + "export/all.xlsx", views.area_export_all, name="area_export_all"),
    path(AREA + "export/<slug:table>.<str:fmt>", views.area_export, name="area_export"),
    path(OCCUPATION, views.occupation, name="occupation"),
    path(OCCUPATION + "export/all.xlsx", views.occupation_export_all, name="occupation_export_all"),
    path(OCCUPATION + "export/<slug:table>.<str:fmt>", views.occupation_export, name="occupation_export"),
]
