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
    path("kammer/", views.chamber, name="chamber"),
]
