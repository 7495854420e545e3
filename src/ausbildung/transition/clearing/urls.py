"""Clearing rounds under /uebergang/nachvermittlung/. Included by `transition.urls`, so the view names are
`transition:clearing:<name>` (the rules in `clearing.access` use these names)."""

from django.urls import path

from . import views

app_name = "clearing"

urlpatterns: list = [
    # the organiser (chamber officer, counsellor)
    path("", views.round_list, name="round_list"),
    path("neu/", views.round_create, name="round_create"),
    path("<int:round_id>/", views.round_detail, name="round_detail"),
    path("<int:round_id>/schritt/", views.round_step, name="round_step"),
    # the applicant (pupil)
    path("bewerben/", views.applicant_rounds, name="applicant_rounds"),
    path("<int:round_id>/bewerben/", views.applicant_round, name="applicant_round"),
    path("<int:round_id>/bewerben/rangfolge/", views.applicant_rank, name="applicant_rank"),
    path("<int:round_id>/bewerben/ergebnis/", views.applicant_result, name="applicant_result"),
    # the company (administrators, trainers)
    path("betrieb/", views.company_rounds, name="company_rounds"),
    path("<int:round_id>/betrieb/", views.company_round, name="company_round"),
    path(
        "<int:round_id>/betrieb/angebote/<int:round_offer_id>/",
        views.company_offer_rank,
        name="company_offer_rank",
    ),
    path("<int:round_id>/betrieb/ergebnis/", views.company_result, name="company_result"),
]
