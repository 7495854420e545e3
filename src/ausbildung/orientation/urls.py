from django.urls import path  # noqa: F401 - the feature modules add their patterns below

app_name = "orientation"

urlpatterns: list = []
