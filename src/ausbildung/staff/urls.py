from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("", views.company, name="company"),
    path("nachweis/", views.qualification_add, name="qualification_add"),
    path(
        "nachweis/<int:qualification_id>/zurueckziehen/",
        views.qualification_withdraw,
        name="qualification_withdraw",
    ),
    path("nachweis/<int:qualification_id>/datei/", views.document, name="document"),
    path("nachweis/<int:qualification_id>/bestaetigen/", views.confirm, name="confirm"),
    path("ausbilder/<int:trainer_id>/rolle/", views.role, name="role"),
    path("standort/<int:site_id>/fachkraefte/", views.site, name="site"),
    path("ich/", views.mine, name="mine"),
    path("weiterbildung/", views.courses, name="courses"),
    path("weiterbildung/eintrag/", views.record_add, name="record_add"),
    path(
        "weiterbildung/eintrag/<int:record_id>/zurueckziehen/", views.record_withdraw, name="record_withdraw"
    ),
    path("weiterbildung/kurs/", views.course_add, name="course_add"),
    path("weiterbildung/kurs/<int:course_id>/absagen/", views.course_cancel, name="course_cancel"),
    path("kammer/", views.chamber, name="chamber"),
    path("aevo/", views.self_check, name="self_check"),
    path("aevo/uebung/", views.self_check_field, name="self_check_field"),
]
