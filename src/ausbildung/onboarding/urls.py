"""Pages of "Ausbildungsbetrieb werden". Mounted under /ausbildungsplaetze/ausbildungsbetrieb-werden/ (see
ausbildung.urls): the addresses are the ones the self-check had as part of the offers app, so links keep working.
"""

from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    # The company's self-check in three steps, and the requests it has sent
    path("", views.start, name="start"),
    path("ausbildungsstaette/", views.site, name="site"),
    path("ergebnis/", views.result, name="result"),
    path("anfragen/", views.my_requests, name="requests"),
    path("anfragen/<int:request_id>/", views.request_detail, name="request"),
    path("anfragen/<int:request_id>/pdf/", views.request_pdf, name="pdf"),
    # The chamber's list of requests addressed to it
    path("kammer/", views.chamber_list, name="chamber_list"),
    path("kammer/<int:request_id>/", views.chamber_request, name="chamber_request"),
]
