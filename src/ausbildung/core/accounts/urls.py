"""URLs of the account flows, in the `core` namespace (included by core/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("registrieren/", views.signup, name="signup"),
    path("registrieren/gesendet/", views.signup_sent, name="signup_sent"),
    path("registrieren/bestaetigen/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("registrieren/einverstaendnis/<str:token>/", views.signup_guardian, name="signup_guardian"),
    path("registrieren/betrieb/", views.company_register, name="company_register"),
    path("kammer/betriebe/", views.company_verification_list, name="company_verification_list"),
    path("kammer/betriebe/<int:pk>/", views.company_verification, name="company_verification"),
    path("einladungen/", views.invitations, name="invitations"),
    path("einladungen/<int:pk>/widerrufen/", views.invitation_revoke, name="invitation_revoke"),
    path("einladung/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("mein-bereich/organisationen/", views.my_organisations, name="my_organisations"),
    path("mein-bereich/organisationen/<int:pk>/verlassen/", views.membership_leave, name="membership_leave"),
    path("mein-bereich/mitglieder/<int:pk>/entfernen/", views.member_remove, name="member_remove"),
]
