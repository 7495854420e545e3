"""URLs of signing in safely, part of the `core` namespace (included by core/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("passwort-vergessen/", views.PasswordResetView.as_view(), name="password_reset"),
    path("passwort-vergessen/gesendet/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "passwort-neu/<str:uidb64>/<str:token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("passwort-neu/fertig/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("anmelden/code/", views.two_factor_verify, name="two_factor_verify"),
    path("mein-bereich/sicherheit/", views.security, name="security"),
    path("mein-bereich/sicherheit/passwort/", views.PasswordChangeView.as_view(), name="password_change"),
    path("mein-bereich/sicherheit/zwei-faktor/", views.two_factor_setup, name="two_factor_setup"),
    path(
        "mein-bereich/sicherheit/zwei-faktor/entfernen/", views.two_factor_disable, name="two_factor_disable"
    ),
    path("mein-bereich/sicherheit/wiederherstellungscodes/", views.recovery_codes, name="recovery_codes"),
]
