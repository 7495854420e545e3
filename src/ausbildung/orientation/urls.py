from django.urls import path

from .check import views as check_views
from .classes import views as class_views
from .explorer import views as explorer_views
from .internships import views as internship_views
from .plan import views as plan_views

app_name = "orientation"

urlpatterns: list = [
    # The occupation explorer (Berufe entdecken)
    path("berufe/", explorer_views.explorer, name="explorer"),
    path("berufe/vergleich/", explorer_views.compare, name="compare"),
    path("berufe/<slug:slug>/", explorer_views.occupation, name="occupation"),
    path("berufe/<slug:slug>/merken/", explorer_views.save_occupation, name="save_occupation"),
    # The interest check (Interessencheck)
    path("interessencheck/", check_views.check, name="check"),
    path("interessencheck/<int:check_id>/schritt/<int:step>/", check_views.check_step, name="check_step"),
    path("interessencheck/<int:check_id>/ergebnis/", check_views.check_result, name="check_result"),
    # School classes (teachers) and joining one (pupils)
    path("klassen/", class_views.class_list, name="class_list"),
    path("klassen/<int:class_id>/", class_views.class_detail, name="class_detail"),
    path("klassen/<int:class_id>/csv/", class_views.class_csv, name="class_csv"),
    path("klasse-beitreten/", class_views.join, name="join"),
    path("klasse/berufsfelder-freigabe/", class_views.field_sharing, name="field_sharing"),
    # Internships (Praktika / Berufsfelderkundung)
    path("praktika/", internship_views.internships, name="internships"),
    path("praktika/<int:slot_id>/", internship_views.internship_detail, name="internship_detail"),
    path("praktika/<int:slot_id>/bewerben/", internship_views.internship_apply, name="internship_apply"),
    path("praktika/meine/", internship_views.my_internships, name="my_internships"),
    path(
        "praktika/bewerbungen/<int:application_id>/",
        internship_views.internship_application,
        name="internship_application",
    ),
    path(
        "praktika/bewerbungen/<int:application_id>/schritt/",
        internship_views.internship_step,
        name="internship_step",
    ),
    path(
        "praktika/bewerbungen/<int:application_id>/rueckmeldung/",
        internship_views.internship_feedback,
        name="internship_feedback",
    ),
    path("praktika/betrieb/", internship_views.company_internships, name="company_internships"),
    path("praktika/betrieb/neu/", internship_views.internship_create, name="internship_create"),
    path(
        "praktika/betrieb/<int:slot_id>/status/", internship_views.internship_status, name="internship_status"
    ),
    path(
        "praktika/betrieb/<int:slot_id>/bewerbungen/",
        internship_views.internship_inbox,
        name="internship_inbox",
    ),
    # The pupil's plan (Mein Berufswahlfahrplan)
    path("fahrplan/", plan_views.plan, name="plan"),
    path("fahrplan/pdf/", plan_views.plan_pdf, name="plan_pdf"),
    path("fahrplan/schritte/<int:step_id>/erledigt/", plan_views.plan_step_toggle, name="plan_step_toggle"),
    path("fahrplan/schritte/<int:step_id>/loeschen/", plan_views.plan_step_delete, name="plan_step_delete"),
]
