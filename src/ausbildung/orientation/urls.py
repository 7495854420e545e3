from django.urls import path  # noqa: F401 - the feature modules add their patterns below

from .check import views as check_views

app_name = "orientation"

urlpatterns: list = [
    # The interest check (Interessencheck)
    path("interessencheck/", check_views.check, name="check"),
    path("interessencheck/<int:check_id>/schritt/<int:step>/", check_views.check_step, name="check_step"),
    path("interessencheck/<int:check_id>/ergebnis/", check_views.check_result, name="check_result"),
]
