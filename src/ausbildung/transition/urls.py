from django.urls import include, path

app_name = "transition"

urlpatterns = [
    path("nachvermittlung/", include("ausbildung.transition.clearing.urls")),
]
